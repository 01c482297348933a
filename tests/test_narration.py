"""Narrated lessons, measured from the rendered files: one audio stream, each line's speech starting
with its caption, no line cut or overlapping the next, loudness at the web target, the same samples
twice, the author's own recordings, and bad voices refused before any frame.

Everything here is read back from the mp4/webm with ffprobe, ffmpeg's silence detection and
pyloudnorm — never from the code that placed the lines.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from scenes.catalogue import ROOT, find
from studio import render as r
from tests.test_render import FIXTURE

FPS = 15
ARGS = ("-r", "426,240", "--fps", str(FPS))
FRAME = 1.0 / FPS
VOICED = {"CALCVIZ_VOICE": "joe"}  # the default voice, named explicitly: the suite runs silent otherwise


def cues(vtt: Path) -> list[tuple[float, float, str]]:
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)
    found = []
    for block in vtt.read_text().split("\n\n"):
        lines = block.strip().splitlines()
        if lines and "-->" in lines[0]:
            a, b = (seconds(x.strip()) for x in lines[0].split("-->"))
            found.append((a, b, " ".join(lines[1:])))
    return found


def audio_streams(path: Path) -> list[str]:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a", "-show_entries", "stream=codec_name",
                          "-of", "csv=p=0", str(path)], capture_output=True, text=True, check=True).stdout
    return out.split()


def samples(path: Path, rate: int = 48000) -> np.ndarray:
    """The clip's audio as float samples, one column per channel the file has (decoded by ffmpeg, not
    up- or down-mixed: that would change both the loudness and the peaks it is measured for)."""
    channels = int(subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                                   "stream=channels", "-of", "csv=p=0", str(path)],
                                  capture_output=True, text=True, check=True).stdout.split()[0])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a:0", "-ar", str(rate),
                          "-f", "f32le", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.float32).reshape(-1, channels)


def speech_spans(path: Path, floor_db: float = -40.0, shortest_silence: float = 0.05) -> list[tuple[float, float]]:
    """Where there is sound, from ffmpeg's silencedetect: the complement of its silences."""
    err = subprocess.run(["ffmpeg", "-nostats", "-i", str(path), "-map", "0:a:0", "-af",
                          f"silencedetect=n={floor_db}dB:d={shortest_silence}", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    starts = [float(x) for x in re.findall(r"silence_start: ([-\d.]+)", err)]
    ends = [float(x) for x in re.findall(r"silence_end: ([-\d.]+)", err)]
    # the audio stream's own length: the picture may go on, silent, after the last line
    duration = float(subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                                     "stream=duration", "-of", "csv=p=0", str(path)],
                                    capture_output=True, text=True, check=True).stdout)
    ends += [duration] * (len(starts) - len(ends))  # silent to the end
    spans, t = [], 0.0
    for a, b in zip(starts, ends):
        if a > t + 1e-3:
            spans.append((t, a))
        t = b
    if t < duration - 1e-3:
        spans.append((t, duration))
    return spans


def render(media: Path, lesson_or_path, scene: str, env: dict, formats=("mp4",), args=ARGS, force=False):
    [task] = r.plan([(lesson_or_path, scene)], "l", formats, media, manim_args=args, env=env, force=force)
    outcome = r.render_scene(task)
    assert outcome.ok, Path(outcome.log).read_text()[-3000:]
    return r.outputs(task)


@pytest.fixture(scope="module")
def narrated(tmp_path_factory):
    """A real course scene, spoken by the default voice."""
    lesson, entry = find("CourseRoadmap")
    media = tmp_path_factory.mktemp("media")
    return media, lesson, entry, render(media, lesson, entry, VOICED, formats=("mp4", "webm"))


def test_a_narrated_clip_has_exactly_one_audio_stream(narrated):
    *_, files = narrated
    assert audio_streams(files["mp4"]) == ["aac"]
    assert audio_streams(files["webm"]) == ["opus"]


def test_each_line_is_spoken_exactly_while_its_caption_shows(narrated):
    *_, files = narrated
    lines = cues(files["captions"])
    spans = speech_spans(files["mp4"])
    assert len(lines) >= 5 and spans
    for i, (start, end, words) in enumerate(lines):
        following = lines[i + 1][0] if i + 1 < len(lines) else float("inf")
        assert end <= following + 1e-3, f"caption {words!r} overlaps the next one"
        mine = [(a, b) for a, b in spans if b > start - FRAME and a < following - FRAME]
        assert mine, f"nothing is heard during {words!r}"
        onset = mine[0][0]
        assert abs(onset - start) <= FRAME, f"{words!r}: speech starts at {onset:.3f} s, its caption at {start:.3f} s"
        last = max(b for a, b in mine)
        # the caption lasts at least its speech, and the speech ends before the next line starts (not cut)
        assert last <= end + FRAME, f"{words!r} is still heard at {last:.3f} s; its caption ends at {end:.3f} s"
    # and nothing is heard before the first line
    assert spans[0][0] >= lines[0][0] - FRAME


def test_loudness_is_the_web_target(narrated):
    import pyloudnorm
    from scipy.signal import resample_poly
    *_, files = narrated
    for path in (files["mp4"], files["webm"]):
        x = samples(path)
        loudness = pyloudnorm.Meter(48000).integrated_loudness(x.astype(np.float64))
        assert abs(loudness - (-16.0)) <= 1.0, f"{path.name}: {loudness:.2f} LUFS"
        true_peak = 20 * np.log10(np.max(np.abs(resample_poly(x.astype(np.float64), 4, 1, axis=0))))
        assert true_peak <= -1.0, f"{path.name}: true peak {true_peak:.2f} dBTP"


def test_the_page_index_records_each_line_and_its_voice(narrated):
    *_, files = narrated
    meta = json.loads(files["meta"].read_text())
    assert meta["voice"]["kind"] == "piper"
    lines = meta["narration"]
    assert [line["text"] for line in lines] == [c[2] for c in cues(files["captions"])]
    assert all(line["speech"] > 0.3 and line["source"] for line in lines)


def test_the_same_command_gives_the_same_samples(narrated, tmp_path):
    media, lesson, entry, files = narrated
    first = samples(files["mp4"])
    again = render(tmp_path, lesson, entry, VOICED)
    assert np.array_equal(samples(again["mp4"]), first)


def test_voice_none_renders_silently(tmp_path):
    files = render(tmp_path, str(FIXTURE), "Tiny", {"CALCVIZ_VOICE": "none"}, args=("-r", "160,90", "--fps", "5"))
    assert audio_streams(files["mp4"]) == []


# --- the author's own recordings ------------------------------------------------------------------
def tone(path: Path, freq: float, seconds: float = 1.2, rate: int = 44100, channels: int = 2) -> None:
    t = np.arange(int(seconds * rate)) / rate
    x = (0.3 * np.sin(2 * np.pi * freq * t) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.repeat(x[:, None], channels, axis=1).tobytes())


def dominant_frequency(x: np.ndarray, rate: int = 48000) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[np.argmax(spectrum)])


def test_recordings_are_used_where_they_exist_and_the_voice_elsewhere(tmp_path):
    recordings = tmp_path / "takes"
    recordings.mkdir()
    tone(recordings / "Tiny-01-01.wav", 440.0)                     # 44.1 kHz stereo: converted
    tone(recordings / "Tiny-02-01.wav", 660.0, rate=16000, channels=1)
    files = render(tmp_path / "media", str(FIXTURE), "Tiny", {"CALCVIZ_VOICE": f"recordings:{recordings}"},
                   args=("-r", "160,90", "--fps", "5"))
    meta = json.loads(files["meta"].read_text())
    assert [line["source"] for line in meta["narration"]] == ["recording", "recording"]
    x = samples(files["mp4"])[:, 0]
    for (start, end, _), freq in zip(cues(files["captions"]), (440.0, 660.0)):
        window = x[int((start + 0.2) * 48000): int((start + 0.9) * 48000)]
        assert abs(dominant_frequency(window) - freq) < 10

    (recordings / "Tiny-02-01.wav").unlink()  # now the second line falls back to the default voice
    files = render(tmp_path / "media2", str(FIXTURE), "Tiny", {"CALCVIZ_VOICE": f"recordings:{recordings}"},
                   args=("-r", "160,90", "--fps", "5"))
    meta = json.loads(files["meta"].read_text())
    assert meta["narration"][0]["source"] == "recording" and meta["narration"][1]["source"] != "recording"
    assert meta["fallbacks"] == ["Tiny-02-01"]


def manim_in(tmp_path: Path, env: dict) -> subprocess.CompletedProcess:
    media = tmp_path / "media"
    return subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "--media_dir", str(media), str(FIXTURE),
                           "Tiny"], cwd=ROOT, env=os.environ | env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("what", ["a corrupt recording", "a missing voice model"])
def test_a_bad_voice_is_one_line_before_any_frame(tmp_path, what):
    if what == "a corrupt recording":
        takes = tmp_path / "takes"
        takes.mkdir()
        (takes / "Tiny-01-01.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt garbage")
        voice = f"recordings:{takes}"
    else:
        voice = str(tmp_path / "nowhere" / "en_US-nobody-medium.onnx")
    done = manim_in(tmp_path, {"CALCVIZ_VOICE": voice})
    assert done.returncode != 0
    errors = [line for line in done.stderr.strip().splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("calcviz: Tiny:") and "Traceback" not in done.stderr, done.stderr
    assert not any((tmp_path / "media").rglob("*.*")), "files were left under media/"

    cli = subprocess.run([str(Path(sys.executable).parent / "calcviz"), "render", "Tiny", "--voice", voice,
                          "--no-site"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 2 and len(cli.stderr.strip().splitlines()) == 1 and "Traceback" not in cli.stderr


# --- the gate hears a line run past its beat --------------------------------------------------------
def test_the_gate_names_a_line_that_runs_past_its_beat(monkeypatch):
    from studio.gate import check_scene
    from tests.fixtures.tiny_lesson import Hurried
    monkeypatch.setenv("CALCVIZ_VOICE", "joe")
    report = check_scene(Hurried)
    speech = [p for p in report.problems if p.rule == "speech"]
    assert len(speech) == 1
    assert speech[0].beat == "Rushed" and "Hurried-01-01" in speech[0].detail and "beat 'Next'" in speech[0].detail


def test_plain_manim_speaks_too(tmp_path):
    """Without the renderer, manim mixes the lines itself: the voice is chosen by the environment."""
    done = manim_in(tmp_path, {"CALCVIZ_VOICE": "joe", "CALCVIZ_MIX": ""})
    assert done.returncode == 0, done.stderr[-2000:]
    [video] = [p for p in (tmp_path / "media").rglob("Tiny.mp4") if "partial_movie_files" not in p.parts]
    assert len(audio_streams(video)) == 1
    assert speech_spans(video)[0][0] == pytest.approx(0.0, abs=FRAME)  # the first line starts the clip


def test_the_course_page_plays_a_narrated_clip_with_sound(tmp_path):
    """The page's video decodes the narration (Chromium counts the audio bytes it decoded), and the
    footer credits the voice."""
    import threading
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from scenes.catalogue import Lesson, SceneEntry
    from studio.site import build_site, course_server
    from tests.test_site import browser as make_browser

    media = tmp_path / "media"
    render(media, str(FIXTURE), "Tiny", VOICED, formats=("mp4", "webm"), args=("-r", "160,90", "--fps", "5"))
    lesson = Lesson("tiny_lesson", "Tiny shapes", 1, "Spoken shapes.", (SceneEntry("Tiny", "A circle, then a square."),))
    build_site(media, "480p15", lessons=[lesson], explorers={})
    server = course_server(media, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = next(make_browser.__wrapped__())
    try:
        driver.get(f"http://127.0.0.1:{server.server_port}/site/tiny_lesson.html")
        video = driver.find_element(By.CSS_SELECTOR, "video")
        driver.execute_script("arguments[0].muted = false; arguments[0].play();", video)
        WebDriverWait(driver, 20).until(lambda d: d.execute_script("return arguments[0].currentTime > 1.5;", video))
        assert driver.execute_script("return arguments[0].webkitAudioDecodedByteCount;", video) > 0
        assert driver.execute_script("return arguments[0].muted;", video) is False
        assert "en_US-joe-medium" in driver.find_element(By.TAG_NAME, "footer").text
    finally:
        driver.quit()
        server.shutdown()
