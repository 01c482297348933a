"""The course in order: every lesson and its scenes.

Tests, the batch renderer and the course page all read this one list, so a scene
that is not here is not part of the course. Its words are marked ``N_`` and translated where shown.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from scenes.kit.i18n import N_

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SceneEntry:
    name: str       # the Scene class
    teaches: str    # one line for the course page and the README
    title: str = "" # the clip's title on the course page (default: from the class name)


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
    Lesson("intro", N_("The course at a glance"), 0,
           N_("A map, a compass and hiking boots: the four steps of the course."),
           (SceneEntry("CourseRoadmap", N_("The four steps: nudges, mountains in the dark, "
                                           "the guts of a neural network, fitting real data."),
                       title=N_("The course at a glance")),)),
    Lesson("nudges", N_("Nudges: the derivative"), 1,
           N_("The derivative is what a tiny nudge dx does to f: rise over run as the run shrinks."),
           (SceneEntry("SecantToTangent", N_("Secants through x and x+dx turn into the tangent as dx shrinks."),
                       title=N_("Secant to tangent")),
            SceneEntry("DerivativeAsFunction", N_("Sliding the tangent along f traces the slope f'(x) as a new function."),
                       title=N_("The derivative as a function")),
            SceneEntry("SumAndPowerRules", N_("Nudges add for a sum; the square x² grows by 2x·dx plus a vanishing dx²."),
                       title=N_("Sum and power rules")),
            SceneEntry("ProductRuleArea", N_("The rectangle f·g grows by strips f·dg and g·df; the corner df·dg vanishes."),
                       title=N_("The product rule as an area")),
            SceneEntry("ChainRuleNudges", N_("A nudge passes through composed functions: the rates multiply."),
                       title=N_("The chain rule: nudges pass through")),
            SceneEntry("FiniteDifferenceError", N_("Forward and central differences: error slopes 1 and 2, "
                                                   "the round-off wall, the best h."),
                       title=N_("The error of a finite difference")))),
    Lesson("gradients", N_("Gradients: the compass"), 2,
           N_("Partial derivatives, the gradient as the compass of steepest ascent, the Jacobian, the Hessian, "
              "Taylor and Newton–Raphson."),
           (SceneEntry("PartialDerivativeSlices", N_("Slicing a surface along x and along y: the slopes of the "
                                                     "slices are the partial derivatives."),
                       title=N_("Partial derivatives as slices")),
            SceneEntry("GradientCompass", N_("Turning a compass needle: the slope ∇f·u is largest along ∇f and zero "
                                             "along the contour."),
                       title=N_("The gradient as a compass")),
            SceneEntry("JacobianLocalLinearity", N_("Zoom in on a warp of the plane and it becomes the linear map J; "
                                                    "areas scale by det J."),
                       title=N_("The Jacobian: zoom in and it is linear")),
            SceneEntry("HessianCurvature", N_("Minimum, maximum, saddle: the Hessian's eigenvalues and eigenvectors "
                                              "tell them apart."),
                       title=N_("The Hessian: curvature")),
            SceneEntry("TaylorApproximation", N_("Taylor polynomials build up term by term; a quadratic hugs a "
                                                 "landscape near a point."),
                       title=N_("Taylor approximation")),
            SceneEntry("NewtonRaphson", N_("Follow the tangent to the axis: Newton–Raphson's iterates, and a start "
                                           "where it fails."),
                       title=N_("Newton–Raphson")))),
    Lesson("descent", N_("Descending the landscape"), 2,
           N_("In the dark you only feel the slope: gradient descent and its cousins, learning rates, constraints."),
           (SceneEntry("HikerInTheDark", N_("A hiker who only feels the local slope steps downhill on an orbiting "
                                            "landscape, its shadow on the contour map."),
                       title=N_("A hiker in the dark")),
            SceneEntry("LearningRateRegimes", N_("Too small, just right, zig-zagging, diverging: four learning rates "
                                                 "on one valley."),
                       title=N_("Four learning rates")),
            SceneEntry("OptimizerRace", N_("Gradient descent, momentum, Nesterov, RMSProp, Adam and Newton race "
                                           "down Rosenbrock's valley."),
                       title=N_("The optimizer race")),
            SceneEntry("LagrangeMultipliers", N_("Walking a constraint curve: at the optimum ∇f and ∇g line up, "
                                                 "∇f = λ∇g."),
                       title=N_("Lagrange multipliers")))),
    Lesson("network", N_("The guts of a neural network"), 3,
           N_("A network is nested functions; backpropagation is the chain rule; training is descending a valley."),
           (SceneEntry("NeuronAsFunction", N_("One neuron: a weighted sum, an activation, a function of the input plane."),
                       title=N_("A neuron is a function")),
            SceneEntry("ForwardPass", N_("Activations light up layer by layer, every value from the network's forward pass."),
                       title=N_("The forward pass")),
            SceneEntry("Backpropagation", N_("The error flows back along the edges: each dC/dw is the chain rule, δ·a."),
                       title=N_("Backpropagation")),
            SceneEntry("TrainingTheNetwork", N_("The training loop runs line by line; the decision boundary, the "
                                                "weights and the loss change with it."),
                       title=N_("Training the network")),
            SceneEntry("LossLandscapeSlice", N_("A 2-D window onto the loss in many dimensions: training walks down "
                                                "into the valley."),
                       title=N_("A slice of the loss landscape")))),
    Lesson("fitting", N_("Fitting real data"), 4,
           N_("Linear algebra holds the data, calculus finds the best fit: the parameter landscape and the data, "
              "side by side."),
           (SceneEntry("HeightsGaussianFit", N_("Steepest descent on χ²(μ, σ) while the bell settles onto "
                                                "Galton's heights."),
                       title=N_("A bell curve for Galton's heights")),
            SceneEntry("KeelingCurveFit", N_("Levenberg–Marquardt fits growth and seasons to the Mauna Loa CO₂ "
                                             "record; the residuals shrink."),
                       title=N_("Fitting the Keeling curve")),
            SceneEntry("SteepestDescentVsGaussNewton", N_("Slope alone against slope and curvature on the same "
                                                          "χ² landscape: 62 steps or 10."),
                       title=N_("Steepest descent against Gauss–Newton")))),
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
