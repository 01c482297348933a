"""Lesson 2 — Gradients: the compass. Partial derivatives, the gradient and the Jacobian.

Render one scene:  manim -qm scenes/gradients.py GradientCompass
"""
from __future__ import annotations

import numpy as np
from manim import (
    config,
    DEGREES, DOWN, LEFT, ORIGIN, OUT, RIGHT, UP, Arrow, ChangeDecimalToValue, Circumscribe, Create, DashedLine,
    DashedVMobject, Dot, FadeIn, FadeOut, GrowArrow, LaggedStart, Line, Polygon, Rectangle, ReplacementTransform,
    RightAngle, Sphere, Square, Surface, ThreeDAxes, Transform, ValueTracker, VGroup, VMobject, Write, always_redraw,
    linear,
)

from calcviz import numdiff
from calcviz.approximation import newton_raphson, quadratic_approximation, taylor
from calcviz.contours import contour_lines, landscape_contours
from calcviz.derivatives import derivative_curve
from calcviz.errors import CalcvizError
from calcviz.functions import FUNCTIONS, function
from calcviz.landscapes import LANDSCAPES, compass, critical_kind, landscape, principal_curvatures
from calcviz.maps import local_linearity, square_outline, warp
from scenes.kit.style import (
    CONSTRAINT, FIT, FUNCTION, HEIGHT_COLORS, INK, LABEL_SIZE, LEFT_VIEW, MUTED, NUDGE, PANEL, RIGHT_VIEW,
    SLOPE, SMALL_SIZE, STEP, VIEW_SIDE, tex, text, title,
)
from scenes.kit.draw import (
    Readout, attach, clipped_line, contour_map, curve_inside, exempt, function_axes, number_tex, path_through,
    plane_axes, plane_frame, table_of,
)
from scenes.kit.settings import choice, integer, number
from scenes.kit.i18n import N_, localise_digits, t, t_tex, tex_number
from scenes.kit.lesson import LessonScene, LessonThreeDScene
from scenes.kit.surface import StillShadedCamera, bake_shading


def _check_point(values):
    (x0, x1), (y0, y1) = landscape(values["landscape"]).domain
    if not (x0 < values["x"] < x1 and y0 < values["y"] < y1):
        raise CalcvizError(f"setting x, y: ({values['x']:g}, {values['y']:g}) is outside the domain "
                           f"[{x0:g}, {x1:g}] × [{y0:g}, {y1:g}] of {values['landscape']}")


def _tick_step(span: float, most: int = 8) -> float:
    """One unit between ticks, or the smallest 1-2-5 step that keeps them to ``most`` over ``span``."""
    if span <= most:
        return 1
    base = 10 ** np.floor(np.log10(span / most))
    return float(next(m * base for m in (1, 2, 5, 10) if span / (m * base) <= most))


def _height_scale(z_lo, z_hi):
    """Viridis pivots spread over the landscape's heights, for ``Surface.set_fill_by_value``."""
    return [(c, z_lo + (z_hi - z_lo) * k / (len(HEIGHT_COLORS) - 1)) for k, c in enumerate(HEIGHT_COLORS)]


# Words from the core shown on screen, marked here (the core's names stay identifiers): ``t(...)`` where shown.
LANDSCAPE_NAMES = {  # TRANSLATORS: the names of the landscapes (test functions of two variables)
    "bowl": N_("bowl"), "saddle": N_("saddle"), "booth": N_("booth"), "rosenbrock": N_("rosenbrock"),
    "himmelblau": N_("himmelblau"), "beale": N_("beale"), "camel": N_("camel"), "mountains": N_("mountains"),
}
SHAPES = {  # TRANSLATORS: the shape of a quadratic q, after "q is a"
    "bowl": N_("bowl"), "dome": N_("dome"), "saddle": N_("saddle"), "flat": N_("flat"),
}
STATUS_NAMES = {  # TRANSLATORS: how a run ended, shown in capitals after "status:"
    "CONVERGED": N_("CONVERGED"), "STATIONARY": N_("STATIONARY"), "MAX_STEPS": N_("MAX_STEPS"),
    "DIVERGING": N_("DIVERGING"), "DIVERGED": N_("DIVERGED"), "OUT_OF_BOUNDS": N_("OUT_OF_BOUNDS"),
    "NONFINITE": N_("NONFINITE"),
}
STATUS_WORDS = {  # TRANSLATORS: how a run ended, in words (calcviz.result.Status)
    "converged": N_("converged"),
    "stopped at a flat spot that is not a minimum": N_("stopped at a flat spot that is not a minimum"),
    "hit the step limit": N_("hit the step limit"),
    "still growing at the step limit: diverging": N_("still growing at the step limit: diverging"),
    "diverged": N_("diverged"),
    "left the sane range of its parameters": N_("left the sane range of its parameters"),
    "hit a non-finite value": N_("hit a non-finite value"),
}


def _pair(x: str, y: str, spaced: bool = False, sized: bool = False) -> str:
    """Two numbers already written as TeX, as a pair "(x, y)" for MathTex. An edition with a decimal comma
    separates the two with a semicolon ("(1,23; 0,16)"), so its catalogue says how."""
    if sized:
        # TRANSLATORS: a vector of two numbers in TeX; with a decimal comma separate them by a semicolon
        return t_tex(r"\left({x},\ {y}\right)", x=x, y=y)
    if spaced:
        # TRANSLATORS: a point's two coordinates in TeX; with a decimal comma separate them by a semicolon
        return t_tex(r"({x},\ {y})", x=x, y=y)
    # TRANSLATORS: a point's two coordinates in TeX; with a decimal comma separate them by a semicolon
    return t_tex(r"({x}, {y})", x=x, y=y)


def _word(table: dict[str, str], key: str) -> str:
    """A core's word in the edition's language (a word the table lacks is shown as it is)."""
    return t(table[key]) if key in table else key


def _polyline(points, color, stroke_width=4.0, smooth=True) -> VMobject:
    path = VMobject(stroke_color=color, stroke_width=stroke_width)
    if smooth:
        path.set_points_smoothly(list(points))
    else:
        path.set_points_as_corners(list(points))
    return path


# --- 1. partial derivatives as slopes of slices ----------------------------------------------------
class PartialDerivativeSlices(LessonThreeDScene):
    """Cut the surface along x and along y: the slopes of the two slices are ∂f/∂x and ∂f/∂y.

    manim -qm scenes/gradients.py PartialDerivativeSlices
    """

    SETTINGS = {
        "landscape": choice("mountains", LANDSCAPES),
        "x": number(1.0, help="the point's x"),
        "y": number(-0.5, help="the point's y"),
        "zoom": number(2.5, 0.5, 10, help="half-width of the window around the point that is drawn"),
        "resolution": integer(28, 8, 48, help="surface faces per side"),
    }
    check_settings = staticmethod(_check_point)
    PHI, THETA = 62 * DEGREES, -58 * DEGREES
    SCREEN_SHIFT = 2.85  # the surface sits this far left of centre, the readouts on the right
    SCREEN_LIFT = -0.6
    COLUMN = np.array([2.3, 2.6, 0.0])  # top-left corner of the text column

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("camera_class", StillShadedCamera)  # the camera stands still: keep the surface's picture
        super().__init__(*args, **kwargs)

    def construct(self):
        s = self.settings
        land = landscape(s["landscape"])
        p = np.array([s["x"], s["y"]])
        z0 = land.value(p)
        fx, fy = land.grad(p)
        check = numdiff.gradient(land.value, p)
        window = self._window(land.domain, p, s["zoom"])
        (x_lo, x_hi), (y_lo, y_hi) = window
        X, Y, Z = land.on_grid(61, window)
        z_lo, z_hi = float(Z.min()), float(Z.max())
        xs = np.linspace(x_lo, x_hi, 121)
        ys = np.linspace(y_lo, y_hi, 121)
        along_x = land.f(xs, np.full_like(xs, p[1]))   # the slice y = p_y: f as a function of x
        along_y = land.f(np.full_like(ys, p[0]), ys)   # the slice x = p_x: f as a function of y

        # ticks one unit apart, or a 1-2-5 step when that would be more than eight (booth, beale: heights in
        # the hundreds or thousands would be thousands of ticks)
        axes = ThreeDAxes(x_range=[x_lo, x_hi, _tick_step(x_hi - x_lo)], y_range=[y_lo, y_hi, _tick_step(y_hi - y_lo)],
                          z_range=[z_lo, z_hi, _tick_step(z_hi - z_lo)],
                          x_length=5.4, y_length=5.4, z_length=2.6,
                          axis_config={"color": MUTED, "stroke_width": 2, "include_tip": False})
        right = np.array([-np.sin(self.THETA), np.cos(self.THETA), 0.0])  # screen-right in world coordinates
        axes.shift(-self.SCREEN_SHIFT * right + self.SCREEN_LIFT * OUT)
        self.set_camera_orientation(phi=self.PHI, theta=self.THETA)
        # the surface's corners as the camera sees them: a landscape tall where the default is low (the bowl's
        # far corner) would reach past the frame's left edge, so slide the picture in along screen-right/up
        self._fit_in_frame(axes, [axes.c2p(x, y, z) for x, y, z in zip(X.ravel(), Y.ravel(), Z.ravel())], right)
        surface = Surface(lambda u, v: axes.c2p(u, v, land.f(u, v)), u_range=[x_lo, x_hi], v_range=[y_lo, y_hi],
                          resolution=(int(s["resolution"]),) * 2, fill_opacity=0.85, stroke_width=0.4,
                          stroke_color=MUTED, checkerboard_colors=False)
        surface.set_fill_by_value(axes=axes, colorscale=_height_scale(z_lo, z_hi), axis=2)
        # The camera stands still: shade the point once and draw it as plain mobjects, over the surface and
        # under the planes and slices as the camera drew it (shaded faces first in each layer), without
        # putting it into the redrawn layer of every animation after it (z_index 5 did, via the depth sort).
        point = bake_shading(Sphere(axes.c2p(*p, z0), radius=0.09, resolution=(8, 8)).set_color(INK),
                             self.renderer.camera)

        # --- beat 1: the landscape ------------------------------------------------------------------
        self.beat(t("A landscape"))
        heading = title(t("Partial derivatives"))
        formula = tex("z = f(x, y)", color=FUNCTION)
        where = tex(r"(x, y) = " + _pair(tex_number(p[0]), tex_number(p[1]), spaced=True), color=INK)
        head_block = VGroup(formula, where).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        head_block.move_to(self.COLUMN, aligned_edge=UP + LEFT)
        self.add_fixed_in_frame_mobjects(heading)
        self.play(Write(heading), Create(axes), run_time=1.2)
        self.add_fixed_in_frame_mobjects(formula)
        self.say(t("A function of two inputs is a landscape: above each point sits a height."),
                 Create(surface), FadeIn(formula), run_time=2.0)
        self.add_fixed_in_frame_mobjects(where)
        self.say(t("Stand at one point. How steep is the ground here?"), FadeIn(point), FadeIn(where), run_time=1.0)

        # --- beat 2: slice along x ------------------------------------------------------------------
        self.beat(t("Slice along x"))
        plane_y = self._plane(axes, [(x_lo, p[1], z_lo), (x_hi, p[1], z_lo), (x_hi, p[1], z_hi), (x_lo, p[1], z_hi)])
        slice_x = _polyline([axes.c2p(x, p[1], z) for x, z in zip(xs, along_x)], FUNCTION, 5).set_z_index(3)
        reach = 1.3
        tangent_x = Line(axes.c2p(p[0] - reach, p[1], z0 - reach * fx), axes.c2p(p[0] + reach, p[1], z0 + reach * fx),
                         color=SLOPE, stroke_width=6).set_z_index(4)
        key_x = self._key(FUNCTION, t_tex(r"y = {y:g}\ \text{{fixed}}", y=p[1]))
        key_x.next_to(head_block, DOWN, buff=0.6).align_to(head_block, LEFT)
        dfdx = Readout(r"\partial f / \partial x =", fx, 3, SLOPE, sign=True)
        dfdx.next_to(key_x, DOWN, buff=0.3).align_to(key_x, LEFT)
        self.say(t("Hold y fixed at {y:g} and cut the landscape with that plane.", y=p[1]),
                 FadeIn(plane_y), run_time=1.2)
        self.add_fixed_in_frame_mobjects(key_x)
        self.say(t("The cut is an ordinary curve: f as a function of x alone."),
                 Create(slice_x), FadeIn(key_x), run_time=1.5)
        self.add_fixed_in_frame_mobjects(dfdx)
        self.say(t("Its tangent's slope is the partial derivative with respect to x: {fx:.2f}.", fx=fx),
                 Create(tangent_x), FadeIn(dfdx), run_time=1.2)

        # --- beat 3: slice along y ------------------------------------------------------------------
        self.beat(t("Slice along y"))
        plane_x = self._plane(axes, [(p[0], y_lo, z_lo), (p[0], y_hi, z_lo), (p[0], y_hi, z_hi), (p[0], y_lo, z_hi)])
        slice_y = _polyline([axes.c2p(p[0], y, z) for y, z in zip(ys, along_y)], CONSTRAINT, 5).set_z_index(3)
        tangent_y = Line(axes.c2p(p[0], p[1] - reach, z0 - reach * fy), axes.c2p(p[0], p[1] + reach, z0 + reach * fy),
                         color=SLOPE, stroke_width=6).set_z_index(4)
        key_y = self._key(CONSTRAINT, t_tex(r"x = {x:g}\ \text{{fixed}}", x=p[0]))
        key_y.next_to(dfdx, DOWN, buff=0.5).align_to(dfdx, LEFT)
        dfdy = Readout(r"\partial f / \partial y =", fy, 3, SLOPE, sign=True)
        dfdy.next_to(key_y, DOWN, buff=0.3).align_to(key_y, LEFT)
        self.play(FadeOut(plane_y), run_time=0.6)
        self.play(FadeIn(plane_x), run_time=0.8)
        self.add_fixed_in_frame_mobjects(key_y)
        self.say(t("Now hold x fixed at {x:g} and cut the other way: f as a function of y alone.", x=p[0]),
                 Create(slice_y), FadeIn(key_y), run_time=1.5)
        self.add_fixed_in_frame_mobjects(dfdy)
        self.say(t("Its slope is the partial derivative with respect to y: {fy:.2f}.", fy=fy),
                 Create(tangent_y), FadeIn(dfdy), run_time=1.2)

        # --- beat 4: the gradient -------------------------------------------------------------------
        self.beat(t("The gradient"))
        grad = tex(r"\nabla f = " + _pair(tex_number(fx, ".3f"), tex_number(fy, ".3f"), sized=True), LABEL_SIZE, SLOPE)
        numeric = VGroup(text(t("central differences:"), SMALL_SIZE, MUTED),
                         tex(r"\approx " + _pair(tex_number(check[0], ".3f"), tex_number(check[1], ".3f"), sized=True),
                             LABEL_SIZE, MUTED))
        numeric.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        block = VGroup(grad, numeric).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        block.next_to(dfdy, DOWN, buff=0.6).align_to(dfdy, LEFT)
        self.play(FadeOut(plane_x), run_time=0.6)
        self.add_fixed_in_frame_mobjects(grad)
        self.say(t("Put the two slopes together in one arrow: the gradient."), FadeIn(grad), run_time=1.0)
        self.add_fixed_in_frame_mobjects(numeric)
        self.say(t("Central differences on a computer give the same two numbers."),
                 FadeIn(numeric), run_time=1.0)
        self.hold()

    def _fit_in_frame(self, axes, points, right, margin=0.32):
        """Shift ``axes`` so that ``points`` (drawn through it) project inside the frame, left of the text column.

        A shift along screen-right moves the picture sideways and one along OUT moves it up; both are nearly
        uniform at this camera's distance, so a few rounds settle it. The default landscape needs no shift."""
        camera = self.renderer.camera
        camera.reset_rotation_matrix()  # the camera caches its turn until it next draws: take the new one now
        points = np.asarray(points, dtype=float)
        up = OUT / np.sin(self.PHI)
        x_min, x_max = -config.frame_width / 2 + margin, self.COLUMN[0] - 0.2
        y_min, y_max = -config.frame_height / 2 + margin, config.frame_height / 2 - margin
        moved = np.zeros(3)
        for _ in range(4):
            seen = camera.project_points(points + moved)
            dx = max(x_min - seen[:, 0].min(), 0) - max(seen[:, 0].max() - x_max, 0)
            dy = max(y_min - seen[:, 1].min(), 0) - max(seen[:, 1].max() - y_max, 0)
            if abs(dx) < 1e-3 and abs(dy) < 1e-3:
                break
            moved += dx * right + dy * up
        axes.shift(moved)

    @staticmethod
    def _window(domain, p, half):
        """The square of half-width ``half`` around p, slid inside the landscape's domain."""
        out = []
        for (lo, hi), c in zip(domain, p):
            w = min(half, (hi - lo) / 2)
            c = min(max(c, lo + w), hi - w)
            out.append((c - w, c + w))
        return tuple(out)

    @staticmethod
    def _plane(axes, corners) -> Polygon:
        return Polygon(*[axes.c2p(*c) for c in corners], stroke_color=INK, stroke_width=1.5,
                       fill_color=INK, fill_opacity=0.14).set_z_index(2)

    @staticmethod
    def _key(color, label) -> VGroup:
        """A legend entry: a short stroke in the slice's colour and what was held fixed."""
        swatch = Line(ORIGIN, 0.6 * RIGHT, color=color, stroke_width=6)
        return VGroup(swatch, tex(label, LABEL_SIZE, color)).arrange(RIGHT, buff=0.25)


OPAQUE_DISC = "sits on the compass's opaque panel disc, which hides the contour lines beneath it"


# --- 2. the gradient as a compass ------------------------------------------------------------------
class GradientCompass(LessonScene):
    """Turn a unit direction u around a point: the slope ∇f·u is largest along ∇f, zero along the contour.

    manim -qm scenes/gradients.py GradientCompass
    """

    SETTINGS = {
        "landscape": choice("mountains", LANDSCAPES),
        "x": number(1.0, help="the point's x"),
        "y": number(-0.5, help="the point's y"),
        "arrow_scale": number(0.4, 0.01, 10, help="gradient arrows are drawn at this multiple of their length"),
        "arrows": integer(10, 4, 16, help="gradient arrows per side of the grid"),
    }
    NEEDLE = 0.15  # the dial needle's drawn length, as a share of the map's longer side (u itself has length 1)
    LONGEST = 0.2  # the longest arrow of the field, as a share of the map's shorter side
    SHORTEST = 0.2  # the gradient arrow at the point, at least this share of the needle

    @classmethod
    def check_settings(cls, values):
        _check_point(values)
        land = landscape(values["landscape"])
        (x_lo, x_hi), (y_lo, y_hi) = land.domain
        p = np.array([values["x"], values["y"]])
        needle = cls.NEEDLE * max(x_hi - x_lo, y_hi - y_lo)
        room = 1.45 * needle  # the compass's backing disc
        if min(p[0] - x_lo, x_hi - p[0], p[1] - y_lo, y_hi - p[1]) < room:
            raise CalcvizError(f"setting x, y: the compass around ({p[0]:g}, {p[1]:g}) needs {room:.2g} of room "
                               f"to every edge of the map [{x_lo:g}, {x_hi:g}] × [{y_lo:g}, {y_hi:g}] of "
                               f"{values['landscape']}")
        steepest = float(np.hypot(*land.grad(cls._grid(land, int(values["arrows"]))).T).max())
        here = float(np.hypot(*land.grad(p)))
        most = cls.LONGEST * min(x_hi - x_lo, y_hi - y_lo) / steepest   # the largest scale that keeps arrows short
        least = cls.SHORTEST * needle / max(here, 1e-12)                 # the smallest that shows ∇f at the point
        if least > most:
            raise CalcvizError(f"setting landscape: on {values['landscape']} the gradient at ({p[0]:g}, {p[1]:g}) "
                               f"is {here:.3g} long and elsewhere up to {steepest:.3g}: no one arrow scale draws "
                               f"both; pick a steeper point")
        if not least <= values["arrow_scale"] <= most:
            raise CalcvizError(f"setting arrow_scale: {values['arrow_scale']:g} draws the arrows of "
                               f"{values['landscape']} {'too long for the map' if values['arrow_scale'] > most else 'too short to see at the point'}; "
                               f"use a value from {least:.2g} to {most:.2g}")

    @staticmethod
    def _grid(land, n):
        """The n × n points where the field's arrows stand, inside the map."""
        (x_lo, x_hi), (y_lo, y_hi) = land.domain
        gx = np.linspace(x_lo, x_hi, n + 2)[1:-1]
        gy = np.linspace(y_lo, y_hi, n + 2)[1:-1]
        return np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)

    def construct(self):
        s = self.settings
        land = landscape(s["landscape"])
        p = np.array([s["x"], s["y"]])
        dial = compass(land, p)
        needle_length = self.NEEDLE * max(np.ptp(land.domain[0]), np.ptp(land.domain[1]))
        contours = landscape_contours(land, count=12)
        level_curve = landscape_contours(land, levels=[land.value(p)])
        (x_lo, x_hi), (y_lo, y_hi) = land.domain
        grid = self._grid(land, int(s["arrows"]))
        field = land.grad(grid)
        scale = s["arrow_scale"]
        degrees = np.degrees(dial.angles)

        # --- beat 1: the gradient field ------------------------------------------------------------
        self.beat(t("The gradient field"))
        heading = title(t("The gradient is a compass"))
        axes = plane_axes(land.domain, VIEW_SIDE, LEFT_VIEW, numbers=False)
        contour_lines = contour_map(axes, contours)
        arrows = VGroup()
        for q, g in zip(grid, field):
            if np.hypot(*g) * scale < 0.08:
                continue  # too short to draw as an arrow: the ground is flat here
            arrows.add(Arrow(axes.c2p(*q), axes.c2p(*(q + scale * g)), buff=0, color=SLOPE, stroke_width=3,
                             max_tip_length_to_length_ratio=0.35, max_stroke_width_to_length_ratio=8))
        scale_note = tex(t_tex(r"\text{{arrows: }} {scale:g}\,\nabla f", scale=scale), LABEL_SIZE, SLOPE)
        scale_note.next_to(axes, UP, buff=0.15).align_to(axes, RIGHT)
        border = Rectangle(width=axes.x_length, height=axes.y_length, color=MUTED, stroke_width=2).move_to(axes)
        self.play(Write(heading), Create(border), run_time=1.0)
        self.say(t("Seen from above, the landscape is a contour map: one curve per height."),
                 Create(contour_lines), run_time=1.5)
        self.say(t("At every point the gradient is an arrow, drawn here at {scale:g} of its length.", scale=scale),
                 Create(arrows), FadeIn(scale_note), run_time=2.0)

        # --- beat 2: a dial at one point -----------------------------------------------------------
        self.beat(t("A compass"))
        k = ValueTracker(0)

        def i():
            return int(round(k.get_value()))

        def tip(index):
            a = dial.angles[index]
            return axes.c2p(*(p + needle_length * np.array([np.cos(a), np.sin(a)])))

        centre = axes.c2p(*p)
        ring = DashedVMobject(_polyline([axes.c2p(*(p + needle_length * np.array([np.cos(a), np.sin(a)])))
                                         for a in np.linspace(0, 2 * np.pi, 73)], INK, 2, smooth=False),
                              num_dashes=36)
        backing = Dot(centre, radius=axes.get_x_unit_size() * needle_length * 1.45, color=PANEL, fill_opacity=0.9)
        grad_arrow = Arrow(centre, axes.c2p(*(p + scale * dial.grad)), buff=0, color=SLOPE, stroke_width=6,
                           max_tip_length_to_length_ratio=0.3)
        along = grad_arrow.get_unit_vector()
        across = np.array([along[1], -along[0], 0.0])  # a quarter turn clockwise
        grad_label = exempt(attach(tex(r"\nabla f", LABEL_SIZE, SLOPE), grad_arrow), "lines", OPAQUE_DISC)
        grad_label.move_to(grad_arrow.get_end() - 0.25 * along + 0.38 * across)
        needle = always_redraw(lambda: Arrow(centre, tip(i()), buff=0, color=NUDGE, stroke_width=6,
                                             max_tip_length_to_length_ratio=0.2))
        point = Dot(centre, radius=0.07, color=INK)

        top = 3 if dial.norm <= 3 else np.ceil(dial.norm / _tick_step(2 * dial.norm, 6)) * _tick_step(2 * dial.norm, 6)
        plot = function_axes([0, 360, 90], [-top, top, 1 if top <= 3 else _tick_step(2 * top, 6)], VIEW_SIDE - 0.6, 4.2)
        plot.move_to(RIGHT_VIEW + 0.1 * DOWN + 0.1 * LEFT)
        theta_label = tex(r"\theta\,(^\circ)", LABEL_SIZE, MUTED).next_to(plot.c2p(360, 0), UP, buff=0.2)
        theta_label.align_to(plot.x_axis, RIGHT)
        plot_label = tex(r"\nabla f \cdot u", LABEL_SIZE, NUDGE).next_to(plot.y_axis, UP, buff=0.15)
        trace = always_redraw(lambda: _polyline([plot.c2p(d, v) for d, v in zip(degrees[: i() + 1],
                                                                                  dial.slopes[: i() + 1])],
                                                NUDGE, 4, smooth=False) if i() > 0 else VMobject())
        trace_dot = always_redraw(lambda: Dot(plot.c2p(degrees[i()], dial.slopes[i()]), color=NUDGE,
                                              radius=0.08))
        angle_readout = Readout(r"\theta =", degrees[0], 0, NUDGE)
        slope_readout = Readout(r"\nabla f \cdot u =", dial.slopes[0], 2, NUDGE, sign=True)
        readouts = VGroup(angle_readout, slope_readout).arrange(RIGHT, buff=0.8)
        readouts.next_to(plot, UP, buff=0.55)
        angle_readout.number.add_updater(lambda m: m.set_value(degrees[i()]))
        slope_readout.number.add_updater(lambda m: m.set_value(dial.slopes[i()]))
        u_label = always_redraw(lambda: exempt(tex("u", LABEL_SIZE, NUDGE).move_to(
            tip(i()) + 0.28 * (tip(i()) - centre) / np.linalg.norm(tip(i()) - centre)), "lines", OPAQUE_DISC))

        self.play(arrows.animate.set_opacity(0.25), run_time=0.6)
        self.say(t("Stand at one point and face a direction: a unit vector u."),
                 FadeIn(backing), Create(ring), FadeIn(point), FadeIn(needle), FadeIn(u_label), run_time=1.2)
        self.say(t("The slope you face is the gradient dotted with u."),
                 GrowArrow(grad_arrow), FadeIn(grad_label), Create(plot), FadeIn(theta_label),
                 FadeIn(plot_label), FadeIn(readouts), FadeIn(trace_dot), run_time=1.5)
        self.add(trace)

        # --- beat 3: turn the needle ---------------------------------------------------------------
        self.beat(t("Turn the needle"))
        stops = sorted([(dial.uphill, "up"), (dial.downhill, "down"),
                        (dial.level, "level"), (dial.level_back, "level")])
        captions = {
            "up": t("Along the gradient the slope is largest: {g:.2f}, its length.", g=dial.norm),
            "down": t("Against it, the ground falls fastest: {g:.2f}.", g=-dial.norm),
            "level": t("Along the contour the ground is level: slope zero."),
            "level again": t("Level again, the other way."),
        }
        said_level = False
        last = len(dial.angles) - 1
        for angle, kind in stops:
            j = dial.index(angle)
            seconds = 0.6 + 2.4 * (j - i()) / last
            if kind == "level":
                kind, said_level = ("level again" if said_level else "level"), True
            self.play(k.animate.set_value(j), run_time=seconds, rate_func=linear)
            self.say(captions[kind])
        self.play(k.animate.set_value(last), run_time=0.6 + 2.4 * (last - i()) / last, rate_func=linear)

        # --- beat 4: perpendicular to the contour -------------------------------------------------------
        self.beat(t("Perpendicular to the contour"))
        j = dial.index(dial.level)
        level = VGroup(*[_polyline([axes.c2p(*q) for q in piece], CONSTRAINT, 4, smooth=False)
                         for piece in level_curve.lines[0]])
        full_turn = _polyline([plot.c2p(d, v) for d, v in zip(degrees, dial.slopes)], NUDGE, 4, smooth=False)
        self.remove(trace)
        self.add(full_turn)  # the whole turn stays drawn while the needle turns back
        self.play(k.animate.set_value(j), run_time=1.2)
        needle_line = Line(centre, tip(j))
        right_angle = RightAngle(needle_line, Line(centre, grad_arrow.get_end()), length=0.22, color=INK,
                                 stroke_width=3)
        self.say(t("The level curve runs along the zero direction: the gradient is perpendicular to the contour."),
                 Create(level), Create(right_angle), run_time=1.5)
        self.hold()




# --- 3. the Jacobian: a nonlinear map is linear up close ---------------------------------------------
def _check_warp_point(values):
    if not (abs(values["x"]) <= 2.5 and abs(values["y"]) <= 2.5):
        raise CalcvizError(f"setting x, y: ({values['x']:g}, {values['y']:g}) is outside the drawn grid [-2.5, 2.5]²")


class JacobianLocalLinearity(LessonScene):
    """Zoomed in, a nonlinear map of the plane is the linear map J; its determinant scales areas.

    manim -qm scenes/gradients.py JacobianLocalLinearity
    """

    SETTINGS = {
        "a": number(0.6, 0.0, 0.9, help="strength of the warp (x, y) ↦ (x + a sin y, y + a sin x)"),
        "x": number(0.5, help="the point's x"),
        "y": number(0.4, help="the point's y"),
    }
    check_settings = staticmethod(_check_warp_point)
    SIZES = (2.4, 1.2, 0.5, 0.1)           # sides h of the shrinking square
    GRID = np.arange(-3.0, 3.01, 0.5)      # grid lines of the plane
    WINDOW_SIDE = 3.6
    WINDOW = np.array([3.45, 0.85, 0.0])  # centre of the zoom window
    READOUTS = np.array([0.5, -1.25, 0.0])  # top-left corner of the readouts under the window
    FILL = 0.42                            # the square's side fills this much of the window

    def construct(self):
        s = self.settings
        a, p = s["a"], np.array([s["x"], s["y"]])
        local = local_linearity(p, a, self.SIZES)
        Fp = warp(p, a)
        J = local.jacobian

        # --- beat 1: a warp of the plane ----------------------------------------------------------
        self.beat(t("A warp of the plane"))
        heading = title(t("Up close, every map is linear"))
        axes = plane_axes(((-4.0, 4.0), (-4.0, 4.0)), VIEW_SIDE, LEFT_VIEW, numbers=False)
        border = Rectangle(width=axes.x_length, height=axes.y_length, color=MUTED, stroke_width=2).move_to(axes)
        ts = np.linspace(-3.0, 3.0, 61)  # (not t: t() translates)
        lines = [np.column_stack([np.full_like(ts, c), ts]) for c in self.GRID] + \
                [np.column_stack([ts, np.full_like(ts, c)]) for c in self.GRID]
        grid = VGroup(*[_polyline([axes.c2p(*q) for q in line], FUNCTION, 2) for line in lines])
        warped = VGroup(*[_polyline([axes.c2p(*q) for q in warp(line, a)], FUNCTION, 2) for line in lines])
        point = Dot(axes.c2p(*p), radius=0.07, color=INK)
        a_tex = tex_number(a)
        formula = tex(rf"F(x, y) = \begin{{pmatrix}} x + {a_tex}\sin y \\ y + {a_tex}\sin x \end{{pmatrix}}",
                      LABEL_SIZE, FUNCTION).move_to(self.WINDOW + 0.9 * DOWN)
        self.play(Write(heading), Create(border), run_time=1.0)
        self.say(t("A square grid, and a map F that moves every point of the plane."),
                 Create(grid), FadeIn(point), FadeIn(formula), run_time=1.5)
        self.say(t("Apply the map: straight grid lines come out curved."),
                 Transform(grid, warped), point.animate.move_to(axes.c2p(*Fp)), run_time=2.5)

        # --- beat 2: zoom in ----------------------------------------------------------------------
        self.beat(t("Zoom in"))
        window = Square(self.WINDOW_SIDE, color=MUTED, stroke_width=2).move_to(self.WINDOW)
        patches = [self._patch(axes, p, Fp, h, a) for h in self.SIZES]
        left, right = patches[0]
        h_readout = Readout("h =", self.SIZES[0], 2, NUDGE)
        # TRANSLATORS: a readout's label, "area ratio = 0.954"
        area_readout = Readout(r"\text{" + t("area ratio") + "} =", local.area_ratios[0], 3, NUDGE)
        readouts = VGroup(h_readout, area_readout).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        readouts.move_to(self.READOUTS, aligned_edge=UP + LEFT)
        self.play(FadeOut(formula), run_time=0.5)
        self.say(t("Zoom in on a square of side h around the point. Its image is a curved patch."),
                 Create(window), FadeIn(left), FadeIn(right), FadeIn(readouts), run_time=1.5)
        shrink = t("Shrink the square. Up close, the curved patch straightens into a parallelogram.")
        step = self.over_line(1.4, self.narrate(shrink) / (len(self.SIZES) - 1) - 0.4)
        for n in range(1, len(self.SIZES)):
            new_left, new_right = patches[n]
            self.play(Transform(left, new_left), Transform(right, new_right),
                      ChangeDecimalToValue(h_readout.number, self.SIZES[n]),
                      ChangeDecimalToValue(area_readout.number, local.area_ratios[n]), run_time=step)
            self.wait(0.4)
        self.hold()

        # --- beat 3: the Jacobian -----------------------------------------------------------------
        self.beat(t("The Jacobian"))
        corners = [self._to_window(J @ np.array(c)) for c in ((-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5))]
        parallelogram = DashedVMobject(Polygon(*corners, color=SLOPE, stroke_width=5), num_dashes=40)
        col_x = Arrow(corners[0], self._to_window(J @ np.array([0.5, -0.5])), buff=0, color=SLOPE, stroke_width=6)
        col_y = Arrow(corners[0], self._to_window(J @ np.array([-0.5, 0.5])), buff=0, color=SLOPE, stroke_width=6)
        j00, j01, j10, j11 = (tex_number(v, ".2f") for v in (J[0, 0], J[0, 1], J[1, 0], J[1, 1]))
        entries = rf"\begin{{pmatrix}} {j00} & {j01} \\ {j10} & {j11} \end{{pmatrix}}"
        matrix = tex(r"J = " + entries, LABEL_SIZE, SLOPE)
        matrix.move_to(area_readout).to_edge(RIGHT, buff=0.45)
        self.say(t("That parallelogram is the square's image under one matrix: the Jacobian J."),
                 Create(parallelogram), FadeIn(matrix), run_time=1.5)
        self.say(t("Its columns, the partial derivatives of F, are where the square's sides go."),
                 GrowArrow(col_x), GrowArrow(col_y), run_time=1.2)
        self.say(t("Computed by central differences, J agrees with the exact formula to {gap:.0e}.",
                   gap=local.disagreement))

        # --- beat 4: area scaling -----------------------------------------------------------------
        self.beat(t("Area scaling"))
        det = Readout(r"\det J =", local.det, 3, SLOPE)
        det.next_to(area_readout, DOWN, buff=0.4).align_to(area_readout, LEFT)
        self.say(t("Its determinant, {det:.3f}, is how much F scales areas near the point.", det=local.det),
                 FadeIn(det), run_time=1.0)
        self.say(t("The tiny square's image has {ratio:.3f} of its area: the same number.",
                   ratio=local.area_ratios[-1]),
                 Circumscribe(VGroup(area_readout, det), color=INK, buff=0.12), run_time=1.0)
        self.hold()

    def _to_window(self, offset):
        """A displacement from F(p), in units of h, drawn in the zoom window."""
        return self.WINDOW + self.FILL * self.WINDOW_SIDE * np.array([offset[0], offset[1], 0.0])

    def _patch(self, axes, p, Fp, h, a):
        """The warped square of side h around p: its outline on the map, and its gridded image in the window."""
        outline = warp(square_outline(p, h, 24), a)
        on_map = _polyline([axes.c2p(*q) for q in np.vstack([outline, outline[:1]])], NUDGE, 4, smooth=False)
        window = Square(self.WINDOW_SIDE).move_to(self.WINDOW)
        on_map = VGroup(on_map, *[Line(on_map.get_corner(RIGHT + v), window.get_corner(LEFT + v), color=MUTED,
                                       stroke_width=1.5) for v in (UP, DOWN)])  # the zoom's sight lines
        t = np.linspace(-h / 2, h / 2, 31)
        cells = []
        for c in np.linspace(-h / 2, h / 2, 5):
            cells.append(np.column_stack([np.full_like(t, c), t]) + p)
            cells.append(np.column_stack([t, np.full_like(t, c)]) + p)
        zoomed = VGroup(*[_polyline([self._to_window((q - Fp) / h) for q in warp(cell, a)], FUNCTION, 3)
                          for cell in cells])
        zoomed.add(_polyline([self._to_window((q - Fp) / h) for q in np.vstack([outline, outline[:1]])], NUDGE, 5,
                             smooth=False))
        return on_map, zoomed


# =====================================================================================================
# Curvature, Taylor and Newton–Raphson
# --- small private helpers --------------------------------------------------------------------------
def _window(center, half):
    """A square domain ((x0, x1), (y0, y1)) of half-width ``half`` around ``center``."""
    return ((center[0] - half, center[0] + half), (center[1] - half, center[1] + half))


def _matrix(name: str, m) -> str:
    """``name = [[a, b], [c, d]]`` as TeX, the entries rounded for display."""
    (a, b), (c, d) = m
    return (rf"{name} = \begin{{bmatrix}} {number_tex(a)} & {number_tex(b)} \\ {number_tex(c)} & {number_tex(d)} \end{{bmatrix}}")


# =====================================================================================================
_VERDICT = {"minimum": (r"\lambda_1,\ \lambda_2 > 0", N_("minimum"), FIT),  # the word: t(word) where shown
           "maximum": (r"\lambda_1,\ \lambda_2 < 0", N_("maximum"), STEP),
           "saddle": (r"\lambda_1 < 0 < \lambda_2", N_("saddle"), CONSTRAINT),
           "degenerate": (r"\lambda = 0", N_("undecided"), MUTED)}


class _CurvatureMap(VGroup):
    """A landscape's contours in a square window around a critical point, with its Hessian's eigenvectors.

    Every number comes from the core (``landscape_contours``, ``hessian``); ``_eigen`` splits H.
    """

    def __init__(self, land, point, half, side, center, count=9):
        self.point = np.asarray(point, dtype=float)
        self.axes = plane_axes(_window(self.point, half), side, center, numbers=False)
        self.hessian = land.hessian(self.point)
        self.kind = critical_kind(self.hessian)
        self.values, vectors = principal_curvatures(self.hessian)
        self.contours = contour_map(self.axes, landscape_contours(land, count=count, n=161,
                                                                   domain=_window(self.point, half)))
        self.box = plane_frame(self.axes)
        self.dot = Dot(self.axes.c2p(*self.point), color=INK, radius=0.07)
        self.arrows, self.exits = VGroup(), []
        origin = self.axes.c2p(*self.point)
        for v in vectors:
            v = v if v[0] + v[1] >= 0 else -v  # point up/right, away from the title and into free space
            reach = min(side / 2 / abs(c) for c in v if abs(c) > 1e-9)  # to the edge of the window
            tip = origin + reach * np.array([v[0], v[1], 0.0])
            self.arrows.add(Arrow(origin, tip, buff=0, color=SLOPE, stroke_width=5,
                                  max_tip_length_to_length_ratio=0.12 * 3 / reach))
            self.exits.append(RIGHT if abs(v[0]) >= abs(v[1]) else UP)
        super().__init__(self.contours, self.box, self.dot)

    def labels(self) -> VGroup:
        """λ₁ = …, λ₂ = … just outside the window, where each arrow leaves it."""
        group = VGroup()
        for i, (arrow, exit, value) in enumerate(zip(self.arrows, self.exits, self.values), start=1):
            label = tex(rf"\lambda_{i} = {number_tex(value)}", color=SLOPE).next_to(arrow.get_end(), exit, buff=0.15)
            group.add(attach(label, arrow))
        return group


class HessianCurvature(LessonScene):
    """The Hessian's eigenvalues tell minimum, maximum and saddle apart; its eigenvectors point along the curvature.

    manim -qm scenes/gradients.py HessianCurvature
    """

    # (landscape, which critical points, which one, half-width of the window, how the caption names it)
    CASES = (("bowl", "minima", 0, 2.0), ("camel", "maxima", 0, 0.35), ("saddle", "saddles", 0, 2.0))

    def construct(self):
        side, center = VIEW_SIDE - 0.4, LEFT_VIEW + 0.1 * DOWN  # room above for the top eigenvector's label
        maps = [_CurvatureMap(landscape(name), getattr(landscape(name), which)[k], half, side, center)
                for name, which, k, half in self.CASES]
        panel_left = 1.2

        # --- beat 1: curvature is a matrix -------------------------------------------------------------
        self.beat(t("Curvature is a matrix"))
        heading = title(t("Curvature: the Hessian"))
        general = tex(r"H = \begin{bmatrix} f_{xx} & f_{xy} \\ f_{yx} & f_{yy} \end{bmatrix}", 44)
        general.move_to(0.3 * DOWN)
        self.play(Write(heading), run_time=1.0)
        self.say(t("In two variables, curvature is a matrix of second derivatives: the Hessian."),
                 FadeIn(general), run_time=1.0)

        captions = [
            (t("At the bottom of this bowl the gradient is zero; the Hessian holds the curvature."),
             t("Its eigenvectors point along the directions of pure curvature."),
             t("Both eigenvalues are positive: it curves up every way. A minimum.")),
            (t("A peak of the camel landscape. Here the Hessian has off-diagonal terms."),
             None,
             t("Both eigenvalues are negative: it curves down every way. A maximum.")),
            (t("A saddle: the Hessian at its centre."),
             None,
             t("One eigenvalue positive, one negative: up one way, down the other. A saddle.")),
        ]
        beats = (t("A minimum"), t("A maximum"), t("A saddle"))
        previous = VGroup(general)
        for (name, _, _, _), m, (c_map, c_vectors, c_verdict), beat in zip(self.CASES, maps, captions, beats):
            self.beat(beat)
            where = _pair(*(number_tex(c) for c in m.point))
            head = VGroup(text(_word(LANDSCAPE_NAMES, name), color=FUNCTION), tex(r"p = " + where))
            head.arrange(RIGHT, buff=0.35)
            matrix = tex(_matrix("H(p)", m.hessian), 40)
            pairs = VGroup(*[tex(rf"\lambda_{i} = {number_tex(val)}", color=SLOPE) for i, val in enumerate(m.values, 1)])
            pairs.arrange(RIGHT, buff=0.6)
            condition, word, color = _VERDICT[m.kind]
            verdict = VGroup(tex(condition + r"\ \Rightarrow"), text(t(word), color=color)).arrange(RIGHT, buff=0.25)
            info = VGroup(head, matrix, pairs, verdict).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
            info.move_to(RIGHT_VIEW).set_x(panel_left + info.width / 2)
            labels = m.labels()
            self.play(FadeOut(previous), run_time=0.6)
            self.say(c_map, Create(m.box), Create(m.contours), FadeIn(m.dot), FadeIn(head), FadeIn(matrix),
                     run_time=1.5)
            grow = [GrowArrow(a) for a in m.arrows] + [FadeIn(labels), FadeIn(pairs)]
            if c_vectors:
                self.say(c_vectors, *grow, run_time=1.2)
                self.say(c_verdict, FadeIn(verdict), run_time=0.8)
            else:
                self.say(c_verdict, *grow, FadeIn(verdict), run_time=1.2)
            previous = VGroup(m, m.arrows, labels, info)

        # --- beat 5: three verdicts side by side ---------------------------------------------------------
        self.beat(t("Three verdicts"))
        small = 3.4
        recap = VGroup()
        for (name, which, k, half), x in zip(self.CASES, (-4.55, 0.0, 4.55)):
            m = _CurvatureMap(landscape(name), getattr(landscape(name), which)[k], half, small,
                              np.array([x, 0.45, 0.0]), count=7)
            _, word, color = _VERDICT[m.kind]
            signs = ", ".join("+" if v > 0 else "-" for v in m.values)
            caption = VGroup(tex(rf"\lambda:\ {signs}", color=SLOPE), text(t(word), color=color))
            caption.arrange(DOWN, buff=0.25).next_to(m.box, DOWN, buff=0.35)
            recap.add(VGroup(m, m.arrows, caption))
        self.play(FadeOut(previous), run_time=0.6)
        self.say(t("The signs of the eigenvalues decide: minimum, maximum or saddle."),
                 *[FadeIn(r) for r in recap], run_time=1.2)
        self.hold()


# =====================================================================================================
def _check_taylor_settings(values):
    lo, hi = function(values["function"]).domain
    if not lo <= values["center"] <= hi:
        raise CalcvizError(f"setting center: {values['center']:g} is outside the domain [{lo:g}, {hi:g}] "
                           f"of {values['function']}")
    (x0, x1), (y0, y1) = landscape(values["landscape"]).domain
    if not (x0 <= values["px"] <= x1 and y0 <= values["py"] <= y1):
        raise CalcvizError(f"setting px, py: ({values['px']:g}, {values['py']:g}) is outside the domain "
                           f"[{x0:g}, {x1:g}] × [{y0:g}, {y1:g}] of {values['landscape']}")


def _term_tex(k: int, derivative: float) -> str:
    """The k-th Taylor term f⁽ᵏ⁾(a)/k!·(x − a)ᵏ as TeX, with the core's derivative value."""
    sign = "-" if round(derivative, 2) < 0 else "+"
    value = tex_number(abs(derivative), ".2f")  # the numerical Taylor leaves ~1e-16 where a derivative is 0
    if k == 0:
        return localise_digits(f"{derivative:.2f}".replace("-0.00", "0.00"), tex=True)
    power = "(x-a)" if k == 1 else rf"(x-a)^{{{k}}}"  # a's value is on screen once, above
    return rf"{sign}\frac{{{value}}}{{{k}!}}{power}"


class TaylorApproximation(LessonScene):
    """Taylor polynomials match a function's derivatives at a point, one term at a time; in 2-D the quadratic one.

    manim -qm scenes/gradients.py TaylorApproximation
    """

    SETTINGS = {
        "function": choice("exp", FUNCTIONS, help="the 1-D function to approximate"),
        "center": number(0.0, help="the expansion point a"),
        "landscape": choice("himmelblau", LANDSCAPES, help="the landscape for the quadratic approximation"),
        "px": number(2.5, help="x of the expansion point p"),
        "py": number(2.5, help="y of the expansion point p"),
    }
    check_settings = staticmethod(_check_taylor_settings)
    ORDERS = (0, 1, 2, 3, 5)

    def construct(self):
        s = self.settings
        fn = function(s["function"])
        a = s["center"]
        lo, hi = fn.domain
        curve = derivative_curve(fn.f, lo, hi, 241)
        full = taylor(fn.f, a, order=max(self.ORDERS))
        polys = {n: full.truncated(n) for n in self.ORDERS}
        fa = float(full.derivatives[0])

        # --- beat 1: a function and a point --------------------------------------------------------------
        self.beat(t("A function and a point"))
        heading = title(t("Taylor polynomials"))
        y_lo, y_hi = np.floor(curve.fx.min() - 1), np.ceil(curve.fx.max() + 0.5)
        axes = function_axes([lo, hi, 1], [y_lo, y_hi, 1 if y_hi - y_lo <= 6 else 2], 6.9, 5.8)
        axes.to_corner(DOWN + LEFT, buff=0.45)
        graph = path_through(axes, curve.x, curve.fx, FUNCTION)
        panel_left = axes.get_right()[0] + 0.6
        formula = tex(f"f(x) = {fn.tex}", color=FUNCTION).to_edge(UP, buff=0.5)
        formula.set_x(panel_left + formula.width / 2)
        point = Dot(axes.c2p(a, fa), color=INK, radius=0.08)
        a_label = tex(f"a = {number_tex(a)}").next_to(formula, DOWN, buff=0.3).align_to(formula, LEFT)
        self.play(Write(heading), Create(axes), run_time=1.2)
        self.say(t("Here is f near the point a = {a:g}. Can a polynomial imitate it?", a=a),
                 Create(graph), FadeIn(formula), FadeIn(point), FadeIn(a_label), run_time=1.5)

        # --- beat 2: one term at a time ------------------------------------------------------------------
        self.beat(t("One term at a time"))
        general = tex(r"p_n(x) = \sum_{k=0}^{n} \frac{f^{(k)}(a)}{k!}\,(x-a)^k", color=CONSTRAINT)
        general.next_to(a_label, DOWN, buff=0.4).align_to(formula, LEFT)
        derivs = full.derivatives
        rows = VGroup(*[tex(_term_tex(k, float(derivs[k]))) for k in range(full.order + 1)])
        per_column = (len(rows) + 1) // 2  # two columns of terms, read down then across
        top = general.get_bottom()[1] - 0.45
        column_gap = max(row.width for row in rows[:per_column]) + 0.45
        for k, row in enumerate(rows):
            row.move_to([0, top - 0.95 * (k % per_column) - 0.45, 0])
            row.set_x(panel_left + 0.3 + column_gap * (k // per_column) + row.width / 2)
        order_label = tex("n = 0", color=CONSTRAINT).next_to(a_label, RIGHT, buff=0.8)
        xs = curve.x
        shown = None
        captions = {
            0: t("Order 0 keeps only the value f(a) = {fa:.2f}: a flat line.", fa=fa),
            1: t("Order 1 adds the slope: the tangent line."),
            2: t("Order 2 adds the curvature, so it bends with the curve."),
            3: t("Each new term matches one more derivative at a."),
            5: t("By order 5 it hugs the curve far from a."),
        }
        done = 0
        for n in self.ORDERS:
            approx = curve_inside(axes, xs, polys[n](xs), CONSTRAINT)
            new_rows = rows[done: n + 1] if n else rows[:1]
            new_label = tex(f"n = {n}", color=CONSTRAINT).move_to(order_label).align_to(order_label, LEFT)
            anims = [FadeIn(new_rows, shift=0.1 * UP)]
            if shown is None:
                anims += [Create(approx), FadeIn(general), FadeIn(new_label)]
            else:
                anims += [ReplacementTransform(shown, approx), ReplacementTransform(order_label, new_label)]
            self.say(captions[n], *anims, run_time=1.2)
            shown, order_label, done = approx, new_label, n + 1

        # --- beat 3: two variables -------------------------------------------------------------------------
        self.beat(t("Two variables"))
        land = landscape(s["landscape"])
        p = np.array([s["px"], s["py"]])
        q = quadratic_approximation(land, p)
        (dx0, dx1), (dy0, dy1) = land.domain
        half = np.array([0.3 * (dx1 - dx0), 0.24 * (dy1 - dy0)])
        window = ((p[0] - half[0], p[0] + half[0]), (p[1] - half[1], p[1] + half[1]))
        f_maps = landscape_contours(land, count=10, n=161, domain=window)
        X, Y, _ = land.on_grid(161, window)
        q_maps = contour_lines(X, Y, q(X, Y), f_maps.levels)
        views = []
        for center, maps in ((LEFT_VIEW, f_maps), (RIGHT_VIEW, q_maps)):
            plane = plane_axes(window, VIEW_SIDE, center, numbers=False)
            views.append((plane, plane_frame(plane), contour_map(plane, maps), Dot(plane.c2p(*p), color=INK, radius=0.08)))
        (lp, lbox, lmap, ldot), (rp, rbox, rmap, rdot) = views
        heading2 = title(t("In two variables"))
        q_formula = tex(r"q(p+d) = f(p) + \nabla f(p)\cdot d + \tfrac12\, d^{\mathsf T} H(p)\, d", color=CONSTRAINT)
        q_formula.to_corner(UP + RIGHT, buff=0.5)
        f_name = VGroup(text(_word(LANDSCAPE_NAMES, land.name), color=FUNCTION), tex(r"f", color=FUNCTION))
        f_name.arrange(RIGHT, buff=0.3)
        f_name.next_to(lbox, UP, buff=0.2)
        q_name = tex(r"q", color=CONSTRAINT).next_to(rbox, UP, buff=0.2)
        p_label = tex(r"p = " + _pair(number_tex(p[0]), number_tex(p[1]))).next_to(lbox, DOWN, buff=0.2)
        self.clear_beat(heading, run_time=0.6)  # the title stays: no blank frame between the parts
        self.play(Transform(heading, heading2), run_time=0.8)
        self.say(t("In two variables, order 2 is a quadratic: value, gradient and Hessian at p."),
                 Create(lbox), Create(lmap), FadeIn(ldot), FadeIn(f_name), FadeIn(q_formula), FadeIn(p_label),
                 run_time=1.5)
        # TRANSLATORS: "q is a" + the shape of q (bowl, dome, saddle, flat)
        shape = VGroup(tex(r"q\ \text{" + t("is a") + "}"), text(_word(SHAPES, q.shape), color=CONSTRAINT))
        shape.arrange(RIGHT, buff=0.2)
        shape.next_to(rbox, DOWN, buff=0.2)
        self.say(t("Its contours, at the same heights: q is a {shape}.", shape=_word(SHAPES, q.shape)),
                 Create(rbox), Create(rmap), FadeIn(rdot), FadeIn(q_name), FadeIn(shape), run_time=1.5)

        # --- beat 4: close to p ---------------------------------------------------------------------------
        self.beat(t("Close to p"))
        # the contour through p itself: f's (dashed) and q's (solid) share p, its tangent and its bend
        f_through = contour_map(rp, landscape_contours(land, levels=[q.value], n=161, domain=window))
        q_through = contour_map(rp, contour_lines(X, Y, q(X, Y), [q.value]))
        f_through = VGroup(*[DashedVMobject(c, num_dashes=60) for c in f_through]).set_stroke(FUNCTION, 5)
        q_through.set_stroke(CONSTRAINT, 5)
        legend = VGroup(tex(r"q = f(p)", color=CONSTRAINT), tex(r"f = f(p)", color=FUNCTION)).arrange(RIGHT, buff=0.6)
        legend.move_to(q_name)
        self.say(t("Follow the contour through p: near p, q's bends just like f's. Far away they part."),
                 rmap.animate.set_stroke(opacity=0.35), ReplacementTransform(q_name, legend),
                 Create(q_through), Create(f_through), run_time=1.8)
        self.bring_to_front(rdot)
        self.hold()


# =====================================================================================================
NEWTON_STEPS = 12   # the step limit of every Newton–Raphson run of the lesson
NEWTON_ROWS = 6     # the most steps the table under the rule has room for in both editions (x0 and 6 steps)


def _newton_runs(name, x0, bad_x0, min_x0):
    """The lesson's three runs, from the core: the good start, the bad start, Newton on f' (a flat point)."""
    fn = function(name)
    lo, hi = fn.domain
    max_norm = NewtonRaphson.LOST * max(abs(lo), abs(hi))
    return tuple(newton_raphson(f, df, x, max_norm=max_norm, steps=NEWTON_STEPS)
                 for f, df, x in ((fn.f, fn.df, x0), (fn.f, fn.df, bad_x0), (fn.df, fn.d2f, min_x0)))


def _inside(run, lo, hi) -> bool:
    """Whether every iterate of ``run`` lies on the drawn x-axis [lo, hi]."""
    return bool(np.all((np.asarray(run.points) >= lo) & (np.asarray(run.points) <= hi)))


def _newton_suggestion(name, which, near):
    """A start in the domain whose run converges within the table's rows, the nearest to ``near``; None if none."""
    lo, hi = function(name).domain
    for x in sorted(np.linspace(lo, hi, 121), key=lambda x: abs(x - near)):
        runs = _newton_runs(name, x, x, x)
        run = runs[0] if which == "root" else runs[2]
        if run.success and 2 <= run.nit <= NEWTON_ROWS and _inside(run, lo, hi):  # a start on the answer shows no steps
            return float(np.round(x, 2))
    return None


def _check_newton_settings(values):
    name = values["function"]
    fn = function(name)
    lo, hi = fn.domain
    for key in ("x0", "bad_x0", "min_x0"):
        if not lo <= values[key] <= hi:
            raise CalcvizError(f"setting {key}: {values[key]:g} is outside the domain [{lo:g}, {hi:g}] "
                               f"of {name}")
    good, _, flat = _newton_runs(name, values["x0"], values["bad_x0"], values["min_x0"])
    # the lesson shows a good start reaching a root, its digits doubling, in a table of at most NEWTON_ROWS steps,
    # and Newton on f' reaching a flat point: a start that cannot show that is refused, with one that can
    for key, run, what, which in (("x0", good, "a root of f", "root"), ("min_x0", flat, "a zero of f'", "flat")):
        if run.success and (which == "flat" or 1 <= run.nit) and run.nit <= NEWTON_ROWS and _inside(run, lo, hi):
            continue
        how = ("starts on the root: there are no steps to show" if run.success and run.nit == 0 else
               f"steps outside the picture [{lo:g}, {hi:g}]" if run.success and run.nit <= NEWTON_ROWS else
               f"needs {run.nit} steps, more than the table's {NEWTON_ROWS} rows" if run.success
               else f"does not reach {what} within {NEWTON_STEPS} steps ({run.status.name})")
        better = _newton_suggestion(name, which, values[key])
        if better is not None:
            raise CalcvizError(f"setting {key}: Newton–Raphson on {name} from {values[key]:g} {how}; "
                               f"try {key}={better:g}")
        x_end = float(run.points[-1])  # where the run got to: a double root has f and f' both near zero
        double = which == "root" and abs(float(run.values[-1])) < 1e-3 and abs(float(fn.df(x_end))) < 1e-2
        why = ("its root is a double root (f and f' both zero there), where each step only halves the error"
               if double
               else f"no start in [{lo:g}, {hi:g}] reaches {what} in 2 to {NEWTON_ROWS} steps")
        raise CalcvizError(f"setting function: Newton–Raphson cannot show its lesson on {name}: {why}")


class NewtonRaphson(LessonScene):
    """Newton–Raphson slides down tangents to a root, doubling correct digits each step; a flat tangent throws it off.

    manim -qm scenes/gradients.py NewtonRaphson
    """

    SETTINGS = {
        "function": choice("sine", FUNCTIONS, help="the function whose root is sought"),
        "x0": number(1.0, help="a good start"),
        "bad_x0": number(1.55, help="a bad start (a nearly flat tangent)"),
        "min_x0": number(-1.0, help="the start for Newton on f', which finds a minimum or maximum"),
        "shown": number(3, 1, 6, help="how many tangent steps are drawn (the table lists them all)"),
    }
    check_settings = staticmethod(_check_newton_settings)
    LOST = 3.0  # a run that leaves this many half-widths of the picture is called diverged
    FLAT_SLOPE = 0.1  # |f'(x0)| up to this is "almost flat" (sine at 1.55: 0.02)

    def construct(self):
        s = self.settings
        fn = function(s["function"])
        lo, hi = fn.domain
        good, bad, flat = _newton_runs(s["function"], s["x0"], s["bad_x0"], s["min_x0"])
        curve = derivative_curve(fn.f, lo, hi, 241)

        # --- beat 1: a root to find ----------------------------------------------------------------------
        self.beat(t("A root to find"))
        heading = title(t("Newton–Raphson"))
        y_step = 0.5 if np.ptp(curve.fx) <= 3 else (1 if np.ptp(curve.fx) <= 8 else 2)
        y_lo = np.floor(curve.fx.min() / y_step - 1) * y_step
        y_hi = np.ceil(curve.fx.max() / y_step + 1) * y_step
        # no tick numbers: the curves cross the y-axis right where they would sit; the table carries the values
        axes = function_axes([lo, hi, 1], [y_lo, y_hi, y_step], 7.4, 6.2, numbers=False,
                             x_axis_config={"include_ticks": False})
        axes.to_corner(DOWN + LEFT, buff=0.45)
        graph = path_through(axes, curve.x, curve.fx, FUNCTION)
        panel_left = axes.get_right()[0] + 0.5
        formula = tex(f"f(x) = {fn.tex}", color=FUNCTION).to_edge(UP, buff=0.5)
        formula.set_x(panel_left + formula.width / 2)
        rule = tex(r"x_{k+1} = x_k - \frac{f(x_k)}{f'(x_k)}", 40)
        rule.next_to(formula, DOWN, buff=0.35).align_to(formula, LEFT)

        def on_curve(k, run=good):
            return axes.c2p(run.points[k], run.values[k])

        def on_axis(k, run=good):
            return axes.c2p(run.points[k], 0)

        start = Dot(on_curve(0), color=INK, radius=0.08)
        start_drop = DashedLine(on_axis(0), on_curve(0), color=MUTED, stroke_width=2)
        x0_label = _axis_label(axes, "x_0", good.points[0], good.values[0])
        self.play(Write(heading), Create(axes), run_time=1.2)
        self.say(t("Where does f cross zero? Start from a guess, x0 = {x0:g}.", x0=good.points[0]),
                 Create(graph), FadeIn(formula), FadeIn(start), Create(start_drop), FadeIn(x0_label), run_time=1.5)

        # --- beat 2: slide down the tangent ----------------------------------------------------------------
        self.beat(t("Slide down the tangent"))
        header = [tex("k", color=MUTED), tex("x_k", color=STEP), tex("f(x_k)", color=FUNCTION)]
        cells = [[tex(str(k)), tex(number_tex(x, 6)), tex(number_tex(v, 4))] for k, (x, v) in
                 enumerate(zip(good.points, good.values))]
        table = table_of(header, cells, gap=0.5, row_gap=0.18).next_to(rule, DOWN, buff=0.45).align_to(rule, LEFT)
        self.say(t("Replace f by its tangent at x0, and go to where the tangent crosses zero."),
                 FadeIn(rule), FadeIn(table[0]), FadeIn(table[1]), run_time=1.0)
        drawn = VGroup(start, start_drop, x0_label)
        labels = [x0_label]
        shown = min(int(s["shown"]), good.nit)
        for k in range(shown):
            x_k, x_next = good.points[k], good.points[k + 1]
            tangent = _tangent(axes, x_k, good.values[k], good.gradients[k], x_next)
            hit = Dot(on_axis(k + 1), color=STEP, radius=0.07)
            drop = DashedLine(on_axis(k + 1), on_curve(k + 1), color=MUTED, stroke_width=2)
            new_dot = Dot(on_curve(k + 1), color=INK, radius=0.07)
            label = _axis_label(axes, f"x_{k + 1}", x_next, good.values[k + 1])
            if any(abs(label.get_x() - other.get_x()) < 0.6 for other in labels):
                label = VGroup()  # too close to an earlier x_k to be read: the table has it
            else:
                labels.append(label)
            attach(label, tangent)  # x_{k+1} is where this tangent meets zero
            anims = [Create(tangent), FadeIn(hit), FadeIn(label), FadeIn(table[k + 2])]
            if k == 0:
                self.say(t("That is x1 = {x1:.4f}. Then repeat from there.", x1=x_next), *anims, run_time=1.2)
            else:
                self.play(*anims, run_time=1.0)
            self.play(Create(drop), FadeIn(new_dot), run_time=0.6)
            drawn.add(tangent, hit, drop, new_dot, label)
        rest = [FadeIn(row) for row in table[shown + 2:]]
        self.say(t("The correct digits roughly double each step: after {n} steps, f = {f:.0e}.",
                   n=good.nit, f=good.fun),
                 *rest, run_time=1.2)
        status_word = r"\text{" + t("status:") + "}"  # TRANSLATORS: before how a run ended, "status: CONVERGED"
        status = VGroup(tex(status_word, color=MUTED), text(_word(STATUS_NAMES, good.status.name), SMALL_SIZE, FIT))
        status.arrange(RIGHT, buff=0.2).next_to(table, DOWN, buff=0.35).align_to(table, LEFT)
        self.play(FadeIn(status), run_time=0.5)
        self.hold(0.8)

        # --- beat 3: a bad start ----------------------------------------------------------------------------
        self.beat(t("A bad start"))
        bad_dot = Dot(on_curve(0, bad), color=INK, radius=0.08)
        bad_drop = DashedLine(on_axis(0, bad), on_curve(0, bad), color=MUTED, stroke_width=2)
        bad_label = _axis_label(axes, "x_0", bad.points[0], bad.values[0])
        bad_tangent = clipped_line(axes, bad.points[0], bad.values[0], bad.gradients[0])
        slope = Readout(r"f'(x_0) =", bad.gradients[0], 4, SLOPE)
        bad_status = VGroup(tex(status_word, color=MUTED),
                            text(_word(STATUS_NAMES, bad.status.name), SMALL_SIZE, FIT if bad.success else STEP))
        bad_status.arrange(RIGHT, buff=0.2)
        why = VGroup(slope, bad_status).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        why.next_to(rule, DOWN, buff=0.5).align_to(rule, LEFT)
        self.play(FadeOut(drawn), FadeOut(table), FadeOut(status), run_time=0.6)
        if abs(float(bad.gradients[0])) <= self.FLAT_SLOPE:
            bad_start = t("Now start at x0 = {x0:g}, where the tangent is almost flat.", x0=bad.points[0])
        else:
            bad_start = t("Now start at x0 = {x0:g}, where the tangent's slope is {m:.2f}.",
                          x0=bad.points[0], m=float(bad.gradients[0]))
        self.say(bad_start,
                 FadeIn(bad_dot), Create(bad_drop), FadeIn(bad_label), Create(bad_tangent), FadeIn(slope),
                 run_time=1.2)
        if bad.diverged:
            outcome = t("It crosses zero far off the picture: the run is flagged as diverged.")
        elif bad.success:
            outcome = t("This time it still ends well: {status} after {n} steps.",
                        status=_word(STATUS_WORDS, bad.status.value), n=bad.nit)
        else:  # the step limit came first (MAX_STEPS), or |f| was still growing (DIVERGING): no root yet
            outcome = t("After {n} steps it has not reached the root yet: {status}.",
                        status=_word(STATUS_WORDS, bad.status.value), n=bad.nit)
        self.say(outcome, FadeIn(bad_status), run_time=0.8)

        # --- beat 4: Newton on f' finds a minimum -------------------------------------------------------------
        self.beat(t("Newton finds minima"))
        slope_curve = derivative_curve(fn.df, lo, hi, 241)
        df_graph = curve_inside(axes, slope_curve.x, slope_curve.fx, SLOPE, 3)
        df_formula = tex(f"f'(x) = {fn.dtex}", color=SLOPE).next_to(formula, DOWN, buff=0.3).align_to(formula, LEFT)
        self.play(FadeOut(VGroup(bad_dot, bad_drop, bad_label, bad_tangent, why, rule)), run_time=0.6)
        steps = VGroup(*[Dot(axes.c2p(x, 0), color=STEP, radius=0.06) for x in flat.points])
        x_star = flat.points[-1]
        found = Dot(axes.c2p(x_star, float(fn.f(x_star))), color=FIT, radius=0.1)
        up = DashedLine(axes.c2p(x_star, 0), found.get_center(), color=FIT, stroke_width=3)
        kind = {1: N_("minimum"), -1: N_("maximum")}.get(int(np.sign(float(fn.d2f(x_star)))), N_("flat point"))
        answer = VGroup(tex(t_tex(r"f'(x) = 0 \text{{ at }} x = {x}", x=number_tex(x_star, 4)), color=FIT),
                        # TRANSLATORS: kind is minimum, maximum or flat point
                        text(t("a {kind} of f", kind=t(kind)) if flat.success else _word(STATUS_NAMES, flat.status.name),
                             color=FIT))
        answer.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(df_formula, DOWN, buff=0.6).align_to(df_formula, LEFT)
        self.say(t("Run the same method on f' instead: it finds where the slope is zero."),
                 Create(df_graph), FadeIn(df_formula), LaggedStart(*[FadeIn(d) for d in steps], lag_ratio=0.4),
                 run_time=2.0)
        if kind == N_("minimum"):
            found_line = t("Here that is x = {x:.4f}, the bottom of f's valley: Newton's method for optimisation.",
                           x=x_star)
        elif kind == N_("maximum"):
            found_line = t("Here that is x = {x:.4f}, the top of f's hill: Newton's method finds maxima as well "
                           "as minima.", x=x_star)
        else:
            found_line = t("Here that is x = {x:.4f}, where f is flat without a hill or a valley.", x=x_star)
        self.say(found_line,
                 Create(up), FadeIn(found), FadeIn(answer), run_time=1.2)
        self.hold()


def _tangent(axes, x, y, slope, x_next, reach=0.6):
    """The tangent at (x, y), drawn from a little beyond x to a little beyond where it meets zero (x_next)."""
    a, b = sorted((x, x_next))
    return clipped_line(axes, x, y, slope, (a - reach, b + reach), color=SLOPE)


def _axis_label(axes, name, x, y):
    """``name`` at (x, 0) on the side of the axis away from the curve, and clear of the y-axis."""
    label = tex(name, color=STEP)
    side = DOWN if y > 0 else UP
    if abs(axes.c2p(x, 0)[0] - axes.c2p(0, 0)[0]) < 0.4:
        side = side + RIGHT
    label.next_to(axes.c2p(x, 0), side, buff=0.2)
    left, right = axes.get_left()[0], axes.get_right()[0]
    return label.shift(RIGHT * (max(left - label.get_left()[0], 0) - max(label.get_right()[0] - right, 0)))
