"""One result shape for every iterative solver: the whole history, frozen.

Gradient descent and its cousins, Newton, Gauss–Newton, Levenberg–Marquardt and
network training all return a :class:`Trajectory`. Field names follow
``scipy.optimize.OptimizeResult`` (``x``, ``fun``, ``nit``, ``nfev``, ``success``,
``status``, ``message``); unlike scipy's result it keeps every iterate, so a scene
can replay the run with :meth:`Trajectory.at`.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np


class Status(enum.Enum):
    """How a run ended."""

    CONVERGED = "converged"
    MAX_STEPS = "hit the step limit"
    DIVERGED = "diverged"
    NONFINITE = "hit a non-finite value"

    def __repr__(self) -> str:
        return self.name


def frozen_array(values, dtype=float) -> np.ndarray:
    """A read-only copy, so a recorded history cannot change under a scene's feet."""
    arr = np.array(values, dtype=dtype, copy=True)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, repr=False)
class Trajectory:
    """The iterates of one run, ``points[k]`` being the point after ``k`` steps.

    ``values[k] = f(points[k])``, ``gradients[k] = ∇f(points[k])`` and
    ``step_sizes[k]`` is the learning rate (or damping, or line-search step) used to
    go from ``points[k]`` to ``points[k+1]`` (so it has one entry fewer).
    Only finite iterates are kept: a run that diverged or produced NaN is truncated at
    its last finite point and says so in ``status``, ``message`` and ``stopped_at``.
    """

    method: str
    points: np.ndarray
    values: np.ndarray
    gradients: np.ndarray
    step_sizes: np.ndarray
    status: Status
    message: str
    nfev: int = 0
    hyperparams: dict[str, Any] = field(default_factory=dict)
    stopped_at: int | None = None  # step at which divergence / non-finite value appeared
    extras: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self):
        for name in ("points", "values", "gradients", "step_sizes"):
            object.__setattr__(self, name, frozen_array(getattr(self, name)))
        object.__setattr__(self, "extras", {k: frozen_array(v) for k, v in self.extras.items()})
        if len(self.points) == 0:
            raise ValueError("a trajectory needs at least its starting point")
        if len(self.values) != len(self.points) or len(self.gradients) != len(self.points):
            raise ValueError("points, values and gradients must have one entry per iterate")
        if len(self.step_sizes) != len(self.points) - 1:
            raise ValueError("step_sizes must have one entry per step (len(points) - 1)")

    # scipy's names -------------------------------------------------------------
    @property
    def x(self) -> np.ndarray:
        """The last (finite) iterate."""
        return self.points[-1]

    @property
    def fun(self) -> float:
        return float(self.values[-1])

    @property
    def jac(self) -> np.ndarray:
        return self.gradients[-1]

    @property
    def slope(self) -> float:
        """|∇f| at the last iterate: how steep the ground still is where the run stopped."""
        return float(np.linalg.norm(self.jac))

    @property
    def nit(self) -> int:
        """Number of steps taken (and kept)."""
        return len(self.points) - 1

    @property
    def success(self) -> bool:
        return self.status is Status.CONVERGED

    @property
    def diverged(self) -> bool:
        return self.status in (Status.DIVERGED, Status.NONFINITE)

    @property
    def reversals(self) -> float:
        """Share of consecutive steps that turn back (negative dot product): zig-zagging."""
        steps = np.diff(self.points, axis=0)
        if len(steps) < 2:
            return 0.0
        return float(np.mean(np.sum(steps[1:] * steps[:-1], axis=1) < 0))

    # replay ----------------------------------------------------------------------
    def at(self, t: float) -> np.ndarray:
        """The point at fractional step ``t`` ∈ [0, nit], linear between iterates."""
        t = float(np.clip(t, 0, self.nit))
        k = min(int(np.floor(t)), max(self.nit - 1, 0))
        if self.nit == 0:
            return self.points[0].copy()
        frac = t - k
        return (1 - frac) * self.points[k] + frac * self.points[k + 1]

    def value_at(self, t: float) -> float:
        """``values`` interpolated like :meth:`at` (for a readout that moves smoothly)."""
        t = float(np.clip(t, 0, self.nit))
        return float(np.interp(t, np.arange(self.nit + 1), self.values))

    def __repr__(self) -> str:
        x = np.array2string(np.asarray(self.x), precision=4, separator=", ")
        return (
            f"Trajectory(method={self.method!r}, status={self.status.name}, nit={self.nit}, "
            f"fun={self.fun:.3g}, x={x})"
        )
