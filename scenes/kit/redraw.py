"""Redraw less per frame, with the same pixels: a mixin for 2-D lesson scenes.

Manim's Cairo renderer draws a frame in two layers: a *static* image made once per ``play`` from
every mobject before the first one that moves, and a *moving* layer drawn again every frame from
that first moving mobject to the end of the drawing order (by ``z_index``, then the order added).
Two habits of the lessons make that moving layer far larger than what moves:

- a live readout's number has an updater (it follows a tracker), and anything with an updater counts
  as moving, so everything added after the first such readout — code listings, axes, hundreds of data
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
   mobject), the layers are made anew from where everything is now (steps 1–2, a new static image),
   before that frame is drawn; after ``RELAYERS`` times in one play, manim's own layers from then on.
   A transform's mobject counts as being everywhere between its start and its target.
4. **Nothing changed, nothing drawn**: in a wait that draws every frame (a time-based updater), when
   every mobject of the moving layer looks exactly as in the previous frame (points, colours, widths, order), the previous frame is
   sent to the encoder again — and :class:`scenes.kit.encoding.FrameEncoder` reuses its yuv420p
   conversion too. Waits with a readout on screen then cost only the encoder.
5. **Still over moving, from a cache** (opt-in, ``CACHE_STILL_OVER = True``, 2-D camera): the still
   mobjects of step 2 that nothing drawn each frame lies over (~200 data markers over a heat map) are
   painted once per play into a transparent layer, cropped to where they are, and that layer is copied
   over each frame instead of drawing them. Cairo's OVER of the layer gives a pixel what painting the
   shapes gave it, except where two of them overlap each other: there it may differ by a level of
   rounding — the same to the eye, not to the bit, hence opt-in. Checked every frame as in step 3 (a
   moving mobject painted after one of them coming to touch it, or one of them changing: manim's layers).

For Cairo cameras and mobjects drawn as VMobjects (a ``scenes.kit.picture.Picture`` is one, its image
version part of its looks); anything else (an ImageMobject) keeps manim's way. With a
3-D camera, boxes are taken where the points land on screen, a moving camera makes everything in the
3-D scene move (what is fixed in the frame stays still), and a frame is never sent again (step 4). ``bench/same_frames.py`` compares every frame against an older
revision; ``tests/test_redraw.py`` renders scenes both ways and compares them.
"""
from __future__ import annotations

import os

import cairo
import numpy as np
from manim import Camera, Mobject, ValueTracker, VMobject, Wait
from manim.animation.composition import AnimationGroup
from manim.camera.three_d_camera import ThreeDCamera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.family import extract_mobject_family_members
from manim.utils.iterables import list_update

from scenes.kit.picture import paste

__all__ = ["RedrawLess", "drawing_state"]

SWITCH = "CALCVIZ_REDRAW"  # "manim": manim's own layers (to compare: bench/same_frames.py --before-env)
AA_PIXELS = 3.0         # antialiasing reaches about a pixel beyond a shape; keep three
MITER_REACH = 0.05      # scene units per unit of stroke width a mitred corner may stick out (limit 10)


class _ReusingRenderer(CairoRenderer):
    """Cairo renderer that sends the previous frame again when the scene says nothing changed, and paints
    the scene's cached layer of still mobjects (``_overlay``) over each frame it draws."""

    _last_frame = None

    def render(self, scene, time, moving_mobjects=None) -> None:
        if self._last_frame is not None and getattr(scene, "_frame_unchanged", False):
            self.add_frame(self._last_frame)  # the same array: the encoder reuses its conversion
            return
        self.update_frame(scene, moving_mobjects)
        self._last_frame = self.get_frame()
        self.add_frame(self._last_frame)

    def update_frame(self, scene, mobjects=None, *args, **kwargs) -> None:
        super().update_frame(scene, mobjects, *args, **kwargs)
        overlay = getattr(scene, "_overlay", None)
        if overlay is not None and mobjects is not None and mobjects is scene.moving_mobjects:
            overlay.paint_onto(self.camera)  # a frame of the play (not its static image)


class _Overlay:
    """Still mobjects painted once into a transparent layer (cropped to where they are), copied over
    every frame: Cairo's OVER of the layer gives each pixel what painting the shapes did, up to a level
    of rounding where they overlap one another."""

    def __init__(self, camera: Camera, mobjects: list):
        layer = np.zeros_like(camera.pixel_array)
        camera.display_multiple_vectorized_mobjects(mobjects, layer)
        camera.pixel_array_to_cairo_context.pop(id(layer), None)
        ys, xs = np.nonzero(layer[..., 3])
        if not len(ys):
            self.surface = None
            return
        self.x, self.y = int(xs.min()), int(ys.min())
        self.pixels = np.ascontiguousarray(layer[self.y:ys.max() + 1, self.x:xs.max() + 1])
        h, w = self.pixels.shape[:2]
        self.surface = cairo.ImageSurface.create_for_data(memoryview(self.pixels), cairo.FORMAT_ARGB32, w, h, 4 * w)

    def paint_onto(self, camera: Camera) -> None:
        if self.surface is None:
            return
        paste(camera.get_cairo_context(camera.pixel_array), self.surface, self.x, self.y)


def _looks(mobjects) -> bytes:
    """Points and colours of these mobjects, as bytes: enough to see that an updater changed one."""
    return b"".join(part for m in mobjects if isinstance(m, VMobject)
                    for part in (m.points.tobytes(), m.fill_rgbas.tobytes(), m.stroke_rgbas.tobytes(), _picture(m)))


def _picture(m) -> bytes:
    """A picture's version (``scenes.kit.picture.Picture``): its image changes without its points or colours."""
    key = getattr(m, "picture_key", None)
    return key() if key is not None else b""


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


def _targets(animations) -> dict:
    """id(mobject) → where a transform takes it (``anim.target_mobject``): it passes between the two."""
    found = {}
    for anim in animations:
        target = getattr(anim, "target_mobject", None)
        if target is not None and anim.mobject is not None:
            found[id(anim.mobject)] = target
        if isinstance(anim, AnimationGroup):
            found.update(_targets(anim.animations))
    return found


def drawing_state(mobjects) -> bytes | None:
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
                  repr((m.sheen_factor, m.joint_type, m.cap_style, m.shade_in_3d)).encode(), _picture(m)]
    return b"".join(parts)


class RedrawLess:
    """Mix in before the scene class (``class S(RedrawLess, LessonScene)``): see the module's notes.

    ``CACHE_STILL_OVER = True`` (a 2-D camera only) also paints the still mobjects that lie over moving
    ones once per play into a cached layer, copied over each frame instead of drawing them (step 5 of
    the notes): same to the eye, not to the bit.
    """

    CACHE_STILL_OVER = False
    RELAYERS = 3  # per play: layers made anew from where things are, before manim's own layers

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        camera = self.renderer.camera
        self._redraw_less = (type(self.renderer) is CairoRenderer and isinstance(camera, Camera)
                             and os.environ.get(SWITCH) != "manim")
        self._flat = not isinstance(camera, ThreeDCamera)  # a 3-D camera's picture also depends on where it looks
        if self._redraw_less:
            self.renderer.__class__ = _ReusingRenderer  # adds one method, no state of its own
        self._layers = None
        self._overlay = None
        self._moving_to = {}
        self._relayered = 0
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
    def _touching(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
        """[i, j]: does row i of ``boxes`` overlap row j of ``others``?"""
        b, o = boxes[:, None, :], others[None, :, :]
        return (b[..., 0] <= o[..., 2]) & (o[..., 0] <= b[..., 2]) & (b[..., 1] <= o[..., 3]) & (o[..., 1] <= b[..., 3])

    @staticmethod
    def _overlapping(boxes: np.ndarray, others: np.ndarray, places=None, other_places=None) -> np.ndarray:
        """For each row of ``boxes``: does it overlap a row of ``others`` drawn before it (its place in the
        drawing order is later than that one's)? Without places: any overlap."""
        if not len(boxes) or not len(others):
            return np.zeros(len(boxes), dtype=bool)
        touch = RedrawLess._touching(boxes, others)
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

    def _root_box(self, root) -> np.ndarray:
        """Where a moving root is, and — when a transform takes it somewhere — the box around both ends: a
        point moved by interpolation stays between them."""
        box = self._box(root.family_members_with_points())
        target = self._moving_to.get(id(root))
        if target is not None:
            end = self._box(target.family_members_with_points())
            box = np.concatenate([np.minimum(box[:2], end[:2]), np.maximum(box[2:], end[2:])])
        return box

    def get_moving_and_static_mobjects(self, animations):
        moving, static = super().get_moving_and_static_mobjects(animations)
        self._relayered = 0
        return self._narrow(animations, moving, static)

    def _narrow(self, animations, moving, static):
        self._layers, self._last_state, self._frame_unchanged, self._overlay = None, None, False, None
        if getattr(self.renderer, "_last_frame", None) is not None:
            self.renderer._last_frame = None  # a new play: a new static image under the next frame
        if not getattr(self, "_redraw_less", False) or not moving:
            return moving, static
        self._moving_to = _targets(animations) if self._flat else {}
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
        if drawing_state(drawn) is None:  # something the 2-D camera draws another way: manim's layers
            return moving, static
        redraw = set(live)
        # The drawing order: a still mobject drawn *before* (under) a moving one may stay in the static
        # image even where they touch. A 3-D camera sorts shaded mobjects by depth: then any touch counts.
        ordered = self._flat or not any(getattr(m, "shade_in_3d", False) for m in drawn)
        place = {id(m): i for i, m in enumerate(drawn)}
        boxes = np.array([self._box([m]) for m in still]).reshape(-1, 4)
        places = np.array([place[id(m)] if ordered else np.inf for m in still])
        root_places = np.array([self._first_place(r, place) if ordered else -np.inf for r in live_roots])
        redrawn_boxes = [self._root_box(root) for root in live_roots]
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
        cached = []
        if self.CACHE_STILL_OVER and self._flat:
            cached = self._cacheable(drawn, still, redraw, live_roots, place)
        if cached:
            # a group holding cached mobjects gives way to its other members (still ones: a live root holds none)
            gone = {id(m) for m in cached}
            narrowed = [part for m in narrowed
                        for part in ([m] if not any(id(f) in gone for f in m.get_family()) else
                                     [f for f in m.family_members_with_points() if id(f) not in gone])]
            self._overlay = _Overlay(camera, cached)
        self._layers = {"manim": (moving, static), "roots": live_roots, "root_places": root_places,
                        "still": kept_still + cached, "boxes": np.array([self._box([m]) for m in kept_still]),
                        "places": np.array([place[id(m)] if ordered else np.inf for m in kept_still]),
                        "looks": _looks(kept_still + cached),
                        "cached_boxes": np.array([self._box([m]) for m in cached]).reshape(-1, 4),
                        "cached_places": np.array([place[id(m)] for m in cached]),
                        "root_last_places": np.array([self._last_place(r, place) for r in live_roots])}
        return narrowed, [m for m in all_drawn if id(m) not in redraw]

    @staticmethod
    def _last_place(root, place: dict) -> float:
        """The latest place in the drawing order where ``root``'s family is painted; +∞ when none is drawn yet."""
        spots = [place[id(m)] for m in root.get_family() if id(m) in place]
        return max(spots) if spots else np.inf

    def _cacheable(self, drawn, still, redraw, live_roots, place) -> list:
        """The still mobjects drawn again each frame (they lie over moving ones) that may be painted last, from
        a cached layer: nothing drawn each frame lies over them (is painted after them where their boxes
        touch), and their families come whole (a parent drawn in its place would draw them again)."""
        chosen = {id(m) for m in still if id(m) in redraw}
        if not chosen:
            return []
        ancestors = {}
        for m in drawn:
            for c in m.get_family()[1:]:
                ancestors.setdefault(id(c), []).append(m)
        redrawn = [m for m in drawn if id(m) in redraw]
        boxes = np.array([self._box([m]) for m in redrawn]).reshape(-1, 4)
        places = np.array([place[id(m)] for m in redrawn], dtype=float)
        root_boxes = np.array([self._root_box(r) for r in live_roots]).reshape(-1, 4)
        root_last = np.array([self._last_place(r, place) for r in live_roots], dtype=float)
        touch = self._touching(boxes, boxes) & (places[None, :] > places[:, None])  # [i, j]: j painted over i
        under_root = (self._touching(boxes, root_boxes) & (root_last[None, :] > places[:, None])).any(axis=1)
        kin = [[place[id(k)] for k in (*m.get_family()[1:], *ancestors.get(id(m), [])) if id(k) in place]
               for m in redrawn]
        index = {p: i for i, p in enumerate(places.astype(int))}
        while True:
            mask = np.array([id(m) in chosen for m in redrawn])
            bad = mask & (under_root | (touch & ~mask[None, :]).any(axis=1))
            bad |= mask & np.array([any(not mask[index[int(p)]] if int(p) in index else True for p in k) for k in kin],
                                   dtype=bool)
            if not bad.any():
                break
            chosen -= {id(m) for m, x in zip(redrawn, bad) if x}
        return [m for m in drawn if id(m) in chosen]

    # --- every frame -------------------------------------------------------------------------------
    def update_to_time(self, t: float) -> None:
        super().update_to_time(t)
        if not getattr(self, "_redraw_less", False):
            return
        layers = self._layers
        if layers is not None:
            now = np.array([self._box(r.family_members_with_points()) for r in layers["roots"]]).reshape(-1, 4)
            if (self._overlapping(layers["boxes"], now, layers["places"], layers["root_places"]).any()
                    or self._overlapping(layers["cached_boxes"], now, -layers["cached_places"],
                                         -layers["root_last_places"]).any()
                    or _looks(layers["still"]) != layers["looks"]):
                self._fall_back()
        if not self._flat or not (len(self.animations) == 1 and isinstance(self.animations[0], Wait)):
            return  # only a wait (kept drawing by a time-based updater) is likely to repeat a frame
        z = self.renderer.camera.use_z_index
        state = drawing_state(extract_mobject_family_members(self.moving_mobjects, use_z_index=z,
                                                      only_those_with_points=True))
        self._frame_unchanged = state is not None and state == self._last_state
        self._last_state = state

    def _fall_back(self) -> None:
        """From this frame on, layers made anew from where everything is now — or, after ``RELAYERS`` times in
        one play, manim's own layers (the static image made again, from still mobjects)."""
        manim_layers = self._layers["manim"]
        self._layers = None
        self._overlay = None
        if self._relayered < self.RELAYERS:
            self._relayered += 1
            self.moving_mobjects, self.static_mobjects = self._narrow(self.animations, *manim_layers)
        else:
            self.moving_mobjects, self.static_mobjects = manim_layers
        self.renderer.save_static_frame_data(self, self.static_mobjects)
        self.renderer._last_frame = None
        self._last_state = None
