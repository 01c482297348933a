"""Publishing a render for the web: faststart mp4, webm/gif, poster, captions → WebVTT, chapters, stills.

Everything here works on files: manim's output in, the files the course page serves out.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from scenes.catalogue import LESSONS


def run(cmd: list[str], log, **kw) -> None:
    log.write(f"$ {' '.join(cmd)}\n")
    log.flush()
    subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=True, **kw)



def publishable(scene: str, formats, scratch: Path, log) -> tuple[dict[str, Path], float, list[dict]]:
    """Turn manim's output under ``scratch/media`` into the web-ready files, all still in ``scratch``.

    Returns the files by kind, the clip's duration and its chapters (one per beat)."""
    media = scratch / "media"
    [video] = [p for p in media.rglob(f"{scene}.mp4") if "sections" not in p.parts
               and "partial_movie_files" not in p.parts]
    ready = {}
    ready["mp4"] = scratch / "out.mp4"
    run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-c", "copy", "-movflags", "+faststart",
         str(ready["mp4"])], log)
    duration = probe_duration(ready["mp4"])
    if "webm" in formats:
        ready["webm"] = scratch / "out.webm"
        run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "38",
             "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-an", str(ready["webm"])], log)
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
    return ready, duration, chapters


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

