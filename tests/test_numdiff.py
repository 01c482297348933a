"""Central differences against every analytic landscape, exact quadratics, and the
O(h²) error order (halving h cuts the error about 4×)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from calcviz import numdiff as nd
from calcviz.errors import CalcvizError
from calcviz.landscapes import landscape, landscape_names


def points_in(land, n=5):
    (x0, x1), (y0, y1) = land.domain
    X, Y = np.meshgrid(np.linspace(x0, x1, n + 2)[1:-1], np.linspace(y0, y1, n + 2)[1:-1])
    return np.stack([X.ravel(), Y.ravel()], axis=1)


@pytest.mark.parametrize("name", landscape_names())
def test_gradient_matches_every_analytic_landscape(name):
    land = landscape(name)
    for p in points_in(land):
        exact = land.grad(p)
        assert np.allclose(nd.gradient(land.value, p), exact, rtol=1e-7, atol=1e-6 * (1 + abs(land.value(p))))


@pytest.mark.parametrize("name", landscape_names())
def test_hessian_matches_every_analytic_landscape(name):
    land = landscape(name)
    for p in points_in(land):
        exact = land.hessian(p)
        scale = 1 + abs(land.value(p)) + np.abs(exact).max()
        assert np.allclose(nd.hessian(land.value, p), exact, rtol=1e-5, atol=1e-5 * scale)


@pytest.mark.parametrize("name", landscape_names())
def test_jacobian_of_the_gradient_is_the_hessian(name):
    land = landscape(name)
    for p in points_in(land, 3):
        exact = land.hessian(p)
        assert np.allclose(nd.jacobian(land.grad, p), exact, rtol=1e-7, atol=1e-6 * (1 + np.abs(exact).max()))


@given(a=arrays(float, (3, 3), elements=st.floats(-3, 3)), b=arrays(float, 3, elements=st.floats(-3, 3)),
       x=arrays(float, 3, elements=st.floats(-2, 2)))
def test_quadratics_are_differentiated_exactly(a, b, x):
    # f = ½xᵀAx + bᵀx has ∇f = ½(A + Aᵀ)x + b and Hessian ½(A + Aᵀ); central differences
    # have no truncation error on a quadratic, so only round-off remains.
    sym = (a + a.T) / 2

    def f(p):
        return 0.5 * p @ a @ p + b @ p

    assert np.allclose(nd.gradient(f, x), sym @ x + b, atol=1e-8)
    assert np.allclose(nd.hessian(f, x), sym, atol=1e-6)


def test_jacobian_of_a_linear_map_is_its_matrix():
    m = np.array([[1.0, 2.0, 0.5], [-3.0, 0.0, 4.0]])
    J = nd.jacobian(lambda p: m @ p, [0.3, -1.0, 2.0])
    assert J.shape == (2, 3)
    assert np.allclose(J, m, atol=1e-9)


def wavy(p):
    return np.exp(np.sin(p[0]) * p[1]) + p[0] ** 3 * np.cos(p[1])


def wavy_grad(p):
    x, y = p
    e = np.exp(np.sin(x) * y)
    return np.array([e * np.cos(x) * y + 3 * x**2 * np.cos(y), e * np.sin(x) - x**3 * np.sin(y)])


def test_halving_h_cuts_the_gradient_error_about_four_times():
    p = np.array([0.7, -0.4])
    errors = [np.abs(nd.gradient(wavy, p, h) - wavy_grad(p)).max() for h in (1e-2, 5e-3, 2.5e-3)]
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    assert np.all((ratios > 3.6) & (ratios < 4.4)), ratios


def test_halving_h_cuts_the_hessian_error_about_four_times():
    land = landscape("camel")
    p = np.array([0.6, 0.3])
    errors = [np.abs(nd.hessian(land.value, p, h) - land.hessian(p)).max() for h in (2e-2, 1e-2, 5e-3)]
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    assert np.all((ratios > 3.6) & (ratios < 4.4)), ratios


@pytest.mark.parametrize("h", [2e-2, 1e-2, 5e-3])
def test_richardson_estimate_tracks_the_true_error(h):
    p = np.array([0.7, -0.4])
    est = nd.gradient_estimate(wavy, p, h)
    true = np.abs(est.value - wavy_grad(p))
    assert np.all(est.error > 0.7 * true) and np.all(est.error < 1.4 * true)
    assert np.array_equal(est.value, nd.gradient(wavy, p, h))


def test_hessian_estimate_bounds_its_error():
    land = landscape("mountains")
    p = np.array([1.0, -1.3])
    est = nd.hessian_estimate(land.value, p, 1e-2)
    true = np.abs(est.value - land.hessian(p))
    assert np.all(true <= 1.5 * est.error + 1e-9)
    assert est.max_error < 1e-3


def test_default_steps_give_near_best_accuracy():
    land = landscape("rosenbrock")
    p = np.array([-1.2, 1.0])
    assert np.allclose(nd.gradient(land.value, p), land.grad(p), rtol=1e-8)
    assert np.allclose(nd.hessian(land.value, p), land.hessian(p), rtol=1e-6)
    assert np.allclose(nd.default_step([0.0, 10.0]), np.finfo(float).eps ** (1 / 3) * np.array([1.0, 10.0]))


def test_results_are_frozen():
    est = nd.jacobian_estimate(lambda p: p**2, [1.0, 2.0])
    with pytest.raises(ValueError):
        est.value[0, 0] = 1.0


@pytest.mark.parametrize("call, message", [
    (lambda: nd.gradient(np.sum, [np.nan, 1.0]), "point x must be finite"),
    (lambda: nd.gradient(np.sum, [1.0, 2.0], h=0.0), "step h must be > 0"),
    (lambda: nd.gradient(lambda p: np.nan if p[0] < 0 else p[0], [1e-12]), "not finite"),
    (lambda: nd.gradient(lambda p: p, [1.0, 2.0]), "use jacobian"),
])
def test_bad_input_is_a_one_line_error(call, message):
    with pytest.raises(CalcvizError, match=message) as err:
        call()
    assert "\n" not in str(err.value)
