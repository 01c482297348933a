"""Redraw less per frame, with the same pixels: a mixin for 2-D lesson scenes.

Manim's Cairo renderer draws a frame in two layers: a *static* image made once per ``play`` from
every mobject before the first one that moves, and a *moving* layer drawn again every frame from
that first moving mobject to the end of the drawing order (by ``z_index``, then the order added).
Two habits of the lessons make that moving layer far larger than what moves:

- a readout's number has an updater (it follows its label), and anything with an updater counts
  as moving, so everything added after the first readout — code listings, axes, hundreds of data
  points — is drawn again on every frame, through every ``hold``, even when nothing changes;
- a picture at the bottom of the drawing order that changes (a heat map with ``z_index = -1``)
  puts *everything* above it into the moving layer.

:class:`RedrawLess` keeps manim's two layers and narrows the moving one to what really needs
drawing each frame, without changing a pixel:

1. **What moves**: the mobjects being animated, those with updaters, and their families.
2. **What must be drawn over them**: a still mobject is drawn again only when it could touch
   something that moves and is painted after it (their boxes, widened by the stroke and a few
   pixels of antialiasing, overlap), and so on for what lies over *that*. Every other still
   mobject goes into the static image: one painted under a moving one is painted under it there
   too, and disjoint pixels do not care about the order they were painted in, so the frame is the
   same. (A 3-D camera that sorts shaded mobjects by depth: any touch counts.)
3. **Checked every frame**: when something that moves comes near a still mobject drawn into the
   static image, or a still mobject's points or colours changed after all (an updater may reach beyond its own
   mobject), the play falls back to manim's own layers from that frame on — before that frame
   is drawn.
4. **Nothing changed, nothing drawn**: in a wait that draws every frame (a time-based updater), when
   every mobject of the moving layer looks exactly as in the previous frame (points, colours, widths, order), the previous frame is
   sent to the encoder again — and :class:`scenes.kit.encoding.FrameEncoder` reuses its yuv420p
   conversion too. Waits with a readout on screen then cost only the encoder.

For Cairo cameras and mobjects drawn as VMobjects; anything else (an image) keeps manim's way. With a
3-D camera, boxes are taken where the points land on screen, a moving camera makes everything in the
3-D scene move (what is fixed in the frame stays still), and a frame is never sent again (step 4). ``bench/same_frames.py`` compares every frame against an older
revision; ``tests/test_redraw.py`` renders scenes both ways and compares them.
"""
from __future__ import annotations

import os

import numpy as np
from manim import Camera, Mobject, ValueTracker, VMobject, Wait
from manim.animation.composition import AnimationGroup
from manim.camera.three_d_camera import ThreeDCamera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.family import extract_mobject_family_members
from manim.utils.iterables import list_update

__all__ = ["RedrawLess"]

SWITCH = "CALCVIZ_REDRAW"  # "manim": manim's own layers (to compare: bench/same_frames.py --before-env)
AA_PIXELS = 3.0         # antialiasing reaches about a pixel beyond a shape; keep three
MITER_REACH = 0.05      # scene units per unit of stroke width a mitred corner may stick out (limit 10)


class _ReusingRenderer(CairoRenderer):
    """Cairo renderer that sends the previous frame again when the scene says nothing changed."""

    _last_frame = None

    def render(self, scene, time, moving_mobjects=None) -> None:
        if self._last_frame is not None and getattr(scene, "_frame_unchanged", False):
            self.add_frame(self._last_frame)  # the same array: the encoder reuses its conversion
            return
        self.update_frame(scene, moving_mobjects)
        self._last_frame = self.get_frame()
        self.add_frame(self._last_frame)


def _looks(mobjects) -> bytes:
    """Points and colours of these mobjects, as bytes: enough to see that an updater changed one."""
    return b"".join(part for m in mobjects if isinstance(m, VMobject)
                    for part in (m.points.tobytes(), m.fill_rgbas.tobytes(), m.stroke_rgbas.tobytes()))


def _width(w) -> float:
    if isinstance(w, (int, float)):
        return float(w)
    return float(np.max(w)) if np.size(w) else 0.0


def _animated_roots(animations) -> list:
    roots = []
    for anim in animations:
        roots.append(anim.mobject)
        if isinstance(anim, AnimationGroup):
            roots += _animated_roots(anim.animations)
    return roots


def _state(mobjects) -> bytes | None:
    """Everything the 2-D camera reads to draw these VMobjects, as bytes; None if one is something else."""
    parts = []
    for m in mobjects:
        if not isinstance(m, VMobject):
            if type(m) in (Mobject, ValueTracker):  # the camera draws nothing for these
                continue
            return None
        if m.get_background_image() is not None:
            return None
        parts += [id(m).to_bytes(8, "little", signed=False), m.points.tobytes(), m.fill_rgbas.tobytes(),
                  m.stroke_rgbas.tobytes(), m.background_stroke_rgbas.tobytes(),
                  np.asarray(m.stroke_width, dtype=float).tobytes(),
                  np.asarray(m.background_stroke_width, dtype=float).tobytes(),
                  np.asarray(m.sheen_direction, dtype=float).tobytes(),
                  repr((m.sheen_factor, m.joint_type, m.cap_style, m.shade_in_3d)).encode()]
    return b"".join(parts)


class RedrawLess:
    """Mix in before the scene class (``class S(RedrawLess, LessonScene)``): see the module's notes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        camera = self.renderer.camera
        self._redraw_less = (type(self.renderer) is CairoRenderer and isinstance(camera, Camera)
                             and os.environ.get(SWITCH) != "manim")
        self._flat = type(camera) is Camera  # a 3-D camera's picture also depends on where it looks
        if self._redraw_less:
            self.renderer.__class__ = _ReusingRenderer  # adds one method, no state of its own
        self._layers = None
        self._frame_unchanged = False
        self._last_state = None

    # --- the two layers ---------------------------------------------------------------------------
    def _box(self, members) -> np.ndarray:
        """(x0, y0, x1, y1) around these members' points where they land on screen, widened by the widest
        stroke among them and antialiasing (empty: an inverted box, which overlaps nothing)."""
        camera, chunks, widest = self.renderer.camera, [], 0.0
        for m in members:
            if not isinstance(m, VMobject) or not len(m.points):  # a ValueTracker's point is not drawn
                continue
            chunks.append(m.points if self._flat else camera.transform_points_pre_display(m, m.points))
            widest = max(widest, _width(m.stroke_width), _width(m.background_stroke_width))
        if not chunks:
            return np.array([np.inf, np.inf, -np.inf, -np.inf])
        pts = (np.concatenate(chunks) if len(chunks) > 1 else chunks[0])[:, :2]
        if not np.isfinite(pts).all():  # drawn as nothing, but say everywhere
            return np.array([-np.inf, -np.inf, np.inf, np.inf])
        pad = MITER_REACH * widest + AA_PIXELS * camera.frame_width / camera.pixel_width
        return np.concatenate([pts.min(axis=0) - pad, pts.max(axis=0) + pad])

    @staticmethod
    def _overlapping(boxes: np.ndarray, others: np.ndarray, places=None, other_places=None) -> np.ndarray:
        """For each row of ``boxes``: does it overlap a row of ``others`` drawn before it (its place in the
        drawing order is later than that one's)? Without places: any overlap."""
        if not len(boxes) or not len(others):
            return np.zeros(len(boxes), dtype=bool)
        b, o = boxes[:, None, :], others[None, :, :]
        touch = ((b[..., 0] <= o[..., 2]) & (o[..., 0] <= b[..., 2]) &
                 (b[..., 1] <= o[..., 3]) & (o[..., 1] <= b[..., 3]))
        if places is not None:
            touch &= np.asarray(other_places)[None, :] < np.asarray(places)[:, None]
        return touch.any(axis=1)

    @staticmethod
    def _first_place(root, place: dict) -> float:
        """The earliest place in the drawing order where ``root`` or its family is painted (a piece lying on a
        LandscapeSurface is painted with it); −∞ when none is drawn yet (its parts may appear anywhere)."""
        spots = []
        for m in root.get_family():
            spots.append(place.get(id(m), np.inf))
            host = getattr(m, "landscape_host", None)
            if host is not None and host() is not None:
                spots.append(place.get(id(host()), np.inf))
        first = min(spots, default=np.inf)
        return -np.inf if first == np.inf else first

    def get_moving_and_static_mobjects(self, animations):
        moving, static = super().get_moving_and_static_mobjects(animations)
        self._layers, self._last_state, self._frame_unchanged = None, None, False
        if getattr(self.renderer, "_last_frame", None) is not None:
            self.renderer._last_frame = None  # a new play: a new static image under the next frame
        if not getattr(self, "_redraw_less", False) or not moving:
            return moving, static
        z = self.renderer.camera.use_z_index
        live_roots = list_update([m for m in _animated_roots(animations) if m is not None],
                                 [m for m in moving if m.updaters] + list(self.foreground_mobjects))
        camera = self.renderer.camera
        if isinstance(camera, ThreeDCamera) and any(
                c in moving for c in [*camera.get_value_trackers(), camera._frame_center]):
            # the camera moves: everything in the 3-D scene moves on screen; what is fixed in the frame does not
            live_roots = list_update(live_roots, [m for m in moving if m not in camera.fixed_in_frame_mobjects])
        live = {id(m) for root in live_roots for m in root.get_family()}
        drawn = extract_mobject_family_members(moving, use_z_index=z, only_those_with_points=True)
        still = [m for m in drawn if id(m) not in live]
        if _state(drawn) is None:  # something the 2-D camera draws another way: manim's layers
            return moving, static
        redraw = set(live)
        # The drawing order: a still mobject drawn *before* (under) a moving one may stay in the static
        # image even where they touch. A 3-D camera sorts shaded mobjects by depth: then any touch counts.
        ordered = self._flat or not any(getattr(m, "shade_in_3d", False) for m in drawn)
        place = {id(m): i for i, m in enumerate(drawn)}
        boxes = np.array([self._box([m]) for m in still]).reshape(-1, 4)
        places = np.array([place[id(m)] if ordered else np.inf for m in still])
        root_places = np.array([self._first_place(r, place) if ordered else -np.inf for r in live_roots])
        redrawn_boxes = [self._box([m for m in root.family_members_with_points()]) for root in live_roots]
        redrawn_places = list(root_places)
        parents = {id(c): p for m in drawn for c in m.submobjects for p in [m]}
        while True:  # what touches what is redrawn, and what lies over that, and so on
            candidates = [i for i, m in enumerate(still) if id(m) not in redraw]
            hit = self._overlapping(boxes[candidates], np.array(redrawn_boxes).reshape(-1, 4),
                                    places[candidates], np.array(redrawn_places))
            grown = [still[i] for i, h in zip(candidates, hit) if h]
            # a family is drawn whole: a redrawn member's family and ancestors with points come along
            grown += [m for m in still if id(m) not in redraw and
                      (any(id(c) in redraw for c in m.get_family()[1:]) or
                       (id(m) in parents and id(parents[id(m)]) in redraw))]
            grown = [m for m in dict.fromkeys(grown) if id(m) not in redraw]
            if not grown:
                break
            for m in grown:
                redraw.update(id(f) for f in m.get_family())
                redrawn_boxes.append(self._box([m]))
                redrawn_places.append(place[id(m)] if ordered else -np.inf)
        kept_still = [m for m in still if id(m) not in redraw]
        if not kept_still:
            return moving, static
        all_drawn = extract_mobject_family_members(list_update(self.mobjects, self.foreground_mobjects),
                                                   use_z_index=z, only_those_with_points=True)
        roots = {id(r) for r in live_roots}
        narrowed = [m for m in moving if id(m) in roots or (id(m) in redraw and id(m) not in live)
                    or (id(m) in live and m.has_points())]
        self._layers = {"manim": (moving, static), "roots": live_roots, "root_places": root_places,
                        "still": kept_still, "boxes": np.array([self._box([m]) for m in kept_still]),
                        "places": np.array([place[id(m)] if ordered else np.inf for m in kept_still]),
                        "looks": _looks(kept_still)}
        return narrowed, [m for m in all_drawn if id(m) not in redraw]

    # --- every frame -------------------------------------------------------------------------------
    def update_to_time(self, t: float) -> None:
        super().update_to_time(t)
        if not getattr(self, "_redraw_less", False):
            return
        layers = self._layers
        if layers is not None:
            now = np.array([self._box(r.family_members_with_points()) for r in layers["roots"]]).reshape(-1, 4)
            if (self._overlapping(layers["boxes"], now, layers["places"], layers["root_places"]).any()
                    or _looks(layers["still"]) != layers["looks"]):
                self._fall_back()
        if not self._flat or not (len(self.animations) == 1 and isinstance(self.animations[0], Wait)):
            return  # only a wait (kept drawing by a time-based updater) is likely to repeat a frame
        z = self.renderer.camera.use_z_index
        state = _state(extract_mobject_family_members(self.moving_mobjects, use_z_index=z,
                                                      only_those_with_points=True))
        self._frame_unchanged = state is not None and state == self._last_state
        self._last_state = state

    def _fall_back(self) -> None:
        """From this frame on, manim's own layers (the static image made again, from still mobjects)."""
        self.moving_mobjects, self.static_mobjects = self._layers["manim"]
        self._layers = None
        self.renderer.save_static_frame_data(self, self.static_mobjects)
        self.renderer._last_frame = None
        self._last_state = None
