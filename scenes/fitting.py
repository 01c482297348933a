"""Lesson 4 — Fitting real data: linear algebra represents the data, calculus finds the best fit.

The viewer sees two spaces at once: the parameter landscape χ², where the fit walks
downhill, and the data, where the curve settles onto the measurements.

Render one scene:  manim -qm scenes/fitting.py HeightsGaussianFit
"""
from __future__ import annotations

import math
import re

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Create, Dot, FadeIn, FadeOut, GrowFromEdge, Line, Polygon, Rectangle, Transform,
    ValueTracker, VGroup, VMobject, Write, always_redraw, config, linear,
)

from calcviz import fitting
from calcviz.contours import contour_lines, pick_levels
from calcviz.datasets import SEXES, height_histogram, load_heights
from calcviz.errors import CalcvizError
from calcviz.result import Status
from scenes.kit.style import (
    CONSTRAINT, DATA, FIT, FORMULA_SIZE, INK, LEFT_VIEW, MUTED, NUDGE, RIGHT_VIEW, SAFE_MARGIN, SMALL_SIZE, STEP,
    TEXT_SIZE, TICK_SIZE, VIEW_SIDE, tex, text, title,
)
from scenes.kit.draw import (
    Readout, attach, contour_map, curve_inside, descent_path, function_axes, plane_axes,
)
from scenes.kit.settings import Setting, choice
from scenes.kit.lesson import LessonScene
from scenes.kit.redraw import RedrawLess
from scenes.kit.dots import DotCloud, FadeInDots
from scenes.kit.i18n import N_, t, t_tex, tex_number

HEIGHT_METHODS = ("steepest_descent", "gauss_newton", "levenberg_marquardt")
METHOD_NAMES = {"steepest_descent": N_("steepest descent"), "gradient_descent": N_("steepest descent"),
                "gauss_newton": N_("Gauss–Newton"), "levenberg_marquardt": N_("Levenberg–Marquardt")}
# The parameter plane a heights start may lie in (inches): a bell narrower than 1.5 in or outside
# 55–85 in has nothing to do with these data, and its χ² map would be all wall.
START_LIMITS = ((55.0, 85.0), (1.5, 15.0))
MAP_SIDE = VIEW_SIDE - 1.0   # the χ² map's axes, leaving room for tick numbers inside the view
PER_STEP = 0.3               # seconds per iteration at normal speed
NORMAL_STEPS = 12            # a long run plays this many steps at normal speed, then speeds up


# --- settings ----------------------------------------------------------------------------------------
def _parse_start(value) -> str | tuple[float, float]:
    """``own`` (the sex's documented start), ``pooled`` (everyone's) or ``MEAN,WIDTH`` in inches."""
    if value in ("own", "pooled"):
        return value
    try:
        mean, width = (float(v) for v in str(value).split(","))
    except ValueError:
        raise CalcvizError(f"{value!r} is not own, pooled or MEAN,WIDTH (e.g. 66,4)") from None
    (m0, m1), (w0, w1) = START_LIMITS
    if not (m0 <= mean <= m1 and w0 <= width <= w1):
        raise CalcvizError(f"start {mean:g},{width:g} is outside mean {m0:g}–{m1:g} in, width {w0:g}–{w1:g} in")
    return mean, width


def start_setting(default: str = "pooled") -> Setting:
    return Setting(default, _parse_start,
                   "own: the documented start for that sex; pooled: everyone's average (67, 3.5); or MEAN,WIDTH")


def _start_point(sex: str, start) -> tuple[float, float]:
    if start == "own":
        return fitting.HEIGHTS_STARTS[sex]
    if start == "pooled":
        return fitting.HEIGHTS_STARTS["both"]
    return start


# --- formatting and layout (no arithmetic on the data) -----------------------------------------------
def _pm(value: float, err: float) -> str:
    """``value \\pm err`` in LaTeX, the error to two significant figures and the value to match."""
    decimals = max(0, 1 - math.floor(math.log10(abs(err)))) if err > 0 and math.isfinite(err) else 3
    return f"{tex_number(value, f'.{decimals}f')} \\pm {tex_number(err, f'.{decimals}f')}"


def _power_of_ten(x: float) -> str:
    """A damping such as 1e-05 as LaTeX ``10^{-5}`` (LM changes λ by factors of ten)."""
    exponent = math.floor(math.log10(x))
    mantissa = x / 10.0**exponent
    if abs(mantissa - 1) < 1e-6:
        return f"10^{{{exponent}}}"
    return f"{tex_number(mantissa, '.1f')}\\times 10^{{{exponent}}}"


def _tex_words(words: str) -> str:
    """Words inside a MathTex label (a readout's "step"): ``\\text{words}``."""
    return r"\text{" + words + "}"


# Why a fit ran away, in the words of the core's messages (calcviz.fitting: FitProblem.outside and
# _trial), as messages a translator can reorder: the tail of ``traj.message`` is read into one of these
# and shown in the edition's language. The English is exactly the core's (checked, to the byte).
PARAM_WORDS = {"mean": N_("mean"), "width": N_("width")}   # the bell's parameters; the CO2 model's are symbols
_N = r"([-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan))"
_WHY = tuple((re.compile(pattern.replace("N", _N)), fields, message) for pattern, fields, message in (
    (r"^(\w+) = N is not finite$", ("name", "v"), N_("{name} = {v} is not finite")),
    (r"^(\w+) = N is not > 0: a width must be positive$", ("name", "v"),
     N_("{name} = {v:.4g} is not > 0: a width must be positive")),
    (r"^(\w+) = N is over 10 times as wide as the data \(x from N to N\)$", ("name", "v", "lo", "hi"),
     N_("{name} = {v:.4g} is over 10 times as wide as the data (x from {lo:.4g} to {hi:.4g})")),
    (r"^(\w+) = N is far outside the data \(x from N to N\)$", ("name", "v", "lo", "hi"),
     N_("{name} = {v:.4g} is far outside the data (x from {lo:.4g} to {hi:.4g})")),
    (r"^(\w+) = N is not a share between 0 and 1$", ("name", "v"),
     N_("{name} = {v:.4g} is not a share between 0 and 1")),
    (r"^(\w+) = N is absurdly large \(over N times its start\)$", ("name", "v", "big"),
     N_("{name} = {v:.3g} is absurdly large (over {big:g} times its start)")),
    (r"^the weights add up to N, over 1: the last bell's weight is negative$", ("v",),
     N_("the weights add up to {v:.4g}, over 1: the last bell's weight is negative")),
    (r"^a parameter is not finite$", (), N_("a parameter is not finite")),
    (r"^χ² = N or its gradient is not finite$", ("v",), N_("χ² = {v:.3g} or its gradient is not finite")),
    (r"^χ² = N grew over N times its start$", ("v", "big"), N_("χ² = {v:.3g} grew over {big:g} times its start")),
))


def _why(traj) -> str:
    """Why a run ran away (its message after the step), in the edition's language; the run's outcome
    when the core gave no reason, or one the scene cannot put into words."""
    reason = traj.message.partition(": ")[2]
    for pattern, fields, message in _WHY:
        found = pattern.match(reason)
        if not found:
            continue
        values = {k: float(v) for k, v in zip(fields, found.groups()) if k != "name"}
        english = dict(values, name=found.group(1)) if "name" in fields else values
        if message.format(**english) == reason:   # the core's words, to the byte
            if "name" in fields:   # the bell's parameters in words, the CO2 model's as symbols
                name = english["name"]
                values["name"] = t(PARAM_WORDS[name]) if name in PARAM_WORDS else name
            return t(message, **values)
    return t(traj.outcome)


def _window(points) -> tuple[tuple[tuple[float, float], tuple[float, float]], float]:
    """A square (mean, width) window with whole-inch edges around ``points`` (width ≥ 0), and its tick step."""
    pts = np.asarray(points, dtype=float)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    side = max(2.0, float(np.max(hi - lo)) * 1.3 + 0.6)
    step = 1.0 if side <= 6 else 2.0
    side = step * math.ceil(side / step)
    centre = (lo + hi) / 2
    x0 = step * math.floor((centre[0] - side / 2) / step)
    y0 = step * math.floor((centre[1] - side / 2) / step)
    y0 = max(y0, 0.0)
    whole = int if step == int(step) and x0 == int(x0) and y0 == int(y0) else float  # "67", not "67.0"
    return ((whole(x0), whole(x0 + side)), (whole(y0), whole(y0 + side))), whole(step)


# --- shared pictures -----------------------------------------------------------------------------------
class HeightsViews:
    """The two views of the heights fit: the χ² map (left) and the histogram with its bell (right)."""

    def __init__(self, sex: str, runs, reference: fitting.FitResult):
        self.problem = reference.problem
        self.hist = height_histogram(load_heights(sex))
        points = np.concatenate([r.points for r in runs] + [[reference.params]])
        domain, step = _window(points)
        # χ² needs a width > 0: the grid starts a little above the axis when the window reaches σ = 0
        ranges = (domain[0], (max(domain[1][0], 0.2), domain[1][1]))
        self.grid = fitting.chi2_grid(self.problem, reference.params, (0, 1), ranges, num=121)
        self.contours = contour_lines(self.grid.x, self.grid.y, self.grid.chi2,
                                      pick_levels(self.grid.chi2, 12, "log", decades=3.5))
        self.map_axes = plane_axes(domain, MAP_SIDE, LEFT_VIEW + 0.35 * RIGHT + 0.3 * UP, step=step)
        self.map = contour_map(self.map_axes, self.contours)
        self.mu_label = tex(r"\mu", color=MUTED).next_to(self.map_axes.x_axis, RIGHT, buff=0.15)
        self.sigma_label = tex(r"\sigma", color=MUTED).next_to(self.map_axes.y_axis, UP, buff=0.15)
        attach(self.mu_label, self.map_axes)
        attach(self.sigma_label, self.map_axes)

        # the histogram: its axes reach the map's bottom; the top of the view is left for readouts
        edges = self.hist.edges
        x0, x1 = 2 * math.floor(edges[0] / 2), 2 * math.ceil(edges[-1] / 2)
        y_step = 20
        y1 = y_step * math.ceil(float(np.max(self.hist.counts + self.hist.sigma)) / y_step)
        self.hist_axes = function_axes([x0, x1, 4], [0, y1, y_step], VIEW_SIDE - 1.2, 3.6)
        self.hist_axes.move_to(RIGHT_VIEW + 0.2 * RIGHT)
        self.hist_axes.align_to(self.map_axes, DOWN)
        self.x_label = text(t("in"), SMALL_SIZE, MUTED).next_to(self.hist_axes.x_axis, RIGHT, buff=0.12)
        safe = config.frame_width / 2 - SAFE_MARGIN
        if self.x_label.get_right()[0] > safe:  # a longer word ("inci"): after the last tick number, inside the frame
            self.x_label.next_to(self.hist_axes.x_axis.get_right(), DOWN, buff=0.1)
            self.x_label.shift((safe - 0.02 - self.x_label.get_right()[0]) * RIGHT)
        self.y_label = text(t("sons") if sex == "male" else t("daughters"), SMALL_SIZE, MUTED)
        self.y_label.next_to(self.hist_axes.y_axis, UP, buff=0.12)
        attach(self.x_label, self.hist_axes)
        attach(self.y_label, self.hist_axes)
        self.bars = VGroup(*[
            Rectangle(width=self.hist_axes.c2p(b, 0)[0] - self.hist_axes.c2p(a, 0)[0],
                      height=max(self.hist_axes.c2p(0, c)[1] - self.hist_axes.c2p(0, 0)[1], 1e-3),
                      stroke_color=DATA, stroke_width=1.5, fill_color=DATA, fill_opacity=0.25)
            .move_to(self.hist_axes.c2p(a, 0), DOWN + LEFT)
            for a, b, c in zip(edges[:-1], edges[1:], self.hist.counts)])
        self.error_bars = VGroup(*[
            Line(self.hist_axes.c2p(x, y - s), self.hist_axes.c2p(x, y + s), color=DATA, stroke_width=2.5)
            for x, y, s in zip(self.problem.x, self.problem.y, self.problem.sigma)])
        self.xs = np.linspace(x0, x1, 241)

    def bell(self, p, color=FIT) -> VMobject:
        """The model the core evaluates at parameters ``p``, drawn over the histogram."""
        return curve_inside(self.hist_axes, self.xs, self.problem.model(self.xs, p), color)

    def at(self, p):
        return self.map_axes.c2p(p[0], p[1])


class PathSoFar(VGroup):
    """A run's footprints up to fractional step ``t``: the descent path grows, a hiker dot leads."""

    def __init__(self, axes, traj, tracker: ValueTracker, color=STEP):
        full = descent_path(axes, traj.points, color=color)
        self.line, self.dots = full
        self.corners = [axes.c2p(*p[:2]) for p in traj.points]
        self.axes, self.traj, self.tracker = axes, traj, tracker
        self.hiker = Dot(self.corners[0], radius=0.09, color=color)
        super().__init__(self.line, self.dots, self.hiker)
        self._shown = None
        self.add_updater(lambda m: m._follow())
        self._follow()

    def _follow(self):
        t = self.tracker.get_value()
        k = int(math.floor(t + 1e-9))
        head = self.axes.c2p(*self.traj.at(t)[:2])
        self.line.set_points_as_corners([*self.corners[: k + 1], head])
        if k != self._shown:
            for i, dot in enumerate(self.dots):
                dot.set_opacity(1.0 if i <= k else 0.0)
            self._shown = k
        self.hiker.move_to(head)


def _replay(scene: LessonScene, tracker: ValueTracker, nit: int, caption: str, marker_anchor, *extra):
    """Play a run at a steady pace; a long one speeds up after NORMAL_STEPS with a visible ×N marker."""
    budget = 12.0
    needs = scene.line_time(caption)  # a spoken line longer than the replay stretches it
    if nit * PER_STEP <= budget:
        scene.say(caption, tracker.animate.set_value(nit), *extra,
                  run_time=scene.over_line(max(nit * PER_STEP, 0.5), needs), rate_func=linear)
        return
    scene.say(caption, tracker.animate.set_value(NORMAL_STEPS), *extra,
              run_time=scene.over_line(NORMAL_STEPS * PER_STEP, needs), rate_func=linear)
    fast = 4.0
    speed = (nit - NORMAL_STEPS) * PER_STEP / fast
    marker = text(t("×{speed:.0f}", speed=speed), SMALL_SIZE, NUDGE).next_to(marker_anchor, RIGHT, buff=0.35)
    if marker.get_right()[0] > config.frame_width / 2 - SAFE_MARGIN:  # a wider (translated) legend: under its end
        marker.next_to(marker_anchor, DOWN, buff=0.2).align_to(marker_anchor, RIGHT)
    scene.play(FadeIn(marker, run_time=0.3))
    scene.play(tracker.animate.set_value(nit), run_time=fast, rate_func=linear)
    scene.play(FadeOut(marker, run_time=0.3))


def _grid(rows, gap: float = 0.6, buff: float = 0.3) -> VGroup:
    """Readouts in rows and left-aligned columns, each column as wide as its widest entry."""
    grid = VGroup(*[VGroup(*row) for row in rows]).arrange(DOWN, aligned_edge=LEFT, buff=buff)
    for c in range(1, max(len(r) for r in rows)):
        left = max(row[c - 1].get_right()[0] for row in grid if len(row) > c) + gap
        for row in grid:
            if len(row) > c:
                row[c].shift((left - row[c].get_left()[0]) * RIGHT)
    return grid


def _check_heights(values):
    sex, start = values["sex"], values["start"]
    p = _start_point(sex, start)
    problem = fitting.heights_problem(sex)
    if not math.isfinite(problem.chi2(p)):
        raise CalcvizError(f"setting start: χ² is not finite at {p}")


def _trapped(result: fitting.FitResult, reference: fitting.FitResult) -> bool:
    """Whether a run ended in a different valley from the reference fit (χ² clearly higher)."""
    return result.chi2 > reference.chi2 + 1.0


# --- scene 1 ------------------------------------------------------------------------------------------
class HeightsGaussianFit(LessonScene):
    """A bell curve walks downhill on the χ²(μ, σ) map while it settles onto Galton's height histogram.

    manim -qm scenes/fitting.py HeightsGaussianFit
    """

    SETTINGS = {
        "sex": choice("male", SEXES, "whose heights: male (sons) or female (daughters)"),
        "method": choice("steepest_descent", HEIGHT_METHODS),
        "start": start_setting("pooled"),
    }
    check_settings = staticmethod(_check_heights)

    def construct(self):
        s = self.settings
        problem = fitting.heights_problem(s["sex"])
        start = _start_point(s["sex"], s["start"])
        result = fitting.fit(problem, s["method"], start)
        reference = fitting.fit(problem)  # Levenberg–Marquardt from the documented start: the real minimum
        traj = result.trajectory
        self.result = result
        views = HeightsViews(s["sex"], [traj], reference)

        # --- beat 1: the data --------------------------------------------------------------------
        self.beat(t("The data"))
        heading = title(t("Fitting a bell to Galton's heights"))
        self.play(Write(heading), Create(views.hist_axes), FadeIn(views.x_label), FadeIn(views.y_label),
                  run_time=1.2)
        measured = (t("Galton measured {n} grown sons: their heights, in one-inch bins.", n=views.hist.total)
                    if s["sex"] == "male" else
                    t("Galton measured {n} grown daughters: their heights, in one-inch bins.", n=views.hist.total))
        self.say(measured,
                 *[GrowFromEdge(b, DOWN) for b in views.bars], run_time=1.5)
        self.say(t("Each count is uncertain by about its square root."),
                 Create(views.error_bars), run_time=1.0)

        # --- beat 2: one bell per point of the map --------------------------------------------------
        self.beat(t("One bell per point"))
        tracker = ValueTracker(0)
        bell = always_redraw(lambda: views.bell(traj.at(tracker.get_value())))
        model = tex(r"f(x) = \frac{N}{\sigma\sqrt{2\pi}}\, e^{-(x-\mu)^2/2\sigma^2}", FORMULA_SIZE, FIT)
        chi2_def = tex(r"\chi^2 = \sum_i \left(\frac{y_i - f(x_i)}{\delta y_i}\right)^2", FORMULA_SIZE)
        for formula in (model, chi2_def):
            formula.next_to(VGroup(views.hist_axes, views.y_label), UP, buff=0.3)
        path = PathSoFar(views.map_axes, traj, tracker)
        self.say(t("A bell curve has two knobs: its mean μ and its width σ. Its area is fixed by the count."),
                 Create(bell), FadeIn(model), Create(views.map_axes), FadeIn(views.mu_label),
                 FadeIn(views.sigma_label), FadeIn(path), run_time=1.5)
        self.say(t("So each point of this map is one bell. Its height, χ², adds up how badly it misses the bars."),
                 Create(views.map), FadeOut(model), FadeIn(chi2_def), run_time=2.0)

        # --- beat 3: walk downhill ---------------------------------------------------------------------
        self.beat(t("Walk downhill"))
        step = Readout(_tex_words(t("step")), 0, 0)
        chi2 = Readout(r"\chi^2 =", traj.values[0], 2)
        mu = Readout(r"\mu =", traj.points[0][0], 3, FIT)
        sigma = Readout(r"\sigma =", traj.points[0][1], 3, FIT)
        readouts = _grid([[step, chi2], [mu, sigma]])
        readouts.next_to(VGroup(views.hist_axes, views.y_label), UP, buff=0.3)
        readouts.align_to(views.hist_axes, LEFT).shift(0.3 * RIGHT)
        step.number.add_updater(lambda m: m.set_value(math.floor(tracker.get_value() + 1e-9)))
        chi2.number.add_updater(lambda m: m.set_value(traj.value_at(tracker.get_value())))
        mu.number.add_updater(lambda m: m.set_value(traj.at(tracker.get_value())[0]))
        sigma.number.add_updater(lambda m: m.set_value(traj.at(tracker.get_value())[1]))
        self.play(FadeOut(chi2_def), FadeIn(readouts), run_time=0.8)
        how = {"steepest_descent": N_("Steepest descent steps against the gradient of χ². "
                                      "Each step on the map reshapes the bell."),
               "gauss_newton": N_("Gauss–Newton jumps to the bottom of the local bowl that JᵀJ describes. "
                                  "Each step on the map reshapes the bell."),
               "levenberg_marquardt": N_("Levenberg–Marquardt blends a gradient step with Gauss–Newton's jump. "
                                         "Each step on the map reshapes the bell.")}
        _replay(self, tracker, traj.nit, t(how[s["method"]]), readouts[0])

        # --- beat 4: the best fit -----------------------------------------------------------------------
        self.beat(t("The best fit"))
        for r in (step, chi2, mu, sigma):
            r.number.clear_updaters()
        bell.clear_updaters()
        path.clear_updaters()
        fitted = result.as_dict()
        (m, dm), (w, dw) = fitted["mean"], fitted["width"]
        answer = VGroup(tex(t_tex(r"\mu = {value}\ \text{{in}}", value=_pm(m, dm)), color=FIT),
                        tex(t_tex(r"\sigma = {value}\ \text{{in}}", value=_pm(w, dw)), color=FIT))
        answer.arrange(DOWN, aligned_edge=LEFT, buff=0.3).move_to(readouts).align_to(readouts, LEFT)
        best = Dot(views.at(reference.params), radius=0.1, color=FIT)
        steps = t("{n} steps", n=traj.nit) if traj.nit != 1 else t("1 step")
        if traj.diverged or traj.status is Status.STATIONARY:  # no fit: say what happened instead
            self.say(t("At step {step} it ran away: {why}. No fit to report from this start.",
                       step=traj.stopped_at, why=_why(traj))  # the core names the parameter
                     if traj.diverged else
                     t("After {steps} it stopped on {outcome}. No fit to report.", steps=steps, outcome=t(traj.outcome)),
                     FadeIn(best), run_time=1.0)
            self.say(t("The green dot is the real minimum. Where you begin matters."))
        elif _trapped(result, reference):
            self.say(t("After {steps} it is stuck in a second, wide valley: χ² = {chi2:.0f}, "
                       "against {best:.0f} at the real minimum.", steps=steps, chi2=result.chi2, best=reference.chi2),
                     FadeIn(best), run_time=1.0)
            if np.any(np.diff(traj.values) > 0):
                self.say(t("Its steps were too long for the narrow valley: it bounced out, into a wide one."))
            else:
                self.say(t("From this start, downhill leads to the wrong valley. Where you begin matters."))
        else:
            self.say(t("After {steps} the valley floor is the best fit, known to within these errors.", steps=steps),
                     FadeOut(readouts), FadeIn(answer), FadeIn(best), run_time=1.0)
            self.say(t("χ² = {chi2:.1f} for {dof} degrees of freedom, so the bell misses by about one error bar "
                       "per bin.", chi2=result.chi2, dof=result.dof) if 0.5 < result.chi2_per_dof < 2 else
                     t("χ² = {chi2:.1f} for {dof} degrees of freedom, more than the error bars allow.",
                       chi2=result.chi2, dof=result.dof))
        self.hold()


# --- scene 2 ------------------------------------------------------------------------------------------
CO2_STARTS = {"documented": fitting.CO2_START, "bad": fitting.CO2_BAD_START}
YEARS = (1955, 2000)
STRIP_PPM = 3.0  # the residual strip shows ±3 ppm; a bigger miss sits on the strip's edge


class KeelingCurveFit(RedrawLess, LessonScene):
    """Levenberg–Marquardt reshapes a trend-plus-seasons model onto the Keeling curve; the residuals shrink.

    manim -qm scenes/fitting.py KeelingCurveFit
    """

    SETTINGS = {
        "start": choice("bad", tuple(CO2_STARTS), "documented: rough facts; bad: growth rate ten times too big"),
        "method": choice("levenberg_marquardt", ("levenberg_marquardt", "gauss_newton")),
    }

    def construct(self):
        s = self.settings
        problem = fitting.co2_problem()
        result = fitting.fit(problem, s["method"], CO2_STARTS[s["start"]])
        traj = result.trajectory
        self.result = result
        ts = np.linspace(problem.x[0], problem.x[-1], 1600)

        # --- beat 1: the data ----------------------------------------------------------------------
        self.beat(t("The Keeling curve"))
        heading = title(t("Fitting the Keeling curve"))
        years = {"decimal_number_config": {"num_decimal_places": 0, "group_with_commas": False}}
        axes = function_axes([*YEARS, 5], [310, 370, 10], 7.6, 3.0, axis_config=years,
                             x_axis_config={"include_numbers": False})
        axes.to_corner(UP + LEFT, buff=0.3).shift(1.0 * DOWN + 0.6 * RIGHT)
        strip = function_axes([*YEARS, 5], [-STRIP_PPM, STRIP_PPM, STRIP_PPM], 7.6, 1.5, axis_config=years,
                              x_axis_config={"include_numbers": False})
        strip.next_to(axes, DOWN, buff=0.5).align_to(axes, LEFT)
        year_labels = VGroup(*[tex(str(y), TICK_SIZE).next_to(strip.c2p(y, -STRIP_PPM), DOWN, buff=0.15)
                               for y in range(1960, 2000, 10)])  # like tick numbers, under the strip
        ppm = text("ppm", SMALL_SIZE, MUTED).next_to(axes.y_axis.get_top(), RIGHT, buff=0.2)
        attach(ppm, axes)
        # the 468 months as one cloud of dots: a few Cairo fills instead of one per dot, the same pixels
        dots = DotCloud([axes.c2p(x, y) for x, y in zip(problem.x, problem.y)], radius=0.018, color=DATA)
        dots.set_z_index(2)  # the measurements stay visible on top of the model
        self.play(Write(heading), Create(axes), FadeIn(ppm), run_time=1.2)
        self.say(t("Carbon dioxide at Mauna Loa, every month from {first} to {last}: a rising trend with a yearly "
                   "breath.", first=int(problem.x[0]), last=int(problem.x[-1])), FadeInDots(dots, lag_ratio=0.01), run_time=2.5)

        # --- beat 2: the model and a bad start -------------------------------------------------------
        self.beat(t("Seven knobs"))
        model = VGroup(tex(r"f(t) = a + b\,e^{r(t-t_0)}", color=FIT),
                       tex(r"+\,c_1 \sin 2\pi(t-\varphi_1)", color=FIT),
                       tex(r"+\,c_2 \sin 4\pi(t-\varphi_2)", color=FIT))
        model.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        model[1:].shift(0.5 * RIGHT)
        model.next_to(axes, RIGHT, buff=0.4).align_to(axes, UP)

        def curve(p):
            return curve_inside(axes, ts, problem.model(ts, p), FIT, stroke_width=2.5)

        def misses(p, like=None):
            r = np.clip(problem.residuals(p), -STRIP_PPM, STRIP_PPM)
            centres = [strip.c2p(x, y) for x, y in zip(problem.x, r)]
            # the dots keep their x and their layers: a Transform moves each as it would move a Dot
            return DotCloud(centres, radius=0.016, color=NUDGE) if like is None else like.like(centres)

        shape = curve(traj.points[0])
        resid = misses(traj.points[0])
        resid_label = text(t("residual"), SMALL_SIZE, NUDGE).next_to(strip, RIGHT, buff=0.3)
        self.say(t("The model: a growing exponential, plus a yearly wave and its half-year echo."),
                 FadeIn(model), run_time=1.2)
        start_words = {"bad": N_("Start with a growth rate ten times too big. Below, each month's miss: the residual."),
                       "documented": N_("Start from rough facts about CO2. Below, each month's miss: the residual.")}
        self.say(t(start_words[s["start"]]),
                 Create(shape), Create(strip), FadeIn(year_labels), FadeIn(resid), FadeIn(resid_label),
                 run_time=2.0)

        # --- beat 3: the iterations -------------------------------------------------------------------
        self.beat(t(METHOD_NAMES[s["method"]]))
        step = Readout(_tex_words(t("step")), 0, 0)
        chi2 = Readout(r"\chi^2 =", traj.values[0], 0)
        damping = s["method"] == "levenberg_marquardt"
        lams = {}

        def lam_tex(size):
            """``λ = 10^k`` in LaTeX, made once per value (λ changes by factors of ten, the values recur)."""
            words = rf"\lambda = {_power_of_ten(size)}"
            if words not in lams:
                lams[words] = tex(words, color=NUDGE)
            return lams[words].copy()

        lam = lam_tex(traj.step_sizes[0]) if damping and traj.nit else None
        readouts = VGroup(step, chi2, *([lam] if lam is not None else []))
        readouts.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(model, DOWN, buff=0.6).align_to(model, LEFT)
        self.play(FadeIn(readouts), run_time=0.6)
        how = (t("Each step solves a damped linear system. When a step fails, λ grows and the step shrinks.")
               if damping else t("Each step jumps to the minimum of the linearised problem."))
        needs = self.narrate(how)
        per_step = self.over_line(min(0.8, 12.0 / max(traj.nit, 1)), needs / max(traj.nit, 1))
        for k in range(1, traj.nit + 1):
            anims = [Transform(shape, curve(traj.points[k])), Transform(resid, misses(traj.points[k], resid))]
            if lam is not None:
                anims.append(Transform(lam, lam_tex(traj.step_sizes[k - 1]).move_to(lam, aligned_edge=LEFT)))
            self.play(*anims, run_time=per_step)
            step.set_value(k)
            chi2.set_value(traj.values[k])
        self.finish_line()

        # --- beat 4: the answer, with its uncertainty ------------------------------------------------
        self.beat(t("The answer"))
        if traj.diverged:
            flag = text(_outcome(traj), TEXT_SIZE, STEP)
            flag.next_to(readouts, DOWN, buff=0.4).align_to(readouts, LEFT)
            room = config.frame_width / 2 - SAFE_MARGIN - 0.02 - flag.get_left()[0]
            if flag.width > room:  # a longer (translated) outcome must not leave the frame
                flag.scale_to_fit_width(room, about_edge=LEFT)
            why = t("χ² exploded") if traj.status is Status.DIVERGED else _why(traj)  # the core names the parameter
            self.say(t("{method} flew off: at step {step} {why}. No fit to report from this start.",
                       method=t(METHOD_NAMES[traj.method]), step=traj.stopped_at, why=why), FadeIn(flag), run_time=0.8)
            self.say(t("Levenberg–Marquardt's damping is what keeps such a start on the ground."))
            self.hold()
            return
        band_sigma = result.curve_stderr(problem.x)
        band = Polygon(*[strip.c2p(x, e) for x, e in zip(problem.x, band_sigma)],
                       *[strip.c2p(x, -e) for x, e in zip(problem.x[::-1], band_sigma[::-1])],
                       stroke_width=0, fill_color=FIT, fill_opacity=0.9)
        fitted = result.as_dict()
        (rate, drate), (c1, dc1) = fitted["r"], fitted["c1"]
        answer = VGroup(tex(t_tex(r"r = {value}\ \text{{yr}}^{{-1}}", value=_pm(rate, drate)), color=FIT),
                        tex(rf"c_1 = {_pm(c1, dc1)}\ \text{{ppm}}", color=FIT))
        answer.arrange(DOWN, aligned_edge=LEFT, buff=0.3).move_to(readouts, aligned_edge=UP + LEFT)
        room = config.frame_width / 2 - SAFE_MARGIN - 0.02 - answer.get_left()[0]
        if answer.width > room:  # a longer unit ("thn" for yr) must not leave the frame
            answer.scale_to_fit_width(room, about_edge=LEFT)
        self.say(t("Converged in {n} steps. The green band in the strip is the curve's own uncertainty: "
                   "at most ±{band:.2f} ppm.", n=traj.nit, band=band_sigma.max()), FadeIn(band), run_time=1.0)
        self.say(t("The excess CO2 grew {percent:.2f}% a year, and the yearly wave swings ±{c1:.1f} ppm.",
                   percent=100 * rate, c1=c1),
                 FadeOut(readouts), FadeIn(answer), run_time=1.0)
        self.hold()


# --- scene 3 ------------------------------------------------------------------------------------------
# The words of calcviz.result.Status, marked here for the extractor (shown as ``t(status.value)``)
STATUS_WORDS = (N_("converged"), N_("stopped at a flat spot that is not a minimum"), N_("hit the step limit"),
                N_("still growing at the step limit: diverging"), N_("diverged"),
                N_("left the sane range of its parameters"), N_("hit a non-finite value"))


def _outcome(traj) -> str:
    """How a run ended, in words, from its status and step count."""
    if traj.diverged:
        return (t("diverged at step {step}", step=traj.stopped_at) if traj.status is Status.DIVERGED else
                t("ran away at step {step}", step=traj.stopped_at))
    if traj.success:
        return t("converged in {n} steps", n=traj.nit)
    if traj.status is Status.STATIONARY:
        return t("stuck on a flat spot ({n} steps)", n=traj.nit)
    return t("{status} ({n} steps)", status=t(traj.status.value), n=traj.nit)


class SteepestDescentVsGaussNewton(LessonScene):
    """Same χ² valley, same start: steepest descent crawls, Gauss–Newton uses curvature and jumps.

    manim -qm scenes/fitting.py SteepestDescentVsGaussNewton
    """

    SETTINGS = {
        "sex": choice("male", SEXES, "whose heights: male (sons) or female (daughters)"),
        "start": start_setting("pooled"),
        "bad_co2": choice("on", ("on", "off"), "end with Gauss–Newton diverging on the CO2 fit from a bad start"),
    }
    check_settings = staticmethod(_check_heights)

    def construct(self):
        s = self.settings
        problem = fitting.heights_problem(s["sex"])
        start = _start_point(s["sex"], s["start"])
        reference = fitting.fit(problem)
        sd = fitting.fit(problem, "steepest_descent", start)
        gn = fitting.fit(problem, "gauss_newton", start)
        self.results = {"steepest_descent": sd, "gauss_newton": gn}
        views = HeightsViews(s["sex"], [sd.trajectory, gn.trajectory], reference)
        runs = {"steepest_descent": (sd, STEP), "gauss_newton": (gn, CONSTRAINT)}

        # --- beat 1: one valley, one start -------------------------------------------------------------
        self.beat(t("One valley, two hikers"))
        heading = title(t("Slope alone, or slope and curvature"))
        trackers = {name: ValueTracker(0) for name in runs}
        paths = {name: PathSoFar(views.map_axes, r.trajectory, trackers[name], color)
                 for name, (r, color) in runs.items()}
        bells = {name: always_redraw(lambda r=r, c=color, k=trackers[name]:
                                     views.bell(r.trajectory.at(k.get_value()), c))
                 for name, (r, color) in runs.items()}
        self.play(Write(heading), Create(views.map_axes), Create(views.hist_axes), FadeIn(views.mu_label),
                  FadeIn(views.sigma_label), FadeIn(views.x_label), FadeIn(views.y_label), run_time=1.2)
        self.say(t("Galton's heights again: one χ² valley, one start, two ways down."),
                 Create(views.map), FadeIn(views.bars), FadeIn(paths["steepest_descent"].hiker), run_time=1.5)

        # --- beat 2: steepest descent ------------------------------------------------------------------
        self.beat(t("Steepest descent"))
        rows = []
        for name, (r, color) in runs.items():
            counter = Readout(_tex_words(t("step")), 0, 0, color)
            tracker = trackers[name]
            counter.number.add_updater(lambda m, k=tracker: m.set_value(math.floor(k.get_value() + 1e-9)))
            rows.append([text(t(METHOD_NAMES[name]), SMALL_SIZE, color), counter])
        legend = _grid(rows, gap=0.4)
        legend.next_to(VGroup(views.hist_axes, views.y_label), UP, buff=0.35)
        legend.align_to(views.hist_axes, LEFT)
        sd_row, gn_row = legend
        self.play(FadeIn(sd_row), FadeIn(paths["steepest_descent"]), FadeIn(bells["steepest_descent"]), run_time=0.6)
        _replay(self, trackers["steepest_descent"], sd.trajectory.nit,
                t("Steepest descent uses only the slope. Its step must suit the steepest wall, so it crawls "
                  "along the floor."), legend)

        # --- beat 3: Gauss–Newton -----------------------------------------------------------------------
        self.beat(t("Gauss–Newton"))
        self.play(FadeIn(gn_row), FadeIn(paths["gauss_newton"]), FadeIn(bells["gauss_newton"]), run_time=0.6)
        _replay(self, trackers["gauss_newton"], gn.trajectory.nit,
                t("Gauss–Newton also uses the curvature, JᵀJ. It jumps to the bottom of the local bowl."), legend)

        # --- beat 4: why curvature matters -----------------------------------------------------------------
        self.beat(t("Why curvature matters"))
        for row in legend:
            row[1].number.clear_updaters()
        for mob in (*paths.values(), *bells.values()):
            mob.clear_updaters()
        rules = {"steepest_descent": r"p \leftarrow p - \eta\,\nabla\chi^2",
                 "gauss_newton": r"J^\top J\,\delta = -J^\top r,\quad p \leftarrow p + \delta"}
        card = VGroup()
        for name, (r, color) in runs.items():
            entry = VGroup(text(t(METHOD_NAMES[name]), TEXT_SIZE, color), text(_outcome(r.trajectory), SMALL_SIZE, color),
                           tex(rules[name], FORMULA_SIZE, color)).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
            entry[1:].shift(0.4 * RIGHT)
            card.add(entry)
        card.arrange(DOWN, aligned_edge=LEFT, buff=0.6).move_to(RIGHT_VIEW)
        if _trapped(sd, reference) and not _trapped(gn, reference):
            why = t("Steepest descent ended in the wrong valley; Gauss–Newton found the minimum in {n} steps.",
                    n=gn.trajectory.nit)
        else:
            why = t("{slow} steps against {fast}: the curvature tells each step how far to go in every direction.",
                    slow=sd.trajectory.nit, fast=gn.trajectory.nit)
        self.play(FadeOut(legend), FadeOut(views.bars), FadeOut(*bells.values()), FadeOut(views.hist_axes),
                  FadeOut(views.x_label), FadeOut(views.y_label), run_time=0.6)
        self.say(why, FadeIn(card), run_time=1.0)

        # --- beat 5 (optional): curvature misleads from a bad start -----------------------------------------
        if s["bad_co2"] == "off":
            self.hold()
            return
        self.beat(t("A bad start"))
        co2 = fitting.co2_problem()
        bad = {name: fitting.fit(co2, name, fitting.CO2_BAD_START).trajectory
               for name in ("gauss_newton", "levenberg_marquardt")}
        self.co2_runs = bad
        report = VGroup(text(t("CO2 fit, growth rate 10× too big"), SMALL_SIZE, INK))
        for name, color in (("gauss_newton", CONSTRAINT), ("levenberg_marquardt", FIT)):
            entry = VGroup(text(t(METHOD_NAMES[name]), SMALL_SIZE, color), text(_outcome(bad[name]), SMALL_SIZE, color))
            entry.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
            entry[1].shift(0.4 * RIGHT)
            report.add(entry)
        report.arrange(DOWN, aligned_edge=LEFT, buff=0.4).move_to(RIGHT_VIEW)
        self.say(t("But far from the minimum the curvature can mislead: on the CO2 fit from a bad start, "
                   "Gauss–Newton diverges."), FadeOut(card), FadeIn(report[:2]), run_time=1.0)
        self.say(t("Levenberg–Marquardt damps each jump until it can be trusted, and converges."),
                 FadeIn(report[2]), run_time=0.8)
        self.hold()
