"""Publishing a render for the web: faststart mp4, webm/gif, poster, captions → WebVTT, chapters, stills.

Everything here works on files: manim's output in, the files the course page serves out.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

from scenes.catalogue import LESSONS
from scenes.kit.i18n import SOURCE_LANG, message_from_json
from scenes.kit.voice import (cache_folder, gain_under, integrated_loudness, limit_true_peak, peak_envelope,
                              speech_digest, true_peak)
from studio.caches import damage, sha256_of


def run(cmd: list[str], log, **kw) -> None:
    log.write(f"$ {' '.join(cmd)}\n")
    log.flush()
    subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=True, **kw)



def publishable(scene: str, formats, scratch: Path, log) -> tuple[dict[str, Path], dict]:
    """Turn manim's output under ``scratch/media`` into the web-ready files, all still in ``scratch``.

    Returns the files by kind and what the page's index needs: the clip's duration, its chapters
    (one per beat) and its narration (each line, its timing and voice, its speech named by cache key);
    and, under ``repairs``, the one-line reports of damaged cache entries that were made again (the
    renderer passes them on; they are not for the page)."""
    media = scratch / "media"
    [video] = [p for p in media.rglob(f"{scene}.mp4") if "sections" not in p.parts
               and "partial_movie_files" not in p.parts]
    ready = {}
    ready["mp4"] = scratch / "out.mp4"
    told = next(media.rglob(f"narration/{scene}.json"), None)  # written by the lesson (scenes.kit.lesson)
    narration = json.loads(told.read_text()) if told else {"voice": None, "lines": [], "fallbacks": []}
    repairs = list(narration.get("repairs", []))
    cache = Path(narration.get("cache") or cache_folder())
    spoken = [line for line in narration["lines"] if line.get("audio")]
    if spoken:  # mixed here, in mono, at the web's loudness; AAC beside the copied picture, index at the front
        sound = mixed_narration(spoken, probe_duration(video), cache, scratch, log, repairs=repairs)
        run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(video), "-i", str(sound), "-map", "0:v",
             "-map", "1:a", "-c", "copy", "-movflags", "+faststart", str(ready["mp4"])], log)
    elif has_audio(video):  # a scene that adds sound itself
        level_audio(video, ready["mp4"], log)
    else:
        run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-c", "copy", "-movflags", "+faststart",
             str(ready["mp4"])], log)
    duration = probe_duration(ready["mp4"])
    if "webm" in formats:
        ready["webm"] = scratch / "out.webm"
        # the picture from manim's file; the narration mixed for Opus (its own check of the peak)
        if spoken:
            sound = mixed_narration(spoken, probe_duration(video), cache, scratch, log, ".opus", repairs)
            audio = ["-i", str(sound), "-map", "0:v", "-map", "1:a", "-c:a", "copy"]
        elif has_audio(ready["mp4"]):
            audio = ["-i", str(ready["mp4"]), "-map", "0:v", "-map", "1:a", "-c:a", "libopus", "-b:a", "96k"]
        else:
            audio = ["-an"]
        run(["ffmpeg", "-v", "error", "-y", "-i", str(video), *audio, "-c:v", "libvpx-vp9", "-b:v", "0",
             "-crf", "38", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", str(ready["webm"])], log)
    if "gif" in formats:
        ready["gif"] = scratch / "out.gif"
        run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-vf",
             "fps=10,scale=480:-2:flags=lanczos,split[a][b];[a]palettegen=max_colors=64[p];[b][p]paletteuse",
             str(ready["gif"])], log)
    ready["poster"] = scratch / "poster.png"
    run(["ffmpeg", "-v", "error", "-y", "-ss", f"{max(0.0, duration - 0.6):.2f}", "-i", str(video),
         "-frames:v", "1", str(ready["poster"])], log)
    srt = video.with_suffix(".srt")
    ready["captions"] = scratch / "captions.vtt"
    ready["captions"].write_text(srt_to_vtt(srt.read_text() if srt.exists() else ""))
    sections = next(media.rglob(f"sections/{scene}.json"), None)
    chapters = chapters_from_sections(json.loads(sections.read_text()) if sections else [], duration)
    ready["chapters"] = scratch / "chapters.vtt"
    ready["chapters"].write_text(chapters_vtt(chapters))
    return ready, {"duration": duration, "lang": narration.get("lang", SOURCE_LANG), "chapters": chapters,
                   "voice": narration["voice"],
                   "narration": narration["lines"], "fallbacks": narration["fallbacks"], "repairs": repairs}


def probe_duration(video: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                          str(video)], capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def srt_to_vtt(srt: str) -> str:
    """WebVTT is SRT with a header, dots for decimal commas and no cue numbers."""
    cues = []
    for block in srt.strip().split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) >= 2 and "-->" in lines[1]:
            cues.append(lines[1].replace(",", ".") + "\n" + "\n".join(lines[2:]))
    return "WEBVTT\n\n" + "\n\n".join(cues) + ("\n" if cues else "")


def translated_captions(meta_path: Path, lang: str) -> Path | None:
    """``Scene.<lang>.vtt`` beside an English clip: its caption cues, each line given in ``lang`` by the
    catalogue of now, so a learner can follow the English clip in their language. None (and no file)
    when the clip is not English or its lines carry no messages to translate."""
    meta = json.loads(meta_path.read_text())
    lines = meta.get("narration") or []
    vtt = meta_path.with_suffix(".vtt")
    if meta.get("lang", SOURCE_LANG) != SOURCE_LANG or not any(line.get("message") for line in lines) \
            or not vtt.exists():
        return None
    cues = [cue for cue in vtt.read_text().split("\n\n") if "-->" in cue]
    if len(cues) != len(lines):  # captions added some other way: the lines cannot be matched to cues
        return None
    out = []
    for cue, line in zip(cues, lines):
        timing = next(row for row in cue.splitlines() if "-->" in row)
        out.append(f"{timing}\n{message_from_json(line['message'], lang) if line.get('message') else line['text']}")
    path = meta_path.with_name(f"{meta_path.stem}.{lang}.vtt")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text("WEBVTT\n\n" + "\n\n".join(out) + "\n")
    os.replace(tmp, path)
    return path


def chapters_from_sections(sections: list[dict], duration: float) -> list[dict]:
    """Start and end times of each beat: manim's section index lists durations only."""
    chapters, t = [], 0.0
    for s in sections:
        length = float(s.get("duration", 0))
        if length > 0:
            chapters.append({"name": s["name"], "start": round(t, 3), "end": round(t + length, 3)})
        t += length
    if chapters:
        chapters[-1]["end"] = round(max(chapters[-1]["end"], duration), 3)
    return chapters


def timestamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def chapters_vtt(chapters: list[dict]) -> str:
    cues = [f"{timestamp(c['start'])} --> {timestamp(c['end'])}\n{c['name']}" for c in chapters]
    return "WEBVTT\n\n" + "\n\n".join(cues) + ("\n" if cues else "")



def write_stills(media: Path, quality: str, width: int = 640) -> list[Path]:
    """One small still per lesson for the README: the poster of the lesson's first rendered scene."""
    written = []
    (media / "readme").mkdir(parents=True, exist_ok=True)
    for lesson in LESSONS:
        poster = next((p for e in lesson.scenes
                       if (p := media / "course" / quality / lesson.slug / f"{e.name}.poster.png").exists()), None)
        if poster is None:
            continue
        still = media / "readme" / f"{lesson.slug}.png"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(poster), "-vf", f"scale={width}:-2",
                        str(still)], check=True)
        written.append(still)
    return written



# --- sound: loudness for the web ------------------------------------------------------------------

def has_audio(path: Path) -> bool:
    """Whether the file has at least one audio stream (ffprobe)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a", "-show_entries", "stream=index",
                          "-of", "csv=p=0", str(path)], capture_output=True, text=True, check=True).stdout
    return bool(out.strip())


def loudness_stats(path: Path, log) -> dict[str, float]:
    """EBU R128 figures of the first audio stream, measured by ffmpeg's ``ebur128`` filter (true peak
    4× oversampled): ``I`` (LUFS), ``threshold`` (its relative gate, LUFS), ``LRA`` (LU), ``TP`` (dBTP).
    Silence reads as I = −70 and TP = −inf."""
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-nostdin", "-i", str(path), "-map", "0:a:0",
           "-af", "ebur128=peak=true", "-f", "null", "-"]
    log.write(f"$ {' '.join(cmd)}\n")
    out = subprocess.run(cmd, capture_output=True, text=True)
    summary = out.stderr[out.stderr.rfind("Summary:"):]
    log.write(summary + "\n")
    log.flush()
    if out.returncode != 0 or "Summary:" not in out.stderr:
        raise subprocess.CalledProcessError(out.returncode, cmd, output=out.stdout, stderr=out.stderr)
    figures = {}
    for section, key, name in [("Integrated loudness:", "I:", "I"), ("Integrated loudness:", "Threshold:", "threshold"),
                               ("Loudness range:", "LRA:", "LRA"), ("True peak:", "Peak:", "TP")]:
        rest = summary[summary.index(section):]
        figures[name] = float(rest[rest.index(key) + len(key):].split()[0])
    return figures


def _loudnorm_measure(path: Path, log, target_lufs: float, true_peak: float, lra: float) -> dict[str, str]:
    """loudnorm's first pass over the first audio stream: input_i, input_tp, input_lra, input_thresh,
    target_offset (as loudnorm prints them: strings, "-inf" for silence)."""
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-nostdin", "-i", str(path), "-map", "0:a:0", "-af",
           f"loudnorm=I={target_lufs:g}:TP={true_peak:g}:LRA={lra:g}:print_format=json", "-f", "null", "-"]
    log.write(f"$ {' '.join(cmd)}\n")
    out = subprocess.run(cmd, capture_output=True, text=True)
    log.write(out.stderr[out.stderr.rfind("{"):] + "\n")
    log.flush()
    if out.returncode != 0 or "{" not in out.stderr:
        raise subprocess.CalledProcessError(out.returncode, cmd, output=out.stdout, stderr=out.stderr)
    return json.loads(out.stderr[out.stderr.rindex("{"):out.stderr.rindex("}") + 1])


_AUDIO_CODECS = {".mp4": ["-c:a", "aac", "-b:a", "160k"], ".m4a": ["-c:a", "aac", "-b:a", "160k"],
                 ".mov": ["-c:a", "aac", "-b:a", "160k"], ".webm": ["-c:a", "libopus", "-b:a", "96k"],
                 ".mkv": ["-c:a", "libopus", "-b:a", "96k"], ".wav": ["-c:a", "pcm_s16le"]}


def decoded(path: Path, rate: int = 48000) -> np.ndarray:
    """The first audio stream as float samples, n × channels, as the file has them."""
    channels = int(subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                                   "stream=channels", "-of", "csv=p=0", str(path)],
                                  capture_output=True, text=True, check=True).stdout.split()[0])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-map", "0:a:0", "-ar", str(rate),
                          "-f", "f32le", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<f4").reshape(-1, channels)


def mixed_narration(lines: list[dict], duration: float, cache: Path, scratch: Path, log, kind: str = ".m4a",
                    repairs: list[str] | None = None) -> Path:
    """The clip's narration, mixed and encoded (``kind``: .m4a AAC or .opus), kept beside the lines'
    speech in the voice's ``cache``: a re-render whose lines, their sound and their timing did not change
    mixes nothing. The kept file is named by what went into it and by the start of its own sha256,
    checked before it is used: a damaged one is reported (appended to ``repairs``) and mixed again."""
    # each line's WAV (``audio`` is its cache key), checked: one damaged since the lesson spoke it cannot
    # be mixed (a new render speaks it again); the mix's name holds what each line sounds like
    paths = [cache / f"{line['audio']}.wav" for line in lines]
    what = json.dumps([[speech_digest(path), round(line["start"], 6)] for path, line in zip(paths, lines)]
                      + [round(duration, 6), MIX_FORMAT])
    name = f"mix-{hashlib.sha256(what.encode()).hexdigest()[:32]}"
    for kept in sorted(cache.glob(f"{name}.*{kind}")):
        problem = "its contents do not match their checksum" if not sha256_of(kept).startswith(
            kept.name.removeprefix(f"{name}.").removesuffix(kind)) else None
        if problem is None:
            log.write(f"# narration mix from the cache: {kept}\n")
            return kept
        line = damage("mix", kept, problem)
        log.write(f"# {line}\n")
        if repairs is not None:
            repairs.append(line)
        kept.unlink(missing_ok=True)
    encoded = scratch / f"narration{kind}"
    encode_under_ceiling(mix_lines([{**line, "path": str(path)} for line, path in zip(lines, paths)], duration),
                         encoded, _AUDIO_CODECS[".webm" if kind == ".opus" else kind], log)
    kept = cache / f"{name}.{sha256_of(encoded)[:32]}{kind}"
    tmp = None
    try:  # copied in under a temporary name, then renamed: never half a file under the cache's name
        fd, tmp = tempfile.mkstemp(dir=cache, prefix=".mix-", suffix=kind)
        os.close(fd)
        shutil.copyfile(encoded, tmp)
        os.replace(tmp, kept)
    except OSError:  # a cache we cannot write to: this render keeps its own
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        return encoded
    return kept


def encode_under_ceiling(mix: np.ndarray, out: Path, codec: list[str], log, ceiling: float = -1.0,
                         rate: int = 48000) -> None:
    """Encode ``mix`` (mono) into ``out``, then decode it and check its true peak: a codec can overshoot
    a sharp onset by several dB (AAC turned a −3.5 dBFS plosive into +1.4 dBTP). Where it did, the
    mix is lowered just there, around the overshoot, and encoded again."""
    wav = out.with_suffix(".wav")
    for _ in range(4):
        write_mix(mix, wav, rate)
        run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(wav), *codec, str(out)], log)
        back = decoded(out)[: len(mix), 0]
        heard = np.pad(peak_envelope(back), (0, len(mix) - len(back)))
        peak = 20 * np.log10(max(float(heard.max(initial=0.0)), 1e-12))
        log.write(f"# {out.name}: true peak {peak:.2f} dBTP after encoding\n")
        if peak <= ceiling - 0.1:
            return
        mix = mix * gain_under(heard, 10 ** ((ceiling - 0.4) / 20))
    raise RuntimeError(f"{out.name}: the codec keeps the true peak at {peak:.2f} dBTP, over {ceiling:g}")


MIX_FORMAT = "mono 48k; -16 LUFS; -1.5 dBTP; held under -1 dBTP after encoding; fir peaks"  # change it when mix_lines or the codec changes


def mix_lines(lines: list[dict], duration: float, rate: int = 48000, target_lufs: float = -16.0,
              ceiling: float = -1.5) -> np.ndarray:
    """The clip's sound: each line's speech (the WAV at its ``path``) placed at its start (mono), brought
    to ``target_lufs`` and held under ``ceiling`` dBTP (a little under the web's −1, for the encoder)."""
    mix = np.zeros(int(round(duration * rate)) + 1)
    for line in lines:
        with wave.open(line["path"], "rb") as w:
            assert w.getframerate() == rate and w.getnchannels() == 1 and w.getsampwidth() == 2
            speech = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2") / 32768.0
        at = int(round(line["start"] * rate))
        end = min(len(mix), at + len(speech))
        mix[at:end] += speech[: end - at]
    level = integrated_loudness(mix[:, None])
    if np.isfinite(level):
        mix *= 10 ** ((target_lufs - level) / 20)
    return limit_true_peak(mix, ceiling)


def write_mix(mix: np.ndarray, path: Path, rate: int = 48000) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(np.round(mix * 32767), -32767, 32767).astype("<i2").tobytes())


def level_audio(src: Path, dst: Path, log, target_lufs: float = -16.0, ceiling: float = -1.0) -> None:
    """``src`` → ``dst`` (mp4, +faststart) at ``target_lufs`` with its true peak under ``ceiling`` dBTP.

    The voice already brings every line to the same loudness under a limiter (scenes/kit/voice.py),
    so a clip usually needs nothing: it is measured (BS.1770, a fraction of a second) and copied as it
    is; a small miss is one gain change (the audio re-encoded, the picture copied); only a clip whose
    peaks a gain would push over the ceiling goes through loudnorm's two passes."""
    x = decoded(src)
    level, peak = integrated_loudness(x), true_peak(x)
    gain = target_lufs - level if np.isfinite(level) else 0.0
    log.write(f"# loudness {level:.2f} LUFS, true peak {peak:.2f} dBTP: gain {gain:+.2f} dB\n")
    if abs(gain) <= 0.7 and peak <= ceiling - 0.2:  # within 0.7 LU: a web player cannot tell
        run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(src), "-c", "copy", "-movflags", "+faststart",
             str(dst)], log)
    elif peak + gain <= ceiling - 0.5:
        run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(src), "-map", "0:v", "-map", "0:a:0", "-c:v", "copy",
             "-af", f"volume={gain:.2f}dB", "-ar", "48000", *_AUDIO_CODECS[".mp4"], "-movflags", "+faststart",
             str(dst)], log)
    else:
        normalise_loudness(src, dst, log, target_lufs, ceiling)


def normalise_loudness(src: Path, dst: Path, log, target_lufs: float = -16.0, true_peak: float = -1.0) -> None:
    """Copy ``src`` to ``dst`` with its first audio stream at ``target_lufs`` integrated and its true
    peak at or under ``true_peak`` dBTP, measured after encoding; the video stream is copied as it is.

    ffmpeg's ``loudnorm`` in two passes: measure (with loudnorm's trial of its own limiter, whose
    ``target_offset`` is passed on), then normalise with the measured values (linear gain where the
    peaks allow it, which for speech at −16 LUFS they rarely do, else loudnorm's true-peak limiter),
    resampled to 48 kHz and encoded by the output's kind: AAC for .mp4 (with +faststart), Opus for .webm (so a .webm needs a VP8/VP9/AV1
    video stream in ``src``). The limiter aims 0.7 dB under the ceiling to leave the codec room; the
    encoded result is measured again (``ebur128``, a fifth of loudnorm's cost) and encoded once more
    should its peak be over the ceiling (with more room) or its loudness more than 0.7 LU off (with
    the offset corrected).
    A file without audio is copied stream for stream; silent audio is re-encoded without gain."""
    src, dst = Path(src), Path(dst)
    suffix = dst.suffix.lower()
    if suffix not in _AUDIO_CODECS:
        raise ValueError(f"normalise_loudness: cannot write {dst.name}; known: {', '.join(_AUDIO_CODECS)}")
    container = ["-movflags", "+faststart"] if suffix in (".mp4", ".m4a", ".mov") else []
    if not has_audio(src):
        run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(src), "-map", "0", "-c", "copy", *container,
             str(dst)], log)
        return
    video = ["-map", "0:v?", "-c:v", "copy"] if suffix != ".wav" else ["-vn"]
    aim, lra = true_peak - 0.7, 20.0  # narration has pauses: a wide range lets loudnorm stay linear if it can
    measured = _loudnorm_measure(src, log, target_lufs, aim, lra)
    if measured["input_i"] in ("-inf", "inf") or float(measured["input_i"]) <= -70:  # silence: nothing to raise
        run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(src), *video, "-map", "0:a:0", "-ar", "48000",
             *_AUDIO_CODECS[suffix], *container, str(dst)], log)
        return
    lra = min(50.0, max(lra, float(measured["input_lra"]) + 1))
    offset = float(measured["target_offset"])  # what loudnorm's limiter will cost, by its own trial run
    for _ in range(3):
        loudnorm = (f"loudnorm=I={target_lufs:g}:TP={aim:g}:LRA={lra:g}:measured_I={measured['input_i']}"
                    f":measured_TP={measured['input_tp']}:measured_LRA={measured['input_lra']}"
                    f":measured_thresh={measured['input_thresh']}:offset={offset:g}:linear=true")
        run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(src), *video, "-map", "0:a:0", "-af", loudnorm,
             "-ar", "48000", *_AUDIO_CODECS[suffix], *container, str(dst)], log)
        result = loudness_stats(dst, log)
        peak_ok = result["TP"] <= true_peak - 0.1  # one decimal printed; another meter may read a little higher
        if peak_ok and abs(result["I"] - target_lufs) <= 0.7:
            return
        if not peak_ok:
            aim = max(-9.0, aim - (result["TP"] - true_peak) - 0.3)
        else:  # the limiter took more (or less) than loudnorm foresaw: ask for the difference
            offset = max(-9.0, min(9.0, offset + target_lufs - result["I"]))
    if peak_ok:
        return  # the peak is what must hold; the loudness is as close as loudnorm gets
    raise RuntimeError(f"normalise_loudness: {dst.name} still peaks at {result['TP']:.1f} dBTP, over {true_peak:g}")
