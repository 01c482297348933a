"""Explorers: the tables behind the course page's two playable explorers.

The page's JavaScript does no mathematics: it looks up what this module computed, at the
time the site is built, and draws it. Every number it shows is one of these.

**The sandpit** (after the Imperial course's ungraded lab): a landscape f(x, y) hidden under
sand. A probe at a point shows the depth there, f at the nearest node of an n×n grid over the
landscape's domain,

    x_j = x₀ + j·(x₁ − x₀)/(n − 1),  y_i = y₀ + i·(y₁ − y₀)/(n − 1),  depth[i, j] = f(x_j, y_i),

and after N probes the map is revealed with the path gradient descent,
x_{k+1} = x_k − η·∇f(x_k), would have walked from the first probe. The first probe may be any
node, so the run from *every* node is here: ``runs[i * n + j]`` is
``minimize(land, method, (x_j, y_i), steps=steps, tol=tol, **hyperparams)``. The map itself is
the contours the core traced (:func:`~calcviz.contours.landscape_contours`) and a height image
of bands: ``bands[i, j]`` is the number of contour levels at or below ``depth[i, j]``, the
colour band that node falls in.

>>> pit = sandpit("bowl", probes=3, n=5, lr=0.1)
>>> float(pit.depth[2, 2]), pit.node(2, 2).tolist()  # the centre node is the bottom of the bowl
(0.0, [0.0, 0.0])
>>> pit.run_from(0, 4)  # from the node (x₄, y₀) = (3, −2)
Trajectory(method='gradient_descent', status=CONVERGED, nit=76, ...)

**How big a step?**: gradient descent on one valley from one start, for each learning rate η
of a list: the trajectory and status :func:`~calcviz.optimizers.minimize` produced, in words
(:func:`verdict`: converged in k steps, zig-zags, nearly converged or still crawling with n steps
to go, diverging at ×r a step, diverged after k steps), on the contour map the core traced.

>>> sizes = step_sizes("bowl", [0.1, 0.25], start=(-2.5, 1.0), steps=150)
>>> [verdict(run)[1] for run in sizes.runs]
['converged in 140 steps', 'diverged after 32 steps: step 33 went off the scale']

Both give their page data with ``to_json()``: plain dicts of lists and numbers, path
coordinates rounded to ``digits`` decimals (1e-4 of a unit by default, far below a pixel);
depths, values and step counts exactly as the core computed them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .contours import Contours, landscape_contours
from .errors import CalcvizError, require_array, require_choice, require_whole
from .landscapes import Landscape, as_point, landscape
from .optimizers import METHODS, minimize
from .result import N_, Status, Trajectory, frozen_array

ZIGZAG = 0.5  # a run zig-zags when more than half its consecutive steps turn back (Trajectory.reversals)


# What a learner reads about a run: messages marked for the translators, filled with the run's numbers.
# Every count is the run's own ``nit``, the steps it kept (the page's step column, a scene's counter);
# a run cut short names the step that went wrong as the next one.
VERDICTS = {
    "diverged 1": N_("diverged after 1 step: step {next} went off the scale"),
    "diverged": N_("diverged after {k} steps: step {next} went off the scale"),
    "out of bounds 1": N_("stopped after 1 step: step {next} left the sane range"),
    "out of bounds": N_("stopped after {k} steps: step {next} left the sane range"),
    "broke down 1": N_("stopped after 1 step: the arithmetic broke down at step {next}"),
    "broke down": N_("stopped after {k} steps: the arithmetic broke down at step {next}"),
    "diverging": N_("diverging: f grows about ×{r} a step, still climbing after {k} steps"),
    "zig-zag converged": N_("zig-zags across the valley, converged in {k} steps"),
    "converged 1": N_("converged in 1 step"),
    "converged": N_("converged in {k} steps"),
    "zig-zag nearly": N_("zig-zags across the valley, nearly converged after {k} steps: at this pace about {more} "
                          "more would do it"),
    "zig-zag settling": N_("zig-zags across the valley, still settling after {k} steps: at this pace about {more} "
                            "more to go"),
    "zig-zag bouncing": N_("zig-zags without settling: still bouncing after {k} steps"),
    "nearly": N_("nearly converged after {k} steps: at this pace about {more} more would do it"),
    "crawls": N_("still crawling after {k} steps: at this pace about {more} more to go"),
    "moving 1": N_("stopped by the step limit after 1 step, still moving"),
    "moving": N_("stopped by the step limit after {k} steps, still moving"),
    "saddle 1": N_("stopped at a saddle after 1 step, not a valley"),
    "saddle": N_("stopped at a saddle after {k} steps, not a valley"),
    "hilltop 1": N_("stopped at a hilltop after 1 step, not a valley"),
    "hilltop": N_("stopped at a hilltop after {k} steps, not a valley"),
    "flat spot 1": N_("stopped at a flat spot after 1 step, not a valley"),
    "flat spot": N_("stopped at a flat spot after {k} steps, not a valley"),
}
_CUT_SHORT = {Status.DIVERGED: "diverged", Status.OUT_OF_BOUNDS: "out of bounds", Status.NONFINITE: "broke down"}


def _factor(r: float) -> float:
    """A growth factor as a learner reads it: 1 + (r − 1) to two significant figures (1.1025 → 1.1,
    1.0201 → 1.02), so a slow growth never shows as "×1.0"."""
    rise = r - 1
    return float(1 + float(f"{rise:.2g}")) if rise > 0 else float(r)


def verdict_message(run: Trajectory) -> tuple[str, str, dict]:
    """How a descent went, as (regime, message, values): the message is one of :data:`VERDICTS`, to be
    filled with ``values`` (a page gives it in its own language). See :func:`verdict`."""
    if not isinstance(run, Trajectory):
        raise CalcvizError(f"verdict needs a Trajectory from minimize or run, got {type(run).__name__}")
    k, zigzag = run.nit, run.reversals > ZIGZAG

    def said(key, **values):
        return VERDICTS[f"{key} 1" if k == 1 and f"{key} 1" in VERDICTS else key], {"k": k, **values}

    if run.status in _CUT_SHORT:
        return "diverged", *said(_CUT_SHORT[run.status], next=run.stopped_at)
    if run.status is Status.DIVERGING:
        return "diverged", *said("diverging", r=_factor(run.growth))
    if run.status is Status.CONVERGED:
        if zigzag:
            return "zig-zags", *said("zig-zag converged")
        return "converged", *said("converged")
    if run.status is Status.MAX_STEPS:
        if run.to_go is None:
            return ("zig-zags", *said("zig-zag bouncing")) if zigzag else ("crawls", *said("moving"))
        close = run.to_go <= k  # fewer steps to go than it took: more than half way, at its pace
        if zigzag:
            return "zig-zags", *said("zig-zag nearly" if close else "zig-zag settling", more=run.to_go)
        return "crawls", *said("nearly" if close else "crawls", more=run.to_go)
    where = {"saddle": "saddle", "maximum": "hilltop"}.get(run.point_kind, "flat spot")
    return "stationary", *said(where)


def verdict(run: Trajectory) -> tuple[str, str]:
    """How a descent went, as (regime, words) for a learner. The regime is one of the lesson's four
    ("crawls", "converged", "zig-zags", "diverged") or "stationary"; the words are precise:

    - "diverged after k steps: step k + 1 went off the scale": DIVERGED (OUT_OF_BOUNDS and NONFINITE
      say so in their own words; all three are the regime "diverged");
    - "diverging: f grows about ×r a step, still climbing after k steps": DIVERGING, f still growing
      at the step limit (regime "diverged" too: too large a step, whatever the limit);
    - "converged in k steps", or "zig-zags across the valley, converged in k steps" when more than
      half its consecutive steps turned back (``reversals`` > 0.5);
    - at the step limit (MAX_STEPS), with ``to_go`` = n more steps at its last, steady pace: "nearly
      converged after k steps: at this pace about n more would do it" (n ≤ k) or "still crawling after
      k steps: at this pace about n more to go"; zig-zagging, "… nearly converged …" or "… still
      settling …"; with no steady pace, "zig-zags without settling: still bouncing after k steps" or
      "stopped by the step limit after k steps, still moving";
    - "stopped at a saddle after k steps, not a valley": STATIONARY (regime "stationary").

    >>> verdict(minimize("bowl", "gradient_descent", (-2.5, 0.0), steps=150, lr=0.005))
    ('crawls', 'still crawling after 150 steps: at this pace about 2789 more to go')
    >>> verdict(minimize("bowl", "gradient_descent", (-2.5, 1.0), steps=150, lr=0.205))[1]
    'diverging: f grows about ×1.1 a step, still climbing after 150 steps'
    """
    regime, message, values = verdict_message(run)
    return regime, message.format(**values)


def _flat(points: np.ndarray, digits: int) -> list[float]:
    """(k, 2) points as [x₀, y₀, x₁, y₁, …], rounded: the compact form the page draws."""
    return np.round(np.asarray(points, dtype=float), digits).ravel().tolist()


def _contours_json(maps: Contours, digits: int) -> dict:
    return {"levels": maps.levels.tolist(),
            "lines": [[_flat(piece, digits) for piece in pieces if len(piece) > 1] for pieces in maps.lines]}


def _landscape_json(land: Landscape) -> dict:
    (x0, x1), (y0, y1) = land.domain
    return {"landscape": land.name, "tex": land.tex, "description": land.description,
            "domain": [[x0, x1], [y0, y1]],
            "minimum": {"point": land.global_minimum.tolist(), "value": land.min_value}}


def _on_map(points, domain) -> int:
    """How many of the first points lie inside ``domain`` ((x₀, x₁), (y₀, y₁)), up to the first that
    leaves it: the part of a run a map of the domain can show.

    >>> _on_map([(0, 0), (1, 1), (5, 0), (0, 0)], ((-2, 2), (-2, 2)))
    2
    """
    p = require_array("points", points, ndim=2)
    (x0, x1), (y0, y1) = domain
    inside = (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
    return int(np.argmin(inside)) if not inside.all() else len(p)


def _run_json(run: Trajectory, digits: int, domain) -> dict:
    regime, message, values = verdict_message(run)
    return {"status": run.status.name, "nit": run.nit, "stopped_at": run.stopped_at,
            "growth": run.growth, "to_go": run.to_go, "reversals": run.reversals,
            "regime": regime, "verdict": message.format(**values),
            "verdict_message": [message, values], "outcome": run.outcome,
            "value": run.fun, "end": run.x.tolist(), "on_map": _on_map(run.points, domain),
            "path": _flat(run.points, digits)}


# --- the sandpit ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Sandpit:
    """A landscape under sand: the depth at every node of an n×n grid, the descent from every node,
    and the map to reveal. ``depth[i, j] = f(x[j], y[i])``; ``runs[i * n + j]`` starts at
    (x[j], y[i]); ``bands[i, j]`` = #{levels ≤ depth[i, j]}. After ``probes`` probes the page
    reveals the map."""

    land: Landscape
    probes: int
    x: np.ndarray
    y: np.ndarray
    depth: np.ndarray
    bands: np.ndarray
    maps: Contours
    runs: tuple[Trajectory, ...]
    method: str
    hyperparams: dict = field(default_factory=dict)
    steps: int = 300
    tol: float = 1e-3

    @property
    def n(self) -> int:
        return len(self.x)

    def node(self, i: int, j: int) -> np.ndarray:
        """The grid node (x[j], y[i])."""
        return np.array([self.x[j], self.y[i]])

    def run_from(self, i: int, j: int) -> Trajectory:
        """The descent from node (x[j], y[i])."""
        return self.runs[i * self.n + j]

    def to_json(self, digits: int = 4) -> dict:
        """The page's table. ``runs`` is by column, one entry per node in row-major order (i·n + j):
        ``status`` and ``regime`` index into ``statuses`` and ``regimes``; ``path`` holds each run's
        points flat, [x₀, y₀, x₁, y₁, …]; ``deepest`` is 1 where the run ended in a valley as deep as
        the global minimum (:meth:`~calcviz.landscapes.Landscape.reached_deepest_valley`)."""
        statuses = sorted({r.status.name for r in self.runs})
        said = [verdict_message(r)[1:] for r in self.runs]
        filled = [message.format(**values) for message, values in said]
        words = sorted(set(filled))
        messages = {w: [message, values] for w, (message, values) in zip(filled, said)}
        return {
            "kind": "sandpit", **_landscape_json(self.land), "probes": self.probes,
            "x": self.x.tolist(), "y": self.y.tolist(), "depth": self.depth.tolist(),
            "bands": self.bands.tolist(), **_contours_json(self.maps, digits),
            "descent": {"method": self.method, **self.hyperparams, "steps": self.steps, "tol": self.tol},
            "runs": {"statuses": statuses, "verdicts": words, "verdict_messages": [messages[w] for w in words],
                     "status": [statuses.index(r.status.name) for r in self.runs],
                     "verdict": [words.index(w) for w in filled],
                     "nit": [r.nit for r in self.runs],
                     "value": [r.fun for r in self.runs],
                     "deepest": [int(self.land.reached_deepest_valley(r.x)) for r in self.runs],
                     "path": [_flat(r.points, digits) for r in self.runs]},
        }


def sandpit(land: Landscape | str, probes: int = 8, *, n: int = 41, method: str = "gradient_descent",
            steps: int = 300, tol: float = 1e-3, levels: int = 12, contour_grid: int = 161,
            **hyperparams) -> Sandpit:
    """The sandpit for ``land``: ``probes`` probes (≥ 1) on an n×n grid (3 ≤ n ≤ 101) before the
    reveal, the descent from every node by ``method`` with ``hyperparams`` (default gradient descent,
    lr = 0.5), and ``levels`` contour levels traced on a ``contour_grid``² grid."""
    land = landscape(land)
    probes = require_whole("number of probes", probes, 1)
    n = require_whole("grid points per side n", n, 3)
    if n > 101:
        raise CalcvizError(f"a sandpit of more than 101 points per side makes the page too heavy, got {n}")
    steps = require_whole("steps", steps, 1)
    method = require_choice("method", method, METHODS)
    hyperparams = {"lr": 0.5, **hyperparams} if method == "gradient_descent" else hyperparams
    X, Y, Z = land.on_grid(n)
    maps = landscape_contours(land, count=levels, n=contour_grid)
    bands = np.searchsorted(maps.levels, Z, side="right")
    runs = tuple(minimize(land, method, (X[i, j], Y[i, j]), steps=steps, tol=tol, **hyperparams)
                 for i in range(n) for j in range(n))
    return Sandpit(land, probes, frozen_array(X[0]), frozen_array(Y[:, 0]), frozen_array(Z),
                   frozen_array(bands, dtype=int), maps, runs, method, dict(hyperparams), steps, float(tol))


# --- how big a step? -------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class StepSizes:
    """Gradient descent on ``land`` from ``start`` at each learning rate: ``runs[k]`` is
    ``minimize(land, "gradient_descent", start, steps=steps, tol=tol, lr=rates[k])``."""

    land: Landscape
    start: np.ndarray
    rates: np.ndarray
    runs: tuple[Trajectory, ...]
    maps: Contours
    steps: int
    tol: float

    def to_json(self, digits: int = 4) -> dict:
        """The page's table: one entry per rate with its status, step count, the step it
        diverged at, its growth per step (DIVERGING) or steps to go (MAX_STEPS), its verdict in words,
        its path flat ([x₀, y₀, x₁, y₁, …]) and how many of its first points are on the map (``on_map``)."""
        return {"kind": "step_sizes", **_landscape_json(self.land), "start": self.start.tolist(),
                "method": "gradient_descent", "steps": self.steps, "tol": self.tol,
                **_contours_json(self.maps, digits),
                "runs": [{"lr": float(lr), **_run_json(run, digits, self.land.domain)}
                         for lr, run in zip(self.rates, self.runs)]}


def step_sizes(land: Landscape | str, rates, *, start=None, steps: int = 150, tol: float = 1e-6,
               levels: int = 9, contour_grid: int = 151) -> StepSizes:
    """Gradient descent on ``land`` from ``start`` (default: the landscape's own) for each learning
    rate in ``rates`` (positive, increasing), and the contour map to draw them on."""
    land = landscape(land)
    rates = require_array("learning rates", rates, ndim=1)
    if np.any(rates <= 0) or np.any(np.diff(rates) <= 0):
        raise CalcvizError(f"learning rates must be positive and increasing, got {rates.tolist()}")
    start = as_point(land.start if start is None else start, "start")
    steps = require_whole("steps", steps, 1)
    runs = tuple(minimize(land, "gradient_descent", start, steps=steps, tol=tol, lr=float(lr)) for lr in rates)
    maps = landscape_contours(land, count=levels, n=contour_grid)
    return StepSizes(land, frozen_array(start), frozen_array(rates), runs, maps, steps, float(tol))
