"""The generated 2-D data sets: their exact geometry without noise, the noise they add, seeds, errors."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcviz.errors import CalcvizError
from calcviz.toy_data import DATASETS, Dataset, circles, make_dataset, spiral, standardize, two_moons, xor


def raises_one_line(match, fn, *args, **kwargs):
    with pytest.raises(CalcvizError, match=match) as info:
        fn(*args, **kwargs)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name", list(DATASETS))
@given(n=st.integers(2, 301), noise=st.floats(0, 0.5), seed=st.integers(0, 2**32 - 1))
def test_shape_labels_and_balance(name, n, noise, seed):
    data = make_dataset(name, n, noise, rng=seed)
    assert data.X.shape == (n, 2) and data.y.shape == (n,) and data.name == name
    assert set(np.unique(data.y)) <= {0, 1}
    counts = np.bincount(data.y, minlength=2)
    assert counts.max() - counts.min() <= 1  # classes as equal as n allows
    assert np.all(np.isfinite(data.X))


@pytest.mark.parametrize("name", list(DATASETS))
def test_same_seed_same_points_other_seed_other_points(name):
    a, b, c = (make_dataset(name, 100, 0.1, rng=s) for s in (7, 7, 8))
    assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
    assert not np.allclose(a.X, c.X)
    # A Generator works as well as a seed, and is the same stream.
    d = make_dataset(name, 100, 0.1, rng=np.random.default_rng(7))
    assert np.array_equal(a.X, d.X)


@pytest.mark.parametrize("name", list(DATASETS))
def test_noise_is_gaussian_jitter_of_the_given_size(name):
    # Same seed: the clean points and the jitter come from the same draws, so the
    # difference between noise σ and noise 0 is σ times standard normal draws.
    sigma = 0.2
    clean, noisy = make_dataset(name, 4000, 0.0, rng=3), make_dataset(name, 4000, sigma, rng=3)
    assert np.array_equal(clean.y, noisy.y)
    jitter = noisy.X - clean.X
    assert abs(jitter.std() - sigma) < 0.01 and np.abs(jitter.mean(axis=0)).max() < 0.02


def test_moons_lie_on_their_two_half_circles():
    data = two_moons(500, noise=0.0, rng=1)
    P = data.X + [0.5, 0.25]  # undo the centring
    upper, lower = P[data.y == 0], P[data.y == 1]
    assert np.allclose(np.hypot(*upper.T), 1) and np.all(upper[:, 1] >= -1e-12)
    centre = np.array([1.0, 0.5])
    assert np.allclose(np.hypot(*(lower - centre).T), 1) and np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_circles_have_radius_one_and_factor():
    data = circles(400, noise=0.0, rng=2, factor=0.3)
    r = np.hypot(*data.X.T)
    assert np.allclose(r[data.y == 0], 1.0) and np.allclose(r[data.y == 1], 0.3)


def test_xor_labels_are_one_where_exactly_one_coordinate_is_positive():
    data = xor(500, noise=0.0, rng=4)
    x, y = data.X.T
    assert np.array_equal(data.y == 1, (x * y) < 0)
    assert np.all(np.abs(data.X) <= 1)


@pytest.mark.parametrize("arms, turns", [(2, 1.5), (3, 1.0), (2, 2.25)])
def test_spiral_points_follow_r_equals_t_and_their_arms_angle(arms, turns):
    data = spiral(600, noise=0.0, rng=5, arms=arms, turns=turns)
    t = np.hypot(*data.X.T) / 1.5  # radius = 1.5 t
    assert np.all((t > 0.1 - 1e-12) & (t < 1 + 1e-12))
    angle = np.arctan2(data.X[:, 1], data.X[:, 0])
    expected = 2 * np.pi * (turns * t + data.y / arms)
    wrapped = np.angle(np.exp(1j * (angle - expected)))  # difference modulo 2π
    assert np.allclose(wrapped, 0, atol=1e-9)
    assert set(data.y) == set(range(arms))


def test_unknown_name_lists_the_known_ones():
    raises_one_line(r"unknown data set 'blobs'; known: moons, circles, xor, spiral", make_dataset, "blobs")


@pytest.mark.parametrize("kwargs, match", [
    ({"n": 1}, "number of points"), ({"n": 10.5}, "number of points"), ({"n": True}, "number of points"),
    ({"noise": -0.1}, "noise must be ≥ 0"), ({"noise": float("nan")}, "noise must be finite"),
])
def test_bad_sizes_and_noise_are_one_line_errors(kwargs, match):
    raises_one_line(match, make_dataset, "moons", **kwargs)


def test_generator_settings_are_checked():
    raises_one_line("at least 2 arms", spiral, 100, arms=1)
    raises_one_line("turns must be > 0", spiral, 100, turns=0)
    raises_one_line("factor must be between 0 and 1", circles, 100, factor=1.5)


def test_dataset_rejects_bad_arrays():
    raises_one_line(r"shape \(n, 2\)", Dataset, np.zeros((3, 3)), np.zeros(3), "bad")
    raises_one_line(r"y must have shape \(3,\)", Dataset, np.zeros((3, 2)), np.zeros(4), "bad")
    raises_one_line("not finite", Dataset, [[0, 1], [np.nan, 2]], [0, 1], "bad")
    raises_one_line("labels must be integers", Dataset, np.zeros((2, 2)), [0, 0.5], "bad")
    raises_one_line("labels must be integers", Dataset, np.zeros((2, 2)), [0, -1], "bad")


def test_dataset_is_frozen():
    data = make_dataset("xor", 20, rng=0)
    with pytest.raises(ValueError):
        data.X[0, 0] = 5.0
    with pytest.raises(AttributeError):
        data.name = "other"


def test_bounds_cover_the_points_with_a_margin():
    data = make_dataset("moons", 200, rng=0)
    (x0, x1), (y0, y1) = data.bounds(margin=0.1)
    lo, hi = data.X.min(axis=0), data.X.max(axis=0)
    assert x0 == pytest.approx(lo[0] - 0.1 * (hi[0] - lo[0])) and y1 == pytest.approx(hi[1] + 0.1 * (hi[1] - lo[1]))


def test_standardize_gives_mean_zero_unit_spread_and_remembers_how():
    raw = Dataset(np.column_stack([np.linspace(30, 60, 50), np.linspace(13, 22, 50) ** 1.5]), np.arange(50) % 2, "mm")
    std = standardize(raw)
    assert np.allclose(std.X.mean(axis=0), 0, atol=1e-12) and np.allclose(std.X.std(axis=0), 1)
    assert np.allclose(std.X * std.scale + std.offset, raw.X)
    assert np.array_equal(std.y, raw.y) and "standardised" in std.name
    raises_one_line("same value everywhere", standardize, Dataset(np.ones((4, 2)), [0, 1, 0, 1], "flat"))
