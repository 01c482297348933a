"""Optimizers as small update rules, and one loop that runs any of them.

Each optimizer is a :class:`Rule`: a pair of pure functions, as in optax::

    state = rule.init(x)                       # e.g. zero velocity
    step, state = rule.update(g, state, x)     # g = ∇f(x); the next point is x + step

A rule never calls f itself (except line search, which must) and never decides when
to stop: :func:`run` does that, records every iterate in a
:class:`~calcviz.result.Trajectory` and says how the run ended. Rules work on 1-D
float arrays of any length — two coordinates on a landscape, or every weight of a
neural network flattened into one vector.

>>> from calcviz.landscapes import landscape
>>> bowl = landscape("bowl")
>>> run(momentum(lr=0.1), bowl.value, bowl.grad, [-2.5, 1.5], tol=1e-8).status
CONVERGED

Two rules need more than the gradient. ``rule.needs`` names what :func:`run` must
pass to their ``update`` as keyword arguments: ``"hess"`` (the Hessian matrix at x,
for :func:`newton`) and ``"f"`` (the function itself, for
:func:`backtracking_line_search`, which tries points until f drops enough).

References: Polyak (1964) for momentum; Nesterov (1983); Hinton's lecture 6e (2012)
for RMSProp; Kingma & Ba, "Adam" (2015); Nocedal & Wright, *Numerical Optimization*,
ch. 3 for backtracking and damped Newton.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from . import numdiff
from .errors import (CalcvizError, call, require_between, require_callable, require_choice, require_instance,
                     require_nonnegative, require_positive, require_text, require_vector, require_whole, show)
from .landscapes import Landscape, landscape
from .result import Status, Trajectory, growth, point_kind, rising, shrink, steps_to_go


@dataclass(frozen=True)
class Rule:
    """An optimizer: ``init(x) -> state`` and ``update(g, state, x, **needs) -> (step, state)``.

    ``hyperparams`` is recorded in every trajectory the rule produces. The step size
    recorded for each step is ``state.step_size`` if the state has one (line search),
    otherwise ``hyperparams["lr"]``.
    """

    name: str
    hyperparams: dict[str, Any]
    init: Callable[[np.ndarray], Any]
    update: Callable[..., tuple[np.ndarray, Any]]
    needs: tuple[str, ...] = field(default=())  # from {"f", "hess"}

    def __post_init__(self):
        require_text("rule name", self.name)
        require_instance("hyperparams", self.hyperparams, dict)
        require_callable("init", self.init)
        require_callable("update", self.update)
        needs = self.needs if isinstance(self.needs, (tuple, list)) else None
        if needs is None or not all(isinstance(n, str) and n in ("f", "hess") for n in needs):
            raise CalcvizError(f"needs must list some of 'f' and 'hess', got {show(self.needs)}")
        object.__setattr__(self, "needs", tuple(needs))

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.hyperparams.items())
        return f"Rule({self.name!r}, {settings})"


# --- small named states ---------------------------------------------------------------
class EmptyState(NamedTuple):
    """Gradient descent and Newton remember nothing between steps."""


class MomentumState(NamedTuple):
    velocity: np.ndarray  # running sum of past gradients, decayed by β each step


class RMSPropState(NamedTuple):
    nu: np.ndarray  # running mean of squared gradients


class AdamState(NamedTuple):
    count: int  # steps taken so far, for the bias correction
    mu: np.ndarray  # running mean of gradients (first moment)
    nu: np.ndarray  # running mean of squared gradients (second moment)


class LineSearchState(NamedTuple):
    step_size: float  # the step t accepted last
    backtracks: int  # how many times t was shrunk to find it


# --- checks on hyper-parameters --------------------------------------------------------
def _rate(lr) -> float:
    return require_positive("learning rate lr", lr)


def _fraction(what: str, value, *, zero_ok: bool = True) -> float:
    return require_between(what, value, 0.0, 1.0, closed="[)" if zero_ok else "()")


def _zeros_like(x) -> np.ndarray:
    return np.zeros_like(np.asarray(x, dtype=float))


# --- first-order rules -----------------------------------------------------------------
def gradient_descent(lr: float) -> Rule:
    """Plain gradient descent: x ← x − lr·∇f(x).

    >>> step, _ = gradient_descent(0.1).update(np.array([2.0]), EmptyState(), np.array([0.0]))
    >>> step
    array([-0.2])
    """
    lr = _rate(lr)

    def init(x):
        return EmptyState()

    def update(g, state, x):
        return -lr * g, state

    return Rule("gradient_descent", {"lr": lr}, init, update)


def momentum(lr: float, beta: float = 0.9) -> Rule:
    """Heavy-ball momentum: v ← β·v + ∇f(x),  x ← x − lr·v.

    The velocity v remembers the gradients that keep pointing the same way and lets
    the zig-zags across a valley cancel out. With β = 0, v = ∇f(x): plain descent.
    """
    lr, beta = _rate(lr), _fraction("momentum beta", beta)

    def init(x):
        return MomentumState(velocity=_zeros_like(x))

    def update(g, state, x):
        velocity = beta * state.velocity + g
        return -lr * velocity, MomentumState(velocity)

    return Rule("momentum", {"lr": lr, "beta": beta}, init, update)


def nesterov(lr: float, beta: float = 0.9) -> Rule:
    """Nesterov momentum: v ← β·v + ∇f(x),  x ← x − lr·(β·v + ∇f(x)).

    Where momentum steps along v, Nesterov steps along where v is about to be after
    one more gradient: a look-ahead that damps the overshoot. (This is the form
    optax and PyTorch use; it needs only the gradient at the current point.)
    """
    lr, beta = _rate(lr), _fraction("momentum beta", beta)

    def init(x):
        return MomentumState(velocity=_zeros_like(x))

    def update(g, state, x):
        velocity = beta * state.velocity + g
        return -lr * (beta * velocity + g), MomentumState(velocity)

    return Rule("nesterov", {"lr": lr, "beta": beta}, init, update)


def rmsprop(lr: float, decay: float = 0.9, eps: float = 1e-8) -> Rule:
    """RMSProp: s ← ρ·s + (1 − ρ)·g²,  x ← x − lr·g / (√s + ε), coordinate by coordinate.

    Dividing by the recent size of each coordinate's gradient gives steep and
    shallow directions steps of about the same length, lr. That holds near the
    minimum too: with a constant lr, RMSProp ends up circling within about lr of the
    minimum rather than settling (a run there stops at MAX_STEPS unless tol is loose).
    """
    lr, decay, eps = _rate(lr), _fraction("decay", decay), require_positive("eps", eps)

    def init(x):
        return RMSPropState(nu=_zeros_like(x))

    def update(g, state, x):
        nu = decay * state.nu + (1 - decay) * g**2
        return -lr * g / (np.sqrt(nu) + eps), RMSPropState(nu)

    return Rule("rmsprop", {"lr": lr, "decay": decay, "eps": eps}, init, update)


def adam(lr: float, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Rule:
    """Adam: momentum on the gradient, RMSProp on its size, both bias-corrected.

    t ← t + 1;  m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²
    m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  x ← x − lr·m̂ / (√v̂ + ε)

    The running means start at zero, so early on they are too small by the factor
    (1 − βᵗ); dividing by it corrects that.
    """
    lr, eps = _rate(lr), require_positive("eps", eps)
    b1, b2 = _fraction("b1", b1), _fraction("b2", b2)

    def init(x):
        return AdamState(count=0, mu=_zeros_like(x), nu=_zeros_like(x))

    def update(g, state, x):
        count = state.count + 1
        mu = b1 * state.mu + (1 - b1) * g
        nu = b2 * state.nu + (1 - b2) * g**2
        mu_hat, nu_hat = mu / (1 - b1**count), nu / (1 - b2**count)
        return -lr * mu_hat / (np.sqrt(nu_hat) + eps), AdamState(count, mu, nu)

    return Rule("adam", {"lr": lr, "b1": b1, "b2": b2, "eps": eps}, init, update)


# --- rules that need more than the gradient ----------------------------------------------
def newton(damping: float = 0.0, lr: float = 1.0) -> Rule:
    """Damped Newton: x ← x − lr·(H + λI)⁻¹ ∇f(x), with H the Hessian at x and λ = damping.

    Newton jumps to the minimum of the quadratic approximation at x, so on a
    quadratic bowl it lands on the minimum in one step. It heads for any critical
    point, saddles and maxima included. Damping λ > 0 shortens the step and tilts it
    towards −∇f (for large λ it is gradient descent with learning rate lr/λ). If
    H + λI is singular there is no Newton step: the update is NaN and :func:`run`
    stops with status NONFINITE.
    """
    damping, lr = require_nonnegative("damping", damping), _rate(lr)

    def init(x):
        return EmptyState()

    def update(g, state, x, *, hess):
        H = np.asarray(hess, dtype=float) + damping * np.eye(np.size(x))
        try:
            direction = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            direction = np.full_like(g, np.nan)
        return -lr * direction, state

    return Rule("newton", {"damping": damping, "lr": lr}, init, update, needs=("hess",))


def backtracking_line_search(lr: float = 1.0, shrink: float = 0.5, c: float = 1e-4,
                             max_backtracks: int = 50) -> Rule:
    """Gradient descent that chooses its own step: try t = lr, lr·ρ, lr·ρ², …

    until f(x − t·g) ≤ f(x) − c·t·|g|² (Armijo's sufficient decrease), then x ← x − t·g.
    ρ = ``shrink``. Any step it accepts lowers f, so the values never go up.
    """
    lr, shrink = _rate(lr), _fraction("shrink", shrink, zero_ok=False)
    c = _fraction("Armijo constant c", c, zero_ok=False)
    max_backtracks = require_whole("max_backtracks", max_backtracks, 1)

    def init(x):
        return LineSearchState(step_size=lr, backtracks=0)

    def update(g, state, x, *, f):
        fx, slope = f(x), float(g @ g)
        t, backtracks = lr, 0
        # a NaN f(x − t·g) fails the test too, so the search backs away from it
        while not f(x - t * g) <= fx - c * t * slope and backtracks < max_backtracks:
            t, backtracks = t * shrink, backtracks + 1
        return -t * g, LineSearchState(t, backtracks)

    params = {"lr": lr, "shrink": shrink, "c": c, "max_backtracks": max_backtracks}
    return Rule("line_search", params, init, update, needs=("f",))


# --- the loop -----------------------------------------------------------------------------
MAX_NORM = 1e6  # |x| beyond this counts as diverged
MAX_VALUE = 1e12  # |f(x)| beyond this counts as diverged
NUMERIC_HESSIAN_UP_TO = 10  # without hess=, run classifies its end point by finite differences up to this size


def _scalar(value) -> float:
    value = np.asarray(value, dtype=float)
    if value.size != 1:
        raise CalcvizError(f"f must return one number, got an array of shape {value.shape}")
    return float(value.reshape(()))


def _gradient(g, x) -> np.ndarray:
    g = np.asarray(g, dtype=float)
    if g.shape != x.shape:
        raise CalcvizError(f"grad must return one number per coordinate ({x.shape}), got shape {g.shape}")
    return g


def _trouble(x, f, grad, max_norm, max_value, check=None):
    """Evaluate f and ∇f at a new point, or say why the run has to stop there.

    Returns (fx, g, None) or (None, None, (status, reason)). A NaN is NONFINITE (the
    arithmetic broke down); a point or value that grows past the limits, or overflows
    to ±inf, is DIVERGED (the run ran away); a point that ``check`` rejects is
    OUT_OF_BOUNDS.
    """
    if np.any(np.isnan(x)):
        return None, None, (Status.NONFINITE, "the new point is NaN")
    norm = float(np.linalg.norm(x))
    if not norm <= max_norm:
        i = int(np.argmax(np.abs(x)))
        return None, None, (Status.DIVERGED, f"|x| = {norm:.3g} passed max_norm = {max_norm:g} (x[{i}] = {x[i]:.3g})")
    if check is not None:
        reason = call("check", check, x)
        if reason:
            return None, None, (Status.OUT_OF_BOUNDS, reason)
    fx = _scalar(f(x))
    if np.isnan(fx):
        return None, None, (Status.NONFINITE, "f(x) is NaN")
    if not abs(fx) <= max_value:
        return None, None, (Status.DIVERGED, f"|f(x)| = {abs(fx):.3g} passed max_value = {max_value:g}")
    g = _gradient(call("grad", grad, x), x)
    if not np.all(np.isfinite(g)):
        return None, None, (Status.NONFINITE, "∇f(x) is not finite")
    return fx, g, None


def end_point_kind(x: np.ndarray, grad: Callable, hess: Callable | None) -> str | None:
    """The kind of critical point at x: from ``hess`` if given, else from finite differences of
    ``grad`` (up to NUMERIC_HESSIAN_UP_TO coordinates); None when it cannot be told."""
    x, grad = require_vector("point x", x), require_callable("grad", grad)
    if hess is not None:
        require_callable("hess", hess)
    try:
        if hess is not None:
            return point_kind(hess(x))
        if x.size <= NUMERIC_HESSIAN_UP_TO:
            return point_kind(numdiff.jacobian(grad, x), rtol=1e-6)
    except (CalcvizError, np.linalg.LinAlgError):
        pass
    return None


def _flat_spot(x, grad, hess, gnorm, tol, k) -> tuple[Status, str, str | None]:
    """|∇f| ≤ tol at x: STATIONARY at a saddle or hilltop, else CONVERGED (a minimum, or nobody can tell)."""
    kind = end_point_kind(x, grad, hess)
    flat = f"|∇f| = {gnorm:.2e} ≤ tol = {tol:g} after {k} steps"
    if kind in ("saddle", "maximum"):
        return Status.STATIONARY, f"stopped at a {kind}, not a minimum: {flat}", kind
    where = {None: "", "minimum": " at a minimum", "flat": " at a flat spot (singular Hessian: a minimum or not)"}
    return Status.CONVERGED, f"converged: {flat}{where[kind]}", kind


def run(rule: Rule, f: Callable, grad: Callable, x0, *, steps: int = 1000, tol: float = 1e-6,
        hess: Callable | None = None, max_norm: float = MAX_NORM,
        max_value: float = MAX_VALUE, check: Callable | None = None) -> Trajectory:
    """Apply ``rule`` from ``x0`` until |∇f(x)| ≤ tol or ``steps`` steps are taken.

    Every iterate is recorded with f, ∇f and the step size. The status says how it
    ended:

    - CONVERGED: |∇f(x)| ≤ ``tol`` (checked at x0 too, so a start at a minimum takes 0
      steps) at a point that is not a saddle or a hilltop;
    - STATIONARY: |∇f(x)| ≤ ``tol`` at a saddle or a hilltop — a flat spot, not a minimum;
    - DIVERGING: ``steps`` steps taken and f still growing at the end, by ``growth`` a step
      (:func:`~calcviz.result.growth`): too large a step, caught before it overflows;
    - MAX_STEPS: ``steps`` steps taken without converging; if |∇f| was shrinking steadily,
      ``to_go`` says about how many more steps would have reached ``tol``;
    - DIVERGED: a new point had |x| > ``max_norm`` (default 1e6) or |f(x)| > ``max_value``
      (default 1e12), or overflowed to ±inf;
    - OUT_OF_BOUNDS: ``check(x)`` (optional) said why a new point is not sane;
    - NONFINITE: a new point, f or ∇f came out NaN (e.g. a singular Hessian in Newton).

    The kind of point a flat ending reached (``point_kind``) comes from ``hess`` (a
    function x → Hessian matrix) if given, else from finite differences of ``grad`` for
    up to 10 coordinates, else it is unknown (None) and the run counts as CONVERGED.
    On DIVERGED, OUT_OF_BOUNDS or NONFINITE the offending point is dropped, so the
    trajectory ends at its last good point and holds no NaN, and ``stopped_at`` is the
    step that went wrong. Rules that need the Hessian require ``hess``.
    """
    if not isinstance(rule, Rule):
        raise CalcvizError(f"rule must be an optimizer Rule such as adam(lr=0.1), got {show(rule)}")
    require_callable("f", f)
    require_callable("grad", grad)
    x = require_vector("starting point x0", x0)
    steps = require_whole("steps", steps)
    tol = require_nonnegative("tolerance tol", tol)
    max_norm, max_value = require_positive("max_norm", max_norm), require_positive("max_value", max_value)
    if hess is not None:
        require_callable("hess", hess)
    if check is not None:
        require_callable("check", check)
    if "hess" in rule.needs and hess is None:
        raise CalcvizError(f"{rule.name} needs the Hessian: pass hess=")

    nfev = 0

    def counted_f(p):
        nonlocal nfev
        nfev += 1
        return _scalar(call("f", f, p))

    with np.errstate(all="ignore"):  # overflow and NaN are detected and reported below
        fx, g, trouble = _trouble(x, counted_f, grad, np.inf, np.inf, check)
        if trouble is not None:
            raise CalcvizError(f"cannot start {rule.name} at x0 = {show(x.tolist())}: {trouble[1]}")
        points, values, gradients, step_sizes = [x], [fx], [g], []
        state = call(f"{rule.name}'s init", rule.init, x)
        stopped_at, kind, pace = None, None, {}
        for k in range(steps + 1):
            gnorm = float(np.linalg.norm(g))
            if gnorm <= tol:
                status, message, kind = _flat_spot(x, grad, hess, gnorm, tol, k)
                break
            if k == steps:
                status, message, pace = _at_the_limit(values, gradients, tol)
                break
            extra = {}
            if "f" in rule.needs:
                extra["f"] = counted_f
            if "hess" in rule.needs:
                extra["hess"] = call("hess", hess, x)
            step, state = call(f"{rule.name}'s update", lambda *a, extra=extra: rule.update(*a, **extra), g, state, x)
            x_new = x + np.asarray(step, dtype=float)
            fx_new, g_new, trouble = _trouble(x_new, counted_f, grad, max_norm, max_value, check)
            if trouble is not None:
                status, reason = trouble
                stopped_at = k + 1
                message = f"{status.value} at step {k + 1}: {reason}"
                break
            x, fx, g = x_new, fx_new, g_new
            points.append(x)
            values.append(fx)
            gradients.append(g)
            step_sizes.append(float(getattr(state, "step_size", rule.hyperparams.get("lr", 1.0))))

    return Trajectory(method=rule.name, points=points, values=values, gradients=gradients,
                      step_sizes=step_sizes, status=status, message=message, nfev=nfev,
                      hyperparams=dict(rule.hyperparams), stopped_at=stopped_at, point_kind=kind, **pace)


def _at_the_limit(values, gradients, tol) -> tuple[Status, str, dict]:
    """How a run that used up its steps was going: DIVERGING if f was still growing (with the factor per
    step), else MAX_STEPS, with about how many more steps |∇f| needed if it was shrinking steadily."""
    k = len(values) - 1
    rate = growth(values)
    if rate is not None:
        return Status.DIVERGING, rising("f", values, rate), {"growth": rate}
    sizes = np.linalg.norm(np.asarray(gradients), axis=1)
    message = f"took {k} steps; |∇f| = {sizes[-1]:.2e} is still above tol = {tol:g}"
    factor = shrink(sizes)
    if factor is None or tol == 0:
        return Status.MAX_STEPS, message, {}
    more = steps_to_go(sizes[-1], factor, tol)
    return Status.MAX_STEPS, f"{message}, shrinking ×{factor:.4g} a step: about {more} more steps", {"to_go": more}


# --- by name, for scenes that take their settings from the command line ---------------------
METHODS: dict[str, Callable[..., Rule]] = {
    "gradient_descent": gradient_descent,
    "momentum": momentum,
    "nesterov": nesterov,
    "rmsprop": rmsprop,
    "adam": adam,
    "newton": newton,
    "line_search": backtracking_line_search,
}


def make_rule(method: str, **hyperparams) -> Rule:
    """The named rule built with ``hyperparams``; unknown or missing settings are a CalcvizError."""
    factory = METHODS[require_choice("method", method, METHODS)]
    accepted = inspect.signature(factory).parameters
    unknown = sorted(set(hyperparams) - set(accepted))
    if unknown:
        raise CalcvizError(f"{method} has no setting {', '.join(unknown)}; it takes: {', '.join(accepted)}")
    missing = [n for n, p in accepted.items() if p.default is p.empty and n not in hyperparams]
    if missing:
        raise CalcvizError(f"{method} needs {', '.join(missing)} (e.g. {missing[0]}=0.01)")
    return factory(**hyperparams)


def minimize(land: Landscape | str, method: str, x0=None, *, steps: int = 1000, tol: float = 1e-6,
             **hyperparams) -> Trajectory:
    """Run the named method on a landscape from ``x0`` (default: the landscape's ``start``).

    >>> minimize("rosenbrock", "newton", [-1.2, 1.0]).status
    CONVERGED
    """
    land = landscape(land)
    rule = make_rule(method, **hyperparams)
    start = land.start if x0 is None else x0
    return run(rule, land.value, land.grad, start, steps=steps, tol=tol, hess=land.hessian)
