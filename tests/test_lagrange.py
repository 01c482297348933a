"""Constrained optima against closed forms and scipy's SLSQP, and λ as the
sensitivity of the best value to loosening the constraint."""
import numpy as np
import pytest
from scipy.optimize import minimize as scipy_minimize

from calcviz.errors import CalcvizError
from calcviz.lagrange import CONSTRAINTS, constraint, lagrange, trace_constraint
from calcviz.landscapes import landscape
from calcviz.result import Status

PAIRS = [
    ("bowl", "unit_circle"), ("bowl", "line"), ("bowl", "ellipse"), ("booth", "unit_circle"),
    ("booth", "line"), ("booth", "ellipse"), ("rosenbrock", "unit_circle"), ("rosenbrock", "line"),
    ("rosenbrock", "ellipse"), ("himmelblau", "unit_circle"), ("himmelblau", "line"), ("himmelblau", "ellipse"),
    ("beale", "ellipse"), ("camel", "unit_circle"), ("camel", "line"), ("mountains", "unit_circle"),
    ("mountains", "line"), ("mountains", "ellipse"),
]


def scipy_best(name, curve, kind="min", eps=0.0, starts=None):
    """The best value SLSQP finds for f on g = eps over a grid of starts (negated f for a maximum)."""
    land, c = landscape(name), constraint(curve)
    sign = 1.0 if kind == "min" else -1.0
    if starts is None:
        starts = [(x, y) for x in np.linspace(-2.5, 2.5, 5) for y in np.linspace(-2.5, 2.5, 5)]
    best = None
    for s in starts:
        with np.errstate(all="ignore"):  # some starts wander far before SLSQP gives up on them
            res = scipy_minimize(lambda p: sign * land.value(p), s, jac=lambda p: sign * land.grad(p), method="SLSQP",
                                 constraints={"type": "eq", "fun": lambda p: c.value(p) - eps,
                                              "jac": lambda p: c.grad(p)},
                                 options={"ftol": 1e-14, "maxiter": 500})
        if res.success and abs(c.value(res.x) - eps) < 1e-9 and (best is None or res.fun < best.fun):
            best = res
    return best


# --- closed forms --------------------------------------------------------------------------------
def test_bowl_on_the_unit_circle():
    # ½(x² + 10y²) on x² + y² = 1 is ½ + 4.5·y²: lowest at (±1, 0), highest at (0, ±1)
    low, high = lagrange("bowl", "unit_circle"), lagrange("bowl", "unit_circle", "max")
    assert np.allclose(np.abs(low.point), [1, 0]) and low.value == pytest.approx(0.5)
    assert np.allclose(np.abs(high.point), [0, 1]) and high.value == pytest.approx(5.0)
    # ∇f = (x, 10y) = λ·(2x, 2y) gives λ = ½ at (±1, 0) and λ = 5 at (0, ±1)
    assert low.multiplier == pytest.approx(0.5) and high.multiplier == pytest.approx(5.0)


def test_bowl_on_the_line():
    # substitute y = 1 − x: ½(x² + 10(1 − x)²) is smallest at x = 10/11, with λ = x = 10/11
    best = lagrange("bowl", "line")
    assert np.allclose(best.point, [10 / 11, 1 / 11])
    assert best.value == pytest.approx(55 / 121) and best.multiplier == pytest.approx(10 / 11)
    assert best.t == pytest.approx(1 / 11)  # the line is (1 − t, t)


# --- against scipy -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, curve", PAIRS)
def test_constrained_minimum_matches_scipy(name, curve):
    ours = lagrange(name, curve)
    theirs = scipy_best(name, curve)
    assert ours.value == pytest.approx(theirs.fun, rel=1e-7, abs=1e-9)
    land, c = landscape(name), constraint(curve)
    assert abs(c.value(ours.point)) < 1e-10
    # the Lagrange condition: ∇f = λ∇g at the optimum
    assert np.allclose(ours.grad_f, ours.multiplier * ours.grad_g, atol=1e-8 * (1 + np.abs(ours.grad_f).max()))
    if np.linalg.norm(ours.point - theirs.x) > 1e-5:  # a tie: another point just as good
        assert land.value(theirs.x) == pytest.approx(ours.value, abs=1e-8)


@pytest.mark.parametrize("name, curve", [("bowl", "ellipse"), ("rosenbrock", "unit_circle"),
                                         ("himmelblau", "ellipse"), ("camel", "unit_circle"),
                                         ("mountains", "ellipse")])
def test_constrained_maximum_matches_scipy(name, curve):
    ours = lagrange(name, curve, "max")
    theirs = scipy_best(name, curve, "max")
    assert ours.value == pytest.approx(-theirs.fun, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("name, curve", [("bowl", "line"), ("rosenbrock", "unit_circle"),
                                         ("himmelblau", "ellipse"), ("mountains", "unit_circle")])
def test_multiplier_is_the_price_of_the_constraint(name, curve):
    # d(best f)/dε for the constraint g = ε, by a central difference of scipy's optima
    ours = lagrange(name, curve)
    eps = 1e-4
    up, down = (scipy_best(name, curve, eps=e, starts=[ours.point]).fun for e in (eps, -eps))
    assert (up - down) / (2 * eps) == pytest.approx(ours.multiplier, rel=1e-4, abs=1e-6)


# --- f along the curve ----------------------------------------------------------------------------------
@pytest.mark.parametrize("curve", list(CONSTRAINTS))
def test_trace_lies_on_the_curve_and_carries_f_and_the_gradients(curve):
    land, c = landscape("himmelblau"), constraint(curve)
    tr = trace_constraint(land, c, 200)
    assert tr.points.shape == (200, 2) and tr.t.shape == (200,)
    assert np.allclose(c.g(tr.points[:, 0], tr.points[:, 1]), 0, atol=1e-12)
    assert np.allclose(tr.values, land.value(tr.points)) and np.allclose(tr.grad_f, land.grad(tr.points))
    assert np.allclose(tr.grad_g, c.grad(tr.points))
    assert np.allclose(c.parameter(tr.points[:, 0], tr.points[:, 1]), tr.t)


@pytest.mark.parametrize("curve", list(CONSTRAINTS))
def test_slope_along_is_df_per_unit_length(curve):
    # the rate of change of f along the curve, in the direction t increases
    land = landscape("mountains")
    tr = trace_constraint(land, curve, 4001)
    arc = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(tr.points, axis=0), axis=1))])
    numeric = np.gradient(tr.values, arc)
    assert np.allclose(tr.slope_along[1:-1], numeric[1:-1], atol=1e-3)


def test_result_holds_trace_samples_and_solver():
    best = lagrange("rosenbrock", "unit_circle", n_trace=361, n_samples=12)
    assert best.trace.values.min() >= best.value - 1e-12  # nothing on the trace beats the optimum
    assert len(best.samples.t) == 12 and best.samples.grad_f.shape == (12, 2)
    assert best.solver.status is Status.CONVERGED
    assert abs(best.trace.slope_along).min() < abs(best.trace.slope_along).max()
    assert np.allclose(constraint("unit_circle").points(best.t), best.point)
    with pytest.raises(ValueError):
        best.point[0] = 0.0
    assert "rosenbrock" in repr(best) and "λ=" in repr(best)


# --- bad input -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda: lagrange("bowl", "square"), "unknown constraint 'square'; known: unit_circle, line, ellipse"),
    (lambda: lagrange("bowl", "unit_circle", "best"), "unknown kind 'best'; known: min, max"),
    (lambda: lagrange("saddle", "line"), "keeps falling to the end of the line"),
    (lambda: lagrange("bowl", "line", "max"), "no constrained maximum"),
    (lambda: trace_constraint("bowl", "line", 1), "at least 2 points"),
])
def test_bad_input_is_a_one_line_error(call, message):
    with pytest.raises(CalcvizError, match=message) as err:
        call()
    assert "\n" not in str(err.value)
