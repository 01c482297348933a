"""Checks that teach: a learner's function run on cases the core computes, and a verdict in one or two
sentences — what was tried, what was expected, what came back, and the likely mistake — never the answer.

An exercise names the objects the learner writes and a check over them::

    Exercise("forward_difference", N_("The forward difference"), ("forward_difference",), check_forward)

    def check_forward(c: Checker, forward_difference):
        got = c.call(forward_difference, f, 2.0, 0.1, tried=c.t("f(x) = x³ at x = 2, h = 0.1"))
        c.expect(got, cv.forward_difference(f, 2.0, 0.1), tried=..., mistakes=[
            Mistake("backward", cv.backward_difference(f, 2.0, 0.1), N_("You nudged x backwards: …")),
        ])

A check fails by raising :class:`Fail` (``c.expect`` and ``c.call`` do it for it); :func:`run_check`
turns whatever happened into a :class:`Feedback`. The learner's own exception comes back as one line
with the line number in their cell; a function that does not return within the check's time budget,
returns nothing, the wrong type or shape, or NaN, each gets its own plain sentence.
"""
from __future__ import annotations

import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from scenes.kit.i18n import N_, check_language, format_message, localise_digits, translations

BUDGET = 1.5  # seconds of the learner's code per check: a check answers in under two seconds

_OURS = tuple(str(Path(p).resolve()) for p in (Path(__file__).parent,
                                               Path(__file__).resolve().parents[1] / "calcviz"))


# --- what a check says ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Feedback:
    """The outcome of one exercise's check: passed or not, why, in the lab's language.

    ``kind`` names what happened: "passed"; "blank" (not filled in yet); "raised", "timeout",
    "nothing", "type", "shape", "nonfinite" (the learner's code misbehaved); "wrong" (a value
    the check recognises no mistake in); or the name of a recognised mistake (e.g. "sign").
    """

    exercise: str
    title: str
    passed: bool
    kind: str
    text: str
    points: float
    out_of: float

    def __str__(self) -> str:
        mark = "✔" if self.passed else "✘"
        return f"{mark} {self.title}: {self.text}"

    def _repr_html_(self) -> str:
        colour, mark = ("#1b7f3b", "✔") if self.passed else ("#a33a1d", "✘")
        return (f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
                f'<b style="color:{colour}">{mark} {escape(self.title)}</b> — {escape(self.text)}</div>')

    def to_json(self) -> dict:
        return {"exercise": self.exercise, "passed": self.passed, "kind": self.kind, "text": self.text,
                "points": self.points, "out_of": self.out_of}


class Fail(Exception):
    """A check's verdict that the learner's answer is not right yet: ``kind`` and the sentence to show."""

    def __init__(self, kind: str, text: str):
        super().__init__(text)
        self.kind, self.text = kind, text


class _TimeUp(BaseException):
    """Raised inside the learner's code when the check's time budget runs out (a BaseException, so an
    ``except Exception`` in their code does not swallow it)."""


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: what it would give on this case, and the hint that names it."""

    name: str
    value: Any
    hint: str   # a msgid, marked N_; filled with the check's values and translated when shown


@dataclass(frozen=True)
class Exercise:
    """One blank to fill: ``needs`` are the names the learner defines (passed to ``check`` in order)."""

    name: str
    title: str
    needs: tuple[str, ...]
    check: Callable[..., Any]
    points: float = 1.0
    passed: str = N_("Right on every case the check tried.")


# --- the checker ------------------------------------------------------------------------------------
@dataclass
class Checker:
    """What a check works with: the lab's language, the time left, and the sentences it can say."""

    lang: str = "en"
    budget: float = BUDGET
    spent: float = field(default=0.0, init=False)

    def __post_init__(self):
        self.lang = check_language(self.lang)

    # words ------------------------------------------------------------------------------------------
    def t(self, msgid: str, /, **values: Any) -> str:
        """``msgid`` in the lab's language, placeholders filled, numbers the locale's way."""
        values = {k: self.show(v) if isinstance(v, (np.ndarray, list, tuple)) else v for k, v in values.items()}
        template = translations(self.lang).gettext(msgid)
        return format_message(template, values, self.lang) if values else template

    def show(self, value: Any) -> str:
        """A value as a learner reads it: numbers to 6 significant figures, short arrays in full."""
        if value is None:
            return "None"
        if isinstance(value, (bool, np.bool_)):
            return str(bool(value))
        if isinstance(value, (int, float, np.integer, np.floating)):
            return localise_digits(format(float(value), ".6g") if not isinstance(value, (int, np.integer))
                                   else str(int(value)), self.lang)
        if isinstance(value, (list, tuple, np.ndarray)):
            try:
                arr = np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                return type(value).__name__
            if arr.ndim == 0:
                return self.show(float(arr))
            if arr.size > 6:
                return self.t("an array of shape {shape}", shape=str(arr.shape))
            comma = "; " if localise_digits("0.5", self.lang) == "0,5" else ", "  # [0,5; 2] beside decimal commas
            inner = comma.join(self.show(v) if np.ndim(v) == 0 else self.show(np.asarray(v)) for v in arr)
            return f"[{inner}]"
        return type(value).__name__

    # the learner's code -------------------------------------------------------------------------------
    def call(self, fn: Callable, *args: Any, tried: str, name: str | None = None) -> Any:
        """``fn(*args)`` within the time left; the learner's exception or a time-out becomes a :class:`Fail`.

        Arguments are copied first, so a function that changes its inputs changes only its copy.
        """
        name = name or getattr(fn, "__name__", "your function")
        if not callable(fn):
            if fn is Ellipsis or fn is None:
                raise Fail("blank", self.t("{name} is not written yet: fill in its cell above and run it.",
                                           name=name))
            raise Fail("type", self.t("{name} should be a function, but it is of type {type}.",
                                      name=name, type=type(fn).__name__))
        args = tuple(_copy(a) for a in args)
        left = self.budget - self.spent
        if left <= 0:
            raise Fail("timeout", self.t("{name} is too slow: the check ran out of time before trying {tried}.",
                                         name=name, tried=tried))
        start = time.perf_counter()
        try:
            with _time_limit(left), np.errstate(all="ignore"):  # a NaN gets its own sentence below
                return fn(*args)
        except _TimeUp:
            raise Fail("timeout", self.t("{name} did not return within {seconds} s for {tried}: look for a loop "
                                         "that never ends, or a Python loop doing what numpy can do at once.",
                                         name=name, seconds=round(self.budget, 1), tried=tried)) from None
        except RecursionError:
            raise Fail("raised", self.t("{name} calls itself without end for {tried}.", name=name,
                                        tried=tried)) from None
        except Exception as error:  # noqa: BLE001 — the learner's error is the verdict, not a crash
            line, where = _learner_line(error.__traceback__)
            detail = " ".join(str(error).split())[:160]
            kind = type(error).__name__
            if line is None:
                raise Fail("raised", self.t("{name} raised {error} for {tried}: {detail}", name=name,
                                            error=kind, tried=tried, detail=detail)) from None
            if where not in (name, "<module>"):  # it started in another function of theirs, which it called
                raise Fail("raised", self.t("{name} raised {error} for {tried}, in {function} (line {line} of its "
                                            "cell): {detail}", name=name, error=kind, tried=tried, function=where,
                                            line=line, detail=detail)) from None
            raise Fail("raised", self.t("{name} raised {error} on line {line} of its cell, for {tried}: {detail}",
                                        name=name, error=kind, line=line, tried=tried, detail=detail)) from None
        finally:
            self.spent += time.perf_counter() - start

    # values -----------------------------------------------------------------------------------------
    def value(self, got: Any, like: Any, *, tried: str, name: str = "") -> np.ndarray:
        """``got`` as a float array of the shape of ``like``, else a :class:`Fail` saying what is off."""
        name = name or self.t("your function")
        if got is None:
            raise Fail("nothing", self.t("{name} returned nothing (None) for {tried}: does it end with "
                                         "`return`?", name=name, tried=tried))
        if got is Ellipsis:
            raise Fail("blank", self.t("{name} still returns the blank `...`: replace it with your code.",
                                       name=name))
        want = np.asarray(like, dtype=float)
        try:
            arr = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            raise Fail("type", self.t("{name} returned a value of type {type} for {tried}, but a number or an array of "
                                      "numbers was expected.", name=name, type=type(got).__name__,
                                      tried=tried)) from None
        if arr.shape != want.shape:
            if want.ndim == 0:
                raise Fail("shape", self.t("{name} returned an array of shape {shape} for {tried}, but one number "
                                           "was expected.", name=name, shape=str(arr.shape), tried=tried))
            raise Fail("shape", self.t("{name} returned shape {shape} for {tried}, but shape {want} was expected.",
                                       name=name, shape=str(arr.shape), want=str(want.shape), tried=tried))
        if not np.all(np.isfinite(arr)) and np.all(np.isfinite(want)):
            raise Fail("nonfinite", self.t("{name} returned {got} for {tried}: NaN or infinity where a finite "
                                           "number belongs (a division by zero, or a log of 0?).",
                                           name=name, got=self.show(arr), tried=tried))
        return arr

    def expect(self, got: Any, want: Any, *, tried: str, mistakes: Sequence[Mistake] = (), hint: str = "",
               rtol: float = 1e-6, atol: float = 1e-9, name: str = "", **values: Any) -> np.ndarray:
        """``got`` ≈ ``want``; else the sentence: tried, expected, got, and the hint of the mistake it
        matches (``values`` fill the hints' placeholders), or ``hint`` when it matches none."""
        arr = self.value(got, want, tried=tried, name=name)
        if close(arr, want, rtol, atol, equal_nan=True):
            return arr
        said = self.t("For {tried}, the answer is {want}; {name} gave {got}.", tried=tried, want=self.show(want),
                      name=name or self.t("your function"), got=self.show(arr))
        for mistake in mistakes:
            if mistake.value is not None and close(arr, mistake.value, max(rtol, 1e-9), atol):
                raise Fail(mistake.name, f"{said} {self.t(mistake.hint, **values)}")
        if hint:
            raise Fail("wrong", f"{said} {self.t(hint, **values)}")
        if np.size(want) > 6:  # the arrays are not shown whole: say where they part most
            gap = np.abs(arr - np.asarray(want, dtype=float))
            where = np.unravel_index(int(np.nanargmax(np.where(np.isfinite(gap), gap, np.inf))), gap.shape)
            said += " " + self.t("The largest difference is at index {index}: {want_at} is right, {got_at} came back.",
                                 index=str(tuple(int(i) for i in where)) if len(where) > 1 else str(int(where[0])),
                                 want_at=self.show(np.asarray(want, dtype=float)[where]), got_at=self.show(arr[where]))
        raise Fail("wrong", said)


def close(got: Any, want: Any, rtol: float = 1e-6, atol: float = 1e-9, equal_nan: bool = False) -> bool:
    """Same shape, and every entry of ``got`` within ``atol + rtol·|want|`` of ``want``."""
    try:
        want = np.asarray(want, dtype=float)
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == want.shape and bool(np.all(np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def _copy(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _learner_line(tb) -> tuple[int | None, str]:
    """(line, function) in the learner's own code where their exception started: the deepest frame that is
    neither this room's, the core's, nor a library's."""
    libraries = tuple({str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
    line, function = None, ""
    for frame in traceback.extract_tb(tb):
        where = str(Path(frame.filename).resolve()) if not frame.filename.startswith("<") else frame.filename
        if where.startswith(_OURS) or (where.startswith(libraries) and "ipykernel_" not in where):
            continue
        line, function = frame.lineno, frame.name
    return line, function


class _time_limit:
    """Raise :class:`_TimeUp` in the main thread after ``seconds`` (no limit off the main thread)."""

    def __init__(self, seconds: float):
        self.seconds = max(seconds, 1e-3)
        self.active = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")

    def __enter__(self):
        if self.active:
            self.previous = signal.signal(signal.SIGALRM, self._ring)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    @staticmethod
    def _ring(signum, frame):
        raise _TimeUp

    def __exit__(self, *exc):
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


# --- running a check --------------------------------------------------------------------------------
def run_check(exercise: Exercise, objects: Sequence[Any], lang: str = "en") -> Feedback:
    """Run ``exercise``'s check on the learner's ``objects``; whatever happens, a :class:`Feedback`."""
    c = Checker(lang)
    title = c.t(exercise.title)
    try:
        said = exercise.check(c, *objects)
    except Fail as fail:
        return Feedback(exercise.name, title, False, fail.kind, fail.text, 0.0, exercise.points)
    except _TimeUp:
        return Feedback(exercise.name, title, False, "timeout", c.t("The check ran out of time."), 0.0,
                        exercise.points)
    except Exception as error:  # noqa: BLE001 — a check must answer, never show a traceback
        detail = " ".join(str(error).split())[:160]
        return Feedback(exercise.name, title, False, "raised",
                        c.t("Your answer made the check stop with {error}: {detail}",
                            error=type(error).__name__, detail=detail), 0.0, exercise.points)
    text = c.t(exercise.passed) if not said else said
    return Feedback(exercise.name, title, True, "passed", text, exercise.points, exercise.points)
