"""Render scenes in-process, small and fast, and read their frames back."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from manim import tempconfig

# LaTeX output is keyed by content, so a cache can be reused, but not shared between processes
# compiling the same formula at the same moment (pytest-xdist workers).
TEX_CACHE = Path(tempfile.gettempdir()) / f"calcviz-test-tex-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def render(scene_cls, media_dir: Path, width=256, height=144, fps=5, settings=None, last_frame=False):
    """Render ``scene_cls``; returns (scene object, path of the mp4 or png)."""
    options = {"media_dir": str(media_dir), "pixel_width": width, "pixel_height": height,
               "frame_rate": fps, "disable_caching": True, "tex_dir": str(TEX_CACHE),
               "save_sections": not last_frame, "progress_bar": "none"}
    if last_frame:
        options |= {"save_last_frame": True, "format": "png"}
    with tempconfig(options):
        scene = scene_cls(settings=settings) if settings else scene_cls()
        scene.render()
    pattern = "*.png" if last_frame else f"{scene_cls.__name__}.mp4"
    [out] = [p for p in Path(media_dir).rglob(pattern) if "partial" not in str(p) and "sections" not in str(p)]
    return scene, out


def frames(video: Path) -> np.ndarray:
    """Every frame of a video as (n, height, width, 3) uint8."""
    info = probe(video)
    w, h = info["width"], info["height"]
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)


def probe(video: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height,codec_name,pix_fmt:format=duration", "-of", "json", str(video)],
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    return data["streams"][0] | {"duration": float(data["format"]["duration"])}


def is_blank(frame: np.ndarray) -> bool:
    """Nothing but background: every pixel within a few levels of the frame's median colour."""
    return bool(np.abs(frame.astype(int) - np.median(frame.reshape(-1, 3), axis=0)).max() < 8)
