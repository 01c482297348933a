"""The quality gate itself: each rule must catch a broken scene and pass its fixed twin."""
import pytest
from manim import DEGREES, DOWN, LEFT, OUT, RIGHT, UP, Axes, Dot3D, FadeIn, Line

from scenes.quality import check_scene
from scenes.shared import SMALL_SIZE, LessonScene, LessonThreeDScene, attach, exempt, tex, text


def only_problems(report, rule):
    return [p for p in report.problems if p.rule == rule]


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
    assert check_scene(OnscreenLabel).ok


def test_overlapping_labels_fail():
    report = check_scene(OverlappingLabels)
    [p] = only_problems(report, "overlap")
    assert "MathTex('f(x) = x^2')" in p.detail and "Text('minimum')" in p.detail
    assert check_scene(SeparateLabels).ok


def test_tiny_text_fails():
    [p] = only_problems(check_scene(TinyText), "size")
    assert "Text('fine print')" in p.detail and "px" in p.detail
    assert check_scene(ReadableText).ok


def test_label_over_a_curve_fails_unless_beside_or_attached():
    [p] = only_problems(check_scene(LabelOverCurve), "lines")
    assert "Text('slope')" in p.detail and "Line" in p.detail
    assert check_scene(LabelBesideCurve).ok
    assert check_scene(LabelAttachedToCurve).ok


def test_label_over_an_axis_fails():
    problems = only_problems(check_scene(LabelOverAxes), "lines")
    assert problems and "of Axes" in problems[0].detail


def test_exemption_needs_a_reason():
    report = check_scene(ExemptionWithoutReason)
    assert [p.rule for p in report.problems] == ["exemption"]
    assert "no reason" in report.problems[0].detail
    assert check_scene(ExemptionWithReason).ok


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
    assert check_scene(ThreeDOnscreen).ok
    [p] = check_scene(ThreeDProjectedOff).problems
    assert p.rule == "frame" and "Dot3D" in p.detail
