"""Curve fitting: Jacobians by finite differences, solvers against scipy, known parameters recovered."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import curve_fit, least_squares

from calcviz.errors import CalcvizError
from calcviz.fitting import (CO2_BAD_START, CO2_START, CO2_T0, FitProblem, FitResult, chi2_grid, co2_problem,
                             covariance, fit, gauss_newton, gaussian, heights_problem, levenberg_marquardt,
                             steepest_descent, sum_of_gaussians, trend_plus_seasonal)
from calcviz.result import Status, Trajectory


def central_jacobian(f, p, h=1e-6):
    """∂f/∂pⱼ ≈ (f(p + h eⱼ) − f(p − h eⱼ)) / 2h, with h relative to |pⱼ|."""
    p = np.asarray(p, dtype=float)
    columns = []
    for j in range(len(p)):
        step = h * max(1.0, abs(p[j]))
        e = np.zeros_like(p)
        e[j] = step
        columns.append((np.asarray(f(p + e)) - np.asarray(f(p - e))) / (2 * step))
    return np.stack(columns, axis=-1)


# The optima below are not typed in from this code's output: every test computes them with scipy.
@pytest.fixture(scope="module")
def male():
    return heights_problem("male")


@pytest.fixture(scope="module")
def co2():
    return co2_problem()


def scipy_fit(problem, start=None):
    start = problem.start if start is None else start
    return least_squares(problem.residuals, start, jac=problem.jacobian, method="lm",
                         xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=10_000)


# --- models: analytic Jacobians against finite differences --------------------------------------------
X = np.linspace(55, 80, 41)
T = np.linspace(1959, 1998, 97)


@given(st.floats(58, 75), st.floats(0.8, 6), st.floats(1, 1000))
def test_gaussian_jacobian_matches_finite_differences(mean, width, area):
    model, p = gaussian(area), np.array([mean, width])
    expected = central_jacobian(lambda q: model(X, q), p)
    np.testing.assert_allclose(model.jacobian(X, p), expected, rtol=1e-6, atol=1e-7 * area)


@given(st.lists(st.floats(60, 72), min_size=3, max_size=3), st.lists(st.floats(1, 4), min_size=3, max_size=3),
       st.lists(st.floats(0.05, 0.45), min_size=2, max_size=2))
def test_sum_of_gaussians_jacobian_matches_finite_differences(means, widths, weights):
    model = sum_of_gaussians(3, area=500.0)
    p = np.array([means[0], widths[0], means[1], widths[1], means[2], widths[2], *weights])
    expected = central_jacobian(lambda q: model(X, q), p)
    np.testing.assert_allclose(model.jacobian(X, p), expected, rtol=1e-6, atol=1e-5)


@given(st.floats(200, 320), st.floats(10, 100), st.floats(-0.05, 0.05), st.floats(-5, 5), st.floats(-1, 1),
       st.floats(-2, 2), st.floats(-1, 1))
def test_trend_plus_seasonal_jacobian_matches_finite_differences(a, b, r, c1, phi1, c2, phi2):
    model, p = trend_plus_seasonal(CO2_T0), np.array([a, b, r, c1, phi1, c2, phi2])
    expected = central_jacobian(lambda q: model(T, q), p, h=1e-7)
    np.testing.assert_allclose(model.jacobian(T, p), expected, rtol=1e-5, atol=1e-4)


def test_jacobian_error_is_second_order(male):
    # Central differences converge as h²: halving h cuts the error by about 4.
    p = np.array([68.0, 2.7])
    exact = male.model.jacobian(male.x, p)
    errors = [np.abs(central_jacobian(lambda q: male.model(male.x, q), p, h) - exact).max() for h in (1e-2, 5e-3)]
    assert 3.5 < errors[0] / errors[1] < 4.5


def test_gaussian_area_is_fixed_by_normalisation():
    # ∫ f dx = area for any mean and width: the amplitude is not a free parameter.
    x = np.linspace(0, 140, 200_001)
    for mean, width in [(70, 3), (60, 1.5), (65, 10)]:
        assert np.trapezoid(gaussian(481.0)(x, [mean, width]), x) == pytest.approx(481.0, rel=1e-9)


def test_one_term_sum_is_the_gaussian_and_weights_sum_to_one():
    p = [66.0, 2.5]
    np.testing.assert_allclose(sum_of_gaussians(1, 10.0)(X, p), gaussian(10.0)(X, p), rtol=1e-14)
    two = sum_of_gaussians(2, 1.0)
    x = np.linspace(30, 110, 100_001)
    assert np.trapezoid(two(x, [64, 2, 69, 3, 0.3]), x) == pytest.approx(1.0, rel=1e-9)
    assert two.params == ("mean_1", "width_1", "mean_2", "width_2", "weight_1")


def test_trend_plus_seasonal_is_periodic_in_its_phases():
    model = trend_plus_seasonal(CO2_T0)
    p = np.array(CO2_START)
    shifted = p + [0, 0, 0, 0, 1.0, 0, 0.5]  # φ₁ by a year, φ₂ by half a year
    np.testing.assert_allclose(model(T, shifted), model(T, p), atol=1e-9)


# --- χ² and its gradient ----------------------------------------------------------------------------
def test_chi2_weights_residuals_by_sigma():
    problem = FitProblem(gaussian(1.0), np.array([0.0, 1, 2, 3]), np.array([0.1, 0.2, 0.1, 0.0]),
                         np.array([0.1, 0.2, 0.5, 1.0]), start=[1.0, 1.0])
    f = gaussian(1.0)(problem.x, [1.0, 1.0])
    assert problem.chi2([1.0, 1.0]) == pytest.approx(np.sum(((problem.y - f) / problem.sigma) ** 2), rel=1e-14)


@pytest.mark.parametrize("make", [lambda: heights_problem("male"), lambda: heights_problem(None, 2), co2_problem])
def test_chi2_gradient_matches_finite_differences(make):
    problem = make()
    p = np.array(problem.start) * 1.01
    expected = central_jacobian(lambda q: np.array(problem.chi2(q)), p, h=1e-7)
    np.testing.assert_allclose(problem.grad(p), expected, rtol=1e-5)


# --- agreement with scipy on the real data ------------------------------------------------------------
@pytest.mark.parametrize("make", [lambda: heights_problem("male"), lambda: heights_problem("female"),
                                  lambda: heights_problem(None, 2), co2_problem],
                         ids=["sons", "daughters", "everyone-two-gaussians", "keeling"])
@pytest.mark.parametrize("method", ["levenberg_marquardt", "gauss_newton"])
def test_fit_agrees_with_scipy_least_squares(make, method):
    problem = make()
    ours, theirs = fit(problem, method), scipy_fit(problem)
    assert theirs.success and ours.status is Status.CONVERGED
    np.testing.assert_allclose(ours.params, theirs.x, rtol=1e-6)
    assert ours.chi2 == pytest.approx(2 * theirs.cost, rel=1e-10)


def test_keeling_curve_fit_is_physically_sensible(co2):
    result = fit(co2)
    values = result.as_dict()
    assert 0.01 < values["r"][0] < 0.03  # growth of 1–3 % a year in the excess over baseline
    assert 2 < values["c1"][0] < 4  # a yearly swing of a few ppm
    t = 1990 + np.linspace(0, 1, 1201, endpoint=False)
    detrended = result.curve(t) - (values["a"][0] + values["b"][0] * np.exp(values["r"][0] * (t - CO2_T0)))
    month = int(((t[np.argmax(detrended)] % 1) * 12))  # 0 = January in R's time stamps
    assert month in (3, 4)  # the CO2 maximum is in April–May, before the northern growing season
    # Residuals are ppm-sized: the model explains all but a fraction of a ppm per month.
    assert np.sqrt(result.chi2 / result.dof) < 1.0


def test_standard_errors_match_curve_fit_with_poisson_sigma(male):
    result = fit(male)
    f = lambda x, mean, width: male.model(x, [mean, width])  # noqa: E731
    popt, pcov = curve_fit(f, male.x, male.y, p0=male.start, sigma=male.sigma, absolute_sigma=True,
                           jac=lambda x, *p: male.model.jacobian(x, p), method="lm",
                           xtol=1e-15, ftol=1e-15, gtol=1e-15)
    np.testing.assert_allclose(result.params, popt, rtol=1e-6)
    np.testing.assert_allclose(result.covariance, pcov, rtol=1e-5)
    np.testing.assert_allclose(result.stderr, np.sqrt(np.diag(pcov)), rtol=1e-5)


def test_standard_errors_match_curve_fit_without_sigma(co2):
    result = fit(co2)
    f = lambda t, *p: co2.model(t, p)  # noqa: E731
    popt, pcov = curve_fit(f, co2.x, co2.y, p0=co2.start, jac=lambda t, *p: co2.model.jacobian(t, p),
                           method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15)
    np.testing.assert_allclose(result.params, popt, rtol=1e-6)
    np.testing.assert_allclose(result.stderr, np.sqrt(np.diag(pcov)), rtol=1e-5)


# --- synthetic data: known parameters come back -------------------------------------------------------
def test_gaussian_recovers_mean_and_width_of_a_seeded_sample():
    rng = np.random.default_rng(2024)
    true_mean, true_width, n = 66.0, 2.8, 20_000
    sample = rng.normal(true_mean, true_width, n)
    counts, edges = np.histogram(sample, bins=np.arange(54.75, 78.0, 0.5))
    centres = (edges[:-1] + edges[1:]) / 2
    problem = FitProblem(gaussian(counts.sum() * 0.5), centres, counts, np.sqrt(np.maximum(counts, 1)),
                         start=[64.0, 4.0])
    result = fit(problem)
    assert result.success
    z = (result.params - [true_mean, true_width]) / result.stderr
    assert np.all(np.abs(z) < 4), z
    # The sample's own spread sets the scale: mean error ≈ width/√n.
    assert result.stderr[0] == pytest.approx(true_width / np.sqrt(n), rel=0.15)
    assert 0.5 < result.chi2_per_dof < 1.6


def test_trend_plus_seasonal_recovers_known_parameters():
    rng = np.random.default_rng(7)
    model = trend_plus_seasonal(2000.0)
    truth = np.array([300.0, 70.0, 0.015, 3.0, 0.05, 0.8, 0.3])
    t = 1980 + np.arange(480) / 12
    noise = 0.3
    y = model(t, truth) + rng.normal(0, noise, t.size)
    problem = FitProblem(model, t, y, np.full(t.size, noise), start=[280, 55, 0.02, 3, 0.1, 0.5, 0.25])
    result = fit(problem)
    assert result.success
    z = (result.params - truth) / result.stderr
    assert np.all(np.abs(z) < 4), z
    assert 0.8 < result.chi2_per_dof < 1.2  # the noise we added is the noise the fit sees


def test_two_gaussians_separate_a_seeded_mixture():
    rng = np.random.default_rng(11)
    sample = np.concatenate([rng.normal(64, 2.2, 6000), rng.normal(70, 2.6, 4000)])
    counts, edges = np.histogram(sample, bins=np.arange(52.0, 82.0, 0.5))
    centres = (edges[:-1] + edges[1:]) / 2
    problem = FitProblem(sum_of_gaussians(2, counts.sum() * 0.5), centres, counts, np.sqrt(np.maximum(counts, 1)),
                         start=[63, 3, 71, 3, 0.5])
    result = fit(problem)
    z = (result.params - [64, 2.2, 70, 2.6, 0.6]) / result.stderr
    assert result.success and np.all(np.abs(z) < 4), z


# --- the solvers' own rules ----------------------------------------------------------------------------
def test_lm_with_tiny_damping_takes_the_gauss_newton_step(co2):
    start = np.array(CO2_START)
    lm = levenberg_marquardt(co2, start, damping=1e-12, steps=1)
    gn = gauss_newton(co2, start, steps=1)
    J, r = co2.jacobian(start), co2.residuals(start)
    normal_equations = np.linalg.solve(J.T @ J, -J.T @ r)  # the Gauss–Newton step, written out
    np.testing.assert_allclose(gn.points[1] - start, normal_equations, rtol=1e-7)
    np.testing.assert_allclose(lm.points[1] - start, normal_equations, rtol=1e-7)
    assert lm.step_sizes[0] == 1e-12


def test_lm_with_huge_damping_steps_down_the_scaled_gradient(male):
    start = np.array([66.0, 3.5])
    lam = 1e6
    lm = levenberg_marquardt(male, start, damping=lam, steps=1)
    J, r = male.jacobian(start), male.residuals(start)
    scaled_gradient = -(J.T @ r) / np.diag(J.T @ J)  # D⁻¹ ∇χ²/2, downhill
    np.testing.assert_allclose((lm.points[1] - start) * lam, scaled_gradient, rtol=1e-5)


def test_lm_never_raises_chi2_and_adapts_its_damping(co2):
    run = levenberg_marquardt(co2, CO2_BAD_START)
    assert run.status is Status.CONVERGED
    assert np.all(np.diff(run.values) < 0)
    assert run.extras["rejected"].shape == (run.nit,)
    assert run.extras["rejected"].sum() > 0  # the bad start forces it to raise λ at least once
    # λ falls by `down` after each accepted step, and rises by `up` per rejection before the next.
    lam = run.step_sizes
    np.testing.assert_allclose(lam[1:], np.maximum(lam[:-1] / 10, 1e-15) * 10.0 ** run.extras["rejected"][1:])


def test_gauss_newton_from_a_bad_start_diverges_flagged_not_crashed(co2):
    run = gauss_newton(co2, CO2_BAD_START)
    assert run.status in (Status.DIVERGED, Status.NONFINITE)
    assert run.diverged and not run.success
    assert run.stopped_at is not None and run.stopped_at == run.nit + 1
    assert np.all(np.isfinite(run.points)) and np.all(np.isfinite(run.values))
    result = FitResult.from_trajectory(co2, run)
    assert result.status is run.status
    # …where Levenberg–Marquardt from the same start finds scipy's optimum.
    np.testing.assert_allclose(fit(co2, start=CO2_BAD_START).params, scipy_fit(co2).x, rtol=1e-6)


def test_gauss_newton_steps_are_full_steps(male):
    run = gauss_newton(male)
    assert run.success and np.all(run.step_sizes == 1.0)


def test_trajectories_keep_every_iterate_with_its_chi2_and_gradient(male):
    for run in (gauss_newton(male), levenberg_marquardt(male)):
        assert isinstance(run, Trajectory)
        np.testing.assert_array_equal(run.points[0], male.start)
        for p, value, g in zip(run.points, run.values, run.gradients):
            assert value == pytest.approx(male.chi2(p), rel=1e-14)
            np.testing.assert_allclose(g, male.grad(p), rtol=1e-12)
        assert run.nfev >= run.nit + 1
        with pytest.raises(ValueError):
            run.points[0, 0] = 0.0


def test_steepest_descent_reaches_the_optimum_on_the_well_scaled_problem(male):
    run = steepest_descent(male, steps=5000)
    best = scipy_fit(male)
    assert np.all(np.diff(run.values) <= 1e-12)
    assert run.fun == pytest.approx(2 * best.cost, rel=1e-6)
    np.testing.assert_allclose(run.x, best.x, rtol=1e-4)


def test_steepest_descent_crawls_on_the_badly_scaled_co2_model(co2):
    run = steepest_descent(co2, steps=500)
    assert run.status is Status.MAX_STEPS
    assert run.values[-1] < run.values[0]  # it goes downhill…
    lm = fit(co2)  # ~10 steps
    assert run.fun > 2 * lm.chi2  # …but after 500 steps it is nowhere near the optimum:
    # the offset a (≈ 270 ppm) and growth rate r (≈ 0.02 /yr) differ in scale by 10⁴, and one
    # learning rate cannot suit both. a has barely left its start.
    a_moved, a_needed = abs(run.x[0] - CO2_START[0]), abs(lm.params[0] - CO2_START[0])
    assert a_moved < 0.1 * a_needed


# --- results and grids ----------------------------------------------------------------------------------
def test_fit_result_reports_chi2_per_dof_and_names(male):
    result = fit(male)
    assert result.names == ("mean", "width")
    assert result.dof == len(male.x) - 2
    assert result.chi2_per_dof == pytest.approx(result.chi2 / result.dof)
    np.testing.assert_allclose(result.curve(male.x), male.model(male.x, result.params))
    assert "mean=" in repr(result) and "CONVERGED" in repr(result)
    with pytest.raises(ValueError):
        result.covariance[0, 0] = 1.0


def test_covariance_is_twice_the_inverse_hessian_of_chi2_at_a_perfect_fit():
    # With zero residuals χ²'s Hessian is exactly 2JᵀJ, so (JᵀJ)⁻¹ = 2·H⁻¹: check against a numerical H.
    truth = np.array([67.0, 2.5])
    x = np.linspace(60, 75, 16)
    problem = FitProblem(gaussian(400.0), x, gaussian(400.0)(x, truth), np.full(16, 2.0), start=[66.0, 3.0])
    result = fit(problem)
    np.testing.assert_allclose(result.params, truth, rtol=1e-10)
    hessian = central_jacobian(problem.grad, result.params, h=1e-5)
    np.testing.assert_allclose(result.covariance, 2 * np.linalg.inv(hessian), rtol=1e-6)
    np.testing.assert_allclose(covariance(problem, result.params), result.covariance)


def test_chi2_grid_is_centred_on_the_optimum_and_samples_chi2(male):
    result = fit(male)
    grid = result.chi2_grid(("mean", "width"), num=41)
    assert grid.names == ("mean", "width") and grid.chi2.shape == (41, 41)
    x, y, lowest = grid.minimum
    assert (x, y) == pytest.approx(tuple(result.params), rel=1e-12)
    assert lowest == pytest.approx(result.chi2, rel=1e-12)
    for i, j in [(0, 0), (5, 30), (40, 17)]:
        assert grid.chi2[j, i] == pytest.approx(male.chi2([grid.x[i], grid.y[j]]), rel=1e-14)
    np.testing.assert_allclose(grid.x[[0, -1]], result.params[0] + np.array([-4, 4]) * result.stderr[0])


def test_chi2_grid_holds_the_other_parameters_at_the_optimum(co2):
    result = fit(co2)
    grid = chi2_grid(co2, result.params, over=("phi1", "r"), ranges=[(0.0, 0.05), (0.015, 0.022)], num=5)
    p = result.params.copy()
    p[4], p[2] = grid.x[3], grid.y[1]
    assert grid.chi2[1, 3] == pytest.approx(co2.chi2(p), rel=1e-14)
    np.testing.assert_array_equal(grid.at, result.params)


# --- bad input gets one-line errors -----------------------------------------------------------------------
def test_bad_input_is_rejected(male):
    with pytest.raises(CalcvizError, match="unknown fitting method 'newton'"):
        fit(male, "newton")
    with pytest.raises(CalcvizError, match="start must have 2 entries"):
        fit(male, start=[67.0])
    with pytest.raises(CalcvizError, match="start must be finite"):
        gauss_newton(male, [np.nan, 3.0])
    with pytest.raises(CalcvizError, match="unknown parameter 'height'"):
        fit(male).chi2_grid(("mean", "height"))
    with pytest.raises(CalcvizError, match="two different parameters"):
        chi2_grid(male, male.start, ("mean", "mean"), [(60, 70), (60, 70)])
    with pytest.raises(CalcvizError, match="not finite at"):
        chi2_grid(male, male.start, ("mean", "width"), [(60, 70), (0, 3)], num=4)
    with pytest.raises(CalcvizError, match="sigma must have one finite, positive entry"):
        FitProblem(gaussian(), male.x, male.y, np.zeros_like(male.y), male.start)
    with pytest.raises(CalcvizError, match="more data points"):
        FitProblem(gaussian(), male.x[:2], male.y[:2], None, male.start)
    with pytest.raises(CalcvizError, match="damping must be > 0"):
        levenberg_marquardt(male, damping=0.0)
    with pytest.raises(CalcvizError, match="1 or 2 Gaussians"):
        heights_problem("male", components=3)
    with pytest.raises(CalcvizError, match="start: width = 0 is not > 0"):
        levenberg_marquardt(male, [67.0, 0.0])
    with pytest.raises(CalcvizError, match="steps must be a whole number"):
        gauss_newton(male, steps=-1)


def test_a_fixed_area_bell_has_a_second_wide_minimum():
    # The documented trap: steepest descent on the daughters from (67, 3) settles on a wide, flat bell.
    daughters = heights_problem("female")
    trapped = steepest_descent(daughters, [67.0, 3.0], steps=5000)
    assert trapped.status is Status.CONVERGED  # a genuine stationary point…
    assert trapped.x[1] > 8 and trapped.fun > 300
    found = fit(daughters, start=[67.0, 3.0])  # …that LM steps past to scipy's minimum
    np.testing.assert_allclose(found.params, scipy_fit(daughters).x, rtol=1e-6)
    assert found.chi2 < 50



def test_curve_stderr_matches_monte_carlo_over_the_parameter_covariance():
    from calcviz.fitting import co2_problem, fit
    result = fit(co2_problem(), "levenberg_marquardt")
    t = np.array([1960.0, 1978.5, 1997.0])
    rng = np.random.default_rng(7)
    draws = rng.multivariate_normal(result.params, result.covariance, size=4000)
    spread = np.std([result.problem.model(t, p) for p in draws], axis=0)
    assert np.allclose(result.curve_stderr(t), spread, rtol=0.08)
    assert np.all(result.curve_stderr(t) > 0)
