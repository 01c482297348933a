"""Lesson 1 — Nudges: the derivative as the effect of a tiny nudge dx.

Render one scene:  manim -qm scenes/nudges.py SecantToTangent
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Arrow, Create, Dot, FadeIn, FadeOut, Line, ValueTracker, VGroup, VMobject, Write,
    always_redraw, linear,
)

from calcviz import derivatives
from calcviz.errors import CalcvizError
from calcviz.functions import FUNCTIONS, function
from scenes.shared import (
    CONSTRAINT, FUNCTION, INK, LABEL_SIZE, reading_time, MUTED, NUDGE, SLOPE, SMALL_SIZE, LessonScene, Readout, attach, choice,
    clipped_line, function_axes, integer, number, path_through, tex, text, title,
)

TICK_TEX = 26  # MathTex tick labels such as 10^{-8}


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
    return axes, curve, path_through(axes, curve.x, curve.fx, FUNCTION)


class SecantToTangent(LessonScene):
    """A secant through x and x+dx turns into the tangent as the nudge dx shrinks.

    manim -qm scenes/nudges.py SecantToTangent
    """

    SETTINGS = {
        "function": choice("cubic", FUNCTIONS),
        "x": number(2.0, help="the point whose slope we want"),
        "dx": number(1.0, 1e-3, 2.0, help="the first nudge"),
        "halvings": integer(5, 1, 7, help="how many times the nudge is halved"),
    }
    check_settings = staticmethod(_check_point_in_domain)

    def construct(self):
        s = self.settings
        fn = function(s["function"])
        x = s["x"]
        per_step = 30
        nudges = derivatives.shrinking_nudges(s["dx"], 0.5, s["halvings"] + 1, per_step=per_step)
        sec = derivatives.secant_slopes(fn.f, x, nudges, df=fn.df)
        keyframes = range(0, len(nudges), per_step)

        # --- beat 1: a curve and a point -------------------------------------------------------
        self.beat("A curve and a point")
        heading = title("Secant to tangent")
        axes, _, graph = graph_panel(fn)
        formula = tex(f"f(x) = {fn.tex}", color=FUNCTION).to_corner(UP + RIGHT, buff=0.5)
        p = Dot(axes.c2p(x, sec.fx), color=INK, radius=0.08)
        self.play(Write(heading), Create(axes), run_time=1.5)
        self.say(f"How steep is this curve at x = {x:g}?", Create(graph), FadeIn(formula), FadeIn(p), run_time=2)
        self.say("A curve has no single rise over run. So we nudge x a little and see what f does.")

        # --- beat 2: one nudge -----------------------------------------------------------------
        self.beat("One nudge")
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
        reach = 1.4  # graph units the secant and tangent run past the points, clear of the tick labels
        secant = always_redraw(lambda: clipped_line(axes, x, sec.fx, sec.slope[i()],
                                                    (x - reach, x + sec.dx[i()] + reach), color=SLOPE))
        dx_label = tex("dx", color=NUDGE).next_to(run, DOWN, buff=0.15)
        df_label = tex("df", color=NUDGE).next_to(rise, RIGHT, buff=0.15)

        readouts = VGroup(
            Readout("dx =", sec.dx[0], 4, NUDGE),
            Readout("df =", sec.rise[0], 4, NUDGE),
            Readout("df/dx =", sec.slope[0], 4, SLOPE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(formula, DOWN, buff=0.5).align_to(formula, LEFT)
        dx_readout, df_readout, slope_readout = readouts
        dx_readout.number.add_updater(lambda m: m.set_value(sec.dx[i()]))
        df_readout.number.add_updater(lambda m: m.set_value(sec.rise[i()]))
        slope_readout.number.add_updater(lambda m: m.set_value(sec.slope[i()]))
        self.slope_readout = slope_readout  # read by the tests: what the viewer sees last

        self.say(f"Nudge x by dx = {sec.dx[0]:g}. The function changes by df.",
                 FadeIn(qdot), Create(run), Create(rise), FadeIn(dx_label), FadeIn(df_label), FadeIn(readouts[:2]),
                 run_time=1.5)
        self.say("The secant through both points rises df over a run of dx: its slope is df/dx.",
                 Create(secant), FadeIn(readouts[2]), run_time=1.2)

        # --- beat 3: shrink the nudge -------------------------------------------------------------
        self.beat("Shrink the nudge")
        table_head = VGroup(tex("dx", color=NUDGE), tex("df/dx", color=SLOPE))
        rows = VGroup()
        for j in keyframes:
            row = VGroup(tex(f"{sec.dx[j]:.4f}"), tex(f"{sec.slope[j]:.4f}"))
            rows.add(row)
        table = VGroup(table_head, *rows)
        for row in table:
            row[1].next_to(row[0], RIGHT, buff=0.9)
        table.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        for row in table:  # right-align the second column
            row[1].align_to(table_head[1], LEFT)
        table.next_to(readouts, DOWN, buff=0.45).align_to(readouts, LEFT)
        self.say("Now make the nudge smaller. Halve dx, and halve it again, and keep a record.",
                 FadeIn(table_head), FadeIn(rows[0]), FadeOut(dx_label), FadeOut(df_label), run_time=0.8)
        settling = "Each time the secant's slope changes less: it is settling on one number."
        self.add_subcaption(settling, duration=reading_time(settling))
        for n, j in enumerate(keyframes):
            if n == 0:
                continue
            self.play(k.animate.set_value(j), run_time=1.4, rate_func=linear)
            self.play(FadeIn(rows[n], shift=0.1 * UP), run_time=0.4)
        self.hold()

        # --- beat 4: the tangent -------------------------------------------------------------------
        self.beat("The tangent")
        tangent = clipped_line(axes, x, sec.fx, sec.true_slope, (x - reach, x + reach), color=SLOPE,
                               stroke_width=7)
        answer = Readout(f"f'({x:g}) =", sec.true_slope, 4, SLOPE).next_to(table, DOWN, buff=0.35)
        answer.align_to(table, LEFT)
        self.answer = answer
        self.play(FadeOut(qdot), FadeOut(run), FadeOut(rise), run_time=0.5)
        self.say("As dx goes to zero the secant becomes the tangent.", Create(tangent), run_time=1.5)
        self.say(f"Its slope is the derivative: f'({x:g}) = {sec.true_slope:.4g}.", FadeIn(answer), run_time=1)
        self.hold()


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
        self.beat("The curve")
        heading = title("The derivative as a function")
        top = function_axes([lo, hi, 1], _range_of(curve.fx), 8.0, 2.9)
        top.next_to(heading, DOWN, buff=0.3).to_edge(LEFT, buff=0.45)
        bottom = function_axes([lo, hi, 1], _range_of(curve.slope), 8.0, 2.9)
        bottom.to_corner(DOWN + LEFT, buff=0.4)
        graph = path_through(top, curve.x, curve.fx, FUNCTION)
        f_label = tex(f"f(x) = {fn.tex}", color=FUNCTION).next_to(top, RIGHT, buff=0.5).shift(0.6 * UP)
        self.play(Write(heading), Create(top), run_time=1.2)
        self.say("Here is a function. Its steepness changes from place to place.",
                 Create(graph), FadeIn(f_label), run_time=1.5)

        # --- beat 2: the slope at one point -------------------------------------------------------
        self.beat("Slope at a point")
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
        self.say("At each x the tangent has a slope: one number, f prime of x.",
                 FadeIn(dot), Create(tangent), FadeIn(readouts), run_time=1.2)
        self.say("Let's plot that number below, at the same x.", Create(bottom), run_time=1.0)

        # --- beat 3: slide the tangent --------------------------------------------------------------
        self.beat("Slide the tangent")
        trace = always_redraw(lambda: path_through(bottom, curve.x[: i() + 1], curve.slope[: i() + 1], SLOPE)
                              if i() > 1 else VGroup())
        slope_dot = always_redraw(lambda: Dot(bottom.c2p(curve.x[i()], curve.slope[i()]), color=SLOPE, radius=0.07))
        self.add(trace, slope_dot)
        stops = [*curve.flat_indices, last]
        seconds = self.settings["seconds"]
        captions = {0: "Where the curve climbs, the slope is positive. At the top of a hill the tangent is "
                       "flat: the slope is zero.",
                    1: "Going downhill the slope is negative, until the valley floor, flat again.",
                    2: "Then the curve climbs ever more steeply, and the slope keeps growing."}
        start = 0
        for n, stop in enumerate(stops):
            self.say(captions[n], k.animate.set_value(stop), run_time=seconds * (stop - start) / last,
                     rate_func=linear)
            start = stop

        # --- beat 4: the derivative is a function --------------------------------------------------
        self.beat("A new function")
        df_label = tex(f"f'(x) = {fn.dtex}", color=SLOPE).next_to(bottom, RIGHT, buff=0.5).shift(0.6 * UP)
        self.say("Every x gave one slope, so the slopes form a new function: the derivative, f prime.",
                 FadeOut(readouts), FadeOut(dot), FadeOut(tangent), FadeIn(df_label), run_time=1.2)
        self.hold()


class FiniteDifferenceError(LessonScene):
    """Forward and central differences on log–log axes: error slopes 1 and 2, the round-off wall, the best h.

    manim -qm scenes/nudges.py FiniteDifferenceError
    """

    SETTINGS = {"function": choice("exp", FUNCTIONS), "x": number(1.0)}
    check_settings = staticmethod(_check_point_in_domain)
    FLOOR = 1e-17  # an error of exactly 0 is drawn on the floor of the plot

    def construct(self):
        s = self.settings
        fn = function(s["function"])
        errs = derivatives.difference_errors(fn.f, fn.df, s["x"], np.logspace(-16, 0, 161))
        methods = {"forward": (NUDGE, r"\frac{f(x+h)-f(x)}{h}"),
                   "central": (CONSTRAINT, r"\frac{f(x+h)-f(x-h)}{2h}")}

        # --- beat 1: two ways to nudge -----------------------------------------------------------
        self.beat("Two ways to nudge")
        heading = title("How small should the nudge be?")
        formulas = VGroup(*[VGroup(text(name, color=color), tex(formula, color=color))
                            .arrange(RIGHT, buff=0.4) for name, (color, formula) in methods.items()])
        formulas.arrange(DOWN, aligned_edge=LEFT, buff=0.5).move_to(0.3 * DOWN)
        self.say("A computer cannot let the nudge reach zero: it picks a small step h.",
                 Write(heading), run_time=1.0)
        self.say("The forward difference nudges one way.", FadeIn(formulas[0]), run_time=1.0)
        self.say("The central difference nudges both ways, so the two sides' errors cancel.",
                 FadeIn(formulas[1]), run_time=1.0)

        # --- beat 2: error against h ------------------------------------------------------------------
        self.beat("Error against h")
        # Log–log axes: graph coordinates are log10 h + 16 and log10 error + 17, so the axis
        # lines sit at the bottom-left corner instead of through log10 = 0.
        axes = LogLogAxes(7.6, 5.2).to_corner(DOWN + LEFT, buff=0.85).shift(0.35 * RIGHT)
        h_label = tex("h", color=MUTED).next_to(axes.x_axis, RIGHT, buff=0.2)
        err_label = text("error", SMALL_SIZE, MUTED).next_to(axes.y_axis, UP, buff=0.15)
        curves = {}
        for name, (color, _) in methods.items():
            logs = np.log10(np.maximum(errs.errors[name], self.FLOOR))
            curve = VMobject(color=color, stroke_width=3)
            curve.set_points_as_corners([axes.at(a, b) for a, b in zip(np.log10(errs.h)[::-1], logs[::-1])])
            curves[name] = curve
        names = VGroup(*[text(name, SMALL_SIZE, color) for name, (color, _) in methods.items()])
        self.play(FadeOut(formulas), heading.animate.become(title("Error of each nudge, on log scales")),
                  run_time=0.8)
        self.say("Plot the error against h, both on logarithmic scales.",
                 Create(axes), FadeIn(h_label), FadeIn(err_label), run_time=1.2)
        legend = names.arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(axes, RIGHT, buff=0.5).align_to(axes, UP)
        self.say("From a big h on the right to smaller ones: the forward error falls.",
                 Create(curves["forward"]), FadeIn(legend[0]), run_time=2.5)
        self.say("The central error falls much faster.", Create(curves["central"]), FadeIn(legend[1]),
                 run_time=2.5)

        # --- beat 3: slopes one and two ------------------------------------------------------------
        self.beat("Slopes 1 and 2")
        orders = VGroup(*[Readout(rf"\text{{slope}}_{{\text{{{name[0]}}}}} =", errs.order(name), 2, color)
                          for name, (color, _) in methods.items()])
        orders.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(legend, DOWN, buff=0.6).align_to(legend, LEFT)
        self.say(f"On the right the lines are straight, with slopes {errs.order('forward'):.2f} and "
                 f"{errs.order('central'):.2f}.", FadeIn(orders), run_time=1.0)
        self.say("Halve h and the forward error halves; the central error drops four times.")

        # --- beat 4: the round-off wall -------------------------------------------------------------
        self.beat("The round-off wall")
        best = VGroup()
        for name, (color, _) in methods.items():
            best.add(Dot(axes.at(np.log10(errs.best_h(name)), np.log10(errs.best_error(name))),
                         color=color, radius=0.09))
        best_readouts = VGroup(*[Readout(rf"\text{{best }} h_{{\text{{{name[0]}}}}} \approx", 0, 0, color)
                                 for name, (color, _) in methods.items()])
        for r, (name, _) in zip(best_readouts, methods.items()):
            k = int(np.round(np.log10(errs.best_h(name))))
            r.remove(r.number)
            r.add(tex(f"10^{{{k}}}", LABEL_SIZE, r.label.get_color()).next_to(r.label, RIGHT, buff=0.18))
        best_readouts.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(orders, DOWN, buff=0.6)
        best_readouts.align_to(orders, LEFT)
        wall = _pointer(axes, "round-off", (-12.5, -10.5), errs, "forward", 1e-12)
        truncation = _pointer(axes, "truncation", (-4.5, -13.0), errs, "central", 1e-3)
        self.say("On the right, the error is Taylor's series cut short.", FadeIn(truncation), run_time=0.8)
        self.say("Too small, and the error climbs again: f(x+h) and f(x) share almost every digit, "
                 "so their difference is rounding noise.", FadeIn(wall), run_time=1.0)
        self.say(f"The best step sits at the bottom of the V: about 10^{np.log10(errs.best_h('forward')):.0f} "
                 f"for forward differences, about 10^{np.log10(errs.best_h('central')):.0f} for central ones.",
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
