"""Do two versions of a scene draw the same frames? Every frame compared, not just the last.

    .venv/bin/python bench/same_frames.py --rev HEAD~3 TrainingTheNetwork KeelingCurveFit
    .venv/bin/python bench/same_frames.py --rev 3715c51 -q m --every 4 HikerInTheDark
    .venv/bin/python bench/same_frames.py --before-env CALCVIZ_REDRAW=manim --keep /tmp/worst KeelingCurveFit

Renders each scene twice as a PNG sequence (silent, so both have the same timing): from a
temporary worktree of ``--rev`` and from this tree, then compares them frame by frame: how many
frames differ at all, the largest difference of one channel, and the worst frame's share of
pixels that moved by more than 24 levels — the golden-frame tests' measure (tests/test_scene_details.py,
0.2 % allowed): antialiasing noise stays below 24, a changed colour or shape does not.
A speed-up that changes how something is drawn must leave that share at about zero.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.bench_scenes import QUALITY_NAMES, scene_files, source_tree  # noqa: E402

LEVELS = 24


def render_frames(tree: Path, module: str, scene: str, quality: str, out: Path, extra_env=None) -> list[Path]:
    env = os.environ | {"CALCVIZ_VOICE": "none"} | (extra_env or {})
    done = subprocess.run([sys.executable, "-m", "manim", "render", f"-q{quality}", "--disable_caching",
                           "--format", "png-sequence", "--media_dir", str(out), module, scene],
                          cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{scene} failed in {tree}:\n" + "\n".join(done.stderr.strip().splitlines()[-5:]))
    found = sorted(out.rglob(f"images/*/{scene}/*.png"))
    if not found:
        raise SystemExit(f"{scene}: no frames found under {out}")
    return found


def compare(a: list[Path], b: list[Path], every: int = 1) -> dict:
    result = {"frames": (len(a), len(b)), "differ": 0, "max": 0, "worst": 0.0, "worst_at": None}
    for i, (pa, pb) in enumerate(zip(a[::every], b[::every])):
        x = np.asarray(Image.open(pa).convert("RGB"), dtype=np.int16)
        y = np.asarray(Image.open(pb).convert("RGB"), dtype=np.int16)
        if x.shape != y.shape:
            result["differ"] += 1
            result["worst"], result["worst_at"] = 1.0, i * every
            continue
        d = np.abs(x - y).max(axis=2)
        if d.any():
            result["differ"] += 1
            result["max"] = max(result["max"], int(d.max()))
            share = float((d > LEVELS).mean())
            if share >= result["worst"]:
                result["worst"], result["worst_at"] = share, i * every
    return result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenes", nargs="+")
    parser.add_argument("--rev", help="the git revision to compare this tree with (default: this tree)")
    parser.add_argument("--before-env", action="append", default=[], metavar="KEY=VALUE",
                        help="set for the first render only, e.g. CALCVIZ_REDRAW=manim (manim's own layers)")
    parser.add_argument("--keep", type=Path, help="save the worst frame of each version here")
    parser.add_argument("-q", "--quality", default="l", choices=list(QUALITY_NAMES))
    parser.add_argument("--every", type=int, default=1, help="compare every n-th frame")
    args = parser.parse_args(argv)
    results = {}
    before_env = dict(e.split("=", 1) for e in args.before_env)
    with source_tree(args.rev) as before, tempfile.TemporaryDirectory(prefix="same-frames-") as tmp:
        old_files, new_files = scene_files(before), scene_files(ROOT)
        for scene in args.scenes:
            a = render_frames(before, old_files[scene], scene, args.quality, Path(tmp) / "a" / scene, before_env)
            b = render_frames(ROOT, new_files[scene], scene, args.quality, Path(tmp) / "b" / scene)
            r = results[scene] = compare(a, b, args.every)
            if args.keep and r["worst_at"] is not None:
                args.keep.mkdir(parents=True, exist_ok=True)
                for name, frames in (("before", a), ("after", b)):
                    shutil.copy(frames[r["worst_at"]], args.keep / f"{scene}-{name}.png")
            print(f"{scene}: frames {r['frames'][0]} / {r['frames'][1]}, {r['differ']} compared frames differ, "
                  f"largest channel difference {r['max']}, worst frame {r['worst_at']}: "
                  f"{r['worst']:.3%} of pixels moved > {LEVELS} levels", flush=True)
    return results


if __name__ == "__main__":
    main()
