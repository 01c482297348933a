"""The loss of a trained network, on a 2-D slice through its parameter space.

A network with hundreds of parameters has a loss C(θ) nobody can draw; a plane through
the trained parameters θ* can be drawn:

    C(θ* + α d₁ + β d₂)   over a grid of (α, β).

Li et al. (2018), "Visualizing the Loss Landscape of Neural Nets", propose two planes:

* :func:`random_slice` — two random Gaussian directions, *filter-normalised*: each
  neuron's row of a direction is rescaled to the norm of that neuron's weights, so a
  step of α = 1 changes every neuron by as much as its own weights (without this, the
  picture depends on the arbitrary scale of each layer).
* :func:`pca_slice` — the plane of the first two principal components of the training
  path θ₀, θ₁, … minus θ*, the plane in which training moved the most; the path is
  projected onto it.

>>> from calcviz.network import MLP, train
>>> from calcviz.toy_data import make_dataset
>>> history = train(MLP((2, 8, 1)), make_dataset("moons", 200, rng=0), steps=300, rng=0)
>>> surface = random_slice(history, span=1.0, n=41, rng=0)
>>> surface.losses.shape, float(surface.losses[20, 20]) == history.fun
((41, 41), True)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import (CalcvizError, require_array, require_choice, require_instance, require_positive, require_seed,
                     require_text, require_vector, require_whole)
from .network import MLP, Params, TrainingHistory, _examples, flatten, unflatten
from .result import frozen_array

BIAS_HANDLING = ("zero", "copy")


@dataclass(frozen=True, repr=False)
class LossSlice:
    """C on the plane θ* + α d₁ + β d₂: ``losses[j, i] = C(θ* + alphas[i] d₁ + betas[j] d₂)``.

    Rows run along β, as ``contour`` expects. ``path`` holds the (α, β) of the
    training path's snapshots projected onto the plane, ``path_offsets`` how far each
    snapshot lies off the plane, ``path_losses`` its true loss and ``path_plane_losses``
    the loss at its projection (the height at which to draw it on the surface).
    """

    kind: str  # "random" or "pca"
    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    center: np.ndarray  # θ*, flattened
    center_loss: float  # C(θ*)
    directions: np.ndarray  # rows d₁, d₂
    path: np.ndarray  # (snapshots, 2)
    path_offsets: np.ndarray  # ‖θₖ − θ* − (αₖ d₁ + βₖ d₂)‖
    path_losses: np.ndarray
    path_plane_losses: np.ndarray
    explained_variance: np.ndarray | None = None  # pca: share of the path's variance along d₁, d₂

    def __post_init__(self):
        for name in ("alphas", "betas", "losses", "center", "directions", "path", "path_offsets",
                     "path_losses", "path_plane_losses"):
            object.__setattr__(self, name, frozen_array(getattr(self, name)))
        if self.explained_variance is not None:
            object.__setattr__(self, "explained_variance", frozen_array(self.explained_variance))

    def __repr__(self) -> str:
        lo, hi = float(self.losses.min()), float(self.losses.max())
        return (
            f"LossSlice(kind={self.kind!r}, grid={self.losses.shape}, center_loss={self.center_loss:.3g}, "
            f"losses in [{lo:.3g}, {hi:.3g}], path points={len(self.path)})"
        )


# --- directions ------------------------------------------------------------------------
def filter_normalized_direction(network: MLP, params: Params, rng=None, bias: str = "zero") -> np.ndarray:
    """A random direction d (flattened like θ) with ‖dᵢ‖ = ‖Wᵢ‖ for every neuron's row i.

    For a dense layer a "filter" is one neuron's incoming weights, a row of W⁽ˡ⁾.
    Biases: ``bias="zero"`` leaves them out of the direction (d = 0 there, so every bias
    keeps its trained value), like the authors' code with ``ignore='biasbn'``, the
    setting of its example commands; ``bias="copy"`` uses d = b, what that code does
    with one-dimensional parameters otherwise.
    """
    require_choice("bias handling", bias, BIAS_HANDLING)
    params = require_instance("network", network, MLP)._check_params(params)
    rng = np.random.default_rng(require_seed("rng", rng))
    weights, biases = [], []
    for W, b in params.layers:
        d = rng.standard_normal(W.shape)
        row_norms = np.linalg.norm(d, axis=1, keepdims=True)
        weights.append(d / row_norms * np.linalg.norm(W, axis=1, keepdims=True))
        biases.append(np.zeros_like(b) if bias == "zero" else np.array(b))
    return flatten(Params(tuple(weights), tuple(biases)))


def pca_directions(path, center) -> tuple[np.ndarray, np.ndarray]:
    """The first two principal directions of the rows θₖ − θ*, and their share of the variance.

    As in Li et al.'s code (scikit-learn's PCA), the differences are centred on their
    mean before the SVD. Signs are fixed so the first point has coordinates ≥ 0.
    Every parameter takes part, biases included.
    """
    path = require_array("path", path, min_size=0)
    if path.ndim != 2 or len(path) < 3:
        raise CalcvizError(f"a principal-component plane needs a path of at least 3 points (rows), "
                           f"got shape {path.shape}")
    diffs = path - require_vector("centre θ*", center, size=path.shape[1])
    _, s, Vt = np.linalg.svd(diffs - diffs.mean(axis=0), full_matrices=False)
    if len(s) < 2 or s[1] <= 1e-12 * max(s[0], 1e-300):
        raise CalcvizError("the training path spans fewer than two directions; take more snapshots")
    directions = Vt[:2] * np.where(Vt[:2] @ diffs[0] < 0, -1.0, 1.0)[:, None]
    return directions, s[:2] ** 2 / np.sum(s**2)


# --- the loss over a plane ---------------------------------------------------------------
def plane_losses(network: MLP, center, directions, alphas, betas, X, y, *, budget: int = 2**17) -> np.ndarray:
    """C(θ* + αᵢ d₁ + βⱼ d₂) for every grid point, as a (len(betas), len(alphas)) array.

    Vectorised over grid points: a block of parameter vectors is unflattened into a
    stack of networks and pushed through one forward pass together. ``budget`` bounds
    the floats held per layer (block size × examples × neurons): blocks of about a
    megabyte stay in cache, which here is ~2× faster than one pass over the whole grid.
    """
    require_instance("network", network, MLP)
    center = require_vector("centre θ*", center, size=network.n_params)
    d1, d2 = require_array("directions", directions, shape=(2, network.n_params))
    alphas, betas = _ticks("alphas", alphas), _ticks("betas", betas)
    if alphas.size * betas.size > MAX_GRID:
        raise CalcvizError(f"a grid of {alphas.size} × {betas.size} points is over {MAX_GRID:,}")
    X, y = _examples(network, (X, y))
    budget = require_whole("budget", budget, 1)
    A, B = np.meshgrid(alphas, betas)  # row j is β = betas[j]
    thetas = center + A.ravel()[:, None] * d1 + B.ravel()[:, None] * d2
    Y = network.targets(y)
    block = max(1, budget // (len(X) * max(network.sizes)))
    losses = np.concatenate(
        [np.atleast_1d(network.loss_of(unflatten(network, thetas[i : i + block]), X, Y))
         for i in range(0, len(thetas), block)]
    )
    return losses.reshape(A.shape)


MAX_GRID = 1_000_000  # grid points on one slice


def _ticks(what: str, values) -> np.ndarray:
    """A non-empty 1-D list of finite coordinates along one direction of the plane."""
    return require_array(what, values, ndim=1)


def _project(path: np.ndarray, center: np.ndarray, directions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares (α, β) of each θₖ − θ* in the plane, and the distance left over."""
    diffs = path - center
    coords, *_ = np.linalg.lstsq(directions.T, diffs.T, rcond=None)
    coords = coords.T
    return coords, np.linalg.norm(diffs - coords @ directions, axis=1)


def slice_along(history: TrainingHistory, directions, alphas, betas, *, kind: str = "custom",
                explained_variance=None) -> LossSlice:
    """C of the trained network on the plane θ* + α d₁ + β d₂ (rows of ``directions``), with its path."""
    require_instance("history", history, TrainingHistory, " (from calcviz.train)")
    network, X, y = history.network, history.X, history.y
    center, path = history.x, history.path()
    directions = require_array("directions", directions)
    if directions.shape != (2, network.n_params):
        raise CalcvizError(f"need two directions of length {network.n_params}, got shape {directions.shape}")
    if np.linalg.matrix_rank(directions) < 2:
        raise CalcvizError("the two directions must not be parallel (or zero): they span no plane")
    alphas, betas, kind = _ticks("alphas", alphas), _ticks("betas", betas), require_text("kind", kind)
    if explained_variance is not None:
        explained_variance = require_array("explained variance", explained_variance, shape=(2,))
    coords, offsets = _project(path, center, directions)
    on_plane = center + coords @ directions
    return LossSlice(
        kind=kind, alphas=alphas, betas=betas,
        losses=plane_losses(network, center, directions, alphas, betas, X, y),
        center=center, center_loss=network.loss_of(history.params, X, y), directions=directions,
        path=coords, path_offsets=offsets,
        path_losses=np.array([s.loss for s in history.snapshots]),
        path_plane_losses=np.atleast_1d(network.loss_of(unflatten(network, on_plane), X, y)),
        explained_variance=explained_variance,
    )


def _grid_size(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise CalcvizError(f"grid size must be a whole number ≥ 2, got {n!r}")
    if n > 1001:
        raise CalcvizError(f"grid size must be at most 1001 per side, got {n!r}")
    return int(n)


def random_slice(history: TrainingHistory, *, span: float = 1.0, n: int = 41, rng=None,
                 bias: str = "zero") -> LossSlice:
    """C around the trained θ* along two filter-normalised random directions, α, β ∈ [−span, span].

    With an odd ``n`` the middle grid point is θ* itself.
    """
    require_instance("history", history, TrainingHistory, " (from calcviz.train)")
    span = require_positive("span", span)
    n = _grid_size(n)
    rng = np.random.default_rng(require_seed("rng", rng))
    params = history.params
    directions = np.array([filter_normalized_direction(history.network, params, rng, bias) for _ in range(2)])
    ticks = np.linspace(-span, span, n)
    return slice_along(history, directions, ticks, ticks, kind="random")


def pca_slice(history: TrainingHistory, *, n: int = 41, margin: float = 0.25) -> LossSlice:
    """C on the plane of the training path's first two principal components, through θ*.

    The path is θ at the history's snapshots (Li et al. use one per epoch): take a few
    dozen for a smooth curve. The grid covers the projected path (which ends at (0, 0)
    when the last step has a snapshot) plus ``margin`` × its extent on every side.
    """
    require_instance("history", history, TrainingHistory, " (from calcviz.train)")
    margin = require_positive("margin", margin)
    n = _grid_size(n)
    directions, explained = pca_directions(history.path(), history.x)
    coords, _ = _project(history.path(), history.x, directions)
    lo, hi = np.minimum(coords.min(axis=0), 0), np.maximum(coords.max(axis=0), 0)
    pad = margin * np.maximum(hi - lo, 1e-9)
    alphas = np.linspace(lo[0] - pad[0], hi[0] + pad[0], n)
    betas = np.linspace(lo[1] - pad[1], hi[1] + pad[1], n)
    return slice_along(history, directions, alphas, betas, kind="pca", explained_variance=explained)
