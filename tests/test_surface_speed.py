"""The render-speed helpers of scenes/kit/surface.py draw what the slow way draws (issue 14): baked shading,
the still camera's kept picture and skipped empty paths, footprints as one mobject, a walked path kept
as a prefix. Frames compared with numpy; each comparison is also shown to catch a wrong picture."""
import numpy as np
import pytest
from manim import DEGREES, Create, Dot, FadeIn, Sphere, Surface, ThreeDAxes, VMobject, tempconfig
from manim.camera.three_d_camera import ThreeDCamera

from calcviz.landscapes import landscape
from scenes.kit.surface import (
    LandscapeCamera, LandscapeSurface, StillShadedCamera, bake_shading, dense_polyline, landscape_axes,
    surface_polyline,
)
from scenes.kit.style import BACKGROUND, INK, MUTED, STEP

W, H = 320, 180
LAND = landscape("mountains")


def shot(camera, mobjects):
    camera.reset()
    camera.capture_mobjects(mobjects)
    return np.asarray(camera.pixel_array).astype(int).copy()


def still_camera(cls=ThreeDCamera, size=(W, H)):
    with tempconfig({"pixel_width": size[0], "pixel_height": size[1], "background_color": BACKGROUND}):
        camera = cls()
    camera.set_phi(62 * DEGREES)
    camera.set_theta(-58 * DEGREES)
    return camera


def manim_surface(resolution=10):
    axes = ThreeDAxes(x_range=[-3, 3, 1], y_range=[-3, 3, 1], z_range=[-2, 2, 1], x_length=5, y_length=5,
                      z_length=2.5, axis_config={"color": MUTED, "stroke_width": 2, "include_tip": False})
    surface = Surface(lambda u, v: axes.c2p(u, v, LAND.f(u, v)), u_range=[-3, 3], v_range=[-3, 3],
                      resolution=(resolution, resolution), fill_opacity=0.85, stroke_width=0.4,
                      stroke_color=MUTED, checkerboard_colors=False)
    surface.set_fill_by_value(axes=axes, colorscale=[(MUTED, -2), (STEP, 2)], axis=2)
    return axes, surface


# --- baked shading ---------------------------------------------------------------------------------
def test_baked_sphere_draws_the_same_pixels_still_and_while_fading_in():
    camera = still_camera()
    shaded = Sphere([0.3, 0.2, 0.1], radius=0.9, resolution=(8, 8)).set_color(INK)
    baked = bake_shading(shaded.copy(), camera)
    assert not any(m.shade_in_3d for m in baked.get_family())
    np.testing.assert_array_equal(shot(camera, [shaded]), shot(camera, [baked]))
    for mob in (shaded, baked):
        fade = FadeIn(mob)
        fade.begin()
        fade.interpolate(0.4)
    np.testing.assert_array_equal(shot(camera, [shaded]), shot(camera, [baked]))


def test_baking_without_the_3d_gradient_would_be_caught():
    """The comparison above sees a baked face drawn with a plain VMobject's gradient direction."""
    camera = still_camera()
    shaded = Sphere([0.3, 0.2, 0.1], radius=0.9, resolution=(8, 8)).set_color(INK)
    baked = bake_shading(shaded.copy(), camera)
    for face in baked.submobjects:
        face.__class__ = face.__class__.__mro__[2]  # the face's own class, not the baked one
    assert np.abs(shot(camera, [shaded]) - shot(camera, [baked])).max() > 0


def test_bake_keeps_the_cameras_depth_order():
    camera = still_camera()
    shaded = Sphere(radius=0.9, resolution=(6, 6))
    baked = bake_shading(shaded.copy(), camera)
    camera.reset_rotation_matrix()
    depth = [float(np.dot(m.get_center(), camera.get_rotation_matrix().T)[2]) for m in baked.submobjects]
    assert depth == sorted(depth)


# --- the still camera ------------------------------------------------------------------------------
def test_still_camera_draws_what_the_3d_camera_draws_and_keeps_the_picture():
    plain, still = still_camera(), still_camera(StillShadedCamera)
    axes, surface = manim_surface()
    label = Dot([3, 2, 0], color=STEP)
    expected = shot(plain, [axes, surface, label])
    first = shot(still, [axes, surface, label])
    kept = still._kept_key
    assert kept is not None
    again = shot(still, [axes, surface, label])
    assert still._kept_key is kept  # the kept picture was used
    np.testing.assert_array_equal(first, expected)
    np.testing.assert_array_equal(again, expected)


def test_still_camera_draws_again_when_a_face_changes():
    plain, still = still_camera(), still_camera(StillShadedCamera)
    axes, surface = manim_surface()
    shot(still, [axes, surface])
    surface.submobjects[7].set_fill(STEP, opacity=1)
    np.testing.assert_array_equal(shot(still, [axes, surface]), shot(plain, [axes, surface]))
    still.set_theta(-40 * DEGREES)
    plain.set_theta(-40 * DEGREES)
    np.testing.assert_array_equal(shot(still, [axes, surface]), shot(plain, [axes, surface]))


def test_still_camera_while_a_surface_is_created():
    """Faces not yet begun are one repeated point: left out, the same pixels (and the test sees a face)."""
    plain, still = still_camera(), still_camera(StillShadedCamera)
    axes, surface = manim_surface()
    create = Create(surface)
    create.begin()
    for alpha in (0.0, 0.37, 0.8):
        create.interpolate(alpha)
        left_out = [m for m in surface.submobjects if len(m.points) and (m.points == m.points[0]).all()]
        if alpha > 0:
            assert 0 < len(left_out) < len(surface.submobjects)
        np.testing.assert_array_equal(shot(still, [axes, surface]), shot(plain, [axes, surface]))
    before = shot(plain, [axes, surface])
    surface.submobjects[-1].set_points(surface.submobjects[0].points.copy())  # a face appears
    assert np.abs(shot(still, [axes, surface]) - before).max() > 0


# --- footprints and the walked path on the landscape ------------------------------------------------
@pytest.fixture(scope="module")
def landscape_surface():
    return LandscapeSurface(landscape_axes(LAND), LAND, 16)


def test_footprints_as_one_mobject_draw_like_separate_dots(landscape_surface):
    surface = landscape_surface
    points = surface.lift(np.array([(-1.2, 0.9), (-0.6, 0.4), (0.3, 0.2), (2.6, 2.6), (1.5, -2.0)]))
    dots = [Dot(p, radius=0.08, color=STEP) for p in points]
    one = VMobject(fill_color=STEP, fill_opacity=1, stroke_width=0)
    one.set_points(np.concatenate([d.points for d in dots]))
    camera = still_camera(LandscapeCamera, size=(480, 270))
    camera.set_phi(55 * DEGREES)
    for theta in (-100, 60):  # from the south-west and from the north-east: a hill hides other dots
        camera.set_theta(theta * DEGREES)
        surface.attach(*dots)
        separate = shot(camera, [surface, *dots])
        surface.attach(one)
        together = shot(camera, [surface, one])
        assert np.abs(separate - together).max() <= 2  # the same placement between the faces
    moved = VMobject(fill_color=STEP, fill_opacity=1, stroke_width=0)
    moved.set_points(np.concatenate([d.copy().shift(0.1 * np.array([1, 0, 0])).points for d in dots]))
    surface.attach(moved)
    assert np.abs(shot(camera, [surface, moved]) - together).max() > 24


def test_a_walked_path_is_a_prefix_of_the_longer_path(landscape_surface):
    surface = landscape_surface
    pts = np.array([(-1.2, 0.9), (-0.7, 0.5), (-0.6, 0.45), (0.3, 0.2)])
    here = np.array([0.4, 0.1])
    whole = surface_polyline(surface, [*pts, here])
    walked = dense_polyline(surface, pts)
    step = dense_polyline(surface, [pts[-1], here])[1:]
    np.testing.assert_array_equal(surface.lift(np.concatenate([walked, step])), whole)
    assert len(walked) < len(whole)


def test_surface_box_from_its_corners_is_the_box_of_all_its_points(landscape_surface):
    """LandscapeCamera projects only a LandscapeSurface's corners when asked for its points (a box is all
    that is asked): the same box as projecting every point, and a moved corner moves it."""
    camera = still_camera(LandscapeCamera)
    camera.reset_rotation_matrix()
    surface = landscape_surface.copy()
    corners = camera.transform_points_pre_display(surface, surface.points)
    every = camera.project_points(surface.points)
    assert len(corners) == len(surface.points) // 4
    np.testing.assert_allclose(corners.min(axis=0), every.min(axis=0), atol=1e-12)
    np.testing.assert_allclose(corners.max(axis=0), every.max(axis=0), atol=1e-12)
    surface.points[0] += np.array([0.0, 0.0, 5.0])  # a corner lifted far up
    assert camera.transform_points_pre_display(surface, surface.points).max(axis=0)[1] > every.max(axis=0)[1]
