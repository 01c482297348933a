"""Nonlinear maps of the plane, and how they look linear up close (the Jacobian).

Zoom in on a smooth map F and it acts like its Jacobian J: a tiny square around p
goes to (almost) the parallelogram J·square, whose area is |det J| times the square's.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import numdiff
from .errors import CalcvizError, require_finite


def warp(p, a: float) -> np.ndarray:
    """F(x, y) = (x + a·sin y, y + a·sin x), for points p[..., :] = (x, y)."""
    p = np.asarray(p, dtype=float)
    x, y = p[..., 0], p[..., 1]
    return np.stack([x + a * np.sin(y), y + a * np.sin(x)], axis=-1)


def warp_jacobian(p, a: float) -> np.ndarray:
    """The exact Jacobian of :func:`warp`: [[1, a·cos y], [a·cos x, 1]]."""
    x, y = np.asarray(p, dtype=float)
    return np.array([[1.0, a * np.cos(y)], [a * np.cos(x), 1.0]])


def square_outline(center, h: float, n: int = 40) -> np.ndarray:
    """Points around the square of side h centred at ``center``, counter-clockwise, n per side."""
    cx, cy = center
    t = np.linspace(-h / 2, h / 2, n, endpoint=False)
    sides = [np.column_stack([t, np.full(n, -h / 2)]), np.column_stack([np.full(n, h / 2), t]),
             np.column_stack([-t, np.full(n, h / 2)]), np.column_stack([np.full(n, -h / 2), -t])]
    return np.concatenate(sides) + np.array([cx, cy])


def polygon_area(points) -> float:
    """Area inside a closed polyline (shoelace formula), positive when counter-clockwise."""
    x, y = np.asarray(points, dtype=float).T
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def warped_area_ratio(p, h: float, a: float) -> float:
    """area(F(square of side h around p)) / h², from a finely sampled outline of the warped square."""
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
    require_finite("point", p)
    require_finite("warp strength a", a)
    sizes = np.asarray(sizes, dtype=float)
    if sizes.size == 0 or np.any(sizes <= 0):
        raise CalcvizError("square sizes must be a non-empty list of positive numbers")
    J = numdiff.jacobian(lambda q: warp(q, a), np.asarray(p, dtype=float))
    ratios = np.array([warped_area_ratio(p, h, a) for h in sizes])
    return LocalLinearity(J, warp_jacobian(p, a), float(np.linalg.det(J)), sizes, ratios)
