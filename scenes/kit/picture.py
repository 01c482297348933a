"""Raster pictures drawn by Cairo inside a rectangle: one image instead of hundreds of shapes.

A :class:`Picture` is a VMobject rectangle (so layouts, the quality gate, fades and
:class:`scenes.kit.redraw.RedrawLess` treat it like any other shape) that the camera fills with an
image instead of a colour. The image is made at the resolution of the frame it is drawn into
(:meth:`Picture.render` — a subclass says how), painted once into a surface of that size, and then
only copied into each frame until the picture changes (:meth:`Picture.changed`).

manim's own ``ImageMobject`` would do, but its Cairo camera composites the whole frame through PIL
for every image on every frame: at 1080p that costs more than the shapes it replaces.

Scenes that show pictures mix in :class:`Pictures` (``class S(Pictures, LessonScene)``), which gives
their 2-D camera the one method that draws them; under any other camera a picture is drawn as its
rectangle filled with one colour (:attr:`Picture.stand_in`).
"""
from __future__ import annotations

import cairo
import numpy as np
from manim import DL, DR, UL, UR, Camera, VMobject

from scenes.kit.style import MUTED

__all__ = ["Picture", "PictureCamera", "Pictures", "frame_pixels", "paste"]


def frame_pixels(rgba: np.ndarray, premultiplied: bool = False) -> np.ndarray:
    """Pixels as the camera's frames hold them, from RGBA floats in 0 … 1: bytes R, G, B, A, colour
    premultiplied by alpha. (Cairo reads them as ARGB32, so to Cairo red and blue are swapped — as
    manim's camera swaps them in every colour it gives Cairo.)"""
    rgba = np.asarray(rgba, dtype=np.float32)
    out = np.empty(rgba.shape[:-1] + (4,), dtype=np.uint8)
    alpha = rgba[..., 3:4]
    out[..., :3] = np.rint(rgba[..., :3] * (1 if premultiplied else alpha) * 255)
    out[..., 3:] = np.rint(alpha * 255)
    return out


class _Cache:
    """What a picture drew last (a Cairo surface): a copy of the picture starts without it."""

    def __init__(self):
        self.key, self.surface, self.origin = None, None, (0, 0)

    def __deepcopy__(self, memo):
        return _Cache()


class Picture(VMobject):
    """A ``width`` × ``height`` rectangle the :class:`PictureCamera` fills with :meth:`render`'s image.

    Subclasses implement :meth:`render` and call :meth:`changed` whenever what it returns would
    differ. The picture's fill opacity fades the whole image (``FadeIn`` works; ``fades = False``: whole at
    any opacity); its stroke is drawn over it as usual.
    """

    fades = True

    def __init__(self, width: float, height: float, stand_in=MUTED, **kwargs):
        super().__init__(stroke_width=0, fill_color=stand_in, fill_opacity=1, **kwargs)
        self.set_points_as_corners([UL, UR, DR, DL, UL])
        self.stretch_to_fit_width(width).stretch_to_fit_height(height)
        self.version = 0
        self._drawn = _Cache()

    @property
    def stand_in(self):
        return self.get_fill_color()

    def changed(self) -> None:
        """The image is different from now on: draw it anew next time."""
        self.version += 1

    def picture_key(self) -> bytes:
        """Changes whenever the image does (RedrawLess compares it, with the points and colours)."""
        return self.version.to_bytes(8, "little")

    def render(self, box: tuple[float, float, float, float], size: tuple[int, int]):
        """The image for the device-pixel rectangle ``box`` (x0, y0, x1, y1; y down) of a frame of
        ``size`` (width, height) pixels: ``(pixels, matrix)``, pixels an H × W × 4 uint8 array in
        the frames' layout (:func:`frame_pixels`) and matrix a ``cairo.Matrix`` from device
        pixels to the array's pixels, or None to stretch the array over the box. Drawn through a
        bilinear filter, clipped to the box."""
        raise NotImplementedError

    def device_box(self, camera: Camera, ctx: cairo.Context) -> tuple[float, float, float, float]:
        pts = camera.transform_points_pre_display(self, self.points)
        xy = np.array([ctx.user_to_device(float(x), float(y)) for x, y in pts[:, :2]])
        return (*xy.min(axis=0), *xy.max(axis=0))

    def paint(self, ctx: cairo.Context, camera: Camera) -> None:
        """Fill the rectangle with the image, faded by the fill opacity (the surface is made once per
        image and frame geometry, then only copied)."""
        opacity = float(self.get_fill_opacity()) if self.fades else 1.0
        if opacity <= 0 or len(self.points) == 0:
            return
        box = self.device_box(camera, ctx)
        size = (camera.pixel_width, camera.pixel_height)
        key = (self.version, tuple(round(v, 6) for v in box), size)
        drawn = self._drawn
        if drawn.key != key:
            ix0, iy0 = int(np.floor(box[0])), int(np.floor(box[1]))
            ix1, iy1 = int(np.ceil(box[2])), int(np.ceil(box[3]))
            surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, max(ix1 - ix0, 1), max(iy1 - iy0, 1))
            pixels, matrix = self.render(box, size)
            pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
            h, w = pixels.shape[:2]
            stride = cairo.ImageSurface.format_stride_for_width(cairo.FORMAT_ARGB32, w)
            if stride != 4 * w:
                padded = np.zeros((h, stride // 4, 4), dtype=np.uint8)
                padded[:, :w] = pixels
                pixels = padded
            source = cairo.ImageSurface.create_for_data(memoryview(pixels), cairo.FORMAT_ARGB32, w, h, stride)
            pattern = cairo.SurfacePattern(source)
            pattern.set_filter(cairo.FILTER_BILINEAR)
            pattern.set_extend(cairo.EXTEND_PAD)
            if matrix is None:
                matrix = cairo.Matrix(w / (box[2] - box[0]), 0, 0, h / (box[3] - box[1]),
                                      -box[0] * w / (box[2] - box[0]), -box[1] * h / (box[3] - box[1]))
            # the surface's pixel (0, 0) is device pixel (ix0, iy0)
            matrix = cairo.Matrix(1, 0, 0, 1, ix0, iy0).multiply(matrix)
            pattern.set_matrix(matrix)
            paint = cairo.Context(surface)
            paint.rectangle(box[0] - ix0, box[1] - iy0, box[2] - box[0], box[3] - box[1])
            paint.set_source(pattern)
            paint.fill()
            surface.flush()
            drawn.key, drawn.surface, drawn.origin = key, surface, (ix0, iy0)
            drawn.source = pixels  # keep the array alive as long as anything might read it
        paste(ctx, drawn.surface, *drawn.origin, opacity)


def paste(ctx: cairo.Context, surface: cairo.ImageSurface, x: int, y: int, opacity: float = 1.0) -> None:
    """Paint ``surface`` over what ``ctx`` holds, its pixel (0, 0) at device pixel (x, y), faded by ``opacity``."""
    ctx.save()
    ctx.identity_matrix()
    ctx.new_path()
    ctx.rectangle(x, y, surface.get_width(), surface.get_height())
    ctx.clip()
    ctx.set_source_surface(surface, x, y)
    if opacity >= 1:
        ctx.paint()
    else:
        ctx.paint_with_alpha(opacity)
    ctx.restore()


class PictureCamera(Camera):
    """manim's 2-D Cairo camera, drawing :class:`Picture` mobjects as images."""

    def display_vectorized(self, vmobject, ctx):
        if isinstance(vmobject, Picture):
            vmobject.paint(ctx, self)
            ctx.new_path()
            if vmobject.get_stroke_width() > 0:  # a frame drawn with it, as manim would
                self.set_cairo_context_path(ctx, vmobject)
                self.apply_stroke(ctx, vmobject)
            return self
        return super().display_vectorized(vmobject, ctx)


class Pictures:
    """Mix in before the scene class: its 2-D Cairo camera draws :class:`Picture` mobjects as images."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        camera = self.renderer.camera
        if type(camera) is Camera:
            camera.__class__ = PictureCamera  # adds one method, no state of its own
