"""The course's visual language and the drawing helpers every lesson shares.

Colours are named for what they *mean* (see ../shared/VISUAL.md): a scene says
``SLOPE``, never ``YELLOW``, so a learner sees one meaning per colour across the course.
"""
from __future__ import annotations

import os
import shlex
import tomllib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Axes, Code, DecimalNumber, Dot, Line, ManimColor, MathTex, Mobject,
    Scene, Text, ThreeDScene, VGroup, VMobject,
)

from calcviz.errors import CalcvizError

# --- colour means one thing, everywhere (Okabe–Ito, safe for colour-vision deficiencies) ---
FUNCTION = ManimColor("#56B4E9")    # the function / surface / model being studied
SLOPE = ManimColor("#F0E442")       # derivative, slope, tangent, gradient arrow
STEP = ManimColor("#D55E00")        # a step taken, descent path, the hiker
DATA = ManimColor("#D9D9D9")        # data points, measurements
FIT = ManimColor("#009E73")         # the fitted curve / the answer found
CONSTRAINT = ManimColor("#CC79A7")  # a constraint, a second object of comparison
NUDGE = ManimColor("#E69F00")       # the nudge dx, small changes, error
INK = ManimColor("#EDEDED")         # ordinary text
MUTED = ManimColor("#8C939E")       # axes, grids, secondary text
BACKGROUND = ManimColor("#14171C")  # also set in manim.cfg, for the CLI
PANEL = ManimColor("#1E232B")       # a box behind a readout or legend
# Signed values (weights, decision scores): blue – white – red (ColorBrewer RdBu ends). Not orange:
# orange already means the nudge / error, and a weight is neither.
SIGNED_COLORS = [ManimColor("#2166AC"), ManimColor("#F7F7F7"), ManimColor("#B2182B")]  # − 0 +
# Heights of a landscape: viridis (perceptually uniform, colour-blind safe), low = dark purple.
HEIGHT_COLORS = [ManimColor(h) for h in ("#440154", "#482878", "#3E4A89", "#31688E", "#26828E",
                                         "#1F9E89", "#35B779", "#6DCD59", "#B4DE2C", "#FDE725")]

# --- text: readable at 480p ----------------------------------------------------------------
FONT = "DejaVu Sans"
MONO_FONT = "DejaVu Sans Mono"  # code on screen
TITLE_SIZE = 40
TEXT_SIZE = 28        # Text labels
SMALL_SIZE = 24       # the smallest Text allowed
FORMULA_SIZE = 40     # MathTex formulas that matter
LABEL_SIZE = 36       # MathTex labels and readouts (MathTex glyphs are smaller than Text's)
TICK_SIZE = 24        # axis numbers

# --- layout and time ----------------------------------------------------------------------------
SAFE_MARGIN = 0.3     # every mobject stays this far inside the 14.2 × 8 frame
# Side-by-side views (contour map | surface, landscape | data) split the frame the same way
# in every lesson: two square views below the title row.
VIEW_SIDE = 6.0
LEFT_VIEW = np.array([-3.45, -0.5, 0.0])
RIGHT_VIEW = np.array([3.45, -0.5, 0.0])
MIN_CAP_HEIGHT_PX = 10.0  # smallest capital-letter height allowed, in pixels at 854×480
HOLD = 1.5            # seconds a beat holds after its last element appears
READING_WPS = 3.0     # words per second a viewer reads a caption comfortably


def reading_time(caption: str) -> float:
    """Seconds a caption must stay on screen to be read: a second to notice it, then the words."""
    return 1.0 + len(caption.split()) / READING_WPS


def stretch_captions(subtitles, end_of_scene: float) -> None:
    """Let each caption stay until the next one starts (manim ends it with its animation)."""
    import datetime
    subtitles.sort(key=lambda s: s.start)
    for sub, following in zip(subtitles, subtitles[1:] + [None]):
        if following is not None:
            sub.end = following.start  # never two captions at once
        else:
            sub.end = max(sub.end, datetime.timedelta(seconds=end_of_scene))


def text(s: str, size: float = TEXT_SIZE, color=INK, **kw) -> Text:
    return Text(s, font=FONT, font_size=size, color=color, **kw)


def tex(s: str, size: float = LABEL_SIZE, color=INK, **kw) -> MathTex:
    return MathTex(s, font_size=size, color=color, **kw)


def code_listing(source: str, size: float = SMALL_SIZE, language: str = "python") -> Code:
    """Code on screen: manim's ``Code`` in the one monospace font, on a panel.

    It records the size it was set in, so the quality gate can check the text stays
    readable however the listing is scaled later.
    """
    code = Code(code_string=source, language=language, formatter_style="github-dark", add_line_numbers=False,
                background_config={"fill_color": PANEL, "stroke_color": MUTED, "stroke_width": 1.5, "buff": 0.25},
                paragraph_config={"font": MONO_FONT, "font_size": size, "line_spacing": 0.6})
    code.gate_font = (float(size), code.width)
    return code


def title(s: str) -> Text:
    """A lesson-beat title in the top-left corner."""
    return text(s, TITLE_SIZE).to_corner(UP + LEFT, buff=0.45)


class SteadyNumber(DecimalNumber):
    """A DecimalNumber that rebuilds its digits only when the text it shows changes.

    Updaters set numbers every frame, and a rebuild copies every digit (milliseconds each): at
    60 fps most frames show the same digits as the frame before.
    """

    def set_value(self, number: float) -> "SteadyNumber":
        if self._get_num_string(number) == self._get_num_string(self.number):
            self.number = number
            return self
        return super().set_value(number)


class Readout(VGroup):
    """``label = 1.234``: a MathTex label and a number that keeps its width."""

    def __init__(self, label: str, value: float, decimals: int = 3, color=INK, size=LABEL_SIZE,
                 sign: bool = False):
        self.label = tex(label, size, color)
        self.number = SteadyNumber(value, num_decimal_places=decimals, font_size=size, color=color,
                                   include_sign=sign)
        self.number.next_to(self.label, RIGHT, buff=0.18)
        # keep the number on the label's baseline even when the sign changes
        self.number.add_updater(lambda m: m.next_to(self.label, RIGHT, buff=0.18))
        super().__init__(self.label, self.number)

    def set_value(self, value: float) -> Readout:
        self.number.set_value(value)
        return self


def redraw_on_change(key: Callable[[], Hashable], build: Callable[[], Mobject]) -> Mobject:
    """``always_redraw(build)``, but rebuilt only on the frames where ``key()`` changes — e.g. the
    training snapshot shown, which stays put for many frames while time runs on."""
    shown = build()
    last = [key()]

    def follow(m: Mobject) -> None:
        now = key()
        if now != last[0]:
            last[0] = now
            m.become(build())
    return shown.add_updater(follow)


def function_axes(x_range, y_range, width: float, height: float, numbers: bool = True, **kw) -> Axes:
    """Axes in the muted colour with readable tick numbers."""
    axis_config = {"color": MUTED, "stroke_width": 2, "include_tip": False,
                   "font_size": TICK_SIZE, "include_numbers": numbers}
    axis_config.update(kw.pop("axis_config", {}))
    return Axes(x_range=x_range, y_range=y_range, x_length=width, y_length=height,
                axis_config=axis_config, **kw)


def clipped_line(axes: Axes, x: float, y: float, slope: float, x_span: tuple[float, float] | None = None,
                 color=SLOPE, stroke_width: float = 4) -> Line:
    """The line of given slope through (x, y), cut to the axes' box (or to ``x_span``)."""
    (x0, x1), (y0, y1) = axes.x_range[:2], axes.y_range[:2]
    if x_span is not None:
        x0, x1 = max(x0, x_span[0]), min(x1, x_span[1])
    if slope != 0:  # also keep y inside the box
        xa, xb = sorted(((y0 - y) / slope + x, (y1 - y) / slope + x))
        x0, x1 = max(x0, xa), min(x1, xb)
    return Line(axes.c2p(x0, y + slope * (x0 - x)), axes.c2p(x1, y + slope * (x1 - x)),
                color=color, stroke_width=stroke_width)


def path_through(axes: Axes, xs: Sequence[float], ys: Sequence[float], color=FUNCTION,
                 stroke_width: float = 4) -> VMobject:
    """A smooth polyline through points the core computed (no re-evaluation in the scene)."""
    path = VMobject(color=color, stroke_width=stroke_width)
    path.set_points_smoothly([axes.c2p(x, y) for x, y in zip(xs, ys)])
    return path


def height_color(t: float) -> ManimColor:
    """The viridis colour at ``t`` ∈ [0, 1] (0 = lowest)."""
    from manim import interpolate_color
    t = float(np.clip(t, 0, 1)) * (len(HEIGHT_COLORS) - 1)
    k = min(int(t), len(HEIGHT_COLORS) - 2)
    return interpolate_color(HEIGHT_COLORS[k], HEIGHT_COLORS[k + 1], t - k)


def plane_axes(domain, side: float = VIEW_SIDE, center=LEFT_VIEW, numbers: bool = True, step: float = 1.0) -> Axes:
    """Axes for a 2-D parameter plane, equal scale on x and y, fitted into a ``side``-sized square view."""
    (x0, x1), (y0, y1) = domain
    scale = side / max(x1 - x0, y1 - y0)
    axes = function_axes([x0, x1, step], [y0, y1, step], (x1 - x0) * scale, (y1 - y0) * scale, numbers=numbers)
    return axes.move_to(center)


def curve_inside(axes: Axes, xs, ys, color=FUNCTION, stroke_width: float = 4) -> VGroup:
    """The curve through computed points (xs, ys), drawn only where it is inside the axes' y range:
    a curve that leaves the plot is cut at the edge, not flattened against it."""
    y0, y1 = axes.y_range[:2]
    inside = (np.asarray(ys) >= y0) & (np.asarray(ys) <= y1)
    group, start = VGroup(), None
    for i, ok in enumerate([*inside, False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            if i - start >= 2:
                group.add(path_through(axes, xs[start:i], ys[start:i], color, stroke_width))
            start = None
    return group


def table_of(header, rows, gap: float = 0.55, row_gap: float = 0.2) -> VGroup:
    """Rows of mobjects in columns, each column left-aligned under its header cell."""
    lines = [VGroup(*header), *(VGroup(*r) for r in rows)]
    widths = [max(line[c].width for line in lines) for c in range(len(header))]
    for line in lines:
        x = 0.0
        for c, cell in enumerate(line):
            cell.move_to([x + cell.width / 2, 0, 0])
            x += widths[c] + gap
    table = VGroup(*lines).arrange(DOWN, buff=row_gap)
    for line in lines:
        for c, cell in enumerate(line):
            cell.align_to(lines[0][c], LEFT)
    return table


def plane_frame(axes: Axes) -> VMobject:
    """A thin box around a parameter plane whose axes give coordinates only and are not drawn."""
    from manim import Rectangle
    lo, hi = axes.c2p(axes.x_range[0], axes.y_range[0]), axes.c2p(axes.x_range[1], axes.y_range[1])
    return Rectangle(width=hi[0] - lo[0], height=hi[1] - lo[1], color=MUTED, stroke_width=2).move_to((lo + hi) / 2)


def contour_map(axes: Axes, contours, stroke_width: float = 2.5) -> VGroup:
    """Level curves the core traced (``calcviz.contours.Contours``), coloured low→high by viridis."""
    group = VGroup()
    n = len(contours.levels)
    for k, lines in enumerate(contours.lines):
        color = height_color(0.15 + 0.85 * k / max(n - 1, 1))  # viridis' darkest purple vanishes on the background
        for line in lines:
            if len(line) < 2:
                continue
            curve = VMobject(stroke_color=color, stroke_width=stroke_width)
            curve.set_points_as_corners([axes.c2p(x, y) for x, y in line])
            group.add(curve)
    return group


def descent_path(axes: Axes, points, color=STEP, dot_radius: float = 0.05, stroke_width: float = 3) -> VGroup:
    """The iterates of a run as a polyline with a dot at every step (the hiker's footprints)."""
    pts = [axes.c2p(x, y) for x, y in np.asarray(points)[:, :2]]
    path = VMobject(stroke_color=color, stroke_width=stroke_width)
    path.set_points_as_corners(pts)
    dots = VGroup(*[Dot(p, radius=dot_radius, color=color) for p in pts])
    return VGroup(path, dots)


def exempt(mob: Mobject, rule: str, reason: str) -> Mobject:
    """Declare a deliberate exception to one quality-gate rule for ``mob``, with the reason why.

    Rules: ``"frame"`` (may leave the safe area), ``"overlap"`` (may touch other text),
    ``"size"`` (may be small), ``"lines"`` (may sit on strokes). The gate rejects an
    exception whose reason is empty.
    """
    if not hasattr(mob, "gate_exemptions"):
        mob.gate_exemptions = {}
    mob.gate_exemptions[rule] = reason
    return mob


def attach(label: Mobject, target: Mobject) -> Mobject:
    """Mark ``label`` as naming ``target``: the gate lets it touch that one's strokes."""
    label.gate_attached_to = getattr(label, "gate_attached_to", ()) + (target,)
    return label


# --- settings a course author can change without editing code ----------------------------------
@dataclass(frozen=True)
class Setting:
    """One tunable of a scene: its default and the parser that validates a new value."""

    default: Any
    parse: Callable[[Any], Any]
    help: str = ""


def choice(default: str, options: Sequence[str], help: str = "") -> Setting:
    options = list(options)

    def parse(v):
        if v not in options:
            raise CalcvizError(f"{v!r} is not one of: {', '.join(options)}")
        return v
    return Setting(default, parse, help or f"one of {', '.join(options)}")


def number(default: float, lo: float | None = None, hi: float | None = None, help: str = "") -> Setting:
    def parse(v):
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise CalcvizError(f"{v!r} is not a number") from None
        if not np.isfinite(x):
            raise CalcvizError(f"{v!r} is not finite")
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            raise CalcvizError(f"{x:g} is outside [{lo if lo is not None else '-inf'}, "
                               f"{hi if hi is not None else 'inf'}]")
        return x
    return Setting(default, parse, help)


def integer(default: int, lo: int = 1, hi: int | None = None, help: str = "") -> Setting:
    as_float = number(default, lo, hi).parse

    def parse(v):
        x = as_float(v)
        if x != int(x):
            raise CalcvizError(f"{v!r} is not a whole number")
        return int(x)
    return Setting(default, parse, help)


SETTINGS_ENV = "CALCVIZ_SET"          # e.g. CALCVIZ_SET="x=1.5 function=sine"
SETTINGS_FILE_ENV = "CALCVIZ_CONFIG"  # a TOML file with one table per scene


def _overrides_from_environment(scene: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    path = os.environ.get(SETTINGS_FILE_ENV)
    if path:
        try:
            found.update(tomllib.loads(Path(path).read_text()).get(scene, {}))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise CalcvizError(f"cannot read settings file {path}: {e}") from None
    for token in shlex.split(os.environ.get(SETTINGS_ENV, "")):
        key, sep, value = token.partition("=")
        if not sep:
            raise CalcvizError(f"{SETTINGS_ENV} wants key=value pairs, got {token!r}")
        found[key.strip()] = value.strip()
    return found


def resolve_settings(scene_cls: type, overrides: dict[str, Any] | None = None) -> MappingProxyType:
    """Defaults, then the settings file, then CALCVIZ_SET, then ``overrides``; each value validated."""
    spec: dict[str, Setting] = scene_cls.SETTINGS
    given = _overrides_from_environment(scene_cls.__name__) | dict(overrides or {})
    unknown = sorted(set(given) - set(spec))
    if unknown:
        known = ", ".join(spec) or "none"
        raise CalcvizError(f"unknown setting {unknown[0]!r}; settings of {scene_cls.__name__}: {known}")
    values = {}
    for name, setting in spec.items():
        try:
            values[name] = setting.parse(given.get(name, setting.default))
        except CalcvizError as e:
            raise CalcvizError(f"setting {name}: {e}") from None
    scene_cls.check_settings(values)
    return MappingProxyType(values)


class LessonMixin:
    """What every course scene has: validated settings, named beats, one visual language.

    Subclasses declare ``SETTINGS = {"name": Setting(...)}`` and read ``self.settings``.
    A bad setting stops the render before any frame with a one-line message.
    """

    SETTINGS: ClassVar[dict[str, Setting]] = {}

    def __init__(self, *args, settings: dict[str, Any] | None = None, **kwargs):
        try:
            self.settings = resolve_settings(type(self), settings)
        except CalcvizError as e:
            raise SystemExit(f"calcviz: {type(self).__name__}: {e}") from None
        super().__init__(*args, **kwargs)

    @classmethod
    def check_settings(cls, values: dict[str, Any]) -> None:
        """Checks across settings (e.g. a point inside the function's domain); raise CalcvizError."""

    def tear_down(self) -> None:
        super().tear_down()
        stretch_captions(self.renderer.file_writer.subcaptions, self.renderer.time)

    def say(self, caption: str, *animations, **play_kwargs) -> None:
        """Narrate ``caption`` while ``animations`` play, then hold until it has been read."""
        start = self.renderer.time
        self.add_subcaption(caption, duration=reading_time(caption))
        if animations:
            self.play(*animations, **play_kwargs)
        left = reading_time(caption) - (self.renderer.time - start)
        if left > 0.05:
            self.wait(left)

    def beat(self, name: str) -> None:
        """Start a new beat: a named section (a chapter on the course page)."""
        self.next_section(name)

    def hold(self, seconds: float = HOLD) -> None:
        self.wait(seconds)

    def clear_beat(self, *keep: Mobject, run_time: float = 0.8) -> None:
        """Fade out everything except ``keep``: one idea per beat."""
        from manim import FadeOut
        gone = [m for m in self.mobjects if m not in keep]
        if gone:
            self.play(*[FadeOut(m) for m in gone], run_time=run_time)


class LessonScene(LessonMixin, Scene):
    """A 2-D course scene."""


class LessonThreeDScene(LessonMixin, ThreeDScene):
    """A 3-D course scene; text that must stay readable is added with ``add_fixed_in_frame_mobjects``."""
