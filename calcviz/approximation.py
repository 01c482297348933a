"""Approximating a function by polynomials, and using the approximation to find roots.

- Taylor polynomials in 1-D: pₙ(x) = Σₖ₌₀ⁿ f⁽ᵏ⁾(a)/k! · (x − a)ᵏ, of any order.
- The quadratic approximation of a landscape at a point p:
  q(p + d) = f(p) + ∇f(p)·d + ½ dᵀ H(p) d — the surface Newton's method jumps on.
- Newton–Raphson root finding, x ← x − f(x)/f'(x) in 1-D and x ← x − J(x)⁻¹F(x) for
  systems, returning every iterate as a :class:`~calcviz.result.Trajectory`.

>>> p = taylor(np.exp, 0.0, order=3)
>>> p.coefficients.round(6)  # 1, 1, 1/2, 1/6
array([1.      , 1.      , 0.5     , 0.166667])
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from math import factorial
from typing import NamedTuple

import numpy as np

from . import numdiff
from .derivatives import best_central_step, central_difference
from .errors import (CalcvizError, call, require_callable, require_nonnegative, require_number, require_numeric,
                     require_positive, require_vector, require_whole, show)
from .landscapes import Landscape, as_point, critical_kind, landscape
from .result import Status, Trajectory, frozen_array, growth, point_kind, rising


# --- Taylor polynomials in 1-D -------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class TaylorPolynomial:
    """p(x) = Σₖ cₖ·(x − a)ᵏ around the centre a, with cₖ = f⁽ᵏ⁾(a) / k!."""

    center: float
    coefficients: np.ndarray  # c₀, c₁, …, cₙ

    @property
    def order(self) -> int:
        return len(self.coefficients) - 1

    @property
    def derivatives(self) -> np.ndarray:
        """f(a), f'(a), f''(a), … recovered as k!·cₖ."""
        return self.coefficients * np.array([factorial(k) for k in range(self.order + 1)], dtype=float)

    def terms(self, x) -> np.ndarray:
        """The individual terms cₖ·(x − a)ᵏ, shape (order + 1, *x.shape): a scene adds them one by one."""
        dx = require_numeric("x", x) - self.center
        powers = np.arange(self.order + 1).reshape((-1,) + (1,) * dx.ndim)
        return self.coefficients.reshape(powers.shape) * dx**powers

    def __call__(self, x):
        """p(x) by Horner's rule: (((cₙ·d + cₙ₋₁)·d + …)·d + c₀ with d = x − a."""
        dx = require_numeric("x", x) - self.center
        total = np.zeros_like(dx)
        for c in self.coefficients[::-1]:
            total = total * dx + c
        return total

    def truncated(self, order: int) -> TaylorPolynomial:
        """The same expansion cut after the (x − a)^order term."""
        order = require_whole("order", order)
        if order > self.order:
            raise CalcvizError(f"order must be between 0 and {self.order}, got {order!r}")
        return TaylorPolynomial(self.center, frozen_array(self.coefficients[: order + 1]))

    def __repr__(self) -> str:
        return f"TaylorPolynomial(center={self.center:g}, order={self.order})"


def taylor_from_derivatives(derivatives, center: float) -> TaylorPolynomial:
    """The Taylor polynomial from known values f(a), f'(a), f''(a), … (exact, no numerics)."""
    center = require_number("expansion point", center)
    d = require_vector("derivatives f(a), f'(a), …", derivatives)
    if d.size > 171:  # 171! overflows a float
        raise CalcvizError(f"at most 171 derivatives (170! is the largest factorial a float holds), got {d.size}")
    k_factorial = np.array([factorial(k) for k in range(d.size)], dtype=float)
    return TaylorPolynomial(center, frozen_array(d / k_factorial))


def _circle_coefficients(f: Callable, center: float, radius: float, n: int, order: int):
    """c₀ … c_order from n samples of f on the circle z = a + r·e^{iθ}, and max |f| there."""
    theta = 2 * np.pi * np.arange(n) / n
    try:
        values = np.asarray(f(center + radius * np.exp(1j * theta)))
    except (TypeError, ValueError) as exc:
        raise CalcvizError(f"taylor needs f to accept complex numbers (numpy functions do): {exc}") from None
    except Exception as exc:
        raise CalcvizError(f"f failed on the circle around {center:g}: {type(exc).__name__}: {exc}") from exc
    if values.dtype.kind not in "biufc":
        raise CalcvizError(f"taylor needs f to return numbers, got {show(values)}")
    if not np.iscomplexobj(values) or values.shape != theta.shape:
        raise CalcvizError("taylor needs f to map complex arrays to complex arrays elementwise "
                           "(np.abs or a real-only function does not)")
    if not np.all(np.isfinite(values)):
        raise CalcvizError(f"f is not finite on the circle of radius {radius:g} around {center:g}; "
                           f"pass a smaller radius")
    # f(a + r·e^{iθ}) = Σₖ cₖ rᵏ e^{ikθ}: the FFT reads off cₖ·rᵏ
    coefficients = np.fft.fft(values)[: order + 1] / n / radius ** np.arange(order + 1)
    return coefficients, float(np.max(np.abs(values)))


def taylor(f: Callable, center: float, order: int, *, radius: float = 1.0) -> TaylorPolynomial:
    """The Taylor polynomial of f around ``center`` to ``order``, with coefficients computed numerically.

    Finite differences lose accuracy fast as the order grows, so instead this uses
    Cauchy's integral formula: cₖ = f⁽ᵏ⁾(a)/k! = (1/2π) ∫ f(a + r·e^{iθ}) r⁻ᵏ e^{−ikθ} dθ,
    evaluated by an FFT of f sampled on a circle of radius r in the complex plane.
    It needs f to accept complex input (anything built from numpy arithmetic, sin,
    exp, log, … does) and to be smooth within ``radius`` of the centre; the result is
    checked by repeating with twice as many samples. Use
    :func:`taylor_from_derivatives` when you know the derivatives exactly.
    """
    require_callable("f", f)
    center, radius = require_number("expansion point", center), require_positive("radius", radius)
    order = require_whole("order", order)
    if order > 170:
        raise CalcvizError(f"order must be at most 170 (170! is the largest factorial a float holds), got {order}")
    n = max(64, 1 << int(np.ceil(np.log2(4 * (order + 1)))))
    coarse, _ = _circle_coefficients(f, center, radius, n, order)
    fine, size = _circle_coefficients(f, center, radius, 2 * n, order)
    # Cauchy's estimate |cₖ| ≤ max|f| / rᵏ sets the scale of each coefficient's round-off
    tolerance = 1e-8 * size / radius ** np.arange(order + 1)
    if np.any(np.abs(fine - coarse) > tolerance) or np.any(np.abs(fine.imag) > tolerance):
        raise CalcvizError(f"f is not smooth (or not real) within radius {radius:g} of {center:g}; "
                           f"pass a smaller radius")
    return TaylorPolynomial(center, frozen_array(fine.real))


# --- the quadratic approximation of a landscape ----------------------------------------------
@dataclass(frozen=True, eq=False)
class QuadraticApproximation:
    """q(p + d) = f(p) + ∇f(p)·d + ½ dᵀ H d: the second-order Taylor polynomial of f at ``center``."""

    center: np.ndarray
    value: float
    gradient: np.ndarray
    hessian: np.ndarray

    def __call__(self, x, y):
        """q at the points (x, y), broadcasting like f(x, y)."""
        dx, dy = _offsets(x, y, self.center)
        (a, b), (_, c) = self.hessian
        return self.linear(x, y) + 0.5 * (a * dx**2 + 2 * b * dx * dy + c * dy**2)

    def linear(self, x, y):
        """The tangent plane f(p) + ∇f(p)·d: the first-order part alone."""
        dx, dy = _offsets(x, y, self.center)
        return self.value + self.gradient[0] * dx + self.gradient[1] * dy

    @property
    def shape(self) -> str:
        """"bowl" (H positive definite), "dome" (negative definite), "saddle" or "flat" (singular)."""
        kind = critical_kind(self.hessian)
        return {"minimum": "bowl", "maximum": "dome", "saddle": "saddle", "degenerate": "flat"}[kind]

    @property
    def stationary_point(self) -> np.ndarray:
        """Where ∇q = 0: p − H⁻¹∇f(p), the point a Newton step jumps to."""
        if self.shape == "flat":
            raise CalcvizError(f"the Hessian at {self.center.tolist()} is singular: "
                               "q has no single stationary point")
        return self.center - np.linalg.solve(self.hessian, self.gradient)


def _offsets(x, y, center) -> tuple[np.ndarray, np.ndarray]:
    """x − x₀ and y − y₀, for coordinates that broadcast together."""
    x, y = require_numeric("x", x), require_numeric("y", y)
    try:
        x, y = np.broadcast_arrays(x, y)
    except ValueError:
        raise CalcvizError(f"x and y must broadcast together, got shapes {x.shape} and {y.shape}") from None
    return x - center[0], y - center[1]


def quadratic_approximation(f: Landscape | str | Callable, p) -> QuadraticApproximation:
    """The quadratic approximation of a landscape at p (exact derivatives).

    ``f`` may also be any function of a point (x, y); its gradient and Hessian are
    then taken by central differences (:mod:`calcviz.numdiff`).
    """
    p = as_point(p, "point p")
    if isinstance(f, (str, Landscape)):
        land = landscape(f)
        value, g, H = land.value(p), land.grad(p), land.hessian(p)
    else:
        require_callable("f", f)
        value, g, H = _one_number("f(p)", call("f", f, p)), numdiff.gradient(f, p), numdiff.hessian(f, p)
    return QuadraticApproximation(frozen_array(p), float(value), frozen_array(g), frozen_array(H))


# --- Newton–Raphson ----------------------------------------------------------------------------
class _Iterates(NamedTuple):
    points: list
    residuals: list
    jacobians: list
    status: Status
    message: str
    stopped_at: int | None = None
    growth: float | None = None


def _newton_raphson_loop(F, J, x, tol, steps, max_norm) -> _Iterates:
    """x ← x − J(x)⁻¹ F(x) until |F(x)| ≤ tol, keeping every iterate and how it ended."""
    points, residuals, jacobians = [x], [F(x)], [J(x)]
    if not (np.all(np.isfinite(residuals[0])) and np.all(np.isfinite(jacobians[0]))):
        raise CalcvizError(f"F or its Jacobian is not finite at the start x0 = {show(x.tolist())}")

    def end(status, message, stopped_at=None, rate=None):
        return _Iterates(points, residuals, jacobians, status, message, stopped_at, rate)

    for k in range(steps + 1):
        size = float(np.linalg.norm(residuals[-1]))
        if size <= tol:
            return end(Status.CONVERGED, f"converged: |F| = {size:.2e} ≤ tol = {tol:g} after {k} steps")
        if k == steps:
            sizes = [float(np.linalg.norm(r)) for r in residuals]
            rate = growth(sizes)  # |F| still growing: running away, as in optimizers.run
            if rate is not None:
                return end(Status.DIVERGING, rising("|F|", sizes, rate), rate=rate)
            return end(Status.MAX_STEPS, f"took {k} steps; |F| = {size:.2e} is still above tol = {tol:g}")
        try:
            step = np.linalg.solve(jacobians[-1], residuals[-1])
        except np.linalg.LinAlgError:
            why = ("f'(x) = 0: the tangent is flat and never crosses zero" if x.size == 1
                   else "the Jacobian is singular: the tangent planes do not meet in one point")
            return end(Status.NONFINITE, f"stopped at step {k + 1}: {why}", k + 1)
        x = points[-1] - step
        if np.any(np.isnan(x)):
            return end(Status.NONFINITE, f"step {k + 1} gave a NaN point", k + 1)
        if not np.linalg.norm(x) <= max_norm:
            return end(Status.DIVERGED, f"diverged at step {k + 1}: |x| passed max_norm = {max_norm:g}", k + 1)
        r, jac = F(x), J(x)
        if not (np.all(np.isfinite(r)) and np.all(np.isfinite(jac))):
            return end(Status.NONFINITE, f"F or its Jacobian is not finite at step {k + 1}", k + 1)
        points.append(x)
        residuals.append(r)
        jacobians.append(jac)


def _settings(tol, steps, max_norm) -> tuple[float, int, float]:
    """Newton–Raphson's tol ≥ 0, whole steps ≥ 0 and max_norm > 0, checked."""
    return (require_nonnegative("tolerance tol", tol), require_whole("steps", steps),
            require_positive("max_norm", max_norm))


def _one_number(what: str, value) -> float:
    value = np.asarray(value)
    if value.dtype.kind not in "biuf" or value.size != 1:
        raise CalcvizError(f"{what} must be one number, got {show(value)}")
    return float(value.reshape(()))


def newton_raphson(f: Callable, df: Callable | None, x0: float, *, tol: float = 1e-10,
                   steps: int = 50, max_norm: float = 1e6) -> Trajectory:
    """Find a root of f by sliding down tangents: x ← x − f(x) / f'(x).

    Each iterate is where the tangent line at the previous one crosses zero. Returns a
    Trajectory whose ``points`` are the x's (floats), ``values`` f(x) and
    ``gradients`` f'(x) (the tangent slopes). CONVERGED when |f(x)| ≤ tol; a flat
    tangent (f'(x) = 0) stops the run with status NONFINITE; |x| past ``max_norm`` is
    DIVERGED, and |f(x)| still growing at the step limit DIVERGING (``growth`` per step:
    on f = ∛x every tangent lands at −2x, and |f| grows ×2^(1/3)). If ``df`` is None, f' is
    taken by central differences.
    """
    require_callable("f", f)
    x0 = require_number("starting point x0", x0)
    tol, steps, max_norm = _settings(tol, steps, max_norm)
    if df is None:
        def df(x):
            return central_difference(f, x, best_central_step(x))
    require_callable("f'", df)

    def F(x):
        return np.array([_one_number("f(x)", call("f", f, x[0]))])

    def J(x):
        return np.array([[_one_number("f'(x)", call("f'", df, x[0]))]])

    it = _newton_raphson_loop(F, J, np.array([x0]), tol, steps, max_norm)
    return Trajectory(method="newton_raphson", points=[p[0] for p in it.points],
                      values=[r[0] for r in it.residuals], gradients=[j[0, 0] for j in it.jacobians],
                      step_sizes=np.ones(len(it.points) - 1), status=it.status, message=it.message,
                      nfev=len(it.points), hyperparams={"tol": tol}, stopped_at=it.stopped_at,
                      growth=it.growth)


def _numbers(what: str, value) -> np.ndarray:
    value = np.asarray(value)
    if value.dtype.kind not in "biuf":
        raise CalcvizError(f"{what} must be numbers, got {show(value)}")
    return value.astype(float)


def newton_raphson_system(F: Callable, J: Callable | None, x0, *, tol: float = 1e-10,
                          steps: int = 50, max_norm: float = 1e6) -> Trajectory:
    """Solve F(x) = 0 for F: ℝⁿ → ℝⁿ by x ← x − J(x)⁻¹ F(x).

    In 2-D each component of F is a surface; the step goes to where both tangent
    planes cross zero. The Trajectory records ``values`` = ½|F(x)|² and ``gradients``
    = J(x)ᵀF(x) (its gradient), with the residuals F(x) and Jacobians J(x) in
    ``extras["residuals"]`` and ``extras["jacobians"]``. A singular Jacobian stops the
    run with status NONFINITE. If ``J`` is None it is taken by central differences.
    """
    require_callable("F", F)
    x = require_vector("starting point x0", x0)
    tol, steps, max_norm = _settings(tol, steps, max_norm)
    if J is None:
        def J(p):
            return numdiff.jacobian(F, p)
    require_callable("Jacobian J", J)

    def F_array(p):
        return np.atleast_1d(_numbers("F(x)", call("F", F, p)))

    def J_array(p):
        return np.atleast_2d(_numbers("J(x)", call("J", J, p)))

    if F_array(x).shape != x.shape:
        raise CalcvizError(f"F must return as many numbers as x has ({x.size}), got {F_array(x).shape}")
    if J_array(x).shape != (x.size, x.size):
        raise CalcvizError(f"J must return a {x.size}×{x.size} matrix, got shape {J_array(x).shape}")
    it = _newton_raphson_loop(F_array, J_array, x, tol, steps, max_norm)
    res, jac = np.array(it.residuals), np.array(it.jacobians)
    return Trajectory(method="newton_raphson", points=it.points, values=0.5 * np.sum(res**2, axis=1),
                      gradients=np.einsum("kij,ki->kj", jac, res), step_sizes=np.ones(len(it.points) - 1),
                      status=it.status, message=it.message, nfev=len(it.points), hyperparams={"tol": tol},
                      stopped_at=it.stopped_at, growth=it.growth, extras={"residuals": res, "jacobians": jac})


def critical_point(land: Landscape | str, x0, *, tol: float = 1e-10, steps: int = 50) -> Trajectory:
    """Newton–Raphson on ∇f = 0: it finds the nearest critical point, be it minimum, saddle or maximum.

    Finding one is what it is asked for, so any critical point is CONVERGED; ``point_kind``
    (from the Hessian there) says which kind it found.
    """
    land = landscape(land)
    found = newton_raphson_system(land.grad, land.hessian, as_point(x0, "starting point x0"), tol=tol, steps=steps)
    if found.status is not Status.CONVERGED:
        return found
    return replace(found, point_kind=point_kind(land.hessian(found.x)))
