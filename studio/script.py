"""The recording script: every narrated line with its stable ID, its words and the time it gets.

An author who records the narration in their own voice reads each line into ``<ID>.wav`` in one
folder and renders with ``--voice recordings:FOLDER``; lines without a file are spoken by the
default voice, and the render's summary lists them.
"""
from __future__ import annotations

from collections.abc import Iterable

from studio.gate import check_scene


def script_lines(scene_cls) -> list[dict]:
    """The scene's lines as placed (scenes run with animations skipped, as the gate runs them):
    id, beat, words, what the voice is given, seconds of caption, and seconds until the next line."""
    report = check_scene(scene_cls)
    lines = report.narration
    ends = [b.start for b in lines[1:]] + [report.duration]
    return [{"id": line.id, "beat": line.beat, "text": line.text, "spoken": line.spoken,
             "shown": line.shown, "room": end - line.start} for line, end in zip(lines, ends)]


def recording_script(scenes: Iterable[tuple[str, type]]) -> str:
    """Markdown for the person at the microphone: one table per scene, one row per line."""
    out = ["# Recording script", "",
           "Record each line as `<ID>.wav` (any sample rate, mono or stereo) in one folder, then render "
           "with `calcviz render --voice recordings:FOLDER`. *Time* is how long the line is shown today; "
           "*room* is the time until the next line starts (a longer take makes the beat wait for it).", ""]
    for title, cls in scenes:
        out += [f"## {cls.__name__} — {title}", "", "| ID | time | room | words |", "|---|---|---|---|"]
        for line in script_lines(cls):
            words = line["text"] if line["spoken"] == line["text"] else f"{line['text']} *(say: {line['spoken']})*"
            out.append(f"| `{line['id']}` | {line['shown']:.1f} s | {line['room']:.1f} s | "
                       f"{words.replace('|', chr(92) + '|')} |")  # a table cell escapes |
        out.append("")
    return "\n".join(out)
