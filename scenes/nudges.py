"""Lesson 1 — Nudges: the derivative as the effect of a tiny nudge dx.

Render one scene:  manim -qm scenes/nudges.py SecantToTangent
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, UR, Create, Dot, FadeIn, FadeOut, Line, ValueTracker, VGroup, Write,
    always_redraw, linear,
)

from calcviz import derivatives
from calcviz.errors import CalcvizError
from calcviz.functions import FUNCTIONS, function
from scenes.shared import (
    FUNCTION, HOLD, INK, LABEL_SIZE, MUTED, NUDGE, SLOPE, LessonScene, Readout, choice, clipped_line,
    function_axes, integer, number, path_through, tex, title,
)


def _check_point_in_domain(values):
    lo, hi = function(values["function"]).domain
    if not lo <= values["x"] <= hi:
        raise CalcvizError(f"setting x: {values['x']:g} is outside the domain [{lo:g}, {hi:g}] "
                           f"of {values['function']}")


def graph_panel(fn, width=7.4, height=5.6, corner=DOWN + LEFT):
    """Axes sized to the function's domain and range, placed, with its curve computed by the core."""
    lo, hi = fn.domain
    curve = derivatives.derivative_curve(fn.f, lo, hi, 241)
    y_lo, y_hi = np.floor(curve.fx.min()), np.ceil(curve.fx.max())
    axes = function_axes([lo, hi, 1], [y_lo, y_hi, max(1, int((y_hi - y_lo) // 6))], width, height)
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
        self.play(Write(heading), Create(axes), run_time=1.5,
                  subcaption=f"How steep is this curve at x = {x:g}?")
        self.play(Create(graph), FadeIn(formula), run_time=1.5)
        self.play(FadeIn(p, scale=1.5), run_time=0.6,
                  subcaption="A curve has no single rise over run. So we nudge x a little and see what f does.")
        self.hold()

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
        secant = always_redraw(lambda: clipped_line(axes, x, sec.fx, sec.slope[i()], color=SLOPE))
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

        self.play(FadeIn(qdot), Create(run), Create(rise), run_time=1,
                  subcaption=f"Nudge x by dx = {sec.dx[0]:g}. The function changes by df.")
        self.play(FadeIn(dx_label), FadeIn(df_label), FadeIn(readouts[:2]), run_time=0.8)
        self.play(Create(secant), FadeIn(readouts[2]), run_time=1.2,
                  subcaption="The secant through both points rises df over a run of dx: its slope is df/dx.")
        self.hold()

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
        self.play(FadeIn(table_head), FadeIn(rows[0]), run_time=0.6,
                  subcaption="Now make the nudge smaller. Halve dx, and halve it again.")
        self.play(FadeOut(dx_label), FadeOut(df_label), run_time=0.4)
        for n, j in enumerate(keyframes):
            if n == 0:
                continue
            self.play(k.animate.set_value(j), run_time=1.4, rate_func=linear)
            self.play(FadeIn(rows[n], shift=0.1 * UP), run_time=0.4,
                      subcaption=("Each time the secant's slope changes less: it is settling on one number."
                                  if n == 2 else None))
        self.hold()

        # --- beat 4: the tangent -------------------------------------------------------------------
        self.beat("The tangent")
        tangent = clipped_line(axes, x, sec.fx, sec.true_slope, color=SLOPE, stroke_width=7)
        answer = Readout(f"f'({x:g}) =", sec.true_slope, 4, SLOPE).next_to(table, DOWN, buff=0.35)
        answer.align_to(table, LEFT)
        self.answer = answer
        self.play(FadeOut(qdot), FadeOut(run), FadeOut(rise), run_time=0.5)
        self.play(Create(tangent), FadeIn(answer), run_time=1.5,
                  subcaption=(f"As dx goes to zero the secant becomes the tangent. "
                              f"Its slope is the derivative: f'({x:g}) = {sec.true_slope:.4g}."))
        self.hold(2.5)
