"""Lesson — Descent: a hiker in the dark feels the slope and steps downhill.

Render one scene:  manim -qm scenes/descent.py HikerInTheDark
"""
from __future__ import annotations

import numpy as np
from manim import (
    DEGREES, DOWN, LEFT, ORIGIN, OUT, PI, RIGHT, UP, Arrow, Circle, Create, Dot, FadeIn, FadeOut, Line,
    RegularPolygon, Square, Star, SurroundingRectangle, Transform, Triangle, ValueTracker, VGroup, VMobject, Write,
    always_redraw, config, linear, smooth,
)

from calcviz.contours import landscape_contours
from calcviz.errors import CalcvizError
from calcviz.lagrange import CONSTRAINTS, constraint, lagrange
from calcviz.landscapes import LANDSCAPES, landscape
from calcviz.optimizers import METHODS, minimize
from calcviz.result import Status
from scenes.kit.surface import LandscapeScene, LandscapeSurface, dense_polyline, landscape_axes
from scenes.kit.style import (
    BACKGROUND, CONSTRAINT, DATA, FIT, FUNCTION, INK, LABEL_SIZE, LEFT_VIEW, MUTED, NUDGE, RIGHT_VIEW, SLOPE,
    SAFE_MARGIN, SMALL_SIZE, STEP, TEXT_SIZE, TICK_SIZE, VIEW_SIDE, tex, text, title,
)
from scenes.kit.draw import (
    Readout, contour_map, fitted_axes, function_axes, on_change, plane_axes, plane_frame, visible_run,
)
from scenes.kit.i18n import N_, t, tex_number
from scenes.kit.settings import Setting, choice, integer, number
from scenes.kit.lesson import LessonScene
from scenes.kit.redraw import RedrawLess, drawing_state


def _hiker_run(values):
    """The run the hiker walks (the core's optimizer), checked to stay on the map; a CalcvizError otherwise."""
    land = landscape(values["landscape"])
    (x0, x1), (y0, y1) = land.domain
    start = np.array([values["x"], values["y"]])
    if not (x0 <= start[0] <= x1 and y0 <= start[1] <= y1):
        raise CalcvizError(f"setting x, y: ({start[0]:g}, {start[1]:g}) is off the map of {land.name} "
                           f"([{x0:g}, {x1:g}] × [{y0:g}, {y1:g}])")
    run = minimize(land, values["method"], start, steps=values["steps"], lr=values["lr"])
    outside = np.flatnonzero((run.points[:, 0] < x0) | (run.points[:, 0] > x1)
                             | (run.points[:, 1] < y0) | (run.points[:, 1] > y1))
    if run.diverged or len(outside):
        k = int(outside[0]) if len(outside) else run.nit
        raise CalcvizError(f"with lr={values['lr']:g} the hiker leaves the map of {land.name} at step {k}; "
                           f"try a smaller lr")
    if run.status is Status.DIVERGING:  # on the map, but climbing: no walk down into a valley to show
        raise CalcvizError(f"with lr={values['lr']:g} the hiker climbs instead of descending (f grows "
                           f"×{run.growth:.3g} a step); try a smaller lr")
    return land, run


class HikerInTheDark(RedrawLess, LandscapeScene):
    """In the dark you only feel the slope under your feet: step downhill, again and again, into a valley.

    manim -qm scenes/descent.py HikerInTheDark
    """

    SETTINGS = {
        "landscape": choice("mountains", LANDSCAPES),
        "method": choice("gradient_descent", METHODS, help="the rule the hiker follows"),
        "lr": number(0.3, 1e-3, 5.0, help="learning rate: the length of a step per unit of slope"),
        "x": number(-1.2, help="start x: high on a slope"),
        "y": number(0.9, help="start y"),
        "steps": integer(60, 1, 200, help="the most steps the hiker takes"),
    }
    PHI, THETA, ORBIT = 52 * DEGREES, -175 * DEGREES, 0.03  # camera: tilt, start azimuth, rad/s
    PACE, FAST_PACE, STEADY_STEPS = 0.5, 0.05, 16  # seconds per step; steps after the 16th play ×10
    ARROW = 1.0  # length of the slope arrow on the map at the start; it shrinks with the slope

    @classmethod
    def check_settings(cls, values):
        _hiker_run(values)

    def construct(self):
        s = self.settings
        land, run = _hiker_run(s)
        contours = landscape_contours(land, count=12, n=121)
        self.renderer.camera.view_center = RIGHT_VIEW.copy()
        self.set_camera_orientation(phi=self.PHI, theta=self.THETA)

        # --- beat 1: the landscape and its map ------------------------------------------------------
        self.beat(t("The landscape"))
        heading = title(t("A hiker in the dark"))
        surface = LandscapeSurface(landscape_axes(land, side=4.3, height=2.0), land, 32, levels=contours.levels)
        plane = plane_axes(land.domain, VIEW_SIDE, LEFT_VIEW, numbers=False)
        frame = plane_frame(plane)
        level_curves = contour_map(plane, contours, stroke_width=2)
        self.add_fixed_in_frame_mobjects(heading, frame, level_curves)
        self.begin_ambient_camera_rotation(rate=self.ORBIT)
        self.play(Write(heading), FadeIn(surface), run_time=1.5)
        self.say(t("Here is a landscape, a height for every point, and its map seen from above."),
                 Create(frame), Create(level_curves), run_time=2)

        # --- beat 2: feel the slope -----------------------------------------------------------------
        self.beat(t("Feel the slope"))
        walked = ValueTracker(0)  # steps walked so far (fractional while a step plays)

        def here():
            return run.at(walked.get_value())

        hiker = surface.attach(Dot(surface.lift(here()), radius=0.1, color=STEP, stroke_color=INK,
                                   stroke_width=1.5))
        hiker.add_updater(lambda m: m.move_to(surface.lift(here())))
        self.add_fixed_orientation_mobjects(hiker)
        shadow = Dot(plane.c2p(*here()), radius=0.09, color=STEP, stroke_color=INK, stroke_width=1.5)
        shadow.add_updater(lambda m: m.move_to(plane.c2p(*here())))
        # the slope felt underfoot: an arrow along −∇f, as long as the slope is steep (1 unit at the start)
        per_slope = self.ARROW / max(float(np.linalg.norm(run.gradients[0])), 1e-9)
        arrow = Arrow(LEFT, RIGHT, buff=0, color=SLOPE)
        arrow.add_updater(_Downhill(plane, land, here, per_slope))
        arrow.update()
        rule = tex(r"x_{k+1} = x_k - \eta \, \nabla f(x_k)", substrings_to_isolate=[r"\nabla f(x_k)"])
        rule.set_color_by_tex(r"\nabla f", SLOPE)
        eta = Readout(r"\eta =", s["lr"], 2)
        top_right = VGroup(rule, eta).arrange(RIGHT, buff=0.6).to_corner(UP + RIGHT, buff=0.45)
        self.add_fixed_in_frame_mobjects(shadow)
        self.say(t("A hiker stands high on a slope at night, and cannot see any valley."),
                 FadeIn(hiker), FadeIn(shadow), run_time=1)
        self.add_fixed_in_frame_mobjects(arrow, top_right)
        self.play(Create(arrow), run_time=0.8)
        self.say(t("In the dark you only feel the slope under your feet, so you step against it."),
                 Write(rule), FadeIn(eta), run_time=1.5)

        # --- beat 3: step by step ---------------------------------------------------------------------
        self.beat(t("Step by step"))

        def taken():
            return int(walked.get_value() + 1e-6)

        walked_dense = {}  # the resampled path up to footprint k: only the step being taken changes per frame

        def trail_points():
            k = taken()
            if k not in walked_dense:
                walked_dense[k] = dense_polyline(surface, run.points[: k + 1])
            step = dense_polyline(surface, [run.points[k], here()])[1:]
            return surface.lift(np.concatenate([walked_dense[k], step]))

        trail = surface.attach(VMobject(stroke_color=STEP, stroke_width=4, fill_opacity=0))
        trail.add_updater(lambda m: m.set_points_as_corners(trail_points()))
        # Footprints, a dot per step taken: one mobject for all (on the surface each dot is still painted in
        # its own place in depth order), so that neither drawing nor checking them costs per dot.
        prints = surface.attach(_Footprints([Dot(p, radius=0.045, color=STEP) for p in surface.lift(run.points)]))
        map_corners = [plane.c2p(*p) for p in run.points]
        map_trail = VMobject(stroke_color=STEP, stroke_width=3)
        map_trail.add_updater(lambda m: m.set_points_as_corners([*map_corners[: taken() + 1], plane.c2p(*here())]))
        map_prints = _Footprints([Dot(c, radius=0.045, color=STEP) for c in map_corners])
        for group in (prints, map_prints):
            group.add_updater(lambda g: g.show(taken() + 1))
        counter = Readout("k =", 0, 0)
        counter.number.add_updater(on_change(taken, lambda m, k: m.set_value(k)))
        height = Readout("f =", run.values[0], 2, sign=True)
        height.number.add_updater(on_change(taken, lambda m, k: m.set_value(run.values[k])))  # at the footprint
        readouts = VGroup(counter, height).arrange(RIGHT, buff=0.8)
        readouts.next_to(top_right, DOWN, buff=0.35).align_to(top_right, LEFT)
        prints.update(), map_prints.update(), trail.update(), map_trail.update()
        self.add(trail, prints)
        self.add_fixed_in_frame_mobjects(map_trail, map_prints)
        self.bring_to_front(shadow, arrow)
        self.add_fixed_in_frame_mobjects(readouts)

        feel = t("Each step: feel the slope, step downhill, feel again.")
        shorter = t("Where the ground flattens, the steps get shorter.")
        captions = _Captions(self)
        captions.show(feel)
        self.play(FadeIn(readouts), run_time=0.5)
        steady = min(run.nit, self.STEADY_STEPS)
        for k in range(steady):
            if captions.read() and captions.current == feel:
                captions.show(shorter)
            self.play(walked.animate.set_value(k + 1), run_time=self.PACE, rate_func=smooth)
        if run.nit > steady:
            rest = run.nit - steady
            faster = text(t("×10"), SMALL_SIZE, MUTED).next_to(readouts, DOWN, buff=0.3).align_to(readouts, LEFT)
            self.add_fixed_in_frame_mobjects(faster)
            needs = captions.show(t("The remaining {rest} steps play ten times faster.", rest=rest), wait=True)
            self.play(walked.animate.set_value(run.nit), run_time=self.over_line(max(self.FAST_PACE * rest, 1.0), needs),
                      rate_func=linear)
            captions.finish()
            self.play(FadeOut(faster), run_time=0.3)
        elif captions.current == feel:
            captions.show(shorter, wait=True)
        captions.finish()
        self.hold()

        # --- beat 4: a valley, not the valley ---------------------------------------------------------
        self.beat(t("A valley, not the valley"))
        arrow.clear_updaters()
        self.play(FadeOut(arrow), run_time=0.5)
        stuck = run.status is Status.STATIONARY  # flat, but a saddle or a hilltop: no valley at all
        if run.success:
            self.say(t("After {n} steps the ground is flat: a valley at f = {f:.2f}.", n=run.nit, f=run.fun))
        elif stuck:
            self.say(t("After {n} steps the ground is flat, but this is {outcome}, at f = {f:.2f}.",
                       n=run.nit, outcome=t(run.outcome), f=run.fun))
        else:
            self.say(t("After {n} steps, the most we allow, the ground still slopes a little "
                       "(|∇f| = {grad:.2g}), at f = {f:.2f}.", n=run.nit, grad=run.slope, f=run.fun))
            if run.to_go is not None:  # how close it came, from the pace of its last steps
                self.say(t("At this pace about {more} more steps would reach the floor.", more=run.to_go))
        deepest = land.global_minimum if len(land.minima) else None
        if not stuck and land.reached_deepest_valley(run.x):
            self.say(t("This time the nearest valley is also the deepest one: the hiker was lucky."))
        elif deepest is not None:
            mark = Dot(plane.c2p(*deepest), radius=0.09, color=CONSTRAINT)
            floor = surface.lift(deepest)
            top = floor + 1.2 * OUT  # a flag pole, so the valley shows even where a ridge hides its floor
            pin = surface.attach(VGroup(Line(floor, top, color=CONSTRAINT, stroke_width=3),
                                        Dot(top, radius=0.08, color=CONSTRAINT)))
            legend = VGroup(Dot(radius=0.09, color=CONSTRAINT),
                            Readout(_tex_words(t("deepest valley:"), r" } f ="), land.min_value, 2, CONSTRAINT,
                                    sign=True))
            legend.arrange(RIGHT, buff=0.2).next_to(readouts, DOWN, buff=0.3).align_to(readouts, LEFT)
            self.renderer.camera.add_fixed_orientation_mobjects(pin[1])  # a round top from every side
            self.add_fixed_in_frame_mobjects(mark, legend)
            self.say(t("The deepest valley, f = {f:.2f}, lies elsewhere: by feel alone the hiker "
                       "stopped where the ground is merely flat.", f=land.min_value) if stuck else
                     t("The deepest valley, f = {f:.2f}, lies beyond a ridge: "
                       "by feel you find a valley, not the lowest.", f=land.min_value),
                     FadeIn(mark), FadeIn(legend), FadeIn(pin), run_time=1)
        self.hold()


def _tex_words(words: str, after: str = "}") -> str:
    """Translated words as text inside a MathTex label: ``\\text{`` words ``after`` (``}`` and any formula)."""
    return r"\text{" + words + after


class _Captions:
    """Lines narrated while steps play: a new one starts only once the last one has been spoken (or read)."""

    def __init__(self, scene):
        self.scene, self.current, self.since, self.needs = scene, None, 0.0, 0.0

    def read(self) -> bool:
        return self.current is None or self.scene.renderer.time - self.since >= self.needs

    def show(self, caption: str, wait: bool = False) -> float:
        if wait:
            self.finish()
        self.current, self.since = caption, self.scene.renderer.time
        self.needs = self.scene.narrate(caption)
        return self.needs

    def finish(self) -> None:
        """Hold until the current line has been spoken (or read)."""
        if self.current is not None:
            self.scene.finish_line()


class _Footprints(VMobject):
    """The first n of some dots as one mobject (each dot a closed subpath), in the dots' colour."""

    def __init__(self, dots):
        super().__init__(fill_color=dots[0].get_fill_color(), fill_opacity=dots[0].get_fill_opacity(),
                         stroke_width=0)
        self.dots = [d.points.copy() for d in dots]
        self.shown = None

    def show(self, n: int) -> _Footprints:
        if n != self.shown:
            self.set_points(np.concatenate(self.dots[:n]))
            self.shown = n
        return self


class _Downhill:
    """Updater of the map's slope arrow: rebuilt only when the hiker has moved (or the arrow was changed)."""

    def __init__(self, plane, land, here, per_slope):
        self.plane, self.land, self.here, self.per_slope = plane, land, here, per_slope
        self.last = None

    def __call__(self, arrow):
        p = self.here()
        if (self.last is not None and np.array_equal(p, self.last[0])
                and drawing_state(arrow.family_members_with_points()) == self.last[1]):
            return
        _point_downhill(arrow, self.plane, self.land, p, self.per_slope)
        self.last = (p.copy(), drawing_state(arrow.family_members_with_points()))


def _point_downhill(arrow, plane, land, p, per_slope):
    """The map's arrow from the hiker along −∇f (the core's gradient), ``per_slope`` screen units per unit
    of slope; it fades out where the ground is flat."""
    g = land.grad(p)
    start = plane.c2p(*p)
    end = start + per_slope * np.array([-g[0], -g[1], 0.0])
    if np.linalg.norm(end - start) < 0.12:
        arrow.set_opacity(0)
        return
    arrow.become(Arrow(start, end, buff=0, color=SLOPE, stroke_width=5, max_tip_length_to_length_ratio=0.35,
                       max_stroke_width_to_length_ratio=12))


# =====================================================================================================
# Learning rates, the optimizer family, constraints
# --- settings parsers ---------------------------------------------------------------------------
def _point_setting(default, help: str) -> Setting:
    """A point "x,y" (None: the landscape's own ``start``)."""
    def parse(v):
        if v is None or v == "":
            return None
        parts = list(v) if isinstance(v, (list, tuple)) else str(v).split(",")
        try:
            p = tuple(float(s) for s in parts)
        except ValueError:
            raise CalcvizError(f"{v!r} is not a point x,y") from None
        if len(p) != 2 or not np.all(np.isfinite(p)):
            raise CalcvizError(f"{v!r} is not a point x,y with two finite numbers")
        return p
    return Setting(default, parse, help)


def _start_of(values):
    """The starting point: the setting, or the landscape's classic start; it must lie on the map."""
    land = landscape(values["landscape"])
    start = values["start"] if values["start"] is not None else land.start
    (x0, x1), (y0, y1) = land.domain
    if not (x0 <= start[0] <= x1 and y0 <= start[1] <= y1):
        raise CalcvizError(f"setting start: ({start[0]:g}, {start[1]:g}) is off the map of {land.name} "
                           f"([{x0:g}, {x1:g}] × [{y0:g}, {y1:g}])")
    return np.asarray(start, dtype=float)


# --- drawing helpers (geometry on screen only; every number comes from the core) -------------------
def _clip(p, q, domain):
    """The part [t0, t1] ⊂ [0, 1] of segment p→q inside the box ``domain`` (Liang–Barsky), or None."""
    (x0, x1), (y0, y1) = domain
    d = q - p
    t0, t1 = 0.0, 1.0
    for pk, qk in ((-d[0], p[0] - x0), (d[0], x1 - p[0]), (-d[1], p[1] - y0), (d[1], y1 - p[1])):
        if pk == 0:
            if qk < 0:
                return None
        elif pk < 0:
            t0 = max(t0, qk / pk)
        else:
            t1 = min(t1, qk / pk)
    return (t0, t1) if t0 < t1 else None


def _marker(kind: str, color, size: float = 0.2) -> VMobject:
    """A filled marker shape, so a path is told apart by shape as well as colour."""
    shapes = {
        "circle": lambda: Circle(radius=size * 0.5),
        "square": lambda: Square(side_length=size * 0.85),
        "triangle": lambda: Triangle().scale_to_fit_height(size),
        "diamond": lambda: Square(side_length=size * 0.72).rotate(PI / 4),
        "star": lambda: Star(5, outer_radius=size * 0.62),
        "hexagon": lambda: RegularPolygon(6).scale_to_fit_height(size),
        "pentagon": lambda: RegularPolygon(5).scale_to_fit_height(size),
    }
    return shapes[kind]().set_fill(color, 1).set_stroke(BACKGROUND, 1.5)


# Line styles: (on, off) lengths in scene units, repeated along the path; "dotted" is dots.
_PATTERNS = {"solid": ((0.12, 0.0),), "dashed": ((0.2, 0.12),), "long dash": ((0.42, 0.14),),
             "dash-dot": ((0.26, 0.1), (0.03, 0.1)), "short dash": ((0.07, 0.08),), "dotted": None}


class _Polyline:
    """A polyline on screen with arc length s, cut into the on-pieces of a line style."""

    def __init__(self, points):
        self.P = np.asarray(points, dtype=float)
        self.seg = np.linalg.norm(np.diff(self.P, axis=0), axis=1)
        self.S = np.concatenate([[0.0], np.cumsum(self.seg)])

    def at(self, s):
        k = int(np.clip(np.searchsorted(self.S, s, side="right") - 1, 0, len(self.seg) - 1))
        frac = 0.0 if self.seg[k] == 0 else (s - self.S[k]) / self.seg[k]
        return self.P[k] + np.clip(frac, 0, 1) * (self.P[k + 1] - self.P[k])

    def between(self, a, b):
        inner = np.nonzero((self.S > a) & (self.S < b))[0]
        return [self.at(a), *self.P[inner], self.at(b)]

    def pieces(self, style, ranges):
        """(s_start, s_end, points) of the style's on-pieces inside the visible arc-length ``ranges``."""
        out = []
        if _PATTERNS[style] is None:  # dots
            gap = 0.12
            for a, b in ranges:
                for s in np.arange(np.ceil(a / gap) * gap, b + 1e-9, gap):
                    out.append((s, s, [self.at(s)]))
            return out
        pattern = _PATTERNS[style]
        period = sum(on + off for on, off in pattern)
        for a, b in ranges:
            k = np.floor(a / period) * period
            while k < b:
                s = k
                for on, off in pattern:
                    lo, hi = max(s, a), min(s + on, b)
                    if hi - lo > 1e-6:
                        out.append((lo, hi, self.between(lo, hi)))
                    s += on + off
                k += period
        return out


def _piece(points, color, width) -> VMobject:
    if len(points) == 1:
        return Dot(points[0], radius=0.035, color=color)
    return VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(points)


def _style_sample(style, color, marker, width=3.5, length=0.55) -> VGroup:
    """A short horizontal stretch of a line style with its marker at the end: a legend's key."""
    line = _Polyline([[0, 0, 0], [length, 0, 0]])
    group = VGroup(*[_piece(p, color, width) for _, _, p in line.pieces(style, [(0, length)])])
    return VGroup(group, _marker(marker, color).move_to([length, 0, 0]))


class _Trail(VGroup):
    """A trajectory drawn as it is walked: the path up to fractional step t (clipped to the map),
    footprints at the iterates if asked, a head marker, and an arrowhead where the path left the map.

    ``tracker`` holds t; steps beyond the trajectory's ``nit`` leave it where it stopped.
    """

    def __init__(self, axes, traj, domain, tracker, color, style="solid", marker="circle", width=3.5,
                 footprints=False, marker_size=0.2, until_exit=False):
        super().__init__()
        self.traj, self.tracker, self.domain = traj, tracker, domain
        g = np.asarray(traj.points, dtype=float)
        self.line = _Polyline([axes.c2p(*p) for p in g])
        self.axes = axes
        ranges = []
        for k, seg in enumerate(self.line.seg):
            cut = _clip(g[k], g[k + 1], domain)
            if cut is None or seg == 0:
                continue
            a, b = self.line.S[k] + cut[0] * seg, self.line.S[k] + cut[1] * seg
            if ranges and abs(ranges[-1][1] - a) < 1e-9:
                ranges[-1][1] = b
            else:
                ranges.append([a, b])
        if until_exit:  # a run that flies off is drawn up to the edge of the map only
            ranges = ranges[:1]
        self.ranges = ranges
        pieces = self.line.pieces(style, ranges)
        self.ends = np.array([e for _, e, _ in pieces])
        self.starts = np.array([s for s, _, _ in pieces])
        self.elements = [_piece(p, color, width) for _, _, p in pieces]
        self.color, self.width, self.style = color, width, style
        self.feet = []
        if footprints:
            self.feet = [(self.line.S[k], Dot(self.line.P[k], radius=0.03, color=color))
                         for k in range(len(g)) if self._inside(g[k]) and (not ranges or self.line.S[k] <= ranges[-1][1] + 1e-9)]
        self.body = VGroup()
        self.partial = VMobject(stroke_color=color, stroke_width=width)
        self.head = _marker(marker, color, marker_size)
        self.exit = Triangle().scale_to_fit_height(0.2).set_fill(color, 1).set_stroke(BACKGROUND, 1.5)
        self.add(self.body, self.head, self.exit)
        self.add_updater(lambda m: m.refresh())
        self.refresh()

    def _inside(self, p):
        (x0, x1), (y0, y1) = self.domain
        return x0 <= p[0] <= x1 and y0 <= p[1] <= y1

    def steps_shown(self) -> float:
        return float(np.clip(self.tracker.get_value(), 0, self.traj.nit))

    def refresh(self):
        t = self.steps_shown()
        line = self.line
        if self.traj.nit == 0:
            cur = 0.0
        else:
            k = min(int(np.floor(t)), self.traj.nit - 1)
            cur = line.S[k] + (t - k) * line.seg[k]
        n = int(np.searchsorted(self.ends, cur + 1e-9, side="right"))
        shown = list(self.elements[:n])
        if self.style != "dotted" and n < len(self.elements) and self.starts[n] < cur:
            self.partial.set_points_as_corners(line.between(self.starts[n], cur))
            shown.append(self.partial)
        shown += [d for s, d in self.feet if s <= cur + 1e-9]
        self.body.submobjects = shown
        p = self.traj.at(t)
        if self._inside(p):
            self.head.move_to(self.axes.c2p(*p)).set_opacity(1)
            self.head.set_stroke(BACKGROUND, 1.5, opacity=1)
            self.exit.set_opacity(0)
        else:  # off the map: an arrowhead where the path left it, pointing the way it went
            self.head.set_opacity(0)
            left = [b for a, b in self.ranges if b <= cur + 1e-9]
            s = left[-1] if left else 0.0
            where = line.at(s)
            k = int(np.clip(np.searchsorted(line.S, s - 1e-9, side="right") - 1, 0, len(line.seg) - 1))
            d = line.P[k + 1] - line.P[k]
            self.exit.set_opacity(1).set_stroke(BACKGROUND, 1.5, opacity=1)
            self.exit.rotate(np.arctan2(d[1], d[0]) - PI / 2 - getattr(self.exit, "heading", 0.0))
            self.exit.heading = np.arctan2(d[1], d[0]) - PI / 2
            self.exit.move_to(where)
        return self


def _sci(v: float) -> str:
    """A core value as TeX: three significant digits, ×10^k when it is very small or large."""
    if v == 0:
        return "0"
    if 1e-2 <= abs(v) < 1e4:
        return tex_number(v, ".3g")
    mantissa, exponent = f"{v:.2e}".split("e")
    return tex_number(float(mantissa), ".2g") + rf"\times 10^{{{int(exponent)}}}"


# =====================================================================================================
_REGIMES = (("lr_small", N_("too small")), ("lr_good", N_("just right")), ("lr_zigzag", N_("zig-zags")),
            ("lr_large", N_("too large")))


def _regime_runs(values) -> dict:
    """Run gradient descent at the four learning rates and check each shows its regime."""
    land, start, steps = values["landscape"], _start_of(values), values["steps"]
    lrs = [values[key] for key, _ in _REGIMES]
    if not all(a < b for a, b in zip(lrs, lrs[1:])):
        raise CalcvizError("the learning rates must grow: lr_small < lr_good < lr_zigzag < lr_large, got "
                           + " < ".join(f"{lr:g}" for lr in lrs))
    runs = {key: minimize(land, "gradient_descent", start, steps=steps, lr=values[key]) for key, _ in _REGIMES}
    want = {"lr_small": (Status.MAX_STEPS,), "lr_good": (Status.CONVERGED,),
            "lr_zigzag": (Status.CONVERGED, Status.MAX_STEPS), "lr_large": (Status.DIVERGED, Status.DIVERGING)}
    for key, name in _REGIMES:
        run = runs[key]
        if run.status not in want[key]:
            raise CalcvizError(f"setting {key}: gradient descent with η = {values[key]:g} on {land} should be "
                               f"'{name}' ({' or '.join(s.name for s in want[key])}) but {run.message}")
    for key in ("lr_small", "lr_good"):
        if runs[key].reversals > 0.5:
            raise CalcvizError(f"setting {key}: η = {values[key]:g} already zig-zags; pick a smaller one")
    if runs["lr_zigzag"].reversals < 0.5:
        raise CalcvizError(f"setting lr_zigzag: η = {values['lr_zigzag']:g} does not zig-zag across the valley; "
                           "pick one closer to lr_large")
    return runs


class LearningRateRegimes(RedrawLess, LessonScene):
    """Four learning rates on one valley: too small crawls, just right converges, larger zig-zags, too large diverges.

    manim -qm scenes/descent.py LearningRateRegimes
    """

    SETTINGS = {
        "landscape": choice("bowl", LANDSCAPES),
        "start": _point_setting((-2.5, 1.0), "where all four runs start, x,y"),
        "steps": integer(150, 20, 400, help="the step limit of every run"),
        "lr_small": number(0.005, 1e-6, 10.0, help="crawls: hits the step limit"),
        "lr_good": number(0.1, 1e-6, 10.0, help="converges without zig-zagging"),
        "lr_zigzag": number(0.19, 1e-6, 10.0, help="zig-zags across the valley, does not diverge"),
        "lr_large": number(0.22, 1e-6, 10.0, help="diverges (or is still diverging at the step limit)"),
    }
    PACE = 0.08  # seconds per step, the same in every panel

    @classmethod
    def check_settings(cls, values):
        _regime_runs(values)

    def construct(self):
        s = self.settings
        land = landscape(s["landscape"])
        runs = _regime_runs(s)
        maps = landscape_contours(land, count=9, n=151)
        clock = ValueTracker(0)

        # --- beat 1: one valley, four step sizes ------------------------------------------------
        self.beat(t("Four step sizes"))
        heading = title(t("How big a step?"))
        rule = tex(r"x_{k+1} = x_k - \eta\,\nabla f(x_k)").to_corner(UP + RIGHT, buff=0.45)
        panels = VGroup()
        trails, counters, columns, frames = [], [], [], []
        centers = [(-4.5, 1.22), (2.25, 1.22), (-4.5, -2.12), (2.25, -2.12)]
        for (key, name), (cx, cy) in zip(_REGIMES, centers):
            axes = fitted_axes(land.domain, 4.3, 2.95, np.array([cx, cy, 0.0]))
            box = plane_frame(axes)
            contours = contour_map(axes, maps, stroke_width=1.5)
            start = Dot(axes.c2p(*runs[key].points[0]), color=INK, radius=0.05)
            trail = _Trail(axes, runs[key], land.domain, clock, STEP, footprints=True, marker_size=0.16,
                           until_exit=True)
            counter = Readout(_tex_words(t("step")), 0, 0)
            counter.number.add_updater(lambda m, tr=trail: m.set_value(int(np.floor(tr.steps_shown() + 1e-9))))
            column = VGroup(text(t(name)), tex(r"\eta = " + tex_number(s[key], "g")), counter)
            column.arrange(DOWN, aligned_edge=LEFT, buff=0.28).next_to(box, RIGHT, buff=0.25).align_to(box, UP)
            panels.add(VGroup(contours, box, start))
            trails.append(trail)
            counters.append(counter)
            columns.append(column)
            frames.append(box)
        # A panel's name fits between its panel and the next (or the frame's safe edge, less the room of the
        # box drawn round the best panel): only a name wider than that is scaled — another language's, not
        # English's.
        limits = [frames[i + 1].get_left()[0] - 0.2 if i % 2 == 0 else config.frame_width / 2 - SAFE_MARGIN - 0.1
                  for i in range(len(columns))]
        for column, limit in zip(columns, limits):
            if column[0].get_right()[0] > limit:
                column[0].scale_to_fit_width(limit - column[0].get_left()[0], about_edge=LEFT)
        self.play(Write(heading), FadeIn(rule), run_time=1.2)
        self.say(t("Gradient descent on one valley, from one start; only the learning rate η differs."),
                 *[FadeIn(p) for p in panels], *[FadeIn(c[:2]) for c in columns], run_time=1.5)
        self.say(t("Too short a step crawls; too long a step overshoots."))

        # --- beat 2: walk -------------------------------------------------------------------------
        self.beat(t("Walk"))
        self.add(*trails)
        self.play(*[FadeIn(c[2]) for c in columns], run_time=0.5)
        verdicts = {key: self._verdict(key, s[key], runs[key]) for key, _ in _REGIMES}
        statuses = [[] for _ in _REGIMES]
        ends = sorted({run.nit for run in runs.values()} | {s["steps"]})
        intro = t("One step per tick in every panel; the counters keep time.")
        for n, end in enumerate(ends):
            segment = clock.animate.set_value(end)
            seconds = (end - clock.get_value()) * self.PACE
            if seconds > 0:
                if n == 0:
                    self.say(intro, segment, run_time=seconds, rate_func=linear)
                else:
                    self.play(segment, run_time=seconds, rate_func=linear)
            for i, (key, _) in enumerate(_REGIMES):
                if runs[key].nit == end:
                    caption, status = verdicts[key]
                    status.next_to(counters[i], DOWN, buff=0.28).align_to(columns[i], LEFT)
                    for line in status:  # a longer (translated) line fits as the panel's name does
                        if line.get_right()[0] > limits[i]:
                            line.scale_to_fit_width(limits[i] - line.get_left()[0], about_edge=LEFT)
                    statuses[i].append(status)
                    self.say(caption, FadeIn(status), run_time=0.6)

        # --- beat 3: the largest safe step ------------------------------------------------------------
        self.beat(t("The largest safe step"))
        good = SurroundingRectangle(VGroup(frames[1], columns[1], *statuses[1]), color=FIT, buff=0.1,
                                    stroke_width=3)
        self.say(t("Too small wastes steps; too large never arrives."), Create(good), run_time=1.0)
        self.say(t("The best rate sits just below where the zig-zags start to grow."))
        self.hold()

    @staticmethod
    def _verdict(key, lr, run):
        """The caption and the on-screen status of one panel, from its trajectory."""
        if run.diverged:  # DIVERGED, or any other way of running away (OUT_OF_BOUNDS, NONFINITE)
            # the panel's counter stops at the last step kept, run.nit: the words count the same steps
            steps = t("{n} steps", n=run.nit) if run.nit != 1 else t("1 step")
            return (t("At η = {lr:g} each step overshoots more: after {steps} the next one ran away.",
                      lr=lr, steps=steps),
                    VGroup(text(t("diverged"), SMALL_SIZE, NUDGE),
                           text(t("after {steps}", steps=steps), SMALL_SIZE, NUDGE))
                    .arrange(DOWN, aligned_edge=LEFT, buff=0.12))
        if run.status is Status.DIVERGING:  # growing at every step, though not yet past the limits
            return (t("At η = {lr:g} each step overshoots more: f grows ×{r:.2f} a step, and still climbs.",
                      lr=lr, r=run.growth),
                    VGroup(text(t("diverging"), SMALL_SIZE, NUDGE),
                           text(t("×{r:.2f} a step", r=run.growth), SMALL_SIZE, NUDGE))
                    .arrange(DOWN, aligned_edge=LEFT, buff=0.12))
        if run.status is Status.CONVERGED:
            words = (t("η = {lr:g} converged in {n} steps.", lr=lr, n=run.nit) if key == "lr_good" else
                     t("η = {lr:g} zig-zags across the valley, yet it converged in {n} steps.", lr=lr, n=run.nit))
            return words, VGroup(text(t("converged"), SMALL_SIZE, FIT), text(t("in {n} steps", n=run.nit), SMALL_SIZE, FIT)) \
                .arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        if key == "lr_zigzag":
            words = (t("η = {lr:g} bounces across the valley; the bounces shrink, but slowly.", lr=lr)
                     if run.to_go is not None else  # no steady shrinking (at |1 − ηλ| = 1 none at all)
                     t("η = {lr:g} bounces across the valley without settling.", lr=lr))
        elif run.to_go is not None and run.to_go <= run.nit:  # more than half way: say how close, not "crawling"
            words = t("η = {lr:g} is nearly there after {n} steps: at this pace about {more} more would do it.",
                      lr=lr, n=run.nit, more=run.to_go)
        else:
            words = t("η = {lr:g} is still crawling after {n} steps: f = {f:.2g}.", lr=lr, n=run.nit, f=run.fun)
        return words, VGroup(text(t("step limit"), SMALL_SIZE, MUTED))


# =====================================================================================================
# Each method keeps its look in every scene: colour, line style and marker (never colour alone).
_LOOKS = {
    "gradient_descent": (N_("gradient descent"), STEP, "solid", "circle", "lr_gd"),
    "momentum": (N_("momentum"), NUDGE, "dashed", "square", "lr_momentum"),
    "nesterov": ("Nesterov", CONSTRAINT, "dotted", "triangle", "lr_nesterov"),
    "rmsprop": ("RMSProp", FUNCTION, "dash-dot", "diamond", "lr_rmsprop"),
    "adam": ("Adam", DATA, "long dash", "star", "lr_adam"),
    "newton": ("Newton", SLOPE, "solid", "hexagon", None),
    "line_search": (N_("line search"), FIT, "short dash", "pentagon", None),
}
# A name that starts a sentence (the other names are names: Nesterov, RMSProp, Adam, Newton).
_SENTENCE_NAMES = {"gradient_descent": N_("Gradient descent"), "momentum": N_("Momentum"),
                   "line_search": N_("Line search")}


def _named(method: str, starts_sentence: bool = False):
    """A method's name in the edition's language."""
    return t(_SENTENCE_NAMES.get(method, _LOOKS[method][0]) if starts_sentence else _LOOKS[method][0])


def _legend_name(name: str, width: float = 2.9):
    """A method's name in a legend; on two lines, broken at the space nearest its middle, when one line is wider
    than ``width`` — the room the scoreboard beside it leaves (English's widest, "gradient descent", is 2.80)."""
    one = text(name, SMALL_SIZE)
    if one.width <= width or " " not in name:
        return one
    cut = min((i for i, c in enumerate(name) if c == " "), key=lambda i: abs(i - len(name) / 2))
    return text(name[:cut] + "\n" + name[cut + 1:], SMALL_SIZE)


def _and(items):
    """"a and b and c", each "and" in the edition's language (the items are messages or names)."""
    joined = items[0]
    for item in items[1:]:
        joined = t("{a} and {b}", a=joined, b=item)
    return joined


_PROPER_NAMES = ("booth", "rosenbrock", "himmelblau", "beale")
_LANDSCAPE_PHRASES = {"bowl": N_("the bowl landscape"), "saddle": N_("the saddle landscape"),
                      "camel": N_("the camel landscape"), "mountains": N_("the mountains landscape")}


def _landscape_phrase(name: str):
    """"the bowl landscape", "the Rosenbrock landscape": a landscape named in a sentence."""
    if name in _LANDSCAPE_PHRASES:
        return t(_LANDSCAPE_PHRASES[name])
    return t("the {name} landscape", name=name.capitalize() if name in _PROPER_NAMES else name)


def _methods_setting(default: str) -> Setting:
    def parse(v):
        names = [m.strip() for m in (v if isinstance(v, (list, tuple)) else str(v).split(",")) if m.strip()]
        for m in names:
            if m not in METHODS:
                raise CalcvizError(f"{m!r} is not one of: {', '.join(METHODS)}")
        if not names or len(set(names)) != len(names):
            raise CalcvizError(f"want one or more different methods, got {v!r}")
        return tuple(names)
    return Setting(default, parse, "comma-separated, from " + ", ".join(METHODS))


def _window_around(paths, domain, pad=0.12):
    """A square part of ``domain`` that holds every iterate lying in it, with a margin: the map to show."""
    (x0, x1), (y0, y1) = domain
    pts = np.concatenate([np.asarray(p, dtype=float) for p in paths])
    pts = pts[(pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)]
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    side = min(max(hi - lo) * (1 + 2 * pad), x1 - x0, y1 - y0)
    cx = float(np.clip((lo[0] + hi[0]) / 2, x0 + side / 2, x1 - side / 2))
    cy = float(np.clip((lo[1] + hi[1]) / 2, y0 + side / 2, y1 - side / 2))
    return ((cx - side / 2, cx + side / 2), (cy - side / 2, cy + side / 2))


def _race_runs(values) -> dict:
    start = _start_of(values)
    runs = {}
    for m in values["methods"]:
        key = _LOOKS[m][4]
        hp = {"lr": values[key]} if key else {}
        runs[m] = minimize(values["landscape"], m, start, steps=values["steps"], **hp)
    return runs


class OptimizerRace(LessonScene):
    """Gradient descent, momentum, Nesterov, RMSProp, Adam and Newton race down one valley.

    manim -qm scenes/descent.py OptimizerRace
    """

    SETTINGS = {
        "landscape": choice("rosenbrock", LANDSCAPES),
        "start": _point_setting(None, "where every run starts, x,y (default: the landscape's start)"),
        "steps": integer(500, 30, 3000, help="the step limit of every run"),
        "methods": _methods_setting("gradient_descent,momentum,nesterov,rmsprop,adam,newton"),
        "lr_gd": number(0.001, 1e-6, 10.0),
        "lr_momentum": number(0.001, 1e-6, 10.0),
        "lr_nesterov": number(0.001, 1e-6, 10.0),
        "lr_rmsprop": number(0.01, 1e-6, 10.0),
        "lr_adam": number(0.1, 1e-6, 10.0),
    }
    SLOW_STEPS = 25   # the first steps play at SLOW seconds per step ...
    SLOW = 0.2
    SPEEDUP = 10      # ... the rest ten times faster, with a "×10" marker on screen

    @classmethod
    def check_settings(cls, values):
        _start_of(values)

    def construct(self):
        s = self.settings
        land = landscape(s["landscape"])
        runs = _race_runs(s)
        steps = s["steps"]
        clock = ValueTracker(0)

        # --- beat 1: the valley ------------------------------------------------------------------
        self.beat(t("The valley"))
        heading = title(t("An optimizer race"))
        window = _window_around([run.points for run in runs.values()], land.domain)
        axes = plane_axes(window, VIEW_SIDE, LEFT_VIEW, numbers=False)
        box = plane_frame(axes)
        contours = contour_map(axes, landscape_contours(land, count=12, n=201, domain=window), stroke_width=1.5)
        contours.set_stroke(opacity=0.7)
        start = Dot(axes.c2p(*runs[s["methods"][0]].points[0]), color=INK, radius=0.07)
        goal = Circle(radius=0.12, color=INK, stroke_width=3).move_to(axes.c2p(*land.global_minimum))
        legend = VGroup()
        for m in s["methods"]:
            name, color, style, marker, _ = _LOOKS[m]
            legend.add(VGroup(_style_sample(style, color, marker), _legend_name(_named(m))).arrange(RIGHT, buff=0.2))
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        counter = Readout(_tex_words(t("step")), 0, 0)
        counter.number.add_updater(lambda m: m.set_value(int(np.floor(clock.get_value() + 1e-9))))
        panel = VGroup(counter, legend).arrange(DOWN, aligned_edge=LEFT, buff=0.5)
        panel.next_to(box, RIGHT, buff=0.3).align_to(box, UP)
        x_min = land.global_minimum
        self.play(Write(heading), Create(box), FadeIn(contours), run_time=1.2)
        self.say(t("All {n} optimizers start from the same point of {land}.", n=len(runs),
                   land=_landscape_phrase(land.name)),
                 FadeIn(start), FadeIn(legend), run_time=1.0)
        self.say(t("The ring marks the minimum at ({x:g}, {y:g}), at the end of a long curved valley.",
                   x=x_min[0], y=x_min[1]), Create(goal), run_time=1.0)

        # --- beat 2: the race -----------------------------------------------------------------------
        self.beat(t("The race"))
        trails = []
        for m, run in runs.items():
            _, color, style, marker, _ = _LOOKS[m]
            trails.append(_Trail(axes, run, window, clock, color, style, marker))
        self.add(*trails)
        self.play(FadeIn(counter), run_time=0.5)
        slow = min(self.SLOW_STEPS, steps)
        first = t("Everyone takes one step per tick.")
        if "newton" in runs and runs["newton"].status is Status.CONVERGED:
            first = t("Everyone takes one step per tick. Newton also uses the curvature: it converges in {n} steps.",
                      n=runs["newton"].nit)
        self.say(first, clock.animate.set_value(slow),
                 run_time=slow * self.SLOW, rate_func=linear)
        if steps > slow:
            fast = text(t("×{speedup}", speedup=self.SPEEDUP), TEXT_SIZE, NUDGE).next_to(counter, RIGHT, buff=0.5)
            self.play(FadeIn(fast), run_time=0.4)
            self.say(t("Now {speedup} times faster, up to the step limit of {limit}.", speedup=self.SPEEDUP, limit=steps),
                     clock.animate.set_value(steps), run_time=(steps - slow) * self.SLOW / self.SPEEDUP,
                     rate_func=linear)
            self.play(FadeOut(fast), run_time=0.4)
        ranked = sorted(runs.items(), key=lambda kv: kv[1].fun)
        best, worst = ranked[0], ranked[-1]
        self.say(t("{winner} got lowest: f = {low:.2g}. {loser} is still highest: f = {high:.2g}.",
                   winner=_named(best[0], starts_sentence=True), low=best[1].fun,
                   loser=_named(worst[0], starts_sentence=True), high=worst[1].fun))

        # --- beat 3: the scoreboard --------------------------------------------------------------------
        self.beat(t("Scoreboard"))
        head = VGroup(text(t("steps"), SMALL_SIZE, MUTED), text(t("final f"), SMALL_SIZE, MUTED))
        cells = []
        for m, run in runs.items():
            done = run.status is Status.CONVERGED
            cells.append(VGroup(tex(tex_number(run.nit, "d"), LABEL_SIZE, FIT if done else MUTED),
                                tex(_sci(run.fun), LABEL_SIZE)))
        x_steps = max(row.get_right()[0] for row in legend) + 0.3
        width_steps = max(c[0].width for c in cells + [head])
        for row, c in zip(legend, cells):
            c[0].move_to(row).set_x(x_steps + width_steps, direction=RIGHT)
            c[1].move_to(row).set_x(x_steps + width_steps + 0.28, direction=LEFT)

        head[0].set_x(x_steps + width_steps, direction=RIGHT).next_to(legend, UP, buff=0.3, coor_mask=UP)
        head[1].set_x(x_steps + width_steps + 0.28, direction=LEFT).align_to(head[0], DOWN)
        converged = [(m, run.nit) for m, run in runs.items() if run.status is Status.CONVERGED]
        if converged:
            names = _and([t("{name} in {n} steps", name=_named(m), n=k) for m, k in converged])
            done_caption = t("Converged within the limit: {names}.", names=names)
        else:
            done_caption = t("No method converged within {limit} steps.", limit=steps)
        stuck = [_named(m) for m, run in runs.items() if run.status is Status.STATIONARY]
        if stuck:  # flat ground that is no valley: not a win, whatever the step count
            done_caption = t("{done} {names} stopped on a flat spot, not a valley.", done=done_caption,
                             names=_and(stuck))
        self.say(done_caption, FadeOut(counter), FadeIn(head), *[FadeIn(c[0]) for c in cells], run_time=1.0)
        self.say(t("The final heights show how far along the valley the others got."),
                 *[FadeIn(c[1]) for c in cells], run_time=1.0)
        self.hold()


# =====================================================================================================
def _axis_range(lo, hi, ticks=4):
    """[lo, hi, step] with a round step and round ends around the values."""
    raw = (hi - lo) / ticks
    mag = 10 ** np.floor(np.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [float(np.floor(lo / step) * step), float(np.ceil(hi / step) * step), float(step)]


def _decimals(step: float) -> int:
    """Decimal places that show every tick of a round step exactly (1 → 0, 0.5 → 1, 0.25 → 2)."""
    return next(d for d in range(6) if abs(round(step, d) - step) < 1e-9)


def _edge_scales(plot, x_range, y_range) -> VGroup:
    """Tick numbers along the bottom and left edges of a plot, clear of a curve through its middle."""
    (x0, x1, dx), (y0, y1, dy) = x_range, y_range
    xs = [tex(tex_number(v, f".{_decimals(dx)}f"), TICK_SIZE, MUTED).next_to(plot.c2p(v, y0), DOWN, buff=0.15)
          for v in np.arange(x0, x1 + dx / 2, dx)]
    ys = [tex(tex_number(v, f".{_decimals(dy)}f"), TICK_SIZE, MUTED).next_to(plot.c2p(x0, v), LEFT, buff=0.15)
          for v in np.arange(y0, y1 + dy / 2, dy)]
    return VGroup(*xs, *ys)


def _check_lagrange(values):
    land = landscape(values["landscape"])
    best = lagrange(land, values["constraint"], values["kind"])
    (x0, x1), (y0, y1) = land.domain
    if not (x0 <= best.point[0] <= x1 and y0 <= best.point[1] <= y1):
        raise CalcvizError(f"the constrained {values['kind']}imum {np.round(best.point, 3).tolist()} is off the "
                           f"map of {land.name}")
    return best


class LagrangeMultipliers(LessonScene):
    """On a constraint curve the best point is where ∇f and ∇g align: ∇f = λ∇g.

    manim -qm scenes/descent.py LagrangeMultipliers
    """

    SETTINGS = {
        "landscape": choice("bowl", LANDSCAPES),
        "constraint": choice("line", CONSTRAINTS),
        "kind": choice("min", ("min", "max")),
    }
    ARROW = 1.1  # scene units: ∇f's arrow while walking (∇g's is 0.75); both show directions only

    @classmethod
    def check_settings(cls, values):
        _check_lagrange(values)

    def construct(self):
        s = self.settings
        land, curve = landscape(s["landscape"]), constraint(s["constraint"])
        best = _check_lagrange(s)
        trace = best.trace
        part = visible_run(trace.points, land.domain)
        # (not ``trace.t[part]``: Babel's extractor reads a name ``t`` followed by ``[`` as a call of t())
        pts, ts, fs = (a[part] for a in (trace.points, trace.t, trace.values))
        gf, gg = trace.grad_f[part], trace.grad_g[part]
        n = len(ts)
        stop = int(np.argmin(np.abs(ts - best.t)))

        # --- beat 1: a curve to stay on ------------------------------------------------------------
        self.beat(t("A curve to stay on"))
        heading = title(t("Lagrange multipliers"))
        axes = fitted_axes(land.domain, VIEW_SIDE, VIEW_SIDE, LEFT_VIEW)
        box = plane_frame(axes)
        contours = contour_map(axes, landscape_contours(land, count=10, n=201), stroke_width=2)
        contours.set_stroke(opacity=0.75)
        road = VMobject(stroke_color=CONSTRAINT, stroke_width=5).set_points_as_corners(
            [axes.c2p(*p) for p in pts])

        lo, hi = float(fs.min()), float(fs.max())
        x_range, y_range = _axis_range(ts[0], ts[-1], 4), _axis_range(lo, hi, 3)
        plot = function_axes(x_range, y_range, 5.2, 2.2, numbers=False)
        corner = plot.c2p(x_range[0], y_range[0])  # the plot's lower-left corner: the scales go along its edges
        plot.shift(np.array([box.get_right()[0] + 1.1, 0.25, 0.0]) - corner)
        scales = _edge_scales(plot, x_range, y_range)
        t_label = tex("t", color=MUTED).next_to(plot.c2p(x_range[1], y_range[0]), RIGHT, buff=0.2)
        f_label = text(t("f along the curve"), SMALL_SIZE, FUNCTION).next_to(plot, UP, buff=0.2)
        f_label.align_to(scales, LEFT)
        f_curve = VMobject(stroke_color=FUNCTION, stroke_width=4).set_points_as_corners(
            [plot.c2p(t, f) for t, f in zip(ts, fs)])

        key_f = VGroup(Arrow(ORIGIN, 0.7 * RIGHT, buff=0, color=SLOPE, stroke_width=5), tex(r"\nabla f", color=SLOPE))
        key_g = VGroup(Arrow(ORIGIN, 0.7 * RIGHT, buff=0, color=CONSTRAINT, stroke_width=5),
                       tex(r"\nabla g", color=CONSTRAINT))
        key_c = VGroup(Line(ORIGIN, 0.7 * RIGHT, color=CONSTRAINT, stroke_width=5), tex(f"g = 0:\\ {curve.tex}",
                                                                                          color=CONSTRAINT))
        for k in (key_f, key_g, key_c):
            k.arrange(RIGHT, buff=0.25)
        keys = VGroup(key_c, VGroup(key_f, key_g).arrange(RIGHT, buff=0.6)).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        keys.next_to(scales, DOWN, buff=0.45).align_to(f_label, LEFT)

        lowest = s["kind"] == "min"
        self.play(Write(heading), Create(box), FadeIn(contours), run_time=1.2)
        self.say(t("Find the lowest point of this landscape, but only among points on a curve g = 0.") if lowest else
                 t("Find the highest point of this landscape, but only among points on a curve g = 0."),
                 Create(road), FadeIn(key_c), run_time=1.5)

        # --- beat 2: walk the curve -------------------------------------------------------------------
        self.beat(t("Walk the curve"))
        where = ValueTracker(0)
        reveal = ValueTracker(0)

        def i():
            return int(np.clip(round(where.get_value()), 0, n - 1))

        def arrow(vectors, length, color):
            v = vectors[i()]
            u = np.array([v[0], v[1], 0.0]) / max(np.linalg.norm(v), 1e-12)
            p = axes.c2p(*pts[i()])
            return Arrow(p, p + length * u, buff=0, color=color, stroke_width=5, max_tip_length_to_length_ratio=0.3)

        g_arrow = always_redraw(lambda: arrow(gg, 0.75 * self.ARROW, CONSTRAINT))
        f_arrow = always_redraw(lambda: arrow(gf, self.ARROW, SLOPE))
        walker = always_redraw(lambda: Dot(axes.c2p(*pts[i()]), color=INK, radius=0.08))
        traced = f_curve.copy()
        traced.add_updater(lambda m: m.pointwise_become_partial(f_curve, 0, max(reveal.get_value(), 1e-4)))
        plot_dot = always_redraw(lambda: Dot(plot.c2p(ts[i()], fs[i()]), color=FUNCTION, radius=0.08))
        readout = Readout("f =", fs[0], 3, FUNCTION)
        readout.number.add_updater(lambda m: m.set_value(fs[i()]))
        readout.next_to(keys, DOWN, buff=0.4).align_to(keys, LEFT)

        self.say(t("Walk along the curve and record f as we go."),
                 Create(plot), FadeIn(scales), FadeIn(t_label), FadeIn(f_label), FadeIn(walker), FadeIn(plot_dot), run_time=1.2)
        self.add(traced)
        self.say(t("∇f points uphill. ∇g stands square to the curve. The arrows show directions only."),
                 FadeIn(g_arrow), FadeIn(f_arrow), FadeIn(key_f), FadeIn(key_g), FadeIn(readout), run_time=1.0)
        self.say(t("Wherever ∇f leans along the curve, a step along the curve changes f."),
                 where.animate.set_value(n - 1), reveal.animate.set_value(1), run_time=6, rate_func=linear)

        # --- beat 3: the gradients align ------------------------------------------------------------------
        self.beat(t("The gradients align"))
        self.say(t("Walk back to where f is lowest: there the arrows line up.") if lowest else
                 t("Walk back to where f is highest: there the arrows line up."),
                 where.animate.set_value(stop), run_time=3 * (n - 1 - stop) / (n - 1) + 1)
        level = contour_map(axes, landscape_contours(land, levels=[best.value], n=301), stroke_width=3)
        level.set_stroke(color=FIT)
        found = Dot(plot.c2p(best.t, best.value), color=FIT, radius=0.09)
        self.say(t("The level curve of f through this point just touches the constraint."), Create(level),
                 FadeIn(found), run_time=1.2)

        # the arrows drawn to scale: ∇f is λ times ∇g
        p = axes.c2p(*best.point)
        scale = 1.4 / max(np.linalg.norm(best.grad_f), np.linalg.norm(best.grad_g))
        # ∇g is drawn wide underneath, ∇f thin on top, so both stay visible where they coincide
        to_scale = [Arrow(p, p + scale * np.array([*v, 0.0]), buff=0, color=c, stroke_width=w,
                          max_tip_length_to_length_ratio=0.25, max_stroke_width_to_length_ratio=12)
                    for v, c, w in ((best.grad_g, CONSTRAINT, 11), (best.grad_f, SLOPE, 4))]
        for a in (g_arrow, f_arrow):
            a.clear_updaters()
        equation = tex(r"\nabla f = \lambda\,\nabla g").next_to(readout, DOWN, buff=0.35).align_to(readout, LEFT)
        lam = Readout(r"\lambda =", best.multiplier, 3, INK).next_to(equation, RIGHT, buff=0.6)
        self.say(t("Drawn to scale, ∇f is {lam:.3g} times ∇g: ∇f = λ∇g with λ = {lam:.3g}.", lam=best.multiplier),
                 Transform(g_arrow, to_scale[0]), Transform(f_arrow, to_scale[1]), FadeIn(equation), FadeIn(lam),
                 run_time=1.2)
        self.say(t("λ, the Lagrange multiplier, says how fast the best value moves if the constraint is loosened."))
        self.hold()

