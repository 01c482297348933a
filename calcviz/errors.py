"""Errors with one-line messages that say what was wrong and what is allowed."""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np


class CalcvizError(ValueError):
    """Bad input to calcviz: the message is one line, fit to show a course author."""


def require_choice(what: str, value: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise say which ones exist."""
    choices = list(choices)
    if value not in choices:
        raise CalcvizError(f"unknown {what} {value!r}; known: {', '.join(choices)}")
    return value


def require_finite(what: str, value) -> np.ndarray | float:
    """Return ``value`` unchanged if every entry is a finite number."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CalcvizError(f"{what} must be a number, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise CalcvizError(f"{what} must be finite, got {value!r}")
    return value


def require_positive(what: str, value: float) -> float:
    """Return ``value`` if it is a finite number > 0."""
    require_finite(what, value)
    if not float(value) > 0:
        raise CalcvizError(f"{what} must be > 0, got {value!r}")
    return value


def require_interval(what: str, lo: float, hi: float) -> tuple[float, float]:
    """Return ``(lo, hi)`` if both are finite and ``lo < hi``."""
    require_finite(f"{what} start", lo)
    require_finite(f"{what} end", hi)
    if not lo < hi:
        raise CalcvizError(f"{what} is empty: start {lo!r} must be below end {hi!r}")
    return float(lo), float(hi)


def is_finite(x) -> bool:
    return bool(np.all(np.isfinite(np.asarray(x, dtype=float)))) if not isinstance(x, float) else math.isfinite(x)
