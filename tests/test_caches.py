"""Caches that check what they serve (issue 25): every entry — a voice line, a narration mix, an
explorer's data, a rendered clip — carries a checksum that is verified when it is read. A damaged or
cut-off entry is reported in one line on stderr and made again, never used; ``calcviz clean`` removes
the caches by kind; and ``Scene.json`` names its lines' audio by cache key, never by a path of the
machine that rendered it.

The voice here is espeak-ng (a few hundredths of a second a line), not Piper."""
from __future__ import annotations

import io
import json
import re
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from scenes.kit import voice
from studio import cli, publish
from studio import render as r
from studio import site
from studio.site import StepSizeExplorer
from tests.test_render import FIXTURE, TINY_ARGS

LINE = "The gradient points uphill, so we step the other way."
ESPEAK = {"CALCVIZ_VOICE": "espeak"}  # the English edition's espeak-ng voice (en-us)


def damage_lines(err: str, kind: str) -> list[str]:
    """The lines of ``err`` that report a damaged entry of ``kind``; each must be one whole line."""
    found = [line for line in err.splitlines() if line.startswith(f"calcviz: {kind} cache entry ")]
    for line in found:
        assert re.fullmatch(rf"calcviz: {kind} cache entry \S.* was damaged \(.+\); made again", line), line
    return found


def samples_of(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), "<i2")


def flip_a_byte(path: Path, at: float = 0.6) -> None:
    """Change one byte well inside the file: the length stays, the contents do not."""
    data = bytearray(path.read_bytes())
    i = int(len(data) * at)
    data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def cut(path: Path, size: int = 2000) -> None:
    path.write_bytes(path.read_bytes()[:size])


# --- voice lines -----------------------------------------------------------------------------------
@pytest.fixture
def espeak_line(tmp_path):
    cache = tmp_path / "voice"
    narrator = voice.Narrator(voice.parse_voice("espeak", lang="en"), cache)
    speech = narrator.speech("intro-01-01", LINE)
    assert narrator.synthesised == 1 and speech.path.parent == cache
    return cache, speech


@pytest.mark.parametrize("damage", ["cut off", "one byte changed"])
def test_a_damaged_voice_line_is_reported_and_spoken_again(espeak_line, capsys, damage):
    cache, first = espeak_line
    whole = first.path.stat().st_size
    capsys.readouterr()
    (cut if damage == "cut off" else flip_a_byte)(first.path)
    narrator = voice.Narrator(voice.parse_voice("espeak", lang="en"), cache)
    again = narrator.speech("intro-01-01", LINE)
    [reported] = damage_lines(capsys.readouterr().err, "voice")
    assert first.key in reported and narrator.repairs == [reported]
    if damage == "cut off":
        assert f"2,000 of {whole:,} bytes" in reported
    assert narrator.synthesised == 1, "the damaged line was served"
    assert again.path == first.path and again.key == first.key
    assert again.path.stat().st_size == whole                 # espeak-ng speaks the same line the same way
    assert again.duration == pytest.approx(len(samples_of(again.path)) / voice.SAMPLE_RATE)
    assert again.duration == pytest.approx(first.duration)
    # and now it is whole: the next narrator finds it and says nothing
    third = voice.Narrator(voice.parse_voice("espeak", lang="en"), cache)
    assert third.speech("intro-01-01", LINE) == again and third.synthesised == 0
    assert capsys.readouterr().err == ""


def test_a_line_cached_before_checksums_is_kept_when_whole_and_remade_when_cut(espeak_line, capsys):
    """Lines cached before this change carry no checksum: a whole one is checked by its header and
    sealed (Piper never speaks a line the same way twice, so throwing them away would change the
    clips); a cut-off one is made again."""
    cache, first = espeak_line
    pcm = samples_of(first.path)
    with wave.open(str(first.path), "wb") as w:               # as the cache used to write it
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(voice.SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    capsys.readouterr()
    narrator = voice.Narrator(voice.parse_voice("espeak", lang="en"), cache)
    kept = narrator.speech("intro-01-01", LINE)
    assert narrator.synthesised == 0 and capsys.readouterr().err == ""
    assert np.array_equal(samples_of(kept.path), pcm)
    assert voice.speech_problem(kept.path) is None          # sealed now
    flip_a_byte(kept.path)
    assert "checksum" in voice.speech_problem(kept.path)   # ... so a changed byte is caught from now on

    with wave.open(str(first.path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(voice.SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    cut(first.path)
    narrator = voice.Narrator(voice.parse_voice("espeak", lang="en"), cache)
    narrator.speech("intro-01-01", LINE)
    assert narrator.synthesised == 1 and len(damage_lines(capsys.readouterr().err, "voice")) == 1


# --- narration mixes -------------------------------------------------------------------------------
def test_a_damaged_mix_is_reported_and_mixed_again(espeak_line, tmp_path):
    cache, speech = espeak_line
    lines = [{"audio": speech.key, "start": 0.25}]
    log = (tmp_path / "publish.log").open("w+")
    repairs: list[str] = []
    first = publish.mixed_narration(lines, 3.0, cache, tmp_path, log, repairs=repairs)
    assert first.parent == cache and repairs == []
    whole = first.read_bytes()
    assert publish.mixed_narration(lines, 3.0, cache, tmp_path, log, repairs=repairs) == first  # from the cache
    log.flush()
    assert "narration mix from the cache" in (tmp_path / "publish.log").read_text()
    for damage in (cut, flip_a_byte):
        damage(first)
        again = publish.mixed_narration(lines, 3.0, cache, tmp_path, log, repairs=repairs)
        assert again.read_bytes() == whole
        [reported] = damage_lines("\n".join(repairs), "mix")
        assert first.name in reported
        repairs.clear()
    # a line spoken again (its contents changed, its key did not) is a new mix, not the old one
    flip_a_byte(speech.path, 0.9)
    voice.Narrator(voice.parse_voice("espeak", lang="en"), cache).speech("intro-01-01", LINE)
    assert publish.mixed_narration(lines, 3.0, cache, tmp_path, log, repairs=repairs).read_bytes() == whole
    assert repairs == []


# --- explorers' data -------------------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["json cut off", "json byte changed", "js cut off"])
def test_damaged_explorer_data_is_reported_and_computed_again(tmp_path, capsys, monkeypatch, damage):
    explorer = StepSizeExplorer("bowl", rates=(0.1, 0.25), steps=50)
    path = tmp_path / "descent-step-size.json"
    first = site.explorer_data(explorer, path, "core-a")
    json_text, js_text = path.read_text(), path.with_suffix(".js").read_text()
    capsys.readouterr()
    if damage == "json cut off":
        cut(path, len(json_text) // 2)
    elif damage == "json byte changed":  # a digit of a number: still JSON, no longer the numbers computed
        text = path.read_text()
        digit = re.search(r"(?<=\.)\d{3}", text[len(text) // 2:])
        i = len(text) // 2 + digit.start()
        path.write_text(text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1:])
        json.loads(path.read_text())
    else:
        cut(path.with_suffix(".js"), len(js_text) // 2)
    computed = []
    monkeypatch.setattr(StepSizeExplorer, "compute",
                        lambda self, real=StepSizeExplorer.compute: computed.append(1) or real(self))
    again = site.explorer_data(explorer, path, "core-a")
    [reported] = damage_lines(capsys.readouterr().err, "explorer data")
    assert path.name in reported or path.with_suffix(".js").name in reported
    assert computed == [1] and again == first
    assert path.read_text() == json_text and path.with_suffix(".js").read_text() == js_text
    site.explorer_data(explorer, path, "core-a")
    assert computed == [1] and capsys.readouterr().err == ""


# --- rendered clips, and a voice line damaged under a real render ---------------------------------------
def espeak_task(media: Path, force=False) -> r.Task:
    env = {**ESPEAK, "CALCVIZ_VOICE_CACHE": str(media / "voice-cache")}
    [task] = r.plan([(str(FIXTURE), "Tiny")], "l", ("mp4", "webm"), media, manim_args=TINY_ARGS, env=env,
                    force=force)
    return task


@pytest.fixture(scope="module")
def spoken_clip(tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    task = espeak_task(media)
    outcome = r.render_scene(task)
    assert outcome.ok, Path(outcome.log).read_text()[-3000:]
    return media, task


def test_scene_json_names_line_audio_by_cache_key_not_a_path(spoken_clip):
    media, task = spoken_clip
    text = r.outputs(task)["meta"].read_text()
    meta = json.loads(text)
    lines = meta["narration"]
    assert len(lines) == 2 and all(line["speech"] > 0 for line in lines)
    for line in lines:
        assert re.fullmatch(r"[0-9a-f]{32}", line["audio"]), line["audio"]
        assert (media / "voice-cache" / f"{line['audio']}.wav").is_file()
    # no absolute path of this machine anywhere in the file: not the media folder, the voice cache,
    # the repository or the home folder, and no string that starts at a root
    strings = []

    def walk(value):
        if isinstance(value, dict):
            [walk(v) for v in value.values()]
        elif isinstance(value, list):
            [walk(v) for v in value]
        elif isinstance(value, str):
            strings.append(value)
    walk(meta)
    assert not [s for s in strings if s.startswith(("/", "~")) or re.match(r"[A-Za-z]:[\\/]", s)]
    for machine in (str(media), str(r.ROOT), str(Path.home()), "/tmp/", "/home/", "/root/", "/work/"):
        assert machine not in text, f"Scene.json names {machine}"


def test_a_damaged_clip_file_is_reported_and_rendered_again(spoken_clip, capsys):
    media, task = spoken_clip
    assert r.render_scene(task).cached                      # whole: the cache answers
    files = r.outputs(task)
    for damaged in ("mp4", "webm", "meta"):
        whole = files[damaged].stat().st_size
        if damaged == "meta":
            text = files["meta"].read_text()                 # a number changed, still JSON
            files["meta"].write_text(text.replace('"duration": ', '"duration": 1', 1))
        else:
            cut(files[damaged])
        assert not r.is_current(task)
        progress = r.render_all([task], r.LocalExecutor(1), stream=io.StringIO())
        [outcome] = progress.outcomes
        assert outcome.ok and not outcome.cached, f"a damaged {damaged} was served"
        [reported] = damage_lines(capsys.readouterr().err, "clip")
        assert files[damaged].name in reported and outcome.repairs == (reported,)
        if damaged != "meta":
            assert f"2,000 of {whole:,} bytes" in reported
        assert r.is_current(task) and r.render_scene(task).cached


def test_a_cut_off_voice_line_is_not_served_by_a_forced_render(spoken_clip, capsys):
    """The bug of issue 25: a voice-cache WAV cut to 2,000 bytes was served without a word by the next
    --force render (the line's length read from its header)."""
    media, task = spoken_clip
    meta = json.loads(r.outputs(task)["meta"].read_text())
    line = meta["narration"][0]
    wav = media / "voice-cache" / f"{line['audio']}.wav"
    whole = wav.stat().st_size
    cut(wav)
    progress = r.render_all([replace(task, force=True)], r.LocalExecutor(1), stream=io.StringIO())
    [outcome] = progress.outcomes
    assert outcome.ok, Path(outcome.log).read_text()[-3000:]
    [reported] = damage_lines(capsys.readouterr().err, "voice")
    assert line["audio"] in reported and f"2,000 of {whole:,} bytes" in reported
    assert wav.stat().st_size == whole and voice.speech_problem(wav) is None
    again = json.loads(r.outputs(task)["meta"].read_text())["narration"][0]
    assert again["audio"] == line["audio"]
    assert again["speech"] == pytest.approx(len(samples_of(wav)) / voice.SAMPLE_RATE)


# --- calcviz clean ---------------------------------------------------------------------------------
def _populate(media: Path, cache: Path) -> dict[str, list[Path]]:
    made = {"voice": [cache / f"{'a' * 32}.wav", cache / f"{'b' * 32}.wav"],
            "mix": [cache / f"mix-{'c' * 32}.{'d' * 32}.m4a", cache / f"mix-{'c' * 32}.{'e' * 32}.opus"],
            "explorers": [media / "site" / "data" / f"descent-sandpit.{suffix}" for suffix in ("json", "js")],
            "clips": [media / "course" / "480p15" / "nudges" / name for name in ("Tiny.mp4", "Tiny.json")]
            + [media / "course" / "720p30" / "id" / "nudges" / "Tiny.mp4"]}
    for paths in made.values():
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x" * 100)
    (media / "site" / "index.html").write_text("the page stays")
    (cache / "notes.txt").write_text("not the cache's")
    return made


def test_clean_removes_caches_by_kind(tmp_path, monkeypatch, capsys):
    media, cache = tmp_path / "media", tmp_path / "voice-cache"
    media.mkdir()
    monkeypatch.setenv("CALCVIZ_VOICE_CACHE", str(cache))
    made = _populate(media, cache)
    every = [p for paths in made.values() for p in paths]

    assert cli.main(["clean", "--media", str(media)]) == 0   # no kind: what there is, nothing removed
    out = capsys.readouterr().out
    assert all(p.exists() for p in every)
    for kind, paths in made.items():
        assert re.search(rf"^{kind}\b.*\b{len(paths)} files?\b", out, re.MULTILINE), out

    assert cli.main(["clean", "--kind", "voice", "--dry-run", "--media", str(media)]) == 0
    assert "2 files" in capsys.readouterr().out and all(p.exists() for p in every)

    assert cli.main(["clean", "--kind", "voice", "--kind", "explorers", "--media", str(media)]) == 0
    assert not any(p.exists() for p in made["voice"] + made["explorers"])
    assert all(p.exists() for p in made["mix"] + made["clips"])

    assert cli.main(["clean", "--kind", "all", "--media", str(media)]) == 0
    assert not any(p.exists() for p in every)
    assert (media / "site" / "index.html").exists() and (cache / "notes.txt").exists()
