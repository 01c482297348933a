"""Fitting a model to data: walk the parameters downhill on χ².

A model ``f(x; p)`` misses each data point by a residual ``rᵢ = (yᵢ − f(xᵢ; p)) / σᵢ``,
and ``χ²(p) = Σᵢ rᵢ²`` adds up the misses, each measured in units of that point's
uncertainty σᵢ. Fitting means finding the ``p`` that makes χ² smallest. Here are three
ways to do it, from the course's own to the one everyone uses:

* :func:`steepest_descent` steps against ∇χ² = 2 Jᵀr, where J = ∂r/∂p is the
  Jacobian of the residuals. It is simple and slow, and it is at the mercy of
  parameter scaling.
* :func:`gauss_newton` solves the linearised problem ``JᵀJ δ = −Jᵀr`` at every step.
  It converges fast near the minimum and can fly off from a bad start.
* :func:`levenberg_marquardt` blends the two with a damping ``λ``, which it raises
  when a step fails and lowers when one succeeds.

Each solver returns a :class:`~calcviz.result.Trajectory`. :func:`fit` wraps one in a
:class:`FitResult`, which adds standard errors from the covariance ``(JᵀJ)⁻¹``.
:func:`chi2_grid` samples χ² over two parameters, with the others held at the
optimum, so a scene can draw contours.

>>> result = fit(heights_problem("male"))
>>> result.names, result.status.name
(('mean', 'width'), 'CONVERGED')
"""
from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from . import numdiff
from .datasets import height_histogram, load_co2, load_heights
from .errors import (CalcvizError, call, require_array, require_callable, require_choice, require_instance,
                     require_interval, require_nonnegative, require_number, require_numeric, require_positive,
                     require_text, require_vector, require_whole, show)
from .optimizers import gradient_descent, run
from .result import Status, Trajectory, frozen_array, growth, point_kind, rising

ModelFn = Callable[[np.ndarray, np.ndarray], np.ndarray]
SQRT_2PI = math.sqrt(2 * math.pi)


# --- models: f(x; p) and its Jacobian ∂f/∂p, shape (len(x), len(p)) ------------------
PARAMETER_KINDS = ("free", "location", "scale", "weight")
"""What a parameter means, which sets its sane range (see :meth:`FitProblem.outside`)."""


@dataclass(frozen=True)
class Model:
    """A curve ``f(x; p)`` with its analytic Jacobian ``∂f/∂pⱼ`` and its parameters' names.

    ``kinds`` says what each parameter is: "location" (a place on the x axis, like a
    bell's mean), "scale" (a width along x, which must be > 0), "weight" (a share
    between 0 and 1) or "free" (anything not absurdly large). Default: all free.
    """

    name: str
    params: tuple[str, ...]
    f: ModelFn
    jac: ModelFn
    kinds: tuple[str, ...] = ()

    def __post_init__(self):
        require_text("model name", self.name)
        params = self.params if isinstance(self.params, (tuple, list)) else None
        if not params or not all(isinstance(n, str) for n in params) or len(set(params)) != len(params):
            raise CalcvizError(f"model parameters must be distinct names, got {show(self.params)}")
        object.__setattr__(self, "params", tuple(params))
        require_callable("model function f", self.f)
        require_callable("model Jacobian jac", self.jac)
        kinds = tuple(self.kinds) if isinstance(self.kinds, (tuple, list)) else None
        if kinds is None or len(kinds) not in (0, len(params)):
            raise CalcvizError(f"kinds must give one kind per parameter ({len(params)}), got {show(self.kinds)}")
        for kind in kinds:
            require_choice("parameter kind", kind, PARAMETER_KINDS)
        object.__setattr__(self, "kinds", kinds or ("free",) * len(params))

    def __call__(self, x, p) -> np.ndarray:
        """f(x; p)."""
        return call(f"model {self.name!r}", self.f, require_numeric("x", x), self._p(p))

    def jacobian(self, x, p) -> np.ndarray:
        """∂f/∂pⱼ at every x, shape (len(x), len(p))."""
        return call(f"Jacobian of {self.name!r}", self.jac, require_numeric("x", x), self._p(p))

    def _p(self, p) -> np.ndarray:
        p = require_numeric("parameters p", p)
        if p.shape != (len(self.params),):
            raise CalcvizError(f"{self.name} takes {len(self.params)} parameters, got shape {p.shape}")
        return p

    def __repr__(self) -> str:
        return f"Model({self.name!r}, params={self.params})"


def _bell(x: np.ndarray, mean: float, width: float) -> tuple[np.ndarray, np.ndarray]:
    """The normal density φ(x) of area 1, and z = (x − mean)/width."""
    z = (x - mean) / width
    return np.exp(-0.5 * z**2) / (width * SQRT_2PI), z


def gaussian(area: float = 1.0) -> Model:
    """f(x) = area · exp(−(x−μ)²/2s²) / (s√(2π)): a bell of mean μ and width s.

    The amplitude is not fitted. The area under a histogram is its count times its bin
    width, which we know exactly, so guessing it would add a third unknown that the data
    already pin down. What is left is the course's question, mean and width. With only
    two parameters, χ² is a surface a scene can draw whole.

    ∂f/∂μ = f·z/s and ∂f/∂s = f·(z² − 1)/s, where z = (x − μ)/s.
    """
    area = require_positive("Gaussian area", area)

    def f(x, p):
        bell, _ = _bell(x, p[0], p[1])
        return area * bell

    def jac(x, p):
        bell, z = _bell(x, p[0], p[1])
        fx = area * bell
        return np.column_stack([fx * z / p[1], fx * (z**2 - 1) / p[1]])

    return Model("gaussian", ("mean", "width"), f, jac, ("location", "scale"))


def sum_of_gaussians(components: int = 2, area: float = 1.0) -> Model:
    """f(x) = area · Σₖ wₖ φ(x; μₖ, sₖ), where the weights wₖ add up to 1.

    As in :func:`gaussian`, the total area is known, and the data say how it splits.
    So the parameters are each bell's mean and width, then the first K−1 weights.
    The last weight is 1 minus the others: ∂f/∂wₖ = area · (φₖ − φ_K).
    """
    K = require_whole("number of Gaussians", components, 1)
    area = require_positive("Gaussians' total area", area)
    names = tuple(f"{kind}_{k}" for k in range(1, K + 1) for kind in ("mean", "width"))
    names += tuple(f"weight_{k}" for k in range(1, K))

    def weights(p):
        w = np.asarray(p[2 * K:], dtype=float)
        return np.append(w, 1 - w.sum())

    def f(x, p):
        bells = [_bell(x, p[2 * k], p[2 * k + 1])[0] for k in range(K)]
        return area * np.dot(weights(p), bells)

    def jac(x, p):
        w, columns, bells = weights(p), [], []
        for k in range(K):
            bell, z = _bell(x, p[2 * k], p[2 * k + 1])
            fk = area * w[k] * bell
            columns += [fk * z / p[2 * k + 1], fk * (z**2 - 1) / p[2 * k + 1]]
            bells.append(bell)
        columns += [area * (bells[k] - bells[-1]) for k in range(K - 1)]
        return np.column_stack(columns)

    kinds = ("location", "scale") * K + ("weight",) * (K - 1)
    return Model(f"sum of {K} Gaussians", names, f, jac, kinds)


def trend_plus_seasonal(t0: float) -> Model:
    """f(t) = a + b·e^{r(t−t0)} + c₁·sin 2π(t−φ₁) + c₂·sin 4π(t−φ₂), t in years.

    The trend grows at rate r inside an exponent. The yearly cycle and its half-year
    harmonic each have an amplitude and a phase of their own. Because r, φ₁ and φ₂ sit
    inside nonlinear functions, no linear least squares can fit this. ``t0`` should be
    near the middle of the data: then b is the trend's excess at that time, and b and r
    do not trade off wildly against each other.
    """
    t0 = require_number("reference time t0", t0)

    def parts(t, p):
        a, b, r, c1, phi1, c2, phi2 = p
        grow = np.exp(r * (t - t0))
        return grow, 2 * np.pi * (t - phi1), 4 * np.pi * (t - phi2)

    def f(t, p):
        grow, u1, u2 = parts(t, p)
        return p[0] + p[1] * grow + p[3] * np.sin(u1) + p[5] * np.sin(u2)

    def jac(t, p):
        grow, u1, u2 = parts(t, p)
        return np.column_stack([
            np.ones_like(t), grow, p[1] * (t - t0) * grow,
            np.sin(u1), -2 * np.pi * p[3] * np.cos(u1),
            np.sin(u2), -4 * np.pi * p[5] * np.cos(u2),
        ])

    return Model("trend plus seasonal", ("a", "b", "r", "c1", "phi1", "c2", "phi2"), f, jac)


# --- a problem: data, model, a start; residuals, χ² and its gradient --------------------
@dataclass(frozen=True, repr=False)
class FitProblem:
    """Data ``y ± sigma`` at ``x``, a model, and a documented starting point.

    ``sigma=None`` means the data come without uncertainties. Every σᵢ is then 1, and
    :class:`FitResult` scales its standard errors by the scatter of the residuals (as
    ``scipy.optimize.curve_fit`` does with ``absolute_sigma=False``).
    """

    model: Model
    x: np.ndarray
    y: np.ndarray
    sigma: np.ndarray | None
    start: np.ndarray
    name: str = ""

    def __post_init__(self):
        require_instance("model", self.model, Model, " such as gaussian(area)")
        require_text("problem name", self.name)
        x, y = require_array("data x", self.x, ndim=1), require_array("data y", self.y, ndim=1)
        if y.shape != x.shape:
            raise CalcvizError(f"x and y must be 1-D of the same length, got {x.shape} and {y.shape}")
        if np.ptp(x) == 0:
            raise CalcvizError("data x must not all be the same")
        start = np.asarray(self.start, dtype=float) if _numeric(self.start) else None
        if start is None or start.shape != (len(self.model.params),):
            raise CalcvizError(f"start must have {len(self.model.params)} entries "
                               f"({', '.join(self.model.params)}), got {show(self.start)}")
        if len(x) <= len(start):
            raise CalcvizError(f"need more data points ({len(x)}) than parameters ({len(start)})")
        if self.sigma is not None:
            sigma = np.asarray(self.sigma, dtype=float) if _numeric(self.sigma) else None
            if sigma is None or sigma.shape != x.shape or not np.all(np.isfinite(sigma)) or np.any(sigma <= 0):
                raise CalcvizError("sigma must have one finite, positive entry per data point")
            object.__setattr__(self, "sigma", frozen_array(sigma))
        for name, value in (("x", x), ("y", y)):
            object.__setattr__(self, name, frozen_array(value))
        object.__setattr__(self, "start", frozen_array(start))
        why = self.outside(start)
        if why:
            raise CalcvizError(f"start: {why}")

    @property
    def names(self) -> tuple[str, ...]:
        return self.model.params

    @property
    def dof(self) -> int:
        """Degrees of freedom: data points minus fitted parameters."""
        return len(self.x) - len(self.start)

    def _weights(self) -> np.ndarray:
        return np.ones_like(self.y) if self.sigma is None else 1 / self.sigma

    def residuals(self, p) -> np.ndarray:
        """rᵢ = (yᵢ − f(xᵢ; p)) / σᵢ."""
        return (self.y - self.model(self.x, p)) * self._weights()

    def jacobian(self, p) -> np.ndarray:
        """∂rᵢ/∂pⱼ = −(∂f/∂pⱼ)(xᵢ) / σᵢ."""
        return -self.model.jacobian(self.x, p) * self._weights()[:, None]

    def chi2(self, p) -> float:
        """χ²(p) = Σᵢ rᵢ²."""
        r = self.residuals(p)
        return float(r @ r)

    def grad(self, p) -> np.ndarray:
        """∇χ² = 2 Jᵀr, with J = ∂r/∂p."""
        return 2 * self.jacobian(p).T @ self.residuals(p)

    def hessian(self, p) -> np.ndarray:
        """∂²χ²/∂pᵢ∂pⱼ by central differences of the exact ∇χ² (symmetrised)."""
        H = numdiff.jacobian(self.grad, self.params_vector(p))
        return 0.5 * (H + H.T)

    def params_vector(self, p, what: str = "parameters") -> np.ndarray:
        """p checked: one finite number per parameter."""
        return require_vector(what, p, size=len(self.names))

    # the sane range -----------------------------------------------------------------------
    def outside(self, p) -> str | None:
        """Why ``p`` lies outside the sane range for these data (naming the parameter), or None.

        With the data's x running from lo to hi (span = hi − lo): a "location" must lie in
        [lo − span, hi + span]; a "scale" in (0, 10·span]; a "weight" in [0, 1], and the
        weights may add up to at most 1; a "free" parameter must stay below
        ABSURD × max(1, |its start|) in size. Every parameter must be finite.
        """
        p = self.params_vector(p)
        lo, hi = float(self.x.min()), float(self.x.max())
        span = hi - lo
        for name, kind, v, v0 in zip(self.names, self.model.kinds, p, self.start):
            if not math.isfinite(v):
                return f"{name} = {v} is not finite"
            if kind == "scale" and not v > 0:
                return f"{name} = {v:.4g} is not > 0: a width must be positive"
            if kind == "scale" and v > 10 * span:
                return f"{name} = {v:.4g} is over 10 times as wide as the data (x from {lo:.4g} to {hi:.4g})"
            if kind == "location" and not lo - span <= v <= hi + span:
                return f"{name} = {v:.4g} is far outside the data (x from {lo:.4g} to {hi:.4g})"
            if kind == "weight" and not 0 <= v <= 1:
                return f"{name} = {v:.4g} is not a share between 0 and 1"
            if kind == "free" and abs(v) > ABSURD * max(1.0, abs(v0)):
                return f"{name} = {v:.3g} is absurdly large (over {ABSURD:g} times its start)"
        weights = p[[k == "weight" for k in self.model.kinds]]
        if weights.size and weights.sum() > 1:
            return f"the weights add up to {weights.sum():.4g}, over 1: the last bell's weight is negative"
        return None

    def dead_parameters(self, p) -> tuple[str, ...]:
        """The parameters χ² no longer depends on at p: their column of J = ∂r/∂p is (numerically) zero.

        Column j is dead when it is 1e-12 times the largest column or less, or when moving pⱼ
        by max(|pⱼ|, 1) would change the residuals by less than 1e-12 of their size.
        """
        p = self.params_vector(p)
        with np.errstate(all="ignore"):
            columns = np.linalg.norm(self.jacobian(p), axis=0)
            size = max(float(np.linalg.norm(self.residuals(p))), 1.0)
        dead = (columns <= 1e-12 * columns.max()) | (columns * np.maximum(np.abs(p), 1.0) <= 1e-12 * size)
        return tuple(n for n, d in zip(self.names, dead) if d)

    def __repr__(self) -> str:
        return (f"FitProblem({self.name or self.model.name!r}, n={len(self.x)}, "
                f"params={self.names}, sigma={'given' if self.sigma is not None else 'none'})")


def _numeric(value) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (TypeError, ValueError):
        return False


ABSURD = 1e12  # a "free" parameter this many times its start (or 1) is absurdly large


# --- the two real problems, with documented starts ------------------------------------------
HEIGHTS_STARTS = {"male": (69.0, 3.0), "female": (64.0, 3.0), "both": (67.0, 3.5)}
"""(mean, width) in inches: textbook adult averages (men about 5 ft 9, women about 5 ft 4)
and a spread of about 3 in. They come from general knowledge, not from this histogram."""

HEIGHTS_TWO_START = (64.0, 2.5, 69.0, 2.5, 0.5)
"""Women about 64 in and men about 69 in, each about 2.5 in wide, half and half."""


def heights_problem(sex: str | None = "male", components: int = 1, bin_width: float = 1.0) -> FitProblem:
    """A Gaussian (or a sum of ``components`` of them) fitted to Galton's height histogram.

    The data are bin centres and counts, with Poisson uncertainty √max(count, 1). The area
    is fixed at N × bin width, so the model's integral equals the number of children.

    Watch out for a second minimum. A bell whose area is fixed can also spread wide and
    flat over the histogram. For the daughters, steepest descent from (67, 3) settles at
    mean ≈ 76, width ≈ 9.7, where χ² ≈ 339 instead of 41. Gauss–Newton and
    Levenberg–Marquardt from the same start find the real minimum.
    """
    components = require_whole("number of Gaussians", components, 1)
    if components not in (1, 2):
        raise CalcvizError(f"heights are fitted with 1 or 2 Gaussians, got {components!r}")
    require_positive("bin width", bin_width)
    heights = load_heights(sex)
    hist = height_histogram(heights, bin_width=bin_width)
    if len(hist.counts) <= 3 * components:
        raise CalcvizError(f"a bin width of {bin_width:g} in leaves {len(hist.counts)} bins: too few to fit")
    area = hist.total * hist.bin_width
    if components == 1:
        model, start = gaussian(area), HEIGHTS_STARTS[heights.which]
    else:
        model, start = sum_of_gaussians(2, area), HEIGHTS_TWO_START
    return FitProblem(model, hist.centres, hist.counts, hist.sigma, start,
                      name=f"Galton heights ({heights.which})")


CO2_T0 = 1978.5
"""Reference time of the CO2 trend: the middle of 1959.0–1997.9, so b and r are well separated."""

CO2_START = (280.0, 55.0, 0.02, 3.0, 0.1, 0.5, 0.25)
"""A start for :func:`trend_plus_seasonal` on the Keeling curve (t0 = 1978.5), from rough facts.

a: pre-industrial CO2 was about 280 ppm. b: around 1978 it was about 335 ppm, so the
excess is about 55. r: CO2 rose about 1.3 ppm a year, so r ≈ 1.3/55 ≈ 0.02 per year.
c₁, φ₁: the yearly swing is about ±3 ppm and peaks in May; sin 2π(t−φ₁) peaks at
t = φ₁ + ¼, so φ₁ ≈ 0.1. c₂, φ₂: a small half-year harmonic, 0.5 ppm, whose phase we
do not know; φ₂ = 0.25 is the middle of its half-year period.
"""

CO2_BAD_START = (280.0, 55.0, 0.2, 3.0, 0.1, 0.5, 0.25)
""":data:`CO2_START` with a growth rate ten times too large (r = 0.2 per year).

e^{r(t−t0)} then spans a factor of about 2000 over the data. Gauss–Newton's
linearisation is far off, and it diverges within a few steps; Levenberg–Marquardt
still converges.
"""


def co2_problem() -> FitProblem:
    """The Keeling curve 1959–1997 against :func:`trend_plus_seasonal`, with t0 = 1978.5.

    The monthly means come without uncertainties, so σ = 1 ppm throughout, and the
    standard errors come from the residual scatter. Neighbouring months' residuals are
    correlated, so those errors are, if anything, too small.
    """
    co2 = load_co2()
    return FitProblem(trend_plus_seasonal(CO2_T0), co2.year, co2.ppm, None, CO2_START,
                      name="Mauna Loa CO2 1959–1997")


# --- solvers -------------------------------------------------------------------------------
DIVERGENCE_FACTOR = 1e8  # χ² this many times its starting value: the run is flying off


def _problem(problem) -> FitProblem:
    return require_instance("problem", problem, FitProblem, " such as heights_problem('male')")


def _start(problem: FitProblem, start, steps) -> tuple[np.ndarray, int]:
    """The starting point and step count, checked: right length, finite, sane, with a finite χ²."""
    steps = require_whole("steps", steps)
    p = problem.start.copy() if start is None else problem.params_vector(start, "start")
    why = problem.outside(p)
    if why:
        raise CalcvizError(f"start: {why}")
    with np.errstate(all="ignore"):
        chi2 = problem.chi2(p)
    if not math.isfinite(chi2):
        raise CalcvizError(f"χ² is not finite at the start {show(p.tolist())}; choose another start")
    return p, steps


def _tolerance(tol) -> float:
    return require_nonnegative("tolerance tol", tol)


def _small_step(step: np.ndarray, p: np.ndarray, tol: float) -> bool:
    """The step is tiny next to the parameters (MINPACK's xtol test): |δ| ≤ tol·(tol + |p|)."""
    with np.errstate(over="ignore"):  # a wild step may overflow the norm: then it is not small
        return bool(np.linalg.norm(step) <= tol * (tol + np.linalg.norm(p)))


def fit_point_kind(problem: FitProblem, p) -> str | None:
    """The kind of critical point of χ² at p, from its Hessian by finite differences (None if unknown)."""
    p = _problem(problem).params_vector(p)
    try:
        with np.errstate(all="ignore"):
            return point_kind(problem.hessian(p), rtol=1e-6)
    except (CalcvizError, np.linalg.LinAlgError):
        return None


def _verdict(problem: FitProblem, p: np.ndarray, test: str) -> tuple[Status, str, str | None]:
    """The stopping test ``test`` passed at p: CONVERGED only if χ² there is a real valley floor.

    A step can be small because the Jacobian died (χ² stopped depending on a parameter):
    that is a plateau, STATIONARY. So is a saddle or a maximum of χ².
    """
    dead = problem.dead_parameters(p)
    if dead:
        message = (f"stopped: {test}, but only because χ² no longer depends on {', '.join(dead)} "
                   "(a zero column of the Jacobian)")
        return Status.STATIONARY, message, "flat"
    kind = fit_point_kind(problem, p)
    if kind in ("saddle", "maximum"):
        return Status.STATIONARY, f"stopped: {test}, but χ² has a {kind} there, not a minimum", kind
    return Status.CONVERGED, f"converged: {test}, and every parameter still moves the model", kind


def _step_test(k: int, tol: float) -> str:
    return f"the step after {k} steps was below tol = {tol:g} times |p|"


class _Recorder:
    """Collects iterates, χ², gradients and step sizes, then freezes them into a Trajectory."""

    def __init__(self, problem: FitProblem, p0: np.ndarray):
        self.problem = problem
        self.points, self.values, self.gradients, self.steps = [], [], [], []
        self.nfev = 0
        self.extras: dict[str, list] = {}
        self.add(p0, problem.chi2(p0))

    def add(self, p, chi2, step_size=None, **extras):
        self.points.append(np.array(p, dtype=float))
        self.values.append(chi2)
        self.gradients.append(self.problem.grad(p))
        self.nfev += 1
        if step_size is not None:
            self.steps.append(step_size)
        for name, value in extras.items():
            self.extras.setdefault(name, []).append(value)

    def finish(self, method, status, message, hyperparams, stopped_at=None, point_kind=None,
               growth=None) -> Trajectory:
        return Trajectory(method=method, points=self.points, values=self.values, gradients=self.gradients,
                          step_sizes=self.steps, status=status, message=message, nfev=self.nfev,
                          hyperparams=hyperparams, stopped_at=stopped_at, extras=self.extras,
                          point_kind=point_kind, growth=growth)

    def out_of_steps(self, method, steps, hyperparams) -> Trajectory:
        """The step limit came first: DIVERGING if χ² was still growing (as in optimizers.run), else MAX_STEPS."""
        rate = growth(self.values)
        if rate is not None:
            return self.finish(method, Status.DIVERGING, rising("χ²", self.values, rate), hyperparams, growth=rate)
        return self.finish(method, Status.MAX_STEPS, f"no convergence in {steps} steps", hyperparams)

    def verdict(self, method, test: str, hyperparams) -> Trajectory:
        status, message, kind = _verdict(self.problem, self.points[-1], test)
        return self.finish(method, status, message, hyperparams, point_kind=kind)


def _trial(problem: FitProblem, p, chi2_0) -> tuple[Status | None, float, str]:
    """χ² at a trial point, and whether (and why) that point means the run has failed."""
    if not np.all(np.isfinite(p)):
        return Status.NONFINITE, math.nan, "a parameter is not finite"
    why = problem.outside(p)
    if why:
        return Status.OUT_OF_BOUNDS, math.nan, why
    with np.errstate(all="ignore"):
        chi2 = problem.chi2(p)
        grad = problem.grad(p)
    if not (math.isfinite(chi2) and np.all(np.isfinite(grad))):
        return Status.NONFINITE, chi2, f"χ² = {chi2:.3g} or its gradient is not finite"
    if chi2 > DIVERGENCE_FACTOR * max(chi2_0, 1e-300):
        return Status.DIVERGED, chi2, f"χ² = {chi2:.3g} grew over {DIVERGENCE_FACTOR:g} times its start"
    return None, chi2, ""


def gauss_newton(problem: FitProblem, start=None, *, steps: int = 100, tol: float = 1e-10) -> Trajectory:
    """p ← p + δ, with JᵀJ δ = −Jᵀr: jump to the minimum of the linearised χ².

    Near the optimum this converges fast. It stops when a step is tiny next to p,
    |δ| ≤ tol·(tol + |p|); that is CONVERGED only if every parameter still moves the
    model (a step is also tiny when a column of J is zero) and χ² curves up there. From
    a bad start the linearisation can be badly wrong: the run ends OUT_OF_BOUNDS (a
    parameter left its sane range, see :meth:`FitProblem.outside`), DIVERGED or
    NONFINITE at its last sane point, or DIVERGING when χ² is still growing at the step
    limit. ``step_sizes`` are all 1: each step is the full
    Gauss–Newton step.
    """
    problem = _problem(problem)
    p, steps = _start(problem, start, steps)
    tol = _tolerance(tol)
    hyper = {"tol": tol}
    record = _Recorder(problem, p)
    chi2_0 = record.values[0]
    for k in range(steps):
        with np.errstate(all="ignore"):
            J, r = problem.jacobian(p), problem.residuals(p)
            if not (np.all(np.isfinite(J)) and np.all(np.isfinite(r))):
                return record.finish("gauss_newton", Status.NONFINITE, f"non-finite Jacobian at step {k}",
                                     hyper, stopped_at=k)
            # Least squares on J δ = −r is JᵀJ δ = −Jᵀr without squaring J's condition number.
            step = np.linalg.lstsq(J, -r, rcond=None)[0]
        failed, chi2, why = _trial(problem, p + step, chi2_0)
        if failed:
            return record.finish("gauss_newton", failed, f"{failed.value} at step {k + 1}: {why}", hyper,
                                 stopped_at=k + 1)
        p = p + step
        record.add(p, chi2, 1.0)
        if _small_step(step, p, tol):
            return record.verdict("gauss_newton", _step_test(k + 1, tol), hyper)
    return record.out_of_steps("gauss_newton", steps, hyper)


def levenberg_marquardt(problem: FitProblem, start=None, *, damping: float = 1e-3, steps: int = 200,
                        tol: float = 1e-10, up: float = 10.0, down: float = 10.0) -> Trajectory:
    """p ← p + δ, with (JᵀJ + λ·diag JᵀJ) δ = −Jᵀr; λ falls after a good step and rises after a bad one.

    When λ is small this is the Gauss–Newton step. When λ is large it is a short step
    down the gradient, with each parameter scaled by its own curvature (Marquardt's
    diag JᵀJ). That scaling is why a growth rate of 0.01 and an offset of 300 can share
    one step. A step that raises χ² is not taken: λ goes up by ``up`` and the step is
    tried again. ``step_sizes[k]`` is the λ of the step that was taken, and
    ``extras["rejected"][k]`` counts the tries thrown away before it.

    It stops when a step is tiny next to p (as :func:`gauss_newton`) or when no step,
    however damped (λ > 1e16), lowers χ²; either is CONVERGED only if every parameter
    still moves the model and χ² curves up there. A step that lowers χ² but takes a
    parameter out of its sane range ends the run OUT_OF_BOUNDS.
    """
    problem = _problem(problem)
    damping = require_positive("damping", damping)
    up, down = require_number("damping factor up", up), require_number("damping factor down", down)
    if not (up > 1 and down > 1):
        raise CalcvizError(f"damping factors up and down must be > 1, got {up!r} and {down!r}")
    tol = _tolerance(tol)
    hyper = {"damping": damping, "tol": tol, "up": up, "down": down}
    p, steps = _start(problem, start, steps)
    record = _Recorder(problem, p)
    chi2, lam = record.values[0], damping
    for k in range(steps):
        J, r = problem.jacobian(p), problem.residuals(p)
        A, g = J.T @ J, J.T @ r
        scale = np.diag(np.maximum(np.diag(A), 1e-300))  # keep a dead parameter's row invertible
        rejected = 0
        while True:
            with np.errstate(all="ignore"):
                try:
                    step = np.linalg.solve(A + lam * scale, -g)
                except np.linalg.LinAlgError:
                    step = np.full_like(p, np.nan)
                trial = problem.chi2(p + step) if np.all(np.isfinite(step)) else math.nan
            if trial < chi2:
                break
            rejected += 1
            lam *= up
            if lam > 1e16:  # no step however short lowers χ²: we are at the bottom, or on a plateau
                return record.verdict("levenberg_marquardt",
                                      f"no damped step lowered χ² after {k} steps (λ > 1e16; tol = {tol:g})", hyper)
        record.nfev += rejected  # the tries thrown away cost a χ² each too
        failed, trial, why = _trial(problem, p + step, math.inf)
        if failed:
            return record.finish("levenberg_marquardt", failed, f"{failed.value} at step {k + 1}: {why}", hyper,
                                 stopped_at=k + 1)
        p, chi2 = p + step, trial
        record.add(p, chi2, lam, rejected=rejected)
        lam = max(lam / down, 1e-15)
        if _small_step(step, p, tol):
            return record.verdict("levenberg_marquardt", _step_test(k + 1, tol), hyper)
    return record.out_of_steps("levenberg_marquardt", steps, hyper)


def steepest_descent(problem: FitProblem, start=None, *, lr: float | None = None, steps: int = 1000,
                     tol: float = 1e-6) -> Trajectory:
    """p ← p − lr·∇χ²: the course's own method, run by :func:`calcviz.optimizers.run`.

    It stops when |∇χ²| ≤ ``tol``, or after ``steps`` steps. The trajectory's method is
    the rule's name, ``"gradient_descent"``. As in the other solvers, a flat χ² is
    CONVERGED only at a valley floor with every parameter still moving the model, and a
    step out of the sane range ends the run OUT_OF_BOUNDS.

    ``lr=None`` picks 1/λ_max, where λ_max is the largest eigenvalue of the Gauss–Newton
    Hessian 2JᵀJ at the start. That step cannot overshoot along the stiffest direction.
    On badly scaled parameters (the CO2 trend) the other directions then crawl, which
    is the lesson.
    """
    problem = _problem(problem)
    p, steps = _start(problem, start, steps)
    tol = _tolerance(tol)
    if lr is None:
        J = problem.jacobian(p)
        largest = float(np.linalg.eigvalsh(2 * J.T @ J)[-1])
        if not largest > 0:
            raise CalcvizError("χ² is flat at the start (JᵀJ = 0): no learning rate to choose; pass lr=")
        lr = 1.0 / largest
    lr = require_positive("learning rate", lr)
    traj = run(gradient_descent(lr), problem.chi2, problem.grad, p, steps=steps, tol=tol, check=problem.outside)
    if traj.status is Status.DIVERGING:  # in the fit's own words: it is χ² that grows
        traj = replace(traj, message=rising("χ²", traj.values, traj.growth))
    if traj.status is Status.CONVERGED and problem.dead_parameters(traj.x):
        dead = ", ".join(problem.dead_parameters(traj.x))
        traj = replace(traj, status=Status.STATIONARY, point_kind="flat",
                       message=f"stopped: {traj.message[len('converged: '):]}, but only because χ² no longer "
                               f"depends on {dead} (a zero column of the Jacobian)")
    return traj


SOLVERS: dict[str, Callable[..., Trajectory]] = {
    "levenberg_marquardt": levenberg_marquardt,
    "gauss_newton": gauss_newton,
    "steepest_descent": steepest_descent,
}


# --- the result: parameters with standard errors ---------------------------------------------
@dataclass(frozen=True, repr=False)
class FitResult:
    """Best-fit parameters with standard errors, the run that found them, and the problem.

    ``covariance = (JᵀJ)⁻¹`` at the optimum (J = ∂r/∂p). When the data have no σ, it is
    multiplied by χ²/dof, the residuals' own scatter. ``stderr = √diag(covariance)``.
    A singular JᵀJ gives infinite errors rather than a guess.
    """

    problem: FitProblem
    trajectory: Trajectory
    covariance: np.ndarray

    def __post_init__(self):
        _problem(self.problem)
        require_instance("trajectory", self.trajectory, Trajectory)
        n = len(self.problem.names)
        if self.trajectory.x.shape != (n,):
            raise CalcvizError(f"the trajectory's points must have {n} parameters, got shape {self.trajectory.x.shape}")
        cov = np.asarray(self.covariance, dtype=float) if _numeric(self.covariance) else None
        if cov is None or cov.shape != (n, n) or np.any(np.isnan(cov)):
            raise CalcvizError(f"covariance must be a {n}×{n} matrix of numbers (inf allowed), "
                               f"got {show(self.covariance)}")
        object.__setattr__(self, "covariance", frozen_array(cov))

    @classmethod
    def from_trajectory(cls, problem: FitProblem, trajectory: Trajectory) -> FitResult:
        return cls(problem, trajectory, covariance(problem, trajectory.x))

    # the numbers ---------------------------------------------------------------------
    @property
    def params(self) -> np.ndarray:
        return self.trajectory.x

    @property
    def stderr(self) -> np.ndarray:
        return frozen_array(np.sqrt(np.abs(np.diag(self.covariance))))

    @property
    def names(self) -> tuple[str, ...]:
        return self.problem.names

    @property
    def chi2(self) -> float:
        return self.trajectory.fun

    @property
    def dof(self) -> int:
        return self.problem.dof

    @property
    def chi2_per_dof(self) -> float:
        return self.chi2 / self.dof

    @property
    def status(self) -> Status:
        return self.trajectory.status

    @property
    def success(self) -> bool:
        return self.trajectory.success

    @property
    def point_kind(self) -> str | None:
        """The kind of point of χ² the run stopped at ("minimum", "saddle", …; None if unknown)."""
        return self.trajectory.point_kind

    @property
    def outcome(self) -> str:
        """How the fit ended in plain words, e.g. "a flat spot, not a valley: a plateau"."""
        return self.trajectory.outcome

    @property
    def message(self) -> str:
        return self.trajectory.message

    def as_dict(self) -> dict[str, tuple[float, float]]:
        """{name: (value, standard error)}."""
        return {n: (float(v), float(e)) for n, v, e in zip(self.names, self.params, self.stderr)}

    def curve(self, x) -> np.ndarray:
        """The fitted model at ``x``."""
        return self.problem.model(require_numeric("x", x), self.params)

    def curve_stderr(self, x) -> np.ndarray:
        """σ_f(x) = √(gᵀ C g) with g = ∂f/∂p at the optimum: the fitted curve's own uncertainty,
        propagated linearly from the parameters' covariance C."""
        x = require_numeric("x", x)
        g = self.problem.model.jacobian(x.reshape(-1), self.params)
        with np.errstate(invalid="ignore"):  # an infinite variance times a zero sensitivity
            return np.sqrt(np.einsum("ij,jk,ik->i", g, self.covariance, g)).reshape(x.shape)

    def chi2_grid(self, over: Sequence[str | int] = (0, 1), ranges=None, *, span: float = 4.0,
                  num: int = 61) -> Chi2Grid:
        """:func:`chi2_grid` around this optimum; by default ± ``span`` standard errors."""
        i, j = _pair(self.names, over)
        span = require_positive("span", span)
        if ranges is None:
            if not np.all(np.isfinite(self.stderr[[i, j]])):
                raise CalcvizError("the standard errors are infinite: pass ranges= for the grid")
            ranges = [(self.params[k] - span * self.stderr[k], self.params[k] + span * self.stderr[k])
                      for k in (i, j)]
        return chi2_grid(self.problem, self.params, (i, j), ranges, num=num)

    def __repr__(self) -> str:
        fitted = ", ".join(f"{n}={v:.6g}±{e:.2g}" for n, (v, e) in self.as_dict().items())
        return (f"FitResult({self.problem.name or self.problem.model.name!r}, method={self.trajectory.method!r}, "
                f"status={self.status.name}, nit={self.trajectory.nit}, chi2/dof={self.chi2_per_dof:.3g}, "
                f"{fitted})")


def covariance(problem: FitProblem, p) -> np.ndarray:
    """(JᵀJ)⁻¹ at ``p``, times χ²/dof when the data carry no σ; infinite where JᵀJ is singular."""
    p = _problem(problem).params_vector(p)
    n = len(p)
    with np.errstate(all="ignore"):
        J = problem.jacobian(p)
        A = J.T @ J
        if not np.all(np.isfinite(A)) or problem.dead_parameters(p):
            return np.full((n, n), np.inf)
        try:
            cov = np.linalg.inv(A)
        except np.linalg.LinAlgError:
            return np.full((n, n), np.inf)
        if problem.sigma is None:
            cov = cov * problem.chi2(p) / problem.dof
    return cov if np.all(np.isfinite(cov)) else np.full((n, n), np.inf)


def fit(problem: FitProblem, method: str = "levenberg_marquardt", start=None, **options) -> FitResult:
    """Run the named solver from ``start`` (default: the problem's own) and attach standard errors.

    >>> fit(co2_problem()).status.name
    'CONVERGED'
    """
    solver = SOLVERS[require_choice("fitting method", method, SOLVERS)]
    accepted = [n for n, prm in inspect.signature(solver).parameters.items() if prm.kind is prm.KEYWORD_ONLY]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise CalcvizError(f"{method} has no setting {', '.join(unknown)}; it takes: {', '.join(accepted)}")
    problem = _problem(problem)
    return FitResult.from_trajectory(problem, solver(problem, start, **options))


# --- χ² over two parameters, for contour plots -------------------------------------------------
@dataclass(frozen=True, repr=False)
class Chi2Grid:
    """χ² on a grid over two parameters, the others held at ``at``.

    ``chi2[j, i]`` is χ² at ``(x[i], y[j])``, the layout of ``np.meshgrid(x, y)`` and of
    contourpy.
    """

    names: tuple[str, str]
    x: np.ndarray
    y: np.ndarray
    chi2: np.ndarray
    at: np.ndarray

    def __post_init__(self):
        for name in ("x", "y", "chi2", "at"):
            object.__setattr__(self, name, frozen_array(getattr(self, name)))

    @property
    def minimum(self) -> tuple[float, float, float]:
        """(x, y, χ²) at the grid's lowest point."""
        j, i = np.unravel_index(np.argmin(self.chi2), self.chi2.shape)
        return float(self.x[i]), float(self.y[j]), float(self.chi2[j, i])

    def __repr__(self) -> str:
        return (f"Chi2Grid(over={self.names}, shape={self.chi2.shape}, "
                f"chi2={self.chi2.min():.4g}–{self.chi2.max():.4g})")


def _index(names: Sequence[str], which: str | int) -> int:
    if isinstance(which, str):
        return list(names).index(require_choice("parameter", which, names))
    k = require_whole("parameter index", which)
    if not k < len(names):
        raise CalcvizError(f"parameter index {which!r} out of range 0–{len(names) - 1}")
    return k


def _pair(names: Sequence[str], over) -> tuple[int, int]:
    """The indices of the two parameters named (or numbered) in ``over``."""
    if isinstance(over, (str, bytes)) or not isinstance(over, Sequence) or len(over) != 2:
        raise CalcvizError(f"over must name two parameters, e.g. ('mean', 'width'), got {show(over)}")
    i, j = (_index(names, o) for o in over)
    if i == j:
        raise CalcvizError(f"a χ² grid needs two different parameters, got {names[i]!r} twice")
    return i, j


def chi2_grid(problem: FitProblem, at, over: Sequence[str | int], ranges, num: int = 61) -> Chi2Grid:
    """χ² sampled on a ``num`` × ``num`` grid over parameters ``over``, the rest fixed at ``at``."""
    at = _problem(problem).params_vector(at, "grid centre")
    i, j = _pair(problem.names, over)
    num = require_whole("grid points per side num", num, 2)
    if num > 2001:
        raise CalcvizError(f"a χ² grid of more than 2001 points per side is too big to sample, got {num}")
    (x_lo, x_hi), (y_lo, y_hi) = require_array("grid ranges", ranges, shape=(2, 2))
    x_lo, x_hi = require_interval(f"grid range of {problem.names[i]}", x_lo, x_hi)
    y_lo, y_hi = require_interval(f"grid range of {problem.names[j]}", y_lo, y_hi)
    xs, ys = np.linspace(x_lo, x_hi, num), np.linspace(y_lo, y_hi, num)
    values = np.empty((len(ys), len(xs)))
    p = at.copy()
    with np.errstate(all="ignore"):
        for b, yv in enumerate(ys):
            for a, xv in enumerate(xs):
                p[i], p[j] = xv, yv
                values[b, a] = problem.chi2(p)
    bad = np.argwhere(~np.isfinite(values))
    if bad.size:
        b, a = bad[0]
        raise CalcvizError(f"χ² is not finite at {problem.names[i]}={xs[a]:.4g}, {problem.names[j]}={ys[b]:.4g}; "
                           "narrow the grid ranges")
    return Chi2Grid((problem.names[i], problem.names[j]), xs, ys, values, at)
