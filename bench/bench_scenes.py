"""CPU milliseconds per frame of single scenes, and their ratio to an empty scene's, rendered the same way.

    .venv/bin/python bench/bench_scenes.py TrainingTheNetwork HikerInTheDark          # 1080p60, this tree
    .venv/bin/python bench/bench_scenes.py --rev 3715c51 TrainingTheNetwork           # at a git revision
    .venv/bin/python bench/bench_scenes.py -q l --jobs 2 --out /tmp/scenes.md KeelingCurveFit

Each scene is rendered by the manim CLI in a process of its own, as ``calcviz render`` does it
(``--disable_caching``, the narration left to publishing), into a fresh media folder; the figure is
that process's CPU time (user + sys, every thread: manim draws in one and encodes in others) divided
by the frames of the video it wrote. CPU time rather than wall time, so that other work on the
machine (even a second render, ``--jobs 2``) does not change the figures much. The floor is
``bench/empty_scene.py`` (background only, every frame drawn) rendered the same way.

``--rev`` measures a git revision from a temporary worktree (removed afterwards), with this
checkout's virtualenv; spoken lines come from this checkout's voice cache either way.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

QUALITY_NAMES = {"l": "480p15", "m": "720p30", "h": "1080p60"}
FLOOR = "EmptyScene"


def scene_files(tree: Path) -> dict[str, str]:
    """Scene name → its module file, relative to the tree, from that tree's own catalogue."""
    listing = subprocess.run(
        [sys.executable, "-c", "from scenes.catalogue import all_scenes\n"
         "for lesson, entry in all_scenes(): print(entry.name, lesson.path)"],
        cwd=tree, check=True, capture_output=True, text=True).stdout
    files = {name: str(Path(path).resolve().relative_to(tree.resolve()))
             for name, path in (line.split(" ", 1) for line in listing.splitlines())}
    return files | {FLOOR: "bench/empty_scene.py"}


def frame_count(video: Path) -> int:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                          "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", str(video)],
                         check=True, capture_output=True, text=True).stdout
    return int(out.strip())


def measure(tree: Path, module: str, scene: str, quality: str) -> dict:
    """Render one scene in a child process; its CPU seconds, wall seconds and frames."""
    with tempfile.TemporaryDirectory(prefix="bench-scene-") as media:
        env = os.environ | {"CALCVIZ_MIX": "publish",  # as calcviz render: manim mixes no sound
                            "CALCVIZ_VOICE_CACHE": os.environ.get("CALCVIZ_VOICE_CACHE", str(ROOT / "media" / "voice"))}
        cmd = [sys.executable, "-m", "manim", "render", f"-q{quality}", "--disable_caching",
               "--media_dir", media, module, scene]
        wall = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - wall
        errors = process.stderr.read().decode(errors="replace")
        process.stderr.close()
        if status != 0:
            raise RuntimeError(f"{scene} failed: {errors.strip().splitlines()[-1:]}")
        [video] = [p for p in Path(media).rglob(f"{scene}.mp4") if "partial_movie_files" not in p.parts]
        frames = frame_count(video)
    return {"scene": scene, "cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "frames": frames}


@contextlib.contextmanager
def source_tree(rev: str | None):
    """This checkout, or a temporary worktree of ``rev``."""
    if rev is None:
        yield ROOT
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-rev-"))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev],
                   check=True, capture_output=True)
    try:
        # the floor scene may be newer than the revision: measure it from this checkout's copy
        (folder / "bench").mkdir(exist_ok=True)
        if not (folder / "bench" / "empty_scene.py").exists():
            (folder / "bench" / "empty_scene.py").write_text((ROOT / "bench" / "empty_scene.py").read_text())
        yield folder
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], capture_output=True)


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenes", nargs="+", help="scene names from the catalogue")
    parser.add_argument("-q", "--quality", default="h", choices=list(QUALITY_NAMES))
    parser.add_argument("--rev", help="measure this git revision (a temporary worktree) instead of this tree")
    parser.add_argument("--jobs", type=int, default=1, help="renders at once (CPU figures barely change)")
    parser.add_argument("--out", type=Path, help="also append the table to this Markdown file")
    args = parser.parse_args(argv)
    with source_tree(args.rev) as tree:
        files = scene_files(tree)
        unknown = [s for s in args.scenes if s not in files]
        if unknown:
            parser.error(f"unknown scene {unknown[0]!r}")
        names = [FLOOR, *[s for s in args.scenes if s != FLOOR]]
        def one(scene):
            r = measure(tree, files[scene], scene, args.quality)
            print(f"  {scene}: {r['frames']} frames, {r['cpu']:.1f} CPU s, {r['wall']:.1f} s", flush=True)
            return r
        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(one, names))
    floor = results[0]["cpu"] / results[0]["frames"]
    revision = args.rev or "working tree"
    lines = [f"{QUALITY_NAMES[args.quality]}, {revision}, {args.jobs} render(s) at once; CPU ms per frame "
             f"(user+sys of the manim process / frames of its video)", "",
             f"| scene | frames | CPU s | wall s | CPU ms/frame | × floor |", "|---|---|---|---|---|---|"]
    for r in results:
        ms = 1000 * r["cpu"] / r["frames"]
        lines.append(f"| {r['scene']} | {r['frames']} | {r['cpu']:.1f} | {r['wall']:.1f} | {ms:.1f} | "
                     f"{ms / (1000 * floor):.2f} |")
    print("\n".join(lines))
    if args.out:
        with args.out.open("a") as f:
            f.write("\n".join(lines) + "\n\n")
    return results


if __name__ == "__main__":
    main()
