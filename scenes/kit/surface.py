"""A fast 3-D landscape surface for moving-camera shots (Cairo renderer).

Manim's stock ``Surface`` is a ``VGroup`` of one ``VMobject`` per face: when the camera
moves, the camera projects, shades, depth-sorts and strokes every face through several
layers of Python per frame (measured: ~0.4 ms per face, so ~2 frames/s for 32×32 faces).
:class:`LandscapeSurface` is *one* mobject holding all faces; :class:`LandscapeCamera`
draws it in one pass: numpy projects every corner at once, sorts the faces back to
front with ``argsort``, shades them from their normals and the camera's light, and the
loop that remains only issues Cairo calls. Things that lie on the surface (a path, the
hiker, footprints) are drawn *between* the faces, in depth order, so a ridge in front
hides them as it should. ``bench/bench_surface.py`` measures the speed-up.

Use it in a scene whose camera is a :class:`LandscapeCamera` (a :class:`LandscapeScene`, or
``camera_class=LandscapeCamera``)::

    class Demo(LandscapeScene):
        def construct(self):
            land = landscape("mountains")
            surface = LandscapeSurface(landscape_axes(land), land, resolution=32)
            path = surface_path(surface, minimize(land, "gradient_descent", lr=0.3).points)
            self.add(surface, path)                  # the surface first, then what lies on it
            self.begin_ambient_camera_rotation(rate=0.1)
            self.wait(3)

Measured here (``bench/bench_surface.py``, 32×32 faces, orbiting camera, 2 cores): the stock
``Surface`` spends ~0.3 ms of Python per face per frame, ``LandscapeSurface`` ~10–15 µs. Rendering
alone is ~25× faster at 480p15 and ~17× at 1080p60; with H.264 encoding included (manim's own
cost, the same for both: ~18 ms a frame at 1080p) it is ~16× and ~8–10×.

For a camera that stands still over manim's own ``Surface`` (PartialDerivativeSlices):
:class:`StillShadedCamera` keeps the picture of the shaded 3-D part between plays, leaves out faces
that ``Create`` has not begun, and shades all faces in one numpy pass; :func:`bake_shading` shades a
small 3-D mobject once so that it can sit in the still layer. Both draw the same pixels as manim
(``tests/test_surface_speed.py``).

Heights come from the core (``landscape.on_grid`` for the mesh, ``landscape.f`` to lift
points onto it); faces are coloured low→high with the course's viridis map
(:func:`scenes.kit.style.height_color`), optionally by contour level so that the surface
agrees with a contour map of the same landscape.
"""
from __future__ import annotations

import itertools
import weakref
from collections.abc import Sequence

import cairo
import numpy as np
from manim import ORIGIN, Camera, CapStyleType, Mobject, Surface, ThreeDAxes, VMobject
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP
from manim.camera.three_d_camera import ThreeDCamera
from manim.mobject.three_d.three_d_utils import get_3d_vmob_gradient_start_and_end_points

from scenes.kit.style import FUNCTION, INK, STEP, height_color
from scenes.kit.lesson import LessonThreeDScene
from scenes.kit.redraw import drawing_state

__all__ = ["LandscapeCamera", "LandscapeScene", "LandscapeSurface", "StillShadedCamera", "bake_shading",
           "dense_polyline", "landscape_axes", "stock_surface", "surface_path", "surface_polyline"]

CORNERS_PER_FACE = 4
POINTS_PER_FACE = 4 * CORNERS_PER_FACE  # four straight cubic Béziers per quad


# --- the surface -------------------------------------------------------------------------------
class LandscapeSurface(VMobject):
    """All faces of a landscape's height field as one mobject, drawn fast by :class:`LandscapeCamera`.

    Parameters
    ----------
    axes
        The 3-D axes the landscape lives in (x, y: the domain; z: the height).
    land
        A ``calcviz.landscapes.Landscape``; its heights come from ``land.on_grid``.
    resolution
        Faces per side (``resolution²`` quads, like ``Surface(resolution=...)``).
    levels
        Contour levels (e.g. ``landscape_contours(land).levels``): colour a face by where its
        height falls among them, as ``contour_map`` colours the level curves. Default: by
        height, linearly from the lowest to the highest face.
    opacity, mesh_color, mesh_width, mesh_opacity
        Fill opacity of the faces and the style of the mesh lines (the faces' edges).
    ambient
        Brightness of a face turned away from the light (1 = no shading).
    shading
        ``"lambert"`` (default: the colour keeps its hue, darker where a slope turns from the light)
        or ``"manim"`` (ThreeDCamera's additive highlight, to match a stock ``Surface``).

    The manim-level style (``set_opacity``, ``FadeIn``, ``set_stroke``) scales the faces'
    opacity and the mesh lines, so the usual animations work. Drawn by a plain
    ``ThreeDCamera`` it shows as one flat colour: use :class:`LandscapeScene` or
    ``camera_class=LandscapeCamera``.
    """

    def __init__(self, axes: ThreeDAxes, land, resolution: int = 32, *, domain=None, levels=None,
                 opacity: float = 1.0, mesh_color=INK, mesh_width: float = 0.6, mesh_opacity: float = 0.35,
                 ambient: float = 0.5, shading: str = "lambert", **kwargs):
        super().__init__(fill_color=FUNCTION, fill_opacity=opacity, stroke_color=mesh_color,
                         stroke_width=mesh_width, stroke_opacity=mesh_opacity, shade_in_3d=False, **kwargs)
        self.axes, self.land = axes, land
        self.resolution = n = int(resolution)
        self.ambient = float(ambient)
        if shading not in ("lambert", "manim"):
            raise ValueError(f"shading must be 'lambert' or 'manim', got {shading!r}")
        self.shading = shading
        (x0, x1), (y0, y1) = land.domain if domain is None else domain
        self.domain = ((float(x0), float(x1)), (float(y0), float(y1)))
        X, Y, Z = land.on_grid(n + 1, self.domain)  # the core computes every height
        self.grid = (X, Y, Z)
        # face (i, j) spans rows i..i+1 (y) and columns j..j+1 (x); index f = i*n + j
        corners = np.stack([np.stack(g, axis=-1) for g in (
            (X[:-1, :-1], Y[:-1, :-1], Z[:-1, :-1]), (X[:-1, 1:], Y[:-1, 1:], Z[:-1, 1:]),
            (X[1:, 1:], Y[1:, 1:], Z[1:, 1:]), (X[1:, :-1], Y[1:, :-1], Z[1:, :-1]))], axis=2)
        corners = corners.reshape(n * n, CORNERS_PER_FACE, 3)      # graph coordinates
        heights = corners[:, :, 2].mean(axis=1)
        self.face_rgb = face_colors(heights, levels)              # (F, 3) viridis, unshaded
        self.origin, self.basis = _affine(axes)  # scene point = origin + basis @ (x, y, z)
        self.set_points(_quads_as_beziers(self.to_scene(corners)))

    # geometry ------------------------------------------------------------------------------------
    def face_corners(self) -> np.ndarray:
        """(F, 4, 3) scene points of the faces' corners (only complete faces while ``Create`` runs)."""
        pts = self.points
        f = len(pts) // POINTS_PER_FACE
        return pts[: f * POINTS_PER_FACE].reshape(f, CORNERS_PER_FACE, 4, 3)[:, :, 0, :]

    def lift(self, xy) -> np.ndarray:
        """Scene points on the surface above domain points ``xy`` (…, 2): (x, y, f(x, y)) through the axes."""
        xy = np.asarray(xy, dtype=float)
        z = np.asarray(self.land.f(xy[..., 0], xy[..., 1]), dtype=float)
        return self.to_scene(np.concatenate([xy[..., :2], z[..., None]], axis=-1))

    def to_scene(self, coords) -> np.ndarray:
        """Graph coordinates (…, 3) → scene points, through the axes (the surface follows the axes it was
        built on: move the camera, not the surface)."""
        return np.asarray(coords, dtype=float) @ self.basis.T + self.origin

    def face_at(self, xy) -> np.ndarray:
        """Index i*n + j of the face whose domain square contains each point ``xy`` (…, 2) (clamped)."""
        xy = np.asarray(xy, dtype=float)
        n = self.resolution
        (x0, x1), (y0, y1) = self.domain
        j = np.clip(np.floor((xy[..., 0] - x0) / (x1 - x0) * n), 0, n - 1).astype(int)
        i = np.clip(np.floor((xy[..., 1] - y0) / (y1 - y0) * n), 0, n - 1).astype(int)
        return i * n + j

    def attach(self, *mobjects):
        """Mark ``mobjects`` as lying on this surface: the camera draws them between the faces, by depth.

        Returns the (single) mobject, or the tuple. Add them to the scene *after* the surface.
        """
        host = weakref.ref(self)  # copies made by animations share the host instead of cloning it
        for mob in mobjects:
            for m in mob.get_family():
                m.landscape_host = host
        if not self.updaters:
            # Redraw the surface whenever what lies on it may move (manim otherwise freezes it into
            # the static background while a path is drawn, and the path would not be occluded).
            self.add_updater(_keep_live)
        return mobjects[0] if len(mobjects) == 1 else mobjects

    # drawing ------------------------------------------------------------------------------------
    def shaded_rgb(self, corners: np.ndarray, light: np.ndarray) -> np.ndarray:
        """Face colours lit by the camera's point light, from vectorised normals.

        ``shading="lambert"`` scales the height colour by ambient + diffuse light, so a colour keeps its
        hue (its meaning: the height); ``shading="manim"`` adds ThreeDCamera's highlight
        (``get_shaded_rgb``: + ½·cos³ of the angle to the light, averaged over a face's two shading
        corners) to look like the stock ``Surface``.
        """
        normals = np.cross(corners[:, 2] - corners[:, 0], corners[:, 3] - corners[:, 1])
        up = self.basis[:, 2] / np.linalg.norm(self.basis[:, 2])
        normals *= np.where(normals @ up < 0, -1.0, 1.0)[:, None]  # the side facing the sky
        normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
        rgb = self.face_rgb[: len(corners)]
        if self.shading == "manim":
            light_added = np.zeros(len(corners))
            for corner in (corners[:, 0], corners[:, 2]):
                to_light = light - corner
                to_light /= np.maximum(np.linalg.norm(to_light, axis=1, keepdims=True), 1e-12)
                cos3 = 0.5 * np.einsum("ij,ij->i", normals, to_light) ** 3
                light_added += np.where(cos3 < 0, 0.5 * cos3, cos3) / 2
            return np.clip(rgb + light_added[:, None], 0.0, 1.0)
        to_light = light - corners.mean(axis=1)
        to_light /= np.maximum(np.linalg.norm(to_light, axis=1, keepdims=True), 1e-12)
        lambert = np.clip(np.einsum("ij,ij->i", normals, to_light), 0.0, 1.0)
        shade = self.ambient + (1.0 - self.ambient) * lambert
        return np.clip(rgb * shade[:, None], 0.0, 1.0)

    def draw(self, camera: LandscapeCamera, ctx, lying_on: Sequence[VMobject] = ()) -> None:
        """Paint the faces back to front on ``ctx``, each filled then outlined by its mesh lines;
        pieces of ``lying_on`` are painted right after the nearest face they touch."""
        corners = self.face_corners()
        if not len(corners):
            return
        f = len(corners)
        projected = camera.project_points(corners.reshape(-1, 3)).reshape(f, CORNERS_PER_FACE, 3)
        order = np.argsort(projected[:, :, 2].mean(axis=1), kind="stable")  # far (small z) first
        rank = np.empty(f, dtype=int)
        rank[order] = np.arange(f)

        fill = self.get_fill_rgbas()[0]
        stroke = self.get_stroke_rgbas()[0]
        width = self.get_stroke_width() * camera.cairo_line_width_multiple
        fill_alpha, stroke_alpha = float(fill[3]), float(stroke[3]) if width > 0 else 0.0
        # Cairo's ARGB32 buffer holds manim's RGBA pixels, so colours go in as (b, g, r) like manim does.
        bgr = self.shaded_rgb(corners, camera.light_source.points[0])[order][:, ::-1].tolist()
        xy = projected[order][:, :, :2].reshape(f, 8).tolist()
        stroke_rgba = (*stroke[2::-1], stroke_alpha)
        # Each mesh line is stroked once, with the nearer of its two faces (drawn later, so nothing of
        # that face covers it): half the strokes of outlining every face, and hidden lines stay hidden.
        owned = self._owned_edges(rank)[order].tolist() if stroke_alpha > 0 else None

        pieces = self._pieces(camera, lying_on, rank) if lying_on else []
        after = [piece[0] for piece in pieces] + [f]  # piece p goes right after the face of rank after[p]
        ctx.new_path()
        ctx.set_line_width(width)
        ctx.set_line_cap(1)  # cairo.LINE_CAP_ROUND: the separately stroked edges meet cleanly
        move_to, line_to, close, set_rgba = ctx.move_to, ctx.line_to, ctx.close_path, ctx.set_source_rgba
        fill_now, stroke_now = ctx.fill, ctx.stroke
        p = 0
        for r in range(f):
            c = xy[r]
            move_to(c[0], c[1])
            line_to(c[2], c[3])
            line_to(c[4], c[5])
            line_to(c[6], c[7])
            close()
            b, g, rr = bgr[r]
            set_rgba(b, g, rr, fill_alpha)
            fill_now()
            if owned is not None:
                e0, e1, e2, e3 = owned[r]
                if e0:
                    move_to(c[0], c[1])
                    line_to(c[2], c[3])
                if e1:
                    move_to(c[2], c[3])
                    line_to(c[4], c[5])
                if e2:
                    move_to(c[4], c[5])
                    line_to(c[6], c[7])
                if e3:
                    move_to(c[6], c[7])
                    line_to(c[0], c[1])
                if e0 or e1 or e2 or e3:
                    set_rgba(*stroke_rgba)
                    stroke_now()
            if after[p] <= r:
                while after[p] <= r:
                    pieces[p][2](ctx)
                    p += 1
                ctx.new_path()  # manim's own drawing leaves its path in the context (fill_preserve)
                ctx.set_line_width(width)
                ctx.set_line_cap(1)
        ctx.set_line_cap(0)

    def _owned_edges(self, rank: np.ndarray) -> np.ndarray:
        """(F, 4) booleans: face f strokes its edge e (corner e → e+1) if it is drawn after the face across
        that edge, or has none. Edges 0–3: towards row i−1, column j+1, row i+1, column j−1."""
        n = self.resolution
        full = np.full(n * n, -1, dtype=int)
        full[: len(rank)] = rank
        grid = np.pad(full.reshape(n, n), 1, constant_values=-1)
        mine = grid[1:-1, 1:-1]
        across = (grid[:-2, 1:-1], grid[1:-1, 2:], grid[2:, 1:-1], grid[1:-1, :-2])
        return np.stack([mine > other for other in across], axis=-1).reshape(n * n, 4)[: len(rank)]

    def _key(self, points, inverse, o, rank) -> int:
        """The latest rank among the faces under the domain box of these scene points."""
        xy = (points - o) @ inverse.T
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        corners = np.array([[lo[0], lo[1]], [lo[0], hi[1]], [hi[0], lo[1]], [hi[0], hi[1]]])
        return int(rank[np.minimum(self.face_at(corners), len(rank) - 1)].max())

    def _pieces(self, camera, lying_on, rank):
        """(key, sequence, paint) for everything lying on the surface: a stroke-only curve is cut into
        its Bézier segments, anything else (a dot) is one piece; key = the latest rank of the faces
        it touches, so it is painted over them and under the nearer faces."""
        o, inverse = self.origin, np.linalg.pinv(self.basis)[:2]  # scene point → domain (x, y)
        pieces = []
        seq = 0
        for mob in lying_on:
            if not mob.has_points() or (mob.get_fill_opacity() == 0 and mob.get_stroke_opacity() == 0):
                continue
            if mob.get_fill_opacity() == 0 and mob.get_stroke_width() > 0:
                segments = _segment_pieces(self, camera, mob, inverse, o, rank)
                for key, paint in segments:
                    pieces.append((key, seq, paint))
                    seq += 1
            elif _plain_fill(camera, mob):
                for key, paint in _fill_pieces(self, camera, mob, inverse, o, rank):
                    pieces.append((key, seq, paint))
                    seq += 1
            else:
                key = self._key(mob.points, inverse, o, rank)
                pieces.append((key, seq, lambda ctx, mob=mob: ThreeDCamera.display_vectorized(camera, mob, ctx)))
                seq += 1
        pieces.sort(key=lambda piece: piece[:2])
        return pieces


def _plain_fill(camera, mob) -> bool:
    """A mobject drawn as one solid fill and nothing else (a dot, footprints), placed in the 3-D scene."""
    return (len(mob.get_fill_rgbas()) == 1 and mob.get_stroke_width() == 0
            and mob.get_stroke_width(background=True) == 0 and mob.get_background_image() is None
            and mob not in camera.fixed_in_frame_mobjects and mob not in camera.fixed_orientation_mobjects)


def _fill_pieces(surface, camera, mob, inverse, o, rank):
    """One piece per closed subpath of a plain fill (each footprint of many on one mobject), painted with the
    calls manim's camera makes for a mobject of that one subpath: projected once for all of them."""
    points = camera.project_points(mob.points)
    nppcc = mob.n_points_per_cubic_curve
    rgba = mob.get_fill_rgbas()[0]
    color = (*rgba[2::-1], rgba[3])
    out = []
    for start, end in mob.get_subpath_split_indices_from_points(points, n_dims=2):
        start, end = int(start), int(end)
        if end - start < nppcc:
            continue
        xy = points[start:end, :2].ravel().tolist()
        closed = mob.consider_points_equals_2d(points[start], points[end - 1])

        def paint(ctx, xy=xy, closed=closed):
            ctx.new_path()
            ctx.new_sub_path()
            ctx.move_to(xy[0], xy[1])
            for b in range(2, len(xy) - 5, 2 * nppcc):
                ctx.curve_to(*xy[b:b + 6])
            if closed:
                ctx.close_path()
            ctx.set_source_rgba(*color)
            ctx.fill_preserve()
        out.append((surface._key(mob.points[start:end], inverse, o, rank), paint))
    return out


def _segment_pieces(surface, camera, mob, inverse, o, rank):
    """One piece per cubic segment of a stroke: projected once for the whole curve."""
    n = mob.n_points_per_cubic_curve
    pts = mob.points[: len(mob.points) // n * n]
    if not len(pts):
        return []
    segs = pts.reshape(-1, n, 3)
    ends = np.stack([segs[:, 0], segs[:, -1]], axis=1)                  # (S, 2, 3)
    xy = (ends - o) @ inverse.T                                           # (S, 2, 2)
    lo, hi = xy.min(axis=1), xy.max(axis=1)
    corner_faces = surface.face_at(np.stack([lo, np.stack([lo[:, 0], hi[:, 1]], -1),
                                             np.stack([hi[:, 0], lo[:, 1]], -1), hi], axis=1))
    keys = rank[np.minimum(corner_faces, len(rank) - 1)].max(axis=1).tolist()
    projected = camera.project_points(pts)[:, :2].reshape(-1, n * 2).tolist()
    rgba = mob.get_stroke_rgbas()[0]
    color = (*rgba[2::-1], float(rgba[3]))
    width = mob.get_stroke_width() * camera.cairo_line_width_multiple

    def painter(c):
        def paint(ctx):
            ctx.move_to(c[0], c[1])
            ctx.curve_to(*c[2:8])
            ctx.set_source_rgba(*color)
            ctx.set_line_width(width)
            ctx.set_line_cap(1)  # cairo.LINE_CAP_ROUND: consecutive segments join seamlessly
            ctx.stroke()
            ctx.set_line_cap(0)
        return paint
    return [(k, painter(c)) for k, c in zip(keys, projected)]


def _keep_live(mob):
    """A no-op updater: marks the surface as moving so manim redraws it each frame."""


def face_colors(heights: np.ndarray, levels=None) -> np.ndarray:
    """(F, 3) viridis RGB of face heights: linear low→high, or by position among contour ``levels``."""
    heights = np.asarray(heights, dtype=float)
    if levels is not None and len(levels) > 1:
        t = np.interp(heights, np.asarray(levels, dtype=float), np.linspace(0, 1, len(levels)))
    else:
        lo, hi = float(heights.min()), float(heights.max())
        t = (heights - lo) / (hi - lo) if hi > lo else np.zeros_like(heights)
    palette = np.array([height_color(s).to_rgb() for s in np.linspace(0, 1, 256)])
    return palette[np.clip(np.rint(t * 255), 0, 255).astype(int)]


def _affine(axes) -> tuple[np.ndarray, np.ndarray]:
    """Origin o and matrix M with c2p(x, y, z) = o + M @ (x, y, z) (ThreeDAxes are linear)."""
    o = np.asarray(axes.c2p(0, 0, 0), dtype=float)
    m = np.stack([np.asarray(axes.c2p(*e), dtype=float) - o for e in np.eye(3)], axis=1)
    return o, m


def _quads_as_beziers(corners: np.ndarray) -> np.ndarray:
    """(F, 4, 3) corners → (F*16, 3) manim points: each quad a closed path of four straight cubics."""
    a = corners
    b = np.roll(corners, -1, axis=1)
    t = np.array([0.0, 1 / 3, 2 / 3, 1.0])[None, None, :, None]
    return (a[:, :, None] * (1 - t) + b[:, :, None] * t).reshape(-1, 3)


# --- what lies on it ---------------------------------------------------------------------------
def surface_polyline(surface: LandscapeSurface, points, spacing: float = 0.5) -> np.ndarray:
    """Scene points of the polyline through domain ``points``, following the terrain.

    Each straight step in (x, y) is resampled every ``spacing`` face widths and lifted with the
    landscape's own f, so it rises and falls with the surface instead of cutting through it.
    """
    return surface.lift(dense_polyline(surface, points, spacing))


def dense_polyline(surface: LandscapeSurface, points, spacing: float = 0.5) -> np.ndarray:
    """The domain points (N, 2) that :func:`surface_polyline` lifts: ``points`` resampled every ``spacing``
    face widths. A prefix of ``points`` gives a prefix of the result (a path walked so far can be kept)."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    (x0, x1), _ = surface.domain
    step = spacing * (x1 - x0) / surface.resolution
    dense = [pts[:1]]
    for a, b in zip(pts[:-1], pts[1:]):
        k = max(1, int(np.ceil(np.linalg.norm(b - a) / step)))
        dense.append(a + (b - a) * np.linspace(0, 1, k + 1)[1:, None])
    return np.concatenate(dense)


def surface_path(surface: LandscapeSurface, points, color=STEP, stroke_width: float = 4,
                 spacing: float = 0.5) -> VMobject:
    """The path through domain ``points`` (e.g. a Trajectory's iterates) on the surface, drawn in depth order."""
    path = VMobject(stroke_color=color, stroke_width=stroke_width, fill_opacity=0)
    path.set_points_as_corners(surface_polyline(surface, points, spacing))
    return surface.attach(path)


# --- the camera and a scene that uses it -------------------------------------------------------
class LandscapeCamera(ThreeDCamera):
    """A ThreeDCamera that draws :class:`LandscapeSurface` in one pass, with its attachments in depth order.

    ``view_center`` shifts every projected 3-D point on screen (fixed-in-frame mobjects stay put),
    so a 3-D view can orbit in one half of a side-by-side layout.
    """

    def __init__(self, *args, view_center=ORIGIN, **kwargs):
        super().__init__(*args, **kwargs)
        self.view_center = np.array(view_center, dtype=float)
        self._lying_on: dict[int, list] = {}

    def project_points(self, points):
        projected = super().project_points(points)
        if self.view_center.any():
            projected[:, :2] += self.view_center[:2]
        return projected

    def transform_points_pre_display(self, mobject, points):
        # Only a box is asked of a LandscapeSurface's points (manim does not draw it: ``draw`` does). Every
        # point of a face lies on the straight edges between its corners, and a projection keeps a point
        # of an edge between the ends' images: the corners alone give the same box, at a quarter the work.
        if (isinstance(mobject, LandscapeSurface) and points is mobject.points
                and len(points) % POINTS_PER_FACE == 0 and mobject not in self.fixed_in_frame_mobjects
                and mobject not in self.fixed_orientation_mobjects):
            points = points[::4]
        return super().transform_points_pre_display(mobject, points)

    def get_mobjects_to_display(self, mobjects, *args, **kwargs):
        # A fixed-in-frame mobject that rebuilt its submobjects (a DecimalNumber does on every set_value)
        # keeps its new parts fixed too; ThreeDCamera would project them into the 3-D scene.
        for m in mobjects:
            if m in self.fixed_in_frame_mobjects:
                self.fixed_in_frame_mobjects.update(m.get_family())
        mobjects = super().get_mobjects_to_display(mobjects, *args, **kwargs)
        surfaces = {id(m) for m in mobjects if isinstance(m, LandscapeSurface)}
        self._lying_on = {}
        shown = []
        for m in mobjects:
            ref = getattr(m, "landscape_host", None)
            host = ref() if ref is not None else None
            if host is not None and id(host) in surfaces:
                self._lying_on.setdefault(id(host), []).append(m)
            else:
                shown.append(m)
        return shown

    def display_vectorized(self, vmobject, ctx):
        if isinstance(vmobject, LandscapeSurface):
            vmobject.draw(self, ctx, self._lying_on.get(id(vmobject), ()))
            return self
        return super().display_vectorized(vmobject, ctx)


class StillShadedCamera(ThreeDCamera):
    """A ThreeDCamera that does not draw what cannot show and keeps the picture of its shaded 3-D part.

    For a camera that stands still over a manim ``Surface`` (hundreds of shaded faces, each drawn through
    several layers of Python): manim draws the still part of a frame again at every ``play`` (its static
    image), and while ``Create`` reveals a surface face by face it draws every face not yet begun (a path
    of one repeated point: nothing on screen) on every frame. Here

    - a VMobject whose points are all one point, without fill and with butt caps, is left out (it paints
      no pixel; the others keep their order);
    - the run of shaded faces that a ``ThreeDCamera`` draws first on a fresh background (sorted by depth)
      is remembered as pixels, with everything those pixels depend on (each face's points, colours and
      widths, the camera's orientation); when the same run is drawn again on a fresh background, the
      pixels are copied in instead.

    The same pixels either way (the background is taken to stay the same colour).
    """

    MIN_REMEMBERED = 32  # shaded mobjects: fewer are drawn again rather than compared

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fresh = False
        self._kept_key, self._kept_pixels = None, None

    def reset(self):
        result = super().reset()
        self._fresh = True
        return result

    def set_frame_to_background(self, background) -> None:
        super().set_frame_to_background(background)
        self._fresh = False

    def get_mobjects_to_display(self, mobjects, include_submobjects=True, excluded_mobjects=None):
        if include_submobjects:
            mobjects = Camera.get_mobjects_to_display(self, mobjects, include_submobjects=True,
                                                      excluded_mobjects=excluded_mobjects)
        shown = [m for m in mobjects if not _paints_nothing(m)]
        return super().get_mobjects_to_display(shown, include_submobjects=False)

    def capture_mobjects(self, mobjects, **kwargs) -> None:
        self.reset_rotation_matrix()
        shown = self.get_mobjects_to_display(mobjects, **kwargs)
        fresh, self._fresh = self._fresh, False
        n = 0
        while n < len(shown) and isinstance(shown[n], VMobject) and shown[n].shade_in_3d:
            n += 1
        if fresh and n >= self.MIN_REMEMBERED and all(m.get_background_image() is None for m in shown[:n]):
            key = self._picture_key(shown[:n])
            if key == self._kept_key:
                self.pixel_array[...] = self._kept_pixels
            else:
                self._display(shown[:n])
                self._kept_key, self._kept_pixels = key, self.pixel_array.copy()
            shown = shown[n:]
        self._display(shown)

    def display_multiple_non_background_colored_vmobjects(self, vmobjects, pixel_array) -> None:
        ctx = self.get_cairo_context(pixel_array)
        vmobjects = list(vmobjects)
        faces = _ShadedQuads(self, vmobjects)
        for k, vmobject in enumerate(vmobjects):
            if not faces.paint(k, ctx):
                self.display_vectorized(vmobject, ctx)

    def _display(self, mobjects) -> None:
        for group_type, group in itertools.groupby(mobjects, self.type_or_raise):
            self.display_funcs[group_type](list(group), self.pixel_array)

    def _picture_key(self, mobjects) -> bytes:
        camera = [self.get_rotation_matrix(), self.frame_center, self.light_source.points[0],
                  np.array([self.get_focal_distance(), self.get_zoom(), self.pixel_width, self.pixel_height,
                            self.frame_width, self.frame_height], dtype=float)]
        parts = [np.asarray(a).tobytes() for a in camera] + [repr(self.background_color).encode(),
                                                              drawing_state(mobjects)]
        parts += [repr((type(m).__name__, m in self.fixed_in_frame_mobjects, m in self.fixed_orientation_mobjects)
                       ).encode() for m in mobjects]
        return b"".join(parts)


class _ShadedQuads:
    """Manim's drawing of shaded quads (a ``Surface``'s faces: four straight cubics, closed), with the
    projections, normals and shading of all of them computed at once in numpy; each face is then painted
    with the Cairo calls ``Camera.display_vectorized`` makes for it (path, two-stop gradient fill, gradient
    stroke). Any other mobject, or a face in a corner case of manim's normals, is left to manim."""

    def __init__(self, camera, vmobjects):
        self.index = {}
        ok = [k for k, m in enumerate(vmobjects) if self._eligible(camera, m)]
        if not ok:
            return
        P = np.stack([vmobjects[k].points for k in ok])                      # (F, 16, 3)
        closed = ((P[:, 3] == P[:, 4]).all(-1) & (P[:, 7] == P[:, 8]).all(-1) & (P[:, 11] == P[:, 12]).all(-1)
                  & (P[:, 15] == P[:, 0]).all(-1) & np.isfinite(P).all(axis=(1, 2)))
        light_source = camera.light_source.points[0]
        lights, regular = [], closed.copy()
        for i, im3, ip3 in ((0, 12, 3), (6, 3, 9)):  # manim's start and end corners and their neighbours
            v1, v2 = P[:, ip3] - P[:, i], P[:, im3] - P[:, i]
            div1, div2 = np.abs(v1).max(axis=1), np.abs(v2).max(axis=1)
            safe1, safe2 = np.where(div1 == 0, 1.0, div1), np.where(div2 == 0, 1.0, div2)
            u1, u2 = v1 / safe1[:, None], v2 / safe2[:, None]
            cp = np.stack([u1[:, 1] * u2[:, 2] - u1[:, 2] * u2[:, 1], u1[:, 2] * u2[:, 0] - u1[:, 0] * u2[:, 2],
                           u1[:, 0] * u2[:, 1] - u1[:, 1] * u2[:, 0]], axis=1)
            cp_norm = np.sqrt(np.einsum("ij,ij->i", cp, cp))
            regular &= (div1 != 0) & (div2 != 0) & (cp_norm > 1e-6)
            normal = cp / np.where(cp_norm > 0, cp_norm, 1.0)[:, None]
            to_sun = light_source - P[:, i]
            to_sun = to_sun / np.linalg.norm(to_sun, axis=1)[:, None]
            light = 0.5 * np.einsum("ij,ij->i", normal, to_sun) ** 3
            lights.append(np.where(light < 0, light * 0.5, light))
        projected = camera.project_points(P.reshape(-1, 3)).reshape(P.shape)[:, :, :2]
        fill = np.stack([vmobjects[k].fill_rgbas[0] for k in ok])
        stroke = np.stack([vmobjects[k].stroke_rgbas[0] for k in ok])
        for j, k in enumerate(ok):
            if not regular[j]:
                continue
            m = vmobjects[k]
            fills = [(*(fill[j, 2::-1] + light[j]), fill[j, 3]) for light in lights]
            strokes = [(*(stroke[j, 2::-1] + light[j]), stroke[j, 3]) for light in lights]
            self.index[k] = (projected[j].ravel().tolist(), (*projected[j, 0], *projected[j, 6]),
                             [tuple(map(float, c)) for c in fills], [tuple(map(float, c)) for c in strokes],
                             float(m.get_stroke_width()) * camera.cairo_line_width_multiple,
                             LINE_JOIN_MAP[m.joint_type], CAP_STYLE_MAP[m.cap_style])

    @staticmethod
    def _eligible(camera, m) -> bool:
        return (isinstance(m, VMobject) and m.shade_in_3d and len(m.points) == 16 and camera.should_apply_shading
                and getattr(m, "fill_rgbas", np.zeros((0, 4))).shape == (1, 4)
                and getattr(m, "stroke_rgbas", np.zeros((0, 4))).shape == (1, 4)
                and m.get_stroke_width(background=True) == 0 and m.get_background_image() is None
                and type(m).get_gradient_start_and_end_points is VMobject.get_gradient_start_and_end_points
                and m not in camera.fixed_in_frame_mobjects and m not in camera.fixed_orientation_mobjects)

    def paint(self, k: int, ctx) -> bool:
        face = self.index.get(k)
        if face is None:
            return False
        xy, ends, fills, strokes, width, join, cap = face
        ctx.new_path()
        ctx.new_sub_path()
        ctx.move_to(xy[0], xy[1])
        for b in (2, 10, 18, 26):
            ctx.curve_to(*xy[b:b + 6])
        ctx.close_path()
        gradient = cairo.LinearGradient(*ends)
        gradient.add_color_stop_rgba(0.0, *fills[0])
        gradient.add_color_stop_rgba(1.0, *fills[1])
        ctx.set_source(gradient)
        ctx.fill_preserve()
        if width != 0:
            gradient = cairo.LinearGradient(*ends)
            gradient.add_color_stop_rgba(0.0, *strokes[0])
            gradient.add_color_stop_rgba(1.0, *strokes[1])
            ctx.set_source(gradient)
            ctx.set_line_width(width)
            ctx.set_line_join(join)
            ctx.set_line_cap(cap)
            ctx.stroke_preserve()
        return True


def _paints_nothing(m) -> bool:
    """A VMobject whose points are all one point, stroked with butt caps: Cairo paints no pixel for it."""
    if type(m) is Mobject or not isinstance(m, VMobject) or m.get_background_image() is not None:
        return False
    pts = m.points
    return (len(pts) > 0 and m.cap_style in (CapStyleType.AUTO, CapStyleType.BUTT)
            and bool((pts == pts[0]).all()))


class LandscapeScene(LessonThreeDScene):
    """A course 3-D scene whose camera draws :class:`LandscapeSurface` fast."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("camera_class", LandscapeCamera)
        super().__init__(*args, **kwargs)


# --- helpers shared by the scenes, the benchmark and the tests ----------------------------------
def landscape_axes(land, side: float = 4.6, height: float = 2.2, domain=None, z_range=None) -> ThreeDAxes:
    """Equal-scale x/y axes over the landscape's domain (``side`` units wide) and a z axis ``height`` tall."""
    (x0, x1), (y0, y1) = land.domain if domain is None else domain
    if z_range is None:
        _, _, Z = land.on_grid(65, ((x0, x1), (y0, y1)))
        z_range = (float(np.floor(Z.min())), float(np.ceil(Z.max())))
    scale = side / max(x1 - x0, y1 - y0)
    from scenes.kit.style import MUTED
    return ThreeDAxes(x_range=[x0, x1, 1], y_range=[y0, y1, 1], z_range=[z_range[0], z_range[1], 1],
                      x_length=(x1 - x0) * scale, y_length=(y1 - y0) * scale, z_length=height,
                      axis_config={"color": MUTED, "stroke_width": 2, "include_tip": False,
                                   "include_ticks": False})


def stock_surface(axes: ThreeDAxes, land, resolution: int = 32, *, levels=None, mesh_color=INK,
                  mesh_width: float = 0.6, mesh_opacity: float = 0.35) -> Surface:
    """Manim's own ``Surface`` of the same landscape, mesh and colours: the baseline to compare with."""
    (x0, x1), (y0, y1) = land.domain
    surface = Surface(lambda u, v: axes.c2p(u, v, land.f(u, v)), u_range=(x0, x1), v_range=(y0, y1),
                      resolution=(resolution, resolution), checkerboard_colors=False)
    X, Y, Z = land.on_grid(resolution + 1)
    rgb = face_colors(_face_means(Z), levels).reshape(resolution, resolution, 3)  # [i (y), j (x)]
    from manim import ManimColor
    for face in surface.list_of_faces:  # u = x is the face's first index, v = y the second
        face.set_fill(ManimColor(rgb[face.v_index, face.u_index]), opacity=1.0)
        face.set_stroke(mesh_color, mesh_width, opacity=mesh_opacity)
    return surface


def bake_shading(mob: VMobject, camera: ThreeDCamera) -> VMobject:
    """Shade ``mob``'s 3-D faces once, as ``camera`` standing still would on every frame, and keep them in its
    depth order: the same pixels, drawn as plain mobjects.

    A ``ThreeDCamera`` shades every ``shade_in_3d`` face from the light each time it draws it, and sorts
    such faces by depth in front of everything else in the same layer — so a shaded mobject is drawn
    again on every frame anything moves, whatever its ``z_index``. Baked, the faces carry the colours the
    camera would give them (``modified_rgbas``: two stops), ``shade_in_3d`` is off, and ``mob``'s
    submobjects are reordered far to near as the camera sorts them; place the result in the drawing
    order with ``z_index`` (below everything, as the camera put it, is ``set_z_index(-1)``). Only for a
    camera that does not move afterwards. Returns ``mob``.
    """
    faces = [m for m in mob.submobjects if isinstance(m, VMobject) and m.shade_in_3d and m.has_points()]
    ids = {id(m) for m in faces}
    if any(isinstance(m, VMobject) and m.shade_in_3d for m in mob.get_family()[1:] if id(m) not in ids):
        raise ValueError("bake_shading: shaded faces must be direct submobjects")
    camera.reset_rotation_matrix()
    ordered = ThreeDCamera.get_mobjects_to_display(camera, faces, include_submobjects=False)
    for face in ordered:
        fill = np.array(camera.modified_rgbas(face, face.get_fill_rgbas()), dtype=float)
        stroke = np.array(camera.modified_rgbas(face, face.get_stroke_rgbas()), dtype=float)
        background = np.array(camera.modified_rgbas(face, face.get_stroke_rgbas(background=True)), dtype=float)
        face.fill_rgbas, face.stroke_rgbas, face.background_stroke_rgbas = fill, stroke, background
        face.shade_in_3d = False
        face.__class__ = _baked_class(type(face))  # its two stops still run between its 3-D corners
    rest = [m for m in mob.submobjects if id(m) not in ids]
    mob.submobjects = [*ordered, *rest]
    return mob


class _BakedFace:
    """Mixed into a baked face's class: the gradient between its two shaded stops runs from its first corner
    to its opposite one, as for a shaded face (a plain VMobject's gradient runs along its sheen direction)."""

    def get_gradient_start_and_end_points(self):
        return get_3d_vmob_gradient_start_and_end_points(self)


_BAKED_CLASSES: dict[type, type] = {}


def _baked_class(cls: type) -> type:
    if issubclass(cls, _BakedFace):
        return cls
    if cls not in _BAKED_CLASSES:
        _BAKED_CLASSES[cls] = type(f"Baked{cls.__name__}", (_BakedFace, cls), {"__module__": __name__})
    return _BAKED_CLASSES[cls]


def _face_means(Z: np.ndarray) -> np.ndarray:
    return ((Z[:-1, :-1] + Z[:-1, 1:] + Z[1:, 1:] + Z[1:, :-1]) / 4).ravel()
