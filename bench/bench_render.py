"""Render the course and report real-time factors and the parallel speed-up, measured in one run.

    .venv/bin/python bench/bench_render.py                 # -ql and -qh, whole course
    .venv/bin/python bench/bench_render.py -q l --scenes SecantToTangent DerivativeAsFunction

For each quality: every scene once one after another (jobs=1), then all at once on every core,
each time into a fresh media folder (no cache). Real-time factor = render seconds / video seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scenes import render as r  # noqa: E402
from scenes.catalogue import all_scenes  # noqa: E402


def timed_render(chosen, quality, jobs, media):
    tasks = r.plan(chosen, quality, ("mp4",), media)
    start = time.perf_counter()
    outcomes = {o.scene: o for o in r.LocalExecutor(jobs).map_unordered(r.render_scene, tasks)}
    wall = time.perf_counter() - start
    durations = {t.scene: json.loads(r.outputs(t)["meta"].read_text())["duration"]
                 for t in tasks if outcomes[t.scene].ok}
    return wall, outcomes, durations


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-q", "--quality", nargs="+", default=["l", "h"], choices=list(r.QUALITIES))
    parser.add_argument("--scenes", nargs="*", help="scene names (default: the whole course)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    chosen = [(l, e) for l, e in all_scenes() if not args.scenes or e.name in args.scenes]
    for quality in args.quality:
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            serial, outcomes, durations = timed_render(chosen, quality, 1, Path(a))
            parallel, _, _ = timed_render(chosen, quality, args.jobs, Path(b))
        print(f"\n{r.QUALITIES[quality]}: {len(chosen)} scenes")
        print(f"{'scene':28} {'video s':>8} {'render s':>9} {'RTF':>6}")
        for scene, outcome in sorted(outcomes.items()):
            if scene in durations:
                d = durations[scene]
                print(f"{scene:28} {d:8.1f} {outcome.seconds:9.1f} {outcome.seconds / d:6.2f}")
            else:
                print(f"{scene:28} FAILED ({outcome.error})")
        total_video = sum(durations.values())
        print(f"{'total (one after another)':28} {total_video:8.1f} {serial:9.1f} {serial / total_video:6.2f}")
        print(f"{'total (' + str(args.jobs) + ' jobs)':28} {total_video:8.1f} {parallel:9.1f} "
              f"{parallel / total_video:6.2f}")
        print(f"parallel speed-up: {serial / parallel:.2f}x on {args.jobs} cores")


if __name__ == "__main__":
    main()
