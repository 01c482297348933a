"""Frames into the video file with less work per frame, and the same bytes as manim's own encoder.

manim 0.22 hands every frame to a ``VideoSegmentEncoder`` as an RGBA array. For each frame — and
for every repeat of a still frame (a ``wait`` is one frame repeated) — the stock encoder copies the
array into a new video frame and converts it to the codec's yuv420p again: at 1080p that is ~5 ms of
CPU per frame before x264 sees it, a third of an empty scene's cost. :class:`FrameEncoder` wraps the
array without copying it (the writer owns it) and converts it once, with the very conversion the
codec would apply (same scaler, flags and threads), then encodes that one picture for every repeat
(and again when the very same array is sent again): the packets are byte for byte the same (``tests/test_encoding.py``). ``bench/bench_floor.py`` measures
the floor with and without it.

Every lesson scene writes through :class:`FrameWriter` (``scenes/kit/lesson.py``).
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
from av.video.reformatter import VideoReformatter
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

__all__ = ["FrameEncoder", "FrameWriter"]


class FrameEncoder(VideoSegmentEncoder):
    """A segment encoder that converts each distinct frame once, repeats included, without a copy."""

    def __init__(self, *, target: Path, spec) -> None:
        super().__init__(target=target, spec=spec)
        self._reformatter = VideoReformatter()
        self._time_base = Fraction(spec.frame_rate.denominator, spec.frame_rate.numerator)
        self._last = (None, None)  # the last array sent and its conversion

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        try:
            context = self._stream.codec_context
            if pixels is self._last[0]:  # the same frame sent again (scenes.kit.redraw: nothing changed)
                frame = self._last[1]
            else:  # what the codec's own _prepare_frames_for_encode does, once instead of once per repeat
                frame = self._reformatter.reformat(av.VideoFrame.from_numpy_buffer(pixels, format="rgba"),
                                                   context.width, context.height, context.format,
                                                   threads=context.thread_count)
                self._last = (pixels, frame)
            frame.time_base = self._time_base
            for _ in range(repeat):
                frame.pts = self._next_pts  # the codec keeps its own reference to what it was sent
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class FrameWriter(SceneFileWriter):
    """manim's file writer, encoding its segments with :class:`FrameEncoder`."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            raise RuntimeError("Video segment encoding requires resolved settings.")
        return FrameEncoder(target=target, spec=self.video_encoder)
