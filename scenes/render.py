"""Render the course: every scene of the catalogue, in parallel, failures isolated.

    calcviz render                  # the whole course at medium quality (720p30)
    calcviz render nudges           # one lesson
    calcviz render SecantToTangent  # chosen scenes
    calcviz render -q h             # manim's quality presets: l m h p k
    calcviz list                    # lessons and scenes, in order
    calcviz check [Scene ...]       # the quality gate
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from scenes.catalogue import LESSONS, ROOT, all_scenes

QUALITIES = {"l": "-ql", "m": "-qm", "h": "-qh", "p": "-qp", "k": "-qk"}


def select(names: list[str]):
    chosen = all_scenes()
    if not names:
        return chosen
    known = {lesson.slug for lesson in LESSONS} | {entry.name for _, entry in chosen}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"calcviz: unknown lesson or scene {unknown[0]!r}; see `calcviz list`")
    return [(lesson, entry) for lesson, entry in chosen if lesson.slug in names or entry.name in names]


def render_one(slug: str, scene: str, quality: str, logs: Path) -> tuple[str, bool, float, Path]:
    log = logs / f"{scene}.log"
    start = time.perf_counter()
    with log.open("w") as out:
        done = subprocess.run([sys.executable, "-m", "manim", "render", QUALITIES[quality], "--save_sections",
                               f"scenes/{slug}.py", scene], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    return scene, done.returncode == 0, time.perf_counter() - start, log


def render(names: list[str], quality: str, jobs: int) -> int:
    chosen = select(names)
    logs = ROOT / "media" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    failed = []
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(render_one, lesson.slug, entry.name, quality, logs) for lesson, entry in chosen]
        for n, future in enumerate(as_completed(futures), 1):
            scene, ok, seconds, log = future.result()
            print(f"[{n}/{len(chosen)}] {'done  ' if ok else 'FAILED'} {scene} ({seconds:.1f} s)"
                  + ("" if ok else f" — log: {log.relative_to(ROOT)}"), flush=True)
            if not ok:
                failed.append(scene)
    print(f"rendered {len(chosen) - len(failed)} of {len(chosen)} scenes in {time.perf_counter() - start:.0f} s"
          f" into {ROOT / 'media' / 'videos'}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="calcviz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render", help="render lessons or scenes (default: the whole course)")
    r.add_argument("names", nargs="*", help="lesson slugs or scene names")
    r.add_argument("-q", "--quality", choices=QUALITIES, default="m")
    r.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    sub.add_parser("list", help="list lessons and scenes in course order")
    c = sub.add_parser("check", help="run the quality gate")
    c.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    if args.command == "list":
        for lesson in LESSONS:
            print(f"{lesson.step}. {lesson.title}  (scenes/{lesson.slug}.py)")
            for entry in lesson.scenes:
                print(f"     {entry.name:24} {entry.teaches}")
        return 0
    if args.command == "check":
        from scenes.quality import main as gate
        return gate(args.names)
    return render(args.names, args.quality, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
