"""Issue 13: a result says what really happened — CONVERGED only when the run reached what it was asked for.

For a minimiser that means a point where the ground is flat *and* curves up every way.
A run that stops on a saddle or a hilltop, a fit whose parameters fly out of the data,
a Gauss–Newton step that is small only because the Jacobian died: each must say so.
"""
import math

import numpy as np
import pytest

import calcviz as cv
from calcviz.errors import CalcvizError
from calcviz.fitting import (
    FitProblem,
    Model,
    fit,
    gaussian,
    heights_problem,
    steepest_descent,
)
from calcviz.result import Status

HIMMELBLAU = cv.landscape("himmelblau")
HILLTOP = HIMMELBLAU.maxima[0]  # f ≈ 181.6


@pytest.fixture(scope="module")
def male():
    return heights_problem("male")


@pytest.fixture(scope="module")
def both_two():
    return heights_problem(None, components=2)


# --- minimisers: a flat spot is not always a valley ----------------------------------------------
def test_descent_started_on_a_hilltop_does_not_claim_convergence():
    run = cv.minimize("himmelblau", "gradient_descent", HILLTOP, lr=0.01)
    assert run.fun == pytest.approx(181.6, abs=0.1)
    assert run.status is Status.STATIONARY and not run.success
    assert run.point_kind == "maximum"
    assert "a flat spot, not a valley" in run.outcome
    assert "maximum" in run.message


def test_newton_from_near_the_hilltop_lands_on_it_and_says_so():
    run = cv.minimize("himmelblau", "newton", HILLTOP + 0.1)
    assert np.allclose(run.x, HILLTOP, atol=1e-6)
    assert run.status is Status.STATIONARY and run.point_kind == "maximum"


def test_descent_along_a_saddles_ridge_line_stops_on_the_saddle_and_says_so():
    # started exactly on y = 0, gradient descent never feels the downhill direction y
    run = cv.minimize("saddle", "gradient_descent", [-1.5, 0.0], lr=0.1)
    assert np.allclose(run.x, 0.0, atol=1e-6)
    assert run.status is Status.STATIONARY and run.point_kind == "saddle"
    assert run.outcome.startswith("a flat spot, not a valley")


def test_newton_heads_for_a_saddle_and_the_result_knows_it():
    run = cv.minimize("saddle", "newton", [0.5, -0.7])
    assert np.allclose(run.x, 0.0) and run.status is Status.STATIONARY and run.point_kind == "saddle"


@pytest.mark.parametrize("name", ["bowl", "rosenbrock", "himmelblau", "booth", "camel"])
def test_a_real_minimum_is_converged_and_named(name):
    run = cv.minimize(name, "line_search", steps=20_000)
    assert run.status is Status.CONVERGED and run.success, run.message
    assert run.point_kind == "minimum"
    assert "valley" in run.outcome and "not" not in run.outcome


def test_unfinished_and_diverged_runs_carry_no_point_kind_and_say_what_happened():
    slow = cv.minimize("bowl", "gradient_descent", lr=0.001, steps=10)
    assert slow.status is Status.MAX_STEPS and slow.point_kind is None and "step" in slow.outcome
    wild = cv.minimize("bowl", "gradient_descent", lr=1.0)
    assert wild.status is Status.DIVERGED and wild.point_kind is None and "ran away" in wild.outcome


def test_run_without_a_hessian_still_classifies_small_problems_numerically():
    f = lambda p: -(p[0] ** 2) - 3 * p[1] ** 2
    grad = lambda p: np.array([-2 * p[0], -6 * p[1]])
    run = cv.run(cv.gradient_descent(0.1), f, grad, [0.0, 0.0])
    assert run.status is Status.STATIONARY and run.point_kind == "maximum"


def test_root_finders_converge_on_whatever_critical_point_they_were_asked_for():
    # critical_point is asked for ∇f = 0, not for a minimum: a hilltop is a success, labelled as one
    run = cv.critical_point("himmelblau", HILLTOP + 0.05)
    assert run.status is Status.CONVERGED and run.point_kind == "maximum"
    assert "hilltop" in run.outcome


def test_repr_shows_the_kind_of_point():
    assert "saddle" in repr(cv.minimize("saddle", "newton", [0.5, -0.7]))


# --- fits: parameters that leave every sane bound ------------------------------------------------
POOR_HEIGHT_STARTS = [(60.0, 1.0), (80.0, 2.0), (55.0, 3.0)]


@pytest.mark.parametrize("start", POOR_HEIGHT_STARTS)
def test_gauss_newton_from_a_poor_start_is_not_converged(male, start):
    # today: CONVERGED with mean ≈ 1e168…3e286 ± inf
    result = fit(male, "gauss_newton", start=start)
    assert result.status is Status.OUT_OF_BOUNDS and not result.success
    assert result.trajectory.diverged
    assert any(name in result.trajectory.message for name in male.names)
    assert np.all(np.isfinite(result.params)) and result.params[1] > 0
    assert male.outside(result.params) is None  # the run is cut at its last sane point


def test_two_bell_fit_with_a_bell_pushed_out_of_the_data_is_not_converged(both_two):
    # today: CONVERGED with mean_2 = 5.6e9 and a negative width_2
    start = (64.0, 2.5, 75.0, 2.5, 0.5)
    result = fit(both_two, "gauss_newton", start=start)
    assert result.status is Status.OUT_OF_BOUNDS
    assert "_2" in result.trajectory.message
    lm = fit(both_two, "levenberg_marquardt", start=(60.0, 2.0, 80.0, 2.0, 0.3))
    assert not lm.success and lm.status is Status.OUT_OF_BOUNDS, lm


@pytest.mark.parametrize("method", ["gauss_newton", "levenberg_marquardt", "steepest_descent"])
@pytest.mark.parametrize("start", [(69.0, 3.0), (75.0, 1.0), (69.0, 0.5), (60.0, 1.0), (80.0, 2.0), (69.0, 10.0)])
def test_no_fit_ever_reports_a_width_that_is_not_positive(male, method, start):
    result = fit(male, method, start=start, steps=300)
    assert np.all(np.isfinite(result.params))
    assert result.params[1] > 0
    if result.success:
        assert male.x.min() <= result.params[0] <= male.x.max()
        assert np.all(np.isfinite(result.stderr))
        assert result.point_kind == "minimum"


def test_a_start_outside_the_sane_range_is_an_error(male):
    with pytest.raises(CalcvizError, match="width"):
        fit(male, "gauss_newton", start=(69.0, -3.0))  # today: CONVERGED with width −2.6
    with pytest.raises(CalcvizError, match="width"):
        FitProblem(gaussian(100.0), male.x, male.y, male.sigma, start=(69.0, 0.0))


@pytest.mark.parametrize("tol", [math.nan, -1.0, math.inf, None, "1e-8"])
@pytest.mark.parametrize("method", ["gauss_newton", "levenberg_marquardt", "steepest_descent"])
def test_nonsense_tolerances_are_errors_not_convergence(male, method, tol):
    with pytest.raises(CalcvizError, match="tol"):
        fit(male, method, tol=tol)


def test_a_good_fit_is_converged_at_a_minimum(male):
    result = fit(male)
    assert result.status is Status.CONVERGED and result.point_kind == "minimum"
    assert "valley" in result.outcome


def dead_parameter_problem():
    """y = a + 0·b: χ² does not depend on b at all, so every Jacobian has a zero column."""
    model = Model("flat in b", ("a", "b"), lambda x, p: p[0] + 0 * x,
                  lambda x, p: np.column_stack([np.ones_like(x), np.zeros_like(x)]))
    x = np.linspace(0, 1, 9)
    return FitProblem(model, x, 2.0 + 0.01 * np.sin(7 * x), None, start=(0.0, 1.0))


@pytest.mark.parametrize("method", ["gauss_newton", "levenberg_marquardt"])
def test_a_small_step_because_the_jacobian_died_is_not_convergence(method):
    # today: CONVERGED — a step of zero along b counted as "the step is small"
    result = fit(dead_parameter_problem(), method)
    assert result.status is Status.STATIONARY and not result.success
    assert "b" in result.trajectory.message and "depend" in result.trajectory.message
    assert result.outcome.startswith("a flat spot, not a valley")


def test_the_stopping_test_is_stated_in_the_message(male):
    for method in ("gauss_newton", "levenberg_marquardt"):
        message = fit(male, method).trajectory.message
        assert "step" in message and "tol" in message, message


def test_the_wide_flat_bell_is_a_genuine_local_minimum():
    trapped = steepest_descent(heights_problem("female"), [67.0, 3.0], steps=5000)
    assert trapped.status is Status.CONVERGED and trapped.point_kind == "minimum"


# --- training histories follow the same rule ----------------------------------------------------
def test_training_history_says_how_it_ended():
    data = cv.make_dataset("moons", 60, rng=0)
    calm = cv.train(cv.MLP((2, 4, 1)), data, steps=5, rng=0, snapshot_steps=2, grid_size=4)
    assert calm.status is Status.MAX_STEPS and calm.point_kind is None and "step" in calm.outcome
    wild = cv.train(cv.MLP((2, 4, 1), loss="mse"), data, optimizer="sgd", lr=1e9, steps=50, rng=0,
                    snapshot_steps=2, grid_size=4)
    assert wild.diverged and "ran away" in wild.outcome


# --- error orders come from where truncation dominates -------------------------------------------
@pytest.mark.parametrize("f, df, x, central", [
    (np.sin, np.cos, np.pi / 2, None),  # today: forward order 1.47. Central: sin(π/2 ± h) = cos h, no truncation
    (np.sin, np.cos, 0.7, 2),
    (np.exp, np.exp, 1.0, 2),
    (np.exp, np.exp, -3.0, 2),
    (np.cos, lambda x: -np.sin(x), 2.0, 2),
    (np.log, lambda x: 1 / x, 5.0, 2),
    (lambda x: x**3, lambda x: 3 * x**2, 1.3, 2),
    (np.sin, np.cos, 100.0, 2),
])
def test_difference_orders_are_the_true_orders(f, df, x, central):
    errs = cv.difference_errors(f, df, x, methods=("forward", "backward", "central"))
    assert errs.order("forward") == pytest.approx(1.0, abs=0.05)
    assert errs.order("backward") == pytest.approx(1.0, abs=0.05)
    if central is None:
        with pytest.raises(CalcvizError, match="truncation"):
            errs.order("central")
    else:
        assert errs.order("central") == pytest.approx(central, abs=0.05)


def test_the_order_window_is_where_truncation_dominates():
    errs = cv.difference_errors(np.sin, np.cos, np.pi / 2)
    lo, hi = errs.truncation_window("forward")
    assert 1e-9 < lo < 1e-5 and hi == pytest.approx(0.1)
    keep = (errs.h >= lo) & (errs.h <= hi)
    assert np.all(errs.errors["forward"][keep] >= 100 * errs.roundoff(errs.h[keep]))
