"""What the voice costs a render: the course silent and narrated, side by side, cold and warm.

    .venv/bin/python bench/bench_narration.py                         # whole course at 480p15
    .venv/bin/python bench/bench_narration.py --scenes SecantToTangent --out bench/results/narration.md

Each scene is rendered twice *at the same time*, one process per core: silent (``--voice none``) and
narrated by the default voice. The two renders of a scene share the machine's conditions, so
their ratio holds up on a noisy machine even when the absolute seconds do not.

- **cold**: nothing cached — a fresh media folder, and an empty voice cache for the narrated render
  (every line is synthesised);
- **warm**: the same again with ``--force`` (frames drawn anew) but the voice cache kept from the
  cold run: what a course author pays to re-render after changing a scene;
- **no change**: the same command once more without ``--force``: the renderer's cache answers.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bench_render import Report  # noqa: E402
from scenes.catalogue import all_scenes  # noqa: E402
from studio import render as r  # noqa: E402

ARMS = ("none", "joe")


def one(task: r.Task) -> tuple[float, float, dict]:
    """Render one task; (seconds, video seconds, its Scene.json)."""
    start = time.perf_counter()
    outcome = r.render_scene(task)
    seconds = time.perf_counter() - start
    if not outcome.ok:
        raise SystemExit(f"{task.scene} failed: {outcome.error} (log {outcome.log})")
    meta = json.loads(r.outputs(task)["meta"].read_text())
    return seconds, meta["duration"], meta


def tasks_for(chosen, folder: Path, voice_cache: Path, force: bool) -> dict[str, list[r.Task]]:
    env = {"CALCVIZ_VOICE_CACHE": str(voice_cache)}
    return {arm: r.plan(chosen, "l", ("mp4",), folder / arm, env=env | {"CALCVIZ_VOICE": arm}, force=force)
            for arm in ARMS}


def round_of(name: str, chosen, folder: Path, voice_cache: Path, force: bool, report: Report) -> dict:
    report.line(f"\n### {name}\n")
    report.line("```")
    report.line(f"{'scene':28} {'silent s':>9} {'spoken s':>9} {'ratio':>6} {'video silent':>13} {'video spoken':>13}")
    plans = tasks_for(chosen, folder, voice_cache, force)
    totals = {arm: [0.0, 0.0] for arm in ARMS}
    speech = 0.0
    with ProcessPoolExecutor(max_workers=2) as pool:
        for silent_task, spoken_task in zip(plans["none"], plans["joe"]):
            a, b = pool.submit(one, silent_task), pool.submit(one, spoken_task)
            (s_sec, s_video, _), (v_sec, v_video, meta) = a.result(), b.result()
            speech += sum(line["speech"] or 0 for line in meta.get("narration", []))
            for arm, sec, video in (("none", s_sec, s_video), ("joe", v_sec, v_video)):
                totals[arm][0] += sec
                totals[arm][1] += video
            report.line(f"{silent_task.scene:28} {s_sec:9.1f} {v_sec:9.1f} {v_sec / s_sec:6.2f} "
                        f"{s_video:13.1f} {v_video:13.1f}")
    (s_sec, s_video), (v_sec, v_video) = totals["none"], totals["joe"]
    report.line(f"{'total':28} {s_sec:9.1f} {v_sec:9.1f} {v_sec / s_sec:6.2f} {s_video:13.1f} {v_video:13.1f}")
    report.line("```")
    report.line(f"\nthe voice costs **{100 * (v_sec / s_sec - 1):+.1f} %** of render time ({name}); "
                f"{speech:.0f} s of speech")
    return {"silent": s_sec, "spoken": v_sec, "video_silent": s_video, "video_spoken": v_video, "speech": speech}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenes", nargs="*", help="scene names (default: the whole course)")
    parser.add_argument("--out", type=Path, help="also write the tables to this Markdown file, line by line")
    args = parser.parse_args()
    chosen = [(lesson, entry) for lesson, entry in all_scenes() if not args.scenes or entry.name in args.scenes]
    report = Report(args.out)
    report.line("# The voice's cost: the course silent and narrated, side by side")
    report.line(f"\n{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; 480p15; "
                f"each scene rendered silent and narrated at the same time, one process each; render s = manim + "
                f"publishing (faststart, loudness, poster, captions). {time.strftime('%Y-%m-%d %H:%M')}.")
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp), Path(tmp) / "voice-cache"
        cold = round_of("cold: nothing cached", chosen, folder, cache, False, report)
        warm = round_of("warm: voice cache kept, frames drawn again (--force)", chosen, folder, cache, True, report)
        start = time.perf_counter()
        again = tasks_for(chosen, folder, cache, False)
        cached = {arm: all(r.render_scene(t).cached for t in again[arm]) for arm in ARMS}
        report.line(f"\n### no change\n\nthe same command again: {time.perf_counter() - start:.1f} s for both, "
                    f"every scene answered from the renderer's cache: {cached}")
    report.line(f"\ncourse length: silent {cold['video_silent']:.0f} s, narrated {cold['video_spoken']:.0f} s; "
                f"speech {cold['speech']:.0f} s. Synthesis ≈ (cold − warm) narrated = "
                f"{cold['spoken'] - warm['spoken']:.0f} s for {cold['speech']:.0f} s of speech "
                f"({(cold['spoken'] - warm['spoken']) / max(cold['speech'], 1):.2f} s per s).")


if __name__ == "__main__":
    main()
