"""The landscape catalogue: exact derivatives against finite differences, and every
listed critical point checked (∇f = 0 and the Hessian's definiteness)."""
import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize as scipy_minimize
from scipy.optimize import root

from calcviz.errors import CalcvizError
from calcviz.landscapes import LANDSCAPES, critical_kind, landscape, landscape_names

NAMES = landscape_names()


def sample_points(land, n=7):
    (x0, x1), (y0, y1) = land.domain
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return np.stack([X.ravel(), Y.ravel()], axis=1)


def central_grad(f, p, h=1e-6):
    e = np.eye(2) * h
    return np.array([(f(p + e[i]) - f(p - e[i])) / (2 * h) for i in range(2)])


# --- the catalogue -------------------------------------------------------------------------
def test_catalogue_lists_every_landscape_gentlest_first():
    assert NAMES == ["bowl", "saddle", "booth", "rosenbrock", "himmelblau", "beale", "camel", "mountains"]
    assert all(landscape(n).name == n for n in NAMES)


def test_unknown_landscape_lists_the_known_ones():
    with pytest.raises(CalcvizError, match=r"unknown landscape 'volcano'; known: bowl, saddle, booth") as err:
        landscape("volcano")
    assert "\n" not in str(err.value)


def test_landscapes_are_immutable():
    land = landscape("himmelblau")
    with pytest.raises(dataclasses.FrozenInstanceError):
        land.name = "other"
    with pytest.raises(ValueError):
        land.minima[0, 0] = 5.0


def test_a_point_must_have_two_coordinates():
    with pytest.raises(CalcvizError, match="2 coordinates"):
        landscape("bowl").grad([1.0, 2.0, 3.0])


@pytest.mark.parametrize("name", NAMES)
def test_plain_data_for_the_scenes(name):
    land = landscape(name)
    (x0, x1), (y0, y1) = land.domain
    assert x0 < x1 and y0 < y1
    assert isinstance(land.tex, str) and land.tex
    assert x0 <= land.start[0] <= x1 and y0 <= land.start[1] <= y1
    for kind in ("minima", "saddles", "maxima"):
        pts = getattr(land, kind)
        assert pts.shape[1:] == (2,)
        assert np.all((pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1))


# --- exact derivatives against finite differences ---------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_central_differences(name):
    land = landscape(name)
    for p in sample_points(land):
        g = land.grad(p)
        assert np.allclose(g, central_grad(land.value, p), rtol=1e-6, atol=1e-5 * (1 + np.abs(g).max()))


@pytest.mark.parametrize("name", NAMES)
def test_hessian_matches_central_differences_of_the_gradient(name):
    land = landscape(name)
    for p in sample_points(land):
        H = land.hessian(p)
        e = np.eye(2) * 1e-6
        numeric = np.column_stack([(land.grad(p + e[i]) - land.grad(p - e[i])) / 2e-6 for i in range(2)])
        assert np.allclose(H, numeric, rtol=1e-6, atol=1e-5 * (1 + np.abs(H).max()))
        assert np.allclose(H, H.T)


@pytest.mark.parametrize("name", NAMES)
@given(u=st.floats(0, 1), v=st.floats(0, 1))
def test_derivatives_match_anywhere_in_the_domain(name, u, v):
    land = landscape(name)
    (x0, x1), (y0, y1) = land.domain
    p = np.array([x0 + u * (x1 - x0), y0 + v * (y1 - y0)])
    g = land.grad(p)
    assert np.allclose(g, central_grad(land.value, p), rtol=1e-5, atol=1e-4 * (1 + np.abs(g).max()))


@pytest.mark.parametrize("name", NAMES)
def test_evaluation_is_vectorised(name):
    land = landscape(name)
    pts = sample_points(land, 5)
    values, grads, hessians = land.value(pts), land.grad(pts), land.hessian(pts)
    assert values.shape == (25,) and grads.shape == (25, 2) and hessians.shape == (25, 2, 2)
    for k, p in enumerate(pts):
        assert values[k] == pytest.approx(land.value(p))
        assert np.allclose(grads[k], land.grad(p)) and np.allclose(hessians[k], land.hessian(p))
    # f(x, y) broadcasts like a numpy expression: a column of x against a row of y
    grid = land.f(pts[:5, :1], pts[::5, 1][None, :])
    assert grid.shape == (5, 5)


@pytest.mark.parametrize("name", NAMES)
def test_on_grid_is_a_meshgrid_of_the_domain(name):
    land = landscape(name)
    X, Y, Z = land.on_grid(31)
    assert X.shape == Y.shape == Z.shape == (31, 31)
    assert (X[0, 0], X[0, -1]) == land.domain[0] and (Y[0, 0], Y[-1, 0]) == land.domain[1]
    assert Z[7, 19] == pytest.approx(land.value([X[7, 19], Y[7, 19]]))


# --- critical points --------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_listed_critical_points_have_zero_gradient_and_the_right_hessian(name):
    land = landscape(name)
    for kind, points in (("minimum", land.minima), ("saddle", land.saddles), ("maximum", land.maxima)):
        for p in points:
            scale = 1 + np.abs(land.hessian(p)).max()
            assert np.linalg.norm(land.grad(p)) < 1e-9 * scale, (kind, p)
            assert critical_kind(land.hessian(p)) == kind, (kind, p)


@pytest.mark.parametrize("name", ["himmelblau", "beale", "camel", "mountains"])
def test_no_critical_point_in_the_domain_is_missing(name):
    # Solve ∇f = 0 from a grid of starts with scipy and make sure each root is listed.
    land = landscape(name)
    listed = np.vstack([land.minima, land.saddles, land.maxima])
    (x0, x1), (y0, y1) = land.domain
    for start in sample_points(land, 15):
        sol = root(land.grad, start, jac=land.hessian, options={"xtol": 1e-13})
        p = sol.x
        inside = x0 <= p[0] <= x1 and y0 <= p[1] <= y1
        if sol.success and inside and np.linalg.norm(land.grad(p)) < 1e-8:
            assert np.min(np.linalg.norm(listed - p, axis=1)) < 1e-6, f"unlisted critical point {p}"


@pytest.mark.parametrize("name", [n for n in NAMES if len(LANDSCAPES[n].minima)])
def test_the_first_minimum_is_global_over_the_domain(name):
    land = landscape(name)
    _, _, Z = land.on_grid(301)
    assert Z.min() >= land.min_value - 1e-9
    best = min(scipy_minimize(land.value, p, jac=land.grad, method="BFGS").fun for p in sample_points(land, 6))
    assert best >= land.min_value - 1e-8


@pytest.mark.parametrize("name, point, value", [
    ("bowl", (0, 0), 0.0), ("booth", (1, 3), 0.0), ("rosenbrock", (1, 1), 0.0),
    ("himmelblau", (3, 2), 0.0), ("beale", (3, 0.5), 0.0),
    ("camel", (0.0898, -0.7126), -1.0316),  # the value every optimisation test suite quotes
])
def test_known_global_minima(name, point, value):
    land = landscape(name)
    assert land.min_value == pytest.approx(value, abs=1e-4)
    assert np.allclose(land.global_minimum, point, atol=1e-4)


def test_himmelblau_has_four_minima_of_height_zero_and_a_central_maximum():
    land = landscape("himmelblau")
    assert np.allclose(land.value(land.minima), 0, atol=1e-20)
    assert land.value(land.maxima[0]) == pytest.approx(181.617, abs=1e-3)


def test_saddle_has_no_minimum():
    land = landscape("saddle")
    assert len(land.minima) == 0
    with pytest.raises(CalcvizError, match="no minimum"):
        land.global_minimum


def test_mountains_deep_valley_beats_the_trap():
    # the global minimum sits in the deep valley bump, the second minimum in the shallower one
    land = landscape("mountains")
    deep, trap = land.minima[:2]
    assert np.linalg.norm(deep - [2.0, -2.0]) < 0.1 and np.linalg.norm(trap - [-2.5, -1.5]) < 0.1
    assert land.value(deep) < land.value(trap) < 0



@pytest.mark.parametrize("name, valley, deepest", [
    ("himmelblau", (3.0, 2.0), True), ("himmelblau", (-2.805118, 3.131312), True),  # all four are as low
    ("himmelblau", (-3.779310, -3.283186), True), ("camel", (-0.0898, 0.7127), True),  # either of two
    ("camel", (-1.7036, 0.7961), False),  # a local camel hump
    ("mountains", (-2.5, -1.5), False), ("rosenbrock", (1.01, 0.99), True), ("rosenbrock", (0.0, 0.0), False),
])
def test_reached_deepest_valley_counts_every_valley_as_low_as_the_lowest(name, valley, deepest):
    assert landscape(name).reached_deepest_valley(valley) is deepest  # valleys from the literature, 4 digits


def test_reached_deepest_valley_needs_a_minimum_and_closeness():
    assert not landscape("saddle").reached_deepest_valley((0.0, 0.0))
    bowl = landscape("bowl")
    width = np.ptp(bowl.domain[0])
    assert bowl.reached_deepest_valley(bowl.global_minimum + [0.04 * width, 0])
    assert not bowl.reached_deepest_valley(bowl.global_minimum + [0.06 * width, 0])


def test_principal_curvatures_are_eigenpairs_of_the_hessian():
    from calcviz.landscapes import principal_curvatures
    H = np.array([[2.0, 1.0], [1.0, 3.0]])
    values, vectors = principal_curvatures(H)
    assert values[0] <= values[1]
    for lam, v in zip(values, vectors):
        assert np.allclose(H @ v, lam * v) and np.isclose(np.linalg.norm(v), 1)
    assert np.allclose(values, [(5 - np.sqrt(5)) / 2, (5 + np.sqrt(5)) / 2])


@pytest.mark.parametrize("name", ["mountains", "himmelblau", "rosenbrock"])
def test_compass_slopes_are_directional_derivatives(name):
    from calcviz.landscapes import compass
    land = landscape(name)
    p = np.array(land.start, dtype=float) + 0.3
    dial = compass(land, p)
    h = 1e-6
    for wanted in (0.3, 2.0, 4.5):
        k = dial.index(wanted)
        theta = dial.angles[k]
        assert abs(theta - wanted) < np.pi / 360  # sampled every half degree
        u = np.array([np.cos(theta), np.sin(theta)])
        numeric = (land.value(p + h * u) - land.value(p - h * u)) / (2 * h)
        assert dial.slopes[k] == pytest.approx(numeric, rel=1e-5, abs=1e-6)
    assert dial.slopes[dial.index(dial.uphill)] == pytest.approx(dial.norm)
    assert dial.slopes.max() == pytest.approx(dial.norm)
    assert dial.slopes[dial.index(dial.downhill)] == pytest.approx(-dial.norm)
    assert abs(dial.slopes[dial.index(dial.level)]) < 1e-9 * max(1, dial.norm)


def test_compass_needs_a_slope():
    from calcviz.landscapes import compass
    with pytest.raises(CalcvizError, match="gradient is zero"):
        compass(landscape("bowl"), (0.0, 0.0))
