"""Local linearity: the warp's Jacobian, and areas scaling by det J up close."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcviz import numdiff
from calcviz.errors import CalcvizError
from calcviz.maps import local_linearity, polygon_area, square_outline, warp, warp_jacobian, warped_area_ratio

coords = st.floats(-3, 3)


@given(coords, coords, st.floats(-1, 1))
def test_exact_jacobian_matches_central_differences(x, y, a):
    p = np.array([x, y])
    assert np.allclose(warp_jacobian(p, a), numdiff.jacobian(lambda q: warp(q, a), p), atol=1e-7)


def test_shoelace_area_of_squares_and_orientation():
    assert polygon_area(square_outline((0.3, -1.0), 2.0, 10)) == pytest.approx(4.0)
    assert polygon_area(square_outline((0, 0), 1.0, 10)[::-1]) == pytest.approx(-1.0)


def test_a_linear_map_scales_area_by_exactly_det():
    # with a = 0 the warp is the identity: ratio 1 at every size
    assert warped_area_ratio((1.0, 2.0), 1.5, 0.0) == pytest.approx(1.0)


def test_area_ratio_tends_to_det_j_quadratically():
    p, a = np.array([0.8, -0.4]), 0.6
    ll = local_linearity(p, a, [0.4, 0.2, 0.1])
    det_exact = 1 - a**2 * np.cos(p[0]) * np.cos(p[1])
    assert ll.det == pytest.approx(det_exact, rel=1e-8)
    errors = np.abs(ll.area_ratios - det_exact)
    assert errors[0] > errors[1] > errors[2]
    assert errors[0] / errors[1] == pytest.approx(4, rel=0.15)  # symmetric square: error ∝ h²
    assert ll.disagreement < 1e-8


def test_bad_sizes_are_rejected():
    with pytest.raises(CalcvizError, match="positive"):
        local_linearity((0, 0), 0.5, [0.1, 0.0])
