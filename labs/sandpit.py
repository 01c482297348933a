"""Lab 2, the sandpit: the checks of its exercises, every expected value from the core.

    deepest_on_grid(probe, xs, ys)          the (x, y) of the grid's lowest probe
    gradient_descent(grad, start, lr, steps)  x ← x − lr·∇f(x), the whole path: shape (steps + 1, 2)
    descend(probe, start, lr, steps)        gradient descent on the hidden landscape, led by the probe's slope
    largest_safe_rate(hessian)              2 / λ_max
    too_small, just_right, zig_zag, too_large   four learning rates, one per regime of the clip
    newton_raphson(f, df, x0, steps)        x ← x − f(x)/f′(x), the iterates x₀ … x_steps

The hidden landscape is the core's: :func:`hidden_probe` gives a probe into it that answers with the
height f(x, y) and the slope ∇f(x, y) there, and counts how often it was asked.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

import calcviz as cv
from labs.check import Checker, Exercise, Fail, Mistake
from scenes.kit.i18n import N_


# --- the hidden landscape ---------------------------------------------------------------------------
class Probe:
    """A probe into a landscape you cannot see: ``probe(x, y)`` is ``(height, slope)``, the height
    f(x, y) of the ground there and its slope ∇f(x, y) as a numpy array (f_x, f_y). It works on arrays
    of points too (then height has their shape and slope one more axis of 2). ``probe.count`` is how
    many points it has been asked about."""

    def __init__(self, name: str = "mountains"):
        self._land = cv.landscape(name)
        self.count = 0

    def __call__(self, x, y):
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        p = np.stack([x, y], axis=-1)
        self.count += int(x.size)
        return self._land.value(p), self._land.grad(p)

    def __repr__(self) -> str:
        return f"<a probe into a hidden landscape, asked {self.count} times>"


def hidden_probe(name: str = "mountains") -> Probe:
    """A fresh probe into the hidden landscape (the mountain range the hiker of the clip walks on)."""
    return Probe(name)


# How a learner reads each landscape (plain text, the same in every language).
FORMULAS = {"bowl": "f(x, y) = ½(x² + 10y²)", "booth": "f(x, y) = (x + 2y − 7)² + (2x + y − 5)²",
            "mountains": N_("f = the mountains of the clip")}

# The clip LearningRateRegimes: gradient descent on the bowl from one start, 150 steps at most.
REGIME_START, REGIME_STEPS, REGIME_TOL = (-2.5, 1.0), 150, 1e-6


# --- helpers ------------------------------------------------------------------------------------------
def _same(got, value) -> bool:
    """got has the shape of value and is close to it (whatever got is; never raises)."""
    try:
        got, value = np.asarray(got, dtype=float), np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == value.shape and bool(np.all(np.isclose(got, value, rtol=1e-6, atol=1e-9)))


def _expect(c: Checker, got, want, *, tried: str, name: str, mistakes=(), shaped=(), hint: str = "",
            rtol: float = 1e-9, **values) -> np.ndarray:
    """``c.expect``, after recognising the typical answers of another shape than the right one (``shaped``:
    Mistakes whose values have that other shape, e.g. a path without its start). Those fail as "shape", with
    their own hint: ``lab.ready`` then keeps a plot away from a value it could not draw."""
    if got is not None and got is not Ellipsis:
        for mistake in shaped:
            if np.shape(mistake.value) != np.shape(want) and _same(got, mistake.value):
                said = c.t("For {tried}, the answer is {want}; {name} gave {got}.", tried=tried,
                           want=c.show(want), name=name, got=c.show(np.asarray(got, dtype=float)))
                raise Fail("shape", f"{said} {c.t(mistake.hint, **values)}")
    return c.expect(got, want, tried=tried, name=name, mistakes=mistakes, hint=hint, rtol=rtol, **values)


def _expect_path(c: Checker, got, want, *, tried: str, name: str, mistakes=(), shaped=(), hint: str = "",
                 rtol: float = 1e-9) -> np.ndarray:
    """A path (one point per row) ≈ the core's; else the first step where it strays, what it should be there
    and what it is, and the hint of the mistake it matches (``hint`` when it matches none)."""
    if got is not None and got is not Ellipsis:
        for mistake in shaped:
            if np.shape(mistake.value) != np.shape(want) and _same(got, mistake.value):
                said = c.t("For {tried} the answer holds {n} points (the start and one per step); {name} gave "
                           "{got}.", tried=tried, n=len(want), name=name, got=c.show(np.asarray(got, dtype=float)))
                raise Fail("shape", f"{said} {c.t(mistake.hint)}")
    arr = c.value(got, want, tried=tried, name=name)
    close = np.isclose(arr, want, rtol=rtol, atol=1e-9)
    if np.all(close):
        return arr
    k = int(np.argmin(close.reshape(len(want), -1).all(axis=1)))
    if k == 0:
        said = c.t("For {tried} the path starts at {want}; {name}'s starts at {got}.", tried=tried,
                   want=c.show(want[0]), name=name, got=c.show(arr[0]))
    else:
        said = c.t("For {tried}, step {k} should reach {want}; {name} has {got} there.", tried=tried, k=k,
                   want=c.show(want[k]), name=name, got=c.show(arr[k]))
    for mistake in mistakes:
        if _same(arr, mistake.value):
            raise Fail(mistake.name, f"{said} {c.t(mistake.hint)}")
    raise Fail("wrong", f"{said} {c.t(hint)}" if hint else said)


def _walk(step, start, steps: int) -> np.ndarray:
    """The path x₀, x₁ = step(x₀, 0), … of ``steps`` steps of a rule: what a mistaken loop gives."""
    x = np.asarray(start, dtype=float)
    path = [x]
    with np.errstate(all="ignore"):
        for k in range(steps):
            x = step(x, k)
            path.append(x)
    return np.array(path)


def _path_mistakes(want: np.ndarray) -> list[Mistake]:
    """The answers a path of the wrong length or shape is likely to be."""
    return [
        Mistake("no_start", want[1:],
                N_("Your path has no start: it begins after the first step. Put the starting point first.")),
        Mistake("last_only", want[-1],
                N_("That is only where the walk ends; return the whole path, every point from the start on.")),
        Mistake("short", want[:-1],
                N_("Your path is one step short: take exactly `steps` steps, so the path has steps + 1 points.")),
        Mistake("transposed", want.T,
                N_("Your path lies on its side: one row per point, so its shape is (steps + 1, 2).")),
    ]


# --- Exercise 1: the deepest probe of a grid ----------------------------------------------------------
def _grid_cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(2)
    return [
        # a tilted bowl: its lowest node (1, 3), its x and y, its indices and its highest node all differ
        ("booth", np.linspace(-10, 10, 21), np.linspace(-6, 9, 16)),
        # the mountains on a grid of random spacing, more x's than y's
        ("mountains", np.sort(rng.uniform(-5, 5, 30)), np.sort(rng.uniform(-5, 5, 24))),
        # the deepest node is the last x and the last y: a loop must reach the end
        ("mountains", np.linspace(-5, 2, 15), np.linspace(-5, -2, 7)),
    ]


def _grid_tried(c: Checker, xs, ys) -> str:
    return c.t("a hidden landscape probed on a grid of {nx} × {ny} points (x from {x0} to {x1}, y from {y0} "
               "to {y1})", nx=len(xs), ny=len(ys), x0=c.show(xs[0]), x1=c.show(xs[-1]), y0=c.show(ys[0]),
               y1=c.show(ys[-1]))


def check_deepest(c: Checker, deepest_on_grid) -> None:
    for name, xs, ys in _grid_cases():
        land = cv.landscape(name)
        X, Y = np.meshgrid(xs, ys)
        Z = land.value(np.stack([X, Y], axis=-1))           # Z[i, j] = f(xs[j], ys[i])
        i, j = np.unravel_index(np.argmin(Z), Z.shape)
        hi, hj = np.unravel_index(np.argmax(Z), Z.shape)
        want = np.array([xs[j], ys[i]])
        what = _grid_tried(c, xs, ys)
        got = c.call(deepest_on_grid, Probe(name), xs, ys, tried=what, name="deepest_on_grid")
        mistakes = [
            Mistake("highest", [xs[hj], ys[hi]],
                    N_("That is the highest probe: the deepest point is where the height is lowest.")),
            Mistake("swapped", [ys[i], xs[j]], N_("Right place, but x and y are swapped: return (x, y).")),
            Mistake("index", [j, i], N_("Those are the positions of the deepest probe in xs and ys; return "
                                        "the coordinates x and y found there.")),
            Mistake("index", [i, j], N_("Those are the positions of the deepest probe in xs and ys; return "
                                        "the coordinates x and y found there.")),
            Mistake("edge", _deepest(land, xs[:-1], ys[:-1]),
                    N_("The deepest probe here is at the last x and the last y of the grid: does your loop "
                       "reach the end of xs and ys?")),
        ]
        if i < len(xs) and j < len(ys):
            mistakes.append(Mistake("mixed", [xs[i], ys[j]],
                                    N_("x and y come from mixed-up positions: the row of the height table "
                                       "goes with y, the column with x.")))
        _expect(c, got, want, tried=what, name="deepest_on_grid", rtol=1e-12, mistakes=mistakes, shaped=[
            Mistake("height", Z[i, j], N_("That is the height of the deepest probe; return where it is, (x, y).")),
            Mistake("index", np.argmin(Z), N_("Those are the positions of the deepest probe in xs and ys; "
                                               "return the coordinates x and y found there.")),
        ])


def _deepest(land, xs, ys) -> np.ndarray:
    X, Y = np.meshgrid(xs, ys)
    Z = land.value(np.stack([X, Y], axis=-1))
    i, j = np.unravel_index(np.argmin(Z), Z.shape)
    return np.array([xs[j], ys[i]])


# --- Exercise 2: gradient descent ----------------------------------------------------------------------
def _descent_cases() -> list[tuple[str, tuple, float, int]]:
    rng = np.random.default_rng(7)
    return [("bowl", (-2.5, 1.5), 0.1, 10),                                   # the zig-zag valley
            ("booth", tuple(np.round(rng.uniform(-8, 8, 2), 3)), 0.02, 25),   # a random start, tilted axes
            ("mountains", (-1.2, 0.9), 0.3, 60),                              # the clip's hiker
            ("bowl", (1.0, -0.5), 0.1, 0)]                                    # no step at all: the start alone


@lru_cache(maxsize=None)
def core_path(name: str, start: tuple, lr: float, steps: int) -> np.ndarray:
    """The core's gradient descent on a landscape: exactly ``steps`` steps (tol = 0 never stops it early)."""
    return cv.minimize(name, "gradient_descent", start, steps=steps, tol=0.0, lr=lr).points


def _descent_mistakes(land, start, lr, steps) -> list[Mistake]:
    g0 = land.grad(np.asarray(start, dtype=float))
    last = core_path(land.name, start, lr, steps)[-1]
    return [
        Mistake("climbs", _walk(lambda x, k: x + lr * land.grad(x), start, steps),
                N_("Your walk climbs: it steps along the slope ∇f, which points uphill. Step against it.")),
        Mistake("no_lr", _walk(lambda x, k: x - land.grad(x), start, steps),
                N_("Your steps ignore the learning rate: each step is lr times the slope.")),
        Mistake("frozen", _walk(lambda x, k: x - lr * g0, start, steps),
                N_("Every step uses the slope at the start: feel the slope again at each new point.")),
        Mistake("same_point", np.tile(last, (steps + 1, 1)),
                N_("Every point of your path is the same, the last one: you change one array in place "
                   "(x -= …) and store it again and again. Make a new point each step: x = x − …")),
    ]


def _descent_tried(c: Checker, name, start, lr, steps) -> str:
    return c.t("the slope of {formula} from {start} with lr = {lr}, {steps} steps", formula=c.t(FORMULAS[name]),
               start=c.show(start), lr=c.show(lr), steps=steps)


def check_gradient_descent(c: Checker, gradient_descent) -> None:
    for name, start, lr, steps in _descent_cases():
        land = cv.landscape(name)
        want = core_path(name, start, lr, steps)
        what = _descent_tried(c, name, start, lr, steps)
        got = c.call(gradient_descent, land.grad, np.array(start), lr, steps, tried=what, name="gradient_descent")
        too_long = Mistake("long", core_path(name, start, lr, steps + 1),
                           N_("Your path is one step too long: take exactly `steps` steps, so the path has "
                              "steps + 1 points."))
        _expect_path(c, got, want, tried=what, name="gradient_descent",
                     hint=N_("Each new point is the last one minus lr times the slope there."),
                     mistakes=_descent_mistakes(land, start, lr, steps), shaped=[*_path_mistakes(want), too_long])


# --- Exercise 3: descend the hidden landscape ----------------------------------------------------------
def _hidden_cases() -> list[tuple[tuple, float, int]]:
    rng = np.random.default_rng(11)
    return [((2.0, -2.0), 0.3, 30),                                   # from the deepest node of a coarse grid
            ((-1.2, 0.9), 0.3, 60),                                   # the clip's hiker
            (tuple(np.round(rng.uniform(-4, 4, 2), 3)), 0.2, 40)]     # a random start


def _gradient_descent_right(c: Checker, gradient_descent) -> bool:
    try:
        check_gradient_descent(c, gradient_descent)
    except Fail:
        return False
    return True


def check_descend(c: Checker, descend, gradient_descent) -> None:
    land = cv.landscape("mountains")
    for start, lr, steps in _hidden_cases():
        what = c.t("the hidden landscape from {start} with lr = {lr}, {steps} steps", start=c.show(start),
                   lr=c.show(lr), steps=steps)
        want = core_path("mountains", start, lr, steps)
        height = lambda p: np.full(2, land.value(p))           # noqa: E731 — the height taken for a slope
        try:
            got = c.call(descend, Probe("mountains"), np.array(start), lr, steps, tried=what, name="descend")
            _expect_path(c, got, want, tried=what, name="descend", rtol=1e-7, shaped=_path_mistakes(want), mistakes=[
                Mistake("height", _walk(lambda x, k: x - lr * height(x), start, steps),
                        N_("Your walk follows the height, not the slope: a probe answers (height, slope), and "
                           "gradient descent needs the slope.")),
                Mistake("swapped", _walk(lambda x, k: x - lr * land.grad(x[::-1]), start, steps),
                        N_("Your walk probes at (y, x): a point p of the path is (x, y), so probe at p[0], p[1].")),
                Mistake("climbs", _walk(lambda x, k: x + lr * land.grad(x), start, steps),
                        N_("Your walk climbs: give gradient descent the slope itself; it steps against it.")),
            ])
        except Fail as fail:
            # a descend that went wrong through the learner's own gradient_descent: point at Exercise 2
            if fail.kind in ("blank", "timeout") or _gradient_descent_right(
                    Checker(c.lang, budget=max(c.budget - c.spent, 0.3)), gradient_descent):
                raise
            if fail.kind == "nothing":
                raise Fail("nothing", f"{fail.text} " + c.t("Its walk needs your gradient_descent, which does not "
                                                             "pass its check yet: finish Exercise 2 first.")) from None
            raise Fail("previous", c.t("descend walks with your gradient_descent, which does not pass its check "
                                       "yet: finish Exercise 2 first.")) from None


# --- Exercise 4: the largest safe step -----------------------------------------------------------------
def _hessian_cases() -> list[tuple[str, np.ndarray]]:
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(2, 2)), rng.normal(size=(3, 3))
    mountains = cv.landscape("mountains")
    return [("booth", cv.landscape("booth").hessian(np.zeros(2))),
            ("mountains", mountains.hessian(mountains.global_minimum)),
            ("random 2×2", a @ a.T + 0.5 * np.eye(2)),
            ("random 3×3", b @ b.T + 0.5 * np.eye(3))]


HESSIAN_WORDS = {"booth": N_("the Hessian {matrix} of Booth's bowl {formula}"),
                 "mountains": N_("the Hessian at the floor of the deepest valley of the mountains"),
                 "random 2×2": N_("a random 2 × 2 Hessian of a bowl, {matrix}"),
                 "random 3×3": N_("a random 3 × 3 Hessian of a bowl (three coordinates)")}


def check_safe_rate(c: Checker, largest_safe_rate) -> None:
    for key, H in _hessian_cases():
        H = np.round(H, 3) if key == "random 2×2" else H      # exactly the matrix the sentence shows
        what = c.t(HESSIAN_WORDS[key], formula=FORMULAS["booth"], matrix=c.show(H))
        curvatures = cv.principal_curvatures(H)[0]           # λ ascending
        low, high = float(curvatures[0]), float(curvatures[-1])
        got = c.call(largest_safe_rate, H, tried=what, name="largest_safe_rate")
        c.expect(got, 2 / high, tried=what, rtol=1e-9, name="largest_safe_rate", mistakes=[
            Mistake("no_two", 1 / high,
                    N_("Half the answer: a step is safe up to 2/λ_max, twice 1/λ_max (the step that lands on "
                       "the floor along the steepest direction).")),
            Mistake("smallest", 2 / low,
                    N_("That uses the smallest eigenvalue, the gentlest bend; the steepest bend, λ_max, limits "
                       "the step.")),
            Mistake("entry", 2 / float(np.max(H)),
                    N_("That uses the largest entry of H; the limit comes from its largest eigenvalue (the "
                       "matrix is not diagonal).")),
            Mistake("norm", 2 / float(np.linalg.norm(H)),
                    N_("That uses the size (norm) of the whole matrix; the limit comes from its largest "
                       "eigenvalue.")),
            Mistake("eigenvalue", high, N_("That is λ_max itself; the largest safe rate is 2/λ_max.")),
        ])


# --- Exercise 5: four regimes ---------------------------------------------------------------------------
REGIMES = (("too_small", "crawls",
            N_("A rate that is too small should still be crawling when the steps run out: try a much "
               "smaller one.")),
           ("just_right", "converged",
            N_("Just right reaches the floor within the steps without zig-zagging: try a rate between the "
               "crawl and the zig-zag.")),
           ("zig_zag", "zig-zags",
            N_("A zig-zag overshoots the valley floor at every step yet never runs away: try a rate a "
               "little below the largest safe rate 2/λ_max.")),
           ("too_large", "diverged",
            N_("Too large a rate runs away: try one above the largest safe rate 2/λ_max.")))


@lru_cache(maxsize=64)
def regime_run(lr: float) -> cv.Trajectory:
    """The clip's run: gradient descent on the bowl from (−2.5, 1), at most 150 steps."""
    return cv.minimize("bowl", "gradient_descent", REGIME_START, steps=REGIME_STEPS, tol=REGIME_TOL, lr=lr)


def check_regimes(c: Checker, too_small, just_right, zig_zag, too_large) -> None:
    what = c.t("gradient descent on the bowl {formula} from {start} (at most {steps} steps)",
               formula=FORMULAS["bowl"], start=c.show(REGIME_START), steps=REGIME_STEPS)
    rates = dict(too_small=too_small, just_right=just_right, zig_zag=zig_zag, too_large=too_large)
    for name, regime, hint in REGIMES:
        rate = rates[name]
        if rate is Ellipsis:
            raise Fail("blank", c.t("{name} is not chosen yet: give it a number in its cell above and run it.",
                                    name=name))
        if isinstance(rate, (bool, np.bool_)) or not isinstance(rate, (int, float, np.integer, np.floating)):
            raise Fail("type", c.t("{name} should be a number, a learning rate, but it is of type {type}.", name=name,
                                   type=type(rate).__name__))
        lr = float(rate)
        if not lr > 0 or not np.isfinite(lr):
            raise Fail("wrong", c.t("{name} = {lr}, but a learning rate is a positive, finite number.", name=name,
                                    lr=c.show(lr)))
        got, message, values = cv.verdict_message(regime_run(lr))
        if got != regime:
            said = c.t("With {name} = {lr}, {tried}: {verdict}.", name=name, lr=c.show(lr), tried=what,
                       verdict=c.t(message, **values))
            raise Fail("regime", f"{said} {c.t(hint)}")


# --- Exercise 6: Newton–Raphson ------------------------------------------------------------------------
def _newton_f(x):
    return x**3 - 2 * x - 5


def _newton_df(x):
    return 3 * x**2 - 2


# (words, f, f′, x₀, steps): the clip's good start, Newton's own cubic, a start that cycles for ever, the
# clip's bad start (a nearly flat tangent throws it far away), and no step at all.
NEWTON_CASES = (("f(x) = sin x", np.sin, np.cos, 1.0, 4),
                ("f(x) = x³ − 2x − 5", _newton_f, _newton_df, 2.0, 5),
                ("f(x) = x³/4 − x + 1", cv.function("cubic").f, cv.function("cubic").df, 0.0, 6),
                ("f(x) = sin x", np.sin, np.cos, 1.55, 4),
                ("f(x) = sin x", np.sin, np.cos, 0.5, 0))


def core_newton(f, df, x0: float, steps: int) -> np.ndarray:
    """The core's iterates for exactly ``steps`` steps (tol = 0). Were f(x) ever exactly 0 the core stops
    there, and every further step x − 0/f′(x) stays put: the last point repeats."""
    points = cv.newton_raphson(f, df, x0, tol=0.0, steps=steps).points
    return np.concatenate([points, np.full(steps + 1 - len(points), points[-1])])


def check_newton(c: Checker, newton_raphson) -> None:
    for formula, f, df, x0, steps in NEWTON_CASES:
        what = c.t("{formula} from x0 = {x0}, {steps} steps", formula=formula, x0=c.show(x0), steps=steps)
        want = core_newton(f, df, x0, steps)
        got = c.call(newton_raphson, f, df, x0, steps, tried=what, name="newton_raphson")
        slope0 = df(x0)
        _expect_path(c, got, want, tried=what, name="newton_raphson",
                     hint=N_("Each new x is where the tangent at the last x crosses zero."), shaped=[
            Mistake("no_start", want[1:], N_("Your iterates leave out x0: put the start first.")),
            Mistake("last_only", want[-1], N_("That is only the last iterate; return them all, x0 first.")),
            Mistake("short", want[:-1], N_("One step short: take exactly `steps` steps, so there are steps + 1 "
                                           "iterates.")),
            Mistake("long", core_newton(f, df, x0, steps + 1),
                    N_("One step too many: take exactly `steps` steps, so there are steps + 1 iterates.")),
        ], mistakes=[
            Mistake("sign", _walk(lambda x, k: x + f(x) / df(x), start=x0, steps=steps),
                    N_("Your step goes the wrong way along the tangent: it crosses zero at x − f(x)/f′(x).")),
            Mistake("upside_down", _walk(lambda x, k: x - df(x) / f(x), start=x0, steps=steps),
                    N_("The fraction is upside down: the tangent crosses zero a distance f(x)/f′(x) away.")),
            Mistake("no_slope", _walk(lambda x, k: x - f(x), start=x0, steps=steps),
                    N_("Your step is f(x) alone: divide it by the slope f′(x) of the tangent.")),
            Mistake("frozen", _walk(lambda x, k: x - f(x) / slope0, start=x0, steps=steps),
                    N_("Every step uses the slope at x0: take the tangent at the newest x each time.")),
        ])


EXERCISES = (
    Exercise("deepest_on_grid", N_("Exercise 1: the deepest probe"), ("deepest_on_grid",), check_deepest),
    Exercise("gradient_descent", N_("Exercise 2: gradient descent"), ("gradient_descent",), check_gradient_descent),
    Exercise("descend", N_("Exercise 3: down into the hidden landscape"), ("descend", "gradient_descent"),
             check_descend),
    Exercise("largest_safe_rate", N_("Exercise 4: the largest safe step"), ("largest_safe_rate",), check_safe_rate),
    Exercise("rates", N_("Exercise 5: four learning rates"), ("too_small", "just_right", "zig_zag", "too_large"),
             check_regimes),
    Exercise("newton_raphson", N_("Exercise 6: Newton–Raphson"), ("newton_raphson",), check_newton),
)
