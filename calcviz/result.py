"""One result shape for every iterative solver: the whole history, frozen.

Gradient descent and its cousins, Newton, Gauss–Newton, Levenberg–Marquardt and
network training all return a :class:`Trajectory`. Field names follow
``scipy.optimize.OptimizeResult`` (``x``, ``fun``, ``nit``, ``nfev``, ``success``,
``status``, ``message``); unlike scipy's result it keeps every iterate, so a scene
can replay the run with :meth:`Trajectory.at`.

One rule for every status: CONVERGED means the run reached what it was asked for. For
a minimiser that is a point where the gradient is small *and* that is not a saddle or
a hilltop; a flat spot that is one ends STATIONARY instead. The
result carries the kind of point it stopped at (``point_kind``, from the Hessian where
one is known) and says it in plain words (``outcome``):

>>> outcome(Status.STATIONARY, "saddle")
'a flat spot, not a valley: a saddle'

A run that reaches its step limit says how it was going (:func:`growth`, :func:`shrink`): still
growing is DIVERGING, with the factor per step (``growth``), whatever the step limit; otherwise it is
MAX_STEPS, and when its gradient was shrinking steadily, about how many more steps would have
reached the tolerance (``to_go``, :func:`steps_to_go`).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import (CalcvizError, require_array, require_choice, require_instance, require_nonnegative, require_number,
                     require_positive, require_text, require_whole, show)


class Status(enum.Enum):
    """How a run ended."""

    CONVERGED = "converged"  # reached what was asked: for a minimiser, a flat spot that curves up every way
    STATIONARY = "stopped at a flat spot that is not a minimum"  # a saddle, a hilltop, a plateau
    MAX_STEPS = "hit the step limit"
    DIVERGING = "still growing at the step limit: diverging"  # the value kept growing, but within the limits
    DIVERGED = "diverged"
    OUT_OF_BOUNDS = "left the sane range of its parameters"  # e.g. a width ≤ 0, a mean far outside the data
    NONFINITE = "hit a non-finite value"

    def __repr__(self) -> str:
        return self.name

    @classmethod
    def _missing_(cls, value):
        raise CalcvizError(f"unknown status {show(value)}; known: {', '.join(s.value for s in cls)}")


# --- what kind of point a run stopped at ---------------------------------------------------------
POINT_KINDS = ("minimum", "maximum", "saddle", "flat")


def point_kind(hessian, rtol: float = 1e-9) -> str:
    """"minimum" if H is positive definite, "maximum" if negative definite, "flat" if it is
    singular and curves down nowhere, else "saddle" (it curves down some way but not every way).

    Only "minimum" is surely a valley floor; a "flat" point may be one (x⁴) or not (x³), and
    a "saddle" with a zero eigenvalue may be a degenerate hilltop — but it is no minimum.

    The eigenvalues are those of D H D, D = diag(1/√|Hᵢᵢ|): the signs are H's own (Sylvester's
    law of inertia), but "zero" (|λ| ≤ ``rtol`` × the largest) no longer depends on the units
    of each coordinate.

    >>> point_kind([[2.0, 0.0], [0.0, -3.0]]), point_kind([[1.0, 0.0], [0.0, 0.0]])
    ('saddle', 'flat')
    """
    H = np.asarray(hessian, dtype=float) if _is_numeric(hessian) else None
    if H is None or H.ndim != 2 or H.shape[0] != H.shape[1] or H.size == 0:
        raise CalcvizError(f"a Hessian must be a square matrix of numbers, got {show(hessian)}")
    if not np.all(np.isfinite(H)):
        raise CalcvizError("the Hessian is not finite: the kind of point is unknown")
    rtol = require_number("relative tolerance rtol", rtol)
    if not 0 <= rtol < 1:
        raise CalcvizError(f"relative tolerance rtol must be in [0, 1), got {rtol!r}")
    d = np.abs(np.diag(H))
    scale = 1 / np.sqrt(np.where(d > 0, d, 1.0))
    eig = np.linalg.eigvalsh(0.5 * (H + H.T) * np.outer(scale, scale))
    tiny = rtol * max(float(np.max(np.abs(eig))), 1e-300)
    down, up = bool(np.any(eig < -tiny)), bool(np.any(eig > tiny))
    if up and down:
        return "saddle"
    if np.all(eig > tiny):
        return "minimum"
    if np.all(eig < -tiny):
        return "maximum"
    return "saddle" if down else "flat"


def _is_numeric(value) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (TypeError, ValueError):
        return False


def N_(message: str) -> str:
    """Marks a phrase for the translators (scenes show it as ``t(run.outcome)``); the core stays English."""
    return message


def outcome(status: Status, point_kind: str | None = None) -> str:
    """How a run ended, in a few plain words a scene can show.

    >>> outcome(Status.CONVERGED, "minimum"), outcome(Status.MAX_STEPS)
    ('a valley: the ground is flat and curves up every way', 'still walking when the steps ran out')
    """
    require_instance("status", status, Status)
    if point_kind is not None:
        require_choice("point kind", point_kind, POINT_KINDS)
    if status is Status.STATIONARY:
        return {None: N_("a flat spot, not a valley"),
                "minimum": N_("a flat spot, not a valley: a valley"),
                "maximum": N_("a flat spot, not a valley: a hilltop"),
                "saddle": N_("a flat spot, not a valley: a saddle"),
                "flat": N_("a flat spot, not a valley: a flat spot that curves neither up nor down")}[point_kind]
    if status is Status.CONVERGED:
        return {None: N_("converged"), "minimum": N_("a valley: the ground is flat and curves up every way"),
                "maximum": N_("a hilltop: flat, and curving down every way"),
                "saddle": N_("a saddle: flat, curving up one way and down another"),
                "flat": N_("a flat spot that curves neither up nor down")}[point_kind]
    return {Status.MAX_STEPS: N_("still walking when the steps ran out"),
            Status.DIVERGING: N_("running away: the numbers grow with every step"),
            Status.DIVERGED: N_("ran away: the numbers grew without bound"),
            Status.OUT_OF_BOUNDS: N_("ran away: a parameter left its sane range"),
            Status.NONFINITE: N_("the arithmetic broke down (NaN)")}[status]


# --- how a run was going when the steps ran out ----------------------------------------------------
BLOCKS = 4  # the last half of a run, cut into this many blocks, tells its pace
STEADY = 0.9  # a pace is steady when each block's change (in log) is at least this share of the largest


def _blocks(sizes: np.ndarray) -> tuple[np.ndarray, int] | None:
    """The largest entry of each of the last four blocks of m = len // 8 entries (the last half of the
    run), and m; None when the run is too short (fewer than 8 entries) to tell a pace."""
    m = len(sizes) // (2 * BLOCKS)
    if m == 0:
        return None
    return sizes[len(sizes) - BLOCKS * m:].reshape(BLOCKS, m).max(axis=1), m


def growth(values) -> float | None:
    """How fast ``values`` were still growing at the end: the factor per step, or None if they were not.

    The last half of the run is cut into four blocks of m steps, and M₁ … M₄ are the highest values in
    them. The values keep growing when they end above where they started and each block rises above
    the one before by more than that one rose, at a steady pace: 0 < M₂ − M₁ < M₃ − M₂ < M₄ − M₃, with
    the two ratios of successive rises within :data:`STEADY` of each other (in log). Values creeping
    up to a ceiling rise less each time; values that bounce about rise and fall. The factor is
    ((M₄ − M₃)/(M₂ − M₁))^(1/2m): for f = f* + A·rᵏ it is r, whatever the floor f*. On a quadratic,
    gradient descent multiplies each eigen-direction by 1 − ηλ every step, so f − f* grows by
    (1 − ηλ)² along the steepest one once |1 − ηλ| > 1:

    >>> round(growth([5 * 1.1025**k for k in range(40)]), 6)
    1.1025
    >>> growth([5, 4, 5, 4, 5, 4, 5, 4, 5]) is None
    True
    """
    values = require_array("values", values, ndim=1, min_size=0)
    found = _blocks(values)
    if found is None or not values[-1] > values[0]:
        return None
    (m1, m2, m3, m4), m = found
    if not 0 < m2 - m1 < m3 - m2 < m4 - m3:
        return None
    speedups = np.log([(m3 - m2) / (m2 - m1), (m4 - m3) / (m3 - m2)])
    if speedups.min() < STEADY * speedups.max():
        return None
    return float(((m4 - m3) / (m2 - m1)) ** (1 / (2 * m)))


def shrink(sizes) -> float | None:
    """How fast positive ``sizes`` (|∇f| of each iterate) were still shrinking at the end: the factor per
    step, or None if they were not shrinking at a steady pace.

    With the same four blocks as :func:`growth` and G₁ … G₄ the largest size in each, the sizes shrink
    when G₁ > G₂ > G₃ > G₄ > 0, and at a steady pace when each block's fall, ln(Gᵢ/Gᵢ₊₁), is within
    :data:`STEADY` of the largest (a pace that changes across the last half is no pace to go on). The
    factor is (G₄/G₁)^(1/3m). On a quadratic it is max |1 − ηλ| over the eigen-directions λ still
    present: the slowest one sets the pace.

    >>> round(shrink([2.5 * 0.95**k for k in range(40)]), 6)
    0.95
    >>> shrink([2.5 * 0.95**(k * k / 40) for k in range(40)]) is None  # speeding up: no steady pace
    True
    """
    found = _blocks(require_array("sizes", sizes, ndim=1, min_size=0))
    if found is None:
        return None
    (g1, g2, g3, g4), m = found
    if not g1 > g2 > g3 > g4 > 0:
        return None
    falls = np.log([g1 / g2, g2 / g3, g3 / g4])
    if falls.min() < STEADY * falls.max():
        return None
    return float((g4 / g1) ** (1 / (3 * m)))


def steps_to_go(size: float, factor: float, tol: float) -> int:
    """How many more steps, shrinking ``size`` by ``factor`` < 1 each, until it is ≤ ``tol`` (> 0).

    >>> steps_to_go(2.5 * 0.95**150, 0.95, 1e-6)  # 2.5·0.95ᵏ ≤ 1e-6 first at k = 288
    138
    """
    size, factor = require_nonnegative("size", size), require_number("factor", factor)
    tol = require_positive("tol", tol)
    if not 0 < factor < 1:
        raise CalcvizError(f"steps to go need a shrinking factor in (0, 1), got {factor!r}")
    if size <= tol:
        return 0
    return max(1, int(np.ceil(np.log(tol / size) / np.log(factor) - 1e-9)))


def rising(what: str, values, factor: float) -> str:
    """The message of a DIVERGING run: "diverging: f rose from 5 to 1.14e+07 in 150 steps and still grows
    ×1.1025 a step"."""
    what, factor = require_text("what", what), require_number("factor", factor)
    values = require_array("values", values, ndim=1)
    return (f"diverging: {what} rose from {values[0]:.3g} to {values[-1]:.3g} in {len(values) - 1} steps "
            f"and still grows ×{factor:.5g} a step")


def frozen_array(values, dtype=float) -> np.ndarray:
    """A read-only copy, so a recorded history cannot change under a scene's feet."""
    try:
        arr = np.array(values, dtype=dtype, copy=True)
    except (TypeError, ValueError):
        raise CalcvizError(f"cannot make an array of {np.dtype(dtype).name} from {show(values)}") from None
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
    A run that reached its step limit says how it was going: ``growth``, the factor per step
    by which its value was still growing (DIVERGING), or ``to_go``, about how many more steps
    at its last pace would have brought |∇f| down to the tolerance (MAX_STEPS).
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
    point_kind: str | None = None  # "minimum", "maximum", "saddle" or "flat" where it stopped; None if unknown
    growth: float | None = None  # DIVERGING: the value's (a root finder's |F|) factor per step at the end (> 1)
    to_go: int | None = None  # MAX_STEPS: about how many more steps would reach the tolerance; None if unknown

    def __post_init__(self):
        require_text("method", self.method)
        require_text("message", self.message)
        require_instance("status", self.status, Status)
        require_instance("hyperparams", self.hyperparams, dict)
        require_instance("extras", self.extras, dict)
        object.__setattr__(self, "nfev", require_whole("nfev", self.nfev))
        if self.stopped_at is not None:
            object.__setattr__(self, "stopped_at", require_whole("stopped_at", self.stopped_at))
        if self.point_kind is not None:
            require_choice("point kind", self.point_kind, POINT_KINDS)
        if self.growth is not None:
            growth_ = require_number("growth", self.growth)
            if not 1 < growth_ < np.inf:
                raise CalcvizError(f"growth is a factor per step above 1, got {growth_!r}")
            object.__setattr__(self, "growth", growth_)
        if self.to_go is not None:
            object.__setattr__(self, "to_go", require_whole("to_go", self.to_go, 1))
        for name in ("points", "values", "gradients", "step_sizes"):
            value = getattr(self, name)
            if not _is_numeric(value):
                raise CalcvizError(f"trajectory {name} must be numbers, got {show(value)}")
            object.__setattr__(self, name, frozen_array(value))
        object.__setattr__(self, "extras", {k: frozen_array(v) for k, v in self.extras.items()})
        if self.points.ndim == 0 or len(self.points) == 0:
            raise CalcvizError("a trajectory needs at least its starting point")
        if self.values.shape != (len(self.points),) or self.gradients.shape[:1] != (len(self.points),):
            raise CalcvizError("points, values and gradients must have one entry per iterate")
        if self.step_sizes.shape != (len(self.points) - 1,):
            raise CalcvizError("step_sizes must have one entry per step (len(points) - 1)")
        if not all(np.all(np.isfinite(getattr(self, n))) for n in ("points", "values", "gradients", "step_sizes")):
            raise CalcvizError("a trajectory keeps finite iterates only")

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
        """The run was cut short because its numbers ran away (DIVERGED, OUT_OF_BOUNDS, NONFINITE)."""
        return self.status in (Status.DIVERGED, Status.OUT_OF_BOUNDS, Status.NONFINITE)

    @property
    def outcome(self) -> str:
        """How the run ended in plain words, e.g. "a flat spot, not a valley: a saddle" (see :func:`outcome`)."""
        return outcome(self.status, self.point_kind)

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
        t = float(np.clip(require_number("step t", t), 0, self.nit))
        k = min(int(np.floor(t)), max(self.nit - 1, 0))
        if self.nit == 0:
            return self.points[0].copy()
        frac = t - k
        return (1 - frac) * self.points[k] + frac * self.points[k + 1]

    def value_at(self, t: float) -> float:
        """``values`` interpolated like :meth:`at` (for a readout that moves smoothly)."""
        t = float(np.clip(require_number("step t", t), 0, self.nit))
        return float(np.interp(t, np.arange(self.nit + 1), self.values))

    def __repr__(self) -> str:
        x = np.array2string(np.asarray(self.x), precision=4, separator=", ")
        return (
            f"Trajectory(method={self.method!r}, status={self.status.name}, nit={self.nit}, "
            f"fun={self.fun:.3g}, x={x}" + (f", point_kind={self.point_kind!r})" if self.point_kind else ")")
        )
