"""The voice of the Indonesian edition: which voices each edition accepts, and espeak-ng's lines.

The edition's language is ``CALCVIZ_LANG``; tests/conftest.py sets ``CALCVIZ_VOICE=none`` for the
process, so every test here names its voice in the environment it passes. What espeak-ng wrote is
measured from the file (WAV header, samples, pyloudnorm), not taken from the code that wrote it.
"""
from __future__ import annotations

import json
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from calcviz.errors import CalcvizError
from scenes.kit import voice
from scenes.kit.pronounce import speakable

ID = {"CALCVIZ_LANG": "id"}
LINE = "∇f menunjuk ke arah naik, jadi kita melangkah ke arah sebaliknya: η = 0,30."


def one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert message and "\n" not in message and message.strip() == message
    return message


def espeak_version() -> str:
    """espeak-ng's own account of its version ("eSpeak NG text-to-speech: 1.51  Data at: …")."""
    banner = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    return banner.split(":")[1].split()[0]


def piper_voice(folder: Path, name: str, language: dict | None, espeak: str | None) -> Path:
    """A Piper voice by path: joe's model under another name, its config saying another language."""
    model, config = voice._joe_files()
    (folder / f"{name}.onnx").symlink_to(model)
    data = json.loads(config.read_text())
    data.pop("language", None), data.pop("espeak", None)
    if language is not None:
        data["language"] = language
    if espeak is not None:
        data["espeak"] = {"voice": espeak}
    (folder / f"{name}.onnx.json").write_text(json.dumps(data))
    return folder / f"{name}.onnx"


# --- which voice each edition gets -----------------------------------------------------------------

def test_the_default_is_joe_in_english_and_captions_only_in_indonesian():
    assert voice.voice_from_environment({}).source == "en_US-joe-medium"
    assert voice.voice_from_environment({"CALCVIZ_LANG": "en"}).kind == "piper"
    chosen = voice.voice_from_environment(ID)
    assert (chosen.kind, chosen.language, chosen.identity) == ("none", "id", "none")
    # a rate alone does not choose a voice
    assert voice.voice_from_environment(ID | {"CALCVIZ_VOICE_RATE": "1.2"}).kind == "none"


@pytest.mark.parametrize("spec, words", [
    ("joe", ["joe speaks English only", "Indonesian edition", "Piper voice path", "espeak", "none"]),
    ("recordings:.", ["recordings:", "joe speaks English only", "Indonesian edition"]),
])
def test_joe_is_refused_for_the_indonesian_edition(spec, words):
    with pytest.raises(CalcvizError) as exc:
        voice.voice_from_environment(ID | {"CALCVIZ_VOICE": spec})
    message = one_line(exc)
    assert message.startswith("CALCVIZ_VOICE: ")
    for word in words:
        assert word in message


def test_a_settings_file_naming_joe_is_refused_for_the_indonesian_edition(tmp_path):
    settings = tmp_path / "course.toml"
    settings.write_text('[voice]\nvoice = "joe"\n')
    with pytest.raises(CalcvizError) as exc:
        voice.voice_from_environment(ID | {"CALCVIZ_CONFIG": str(settings)})
    assert one_line(exc).startswith(f"[voice] in {settings}: joe speaks English only")
    settings.write_text('[voice]\nvoice = "espeak"\nrate = 1.25\n')
    chosen = voice.voice_from_environment(ID | {"CALCVIZ_CONFIG": str(settings)})
    assert (chosen.kind, chosen.espeak, chosen.rate) == ("espeak", "id", 1.25)


def test_an_unknown_edition_is_one_line():
    with pytest.raises(CalcvizError) as exc:
        voice.voice_from_environment({"CALCVIZ_LANG": "fr", "CALCVIZ_VOICE": "none"})
    message = one_line(exc)
    assert message.startswith("CALCVIZ_LANG: ") and "'fr'" in message


def test_a_piper_voice_by_path_must_speak_the_editions_language(tmp_path):
    indonesian = piper_voice(tmp_path, "id_ID-test-medium", {"code": "id_ID", "family": "id"}, "id")
    by_espeak_only = piper_voice(tmp_path, "old-style", None, "id")          # older configs name only espeak's voice
    unnamed = piper_voice(tmp_path, "unnamed", None, None)
    english = piper_voice(tmp_path, "en_US-copy", {"code": "en_US", "family": "en"}, "en-us")

    for model in (indonesian, by_espeak_only, unnamed):
        chosen = voice.voice_from_environment(ID | {"CALCVIZ_VOICE": str(model)})
        assert (chosen.kind, chosen.model, chosen.language) == ("piper", model, "id")
    assert voice.voice_from_environment(ID | {"CALCVIZ_VOICE": str(indonesian)}).source == "id_ID-test-medium"

    with pytest.raises(CalcvizError) as exc:
        voice.voice_from_environment(ID | {"CALCVIZ_VOICE": str(english)})
    message = one_line(exc)
    assert "en_US-copy.onnx speaks English" in message and "Indonesian" in message
    with pytest.raises(CalcvizError) as exc:
        voice.voice_from_environment({"CALCVIZ_VOICE": str(indonesian)})     # and the other way round
    assert "speaks Indonesian" in one_line(exc) and "English" in one_line(exc)
    assert voice.voice_from_environment({"CALCVIZ_VOICE": str(unnamed)}).kind == "piper"


def test_espeak_is_parsed_for_each_edition():
    version = espeak_version()
    indonesian = voice.voice_from_environment(ID | {"CALCVIZ_VOICE": "espeak"})
    assert (indonesian.kind, indonesian.espeak, indonesian.language, indonesian.rate) == ("espeak", "id", "id", 1.0)
    assert indonesian.source == f"espeak-ng {version} (id)"
    assert indonesian.identity.startswith(f"espeak-ng {version} (id)")
    assert voice.parse_voice("espeak:id", 1.0, "id") == indonesian
    english = voice.voice_from_environment({"CALCVIZ_VOICE": "espeak"})
    assert (english.espeak, english.source) == ("en-us", f"espeak-ng {version} (en-us)")
    variant = voice.voice_from_environment(ID | {"CALCVIZ_VOICE": "espeak:id+m3"})
    assert variant.espeak == "id+m3"
    identities = {indonesian.identity, english.identity, variant.identity,
                  voice.parse_voice("espeak", 1.2, "id").identity, "none",
                  voice.parse_voice("joe", 1.0, "en").identity}
    assert len(identities) == 6 and all(len(i) < 64 for i in identities)


@pytest.mark.parametrize("spec, env, words", [
    ("espeak:nobody-here", ID, ["no voice 'nobody-here'", "espeak-ng --voices", "espeak:id"]),
    ("espeak:", ID, None),                                           # empty: the edition's own voice
    ("espeak:id+nobody", ID, ["no variant 'nobody'"]),
    ("espeak:en-us", ID, ["'en-us' speaks English", "Indonesian"]),
    ("espeak:id", {}, ["'id' speaks Indonesian", "English"]),
    ("espeak:mb-id1", ID, ["no voice 'mb-id1'"]),                    # MBROLA voices need mbrola: not offered
])
def test_espeak_voice_names_are_checked(spec, env, words):
    if words is None:
        assert voice.voice_from_environment(env | {"CALCVIZ_VOICE": spec}).espeak == "id"
        return
    with pytest.raises(CalcvizError) as exc:
        voice.voice_from_environment(env | {"CALCVIZ_VOICE": spec})
    message = one_line(exc)
    assert message.startswith("CALCVIZ_VOICE: ")
    for word in words:
        assert word in message, message


def test_espeak_missing_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))                        # no espeak-ng on this PATH
    with pytest.raises(CalcvizError) as exc:
        voice.voice_from_environment(ID | {"CALCVIZ_VOICE": "espeak"})
    message = one_line(exc)
    assert "espeak-ng is not installed" in message and "apt-get install espeak-ng" in message


# --- espeak-ng speaking ------------------------------------------------------------------------------

def read_wav(path: Path) -> tuple[np.ndarray, int, int, int]:
    with wave.open(str(path), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(w.getnframes())
    return np.frombuffer(raw, "<i2").reshape(-1, channels) / 32768.0, rate, channels, width


@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    """One Indonesian line spoken once by espeak-ng into a fresh cache."""
    cache = tmp_path_factory.mktemp("espeak-cache")
    narrator = voice.Narrator(voice.parse_voice("espeak", 1.0, "id"), cache)
    return cache, narrator, narrator.speech("descent-1", speakable(LINE, "id"))


def test_espeak_speech_is_a_levelled_48k_mono_wav(spoken):
    import pyloudnorm
    from scipy.signal import resample_poly
    cache, narrator, speech = spoken
    assert narrator.synthesised == 1 and speech.source == f"espeak-ng {espeak_version()} (id)"
    samples, rate, channels, width = read_wav(speech.path)
    assert (rate, channels, width) == (48_000, 1, 2)
    assert abs(speech.duration - len(samples) / rate) < 1e-6
    assert 3.0 < speech.duration < 10.0            # 15 words at espeak-ng's 175 a minute: ~5 s
    loud = np.flatnonzero(np.abs(samples[:, 0]) > 10 ** (-40 / 20))
    assert loud[0] / rate <= 0.003 and (len(samples) - 1 - loud[-1]) / rate <= 0.025
    assert abs(pyloudnorm.Meter(rate).integrated_loudness(samples[:, 0]) - voice.LINE_LUFS) <= 1.0
    assert 20 * np.log10(np.abs(resample_poly(samples[:, 0], 4, 1)).max()) <= voice.LINE_PEAK_DBTP + 0.05
    assert list(cache.glob("*.wav")) == [speech.path] and not list(cache.glob(".speaking-*"))


def test_espeak_cache_hit_speaks_nothing(spoken, monkeypatch):
    cache, _, first = spoken
    before = first.path.read_bytes()
    monkeypatch.setattr(voice.Narrator, "_espeak", lambda *a: pytest.fail("a cache hit ran espeak-ng"))
    again = voice.Narrator(voice.parse_voice("espeak:id", 1.0, "id"), cache)
    second = again.speech("descent-1", "  " + speakable(LINE, "id").replace(" ", "\n", 1))
    assert again.synthesised == 0 and second == first and second.path.read_bytes() == before


def test_espeak_rate_speaks_faster_into_its_own_entry(spoken):
    cache, _, normal = spoken
    narrator = voice.Narrator(voice.parse_voice("espeak", 1.5, "id"), cache)
    fast = narrator.speech("descent-1", speakable(LINE, "id"))
    assert narrator.synthesised == 1 and fast.path != normal.path
    assert 0.55 < fast.duration / normal.duration < 0.8          # 175 → 262 words a minute
