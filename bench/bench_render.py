"""Render the course and report real-time factors and the parallel speed-up, measured in one run.

    .venv/bin/python bench/bench_render.py                 # -ql and -qh, whole course
    .venv/bin/python bench/bench_render.py -q l --scenes SecantToTangent DerivativeAsFunction
    .venv/bin/python bench/bench_render.py --out bench/results/render.md   # also keep the tables
    .venv/bin/python bench/bench_render.py --rev 3715c51 -q h --out /tmp/before-after.md   # before / after

For each quality: every scene once one after another (jobs=1), then all at once on every core,
each time into a fresh media folder (no cache). Real-time factor = render seconds / video seconds;
a scene's figure comes from the one-after-another run, where it had the machine to itself.
Each scene's line is printed (and written to --out) as soon as it finishes, so a run cut short
still leaves every figure it measured.

The parallel run starts the longest scenes first, as ``calcviz render`` does, from the times the
one-after-another run just recorded (with ``--skip-serial``: from the Scene.json files under
``--history``, by default this checkout's media folder, and with ``--rev`` from the first arm's run).

``--rev REV`` measures a git revision first and then this tree, quality by quality, in the same run:
REV's scenes, manim.cfg and kit render from a temporary worktree (removed afterwards) through this
tree's renderer, in catalogue order as the renderer before issue 14 scheduled them. Spoken lines come
from this checkout's voice cache in both arms, so neither pays for synthesis.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
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


@dataclasses.dataclass(frozen=True)
class Arm:
    """What is measured: a source tree, and whether the parallel run starts the longest scenes first."""

    name: str
    tree: Path
    longest_first: bool = True


def arm_tasks(arm: Arm, chosen, quality, media: Path, history=()) -> list[r.Task]:
    env = dict(os.environ)
    env.setdefault("CALCVIZ_VOICE_CACHE", str(ROOT / "media" / "voice"))
    tasks = r.plan(chosen, quality, ("mp4",), media, env=env, history=history if arm.longest_first else ())
    if arm.tree != ROOT:  # the same scenes from the other tree's files
        tasks = [dataclasses.replace(t, root=str(arm.tree),
                                     module_path=str(arm.tree / Path(t.module_path).resolve().relative_to(ROOT)))
                 for t in tasks]
    return tasks


def bench_quality(chosen, quality, jobs, arm: Arm, report: Report, serial_run: bool = True,
                  history=(), keep: Path | None = None) -> dict:
    title = f"{r.QUALITIES[quality]}: {len(chosen)} scenes" + (f", {arm.name}" if arm.name else "")
    report.line(f"\n## {title}\n")
    report.line("```")
    report.line(f"{'scene':28} {'video s':>8} {'render s':>9} {'RTF':>6}")

    def scene_line(outcome, duration):
        if outcome.ok:
            report.line(f"{outcome.scene:28} {duration:8.1f} {outcome.seconds:9.1f} "
                        f"{outcome.seconds / duration:6.2f}")
        else:
            report.line(f"{outcome.scene:28} FAILED ({outcome.error})")

    totals = {}
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as scratch:
        b = keep or scratch  # the parallel run's Scene.json files, kept to order the next arm
        results = {}
        if serial_run:
            serial, results = timed_render(arm_tasks(arm, chosen, quality, Path(a)), 1, scene_line)
            video = sum(d for _, d in results.values() if d)
            totals["serial"] = serial
            report.line(f"{'total (one after another)':28} {video:8.1f} {serial:9.1f} {serial / video:6.2f}")
            history = (Path(a),)  # the times just measured
        parallel_tasks = arm_tasks(arm, chosen, quality, Path(b), history)
        parallel, results_p = timed_render(parallel_tasks, jobs, lambda *_: None)
        video = sum(d for _, d in results_p.values() if d)
    failed = sorted({s for res in (results, results_p) for s, (o, _) in res.items() if not o.ok})
    totals |= {"parallel": parallel, "video": video}
    report.line(f"{'total (' + str(jobs) + ' jobs)':28} {video:8.1f} {parallel:9.1f} {parallel / video:6.2f}")
    report.line("```")
    order = "longest first" if arm.longest_first and (serial_run or history) else "catalogue order"
    report.line(f"\n{jobs} jobs started in {order}: {', '.join(t.scene for t in parallel_tasks[:3])}, …")
    if serial_run:
        report.line(f"\nparallel speed-up: **{totals['serial'] / parallel:.2f}×** on {jobs} processes"
                    + (f"; failed: {', '.join(failed)}" if failed else ""))
    elif failed:
        report.line(f"\nfailed: {', '.join(failed)}")
    return totals


@contextlib.contextmanager
def worktree(rev: str):
    folder = Path(tempfile.mkdtemp(prefix="bench-render-rev-"))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev],
                   check=True, capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], capture_output=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-q", "--quality", nargs="+", default=["l", "h"], choices=list(r.QUALITIES))
    parser.add_argument("--scenes", nargs="*", help="scene names (default: the whole course)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, help="also write the tables to this Markdown file, line by line")
    parser.add_argument("--rev", help="also measure this git revision, before this tree (see above)")
    parser.add_argument("--skip-serial", action="store_true",
                        help="only the parallel run (no per-scene figures, about half the time)")
    parser.add_argument("--history", type=Path, nargs="*", default=[ROOT / "media"],
                        help="with --skip-serial: media folders whose Scene.json times order the parallel run")
    args = parser.parse_args()
    chosen = [(l, e) for l, e in all_scenes() if not args.scenes or e.name in args.scenes]
    report = Report(args.out)
    report.line(f"# Course render benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    report.line(f"\n{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
                f"render s = manim + faststart remux + poster + captions, from a cold cache; this tree at {head}"
                + (" with uncommitted changes" if subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "HEAD"]
                                                                 ).returncode else "") + ".")
    with contextlib.ExitStack() as stack:
        kept = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        arms = [Arm("", ROOT)]
        if args.rev:
            arms = [Arm(f"before ({args.rev}, catalogue order)", stack.enter_context(worktree(args.rev)), False),
                    Arm(f"after ({head}, longest first)", ROOT)]
        summary = []
        for quality in args.quality:
            for n, arm in enumerate(arms):
                # without a serial run, the arm after the first is ordered by the first arm's times
                history = (kept / "0",) if n and args.skip_serial else tuple(args.history)
                totals = bench_quality(chosen, quality, args.jobs, arm, report, not args.skip_serial,
                                       history, keep=kept / str(n) if args.skip_serial else None)
                summary.append((r.QUALITIES[quality], arm.name, totals))
    if len(arms) > 1:
        report.line("\n## Summary\n")
        report.line("| quality | arm | video s | one after another s (RTF) | "
                    f"{args.jobs} jobs s (RTF) |\n|---|---|---|---|---|")
        for quality, name, t in summary:
            serial = f"{t['serial']:.0f} ({t['serial'] / t['video']:.2f})" if "serial" in t else "–"
            report.line(f"| {quality} | {name} | {t['video']:.0f} | {serial} | "
                        f"{t['parallel']:.0f} ({t['parallel'] / t['video']:.2f}) |")


if __name__ == "__main__":
    main()
