"""Issue 13: every public function of the core answers junk with a one-line CalcvizError, or a valid result.

Each case below is a public function (or method, or constructor) with a call that
works. The test replaces one argument at a time by junk of one class — None, NaN,
±inf, negative, zero, empty, wrong shape, wrong type — and calls again. Allowed
outcomes: a :class:`~calcviz.errors.CalcvizError` whose message is one non-empty line,
or a result. Any other exception (TypeError, AttributeError, IndexError, a bare
ValueError, …) fails.

Every (case, argument, class) gets a fixed canonical junk value, so coverage is
complete, plus a few more values drawn by Hypothesis (derandomised, so a failure is
reproducible). The count of inputs tried per class is printed at the end of the module
(``pytest -s``) and written to ``$CALCVIZ_JUNK_COUNTS`` if that is set.
"""
from __future__ import annotations

import importlib
import inspect
import json
import math
import os
import pkgutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import calcviz as cv
from calcviz import (
    approximation,
    contours,
    datasets,
    derivatives,
    errors,
    fitting,
    landscapes,
    loss_landscape,
    maps,
    network,
    numdiff,
    optimizers,
    result,
    toy_data,
)
from calcviz.errors import CalcvizError

lagrange = importlib.import_module("calcviz.lagrange")  # the package's name `lagrange` is the function
explorers = importlib.import_module("calcviz.explorers")

# --- the junk, class by class ------------------------------------------------------------
_finite = st.floats(-1e3, 1e3, allow_nan=False)


def _with(special):
    """A scalar ``special`` or a short list of finite numbers with ``special`` in it."""
    return st.one_of(st.just(special), st.just(np.float64(special)),
                     st.lists(_finite, min_size=1, max_size=4).flatmap(
                         lambda xs: st.integers(0, len(xs)).map(lambda i: xs[:i] + [special] + xs[i:])))


class _Opaque:
    """An object of no use to anyone."""

    def __repr__(self):
        return "<opaque>"


CLASSES: dict[str, tuple[Any, st.SearchStrategy]] = {
    # class: (canonical value, strategy for more)
    "None": (None, st.just(None)),
    "NaN": (math.nan, _with(math.nan)),
    "+inf": (math.inf, _with(math.inf)),
    "-inf": (-math.inf, _with(-math.inf)),
    "negative": (-1, st.one_of(st.integers(-10**6, -1), st.floats(-1e6, -1e-9),
                               st.lists(st.floats(-1e3, -1e-3), min_size=1, max_size=4))),
    "zero": (0, st.sampled_from([0, 0.0, -0.0, np.float64(0), [0.0, 0.0]])),
    "empty": ([], st.sampled_from([[], (), np.empty(0), np.empty((0, 2)), "", {}])),
    "wrong shape": (np.ones((2, 3, 2)), hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
                                                   elements=st.floats(-10, 10))),
    "wrong type": ("junk", st.sampled_from(["junk", "1.5", b"\x00", _Opaque(), 1 + 2j, {"a": 1}, {1, 2},
                                            np.array(["a", "b"]), [None, 1.0], True])),
}
TRIED: Counter = Counter()


# --- things the cases need, built once ---------------------------------------------------------
MALE = cv.heights_problem("male")
MALE_FIT = cv.fit(MALE)
MOONS = cv.make_dataset("moons", 20, rng=0)
NET = cv.MLP((2, 3, 1))
PARAMS = NET.init(rng=0)
HISTORY = cv.train(NET, MOONS, steps=4, rng=0, snapshot_steps=5, grid_size=3)
FORWARD = NET.forward(PARAMS, MOONS.X)
ERRS = cv.difference_errors(np.sin, np.cos, 0.5)
TAYLOR = cv.taylor(np.exp, 0.0, 3)
BOWL = cv.landscape("bowl")
TRAJ = cv.minimize("bowl", "gradient_descent", lr=0.1, steps=20)
LINE_PATH = np.array([[1.0, 0.0], [0.5, 0.3], [0.1, 0.05], [0.0, 0.0]])
GRID = np.arange(25.0).reshape(5, 5)
HEIGHTS_CSV = datasets.DATA_DIR / "galton_heights.csv"
COMPASS = cv.compass(BOWL, [1.0, 1.0], n=9)
CIRCLE = lagrange.constraint("unit_circle")
QUADRATIC = cv.quadratic_approximation("bowl", [1.0, 0.5])
SANDPIT = cv.sandpit("bowl", 3, n=3, steps=5, levels=3, contour_grid=11, lr=0.1)
STEP_SIZES = cv.step_sizes("bowl", [0.1, 0.2], steps=5, levels=3, contour_grid=11)


def _square(x):
    return x**2


def _F(p):
    return np.array([p[0] ** 2 + p[1] ** 2 - 1, p[0] - p[1]])


def _J(p):
    return np.array([[2 * p[0], 2 * p[1]], [1.0, -1.0]])


@dataclass
class Case:
    """``fn(**base)`` works; each name in ``junk`` (default: all of base) gets junk in turn."""

    label: str
    fn: Callable
    base: dict
    junk: tuple = None
    fixed: dict = field(default_factory=dict)  # passed too, never junked

    def names(self):
        return tuple(self.base) if self.junk is None else self.junk


def _missing(name):
    def call(**kwargs):
        raise AttributeError(f"{name} does not exist")
    return call


def method(obj, name):
    """A bound method (or module function) as a plain function of keyword arguments."""
    return getattr(obj, name, None) or _missing(name)


CASES = [
    # derivatives
    Case("forward_difference", derivatives.forward_difference, dict(f=np.sin, x=0.5, h=1e-3)),
    Case("backward_difference", derivatives.backward_difference, dict(f=np.sin, x=0.5, h=1e-3)),
    Case("central_difference", derivatives.central_difference, dict(f=np.sin, x=0.5, h=1e-3)),
    Case("difference", derivatives.difference, dict(f=np.sin, x=0.5, h=1e-3, method="forward")),
    Case("shrinking_nudges", derivatives.shrinking_nudges, dict(start=1.5, factor=0.5, count=8, per_step=2)),
    Case("secant_slopes", derivatives.secant_slopes, dict(f=np.sin, x=0.5, dx=[0.5, 0.1], df=np.cos)),
    Case("best_central_step", derivatives.best_central_step, dict(x=1.0)),
    Case("difference_errors", derivatives.difference_errors,
         dict(f=np.sin, df=np.cos, x=0.5, h=np.logspace(-10, -1, 30), methods=("forward", "central"))),
    Case("DifferenceErrors.order", method(ERRS, "order"), dict(method="central", h_min=1e-4, h_max=0.1)),
    Case("DifferenceErrors.truncation_window", method(ERRS, "truncation_window"), dict(method="forward", h_max=0.1)),
    Case("DifferenceErrors.best_h", method(ERRS, "best_h"), dict(method="central")),
    Case("DifferenceErrors.roundoff", method(ERRS, "roundoff"), dict(h=1e-3)),
    Case("derivative_curve", derivatives.derivative_curve, dict(f=np.sin, start=-1.0, end=1.0, n=11)),
    Case("sum_nudge", derivatives.sum_nudge, dict(f=np.sin, g=np.cos, x=0.5, dx=0.1)),
    Case("power_nudge", derivatives.power_nudge, dict(n=3, x=0.5, dx=0.1)),
    Case("product_nudge", derivatives.product_nudge, dict(f=np.sin, g=np.cos, x=0.5, dx=0.1)),
    Case("chain_nudge", derivatives.chain_nudge, dict(inner=np.sin, outer=np.exp, x=0.5, dx=0.1)),
    # functions
    Case("function", cv.function, dict(name="sine")),
    Case("Function1D", cv.Function1D, dict(name="sq", f=_square, df=_square, d2f=_square, tex="x^2", dtex="2x",
                                           domain=(-1.0, 1.0))),
    # approximation
    Case("taylor_from_derivatives", approximation.taylor_from_derivatives, dict(derivatives=[1.0, 2.0, 3.0],
                                                                                 center=0.0)),
    Case("taylor", approximation.taylor, dict(f=np.exp, center=0.0, order=3, radius=1.0)),
    Case("TaylorPolynomial.truncated", method(TAYLOR, "truncated"), dict(order=2)),
    Case("TaylorPolynomial.__call__", TAYLOR, dict(x=[0.1, 0.2])),
    Case("TaylorPolynomial.terms", method(TAYLOR, "terms"), dict(x=[0.1, 0.2])),
    Case("quadratic_approximation", approximation.quadratic_approximation, dict(f="bowl", p=[1.0, 0.5])),
    Case("newton_raphson", approximation.newton_raphson,
         dict(f=lambda x: x * x - 2, df=lambda x: 2 * x, x0=1.0, tol=1e-10, steps=50, max_norm=1e6)),
    Case("newton_raphson_system", approximation.newton_raphson_system,
         dict(F=_F, J=_J, x0=[1.0, 0.5], tol=1e-10, steps=50, max_norm=1e6)),
    Case("critical_point", approximation.critical_point, dict(land="himmelblau", x0=[3.1, 2.1], tol=1e-10, steps=50)),
    # contours
    Case("pick_levels", contours.pick_levels, dict(z=GRID, count=4, spacing="linear", decades=4.0)),
    Case("contour_lines", contours.contour_lines, dict(x=np.arange(5.0), y=np.arange(5.0), z=GRID, levels=[3.0, 7.0])),
    Case("landscape_contours", contours.landscape_contours,
         dict(land="bowl", levels=None, count=3, n=21, spacing=None, domain=None)),
    Case("Contours", cv.Contours, dict(levels=[1.0], lines=((np.zeros((3, 2)),),))),
    # datasets
    Case("read_csv", datasets.read_csv, dict(path=HEIGHTS_CSV, columns={"height_in": float})),
    Case("load_heights", datasets.load_heights, dict(sex="male", path=None)),
    Case("height_histogram", datasets.height_histogram, dict(heights=[60.0, 61.5, 70.2], bin_width=1.0, offset=0.75)),
    Case("load_co2", datasets.load_co2, dict(path=None)),
    Case("load_penguins", datasets.load_penguins, dict(species=("Adelie", "Gentoo"), path=None)),
    # fitting
    Case("gaussian", fitting.gaussian, dict(area=1.0)),
    Case("sum_of_gaussians", fitting.sum_of_gaussians, dict(components=2, area=1.0)),
    Case("trend_plus_seasonal", fitting.trend_plus_seasonal, dict(t0=1978.5)),
    Case("heights_problem", fitting.heights_problem, dict(sex="male", components=1, bin_width=1.0)),
    Case("gauss_newton", fitting.gauss_newton, dict(problem=MALE, start=None, steps=20, tol=1e-10)),
    Case("levenberg_marquardt", fitting.levenberg_marquardt,
         dict(problem=MALE, start=None, damping=1e-3, steps=20, tol=1e-10, up=10.0, down=10.0)),
    Case("steepest_descent", fitting.steepest_descent, dict(problem=MALE, start=None, lr=None, steps=5, tol=1e-6)),
    Case("covariance", fitting.covariance, dict(problem=MALE, p=[69.0, 2.6])),
    Case("fit", fitting.fit, dict(problem=MALE, method="gauss_newton", start=(69.0, 3.0), steps=20, tol=1e-10)),
    Case("chi2_grid", fitting.chi2_grid,
         dict(problem=MALE, at=[69.0, 2.6], over=("mean", "width"), ranges=[(68, 70), (2, 3)], num=4)),
    Case("FitProblem", fitting.FitProblem, dict(model=fitting.gaussian(100.0), x=MALE.x, y=MALE.y, sigma=MALE.sigma,
                                                start=(69.0, 3.0), name="male")),
    Case("FitResult", cv.FitResult, dict(problem=MALE, trajectory=MALE_FIT.trajectory,
                                         covariance=MALE_FIT.covariance)),
    Case("FitResult.chi2_grid", method(MALE_FIT, "chi2_grid"), dict(over=(0, 1), ranges=None, span=2.0, num=4)),
    Case("FitResult.curve", method(MALE_FIT, "curve"), dict(x=[60.0, 70.0])),
    Case("FitResult.curve_stderr", method(MALE_FIT, "curve_stderr"), dict(x=[60.0, 70.0])),
    # lagrange
    Case("constraint", lagrange.constraint, dict(name="line")),
    Case("trace_constraint", lagrange.trace_constraint, dict(land="bowl", curve="unit_circle", n=11)),
    Case("lagrange", lagrange.lagrange, dict(land="bowl", curve="unit_circle", kind="min", n_trace=61, n_samples=4)),
    # landscapes
    Case("principal_curvatures", landscapes.principal_curvatures, dict(hessian=[[2.0, 0.0], [0.0, -1.0]])),
    Case("directional_derivatives", landscapes.directional_derivatives,
         dict(land=BOWL, p=[1.0, 1.0], angles=[0.0, 1.0])),
    Case("compass", landscapes.compass, dict(land=BOWL, p=[1.0, 1.0], n=9)),
    Case("critical_kind", landscapes.critical_kind, dict(hessian=[[2.0, 0.0], [0.0, -1.0]])),
    Case("point_kind", method(result, "point_kind"), dict(hessian=[[2.0, 0.0], [0.0, -1.0]], rtol=1e-9)),
    Case("landscape", landscapes.landscape, dict(name="bowl")),
    Case("as_point", landscapes.as_point, dict(p=[1.0, 2.0], what="point")),
    Case("Landscape.value", method(BOWL, "value"), dict(p=[1.0, 2.0])),
    Case("Landscape.grad", method(BOWL, "grad"), dict(p=[1.0, 2.0])),
    Case("Landscape.hessian", method(BOWL, "hessian"), dict(p=[1.0, 2.0])),
    Case("Landscape.on_grid", method(BOWL, "on_grid"), dict(n=5, domain=((-1, 1), (-1, 1)))),
    Case("Landscape.reached_deepest_valley", method(BOWL, "reached_deepest_valley"), dict(p=[0.0, 0.0], tol=0.05)),
    Case("Landscape", cv.Landscape, dict(name="b", f=BOWL.f, df=BOWL.df, d2f=BOWL.d2f, tex="",
                                         domain=((-1, 1), (-1, 1)),
                                         minima=[(0.0, 0.0)], saddles=(), maxima=(), start=(0.5, 0.5))),
    # loss landscapes
    Case("filter_normalized_direction", loss_landscape.filter_normalized_direction,
         dict(network=NET, params=PARAMS, rng=0, bias="zero")),
    Case("pca_directions", loss_landscape.pca_directions, dict(path=HISTORY.path(), center=HISTORY.x)),
    Case("plane_losses", loss_landscape.plane_losses,
         dict(network=NET, center=HISTORY.x, directions=np.eye(2, NET.n_params), alphas=[0.0, 1.0], betas=[0.0],
              X=MOONS.X, y=MOONS.y, budget=2**10)),
    Case("slice_along", loss_landscape.slice_along,
         dict(history=HISTORY, directions=np.eye(2, NET.n_params), alphas=[0.0, 1.0], betas=[0.0, 1.0], kind="custom",
              explained_variance=None)),
    Case("random_slice", loss_landscape.random_slice, dict(history=HISTORY, span=1.0, n=3, rng=0, bias="zero")),
    Case("pca_slice", loss_landscape.pca_slice, dict(history=HISTORY, n=3, margin=0.25)),
    # maps
    Case("warp", maps.warp, dict(p=[0.5, 0.5], a=0.3)),
    Case("warp_jacobian", maps.warp_jacobian, dict(p=[0.5, 0.5], a=0.3)),
    Case("square_outline", maps.square_outline, dict(center=[0.0, 0.0], h=1.0, n=4)),
    Case("polygon_area", maps.polygon_area, dict(points=[[0, 0], [1, 0], [1, 1], [0, 1]])),
    Case("warped_area_ratio", maps.warped_area_ratio, dict(p=[0.5, 0.5], h=0.1, a=0.3)),
    Case("local_linearity", maps.local_linearity, dict(p=[0.5, 0.5], a=0.3, sizes=[0.1, 0.01])),
    # network
    Case("flatten", network.flatten, dict(params=PARAMS)),
    Case("unflatten", network.unflatten, dict(network=NET, theta=network.flatten(PARAMS))),
    Case("train", network.train,
         dict(network=NET, data=MOONS, optimizer="adam", lr=0.01, steps=3, batch_size=None, rng=0, snapshot_steps=2,
              grid_size=3, grid_bounds=None, probe=None, params=None)),
    Case("MLP", cv.MLP, dict(sizes=(2, 3, 1), hidden="tanh", output="sigmoid", loss="cross_entropy")),
    Case("MLP.init", method(NET, "init"), dict(rng=0)),
    Case("MLP.forward", method(NET, "forward"), dict(params=PARAMS, X=MOONS.X)),
    Case("MLP.predict", method(NET, "predict"), dict(params=PARAMS, X=MOONS.X)),
    Case("MLP.targets", method(NET, "targets"), dict(y=MOONS.y)),
    Case("MLP.cost", method(NET, "cost"), dict(forward=FORWARD, y=MOONS.y)),
    Case("MLP.loss_of", method(NET, "loss_of"), dict(params=PARAMS, X=MOONS.X, y=MOONS.y)),
    Case("MLP.backward", method(NET, "backward"), dict(params=PARAMS, forward=FORWARD, y=MOONS.y)),
    Case("MLP.loss_and_grad", method(NET, "loss_and_grad"), dict(params=PARAMS, X=MOONS.X, y=MOONS.y)),
    Case("MLP.accuracy", method(NET, "accuracy"), dict(outputs=FORWARD.output, y=MOONS.y)),
    Case("Params", cv.Params, dict(weights=PARAMS.weights, biases=PARAMS.biases)),
    Case("TrainingHistory.snapshot", method(HISTORY, "snapshot"), dict(step=0)),
    Case("TrainingHistory.loss_at", method(HISTORY, "loss_at"), dict(t=1.5)),
    Case("TrainingHistory.accuracy_at", method(HISTORY, "accuracy_at"), dict(t=1.5)),
    Case("TrainingHistory", cv.TrainingHistory, {f.name: getattr(HISTORY, f.name) for f in fields(HISTORY)}),
    # numdiff
    Case("default_step", numdiff.default_step, dict(x=[1.0, 2.0], derivative=1)),
    Case("jacobian", numdiff.jacobian, dict(F=_F, x=[1.0, 0.5], h=None)),
    Case("gradient", numdiff.gradient, dict(f=BOWL.value, x=[1.0, 0.5], h=1e-5)),
    Case("hessian", numdiff.hessian, dict(f=BOWL.value, x=[1.0, 0.5], h=None)),
    Case("jacobian_estimate", numdiff.jacobian_estimate, dict(F=_F, x=[1.0, 0.5], h=None)),
    Case("gradient_estimate", numdiff.gradient_estimate, dict(f=BOWL.value, x=[1.0, 0.5], h=None)),
    Case("hessian_estimate", numdiff.hessian_estimate, dict(f=BOWL.value, x=[1.0, 0.5], h=1e-3)),
    # optimizers
    Case("gradient_descent", optimizers.gradient_descent, dict(lr=0.1)),
    Case("momentum", optimizers.momentum, dict(lr=0.1, beta=0.9)),
    Case("nesterov", optimizers.nesterov, dict(lr=0.1, beta=0.9)),
    Case("rmsprop", optimizers.rmsprop, dict(lr=0.1, decay=0.9, eps=1e-8)),
    Case("adam", optimizers.adam, dict(lr=0.1, b1=0.9, b2=0.999, eps=1e-8)),
    Case("newton", optimizers.newton, dict(damping=0.0, lr=1.0)),
    Case("backtracking_line_search", optimizers.backtracking_line_search,
         dict(lr=1.0, shrink=0.5, c=1e-4, max_backtracks=50)),
    Case("run", optimizers.run, dict(rule=optimizers.gradient_descent(0.1), f=BOWL.value, grad=BOWL.grad, x0=[1.0, 1.0],
                                     steps=20, tol=1e-6, hess=None, max_norm=1e6, max_value=1e12)),
    Case("make_rule", optimizers.make_rule, dict(method="momentum", lr=0.1)),
    Case("minimize", optimizers.minimize, dict(land="bowl", method="gradient_descent", x0=None, steps=20, tol=1e-6,
                                               lr=0.1)),
    Case("Rule", cv.Rule, dict(name="gd", hyperparams={"lr": 0.1}, init=lambda x: (), update=lambda g, s, x: (g, s))),
    # results
    Case("frozen_array", result.frozen_array, dict(values=[1.0, 2.0])),
    Case("Trajectory", cv.Trajectory, dict(method="gd", points=TRAJ.points, values=TRAJ.values,
                                           gradients=TRAJ.gradients, step_sizes=TRAJ.step_sizes, status=TRAJ.status,
                                           message=TRAJ.message, nfev=3, hyperparams={}, stopped_at=None,
                                           point_kind=None, growth=None, to_go=None)),
    Case("Trajectory.at", method(TRAJ, "at"), dict(t=1.5)),
    Case("Trajectory.value_at", method(TRAJ, "value_at"), dict(t=1.5)),
    Case("outcome", method(result, "outcome"), dict(status=cv.Status.CONVERGED, point_kind="minimum")),
    Case("N_", result.N_, dict(message="converged")),  # marks a phrase: whatever it is given, it gives back
    Case("growth", result.growth, dict(values=5 * 1.1025 ** np.arange(20))),
    Case("shrink", result.shrink, dict(sizes=2.5 * 0.95 ** np.arange(20))),
    Case("steps_to_go", result.steps_to_go, dict(size=0.5, factor=0.95, tol=1e-6)),
    Case("rising", result.rising, dict(what="f", values=[5.0, 6.0], factor=1.2)),
    # toy data
    Case("two_moons", toy_data.two_moons, dict(n=20, noise=0.1, rng=0)),
    Case("circles", toy_data.circles, dict(n=20, noise=0.1, rng=0, factor=0.5)),
    Case("xor", toy_data.xor, dict(n=20, noise=0.1, rng=0)),
    Case("spiral", toy_data.spiral, dict(n=20, noise=0.1, rng=0, arms=2, turns=1.5)),
    Case("standardize", toy_data.standardize, dict(data=MOONS)),
    Case("make_dataset", toy_data.make_dataset, dict(name="moons", n=20, noise=0.1, rng=0)),
    Case("Dataset", cv.Dataset, dict(X=MOONS.X, y=MOONS.y, name="moons", offset=None, scale=None)),
    # errors' own helpers
    Case("require_choice", errors.require_choice, dict(what="thing", value="a", choices=("a", "b"))),
    Case("require_finite", errors.require_finite, dict(what="thing", value=1.0)),
    Case("require_positive", errors.require_positive, dict(what="thing", value=1.0)),
    Case("require_interval", errors.require_interval, dict(what="thing", lo=0.0, hi=1.0)),
    Case("require_numeric", errors.require_numeric, dict(what="thing", value=[1.0, np.nan])),
    Case("require_array", errors.require_array, dict(what="thing", value=[[1.0]], ndim=None, shape=(1, None),
                                                     min_size=1)),
    Case("require_vector", errors.require_vector, dict(what="thing", value=[1.0, 2.0], size=2)),
    Case("require_number", errors.require_number, dict(what="thing", value=1.0)),
    Case("require_nonnegative", errors.require_nonnegative, dict(what="thing", value=0.0)),
    Case("require_nonzero", errors.require_nonzero, dict(what="thing", value=-1.0)),
    Case("require_between", errors.require_between, dict(what="thing", value=0.5, lo=0.0, hi=1.0, closed="[)")),
    Case("require_whole", errors.require_whole, dict(what="thing", value=3, low=1)),
    Case("require_callable", errors.require_callable, dict(what="thing", value=np.sin)),
    Case("require_text", errors.require_text, dict(what="thing", value="text")),
    Case("require_instance", errors.require_instance, dict(what="thing", value=1.0, kind=float, hint="")),
    Case("require_seed", errors.require_seed, dict(what="thing", value=0)),
    Case("call", lambda what, fn: errors.call(what, fn, 0.5), dict(what="f", fn=np.sin)),
    Case("show", errors.show, dict(value=np.ones(9), width=30)),
    Case("is_finite", errors.is_finite, dict(x=1.0)),
    # more methods a scene calls
    Case("Function1D.__call__", cv.function("cubic"), dict(x=[0.5, 1.0])),
    Case("Model.__call__", MALE.model, dict(x=[60.0, 70.0], p=[69.0, 2.6])),
    Case("Model.jacobian", method(MALE.model, "jacobian"), dict(x=[60.0, 70.0], p=[69.0, 2.6])),
    Case("Model", fitting.Model, dict(name="line", params=("a", "b"), f=_square, jac=_square, kinds=("free", "free"))),
    Case("FitProblem.residuals", method(MALE, "residuals"), dict(p=[69.0, 2.6])),
    Case("FitProblem.jacobian", method(MALE, "jacobian"), dict(p=[69.0, 2.6])),
    Case("FitProblem.chi2", method(MALE, "chi2"), dict(p=[69.0, 2.6])),
    Case("FitProblem.grad", method(MALE, "grad"), dict(p=[69.0, 2.6])),
    Case("FitProblem.hessian", method(MALE, "hessian"), dict(p=[69.0, 2.6])),
    Case("FitProblem.outside", method(MALE, "outside"), dict(p=[69.0, 2.6])),
    Case("FitProblem.dead_parameters", method(MALE, "dead_parameters"), dict(p=[69.0, 2.6])),
    Case("Compass.index", method(COMPASS, "index"), dict(angle=1.0)),
    Case("Forward.z", method(FORWARD, "z"), dict(l=1)),
    Case("Forward.a", method(FORWARD, "a"), dict(l=1)),
    Case("MLP.activation", method(NET, "activation"), dict(l=1)),
    Case("MLP.output_delta", method(NET, "output_delta"), dict(forward=FORWARD, Y=NET.targets(MOONS.y))),
    Case("Constraint.value", method(CIRCLE, "value"), dict(p=[1.0, 0.0])),
    Case("Constraint.grad", method(CIRCLE, "grad"), dict(p=[1.0, 0.0])),
    Case("Constraint.hessian", method(CIRCLE, "hessian"), dict(p=[1.0, 0.0])),
    Case("Constraint.points", method(CIRCLE, "points"), dict(t=[0.0, 1.0])),
    Case("QuadraticApproximation.__call__", QUADRATIC, dict(x=[0.0, 1.0], y=[0.5, 0.5])),
    Case("QuadraticApproximation.linear", method(QUADRATIC, "linear"), dict(x=[0.0, 1.0], y=[0.5, 0.5])),
    Case("Contours.is_closed", cv.Contours.is_closed, dict(piece=np.zeros((3, 2)))),
    # explorers (issue 15)
    Case("sandpit", method(explorers, "sandpit"), dict(land="bowl", probes=3, n=3, method="gradient_descent", steps=5,
                                                       tol=1e-3, levels=3, contour_grid=11, lr=0.1)),
    Case("step_sizes", method(explorers, "step_sizes"), dict(land="bowl", rates=[0.1, 0.2], start=None, steps=5,
                                                             tol=1e-6, levels=3, contour_grid=11)),
    Case("verdict", method(explorers, "verdict"), dict(run=TRAJ)),
    Case("verdict_message", method(explorers, "verdict_message"), dict(run=TRAJ)),
    Case("Sandpit", cv.Sandpit, {f.name: getattr(SANDPIT, f.name) for f in fields(SANDPIT)}),
    Case("StepSizes", cv.StepSizes, {f.name: getattr(STEP_SIZES, f.name) for f in fields(STEP_SIZES)}),
    # no arguments, but public: the baseline call must work
    Case("co2_problem", fitting.co2_problem, {}),
    Case("landscape_names", landscapes.landscape_names, {}),
    Case("fit_point_kind", method(fitting, "fit_point_kind"), dict(problem=MALE, p=[69.0, 2.6])),
    Case("end_point_kind", method(optimizers, "end_point_kind"), dict(x=np.zeros(2), grad=BOWL.grad, hess=None)),
]

PAIRS = [(case, name) for case in CASES for name in case.names()]


def _attempt(case: Case, name: str, junk, klass: str):
    """Call the case with ``name`` replaced by ``junk``; fail on anything but a valid result or a one-line error."""
    TRIED[klass] += 1
    kwargs = dict(case.base, **case.fixed)
    kwargs[name] = junk
    try:
        with np.errstate(all="ignore"):
            case.fn(**kwargs)
    except CalcvizError as error:
        message = str(error)
        assert message.strip() and "\n" not in message, f"{case.label}({name}={junk!r}): {message!r}"
    except Exception as error:
        pytest.fail(f"{case.label}({name}={junk!r}) [{klass}] raised {type(error).__name__}: {error}")


@pytest.mark.parametrize("case, name", PAIRS, ids=[f"{c.label}-{n}" for c, n in PAIRS])
def test_every_class_of_junk_once(case, name):
    for klass, (canonical, _) in CLASSES.items():
        _attempt(case, name, canonical, klass)


@settings(max_examples=20, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
@pytest.mark.parametrize("case, name", PAIRS, ids=[f"{c.label}-{n}" for c, n in PAIRS])
def test_more_junk_drawn_by_hypothesis(case, name, data):
    klass = data.draw(st.sampled_from(sorted(CLASSES)), label="class")
    _attempt(case, name, data.draw(CLASSES[klass][1], label="junk"), klass)


def test_the_baseline_calls_work():
    for case in CASES:
        case.fn(**case.base, **case.fixed)


def test_every_public_function_has_a_case():
    covered = {case.label for case in CASES}
    missing = []
    for info in pkgutil.iter_modules(cv.__path__, "calcviz."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != module.__name__:
                continue
            if name not in covered:
                missing.append(f"{info.name}.{name}")
    for name in cv.__all__:
        obj = getattr(cv, name)
        # Status(value) is Enum's own lookup (an unknown text is a CalcvizError; an unhashable array is not)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and name not in covered \
                and name not in ("CalcvizError", "Status"):
            missing.append(f"calcviz.{name}")
    assert not missing, f"no junk case for: {', '.join(sorted(set(missing)))}"


@pytest.fixture(scope="module", autouse=True)
def report_counts(request):
    yield
    if not TRIED:
        return
    lines = ["", "junk inputs tried, by class:", f"{'class':<12} {'count':>6}"]
    lines += [f"{klass:<12} {TRIED[klass]:>6}" for klass in CLASSES]
    lines.append(f"{'total':<12} {sum(TRIED.values()):>6}")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    if reporter is not None and request.config.getoption("capture") == "no":
        for line in lines:
            reporter.write_line(line)
    if os.environ.get("CALCVIZ_JUNK_COUNTS"):
        with open(os.environ["CALCVIZ_JUNK_COUNTS"], "w") as out:
            json.dump(dict(TRIED), out, indent=1)
