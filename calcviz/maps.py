"""Nonlinear maps of the plane, and how they look linear up close (the Jacobian).

Zoom in on a smooth map F and it acts like its Jacobian J: a tiny square around p
goes to (almost) the parallelogram J·square, whose area is |det J| times the square's.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import numdiff
from .errors import CalcvizError, require_array, require_number, require_numeric, require_positive, require_whole


def warp(p, a: float) -> np.ndarray:
    """F(x, y) = (x + a·sin y, y + a·sin x), for points p[..., :] = (x, y)."""
    p, a = _points(p), require_number("warp strength a", a)
    x, y = p[..., 0], p[..., 1]
    return np.stack([x + a * np.sin(y), y + a * np.sin(x)], axis=-1)


def warp_jacobian(p, a: float) -> np.ndarray:
    """The exact Jacobian of :func:`warp`: [[1, a·cos y], [a·cos x, 1]]."""
    x, y = require_array("point p", p, shape=(2,))
    a = require_number("warp strength a", a)
    return np.array([[1.0, a * np.cos(y)], [a * np.cos(x), 1.0]])


def _points(p) -> np.ndarray:
    p = require_numeric("point p", p)
    if p.shape[-1:] != (2,):
        raise CalcvizError(f"points must have 2 coordinates (x, y) along the last axis, got shape {p.shape}")
    return p


def square_outline(center, h: float, n: int = 40) -> np.ndarray:
    """Points around the square of side h centred at ``center``, counter-clockwise, n per side."""
    cx, cy = require_array("centre", center, shape=(2,))
    h, n = require_positive("side h", h), require_whole("points per side n", n, 1)
    if n > 1_000_000:
        raise CalcvizError(f"over a million points per side is more than any outline needs, got {n}")
    t = np.linspace(-h / 2, h / 2, n, endpoint=False)
    sides = [np.column_stack([t, np.full(n, -h / 2)]), np.column_stack([np.full(n, h / 2), t]),
             np.column_stack([-t, np.full(n, h / 2)]), np.column_stack([np.full(n, -h / 2), -t])]
    return np.concatenate(sides) + np.array([cx, cy])


def polygon_area(points) -> float:
    """Area inside a closed polyline (shoelace formula), positive when counter-clockwise."""
    points = require_array("points", points, min_size=0)
    if points.ndim != 2 or points.shape[1] != 2:
        raise CalcvizError(f"points must be a (k, 2) array of (x, y), got shape {points.shape}")
    x, y = points.T
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def warped_area_ratio(p, h: float, a: float) -> float:
    """area(F(square of side h around p)) / h², from a finely sampled outline of the warped square."""
    h = require_positive("side h", h)
    if not h * h > 0:
        raise CalcvizError(f"side h = {h:g} is too small: h² underflows to 0")
    return polygon_area(warp(square_outline(p, h, 200), a)) / h**2


@dataclass(frozen=True)
class LocalLinearity:
    """How the warp acts near p: its Jacobian (numeric and exact), det J, and area ratios of shrinking squares."""

    jacobian: np.ndarray        # by central differences (calcviz.numdiff.jacobian)
    exact: np.ndarray           # from the formula
    det: float                  # det J: the local area scale
    sizes: np.ndarray           # side h of each square around p
    area_ratios: np.ndarray     # area(F(square)) / h², → det J as h → 0

    @property
    def disagreement(self) -> float:
        return float(np.max(np.abs(self.jacobian - self.exact)))


def local_linearity(p, a: float, sizes) -> LocalLinearity:
    """The warp's Jacobian at p and the area ratios of squares of side ``sizes`` around p."""
    p, a = require_array("point p", p, shape=(2,)), require_number("warp strength a", a)
    sizes = np.atleast_1d(require_array("square sizes", sizes, min_size=0))
    if sizes.ndim != 1 or sizes.size == 0 or np.any(sizes <= 0):
        raise CalcvizError("square sizes must be a non-empty list of positive numbers")
    J = numdiff.jacobian(lambda q: warp(q, a), p)
    ratios = np.array([warped_area_ratio(p, h, a) for h in sizes])
    return LocalLinearity(J, warp_jacobian(p, a), float(np.linalg.det(J)), sizes, ratios)
