# %% [markdown]
# # Lab 3 — Backpropagation
#
# A network learns by nudging every weight a little downhill on the cost. For that it needs the slope of the
# cost with respect to every weight and every bias — and backpropagation gets them all in one sweep, by the
# chain rule, from the output back to the input. In this lab you write the whole thing yourself: the forward
# pass, the cost, the backward pass, a check of it by nudging, and the training loop. At the end you train
# the network of the clip and watch its decision boundary bend around the moons.

# %% [markdown]
# Run each cell with Shift+Enter. Where you see `...`, write the code; the check in the cell below it tells
# you what it tried, what it expected and what came back.

# %% [markdown]
# **The notation.** A network with L layers of weights is two Python lists, `Ws` and `bs`. `Ws[i]` has one
# row per neuron of its layer and one column per input to it, shape (n_out, n_in); `bs[i]` has one number
# per neuron. Python counts from 0, so `Ws[0]` is the clip's W⁽¹⁾. The examples are the rows of `X`, so a
# whole batch goes through a layer at once as $z = a\,W^\top + b$.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np

import calcviz as cv
from labs.lab import Lab

lab = Lab("backprop", lang="en")

# The Backpropagation clip's network: 2 inputs, two hidden layers of 3 tanh neurons, one sigmoid output,
# with the weights it learned on the XOR points (the clip trains it with Adam, 400 steps).
xor = cv.make_dataset("xor", 200, rng=0)
clip_run = cv.train(cv.MLP((2, 3, 3, 1)), xor, lr=0.01, steps=400, rng=1, snapshot_steps=0)
Ws = [np.array(W) for W in clip_run.params.weights]
bs = [np.array(b) for b in clip_run.params.biases]
X = np.array(xor.X)                  # one example per row, shape (200, 2)
Y = xor.y[:, None].astype(float)     # the targets as a column, shape (200, 1)
print([W.shape for W in Ws], [b.shape for b in bs])

# %% [markdown]
# ## Exercise 1: the forward pass
#
# Layer by layer, each layer takes the activations of the layer before it, $a^{(l-1)}$, and computes
# $$z^{(l)} = a^{(l-1)}\,W^{(l)\top} + b^{(l)}, \qquad a^{(l)} = \tanh\big(z^{(l)}\big)$$
# except the output layer, which squashes its z into a probability with the sigmoid,
# $a^{(L)} = \sigma\big(z^{(L)}\big) = \dfrac{1}{1 + e^{-z^{(L)}}}$.
#
# Write `forward`. It returns the list of every layer's activations, starting with the input itself:
# `[X, a1, ..., aL]`. The backward pass will need all of them. Make it work for any number of layers.

# %%
def forward(Ws, bs, X):
    """The activations [a⁰ = X, a¹, …, aᴸ]: z = a Wᵀ + b, then tanh, or σ at the output."""
    # BEGIN SOLUTION
    activations = [X]
    for i, (W, b) in enumerate(zip(Ws, bs)):
        z = activations[-1] @ W.T + b
        if i == len(Ws) - 1:
            activations.append(1 / (1 + np.exp(-z)))
        else:
            activations.append(np.tanh(z))
    return activations
    # END SOLUTION

# %% tags=["check"]
lab.check("forward", forward)

# %% [markdown]
# Your forward pass at every point of the plane: the colour is the network's answer a, the black line is
# where a = ½ — the decision boundary — and the dots are the XOR points, blue for y = 0 and red for y = 1.
# These are the weights the clip's network learned, so it already gets most of the points right.

# %%
def plot_answers(ax, Ws, bs, data):
    """The network's answer over the plane, its decision boundary and the data points."""
    (x0, x1), (y0, y1) = data.bounds()
    gx, gy = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    a = np.reshape(forward(Ws, bs, grid)[-1], gx.shape)
    filled = ax.contourf(gx, gy, a, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.4)
    ax.contour(gx, gy, a, levels=[0.5], colors="k", linewidths=2)
    for label, colour in ((0, "#2166ac"), (1, "#b2182b")):
        mine = data.y == label
        ax.scatter(data.X[mine, 0], data.X[mine, 1], color=colour, edgecolors="white", linewidths=0.6, s=22)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_aspect("equal")
    return filled


if lab.ready("forward"):
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    fig.colorbar(plot_answers(ax, Ws, bs, xor), ax=ax, label=lab.t("the network's answer a"))
    ax.set_title(lab.t("The clip's network on the XOR points"))
    plt.show()

# %% [markdown]
# ## Exercise 2: the cost
#
# For a yes/no answer the cost is the cross-entropy: an example with y = 1 pays $-\log a$, one with y = 0
# pays $-\log(1 - a)$, and the cost is the average over the N examples,
# $$C = -\frac{1}{N}\sum_{n=1}^{N} \Big[y_n \log a_n + (1 - y_n)\log(1 - a_n)\Big].$$
# A confident wrong answer (a near 0 when y = 1) costs a lot; a right one costs almost nothing. `a_out` and
# `Y` are both columns, one row per example.

# %%
def cost(a_out, Y):
    """The cross-entropy −mean(Y log a + (1 − Y) log(1 − a)) over the examples."""
    # BEGIN SOLUTION
    return -np.mean(Y * np.log(a_out) + (1 - Y) * np.log(1 - a_out))
    # END SOLUTION

# %% tags=["check"]
lab.check("cost", cost)

# %%
if lab.ready("forward") and lab.ready("cost"):
    print(lab.t("Your cost of the clip's network on the XOR points: {C:.4f} (the core says {core:.4f})",
                C=cost(forward(Ws, bs, X)[-1], Y), core=clip_run.fun))

# %% [markdown]
# ## Exercise 3: backpropagation
#
# Call $\delta^{(l)} = \partial C / \partial z^{(l)}$ the error of layer l: one number per example and neuron.
# The chain rule gives every gradient from it, starting at the output and working back.
#
# - **At the output.** With the sigmoid and the cross-entropy together, σ′ cancels against the 1/a of the
#   logarithm and the error is simply $\delta^{(L)} = (a^{(L)} - y)/N$ (the N because the cost is an average).
# - **The weights and bias of layer l.** $z = a^{(l-1)} W^\top + b$, so each weight's slope is the error at
#   its end times the activation feeding it, summed over the examples: $\partial C/\partial W^{(l)} =
#   \delta^{(l)\top} a^{(l-1)}$, the shape of $W^{(l)}$. A bias feeds every example with a 1, so
#   $\partial C/\partial b^{(l)}$ is $\delta^{(l)}$ summed over the examples (the rows).
# - **Back one layer.** The error flows back through the weights, then through the slope of tanh,
#   $\tanh'(z) = 1 - \tanh^2(z) = 1 - a^2$, element by element:
#   $\delta^{(l-1)} = \big(\delta^{(l)}\, W^{(l)}\big) \odot \big(1 - (a^{(l-1)})^2\big)$.
#
# Write `backward`. It gets the weights and the activations your forward pass made, and returns two lists,
# `(dWs, dbs)`, with `dWs[i]` the shape of `Ws[i]` and `dbs[i]` the shape of `bs[i]`. (It needs no biases:
# they are already inside the activations.)

# %%
def backward(Ws, activations, Y):
    """(dWs, dbs): δ = (a − y)/N at the output, dW = δᵀa, db = Σδ, then δ ← (δ W) ⊙ (1 − a²) going back."""
    # BEGIN SOLUTION
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    delta = (activations[-1] - Y) / len(Y)
    for i in reversed(range(len(Ws))):
        dWs[i] = delta.T @ activations[i]
        dbs[i] = delta.sum(axis=0)
        if i > 0:
            delta = (delta @ Ws[i]) * (1 - activations[i] ** 2)
    return dWs, dbs
    # END SOLUTION

# %% tags=["check"]
lab.check("backward", backward)

# %% [markdown]
# The clip followed one training point, number 4, through this network. On one example the bias gradient
# is the error δ itself, so your backward pass should give the numbers the clip wrote: the error at the
# output and the slopes of the three weights it marked.

# %%
if lab.ready("forward") and lab.ready("backward"):
    x4, y4 = X[4:5], Y[4:5]
    dWs, dbs = backward(Ws, forward(Ws, bs, x4), y4)
    print(lab.t("δ at the output: {delta:.2f}", delta=float(np.ravel(dbs[-1])[0])))
    print(lab.t("the slopes the clip marks: {w3:.2f} (layer 3), {w2:.2f} (layer 2), {w1:.2f} (layer 1)",
                w3=dWs[2][0, 0], w2=dWs[1][2, 2], w1=dWs[0][0, 0]))

# %% [markdown]
# ## Exercise 4: the gradient by nudging
#
# How do you know your backward pass is right? Nudge each weight and watch the cost, as in the first lab:
# for a function f of a vector θ, the central difference in coordinate i is
# $$\frac{\partial f}{\partial \theta_i} \approx \frac{f(\theta + \varepsilon e_i) - f(\theta - \varepsilon e_i)}{2\varepsilon},$$
# where $e_i$ is 1 in coordinate i and 0 elsewhere. Write `numerical_gradient`: it returns one such
# number for every coordinate of θ. Nudge one coordinate at a time, and leave θ as you found it.

# %%
def numerical_gradient(f, theta, eps):
    """Every ∂f/∂θᵢ by central differences: (f(θ + eps·eᵢ) − f(θ − eps·eᵢ)) / 2eps."""
    # BEGIN SOLUTION
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        nudge = np.zeros(len(theta))
        nudge[i] = eps
        grad[i] = (f(theta + nudge) - f(theta - nudge)) / (2 * eps)
    return grad
    # END SOLUTION

# %% tags=["check"]
lab.check("numerical_gradient", numerical_gradient)

# %% [markdown]
# Now the gradient check, which every serious implementation of backpropagation goes through. Lay all 25
# weights and biases of the clip's network out in one vector θ, write the cost as a function of θ, and
# compare its nudged gradient with your backward pass, number by number. Nudging needs two forward passes
# per weight; backpropagation gets all 25 slopes from one forward and one backward pass — that is why
# networks are trained with it. The two should agree to many digits: every dot on the diagonal, and a
# relative difference below 10⁻⁷. A bug in the backward pass shows as 10⁻² or more.

# %%
def flatten(Ws, bs):
    """All weights and biases in one vector: Ws[0] row by row, bs[0], Ws[1], bs[1], …"""
    return np.concatenate([np.ravel(p) for W, b in zip(Ws, bs) for p in (W, b)])


def unflatten(theta, Ws, bs):
    """The vector θ cut back into arrays of the shapes of Ws and bs."""
    new_Ws, new_bs, start = [], [], 0
    for W, b in zip(Ws, bs):
        new_Ws.append(theta[start:start + W.size].reshape(W.shape))
        start += W.size
        new_bs.append(theta[start:start + b.size].reshape(b.shape))
        start += b.size
    return new_Ws, new_bs


def cost_of(theta):
    """The cost of the clip's network on the XOR points, as a function of all its parameters at once."""
    return cost(forward(*unflatten(theta, Ws, bs), X)[-1], Y)


if all(lab.ready(name) for name in ("forward", "cost", "backward", "numerical_gradient")):
    by_backprop = flatten(*backward(Ws, forward(Ws, bs, X), Y))
    by_nudging = numerical_gradient(cost_of, flatten(Ws, bs), 1e-5)
    if by_backprop.shape == by_nudging.shape:
        # the usual measure: the size of the difference against the size of the gradients
        gap = np.linalg.norm(by_backprop - by_nudging) / (np.linalg.norm(by_backprop) + np.linalg.norm(by_nudging))
        print(lab.t("relative difference: {d:.1e}", d=gap))
        span = np.max(np.abs(by_nudging)) * 1100
        fig, ax = plt.subplots(figsize=(4.6, 4.6))
        ax.plot([-span, span], [-span, span], color="0.7", lw=1)
        ax.scatter(1000 * by_nudging, 1000 * by_backprop, s=22)
        ax.set_xlabel(lab.t("∂C/∂θᵢ by nudging (× 1000)"))
        ax.set_ylabel(lab.t("∂C/∂θᵢ by backpropagation (× 1000)"))
        ax.set_title(lab.t("The gradient check: {n} slopes", n=by_nudging.size))
        plt.show()

# %% [markdown]
# ## Exercise 5: training the network
#
# Training is a loop, and you now have every piece of it. Each step: the forward pass, the cost, the
# backward pass, then every weight and bias takes a small step downhill,
# $$W \leftarrow W - \eta\,\frac{\partial C}{\partial W}, \qquad b \leftarrow b - \eta\,\frac{\partial C}{\partial b},$$
# with the learning rate η (`lr`). This is plain gradient descent on the whole data set at once, exactly
# what the clip TrainingTheNetwork does.
#
# Write `train`. It returns the trained `Ws` and `bs` and the list of losses: `losses[k]` is the cost of
# the weights step k starts from, so `losses[0]` is the cost before any training. Compute all of a step's
# gradients before you change any weight.

# %%
def train(Ws, bs, X, Y, lr, steps):
    """(Ws, bs, losses) after `steps` steps of W ← W − lr·dW and b ← b − lr·db."""
    # BEGIN SOLUTION
    losses = []
    for step in range(steps):
        activations = forward(Ws, bs, X)
        losses.append(cost(activations[-1], Y))
        dWs, dbs = backward(Ws, activations, Y)
        Ws = [W - lr * dW for W, dW in zip(Ws, dWs)]
        bs = [b - lr * db for b, db in zip(bs, dbs)]
    return Ws, bs, losses
    # END SOLUTION

# %% tags=["check"]
lab.check("train", train)

# %% [markdown]
# The clip's run, with your code: the two moons, a network with two hidden layers of 6 tanh neurons,
# the clip's starting weights, learning rate 1 and 400 steps. On the left the decision boundary your
# trained network draws; on the right the loss falling, with a long flat stretch where the network hesitates
# before it finds how to bend around the moons.

# %%
moons = cv.make_dataset("moons", 200, rng=1)   # the clip's data
start = cv.MLP((2, 6, 6, 1)).init(rng=1)       # the clip's starting weights; the biases start at 0
if all(lab.ready(name) for name in ("forward", "cost", "backward", "train")):
    moons_Y = moons.y[:, None].astype(float)
    steps = 400
    trained_Ws, trained_bs, losses = train([np.array(W) for W in start.weights],
                                           [np.array(b) for b in start.biases], np.array(moons.X), moons_Y, 1.0, steps)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1.15, 1]})
    plot_answers(left, trained_Ws, trained_bs, moons)
    left.set_title(lab.t("Your network after {steps} steps", steps=steps))
    right.plot(np.arange(len(losses)), losses, lw=2)
    right.set_xlabel(lab.t("step"))
    right.set_ylabel(lab.t("cost C"))
    right.set_ylim(bottom=0)
    right.set_title(lab.t("The loss"))
    fig.tight_layout()
    plt.show()
    accuracy = np.mean((forward(trained_Ws, trained_bs, moons.X)[-1] > 0.5) == moons_Y)
    print(lab.t("cost after training: {C:.4f}; points on the right side: {share:.0%}",
                C=cost(forward(trained_Ws, trained_bs, moons.X)[-1], moons_Y), share=accuracy))

# %% [markdown]
# Try other learning rates from the same start. Too small, and 400 steps never get past the flat stretch;
# too large, and each step overshoots the valley it should go down: the loss jumps about and climbs instead
# of falling. Change the list and run the cell again. (Where a curve breaks off, an output reached exactly
# 0 or 1 and the log in the cost gave infinity.)

# %%
if all(lab.ready(name) for name in ("forward", "cost", "backward", "train")):
    fig, ax = plt.subplots(figsize=(7, 3.8))
    with np.errstate(all="ignore"):   # a runaway step may take the log of 0
        for lr in [0.1, 1.0, 30.0]:
            _, _, tried = train([np.array(W) for W in start.weights], [np.array(b) for b in start.biases],
                                np.array(moons.X), moons.y[:, None].astype(float), lr, 400)
            ax.plot(tried, label=lab.t("lr = {lr}", lr=lr))
    ax.set_yscale("log")
    ax.set_title(lab.t("Three learning rates from the same start"))
    ax.set_xlabel(lab.t("step"))
    ax.set_ylabel(lab.t("cost C"))
    ax.legend()
    plt.show()

# %% [markdown]
# ## Your score

# %%
print(lab.score())
