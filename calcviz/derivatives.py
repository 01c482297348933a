"""The derivative as the effect of a tiny nudge ``dx``.

Everything Lesson 1 shows is computed here: secant slopes as the nudge shrinks,
finite differences and their errors, the derivative sampled as a function, and
the sum, power, product and chain rules written out as nudges.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from math import comb

import numpy as np

from .errors import (CalcvizError, call, require_array, require_callable, require_choice, require_interval,
                     require_number, require_positive, require_whole, show)
from .result import frozen_array

Fn = Callable[[np.ndarray], np.ndarray]
MAX_SAMPLES = 1_000_000  # more points than any picture needs: a larger request is a mistake


def _call(f: Fn, x) -> np.ndarray:
    values = np.asarray(call("the function", f, np.asarray(x, dtype=float)))
    if values.dtype.kind not in "biuf":
        raise CalcvizError(f"the function must return real numbers, got {show(values)}")
    return values.astype(float)


def _difference_args(f, x, h) -> tuple[Fn, np.ndarray, np.ndarray]:
    """f callable, x finite numbers, h finite non-zero numbers (arrays broadcast)."""
    require_callable("f", f)
    x, h = require_array("point x", x), require_array("step h", h)
    if np.any(h == 0):
        raise CalcvizError("step h must be non-zero")
    return f, x, h


# --- finite differences --------------------------------------------------------
def forward_difference(f: Fn, x, h):
    """f'(x) ≈ (f(x+h) − f(x)) / h, error O(h)."""
    f, x, h = _difference_args(f, x, h)
    return (_call(f, x + h) - _call(f, x)) / h


def backward_difference(f: Fn, x, h):
    """f'(x) ≈ (f(x) − f(x−h)) / h, error O(h)."""
    f, x, h = _difference_args(f, x, h)
    return (_call(f, x) - _call(f, x - h)) / h


def central_difference(f: Fn, x, h):
    """f'(x) ≈ (f(x+h) − f(x−h)) / 2h, error O(h²): the odd terms of Taylor's series cancel."""
    f, x, h = _difference_args(f, x, h)
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
    start = require_number("first nudge", start)
    if start == 0:
        raise CalcvizError("first nudge must be non-zero, got 0")
    factor = require_number("nudge shrink factor", factor)
    if not 0 < factor < 1:
        raise CalcvizError(f"nudge shrink factor must be between 0 and 1, got {factor!r}")
    count = require_whole("number of nudges", count, 1)
    per_step = require_whole("samples per step", per_step, 1)
    if (count - 1) * per_step + 1 > MAX_SAMPLES:
        raise CalcvizError(f"{count} nudges × {per_step} samples per step is over {MAX_SAMPLES:,} values")
    k = np.linspace(0, count - 1, (count - 1) * per_step + 1)
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
    require_callable("f", f)
    x = require_number("point x", x)
    dx = np.atleast_1d(require_array("nudge dx", dx, min_size=0))
    if dx.size == 0:
        raise CalcvizError("need at least one nudge dx")
    if dx.ndim != 1:
        raise CalcvizError(f"nudges dx must be a 1-D list of numbers, got shape {dx.shape}")
    if np.any(dx == 0):
        raise CalcvizError("a nudge dx of exactly 0 has no secant")
    if df is not None:
        require_callable("f'", df)
    fx = _one(f, x)
    rise = _call(f, x + dx) - fx
    true = _one(df, x) if df is not None else float(central_difference(f, x, best_central_step(x)))
    return Secants(x, fx, frozen_array(dx), frozen_array(rise), frozen_array(rise / dx), true)


def _one(f: Fn, x: float) -> float:
    """f(x) as one number."""
    value = _call(f, x)
    if value.size != 1:
        raise CalcvizError(f"the function must return one number at one point, got shape {value.shape}")
    return float(value.reshape(()))


# --- how good is a finite difference? -------------------------------------------
EPS = np.finfo(float).eps


def best_central_step(x) -> np.ndarray:
    """h ≈ ∛ε·max(1, |x|): where the O(h²) truncation error meets the O(ε/h) round-off."""
    return np.cbrt(EPS) * np.maximum(1.0, np.abs(require_array("point x", x, min_size=0)))


@dataclass(frozen=True)
class DifferenceErrors:
    """|estimate − f'(x)| for each method across step sizes ``h`` (a V on log–log axes).

    Left of the V's tip round-off dominates (error ∝ ε/h); right of it the truncation
    error does (∝ h for forward/backward, ∝ h² for central). ``fx`` and ``slope`` are
    f(x) and the exact f'(x), which set the size of the round-off (:meth:`roundoff`).
    """

    x: float
    h: np.ndarray
    errors: dict[str, np.ndarray]
    fx: float = math.nan
    slope: float = math.nan

    TRUNCATION_MARGIN = 100.0  # inside the truncation window, error ≥ this × the round-off bound

    def _method(self, method: str) -> np.ndarray:
        return self.errors[require_choice("difference", method, self.errors)]

    def best_h(self, method: str) -> float:
        """The step with the smallest error found on the grid."""
        return float(self.h[np.argmin(self._method(method))])

    def best_error(self, method: str) -> float:
        return float(np.min(self._method(method)))

    def roundoff(self, h) -> np.ndarray:
        """The round-off bound ε·(|f(x)| + |x·f'(x)|) / |h| of a difference at step h.

        Each value of f carries a rounding error of about ε·|f(x)|, and x + h is itself
        rounded by about ε·|x|, which moves f by ε·|x·f'(x)|; dividing by h magnifies both.
        """
        h = np.abs(require_array("step h", h, min_size=0))
        with np.errstate(divide="ignore"):
            return EPS * (abs(self.fx) + abs(self.x * self.slope)) / h

    def truncation_window(self, method: str, h_max: float = 1e-1) -> tuple[float, float]:
        """(h_lo, h_hi): the run of grid steps up to ``h_max`` whose error is at least
        TRUNCATION_MARGIN (100) times the round-off bound, ending at the largest step ≤ h_max.

        There the error is the truncation error, to 1 %, so its slope is the method's order;
        below h_lo round-off (or its lucky cancellation) takes over.
        """
        errors, h_max = self._method(method), require_positive("h_max", h_max)
        if not (math.isfinite(self.fx) and math.isfinite(self.slope)):
            raise CalcvizError("these errors were made without f(x) and f'(x): pass h_min to order()")
        truncation = (errors >= self.TRUNCATION_MARGIN * self.roundoff(self.h)) & (self.h <= h_max)
        inside = np.flatnonzero(self.h <= h_max)
        if inside.size == 0 or not truncation[inside[-1]]:
            raise CalcvizError(f"round-off swamps the {method} difference even at h = {h_max:g}: "
                               "no steps where truncation dominates")
        last = inside[-1]
        first = last
        while first > 0 and truncation[first - 1]:
            first -= 1
        if last - first + 1 < 3:
            raise CalcvizError(f"too few steps where truncation dominates the {method} difference "
                               f"(its truncation error may vanish at x = {self.x:g})")
        return float(self.h[first]), float(self.h[last])

    def order(self, method: str, h_min: float | None = None, h_max: float = 1e-1) -> float:
        """Slope of log(error) against log(h) where truncation dominates: the observed order.

        By default over :meth:`truncation_window`; with ``h_min``, over the steps from
        h_min to h_max, whatever dominates there.
        """
        errors, h_max = self._method(method), require_positive("h_max", h_max)
        if h_min is None:
            lo, hi = self.truncation_window(method, h_max)
        else:
            lo, hi = require_positive("h_min", h_min), h_max
        keep = (self.h >= lo) & (self.h <= hi) & (errors > 0)
        if keep.sum() < 2:
            raise CalcvizError(f"too few steps between {lo:g} and {hi:g} to estimate an order")
        slope, _ = np.polyfit(np.log(self.h[keep]), np.log(errors[keep]), 1)
        return float(slope)


def difference_errors(f: Fn, df: Fn, x: float, h=None, methods=("forward", "central")) -> DifferenceErrors:
    """Errors of finite differences against the exact derivative ``df`` at ``x``.

    The default steps are h = 10⁻¹⁵ … 1, 10 per decade.
    """
    require_callable("f", f)
    require_callable("f'", df)
    x = require_number("point x", x)
    h = np.logspace(-15, 0, 151) if h is None else require_array("steps h", h, ndim=1, min_size=0)
    if h.size == 0 or np.any(h <= 0):
        raise CalcvizError("steps h must be a non-empty list of positive numbers")
    try:
        if isinstance(methods, (str, bytes)):
            raise TypeError
        methods = [require_choice("difference", m, DIFFERENCES) for m in methods]
    except TypeError:
        raise CalcvizError(f"methods must be a list of difference names, got {show(methods)}") from None
    if not methods:
        raise CalcvizError("methods must name at least one difference")
    exact = _one(df, x)
    errors = {m: frozen_array(np.abs(difference(f, x, h, m) - exact)) for m in methods}
    return DifferenceErrors(x, frozen_array(h), errors, _one(f, x), exact)


# --- the derivative as a function ------------------------------------------------
@dataclass(frozen=True)
class DerivativeCurve:
    """f and its slope f'(x) sampled on a grid, the slope by central differences."""

    x: np.ndarray
    fx: np.ndarray
    slope: np.ndarray

    @property
    def flat_indices(self) -> np.ndarray:
        """The curve's flat points: indices i where the slope changes sign between x[i] and x[i+1], or is
        exactly zero at x[i] (a run of exact zeros counts once, at its first index)."""
        sign = np.sign(self.slope)
        zero = sign == 0
        flat = zero & ~np.r_[False, zero[:-1]]
        flat[:-1] |= sign[:-1] * sign[1:] < 0
        return np.flatnonzero(flat)

    @property
    def flat_kinds(self) -> tuple[str, ...]:
        """What each flat point is: "peak" (the slope turns from + to −), "valley" (− to +), or "level"
        (it touches zero and keeps its sign, or the grid ends before it shows which way it turns)."""
        sign = np.sign(self.slope)
        kinds = []
        for i in self.flat_indices:
            before = sign[: i + 1][sign[: i + 1] != 0]
            after = sign[i + 1:][sign[i + 1:] != 0]
            turn = (before[-1] if before.size else 0, after[0] if after.size else 0)
            kinds.append({(1, -1): "peak", (-1, 1): "valley"}.get(turn, "level"))
        return tuple(kinds)


def derivative_curve(f: Fn, start: float, end: float, n: int = 201) -> DerivativeCurve:
    """f'(x) ≈ (f(x+h) − f(x−h)) / 2h at n evenly spaced x in [start, end], h = best_central_step(x)."""
    require_callable("f", f)
    start, end = require_interval("interval", start, end)
    n = require_whole("number of sample points n", n, 2)
    if n > MAX_SAMPLES:
        raise CalcvizError(f"over {MAX_SAMPLES:,} sample points is more than any picture needs, got {n}")
    x = np.linspace(start, end, n)
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


def _nudge_args(x, dx, **functions) -> tuple[float, float]:
    for name, fn in functions.items():
        require_callable(name, fn)
    return require_number("point x", x), require_positive("nudge dx", dx)


def sum_nudge(f: Fn, g: Fn, x: float, dx: float) -> SumNudge:
    """df and dg for one nudge dx at x: their sum is d(f + g)."""
    x, dx = _nudge_args(x, dx, f=f, g=g)
    return SumNudge(x, dx, _one(f, x + dx) - _one(f, x), _one(g, x + dx) - _one(g, x))


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
    """The binomial terms C(n,k)·xⁿ⁻ᵏ·dxᵏ of (x + dx)ⁿ − xⁿ."""
    n = require_whole("power n", n, 1)
    if n > 100:
        raise CalcvizError(f"power n must be at most 100 (a picture shows a handful of terms), got {n}")
    x, dx = _nudge_args(x, dx)
    x, dx = np.float64(x), np.float64(dx)  # numpy overflows to inf where Python floats raise
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
    """f, g and their nudges df, dg at x: the sides and strips of the rectangle f·g."""
    x, dx = _nudge_args(x, dx, f=f, g=g)
    fx, gx = _one(f, x), _one(g, x)
    return ProductNudge(x, dx, fx, gx, _one(f, x + dx) - fx, _one(g, x + dx) - gx)


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
    x, dx = _nudge_args(x, dx, inner=inner, outer=outer)
    u0, u1 = _one(inner, x), _one(inner, x + dx)
    if u1 == u0:
        raise CalcvizError(f"the inner function does not move at x={x!r}: du = 0, so dy/du is undefined")
    y0, y1 = _one(outer, u0), _one(outer, u1)
    return ChainNudge(x, dx, u0, u1 - u0, y0, y1 - y0)
