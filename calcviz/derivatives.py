"""The derivative as the effect of a tiny nudge ``dx``.

Everything Lesson 1 shows is computed here: secant slopes as the nudge shrinks,
finite differences and their errors, the derivative sampled as a function, and
the sum, power, product and chain rules written out as nudges.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import comb

import numpy as np

from .errors import CalcvizError, require_choice, require_finite, require_interval, require_positive
from .result import frozen_array

Fn = Callable[[np.ndarray], np.ndarray]


def _call(f: Fn, x) -> np.ndarray:
    return np.asarray(f(np.asarray(x, dtype=float)), dtype=float)


# --- finite differences --------------------------------------------------------
def forward_difference(f: Fn, x, h):
    """f'(x) ≈ (f(x+h) − f(x)) / h, error O(h)."""
    return (_call(f, x + h) - _call(f, x)) / h


def backward_difference(f: Fn, x, h):
    """f'(x) ≈ (f(x) − f(x−h)) / h, error O(h)."""
    return (_call(f, x) - _call(f, x - h)) / h


def central_difference(f: Fn, x, h):
    """f'(x) ≈ (f(x+h) − f(x−h)) / 2h, error O(h²): the odd terms of Taylor's series cancel."""
    return (_call(f, x + h) - _call(f, x - h)) / (2 * h)


DIFFERENCES: dict[str, Fn] = {
    "forward": forward_difference,
    "backward": backward_difference,
    "central": central_difference,
}


def difference(f: Fn, x, h, method: str = "central"):
    """The named finite difference ("forward", "backward" or "central")."""
    return DIFFERENCES[require_choice("difference", method, DIFFERENCES)](f, x, h)


# --- secants shrinking to the tangent ------------------------------------------
def shrinking_nudges(start: float = 1.5, factor: float = 0.5, count: int = 8, per_step: int = 1) -> np.ndarray:
    """dx = start · factorᵏ for k = 0 … count−1: a nudge that keeps getting smaller.

    With ``per_step`` > 1, fractional k fill the gaps (k = 0, 1/per_step, …), so an
    animation can shrink dx smoothly and still show only computed values; the
    whole-number k sit at indices 0, per_step, 2·per_step, …
    """
    require_finite("first nudge", start)
    if start == 0:
        raise CalcvizError("first nudge must be non-zero, got 0")
    if not 0 < factor < 1:
        raise CalcvizError(f"nudge shrink factor must be between 0 and 1, got {factor!r}")
    if int(count) < 1:
        raise CalcvizError(f"number of nudges must be at least 1, got {count!r}")
    if int(per_step) < 1:
        raise CalcvizError(f"samples per step must be at least 1, got {per_step!r}")
    k = np.linspace(0, int(count) - 1, (int(count) - 1) * int(per_step) + 1)
    return start * factor**k


@dataclass(frozen=True)
class Secants:
    """Secants of f through (x, f(x)) and (x+dx, f(x+dx)), one per nudge dx.

    ``slope = rise / dx`` tends to ``true_slope = f'(x)`` as dx → 0.
    """

    x: float
    fx: float
    dx: np.ndarray
    rise: np.ndarray  # f(x+dx) − f(x)
    slope: np.ndarray  # rise / dx
    true_slope: float

    @property
    def error(self) -> np.ndarray:
        return np.abs(self.slope - self.true_slope)


def secant_slopes(f: Fn, x: float, dx, df: Fn | None = None) -> Secants:
    """Slope of each secant, rise/run = (f(x+dx) − f(x)) / dx, for every nudge in ``dx``.

    ``df``, if given, supplies the exact f'(x); otherwise a central difference stands in.
    """
    require_finite("point x", x)
    dx = np.atleast_1d(np.asarray(require_finite("nudge dx", dx), dtype=float))
    if dx.size == 0:
        raise CalcvizError("need at least one nudge dx")
    if np.any(dx == 0):
        raise CalcvizError("a nudge dx of exactly 0 has no secant")
    fx = float(_call(f, x))
    rise = _call(f, x + dx) - fx
    true = float(_call(df, x)) if df is not None else float(central_difference(f, x, best_central_step(x)))
    return Secants(float(x), fx, frozen_array(dx), frozen_array(rise), frozen_array(rise / dx), true)


# --- how good is a finite difference? -------------------------------------------
EPS = np.finfo(float).eps


def best_central_step(x) -> np.ndarray:
    """h ≈ ∛ε·max(1, |x|): where the O(h²) truncation error meets the O(ε/h) round-off."""
    return np.cbrt(EPS) * np.maximum(1.0, np.abs(np.asarray(x, dtype=float)))


@dataclass(frozen=True)
class DifferenceErrors:
    """|estimate − f'(x)| for each method across step sizes ``h`` (a V on log–log axes).

    Left of the V's tip round-off dominates (error ∝ ε/h); right of it the truncation
    error does (∝ h for forward/backward, ∝ h² for central).
    """

    x: float
    h: np.ndarray
    errors: dict[str, np.ndarray]

    def best_h(self, method: str) -> float:
        """The step with the smallest error found on the grid."""
        return float(self.h[np.argmin(self.errors[require_choice("difference", method, self.errors)])])

    def best_error(self, method: str) -> float:
        return float(np.min(self.errors[require_choice("difference", method, self.errors)]))

    def order(self, method: str, h_min: float | None = None, h_max: float = 1e-1) -> float:
        """Slope of log(error) against log(h) on the truncation side (h from the best h to h_max)."""
        lo = self.best_h(method) * 10 if h_min is None else h_min
        keep = (self.h >= lo) & (self.h <= h_max) & (self.errors[method] > 0)
        if keep.sum() < 2:
            raise CalcvizError(f"too few steps between {lo:g} and {h_max:g} to estimate an order")
        slope, _ = np.polyfit(np.log(self.h[keep]), np.log(self.errors[method][keep]), 1)
        return float(slope)


def difference_errors(f: Fn, df: Fn, x: float, h=None, methods=("forward", "central")) -> DifferenceErrors:
    """Errors of finite differences against the exact derivative ``df`` at ``x``."""
    require_finite("point x", x)
    h = np.logspace(-15, 0, 151) if h is None else np.asarray(require_finite("step h", h), dtype=float)
    if h.size == 0 or np.any(h <= 0):
        raise CalcvizError("steps h must be a non-empty list of positive numbers")
    exact = float(_call(df, x))
    errors = {m: frozen_array(np.abs(difference(f, x, h, m) - exact)) for m in methods}
    return DifferenceErrors(float(x), frozen_array(h), errors)


# --- the derivative as a function ------------------------------------------------
@dataclass(frozen=True)
class DerivativeCurve:
    """f and its slope f'(x) sampled on a grid, the slope by central differences."""

    x: np.ndarray
    fx: np.ndarray
    slope: np.ndarray

    @property
    def flat_indices(self) -> np.ndarray:
        """Indices i where the slope changes sign between x[i] and x[i+1]: the curve's peaks and valleys."""
        return np.flatnonzero(np.sign(self.slope[:-1]) * np.sign(self.slope[1:]) < 0)


def derivative_curve(f: Fn, start: float, end: float, n: int = 201) -> DerivativeCurve:
    """f'(x) ≈ (f(x+h) − f(x−h)) / 2h at n evenly spaced x in [start, end], h = best_central_step(x)."""
    start, end = require_interval("interval", start, end)
    if int(n) < 2:
        raise CalcvizError(f"need at least 2 sample points, got {n!r}")
    x = np.linspace(start, end, int(n))
    return DerivativeCurve(frozen_array(x), frozen_array(_call(f, x)),
                           frozen_array(central_difference(f, x, best_central_step(x))))


# --- the rules, as nudges ---------------------------------------------------------
@dataclass(frozen=True)
class SumNudge:
    """d(f+g) = df + dg exactly: the two nudges simply stack."""

    x: float
    dx: float
    df: float
    dg: float

    @property
    def d_sum(self) -> float:
        return self.df + self.dg


def sum_nudge(f: Fn, g: Fn, x: float, dx: float) -> SumNudge:
    require_finite("point x", x)
    require_positive("nudge dx", dx)
    df = float(_call(f, x + dx) - _call(f, x))
    dg = float(_call(g, x + dx) - _call(g, x))
    return SumNudge(float(x), float(dx), df, dg)


@dataclass(frozen=True)
class PowerNudge:
    """(x+dx)ⁿ − xⁿ = Σₖ C(n,k) xⁿ⁻ᵏ dxᵏ; only the k = 1 term, n·xⁿ⁻¹·dx, survives dividing by dx → 0."""

    n: int
    x: float
    dx: float
    terms: np.ndarray  # terms[k-1] = C(n,k) x^(n-k) dx^k, k = 1..n

    @property
    def change(self) -> float:
        return float(self.terms.sum())

    @property
    def leading(self) -> float:
        return float(self.terms[0])

    @property
    def rest_share(self) -> float:
        """The part of the change beyond the leading term, as a fraction: it vanishes with dx."""
        return (self.change - self.leading) / self.change


def power_nudge(n: int, x: float, dx: float) -> PowerNudge:
    if int(n) != n or n < 1:
        raise CalcvizError(f"power n must be a whole number ≥ 1, got {n!r}")
    require_finite("point x", x)
    require_positive("nudge dx", dx)
    n = int(n)
    terms = np.array([comb(n, k) * x ** (n - k) * dx**k for k in range(1, n + 1)], dtype=float)
    return PowerNudge(n, float(x), float(dx), frozen_array(terms))


@dataclass(frozen=True)
class ProductNudge:
    """The rectangle f·g gains two strips, f·dg and g·df, and a corner df·dg that vanishes faster."""

    x: float
    dx: float
    f: float
    g: float
    df: float
    dg: float

    @property
    def top(self) -> float:
        """The strip along f, of height dg: f·dg."""
        return self.f * self.dg

    @property
    def side(self) -> float:
        """The strip along g, of width df: g·df."""
        return self.g * self.df

    @property
    def strips(self) -> float:
        return self.top + self.side

    @property
    def corner(self) -> float:
        return self.df * self.dg

    @property
    def change(self) -> float:
        """(f+df)(g+dg) − fg, exactly."""
        return self.strips + self.corner


def product_nudge(f: Fn, g: Fn, x: float, dx: float) -> ProductNudge:
    require_finite("point x", x)
    require_positive("nudge dx", dx)
    fx, gx = float(_call(f, x)), float(_call(g, x))
    return ProductNudge(float(x), float(dx), fx, gx,
                        float(_call(f, x + dx)) - fx, float(_call(g, x + dx)) - gx)


@dataclass(frozen=True)
class ChainNudge:
    """A nudge dx moves u = g(x) by du, which moves y = f(u) by dy: dy/dx = dy/du · du/dx."""

    x: float
    dx: float
    u: float
    du: float
    y: float
    dy: float

    @property
    def du_dx(self) -> float:
        return self.du / self.dx

    @property
    def dy_du(self) -> float:
        return self.dy / self.du

    @property
    def dy_dx(self) -> float:
        return self.dy / self.dx


def chain_nudge(inner: Fn, outer: Fn, x: float, dx: float) -> ChainNudge:
    """Follow one nudge through y = outer(inner(x))."""
    require_finite("point x", x)
    require_positive("nudge dx", dx)
    u0, u1 = float(_call(inner, x)), float(_call(inner, x + dx))
    if u1 == u0:
        raise CalcvizError(f"the inner function does not move at x={x!r}: du = 0, so dy/du is undefined")
    y0, y1 = float(_call(outer, u0)), float(_call(outer, u1))
    return ChainNudge(float(x), float(dx), u0, u1 - u0, y0, y1 - y0)
