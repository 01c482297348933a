"""Lagrange multipliers: the lowest (or highest) point of a landscape along a curve g(x, y) = 0.

Walking along the curve, f stops changing exactly where the curve runs along a
contour of f, that is where ∇f and ∇g point the same way:

    ∇f(p) = λ·∇g(p)   and   g(p) = 0.

λ, the multiplier, says how fast the best value changes if the constraint is
loosened to g = ε (d(best f)/dε = λ). This module traces f along the curve, picks
the best point of the trace, and polishes it by solving the three equations above
for (x, y, λ) with Newton–Raphson.

>>> best = lagrange("bowl", "unit_circle")
>>> best.point.round(6).tolist(), round(best.value, 6), round(best.multiplier, 6)
([1.0, 0.0], 0.5, 0.5)
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .approximation import newton_raphson_system
from .errors import CalcvizError, require_choice, require_numeric, require_whole
from .landscapes import Landscape, landscape
from .result import Status, Trajectory, frozen_array


@dataclass(frozen=True, eq=False)
class Constraint:
    """The curve g(x, y) = 0, with ∇g, g's Hessian and a parametrisation t ↦ (x(t), y(t)).

    ``dg`` returns (g_x, g_y), ``d2g`` returns (g_xx, g_xy, g_yy); ``curve(t)`` returns
    (x, y) for t in ``t_range`` and ``parameter(x, y)`` inverts it on the curve.
    """

    name: str
    g: Callable
    dg: Callable
    d2g: Callable
    curve: Callable
    parameter: Callable
    t_range: tuple[float, float]
    closed: bool
    tex: str

    def value(self, p) -> float:
        """g at one point p = (x, y)."""
        p = _one_point(p)
        return float(self.g(p[0], p[1]))

    def grad(self, p) -> np.ndarray:
        """∇g = (g_x, g_y) at a point (shape (2,)) or a stack of points (shape (n, 2))."""
        p = require_numeric("point p", p)
        if p.shape[-1:] != (2,):
            raise CalcvizError(f"points on the plane have 2 coordinates (x, y), got shape {p.shape}")
        x, y = p[..., 0], p[..., 1]
        gx, gy = np.broadcast_arrays(*self.dg(x, y), x)[:2]
        return np.stack([gx, gy], axis=-1)

    def hessian(self, p) -> np.ndarray:
        """g's Hessian [[g_xx, g_xy], [g_xy, g_yy]] at one point."""
        p = _one_point(p)
        gxx, gxy, gyy = (float(v) for v in self.d2g(p[0], p[1]))
        return np.array([[gxx, gxy], [gxy, gyy]])

    def points(self, t) -> np.ndarray:
        """The curve's points at parameters t, shape t.shape + (2,)."""
        x, y = np.broadcast_arrays(*self.curve(require_numeric("curve parameter t", t)))
        return np.stack([x, y], axis=-1)


def _one_point(p) -> np.ndarray:
    """One point (x, y) as numbers (NaN allowed: g(NaN) is NaN, as any function's)."""
    p = require_numeric("point p", p)
    if p.shape != (2,):
        raise CalcvizError(f"point p must be a pair (x, y), got shape {p.shape}")
    return p


CONSTRAINTS: dict[str, Constraint] = {
    c.name: c
    for c in (
        Constraint(
            "unit_circle",
            g=lambda x, y: x**2 + y**2 - 1,
            dg=lambda x, y: (2 * x, 2 * y),
            d2g=lambda x, y: (2.0, 0.0, 2.0),
            curve=lambda t: (np.cos(t), np.sin(t)),
            parameter=lambda x, y: np.arctan2(y, x) % (2 * np.pi),
            t_range=(0.0, 2 * np.pi),
            closed=True,
            tex=r"x^2 + y^2 = 1",
        ),
        Constraint(
            "line",
            g=lambda x, y: x + y - 1,
            dg=lambda x, y: (1.0, 1.0),
            d2g=lambda x, y: (0.0, 0.0, 0.0),
            curve=lambda t: (1 - t, t),
            parameter=lambda x, y: y,
            t_range=(-3.0, 3.0),
            closed=False,
            tex=r"x + y = 1",
        ),
        Constraint(
            "ellipse",
            g=lambda x, y: x**2 / 4 + y**2 - 1,
            dg=lambda x, y: (x / 2, 2 * y),
            d2g=lambda x, y: (0.5, 0.0, 2.0),
            curve=lambda t: (2 * np.cos(t), np.sin(t)),
            parameter=lambda x, y: np.arctan2(y, x / 2) % (2 * np.pi),
            t_range=(0.0, 2 * np.pi),
            closed=True,
            tex=r"\tfrac{x^2}{4} + y^2 = 1",
        ),
    )
}


def constraint(name: str | Constraint) -> Constraint:
    """The named constraint curve (a Constraint passes through); an unknown name lists the known ones."""
    if isinstance(name, Constraint):
        return name
    return CONSTRAINTS[require_choice("constraint", name, CONSTRAINTS)]


# --- f along the curve -----------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ConstraintTrace:
    """f, ∇f and ∇g at points along the constraint curve, in order of the parameter t."""

    t: np.ndarray
    points: np.ndarray  # (n, 2)
    values: np.ndarray  # f at each point: the graph of f along the curve
    grad_f: np.ndarray  # (n, 2)
    grad_g: np.ndarray  # (n, 2), perpendicular to the curve

    @property
    def slope_along(self) -> np.ndarray:
        """df/ds, the rate of change of f per unit length along the curve: ∇f · (unit tangent).

        The tangent (−g_y, g_x) points the way t increases on every built-in curve;
        df/ds is zero where ∇f ∥ ∇g, at every constrained critical point.
        """
        tangent = np.stack([-self.grad_g[:, 1], self.grad_g[:, 0]], axis=1)
        tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
        return np.sum(self.grad_f * tangent, axis=1)


def trace_constraint(land: Landscape | str, curve: Constraint | str, n: int = 721) -> ConstraintTrace:
    """f, ∇f and ∇g at n evenly spaced parameters t along the curve (end point left out if closed)."""
    land, curve = landscape(land), constraint(curve)
    n = require_whole("number of points along the curve n", n)
    if n < 2:
        raise CalcvizError(f"need at least 2 points along the curve, got {n!r}")
    if n > 1_000_000:
        raise CalcvizError(f"over a million points along the curve is more than any picture needs, got {n}")
    t = np.linspace(*curve.t_range, n, endpoint=not curve.closed)
    points = curve.points(t)
    return ConstraintTrace(frozen_array(t), frozen_array(points), frozen_array(land.value(points)),
                           frozen_array(land.grad(points)), frozen_array(curve.grad(points)))


# --- the constrained optimum --------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class LagrangeResult:
    """The constrained minimum (or maximum) of a landscape on a curve, with ∇f = λ·∇g there."""

    landscape: str
    constraint: str
    kind: str  # "min" or "max"
    point: np.ndarray
    value: float
    multiplier: float  # λ
    t: float  # the curve parameter of ``point``
    grad_f: np.ndarray
    grad_g: np.ndarray
    trace: ConstraintTrace  # f along the whole curve, finely sampled
    samples: ConstraintTrace  # a few evenly spaced points, for drawing ∇f and ∇g as arrows
    solver: Trajectory  # Newton–Raphson iterates on (x, y, λ)

    def __repr__(self) -> str:
        return (f"LagrangeResult({self.landscape!r} on {self.constraint!r}, {self.kind}: "
                f"point={np.round(self.point, 4).tolist()}, value={self.value:.4g}, λ={self.multiplier:.4g})")


def _lagrange_system(land: Landscape, curve: Constraint):
    """F(x, y, λ) = (∇f − λ∇g, g) and its Jacobian [[H_f − λH_g, −∇g], [∇gᵀ, 0]]."""

    def F(z):
        p, lam = z[:2], z[2]
        return np.append(land.grad(p) - lam * curve.grad(p), curve.value(p))

    def J(z):
        p, lam = z[:2], z[2]
        dg = curve.grad(p)
        top = np.column_stack([land.hessian(p) - lam * curve.hessian(p), -dg])
        return np.vstack([top, np.append(dg, 0.0)])

    return F, J


def lagrange(land: Landscape | str, curve: Constraint | str, kind: str = "min", *,
             n_trace: int = 721, n_samples: int = 16) -> LagrangeResult:
    """The point of the curve where f is lowest (kind="min") or highest ("max"), and its λ.

    Steps: trace f at ``n_trace`` points along the curve; take the best one; solve
    ∇f = λ∇g, g = 0 from there by Newton–Raphson, starting from the least-squares
    λ = ∇f·∇g / |∇g|². On an open curve (the line) the search covers the segment
    ``t_range`` only; a best point at its end means there is no optimum inside it: a
    CalcvizError. So is a Newton–Raphson run that fails or lands on a worse point than
    the trace found.
    """
    land, curve = landscape(land), constraint(curve)
    require_choice("kind", kind, ("min", "max"))
    trace = trace_constraint(land, curve, n_trace)
    sign = 1.0 if kind == "min" else -1.0
    best = int(np.argmin(sign * trace.values))
    if not curve.closed and best in (0, len(trace.t) - 1):
        raise CalcvizError(f"f on {land.name!r} keeps {'falling' if kind == 'min' else 'rising'} to the end "
                           f"of the {curve.name} at t = {trace.t[best]:g}: no constrained {kind}imum inside "
                           f"t ∈ [{curve.t_range[0]:g}, {curve.t_range[1]:g}]")

    p0, dg0 = trace.points[best], trace.grad_g[best]
    lam0 = float(trace.grad_f[best] @ dg0 / (dg0 @ dg0))
    F, J = _lagrange_system(land, curve)
    solver = newton_raphson_system(F, J, np.append(p0, lam0), tol=1e-12, steps=50)
    point, lam = solver.x[:2], float(solver.x[2])
    value = land.value(point)
    # Newton–Raphson finds *a* critical point; it must be at least as good as the trace's best
    slack = 1e-9 * max(1.0, abs(trace.values[best]))
    if solver.status is not Status.CONVERGED or sign * value > sign * trace.values[best] + slack:
        raise CalcvizError(f"could not pin down the constrained {kind}imum of {land.name!r} on the "
                           f"{curve.name} near {np.round(p0, 4).tolist()}: {solver.message}")
    return LagrangeResult(
        landscape=land.name, constraint=curve.name, kind=kind, point=frozen_array(point), value=float(value),
        multiplier=lam, t=float(curve.parameter(*point)), grad_f=frozen_array(land.grad(point)),
        grad_g=frozen_array(curve.grad(point)), trace=trace,
        samples=trace_constraint(land, curve, n_samples), solver=solver,
    )
