"""The scene quality gate: every beat of a scene checked for layout and readability.

A scene is run in-process with animations skipped. At the end of every ``play``
(and so every ``wait``) the gate looks at what is on screen:

* ``frame``   — every visible mobject lies inside the frame minus ``SAFE_MARGIN``;
* ``overlap`` — no two text-like mobjects overlap (by more than ``OVERLAP_TOLERANCE``);
* ``size``    — no text is smaller than ``MIN_CAP_HEIGHT_PX``: a capital letter's
  height in pixels at 854×480, i.e. font size × the cap height per font point
  that Pango (Text) or LaTeX (MathTex, DecimalNumber) gives, measured once;
* ``lines``   — no label covers sampled stroke points of a curve, axis or arrow,
  except the mobject it is ``attach``-ed to;
* a deliberate exception (``scenes.kit.draw.exempt(mob, rule, reason)``) needs a reason;
* ``captions`` — every subcaption stays on screen long enough to read: silent, a second plus
  three words a second (``reading_time``); spoken, at least its speech and never above 17
  characters a second (``caption_time``);
* ``speech`` — no line is still being spoken when the next line, a beat or the clip's end
  comes (the lesson waits for it rather than cut it, and the gate names the line to re-pace);
* ``length`` — the clip runs ``CLIP_SECONDS`` (20–60 s) and has at least three beats;
* ``empty`` — the screen is never empty between two plays (only at the very end);
* ``language`` — in another edition than English, no common English word is left in a text on screen,
  a caption or a beat's name (``studio.translations.english_words``).

3-D scenes: mobjects fixed in the frame are checked as above; the rest are
projected through the camera and checked for ``frame`` only.

Run it on the whole course:  python -m studio.gate [SceneName ...]
"""
from __future__ import annotations

import functools
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field

import numpy as np
from manim import (
    Code, DecimalNumber, MarkupText, Mobject, Paragraph, SingleStringMathTex, Text, ThreeDScene,
    ValueTracker, VMobject, config, tempconfig,
)

from scenes.kit.i18n import SOURCE_LANG
from scenes.kit.style import FONT, MIN_CAP_HEIGHT_PX, SAFE_MARGIN
from studio.translations import english_words
from scenes.kit.lesson import caption_time, reading_time

RULES = ("frame", "overlap", "size", "lines")
CLIP_SECONDS = (20.0, 60.0)
OVERLAP_TOLERANCE = 0.03   # scene units (≈ 2 px at 480p): boxes may touch, not overlap
LINE_TOLERANCE = 0.02      # a label's box is shrunk by this before looking for strokes inside it
PX_PER_UNIT_480P = 480 / 8.0
TEXT_TYPES = (Text, MarkupText, Paragraph, SingleStringMathTex, DecimalNumber, Code)


@dataclass(frozen=True)
class Problem:
    scene: str
    beat: str
    play: int
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.scene} · beat '{self.beat}' · play {self.play} · {self.rule}: {self.detail}"


@dataclass
class GateReport:
    scene: str
    plays: int = 0
    duration: float = 0.0
    sections: list[str] = field(default_factory=list)
    subcaptions: list[str] = field(default_factory=list)
    narration: list = field(default_factory=list)  # the scene's Lines (id, beat, text, spoken, timing)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        head = (f"{self.scene}: {self.plays} beats checked, {len(self.sections)} sections, "
                f"{self.duration:.1f} s of video, {len(self.problems)} problems ({self.seconds:.2f} s)")
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def describe(mob: Mobject) -> str:
    if isinstance(mob, DecimalNumber):
        return f"DecimalNumber({mob.get_value():g})"
    for attr in ("original_text", "text", "tex_string", "code_string"):
        value = getattr(mob, attr, None)
        if isinstance(value, str) and value:
            short = " ".join(value.split())
            return f"{type(mob).__name__}({short[:40]!r})"
    return type(mob).__name__


# --- what is on screen ---------------------------------------------------------------------------
def is_visible(mob: Mobject) -> bool:
    if isinstance(mob, ValueTracker) or not mob.has_points():
        return False
    if isinstance(mob, VMobject):
        stroke = mob.get_stroke_width() > 0 and mob.get_stroke_opacity() > 0
        return stroke or mob.get_fill_opacity() > 0
    return True


def text_units(mobjects) -> list[Mobject]:
    """The outermost text-like mobjects (a MathTex counts once, not per glyph)."""
    units = []

    def walk(m):
        if isinstance(m, TEXT_TYPES):
            if any(is_visible(x) for x in m.get_family()):
                units.append(m)
            return
        for sub in m.submobjects:
            walk(sub)
    for m in mobjects:
        walk(m)
    return units


def box(mob: Mobject, points=None) -> np.ndarray:
    """(xmin, ymin, xmax, ymax) of the visible points."""
    if points is None:
        pts = np.concatenate([m.points for m in mob.get_family() if is_visible(m)] or [np.zeros((0, 3))])
    else:
        pts = points
    if len(pts) == 0:
        return np.array([np.nan] * 4)
    return np.array([pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()])


@functools.cache
def cap_height_per_point() -> dict[str, float]:
    """Pixels of a capital H per font point at 854×480, for Pango text and for LaTeX."""
    from manim import MathTex
    with tempconfig({"media_dir": f"{tempfile.gettempdir()}/calcviz-gate-{os.getpid()}"}):
        return {"text": Text("H", font=FONT, font_size=100).height * PX_PER_UNIT_480P / 100,
                "tex": MathTex("H", font_size=100).height * PX_PER_UNIT_480P / 100}


def cap_height_px(mob: Mobject) -> float:
    """Capital height in pixels at 480p; NaN where the size cannot be known."""
    if isinstance(mob, (Code, Paragraph)):
        # their lines are bare glyph groups with no font size: the kit's code_listing records it
        if not hasattr(mob, "gate_font"):
            return float("nan")
        size, width = mob.gate_font
        return size * mob.width / width * cap_height_per_point()["text"]
    kind = "text" if isinstance(mob, (Text, MarkupText)) else "tex"
    return float(mob.font_size) * cap_height_per_point()[kind]


def stroke_samples(mob: VMobject, spacing: float = 0.04) -> np.ndarray:
    """Points along every Bézier segment of a stroke, about ``spacing`` apart."""
    n = mob.n_points_per_cubic_curve
    pts = mob.points
    if len(pts) < n:
        return np.zeros((0, 3))
    segs = pts[: len(pts) // n * n].reshape(-1, n, 3)
    lengths = np.linalg.norm(np.diff(segs, axis=1), axis=2).sum(axis=1)
    out = []
    for seg, length in zip(segs, lengths):
        t = np.linspace(0, 1, max(2, int(np.ceil(length / spacing)) + 1))[:, None]
        a, b, c, d = seg
        out.append((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d)
    return np.concatenate(out)


def exemption(mob: Mobject, rule: str, ancestors: dict[int, list[Mobject]]):
    """The reason ``mob`` (or a group containing it) is exempt from ``rule``, else None."""
    for m in [mob, *ancestors.get(id(mob), [])]:
        reasons = getattr(m, "gate_exemptions", {})
        if rule in reasons:
            return reasons[rule]
    return None


def ancestor_map(mobjects) -> dict[int, list[Mobject]]:
    out: dict[int, list[Mobject]] = {}

    def walk(m, chain):
        out[id(m)] = chain
        for sub in m.submobjects:
            walk(sub, [m, *chain])
    for m in mobjects:
        walk(m, [])
    return out


# --- the checks ------------------------------------------------------------------------------------
def inspect(scene, beat: str, play: int) -> list[Problem]:
    name = type(scene).__name__
    problems: list[Problem] = []

    def problem(rule, detail):
        problems.append(Problem(name, beat, play, rule, detail))

    mobjects = list(scene.mobjects) + [m for m in getattr(scene, "foreground_mobjects", [])
                                       if m not in scene.mobjects]
    ancestors = ancestor_map(mobjects)
    camera = scene.renderer.camera
    fixed = set()
    if isinstance(scene, ThreeDScene):
        for m in camera.fixed_in_frame_mobjects:
            fixed.update(id(x) for x in m.get_family())

    def screen_points(m):
        if isinstance(scene, ThreeDScene) and id(m) not in fixed:
            return camera.project_points(m.points)
        return m.points

    # exceptions must say why
    for m in (x for top in mobjects for x in top.get_family()):
        for rule, reason in getattr(m, "gate_exemptions", {}).items():
            if rule not in RULES:
                problem("exemption", f"{describe(m)} is exempt from unknown rule {rule!r}")
            elif not (isinstance(reason, str) and reason.strip()):
                problem("exemption", f"{describe(m)} is exempt from '{rule}' with no reason given")

    # frame
    fw, fh = config.frame_width / 2 - SAFE_MARGIN, config.frame_height / 2 - SAFE_MARGIN
    for top in mobjects:
        for m in top.get_family():
            if not is_visible(m) or m.submobjects and not isinstance(m, VMobject):
                continue
            b = box(m, screen_points(m))
            if np.isnan(b).any():
                continue
            if b[0] < -fw - 1e-3 or b[2] > fw + 1e-3 or b[1] < -fh - 1e-3 or b[3] > fh + 1e-3:
                if exemption(m, "frame", ancestors) is None:
                    owner = next((u for u in [m, *ancestors.get(id(m), [])] if isinstance(u, TEXT_TYPES)), top)
                    problem("frame", f"{describe(owner)} reaches x∈[{b[0]:.2f}, {b[2]:.2f}], "
                                     f"y∈[{b[1]:.2f}, {b[3]:.2f}]; the safe area is "
                                     f"|x| ≤ {fw:.2f}, |y| ≤ {fh:.2f}")
                    break  # one report per top-level mobject

    if getattr(scene, "lang", SOURCE_LANG) != SOURCE_LANG:  # words, not code: a listing stays Python
        for t in text_units(mobjects):
            words = english_words(getattr(t, "text", "")) if isinstance(t, (Text, MarkupText, Paragraph)) else []
            if words and is_visible(t) and exemption(t, "language", ancestors) is None:
                problem("language", f"{describe(t)} has English words: {', '.join(words)}")

    texts = [t for t in text_units(mobjects) if not (isinstance(scene, ThreeDScene) and id(t) not in fixed)]
    boxes = [box(t) for t in texts]

    # size
    for t in texts:
        px = cap_height_px(t)
        if np.isnan(px):
            problem("size", f"{describe(t)} was not made with code_listing (scenes.kit.style), so its text size is unknown")
        elif px < MIN_CAP_HEIGHT_PX and exemption(t, "size", ancestors) is None:
            problem("size", f"{describe(t)} has capitals {px:.1f} px tall at 480p "
                            f"(minimum {MIN_CAP_HEIGHT_PX:g} px)")

    # overlap
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            if dx > OVERLAP_TOLERANCE and dy > OVERLAP_TOLERANCE:
                if exemption(texts[i], "overlap", ancestors) is None and \
                        exemption(texts[j], "overlap", ancestors) is None:
                    problem("overlap", f"{describe(texts[i])} and {describe(texts[j])} overlap "
                                       f"by {dx:.2f} × {dy:.2f} units")

    # labels clear of lines
    in_text = {id(x) for t in texts for x in t.get_family()}
    strokes = []
    for top in mobjects:
        for m in top.get_family():
            if id(m) in in_text or not isinstance(m, VMobject) or not m.has_points():
                continue
            if m.get_stroke_width() > 0 and m.get_stroke_opacity() > 0:
                if isinstance(scene, ThreeDScene) and id(m) not in fixed:
                    continue
                strokes.append((m, stroke_samples(m)))
    for t, b in zip(texts, boxes):
        if exemption(t, "lines", ancestors) is not None:
            continue
        allowed = {id(x) for target in getattr(t, "gate_attached_to", ()) for x in target.get_family()}
        for target in (a for anc in ancestors.get(id(t), []) for a in getattr(anc, "gate_attached_to", ())):
            allowed.update(id(x) for x in target.get_family())
        lo, hi = b[:2] + LINE_TOLERANCE, b[2:] - LINE_TOLERANCE
        for m, pts in strokes:
            if id(m) in allowed or len(pts) == 0:
                continue
            inside = np.all((pts[:, :2] > lo) & (pts[:, :2] < hi), axis=1)
            if inside.any():
                owner = next((u for u in ancestors.get(id(m), []) if u in mobjects), m)
                what = describe(m) if owner is m else f"{describe(m)} of {describe(owner)}"
                problem("lines", f"{describe(t)} covers {int(inside.sum())} stroke points of {what}")
                break
    return problems


# --- running a scene through the gate -----------------------------------------------------------
def check_scene(scene_cls, settings=None) -> GateReport:
    """Run ``scene_cls`` with animations skipped and inspect the screen after every play."""
    report = GateReport(type.__getattribute__(scene_cls, "__name__"))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, tempconfig(
            {"media_dir": tmp, "format": "none", "save_sections": False, "disable_caching": True,
             "pixel_width": 854, "pixel_height": 480, "frame_rate": 15,
             "tex_dir": f"{tempfile.gettempdir()}/calcviz-gate-{os.getpid()}/Tex"}):  # one cache per
            # process: two processes compiling the same formula into one folder can clash
        scene = scene_cls(settings=settings, skip_animations=True) if settings is not None \
            else scene_cls(skip_animations=True)
        beat = ["(before the first section)"]
        original_play, original_section = scene.play, scene.next_section

        seen = set()
        empty = []  # plays after which the screen is empty: a fault unless the clip ends there
        starts = []  # (time, beat, play number) at the start of every play

        def play(*args, **kwargs):
            starts.append((float(scene.renderer.time), beat[0], report.plays + 1))
            original_play(*args, **kwargs)
            report.plays += 1
            scene.update_mobjects(0)
            for p in inspect(scene, beat[0], report.plays):
                if (p.rule, p.detail) not in seen:  # a problem that persists is reported where it starts
                    seen.add((p.rule, p.detail))
                    report.problems.append(p)
            if not any(is_visible(m) for top in scene.mobjects for m in top.get_family()):
                empty.append(Problem(report.scene, beat[0], report.plays, "empty",
                                     "nothing is on screen after this play (keep the title while a beat changes)"))

        def next_section(name="unnamed", *args, **kwargs):
            beat[0] = name
            report.sections.append(name)
            original_section(name, *args, **kwargs)

        scene.play, scene.next_section = play, next_section
        scene.render()
        report.duration = float(scene.renderer.time)
        report.problems.extend(p for p in empty if p.play < report.plays)
        subtitles = scene.renderer.file_writer.subcaptions
        report.subcaptions = [s.content for s in subtitles]
        lo, hi = CLIP_SECONDS
        if not lo <= report.duration <= hi:
            report.problems.append(Problem(report.scene, beat[0], report.plays, "length",
                                           f"the clip runs {report.duration:.1f} s; keep it within {lo:g}–{hi:g} s"))
        if len(report.sections) < 3:
            report.problems.append(Problem(report.scene, beat[0], report.plays, "length",
                                           f"{len(report.sections)} beats marked with next_section; want at least 3"))
        def at(t):  # the beat and play a moment of the clip belongs to
            return next((x for x in reversed(starts) if x[0] <= t + 1e-6), (0, "", 0))[1:]

        report.narration = list(getattr(scene, "narration", []))
        if getattr(scene, "lang", SOURCE_LANG) != SOURCE_LANG:
            for line in report.narration:
                if words := english_words(line.text):
                    report.problems.append(Problem(report.scene, *at(line.start), "language",
                                                   f"{line.id} {line.text[:50]!r} has English words: "
                                                   f"{', '.join(words)}"))
            for name in report.sections:  # a beat's name is a chapter on the course page
                if words := english_words(name):
                    report.problems.append(Problem(report.scene, name, 0, "language",
                                                   f"the beat's name {name!r} has English words: "
                                                   f"{', '.join(words)}"))
        if getattr(scene, "voiced", False):
            # spoken: a caption lasts at least its speech, and is never faster than a viewer can read
            for line in report.narration:
                needed = caption_time(line.text, line.speech or 0.0)
                if line.shown + 1e-6 < needed:
                    report.problems.append(Problem(report.scene, *at(line.start), "captions",
                                                   f"{line.id} {line.text[:50]!r} is on screen {line.shown:.1f} s; "
                                                   f"it needs {needed:.1f} s"))
            for o in scene.overruns:
                report.problems.append(Problem(report.scene, o.line.beat, at(o.line.start)[1], "speech",
                                               f"{o.line.id} {o.line.text[:50]!r} still needs {o.seconds:.1f} s "
                                               f"when {o.at} comes; pace the beat for it"))
        else:
            for sub in subtitles:
                shown, needed = (sub.end - sub.start).total_seconds(), reading_time(sub.content)
                if shown + 1e-6 < needed:
                    report.problems.append(Problem(
                        report.scene, *at(sub.start.total_seconds()), "captions",
                        f"{sub.content[:50]!r} is on screen {shown:.1f} s; it needs {needed:.1f} s to read"))
    report.seconds = time.perf_counter() - start
    return report


def main(argv: list[str]) -> int:
    """Check the scenes named as ``calcviz render`` names them (none: the whole course), including
    ``path/to/file.py[:Scene]`` for a scene not in the catalogue yet. Exit 1 on problems, 2 on a bad name."""
    import traceback
    from studio.render import UsageError, load_scene, select
    try:
        chosen = [(load_scene(lesson, entry), entry) for lesson, entry in select(argv)]
    except UsageError as e:
        print(f"calcviz: {e}", file=sys.stderr)
        return 2
    total_beats, failed = 0, 0
    start = time.perf_counter()
    for scene_cls, entry in chosen:
        try:
            report = check_scene(scene_cls)
        except Exception as e:  # noqa: BLE001 — a scene that crashes is one scene with a problem
            failed += 1
            source = sys.modules[scene_cls.__module__].__file__
            where = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == source]
            at = f" ({os.path.basename(source)}:{where[-1].lineno})" if where else ""
            print(f"{scene_cls.__name__}: {type(e).__name__}: {e}".splitlines()[0] + at)
            continue
        total_beats += report.plays
        failed += not report.ok
        print(report.summary())
    print(f"quality gate: {total_beats} beats checked, {failed} scenes with problems, "
          f"{time.perf_counter() - start:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
