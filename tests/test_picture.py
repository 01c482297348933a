"""scenes.kit.picture: an image drawn by Cairo inside a VMobject rectangle, painted once per version."""
import numpy as np
from manim import Camera, tempconfig

from scenes.kit.picture import Picture, PictureCamera, frame_pixels


class Checker(Picture):
    """2 × 2 pixels: red, green / blue, white; counts how often it is rendered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.renders = 0
        self.rgba = np.array([[[1, 0, 0, 1], [0, 1, 0, 1]], [[0, 0, 1, 1], [1, 1, 1, 1]]], dtype=float)

    def render(self, box, size):
        self.renders += 1
        return frame_pixels(self.rgba), None


def draw(*mobjects, camera_class=PictureCamera):
    with tempconfig({"pixel_width": 160, "pixel_height": 90, "background_color": "#000000"}):
        camera = camera_class()
        camera.capture_mobjects(list(mobjects))
        return camera.pixel_array.copy()


def test_frame_pixels_are_premultiplied_rgba_bytes():
    px = frame_pixels(np.array([[1.0, 0.5, 0.0, 0.5]]))
    assert px.tolist() == [[128, 64, 0, 128]]
    assert frame_pixels(np.array([[0.2, 0.4, 0.6, 1.0]]), premultiplied=True).tolist() == [[51, 102, 153, 255]]


def test_picture_fills_its_rectangle_with_the_image():
    pic = Checker(4, 4).move_to([1, 0, 0])  # x ∈ [-1, 3], y ∈ [-2, 2]: 45 px square from x = 71
    frame = draw(pic)
    unit = 160 / (8 * 16 / 9)  # pixels per unit: the frame is 8 units high, 16:9
    def at(x, y):
        return frame[int(45 - y * unit), int(80 + x * unit), :3].tolist()
    assert at(-0.9, 1.9) == [255, 0, 0]      # top left: red
    assert at(2.9, 1.9) == [0, 255, 0]       # top right: green
    assert at(-0.9, -1.9) == [0, 0, 255]     # bottom left: blue
    assert at(2.9, -1.9) == [255, 255, 255]  # bottom right: white
    mid = at(1.0, 0.0)
    assert all(60 < c < 200 for c in mid)  # bilinear between the four
    assert at(-1.3, 0) == [0, 0, 0] and at(3.3, 0) == [0, 0, 0]  # nothing outside


def test_picture_is_painted_once_per_version_and_fades():
    pic = Checker(4, 4)
    with tempconfig({"pixel_width": 160, "pixel_height": 90, "background_color": "#000000"}):
        camera = PictureCamera()
        for _ in range(3):
            camera.reset()
            camera.capture_mobjects([pic])
        assert pic.renders == 1
        pic.rgba[0, 0] = [0, 0, 0, 1]
        pic.changed()
        camera.reset()
        camera.capture_mobjects([pic])
        assert pic.renders == 2
        full = camera.pixel_array.copy()
        pic.set_fill(opacity=0.5)
        camera.reset()
        camera.capture_mobjects([pic])
        half = camera.pixel_array
    assert pic.renders == 2
    assert np.abs(half[..., :3].astype(int) * 2 - full[..., :3].astype(int)).max() <= 2


def test_picture_copies_and_stand_in():
    pic = Checker(4, 4, stand_in="#336699")
    draw(pic)
    twin = pic.copy()  # the painted surface is not copied (a copy paints its own)
    assert twin._drawn.surface is None and pic._drawn.surface is not None
    assert np.array_equal(draw(twin)[45, 80], draw(pic)[45, 80])
    plain = draw(pic, camera_class=Camera)  # another camera: the rectangle in one colour
    assert plain[45, 80, :3].tolist() == [0x33, 0x66, 0x99]


def test_picture_stroke_is_drawn_over_it():
    pic = Checker(4, 4).set_stroke("#FFFF00", 40)  # 0.4 units: 4.5 px
    frame = draw(pic)
    assert frame[45, 80 + 22, :3].tolist() == [255, 255, 0]  # on the right edge (x = 2)


def test_a_picture_that_does_not_fade_shows_whole():
    pic = Checker(4, 4)
    pic.fades = False
    whole = draw(pic)
    pic.set_fill(opacity=0.2)
    assert np.array_equal(draw(pic), whole)
    pic.set_fill(opacity=0)
    assert np.array_equal(draw(pic), whole)
