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
    """One tunable of a scene: its default and the parser that validates a new value."""

    default: Any
    parse: Callable[[Any], Any]
    help: str = ""


def choice(default: str, options: Sequence[str], help: str = "") -> Setting:
    options = list(options)

    def parse(v):
        if v not in options:
            raise CalcvizError(f"{v!r} is not one of: {', '.join(options)}")
        return v
    return Setting(default, parse, help or f"one of {', '.join(options)}")


def number(default: float, lo: float | None = None, hi: float | None = None, help: str = "") -> Setting:
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
    return Setting(default, parse, help)


def integer(default: int, lo: int = 1, hi: int | None = None, help: str = "") -> Setting:
    as_float = number(default, lo, hi).parse

    def parse(v):
        x = as_float(v)
        if x != int(x):
            raise CalcvizError(f"{v!r} is not a whole number")
        return int(x)
    return Setting(default, parse, help)


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

