"""Hundreds of equal dots drawn with a handful of Cairo calls, and the same pixels as separate ``Dot``s.

A scene that shows every monthly measurement as a ``Dot`` asks the camera for one path, one colour
and one fill per dot, every frame they are redrawn: hundreds of Python-level draws. A
:class:`DotCloud` holds the same circles (the very points ``Dot`` would make) in a few *layers*, one
VMobject each, and a layer's dots never share a pixel: drawn as one path, each dot is painted exactly
as alone. Dots of one colour painted over each other compose the same in any order (over colour *c*
with opacities *a*, then *b*, a pixel ends *c* with opacity 1 − (1 − *a*)(1 − *b*) either way), so the
layers may come in any order and the picture is that of the separate dots, also while they fade
together. Layers are chosen by x alone (``reach``: how far apart dots of one layer are, centre to
centre), so dots that move only up and down (residuals) keep their layers, and ``Transform`` between
two clouds with the same x moves each dot exactly as it would move a ``Dot``.

:class:`FadeInDots` is ``FadeIn(VGroup(*dots), lag_ratio=…)`` for a cloud: every dot gets the same
opacity in every frame as there, in the cloud's dot order; the dots done are drawn by their layers,
those still fading one by one (at most ``1 / lag_ratio + 1`` of them at a time).
"""
from __future__ import annotations

import math

import numpy as np
from manim import ORIGIN, Animation, Dot, VGroup, VMobject, config
from manim.utils.bezier import interpolate
from manim.utils.rate_functions import smooth

__all__ = ["DotCloud", "FadeInDots", "layers_by_x", "pixel_reach"]


def pixel_reach(radius: float, pixels: float = 2.0) -> float:
    """Centre-to-centre distance at which two dots of ``radius`` share no pixel at the rendered quality:
    their diameter and ``pixels`` pixels (antialiasing reaches one pixel beyond an edge, on each side)."""
    return 2 * radius + pixels * config.frame_width / config.pixel_width


def layers_by_x(xs, reach: float) -> list[np.ndarray]:
    """Indices of ``xs`` in layers, first fit in index order: within a layer any two are ``reach`` apart or more."""
    xs = np.asarray(xs, dtype=float)
    layers: list[list[int]] = []
    spots: list[list[float]] = []
    for i, x in enumerate(xs):
        for members, at in zip(layers, spots):
            if np.all(np.abs(np.asarray(at) - x) >= reach):
                members.append(i)
                at.append(x)
                break
        else:
            layers.append([i])
            spots.append([x])
    return [np.array(m, dtype=int) for m in layers]


class DotCloud(VGroup):
    """``VGroup(*[Dot(p, radius=radius, color=color) for p in centres])`` as a few layers of disjoint dots.

    ``centres``: (n, 3) scene points; ``reach``: centre-to-centre x distance at which two dots may share a
    layer (default: :func:`pixel_reach` at the current quality). ``layers`` overrides the choice (a list of
    index arrays), e.g. to keep the layers of another cloud. ``self.order`` is the layers' dot order: the
    i-th circle drawn is dot ``order[i]``.
    """

    def __init__(self, centres, radius: float, color, reach: float | None = None, layers=None, **kwargs):
        centres = np.asarray(centres, dtype=float).reshape(-1, 3)
        self.radius, self.dot_color = radius, color
        self.circle = Dot(ORIGIN, radius=radius, color=color).points.copy()   # the points a Dot makes
        if layers is None:
            layers = layers_by_x(centres[:, 0], pixel_reach(radius) if reach is None else reach)
        self.layer_indices = [np.asarray(m, dtype=int) for m in layers]
        self.order = np.concatenate(self.layer_indices) if self.layer_indices else np.zeros(0, dtype=int)
        super().__init__(*[self._layer(centres[m]) for m in self.layer_indices], **kwargs)
        self.n_dots = len(centres)

    def _layer(self, centres: np.ndarray) -> VMobject:
        layer = VMobject(fill_color=self.dot_color, fill_opacity=1.0, stroke_color=self.dot_color, stroke_width=0)
        layer.set_points(self.circles(centres))
        return layer

    def circles(self, centres: np.ndarray) -> np.ndarray:
        """The points of one ``Dot`` per centre, one after another (a closed subpath each)."""
        centres = np.asarray(centres, dtype=float).reshape(-1, 3)
        return (self.circle[None, :, :] + centres[:, None, :]).reshape(-1, 3)

    def like(self, centres) -> DotCloud:
        """A cloud of the same dots and layers at new centres (same x: a Transform target)."""
        return DotCloud(centres, self.radius, self.dot_color, layers=self.layer_indices)

    def centres(self) -> np.ndarray:
        """(n, 3) centres of the dots, in the original order."""
        per = len(self.circle)
        out = np.zeros((self.n_dots, 3))
        for layer, members in zip(self.submobjects, self.layer_indices):
            pts = layer.points.reshape(len(members), per, 3)
            out[members] = pts[:, 0] - self.circle[0]
        return out


class FadeInDots(Animation):
    """``FadeIn(VGroup of the cloud's dots, lag_ratio=lag_ratio)``, frame for frame, on a :class:`DotCloud`.

    Dot i (in the order the cloud was made) has opacity ``rate_func(alpha·((n − 1)·lag + 1) − i·lag)``, as
    manim's lagged FadeIn gives it. Dots at full opacity are drawn by their layers; each dot on its way
    in by a slot of its own (slots are added to the cloud for the animation and removed after it); dots
    not begun are not drawn, as a fully transparent dot paints nothing.
    """

    def __init__(self, cloud: DotCloud, lag_ratio: float = 0.01, rate_func=smooth, **kwargs):
        super().__init__(cloud, lag_ratio=lag_ratio, rate_func=rate_func, introducer=True, **kwargs)

    def begin(self) -> None:
        cloud = self.mobject
        self._full = [layer.points.copy() for layer in cloud.submobjects]
        self._rgba = cloud.submobjects[0].fill_rgbas.copy() if cloud.submobjects else None
        self._centres = cloud.centres()
        self._placeholder = cloud.circle + self._centres[0] if cloud.n_dots else None
        n = cloud.n_dots
        slots = min(n, int(math.floor(1 / self.lag_ratio)) + 2) if self.lag_ratio > 0 else n
        z = cloud.z_index
        self._slots = VGroup(*[VMobject(fill_color=cloud.dot_color, fill_opacity=0.0, stroke_color=cloud.dot_color,
                                        stroke_width=0).set_points(self._placeholder.copy())
                               for _ in range(slots)])
        self._slots.set_z_index(z)
        cloud.add(self._slots)
        super().begin()

    def finish(self) -> None:
        super().finish()
        self.mobject.remove(self._slots)

    def interpolate_mobject(self, alpha: float) -> None:
        cloud = self.mobject
        n = cloud.n_dots
        if not n:
            return
        per = len(cloud.circle)
        full_length = (n - 1) * self.lag_ratio + 1
        value = alpha * full_length
        subs = np.array([self.rate_func(value - i * self.lag_ratio) for i in range(n)], dtype=float)
        # the layers: the dots at full opacity (a layer with none keeps one transparent circle, so that it
        # keeps its points and its place among what the camera draws)
        for k, (layer, members) in enumerate(zip(cloud.submobjects[:len(cloud.layer_indices)], cloud.layer_indices)):
            done = subs[members] >= 1.0
            if done.any():
                pts = self._full[k].reshape(len(members), per, 3)[done].reshape(-1, 3)
                layer.set_points(pts)
                layer.fill_rgbas = self._rgba.copy()
            else:
                layer.set_points(self._placeholder.copy())
                layer.fill_rgbas = self._with_alpha(0.0)
        # the slots: the dots on their way in, each at its own opacity
        moving = [i for i in range(n) if 0.0 < subs[i] < 1.0]
        slots = self._slots.submobjects
        if len(moving) > len(slots):
            raise RuntimeError(f"{len(moving)} dots fading at once, {len(slots)} slots")
        for slot, i in zip(slots, moving):
            slot.set_points(cloud.circle + self._centres[i])
            slot.fill_rgbas = self._with_alpha(subs[i])
        for slot in slots[len(moving):]:
            slot.set_points(self._placeholder.copy())
            slot.fill_rgbas = self._with_alpha(0.0)

    def _with_alpha(self, a: float) -> np.ndarray:
        """The fill a FadeIn gives a dot at sub-alpha ``a``: its colour interpolated from opacity 0."""
        clear = self._rgba.copy()
        clear[:, 3] = 0.0
        return interpolate(clear, self._rgba, a)
