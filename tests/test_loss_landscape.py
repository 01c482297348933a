"""Loss-landscape slices: the centre is the trained loss, filter normalisation, the PCA plane."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcviz.errors import CalcvizError
from calcviz.loss_landscape import (filter_normalized_direction, pca_directions, pca_slice, plane_losses,
                                    random_slice, slice_along)
from calcviz.network import MLP, Params, flatten, train, unflatten
from calcviz.toy_data import make_dataset

DATA = make_dataset("moons", 200, 0.1, rng=0)
HISTORY = train(MLP((2, 8, 8, 1)), DATA, lr=0.02, steps=400, rng=0, snapshot_steps=40, grid_size=10)


def raises_one_line(match, fn, *args, **kwargs):
    with pytest.raises(CalcvizError, match=match) as info:
        fn(*args, **kwargs)
    assert "\n" not in str(info.value)


def loss_at(history, theta):
    """C at one parameter vector, through the plain one-network forward pass."""
    return history.network.loss_of(unflatten(history.network, theta), history.X, history.y)


def test_the_centre_of_a_random_slice_is_the_trained_loss():
    surface = random_slice(HISTORY, span=0.5, n=21, rng=1)
    assert surface.losses.shape == (21, 21) and surface.alphas[10] == 0 and surface.betas[10] == 0
    assert surface.losses[10, 10] == pytest.approx(HISTORY.fun, rel=1e-12)
    assert surface.center_loss == pytest.approx(HISTORY.fun, rel=1e-12)
    # The trained network sits at the bottom of a valley: on this slice the centre is the
    # lowest point, and the rim (α or β = ±0.5) is far higher.
    assert surface.losses.argmin() == 10 * 21 + 10
    rim = np.concatenate([surface.losses[[0, -1], :].ravel(), surface.losses[:, [0, -1]].ravel()])
    assert rim.min() > 10 * surface.center_loss


def test_every_grid_point_is_the_loss_at_that_point():
    # The vectorised grid (stacks of networks) against one forward pass per point.
    surface = random_slice(HISTORY, span=1.0, n=9, rng=2)
    d1, d2 = surface.directions
    for i, j in [(0, 0), (3, 7), (8, 2), (5, 5)]:
        theta = surface.center + surface.alphas[i] * d1 + surface.betas[j] * d2
        assert surface.losses[j, i] == pytest.approx(loss_at(HISTORY, theta), rel=1e-12)


def test_filter_normalised_rows_have_their_neurons_norms():
    params = HISTORY.params
    for bias in ("zero", "copy"):
        d = unflatten(HISTORY.network, filter_normalized_direction(HISTORY.network, params, rng=3, bias=bias))
        for W, dW in zip(params.weights, d.weights):
            assert np.allclose(np.linalg.norm(dW, axis=1), np.linalg.norm(W, axis=1))
        for b, db in zip(params.biases, d.biases):
            assert np.array_equal(db, np.zeros_like(b) if bias == "zero" else b)
    same = [filter_normalized_direction(HISTORY.network, params, rng=4) for _ in range(2)]
    other = filter_normalized_direction(HISTORY.network, params, rng=5)
    assert np.array_equal(*same) and not np.allclose(same[0], other)
    raises_one_line("unknown bias handling 'keep'; known: zero, copy",
                    filter_normalized_direction, HISTORY.network, params, bias="keep")


def test_filter_normalisation_sees_through_rescaled_relu_layers():
    # Li et al.'s reason for it: a ReLU network is unchanged when layer 1 is scaled by c
    # and layer 2 by 1/c, and a filter-normalised slice must be unchanged too. A plain
    # Gaussian direction (not normalised) gives a different picture.
    network = MLP((2, 6, 1), hidden="relu")
    trained = train(network, DATA, lr=0.02, steps=200, rng=1, snapshot_steps=0).params
    c = 5.0
    scaled = Params((c * trained.weights[0], trained.weights[1] / c), (c * trained.biases[0], trained.biases[1]))
    assert np.allclose(network.predict(scaled, DATA.X), network.predict(trained, DATA.X))
    ticks = np.linspace(-1, 1, 7)

    def surface(params, normalise):
        if normalise:
            dirs = [filter_normalized_direction(network, params, rng=s) for s in (10, 11)]
        else:
            dirs = [np.random.default_rng(s).standard_normal(network.n_params) * 0.3 for s in (10, 11)]
        return plane_losses(network, flatten(params), np.array(dirs), ticks, ticks, DATA.X, DATA.y)

    assert np.allclose(surface(trained, True), surface(scaled, True), rtol=1e-10)
    assert not np.allclose(surface(trained, False), surface(scaled, False), rtol=1e-3)


@given(st.integers(3, 30), st.integers(3, 12), st.integers(0, 2**32 - 1))
def test_pca_directions_match_the_covariance_eigenvectors(points, dim, seed):
    rng = np.random.default_rng(seed)
    path = rng.normal(size=(points, dim)) * np.linspace(3, 0.5, dim)  # distinct spreads
    center = path[-1]
    directions, explained = pca_directions(path, center)
    diffs = path - center
    cov = np.cov(diffs.T, bias=True)
    values, vectors = np.linalg.eigh(cov)
    top = vectors[:, ::-1][:, :2].T
    assert np.allclose(directions @ directions.T, np.eye(2), atol=1e-10)  # orthonormal
    if values[-1] - values[-2] > 1e-6 * values[-1] and values[-2] - values[-3] > 1e-6 * values[-1]:
        assert np.allclose(np.abs(np.sum(directions * top, axis=1)), 1, atol=1e-6)
    assert np.allclose(explained, values[::-1][:2] / values.sum(), atol=1e-10)
    assert np.all(directions @ diffs[0] >= 0)  # sign convention: the start is on the positive side


def test_a_path_in_a_plane_lies_in_the_pca_plane():
    rng = np.random.default_rng(8)
    center = rng.normal(size=20)
    u, v = rng.normal(size=(2, 20))
    coeffs = rng.normal(size=(15, 2))
    path = center + coeffs @ np.array([u, v])
    directions, explained = pca_directions(path, center)
    residual = (path - center) - ((path - center) @ directions.T) @ directions
    assert np.abs(residual).max() < 1e-10 and explained.sum() == pytest.approx(1)


def test_pca_slice_contains_the_final_point_and_covers_the_path():
    surface = pca_slice(HISTORY, n=15)
    assert surface.kind == "pca" and surface.losses.shape == (15, 15)
    assert np.allclose(surface.path[-1], 0) and surface.path_offsets[-1] == pytest.approx(0, abs=1e-12)
    assert surface.path_plane_losses[-1] == pytest.approx(HISTORY.fun, rel=1e-12)
    assert surface.path_losses[0] == HISTORY.losses[0] and len(surface.path) == len(HISTORY.snapshots)
    assert surface.alphas.min() < surface.path[:, 0].min() and surface.alphas.max() > surface.path[:, 0].max()
    assert surface.betas.min() < surface.path[:, 1].min() and surface.betas.max() > surface.path[:, 1].max()
    assert 0.5 < surface.explained_variance.sum() <= 1 + 1e-12
    assert surface.explained_variance[0] >= surface.explained_variance[1]
    # The height drawn under each projected point is the loss at that in-plane point.
    k = 5
    on_plane = surface.center + surface.path[k] @ surface.directions
    assert surface.path_plane_losses[k] == pytest.approx(loss_at(HISTORY, on_plane), rel=1e-12)
    # The offset is the distance from the snapshot to its projection.
    theta_k = flatten(HISTORY.snapshots[k].params)
    assert surface.path_offsets[k] == pytest.approx(np.linalg.norm(theta_k - on_plane), rel=1e-9)


def test_random_slice_projects_the_path_too():
    surface = random_slice(HISTORY, n=5, rng=0)
    assert np.allclose(surface.path[-1], 0, atol=1e-12) and surface.path_offsets[-1] < 1e-10
    assert np.all(surface.path_offsets >= 0) and surface.explained_variance is None
    assert "LossSlice(kind='random'" in repr(surface)


def test_slices_are_frozen():
    surface = random_slice(HISTORY, n=5, rng=0)
    for arr in (surface.losses, surface.directions, surface.path):
        with pytest.raises(ValueError):
            arr.flat[0] = 0.0


def test_bad_settings_are_one_line_errors():
    raises_one_line("span must be > 0", random_slice, HISTORY, span=0)
    raises_one_line("grid size must be a whole number ≥ 2", random_slice, HISTORY, n=1)
    raises_one_line("margin must be > 0", pca_slice, HISTORY, margin=-1)
    raises_one_line("at least 3 points", pca_directions, np.zeros((2, 4)), np.zeros(4))
    raises_one_line("fewer than two directions", pca_directions, np.outer(np.arange(5.0), np.ones(4)), np.zeros(4))
    raises_one_line("need two directions of length", slice_along, HISTORY, np.zeros((2, 3)), [0.0], [0.0])
