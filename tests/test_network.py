"""The network core: backpropagation against finite differences, cost formulas, and training runs."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.special import expit

from calcviz.errors import CalcvizError
from calcviz.network import HIDDEN, MLP, Params, flatten, train, unflatten
from calcviz.result import Status
from calcviz.toy_data import make_dataset, spiral, standardize


def raises_one_line(match, fn, *args, **kwargs):
    with pytest.raises(CalcvizError, match=match) as info:
        fn(*args, **kwargs)
    assert "\n" not in str(info.value)


def numerical_gradient(network, theta, X, Y, h=1e-6):
    """∂C/∂θᵢ ≈ (C(θ + h eᵢ) − C(θ − h eᵢ)) / 2h, one parameter at a time."""
    def C(t):
        return network.loss_of(unflatten(network, t), X, Y)
    return np.array([(C(theta + h * e) - C(theta - h * e)) / (2 * h) for e in np.eye(len(theta))])


@st.composite
def networks_and_batches(draw):
    """A random small network (any activation, output and loss), its weights, and a batch."""
    hidden = draw(st.sampled_from(sorted(HIDDEN)))
    output = draw(st.sampled_from(["sigmoid", "softmax"]))
    loss = draw(st.sampled_from(["mse", "cross_entropy"]))
    n_out = draw(st.integers(2, 4)) if output == "softmax" else draw(st.integers(1, 3))
    sizes = (draw(st.integers(1, 3)), *draw(st.lists(st.integers(1, 5), max_size=2)), n_out)
    network = MLP(sizes, hidden=hidden, output=output, loss=loss)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    params = network.init(rng)
    params = Params(params.weights, tuple(rng.normal(0, 0.5, b.shape) for b in params.biases))  # non-zero biases
    n = draw(st.integers(1, 6))
    X = rng.normal(size=(n, sizes[0]))
    if output == "softmax" or n_out > 1:
        y = rng.integers(0, n_out, n)
    else:
        y = rng.integers(0, 2, n)
    return network, params, X, y


@given(networks_and_batches())
def test_backprop_matches_finite_differences(case):
    network, params, X, y = case
    if network.hidden == "relu":
        # A central difference straddling a ReLU kink is not a derivative; keep away from z = 0.
        forward = network.forward(params, X)
        assume(all(np.abs(forward.z(l)).min() > 1e-3 for l in range(1, network.depth)))
    C, grads = network.loss_and_grad(params, X, y)
    numeric = numerical_gradient(network, flatten(params), X, network.targets(y))
    assert np.allclose(flatten(grads), numeric, rtol=1e-5, atol=1e-7)
    assert C == pytest.approx(network.loss_of(params, X, y))


@pytest.mark.parametrize("hidden", sorted(HIDDEN))
@pytest.mark.parametrize("output, loss", [("sigmoid", "mse"), ("sigmoid", "cross_entropy"),
                                          ("softmax", "mse"), ("softmax", "cross_entropy")])
def test_finite_difference_error_shrinks_like_h_squared(hidden, output, loss):
    # If backprop is the exact derivative, the central difference's error against it is
    # c·h² for small h: halving h must cut it about 4×. A wrong gradient would leave a
    # constant error that does not shrink.
    network = MLP((2, 4, 3), hidden=hidden, output=output, loss=loss)
    rng = np.random.default_rng(11)
    params = network.init(rng)
    X, y = rng.normal(size=(5, 2)), rng.integers(0, 3, 5)
    theta, g = flatten(params), flatten(network.loss_and_grad(params, X, y)[1])
    direction = rng.normal(size=theta.shape)  # the derivative along one random direction
    exact = g @ direction
    hs = (2e-3, 1e-3)
    if hidden == "relu":  # no ReLU kink crossed between θ − hd and θ + hd
        signs = [np.sign(network.forward(unflatten(network, theta + s * hs[0] * direction), X).z(1)) for s in (-1, 1)]
        assert np.array_equal(*signs)

    def slope(h):
        up = network.loss_of(unflatten(network, theta + h * direction), X, y)
        down = network.loss_of(unflatten(network, theta - h * direction), X, y)
        return (up - down) / (2 * h)

    errors = [abs(slope(h) - exact) for h in hs]
    assert 3.0 < errors[0] / errors[1] < 5.0


def test_cost_formulas_by_hand():
    # A 1-1 network: a = σ(w x + b). Both costs written out with np.log on a, not on z.
    network_ce = MLP((1, 1), loss="cross_entropy")
    network_mse = MLP((1, 1), loss="mse")
    params = Params((np.array([[1.5]]),), (np.array([-0.5]),))
    X, y = np.array([[0.3], [-1.0], [2.0]]), np.array([1, 0, 1])
    a = expit(1.5 * X[:, 0] - 0.5)
    ce = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    mse = np.mean((a - y) ** 2) / 2
    assert network_ce.loss_of(params, X, y) == pytest.approx(ce, rel=1e-12)
    assert network_mse.loss_of(params, X, y) == pytest.approx(mse, rel=1e-12)
    # The gradient of the one weight, by hand: ∂C/∂w = mean((a − y) x) for cross-entropy.
    grads = network_ce.loss_and_grad(params, X, y)[1]
    assert grads.weights[0][0, 0] == pytest.approx(np.mean((a - y) * X[:, 0]), rel=1e-12)
    assert grads.biases[0][0] == pytest.approx(np.mean(a - y), rel=1e-12)


def test_cross_entropy_stays_finite_when_the_output_saturates():
    # σ(800) is exactly 1.0 in floating point; log(1 − a) would be −inf. From z the cost is 800.
    network = MLP((1, 1))
    params = Params((np.array([[800.0]]),), (np.array([0.0]),))
    C, grads = network.loss_and_grad(params, [[1.0]], [0])
    assert C == pytest.approx(800.0) and np.all(np.isfinite(flatten(grads)))


def test_two_unit_softmax_is_a_sigmoid_of_the_difference():
    # softmax(z₁, z₂)₂ = σ(z₂ − z₁): a softmax pair with the first unit's weights at zero is
    # the one-unit sigmoid network, so costs and the shared gradients agree.
    rng = np.random.default_rng(2)
    sig = MLP((2, 3, 1), hidden="tanh", output="sigmoid")
    soft = MLP((2, 3, 2), hidden="tanh", output="softmax")
    p = sig.init(rng)
    W2 = np.vstack([np.zeros((1, 3)), p.weights[1]])
    b2 = np.concatenate([[0.0], p.biases[1]])
    q = Params((p.weights[0], W2), (p.biases[0], b2))
    X, y = rng.normal(size=(8, 2)), rng.integers(0, 2, 8)
    (C1, g1), (C2, g2) = sig.loss_and_grad(p, X, y), soft.loss_and_grad(q, X, y)
    assert C1 == pytest.approx(C2, rel=1e-12)
    assert np.allclose(g1.weights[0], g2.weights[0]) and np.allclose(g1.weights[1], g2.weights[1][1])
    assert np.allclose(soft.predict(q, X)[:, 1], sig.predict(p, X)[:, 0])


def test_forward_keeps_every_layer():
    network = MLP((2, 4, 3, 1), hidden="relu")
    params = network.init(rng=0)
    X = np.random.default_rng(0).normal(size=(6, 2))
    fwd = network.forward(params, X)
    assert np.array_equal(fwd.a(0), X)
    for l in (1, 2, 3):
        W, b = params.layers[l - 1]
        assert np.allclose(fwd.z(l), fwd.a(l - 1) @ W.T + b)
        assert np.allclose(fwd.a(l), network.activation(l)(fwd.z(l)))
    assert [a.shape for a in fwd.activations] == [(6, 2), (6, 4), (6, 3), (6, 1)]
    assert np.all(fwd.a(1) >= 0)  # ReLU
    with pytest.raises(ValueError):
        fwd.a(1)[0, 0] = 1.0  # frozen
    raises_one_line("layers are 0 … 3", fwd.a, 4)
    raises_one_line("1 … 3", fwd.z, 0)
    # One input is a batch of one: the per-neuron activations of one point.
    one = network.forward(params, X[2])
    assert np.allclose(one.a(2)[0], fwd.a(2)[2])


@given(st.lists(st.integers(1, 6), min_size=2, max_size=5), st.integers(0, 2**32 - 1))
def test_flatten_and_unflatten_are_inverse(sizes, seed):
    network = MLP(tuple(sizes))
    params = network.init(seed)
    theta = flatten(params)
    assert theta.shape == (network.n_params,)
    back = unflatten(network, theta)
    assert all(np.array_equal(a, b) for a, b in zip(back.weights + back.biases, params.weights + params.biases))
    assert np.array_equal(flatten(back), theta)


def test_a_stack_of_networks_gives_each_networks_loss():
    network = MLP((2, 5, 1))
    rng = np.random.default_rng(4)
    thetas = rng.normal(size=(7, network.n_params))
    X, y = rng.normal(size=(9, 2)), rng.integers(0, 2, 9)
    together = network.loss_of(unflatten(network, thetas), X, y)
    one_by_one = [network.loss_of(unflatten(network, t), X, y) for t in thetas]
    assert together.shape == (7,) and np.allclose(together, one_by_one, rtol=1e-13)
    raises_one_line("has 21 parameters", unflatten, network, np.zeros(20))


def test_initial_weights_have_the_glorot_or_he_spread():
    wide = 2000
    relu = MLP((wide, wide, 1), hidden="relu").init(0).weights[0]
    tanh = MLP((wide, wide, 1), hidden="tanh").init(0).weights[0]
    assert relu.std() == pytest.approx(np.sqrt(2 / wide), rel=0.01)
    assert tanh.std() == pytest.approx(np.sqrt(2 / (2 * wide)), rel=0.01)
    assert np.array_equal(MLP((2, 3, 1)).init(5).weights[0], MLP((2, 3, 1)).init(5).weights[0])


@pytest.mark.parametrize("kwargs, match", [
    ({"sizes": (2,)}, "at least an input and an output"),
    ({"sizes": (2, 0, 1)}, "whole numbers ≥ 1"),
    ({"sizes": (2, 2.5, 1)}, "whole numbers ≥ 1"),
    ({"sizes": (2, 3, 1), "hidden": "gelu"}, "unknown hidden activation 'gelu'; known: sigmoid, tanh, relu"),
    ({"sizes": (2, 3, 1), "output": "tanh"}, "unknown output activation 'tanh'; known: sigmoid, softmax"),
    ({"sizes": (2, 3, 1), "loss": "hinge"}, "unknown loss 'hinge'; known: mse, cross_entropy"),
    ({"sizes": (2, 3, 1), "output": "softmax"}, "softmax output needs at least 2 units"),
])
def test_bad_architectures_are_one_line_errors(kwargs, match):
    raises_one_line(match, MLP, **kwargs)


# --- training ------------------------------------------------------------------------------
MOONS = make_dataset("moons", 200, 0.1, rng=0)


@pytest.mark.parametrize("name", ["moons", "circles", "xor", "spiral"])
def test_training_lowers_the_loss_on_every_data_set(name):
    data = make_dataset(name, 300, 0.1, rng=1)
    history = train(MLP((2, 16, 16, 1)), data, lr=0.02, steps=600, rng=2, snapshot_steps=0)
    assert history.status is Status.MAX_STEPS and history.nit == 600
    assert history.fun < 0.25 * history.losses[0]
    assert history.accuracy > 0.9
    # Smoothed over 50 steps, the loss goes down (Adam may wobble from one step to the next).
    smooth = np.convolve(history.losses, np.ones(50) / 50, mode="valid")[::50]
    assert np.all(np.diff(smooth) < 0)


def test_small_step_gradient_descent_never_raises_the_loss():
    # The descent lemma: with a step below 1/L, C(θ − lr ∇C) ≤ C(θ) at every step.
    history = train(MLP((2, 8, 1)), MOONS, optimizer="sgd", lr=0.05, steps=300, rng=0, snapshot_steps=0)
    assert np.all(np.diff(history.losses) <= 1e-15)


def test_one_step_of_sgd_is_theta_minus_lr_times_the_gradient():
    network = MLP((2, 5, 1))
    start = network.init(9)
    history = train(network, MOONS, optimizer="sgd", lr=0.3, steps=1, params=start, snapshot_steps=[0, 1])
    C, grads = network.loss_and_grad(start, MOONS.X, MOONS.y)
    assert history.losses[0] == pytest.approx(C, rel=1e-14)
    assert np.allclose(history.x, flatten(start) - 0.3 * flatten(grads), rtol=1e-13, atol=1e-15)
    assert history.losses[1] == pytest.approx(network.loss_of(history.params, MOONS.X, MOONS.y), rel=1e-14)


def test_the_seed_decides_everything():
    def run(seed, batch=None):
        return train(MLP((2, 6, 1)), MOONS, lr=0.05, steps=80, rng=seed, batch_size=batch, snapshot_steps=3)

    a, b, c = run(3), run(3), run(4)
    assert np.array_equal(a.losses, b.losses) and np.array_equal(a.x, b.x)
    assert np.array_equal(a.snapshots[1].outputs, b.snapshots[1].outputs)
    assert not np.allclose(a.losses, c.losses)
    m1, m2 = run(3, batch=32), run(3, batch=32)
    assert np.array_equal(m1.losses, m2.losses) and not np.allclose(m1.losses, a.losses)
    # The seed's first use is the initial weights: step 0 is MLP.init with the same seed.
    assert np.array_equal(a.snapshots[0].params.weights[0], MLP((2, 6, 1)).init(3).weights[0])
    assert a.hyperparams["seed"] == 3


def test_a_batch_of_everything_is_full_batch_training():
    # A mini-batch holding all n examples (shuffled) has the same gradient, up to rounding.
    full = train(MLP((2, 6, 1)), MOONS, lr=0.05, steps=100, rng=5, snapshot_steps=0)
    batch = train(MLP((2, 6, 1)), MOONS, lr=0.05, steps=100, rng=5, batch_size=MOONS.n, snapshot_steps=0)
    assert np.allclose(full.losses, batch.losses, rtol=1e-9)


def test_mini_batches_train_too():
    history = train(MLP((2, 16, 1)), MOONS, lr=0.01, steps=400, batch_size=20, rng=0, snapshot_steps=0)
    assert history.fun < 0.5 * history.losses[0] and history.accuracy > 0.85


def test_xor_needs_a_hidden_layer():
    # No hidden layer: the boundary is a straight line, which gets at most about 3/4 of XOR.
    data = make_dataset("xor", 400, 0.05, rng=3)
    linear = train(MLP((2, 1)), data, lr=0.05, steps=800, rng=0, snapshot_steps=0)
    hidden = train(MLP((2, 8, 1)), data, lr=0.05, steps=800, rng=0, snapshot_steps=0)
    assert linear.accuracies.max() < 0.8 and hidden.accuracy > 0.95


def test_the_spiral_is_learned_to_high_accuracy():
    # Two arms of 1.5 turns, 400 points, noise 0.1: a 2-16-16-1 tanh network with Adam
    # (lr 0.01, 2000 full-batch steps) separates them almost perfectly.
    data = spiral(400, 0.1, rng=0, turns=1.5)
    history = train(MLP((2, 16, 16, 1)), data, lr=0.01, steps=2000, rng=0, snapshot_steps=0)
    assert history.accuracy >= 0.98


def test_softmax_learns_a_three_arm_spiral():
    data = spiral(300, 0.05, rng=1, arms=3, turns=1.0)
    history = train(MLP((2, 24, 24, 3), output="softmax"), data, lr=0.01, steps=1500, rng=0, snapshot_steps=2)
    assert history.accuracy >= 0.95
    assert history.snapshots[-1].outputs.shape == (100, 100, 3)
    assert np.allclose(history.snapshots[-1].outputs.sum(axis=-1), 1)
    assert set(np.unique(history.snapshots[-1].predicted)) == {0, 1, 2}


def test_penguins_are_learned():
    datasets = pytest.importorskip("calcviz.datasets")
    penguins = standardize(datasets.load_penguins())  # Adelie vs Gentoo, bill length and depth
    history = train(MLP((2, 8, 1)), penguins, lr=0.05, steps=300, rng=0, snapshot_steps=2)
    assert history.accuracy >= 0.98 and history.hyperparams["data"].startswith("penguins")


def test_snapshots_record_what_a_scene_draws():
    network = MLP((2, 5, 4, 1))
    history = train(network, MOONS, lr=0.05, steps=50, rng=1, snapshot_steps=6, grid_size=30,
                    probe=[0.2, -0.1])
    steps = history.snapshot_steps
    assert steps[0] == 0 and steps[-1] == 50 and len(steps) == 6
    snap = history.snapshot(int(steps[2]))
    assert snap.loss == history.losses[snap.step] and snap.accuracy == history.accuracies[snap.step]
    # The grid is the data range plus 10 %, row i at y = grid_y[i], column j at x = grid_x[j].
    lo, hi = MOONS.X.min(axis=0), MOONS.X.max(axis=0)
    assert history.grid_x[0] == pytest.approx(lo[0] - 0.1 * (hi[0] - lo[0]))
    assert history.grid_y[-1] == pytest.approx(hi[1] + 0.1 * (hi[1] - lo[1]))
    # The grid is drawn in single precision: a picture needs three digits, float32 gives six.
    gx, gy = np.meshgrid(history.grid_x, history.grid_y)
    exact = network.predict(snap.params, np.column_stack([gx.ravel(), gy.ravel()])).reshape(30, 30, 1)
    assert snap.outputs.shape == (30, 30, 1) and np.allclose(snap.outputs, exact, rtol=1e-5, atol=1e-6)
    i, j = 7, 21
    at_point = network.predict(snap.params, [history.grid_x[j], history.grid_y[i]])
    assert snap.outputs[i, j, 0] == pytest.approx(at_point[0, 0], rel=1e-5)
    assert np.array_equal(snap.predicted, snap.outputs[..., 0] > 0.5)
    # The probe's activations, neuron by neuron.
    probe = network.forward(snap.params, [0.2, -0.1])
    assert [a.shape for a in snap.probe_activations] == [(2,), (5,), (4,), (1,)]
    assert np.allclose(snap.probe_activations[2], probe.a(2)[0]) and np.allclose(snap.probe_zs[0], probe.z(1)[0])
    # The parameters at the last snapshot are the final ones.
    assert np.array_equal(flatten(history.snapshots[-1].params), history.x)
    assert history.path().shape == (6, network.n_params)
    raises_one_line("no snapshot at step 3", history.snapshot, 3)


def test_snapshot_steps_can_be_listed_and_grid_bounds_given():
    history = train(MLP((2, 3, 1)), MOONS, steps=20, rng=0, snapshot_steps=[20, 5, 5, 0],
                    grid_size=11, grid_bounds=((-2, 2), (-1, 1)))
    assert history.snapshot_steps.tolist() == [0, 5, 20]
    assert history.grid_x.tolist() == np.linspace(-2, 2, 11).tolist()
    assert history.grid_y[[0, -1]].tolist() == [-1, 1]


def test_history_is_frozen():
    history = train(MLP((2, 3, 1)), MOONS, steps=5, rng=0, snapshot_steps=2)
    for arr in (history.losses, history.accuracies, history.X, history.snapshots[0].outputs,
                history.snapshots[0].params.weights[0], history.params.biases[0], history.snapshots[0].probe_zs[0]):
        with pytest.raises(ValueError):
            arr.flat[0] = 1.0
    with pytest.raises(AttributeError):
        history.status = Status.CONVERGED
    assert "MAX_STEPS" in repr(history) and "nit=5" in repr(history)


def test_readouts_interpolate_between_steps():
    history = train(MLP((2, 3, 1)), MOONS, steps=5, rng=0, snapshot_steps=0)
    assert history.loss_at(2) == history.losses[2]
    assert history.loss_at(2.25) == pytest.approx(0.75 * history.losses[2] + 0.25 * history.losses[3])
    assert history.accuracy_at(5) == history.accuracy and history.loss_at(99) == history.fun


@pytest.mark.parametrize("optimizer, lr, hidden",
                         [("sgd", 1e4, "tanh"), ("adam", 50.0, "relu"), ("momentum", 1e3, "tanh")])
def test_a_diverging_learning_rate_is_flagged_not_passed_on(optimizer, lr, hidden):
    history = train(MLP((2, 16, 16, 1), hidden=hidden), MOONS, optimizer=optimizer, lr=lr, steps=300,
                    rng=0, snapshot_steps=3)
    assert history.status is Status.DIVERGED and history.diverged
    assert history.stopped_at == history.nit + 1  # the bad point is dropped
    assert np.all(np.isfinite(history.losses)) and np.all(np.isfinite(history.x))
    assert "diverged at step" in history.message and "too large" in history.message


def test_a_start_with_a_nan_loss_is_refused():
    network = MLP((1, 2, 1), hidden="relu")
    huge = Params((np.array([[1e200], [1e200]]), np.array([[1e200, -1e200]])), (np.zeros(2), np.zeros(1)))
    raises_one_line("cannot start training", train, network, (np.ones((3, 1)), np.array([0, 1, 0])), params=huge)


@pytest.mark.parametrize("kwargs, match", [
    ({"steps": 0}, "number of steps must be a whole number ≥ 1"),
    ({"steps": 2.5}, "number of steps must be a whole number ≥ 1"),
    ({"lr": 0}, "learning rate must be > 0"),
    ({"lr": float("nan")}, "learning rate must be finite"),
    ({"batch_size": 0}, "batch size must be a whole number ≥ 1"),
    ({"batch_size": 1000}, "batch size 1000 is larger than the 200 examples"),
    ({"optimizer": "lbfgs"}, "unknown optimizer 'lbfgs'; known: sgd, momentum, nesterov, rmsprop, adam"),
    ({"snapshot_steps": [0, 99]}, "snapshot steps must be whole numbers in 0 … 10"),
    ({"probe": [1.0]}, r"probe must be one input of shape \(2,\)"),
    ({"grid_size": 1}, "grid size must be a whole number ≥ 2"),
    ({"grid_bounds": ((1, 0), (0, 1))}, "grid x range is empty"),
])
def test_bad_training_settings_are_one_line_errors(kwargs, match):
    raises_one_line(match, train, MLP((2, 3, 1)), MOONS, **{"steps": 10, **kwargs})


def test_bad_data_is_a_one_line_error():
    net = MLP((2, 3, 1))
    raises_one_line(r"X of shape \(n, 2\)", train, net, (np.zeros((5, 3)), np.zeros(5)))
    raises_one_line("non-finite", train, net, (np.array([[0.0, np.nan], [1, 1]]), np.array([0, 1])))
    raises_one_line("labels must be whole numbers 0 … 1", train, net, (np.zeros((2, 2)), np.array([0, 2])))
    raises_one_line("labels must be whole numbers 0 … 2", train, MLP((2, 3), output="softmax"),
                    (np.zeros((2, 2)), np.array([0, 3])))
    raises_one_line("data must be a data set", train, net, 5)


# --- TrainingTheNetwork's heat map: one picture, drawn where and as the old gradient strips were ----------
def _strips_as_before(plot, xs, ys, outputs):
    """The heat map as it was drawn until issue 14: one Cairo-gradient strip per grid row (the reference)."""
    from manim import RIGHT, Square, VGroup
    from scenes.network import _signed_lut
    left, right = plot.c2p(xs[0], 0)[0], plot.c2p(xs[-1], 0)[0]
    h = plot.y_axis.get_unit_size() * (ys[-1] - ys[0]) / (len(ys) - 1)
    colours = _signed_lut()[np.clip(np.round(outputs * 255), 0, 255).astype(int)]
    strips = VGroup()
    for y, row in zip(ys, colours):
        strip = Square(1, stroke_width=0, fill_opacity=1).stretch_to_fit_width(right - left)
        strip.stretch_to_fit_height(h + 0.025).move_to([(left + right) / 2, plot.c2p(0, y)[1], 0])
        strip.set_sheen_direction(RIGHT)
        strip.fill_rgbas = row
        strips.add(strip)
    return strips


def _heat_frames(pixels, outputs):
    """The old strips and the new picture of the same outputs, each drawn alone on the lessons' background."""
    from manim import tempconfig
    from scenes.kit.picture import PictureCamera
    from scenes.kit.style import BACKGROUND
    from scenes.kit.draw import fitted_axes
    from scenes.network import _HeatMap
    grid = np.linspace(-2.0, 2.0, outputs.shape[0])
    width, height = pixels
    with tempconfig({"pixel_width": width, "pixel_height": height, "background_color": BACKGROUND}):
        plot = fitted_axes(((grid[0], grid[-1]), (grid[0], grid[-1] * 0.8)), 6.3, 4.6, [-3.55, -0.3, 0],
                           axis_config={"stroke_opacity": 0})
        images = []
        for m in (_strips_as_before(plot, grid, grid * 0.8, outputs),
                  _HeatMap(plot, grid, grid * 0.8).show(outputs)):
            camera = PictureCamera()
            camera.capture_mobjects([m])
            images.append(camera.pixel_array[..., :3].astype(int))
        return images, plot, grid


@pytest.mark.parametrize("pixels", [(854, 480), (1920, 1080)])
def test_heat_map_picture_looks_as_the_gradient_strips(pixels):
    from manim import config
    """Colour c at grid point (x, y) where the strips put it, the same extent, no seams: every pixel within 3
    levels of the old drawing. Except the pixel column of each side edge: there the old strips' partial
    coverage compounded where neighbours overlap (a faint stripe, up to ~30 levels), which the picture does
    not do (the scene draws the map's frame over those columns)."""
    rng = np.random.default_rng(3)
    n = 100
    gx, gy = np.meshgrid(np.linspace(-2, 2, n), np.linspace(-2, 2, n))
    outputs = 1 / (1 + np.exp(-3 * (gy - np.sin(2 * gx))))  # a boundary like the moons'
    outputs = np.clip(outputs + rng.normal(0, 0.01, outputs.shape), 0, 1)
    (old, new), plot, grid = _heat_frames(pixels, outputs)
    diff = np.abs(old - new).max(axis=2)
    width, height = pixels
    for side in (plot.c2p(grid[0], 0)[0], plot.c2p(grid[-1], 0)[0]):
        column = (side + config.frame_width / 2) / config.frame_width * width
        diff[:, int(np.floor(column - 0.5)):int(np.ceil(column + 0.5))] = 0
    assert diff.max() <= 3, diff.max()
    assert (diff > 1).mean() < 0.01, (diff > 1).mean()
    assert (old != new).any()  # (the comparison compares something)
    # the same colour at the grid points, and nothing drawn outside the old map
    from scenes.network import _signed_lut
    lut = _signed_lut()
    for i, j in [(10, 10), (50, 73), (90, 5), (33, 97), (0, 1)]:
        x, y = plot.c2p(grid[j], grid[i] * 0.8)[:2]
        px = int((x + config.frame_width / 2) / config.frame_width * width)
        py = int((config.frame_height / 2 - y) / config.frame_height * height)
        want = np.rint(lut[int(np.clip(np.round(outputs[i, j] * 255), 0, 255))][:3] * 255)
        assert np.abs(new[py, px] - want).max() <= 6, (i, j, new[py, px], want)
    assert np.array_equal((old != old[0, 0]).any(axis=2), (new != new[0, 0]).any(axis=2))  # the same extent


def test_heat_map_redraws_only_for_new_outputs():
    from scenes.network import _HeatMap
    from scenes.kit.draw import fitted_axes
    plot = fitted_axes(((-2, 2), (-2, 2)), 6.3, 4.6, [0, 0, 0], axis_config={"stroke_opacity": 0})
    grid = np.linspace(-2, 2, 10)
    a, b = np.zeros((10, 10)), np.ones((10, 10))
    heat = _HeatMap(plot, grid, grid).show(a)
    version = heat.version
    heat.show(a), heat.show(a.copy())
    assert heat.version == version
    heat.show(b)
    assert heat.version == version + 1


def test_heat_map_fades_in_with_the_rest():
    """Half way through its FadeIn the map is half way between the background and its colours (the strips it
    replaced popped in whole)."""
    from manim import tempconfig
    from scenes.kit.draw import fitted_axes
    from scenes.kit.picture import PictureCamera
    from scenes.kit.style import BACKGROUND
    from scenes.network import _HeatMap
    grid = np.linspace(-2, 2, 10)
    with tempconfig({"pixel_width": 320, "pixel_height": 180, "background_color": BACKGROUND}):
        plot = fitted_axes(((-2, 2), (-2, 2)), 6.3, 4.6, [0, 0, 0], axis_config={"stroke_opacity": 0})
        heat = _HeatMap(plot, grid, grid).show(np.ones((10, 10)))
        shots = []
        for opacity in (1.0, 0.5):
            heat.set_fill(opacity=opacity)
            camera = PictureCamera()
            camera.capture_mobjects([heat])
            shots.append(camera.pixel_array[90, 160, :3].astype(float))
    full, half = shots
    background = np.rint(np.array(BACKGROUND.to_rgb()) * 255)
    assert np.abs(full - background).max() > 60
    np.testing.assert_allclose(half, (full + background) / 2, atol=3)
