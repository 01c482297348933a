"""Where an empty scene's cost per frame goes: manim's own floor, which every scene pays.

    .venv/bin/python bench/bench_floor.py                 # 1080p60, 240 frames per variant
    .venv/bin/python bench/bench_floor.py -q l h --frames 120
    .venv/bin/python bench/bench_floor.py --option threads=1 --option preset=ultrafast

Each variant renders an empty 2-D scene (the course background, nothing drawn) in this process
and reports CPU milliseconds per frame of this process (user + sys, every thread: manim encodes
in threads of this process), from the first frame to the finished mp4 — so the figure does not
depend on what else the machine is doing, as wall time would. Variants:

- ``moving``: an updater that changes nothing, so every frame is drawn (background copy, frame
  copy, hand-over to the encoder): the cost of an animated frame with nothing on it;
- ``still``:  a plain wait, which manim treats as one frozen frame repeated;
- ``moving, no video``: ``--format none`` — the frames are made but not encoded: what is left of
  ``moving`` is the encoder's share (RGBA → yuv420p conversion and x264).

``manim`` rows encode with manim's own segment encoder, ``kit`` rows with the lessons' ``FrameWriter``
(``scenes/kit/encoding.py``: no copy of the frame, a still frame converted to yuv420p once).

x264 options come from ``manim.cfg`` (``[video_encoder.options]``), as for every render; each
``--option key=value`` is one more row with that option changed.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from manim import Mobject, Scene, config, tempconfig  # noqa: E402

from scenes.kit.encoding import FrameWriter  # noqa: E402
from scenes.kit.style import BACKGROUND  # noqa: E402

QUALITIES = {"l": "low_quality", "m": "medium_quality", "h": "high_quality"}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def empty_scene(moving: bool, seconds: float, kit: bool):
    class Empty(Scene):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if kit:  # as scenes/kit/lesson.py does it
                self.renderer._file_writer_class = FrameWriter
                self.renderer.init_scene(self, self.session_spec, self.file_writer_settings)

        def construct(self):
            if moving:  # an updater: manim draws every frame instead of freezing one
                self.add(Mobject().add_updater(lambda m, dt: None))
            self.wait(seconds)
    return Empty


def measure(quality: str, moving: bool, frames: int, encode: bool, options: dict[str, str], kit: bool) -> float:
    """CPU ms per frame of rendering ``frames`` frames of an empty scene."""
    with tempfile.TemporaryDirectory() as media:
        settings = {"media_dir": media, "quality": QUALITIES[quality], "disable_caching": True,
                    "background_color": BACKGROUND, "verbosity": "WARNING", "progress_bar": "none",
                    "format": "mp4" if encode else "none"}
        with tempconfig(settings):
            config.video_encoder_options = {**dict(config.video_encoder_options), **options}
            scene = empty_scene(moving, frames / config.frame_rate, kit)()
            start = cpu_seconds()
            scene.render()
            spent = cpu_seconds() - start
            assert not encode or list(Path(media).rglob("*.mp4")), "no video was written"
    return 1000 * spent / frames


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-q", "--quality", nargs="+", default=["h"], choices=list(QUALITIES))
    parser.add_argument("--frames", type=int, default=240)
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                        help="one more row with this x264 option changed (repeatable)")
    args = parser.parse_args(argv)
    with tempconfig({}):
        base = dict(config.video_encoder_options)
    print(f"empty 2-D scene, {args.frames} frames per variant; CPU ms per frame (user+sys, all threads); "
          f"x264 options from manim.cfg: {base}")
    print(f"{'quality':8} {'variant':34} {'cpu ms/frame':>13}")
    results = {}
    for q in args.quality:
        label = QUALITIES[q]
        rows = [("moving, manim", True, True, {}, False), ("moving, kit", True, True, {}, True),
                ("still, manim", False, True, {}, False), ("still, kit", False, True, {}, True),
                ("moving, no video", True, False, {}, True)]
        rows += [(f"moving, kit, {o}", True, True, dict([o.split("=", 1)]), True) for o in args.option]
        for name, moving, encode, options, kit in rows:
            ms = measure(q, moving, args.frames, encode, options, kit)
            results[(q, name)] = ms
            print(f"{label:8} {name:34} {ms:13.1f}", flush=True)
    return results


if __name__ == "__main__":
    main()
