"""Lab 4, fitting real data: the checks of its exercises, every expected value from the core.

    bell(x, mean, width, area)            area · exp(−(x − μ)²/2s²) / (s√(2π))
    chi_squared(mean, width)              Σ ((y − f(x))/σ)² over the sons' histogram
    chi_squared_gradient(mean, width)     (∂χ²/∂μ, ∂χ²/∂s)
    steepest_descent(grad, start, lr, steps)        the path p ← p − lr·∇χ²
    gauss_newton_step(J, r)               δ with JᵀJ δ = −Jᵀr
    gauss_newton(residuals, jacobian, start, steps) the path p ← p + δ

The notebook's data are the core's ``heights_problem("male")``: bin centres ``x``, counts ``y``, Poisson
``sigma`` and the bell's fixed ``area`` (children × bin width). ``chi_squared`` and its gradient read them
from the notebook, and call the learner's ``bell``: when they fail because ``bell`` does, the check says
so instead of blaming them. The same holds for ``gauss_newton`` and ``gauss_newton_step``.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

import calcviz as cv
from calcviz import fitting
from labs.check import Checker, Exercise, Fail, Mistake, close
from scenes.kit.i18n import N_

SQRT_2PI = np.sqrt(2 * np.pi)


# --- the core's problems and answers, computed once ------------------------------------------------
@lru_cache(maxsize=1)
def heights() -> cv.FitProblem:
    """The sons' histogram and the bell with its area fixed: the notebook's ``x, y, sigma, area``."""
    return cv.heights_problem("male")


@lru_cache(maxsize=1)
def co2() -> cv.FitProblem:
    return cv.co2_problem()


def area() -> float:
    problem = heights()
    return float(problem.y.sum() * (problem.x[1] - problem.x[0]))


@lru_cache(maxsize=1)
def best_fit() -> tuple[float, float]:
    """Levenberg–Marquardt's (mean, width) for the sons: the bottom of the χ² valley."""
    return tuple(float(v) for v in cv.fit(heights()).params)


def _fail_unless_right_before(c: Checker, fail: Fail, ready: bool, kind: str, hint: str, **values) -> None:
    """Re-raise ``fail`` — but when an earlier exercise the function relies on is not right, say that instead."""
    if fail.kind not in ("blank", "nothing", "timeout") and not ready:
        raise Fail(kind, c.t(hint, **values)) from None
    raise fail


# --- exercise 1: the bell ---------------------------------------------------------------------------
def bell_cases() -> list[tuple[str, object, float, float, float]]:
    """(what, x, mean, width, area): one height (a readable first answer), the sons' bins at the documented
    start, random x, a narrow bell."""
    problem = heights()
    rng = np.random.default_rng(404)
    return [("one", 70.0, 67.0, 3.5, area()),
            ("bins", problem.x, *fitting.HEIGHTS_STARTS["male"], area()),
            ("random", np.sort(rng.uniform(-3.0, 5.0, 7)), 0.8, 1.7, 2.5),
            ("random", np.sort(rng.uniform(-1.0, 1.0, 5)), 0.2, 0.4, 0.3)]


def _bell_tried(c: Checker, what: str, x, mean, width, a) -> str:
    values = dict(mean=c.show(mean), width=c.show(width), area=c.show(a))
    if what == "bins":
        return c.t("x = the centres of the sons' bins, mean = {mean}, width = {width}, area = {area}", **values)
    if what == "one":
        return c.t("x = {x}, mean = {mean}, width = {width}, area = {area}", x=c.show(x), **values)
    return c.t("{n} random x from {lo} to {hi}, mean = {mean}, width = {width}, area = {area}",
               n=len(x), lo=c.show(round(float(np.min(x)), 2)), hi=c.show(round(float(np.max(x)), 2)), **values)


def _bell_mistakes(x, mean, width, a) -> list[Mistake]:
    x = np.asarray(x, dtype=float)
    z2 = (x - mean) ** 2
    e = np.exp(-z2 / (2 * width**2))
    return [
        Mistake("no_area", fitting.gaussian(1.0)(x, [mean, width]),
                N_("Your bell has area 1: multiply it by `area`, so that it covers as much as the histogram "
                   "({area}).")),
        Mistake("no_normalisation", a * e,
                N_("Your bell's peak is `area` itself: the factor 1/(s√(2π)) in front is missing, which makes the "
                   "area under the curve equal `area`.")),
        Mistake("width_not_squared", a * np.exp(-z2 / (2 * width)) / (width * SQRT_2PI),
                N_("The exponent divides by 2s, not 2s²: square the width in the exponent.")),
        Mistake("precedence", a * np.exp(-z2 / 2 * width**2) / (width * SQRT_2PI),
                N_("The exponent multiplies by s² instead of dividing: `/ 2 * s**2` means (… / 2) · s²; put brackets "
                   "around 2 * s**2.")),
        Mistake("no_half", a * np.exp(-z2 / width**2) / (width * SQRT_2PI),
                N_("The exponent lost its ½: it is −(x − μ)²/(2s²).")),
        Mistake("no_minus", a * np.exp(z2 / (2 * width**2)) / (width * SQRT_2PI),
                N_("Your bell grows away from the mean: the exponent needs its minus sign.")),
        Mistake("no_sqrt", a * e / (width * 2 * np.pi),
                N_("The normalisation is 1/(s√(2π)): take the square root of 2π.")),
        Mistake("sqrt_width", a * e / np.sqrt(2 * np.pi * width),
                N_("The normalisation is 1/(s√(2π)) = 1/√(2πs²): the width inside the root is squared.")),
        Mistake("width_squared_outside", a * e / (width**2 * SQRT_2PI),
                N_("The normalisation is 1/(s√(2π)): divide by the width once, not by s².")),
    ]


def check_bell(c: Checker, bell) -> None:
    for what, x, mean, width, a in bell_cases():
        said = _bell_tried(c, what, x, mean, width, a)
        got = c.call(bell, x, mean, width, a, tried=said)
        want = fitting.gaussian(a)(x, [mean, width])
        arr = c.value(got, want, tried=said, name="bell")
        hint, at = "", {}
        if np.ndim(want):   # a long array shows as its shape: name the first x where it goes wrong
            k = int(np.argmax(~np.isclose(arr, want, rtol=1e-9, atol=1e-9)))
            hint, at = N_("At x = {at} the bell is {right}; yours is {yours}."), dict(
                at=c.show(x[k]), right=c.show(want[k]), yours=c.show(arr[k]))
        c.expect(arr, want, tried=said, rtol=1e-9, name="bell", mistakes=_bell_mistakes(x, mean, width, a),
                 hint=hint, area=c.show(a), **at)


def _bell_is_right(c: Checker, bell) -> bool:
    """The learner's bell, tried on one height and on the sons' bins: right or not (never raises)."""
    try:
        for what, x, mean, width, a in bell_cases()[:2]:
            got = c.call(bell, x, mean, width, a, tried=_bell_tried(c, what, x, mean, width, a))
            if not close(got, fitting.gaussian(a)(x, [mean, width]), 1e-9, 1e-9):
                return False
        return True
    except Fail:
        return False


BELL_FIRST = N_("{name} uses your bell, and bell is not right yet: make its check (exercise 1) pass first.")


# --- exercise 2: χ² ----------------------------------------------------------------------------------
def chi2_points() -> list[tuple[float, float]]:
    """(mean, width): the documented start, the pooled start the clips use, a narrow bell, the best fit."""
    return [fitting.HEIGHTS_STARTS["male"], fitting.HEIGHTS_STARTS["both"], (72.0, 2.0), best_fit()]


def _at(c: Checker, mean: float, width: float) -> str:
    return c.t("mean = {mean}, width = {width} (the sons' histogram)", mean=c.show(mean), width=c.show(width))


def check_chi_squared(c: Checker, chi_squared, bell) -> None:
    problem = heights()
    n = len(problem.y)
    try:
        for mean, width in chi2_points():
            p = np.array([mean, width])
            y, s, f = problem.y, problem.sigma, problem.model(problem.x, p)
            said = _at(c, mean, width)
            got = c.call(chi_squared, mean, width, tried=said)
            c.expect(got, problem.chi2(p), tried=said, rtol=1e-9, name="chi_squared", n=n, mistakes=[
                Mistake("sigma_once", np.sum((y - f) ** 2 / s),
                        N_("You divided each squared miss by σ once; it is the miss in units of σ that is squared, "
                           "so divide by σ².")),
                Mistake("no_sigma", np.sum((y - f) ** 2),
                        N_("Each miss must be measured in error bars: divide y − f by σ before squaring.")),
                Mistake("times_sigma", np.sum(((y - f) * s) ** 2),
                        N_("You multiplied the misses by σ; divide them by it.")),
                Mistake("precedence", np.sum((y - f / s) ** 2),
                        N_("Only f got divided by σ: `y - f / sigma` needs brackets around y − f.")),
                Mistake("mean", problem.chi2(p) / n,
                        N_("That is the mean over the {n} bins: χ² is the sum. (If you divide by N, you must divide "
                           "its gradient by N too — here neither is divided.)")),
                Mistake("norm", np.sqrt(problem.chi2(p)),
                        N_("That is the square root of χ²: the length of the vector of misses. χ² is its square, "
                           "the plain sum of squares.")),
                Mistake("not_squared", np.sum(problem.residuals(p)),
                        N_("The misses are added without squaring them, so those above and below the curve cancel: "
                           "square each one.")),
                Mistake("abs", np.sum(np.abs(problem.residuals(p))),
                        N_("You added the sizes of the misses; χ² adds their squares.")),
            ])
    except Fail as fail:
        _fail_unless_right_before(c, fail, _bell_is_right(c, bell), "bell_first", BELL_FIRST, name="chi_squared")


# --- exercise 3: ∇χ² ---------------------------------------------------------------------------------
def gradient_points() -> list[tuple[float, float]]:
    return [fitting.HEIGHTS_STARTS["male"], fitting.HEIGHTS_STARTS["both"], (72.0, 2.0), (66.0, 4.0)]


def check_gradient(c: Checker, chi_squared_gradient, bell) -> None:
    problem = heights()
    n = len(problem.y)
    try:
        for mean, width in gradient_points():
            p = np.array([mean, width])
            y, s = problem.y, problem.sigma
            f, df = problem.model(problem.x, p), problem.model.jacobian(problem.x, p)   # ∂f/∂μ, ∂f/∂s
            want = problem.grad(p)
            said = _at(c, mean, width)
            got = c.call(chi_squared_gradient, mean, width, tried=said)
            if isinstance(got, (int, float, np.number)) or (isinstance(got, (list, tuple, np.ndarray))
                                                             and np.shape(got) in ((), (1,))):
                raise Fail("one_component", c.t(
                    "For {tried} {name} returned one number, {got}; the gradient has two components, "
                    "(∂χ²/∂μ, ∂χ²/∂s): return both, in that order.", tried=said, name="chi_squared_gradient",
                    got=c.show(got)))
            no_front = df.copy()
            no_front[:, 1] = df[:, 1] + f / width    # ∂f/∂s without the −f/s of the 1/s in front
            c.expect(got, want, tried=said, rtol=1e-5, name="chi_squared_gradient", n=n, mistakes=[
                Mistake("sign", -want,
                        N_("Both components have the wrong sign: rᵢ = (yᵢ − fᵢ)/σᵢ, so ∂rᵢ/∂p = −(∂fᵢ/∂p)/σᵢ.")),
                Mistake("no_two", want / 2,
                        N_("Half the gradient: the derivative of rᵢ² is 2rᵢ·∂rᵢ/∂p — keep the 2.")),
                Mistake("swapped", want[::-1],
                        N_("The components are swapped: return (∂χ²/∂μ, ∂χ²/∂s), in that order.")),
                Mistake("mean", want / n,
                        N_("That is the gradient of the mean over the {n} bins; χ² is the sum, and so is its "
                           "gradient.")),
                Mistake("sigma_once", -2 * ((y - f) / s) @ df,
                        N_("Each term is divided by σ once; rᵢ·∂rᵢ/∂p carries 1/σ twice, so divide by σ².")),
                Mistake("no_sigma", -2 * (y - f) @ df,
                        N_("The σ are missing: χ² measures each miss in error bars, so its gradient divides by σ².")),
                Mistake("width_front", -2 * ((y - f) / s**2) @ no_front,
                        N_("∂χ²/∂s is off while ∂χ²/∂μ is right: the width appears twice in the bell, in the exponent "
                           "and in the 1/s in front. Differentiate both (the product rule).")),
                Mistake("mean_sign", np.array([-want[0], want[1]]),
                        N_("∂χ²/∂μ has the wrong sign: where x > μ, moving the bell to the right raises it, so "
                           "∂f/∂μ = f·(x − μ)/s² > 0 there.")),
                Mistake("mean_only", np.array([want[0], 0.0]),
                        N_("The second component is missing: work out ∂χ²/∂s as well.")),
                Mistake("width_only", np.array([0.0, want[1]]),
                        N_("The first component is missing: work out ∂χ²/∂μ as well.")),
                Mistake("mean_twice", np.array([want[0], want[0]]),
                        N_("Both components are ∂χ²/∂μ: the second is ∂χ²/∂s, with ∂f/∂s inside.")),
            ])
    except Fail as fail:
        if fail.kind == "one_component":
            raise
        _fail_unless_right_before(c, fail, _bell_is_right(c, bell), "bell_first", BELL_FIRST,
                                  name="chi_squared_gradient")


# --- paths: the loops of exercises 4 and 6 ------------------------------------------------------------
def _path(c: Checker, got, want: np.ndarray, *, tried: str, name: str, mistakes: list[Mistake]) -> None:
    """A learner's path (one row per point, the start first) against the core's."""
    try:
        arr = np.asarray(got, dtype=float) if got is not None and got is not Ellipsis else None
    except (TypeError, ValueError):
        arr = None
    if arr is not None and np.all(np.isfinite(arr)):
        steps = len(want) - 1
        if arr.shape == want.shape[1:]:
            raise Fail("last_only", c.t(
                "For {tried} {name} returned one point, {got}; return the whole path: the start and the point "
                "after every step, one row each ({rows} rows).", tried=tried, name=name, got=c.show(arr),
                rows=steps + 1))
        if arr.shape == want[1:].shape and close(arr, want[1:], 1e-6, 1e-9):
            raise Fail("no_start", c.t(
                "For {tried} {name} returned the {steps} points after each step, but the path starts with the "
                "start itself: {rows} rows in all.", tried=tried, name=name, steps=steps, rows=steps + 1))
        if arr.shape == want[:-1].shape and close(arr, want[:-1], 1e-6, 1e-9):
            raise Fail("short", c.t(
                "For {tried} {name} stopped one step early: {steps} steps make {rows} points, the start "
                "included.", tried=tried, name=name, steps=steps, rows=steps + 1))
    arr = c.value(got, want, tried=tried, name=name)
    differ = np.flatnonzero(~np.all(np.isclose(arr, want, rtol=1e-6, atol=1e-9), axis=1))
    k = int(differ[0]) if differ.size else 0
    c.expect(arr, want, tried=tried, rtol=1e-6, name=name, mistakes=mistakes, k=k,
             right=c.show(want[k]), yours=c.show(arr[k]),
             hint=N_("Your path first parts from the right one at row {k}: the right point is {right}, yours is "
                     "{yours}."))


def _aliased(want: np.ndarray) -> np.ndarray:
    return np.tile(want[-1], (len(want), 1))


ALIASED = N_("Every row of your path is the last point: updating p in place (`p -= …` or `p += …`) changes the "
             "array you already put in the list. Write p = p − … or p = p + … (a new array each time), or append "
             "a copy.")


# --- exercise 4: steepest descent ------------------------------------------------------------------------
def _bowl(seed: int, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """A quadratic bowl ½pᵀAp − bᵀp: its A (positive definite) and b."""
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(dim, dim))
    return M @ M.T / dim + np.eye(dim), rng.normal(size=dim)


def descent_cases(c: Checker):
    """(tried, grad, f, start, lr, steps): a bowl, the sons' χ² from the clips' start, a 3-parameter bowl."""
    cases = []
    for seed, dim, start, lr, steps in ((4, 2, (2.0, -1.0), 0.3, 5), (44, 3, (1.0, 0.5, -2.0), 0.2, 4)):
        A, b = _bowl(seed, dim)
        cases.append((c.t("a quadratic bowl in {dim} parameters, from {start}, lr = {lr}, {steps} steps",
                          dim=dim, start=c.show(start), lr=c.show(lr), steps=steps),
                      lambda p, A=A, b=b: A @ np.asarray(p, dtype=float) - b,
                      lambda p, A=A, b=b: 0.5 * np.asarray(p) @ A @ np.asarray(p) - b @ np.asarray(p),
                      start, lr, steps))
    problem = heights()
    start = fitting.HEIGHTS_STARTS["both"]
    cases.insert(1, (c.t("the sons' χ² from (mean, width) = {start}, lr = {lr}, {steps} steps",
                         start=c.show(start), lr=c.show(0.0018), steps=20),
                     problem.grad, problem.chi2, start, 0.0018, 20))
    return cases


def _descend(grad, start, lr, steps, rule) -> np.ndarray:
    """A wrong loop's path (for the mistakes): p ← rule(p, g, g₀)."""
    p = np.asarray(start, dtype=float)
    g0 = grad(p)
    path = [p]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            p = rule(p, grad(p), g0, lr)
            path.append(p)
    return np.array(path)


def check_descent(c: Checker, steepest_descent) -> None:
    for said, grad, f, start, lr, steps in descent_cases(c):
        want = cv.run(cv.gradient_descent(lr), f, grad, np.asarray(start, dtype=float), steps=steps, tol=0).points
        got = c.call(steepest_descent, grad, start, lr, steps, tried=said)
        _path(c, got, want, tried=said, name="steepest_descent", mistakes=[
            Mistake("sign", _descend(grad, start, lr, steps, lambda p, g, g0, lr: p + lr * g),
                    N_("Your path climbs: the function grows fastest along the gradient, so step against it, "
                       "p − lr·grad(p).")),
            Mistake("no_lr", _descend(grad, start, lr, steps, lambda p, g, g0, lr: p - g),
                    N_("Your steps are the whole gradient: scale each by the learning rate lr.")),
            Mistake("frozen", _descend(grad, start, lr, steps, lambda p, g, g0, lr: p - lr * g0),
                    N_("Every step uses the gradient at the start: take the gradient afresh at each new point.")),
            Mistake("aliased", _aliased(want), ALIASED),
        ])


# --- exercise 5: one Gauss–Newton step ---------------------------------------------------------------------
def step_cases(c: Checker):
    """(tried, problem, p): the sons at two points, the daughters' histogram, the Keeling curve's documented start."""
    return [(c.t("J and r of the sons' χ² at (mean, width) = {at}", at=c.show(fitting.HEIGHTS_STARTS["both"])),
             heights(), np.array(fitting.HEIGHTS_STARTS["both"])),
            (c.t("J and r of the sons' χ² at (mean, width) = {at}", at=c.show((72.0, 2.0))),
             heights(), np.array([72.0, 2.0])),
            (c.t("J and r of the Keeling curve at its documented start"), co2(), np.array(fitting.CO2_START))]


def core_step(problem: cv.FitProblem, p: np.ndarray) -> np.ndarray:
    """The core's Gauss–Newton step from p: its first point minus p."""
    points = cv.gauss_newton(problem, p, steps=1, tol=0).points
    return points[1] - points[0]


def check_step(c: Checker, gauss_newton_step) -> None:
    for said, problem, p in step_cases(c):
        J, r = problem.jacobian(p), problem.residuals(p)
        want = core_step(problem, p)
        try:
            got = c.call(gauss_newton_step, J, r, tried=said)
        except Fail as fail:
            if fail.kind == "raised" and "must be square" in fail.text:
                raise Fail("J_not_JTJ", c.t(
                    "For {tried} {name} tried to solve with J itself, which has one row per data point ({rows}) "
                    "and one column per parameter ({cols}): it is not square. Solve with the square matrix JᵀJ.",
                    tried=said, name="gauss_newton_step", rows=J.shape[0], cols=J.shape[1])) from None
            raise
        c.expect(got, want, tried=said, rtol=1e-6, name="gauss_newton_step", mistakes=[
            Mistake("sign", -want,
                    N_("Your step points the wrong way: it solves JᵀJ δ = +Jᵀr. With r = (y − f)/σ and J = ∂r/∂p, "
                       "the right-hand side is −Jᵀr.")),
            Mistake("gradient_step", -J.T @ r,
                    N_("That is −Jᵀr, half the downhill gradient — a steepest-descent step. Gauss–Newton solves "
                       "JᵀJ δ = −Jᵀr for δ.")),
            Mistake("gradient_step", J.T @ r,
                    N_("That is Jᵀr, half the gradient itself — no system solved. Gauss–Newton solves JᵀJ δ = −Jᵀr "
                       "for δ.")),
            Mistake("multiplied", -(J.T @ J) @ (J.T @ r),
                    N_("You multiplied −Jᵀr by JᵀJ; the step is the δ that JᵀJ turns into −Jᵀr: solve the system "
                       "(np.linalg.solve).")),
            Mistake("twice", 2 * want,
                    N_("Twice the step: if you use ∇χ² = 2Jᵀr, pair it with the matching curvature 2JᵀJ, and the "
                       "2s cancel.")),
            Mistake("half", want / 2,
                    N_("Half the step: if you use the curvature 2JᵀJ, pair it with ∇χ² = 2Jᵀr, and the 2s "
                       "cancel.")),
        ])


# --- exercise 6: Gauss–Newton all the way ----------------------------------------------------------------
def loop_cases(c: Checker):
    start = fitting.HEIGHTS_STARTS["both"]
    return [(c.t("the sons' χ² from (mean, width) = {start}, {steps} steps", start=c.show(start), steps=4),
             heights(), np.array(start), 4),
            (c.t("the Keeling curve from its documented start, {steps} steps", steps=3),
             co2(), np.array(fitting.CO2_START), 3)]


def _raw_step(problem: cv.FitProblem, p: np.ndarray) -> np.ndarray:
    """The Gauss–Newton step from p wherever p is, sane or not (NaN when it cannot be taken)."""
    with np.errstate(all="ignore"):
        try:
            return np.linalg.lstsq(problem.jacobian(p), -problem.residuals(p), rcond=None)[0]
        except (cv.CalcvizError, np.linalg.LinAlgError, ValueError):
            return np.full(len(p), np.nan)


def _newton_path(problem: cv.FitProblem, start, steps: int, rule) -> np.ndarray:
    """A wrong loop's path (for the mistakes): p ← rule(p, δ(p), δ(start))."""
    p = np.asarray(start, dtype=float)
    d0 = _raw_step(problem, p)
    path = [p]
    for _ in range(steps):
        p = rule(p, _raw_step(problem, p), d0)
        path.append(p)
    return np.array(path)


def _step_is_right(c: Checker, gauss_newton_step) -> bool:
    said, problem, p = step_cases(c)[0]
    try:
        got = c.call(gauss_newton_step, problem.jacobian(p), problem.residuals(p), tried=said)
        return close(np.asarray(got, dtype=float), core_step(problem, p), 1e-6, 1e-9)
    except (Fail, TypeError, ValueError):
        return False


def check_newton(c: Checker, gauss_newton, gauss_newton_step) -> None:
    try:
        for said, problem, start, steps in loop_cases(c):
            want = cv.gauss_newton(problem, start, steps=steps, tol=0).points
            got = c.call(gauss_newton, problem.residuals, problem.jacobian, start, steps, tried=said)
            _path(c, got, want, tried=said, name="gauss_newton", mistakes=[
                Mistake("sign", _newton_path(problem, start, steps, lambda p, d, d0: p - d),
                        N_("Your path walks away from the fit: the step δ already points downhill, so p ← p + δ.")),
                Mistake("frozen", _newton_path(problem, start, steps, lambda p, d, d0: p + d0),
                        N_("Every step is the first one: work out J and r afresh at each new point.")),
                Mistake("aliased", _aliased(want), ALIASED),
            ])
    except Fail as fail:
        if fail.kind in ("last_only", "no_start", "short"):
            raise
        _fail_unless_right_before(c, fail, _step_is_right(c, gauss_newton_step), "step_first",
                                  N_("{name} uses your gauss_newton_step, which is not right yet: make its check "
                                     "(exercise 5) pass first."), name="gauss_newton")


EXERCISES = (
    Exercise("bell", N_("Exercise 1: the bell curve"), ("bell",), check_bell),
    Exercise("chi_squared", N_("Exercise 2: χ², the misfit"), ("chi_squared", "bell"), check_chi_squared),
    Exercise("chi_squared_gradient", N_("Exercise 3: the gradient of χ²"), ("chi_squared_gradient", "bell"),
             check_gradient),
    Exercise("steepest_descent", N_("Exercise 4: steepest descent"), ("steepest_descent",), check_descent),
    Exercise("gauss_newton_step", N_("Exercise 5: one Gauss–Newton step"), ("gauss_newton_step",), check_step),
    Exercise("gauss_newton", N_("Exercise 6: Gauss–Newton all the way"), ("gauss_newton", "gauss_newton_step"),
             check_newton),
)
