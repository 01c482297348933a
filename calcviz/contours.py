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

from .errors import CalcvizError, require_array, require_choice, require_numeric, require_positive, require_whole, show
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

    def __post_init__(self):
        levels = require_array("contour levels", self.levels, ndim=1, min_size=0)
        lines = self.lines
        if not isinstance(lines, (tuple, list)) or len(lines) != len(levels) \
                or not all(isinstance(pieces, (tuple, list)) for pieces in lines):
            raise CalcvizError(f"lines must hold one tuple of pieces per level ({len(levels)}), got {show(lines)}")
        lines = tuple(tuple(_piece(p) for p in pieces) for pieces in lines)
        object.__setattr__(self, "levels", frozen_array(levels))
        object.__setattr__(self, "lines", lines)

    def __len__(self) -> int:
        return len(self.levels)

    def __iter__(self):
        """(level, pieces) pairs, lowest level first."""
        return iter(zip(self.levels.tolist(), self.lines))

    @staticmethod
    def is_closed(piece: np.ndarray) -> bool:
        piece = _piece(piece)
        return len(piece) > 2 and bool(np.allclose(piece[0], piece[-1]))


def _piece(piece) -> np.ndarray:
    """One piece of a contour: a (k, 2) array of finite points, read-only."""
    piece = require_array("a contour piece", piece, min_size=0)
    if piece.ndim != 2 or piece.shape[1] != 2:
        raise CalcvizError(f"a contour piece must be a (k, 2) array of points, got shape {piece.shape}")
    return piece if not piece.flags.writeable else frozen_array(piece)


# --- where to draw the lines ------------------------------------------------------------
def pick_levels(z, count: int = 12, spacing: str = "quantile", decades: float = 4.0) -> np.ndarray:
    """``count`` increasing contour levels strictly inside the range of the finite values of z.

    "quantile": equal numbers of grid points between consecutive levels (good default);
    "linear": evenly spaced heights; "log": heights min + Δ with Δ geometrically spaced
    over ``decades`` decades, so a deep narrow valley (Rosenbrock) gets lines near its floor.
    """
    require_choice("level spacing", spacing, SPACINGS)
    count = require_whole("number of contour levels", count, 1)
    if count > 10_000:
        raise CalcvizError(f"{count} contour levels are more than any map can show (at most 10000)")
    decades = require_positive("decades", decades)
    values = require_numeric("values z", z)
    values = values[np.isfinite(values)]
    if values.size == 0 or values.min() == values.max():
        raise CalcvizError("cannot pick contour levels: the values are constant or not finite")
    lo, hi = float(values.min()), float(values.max())
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
    z = np.ma.masked_invalid(require_numeric("values z", z))
    if z.ndim != 2 or min(z.shape) < 2:
        raise CalcvizError(f"contours need a 2-D grid of at least 2×2 values, got shape {z.shape}")
    x, y = require_array("x", x), require_array("y", y)
    ny, nx = z.shape
    if not ((x.shape == (nx,) and y.shape == (ny,)) or (x.shape == z.shape and y.shape == z.shape)):
        raise CalcvizError(f"x and y must be axes of lengths {nx} and {ny}, or grids of shape {z.shape}; "
                           f"got shapes {x.shape} and {y.shape}")
    levels = np.atleast_1d(require_array("contour levels", levels))
    if levels.ndim != 1 or np.any(np.diff(levels) <= 0):
        raise CalcvizError(f"contour levels must be strictly increasing, got {show(levels.tolist())}")
    tracer = contour_generator(x, y, z, line_type=LineType.Separate)
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
        levels = pick_levels(Z, count, land.level_spacing if spacing is None else spacing)
    return contour_lines(X, Y, Z, levels)
