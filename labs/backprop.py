"""Lab 3, backprop: the checks of its exercises, every expected value from the core (``calcviz.network``).

The learner's network is plain numpy: lists ``Ws`` and ``bs``, ``Ws[i]`` of shape (n_out, n_in) (the core's
W⁽ⁱ⁺¹⁾), examples in rows, tanh in the hidden layers, one sigmoid output, cross-entropy averaged over examples.

    forward(Ws, bs, X)              [a⁰ = X, a¹, …, aᴸ]: z = a @ W.T + b, tanh, sigmoid at the output
    cost(a_out, Y)                  −mean(Y log a + (1 − Y) log(1 − a))
    backward(Ws, activations, Y)    (dWs, dbs): δᴸ = (aᴸ − Y)/N, dW = δᵀa, db = Σδ, δ ← (δ W) ⊙ (1 − a²)
    numerical_gradient(f, theta, eps)  (f(θ + eps·eᵢ) − f(θ − eps·eᵢ)) / 2eps, every i
    train(Ws, bs, X, Y, lr, steps)  (Ws, bs, losses): full-batch gradient descent, the loss before each step

Each typical mistake's value is computed here (a small wrong version of the right code per mistake), so
the check can name it.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
from scipy.special import expit, logit

import calcviz as cv
from calcviz.network import Params, flatten, unflatten
from labs.check import Checker, Exercise, Fail, Mistake, close
from scenes.kit.i18n import N_

CLIP_SIZES = (2, 3, 3, 1)         # the Backpropagation clip's network (scenes/network.py NETWORK_SIZES)
CLIP_TRAINING = {"lr": 0.01, "steps": 400, "rng": 1}   # how that clip trains it (Adam) on XOR, rng=0
MOONS_SIZES = (2, 6, 6, 1)        # the TrainingTheNetwork clip's network (scenes/network.py _TRAINING_SETTINGS)
MOONS_RUN = {"lr": 1.0, "steps": 400, "rng": 1}        # plain gradient descent, full batch, on moons, rng=1

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def shape_name(sizes) -> str:
    return "-".join(map(str, sizes))


# --- the cases: networks and data from the core -------------------------------------------------------
@lru_cache(maxsize=1)
def xor() -> cv.Dataset:
    return cv.make_dataset("xor", 200, rng=0)


@lru_cache(maxsize=1)
def moons() -> cv.Dataset:
    return cv.make_dataset("moons", 200, rng=MOONS_RUN["rng"])


@lru_cache(maxsize=1)
def clip_params() -> Params:
    """The weights the Backpropagation clip shows: its network after its training on XOR."""
    return cv.train(cv.MLP(CLIP_SIZES), xor(), snapshot_steps=0, **CLIP_TRAINING).params


def random_params(sizes, seed: int, scale: float = 1.0) -> Params:
    """Weights ~ N(0, scale²) and biases ~ N(0, ¼): every term of z = aWᵀ + b shows in the result."""
    rng = np.random.default_rng(seed)
    return Params(tuple(scale * rng.standard_normal((n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])),
                  tuple(0.5 * rng.standard_normal(n_out) for n_out in sizes[1:]))


@lru_cache(maxsize=None)
def network_case(name: str):
    """(sizes, params, X, Y) of a named case; Y holds the targets as a column (one per output unit)."""
    rng = np.random.default_rng({"square": 11, "clip": 12, "one": 13}[name])
    if name == "square":   # every W square, so a transposed W has the right shape and the wrong values
        sizes = (2, 2, 2, 2)   # (and 2 × 2 arrays are short enough to show in full)
        params, X = random_params(sizes, 21), rng.standard_normal((3, 2))
        Y = rng.integers(0, 2, (3, 2)).astype(float)
    elif name == "clip":   # the clip's network and weights, on the first five XOR points
        sizes, params = CLIP_SIZES, clip_params()
        X, Y = np.array(xor().X[:5]), xor().y[:5, None].astype(float)
    else:                  # one hidden layer, one example
        sizes = (2, 5, 1)
        params, X, Y = random_params(sizes, 22), rng.standard_normal((1, 2)), np.array([[1.0]])
    return sizes, params, X, Y


def case_words(c: Checker, name: str) -> str:
    sizes, _, X, _ = network_case(name)
    if name == "clip":
        return c.t("the clip's {shape} network on the first {n} XOR points", shape=shape_name(sizes), n=len(X))
    if name == "one":
        return c.t("a {shape} network (one hidden layer) on one example", shape=shape_name(sizes))
    return c.t("a {shape} network with random weights on {n} examples", shape=shape_name(sizes), n=len(X))


def plain(params: Params) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The core's parameters as the learner's lists of (writeable) arrays."""
    return [np.array(W) for W in params.weights], [np.array(b) for b in params.biases]


# --- checking lists of arrays ------------------------------------------------------------------------
def _array_list(c: Checker, got, count: int, *, tried: str, name: str, what: str) -> list:
    """``got`` as a list of ``count`` things, else a Fail saying what came back instead."""
    if got is None:
        c.value(got, 0.0, tried=tried, name=name)       # "returned nothing"
    if got is Ellipsis:
        c.value(got, 0.0, tried=tried, name=name)       # "still the blank"
    if not isinstance(got, (list, tuple)):
        raise Fail("type", c.t("{name} returned a value of type {type} for {tried}; expected {what}.", name=name,
                               type=type(got).__name__, tried=tried, what=what))
    if len(got) != count:
        raise Fail("shape", c.t("{name} returned {got} things for {tried}; expected {what}.", name=name,
                                got=len(got), tried=tried, what=what))
    return list(got)


def _shape(x) -> tuple | None:
    try:
        return np.asarray(x, dtype=float).shape
    except (TypeError, ValueError):
        return None


# --- exercise 1: the forward pass --------------------------------------------------------------------
def wrong_forward(Ws, bs, X, *, transposed=False, bias=True, hidden: Callable = np.tanh,
                  output: Callable = expit) -> list | None:
    """A forward pass with one thing changed; None when that change makes the shapes clash."""
    activations = [np.asarray(X, dtype=float)]
    try:
        for i, (W, b) in enumerate(zip(Ws, bs)):
            z = activations[-1] @ (W if transposed else W.T) + (b if bias else 0.0)
            activations.append(output(z) if i == len(Ws) - 1 else hidden(z))
    except ValueError:
        return None
    return activations


FORWARD_MISTAKES = (
    ("transposed", dict(transposed=True),
     N_("Each row of W holds one neuron's weights, so z = a Wᵀ + b: the weights go in transposed.")),
    ("no_bias", dict(bias=False), N_("The bias is missing: z = a Wᵀ + b, then the activation.")),
    ("tanh_output", dict(output=np.tanh),
     N_("The output layer went through tanh; it takes the sigmoid, so its answer is a probability between 0 and 1.")),
    ("sigmoid_hidden", dict(hidden=expit), N_("The hidden layers take tanh, not the sigmoid; only the output takes "
                                              "the sigmoid.")),
    ("no_activation", dict(hidden=lambda z: z),
     N_("That is z, before the activation: a hidden layer's activations are tanh(z).")),
    ("no_output_activation", dict(output=lambda z: z),
     N_("That is the output's z: the output is σ(z), a probability between 0 and 1.")),
)


def _run_everywhere(c: Checker, fn, calls, name: str, diagnose) -> list:
    """The learner's ``fn`` on every case first (so a plot after the check will run too). When it raises on a
    later case, ``diagnose`` looks at what it gave on the first one for a mistake that would explain it."""
    results = []
    for args, words in calls:
        try:
            results.append(c.call(fn, *args, tried=words, name=name))
        except Fail as fail:
            hint = diagnose(results[0]) if fail.kind == "raised" and results else None
            if hint:
                said = c.t("On the first case your answer showed a typical mistake:")
                raise Fail("raised", f"{fail.text} {said} {c.t(hint)}") from None
            raise
    return results


def _matches(got, wrong) -> bool:
    """``got`` (nested lists of arrays) is ``wrong`` to the last number."""
    if wrong is None:
        return False
    if isinstance(wrong, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(wrong)
                and all(_matches(g, w) for g, w in zip(got, wrong)))
    return close(got, wrong, 1e-6, 1e-12)


def check_forward(c: Checker, forward) -> None:
    cases = ("square", "clip", "one")
    setups = {case: (network_case(case), plain(network_case(case)[1])) for case in cases}

    def mistakes_of(case):
        (_, _, X, _), (Ws, bs) = setups[case]
        return [(kind, wrong_forward(Ws, bs, X, **change), hint) for kind, change, hint in FORWARD_MISTAKES]

    def diagnose(first):
        return next((hint for _, acts, hint in mistakes_of(cases[0]) if _matches(first, acts)), None)

    calls = [((setups[case][1][0], setups[case][1][1], setups[case][0][2]), case_words(c, case)) for case in cases]
    results = _run_everywhere(c, forward, calls, "forward", diagnose)
    for case, got, (_, words) in zip(cases, results, calls):
        (sizes, params, X, _), _ = setups[case]
        want = cv.MLP(sizes).forward(params, X).activations
        if isinstance(got, np.ndarray) and got.shape == want[-1].shape:
            raise Fail("shape", c.t("For {tried}, forward returned one array, the output; return the list of "
                                    "every layer's activations, a⁰ = X first and the output last.", tried=words))
        if isinstance(got, (list, tuple)) and len(got) == len(want) - 1:
            raise Fail("shape", c.t("For {tried}, the list should start with the input itself, a⁰ = X, then "
                                    "one array per layer.", tried=words))
        got = _array_list(c, got, len(want), tried=words, name="forward",
                          what=c.t("a list of {n} arrays (a⁰ = X, then one per layer)", n=len(want)))
        wrongs = mistakes_of(case)
        for l in range(len(want)):
            what = c.t("a{sup} of {case}", case=words, sup=str(l).translate(SUPERSCRIPT))
            c.expect(got[l], want[l], tried=what, rtol=1e-9, name="forward",
                     mistakes=[Mistake(kind, None if acts is None else acts[l], hint) for kind, acts, hint in wrongs],
                     hint=N_("Layer by layer: z = a Wᵀ + b from the layer before, then tanh (the sigmoid at the "
                             "output)."))


# --- exercise 2: the cost ----------------------------------------------------------------------------
def core_cost(a, Y) -> float:
    """The core's cross-entropy of outputs ``a`` (a column) against targets ``Y``: a one-weight network
    whose output is a (z = logit a)."""
    net = cv.MLP((1, 1))
    return net.cost(net.forward(Params((np.ones((1, 1)),), (np.zeros(1),)), logit(a)), Y)


@lru_cache(maxsize=None)
def cost_case(name: str):
    if name == "four":
        a, Y = np.array([[0.9], [0.2], [0.6], [0.3]]), np.array([[1.0], [0.0], [0.0], [1.0]])
    elif name == "confident":   # one confident right answer, one confident wrong one
        a, Y = np.array([[0.999], [0.999]]), np.array([[1.0], [0.0]])
    else:                       # the clip's network on all the XOR points
        a, Y = cv.MLP(CLIP_SIZES).predict(clip_params(), xor().X), xor().y[:, None].astype(float)
    return a, Y


COST_MISTAKES = (
    ("summed", lambda a, Y: len(Y) * core_cost(a, Y),
     N_("That is the sum over the examples; the cost is their average, so divide by the number of examples.")),
    ("sign", lambda a, Y: -core_cost(a, Y),
     N_("The sign is flipped: log p is negative, so the cost has a minus in front to come out positive.")),
    ("swapped", lambda a, Y: -np.mean(Y * np.log(1 - a) + (1 - Y) * np.log(a)),
     N_("The two logs are swapped: an example with y = 1 pays −log a, one with y = 0 pays −log(1 − a).")),
    ("only_y", lambda a, Y: -np.mean(Y * np.log(a)),
     N_("Only the y = 1 examples are counted: the examples with y = 0 pay −log(1 − a).")),
    ("log10", lambda a, Y: core_cost(a, Y) / np.log(10),
     N_("That is the logarithm to base 10; the cross-entropy uses the natural logarithm, np.log.")),
    ("squared", lambda a, Y: np.mean((a - Y) ** 2),
     N_("That is the mean squared error; this network's cost is the cross-entropy, with logarithms.")),
    ("half_squared", lambda a, Y: np.mean((a - Y) ** 2) / 2,
     N_("That is the mean squared error; this network's cost is the cross-entropy, with logarithms.")),
)


def check_cost(c: Checker, cost) -> None:
    for case in ("four", "clip", "confident"):
        a, Y = cost_case(case)
        if case == "four":
            words = c.t("outputs a = {a} with targets y = {y}", a=a.ravel(), y=Y.ravel())
        elif case == "confident":
            words = c.t("two confident answers a = {a}, one right and one wrong (y = {y})", a=a.ravel(), y=Y.ravel())
        else:
            words = c.t("the clip's network's outputs on all {n} XOR points", n=len(Y))
        got = c.call(cost, a, Y, tried=words, name="cost")
        c.expect(got, core_cost(a, Y), tried=words, rtol=1e-9, name="cost",
                 hint=N_("Each example pays −log of the probability the network gave its true label: −log a when "
                         "y = 1, −log(1 − a) when y = 0; the cost is the average of what they pay."),
                 mistakes=[Mistake(kind, value(a, Y), hint) for kind, value, hint in COST_MISTAKES])


# --- exercise 3: backpropagation ---------------------------------------------------------------------
def wrong_backward(Ws, activations, Y, *, sign=1.0, per_n=True, twice_n=False, output_slope=False,
                   transposed_grad=False, own_output=False, bias_mean=False, slope="tanh",
                   transposed_back=False) -> tuple[list, list] | None:
    """Backpropagation with one thing changed; None when that change makes the shapes clash."""
    n, L = len(Y), len(Ws)
    a_out = activations[-1]
    delta = sign * (a_out - Y) / (n if per_n else 1)
    if output_slope:
        delta = delta * a_out * (1 - a_out)
    dWs, dbs = [None] * L, [None] * L
    try:
        for i in range(L - 1, -1, -1):
            a_in = activations[i + 1] if own_output else activations[i]
            dWs[i] = a_in.T @ delta if transposed_grad else delta.T @ a_in
            dbs[i] = delta.sum(axis=0)
            if twice_n:
                dWs[i], dbs[i] = dWs[i] / n, dbs[i] / n
            if bias_mean:
                dbs[i] = dbs[i] / n
            if i > 0:
                back = delta @ (Ws[i].T if transposed_back else Ws[i])
                a = activations[i]
                delta = back * {"tanh": 1 - a**2, "none": 1.0, "sigmoid": a * (1 - a),
                                "tanh_of_a": 1 - np.tanh(a) ** 2}[slope]
    except ValueError:
        return None
    return dWs, dbs


BACKWARD_MISTAKES = (
    ("sign", dict(sign=-1.0),
     N_("Every gradient has the wrong sign: at the output δ = ∂C/∂z = (a − y)/N, output minus target.")),
    ("no_n", dict(per_n=False),
     N_("Your gradients are N times too big: the cost is an average over the N examples, so δ at the output "
        "is (a − y)/N.")),
    ("bias_mean", dict(bias_mean=True),
     N_("The bias gradient is N times too small: you averaged δ over the examples, but δ already carries the "
        "1/N; db is the plain sum of δ over the examples.")),
    ("twice_n", dict(twice_n=True),
     N_("Your gradients are N times too small: you divided by N twice. δ at the output already carries the 1/N, "
        "so dW = δᵀa and db = Σδ need no more of it.")),
    ("output_slope", dict(output_slope=True),
     N_("With the sigmoid and cross-entropy together, σ′ cancels: δ at the output is (a − y)/N, with no extra "
        "factor a(1 − a).")),
    ("transposed", dict(transposed_grad=True),
     N_("That is the transpose of dW: dW has the shape of W (one row per neuron of this layer), so it is δᵀ "
        "times the layer's input, not the other way round.")),
    ("own_output", dict(own_output=True),
     N_("You used the layer's own activations; ∂z/∂W is the layer's input, the activations of the layer "
        "before it.")),
    ("no_slope", dict(slope="none"),
     N_("On the way back through a hidden layer you forgot its activation: multiply by tanh′(z) = 1 − a² of "
        "that layer, element by element.")),
    ("sigmoid_slope", dict(slope="sigmoid"),
     N_("That is the sigmoid's slope a(1 − a); the hidden layers use tanh, whose slope is 1 − a².")),
    ("tanh_of_a", dict(slope="tanh_of_a"),
     N_("You took tanh of a again: the activations a are already tanh(z), so tanh′(z) = 1 − a².")),
    ("transposed_back", dict(transposed_back=True),
     N_("δ went back through Wᵀ: the forward pass multiplied by Wᵀ, so going back undoes that transpose and δ "
        "meets W itself.")),
)


def _gradient_list(c: Checker, got, like: list, *, tried: str, name: str) -> list:
    """One of the two lists backward returns, checked for length and order and transposes."""
    got = _array_list(c, got, len(like), tried=tried, name=name,
                      what=c.t("a list of {n} arrays, one per layer", n=len(like)))
    shapes, want = [_shape(g) for g in got], [w.shape for w in like]
    if shapes != want and shapes == want[::-1]:
        raise Fail("reversed", c.t("For {tried}, {name} runs from the output back to the input: put the first "
                                   "layer's gradient first, in the order of Ws.", tried=tried, name=name))
    for i, (s, w) in enumerate(zip(shapes, want)):
        if s is not None and s != w and len(w) == 2 and s == w[::-1]:
            raise Fail("transposed", c.t("For {tried}, {name}[{i}] has shape {got} but W has shape {want}: dW has "
                                         "the shape of W, one row per neuron of the layer.",
                                         tried=tried, name=name, i=i, got=str(s), want=str(w)))
        if s is not None and len(w) == 1 and len(s) == 2 and s[-1] == w[0]:
            raise Fail("shape", c.t("For {tried}, {name}[{i}] has shape {got} but b has shape {want}: "
                                              "a bias is shared by every example, so its gradient adds up the "
                                              "examples' contributions, one number per neuron.",
                                              tried=tried, name=name, i=i, got=str(s), want=str(w)))
    return got


REVERSED = N_("Your lists run from the output back to the input: put the first layer's gradient first, in the "
              "order of Ws.")


def check_backward(c: Checker, backward) -> None:
    cases = ("square", "clip", "one")
    setups = {}
    for case in cases:
        sizes, params, X, Y = network_case(case)
        net = cv.MLP(sizes)
        fwd = net.forward(params, X)
        activations = [np.array(a) for a in fwd.activations]
        setups[case] = (net, net.backward(params, fwd, Y), plain(params)[0], activations, Y)

    def mistakes_of(case):
        _, want, Ws, activations, Y = setups[case]
        wrongs = [(kind, wrong_backward(Ws, activations, Y, **change), hint)
                  for kind, change, hint in BACKWARD_MISTAKES]
        return wrongs + [("reversed", (list(want.weights)[::-1], list(want.biases)[::-1]), REVERSED)]

    def diagnose(first):
        return next((hint for _, wrong, hint in mistakes_of(cases[0]) if _matches(first, wrong)), None)

    calls = [(setups[case][2:], case_words(c, case)) for case in cases]
    results = _run_everywhere(c, backward, calls, "backward", diagnose)
    for case, got, (_, words) in zip(cases, results, calls):
        net, want, _, _, _ = setups[case]
        pair = _array_list(c, got, 2, tried=words, name="backward", what=c.t("two lists, (dWs, dbs)"))
        dWs = _gradient_list(c, pair[0], list(want.weights), tried=words, name="dWs")
        dbs = _gradient_list(c, pair[1], list(want.biases), tried=words, name="dbs")
        wrongs = mistakes_of(case)
        L = net.depth
        for i in range(L - 1, -1, -1):        # from the output back, as the error flows
            hint = (N_("Start at the output: δ = ∂C/∂z there, then dW = δᵀ times the layer's input, db = δ summed "
                       "over the examples.") if i == L - 1 else
                    N_("The gradients of the later layers are right, so look at how δ gets from Ws[{later}] back "
                       "to Ws[{i}]: through the weights Ws[{later}], then tanh′ of the activations between them."))
            for k, (mine, core, label) in enumerate(((dWs, want.weights, "dWs"), (dbs, want.biases, "dbs"))):
                what = c.t("{label}[{index}] of {case}", case=words, label=label, index=i)
                c.expect(mine[i], core[i], tried=what, rtol=1e-7, atol=1e-12, name="backward", hint=hint, i=i,
                         later=i + 1, mistakes=[Mistake(kind, None if w is None else w[k][i], h)
                                                for kind, w, h in wrongs])


# --- exercise 4: the gradient by nudging -------------------------------------------------------------
def wrong_numerical(f, theta, eps, *, mistake: str) -> np.ndarray:
    theta = np.array(theta, dtype=float)
    grad = np.zeros_like(theta)
    if mistake == "all_at_once":
        return np.full_like(theta, (f(theta + eps) - f(theta - eps)) / (2 * eps))
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        if mistake == "forward":
            grad[i] = (f(theta + step) - f(theta)) / eps
        elif mistake == "no_half":
            grad[i] = (f(theta + step) - f(theta - step)) / eps
        elif mistake == "sign":
            grad[i] = (f(theta - step) - f(theta + step)) / (2 * eps)
        elif mistake == "not_undone":   # θᵢ nudged up, then down by 2eps, and left there
            theta[i] += eps
            up = f(theta.copy())
            theta[i] -= 2 * eps
            grad[i] = (up - f(theta.copy())) / (2 * eps)
    return grad


NUMERICAL_MISTAKES = (
    ("forward", N_("That is the forward difference, from θ to θ + eps; nudge each coordinate both ways, to "
                   "θᵢ + eps and θᵢ − eps, and divide by 2·eps.")),
    ("no_half", N_("Twice the slope: from θᵢ − eps to θᵢ + eps the run is 2·eps, not eps.")),
    ("sign", N_("The sign is flipped: the rise is f(θ + eps·eᵢ) − f(θ − eps·eᵢ), in that order.")),
    ("all_at_once", N_("Every coordinate got the same number: you nudged all of θ at once. Nudge one coordinate "
                       "at a time and leave the others where they are.")),
    ("not_undone", N_("The first coordinate is right and the later ones are off: after nudging θᵢ, put it back "
                      "before you nudge the next one (or nudge a copy).")),
)


def _curvy(theta):
    return theta[0] ** 2 * theta[1] + np.exp(theta[1]) + np.sin(theta[2])


@lru_cache(maxsize=1)
def clip_cost_case():
    """The clip's network's cost on all the XOR points as a function of its 25 parameters, and θ."""
    net, data = cv.MLP(CLIP_SIZES), xor()

    def cost_of(theta):
        return net.loss_of(unflatten(net, theta), data.X, data.y)
    return cost_of, np.array(flatten(clip_params()))


def check_numerical(c: Checker, numerical_gradient) -> None:
    cost_of, theta = clip_cost_case()
    for f, point, eps, words in (
            (_curvy, np.array([1.0, 0.5, 2.0]), 1e-2,
             c.t("f(θ) = θ₀²θ₁ + e^θ₁ + sin θ₂ at θ = [1, 0.5, 2] with eps = 0.01")),
            (cost_of, theta, 1e-5,
             c.t("the cost of the clip's network as a function of its {n} weights and biases, eps = 0.00001",
                 n=theta.size))):
        got = c.call(numerical_gradient, f, point, eps, tried=words, name="numerical_gradient")
        c.expect(got, cv.gradient(f, point, h=eps), tried=words, rtol=1e-6, atol=1e-9,
                 name="numerical_gradient", mistakes=[Mistake(kind, wrong_numerical(f, point, eps, mistake=kind), hint)
                           for kind, hint in NUMERICAL_MISTAKES],
                 hint=N_("For each coordinate i: (f(θ + eps·eᵢ) − f(θ − eps·eᵢ)) / (2·eps), where eᵢ is 1 at "
                         "coordinate i and 0 elsewhere."))


# --- exercise 5: training ----------------------------------------------------------------------------
def wrong_train(Ws, bs, X, Y, lr, steps, *, mistake: str) -> tuple[list, list, list]:
    """Full-batch gradient descent with one thing changed (the forward pass and cost done right)."""
    Ws, bs, losses = [W.copy() for W in Ws], [b.copy() for b in bs], []
    rate = {"no_lr": 1.0, "sign": -lr, "no_update": 0.0}.get(mistake, lr)
    for _ in range(steps):
        activations = wrong_forward(Ws, bs, X)
        losses.append(core_cost(activations[-1], Y))
        if mistake == "updated_early":   # each layer's weights updated before δ passes back through them
            delta = (activations[-1] - Y) / len(Y)
            for i in range(len(Ws) - 1, -1, -1):
                dW, db = delta.T @ activations[i], delta.sum(axis=0)
                Ws[i] -= lr * dW
                bs[i] -= lr * db
                if i > 0:
                    delta = (delta @ Ws[i]) * (1 - activations[i] ** 2)
            continue
        dWs, dbs = wrong_backward(Ws, activations, Y)
        for i in range(len(Ws)):
            Ws[i] -= rate * dWs[i]
            bs[i] -= rate * dbs[i]
    losses.append(core_cost(wrong_forward(Ws, bs, X)[-1], Y))   # and after the last step
    return Ws, bs, losses


TRAIN_MISTAKES = (
    ("no_update", N_("The loss never changes: your updates do not reach the weights. Assigning to a loop "
                     "variable changes only that name; put the new arrays back into the lists (or return new "
                     "lists).")),
    ("sign", N_("Your loss grows: the step goes uphill. Gradient descent moves against the gradient, "
                "W − lr·dW.")),
    ("no_lr", N_("The steps ignore the learning rate lr: each step is lr times the gradient.")),
    ("updated_early", N_("You updated some weights before every gradient was computed: take all of this step's "
                         "gradients with the same weights, then update them all.")),
)

TRAIN_CASES = {"small": (CLIP_SIZES, 20, 0.5, 5), "clip": (MOONS_SIZES, 200, MOONS_RUN["lr"], MOONS_RUN["steps"])}


@lru_cache(maxsize=None)
def train_case(name: str):
    """(start params, X, Y, lr, steps, the core's TrainingHistory) of a named case."""
    sizes, n, lr, steps = TRAIN_CASES[name]
    net = cv.MLP(sizes)
    if name == "clip":   # exactly the TrainingTheNetwork clip's run
        data, start = moons(), net.init(rng=MOONS_RUN["rng"])
        history = cv.train(net, data, optimizer="sgd", lr=lr, steps=steps, rng=MOONS_RUN["rng"], snapshot_steps=0)
        X, y = data.X, data.y
    else:                # a few steps on a few XOR points, from random weights and biases
        start = random_params(sizes, 31, 0.8)
        X, y = xor().X[:n], xor().y[:n]
        history = cv.train(net, (X, y), optimizer="sgd", lr=lr, steps=steps, params=start, snapshot_steps=0)
    return start, np.array(X), y[:, None].astype(float), lr, steps, history


def check_train(c: Checker, train) -> None:
    for case in ("small", "clip"):
        start, X, Y, lr, steps, history = train_case(case)
        sizes = TRAIN_CASES[case][0]
        Ws, bs = plain(start)
        if case == "clip":
            words = c.t("the clip's run (the {shape} network trained on the {n} moons points with lr = {lr} for "
                        "{steps} steps)", shape=shape_name(sizes), n=len(X), lr=lr, steps=steps)
        else:
            words = c.t("a {shape} network trained on {n} XOR points with lr = {lr} for {steps} steps",
                        shape=shape_name(sizes), n=len(X), lr=lr, steps=steps)
        got = c.call(train, Ws, bs, X, Y, lr, steps, tried=words, name="train")
        new_Ws, new_bs, losses = _array_list(c, got, 3, tried=words, name="train",
                                             what=c.t("three things, (Ws, bs, losses)"))
        # the loss before each step; the final loss after the last step may come too
        want = np.asarray(history.losses)
        if _shape(losses) == (steps + 1,):
            want_losses = want
        else:
            want_losses = want[:steps]
            if _shape(losses) == (steps,) and close(losses, want[1:], 1e-6, 1e-12):
                raise Fail("late", c.t("For {tried}, your losses are one step late: losses[0] is the cost of the "
                                       "starting weights, before the first update.", tried=words))
        arr = c.value(losses, want_losses, tried=words, name=c.t("the losses from train"))
        grows = np.all(np.isfinite(arr)) and arr[-1] > arr[0]
        hint = (N_("Your loss grows instead of shrinking: check the direction of the step, and that it is small "
                   "enough (too large a learning rate overshoots and climbs).") if grows else
                N_("Each step: forward pass, cost, backward pass, then every W and b moves by −lr times its "
                   "gradient."))
        wrongs = [(kind, wrong_train(Ws, bs, X, Y, lr, steps, mistake=kind), h) for kind, h in TRAIN_MISTAKES] \
            if case == "small" else []
        c.expect(arr, want_losses, tried=c.t("the losses of {case}", case=words), rtol=1e-6, atol=1e-12,
                 name="train", hint=hint,
                 mistakes=[Mistake(kind, np.asarray(w[2])[: len(want_losses)], h) for kind, w, h in wrongs])
        final = history.params
        for label, mine, core in (("Ws", new_Ws, final.weights), ("bs", new_bs, final.biases)):
            mine = _array_list(c, mine, len(core), tried=words, name=c.t("the {label} from train", label=label),
                               what=c.t("a list of {n} arrays, one per layer", n=len(core)))
            for i in range(len(core)):
                what = c.t("the trained {label}[{i}] of {case}", case=words, label=label, i=i)
                c.expect(mine[i], core[i], tried=what, rtol=1e-6, atol=1e-9, name="train",
                         hint=N_("The losses are right but the weights returned are not: return the weights after "
                                 "the last step."))


EXERCISES = (
    Exercise("forward", N_("Exercise 1: the forward pass"), ("forward",), check_forward),
    Exercise("cost", N_("Exercise 2: the cost"), ("cost",), check_cost),
    Exercise("backward", N_("Exercise 3: backpropagation"), ("backward",), check_backward),
    Exercise("numerical_gradient", N_("Exercise 4: the gradient by nudging"), ("numerical_gradient",),
             check_numerical),
    Exercise("train", N_("Exercise 5: training the network"), ("train",), check_train),
)
