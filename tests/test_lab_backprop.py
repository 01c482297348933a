"""Lab 3's checks: the reference answers pass, and each typical wrong answer fails with the hint meant for it."""
from __future__ import annotations


import textwrap

import numpy as np
import pytest

import calcviz as cv
from labs import backprop
from labs.catalogue import lab_entry
from tests.lab_answers import answer_tests, checker

EXERCISES = {e.name: e for e in lab_entry("backprop").exercises()}

# A right forward pass, cost and backward pass (written here, not taken from the lab), for the learner's
# `train`, which calls them.
PRELUDE = """
def forward(Ws, bs, X):
    out = [X]
    for W, b in zip(Ws[:-1], bs[:-1]):
        out.append(np.tanh(out[-1] @ W.T + b))
    out.append(1 / (1 + np.exp(-(out[-1] @ Ws[-1].T + bs[-1]))))
    return out

def cost(a_out, Y):
    return -(Y * np.log(a_out) + (1 - Y) * np.log(1 - a_out)).sum() / len(Y)

def backward(Ws, activations, Y):
    delta = (activations[-1] - Y) / Y.shape[0]
    dWs, dbs = [], []
    for i in range(len(Ws) - 1, -1, -1):
        dWs.insert(0, delta.T @ activations[i])
        dbs.insert(0, delta.sum(axis=0))
        delta = (delta @ Ws[i]) * (1 - activations[i] ** 2)
    return dWs, dbs
"""


def forward_with(z_line: str = "z = a @ W.T + b", hidden: str = "np.tanh(z)", output: str = "1 / (1 + np.exp(-z))",
                 result: str = "activations") -> str:
    return f"""
def forward(Ws, bs, X):
    activations = [X]
    for i, (W, b) in enumerate(zip(Ws, bs)):
        a = activations[-1]
        {z_line}
        activations.append({output} if i == len(Ws) - 1 else {hidden})
    return {result}
"""


def backward_with(delta: str = "(activations[-1] - Y) / n", dW: str = "delta.T @ activations[i]",
                  db: str = "delta.sum(axis=0)", back: str = "(delta @ Ws[i]) * (1 - activations[i] ** 2)",
                  result: str = "dWs, dbs") -> str:
    return f"""
def backward(Ws, activations, Y):
    n = len(Y)
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    delta = {delta}
    for i in reversed(range(len(Ws))):
        dWs[i] = {dW}
        dbs[i] = {db}
        delta = {back}
    return {result}
"""


def nudging_with(body: str) -> str:
    return "def numerical_gradient(f, theta, eps):\n    grad = np.zeros(len(theta))\n" + textwrap.indent(
        textwrap.dedent(body), "    ") + "    return grad\n"


def train_with(update: str = "Ws[i] = Ws[i] - lr * dWs[i]\nbs[i] = bs[i] - lr * dbs[i]", record: str = "before",
               result: str = "Ws, bs, losses") -> str:
    before = "losses.append(cost(acts[-1], Y))" if record == "before" else "pass"
    after = "losses.append(cost(forward(Ws, bs, X)[-1], Y))" if record == "after" else "pass"
    return PRELUDE + f"""
def train(Ws, bs, X, Y, lr, steps):
    losses = []
    for step in range(steps):
        acts = forward(Ws, bs, X)
        {before}
        dWs, dbs = backward(Ws, acts, Y)
        for i in range(len(Ws)):
{textwrap.indent(update, " " * 12)}
        {after}
    return {result}
"""


# exercise -> [(the kind of feedback it must give, a word of the hint, the learner's code)]
WRONG = {
    "forward": [
        ("raised", "go in transposed", forward_with(z_line="z = a @ W + b")),   # named, though it raises
        ("no_bias", "bias is missing", forward_with(z_line="z = a @ W.T")),
        ("tanh_output", "sigmoid", forward_with(output="np.tanh(z)")),
        ("sigmoid_hidden", "not the sigmoid", forward_with(hidden="1 / (1 + np.exp(-z))")),
        ("no_activation", "before the activation", forward_with(hidden="z")),
        ("no_output_activation", "probability", forward_with(output="z")),
        ("shape", "list of every layer", forward_with(result="activations[-1]")),
        ("shape", "input itself", forward_with(result="activations[1:]")),
        ("wrong", "Layer by layer", forward_with(hidden="np.maximum(z, 0)")),
        ("raised", "IndexError", "def forward(Ws, bs, X):\n    a1 = np.tanh(X @ Ws[0].T + bs[0])\n"
                                 "    a2 = np.tanh(a1 @ Ws[1].T + bs[1])\n"
                                 "    a3 = 1 / (1 + np.exp(-(a2 @ Ws[2].T + bs[2])))\n    return [X, a1, a2, a3]"),
        ("raised", "line 2", "def forward(Ws, bs, X):\n    return [X] + layers_of(X)"),
        ("nothing", "return", forward_with(result="")),
        ("timeout", "loop", "def forward(Ws, bs, X):\n    activations = [X]\n    while len(activations) > 0:\n"
                            "        activations.append(X)"),
        ("type", "dict", "def forward(Ws, bs, X):\n    return {'a0': X}"),
        ("nonfinite", "NaN", forward_with(hidden="np.tanh(z) / 0")),
    ],
    "cost": [
        ("summed", "average", "def cost(a_out, Y):\n    return -np.sum(Y * np.log(a_out) + (1 - Y) * np.log(1 - a_out))"),
        ("sign", "minus", "def cost(a_out, Y):\n    return np.mean(Y * np.log(a_out) + (1 - Y) * np.log(1 - a_out))"),
        ("swapped", "swapped",
         "def cost(a_out, Y):\n    return -np.mean(Y * np.log(1 - a_out) + (1 - Y) * np.log(a_out))"),
        ("only_y", "y = 0", "def cost(a_out, Y):\n    return -np.mean(Y * np.log(a_out))"),
        ("log10", "natural", "def cost(a_out, Y):\n"
                             "    return -np.mean(Y * np.log10(a_out) + (1 - Y) * np.log10(1 - a_out))"),
        ("squared", "squared", "def cost(a_out, Y):\n    return np.mean((a_out - Y) ** 2)"),
        ("half_squared", "cross-entropy", "def cost(a_out, Y):\n    return 0.5 * np.mean((a_out - Y) ** 2)"),
        ("wrong", "true label", "def cost(a_out, Y):\n    return -np.mean(np.log(a_out))"),
        ("nonfinite", "log of 0", "def cost(a_out, Y):\n    return -np.mean(Y * np.log(a_out - a_out))"),
        ("shape", "one number", "def cost(a_out, Y):\n    return -(Y * np.log(a_out) + (1 - Y) * np.log(1 - a_out))"),
    ],
    "backward": [
        ("sign", "wrong sign", backward_with(delta="(Y - activations[-1]) / n")),
        ("no_n", "too big", backward_with(delta="activations[-1] - Y")),
        ("twice_n", "twice", backward_with(dW="delta.T @ activations[i] / n", db="delta.sum(axis=0) / n")),
        ("bias_mean", "averaged", backward_with(db="delta.mean(axis=0)")),
        ("output_slope", "cancels",
         backward_with(delta="(activations[-1] - Y) / n * activations[-1] * (1 - activations[-1])")),
        ("transposed", "transpose of dW", backward_with(dW="activations[i].T @ delta")),
        ("own_output", "layer's input", backward_with(dW="delta.T @ activations[i + 1]")),
        ("no_slope", "forgot", backward_with(back="delta @ Ws[i]")),
        ("sigmoid_slope", "sigmoid", backward_with(back="(delta @ Ws[i]) * activations[i] * (1 - activations[i])")),
        ("tanh_of_a", "already", backward_with(back="(delta @ Ws[i]) * (1 - np.tanh(activations[i]) ** 2)")),
        ("raised", "through Wᵀ", backward_with(back="(delta @ Ws[i].T) * (1 - activations[i] ** 2)")),
        ("reversed", "from the output back", backward_with(result="dWs[::-1], dbs[::-1]")),
        ("shape", "shared by every example", backward_with(db="delta")),
        ("wrong", "Start at the output", backward_with(delta="(activations[-1] - Y) / (n + 1)")),
        ("wrong", "later layers are right", backward_with(back="(delta @ Ws[i]) * (1 - activations[i])")),
        ("type", "two lists", backward_with(result="{'dWs': dWs, 'dbs': dbs}")),
        ("shape", "(dWs, dbs)", backward_with(result="dWs")),
    ],
    "numerical_gradient": [
        ("forward", "forward difference", nudging_with("""
            for i in range(len(theta)):
                step = np.zeros(len(theta))
                step[i] = eps
                grad[i] = (f(theta + step) - f(theta)) / eps
            """)),
        ("no_half", "2·eps", nudging_with("""
            for i in range(len(theta)):
                step = np.zeros(len(theta))
                step[i] = eps
                grad[i] = (f(theta + step) - f(theta - step)) / eps
            """)),
        ("sign", "flipped", nudging_with("""
            for i in range(len(theta)):
                step = np.zeros(len(theta))
                step[i] = eps
                grad[i] = (f(theta - step) - f(theta + step)) / (2 * eps)
            """)),
        ("all_at_once", "at once", nudging_with("""
            grad[:] = (f(theta + eps) - f(theta - eps)) / (2 * eps)
            """)),
        ("not_undone", "put it back", nudging_with("""
            for i in range(len(theta)):
                theta[i] += eps
                up = f(theta)
                theta[i] -= 2 * eps
                grad[i] = (up - f(theta)) / (2 * eps)
            """)),
        ("wrong", "coordinate i", nudging_with("""
            for i in range(len(theta)):
                grad[i] = f(theta)
            """)),
        ("shape", "shape", "def numerical_gradient(f, theta, eps):\n    return (f(theta + eps) - f(theta - eps)) / (2 * eps)"),
    ],
    "train": [
        ("sign", "uphill", train_with(update="Ws[i] = Ws[i] + lr * dWs[i]\nbs[i] = bs[i] + lr * dbs[i]")),
        ("no_lr", "learning rate", train_with(update="Ws[i] = Ws[i] - dWs[i]\nbs[i] = bs[i] - dbs[i]")),
        ("no_update", "never changes", train_with(update="W, b = Ws[i], bs[i]\nW = W - lr * dWs[i]\nb = b - lr * dbs[i]")),
        ("updated_early", "before every gradient", PRELUDE + """
def train(Ws, bs, X, Y, lr, steps):
    losses = []
    for step in range(steps):
        acts = forward(Ws, bs, X)
        losses.append(cost(acts[-1], Y))
        delta = (acts[-1] - Y) / len(Y)
        for i in range(len(Ws) - 1, -1, -1):
            Ws[i] = Ws[i] - lr * (delta.T @ acts[i])
            bs[i] = bs[i] - lr * delta.sum(axis=0)
            delta = (delta @ Ws[i]) * (1 - acts[i] ** 2)
    return Ws, bs, losses
"""),
        ("wrong", "grows", train_with(update="Ws[i] = Ws[i] - 60 * lr * dWs[i]\nbs[i] = bs[i] - 60 * lr * dbs[i]")),
        ("late", "one step late", train_with(record="after")),
        ("wrong", "weights returned", train_with(update="Ws[i] = Ws[i] - lr * dWs[i]\nbs[i] = bs[i] - lr * dbs[i]",
                                                   result="Ws, [b * 0 for b in bs], losses")),
        ("shape", "(Ws, bs, losses)", train_with(result="losses")),
    ],
}

RIGHT = {
    "forward": """
def sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))

def forward(Ws, bs, X):
    a = X
    out = [a]
    for k in range(len(Ws)):
        z = np.einsum('ni,oi->no', a, Ws[k]) + bs[k][None, :]
        a = sigmoid(z) if k + 1 == len(Ws) else np.tanh(z)
        out.append(a)
    return tuple(out)
""",
    "cost": "def cost(a_out, Y):\n    a, y = a_out.ravel(), Y.ravel()\n"
            "    return float(sum(-np.log(p) if t == 1 else -np.log(1 - p) for p, t in zip(a, y)) / len(y))",
    "backward": """
def backward(Ws, activations, Y):
    grads_W, grads_b = [], []
    error = activations[-1] - Y
    error = error / error.shape[0]
    for W, a_in, a_out in zip(Ws[::-1], activations[-2::-1], activations[:0:-1]):
        if grads_W:   # not the output layer: through the weights above, then tanh'
            error = (error @ W_above) * (1 - a_out * a_out)
        grads_W.append(np.einsum('nj,nk->jk', error, a_in))
        grads_b.append(error.sum(0))
        W_above = W
    return grads_W[::-1], grads_b[::-1]
""",
    "numerical_gradient": """
def numerical_gradient(f, theta, eps):
    theta = np.array(theta, dtype=float)
    grad = []
    for i in range(theta.size):
        old = theta[i]
        theta[i] = old + eps
        up = f(theta.copy())
        theta[i] = old - eps
        down = f(theta.copy())
        theta[i] = old
        grad.append((up - down) / (2 * eps))
    return np.array(grad)
""",
    "train": PRELUDE + """
def train(Ws, bs, X, Y, lr, steps):
    Ws, bs = [W.copy() for W in Ws], [b.copy() for b in bs]
    losses = [cost(forward(Ws, bs, X)[-1], Y)]
    for _ in range(steps):
        dWs, dbs = backward(Ws, forward(Ws, bs, X), Y)
        for W, dW in zip(Ws, dWs):
            W -= lr * dW
        for b, db in zip(bs, dbs):
            b -= lr * db
        losses.append(cost(forward(Ws, bs, X)[-1], Y))
    return Ws, bs, losses   # with the cost after the last step too: steps + 1 numbers
""",
}


check = checker(EXERCISES)


(test_a_typical_mistake_fails_with_its_hint, test_another_right_answer_passes,
 test_every_exercise_has_wrong_answers_and_a_right_one) = answer_tests(EXERCISES, WRONG, RIGHT, check)


def test_the_training_check_is_the_clips_run():
    """The learner trains exactly the TrainingTheNetwork clip's run: its data, network, start and numbers."""
    start, X, Y, lr, steps, history = backprop.train_case("clip")
    clip = cv.train(cv.MLP((2, 6, 6, 1)), cv.make_dataset("moons", 200, rng=1), optimizer="sgd", lr=1.0, steps=400,
                    rng=1, snapshot_steps=2)
    assert (lr, steps) == (1.0, 400)
    np.testing.assert_array_equal(X, clip.X)
    np.testing.assert_array_equal(history.losses, clip.losses)
    for W, W0 in zip(start.weights, clip.snapshot(0).params.weights):
        np.testing.assert_array_equal(W, W0)
    assert history.losses[-1] < 0.01 and history.accuracy == 1.0


def test_the_backward_check_uses_the_clips_weights():
    """The clip's network and weights: δ at the output for its example 4 is a − y."""
    params, data = backprop.clip_params(), backprop.xor()
    net = cv.MLP((2, 3, 3, 1))
    fwd = net.forward(params, data.X[4])
    grads = net.backward(params, fwd, data.y[4:5])
    assert grads.biases[-1][0] == pytest.approx(fwd.output[0, 0] - data.y[4])


def test_a_mistake_in_another_language_keeps_its_kind():
    feedback = check("cost", WRONG["cost"][0][2], "id")
    assert feedback.kind == "summed" and not feedback.passed
