"""An empty lesson scene for the benchmarks: the course background and nothing else, every frame drawn.

The floor any scene pays per frame (manim's frame copies, the encoder); ``bench/bench_scenes.py``
renders it beside the scenes it measures, the same way. Not in the catalogue.
"""
from manim import Mobject

from scenes.kit.lesson import LessonScene


class EmptyScene(LessonScene):
    """45 s of background; an updater that changes nothing makes manim draw every frame."""

    SECONDS = 45.0

    def construct(self):
        self.add(Mobject().add_updater(lambda m, dt: None))
        self.wait(self.SECONDS)
