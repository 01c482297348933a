"""The voice engine (scenes.kit.voice) and loudness for the web (studio.publish).

Everything is measured from the files written — WAV headers and samples, ffprobe, pyloudnorm —
never taken from the code that wrote them.
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
from studio import publish
from scenes.kit.voice import peak_envelope, resample, true_peak

LINE = "The gradient points uphill, so we step the other way."


# --- helpers: reading what was written -----------------------------------------------------------

def read_wav(path: Path) -> tuple[np.ndarray, int, int, int]:
    """Samples as floats in [-1, 1], sample rate, channels, sample width (bytes)."""
    with wave.open(str(path), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(w.getnframes())
    assert width == 2
    return np.frombuffer(raw, "<i2").reshape(-1, channels) / 32768.0, rate, channels, width


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """16-bit PCM; ``samples`` shaped (n,) or (n, channels)."""
    samples = samples.reshape(len(samples), -1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(samples.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.round(np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def tone(seconds: float, rate: int, hz: float = 440.0, level: float = 0.5, lead: float = 0.0) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return np.concatenate([np.zeros(round(lead * rate)), level * np.sin(2 * np.pi * hz * t)])


def onset(samples: np.ndarray, rate: int, dbfs: float = -40.0) -> tuple[float, float]:
    """Seconds from the start to the first sample above ``dbfs``, and from the last one to the end."""
    loud = np.flatnonzero(np.abs(samples) > 10 ** (dbfs / 20))
    return loud[0] / rate, (len(samples) - 1 - loud[-1]) / rate


def ffprobe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                          "stream=index,codec_type,codec_name,sample_rate,channels,width,height,nb_frames"
                          ":format=duration", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True)


def one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert "\n" not in message and message.strip() == message and message
    return message


# --- choosing a voice ----------------------------------------------------------------------------

@pytest.fixture
def other_voice(tmp_path) -> Path:
    """A second Piper voice by path: the joe files under another name (a symlink and a copied json)."""
    model, config = voice._joe_files()
    (tmp_path / "other.onnx").symlink_to(model)
    (tmp_path / "other.onnx.json").write_text(config.read_text())
    return tmp_path / "other.onnx"


def test_parse_voice_kinds(tmp_path, other_voice):
    joe = voice.parse_voice("joe")
    assert (joe.kind, joe.model.name, joe.config.name, joe.rate) == ("piper", "en_US-joe-medium.onnx",
                                                                     "en_US-joe-medium.onnx.json", 1.0)
    assert voice.parse_voice("none", "1.5") == voice.VoiceChoice("none", None, None, None, 1.5)
    other = voice.parse_voice(str(other_voice), 0.8)
    assert (other.kind, other.model, other.config, other.rate) == (
        "piper", other_voice, other_voice.with_name("other.onnx.json"), 0.8)
    (tmp_path / "takes").mkdir()
    rec = voice.parse_voice(f"recordings:{tmp_path / 'takes'}")
    assert (rec.kind, rec.recordings, rec.model) == ("recordings", tmp_path / "takes", joe.model)


@pytest.mark.parametrize("case, words", [
    ("missing model", ["does not exist"]),
    ("missing json", ["other.onnx.json", "beside"]),
    ("broken json", ["not a Piper voice config"]),
    ("unknown word", ["unknown voice", "'bob'", "joe", "none", "espeak:VOICE", "recordings:DIR"]),
    ("missing dir", ["recordings folder", "does not exist"]),
    ("empty dir spec", ["needs a folder"]),
    ("bad wav", ["bad.wav", "not a usable WAV"]),
    ("cut-off wav", ["short.wav", "cut off"]),
    ("rate not a number", ["'fast'", "not a number", "0.5–2"]),
    ("rate too high", ["3", "outside 0.5–2"]),
    ("rate too low", ["0.1", "outside 0.5–2"]),
    ("rate nan", ["nan", "outside"]),
])
def test_every_error_is_one_line(tmp_path, other_voice, case, words):
    takes = tmp_path / "takes"
    takes.mkdir()
    write_wav(takes / "fine.wav", tone(0.2, 44_100), 44_100)
    call = {
        "missing model": lambda: voice.parse_voice(str(tmp_path / "nope.onnx")),
        "missing json": lambda: (other_voice.with_name("other.onnx.json").unlink(),
                                 voice.parse_voice(str(other_voice))),
        "broken json": lambda: (other_voice.with_name("other.onnx.json").write_text("{\"audio\": {}}"),
                                voice.parse_voice(str(other_voice))),
        "unknown word": lambda: voice.parse_voice("bob"),
        "missing dir": lambda: voice.parse_voice(f"recordings:{tmp_path / 'nowhere'}"),
        "empty dir spec": lambda: voice.parse_voice("recordings:"),
        "bad wav": lambda: ((takes / "bad.wav").write_bytes(b"this is not a recording" * 10),
                            voice.parse_voice(f"recordings:{takes}")),
        "cut-off wav": lambda: ((takes / "short.wav").write_bytes((takes / "fine.wav").read_bytes()[:5000]),
                                voice.parse_voice(f"recordings:{takes}")),
        "rate not a number": lambda: voice.parse_voice("joe", "fast"),
        "rate too high": lambda: voice.parse_voice("joe", 3),
        "rate too low": lambda: voice.parse_voice("none", "0.1"),
        "rate nan": lambda: voice.parse_voice("joe", "nan"),
    }[case]
    with pytest.raises(CalcvizError) as exc:
        call()
    message = one_line(exc)
    for word in words:
        assert word in message, (case, message)


def test_voice_from_environment(tmp_path, other_voice):
    assert voice.voice_from_environment({}) == voice.parse_voice("joe", 1.0)
    settings = tmp_path / "course.toml"
    settings.write_text('[voice]\nvoice = "other.onnx"\nrate = 1.25\n\n[SecantToTangent]\nx = 1.5\n')
    from_file = voice.voice_from_environment({"CALCVIZ_CONFIG": str(settings)})
    assert (from_file.model, from_file.rate) == (other_voice, 1.25)    # relative to the settings file
    env_wins = voice.voice_from_environment({"CALCVIZ_CONFIG": str(settings), "CALCVIZ_VOICE": "none"})
    assert (env_wins.kind, env_wins.rate) == ("none", 1.25)             # each key on its own
    both = voice.voice_from_environment({"CALCVIZ_CONFIG": str(settings), "CALCVIZ_VOICE": "joe",
                                         "CALCVIZ_VOICE_RATE": "0.9"})
    assert (both.model.name, both.rate) == ("en_US-joe-medium.onnx", 0.9)
    with pytest.raises(CalcvizError) as exc:
        voice.voice_from_environment({"CALCVIZ_VOICE_RATE": "9"})
    assert one_line(exc).startswith("CALCVIZ_VOICE_RATE: ")
    with pytest.raises(CalcvizError) as exc:
        voice.voice_from_environment({"CALCVIZ_VOICE": str(tmp_path / "gone.onnx")})
    assert one_line(exc).startswith("CALCVIZ_VOICE: voice model ")
    settings.write_text('[voice]\nvoice = "joe"\nspeed = 2\n')
    with pytest.raises(CalcvizError) as exc:
        voice.voice_from_environment({"CALCVIZ_CONFIG": str(settings)})
    assert "'speed'" in one_line(exc)


def test_identity_follows_what_would_be_heard(tmp_path, other_voice):
    joe = voice.parse_voice("joe")
    assert joe.identity == voice.parse_voice("joe", "1.0").identity
    assert joe.identity != voice.parse_voice("joe", 1.1).identity
    assert joe.identity == voice.parse_voice(str(other_voice)).identity.replace("other", "en_US-joe-medium")
    other_voice.with_name("other.onnx.json").write_text(
        json.dumps(json.loads(other_voice.with_name("other.onnx.json").read_text()) | {"dataset": "changed"}))
    assert voice.parse_voice(str(other_voice)).identity.replace("other", "en_US-joe-medium") != joe.identity
    takes = tmp_path / "takes"
    takes.mkdir()
    before = voice.parse_voice(f"recordings:{takes}").identity
    write_wav(takes / "l1.wav", tone(0.2, 22_050), 22_050)
    one = voice.parse_voice(f"recordings:{takes}").identity
    write_wav(takes / "l1.wav", tone(0.2, 22_050, hz=300), 22_050)
    changed = voice.parse_voice(f"recordings:{takes}").identity
    assert len({before, one, changed, joe.identity, "none"}) == 5
    assert len(joe.identity) < 64


def test_narrator_loads_and_writes_nothing_until_it_speaks(tmp_path, monkeypatch):
    monkeypatch.setattr(voice, "_LOADED", {})
    monkeypatch.setattr(voice, "_load_piper", lambda *a: pytest.fail("Piper loaded"))
    cache = tmp_path / "media" / "voice"
    narrator = voice.Narrator(voice.parse_voice("joe"), cache)
    silent = voice.Narrator(voice.parse_voice("none"), cache)
    assert silent.speech("intro-1", LINE) is None
    assert not (tmp_path / "media").exists()
    assert narrator.fallbacks == [] and narrator.synthesised == 0


def test_default_cache_dir_is_media_voice(monkeypatch):
    monkeypatch.delenv("CALCVIZ_VOICE_CACHE", raising=False)
    repo = Path(__file__).resolve().parents[1]
    assert voice.Narrator(voice.parse_voice("none")).cache_dir == repo / "media" / "voice"
    monkeypatch.setenv("CALCVIZ_VOICE_CACHE", "/somewhere/else")
    assert voice.Narrator(voice.parse_voice("none")).cache_dir == Path("/somewhere/else")


# --- speaking with the default voice -------------------------------------------------------------

@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    """One line spoken once by joe into a fresh cache (the only cold synthesis at rate 1.0 here)."""
    cache = tmp_path_factory.mktemp("voice-cache")
    narrator = voice.Narrator(voice.parse_voice("joe"), cache)
    speech = narrator.speech("descent-1", LINE)
    return cache, narrator, speech


def test_speech_is_a_trimmed_mono_16bit_wav(spoken):
    cache, narrator, speech = spoken
    assert narrator.synthesised == 1 and speech.source == "en_US-joe-medium"
    samples, rate, channels, width = read_wav(speech.path)
    assert (rate, channels, width) == (48_000, 1, 2)
    probed = float(ffprobe(speech.path)["format"]["duration"])
    assert abs(speech.duration - len(samples) / rate) < 1e-6 and abs(probed - speech.duration) < 0.002
    assert 1.5 < speech.duration < 6.0                 # ten words, at a speaking pace
    lead, tail = onset(samples[:, 0], rate)
    assert lead <= 0.003, f"speech starts {lead * 1000:.1f} ms in"
    assert tail <= 0.025, f"{tail * 1000:.1f} ms of silence kept at the end"
    # every line at one loudness (pyloudnorm, not the module's own meter), its peaks held by the limiter
    import pyloudnorm
    from scipy.signal import resample_poly
    assert abs(pyloudnorm.Meter(rate).integrated_loudness(samples[:, 0]) - voice.LINE_LUFS) < 1.0
    assert 20 * np.log10(np.abs(resample_poly(samples[:, 0], 4, 1)).max()) <= voice.LINE_PEAK_DBTP + 0.05
    assert list(cache.glob("*.wav")) == [speech.path] and not list(cache.glob(".speaking-*"))


def test_cache_hit_synthesises_nothing_and_returns_the_same_samples(spoken, monkeypatch):
    cache, _, first = spoken
    before = read_wav(first.path)[0]
    monkeypatch.setattr(voice, "_LOADED", {})       # as in a new process …
    monkeypatch.setattr(voice, "_load_piper", lambda *a: pytest.fail("a cache hit loaded Piper"))
    again = voice.Narrator(voice.parse_voice("joe"), cache)
    second = again.speech("descent-1", "  The gradient points uphill,\nso we step the other way. ")
    assert again.synthesised == 0
    assert second == first
    assert np.array_equal(read_wav(second.path)[0], before)


def test_rate_speaks_faster_into_its_own_cache_entry(spoken):
    cache, _, normal = spoken
    fast_narrator = voice.Narrator(voice.parse_voice("joe", 1.5), cache)
    fast = fast_narrator.speech("descent-1", LINE)
    assert fast_narrator.synthesised == 1 and fast.path != normal.path
    measured = len(read_wav(fast.path)[0]) / 48_000
    assert 0.5 < measured / normal.duration < 0.8     # 1/1.5 = 0.67, give or take the voice's noise
    assert len(list(cache.glob("*.wav"))) == 2


def test_recordings_are_used_converted_and_missing_lines_fall_back(spoken, tmp_path, monkeypatch):
    cache, _, joe_line = spoken
    takes = tmp_path / "takes"
    takes.mkdir()
    stereo = np.stack([tone(0.6, 44_100, 440, 0.5, lead=0.3), tone(0.6, 44_100, 440, 0.5, lead=0.3)], axis=1)
    write_wav(takes / "descent-2.wav", stereo, 44_100)
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=32000:duration=0.4", "-ac", "2",
           "-c:a", "pcm_f32le", str(takes / "descent-3.wav"))          # float WAV: not readable by Python's wave
    choice = voice.parse_voice(f"recordings:{takes}")
    monkeypatch.setattr(voice, "_LOADED", {})
    monkeypatch.setattr(voice, "_load_piper", lambda *a: pytest.fail("joe's line is cached: no Piper"))
    narrator = voice.Narrator(choice, cache)

    recorded = narrator.speech("descent-2", "words the author read")
    samples, rate, channels, _ = read_wav(recorded.path)
    assert (recorded.source, rate, channels) == ("recording", 48_000, 1)
    assert abs(len(samples) / rate - 0.6) < 0.03 and abs(recorded.duration - 0.6) < 0.03   # 0.3 s lead cut
    assert onset(samples[:, 0], rate)[0] <= 0.005
    spectrum = np.abs(np.fft.rfft(samples[:, 0]))
    assert abs(np.argmax(spectrum) * rate / len(samples) - 440) < 5

    float_take = narrator.speech("descent-3", "more words")
    samples, rate, channels, _ = read_wav(float_take.path)
    assert (float_take.source, rate, channels) == ("recording", 48_000, 1)
    assert abs(float_take.duration - 0.4) < 0.03
    assert abs(np.argmax(np.abs(np.fft.rfft(samples[:, 0]))) * rate / len(samples) - 1000) < 5

    fell_back = narrator.speech("descent-1", LINE)
    assert fell_back.source == "en_US-joe-medium" and fell_back.path == joe_line.path
    narrator.speech("descent-1", LINE)
    assert narrator.fallbacks == ["descent-1"]


def test_first_writer_wins(tmp_path):
    """Two processes speaking one line at once: the second keeps the first's file, so both agree."""
    path = tmp_path / "cache" / "line.wav"
    voice._write_wav_once(path, tone(0.5, 48_000, 440))
    first = path.read_bytes()
    voice._write_wav_once(path, tone(0.7, 48_000, 220))
    assert path.read_bytes() == first
    assert [p.name for p in path.parent.iterdir()] == ["line.wav"]


# --- loudness for the web ------------------------------------------------------------------------

def decoded_audio(path: Path) -> tuple[np.ndarray, int]:
    """The first audio stream as float samples (frames × channels), decoded by ffmpeg."""
    info = [s for s in ffprobe(path)["streams"] if s["codec_type"] == "audio"][0]
    channels, rate = int(info["channels"]), int(info["sample_rate"])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-map", "0:a:0", "-f", "f32le",
                          "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, "<f4").reshape(-1, channels).astype(np.float64), rate


def true_peak_dbtp(samples: np.ndarray) -> float:
    from scipy.signal import resample_poly
    return 20 * np.log10(np.abs(resample_poly(samples, 4, 1, axis=0)).max())


def video_md5(path: Path) -> str:
    return subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-map", "0:v", "-c", "copy",
                           "-f", "md5", "-"], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def quiet_clip(spoken, tmp_path_factory):
    """8 s of test card with two quiet spoken lines, stereo 44.1 kHz as a mix might be: mp4 and webm."""
    folder = tmp_path_factory.mktemp("clip")
    speech = read_wav(spoken[2].path)[0][:, 0]
    from scipy.signal import resample_poly
    speech = resample_poly(speech, 147, 160) * 10 ** (-20 / 20) / np.abs(speech).max()   # −20 dBFS peaks
    track = np.zeros(8 * 44_100)
    for at in (0.5, 4.5):
        track[round(at * 44_100):round(at * 44_100) + len(speech)] += speech
    wav = write_wav(folder / "mix.wav", np.stack([track, track], axis=1), 44_100)
    card = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=15:duration=8"]
    ffmpeg(*card, "-i", str(wav), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", str(folder / "clip.mp4"))
    ffmpeg(*card, "-i", str(wav), "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
           "-c:a", "libopus", "-shortest", str(folder / "clip.webm"))
    ffmpeg(*card, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(folder / "silent.mp4"))
    return folder


@pytest.mark.parametrize("kind, codec", [("mp4", "aac"), ("webm", "opus")])
def test_normalise_loudness_meets_the_web_target(quiet_clip, tmp_path, kind, codec):
    import pyloudnorm
    src, dst = quiet_clip / f"clip.{kind}", tmp_path / f"loud.{kind}"
    before, rate = decoded_audio(src)
    assert pyloudnorm.Meter(rate).integrated_loudness(before) < -25      # the test starts far from the target
    with open(tmp_path / "log.txt", "w") as log:
        publish.normalise_loudness(src, dst, log)
    streams = ffprobe(dst)["streams"]
    audio = [s for s in streams if s["codec_type"] == "audio"]
    assert [s["codec_type"] for s in streams].count("video") == 1 and len(audio) == 1
    assert (audio[0]["codec_name"], audio[0]["sample_rate"]) == (codec, "48000")
    after, rate = decoded_audio(dst)
    loudness = pyloudnorm.Meter(rate).integrated_loudness(after)
    assert abs(loudness - -16.0) <= 1.0, f"{loudness:.2f} LUFS"
    assert true_peak_dbtp(after) <= -1.0, f"true peak {true_peak_dbtp(after):.2f} dBTP"
    assert video_md5(dst) == video_md5(src)                               # video copied, not re-encoded
    assert publish.has_audio(dst)
    if kind == "mp4":
        head = dst.read_bytes()
        assert head.index(b"moov") < head.index(b"mdat"), "+faststart: the index comes first"


def test_a_clip_without_audio_passes_through(quiet_clip, tmp_path):
    src, dst = quiet_clip / "silent.mp4", tmp_path / "out.mp4"
    assert not publish.has_audio(src) and publish.has_audio(quiet_clip / "clip.mp4")
    with open(tmp_path / "log.txt", "w") as log:
        publish.normalise_loudness(src, dst, log)
    assert ffprobe(dst)["streams"] == ffprobe(src)["streams"]
    assert video_md5(dst) == video_md5(src) and not publish.has_audio(dst)


# --- each line's level: BS.1770 loudness (checked against pyloudnorm) and the true-peak limiter ---------
def test_loudness_agrees_with_pyloudnorm():
    import pyloudnorm
    from scenes.kit.voice import integrated_loudness
    rng = np.random.default_rng(7)
    t = np.arange(48000 * 4) / 48000
    for x in (0.1 * rng.normal(size=(t.size, 2)),                       # noise, stereo
              (0.5 * np.sin(2 * np.pi * 997 * t))[:, None],             # a 1 kHz tone: −9.03 LUFS by definition
              (np.sin(2 * np.pi * 220 * t) * (t % 1 < 0.5) * 0.3)[:, None]):  # bursts and pauses: the gates
        assert integrated_loudness(x) == pytest.approx(pyloudnorm.Meter(48000).integrated_loudness(x), abs=0.1)
    assert integrated_loudness((0.5 * np.sin(2 * np.pi * 997 * t))[:, None]) == pytest.approx(-9.03, abs=0.05)


def test_the_limiter_holds_the_true_peak_and_leaves_quiet_audio_alone():
    from scipy.signal import resample_poly
    from scenes.kit.voice import limit_true_peak
    t = np.arange(48000) / 48000
    loud = 1.8 * np.sin(2 * np.pi * 5000 * t + 0.3) * np.exp(-3 * t)   # peaks between samples, over 0 dBFS
    held = limit_true_peak(loud, -2.0)
    assert 20 * np.log10(np.abs(resample_poly(held, 8, 1)).max()) <= -2.0 + 0.05
    quiet = 0.1 * np.sin(2 * np.pi * 300 * t)
    assert np.array_equal(limit_true_peak(quiet, -2.0), quiet)


def test_resampling_agrees_with_scipy():
    """The voice resamples with numpy's FFT (scipy.signal would cost a second to import in every
    process that speaks); scipy's polyphase filter is the independent check."""
    from scipy.signal import resample_poly
    from scenes.kit.voice import resample
    t = np.arange(22050 * 2) / 22050
    x = np.hanning(t.size) * (np.sin(2 * np.pi * 440 * t) + 0.3 * np.sin(2 * np.pi * 3100 * t))
    y = resample(x, 320, 147)
    assert len(y) == len(resample_poly(x, 320, 147)) == 96000
    assert np.max(np.abs(y - resample_poly(x, 320, 147))) < 2e-3
    up = resample(x[:, None], 4, 1)
    assert up.shape == (4 * len(x), 1) and np.max(np.abs(up[::4, 0] - x)) < 2e-3  # passes through the samples


def test_a_codec_overshoot_is_held_under_the_ceiling(tmp_path):
    """0.3 s of the default voice (CC0) whose plosive ffmpeg's AAC encoder turns from −1.9 dBFS into
    +1.4 dBTP: publishing measures what it encoded and lowers the mix just there."""
    from pathlib import Path as P
    from scenes.kit.voice import true_peak
    take = P(__file__).parent / "fixtures" / "aac_overshoot.wav"
    with wave.open(str(take)) as w:
        mix = np.frombuffer(w.readframes(w.getnframes()), "<i2") / 32768.0
    plain = tmp_path / "plain.m4a"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(take), *publish._AUDIO_CODECS[".m4a"], str(plain)], check=True)
    assert true_peak(publish.decoded(plain)[:, 0]) > 0.0  # the overshoot this test is about
    held = tmp_path / "held.m4a"
    with (tmp_path / "publish.log").open("w") as log:
        publish.encode_under_ceiling(mix, held, publish._AUDIO_CODECS[".m4a"], log)
    back = publish.decoded(held)[:, 0]
    assert true_peak(back) <= -1.0
    assert np.max(np.abs(back)) > 0.5  # lowered around the overshoot, not everywhere


def test_true_peak_finds_the_peak_between_samples():
    """BS.1770's case: a 12 kHz sine at 48 kHz sampled 45° off its crests — every sample is at −3 dB,
    the wave itself reaches 0 dB."""
    n = np.arange(48_000)
    x = np.sin(2 * np.pi * 12_000 * n / 48_000 + np.pi / 4)
    assert 20 * np.log10(np.abs(x).max()) == pytest.approx(-3.01, abs=0.01)
    inner = peak_envelope(x)[200:-200]  # a wave that starts abruptly rings at its ends, as it should
    assert 20 * np.log10(inner.max()) == pytest.approx(0.0, abs=0.01)
    assert true_peak(x) >= -0.01


def test_the_peak_envelope_agrees_with_oversampling_by_fft():
    rng = np.random.default_rng(3)
    x = resample(rng.standard_normal(24_000) * 0.2, 2, 1)  # band-limited to half the new Nyquist
    by_fft = np.abs(resample(x, 4, 1)).reshape(-1, 4).max(axis=1)[: len(x)]
    env = peak_envelope(x)
    inner = slice(100, -100)  # the FFT treats the wave as periodic: its ends differ
    assert np.max(np.abs(env[inner] - by_fft[inner])) < 0.005 * by_fft.max()
