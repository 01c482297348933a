"""DotCloud and FadeInDots (scenes/kit/dots.py): the pixels of separate Dots, with a few fills."""
import numpy as np
import pytest
from manim import BLACK, Camera, Dot, FadeIn, Transform, VGroup, tempconfig

from scenes.kit.dots import DotCloud, FadeInDots, layers_by_x, pixel_reach

COLOR = "#56B4E9"
SIZE = {"pixel_width": 480, "pixel_height": 270, "frame_rate": 15}


def centres(n=120, seed=3, wiggle=0.6):
    """A dense, overlapping row of dots like monthly data: x steps smaller than a dot."""
    rng = np.random.default_rng(seed)
    xs = np.linspace(-5, 5, n)
    ys = np.sin(xs * 2) + wiggle * rng.standard_normal(n) * 0.1
    return np.stack([xs, ys, np.zeros(n)], axis=1)


def picture(*mobjects) -> np.ndarray:
    camera = Camera(background_color=BLACK)
    camera.capture_mobjects(list(mobjects))
    return np.array(camera.pixel_array)[..., :3].astype(int)


def assert_same_to_the_eye(a: np.ndarray, b: np.ndarray):
    d = np.abs(a - b).max(axis=2)
    assert d.max() <= 3, f"largest channel difference {d.max()}"
    assert (d > 0).mean() < 0.002


def test_a_cloud_holds_the_points_dots_make_in_disjoint_layers():
    with tempconfig(SIZE):
        pts = centres()
        cloud = DotCloud(pts, radius=0.05, color=COLOR)
        dots = [Dot(p, radius=0.05, color=COLOR) for p in pts]
        assert len(cloud) > 1 and sorted(cloud.order) == list(range(len(pts)))
        for layer, members in zip(cloud, cloud.layer_indices):
            assert np.array_equal(layer.points, np.concatenate([dots[i].points for i in members]))
            xs = pts[members, 0]
            assert np.all(np.diff(np.sort(xs)) >= pixel_reach(0.05))   # no two in a layer share a pixel
            assert np.array_equal(layer.fill_rgbas, dots[0].fill_rgbas) and layer.get_stroke_width() == 0
        assert np.allclose(cloud.centres(), pts)


def test_layers_by_x_first_fit():
    assert [list(m) for m in layers_by_x([0, 1, 2, 3, 4], 2)] == [[0, 2, 4], [1, 3]]
    assert [list(m) for m in layers_by_x([0, 10], 2)] == [[0, 1]]


def test_a_cloud_covers_the_pixels_of_separate_dots():
    with tempconfig(SIZE):
        pts = centres()
        dots = VGroup(*[Dot(p, radius=0.05, color=COLOR) for p in pts])
        cloud = DotCloud(pts, radius=0.05, color=COLOR)
        assert_same_to_the_eye(picture(cloud), picture(dots))
        # half transparent, the dots overlap: a cloud of one layer would lose the overlaps' darker beads
        dots.set_fill(opacity=0.5)
        cloud.set_fill(opacity=0.5)
        assert_same_to_the_eye(picture(cloud), picture(dots))
        one_layer = DotCloud(pts, radius=0.05, color=COLOR, layers=[np.arange(len(pts))]).set_fill(opacity=0.5)
        with pytest.raises(AssertionError):
            assert_same_to_the_eye(picture(one_layer), picture(dots))
        # and a cloud of another size or colour is caught
        with pytest.raises(AssertionError):
            assert_same_to_the_eye(picture(DotCloud(pts, radius=0.06, color=COLOR)), picture(dots.set_fill(opacity=1)))
        with pytest.raises(AssertionError):
            assert_same_to_the_eye(picture(DotCloud(pts, radius=0.05, color="#E69F00")), picture(dots))


@pytest.mark.parametrize("alpha", [0.0, 0.05, 0.2, 0.47, 0.8, 1.0])
def test_fade_in_dots_draws_a_lagged_fade_in_frame_for_frame(alpha):
    with tempconfig(SIZE):
        pts = centres()
        dots = VGroup(*[Dot(p, radius=0.05, color=COLOR) for p in pts])
        cloud = DotCloud(pts, radius=0.05, color=COLOR)
        theirs, ours = FadeIn(dots, lag_ratio=0.03), FadeInDots(cloud, lag_ratio=0.03)
        theirs.begin()
        ours.begin()
        theirs.interpolate(alpha)
        ours.interpolate(alpha)
        assert_same_to_the_eye(picture(cloud), picture(dots))
        if 0.05 < alpha < 0.8:  # a plain fade of every dot at once is not the same picture
            plain = DotCloud(pts, radius=0.05, color=COLOR).set_fill(opacity=alpha)
            with pytest.raises(AssertionError):
                assert_same_to_the_eye(picture(plain), picture(dots))
        ours.finish()
        assert len(cloud) == len(cloud.layer_indices)   # the slots are gone
        assert np.allclose(cloud.centres(), pts) and all(np.all(layer.get_fill_opacities() == 1) for layer in cloud)


def test_a_transform_between_clouds_moves_each_dot_as_it_moves_a_dot():
    with tempconfig(SIZE):
        pts = centres()
        there = pts.copy()
        there[:, 1] = -there[:, 1] + 0.3
        dots = VGroup(*[Dot(p, radius=0.05, color=COLOR) for p in pts])
        cloud = DotCloud(pts, radius=0.05, color=COLOR)
        theirs = Transform(dots, VGroup(*[Dot(p, radius=0.05, color=COLOR) for p in there]))
        ours = Transform(cloud, cloud.like(there))
        for anim in (theirs, ours):
            anim.begin()
            anim.interpolate(0.4)
        assert_same_to_the_eye(picture(cloud), picture(dots))
        ours.finish()
        assert np.allclose(cloud.centres(), there)
