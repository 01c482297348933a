"""The fast landscape surface draws what manim's own Surface draws, follows the camera, and
draws what lies on it with depth (frames compared with numpy, small and fast)."""
import numpy as np
import pytest
from manim import DEGREES, RIGHT, DecimalNumber, VMobject, tempconfig
from manim.camera.three_d_camera import ThreeDCamera

from calcviz.landscapes import landscape
from scenes.kit.surface import (
    LandscapeCamera, LandscapeSurface, landscape_axes, stock_surface, surface_path, surface_polyline,
)
from scenes.kit.style import BACKGROUND, FUNCTION, STEP

W, H = 320, 180
MESH = 12
LAND = landscape("mountains")
BG = np.array(BACKGROUND.to_rgb())


def frame(mobjects, camera=LandscapeCamera, theta=-60, phi=60, size=(W, H), **camera_kw):
    """One frame as floats in [0, 1], shape (H, W, 3)."""
    with tempconfig({"pixel_width": size[0], "pixel_height": size[1], "background_color": BACKGROUND}):
        cam = camera(**camera_kw)
        cam.set_phi(phi * DEGREES)
        cam.set_theta(theta * DEGREES)
        cam.capture_mobjects(mobjects)
        return np.asarray(cam.get_image())[..., :3].astype(float) / 255


def drawn(img):
    return np.abs(img - BG).sum(axis=-1) > 0.08


def overlap(a, b):
    """Intersection over union of what is drawn in two frames."""
    ma, mb = drawn(a), drawn(b)
    return (ma & mb).sum() / (ma | mb).sum()


def colour_difference(a, b):
    both = drawn(a) & drawn(b)
    return float(np.abs(a[both] - b[both]).mean())


def colour_correlation(a, b):
    """Mean over R, G, B of the pixel-wise correlation where both frames draw the surface."""
    both = drawn(a) & drawn(b)
    return float(np.mean([np.corrcoef(a[both][:, c], b[both][:, c])[0, 1] for c in range(3)]))


def step_pixels(img):
    return int((np.abs(img - np.array(STEP.to_rgb())).sum(axis=-1) < 0.25).sum())


@pytest.fixture(scope="module")
def axes():
    return landscape_axes(LAND)


@pytest.fixture(scope="module")
def stock(axes):
    return frame([stock_surface(axes, LAND, MESH)], ThreeDCamera)


def test_heights_come_from_the_core(axes):
    surface = LandscapeSurface(axes, LAND, MESH)
    X, Y, Z = LAND.on_grid(MESH + 1)
    corners = surface.face_corners()
    assert corners.shape == (MESH * MESH, 4, 3)
    expected = np.array([axes.c2p(x, y, z) for x, y, z in zip(X[:-1, :-1].ravel(), Y[:-1, :-1].ravel(),
                                                              Z[:-1, :-1].ravel())])
    np.testing.assert_allclose(corners[:, 0], expected, atol=1e-9)


def test_same_picture_as_manims_surface_with_manims_shading(axes, stock):
    fast = frame([LandscapeSurface(axes, LAND, MESH, shading="manim")])
    assert overlap(fast, stock) > 0.97
    assert colour_difference(fast, stock) < 0.08


def test_default_shading_keeps_the_same_shape_and_colour_pattern(axes, stock):
    fast = frame([LandscapeSurface(axes, LAND, MESH)])
    assert overlap(fast, stock) > 0.97
    assert colour_correlation(fast, stock) > 0.8


def test_the_comparison_catches_a_wrong_picture(axes, stock):
    flat = LandscapeSurface(axes, LAND, MESH, shading="manim")
    flat.face_rgb[:] = FUNCTION.to_rgb()  # one colour instead of heights
    assert colour_difference(frame([flat]), stock) > 0.12
    assert colour_correlation(frame([LandscapeSurface(axes, LAND, MESH)], theta=-20), stock) < 0.5
    assert overlap(frame([LandscapeSurface(axes, LAND, MESH)], theta=-20), stock) < 0.9


def test_fast_surface_follows_the_camera(axes):
    surface = LandscapeSurface(axes, LAND, MESH)
    a, again, turned = frame([surface]), frame([surface]), frame([surface], theta=-30)
    np.testing.assert_array_equal(a, again)
    assert (np.abs(a - turned).sum(axis=-1) > 0.1).mean() > 0.05
    tilted = frame([surface], phi=30)
    assert overlap(a, tilted) < 0.9


def test_view_center_moves_the_3d_view_on_screen(axes):
    surface = LandscapeSurface(axes, LAND, MESH)
    centred, shifted = frame([surface]), frame([surface], view_center=3 * RIGHT)
    cols = [np.nonzero(drawn(img).any(axis=0))[0] for img in (centred, shifted)]
    px_per_unit = W / 14.222
    assert cols[1].mean() - cols[0].mean() == pytest.approx(3 * px_per_unit, abs=2)


def test_path_is_drawn_on_the_surface(axes):
    surface = LandscapeSurface(axes, LAND, 24)
    path = surface_path(surface, [(-4.0, -3.5), (-1.2, 0.9), (0.3, 0.2)], stroke_width=6)
    assert step_pixels(frame([surface])) == 0
    assert step_pixels(frame([surface, path], theta=-100, phi=55)) > 40


def test_path_behind_a_hill_is_hidden(axes):
    """A segment north of the hill at (2.6, 2.6), seen low from the south, is hidden by the hill;
    the same stroke drawn the stock way (on top of everything) is not."""
    segment = np.array([(1.8, 4.2), (3.4, 4.2)])
    surface = LandscapeSurface(axes, LAND, 24)
    on_surface = surface_path(surface, segment, stroke_width=8)
    on_top = VMobject(stroke_color=STEP, stroke_width=8)
    on_top.set_points_as_corners(surface_polyline(surface, segment))
    hidden = frame([surface, on_surface], theta=-90, phi=72, size=(480, 270))
    drawn_over = frame([LandscapeSurface(axes, LAND, 24), on_top], theta=-90, phi=72, size=(480, 270))
    assert step_pixels(drawn_over) > 20
    assert step_pixels(hidden) < 0.2 * step_pixels(drawn_over)
    seen_from_north = frame([surface, on_surface], theta=90, phi=72, size=(480, 270))
    assert step_pixels(seen_from_north) > 20


def test_opacity_fades_the_surface(axes):
    surface = LandscapeSurface(axes, LAND, MESH)
    surface.set_opacity(0)
    assert not drawn(frame([surface])).any()


def test_fixed_in_frame_numbers_stay_fixed_after_set_value():
    """A DecimalNumber rebuilds its digits on set_value; they must not fall into the 3-D scene."""
    with tempconfig({"pixel_width": W, "pixel_height": H}):
        camera = LandscapeCamera()
        number = DecimalNumber(1.0)
        camera.add_fixed_in_frame_mobjects(number)
        number.set_value(23.5)
        camera.capture_mobjects([number])
        assert all(m in camera.fixed_in_frame_mobjects for m in number.get_family())


@pytest.mark.parametrize("settings, message", [
    ({"lr": "fast"}, "lr"),
    ({"x": 9}, "off the map"),
    ({"lr": 4.9}, "leaves the map"),
    ({"method": "teleport"}, "method"),
])
def test_hiker_scene_rejects_bad_settings_in_one_line(settings, message):
    from scenes.descent import HikerInTheDark
    with pytest.raises(SystemExit) as stop:
        HikerInTheDark(settings=settings)
    text = str(stop.value)
    assert message in text and "\n" not in text
