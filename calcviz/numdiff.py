"""Gradient, Jacobian and Hessian of any function, by central differences.

Nudge one coordinate at a time, both ways:

    ∂f/∂xⱼ ≈ (f(x + h·eⱼ) − f(x − h·eⱼ)) / 2h                  error O(h²)
    ∂²f/∂xⱼ² ≈ (f(x + h·eⱼ) − 2f(x) + f(x − h·eⱼ)) / h²           error O(h²)
    ∂²f/∂xᵢ∂xⱼ ≈ (f(+,+) − f(+,−) − f(−,+) + f(−,−)) / 4hᵢhⱼ      error O(h²)

Because the error is c·h² + O(h⁴), the same difference at step 2h is off by about
4c·h², so ``|D(h) − D(2h)| / 3`` estimates the error of D(h) (Richardson's idea). The
``*_estimate`` functions return that estimate alongside the value.

>>> gradient(lambda p: p[0] ** 2 + 3 * p[1], [1.0, 2.0]).round(6)
array([2., 3.])

The function takes a point (a 1-D float array) and returns a float (``gradient``,
``hessian``) or an array (``jacobian``). It is called 2n times for a gradient and
about 2n² times for a Hessian, one point at a time, so any Python callable works.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import CalcvizError, call, require_array, require_callable, require_vector, show
from .result import frozen_array

EPS = np.finfo(float).eps


@dataclass(frozen=True)
class Estimate:
    """A finite-difference derivative ``value`` at step ``h`` and ``error`` ≈ |D(h) − D(2h)| / 3."""

    value: np.ndarray
    error: np.ndarray
    h: np.ndarray  # the step used for each coordinate

    @property
    def max_error(self) -> float:
        return float(np.max(self.error))


# --- steps ---------------------------------------------------------------------------
def default_step(x, derivative: int = 1) -> np.ndarray:
    """h ≈ ε^(1/3)·max(1, |x|) for first derivatives, ε^(1/4)·max(1, |x|) for second.

    These balance the O(h²) truncation error against round-off, which grows like ε/h
    for a first derivative and ε/h² for a second.
    """
    if isinstance(derivative, bool) or not isinstance(derivative, (int, np.integer)) or derivative not in (1, 2):
        raise CalcvizError(f"derivative must be 1 or 2, got {show(derivative)}")
    power = {1: 1 / 3, 2: 1 / 4}[derivative]
    return EPS**power * np.maximum(1.0, np.abs(require_array("point x", x, min_size=0)))


MAX_COORDINATES = 10_000  # a finite-difference Hessian of more would take 10⁸ calls


def _point(x) -> np.ndarray:
    x = require_vector("point x", x).copy()
    if x.size > MAX_COORDINATES:
        raise CalcvizError(f"point x has {x.size} coordinates; finite differences take at most {MAX_COORDINATES:,}")
    return x


def _steps(x: np.ndarray, h, derivative: int) -> np.ndarray:
    if h is None:
        return default_step(x, derivative)
    h = require_array("step h", h)
    if h.ndim > 1 or h.size not in (1, x.size):
        raise CalcvizError(f"step h must be one number or one per coordinate ({x.size}), got shape {h.shape}")
    h = np.broadcast_to(h, x.shape).copy()
    if np.any(h <= 0):
        raise CalcvizError(f"step h must be > 0, got {show(h.tolist())}")
    return h


def _call(f: Callable, x: np.ndarray) -> np.ndarray:
    out = np.asarray(call("the function", f, x))
    if out.dtype.kind not in "biuf":
        raise CalcvizError(f"the function must return numbers, got {show(out)}")
    out = out.astype(float)
    if not np.all(np.isfinite(out)):
        raise CalcvizError(f"the function is not finite at x = {show(x.tolist())}, "
                           "so it has no derivative there")
    return out


# --- first derivatives -----------------------------------------------------------------
def _central_jacobian(F: Callable, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    columns = []
    for j in range(x.size):
        nudge = np.zeros_like(x)
        nudge[j] = h[j]
        columns.append((_call(F, x + nudge) - _call(F, x - nudge)) / (2 * h[j]))
    return np.stack(columns, axis=-1)  # column j is ∂F/∂xⱼ


def jacobian(F: Callable, x, h=None) -> np.ndarray:
    """J[i, j] = ∂Fᵢ/∂xⱼ ≈ (Fᵢ(x + h·eⱼ) − Fᵢ(x − h·eⱼ)) / 2h; shape (m, n) for F: ℝⁿ → ℝᵐ."""
    require_callable("F", F)
    x = _point(x)
    return _central_jacobian(F, x, _steps(x, h, 1))


def gradient(f: Callable, x, h=None) -> np.ndarray:
    """∇f(x) by central differences: the Jacobian of a scalar function, shape (n,)."""
    require_callable("f", f)
    x = _point(x)
    g = _central_jacobian(f, x, _steps(x, h, 1))
    if g.ndim != 1:
        raise CalcvizError(f"gradient needs f to return one number, got shape {g.shape[:-1]}; use jacobian")
    return g


# --- second derivatives ----------------------------------------------------------------
def _central_hessian(f: Callable, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    n = x.size
    f0 = _scalar(f, x)
    e = np.diag(h)  # e[i] is the nudge h_i along coordinate i
    H = np.empty((n, n))
    for i in range(n):
        H[i, i] = (_scalar(f, x + e[i]) - 2 * f0 + _scalar(f, x - e[i])) / h[i] ** 2
        for j in range(i):
            corners = (_call(f, x + e[i] + e[j]) - _call(f, x + e[i] - e[j])
                       - _call(f, x - e[i] + e[j]) + _call(f, x - e[i] - e[j]))
            H[i, j] = H[j, i] = float(corners) / (4 * h[i] * h[j])
    return H


def _scalar(f: Callable, x: np.ndarray) -> float:
    value = _call(f, x)
    if value.size != 1:
        raise CalcvizError(f"a Hessian needs f to return one number, got shape {value.shape}")
    return float(value.reshape(()))


def hessian(f: Callable, x, h=None) -> np.ndarray:
    """H[i, j] = ∂²f/∂xᵢ∂xⱼ by central differences (symmetric by construction), shape (n, n)."""
    require_callable("f", f)
    x = _point(x)
    return _central_hessian(f, x, _steps(x, h, 2))


# --- with an error estimate ------------------------------------------------------------
def _richardson(difference: Callable, f: Callable, x: np.ndarray, h: np.ndarray) -> Estimate:
    fine, coarse = difference(f, x, h), difference(f, x, 2 * h)
    # fine = D + c·h², coarse = D + 4c·h²  ⇒  c·h² = (coarse − fine) / 3
    return Estimate(frozen_array(fine), frozen_array(np.abs(coarse - fine) / 3), frozen_array(h))


def jacobian_estimate(F: Callable, x, h=None) -> Estimate:
    """:func:`jacobian` with a Richardson error estimate (steps h and 2h)."""
    require_callable("F", F)
    x = _point(x)
    return _richardson(_central_jacobian, F, x, _steps(x, h, 1))


def gradient_estimate(f: Callable, x, h=None) -> Estimate:
    """:func:`gradient` with a Richardson error estimate (steps h and 2h)."""
    require_callable("f", f)
    est = jacobian_estimate(f, x, h)
    if est.value.ndim != 1:
        raise CalcvizError("gradient needs f to return one number; use jacobian_estimate")
    return est


def hessian_estimate(f: Callable, x, h=None) -> Estimate:
    """:func:`hessian` with a Richardson error estimate (steps h and 2h)."""
    require_callable("f", f)
    x = _point(x)
    return _richardson(_central_hessian, f, x, _steps(x, h, 2))
