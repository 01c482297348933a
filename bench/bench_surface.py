"""Stock ``Surface`` against ``LandscapeSurface`` under an orbiting camera, in one run, same mesh.

    .venv/bin/python bench/bench_surface.py              # 480p15 and 1080p60, 60 frames each
    .venv/bin/python bench/bench_surface.py --quick      # 16 frames each
    .venv/bin/python bench/bench_surface.py -q l --frames 30 --resolution 48 --path

Each variant renders the same shot — the "mountains" landscape as a resolution² mesh,
viridis by height, thin mesh lines, ambient camera rotation — for N frames to a real mp4
(encoding included) in a fresh media folder. Printed per quality: frames/s of the orbit
(wall clock, the number a course author waits on), the CPU milliseconds per frame of this
process (less sensitive to other jobs on the machine; manim encodes in a thread of this
process, so encoding is included), the setup time (building the mesh), and the speed-up.
An empty scene (same orbit, nothing drawn) gives manim's own cost per frame — mostly H.264
encoding at 1080p — which caps the speed-up any surface can show end to end;
``--render-only`` skips encoding to compare the renderers alone.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from manim import DEGREES, Dot, ThreeDScene, VGroup, VMobject, tempconfig  # noqa: E402
from manim.camera.three_d_camera import ThreeDCamera  # noqa: E402

from calcviz.landscapes import landscape  # noqa: E402
from calcviz.optimizers import minimize  # noqa: E402
from scenes.kit.surface import (  # noqa: E402
    LandscapeCamera, LandscapeSurface, landscape_axes, stock_surface, surface_path, surface_polyline,
)
from scenes.kit.style import BACKGROUND, STEP

QUALITIES = {"l": ("low_quality", "480p15"), "m": ("medium_quality", "720p30"),
             "h": ("high_quality", "1080p60")}
LAND = "mountains"


def orbit_scene(fast: bool | None, resolution: int, frames: int, path: bool, timings: dict):
    """A ThreeDScene class rendering ``frames`` frames of an orbit around one surface (none if ``fast`` is None:
    what manim itself costs per frame, the floor for any surface)."""

    class Orbit(ThreeDScene):
        def __init__(self, **kwargs):
            super().__init__(camera_class=LandscapeCamera if fast else ThreeDCamera, **kwargs)

        def construct(self):
            start = time.perf_counter()
            land = landscape(LAND)
            axes = landscape_axes(land)  # coordinates only: neither variant draws the axes
            extras = []
            if fast is None:
                surface = VMobject()
            else:
                surface = (LandscapeSurface if fast else stock_surface)(axes, land, resolution)
            if path and fast is not None:
                points = minimize(land, "gradient_descent", steps=40, lr=0.3).points
                if fast:
                    extras = [surface_path(surface, points),
                              *[surface.attach(Dot(p, radius=0.05, color=STEP)) for p in surface.lift(points)]]
                else:  # the stock way: a plain polyline and dots, no occlusion by the surface
                    line = VMobject(stroke_color=STEP, stroke_width=4)
                    line.set_points_as_corners(surface_polyline(LandscapeSurface(axes, land, resolution), points))
                    extras = [line, VGroup(*[Dot(axes.c2p(x, y, land.f(x, y)), radius=0.05, color=STEP)
                                             for x, y in points])]
            timings["setup"] = time.perf_counter() - start
            self.set_camera_orientation(phi=65 * DEGREES, theta=-60 * DEGREES)
            self.add(surface, *extras)
            self.begin_ambient_camera_rotation(rate=0.4)
            wall, cpu = time.perf_counter(), time.process_time()
            self.wait(frames / self.camera.frame_rate)
            timings["wall"] = time.perf_counter() - wall
            timings["cpu"] = time.process_time() - cpu

    Orbit.__name__ = {None: "EmptyOrbit", False: "StockOrbit", True: "FastOrbit"}[fast]
    return Orbit


def measure(quality: str, fast: bool | None, resolution: int, frames: int, path: bool, encode: bool) -> dict:
    timings: dict = {}
    with tempfile.TemporaryDirectory() as media, tempconfig(
            {"media_dir": media, "quality": QUALITIES[quality][0], "disable_caching": True,
             "background_color": BACKGROUND, "save_sections": False, "verbosity": "WARNING",
             "progress_bar": "none", "format": "mp4" if encode else "none"}):
        scene = orbit_scene(fast, resolution, frames, path, timings)()
        scene.render()
        assert not encode or list(Path(media).rglob("*.mp4")), "no video was written"
    timings["frames"] = frames
    return timings


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-q", "--quality", nargs="+", default=["l", "h"], choices=list(QUALITIES))
    parser.add_argument("--frames", type=int, help="frames per render (default 60, or 16 with --quick)")
    parser.add_argument("--resolution", type=int, default=32, help="faces per side of the mesh (default 32)")
    parser.add_argument("--path", action="store_true", help="also draw a descent path and footprints")
    parser.add_argument("--quick", action="store_true", help="16 frames per render")
    parser.add_argument("--render-only", action="store_true",
                        help="no video file (--format none): the renderers alone, without H.264 encoding")
    args = parser.parse_args(argv)
    frames = args.frames or (16 if args.quick else 60)
    encode = not args.render_only
    print(f"{LAND} landscape, {args.resolution}x{args.resolution} faces, orbiting camera, {frames} frames per render"
          + (", with a descent path" if args.path else "")
          + (", mp4 encoding included" if encode else ", no encoding (render only)"))
    print(f"{'quality':9} {'surface':16} {'setup s':>8} {'frames/s':>9} {'cpu ms/frame':>13}")
    results = {}
    for q in args.quality:
        label = QUALITIES[q][1]
        stock = measure(q, False, args.resolution, frames, args.path, encode)
        fast = measure(q, True, args.resolution, frames, args.path, encode)
        empty = measure(q, None, args.resolution, frames, False, encode)
        for name, t in (("Surface (stock)", stock), ("LandscapeSurface", fast), ("(empty scene)", empty)):
            print(f"{label:9} {name:16} {t['setup']:8.2f} {t['frames'] / t['wall']:9.2f} "
                  f"{1000 * t['cpu'] / t['frames']:13.1f}")
        ratio = stock["wall"] / fast["wall"]
        cpu_ratio = stock["cpu"] / fast["cpu"]
        results[label] = ratio
        print(f"{label:9} speed-up: {ratio:.1f}x frames/s (wall clock), {cpu_ratio:.1f}x CPU per frame; "
              f"an empty scene caps any surface at {stock['wall'] / empty['wall']:.0f}x")
    return results


if __name__ == "__main__":
    main()
