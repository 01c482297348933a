"""Lesson 1 — Nudges: the derivative as the effect of a tiny nudge dx.

Render one scene:  manim -qm scenes/nudges.py SecantToTangent
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, UR, AnimationGroup, Arrow, Create, Dot, FadeIn, FadeOut, LaggedStart, Line,
    NumberLine, Rectangle, ReplacementTransform, SurroundingRectangle, ValueTracker, VGroup, VMobject, Write,
    always_redraw, linear,
)

from calcviz import derivatives
from calcviz.errors import CalcvizError
from calcviz.functions import FUNCTIONS, function
from scenes.kit.style import (
    CONSTRAINT, FORMULA_SIZE, FUNCTION, INK, LABEL_SIZE, MUTED, NUDGE, SAFE_MARGIN, SLOPE, SMALL_SIZE, TICK_SIZE, tex,
    text, title,
)
from scenes.kit.draw import Readout, attach, clipped_line, function_axes, number_tex, path_through, table_of
from scenes.kit.i18n import N_, t, t_tex, tex_number
from scenes.kit.settings import choice, integer, number
from scenes.kit.lesson import LessonScene

TICK_TEX = 26  # MathTex tick labels such as 10^{-8}
FRAME_RIGHT = 6.8 - 0.45  # the right edge of the safe area, less the corner buffer the formulas keep
# the two finite differences, by name; the first letter of a name marks its readouts (slope_f, h_f)
# TRANSLATORS: one word each; its first letter is the subscript of that method's readouts
METHOD_NAMES = {"forward": N_("forward"), "central": N_("central")}


def _initial(name):
    """The subscript of a method's readouts: the first letter of its name in the edition's language."""
    return str(t(METHOD_NAMES[name]))[0]


def _check_point_in_domain(values):
    lo, hi = function(values["function"]).domain
    if not lo <= values["x"] <= hi:
        raise CalcvizError(f"setting x: {values['x']:g} is outside the domain [{lo:g}, {hi:g}] "
                           f"of {values['function']}")


def graph_panel(fn, width=8.4, height=5.8, corner=DOWN + LEFT):
    """Axes sized to the function's domain and range, placed, with its curve computed by the core."""
    lo, hi = fn.domain
    curve = derivatives.derivative_curve(fn.f, lo, hi, 241)
    axes = function_axes([lo, hi, 1], _range_of(curve.fx, 6), width, height)
    axes.to_corner(corner, buff=0.45)
    graph = path_through(axes, curve.x, curve.fx, FUNCTION)
    _clear_ticks(axes, graph)
    return axes, curve, graph


def _stroke_points(*mobjects, spacing=0.02):
    """Points along the strokes of ``mobjects`` (their families), no further apart than ``spacing``."""
    out = [np.zeros((0, 3))]
    for m in (x for top in mobjects for x in top.get_family()):
        if not isinstance(m, VMobject) or len(m.points) < 2 or m.get_stroke_width() == 0:
            continue
        a, b = m.points[:-1], m.points[1:]
        n = int(np.ceil(np.max(np.linalg.norm(b - a, axis=1)) / spacing)) + 1
        steps = np.linspace(0, 1, n)[:, None, None]
        out.append((a + steps * (b - a)).reshape(-1, 3))
    return np.concatenate(out)


def _covers(label, points, margin=0.02) -> bool:
    """Whether any of ``points`` lies inside ``label``'s box (shrunk by ``margin``, as the gate does)."""
    lo, hi = label.get_corner(DOWN + LEFT)[:2] + margin, label.get_corner(UR)[:2] - margin
    return bool(np.any(np.all((points[:, :2] > lo) & (points[:, :2] < hi), axis=1)))


def _clear_ticks(axes, *curves):
    """Leave out the tick numbers a curve runs through (the others still give the scale)."""
    points = _stroke_points(*curves)
    for axis in (axes.x_axis, axes.y_axis):
        numbers = getattr(axis, "numbers", None)
        if numbers is not None:
            for number in [n for n in numbers if _covers(n, points)]:
                numbers.remove(number)


def _place_clear(label, spots, strokes=(), texts=()):
    """Put ``label`` at the first of ``spots`` (each a function that moves it) where it covers none of the
    lines of ``strokes`` and overlaps none of ``texts``; at the first spot when none is clear."""
    points = _stroke_points(*strokes)
    boxes = [(m.get_corner(DOWN + LEFT)[:2], m.get_corner(UR)[:2]) for m in texts]
    for spot in spots:
        spot(label)
        lo, hi = label.get_corner(DOWN + LEFT)[:2], label.get_corner(UR)[:2]
        if not _covers(label, points) and not any(np.all(np.minimum(hi, b) - np.maximum(lo, a) > 0.03)
                                                  for a, b in boxes):
            return label
    spots[0](label)
    return label


def _beside(target, direction, buff=0.15):
    return lambda label: label.next_to(target, direction, buff=buff)


class SecantToTangent(LessonScene):
    """A secant through x and x+dx turns into the tangent as the nudge dx shrinks.

    manim -qm scenes/nudges.py SecantToTangent
    """

    SETTINGS = {
        "function": choice("cubic", FUNCTIONS),
        "x": number(2.0, help="the point whose slope we want (x + dx inside the function's domain)",
                    examples=(-3.0, 0.0, 1.0)),
        "dx": number(1.0, 0.1, 2.0, help="the first nudge (smaller than 0.1 and the secant is already the tangent "
                                          "on screen)"),
        "halvings": integer(5, 1, 7, help="how many times the nudge is halved (each a row of the table)"),
    }

    @classmethod
    def check_settings(cls, values):
        _check_point_in_domain(values)
        lo, hi = function(values["function"]).domain
        if values["x"] + values["dx"] > hi:
            raise CalcvizError(f"settings x, dx: x + dx = {values['x'] + values['dx']:g} is past the end of the "
                               f"domain [{lo:g}, {hi:g}] of {values['function']}; want x + dx ≤ {hi:g}")

    def construct(self):
        s = self.settings
        fn = function(s["function"])
        x = s["x"]
        per_step = 30
        nudges = derivatives.shrinking_nudges(s["dx"], 0.5, s["halvings"] + 1, per_step=per_step)
        sec = derivatives.secant_slopes(fn.f, x, nudges, df=fn.df)
        keyframes = range(0, len(nudges), per_step)

        # --- beat 1: a curve and a point -------------------------------------------------------
        self.beat(t("A curve and a point"))
        heading = title(t("Secant to tangent"))
        axes, _, graph = graph_panel(fn)
        reach = 1.4  # graph units the secant and tangent run past the points, clear of the tick labels
        drawn = [clipped_line(axes, x, sec.fx, sec.true_slope, (x - reach, x + reach))]  # what will cross it
        for j in keyframes:
            run_end, rise_end = axes.c2p(x + sec.dx[j], sec.fx), axes.c2p(x + sec.dx[j], sec.fx + sec.rise[j])
            drawn += [Line(axes.c2p(x, sec.fx), run_end), Line(run_end, rise_end),
                      clipped_line(axes, x, sec.fx, sec.slope[j], (x - reach, x + sec.dx[j] + reach))]
        _clear_ticks(axes, *drawn)
        formula = tex(f"f(x) = {fn.tex}", color=FUNCTION).to_corner(UP + RIGHT, buff=0.5)
        p = Dot(axes.c2p(x, sec.fx), color=INK, radius=0.08)
        self.play(Write(heading), Create(axes), run_time=1.5)
        self.say(t("How steep is this curve at x = {x:g}?", x=x), Create(graph), FadeIn(formula), FadeIn(p), run_time=2)
        self.say(t("A curve has no single rise over run. So we nudge x a little and see what f does."))

        # --- beat 2: one nudge -----------------------------------------------------------------
        self.beat(t("One nudge"))
        k = ValueTracker(0)

        def i():
            return int(round(k.get_value()))

        def q():
            return axes.c2p(x + sec.dx[i()], sec.fx + sec.rise[i()])

        def corner():
            return axes.c2p(x + sec.dx[i()], sec.fx)

        qdot = always_redraw(lambda: Dot(q(), color=INK, radius=0.07))
        run = always_redraw(lambda: Line(p.get_center(), corner(), color=NUDGE, stroke_width=5))
        rise = always_redraw(lambda: Line(corner(), q(), color=NUDGE, stroke_width=5))
        secant = always_redraw(lambda: clipped_line(axes, x, sec.fx, sec.slope[i()],
                                                    (x - reach, x + sec.dx[i()] + reach), color=SLOPE))
        ticks = [n for axis in (axes.x_axis, axes.y_axis) for n in getattr(axis, "numbers", [])]
        under_axis = [lambda m: m.move_to([run.get_center()[0], axes.c2p(0, 0)[1] - 0.5, 0])]  # below it all
        dx_label = _place_clear(tex("dx", color=NUDGE), [_beside(run, DOWN), _beside(run, UP), *under_axis],
                                [axes, graph], ticks)
        df_label = _place_clear(tex("df", color=NUDGE), [_beside(rise, RIGHT), _beside(rise, LEFT)],
                                [axes, graph], ticks)

        readouts = VGroup(
            Readout("dx =", sec.dx[0], 4, NUDGE),
            Readout("df =", sec.rise[0], 4, NUDGE),
            Readout("df/dx =", sec.slope[0], 4, SLOPE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(formula, DOWN, buff=0.5).align_to(formula, LEFT)
        table, rows, table_head = _secant_table(sec, keyframes)
        sign_room = 0.3  # a readout may gain a minus sign as the nudge shrinks
        widest = max(readouts.width + sign_room, table.width)
        readouts.set_x(min(formula.get_left()[0], FRAME_RIGHT - widest), LEFT)
        dx_readout, df_readout, slope_readout = readouts
        dx_readout.number.add_updater(lambda m: m.set_value(sec.dx[i()]))
        df_readout.number.add_updater(lambda m: m.set_value(sec.rise[i()]))
        slope_readout.number.add_updater(lambda m: m.set_value(sec.slope[i()]))
        self.slope_readout = slope_readout  # read by the tests: what the viewer sees last

        self.say(t("Nudge x by dx = {dx:g}. The function changes by df.", dx=sec.dx[0]),
                 FadeIn(qdot), Create(run), Create(rise), FadeIn(dx_label), FadeIn(df_label), FadeIn(readouts[:2]),
                 run_time=1.5)
        self.say(t("The secant through both points rises df over a run of dx: its slope is df/dx."),
                 Create(secant), FadeIn(readouts[2]), run_time=1.2)

        # --- beat 3: shrink the nudge -------------------------------------------------------------
        self.beat(t("Shrink the nudge"))
        table.next_to(readouts, DOWN, buff=0.45).align_to(readouts, LEFT)
        answer = Readout(f"f'({tex_number(x, 'g')}) =", sec.true_slope, 4, SLOPE)
        room = table.get_top()[1] - (SAFE_MARGIN + 0.05 - 4.0) - answer.height - 0.35  # the answer goes below
        if table.height > room:  # many halvings: rows closer together, so the table and the answer fit
            gap = max(0.0, (room - sum(row.height for row in table)) / (len(table) - 1))
            table.arrange(DOWN, aligned_edge=LEFT, buff=gap).next_to(readouts, DOWN, buff=0.45)
            table.align_to(readouts, LEFT)
            for row in table:
                row[1].align_to(table_head[1], LEFT)
        self.say(t("Now make the nudge smaller. Halve dx, and halve it again, and keep a record."),
                 FadeIn(table_head), FadeIn(rows[0]), FadeOut(dx_label), FadeOut(df_label), run_time=0.8)
        needs = self.narrate(t("Each time the secant's slope changes less: it is settling on one number."))
        for n, j in enumerate(keyframes):
            if n == 0:
                continue
            self.play(k.animate.set_value(j), run_time=self.over_line(1.4, needs / (len(keyframes) - 1) - 0.4),
                      rate_func=linear)
            self.play(FadeIn(rows[n], shift=0.1 * UP), run_time=0.4)
        self.finish_line()  # a short table: the line still has to be read
        self.hold()

        # --- beat 4: the tangent -------------------------------------------------------------------
        self.beat(t("The tangent"))
        tangent = clipped_line(axes, x, sec.fx, sec.true_slope, (x - reach, x + reach), color=SLOPE,
                               stroke_width=7)
        answer.next_to(table, DOWN, buff=0.35).align_to(table, LEFT)
        self.answer = answer
        self.play(FadeOut(qdot), FadeOut(run), FadeOut(rise), run_time=0.5)
        self.say(t("As dx goes to zero the secant becomes the tangent."), Create(tangent), run_time=1.5)
        self.say(t("Its slope is the derivative: f'({x:g}) = {d:.4g}.", x=x, d=sec.true_slope), FadeIn(answer), run_time=1)
        self.hold()


def _secant_table(sec, keyframes):
    """(table, its rows, its head): dx and df/dx at each whole halving, dx to three significant figures."""
    table_head = VGroup(tex("dx", color=NUDGE), tex("df/dx", color=SLOPE))
    smallest = float(np.min(np.abs(sec.dx[list(keyframes)])))
    places = max(4, 2 - int(np.floor(np.log10(smallest))))
    rows = VGroup()
    for j in keyframes:
        rows.add(VGroup(tex(tex_number(sec.dx[j], f".{places}f")), tex(tex_number(sec.slope[j], ".4f"))))
    table = VGroup(table_head, *rows)
    for row in table:
        row[1].next_to(row[0], RIGHT, buff=0.9)
    table.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
    for row in table:  # right-align the second column
        row[1].align_to(table_head[1], LEFT)
    return table, rows, table_head


class DerivativeAsFunction(LessonScene):
    """Sliding the tangent along f traces its slope f'(x): the derivative is a function too.

    manim -qm scenes/nudges.py DerivativeAsFunction
    """

    SETTINGS = {"function": choice("cubic", FUNCTIONS),
                "seconds": number(12.0, 4.0, 30.0, help="how long the tangent takes to cross")}

    def construct(self):
        fn = function(self.settings["function"])
        lo, hi = fn.domain
        curve = derivatives.derivative_curve(fn.f, lo, hi, 241)
        last = len(curve.x) - 1

        # --- beat 1: the curve ------------------------------------------------------------------
        self.beat(t("The curve"))
        heading = title(t("The derivative as a function"))
        top = function_axes([lo, hi, 1], _range_of(curve.fx), 8.0, 2.9)
        top.next_to(heading, DOWN, buff=0.3).to_edge(LEFT, buff=0.45)
        bottom = function_axes([lo, hi, 1], _range_of(curve.slope), 8.0, 2.9)
        bottom.to_corner(DOWN + LEFT, buff=0.4)
        graph = path_through(top, curve.x, curve.fx, FUNCTION)
        _clear_ticks(top, graph, bottom)
        _clear_ticks(bottom, path_through(bottom, curve.x, curve.slope, SLOPE), top)  # where the trace will run
        f_label = tex(f"f(x) = {fn.tex}", color=FUNCTION).next_to(top, RIGHT, buff=0.5).shift(0.6 * UP)
        self.play(Write(heading), Create(top), run_time=1.2)
        self.say(t("Here is a function. Its steepness changes from place to place."),
                 Create(graph), FadeIn(f_label), run_time=1.5)

        # --- beat 2: the slope at one point -------------------------------------------------------
        self.beat(t("Slope at a point"))
        k = ValueTracker(0)

        def i():
            return int(round(k.get_value()))

        dot = always_redraw(lambda: Dot(top.c2p(curve.x[i()], curve.fx[i()]), color=INK, radius=0.07))
        tangent = always_redraw(lambda: clipped_line(
            top, curve.x[i()], curve.fx[i()], curve.slope[i()], (curve.x[i()] - 0.9, curve.x[i()] + 0.9)))
        x_readout = Readout("x =", curve.x[0], 2)
        slope_readout = Readout("f'(x) =", curve.slope[0], 2, SLOPE)
        readouts = VGroup(x_readout, slope_readout).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        readouts.next_to(f_label, DOWN, buff=0.6).align_to(f_label, LEFT)
        x_readout.number.add_updater(lambda m: m.set_value(curve.x[i()]))
        slope_readout.number.add_updater(lambda m: m.set_value(curve.slope[i()]))
        self.say(t("At each x the tangent has a slope: one number, f prime of x."),
                 FadeIn(dot), Create(tangent), FadeIn(readouts), run_time=1.2)
        self.say(t("Let's plot that number below, at the same x."), Create(bottom), run_time=1.0)

        # --- beat 3: slide the tangent --------------------------------------------------------------
        self.beat(t("Slide the tangent"))
        trace = always_redraw(lambda: path_through(bottom, curve.x[: i() + 1], curve.slope[: i() + 1], SLOPE)
                              if i() > 1 else VGroup())
        slope_dot = always_redraw(lambda: Dot(bottom.c2p(curve.x[i()], curve.slope[i()]), color=SLOPE, radius=0.07))
        self.add(trace, slope_dot)
        seconds = self.settings["seconds"]
        start = 0
        for stop, caption in slide_captions(curve):
            self.say(caption, k.animate.set_value(stop), run_time=seconds * (stop - start) / last,
                     rate_func=linear)
            start = stop

        # --- beat 4: the derivative is a function --------------------------------------------------
        self.beat(t("A new function"))
        df_label = tex(f"f'(x) = {fn.dtex}", color=SLOPE).next_to(bottom, RIGHT, buff=0.5).shift(0.6 * UP)
        self.say(t("Every x gave one slope, so the slopes form a new function: the derivative, f prime."),
                 FadeOut(readouts), FadeOut(dot), FadeOut(tangent), FadeIn(df_label), run_time=1.2)
        self.hold()


def slide_captions(curve) -> list[tuple[int, str]]:
    """(index to slide to, what to say on the way) for each stretch of the derivative's slide: up to each
    peak or valley the curve has, then to the end — each line chosen from what the slope does there."""
    last = len(curve.x) - 1
    turns = [(int(i), kind) for i, kind in zip(curve.flat_indices, curve.flat_kinds) if kind != "level"]
    out = []
    for n, (stop, kind) in enumerate(turns):
        if kind == "peak":
            out.append((stop, t("Where the curve climbs, the slope is positive. At the top of a hill the "
                                "tangent is flat: the slope is zero.") if n == 0 else
                        t("Going uphill the slope is positive, until the hilltop, flat again.")))
        else:
            out.append((stop, t("Where the curve falls, the slope is negative. At the bottom of a valley the "
                                "tangent is flat: the slope is zero.") if n == 0 else
                        t("Going downhill the slope is negative, until the valley floor, flat again.")))
    start = turns[-1][0] + 1 if turns else 0
    rest = curve.slope[start:]
    climbs = np.sum(rest > 0) >= np.sum(rest < 0)
    steeper = bool(np.all(np.diff(np.abs(rest)) >= 0))
    if turns:
        caption = {(True, True): t("Then the curve climbs ever more steeply, and the slope keeps growing."),
                   (True, False): t("Then the curve climbs to the end: the slope stays positive."),
                   (False, True): t("Then the curve falls ever more steeply, and the slope keeps dropping."),
                   (False, False): t("Then the curve falls to the end: the slope stays negative.")}
    else:
        caption = {(True, True): t("The curve climbs all the way, ever more steeply: the slope is positive "
                                   "and keeps growing."),
                   (True, False): t("The curve climbs all the way: the slope stays positive."),
                   (False, True): t("The curve falls all the way, ever more steeply: the slope is negative "
                                    "and keeps dropping."),
                   (False, False): t("The curve falls all the way: the slope stays negative.")}
    out.append((last, caption[bool(climbs), steeper]))
    return out


# --- small private helpers (drawing and formatting only; every number comes from the core) -------
def _box(corner, width, height, color, opacity):
    """A filled rectangle with its lower-left corner at ``corner`` (scene coordinates)."""
    return Rectangle(width=width, height=height, color=color, fill_color=color, fill_opacity=opacity,
                     stroke_width=2).move_to(np.asarray(corner) + np.array([width / 2, height / 2, 0]))


def _step_time(needs: float, steps: int, before: float, extra: float) -> float:
    """Seconds of animation per shrink step so that ``before`` seconds, then ``steps`` steps of
    (animation + ``extra``), outlast the line narrated over them (``needs`` seconds)."""
    return max(1.0, (needs - before) / steps - extra)


# =====================================================================================================
class SumAndPowerRules(LessonScene):
    """A square of side x grows by two strips x·dx and a vanishing corner dx²; nudges of a sum just stack.

    manim -qm scenes/nudges.py SumAndPowerRules
    """

    SETTINGS = {
        "x": number(2.0, 0.5, 4.0, help="side of the square"),
        "dx": number(0.5, 0.05, 1.0, help="the first nudge of the side"),
        "halvings": integer(3, 1, 5, help="how many times the nudge is halved"),
        "cube_dx": number(0.1, 1e-3, 0.5, help="the larger of the two nudges shown for x³ (then ÷10)"),
        "sum_x": number(0.5, 0.3, 0.8, help="the point where f = sin x and g = x²/4 are nudged"),
        "sum_dx": number(0.8, 0.6, 1.0, help="the nudge for the sum rule"),
    }

    @classmethod
    def check_settings(cls, values):
        if values["dx"] > values["x"]:
            raise CalcvizError(f"setting dx: {values['dx']:g} is larger than the side x = {values['x']:g}; "
                               "a nudge should be small next to x")
        if values["sum_x"] + values["sum_dx"] > 1.4:
            raise CalcvizError(f"settings sum_x, sum_dx: x + dx = {values['sum_x'] + values['sum_dx']:g} passes "
                               "1.4, where sin x turns over and its rise gets lost in the curve")

    def construct(self):
        self.power_as_area()
        self.cube()
        self.sum_rule()

    # --- (a) x² as the area of a square ---------------------------------------------------------
    def power_as_area(self):
        s = self.settings
        x, per_step = s["x"], 20
        nudges = derivatives.shrinking_nudges(s["dx"], 0.5, s["halvings"] + 1, per_step=per_step)
        grow = [derivatives.power_nudge(2, x, d) for d in nudges]
        keyframes = range(0, len(nudges), per_step)
        scale = 4.7 / (x + s["dx"])
        origin = np.array([-5.9, -2.85, 0.0])
        side = x * scale

        self.beat(t("A square of side x"))
        heading = title(t("The power rule as area"))
        square = _box(origin, side, side, FUNCTION, 0.35)
        area = tex("x^2", FORMULA_SIZE, FUNCTION).move_to(square)
        bottom = attach(tex("x", color=FUNCTION).next_to(square, DOWN, buff=0.15), square)
        left = attach(tex("x", color=FUNCTION).next_to(square, LEFT, buff=0.15), square)
        self.say(t("A square of side x has area x squared."),
                 Write(heading), FadeIn(square), FadeIn(area), FadeIn(bottom), FadeIn(left), run_time=1.2)

        # --- grow the side by dx -----------------------------------------------------------------
        self.beat(t("Grow the side by dx"))
        k = ValueTracker(0)

        def now():
            return grow[int(round(k.get_value()))]

        def width():
            return now().dx * scale

        right = always_redraw(lambda: _box(origin + [side, 0, 0], width(), side, NUDGE, 0.45))
        top = always_redraw(lambda: _box(origin + [0, side, 0], side, width(), NUDGE, 0.45))
        corner = always_redraw(lambda: _box(origin + [side, side, 0], width(), width(), NUDGE, 0.9))
        right_label = attach(tex(r"x\,dx", color=NUDGE), right)
        right_label.add_updater(lambda m: m.next_to(right, RIGHT, buff=0.15))
        top_label = attach(tex(r"x\,dx", color=NUDGE), top)
        top_label.add_updater(lambda m: m.next_to(top, UP, buff=0.12))
        corner_label = attach(tex("dx^2", color=NUDGE), corner)
        corner_label.add_updater(lambda m: m.next_to(corner, UR, buff=0.05))
        dx_bottom = attach(tex("dx", color=NUDGE), right)
        dx_bottom.add_updater(lambda m: m.next_to(right, DOWN, buff=0.15))
        dx_left = attach(tex("dx", color=NUDGE), top)
        dx_left.add_updater(lambda m: m.next_to(top, LEFT, buff=0.15))

        formula = tex(r"d(x^2) = 2x\,dx + dx^2", FORMULA_SIZE)
        formula.to_corner(UR, buff=0.5).shift(0.15 * DOWN)
        self.say(t("Nudge the side by dx: two strips, x by dx, and a corner, dx by dx."),
                 FadeIn(right), FadeIn(top), FadeIn(dx_bottom), FadeIn(dx_left), FadeIn(right_label),
                 FadeIn(top_label), FadeIn(corner), FadeIn(corner_label), run_time=1.5)
        self.say(t("The area grows by 2x dx plus dx squared."), Write(formula), run_time=1.0)

        # --- shrink the nudge: the corner's share vanishes ----------------------------------------
        self.beat(t("The corner vanishes"))
        header = [tex("dx", color=NUDGE), tex(r"2x\,dx", color=NUDGE), tex("dx^2", color=NUDGE),
                  tex(r"\dfrac{dx^2}{d(x^2)}")]
        rows = [[tex(number_tex(grow[j].dx, 4)), tex(number_tex(grow[j].terms[0], 4)),
                 tex(number_tex(grow[j].terms[1], 4)), tex(tex_number(100 * grow[j].rest_share, ".1f") + r"\%")] for j in keyframes]
        table = table_of(header, rows)
        table.next_to(formula, DOWN, buff=0.5).align_to(formula, RIGHT)
        caption = t("Halve dx: the strips halve, the corner drops to a quarter.")
        needs = self.narrate(caption)
        self.play(FadeIn(table[0]), FadeIn(table[1]), run_time=0.6)
        for n, j in enumerate(keyframes):
            if n == 0:
                continue
            self.play(k.animate.set_value(j), run_time=_step_time(needs, len(keyframes) - 1, 0.6, 0.4),
                      rate_func=linear)
            self.play(FadeIn(table[n + 1], shift=0.1 * UP), run_time=0.4)
        box = SurroundingRectangle(VGroup(*[line[3] for line in table]), color=SLOPE, buff=0.1)
        rule = tex(r"d(x^2) \approx 2x\,dx", FORMULA_SIZE, SLOPE).next_to(table, DOWN, buff=0.5)
        rule.align_to(table, RIGHT)
        self.say(t("Its share vanishes: what is left is 2x dx."), Create(box), Write(rule), run_time=1.0)
        self.clear_beat(heading, run_time=0.5)
        self.heading = heading

    # --- x³: one term dominates -------------------------------------------------------------------
    def cube(self):
        s = self.settings
        x = s["x"]
        pair = derivatives.shrinking_nudges(s["cube_dx"], 0.1, 2)
        cubes = [derivatives.power_nudge(3, x, d) for d in pair]

        self.beat(t("The same for x cubed"))
        heading = title(t("The pattern for x³"))
        formula = tex(r"d(x^3) = 3x^2\,dx + 3x\,dx^2 + dx^3", FORMULA_SIZE)
        header = [tex("dx", color=NUDGE), tex(r"3x^2\,dx", color=SLOPE), tex(r"3x\,dx^2", color=NUDGE),
                  tex("dx^3", color=NUDGE)]
        rows = [[tex(number_tex(c.dx, 4)), *(tex(number_tex(t, 4)) for t in c.terms)] for c in cubes]
        table = table_of(header, rows, gap=0.8)
        at = tex(f"x = {tex_number(x, 'g')}", color=FUNCTION)
        VGroup(formula, at, table).arrange(DOWN, buff=0.55).scale(1.15).move_to(0.3 * DOWN)
        self.say(t("A cube grows by 3x squared dx, plus smaller terms."),
                 ReplacementTransform(self.heading, heading), Write(formula), FadeIn(at), FadeIn(table[0]),
                 FadeIn(table[1]), run_time=1.5)
        lead = SurroundingRectangle(VGroup(*[line[1] for line in table]), color=SLOPE, buff=0.1)
        rule = tex(r"(x^n)' = n\,x^{n-1}", FORMULA_SIZE, SLOPE).next_to(table, DOWN, buff=0.55)
        self.say(t("Shrink dx tenfold: the first term wins. That is the power rule."),
                 FadeIn(table[2], shift=0.1 * UP), Create(lead), Write(rule), run_time=1.5)
        self.clear_beat(heading, run_time=0.5)
        self.heading = heading

    # --- (b) the sum rule: nudges stack -------------------------------------------------------------
    def sum_rule(self):
        s = self.settings
        x, dx = s["sum_x"], s["sum_dx"]
        sine = function("sine")
        f = sine.f

        def g(t):
            return t**2 / 4

        def fg(t):  # the sum, as one more function for the core to evaluate
            return f(t) + g(t)

        nudge = derivatives.sum_nudge(f, g, x, dx)
        at = {name: derivatives.secant_slopes(fn, x, [dx]) for name, fn in (("f", f), ("g", g), ("f+g", fg))}

        self.beat(t("The sum rule"))
        heading = title(t("The sum rule"))
        panels = VGroup(*[function_axes([0, 3, 1], [0, 2.5, 1], 3.55, 3.3) for _ in range(3)])
        panels.arrange(RIGHT, buff=0.7).move_to(0.55 * DOWN)
        graphs, labels = VGroup(), VGroup()
        for axes, fn, label in zip(panels, (f, g, fg),
                                   (rf"f(x) = {sine.tex}", r"g(x) = \tfrac{1}{4}x^2", r"f(x) + g(x)")):
            curve = derivatives.derivative_curve(fn, 0, 3, 121)
            graphs.add(path_through(axes, curve.x, curve.fx, FUNCTION))
            labels.add(tex(label, color=FUNCTION).next_to(axes, UP, buff=0.25))
        self.play(ReplacementTransform(self.heading, heading), *[Create(a) for a in panels],
                  *[Create(gr) for gr in graphs], FadeIn(labels), run_time=1.5)

        # each panel: the run dx and the rise it causes
        pieces = []
        for axes, name in zip(panels, ("f", "g", "f+g")):
            sec = at[name]
            p0, p1 = axes.c2p(x, sec.fx), axes.c2p(x + dx, sec.fx)
            p2 = axes.c2p(x + dx, sec.fx + sec.rise[0])
            pieces.append((Dot(p0, color=INK, radius=0.06), Line(p0, p1, color=NUDGE, stroke_width=4),
                           Line(p1, p2, color=NUDGE, stroke_width=6), Dot(p2, color=INK, radius=0.06)))
        rise_labels = VGroup(
            attach(tex("df", color=NUDGE).next_to(pieces[0][2], RIGHT, buff=0.12), pieces[0][2]),
            attach(tex("dg", color=NUDGE).next_to(pieces[1][2], RIGHT, buff=0.12), pieces[1][2]))
        self.say(t("Nudge x by dx: f rises by df, and g by dg."),
                 *[FadeIn(VGroup(*pc[:2])) for pc in pieces[:2]], *[Create(pc[2]) for pc in pieces[:2]],
                 *[FadeIn(pc[3]) for pc in pieces[:2]], FadeIn(rise_labels), run_time=1.5)

        # stack them in the third panel
        self.beat(t("Nudges stack"))
        third = panels[2]
        base = at["f+g"].fx
        df_up = Line(third.c2p(x + dx, base), third.c2p(x + dx, base + nudge.df), color=NUDGE, stroke_width=6)
        dg_up = Line(third.c2p(x + dx, base + nudge.df), third.c2p(x + dx, base + nudge.d_sum),
                     color=NUDGE, stroke_width=6)
        seam = Line(0.1 * LEFT, 0.1 * RIGHT, color=INK, stroke_width=3).move_to(dg_up.get_start())
        stack_labels = VGroup(
            attach(tex("df", color=NUDGE).next_to(df_up, RIGHT, buff=0.12), df_up),
            attach(tex("dg", color=NUDGE).next_to(dg_up, RIGHT, buff=0.12), dg_up))
        clash = stack_labels[0].get_top()[1] + 0.06 - stack_labels[1].get_bottom()[1]
        if clash > 0:  # short rises: keep the two labels apart
            stack_labels[0].shift(0.5 * clash * DOWN)
            stack_labels[1].shift(0.5 * clash * UP)
        self.say(t("On f plus g the two rises simply stack."), FadeIn(VGroup(*pieces[2][:2])),
                 ReplacementTransform(pieces[0][2].copy(), df_up),
                 ReplacementTransform(pieces[1][2].copy(), dg_up), FadeIn(stack_labels), run_time=1.5)

        readouts = VGroup(Readout("df =", nudge.df, 3, NUDGE), Readout("dg =", nudge.dg, 3, NUDGE),
                          Readout("d(f+g) =", nudge.d_sum, 3, NUDGE))
        for r, axes in zip(readouts, panels):
            r.next_to(axes, DOWN, buff=0.35)
        rule = tex(r"(f+g)' = f' + g'", FORMULA_SIZE, SLOPE).to_corner(UR, buff=0.5)
        self.say(t("Divide by dx: the derivative of a sum is the sum of the derivatives."),
                 FadeIn(seam), FadeIn(pieces[2][3], scale=1.5), FadeIn(readouts), Write(rule), run_time=1.2)


# =====================================================================================================
class ProductRuleArea(LessonScene):
    """The rectangle f·g grows by strips f·dg and g·df and a corner df·dg that vanishes faster.

    manim -qm scenes/nudges.py ProductRuleArea
    """

    SETTINGS = {
        "x": number(1.0, 0.2, 1.4, help="the point x where f = sin x and g = x² are nudged"),
        "dx": number(0.2, 0.02, 0.4, help="the first nudge"),
        "halvings": integer(3, 1, 5, help="how many times the nudge is halved"),
    }

    @staticmethod
    def _functions():
        return function("sine"), function("square")

    @classmethod
    def check_settings(cls, values):
        f, g = cls._functions()
        p = derivatives.product_nudge(f.f, g.f, values["x"], values["dx"])
        if p.df <= 0 or p.dg <= 0:
            raise CalcvizError(f"settings x, dx: f = sin x must grow between x = {values['x']:g} and "
                               f"x + dx = {values['x'] + values['dx']:g}, so the rectangle grows")

    def construct(self):
        s = self.settings
        f, g = self._functions()
        x, per_step = s["x"], 20
        nudges = derivatives.shrinking_nudges(s["dx"], 0.5, s["halvings"] + 1, per_step=per_step)
        grow = [derivatives.product_nudge(f.f, g.f, x, d) for d in nudges]
        keyframes = range(0, len(nudges), per_step)
        first = grow[0]
        scale = min(5.6 / (first.g + first.dg), 5.0 / (first.f + first.df))
        origin = np.array([-5.9, -3.15, 0.0])
        column = 3.0  # x of the right-hand column: names, slider, table, formula
        w, h = first.f * scale, first.g * scale

        # --- beat 1: a rectangle whose sides are f(x) and g(x) -----------------------------------
        self.beat(t("A rectangle f times g"))
        heading = title(t("The product rule as area"))
        names = tex(rf"f(x) = {f.tex},\quad g(x) = {g.tex}", color=FUNCTION).move_to([column, 3.25, 0])
        if names.get_left()[0] < heading.get_right()[0] + 0.4:  # a longer title (another language)
            names.set_x(heading.get_right()[0] + 0.4, LEFT)
        rect = _box(origin, w, h, FUNCTION, 0.35)
        inside = tex(r"f\,g", FORMULA_SIZE, FUNCTION).move_to(rect)
        f_side = attach(tex("f", color=FUNCTION).next_to(rect, DOWN, buff=0.15), rect)
        g_side = attach(tex("g", color=FUNCTION).next_to(rect, LEFT, buff=0.15), rect)

        slider = NumberLine(x_range=[0, 2, 0.5], length=5.0, color=MUTED, include_numbers=True,
                            font_size=TICK_SIZE, decimal_number_config={"num_decimal_places": 1})
        slider.next_to(names, DOWN, buff=0.7).set_x(column + 0.2)
        slider_name = tex("x").next_to(slider, LEFT, buff=0.3)
        dot = Dot(slider.n2p(x), color=INK, radius=0.08)
        self.say(t("Two functions of x: f is the sine, g the square."), Write(heading), FadeIn(names),
                 Create(slider), FadeIn(slider_name), FadeIn(dot), run_time=1.5)
        self.say(t("Draw their product as a rectangle, f wide and g tall."),
                 FadeIn(rect), FadeIn(inside), FadeIn(f_side), FadeIn(g_side), run_time=1.2)

        # --- beat 2: nudge x ------------------------------------------------------------------------
        self.beat(t("Nudge x"))
        k = ValueTracker(0)

        def now():
            return grow[int(round(k.get_value()))]

        seg = always_redraw(lambda: Line(slider.n2p(x), slider.n2p(x + now().dx), color=NUDGE, stroke_width=8))
        seg_label = attach(tex("dx", color=NUDGE), seg)
        seg_label.add_updater(lambda m: m.next_to(seg, UP, buff=0.15))
        top = always_redraw(lambda: _box(origin + [0, h, 0], w, now().dg * scale, NUDGE, 0.45))
        side = always_redraw(lambda: _box(origin + [w, 0, 0], now().df * scale, h, NUDGE, 0.45))
        corner = always_redraw(lambda: _box(origin + [w, h, 0], now().df * scale, now().dg * scale, NUDGE, 0.9))
        top_label = attach(tex(r"f\,dg", color=NUDGE), top)
        top_label.add_updater(lambda m: m.next_to(top, UP, buff=0.12))
        side_label = attach(tex(r"g\,df", color=NUDGE), side)
        side_label.add_updater(lambda m: m.next_to(side, RIGHT, buff=0.15))
        corner_label = attach(tex(r"df\,dg", color=NUDGE), corner)
        corner_label.add_updater(lambda m: m.next_to(corner, UR, buff=0.05))
        # the sides themselves grow first: f by df along the bottom, g by dg up the left
        f_grows = always_redraw(lambda: Line(origin + [w, 0, 0], origin + [w + now().df * scale, 0, 0],
                                             color=NUDGE, stroke_width=7))
        g_grows = always_redraw(lambda: Line(origin + [0, h, 0], origin + [0, h + now().dg * scale, 0],
                                             color=NUDGE, stroke_width=7))
        df_side = attach(tex("df", color=NUDGE), f_grows)
        df_side.add_updater(lambda m: m.next_to(f_grows, DOWN, buff=0.15))
        dg_side = attach(tex("dg", color=NUDGE), g_grows)
        dg_side.add_updater(lambda m: m.next_to(g_grows, LEFT, buff=0.15))

        self.say(t("Nudge x by dx: f grows by df, and g by dg."), Create(seg), FadeIn(seg_label),
                 Create(f_grows), Create(g_grows), FadeIn(df_side), FadeIn(dg_side), run_time=1.5)
        self.say(t("The area gains a strip f dg on top, a strip g df on the side, and a corner df dg."),
                 LaggedStart(AnimationGroup(FadeIn(top), FadeIn(top_label)),
                             AnimationGroup(FadeIn(side), FadeIn(side_label)),
                             AnimationGroup(FadeIn(corner), FadeIn(corner_label)), lag_ratio=1.0), run_time=3.0)

        # --- beat 3: shrink the nudge --------------------------------------------------------------
        self.beat(t("Shrink the nudge"))
        header = [tex("dx", color=NUDGE), tex(r"f\,dg", color=NUDGE), tex(r"g\,df", color=NUDGE),
                  tex(r"df\,dg", color=NUDGE)]
        rows = [[tex(number_tex(grow[j].dx, 4)),
                 *(tex(number_tex(a, 4)) for a in (grow[j].top, grow[j].side, grow[j].corner))] for j in keyframes]
        table = table_of(header, rows)
        table.next_to(slider, DOWN, buff=0.55).set_x(column)
        change = tex(r"d(fg) = f\,dg + g\,df + df\,dg", FORMULA_SIZE)
        rule = tex(r"(fg)' = f\,g' + g\,f'", FORMULA_SIZE, SLOPE)
        room = table.get_top()[1] - (SAFE_MARGIN + 0.05 - 4.0) - change.height - rule.height - 0.9  # both below
        if table.height > room:  # many halvings: rows closer together, so both formulas fit below the table
            lines = len(rows) + 1
            row_gap = max(0.0, 0.2 - (table.height - room) / (lines - 1))
            table = table_of(header, rows, row_gap=row_gap).next_to(slider, DOWN, buff=0.55).set_x(column)
        caption = t("Shrink it: the strips halve, the corner drops to a quarter.")
        needs = self.narrate(caption)
        self.play(FadeIn(table[0]), FadeIn(table[1]), run_time=0.6)
        for n, j in enumerate(keyframes):
            if n == 0:
                continue
            self.play(k.animate.set_value(j), run_time=_step_time(needs, len(keyframes) - 1, 0.6, 0.4),
                      rate_func=linear)
            self.play(FadeIn(table[n + 1], shift=0.1 * UP), run_time=0.4)
        box = SurroundingRectangle(VGroup(*[line[3] for line in table]), color=SLOPE, buff=0.1)
        self.say(t("The corner is a nudge times a nudge: it vanishes faster."), Create(box), run_time=0.8)

        # --- beat 4: the product rule ----------------------------------------------------------------
        self.beat(t("The product rule"))
        change.next_to(table, DOWN, buff=0.5).set_x(column)
        rule.next_to(change, DOWN, buff=0.4)
        self.say(t("The area changes by f dg plus g df plus the corner."), Write(change), run_time=1.2)
        self.say(t("Divide by dx and let it shrink: f g prime plus g f prime. The product rule."),
                 Write(rule), run_time=1.2)


# =====================================================================================================
def _zoom_line(p, y, zoom, layout):
    """A number line at height ``y`` with the value ``p`` at screen x = anchor, magnified ``zoom`` times.

    ``layout = (left, right, anchor, unit, step)``; ticks every ``step`` values, halved each time the
    zoom doubles, so the tick spacing on screen stays between one and two ``unit·step``.
    """
    left, right, anchor, unit, step = layout
    scale = unit * zoom
    tick = step / 2 ** np.floor(np.log2(zoom) + 1e-9)
    lo, hi = p + (left - anchor) / scale, p + (right - anchor) / scale
    line = VGroup(Line([left, y, 0], [right, y, 0], color=MUTED, stroke_width=2))
    for v in np.arange(np.ceil(lo / tick), np.floor(hi / tick) + 1) * tick:
        sx = anchor + (v - p) * scale
        line.add(Line([sx, y - 0.08, 0], [sx, y + 0.08, 0], color=MUTED, stroke_width=2))
    return line


class ChainRuleNudges(LessonScene):
    """A nudge dx passes through u = g(x) and y = f(u): the rates multiply, dy/dx = dy/du · du/dx.

    manim -qm scenes/nudges.py ChainRuleNudges
    """

    SETTINGS = {
        "inner": choice("square", FUNCTIONS, help="g, the first function applied"),
        "outer": choice("sine", FUNCTIONS, help="f, applied to u = g(x)"),
        "x": number(0.8, -3.0, 3.0, help="the point that is nudged"),
        "dx": number(0.5, 0.02, 1.0, help="the first nudge"),
        "halvings": integer(4, 1, 6, help="how many times the nudge is halved"),
    }

    @classmethod
    def check_settings(cls, values):
        inner, outer = function(values["inner"]), function(values["outer"])
        for d in derivatives.shrinking_nudges(values["dx"], 0.5, values["halvings"] + 1):
            derivatives.chain_nudge(inner.f, outer.f, values["x"], d)  # raises if du = 0

    def construct(self):
        s = self.settings
        inner, outer = function(s["inner"]), function(s["outer"])
        x, per_step = s["x"], 20
        nudges = derivatives.shrinking_nudges(s["dx"], 0.5, s["halvings"] + 1, per_step=per_step)
        chain = [derivatives.chain_nudge(inner.f, outer.f, x, d) for d in nudges]
        keyframes = list(range(0, len(nudges), per_step))
        first, last = chain[0], chain[-1]
        composite = derivatives.secant_slopes(lambda t: outer.f(inner.f(t)), x, [last.dx])
        g_prime, f_prime = float(inner.df(x)), float(outer.df(first.u))
        k = ValueTracker(0)

        def now():
            return chain[int(round(k.get_value()))]

        def zoom():  # the camera follows the nudge: dx keeps its first length on screen
            return first.dx / now().dx

        # the right-hand column: nudges on the lines' rows, rates between them, limits beside the rates
        values = [Readout("dx =", first.dx, 3, NUDGE), Readout("du =", first.du, 3, NUDGE),
                  Readout("dy =", first.dy, 3, NUDGE)]
        rates = [Readout("du/dx =", first.du_dx, 3, SLOPE), Readout("dy/du =", first.dy_du, 3, SLOPE),
                 Readout("dy/dx =", first.dy_dx, 3, SLOPE)]
        limits = VGroup(tex(rf"\to {tex_number(g_prime, '.3f')}", color=SLOPE),
                        tex(rf"\to {tex_number(f_prime, '.3f')}", color=SLOPE),
                        tex(rf"\to {tex_number(composite.true_slope, '.3f')}", color=SLOPE))
        sign_room = 0.3  # a readout may gain a minus sign as the nudge shrinks
        rate_width = max(r.width for r in rates)  # as first shown: the limits keep to it, whatever the rates show
        need = rate_width + sign_room + 0.25 + max(lim.width for lim in limits)
        col = min(2.45, 6.75 - need)

        # one scale for all three lines, the base points x, u, y one above the other
        ys, bases_at = (1.85, -0.05, -1.95), (x, first.u, first.y)
        # room for every nudge as the camera follows it: each at the first nudge's scale (zoom() below)
        shown = [v * first.dx / c.dx for c in chain for v in (c.dx, c.du, c.dy)]
        lo, hi = min(0.0, *shown), max(0.0, *shown)
        lo, hi = lo - 0.3 * (hi - lo), hi + 0.3 * (hi - lo)
        left, right = -4.6, col - 0.8
        unit = (right - left) / (hi - lo)
        step = next(st for st in (0.1, 0.25, 0.5, 1.0, 2.0, 5.0) if (hi - lo) / st <= 10)
        layout = (left, right, left - lo * unit, unit, step)

        def at(i, value):
            return np.array([layout[2] + (value - bases_at[i]) * unit * zoom(), ys[i], 0.0])

        # --- beat 1: three linked number lines -------------------------------------------------------
        self.beat(t("Three number lines"))
        heading = title(t("The chain rule"))
        lines = VGroup(*[always_redraw(lambda i=i: _zoom_line(bases_at[i], ys[i], zoom(), layout))
                         for i in range(3)])
        names = VGroup(tex("x"), tex("u = g(x)"), tex("y = f(u)"))
        for name, y in zip(names, ys):
            name.move_to([0, y, 0]).set_x(left - 0.3, RIGHT)
        definitions = tex(rf"g(x) = {inner.tex},\quad f(u) = {outer.tex.replace('x', 'u')}", color=FUNCTION)
        definitions.next_to(heading, DOWN, buff=0.25).align_to(heading, LEFT)
        bases = VGroup(*[Dot(at(i, p), color=INK, radius=0.07) for i, p in enumerate(bases_at)])
        links = VGroup(*[Arrow(bases[i].get_center(), bases[i + 1].get_center(), buff=0.15, color=MUTED,
                               stroke_width=3, max_tip_length_to_length_ratio=0.1) for i in range(2)])
        self.say(t("Three number lines: x, then u = g(x), then y = f(u)."),
                 Write(heading), *[Create(line) for line in lines], FadeIn(names), FadeIn(definitions),
                 run_time=1.5)
        self.say(t("The point x is carried to u, and u to y."), FadeIn(bases[0]), Create(links[0]), FadeIn(bases[1]),
                 Create(links[1]), FadeIn(bases[2]), run_time=1.5)

        # --- beat 2: one nudge passes through -------------------------------------------------------
        self.beat(t("A nudge passes through"))

        def ends():
            c = now()
            return [at(i, v) for i, v in enumerate((c.x + c.dx, c.u + c.du, c.y + c.dy))]

        segs = VGroup(*[always_redraw(lambda i=i: Line(at(i, bases_at[i]), ends()[i], color=NUDGE, stroke_width=9))
                        for i in range(3)])
        nudged_links = VGroup(*[always_redraw(lambda i=i: Arrow(
            ends()[i], ends()[i + 1], buff=0.15, color=NUDGE, stroke_width=3,
            max_tip_length_to_length_ratio=0.1)) for i in range(2)])

        for r, y in zip(values, ys):
            r.move_to([0, y, 0]).set_x(col, LEFT)
        for r, y in zip(rates, (0.9, -1.0, -3.05)):
            r.move_to([0, y, 0]).set_x(col, LEFT)
        for r, get in zip(values, ("dx", "du", "dy")):
            r.number.add_updater(lambda m, get=get: m.set_value(getattr(now(), get)))
        for r, get in zip(rates, ("du_dx", "dy_du", "dy_dx")):
            r.number.add_updater(lambda m, get=get: m.set_value(getattr(now(), get)))
        formula = tex(r"\frac{dy}{dx} = \frac{dy}{du}\cdot\frac{du}{dx}", FORMULA_SIZE).to_corner(UR, buff=0.4)

        self.say(t("Nudge x by dx: u moves by du, and y by dy."), Create(segs[0]), FadeIn(values[0]),
                 Create(nudged_links[0]), Create(segs[1]), FadeIn(values[1]),
                 Create(nudged_links[1]), Create(segs[2]), FadeIn(values[2]), run_time=2.0)
        self.say(t("g stretches the nudge by du/dx, then f stretches it by dy/du."),
                 FadeIn(rates[0]), FadeIn(rates[1]), run_time=1.0)
        self.say(t("The stretches multiply: dy/dx = dy/du times du/dx."), FadeIn(rates[2]), Write(formula),
                 run_time=1.2)

        # --- beat 3: shrink the nudge ------------------------------------------------------------------
        self.beat(t("Shrink the nudge"))
        zoom_word = t("zoom")
        magnifier = Readout(rf"\text{{{zoom_word}}}\ \times", 1, 0, MUTED)
        magnifier.number.add_updater(lambda m: m.set_value(zoom()))
        magnifier.to_corner(DOWN + LEFT, buff=0.45)
        caption = t("Shrink the nudge, and zoom in to follow it: each rate settles on a number.")
        needs = self.narrate(caption)
        self.play(FadeIn(magnifier), run_time=0.5)
        for j in keyframes[1:]:
            self.play(k.animate.set_value(j), run_time=_step_time(needs, len(keyframes) - 1, 0.5, 0.3),
                      rate_func=linear)
            self.wait(0.3)
        self.hold(1.0)

        # --- beat 4: the limits ---------------------------------------------------------------------
        self.beat(t("The chain rule"))
        for lim, r in zip(limits, rates):
            lim.move_to(r).set_x(col + rate_width + sign_room + 0.25, LEFT)
        rule = tex(r"\frac{dy}{dx} = f'(g(x))\, g'(x)", FORMULA_SIZE, SLOPE).to_corner(UR, buff=0.4)
        self.say(t("du/dx tends to g'(x), dy/du to f'(u) at u = g(x), and dy/dx to their product."),
                 FadeIn(limits), run_time=1.0)
        self.say(t("That is the chain rule: f prime at g of x, times g prime of x."),
                 ReplacementTransform(formula, rule), run_time=1.2)


class FiniteDifferenceError(LessonScene):
    """Forward and central differences on log–log axes: error slopes 1 and 2, the round-off wall, the best h.

    manim -qm scenes/nudges.py FiniteDifferenceError
    """

    SETTINGS = {
        # not the square: a central difference of a parabola is exact, so there is no error to plot
        "function": choice("exp", [name for name in FUNCTIONS if name != "square"],
                           help="cubic, sine, exp or wave (a parabola's central difference has no error)"),
        "x": number(1.0, help="where the derivative is estimated (inside the function's domain)",
                    examples=(-2.0, 0.0, 2.0)),
    }
    FLOOR = 1e-17  # an error of exactly 0 is drawn on the floor of the plot
    STEPS = np.logspace(-16, 0, 161)

    @classmethod
    def errors(cls, values):
        fn = function(values["function"])
        return derivatives.difference_errors(fn.f, fn.df, values["x"], cls.STEPS)

    @classmethod
    def check_settings(cls, values):
        """The lesson is the slopes 1 and 2 and the wall between them and round-off: refuse a point
        where the errors do not show them."""
        _check_point_in_domain(values)
        errs = cls.errors(values)
        try:
            orders = errs.order("forward"), errs.order("central")
        except CalcvizError as e:
            raise CalcvizError(f"settings function, x: {e}; choose another x") from None
        if abs(orders[0] - 1) > 0.25 or abs(orders[1] - 2) > 0.25:
            raise CalcvizError(f"settings function, x: at x = {values['x']:g} the errors of {values['function']} "
                               f"fall with slopes {orders[0]:.2f} and {orders[1]:.2f}, not 1 and 2 (a derivative "
                               f"vanishes there); choose another x")

    def construct(self):
        s = self.settings
        errs = self.errors(s)
        methods = {"forward": (NUDGE, r"\frac{f(x+h)-f(x)}{h}"),
                   "central": (CONSTRAINT, r"\frac{f(x+h)-f(x-h)}{2h}")}

        # --- beat 1: two ways to nudge -----------------------------------------------------------
        self.beat(t("Two ways to nudge"))
        heading = title(t("How small should the nudge be?"))
        formulas = VGroup(*[VGroup(text(t(METHOD_NAMES[name]), color=color), tex(formula, color=color))
                            .arrange(RIGHT, buff=0.4) for name, (color, formula) in methods.items()])
        formulas.arrange(DOWN, aligned_edge=LEFT, buff=0.5).move_to(0.3 * DOWN)
        self.say(t("A computer cannot let the nudge reach zero: it picks a small step h."),
                 Write(heading), run_time=1.0)
        self.say(t("The forward difference nudges one way."), FadeIn(formulas[0]), run_time=1.0)
        self.say(t("The central difference nudges both ways, so the two sides' errors cancel."),
                 FadeIn(formulas[1]), run_time=1.0)

        # --- beat 2: error against h ------------------------------------------------------------------
        self.beat(t("Error against h"))
        # Log–log axes: graph coordinates are log10 h + 16 and log10 error + 17, so the axis
        # lines sit at the bottom-left corner instead of through log10 = 0.
        axes = LogLogAxes(7.6, 5.2).to_corner(DOWN + LEFT, buff=0.85).shift(0.35 * RIGHT)
        h_label = tex("h", color=MUTED).next_to(axes.x_axis, RIGHT, buff=0.2)
        err_label = text(t("error"), SMALL_SIZE, MUTED).next_to(axes.y_axis, UP, buff=0.15)
        curves = {}
        for name, (color, _) in methods.items():
            logs = np.log10(np.maximum(errs.errors[name], self.FLOOR))
            curve = VMobject(color=color, stroke_width=3)
            curve.set_points_as_corners([axes.at(a, b) for a, b in zip(np.log10(errs.h)[::-1], logs[::-1])])
            curves[name] = curve
        names = VGroup(*[text(t(METHOD_NAMES[name]), SMALL_SIZE, color) for name, (color, _) in methods.items()])
        self.play(FadeOut(formulas), heading.animate.become(title(t("Error of each nudge, on log scales"))),
                  run_time=0.8)
        self.say(t("Plot the error against h, both on logarithmic scales."),
                 Create(axes), FadeIn(h_label), FadeIn(err_label), run_time=1.2)
        legend = names.arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(axes, RIGHT, buff=0.5).align_to(axes, UP)
        self.say(t("From a big h on the right to smaller ones: the forward error falls."),
                 Create(curves["forward"]), FadeIn(legend[0]), run_time=2.5)
        self.say(t("The central error falls much faster."), Create(curves["central"]), FadeIn(legend[1]),
                 run_time=2.5)

        # --- beat 3: slopes one and two ------------------------------------------------------------
        self.beat(t("Slopes 1 and 2"))
        orders = VGroup(*[Readout(t_tex(r"\text{{slope}}_{{\text{{{m}}}}} =", m=_initial(name)),
                                  errs.order(name), 2, color)
                          for name, (color, _) in methods.items()])
        orders.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(legend, DOWN, buff=0.6).align_to(legend, LEFT)
        self.say(t("On the right the lines are straight, with slopes {fwd:.2f} and {ctr:.2f}.",
                   fwd=errs.order("forward"), ctr=errs.order("central")), FadeIn(orders), run_time=1.0)
        self.say(t("Halve h and the forward error halves; the central error drops four times."))

        # --- beat 4: the round-off wall -------------------------------------------------------------
        self.beat(t("The round-off wall"))
        best = VGroup()
        for name, (color, _) in methods.items():
            best.add(Dot(axes.at(np.log10(errs.best_h(name)), np.log10(errs.best_error(name))),
                         color=color, radius=0.09))
        best_readouts = VGroup(*[Readout(t_tex(r"\text{{best }} h_{{\text{{{m}}}}} \approx", m=_initial(name)),
                                         0, 0, color)
                                 for name, (color, _) in methods.items()])
        for r, (name, _) in zip(best_readouts, methods.items()):
            k = int(np.round(np.log10(errs.best_h(name))))
            r.remove(r.number)
            r.add(tex(f"10^{{{k}}}", LABEL_SIZE, r.label.get_color()).next_to(r.label, RIGHT, buff=0.18))
        best_readouts.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(orders, DOWN, buff=0.6)
        best_readouts.align_to(orders, LEFT)
        wall = _pointer(axes, t("round-off"), (-12.5, -10.5), errs, "forward", 1e-12)
        truncation = _pointer(axes, t("truncation"), (-4.5, -13.0), errs, "central", 1e-3)
        self.say(t("On the right, the error is Taylor's series cut short."), FadeIn(truncation), run_time=0.8)
        self.say(t("Too small, and the error climbs again: f(x+h) and f(x) share almost every digit, "
                   "so their difference is rounding noise."), FadeIn(wall), run_time=1.0)
        self.say(t("The best step sits at the bottom of the V: about 10^{fwd:.0f} for forward differences, "
                   "about 10^{ctr:.0f} for central ones.",
                   fwd=np.log10(errs.best_h("forward")), ctr=np.log10(errs.best_h("central"))),
                 FadeIn(best), FadeIn(best_readouts), run_time=1.2)
        self.hold()


class LogLogAxes(VGroup):
    """Axes for log10 h ∈ [-16, 0] against log10 error ∈ [-17, 1], labelled in powers of ten."""

    def __init__(self, width, height):
        self.axes = function_axes([0, 16, 2], [0, 18, 2], width, height, numbers=False)
        self.x_axis, self.y_axis = self.axes.x_axis, self.axes.y_axis
        powers = VGroup(*[tex(f"10^{{{k}}}", TICK_TEX).next_to(self.axes.c2p(k + 16, 0), DOWN, buff=0.15)
                          for k in range(-16, 1, 4)],
                        *[tex(f"10^{{{k}}}", TICK_TEX).next_to(self.axes.c2p(0, k + 17), LEFT, buff=0.15)
                          for k in range(-16, 1, 4)])
        super().__init__(self.axes, powers)

    def at(self, log_h, log_error):
        return self.axes.c2p(log_h + 16, log_error + 17)


def _pointer(axes, words, at, errs, method, h):
    """A label at graph point ``at`` with an arrow to the error curve of ``method`` at step ``h``."""
    label = text(words, SMALL_SIZE, MUTED).move_to(axes.at(*at))
    j = int(np.argmin(np.abs(np.log10(errs.h) - np.log10(h))))
    tip = axes.at(np.log10(errs.h[j]), np.log10(max(errs.errors[method][j], FiniteDifferenceError.FLOOR)))
    arrow = Arrow(label.get_top(), tip, buff=0.12, color=MUTED, stroke_width=3, max_tip_length_to_length_ratio=0.15)
    return VGroup(attach(label, arrow), arrow)


def _range_of(values, ticks: int = 4):
    """An axis range [lo, hi, step] of whole numbers around ``values``, with 0 on a tick."""
    lo, hi = float(np.min(values)), float(np.max(values))
    step = max(1, int(np.ceil((hi - lo) / ticks)))
    return [int(np.floor(lo / step)) * step, int(np.ceil(hi / step)) * step, step]
