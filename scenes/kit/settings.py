"""Settings a course author can change without editing code: each scene's tunables, validated.

A scene declares ``SETTINGS = {"name": Setting(...)}``; values come from the defaults, then the
TOML file named by ``CALCVIZ_CONFIG`` (one table per scene), then ``CALCVIZ_SET="key=value ..."``.
"""
from __future__ import annotations

import os
import shlex
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from calcviz.errors import CalcvizError


@dataclass(frozen=True)
class Setting:
    """One tunable of a scene: its default and the parser that validates a new value.

    What an author may choose is part of it, so a test can try them all (tests/test_settings_sweep.py):
    ``options`` for a choice, ``lo``/``hi`` for a number or a whole number (None: unbounded), and
    ``examples`` for a free-form setting (a point "x,y", layer sizes "8-8") — values worth trying.
    """

    default: Any
    parse: Callable[[Any], Any]
    help: str = ""
    options: tuple = ()
    lo: float | None = None
    hi: float | None = None
    examples: tuple = ()
    whole: bool = False  # an integer(): its samples are whole numbers

    def samples(self) -> tuple:
        """The values worth trying besides the default: every option of a choice; the ends and the
        middle of a bounded range (an unbounded end is not sampled); a free-form setting's examples."""
        if self.options:
            values = self.options
        elif self.lo is not None or self.hi is not None:
            ends = [v for v in (self.lo, self.hi) if v is not None]
            values = (*ends, _middle(self.lo, self.hi)) if len(ends) == 2 else tuple(ends)
            if self.whole:
                values = tuple(int(round(v)) for v in values)
            values = (*values, *self.examples)
        else:
            values = self.examples
        out = []
        for v in values:
            if v != self.default and v not in out:
                out.append(v)
        return tuple(out)


def _middle(lo: float, hi: float) -> float:
    """The middle of [lo, hi], to three figures: geometric where the range spans two decades or more
    (a step from 1e-3 to 2 has its middle near 0.045, not near 1)."""
    mid = float(np.sqrt(lo * hi)) if lo > 0 and hi >= 100 * lo else (lo + hi) / 2
    return float(f"{mid:.3g}")


def choice(default: str, options: Sequence[str], help: str = "") -> Setting:
    options = list(options)

    def parse(v):
        if v not in options:
            raise CalcvizError(f"{v!r} is not one of: {', '.join(options)}")
        return v
    return Setting(default, parse, help or f"one of {', '.join(options)}", options=tuple(options))


def number(default: float, lo: float | None = None, hi: float | None = None, help: str = "",
           examples: Sequence[float] = ()) -> Setting:
    """A number in [lo, hi] (None: unbounded); ``examples``: values worth trying besides the range's
    ends and middle (the only ones tried where the range is unbounded)."""
    def parse(v):
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise CalcvizError(f"{v!r} is not a number") from None
        if not np.isfinite(x):
            raise CalcvizError(f"{v!r} is not finite")
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            raise CalcvizError(f"{x:g} is outside [{lo if lo is not None else '-inf'}, "
                               f"{hi if hi is not None else 'inf'}]")
        return x
    return Setting(default, parse, help, lo=lo, hi=hi, examples=tuple(examples))


def integer(default: int, lo: int = 1, hi: int | None = None, help: str = "") -> Setting:
    as_float = number(default, lo, hi).parse

    def parse(v):
        x = as_float(v)
        if x != int(x):
            raise CalcvizError(f"{v!r} is not a whole number")
        return int(x)
    return Setting(default, parse, help, lo=lo, hi=hi, whole=True)


SETTINGS_ENV = "CALCVIZ_SET"          # e.g. CALCVIZ_SET="x=1.5 function=sine"
SETTINGS_FILE_ENV = "CALCVIZ_CONFIG"  # a TOML file with one table per scene


def _overrides_from_environment(scene: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    path = os.environ.get(SETTINGS_FILE_ENV)
    if path:
        try:
            found.update(tomllib.loads(Path(path).read_text()).get(scene, {}))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise CalcvizError(f"cannot read settings file {path}: {e}") from None
    for token in shlex.split(os.environ.get(SETTINGS_ENV, "")):
        key, sep, value = token.partition("=")
        if not sep:
            raise CalcvizError(f"{SETTINGS_ENV} wants key=value pairs, got {token!r}")
        found[key.strip()] = value.strip()
    return found


def resolve_settings(scene_cls: type, overrides: dict[str, Any] | None = None) -> MappingProxyType:
    """Defaults, then the settings file, then CALCVIZ_SET, then ``overrides``; each value validated."""
    spec: dict[str, Setting] = scene_cls.SETTINGS
    given = _overrides_from_environment(scene_cls.__name__) | dict(overrides or {})
    unknown = sorted(set(given) - set(spec))
    if unknown:
        known = ", ".join(spec) or "none"
        raise CalcvizError(f"unknown setting {unknown[0]!r}; settings of {scene_cls.__name__}: {known}")
    values = {}
    for name, setting in spec.items():
        try:
            values[name] = setting.parse(given.get(name, setting.default))
        except CalcvizError as e:
            raise CalcvizError(f"setting {name}: {e}") from None
    scene_cls.check_settings(values)
    return MappingProxyType(values)

