"""The labs in course order: one per step of the course, each with the clips it practises.

The course page, the notebooks' builder, the grader and the tests all read this one list. Its words are
marked ``N_`` and translated where shown.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from labs.check import Exercise
from scenes.kit.i18n import N_

ROOM = Path(__file__).resolve().parent
MASTERS = ROOM / "masters"


@dataclass(frozen=True)
class Practises:
    """A clip a lab practises: the scene, its lesson page, and the beat to watch."""

    scene: str
    lesson: str
    beat: str


@dataclass(frozen=True)
class LabEntry:
    slug: str                  # the module under labs/ with the exercises; the master is masters/<number>-<slug>.py
    number: int
    title: str
    step: int                  # the roadmap's step (1–4) it belongs to
    practises: str             # one line for the course page
    clips: tuple[Practises, ...]

    @property
    def lesson(self) -> str:
        """The lesson whose page lists this lab: the one of the first clip it practises."""
        return self.clips[0].lesson

    @property
    def master(self) -> Path:
        return MASTERS / f"{self.number}-{self.slug}.py"

    @property
    def notebook(self) -> str:
        """The learner's file name."""
        return f"lab{self.number}-{self.slug}.ipynb"

    def exercises(self) -> tuple[Exercise, ...]:
        return importlib.import_module(f"labs.{self.slug}").EXERCISES


LABS: tuple[LabEntry, ...] = (
    LabEntry("nudges", 1, N_("Lab 1 — A derivative by nudging"), 1,
             N_("Write forward and central differences, measure their error as h shrinks, and find the best h."),
             (Practises("FiniteDifferenceError", "nudges", N_("The round-off wall")),
              Practises("SecantToTangent", "nudges", N_("Shrink the nudge")))),
    LabEntry("sandpit", 2, N_("Lab 2 — The sandpit"), 2,
             N_("Find the deepest point of a hidden landscape by probing it, then write gradient descent and "
                "Newton–Raphson and watch the learning-rate regimes happen."),
             (Practises("HikerInTheDark", "descent", N_("Step by step")),
              Practises("LearningRateRegimes", "descent", N_("The largest safe step")),
              Practises("NewtonRaphson", "gradients", N_("Slide down the tangent")))),
    LabEntry("backprop", 3, N_("Lab 3 — Backpropagation"), 3,
             N_("Write the forward pass, the cost and every weight's gradient by the chain rule, check them "
                "against finite differences, and train the network you watched being trained."),
             (Practises("Backpropagation", "network", N_("The slope of every weight")),
              Practises("TrainingTheNetwork", "network", N_("One step")))),
    LabEntry("fitting", 4, N_("Lab 4 — Fitting real data"), 4,
             N_("The final project: χ² of a bell against Galton's heights, its gradient, steepest descent and "
                "Gauss–Newton, then the Keeling curve."),
             (Practises("HeightsGaussianFit", "fitting", N_("Walk downhill")),
              Practises("SteepestDescentVsGaussNewton", "fitting", N_("Gauss–Newton")),
              Practises("KeelingCurveFit", "fitting", N_("The answer")))),
)


def lab_entry(slug: str) -> LabEntry:
    for entry in LABS:
        if entry.slug == slug:
            return entry
    raise KeyError(f"no lab {slug!r}; the labs are: {', '.join(e.slug for e in LABS)}")
