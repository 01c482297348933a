"""The lesson base class: validated settings, named beats, narration, holds.

``construct`` reads like a storyboard: ``self.beat("name")`` starts a chapter, ``self.say(line,
*animations)`` narrates a line while its animations play, ``self.hold()`` lets a beat be read.
"""
from __future__ import annotations

import datetime
from typing import Any, ClassVar

from manim import FadeOut, Mobject, Scene, ThreeDScene

from calcviz.errors import CalcvizError
from scenes.kit.settings import Setting, resolve_settings

HOLD = 1.5            # seconds a beat holds after its last element appears
READING_WPS = 3.0     # words per second a viewer reads a caption comfortably


def reading_time(caption: str) -> float:
    """Seconds a caption must stay on screen to be read: a second to notice it, then the words."""
    return 1.0 + len(caption.split()) / READING_WPS


def stretch_captions(subtitles, end_of_scene: float) -> None:
    """Let each caption stay until the next one starts (manim ends it with its animation)."""
    subtitles.sort(key=lambda s: s.start)
    for sub, following in zip(subtitles, subtitles[1:] + [None]):
        if following is not None:
            sub.end = following.start  # never two captions at once
        else:
            sub.end = max(sub.end, datetime.timedelta(seconds=end_of_scene))



class LessonMixin:
    """What every course scene has: validated settings, named beats, one visual language.

    Subclasses declare ``SETTINGS = {"name": Setting(...)}`` and read ``self.settings``.
    A bad setting stops the render before any frame with a one-line message.
    """

    SETTINGS: ClassVar[dict[str, Setting]] = {}

    def __init__(self, *args, settings: dict[str, Any] | None = None, **kwargs):
        try:
            self.settings = resolve_settings(type(self), settings)
        except CalcvizError as e:
            raise SystemExit(f"calcviz: {type(self).__name__}: {e}") from None
        super().__init__(*args, **kwargs)

    @classmethod
    def check_settings(cls, values: dict[str, Any]) -> None:
        """Checks across settings (e.g. a point inside the function's domain); raise CalcvizError."""

    def tear_down(self) -> None:
        super().tear_down()
        stretch_captions(self.renderer.file_writer.subcaptions, self.renderer.time)

    def say(self, caption: str, *animations, **play_kwargs) -> None:
        """Narrate ``caption`` while ``animations`` play, then hold until it has been read."""
        start = self.renderer.time
        self.add_subcaption(caption, duration=reading_time(caption))
        if animations:
            self.play(*animations, **play_kwargs)
        left = reading_time(caption) - (self.renderer.time - start)
        if left > 0.05:
            self.wait(left)

    def beat(self, name: str) -> None:
        """Start a new beat: a named section (a chapter on the course page)."""
        self.next_section(name)

    def hold(self, seconds: float = HOLD) -> None:
        self.wait(seconds)

    def clear_beat(self, *keep: Mobject, run_time: float = 0.8) -> None:
        """Fade out everything except ``keep``: one idea per beat."""
        gone = [m for m in self.mobjects if m not in keep]
        if gone:
            self.play(*[FadeOut(m) for m in gone], run_time=run_time)


class LessonScene(LessonMixin, Scene):
    """A 2-D course scene."""


class LessonThreeDScene(LessonMixin, ThreeDScene):
    """A 3-D course scene; text that must stay readable is added with ``add_fixed_in_frame_mobjects``."""
