"""Taylor polynomials against known series and the remainder bound, the quadratic
approximation against f (error O(|d|³)), and Newton–Raphson's tangent steps."""
from math import factorial

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcviz import optimizers as opt
from calcviz.approximation import (
    critical_point,
    newton_raphson,
    newton_raphson_system,
    quadratic_approximation,
    taylor,
    taylor_from_derivatives,
)
from calcviz.errors import CalcvizError
from calcviz.functions import FUNCTIONS, function
from calcviz.landscapes import landscape, landscape_names
from calcviz.result import Status


# --- Taylor polynomials ---------------------------------------------------------------------------
@given(st.floats(-2, 2))
def test_taylor_of_exp_has_coefficients_e_to_the_a_over_k_factorial(a):
    p = taylor(np.exp, a, 12)
    expected = np.exp(a) / np.array([factorial(k) for k in range(13)], dtype=float)
    assert np.allclose(p.coefficients, expected, rtol=1e-9, atol=1e-14)


def test_taylor_of_sine_is_the_alternating_odd_series():
    p = taylor(np.sin, 0.0, 15)
    expected = [0 if k % 2 == 0 else (-1) ** (k // 2) / factorial(k) for k in range(16)]
    assert np.allclose(p.coefficients, expected, rtol=1e-8, atol=1e-15)


@given(st.lists(st.floats(-5, 5), min_size=1, max_size=7), st.floats(-2, 2))
def test_taylor_of_a_polynomial_is_the_same_polynomial(c, a):
    poly = np.polynomial.Polynomial(c)
    p = taylor(poly, a, len(c) + 2)
    x = np.linspace(-3, 3, 13)
    assert np.allclose(p(x), poly(x), atol=1e-8 * (1 + np.abs(poly(x))))
    assert np.allclose(p.coefficients[len(c):], 0, atol=1e-9 * (1 + max(map(abs, c))))


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_taylor_matches_the_catalogues_exact_derivatives(name):
    fn = function(name)
    for a in np.linspace(*fn.domain, 5):
        d = taylor(fn.f, a, 4).derivatives
        assert d[0] == pytest.approx(fn.f(a), abs=1e-10)
        assert d[1] == pytest.approx(fn.df(a), abs=1e-9)
        assert d[2] == pytest.approx(fn.d2f(a), abs=1e-8)


@given(x=st.floats(-2, 2), n=st.integers(0, 12))
def test_sine_error_is_within_the_lagrange_remainder(x, n):
    # |sin x − pₙ(x)| ≤ |x − a|ⁿ⁺¹ / (n + 1)! because every derivative of sin is at most 1
    a = 0.5
    p = taylor(np.sin, a, 12).truncated(n)
    assert abs(np.sin(x) - p(x)) <= abs(x - a) ** (n + 1) / factorial(n + 1) + 1e-12


def test_from_derivatives_is_exact_and_terms_add_up():
    # sin at π/4: derivatives cycle s, s, −s, −s with s = √2/2
    s = np.sqrt(0.5)
    p = taylor_from_derivatives([s, s, -s, -s, s], np.pi / 4)
    assert np.allclose(p.coefficients, [s, s, -s / 2, -s / 6, s / 24])
    x = np.linspace(0, 1.5, 7)
    assert p.terms(x).shape == (5, 7)
    assert np.allclose(p.terms(x).sum(axis=0), p(x))
    assert np.allclose(p.truncated(2)(x), p.terms(x)[:3].sum(axis=0))
    assert p.order == 4 and np.allclose(p.derivatives, [s, s, -s, -s, s])


def test_a_smaller_radius_handles_a_nearby_pole():
    # 1/(1 + x²) has poles at ±i: its series 1 − x² + x⁴ − … needs a circle of radius < 1
    p = taylor(lambda x: 1 / (1 + x**2), 0.0, 10, radius=0.5)
    assert np.allclose(p.coefficients, [1, 0, -1, 0, 1, 0, -1, 0, 1, 0, -1], atol=1e-9)


@pytest.mark.parametrize("call, message", [
    (lambda: taylor(np.abs, 0.0, 3), "complex"),
    (lambda: taylor(lambda x: 1 / (1 + x**2), 0.0, 6), "smaller radius"),
    (lambda: taylor(np.sqrt, 0.3, 4), "smaller radius"),
    (lambda: taylor(np.sin, 0.0, -1), "order must be"),
    (lambda: taylor(np.sin, np.nan, 3), "expansion point must be finite"),
    (lambda: taylor(np.sin, 0.0, 3).truncated(5), "order must be between 0 and 3"),
])
def test_taylor_bad_input_is_a_one_line_error(call, message):
    with pytest.raises(CalcvizError, match=message) as err:
        call()
    assert "\n" not in str(err.value)


# --- the quadratic approximation -----------------------------------------------------------------
@pytest.mark.parametrize("name", ["bowl", "saddle", "booth"])
def test_quadratic_approximation_of_a_quadratic_is_itself(name):
    land = landscape(name)
    q = quadratic_approximation(land, [0.7, -0.4])
    X, Y, Z = land.on_grid(21)
    assert np.allclose(q(X, Y), Z, atol=1e-9)


@pytest.mark.parametrize("name", landscape_names())
def test_quadratic_approximation_error_is_third_order(name):
    # f(p + d) − q(p + d) = O(|d|³): halving d cuts the error about 8×
    land = landscape(name)
    (x0, x1), (y0, y1) = land.domain
    p = np.array([x0 + 0.37 * (x1 - x0), y0 + 0.61 * (y1 - y0)])
    q = quadratic_approximation(land, p)
    direction = np.array([0.6, -0.8])
    errors = [abs(land.value(p + s * direction) - q(*(p + s * direction))) for s in (4e-2, 2e-2, 1e-2)]
    if max(errors) < 1e-12:  # quadratic landscapes have no error at all
        return
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    assert np.all((ratios > 6.5) & (ratios < 9.5)), ratios


def test_quadratic_approximation_touches_f_and_its_gradient():
    land = landscape("mountains")
    p = np.array([-1.2, 0.9])
    q = quadratic_approximation(land, p)
    assert q(*p) == pytest.approx(land.value(p))
    h = 1e-6
    slope = [(q(p[0] + h, p[1]) - q(p[0] - h, p[1])) / (2 * h), (q(p[0], p[1] + h) - q(p[0], p[1] - h)) / (2 * h)]
    assert np.allclose(slope, land.grad(p), atol=1e-7)
    assert q.linear(*p) == pytest.approx(land.value(p))


def test_quadratic_from_a_plain_function_uses_finite_differences():
    land = landscape("camel")
    p = [0.4, -0.3]
    exact, numeric = quadratic_approximation(land, p), quadratic_approximation(land.value, p)
    assert np.allclose(numeric.gradient, exact.gradient, atol=1e-8)
    assert np.allclose(numeric.hessian, exact.hessian, atol=1e-5)


def test_stationary_point_is_where_newton_jumps():
    land = landscape("rosenbrock")
    p = np.array([-1.2, 1.0])
    traj = opt.run(opt.newton(), land.value, land.grad, p, hess=land.hessian, steps=1, tol=0)
    assert np.allclose(quadratic_approximation(land, p).stationary_point, traj.points[1])


@pytest.mark.parametrize("name, kind, shape", [
    ("himmelblau", "minima", "bowl"), ("himmelblau", "saddles", "saddle"), ("himmelblau", "maxima", "dome"),
    ("camel", "saddles", "saddle"), ("mountains", "maxima", "dome"),
])
def test_shape_of_the_quadratic_at_critical_points(name, kind, shape):
    land = landscape(name)
    for p in getattr(land, kind):
        assert quadratic_approximation(land, p).shape == shape


def test_flat_quadratic_has_no_stationary_point():
    q = quadratic_approximation(lambda p: p[0] ** 2 + p[1], [0.0, 0.0])  # Hessian diag(2, 0)
    assert q.shape == "flat"
    with pytest.raises(CalcvizError, match="singular"):
        q.stationary_point


# --- Newton–Raphson ---------------------------------------------------------------------------------
def test_newton_raphson_finds_root_two_quadratically():
    traj = newton_raphson(lambda x: x**2 - 2, lambda x: 2 * x, 1.0)
    # |f(x)| ≤ tol = 1e-10 puts x within tol / f'(√2) = tol / 2√2 of the root
    assert traj.status is Status.CONVERGED and traj.x == pytest.approx(np.sqrt(2), abs=1e-10 / 2.8)
    # quadratic convergence: for x² − 2, x_{k+1} − √2 = (x_k − √2)² / 2x_k exactly
    x = traj.points[:-1]
    errors = x - np.sqrt(2)
    assert np.allclose(errors[1:], errors[:-1] ** 2 / (2 * x[:-1]), rtol=1e-6, atol=1e-15)


@given(st.floats(0.2, 3.0))
def test_each_iterate_is_where_the_tangent_crosses_zero(x0):
    traj = newton_raphson(np.cos, lambda x: -np.sin(x), x0)
    assert np.allclose(traj.points[1:], traj.points[:-1] - traj.values[:-1] / traj.gradients[:-1])
    assert np.allclose(traj.values, np.cos(traj.points)) and np.allclose(traj.gradients, -np.sin(traj.points))
    if traj.status is Status.CONVERGED:
        assert abs(np.cos(traj.x)) <= 1e-10


def test_newton_raphson_without_a_derivative_uses_central_differences():
    traj = newton_raphson(lambda x: x**3 - x - 2, None, 1.5)
    assert traj.status is Status.CONVERGED and traj.x**3 - traj.x - 2 == pytest.approx(0, abs=1e-10)


def test_flat_tangent_is_flagged_not_nan():
    traj = newton_raphson(lambda x: x**2 - 2, lambda x: 2 * x, 0.0)
    assert traj.status is Status.NONFINITE and traj.stopped_at == 1 and traj.nit == 0
    assert "flat" in traj.message and np.all(np.isfinite(traj.points))


def test_arctan_from_far_out_diverges():
    # Newton on arctan overshoots ever further once |x0| > 1.3917
    traj = newton_raphson(np.arctan, lambda x: 1 / (1 + x**2), 2.0)
    assert traj.status is Status.DIVERGED and np.all(np.isfinite(traj.points))
    assert np.all(np.diff(np.abs(traj.points)) > 0)
    assert newton_raphson(np.arctan, lambda x: 1 / (1 + x**2), 1.0).status is Status.CONVERGED


def test_system_finds_where_circle_meets_line():
    def F(p):
        return [p[0] ** 2 + p[1] ** 2 - 4, p[0] - p[1]]

    traj = newton_raphson_system(F, lambda p: [[2 * p[0], 2 * p[1]], [1.0, -1.0]], [1.0, 0.5])
    assert traj.status is Status.CONVERGED and np.allclose(traj.x, [np.sqrt(2), np.sqrt(2)])
    res = traj.extras["residuals"]
    assert res.shape == (traj.nit + 1, 2) and traj.extras["jacobians"].shape == (traj.nit + 1, 2, 2)
    assert np.allclose(traj.values, 0.5 * np.sum(res**2, axis=1))
    numeric = newton_raphson_system(F, None, [1.0, 0.5])
    assert np.allclose(numeric.x, traj.x)


def test_singular_jacobian_is_flagged():
    traj = newton_raphson_system(lambda p: [p[0] + p[1] - 1, 2 * p[0] + 2 * p[1] - 3], None, [0.0, 0.0])
    assert traj.status is Status.NONFINITE and "singular" in traj.message


@pytest.mark.parametrize("kind", ["minima", "saddles", "maxima"])
def test_critical_point_finds_each_listed_himmelblau_point_from_nearby(kind):
    land = landscape("himmelblau")
    for p in getattr(land, kind):
        traj = critical_point(land, p + np.array([0.05, -0.04]))
        assert traj.status is Status.CONVERGED and np.allclose(traj.x, p, atol=1e-9)


def test_newton_raphson_bad_input():
    with pytest.raises(CalcvizError, match="starting point x0 must be finite"):
        newton_raphson(np.sin, np.cos, np.nan)
    with pytest.raises(CalcvizError, match="as many numbers as x"):
        newton_raphson_system(lambda p: [p[0]], None, [1.0, 2.0])
