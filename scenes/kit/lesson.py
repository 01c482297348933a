"""The lesson base class: validated settings, named beats, narration, holds.

``construct`` reads like a storyboard: ``self.beat("name")`` starts a chapter, ``self.say(line,
*animations)`` narrates a line while its animations play, ``self.hold()`` lets a beat be read.
"""
from __future__ import annotations

import datetime
import gc
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar

from manim import FadeOut, Mobject, Scene, ThreeDScene

from calcviz.errors import CalcvizError
from scenes.kit.encoding import FrameWriter
from scenes.kit.i18n import Message, language, use_locale_numbers
from scenes.kit.pronounce import speakable
from scenes.kit.settings import Setting, resolve_settings
from scenes.kit.voice import MIX_ENV, Narrator, voice_from_environment

HOLD = 1.5            # seconds a beat holds after its last element appears
READING_WPS = 3.0     # words per second a viewer reads a caption comfortably (silent lessons)
CAPTION_CPS = 17.0    # the usual subtitle ceiling: a caption spoken faster than this stays up longer
BREATH = 0.3          # seconds of quiet after a spoken line, before the next one or the next beat
YOUNG_OBJECTS_PER_COLLECTION = 50_000  # while rendering (Python's default: 700)


def reading_time(caption: str) -> float:
    """Seconds a caption must stay on screen to be read: a second to notice it, then the words."""
    return 1.0 + len(caption.split()) / READING_WPS


def caption_time(caption: str, speech_seconds: float) -> float:
    """A spoken caption is shown while it is spoken, and never faster than ``CAPTION_CPS`` to read."""
    return max(speech_seconds, len(caption) / CAPTION_CPS)


def stretch_captions(subtitles, end_of_scene: float) -> None:
    """Let each caption stay until the next one starts (manim ends it with its animation)."""
    subtitles.sort(key=lambda s: s.start)
    for sub, following in zip(subtitles, subtitles[1:] + [None]):
        if following is not None:
            sub.end = following.start  # never two captions at once
        else:
            sub.end = max(sub.end, datetime.timedelta(seconds=end_of_scene))


@dataclass(frozen=True)
class Line:
    """One narrated line as it was placed: the script, the captions and the gate read these."""

    id: str                 # stable: Scene-beat-line, e.g. SecantToTangent-02-01
    beat: str
    text: str               # the caption, as shown
    spoken: str             # what the voice was given (math turned into words)
    start: float            # seconds from the start of the clip
    shown: float            # seconds the caption stays up
    speech: float | None    # seconds of speech, None when silent
    source: str = ""        # which voice spoke it ("recording" for the author's own)
    audio: str = ""         # the speech's cache key: <voice cache>/<key>.wav (never a path of this machine)
    lang: str = "en"        # the edition's language
    message: dict | None = None  # the caption's message and values (Message.to_json), to give it in another
                                 # language: the other language's captions track, timed from this render


@dataclass(frozen=True)
class Overrun:
    """A line still being spoken when something had to wait for it (a beat, the next line, the end)."""

    line: Line
    at: str                 # "the next line", "beat 'name'", "the end of the clip"
    seconds: float


class LessonMixin:
    """What every course scene has: validated settings, named beats, narration, one visual language.

    Subclasses declare ``SETTINGS = {"name": Setting(...)}`` and read ``self.settings``.
    A bad setting or voice stops the render before any frame with a one-line message.

    Every narrated line goes through ``narrate`` (``say`` is ``narrate`` + animations + hold):
    the caption, the speech (from the cache or the voice), and the time the line needs.
    """

    SETTINGS: ClassVar[dict[str, Setting]] = {}

    def __init__(self, *args, settings: dict[str, Any] | None = None, **kwargs):
        try:
            self.settings = resolve_settings(type(self), settings)
            self.voice = voice_from_environment()
            self.lang = language()
        except CalcvizError as e:
            raise SystemExit(f"calcviz: {type(self).__name__}: {e}") from None
        use_locale_numbers()
        self.narrator = Narrator(self.voice)
        self.narration: list[Line] = []
        self.overruns: list[Overrun] = []
        self._beat_name, self._beat_no, self._line_no = "(before the first beat)", 0, 0
        self._speaking_until = 0.0   # when the current line's speech and breath end
        super().__init__(*args, **kwargs)
        if hasattr(self.renderer, "_file_writer_class"):  # Cairo: frames encoded with less copying
            self.renderer._file_writer_class = FrameWriter
            self.renderer.init_scene(self, self.session_spec, self.file_writer_settings)

    def render(self, *args, **kwargs):
        # A render makes millions of short-lived objects (the floats of every Cairo call) over a heap of
        # long-lived mobjects, and the collector's default (a young collection every 700 new objects)
        # keeps walking them for nothing: cycles are rare here. Same frames, a few per cent less CPU
        # (bench/results/render.md); the process's own settings come back afterwards.
        gc.collect()
        gc.freeze()
        thresholds = gc.get_threshold()
        gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION, *thresholds[1:])
        try:
            return super().render(*args, **kwargs)
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()

    @classmethod
    def check_settings(cls, values: dict[str, Any]) -> None:
        """Checks across settings (e.g. a point inside the function's domain); raise CalcvizError."""

    @property
    def voiced(self) -> bool:
        return self.voice.kind != "none"

    # --- narration: one path for every line ---------------------------------------------------
    def _speech(self, caption: str):
        """The line's speech, synthesised once (the narrator caches on disk as well)."""
        line_id = f"{type(self).__name__}-{self._beat_no:02d}-{self._line_no + 1:02d}"
        spoken = speakable(caption, self.lang)
        return line_id, spoken, self.narrator.speech(line_id, spoken)

    def line_time(self, caption: str) -> float:
        """Seconds this line needs before the next may start: its speech and a breath, or, silent,
        the time to read it. Paced replays use it to stretch their steps over the line about to be
        narrated (the line's id, which names an author's recording, is the next one's)."""
        return self._timing(caption, self._speech(caption)[2] if self.voiced else None)[1]

    def _timing(self, caption: str, speech) -> tuple[float, float]:
        """(seconds the caption shows, seconds the line needs before the next may start)."""
        if not self.voiced:
            return reading_time(caption), reading_time(caption)
        # a line with nothing to hear (e.g. only a symbol) still gets the time to read it
        shown = caption_time(caption, speech.duration if speech else 0.0)
        return shown, shown + BREATH

    def _wait_for_speech(self, at: str) -> None:
        """Never cut a line: whatever comes next waits until it has been spoken."""
        left = self._speaking_until - self.renderer.time
        if self.voiced and left > 1e-3 and self.narration:
            self.overruns.append(Overrun(self.narration[-1], at, left))
            self.wait(left)

    def narrate(self, caption: str) -> float:
        """Start narrating ``caption`` now and return at once; returns the seconds the line needs.

        For lines spoken while a replay plays: pace the replay with the returned time, then
        ``finish_line()``.
        """
        self._wait_for_speech("the next line")
        line_id, spoken, speech = self._speech(caption)
        self._line_no += 1
        now = self.renderer.time
        shown, needs = self._timing(caption, speech)
        if self.voiced:
            if speech is not None and os.environ.get(MIX_ENV) != "publish":
                self.add_sound(str(speech.path))  # plain manim: manim mixes the sound into its mp4
            self._speaking_until = now + needs
        self.add_subcaption(caption, duration=shown)
        self.narration.append(Line(line_id, self._beat_name, caption, spoken, now, shown,
                                   None if speech is None else speech.duration,
                                   "" if speech is None else speech.source,
                                   "" if speech is None else speech.key, self.lang,
                                   caption.to_json() if isinstance(caption, Message) else None))
        return needs

    def over_line(self, run_time: float, needs: float) -> float:
        """A replay's run time, stretched to cover the line spoken over it (``needs``, from ``narrate``).
        Silent lessons keep their pace: there the caption simply stays up."""
        return max(run_time, needs) if self.voiced else run_time

    def finish_line(self) -> None:
        """Hold until the current line has been spoken (or, silent, read)."""
        if not self.narration:
            return
        line = self.narration[-1]
        left = line.start + (line.shown + BREATH if self.voiced else line.shown) - self.renderer.time
        if left > 0.05 or (self.voiced and left > 1e-3):
            self.wait(left)

    def say(self, caption: str, *animations, **play_kwargs) -> None:
        """Narrate ``caption`` while ``animations`` play, then hold until it has been spoken (or read)."""
        self.narrate(caption)
        if animations:
            self.play(*animations, **play_kwargs)
        self.finish_line()

    def beat(self, name: str) -> None:
        """Start a new beat: a named section (a chapter on the course page)."""
        self._wait_for_speech(f"beat {name!r}")
        self._beat_name, self._beat_no, self._line_no = name, self._beat_no + 1, 0
        self.next_section(name)

    def hold(self, seconds: float = HOLD) -> None:
        self.wait(seconds)

    def clear_beat(self, *keep: Mobject, run_time: float = 0.8) -> None:
        """Fade out everything except ``keep``: one idea per beat."""
        gone = [m for m in self.mobjects if m not in keep]
        if gone:
            self.play(*[FadeOut(m) for m in gone], run_time=run_time)

    def tear_down(self) -> None:
        self._wait_for_speech("the end of the clip")
        super().tear_down()
        if not self.voiced:  # silent captions stay until the next one; spoken ones exactly while spoken
            stretch_captions(self.renderer.file_writer.subcaptions, self.renderer.time)
        write_narration(self)


def write_narration(scene: LessonMixin) -> None:
    """Leave the lines as placed beside manim's output, for the renderer (Scene.json, fallbacks); with
    where their speech is cached and which damaged cache entries were made again, for the renderer only
    (Scene.json names each line's speech by its cache key)."""
    from manim import config
    folder = Path(config.media_dir) / "narration"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [asdict(line) for line in scene.narration]
    voice = scene.voice
    about = {"kind": voice.kind, "name": voice.source, "rate": voice.rate, "identity": voice.identity} \
        if voice.kind != "none" else None
    (folder / f"{type(scene).__name__}.json").write_text(json.dumps(
        {"voice": about, "lang": scene.lang, "lines": lines, "fallbacks": list(scene.narrator.fallbacks),
         "cache": str(scene.narrator.cache_dir), "repairs": list(scene.narrator.repairs)}, indent=1))


class LessonScene(LessonMixin, Scene):
    """A 2-D course scene."""


class LessonThreeDScene(LessonMixin, ThreeDScene):
    """A 3-D course scene; text that must stay readable is added with ``add_fixed_in_frame_mobjects``."""
