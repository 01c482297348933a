"""RedrawLess: fewer mobjects drawn per frame, and every frame exactly as manim draws it."""
import numpy as np
import pytest
from manim import (DOWN, LEFT, RIGHT, UP, Circle, Dot, FadeIn, Mobject, Rectangle, Square, Text, ValueTracker,
                   VGroup, linear, tempconfig)

from scenes.kit.draw import Readout
from scenes.kit.lesson import LessonScene
from scenes.kit.redraw import RedrawLess


def frames_of(scene_cls, tmp_path):
    """Every frame the scene sends to its file writer (a repeated still frame once per repeat), and the
    number of mobjects the camera drew."""
    frames, drawn = [], [0]
    with tempconfig({"media_dir": str(tmp_path), "pixel_width": 192, "pixel_height": 108, "frame_rate": 10,
                     "disable_caching": True, "progress_bar": "none", "format": "none"}):
        scene = scene_cls()
        writer, camera = scene.renderer.file_writer, scene.renderer.camera
        original = camera.display_vectorized

        def counting(vmobject, ctx):
            drawn[0] += 1
            return original(vmobject, ctx)
        camera.display_vectorized = counting
        writer.write_frame = lambda pixels, repeat=1: frames.extend([pixels.copy()] * repeat)
        scene.render()
    return np.array(frames), drawn[0]


class Busy(LessonScene):
    """The lessons' patterns: a changing picture at the bottom (z = -1), a readout with an updater, text
    and shapes above them, a dot that walks across a still square (RedrawLess must fall back to
    manim's layers before it touches it), and a hold drawn frame by frame with nothing changing."""

    def construct(self):
        k = ValueTracker(0)
        heat = VGroup(*[Rectangle(width=3, height=0.4, stroke_width=0, fill_opacity=1).shift(0.4 * i * DOWN)
                        for i in range(5)]).to_edge(LEFT)
        heat.set_z_index(-1)
        heat.add_updater(lambda m: [s.set_fill(interpolate(k.get_value(), i), 1) for i, s in enumerate(m)])
        marks = VGroup(*[Dot(heat.get_center() + 0.5 * i * RIGHT, color="#D9D9D9") for i in range(-2, 3)])
        words = VGroup(*[Text(f"line {i}", font_size=24) for i in range(6)]).arrange(DOWN).to_edge(RIGHT)
        box = Square(1.0, color="#CC79A7", fill_opacity=0.5).move_to(2 * UP)
        readout = Readout("k =", 0, 2).to_edge(UP)
        readout.number.add_updater(lambda m: m.set_value(k.get_value()))
        walker = Dot(color="#D55E00").move_to(2 * UP + 4 * LEFT)
        self.add(heat, marks, words, walker, box, readout)  # the walker passes under the square
        self.play(k.animate.set_value(1), run_time=1, rate_func=linear)
        self.wait(0.5)  # updaters run, nothing changes
        self.play(walker.animate.move_to(2 * UP + 4 * RIGHT), run_time=1)  # across the still square
        self.play(FadeIn(Circle().shift(DOWN)), k.animate.set_value(0.3), run_time=0.6)
        self.wait(0.3)  # a still frame, repeated
        self.add(Mobject().add_updater(lambda m, dt: None))  # time-based: now a wait draws every frame
        self.wait(0.5)


def interpolate(value, i):
    from manim import interpolate_color
    from scenes.kit.style import SIGNED_COLORS
    return interpolate_color(SIGNED_COLORS[0], SIGNED_COLORS[2], (value + 0.15 * i) % 1)


class BusyLess(RedrawLess, Busy):
    pass


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    return frames_of(Busy, tmp_path_factory.mktemp("a")), frames_of(BusyLess, tmp_path_factory.mktemp("b"))


def test_every_frame_is_the_same(both):
    (plain, _), (less, _) = both
    assert plain.shape == less.shape and len(plain) == 38
    assert len({f.tobytes() for f in plain}) > 10  # the scene does change
    np.testing.assert_array_equal(less, plain)


def test_fewer_mobjects_are_drawn(both):
    (_, plain), (_, less) = both
    assert less < 0.6 * plain, (less, plain)


def test_training_edges_restyled_in_place_look_as_rebuilt():
    """TrainingTheNetwork's weight diagram: edges restyled in place draw what rebuilding them drew."""
    from manim import Camera

    from scenes.kit.draw import redraw_on_change
    from scenes.kit.settings import resolve_settings
    from scenes.network import TrainingTheNetwork, _train_run, _WeightDiagram
    s = resolve_settings(TrainingTheNetwork, None)
    every = np.unique(np.round(np.linspace(0, s["steps"], 41)).astype(int))
    _, network, history = _train_run(s, every, grid_size=8)
    snaps = history.snapshots
    w_max = max(float(np.abs(W).max()) for snap in snaps for W in snap.params.weights)
    with tempconfig({"pixel_width": 427, "pixel_height": 240}):
        diagram = _WeightDiagram(network.sizes, 1.7, 3.9, [0, 0, 0], w_max)
        shown = [0]
        rebuilt = redraw_on_change(lambda: shown[0], lambda: diagram.edges(snaps[shown[0]].params))
        restyled = diagram.live_edges(lambda: shown[0], lambda: snaps[shown[0]].params)
        changed = 0
        for i in range(len(snaps)):
            shown[0] = i
            rebuilt.update(), restyled.update()
            images = []
            for m in (rebuilt, restyled):
                camera = Camera()
                camera.capture_mobjects([m])
                images.append(camera.pixel_array.copy())
            np.testing.assert_array_equal(images[1], images[0])
            if i == 0:
                first = images[0]
            else:
                changed += not np.array_equal(images[0], first)
        assert changed > len(snaps) // 2  # the weights do change the picture


class BusyCached(RedrawLess, Busy):
    CACHE_STILL_OVER = True


@pytest.fixture(scope="module")
def cached(tmp_path_factory):
    return frames_of(BusyCached, tmp_path_factory.mktemp("c"))


def test_cached_layer_looks_the_same(both, cached):
    """Still mobjects over moving ones painted from a cached layer: the same frames up to a level of rounding
    where those shapes overlap each other (none here: every pixel the same)."""
    (plain, _), _ = both
    frames, _ = cached
    assert frames.shape == plain.shape
    diff = np.abs(frames.astype(int) - plain.astype(int))
    assert diff.max() <= 2, diff.max()
    assert (diff > 0).mean() < 0.001


def test_cached_layer_draws_fewer_mobjects(both, cached):
    (_, plain), (_, less) = both
    _, fewer = cached
    assert fewer < less - 5 * 10, (fewer, less, plain)  # the five dots over the heat map, frame after frame


def test_cached_layer_falls_back_when_something_moves_over_it(tmp_path):
    """A moving mobject painted after a cached one comes to touch it: manim's layers again, the same frames."""
    class Over(LessonScene):
        def construct(self):
            k = ValueTracker(0)
            heat = Rectangle(width=4, height=2, stroke_width=0, fill_opacity=1).set_z_index(-1)
            heat.add_updater(lambda m: m.set_fill(interpolate(k.get_value(), 0), 1))
            mark = Dot(heat.get_center(), color="#D9D9D9")
            walker = Dot(color="#D55E00").move_to(2.5 * LEFT + 1.6 * UP)
            self.add(heat, mark, walker, Square(0.5).to_corner(DOWN + LEFT))
            self.play(k.animate.set_value(1), walker.animate.move_to(1.6 * UP + 2.5 * RIGHT), run_time=0.5)
            self.play(walker.animate.move_to(2.5 * LEFT), run_time=0.2)
            # across the mark (on it at the fifth frame), painted after it
            self.play(k.animate.set_value(0), walker.animate.move_to(2.5 * RIGHT), run_time=1, rate_func=linear)

    class OverCached(RedrawLess, Over):
        CACHE_STILL_OVER = True
    plain, _ = frames_of(Over, tmp_path / "a")
    less, _ = frames_of(OverCached, tmp_path / "b")
    assert np.abs(less.astype(int) - plain.astype(int)).max() <= 2
    assert OverCached.CACHE_STILL_OVER and (plain[-1] != plain[5]).any()


def test_a_transform_counts_as_everywhere_between_its_ends(tmp_path, monkeypatch):
    """A bar moved (``.animate``) under still words: the words it will pass under are redrawn from the first
    frame, so the layers need not be made anew mid-play; the frames are manim's."""
    class Bar(LessonScene):
        def construct(self):
            words = VGroup(*[Text(f"line {i}", font_size=24) for i in range(5)]).arrange(DOWN, buff=1.0)
            bar = Rectangle(width=2, height=0.3, stroke_width=0, fill_color="#56B4E9", fill_opacity=0.6)
            bar.move_to(words[0])
            far = Square(0.5).to_corner(DOWN + LEFT)
            self.add(bar, words, far)
            self.play(bar.animate.move_to(words[4]), run_time=1)

    class BarLess(RedrawLess, Bar):
        pass
    made_anew = []
    original = RedrawLess._fall_back
    monkeypatch.setattr(RedrawLess, "_fall_back", lambda self: (made_anew.append(1), original(self)))
    plain, drawn_plain = frames_of(Bar, tmp_path / "a")
    less, drawn_less = frames_of(BarLess, tmp_path / "b")
    np.testing.assert_array_equal(less, plain)
    assert made_anew == [] and drawn_less < drawn_plain


class StillReadout(RedrawLess, LessonScene):
    """A readout that does not change, and a dot moving far from it."""

    def construct(self):
        self.add(Readout("x =", 1.5, 2).to_corner(UP + LEFT))
        dot = Dot().shift(3 * RIGHT)
        self.add(dot)
        self.play(dot.animate.shift(DOWN), run_time=1)


def test_a_still_readout_is_not_drawn_again_every_frame(tmp_path):
    frames, drawn = frames_of(StillReadout, tmp_path)
    assert len(frames) == 10
    # the readout's label and digits once, into the still image; then the dot alone, frame by frame
    assert drawn <= len(frames) + 8, drawn


def test_a_readout_keeps_its_number_beside_the_label_through_new_values():
    readout = Readout(r"\partial f =", 0.5, 3, sign=True)
    label, number = readout.label, readout.number
    for value in (-0.5, 12.25, -103.5, 0.0):
        readout.set_value(value)
        assert number.get_left()[0] == pytest.approx(label.get_right()[0] + 0.18, abs=1e-6)
        assert number.get_center()[1] == pytest.approx(label.get_center()[1], abs=1e-6)
