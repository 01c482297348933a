"""The course in order: every lesson and its scenes.

Tests, the batch renderer and the course page all read this one list, so a scene
that is not here is not part of the course.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SceneEntry:
    name: str       # the Scene class
    teaches: str    # one line for the course page and the README


@dataclass(frozen=True)
class Lesson:
    slug: str       # module name under scenes/
    title: str
    step: int       # 0 = introduction, 1–4 = the four steps of the roadmap
    summary: str
    scenes: tuple[SceneEntry, ...]

    @property
    def module(self) -> str:
        return f"scenes.{self.slug}"

    @property
    def path(self) -> Path:
        return ROOT / "scenes" / f"{self.slug}.py"


LESSONS: tuple[Lesson, ...] = (
    Lesson("intro", "The course at a glance", 0,
           "A map, a compass and hiking boots: the four steps of the course.",
           (SceneEntry("CourseRoadmap", "The four steps: nudges, mountains in the dark, "
                                        "the guts of a neural network, fitting real data."),)),
    Lesson("nudges", "Nudges: the derivative", 1,
           "The derivative is what a tiny nudge dx does to f: rise over run as the run shrinks.",
           (SceneEntry("SecantToTangent", "Secants through x and x+dx turn into the tangent as dx shrinks."),
            SceneEntry("DerivativeAsFunction", "Sliding the tangent along f traces the slope f'(x) as a new function."),
            SceneEntry("SumAndPowerRules", "Nudges add for a sum; the square x² grows by 2x·dx plus a vanishing dx²."),
            SceneEntry("ProductRuleArea", "The rectangle f·g grows by strips f·dg and g·df; the corner df·dg vanishes."),
            SceneEntry("ChainRuleNudges", "A nudge passes through composed functions: the rates multiply."),
            SceneEntry("FiniteDifferenceError", "Forward and central differences: error slopes 1 and 2, "
                                                "the round-off wall, the best h."))),
    Lesson("gradients", "Gradients: the compass", 2,
           "Partial derivatives, the gradient as the compass of steepest ascent, the Jacobian, the Hessian, "
           "Taylor and Newton–Raphson.",
           (SceneEntry("PartialDerivativeSlices", "Slicing a surface along x and along y: the slopes of the "
                                                  "slices are the partial derivatives."),
            SceneEntry("GradientCompass", "Turning a compass needle: the slope ∇f·u is largest along ∇f and zero "
                                          "along the contour."),
            SceneEntry("JacobianLocalLinearity", "Zoom in on a warp of the plane and it becomes the linear map J; "
                                                 "areas scale by det J."),
            SceneEntry("HessianCurvature", "Minimum, maximum, saddle: the Hessian's eigenvalues and eigenvectors "
                                           "tell them apart."),
            SceneEntry("TaylorApproximation", "Taylor polynomials build up term by term; a quadratic hugs a "
                                              "landscape near a point."),
            SceneEntry("NewtonRaphson", "Follow the tangent to the axis: Newton–Raphson's iterates, and a start "
                                        "where it fails."))),
    Lesson("descent", "Descending the landscape", 2,
           "In the dark you only feel the slope: gradient descent and its cousins, learning rates, constraints.",
           (SceneEntry("HikerInTheDark", "A hiker who only feels the local slope steps downhill on an orbiting "
                                         "landscape, its shadow on the contour map."),
            SceneEntry("LearningRateRegimes", "Too small, just right, zig-zagging, diverging: four learning rates "
                                              "on one valley."),
            SceneEntry("OptimizerRace", "Gradient descent, momentum, Nesterov, RMSProp, Adam and Newton race "
                                        "down Rosenbrock's valley."),
            SceneEntry("LagrangeMultipliers", "Walking a constraint curve: at the optimum ∇f and ∇g line up, "
                                              "∇f = λ∇g."))),
    Lesson("network", "The guts of a neural network", 3,
           "A network is nested functions; backpropagation is the chain rule; training is descending a valley.",
           (SceneEntry("NeuronAsFunction", "One neuron: a weighted sum, an activation, a function of the input plane."),
            SceneEntry("ForwardPass", "Activations light up layer by layer, every value from the network's forward pass."),
            SceneEntry("Backpropagation", "The error flows back along the edges: each dC/dw is the chain rule, δ·a."),
            SceneEntry("TrainingTheNetwork", "The training loop runs line by line; the decision boundary, the "
                                             "weights and the loss change with it."),
            SceneEntry("LossLandscapeSlice", "A 2-D window onto the loss in many dimensions: training walks down "
                                             "into the valley."))),
    Lesson("fitting", "Fitting real data", 4,
           "Linear algebra holds the data, calculus finds the best fit: the parameter landscape and the data, "
           "side by side.",
           (SceneEntry("HeightsGaussianFit", "Steepest descent on χ²(μ, σ) while the bell settles onto "
                                             "Galton's heights."),
            SceneEntry("KeelingCurveFit", "Levenberg–Marquardt fits growth and seasons to the Mauna Loa CO₂ "
                                          "record; the residuals shrink."),
            SceneEntry("SteepestDescentVsGaussNewton", "Slope alone against slope and curvature on the same "
                                                       "χ² landscape: 62 steps or 10."))),
)


def all_scenes() -> list[tuple[Lesson, SceneEntry]]:
    return [(lesson, entry) for lesson in LESSONS for entry in lesson.scenes]


def scene_class(lesson: Lesson, entry: SceneEntry) -> type:
    return getattr(importlib.import_module(lesson.module), entry.name)


def find(scene_name: str) -> tuple[Lesson, SceneEntry]:
    for lesson, entry in all_scenes():
        if entry.name == scene_name:
            return lesson, entry
    raise KeyError(f"no scene {scene_name!r} in the catalogue")
