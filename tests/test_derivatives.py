"""Lesson 1's core against analytic derivatives and the error orders theory predicts."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcviz import derivatives as d
from calcviz.errors import CalcvizError
from calcviz.functions import FUNCTIONS, function

coeffs = st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=6)
points = st.floats(-2, 2, allow_nan=False)


def poly_and_derivative(c):
    p = np.polynomial.Polynomial(c)
    return p, p.deriv()


@given(coeffs, points)
def test_central_difference_matches_polynomial_derivative(c, x):
    p, dp = poly_and_derivative(c)
    h = d.best_central_step(x)
    scale = 1 + sum(abs(ci) for ci in c) * 10
    assert abs(d.central_difference(p, x, h) - dp(x)) < 1e-8 * scale


@given(st.sampled_from([(np.sin, np.cos), (np.exp, np.exp)]), points)
def test_central_difference_matches_sin_and_exp(pair, x):
    f, df = pair
    assert d.central_difference(f, x, d.best_central_step(x)) == pytest.approx(df(x), abs=1e-9)


@given(points)
def test_forward_and_backward_bracket_a_convex_slope(x):
    # For a convex function the backward slope is below f'(x) and the forward one above.
    p = np.polynomial.Polynomial([1, 0, 3])  # 1 + 3x²
    h = 1e-3
    assert d.backward_difference(p, x, h) <= 6 * x + 1e-9 <= d.forward_difference(p, x, h) + 2e-9


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_catalogue_derivatives_are_right(name):
    fn = function(name)
    x = np.linspace(*fn.domain, 41)
    h = 1e-5
    assert np.allclose(fn.df(x), d.central_difference(fn.f, x, h), atol=1e-7)
    assert np.allclose(fn.d2f(x), d.central_difference(fn.df, x, h), atol=1e-7)


def test_unknown_function_lists_known_names():
    with pytest.raises(CalcvizError, match="unknown function 'cosh'; known: cubic, square"):
        function("cosh")


@pytest.mark.parametrize("method, ratio", [("central", 4.0), ("forward", 2.0), ("backward", 2.0)])
def test_halving_h_cuts_the_error_by_the_order(method, ratio):
    x = 0.7
    e1 = abs(d.difference(np.sin, x, 1e-2, method) - np.cos(x))
    e2 = abs(d.difference(np.sin, x, 5e-3, method) - np.cos(x))
    assert e1 / e2 == pytest.approx(ratio, rel=0.02)


def test_error_curve_is_a_v_with_orders_one_and_two():
    errs = d.difference_errors(np.exp, np.exp, 1.0)
    assert errs.order("forward") == pytest.approx(1.0, abs=0.1)
    assert errs.order("central") == pytest.approx(2.0, abs=0.1)
    # Round-off theory: best forward h ~ sqrt(eps), best central h ~ cbrt(eps).
    assert 1e-9 < errs.best_h("forward") < 1e-7
    assert 1e-7 < errs.best_h("central") < 1e-4
    assert errs.best_error("central") < errs.best_error("forward")
    # Left of the tip round-off takes over: the tiniest h is worse than the best h.
    assert errs.errors["central"][0] > 100 * errs.best_error("central")


def test_secants_converge_to_the_tangent_slope():
    fn = function("cubic")
    sec = d.secant_slopes(fn.f, 1.0, d.shrinking_nudges(1.5, 0.5, 12), df=fn.df)
    assert sec.true_slope == pytest.approx(0.75 - 1)
    assert np.all(np.diff(sec.error) < 0)
    # (f(x+dx) - f(x))/dx - f'(x) = f''(x)/2 dx + f'''/6 dx²: the error is ~ f''(x)/2 · dx.
    assert sec.error[-1] / sec.dx[-1] == pytest.approx(fn.d2f(1.0) / 2, rel=0.01)
    assert np.allclose(sec.rise, fn.f(1.0 + sec.dx) - fn.f(1.0))


def test_secant_without_exact_derivative_uses_a_central_difference():
    sec = d.secant_slopes(np.sin, 0.3, [0.1])
    assert sec.true_slope == pytest.approx(math.cos(0.3), abs=1e-9)


@pytest.mark.parametrize("bad, msg", [
    (dict(x=float("nan")), "point x must be finite"),
    (dict(dx=[]), "at least one nudge"),
    (dict(dx=[0.1, 0.0]), "exactly 0"),
    (dict(dx=[float("inf")]), "nudge dx must be finite"),
])
def test_secant_input_is_validated(bad, msg):
    args = dict(x=1.0, dx=[0.5]) | bad
    with pytest.raises(CalcvizError, match=msg):
        d.secant_slopes(np.sin, **args)


def test_results_are_read_only():
    sec = d.secant_slopes(np.sin, 0.3, [0.1, 0.01])
    with pytest.raises(ValueError):
        sec.slope[0] = 1.0


def test_derivative_curve_matches_cos():
    curve = d.derivative_curve(np.sin, -3, 3, 301)
    assert np.max(np.abs(curve.slope - np.cos(curve.x))) < 1e-9
    with pytest.raises(CalcvizError, match="empty"):
        d.derivative_curve(np.sin, 2, 1)


@given(st.floats(-3, 3), st.floats(1e-4, 1))
def test_sum_nudges_stack_exactly(x, dx):
    s = d.sum_nudge(np.sin, np.exp, x, dx)
    total = (np.sin(x + dx) + np.exp(x + dx)) - (np.sin(x) + np.exp(x))
    assert s.d_sum == pytest.approx(total, rel=1e-12, abs=1e-12)


@given(st.integers(1, 6), st.floats(-2, 2), st.floats(1e-3, 1))
def test_power_nudge_terms_add_up_to_the_change(n, x, dx):
    p = d.power_nudge(n, x, dx)
    assert p.change == pytest.approx((x + dx) ** n - x**n, rel=1e-9, abs=1e-9)
    assert p.leading == pytest.approx(n * x ** (n - 1) * dx, rel=1e-12, abs=1e-300)


def test_power_rule_emerges_as_dx_shrinks():
    ratios = [d.power_nudge(3, 1.5, dx).change / dx for dx in (1e-1, 1e-2, 1e-3)]
    errors = [abs(r - 3 * 1.5**2) for r in ratios]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 5e-3


def test_product_nudge_area_and_vanishing_corner():
    f, g = np.sin, np.exp
    x = 0.8
    for dx in (1e-1, 1e-2):
        p = d.product_nudge(f, g, x, dx)
        assert p.change == pytest.approx(f(x + dx) * g(x + dx) - f(x) * g(x), rel=1e-12)
    big, small = d.product_nudge(f, g, x, 1e-1), d.product_nudge(f, g, x, 1e-2)
    # The corner is second order: 10x smaller dx makes it ~100x smaller; the strips only ~10x.
    assert big.corner / small.corner == pytest.approx(100, rel=0.1)
    assert big.strips / small.strips == pytest.approx(10, rel=0.1)
    assert small.change / 1e-2 == pytest.approx(np.cos(x) * np.exp(x) + np.sin(x) * np.exp(x), rel=1e-2)


def test_chain_nudge_multiplies_rates():
    c = d.chain_nudge(lambda x: x**2, np.sin, 1.2, 1e-5)
    assert c.dy_dx == pytest.approx(c.dy_du * c.du_dx, rel=1e-12)
    assert c.dy_dx == pytest.approx(np.cos(1.44) * 2.4, rel=1e-4)
    with pytest.raises(CalcvizError, match="du = 0"):
        d.chain_nudge(lambda x: 0 * x + 1, np.sin, 1.0, 0.1)


@pytest.mark.parametrize("kw, msg", [
    (dict(start=0.0), "non-zero"), (dict(factor=1.5), "between 0 and 1"), (dict(count=0), "number of nudges must be a whole number ≥ 1"),
    (dict(count=None), "number of nudges must be a whole number ≥ 1, got None")])
def test_shrinking_nudges_validated(kw, msg):
    with pytest.raises(CalcvizError, match=msg):
        d.shrinking_nudges(**kw)


def test_dense_nudges_contain_the_whole_steps():
    coarse = d.shrinking_nudges(1.0, 0.5, 5)
    dense = d.shrinking_nudges(1.0, 0.5, 5, per_step=10)
    assert np.allclose(dense[::10], coarse) and np.allclose(coarse, [1, 0.5, 0.25, 0.125, 0.0625])
    assert np.all(np.diff(dense) < 0) and len(dense) == 41


def test_flat_points_are_where_the_exact_derivative_vanishes():
    fn = function("cubic")  # f' = 3/4 x² − 1 = 0 at x = ±2/√3
    curve = d.derivative_curve(fn.f, -3, 3, 601)
    flats = curve.x[curve.flat_indices]
    assert np.allclose(flats, [-2 / np.sqrt(3), 2 / np.sqrt(3)], atol=0.011)


def test_a_slope_of_exactly_zero_on_the_grid_is_a_flat_point():
    # x² on 241 points of [−2, 2]: x = 0 is a grid point, where the central difference is exactly 0 —
    # no sign change between neighbours, and the parabola's valley was missed (issue 25)
    fn = function("square")
    curve = d.derivative_curve(fn.f, -2, 2, 241)
    assert curve.slope[120] == 0.0
    assert list(curve.flat_indices) == [120] and curve.flat_kinds == ("valley",)


def test_flat_points_are_told_apart_by_how_the_slope_turns():
    # sin on [−π, π]: a valley at −π/2 and a peak at π/2, both grid points of 241
    fn = function("sine")
    curve = d.derivative_curve(fn.f, -np.pi, np.pi, 241)
    assert np.allclose(curve.x[curve.flat_indices], [-np.pi / 2, np.pi / 2], atol=1e-9)
    assert curve.flat_kinds == ("valley", "peak")
    cubic = d.derivative_curve(function("cubic").f, -3, 3, 241)
    assert cubic.flat_kinds == ("peak", "valley") and len(cubic.flat_indices) == 2
    wave = d.derivative_curve(function("wave").f, -3, 3, 241)
    assert wave.flat_kinds == ("peak", "valley", "peak", "valley")
    assert d.derivative_curve(np.exp, -2, 2, 241).flat_kinds == ()


def test_a_slope_that_touches_zero_and_keeps_its_sign_is_level():
    # f' = x² (f = x³/3) sampled straight: zero at x = 0 but positive on both sides; a zero at the end of
    # the grid has only one side
    curve = d.DerivativeCurve(np.linspace(-1, 1, 5), np.zeros(5), np.array([1.0, 0.25, 0.0, 0.25, 1.0]))
    assert list(curve.flat_indices) == [2] and curve.flat_kinds == ("level",)
    edge = d.DerivativeCurve(np.linspace(0, 1, 3), np.zeros(3), np.array([0.0, 0.0, 1.0]))
    assert list(edge.flat_indices) == [0] and edge.flat_kinds == ("level",)


def test_square_nudge_corner_share_is_dx_over_2x_plus_dx():
    # d(x²) = 2x·dx + dx²: the corner's share is dx² / (2x·dx + dx²) = dx / (2x + dx)
    for x, dx in [(1.5, 0.5), (1.5, 0.05), (0.3, 0.01)]:
        assert d.power_nudge(2, x, dx).rest_share == pytest.approx(dx / (2 * x + dx), rel=1e-12)


def test_product_strips_are_the_two_rectangles():
    p = d.product_nudge(np.sin, np.exp, 0.8, 0.1)
    assert p.top == pytest.approx(np.sin(0.8) * (np.exp(0.9) - np.exp(0.8)), rel=1e-12)
    assert p.side == pytest.approx(np.exp(0.8) * (np.sin(0.9) - np.sin(0.8)), rel=1e-12)
