"""Drawing helpers named after what the viewer sees: axes, curves, readouts, contour maps, paths, tables.

Also the two marks a drawing can carry for the quality gate: ``exempt`` and ``attach``.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

import numpy as np
from manim import RIGHT, DOWN, LEFT, Axes, DecimalNumber, Dot, Line, Mobject, Rectangle, VGroup, VMobject

from scenes.kit.i18n import localise_digits
from scenes.kit.style import FUNCTION, LABEL_SIZE, LEFT_VIEW, MUTED, INK, SLOPE, STEP, TICK_SIZE, VIEW_SIDE, \
    height_color, tex

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
        # No updater keeps it there: a new value keeps the number's left edge and its middle (DecimalNumber
        # rebuilds in place), so it stays on the label's line, and an updater would make manim and RedrawLess
        # count the readout, and everything drawn after it, as moving on every frame.
        super().__init__(self.label, self.number)

    def set_value(self, value: float) -> Readout:
        self.number.set_value(value)
        return self


_UNSEEN = object()


def on_change(key: Callable[[], Hashable], update: Callable[[Mobject, Hashable], None], seen=_UNSEEN):
    """An updater that calls ``update(m, key())`` only on the frames where ``key()`` changed since the
    last call (or since ``seen``): the rest of the time it costs one call of ``key``."""
    last = [seen]

    def follow(m: Mobject) -> None:
        now = key()
        if now != last[0]:
            last[0] = now
            update(m, now)
    return follow


def redraw_on_change(key: Callable[[], Hashable], build: Callable[[], Mobject]) -> Mobject:
    """``always_redraw(build)``, but rebuilt only on the frames where ``key()`` changes — e.g. the
    training snapshot shown, which stays put for many frames while time runs on."""
    shown = build()
    return shown.add_updater(on_change(key, lambda m, _: m.become(build()), seen=key()))


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



def plane_axes(domain, side: float = VIEW_SIDE, center=LEFT_VIEW, numbers: bool = True, step: float = 1.0,
               **kw) -> Axes:
    """Axes for a 2-D parameter plane, equal scale on x and y, fitted into a ``side``-sized square view."""
    (x0, x1), (y0, y1) = domain
    scale = side / max(x1 - x0, y1 - y0)
    axes = function_axes([x0, x1, step], [y0, y1, step], (x1 - x0) * scale, (y1 - y0) * scale, numbers=numbers,
                         **kw)
    return axes.move_to(center)


def fitted_axes(domain, width: float, height: float, center, numbers: bool = False, **kw) -> Axes:
    """Axes for a 2-D plane at equal scale on x and y, as large as fits a ``width`` × ``height`` box."""
    (x0, x1), (y0, y1) = domain
    scale = min(width / (x1 - x0), height / (y1 - y0))
    return plane_axes(domain, scale * max(x1 - x0, y1 - y0), center, numbers=numbers, **kw)


def _runs(inside) -> list[slice]:
    """The runs of consecutive True values in ``inside``, as slices."""
    runs, start = [], None
    for i, ok in enumerate([*inside, False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            runs.append(slice(start, i))
            start = None
    return runs


def visible_run(points, domain) -> slice:
    """The longest run of consecutive curve samples inside the map ``domain`` (an open curve may leave it)."""
    (x0, x1), (y0, y1) = domain
    inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
    return max(_runs(inside), key=lambda run: run.stop - run.start, default=slice(0, 0))


def curve_inside(axes: Axes, xs, ys, color=FUNCTION, stroke_width: float = 4) -> VGroup:
    """The curve through computed points (xs, ys), drawn only where it is inside the axes' y range:
    a curve that leaves the plot is cut at the edge, not flattened against it."""
    y0, y1 = axes.y_range[:2]
    inside = (np.asarray(ys) >= y0) & (np.asarray(ys) <= y1)
    return VGroup(*[path_through(axes, xs[run], ys[run], color, stroke_width)
                    for run in _runs(inside) if run.stop - run.start >= 2])


def number_tex(v: float, decimals: int = 2) -> str:
    """A core value as TeX: fixed decimals, or m×10^k once it would print as zero (never "-0.00")."""
    if v == 0 or abs(v) >= 10 ** -decimals:
        s = f"{v:.{decimals}f}"
        return localise_digits(s[1:] if s.startswith("-") and float(s) == 0 else s, tex=True)
    mantissa, exponent = f"{v:.1e}".split("e")
    return rf"{localise_digits(mantissa, tex=True)}\times 10^{{{int(exponent)}}}"


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

