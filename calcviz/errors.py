"""Errors with one-line messages that say what was wrong and what is allowed.

Every public function of calcviz checks its arguments with the ``require_*`` helpers
below before doing any work, so a bad argument is a :class:`CalcvizError` naming the
argument, never a TypeError or AttributeError from deep inside numpy.

>>> require_whole("steps", None)
Traceback (most recent call last):
    ...
calcviz.errors.CalcvizError: steps must be a whole number ≥ 0, got None
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable

import numpy as np


class CalcvizError(ValueError):
    """Bad input to calcviz: the message is one line, fit to show a course author."""

    def __init__(self, message=""):
        super().__init__(" ".join(str(message).split()))  # one line, whatever went in


def show(value, width: int = 60) -> str:
    """A short one-line repr of ``value`` for a message (arrays summarised, long text cut)."""
    width = width if isinstance(width, int) and not isinstance(width, bool) and width >= 8 else 60
    if isinstance(value, np.ndarray) and value.size > 6:
        text = f"an array of shape {value.shape}"
    else:
        try:
            text = repr(value)
        except Exception:  # noqa: BLE001 — a repr that fails still deserves a message
            text = f"a {type(value).__name__}"
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- what kind of thing is it? --------------------------------------------------------------
def _numeric_array(what: str, value) -> np.ndarray:
    """``value`` as a float array, if it holds only real numbers (no text, None, complex or objects)."""
    if isinstance(value, (str, bytes, dict, set, frozenset)) or value is None:
        raise CalcvizError(f"{what} must be a number or an array of numbers, got {show(value)}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):  # ragged nesting
        raise CalcvizError(f"{what} must be a number or an array of numbers, got {show(value)}") from None
    if raw.dtype.kind not in "biuf":
        raise CalcvizError(f"{what} must be a number or an array of numbers, got {show(value)}")
    return raw.astype(float)


def require_numeric(what: str, value) -> np.ndarray:
    """``value`` as a float array of real numbers (NaN and ±inf allowed: a run may produce them)."""
    return _numeric_array(what, value)


def require_finite(what: str, value) -> np.ndarray | float:
    """Return ``value`` unchanged if it is a number, or an array of numbers, all finite."""
    arr = _numeric_array(what, value)
    if not np.all(np.isfinite(arr)):
        raise CalcvizError(f"{what} must be finite, got {show(value)}")
    return value


def require_array(what: str, value, *, ndim: int | None = None, shape: tuple | None = None,
                  min_size: int = 1) -> np.ndarray:
    """``value`` as a finite float array, checked for its number of axes, its shape and its size.

    In ``shape``, None stands for any length along that axis.
    """
    _check_layout(ndim, shape, min_size)
    arr = _numeric_array(what, value)
    if shape is not None:
        ok = arr.ndim == len(shape) and all(s is None or s == n for s, n in zip(shape, arr.shape))
        if not ok:
            axes = ", ".join("n" if s is None else str(s) for s in shape)
            wanted = f"({axes},)" if len(shape) == 1 else f"({axes})"
            raise CalcvizError(f"{what} must have shape {wanted}, got shape {arr.shape}")
    elif ndim is not None and arr.ndim != ndim:
        raise CalcvizError(f"{what} must be {_axes(ndim)}, got shape {arr.shape}")
    if arr.size < min_size:
        raise CalcvizError(f"{what} must hold at least {min_size} number{'s' if min_size > 1 else ''}, got none")
    if not np.all(np.isfinite(arr)):
        raise CalcvizError(f"{what} must be finite, got {show(value)}")
    return arr


def _check_layout(ndim, shape, min_size) -> None:
    """The layout asked of :func:`require_array` must itself make sense (a helper's own arguments)."""
    def whole(v):
        return isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 0
    shape_ok = shape is None or (isinstance(shape, tuple) and all(s is None or whole(s) for s in shape))
    if not ((ndim is None or whole(ndim)) and shape_ok and whole(min_size)):
        raise CalcvizError(f"require_array: bad layout ndim={show(ndim)}, shape={show(shape)}, "
                           f"min_size={show(min_size)}")


def require_vector(what: str, value, size: int | None = None) -> np.ndarray:
    """A 1-D finite float array (one number becomes a vector of one), of ``size`` entries if given."""
    if size is not None:
        require_whole("vector size", size)
    arr = require_array(what, value)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise CalcvizError(f"{what} must be a 1-D array, got shape {arr.shape}")
    if size is not None and arr.size != size:
        raise CalcvizError(f"{what} must have {size} entries, got {arr.size}")
    return arr


def _axes(ndim: int) -> str:
    return {0: "one number", 1: "a 1-D list of numbers", 2: "a 2-D array"}.get(ndim, f"a {ndim}-D array")


def require_number(what: str, value) -> float:
    """One finite real number, as a float (a bool is not a number here)."""
    if isinstance(value, (bool, np.bool_)):
        raise CalcvizError(f"{what} must be a number, got {value!r}")
    arr = _numeric_array(what, value)
    if arr.ndim != 0:
        raise CalcvizError(f"{what} must be one number, got {show(value)}")
    x = float(arr)
    if not math.isfinite(x):
        raise CalcvizError(f"{what} must be finite, got {show(value)}")
    return x


def require_positive(what: str, value) -> float:
    """One finite number > 0, as a float."""
    x = require_number(what, value)
    if not x > 0:
        raise CalcvizError(f"{what} must be > 0, got {show(value)}")
    return x


def require_nonnegative(what: str, value) -> float:
    """One finite number ≥ 0, as a float."""
    x = require_number(what, value)
    if not x >= 0:
        raise CalcvizError(f"{what} must be ≥ 0, got {show(value)}")
    return x


def require_nonzero(what: str, value) -> float:
    """One finite number other than 0, as a float."""
    x = require_number(what, value)
    if x == 0:
        raise CalcvizError(f"{what} must be non-zero, got {show(value)}")
    return x


def require_between(what: str, value, lo: float, hi: float, *, closed: str = "[)") -> float:
    """One finite number in the interval from lo to hi; ``closed`` says which ends belong ("[]", "[)", "(]", "()")."""
    lo, hi = require_number("interval start", lo), require_number("interval end", hi)
    require_choice("interval closure", closed, ("[]", "[)", "(]", "()"))
    x = require_number(what, value)
    inside = (x >= lo if closed[0] == "[" else x > lo) and (x <= hi if closed[1] == "]" else x < hi)
    if not inside:
        raise CalcvizError(f"{what} must be in {closed[0]}{lo:g}, {hi:g}{closed[1]}, got {show(value)}")
    return x


def require_whole(what: str, value, low: int = 0) -> int:
    """A whole number ≥ ``low`` (an int, or a float with no fractional part), as an int."""
    if isinstance(low, bool) or not isinstance(low, (int, np.integer)):
        raise CalcvizError(f"the lowest whole number allowed must be an int, got {show(low)}")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise CalcvizError(f"{what} must be a whole number ≥ {low}, got {show(value)}")
    if not (math.isfinite(value) and value == int(value) and value >= low):
        raise CalcvizError(f"{what} must be a whole number ≥ {low}, got {show(value)}")
    return int(value)


def require_callable(what: str, value) -> Callable:
    """``value`` if it can be called like a function."""
    if not callable(value):
        raise CalcvizError(f"{what} must be a function, got {show(value)}")
    return value


def require_text(what: str, value) -> str:
    """``value`` if it is a string."""
    if not isinstance(value, str):
        raise CalcvizError(f"{what} must be text, got {show(value)}")
    return value


def require_instance(what: str, value, kind: type | tuple[type, ...], hint: str = "") -> object:
    """``value`` if it is a ``kind`` (``hint`` says how to make one)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not kinds or not all(isinstance(k, type) for k in kinds):
        raise CalcvizError(f"kind must be a class or a tuple of classes, got {show(kind)}")
    hint = require_text("hint", hint)
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise CalcvizError(f"{what} must be a {names}{hint}, got {show(value)}")
    return value


def require_choice(what: str, value: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise say which ones exist."""
    try:
        if isinstance(choices, (str, bytes)):
            raise TypeError
        choices = list(choices)
    except TypeError:
        raise CalcvizError(f"the known {what}s must be a list of names, got {show(choices)}") from None
    if not all(isinstance(c, str) for c in choices):
        raise CalcvizError(f"the known {what}s must be names (text), got {show(choices)}")
    if not isinstance(value, str) or value not in choices:
        raise CalcvizError(f"unknown {what} {show(value)}; known: {', '.join(map(str, choices))}")
    return value


def require_interval(what: str, lo: float, hi: float) -> tuple[float, float]:
    """Return ``(lo, hi)`` as floats if both are finite numbers and ``lo < hi``."""
    lo, hi = require_number(f"{what} start", lo), require_number(f"{what} end", hi)
    if not lo < hi:
        raise CalcvizError(f"{what} is empty: start {lo!r} must be below end {hi!r}")
    return lo, hi


def require_seed(what: str, value):
    """A random seed: None, a whole number ≥ 0, or a numpy Generator."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    return require_whole(what, value, 0)


def call(what: str, fn: Callable, *args):
    """fn(*args), with any error from inside a user's function turned into a one-line CalcvizError.

    The original exception stays chained (``raise … from``), so a traceback still shows where
    the function failed; the message says which function failed, where, and why.
    """
    require_callable(str(what), fn)
    try:
        return fn(*args)
    except CalcvizError:
        raise
    except Exception as error:
        at = ", ".join(show(a, 40) for a in args)
        raise CalcvizError(f"{what} failed at {at}: {type(error).__name__}: {error}") from error


def is_finite(x) -> bool:
    """True if x is a number, or an array of numbers, and every entry is finite; False for anything else."""
    try:
        return bool(np.all(np.isfinite(_numeric_array("x", x))))
    except CalcvizError:
        return False
