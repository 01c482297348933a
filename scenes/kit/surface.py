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

Heights come from the core (``landscape.on_grid`` for the mesh, ``landscape.f`` to lift
points onto it); faces are coloured low→high with the course's viridis map
(:func:`scenes.kit.style.height_color`), optionally by contour level so that the surface
agrees with a contour map of the same landscape.
"""
from __future__ import annotations

import weakref
from collections.abc import Sequence

import numpy as np
from manim import ORIGIN, Surface, ThreeDAxes, VMobject
from manim.camera.three_d_camera import ThreeDCamera

from scenes.kit.style import FUNCTION, INK, STEP, height_color
from scenes.kit.lesson import LessonThreeDScene

__all__ = ["LandscapeCamera", "LandscapeScene", "LandscapeSurface", "landscape_axes", "stock_surface",
           "surface_path", "surface_polyline"]

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
            else:
                xy = (mob.points - o) @ inverse.T
                lo, hi = xy.min(axis=0), xy.max(axis=0)
                corners = np.array([[lo[0], lo[1]], [lo[0], hi[1]], [hi[0], lo[1]], [hi[0], hi[1]]])
                key = int(rank[np.minimum(self.face_at(corners), len(rank) - 1)].max())
                pieces.append((key, seq, lambda ctx, mob=mob: ThreeDCamera.display_vectorized(camera, mob, ctx)))
                seq += 1
        pieces.sort(key=lambda piece: piece[:2])
        return pieces


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
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    (x0, x1), _ = surface.domain
    step = spacing * (x1 - x0) / surface.resolution
    dense = [pts[:1]]
    for a, b in zip(pts[:-1], pts[1:]):
        k = max(1, int(np.ceil(np.linalg.norm(b - a) / step)))
        dense.append(a + (b - a) * np.linspace(0, 1, k + 1)[1:, None])
    return surface.lift(np.concatenate(dense))


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


def _face_means(Z: np.ndarray) -> np.ndarray:
    return ((Z[:-1, :-1] + Z[:-1, 1:] + Z[1:, 1:] + Z[1:, :-1]) / 4).ravel()
