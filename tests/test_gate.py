"""The quality gate itself: each rule must catch a broken scene and pass its fixed twin."""
import pytest
from manim import DEGREES, LEFT, OUT, RIGHT, UP, Axes, Dot3D, FadeIn, Line

from studio.gate import check_scene
from scenes.kit.style import SMALL_SIZE, tex, text
from scenes.kit.draw import attach, exempt
from scenes.kit.lesson import LessonScene, LessonThreeDScene


def only_problems(report, rule):
    return [p for p in report.problems if p.rule == rule]


def layout_problems(report):
    """The tiny scenes here are shorter than a real clip: leave the length rule out."""
    return [p for p in report.problems if p.rule != "length"]


class OffscreenLabel(LessonScene):
    shift = 6.9

    def construct(self):
        self.beat("Edge")
        self.play(FadeIn(text("edge").move_to(RIGHT * self.shift)))


class OnscreenLabel(OffscreenLabel):
    shift = 5.5


class OverlappingLabels(LessonScene):
    gap = 0.0

    def construct(self):
        self.beat("Two labels")
        a = tex("f(x) = x^2")
        b = text("minimum").move_to(a.get_center() + RIGHT * self.gap)
        self.play(FadeIn(a), FadeIn(b))


class SeparateLabels(OverlappingLabels):
    gap = 3.0


class TinyText(LessonScene):
    size = 10

    def construct(self):
        self.beat("Small print")
        self.play(FadeIn(text("fine print", size=self.size)))


class ReadableText(TinyText):
    size = SMALL_SIZE


class LabelOverCurve(LessonScene):
    offset = 0.0
    attach_it = False

    def construct(self):
        self.beat("Curve")
        line = Line(LEFT * 4, RIGHT * 4)
        label = text("slope").move_to(UP * self.offset)
        if self.attach_it:
            attach(label, line)
        self.play(FadeIn(line), FadeIn(label))


class LabelBesideCurve(LabelOverCurve):
    offset = 0.6


class LabelAttachedToCurve(LabelOverCurve):
    attach_it = True


class LabelOverAxes(LessonScene):
    def construct(self):
        self.beat("Axes")
        axes = Axes(x_range=[-3, 3], y_range=[-2, 2], x_length=6, y_length=4)
        self.play(FadeIn(axes), FadeIn(text("on the axis").move_to(axes.c2p(1.5, 0))))


class ExemptionWithoutReason(LessonScene):
    reason = ""

    def construct(self):
        self.beat("Excuse")
        self.play(FadeIn(exempt(text("edge").move_to(RIGHT * 6.9), "frame", self.reason)))


class ExemptionWithReason(ExemptionWithoutReason):
    reason = "slides in from the edge on purpose"


def test_label_pushed_off_screen_fails_and_names_scene_beat_and_text():
    report = check_scene(OffscreenLabel)
    [p] = only_problems(report, "frame")
    assert (p.scene, p.beat, p.play) == ("OffscreenLabel", "Edge", 1)
    assert "Text('edge')" in str(p) and "safe area" in str(p)
    assert not layout_problems(check_scene(OnscreenLabel))


def test_overlapping_labels_fail():
    report = check_scene(OverlappingLabels)
    [p] = only_problems(report, "overlap")
    assert "MathTex('f(x) = x^2')" in p.detail and "Text('minimum')" in p.detail
    assert not layout_problems(check_scene(SeparateLabels))


def test_tiny_text_fails():
    [p] = only_problems(check_scene(TinyText), "size")
    assert "Text('fine print')" in p.detail and "px" in p.detail
    assert not layout_problems(check_scene(ReadableText))


def test_label_over_a_curve_fails_unless_beside_or_attached():
    [p] = only_problems(check_scene(LabelOverCurve), "lines")
    assert "Text('slope')" in p.detail and "Line" in p.detail
    assert not layout_problems(check_scene(LabelBesideCurve))
    assert not layout_problems(check_scene(LabelAttachedToCurve))


def test_label_over_an_axis_fails():
    problems = only_problems(check_scene(LabelOverAxes), "lines")
    assert problems and "of Axes" in problems[0].detail


def test_exemption_needs_a_reason():
    [p] = layout_problems(check_scene(ExemptionWithoutReason))
    assert p.rule == "exemption" and "no reason" in p.detail
    assert not layout_problems(check_scene(ExemptionWithReason))


def test_gate_counts_beats_sections_and_time():
    report = check_scene(LabelBesideCurve)
    assert report.plays == 1 and report.sections == ["Curve"]
    assert report.duration == pytest.approx(1.0)


class ThreeDOffscreen(LessonThreeDScene):
    depth = 0.0

    def construct(self):
        self.set_camera_orientation(phi=70 * DEGREES, theta=-60 * DEGREES)
        self.beat("Depth")
        # a point near the top edge in 3-D: whether it is on screen depends on the camera's projection
        self.play(FadeIn(Dot3D(RIGHT * 2 + OUT * self.depth, radius=0.1)))
        label = text("fixed label").to_corner(UP + LEFT, buff=0.5)
        self.add_fixed_in_frame_mobjects(label)
        self.play(FadeIn(label))


class ThreeDOnscreen(ThreeDOffscreen):
    depth = 1.0


class ThreeDProjectedOff(ThreeDOffscreen):
    depth = 6.0


def test_three_d_scenes_are_checked_through_the_camera():
    assert not layout_problems(check_scene(ThreeDOnscreen))
    [p] = layout_problems(check_scene(ThreeDProjectedOff))
    assert p.rule == "frame" and "Dot3D" in p.detail


class Mumbled(LessonScene):
    def construct(self):
        for name in ("One", "Two", "Three"):
            self.beat(name)
            self.play(FadeIn(text(name)), subcaption="A long sentence that nobody could read in the one second "
                                                      "the animation lasts on screen.")
            self.clear_beat()


class Narrated(LessonScene):
    def construct(self):
        for name in ("One", "Two", "Three"):
            self.beat(name)
            self.say("A long sentence that everybody can read, because say() holds until it has been read.",
                     FadeIn(text(name)))
            self.clear_beat()


def test_captions_must_stay_long_enough_to_read():
    problems = only_problems(check_scene(Mumbled), "captions")
    assert problems and "needs" in problems[-1].detail and problems[-1].beat == "Three"
    assert not only_problems(check_scene(Narrated), "captions")


def test_clip_length_and_beats_are_checked():
    details = [p.detail for p in only_problems(check_scene(LabelBesideCurve), "length")]
    assert any("the clip runs 1.0 s; keep it within 20–60 s" in d for d in details)
    assert any("1 beats marked with next_section; want at least 3" in d for d in details)
    assert not any("beats" in p.detail for p in only_problems(check_scene(Narrated), "length"))


class CodeOnScreen(LessonScene):
    size = SMALL_SIZE
    raw = False

    def construct(self):
        self.beat("Code")
        from manim import Code
        from scenes.kit.style import code_listing
        source = "for step in range(steps):\n    x = x - lr * grad(x)"
        code = Code(code_string=source, language="python") if self.raw else code_listing(source, self.size)
        self.play(FadeIn(code))


class TinyCode(CodeOnScreen):
    size = 12


class RawCode(CodeOnScreen):
    raw = True


def test_code_size_is_checked_through_code_listing():
    assert not layout_problems(check_scene(CodeOnScreen))
    [p] = layout_problems(check_scene(TinyCode))
    assert p.rule == "size" and "Code" in p.detail
    [p] = layout_problems(check_scene(RawCode))
    assert p.rule == "size" and "code_listing" in p.detail


class GapBetweenBeats(LessonScene):
    def construct(self):
        self.beat("One")
        self.play(FadeIn(text("one")))
        self.clear_beat()
        self.beat("Two")
        self.play(FadeIn(text("two")))
        self.clear_beat()  # the very end may be empty


def test_an_empty_screen_between_beats_fails_but_not_at_the_end():
    [p] = only_problems(check_scene(GapBetweenBeats), "empty")
    assert p.play == 2 and p.beat == "One"
