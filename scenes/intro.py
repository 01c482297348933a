"""Introduction — the course at a glance: a map, a compass, hiking boots and a trail of four stops.

Render one scene:  manim -qm scenes/intro.py CourseRoadmap
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, ORIGIN, RIGHT, UP, Arrow, Circle, Create, DashedVMobject, Dot, FadeIn, FadeOut, GrowFromCenter,
    Line, MoveAlongPath, Polygon, Rotate, Succession, SurroundingRectangle, Transform, VGroup, VMobject, Write, smooth,
)

from calcviz import derivatives
from calcviz.contours import landscape_contours
from calcviz.fitting import fit, heights_problem
from calcviz.functions import function
from calcviz.optimizers import minimize
from scenes.catalogue import LESSONS
from scenes.kit.style import (
    BACKGROUND, DATA, FIT, FUNCTION, INK, MUTED, PANEL, SLOPE, STEP, TEXT_SIZE, text, title,
)
from scenes.kit.draw import clipped_line, function_axes, path_through
from scenes.kit.i18n import N_, t
from scenes.kit.lesson import LessonScene

# The four steps of the roadmap: (short name, title as shown on the trail, glyph); the words marked N_,
# translated where shown (a trail title's line breaks are the translator's to place).
ROADMAP = (
    (N_("Nudges"), N_("Nudges"), "nudges"),
    (N_("Navigating mountains in the dark"), N_("Navigating\nmountains\nin the dark"), "mountains"),
    (N_("The guts of a neural network"), N_("The guts of a\nneural network"), "network"),
    (N_("Fitting real data"), N_("Fitting real data"), "fitting"),
)
STOP_X = (-5.1, -1.7, 1.7, 5.1)   # where the stops sit along the trail
GLYPH_Y, TRAIL_Y, TITLE_TOP = 1.0, -1.05, -1.75
GLYPH_SIZE = (2.8, 1.9)             # the box every preview glyph is fitted into
TITLE_WIDTH = 3.1                   # the widest line of a stop's title (stops are 3.4 apart)
NETWORK_LAYERS = (2, 3, 1)          # the little network of stop 3


def roadmap():
    """(step, short name, trail title, glyph, lesson or None) for the four steps.

    The names are the course's own four steps; the catalogue says which have lessons.
    """
    lessons = {}
    for lesson in LESSONS:
        lessons.setdefault(lesson.step, lesson)  # a step's first lesson
    out = []
    for step, (name, shown, glyph) in enumerate(ROADMAP, start=1):
        out.append((step, name, shown, glyph, lessons.get(step)))
    return tuple(out)


# --- the kit ------------------------------------------------------------------------------------
def folded_map(height=2.0):
    """A map folded in three panels, with a grid (linear algebra) and a dashed route on it."""
    w, h, skew = 0.75, 1.6, 0.22
    panels, grid = VGroup(), VGroup()
    for k in range(3):
        lift = skew if k % 2 else 0.0  # alternate panels tilt: the folds
        a, b = np.array([k * w, lift, 0]), np.array([(k + 1) * w, skew - lift, 0])
        corners = [a, b, b + h * UP, a + h * UP]
        panels.add(Polygon(*corners, color=INK, stroke_width=3, fill_color=PANEL, fill_opacity=1))
        for t in (0.25, 0.5, 0.75):  # grid lines parallel to the panel's top and sides
            grid.add(Line(a + t * h * UP, b + t * h * UP, color=MUTED, stroke_width=1.5))
            grid.add(Line(a + t * (b - a), a + t * (b - a) + h * UP, color=MUTED, stroke_width=1.5))
    route = VMobject(stroke_color=STEP, stroke_width=4)
    route.set_points_smoothly([[0.15, 0.45, 0], [0.6, 1.3, 0], [1.15, 0.75, 0], [1.7, 1.25, 0], [2.05, 1.55, 0]])
    route = DashedVMobject(route, num_dashes=15)
    goal = Dot([2.05, 1.55, 0], radius=0.07, color=STEP)
    icon = VGroup(panels, grid, route, goal)
    return icon.scale_to_fit_height(height)


def compass(radius=1.0):
    """A compass whose needle is a gradient arrow (SLOPE)."""
    rim = Circle(radius, color=INK, stroke_width=4, fill_color=PANEL, fill_opacity=1)
    inner = Circle(radius * 0.82, color=MUTED, stroke_width=1.5)
    ticks = VGroup(*[Line(radius * 0.82 * d, radius * 0.66 * d, color=MUTED, stroke_width=2.5)
                     for d in (UP, DOWN, LEFT, RIGHT)])
    needle = Arrow(radius * 0.55 * DOWN, radius * 0.7 * UP, buff=0, color=SLOPE, stroke_width=7,
                   max_tip_length_to_length_ratio=0.3)
    hub = Dot(ORIGIN, radius=0.07, color=INK)
    icon = VGroup(rim, inner, ticks, needle, hub)
    icon.needle = needle
    return icon


def boot():
    """One hiking boot seen from the side, toe to the right."""
    outline = Polygon([0, 0, 0], [0, 1.45, 0], [0.62, 1.45, 0], [0.66, 0.72, 0], [1.25, 0.48, 0],
                      [1.42, 0.26, 0], [1.42, 0, 0], color=STEP, stroke_width=4, fill_color=STEP,
                      fill_opacity=0.4).round_corners(0.12)
    underlay = outline.copy().set_fill(PANEL, opacity=1).set_stroke(width=0)  # so the boot behind is hidden
    sole = Line([-0.03, -0.04, 0], [1.45, -0.04, 0], color=STEP, stroke_width=8)
    laces = VGroup(*[Line([0.38, y, 0], [0.66, y - 0.06, 0], color=INK, stroke_width=2.5)
                     for y in (0.7, 0.92, 1.14)])
    return VGroup(underlay, outline, sole, laces)


def boots(height=1.8):
    back = boot().fade(0.4).shift(0.55 * RIGHT + 0.22 * UP)
    icon = VGroup(back, boot())
    return icon.scale_to_fit_height(height)


# --- the glyphs that preview each stop (every shape from the core) ---------------------------------
def _fit_in(mob, size=GLYPH_SIZE):
    w, h = size
    if mob.width / mob.height > w / h:
        return mob.scale_to_fit_width(w)
    return mob.scale_to_fit_height(h)


def nudges_glyph():
    """The cubic of lesson 1 with its tangent at one point."""
    fn = function("cubic")
    lo, hi = fn.domain
    curve = derivatives.derivative_curve(fn.f, lo, hi, 121)
    axes = function_axes([lo, hi, 1], [-3, 5, 1], *GLYPH_SIZE, numbers=False,
                         axis_config={"stroke_width": 1.5, "include_ticks": False})
    i = int(np.argmin(np.abs(curve.x - 1.9)))
    tangent = clipped_line(axes, curve.x[i], curve.fx[i], curve.slope[i],
                           (curve.x[i] - 1.1, curve.x[i] + 1.1), color=SLOPE, stroke_width=4)
    point = Dot(axes.c2p(curve.x[i], curve.fx[i]), radius=0.07, color=INK)
    return VGroup(axes, path_through(axes, curve.x, curve.fx, FUNCTION, 3), tangent, point)


def mountains_glyph():
    """Contour lines of the mountain range and a hiker's steepest-descent walk, ending in an arrow."""
    domain = ((-4.6, 2.6), (-3.4, 2.0))
    maps = landscape_contours("mountains", count=7, n=121, domain=domain)
    walk = minimize("mountains", "gradient_descent", lr=0.2, steps=300)
    (x0, x1), (y0, y1) = domain
    sx, sy = GLYPH_SIZE[0] / (x1 - x0), GLYPH_SIZE[1] / (y1 - y0)
    s = min(sx, sy)

    def at(p):
        return np.array([(p[0] - (x0 + x1) / 2) * s, (p[1] - (y0 + y1) / 2) * s, 0.0])

    rings = VGroup()
    for _, pieces in maps:
        for piece in pieces:
            if len(piece) < 4:
                continue
            ring = VMobject(stroke_color=FUNCTION, stroke_width=1.8, stroke_opacity=0.8)
            ring.set_points_as_corners([at(p) for p in piece])
            rings.add(ring)
    path = VMobject(stroke_color=STEP, stroke_width=4)
    path.set_points_smoothly([at(p) for p in walk.points[:12]])
    tip = Arrow(at(walk.points[8]), at(walk.points[12]), buff=0, color=STEP, stroke_width=4,
                max_tip_length_to_length_ratio=0.6, max_stroke_width_to_length_ratio=20)
    start = Dot(at(walk.points[0]), radius=0.06, color=STEP)
    return VGroup(rings, path, tip, start)


def network_glyph():
    """A 2-3-1 network: nodes are the model (FUNCTION), connections muted."""
    w, h = GLYPH_SIZE
    xs = np.linspace(-w / 2 + 0.2, w / 2 - 0.2, len(NETWORK_LAYERS))
    layers = [[np.array([x, y, 0.0]) for y in np.linspace(-(n - 1) / 2, (n - 1) / 2, n) * 0.55]
              for x, n in zip(xs, NETWORK_LAYERS)]
    edges = VGroup(*[Line(a, b, color=MUTED, stroke_width=2) for left, right in zip(layers, layers[1:])
                     for a in left for b in right])
    nodes = VGroup(*[Circle(0.17, color=FUNCTION, stroke_width=3, fill_color=PANEL, fill_opacity=1).move_to(p)
                     for layer in layers for p in layer])
    return VGroup(edges, nodes)


def fitting_glyph():
    """Galton's heights (grey dots) and the bell curve fitted to them (bluish green)."""
    result = fit(heights_problem("male"))
    x, y = result.problem.x, result.problem.y
    axes = function_axes([x[0] - 1, x[-1] + 1, 1], [0, float(y.max()) * 1.1, 10], *GLYPH_SIZE, numbers=False,
                         axis_config={"stroke_width": 1.5, "include_ticks": False})
    dots = VGroup(*[Dot(axes.c2p(a, b), radius=0.055, color=DATA) for a, b in zip(x, y)])
    xs = np.linspace(x[0] - 1, x[-1] + 1, 121)
    curve = path_through(axes, xs, result.curve(xs), FIT, 3.5)
    return VGroup(axes.x_axis, dots, curve)


GLYPHS = {"nudges": nudges_glyph, "mountains": mountains_glyph, "network": network_glyph,
          "fitting": fitting_glyph}


# --- the trail --------------------------------------------------------------------------------------
def trail_points():
    """The winding trail: from the trailhead on the left through every stop to the right edge."""
    xs = [-6.7, *STOP_X, 6.7]
    knots = []
    for k, (a, b) in enumerate(zip(xs, xs[1:])):
        knots.append((a, TRAIL_Y))
        knots.append(((a + b) / 2, TRAIL_Y + (0.35 if k % 2 else -0.35)))
    knots.append((xs[-1], TRAIL_Y + 0.2))
    knots[0] = (xs[0], TRAIL_Y - 0.2)
    path = VMobject()
    path.set_points_smoothly([[x, y, 0.0] for x, y in knots])
    return path


def trail_pieces(path, badges, radius):
    """The trail cut into dashed pieces that stop short of each badge, so no dash runs under a number."""
    pts = np.array([path.point_from_proportion(t) for t in np.linspace(0, 1, 600)])
    near = np.zeros(len(pts), dtype=bool)
    for badge in badges:
        near |= np.linalg.norm(pts - badge.get_center(), axis=1) < radius + 0.08
    pieces, run = VGroup(), []
    for p, hidden in zip(pts, near):
        if hidden:
            if len(run) > 2:
                pieces.add(_dashed(run))
            run = []
        else:
            run.append(p)
    if len(run) > 2:
        pieces.add(_dashed(run))
    return pieces


def _dashed(points):
    piece = VMobject(stroke_color=STEP, stroke_width=4)
    piece.set_points_as_corners(points)
    length = np.sum(np.linalg.norm(np.diff(points, axis=0), axis=1))
    return DashedVMobject(piece, num_dashes=max(2, int(length / 0.22)), dashed_ratio=0.55)


def centred_lines(shown):
    """A title of one or more lines, each line centred (a multi-line Text aligns left); a line wider than
    TITLE_WIDTH (a longer translation) is wrapped at its spaces, so neighbouring titles never meet."""
    lines = [part for line in shown.split("\n") for part in _wrap(line, TITLE_WIDTH)]
    return VGroup(*[text(line) for line in lines]).arrange(DOWN, buff=0.12)


def _wrap(line, width):
    """``line`` as few lines as fit in ``width`` (greedy, at spaces); a single word is never split."""
    if text(line).width <= width:
        return [line]
    words = line.split(" ")
    out, current = [], words[0]
    for word in words[1:]:
        if text(f"{current} {word}").width <= width:
            current = f"{current} {word}"
        else:
            out.append(current)
            current = word
    return [*out, current]


def badge(step, radius=0.3):
    ring = Circle(radius, color=STEP, stroke_width=4, fill_color=BACKGROUND, fill_opacity=1)
    return VGroup(ring, text(str(step), TEXT_SIZE).move_to(ring))


class CourseRoadmap(LessonScene):
    """The course as a hike: a map, a compass and boots, then a trail of four stops, starting with nudges.

    manim -qm scenes/intro.py CourseRoadmap
    """

    def construct(self):
        steps = roadmap()
        first_lesson = steps[0][4]

        # --- beat 1: the kit ------------------------------------------------------------------------
        self.beat(t("The kit"))
        heading = title(t("Your kit"))
        kit = VGroup(folded_map(2.5), compass(1.25), boots(2.3)).arrange(RIGHT, buff=2.0).move_to(0.1 * DOWN)
        the_map, the_compass, the_boots = kit
        labels = VGroup(text(t("linear algebra")), text(t("the gradient"), color=SLOPE), text(t("calculus"), color=STEP))
        for label, icon in zip(labels, kit):  # one row of labels under the icons, tops aligned
            label.next_to(icon, DOWN, buff=0.45).align_to(kit.get_bottom() + 0.45 * DOWN, UP)
        needle = Rotate(the_compass.needle, -0.6, about_point=the_compass.get_center())
        settle = Rotate(the_compass.needle, 0.6, about_point=the_compass.get_center())
        self.say(t("For this hike we pack a map: linear algebra."),
                 Write(heading), FadeIn(the_map, shift=0.2 * UP), FadeIn(labels[0]), run_time=1.2)
        self.say(t("The compass is the gradient: it points uphill."),
                 Succession(FadeIn(the_compass, shift=0.2 * UP), needle, settle), FadeIn(labels[1]), run_time=2.2)
        self.say(t("And calculus is the boots: small steps add up."),
                 FadeIn(the_boots, shift=0.2 * UP), FadeIn(labels[2]), run_time=1.2)

        # --- beat 2: the trail ------------------------------------------------------------------------
        self.beat(t("The trail"))
        badges = VGroup(*[badge(step).move_to([x, TRAIL_Y, 0]) for (step, *_), x in zip(steps, STOP_X)])
        path = trail_points()
        trail = trail_pieces(path, badges, 0.3)
        glyphs = VGroup(*[_fit_in(GLYPHS[glyph]()).move_to([x, GLYPH_Y, 0])
                          for (_, _, _, glyph, _), x in zip(steps, STOP_X)])
        titles = VGroup(*[centred_lines(t(shown)) for _, _, shown, _, _ in steps])
        for label, x in zip(titles, STOP_X):
            label.move_to([x, 0, 0]).align_to([0, TITLE_TOP, 0], UP)
        self.play(FadeOut(kit), FadeOut(labels), Transform(heading, title(t("The trail"))), run_time=0.8)
        self.say(t("The trail has four stops."), Create(trail), run_time=2.0, rate_func=smooth)
        captions = (
            t("First come nudges: the derivative."),
            t("Then mountains in the dark: finding the way down."),
            t("Then the guts of a neural network."),
            t("Last, fitting models to real data."),
        )
        for b, g, stop_title, caption in zip(badges, glyphs, titles, captions):
            self.say(caption, GrowFromCenter(b), FadeIn(g, shift=0.15 * DOWN), FadeIn(stop_title), run_time=1.2)

        # --- beat 3: where we start -------------------------------------------------------------------
        self.beat(t("Where we start"))
        hiker = Dot(path.get_start(), radius=0.11, color=STEP)
        walk = VMobject()
        to_first = np.linspace(0, _proportion_at(path, STOP_X[0] - 0.48), 12)  # halt beside badge 1, not on it
        walk.set_points_smoothly([path.point_from_proportion(t) for t in to_first])
        later = VGroup(*[VGroup(b, g, t) for b, g, t in zip(badges[1:], glyphs[1:], titles[1:])])
        first = VGroup(badges[0], glyphs[0], titles[0])
        frame = SurroundingRectangle(first, color=STEP, buff=0.18, corner_radius=0.15, stroke_width=3)
        self.play(Transform(heading, title(t("Where we start"))), later.animate.fade(0.7),
                  trail.animate.set_stroke(opacity=0.4), run_time=1.0)
        self.say(t("We start at stop one, with nudges."),
                 Succession(FadeIn(hiker, run_time=0.3), MoveAlongPath(hiker, walk, run_time=1.4)))
        self.say(t("Lace up: lesson one is the derivative."),
                 FadeOut(hiker), Create(frame),
                 Transform(heading, title(t(first_lesson.title if first_lesson else steps[0][1]))), run_time=1.0)
        self.hold(1.0)


def _proportion_at(path, x):
    """The proportion along ``path`` where it first reaches horizontal position ``x``."""
    ts = np.linspace(0, 1, 400)
    xs = np.array([path.point_from_proportion(t)[0] for t in ts])
    return float(ts[int(np.argmax(xs >= x))])
