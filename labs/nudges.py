"""Lab 1, nudges: the checks of its exercises, every expected value from the core.

    forward_difference(f, x, h)   (f(x+h) − f(x)) / h
    central_difference(f, x, h)   (f(x+h) − f(x−h)) / 2h
    difference_error(difference, f, df, x, h)   |difference(f, x, h) − f′(x)|
    observed_order(hs, errors)    the slope of log error against log h
    best_step(hs, errors)         the h with the smallest error
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

import calcviz as cv
from labs.check import Checker, Exercise, Mistake
from scenes.kit.i18n import N_

# How a learner reads each test function (plain text, the same in every language).
FORMULAS = {"cubic": "f(x) = x³/4 − x + 1", "sine": "f(x) = sin x", "exp": "f(x) = eˣ", "square": "f(x) = x²"}

# (function, x, h): a plain case, a steep one, a curve bending down (so an error's sign shows), many h at once.
DIFFERENCE_CASES = (("exp", 1.0, 0.1), ("cubic", 2.0, 0.5), ("sine", 1.0, 0.25),
                    ("sine", 0.3, np.array([0.1, 0.01, 0.001])))


def tried(c: Checker, name: str, x, h) -> str:
    return c.t("{formula} at x = {x}, h = {h}", formula=FORMULAS[name], x=c.show(x), h=c.show(h))


def _differences(c: Checker, learner, core, mistakes) -> None:
    for name, x, h in DIFFERENCE_CASES:
        fn = cv.function(name)
        f, what = fn.f, tried(c, name, x, h)
        got = c.call(learner, f, x, h, tried=what)
        c.expect(got, core(f, x, h), tried=what, rtol=1e-9, name=learner.__name__,
                 mistakes=[Mistake(kind, wrong(f, x, h), hint) for kind, wrong, hint in mistakes])


def check_forward(c: Checker, forward_difference) -> None:
    _differences(c, forward_difference, cv.forward_difference, [
        ("backward", cv.backward_difference,
         N_("That is the backward difference: it looks at f(x − h). The forward nudge goes to x + h.")),
        ("central", cv.central_difference,
         N_("That is the central difference, which nudges both ways; this one nudges forward only.")),
        ("no_division", lambda f, x, h: f(x + h) - f(x),
         N_("You have the rise but not the slope: divide the rise by the run h.")),
        ("sign", lambda f, x, h: (f(x) - f(x + h)) / h,
         N_("The sign is flipped: the rise is f(x + h) − f(x), in that order.")),
        ("two_h", lambda f, x, h: (f(x + h) - f(x)) / (2 * h),
         N_("The run of a forward nudge is h, not 2h.")),
    ])


def check_central(c: Checker, central_difference) -> None:
    _differences(c, central_difference, cv.central_difference, [
        ("no_half", lambda f, x, h: (f(x + h) - f(x - h)) / h,
         N_("Twice the slope: from x − h to x + h the run is 2h, not h.")),
        ("forward", cv.forward_difference,
         N_("That is the forward difference; the central one nudges both ways, to x + h and to x − h.")),
        ("backward", cv.backward_difference,
         N_("That is the backward difference; the central one nudges both ways, to x + h and to x − h.")),
        ("sign", lambda f, x, h: (f(x - h) - f(x + h)) / (2 * h),
         N_("The sign is flipped: the rise is f(x + h) − f(x − h), in that order.")),
        ("precedence", lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h,
         N_("Dividing by 2 * h without brackets multiplies by h: write / (2 * h).")),
    ])


def check_error(c: Checker, difference_error) -> None:
    # The forward difference on sin x at x = 1 underestimates (sin bends down there): a signed error is < 0.
    for name, x, h, method in (("sine", 1.0, 0.1, cv.forward_difference), ("exp", 1.0, 0.01, cv.central_difference),
                               ("sine", 1.0, np.array([0.1, 0.01]), cv.forward_difference)):
        fn = cv.function(name)
        estimate, exact = method(fn.f, x, h), fn.df(x)
        what = c.t("the {method} difference of {formula} at x = {x}, h = {h}",
                   method=c.t(METHOD_WORDS[method.__name__]), formula=FORMULAS[name], x=c.show(x), h=c.show(h))
        got = c.call(difference_error, method, fn.f, fn.df, x, h, tried=what)
        c.expect(got, np.abs(estimate - exact), tried=what, rtol=1e-9, name="difference_error", mistakes=[
            Mistake("signed", estimate - exact,
                    N_("The error came out negative: it is a distance, |estimate − f′(x)|, so take its size.")),
            Mistake("relative", np.abs(estimate - exact) / abs(exact),
                    N_("That is the relative error; the plot wants the absolute one, without dividing by f′(x).")),
            Mistake("against_f", np.abs(estimate - fn.f(x)),
                    N_("You compared the estimate with f(x); compare it with the exact slope df(x).")),
        ])


METHOD_WORDS = {"forward_difference": N_("forward"), "central_difference": N_("central"),
                "backward_difference": N_("backward")}


@lru_cache(maxsize=1)
def error_table() -> cv.derivatives.DifferenceErrors:
    """The errors the clip plots: eˣ at x = 1, h from 10⁻¹⁵ to 1."""
    fn = cv.function("exp")
    return cv.difference_errors(fn.f, fn.df, 1.0, np.logspace(-15, 0, 151))


def check_order(c: Checker, observed_order) -> None:
    table = error_table()
    for method, order in (("forward", 1), ("central", 2)):
        lo, hi = table.truncation_window(method)
        keep = (table.h >= lo) & (table.h <= hi)
        hs, errors = table.h[keep], table.errors[method][keep]
        want = np.polyfit(np.log(hs), np.log(errors), 1)[0]
        what = c.t("the {method} difference's errors for h from {lo} to {hi}", method=c.t(METHOD_WORDS[f"{method}_difference"]),
                   lo=c.show(lo), hi=c.show(hi))
        got = c.call(observed_order, hs, errors, tried=what)
        c.expect(got, want, tried=what, rtol=0, atol=0.05, name="observed_order", order=order, mistakes=[
            Mistake("no_logs", np.polyfit(hs, errors, 1)[0],
                    N_("That is the slope of the error itself; the order is the slope on log–log axes: fit "
                       "log(error) against log(h).")),
            Mistake("swapped", np.polyfit(np.log(errors), np.log(hs), 1)[0],
                    N_("The axes are swapped: fit log(error) as a function of log(h), not the other way.")),
        ], hint=N_("Expect a slope near {order}: fit a straight line to log(error) against log(h)."))


def check_best(c: Checker, best_step) -> None:
    table = error_table()
    for method in ("forward", "central"):
        errors = table.errors[method]
        what = c.t("the {method} difference's errors", method=c.t(METHOD_WORDS[f"{method}_difference"]))
        got = c.call(best_step, table.h, errors, tried=what)
        c.expect(got, table.best_h(method), tried=what, rtol=1e-12, name="best_step", mistakes=[
            Mistake("index", float(np.argmin(errors)),
                    N_("That is the position of the smallest error in the list; return the step h at that position.")),
            Mistake("error", float(np.min(errors)),
                    N_("That is the smallest error itself; return the step h that gives it.")),
            Mistake("largest", float(table.h[np.argmax(errors)]),
                    N_("That step gives the largest error: look for the smallest.")),
        ])


EXERCISES = (
    Exercise("forward_difference", N_("Exercise 1: the forward difference"), ("forward_difference",), check_forward),
    Exercise("central_difference", N_("Exercise 2: the central difference"), ("central_difference",), check_central),
    Exercise("difference_error", N_("Exercise 3: how far off?"), ("difference_error",), check_error),
    Exercise("observed_order", N_("Exercise 4: the slope of the error"), ("observed_order",), check_order),
    Exercise("best_step", N_("Exercise 5: the best h"), ("best_step",), check_best),
)
