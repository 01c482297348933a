"""A small multilayer perceptron in numpy, with backpropagation written out.

Layer l turns the activations a⁽ˡ⁻¹⁾ of the layer before it into

    z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾      pre-activations, one per neuron
    a⁽ˡ⁾ = f(z⁽ˡ⁾)                activations; a⁽⁰⁾ = x is the input

and backpropagation runs the chain rule the other way, from the cost C back to the input:

    δ⁽ᴸ⁾     = ∂C/∂z⁽ᴸ⁾
    ∂C/∂W⁽ˡ⁾ = δ⁽ˡ⁾ a⁽ˡ⁻¹⁾ᵀ          ∂C/∂b⁽ˡ⁾ = δ⁽ˡ⁾
    δ⁽ˡ⁻¹⁾   = (W⁽ˡ⁾ᵀ δ⁽ˡ⁾) ⊙ f′(z⁽ˡ⁻¹⁾)

W⁽ˡ⁾ has one row per neuron of layer l (shape n_out × n_in), as in 3Blue1Brown's and
Nielsen's notation. In code a batch of examples is stacked as rows, so the
column-vector formulas become ``z = a @ W.T + b`` and ``dW = δ.T @ a`` (the sum over
the batch happens inside the matrix product).

>>> from calcviz.toy_data import make_dataset
>>> net = MLP((2, 16, 16, 1), hidden="tanh")
>>> history = train(net, make_dataset("moons", 400, rng=0), lr=0.01, steps=500, rng=0)
>>> history.status, history.accuracy > 0.95
(MAX_STEPS, True)
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import expit, logsumexp

from .errors import (CalcvizError, require_array, require_choice, require_instance, require_interval, require_number,
                     require_numeric, require_positive, require_seed, require_text, require_whole, show)
from .optimizers import MAX_NORM, Rule, make_rule
from .result import Status, frozen_array, growth, outcome, rising


# --- activations ---------------------------------------------------------------------
@dataclass(frozen=True)
class Activation:
    """a = f(z), and the chain rule through it: ∂C/∂z from ∂C/∂a (and z, a)."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    chain: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # (dC_da, z, a) -> dC_dz
    tex: str

    def __call__(self, z):
        return self.f(z)


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # shifting z leaves softmax unchanged, avoids overflow
    return e / e.sum(axis=-1, keepdims=True)


SIGMOID = Activation(
    "sigmoid", expit,
    chain=lambda dC_da, z, a: dC_da * a * (1 - a),  # σ′(z) = σ(z)(1 − σ(z))
    tex=r"\sigma(z) = \frac{1}{1 + e^{-z}}",
)
TANH = Activation(
    "tanh", np.tanh,
    chain=lambda dC_da, z, a: dC_da * (1 - a**2),  # tanh′(z) = 1 − tanh²(z)
    tex=r"\tanh(z)",
)
RELU = Activation(
    "relu", lambda z: np.maximum(z, 0.0),
    chain=lambda dC_da, z, a: dC_da * (z > 0),  # ReLU′(z) = 1 if z > 0 else 0
    tex=r"\max(0, z)",
)
SOFTMAX = Activation(
    "softmax", _softmax,
    # ∂aᵢ/∂zⱼ = aᵢ(δᵢⱼ − aⱼ): every output depends on every z, so the chain rule sums over j.
    chain=lambda dC_da, z, a: a * (dC_da - (dC_da * a).sum(axis=-1, keepdims=True)),
    tex=r"\frac{e^{z_i}}{\sum_j e^{z_j}}",
)

HIDDEN: dict[str, Activation] = {act.name: act for act in (SIGMOID, TANH, RELU)}
OUTPUTS: dict[str, Activation] = {act.name: act for act in (SIGMOID, SOFTMAX)}
LOSSES = ("mse", "cross_entropy")


# --- parameters ----------------------------------------------------------------------
def _read_only(arr) -> np.ndarray:
    """``arr`` itself if neither it nor the memory it views can change, else a frozen copy.

    Parameters are float64, or float32 when only a picture is wanted (see ``_grid_outputs``).
    """
    if isinstance(arr, np.ndarray) and arr.dtype in (np.float64, np.float32) and not arr.flags.writeable:
        if arr.base is None or (isinstance(arr.base, np.ndarray) and not arr.base.flags.writeable):
            return arr
    if not (isinstance(arr, np.ndarray) and arr.dtype.kind == "f"):
        arr = require_array("a weight or bias array", arr, min_size=0)
    return frozen_array(arr, dtype=np.float32 if arr.dtype == np.float32 else float)


@dataclass(frozen=True)
class Params:
    """Weights W⁽ˡ⁾ (n_out × n_in) and biases b⁽ˡ⁾ (n_out,) for l = 1 … L.

    Gradients come back as a ``Params`` too: ∂C/∂W⁽ˡ⁾ has the shape of W⁽ˡ⁾.
    Arrays may carry leading axes (a stack of networks, see :func:`unflatten`).
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    def __post_init__(self):
        for name in ("weights", "biases"):
            value = getattr(self, name)
            if not isinstance(value, (tuple, list)) or not value:
                raise CalcvizError(f"{name} must be a non-empty tuple of arrays, one per layer, got {show(value)}")
            object.__setattr__(self, name, tuple(_read_only(a) for a in value))
        if len(self.weights) != len(self.biases):
            raise CalcvizError(f"{len(self.weights)} weight matrices but {len(self.biases)} bias vectors")
        for l, (W, b) in enumerate(zip(self.weights, self.biases), start=1):
            if W.ndim < 2 or b.shape != W.shape[:-2] + W.shape[-2:-1]:
                raise CalcvizError(f"layer {l}: W of shape {W.shape} needs b of shape {W.shape[:-1]}, got {b.shape}")
            if l > 1 and W.shape[-1] != self.weights[l - 2].shape[-2]:
                raise CalcvizError(f"layer {l}: W takes {W.shape[-1]} inputs but layer {l - 1} has "
                                   f"{self.weights[l - 2].shape[-2]} neurons")

    @property
    def layers(self):
        """(W⁽ˡ⁾, b⁽ˡ⁾) for l = 1 … L."""
        return list(zip(self.weights, self.biases))


def flatten(params: Params) -> np.ndarray:
    """All parameters in one vector θ = [W⁽¹⁾ row by row, b⁽¹⁾, W⁽²⁾, b⁽²⁾, …] (for an optimizer)."""
    require_instance("params", params, Params)
    return np.concatenate([part.ravel() for W, b in params.layers for part in (W, b)])


def unflatten(network: "MLP", theta) -> Params:
    """The inverse of :func:`flatten`; θ of shape (..., P) gives a stack of networks (..., W shapes)."""
    require_instance("network", network, MLP)
    theta = frozen_array(require_numeric("θ", theta))  # the layers below are read-only views of one copy
    if theta.shape[-1:] != (network.n_params,):
        raise CalcvizError(f"a {network.sizes} network has {network.n_params} parameters, got θ of shape {theta.shape}")
    lead, weights, biases, start = theta.shape[:-1], [], [], 0
    for n_in, n_out in zip(network.sizes[:-1], network.sizes[1:]):
        weights.append(theta[..., start : start + n_out * n_in].reshape(*lead, n_out, n_in))
        start += n_out * n_in
        biases.append(theta[..., start : start + n_out])
        start += n_out
    return Params(tuple(weights), tuple(biases))


# --- one forward pass, kept for the backward pass and for a scene -----------------------
@dataclass(frozen=True)
class Forward:
    """Every layer of one forward pass, one row per example: ``z(l)`` and ``a(l)``, ``a(0) = x``.

    Made by :meth:`MLP.forward`, whose fresh arrays it marks read-only.
    """

    zs: tuple[np.ndarray, ...]  # z⁽¹⁾ … z⁽ᴸ⁾
    activations: tuple[np.ndarray, ...]  # a⁽⁰⁾ = x, a⁽¹⁾ … a⁽ᴸ⁾

    def __post_init__(self):
        # Each array was made fresh by the forward pass, so marking it read-only is enough.
        for arr in (*self.zs, *self.activations):
            arr.setflags(write=False)

    def z(self, l: int) -> np.ndarray:
        """Pre-activations z⁽ˡ⁾ of layer l = 1 … L."""
        l = require_whole("layer l", l)
        if not 1 <= l <= len(self.zs):
            raise CalcvizError(f"layers with pre-activations are 1 … {len(self.zs)}, got {l}")
        return self.zs[l - 1]

    def a(self, l: int) -> np.ndarray:
        """Activations a⁽ˡ⁾ of layer l = 0 (the input) … L (the output)."""
        l = require_whole("layer l", l)
        if not 0 <= l < len(self.activations):
            raise CalcvizError(f"layers are 0 … {len(self.activations) - 1}, got {l}")
        return self.activations[l]

    @property
    def output(self) -> np.ndarray:
        return self.activations[-1]


def _affine(a: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """z = a Wᵀ + b for examples in rows; W, b may carry leading axes (many networks at once)."""
    z = a @ np.swapaxes(W, -1, -2)
    z += b[..., None, :]  # in place: a fresh temporary per layer costs more than the sum itself
    return z


# --- the network ---------------------------------------------------------------------
@dataclass(frozen=True)
class MLP:
    """The architecture: layer ``sizes`` (inputs first), activations and the cost; no weights.

    ``hidden`` is "sigmoid", "tanh" or "relu"; ``output`` is "sigmoid" (one unit per
    yes/no question) or "softmax" (one unit per class); ``loss`` is "mse",
    C = (1/2n) Σ‖a⁽ᴸ⁾ − y‖², or "cross_entropy", C = −(1/n) Σ Σₖ yₖ log aₖ⁽ᴸ⁾
    (for sigmoid outputs each unit's yes/no cross-entropy, summed).

    >>> net = MLP((2, 3, 1))
    >>> params = net.init(rng=0)
    >>> C, grads = net.loss_and_grad(params, [[0.5, -1.0]], [1])
    """

    sizes: tuple[int, ...]
    hidden: str = "tanh"
    output: str = "sigmoid"
    loss: str = "cross_entropy"

    def __post_init__(self):
        if not isinstance(self.sizes, (tuple, list)):
            raise CalcvizError(f"layer sizes must be a tuple such as (2, 8, 1), got {show(self.sizes)}")
        sizes = tuple(self.sizes)
        if len(sizes) < 2:
            raise CalcvizError(f"a network needs at least an input and an output layer, got sizes {sizes}")
        if not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 1 for s in sizes):
            raise CalcvizError(f"layer sizes must be whole numbers ≥ 1, got {sizes}")
        object.__setattr__(self, "sizes", tuple(int(s) for s in sizes))
        require_choice("hidden activation", self.hidden, HIDDEN)
        require_choice("output activation", self.output, OUTPUTS)
        require_choice("loss", self.loss, LOSSES)
        if self.output == "softmax" and sizes[-1] < 2:
            raise CalcvizError("a softmax output needs at least 2 units (one per class)")

    # shape --------------------------------------------------------------------------
    @property
    def depth(self) -> int:
        """L, the number of layers with weights."""
        return len(self.sizes) - 1

    @property
    def n_params(self) -> int:
        return sum(n_out * (n_in + 1) for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]))

    def activation(self, l: int) -> Activation:
        """f of layer l = 1 … L: the hidden activation, or the output's for l = L."""
        l = require_whole("layer l", l, 1)
        if l > self.depth:
            raise CalcvizError(f"layers with an activation are 1 … {self.depth}, got {l}")
        return OUTPUTS[self.output] if l == self.depth else HIDDEN[self.hidden]

    # weights ------------------------------------------------------------------------
    def init(self, rng=None) -> Params:
        """Random weights, zero biases; W ~ N(0, 2/n_in) for ReLU (He), N(0, 2/(n_in+n_out)) else (Glorot).

        The scale keeps the activations' spread about the same from layer to layer,
        so neither the signal nor the gradient dies out in a deep stack.
        """
        rng = np.random.default_rng(require_seed("rng", rng))
        weights, biases = [], []
        for l, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            relu = self.activation(l) is RELU
            std = np.sqrt(2 / n_in) if relu else np.sqrt(2 / (n_in + n_out))
            weights.append(std * rng.standard_normal((n_out, n_in)))
            biases.append(np.zeros(n_out))
        return Params(tuple(weights), tuple(biases))

    # forward ------------------------------------------------------------------------
    def forward(self, params: Params, X) -> Forward:
        """z⁽ˡ⁾ = a⁽ˡ⁻¹⁾W⁽ˡ⁾ᵀ + b⁽ˡ⁾, a⁽ˡ⁾ = f(z⁽ˡ⁾), layer by layer; X is (n, inputs) or one input."""
        self._check_params(params)
        X = require_array("inputs X", X)
        a = np.array(X, dtype=params.weights[0].dtype, ndmin=2)  # a copy, in the parameters' precision
        if a.shape[-1] != self.sizes[0]:
            raise CalcvizError(f"the network takes {self.sizes[0]} inputs per example, got shape {a.shape}")
        zs, activations = [], [a]
        for l, (W, b) in enumerate(params.layers, start=1):
            z = _affine(a, W, b)
            a = self.activation(l)(z)
            zs.append(z)
            activations.append(a)
        return Forward(tuple(zs), tuple(activations))

    def _check_params(self, params) -> Params:
        require_instance("params", params, Params, " (from MLP.init or unflatten)")
        shapes = [(W.shape[-2:], b.shape[-1:]) for W, b in params.layers]
        wanted = [((n_out, n_in), (n_out,)) for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])]
        if shapes != wanted:
            raise CalcvizError(f"these parameters do not fit a {'-'.join(map(str, self.sizes))} network")
        return params

    def predict(self, params: Params, X) -> np.ndarray:
        """The output activations a⁽ᴸ⁾ (probabilities), one row per example."""
        return self.forward(params, X).output

    # cost ---------------------------------------------------------------------------
    def targets(self, y) -> np.ndarray:
        """Labels (n,) as target rows: y itself for one sigmoid unit, one-hot rows otherwise.

        Rows of targets (n, outputs) pass through unchanged.
        """
        y = require_array("labels y", y)
        n_out = self.sizes[-1]
        if y.ndim == 2 and y.shape[1] == n_out:
            return y
        if y.ndim != 1:
            raise CalcvizError(f"labels must have shape (n,) or (n, {n_out}), got {y.shape}")
        if n_out == 1:
            return y[:, None]
        labels = y.astype(int)
        if np.any(labels != y) or labels.min(initial=0) < 0 or labels.max(initial=0) >= n_out:
            raise CalcvizError(f"labels must be whole numbers 0 … {n_out - 1} for {n_out} output units")
        return np.eye(n_out)[labels]

    def cost(self, forward: Forward, y) -> float | np.ndarray:
        """C averaged over the examples (one value per network if the parameters were stacked)."""
        require_instance("forward", forward, Forward, " (from MLP.forward)")
        Y = self.targets(y)
        z, a = forward.zs[-1], forward.output
        if len(forward.zs) != self.depth or z.shape[-1] != self.sizes[-1] or z.shape[-2:] != Y.shape:
            raise CalcvizError(f"the forward pass ({z.shape}) and the targets ({Y.shape}) do not match this network")
        if self.loss == "mse":
            per_example = 0.5 * ((a - Y) ** 2).sum(axis=-1)
        elif self.output == "sigmoid":
            # −y log σ(z) − (1−y) log(1−σ(z)) = log(1 + eᶻ) − y z, computed from z so it never takes log 0.
            per_example = (np.logaddexp(0.0, z) - Y * z).sum(axis=-1)
        else:
            # −Σₖ yₖ log softmax(z)ₖ = log Σⱼ e^zⱼ − Σₖ yₖ zₖ (for one-hot y).
            per_example = logsumexp(z, axis=-1) - (Y * z).sum(axis=-1)
        C = per_example.mean(axis=-1)
        return float(C) if np.ndim(C) == 0 else C

    def loss_of(self, params: Params, X, y) -> float | np.ndarray:
        """C(θ) on the examples (X, y)."""
        return self.cost(self.forward(params, X), y)

    # backward -----------------------------------------------------------------------
    def output_delta(self, forward: Forward, Y: np.ndarray) -> np.ndarray:
        """δ⁽ᴸ⁾ = ∂C/∂z⁽ᴸ⁾, one row per example (Y as target rows)."""
        require_instance("forward", forward, Forward, " (from MLP.forward)")
        Y = require_array("targets Y", Y)
        if forward.output.shape != Y.shape:
            raise CalcvizError(f"targets Y must match the outputs' shape {forward.output.shape}, got {Y.shape}")
        n = len(Y)
        z, a = forward.zs[-1], forward.output
        if self.loss == "cross_entropy":
            # Sigmoid or softmax with cross-entropy: f′ cancels the 1/a of the log, and the
            # chain rule collapses to a − y. (That cancellation is why the two are paired.)
            return (a - Y) / n
        dC_da = (a - Y) / n  # C = (1/2n) Σ‖a − y‖²  ⇒  ∂C/∂a = (a − y)/n
        return self.activation(self.depth).chain(dC_da, z, a)

    def backward(self, params: Params, forward: Forward, y) -> Params:
        """∂C/∂W⁽ˡ⁾ and ∂C/∂b⁽ˡ⁾ for every layer, by the chain rule from the output back."""
        self._check_params(params)
        require_instance("forward", forward, Forward, " (from MLP.forward)")
        Y = self.targets(y)
        if len(forward.zs) != self.depth or forward.output.shape != Y.shape:
            raise CalcvizError(f"the forward pass ({forward.output.shape}) and the targets ({Y.shape}) do not match")
        grad_W, grad_b = [None] * self.depth, [None] * self.depth
        delta = self.output_delta(forward, Y)  # δ⁽ᴸ⁾
        for l in range(self.depth, 0, -1):
            grad_W[l - 1] = delta.T @ forward.a(l - 1)  # ∂C/∂W⁽ˡ⁾ = δ⁽ˡ⁾ a⁽ˡ⁻¹⁾ᵀ, summed over examples
            grad_b[l - 1] = delta.sum(axis=0)  # ∂C/∂b⁽ˡ⁾ = δ⁽ˡ⁾, since ∂z/∂b = 1
            if l > 1:
                dC_da = delta @ params.weights[l - 1]  # ∂C/∂a⁽ˡ⁻¹⁾ = W⁽ˡ⁾ᵀ δ⁽ˡ⁾
                delta = self.activation(l - 1).chain(dC_da, forward.z(l - 1), forward.a(l - 1))  # δ⁽ˡ⁻¹⁾
        return Params(tuple(grad_W), tuple(grad_b))

    def loss_and_grad(self, params: Params, X, y) -> tuple[float, Params]:
        """C(θ) and ∇C(θ) on (X, y): one forward pass, one backward pass."""
        forward = self.forward(params, X)
        return self.cost(forward, y), self.backward(params, forward, y)

    def accuracy(self, outputs: np.ndarray, y) -> float:
        """Share of examples whose predicted class (a > ½, or the largest softmax unit) is y."""
        outputs, y = require_array("outputs", outputs), require_array("labels y", y, ndim=1)
        if outputs.shape[-1:] != (self.sizes[-1],) or outputs.shape[-2:-1] != y.shape:
            raise CalcvizError(f"outputs of shape {outputs.shape} do not match {len(y)} labels and "
                               f"{self.sizes[-1]} output unit(s)")
        predicted = (outputs[..., 0] > 0.5) if self.sizes[-1] == 1 else outputs.argmax(axis=-1)
        return float(np.mean(predicted == y))

    def __repr__(self) -> str:
        shape = "-".join(map(str, self.sizes))
        return f"MLP({shape}, hidden={self.hidden}, output={self.output}, loss={self.loss})"


# --- training ------------------------------------------------------------------------
DIVERGENCE_FACTOR = 1e3  # a loss past 1000 × max(starting loss, 1) counts as diverged, as does |θ| > MAX_NORM
OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")


def _optimizer_rule(name: str, lr: float) -> Rule:
    """The first-order update rule of :mod:`calcviz.optimizers`, with its default settings."""
    require_choice("optimizer", name, OPTIMIZERS)
    return make_rule("gradient_descent" if name == "sgd" else name, lr=lr)


@dataclass(frozen=True)
class Snapshot:
    """The network at one step of training, ready to draw.

    ``outputs[i, j]`` is the output at grid point (grid_x[j], grid_y[i]) — the row
    index is y, as ``contour`` expects; for one sigmoid unit the decision boundary is
    the ½-level of ``outputs[..., 0]``. ``probe_activations[l]`` is a⁽ˡ⁾ for the probe input.
    """

    step: int
    params: Params
    loss: float
    accuracy: float
    outputs: np.ndarray | None  # (ny, nx, output units), None if the network has no 2-D input
    probe_zs: tuple[np.ndarray, ...]  # z⁽¹⁾ … z⁽ᴸ⁾
    probe_activations: tuple[np.ndarray, ...]  # a⁽⁰⁾ = probe … a⁽ᴸ⁾

    @property
    def predicted(self) -> np.ndarray | None:
        """The class the network picks at each grid point."""
        if self.outputs is None:
            return None
        return (self.outputs[..., 0] > 0.5).astype(int) if self.outputs.shape[-1] == 1 else self.outputs.argmax(-1)


@dataclass(frozen=True, repr=False)
class TrainingHistory:
    """A whole training run: loss and accuracy at every step, snapshots at chosen steps.

    ``losses[k]`` and ``accuracies[k]`` are measured on the whole training set with the
    parameters after k steps, k = 0 … nit. A run whose loss blew up or became NaN is cut
    at its last finite step and says so in ``status``, ``message`` and ``stopped_at``; one
    whose loss was still growing when the steps ran out is DIVERGING, by ``growth`` a step.
    """

    network: MLP
    method: str
    losses: np.ndarray
    accuracies: np.ndarray
    snapshots: tuple[Snapshot, ...]
    params: Params  # after the last kept step
    X: np.ndarray
    y: np.ndarray
    grid_x: np.ndarray | None
    grid_y: np.ndarray | None
    probe: np.ndarray
    status: Status
    message: str
    stopped_at: int | None = None
    hyperparams: dict[str, Any] = field(default_factory=dict)
    growth: float | None = None  # DIVERGING: the loss's factor per step at the end of training (> 1)

    def __post_init__(self):
        require_instance("network", self.network, MLP)
        require_text("method", self.method)
        require_text("message", self.message)
        require_instance("status", self.status, Status)
        require_instance("params", self.params, Params)
        require_instance("hyperparams", self.hyperparams, dict)
        if not isinstance(self.snapshots, tuple) or not all(isinstance(s, Snapshot) for s in self.snapshots):
            raise CalcvizError(f"snapshots must be a tuple of Snapshot, got {show(self.snapshots)}")
        if self.stopped_at is not None:
            object.__setattr__(self, "stopped_at", require_whole("stopped_at", self.stopped_at))
        if self.growth is not None and not 1 < require_number("growth", self.growth) < math.inf:
            raise CalcvizError(f"growth is a factor per step above 1, got {self.growth!r}")
        losses = require_array("losses", self.losses, ndim=1)
        if require_array("accuracies", self.accuracies, ndim=1).shape != losses.shape:
            raise CalcvizError("losses and accuracies must have one entry per step")
        X, y = _examples(self.network, (self.X, self.y))
        for name, value in (("losses", losses), ("accuracies", self.accuracies), ("X", X), ("probe", self.probe)):
            object.__setattr__(self, name, frozen_array(require_array(name, value, min_size=0)))
        object.__setattr__(self, "y", frozen_array(y, dtype=int))
        for name in ("grid_x", "grid_y"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, frozen_array(require_array(name, getattr(self, name), ndim=1)))

    # scipy's names ------------------------------------------------------------------
    @property
    def x(self) -> np.ndarray:
        """The final parameters as one vector θ."""
        return flatten(self.params)

    @property
    def fun(self) -> float:
        return float(self.losses[-1])

    @property
    def nit(self) -> int:
        return len(self.losses) - 1

    @property
    def accuracy(self) -> float:
        return float(self.accuracies[-1])

    @property
    def diverged(self) -> bool:
        """Training was cut short because its numbers ran away (DIVERGED, OUT_OF_BOUNDS, NONFINITE)."""
        return self.status in (Status.DIVERGED, Status.OUT_OF_BOUNDS, Status.NONFINITE)

    @property
    def success(self) -> bool:
        return self.status is Status.CONVERGED

    @property
    def point_kind(self) -> None:
        """Unknown: the Hessian of a network's cost is not computed (kept for the same interface as Trajectory)."""
        return None

    @property
    def outcome(self) -> str:
        """How training ended in plain words (see :func:`calcviz.result.outcome`)."""
        return outcome(self.status, None)

    def loss_at(self, t: float) -> float:
        """The loss at fractional step t ∈ [0, nit], linear between steps (a smooth readout)."""
        return float(np.interp(require_number("step t", t), np.arange(self.nit + 1), self.losses))

    def accuracy_at(self, t: float) -> float:
        """The accuracy at fractional step t, linear between steps."""
        return float(np.interp(require_number("step t", t), np.arange(self.nit + 1), self.accuracies))

    # snapshots ----------------------------------------------------------------------
    @property
    def snapshot_steps(self) -> np.ndarray:
        return np.array([s.step for s in self.snapshots], dtype=int)

    def snapshot(self, step: int) -> Snapshot:
        """The snapshot taken after ``step`` steps."""
        step = require_whole("step", step)
        for s in self.snapshots:
            if s.step == step:
                return s
        raise CalcvizError(f"no snapshot at step {step}; snapshots at {self.snapshot_steps.tolist()}")

    def path(self) -> np.ndarray:
        """θ at every snapshot, one row each: the training trajectory in parameter space."""
        return np.array([flatten(s.params) for s in self.snapshots]).reshape(-1, self.network.n_params)

    def __repr__(self) -> str:
        return (
            f"TrainingHistory(network={self.network!r}, method={self.method!r}, status={self.status.name}, "
            f"nit={self.nit}, loss={self.fun:.3g}, accuracy={self.accuracy:.3f}, snapshots={len(self.snapshots)})"
        )


def _whole_number(what: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise CalcvizError(f"{what} must be a whole number ≥ {low}, got {show(value)}")
    return int(value)


def _examples(network: MLP, data) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) from a data set (anything with ``X`` and ``y``) or a pair, checked against the network."""
    try:
        X, y = (data.X, data.y) if hasattr(data, "X") else data
    except (TypeError, ValueError):
        raise CalcvizError(
            f"data must be a data set with X and y, or a pair (X, y), got {type(data).__name__}") from None
    X, y = require_numeric("training inputs X", X), require_numeric("labels y", y)
    n_in, n_out = network.sizes[0], network.sizes[-1]
    if X.ndim != 2 or X.shape[1] != n_in or len(X) == 0 or y.shape != (len(X),):
        raise CalcvizError(
            f"data must be X of shape (n, {n_in}) and labels y of shape (n,), got {X.shape} and {y.shape}")
    if not np.all(np.isfinite(X)):
        raise CalcvizError(f"training inputs X hold {np.sum(~np.isfinite(X))} non-finite value(s)")
    classes = 2 if n_out == 1 else n_out
    if not np.all(np.isin(y, np.arange(classes))):
        raise CalcvizError(f"labels must be whole numbers 0 … {classes - 1} for {n_out} output unit(s)")
    return X, y.astype(int)


def _snapshot_steps(snapshot_steps, steps: int) -> np.ndarray:
    """A count of evenly spaced snapshots (first and last step included), or explicit steps."""
    if isinstance(snapshot_steps, (int, np.integer)) and not isinstance(snapshot_steps, bool):
        count = _whole_number("number of snapshots", snapshot_steps, 0)
        return np.unique(np.round(np.linspace(0, steps, min(count, steps + 1))).astype(int))
    if isinstance(snapshot_steps, (str, bytes, dict, set)) or np.ndim(snapshot_steps) != 1:
        raise CalcvizError(f"snapshot_steps must be a count or a list of steps, got {show(snapshot_steps)}")
    chosen = require_array("snapshot steps", snapshot_steps, ndim=1, min_size=0)
    whole = chosen.ndim == 1 and np.all(chosen == np.round(chosen))
    if chosen.size and not (whole and chosen.min() >= 0 and chosen.max() <= steps):
        raise CalcvizError(f"snapshot steps must be whole numbers in 0 … {steps}, got {show(list(snapshot_steps))}")
    return np.unique(chosen.astype(int))


def _grid(X: np.ndarray, grid_size: int, bounds) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A grid_size × grid_size grid over the input plane (data range plus 10 %), as xs, ys, points."""
    if bounds is None:
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = 0.1 * np.maximum(hi - lo, 1e-9)
        bounds = ((lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]))
    (x0, x1), (y0, y1) = bounds
    xs, ys = np.linspace(x0, x1, grid_size), np.linspace(y0, y1, grid_size)
    gx, gy = np.meshgrid(xs, ys)  # row i is y = ys[i]
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def _grid_outputs(network: MLP, params: Params, points: np.ndarray, block: int = 1024) -> np.ndarray:
    """The network's output at every grid point, for drawing: one batched pass per block.

    A picture needs three digits, so this runs in single precision (half the work of
    float64), in blocks of ~1000 points whose arrays stay in cache: together about 2.5×
    faster than one float64 pass over all 10⁴ points.
    """
    single = Params(tuple(W.astype(np.float32) for W in params.weights),
                    tuple(b.astype(np.float32) for b in params.biases))
    points = points.astype(np.float32)
    return np.concatenate([network.predict(single, points[i : i + block]) for i in range(0, len(points), block)])


def _trouble(theta: np.ndarray, loss: float, max_loss: float) -> tuple[Status, str] | None:
    """Why training cannot go on from θ with this loss, or None (the same tests as optimizers.run)."""
    norm = float(np.linalg.norm(theta))  # NaN if any parameter is NaN
    if math.isnan(loss) or math.isnan(norm):
        return Status.NONFINITE, "the loss or a parameter is NaN"
    if not norm <= MAX_NORM:
        i = int(np.argmax(np.abs(theta)))
        return Status.DIVERGED, f"|θ| = {norm:.3g} passed {MAX_NORM:g} (θ[{i}] = {theta[i]:.3g})"
    if not loss <= max_loss:
        return Status.DIVERGED, f"the loss {loss:.3g} passed {max_loss:.3g}"
    return None


def _batches(n: int, batch_size: int, rng: np.random.Generator):
    """Mini-batch index sets, epoch after epoch: shuffle, cut into pieces, drop the ragged end."""
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start : start + batch_size]


def train(
    network: MLP,
    data,
    *,
    optimizer: str = "adam",
    lr: float = 0.01,
    steps: int = 1000,
    batch_size: int | None = None,
    rng=None,
    snapshot_steps: int | Sequence[int] = 20,
    grid_size: int = 100,
    grid_bounds=None,
    probe=None,
    params: Params | None = None,
) -> TrainingHistory:
    """Train ``network`` on ``data`` (a Dataset, or anything with X and y) by θ ← θ + step(∇C).

    Each step takes the gradient of the cost on a mini-batch (the whole set when
    ``batch_size`` is None) and hands it to the optimizer's update rule ("sgd", "momentum"
    with β = 0.9, "adam" with β₁ = 0.9, β₂ = 0.999), which works on the flattened θ.
    ``rng`` seeds the initial weights (unless ``params`` is given) and the mini-batches.

    Parameters
    ----------
    snapshot_steps
        How many evenly spaced snapshots (always including step 0 and the last step),
        or the exact steps at which to take them.
    grid_size, grid_bounds
        The grid (grid_size × grid_size, over ((x0, x1), (y0, y1)), default the data's
        range plus 10 %) on which each snapshot records the network's output.
    probe
        The input whose per-neuron activations each snapshot records (default the first example).
    """
    require_instance("network", network, MLP, " such as MLP((2, 8, 1))")
    X, y = _examples(network, data)
    Y = network.targets(y)
    steps = _whole_number("number of steps", steps, 1)
    lr = require_positive("learning rate", lr)
    rng = require_seed("rng", rng)
    if batch_size is not None:
        batch_size = _whole_number("batch size", batch_size, 1)
        if batch_size > len(X):
            raise CalcvizError(f"batch size {batch_size} is larger than the {len(X)} examples")
    rule = _optimizer_rule(optimizer, lr)
    chosen = set(_snapshot_steps(snapshot_steps, steps).tolist())
    probe = X[0] if probe is None else require_array("probe input", probe)
    if probe.shape != (network.sizes[0],):
        raise CalcvizError(f"the probe must be one input of shape ({network.sizes[0]},), got {probe.shape}")
    grid_x = grid_y = grid = None
    if network.sizes[0] == 2:
        if grid_bounds is not None:
            (x0, x1), (y0, y1) = require_array("grid bounds ((x0, x1), (y0, y1))", grid_bounds, shape=(2, 2))
            grid_bounds = (require_interval("grid x range", x0, x1), require_interval("grid y range", y0, y1))
        grid_x, grid_y, grid = _grid(X, _whole_number("grid size", grid_size, 2), grid_bounds)

    seed = int(rng) if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) else None
    rng = np.random.default_rng(rng)
    theta = flatten(network.init(rng) if params is None else network._check_params(params))
    if theta.shape != (network.n_params,) or not np.all(np.isfinite(theta)):
        raise CalcvizError(f"starting parameters must be finite and fit a {network.sizes} network")
    state = rule.init(theta)
    batches = None if batch_size is None else _batches(len(X), batch_size, rng)

    def snapshot(k: int, at: Params, loss: float, acc: float) -> Snapshot:
        outputs = None
        if grid is not None:
            outputs = _grid_outputs(network, at, grid).reshape(len(grid_y), len(grid_x), -1)
        probed = network.forward(at, probe)
        return Snapshot(
            k, at, loss, acc, None if outputs is None else frozen_array(outputs),
            tuple(frozen_array(z[0]) for z in probed.zs), tuple(frozen_array(a[0]) for a in probed.activations),
        )

    losses, accuracies, snapshots = [], [], []
    status, stopped_at, reason = Status.MAX_STEPS, None, ""
    with np.errstate(all="ignore"):  # overflow and NaN are caught below and reported in the status
        for k in range(steps + 1):
            params = unflatten(network, theta)
            forward = network.forward(params, X)
            loss = network.cost(forward, Y)
            trouble = _trouble(theta, loss, DIVERGENCE_FACTOR * max(losses[0] if losses else loss, 1.0))
            if trouble is not None:
                if k == 0:
                    raise CalcvizError(f"cannot start training: {trouble[1]}")
                (status, reason), stopped_at = trouble, k  # drop the bad point, as optimizers.run does
                break
            losses.append(loss)
            accuracies.append(network.accuracy(forward.output, y))
            last_params = params
            if k in chosen:
                snapshots.append(snapshot(k, params, loss, accuracies[-1]))
            if k == steps:
                break
            if batches is None:
                grads = network.backward(params, forward, Y)  # full batch: reuse the pass just made
            else:
                idx = next(batches)
                grads = network.backward(params, network.forward(params, X[idx]), Y[idx])
            g = flatten(grads)
            if not np.all(np.isfinite(g)):
                status, reason, stopped_at = Status.NONFINITE, "∇C is not finite", k + 1
                break
            step, state = rule.update(g, state, theta)
            theta = theta + step

    nit = len(losses) - 1
    rate = growth(losses) if status is Status.MAX_STEPS else None
    if rate is not None:  # the loss still growing when the steps ran out: running away, as in optimizers.run
        status, message = Status.DIVERGING, f"{rising('the loss', losses, rate)} (learning rate {lr:g} too large?)"
    elif status is Status.MAX_STEPS:
        message = f"trained for {nit} steps: loss {losses[-1]:.4g}, accuracy {accuracies[-1]:.1%}"
    else:
        message = f"{status.value} at step {stopped_at}: {reason} (learning rate {lr:g} too large?)"
    return TrainingHistory(
        network=network, method=optimizer, losses=losses, accuracies=accuracies, snapshots=tuple(snapshots),
        params=last_params, X=X, y=y, grid_x=grid_x, grid_y=grid_y, probe=probe, status=status,
        message=message, stopped_at=stopped_at, growth=rate,
        hyperparams={"lr": float(lr), "steps": steps, "batch_size": batch_size, "seed": seed,
                     "data": getattr(data, "name", "")},
    )
