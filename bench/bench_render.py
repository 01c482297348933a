"""Render the course and report real-time factors and the parallel speed-up, measured in one run.

    .venv/bin/python bench/bench_render.py                 # -ql and -qh, whole course
    .venv/bin/python bench/bench_render.py -q l --scenes SecantToTangent DerivativeAsFunction
    .venv/bin/python bench/bench_render.py --out bench/results/render.md   # also keep the tables

For each quality: every scene once one after another (jobs=1), then all at once on every core,
each time into a fresh media folder (no cache). Real-time factor = render seconds / video seconds;
a scene's figure comes from the one-after-another run, where it had the machine to itself.
Each scene's line is printed (and written to --out) as soon as it finishes, so a run cut short
still leaves every figure it measured.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from studio import render as r  # noqa: E402
from scenes.catalogue import all_scenes  # noqa: E402


class Report:
    """Lines for the terminal and, when asked, a Markdown file rewritten after every line."""

    def __init__(self, path: Path | None):
        self.path, self.lines = path, []

    def line(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text("\n".join(self.lines) + "\n")


def timed_render(tasks, jobs, on_outcome):
    """Render ``tasks`` on ``jobs`` processes; returns the wall time and {scene: (outcome, video s)}."""
    results = {}
    start = time.perf_counter()
    for outcome in r.LocalExecutor(jobs).map_unordered(r.render_scene, tasks):
        task = next(t for t in tasks if t.scene == outcome.scene)
        duration = json.loads(r.outputs(task)["meta"].read_text())["duration"] if outcome.ok else None
        results[outcome.scene] = (outcome, duration)
        on_outcome(outcome, duration)
    return time.perf_counter() - start, results


def bench_quality(chosen, quality, jobs, report: Report) -> None:
    report.line(f"\n## {r.QUALITIES[quality]}: {len(chosen)} scenes\n")
    report.line("```")
    report.line(f"{'scene':28} {'video s':>8} {'render s':>9} {'RTF':>6}")

    def scene_line(outcome, duration):
        if outcome.ok:
            report.line(f"{outcome.scene:28} {duration:8.1f} {outcome.seconds:9.1f} "
                        f"{outcome.seconds / duration:6.2f}")
        else:
            report.line(f"{outcome.scene:28} FAILED ({outcome.error})")

    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        serial, results = timed_render(r.plan(chosen, quality, ("mp4",), Path(a)), 1, scene_line)
        video = sum(d for _, d in results.values() if d)
        report.line(f"{'total (one after another)':28} {video:8.1f} {serial:9.1f} {serial / video:6.2f}")
        parallel, results_p = timed_render(r.plan(chosen, quality, ("mp4",), Path(b)), jobs, lambda *_: None)
    failed = sorted({s for res in (results, results_p) for s, (o, _) in res.items() if not o.ok})
    report.line(f"{'total (' + str(jobs) + ' jobs)':28} {video:8.1f} {parallel:9.1f} {parallel / video:6.2f}")
    report.line("```")
    report.line(f"\nparallel speed-up: **{serial / parallel:.2f}×** on {jobs} processes"
                + (f"; failed: {', '.join(failed)}" if failed else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-q", "--quality", nargs="+", default=["l", "h"], choices=list(r.QUALITIES))
    parser.add_argument("--scenes", nargs="*", help="scene names (default: the whole course)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, help="also write the tables to this Markdown file, line by line")
    args = parser.parse_args()
    chosen = [(l, e) for l, e in all_scenes() if not args.scenes or e.name in args.scenes]
    report = Report(args.out)
    report.line(f"# Course render benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    report.line(f"\n{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
                f"render s = manim + faststart remux + poster + captions, from a cold cache.")
    for quality in args.quality:
        bench_quality(chosen, quality, args.jobs, report)


if __name__ == "__main__":
    main()
