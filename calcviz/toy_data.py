"""Small 2-D classification sets for a network to learn, generated from a seed.

Two moons, two circles, XOR and a spiral: each is a few hundred points in the plane,
roughly inside [−1.5, 1.5]², with a class label per point. The shapes are chosen so
that no straight line separates the classes — a hidden layer has to bend the
boundary. ``make_dataset("spiral", n=400, noise=0.1, rng=0)`` looks one up by name.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import (CalcvizError, require_choice, require_nonnegative, require_number, require_numeric, require_seed,
                     require_text, require_vector, require_whole, show)
from .result import frozen_array


@dataclass(frozen=True)
class Dataset:
    """Points ``X`` (n, 2) with integer class labels ``y`` (n,), under a ``name``.

    A rescaled set (see :func:`standardize`) remembers how: the original points are
    ``X * scale + offset``, so a scene can label its axes in the original units.
    """

    X: np.ndarray
    y: np.ndarray
    name: str
    offset: np.ndarray | None = None
    scale: np.ndarray | None = None

    def __post_init__(self):
        require_text("data set name", self.name)
        X = require_numeric(f"data set {self.name!r}: X", self.X)
        y = require_numeric(f"data set {self.name!r}: y", self.y)
        if X.ndim != 2 or X.shape[1] != 2:
            raise CalcvizError(f"data set {self.name!r}: X must have shape (n, 2), got {X.shape}")
        if y.shape != (len(X),):
            raise CalcvizError(f"data set {self.name!r}: y must have shape ({len(X)},), got {y.shape}")
        if not np.all(np.isfinite(X)):
            raise CalcvizError(f"data set {self.name!r}: {np.sum(~np.isfinite(X))} point coordinate(s) are not finite")
        if not np.array_equal(y, np.round(y)) or (y.size and y.min() < 0):
            raise CalcvizError(f"data set {self.name!r}: labels must be integers 0, 1, …")
        object.__setattr__(self, "X", frozen_array(X))
        object.__setattr__(self, "y", frozen_array(y, dtype=int))
        for name in ("offset", "scale"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, frozen_array(require_vector(name, getattr(self, name), size=2)))

    @property
    def n(self) -> int:
        return len(self.X)

    @property
    def classes(self) -> int:
        return int(self.y.max()) + 1 if self.n else 0

    def bounds(self, margin: float = 0.1) -> tuple[tuple[float, float], tuple[float, float]]:
        """((x_min, x_max), (y_min, y_max)) of the points, widened by ``margin`` × their range."""
        lo, hi = self.X.min(axis=0), self.X.max(axis=0)
        pad = margin * np.maximum(hi - lo, 1e-12)
        return (float(lo[0] - pad[0]), float(hi[0] + pad[0])), (float(lo[1] - pad[1]), float(hi[1] + pad[1]))

    def __repr__(self) -> str:
        counts = np.bincount(self.y, minlength=self.classes).tolist()
        return f"Dataset(name={self.name!r}, n={self.n}, classes per label={counts})"


# --- the generators ----------------------------------------------------------------
# Each takes (n, noise, rng): n points in all, Gaussian jitter of standard deviation
# `noise` on both coordinates, and a numpy Generator. Classes are as equal in size as n allows.

MAX_POINTS = 10_000_000


def _settings(n, noise, rng) -> tuple[int, float, np.random.Generator]:
    """n whole ≥ 2, noise ≥ 0, rng a seed or a Generator: checked, rng made a Generator."""
    n = require_whole("number of points n", n, 2)
    if n > MAX_POINTS:
        raise CalcvizError(f"number of points n must be at most {MAX_POINTS:,}, got {n}")
    return n, require_nonnegative("noise", noise), np.random.default_rng(require_seed("rng", rng))


def _split(n: int, parts: int) -> list[int]:
    """n points shared as evenly as possible between ``parts`` classes."""
    return [n // parts + (1 if k < n % parts else 0) for k in range(parts)]


def _finish(name: str, X: np.ndarray, y: np.ndarray, noise: float, rng: np.random.Generator) -> Dataset:
    """Jitter the clean points, then shuffle, so a mini-batch sees both classes."""
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(X))
    return Dataset(X[order], y[order], name)


def two_moons(n: int = 200, noise: float = 0.1, rng=None) -> Dataset:
    """Two interleaved half circles: (cos t, sin t) and (1 − cos t, ½ − sin t), t ∈ [0, π]."""
    n, noise, rng = _settings(n, noise, rng)
    n_upper, n_lower = _split(n, 2)
    t_upper, t_lower = rng.uniform(0, np.pi, n_upper), rng.uniform(0, np.pi, n_lower)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.vstack([upper, lower]) - [0.5, 0.25]  # centre the pair on the origin
    y = np.repeat([0, 1], [n_upper, n_lower])
    return _finish("moons", X, y, noise, rng)


def circles(n: int = 200, noise: float = 0.1, rng=None, factor: float = 0.5) -> Dataset:
    """A unit circle (label 0) around a circle of radius ``factor`` (label 1)."""
    factor = require_number("inner circle factor", factor)
    if not 0 < factor < 1:
        raise CalcvizError(f"inner circle factor must be between 0 and 1, got {factor!r}")
    n, noise, rng = _settings(n, noise, rng)
    n_outer, n_inner = _split(n, 2)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.repeat([1.0, factor], [n_outer, n_inner])
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    y = np.repeat([0, 1], [n_outer, n_inner])
    return _finish("circles", X, y, noise, rng)


def xor(n: int = 200, noise: float = 0.1, rng=None) -> Dataset:
    """Points in [−1, 1]², label 1 where exactly one coordinate is positive (x·y < 0)."""
    n, noise, rng = _settings(n, noise, rng)
    n_same, n_opposite = _split(n, 2)
    y = np.repeat([0, 1], [n_same, n_opposite])
    corner = rng.uniform(0, 1, (n, 2))  # a point of the first quadrant, then mirrored:
    sign = rng.choice([-1.0, 1.0], n)  # label 0 to quadrant 1 or 3, label 1 to quadrant 2 or 4
    X = corner * np.column_stack([sign, np.where(y == 1, -sign, sign)])
    return _finish("xor", X, y, noise, rng)


def spiral(n: int = 200, noise: float = 0.1, rng=None, arms: int = 2, turns: float = 1.5) -> Dataset:
    """``arms`` interleaved spirals r = t, angle = 2π·turns·t + 2πk/arms, t ∈ [0.1, 1]; label k."""
    arms = require_whole("number of spiral arms", arms)
    if arms < 2:
        raise CalcvizError(f"a spiral needs at least 2 arms, got {arms!r}")
    turns = require_number("spiral turns", turns)
    if not turns > 0:
        raise CalcvizError(f"spiral turns must be > 0, got {turns!r}")
    n, noise, rng = _settings(n, noise, rng)
    if arms > n:
        raise CalcvizError(f"{n} points cannot fill {arms} spiral arms")
    sizes = _split(n, arms)
    y = np.repeat(np.arange(arms), sizes)
    t = rng.uniform(0.1, 1.0, n)  # start a little off the centre, where the arms would touch
    angle = 2 * np.pi * (turns * t + y / arms)
    X = 1.5 * t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _finish("spiral", X, y, noise, rng)


DATASETS: dict[str, Callable[..., Dataset]] = {
    "moons": two_moons,
    "circles": circles,
    "xor": xor,
    "spiral": spiral,
}


def standardize(data) -> Dataset:
    """The same points shifted and scaled to mean 0 and standard deviation 1 in each column.

    A network's initial weights expect inputs of about unit size; bill lengths of
    40 mm would saturate every tanh neuron from the first step.
    """
    if not isinstance(data, Dataset) and not (hasattr(data, "X") and hasattr(data, "y") and hasattr(data, "name")):
        raise CalcvizError(f"data must be a data set with X, y and a name, got {show(data)}")
    X = require_numeric("points X", data.X)
    if X.ndim != 2 or len(X) < 2:
        raise CalcvizError(f"standardising needs at least 2 points in rows, got X of shape {X.shape}")
    offset, scale = X.mean(axis=0), X.std(axis=0)
    if np.any(scale == 0):
        raise CalcvizError(f"cannot standardise {data.name!r}: a column has the same value everywhere")
    return Dataset((X - offset) / scale, data.y, f"{data.name} (standardised)", offset=offset, scale=scale)


def make_dataset(name: str, n: int = 200, noise: float = 0.1, rng=None) -> Dataset:
    """The named data set ("moons", "circles", "xor", "spiral") with ``n`` points."""
    generate = DATASETS[require_choice("data set", name, DATASETS)]
    n, noise, _ = _settings(n, noise, None)
    return generate(n, noise, rng)
