"""Contour lines: every traced point lies on its level, and the number of pieces is
what the landscape's shape predicts."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcviz.contours import Contours, contour_lines, landscape_contours, pick_levels
from calcviz.errors import CalcvizError
from calcviz.landscapes import landscape, landscape_names


@pytest.mark.parametrize("name", landscape_names())
def test_every_traced_point_lies_on_its_level(name):
    # contourpy places points on grid edges by linear interpolation, which is off by
    # at most h²/8·|f''| along the edge, and |f''| in any direction is at most ‖H‖.
    land = landscape(name)
    n = 301
    maps = landscape_contours(land, n=n)
    assert len(maps) >= 5
    (x0, x1), (y0, y1) = land.domain
    hx, hy = (x1 - x0) / (n - 1), (y1 - y0) / (n - 1)
    for level, pieces in maps:
        assert pieces, f"no line at level {level}"
        for piece in pieces:
            assert piece.ndim == 2 and piece.shape[1] == 2 and np.all(np.isfinite(piece))
            bound = max(hx, hy) ** 2 * np.linalg.norm(land.hessian(piece), ord=2, axis=(1, 2)) / 8
            assert np.all(np.abs(land.value(piece) - level) <= 1.5 * bound + 1e-9 * (1 + abs(level)))


def test_bowl_contours_are_the_predicted_ellipses():
    # ½(x² + 10y²) = c is the ellipse with semi-axes √(2c) and √(c/5)
    maps = landscape_contours("bowl", levels=[0.5, 2.0], n=401)
    for c, pieces in maps:
        (piece,) = pieces
        assert Contours.is_closed(piece)
        assert np.abs(piece[:, 0]).max() == pytest.approx(np.sqrt(2 * c), rel=1e-3)
        assert np.abs(piece[:, 1]).max() == pytest.approx(np.sqrt(c / 5), rel=1e-3)


def test_himmelblau_low_level_splits_into_four_loops_around_the_minima():
    land = landscape("himmelblau")
    ((_, pieces),) = landscape_contours(land, levels=[5.0])
    assert len(pieces) == 4 and all(Contours.is_closed(p) for p in pieces)
    centres = np.array([p.mean(axis=0) for p in pieces])
    for m in land.minima:
        assert np.min(np.linalg.norm(centres - m, axis=1)) < 0.3


def test_saddle_zero_level_is_the_two_diagonals():
    # x² − y² = 0 is the pair of lines y = ±x
    ((_, pieces),) = landscape_contours("saddle", levels=[0.0], n=201)
    points = np.vstack(pieces)
    assert np.allclose(np.abs(points[:, 0]), np.abs(points[:, 1]), atol=1e-9)


def test_axes_or_meshgrid_give_the_same_lines():
    X, Y, Z = landscape("camel").on_grid(81)
    a = contour_lines(X, Y, Z, [0.0, 1.0])
    b = contour_lines(X[0], Y[:, 0], Z, [0.0, 1.0])
    for pa, pb in zip(a.lines, b.lines):
        assert len(pa) == len(pb) and all(np.array_equal(p, q) for p, q in zip(pa, pb))


def test_nan_holes_are_left_out_not_passed_on():
    X, Y, Z = landscape("bowl").on_grid(81)
    Z = Z.copy()
    Z[30:50, 30:50] = np.nan
    maps = contour_lines(X, Y, Z, [0.05, 1.0, 3.0])
    assert all(np.all(np.isfinite(p)) for pieces in maps.lines for p in pieces)


def test_no_repeated_vertices_and_read_only():
    maps = landscape_contours("bowl", levels=[0.5], n=5)  # coarse grid: lines pass through nodes
    piece = maps.lines[0][0]
    assert np.all(np.any(np.diff(piece, axis=0) != 0, axis=1))
    with pytest.raises(ValueError):
        piece[0, 0] = 1.0


@given(st.integers(1, 30), st.sampled_from(["quantile", "log", "linear"]))
def test_levels_increase_strictly_inside_the_range(count, spacing):
    _, _, Z = landscape("rosenbrock").on_grid(61)
    levels = pick_levels(Z, count, spacing)
    assert 1 <= len(levels) <= count
    assert np.all(np.diff(levels) > 0)
    assert Z.min() < levels[0] and levels[-1] < Z.max()


def test_quantile_levels_split_the_grid_evenly():
    _, _, Z = landscape("beale").on_grid(101)
    levels = pick_levels(Z, 9, "quantile")
    below = [np.mean(Z <= c) for c in levels]
    assert np.allclose(below, np.arange(1, 10) / 10, atol=0.01)


def test_log_levels_are_geometric_above_the_floor():
    _, _, Z = landscape("rosenbrock").on_grid(101)
    offsets = pick_levels(Z, 8, "log") - Z.min()
    ratios = offsets[1:] / offsets[:-1]
    assert np.allclose(ratios, ratios[0]) and ratios[0] > 1
    assert offsets[0] < 1e-3 * np.ptp(Z)  # the floor of the valley gets lines too


@pytest.mark.parametrize("call, message", [
    (lambda: pick_levels(np.ones((3, 3))), "constant"),
    (lambda: pick_levels(np.arange(9.0), spacing="cubic"), "unknown level spacing 'cubic'; known: quantile"),
    (lambda: contour_lines([0, 1], [0, 1], np.eye(2), [1.0, 0.5]), "strictly increasing"),
    (lambda: contour_lines([0, 1], [0, 1], np.ones(4), [0.5]), "2-D grid"),
    (lambda: landscape_contours("volcano"), "unknown landscape"),
])
def test_bad_input_is_a_one_line_error(call, message):
    with pytest.raises(CalcvizError, match=message) as err:
        call()
    assert "\n" not in str(err.value)
