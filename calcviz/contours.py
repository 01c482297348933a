"""Contour lines: the curves f(x, y) = c, the map a hiker would carry.

The tracing itself is done by ``contourpy`` (the library matplotlib uses); this
module chooses the levels and hands back plain arrays of points, one polyline per
piece of each contour, for a scene to draw.

>>> from calcviz.landscapes import landscape
>>> maps = landscape_contours(landscape("bowl"), levels=[0.5, 2.0])
>>> [len(pieces) for pieces in maps.lines]  # one closed ellipse per level
[1, 1]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from contourpy import LineType, contour_generator

from .errors import CalcvizError, require_choice, require_finite
from .landscapes import Landscape, landscape
from .result import frozen_array

SPACINGS = ("quantile", "log", "linear")


@dataclass(frozen=True, eq=False)
class Contours:
    """``lines[i]`` holds the pieces of the contour f = ``levels[i]``, each an (k, 2) array of (x, y).

    A piece is closed when its first point equals its last; a contour cut by the
    edge of the grid comes in open pieces.
    """

    levels: np.ndarray
    lines: tuple[tuple[np.ndarray, ...], ...]

    def __len__(self) -> int:
        return len(self.levels)

    def __iter__(self):
        """(level, pieces) pairs, lowest level first."""
        return iter(zip(self.levels.tolist(), self.lines))

    @staticmethod
    def is_closed(piece: np.ndarray) -> bool:
        return len(piece) > 2 and bool(np.allclose(piece[0], piece[-1]))


# --- where to draw the lines ------------------------------------------------------------
def pick_levels(z, count: int = 12, spacing: str = "quantile", decades: float = 4.0) -> np.ndarray:
    """``count`` increasing contour levels strictly inside the range of the finite values of z.

    "quantile": equal numbers of grid points between consecutive levels (good default);
    "linear": evenly spaced heights; "log": heights min + Δ with Δ geometrically spaced
    over ``decades`` decades, so a deep narrow valley (Rosenbrock) gets lines near its floor.
    """
    require_choice("level spacing", spacing, SPACINGS)
    if int(count) < 1:
        raise CalcvizError(f"need at least one contour level, got {count!r}")
    values = np.asarray(z, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0 or values.min() == values.max():
        raise CalcvizError("cannot pick contour levels: the values are constant or not finite")
    lo, hi = float(values.min()), float(values.max())
    count = int(count)
    if spacing == "linear":
        return np.linspace(lo, hi, count + 2)[1:-1]
    if spacing == "log":
        span = hi - lo
        return lo + np.geomspace(span * 10.0**-decades, span, count + 1)[:-1]
    # quantiles of a grid with flat patches can repeat: keep each level once
    return np.unique(np.quantile(values, np.linspace(0, 1, count + 2)[1:-1]))


# --- tracing -------------------------------------------------------------------------------
def _without_repeats(piece: np.ndarray) -> np.ndarray:
    # contourpy repeats a vertex where a line passes exactly through a grid node;
    # zero-length segments upset curve smoothing in a scene, so drop them.
    keep = np.ones(len(piece), dtype=bool)
    keep[1:] = np.any(np.diff(piece, axis=0) != 0, axis=1)
    return frozen_array(piece[keep])


def contour_lines(x, y, z, levels) -> Contours:
    """Trace f = c for each c in ``levels`` on the grid z[i, j] = f(x[j], y[i]).

    ``x`` and ``y`` may be 1-D axes or 2-D meshgrids; NaN or inf entries in z are
    left out (no line is drawn through them).
    """
    z = np.ma.masked_invalid(np.asarray(z, dtype=float))
    if z.ndim != 2 or min(z.shape) < 2:
        raise CalcvizError(f"contours need a 2-D grid of at least 2×2 values, got shape {z.shape}")
    levels = np.atleast_1d(np.asarray(require_finite("contour levels", levels), dtype=float))
    if levels.ndim != 1 or np.any(np.diff(levels) <= 0):
        raise CalcvizError(f"contour levels must be strictly increasing, got {levels.tolist()}")
    tracer = contour_generator(np.asarray(x, dtype=float), np.asarray(y, dtype=float), z,
                               line_type=LineType.Separate)
    lines = tuple(tuple(_without_repeats(piece) for piece in tracer.lines(c)) for c in levels)
    return Contours(frozen_array(levels), lines)


def landscape_contours(land: Landscape | str, levels=None, *, count: int = 12, n: int = 201,
                       spacing: str | None = None, domain=None) -> Contours:
    """Contours of a landscape over its domain on an n×n grid.

    Without ``levels``, ``count`` levels are picked with the landscape's own
    ``level_spacing`` (or ``spacing`` if given).
    """
    land = landscape(land)
    X, Y, Z = land.on_grid(n, domain)
    if levels is None:
        levels = pick_levels(Z, count, spacing or land.level_spacing)
    return contour_lines(X, Y, Z, levels)
