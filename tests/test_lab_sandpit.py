"""Lab 2's checks: the reference answers pass, and each typical wrong answer fails with the hint meant for it."""
from __future__ import annotations


import numpy as np
import pytest

from labs.catalogue import lab_entry
from labs.check import run_check
from tests.lab_answers import answer_tests, checker

EXERCISES = {e.name: e for e in lab_entry("sandpit").exercises()}

# A right gradient descent, for the exercise that walks with the learner's own.
GD = ("def gradient_descent(grad, start, lr, steps):\n"
      "    path = [np.array(start, dtype=float)]\n"
      "    for _ in range(steps):\n"
      "        path.append(path[-1] - lr * grad(path[-1]))\n"
      "    return np.array(path)\n")


def rates(too_small=0.01, just_right=0.12, zig_zag=0.195, too_large=0.25) -> str:
    return f"too_small, just_right, zig_zag, too_large = {too_small!r}, {just_right!r}, {zig_zag!r}, {too_large!r}"


def walk(update: str, *, start="np.array(start, dtype=float)", keep="x", steps="steps") -> str:
    """A gradient descent whose step is ``update`` (a mistake, usually)."""
    return (f"def gradient_descent(grad, start, lr, steps):\n    x = {start}\n    path = [x]\n"
            f"    for _ in range({steps}):\n        x = {update}\n        path.append({keep})\n"
            f"    return np.array(path)")


def newton(update: str, *, steps="steps", first="[x0]", out="xs") -> str:
    return (f"def newton_raphson(f, df, x0, steps):\n    xs = {first}\n    x = x0\n"
            f"    for _ in range({steps}):\n        x = {update}\n        xs.append(x)\n    return {out}")


def deepest(body: str) -> str:
    return ("def deepest_on_grid(probe, xs, ys):\n"
            "    heights = np.array([[probe(x, y)[0] for x in xs] for y in ys])\n"
            "    i, j = np.unravel_index(np.argmin(heights), heights.shape)\n"
            f"    {body}")


# exercise -> [(the kind of feedback it must give, a word of the hint, the learner's code)]
WRONG = {
    "deepest_on_grid": [
        ("highest", "highest", "def deepest_on_grid(probe, xs, ys):\n"
                               "    heights = np.array([[probe(x, y)[0] for x in xs] for y in ys])\n"
                               "    i, j = np.unravel_index(np.argmax(heights), heights.shape)\n"
                               "    return xs[j], ys[i]"),
        ("swapped", "swapped", deepest("return ys[i], xs[j]")),
        ("index", "positions", deepest("return j, i")),
        ("shape", "positions", deepest("return np.argmin(heights)")),
        ("shape", "height of the deepest", deepest("return heights[i, j]")),
        ("mixed", "mixed-up", deepest("return xs[i], ys[j]")),
        ("edge", "last x", "def deepest_on_grid(probe, xs, ys):\n    best = None\n"
                           "    for a in range(len(xs) - 1):\n        for b in range(len(ys) - 1):\n"
                           "            h, _ = probe(xs[a], ys[b])\n"
                           "            if best is None or h < best[0]:\n                best = (h, xs[a], ys[b])\n"
                           "    return best[1], best[2]"),
        ("nothing", "return", deepest("(xs[j], ys[i])")),
        ("raised", "line 2", "def deepest_on_grid(probe, xs, ys):\n    return probe(xs)"),
        ("type", "str", "def deepest_on_grid(probe, xs, ys):\n    return 'here'"),
        ("shape", "shape", "def deepest_on_grid(probe, xs, ys):\n    return [1.0, 2.0, 3.0]"),
    ],
    "gradient_descent": [
        ("climbs", "uphill", walk("x + lr * grad(x)")),
        ("no_lr", "learning rate", walk("x - grad(x)")),
        ("frozen", "slope at the start", "def gradient_descent(grad, start, lr, steps):\n"
                                         "    g = grad(start)\n    path = [start]\n    for _ in range(steps):\n"
                                         "        path.append(path[-1] - lr * g)\n    return np.array(path)"),
        ("same_point", "in place", "def gradient_descent(grad, start, lr, steps):\n"
                                   "    x = np.array(start, dtype=float)\n    path = [x]\n"
                                   "    for _ in range(steps):\n        x -= lr * grad(x)\n        path.append(x)\n"
                                   "    return np.array(path)"),
        ("shape", "no start", "def gradient_descent(grad, start, lr, steps):\n    x, path = start, []\n"
                                 "    for _ in range(steps):\n        x = x - lr * grad(x)\n        path.append(x)\n"
                                 "    return np.array(path)"),
        ("shape", "whole path", "def gradient_descent(grad, start, lr, steps):\n    x = start\n"
                                    "    for _ in range(steps):\n        x = x - lr * grad(x)\n    return x"),
        ("shape", "one step short", walk("x - lr * grad(x)", steps="steps - 1")),
        ("shape", "too long", walk("x - lr * grad(x)", steps="steps + 1")),
        ("shape", "on its side", walk("x - lr * grad(x)").replace("np.array(path)", "np.array(path).T")),
        ("timeout", "loop", "def gradient_descent(grad, start, lr, steps):\n    while True:\n        pass"),
        ("nonfinite", "NaN", walk("x - lr * grad(x) / 0.0")),
        ("wrong", "should reach", walk("x - lr * grad(x) * 0.5")),
    ],
    "descend": [
        ("height", "height", GD + "def descend(probe, start, lr, steps):\n"
                                  "    return gradient_descent(lambda p: probe(p[0], p[1])[0], start, lr, steps)"),
        ("swapped", "(y, x)", GD + "def descend(probe, start, lr, steps):\n"
                                   "    return gradient_descent(lambda p: probe(p[1], p[0])[1], start, lr, steps)"),
        ("climbs", "climbs", GD + "def descend(probe, start, lr, steps):\n"
                                  "    return gradient_descent(lambda p: -probe(*p)[1], start, lr, steps)"),
        ("shape", "whole path", GD + "def descend(probe, start, lr, steps):\n"
                                         "    return gradient_descent(lambda p: probe(*p)[1], start, lr, steps)[-1]"),
        ("previous", "Exercise 2", walk("x + lr * grad(x)") + "\ndef descend(probe, start, lr, steps):\n"
                                   "    return gradient_descent(lambda p: probe(*p)[1], start, lr, steps)"),
        ("nothing", "Exercise 2", "def gradient_descent(grad, start, lr, steps):\n    ...\n"
                                  "def descend(probe, start, lr, steps):\n"
                                  "    return gradient_descent(lambda p: probe(*p)[1], start, lr, steps)"),
        ("nothing", "return", GD + "def descend(probe, start, lr, steps):\n"
                                   "    gradient_descent(lambda p: probe(*p)[1], start, lr, steps)"),
        ("blank", "not written", GD + "descend = ..."),
    ],
    "largest_safe_rate": [
        ("no_two", "Half", "def largest_safe_rate(hessian):\n    return 1 / np.linalg.eigvalsh(hessian).max()"),
        ("smallest", "smallest", "def largest_safe_rate(hessian):\n    return 2 / np.linalg.eigvalsh(hessian).min()"),
        ("entry", "largest entry", "def largest_safe_rate(hessian):\n    return 2 / np.max(hessian)"),
        ("norm", "norm", "def largest_safe_rate(hessian):\n    return 2 / np.linalg.norm(hessian)"),
        ("eigenvalue", "itself", "def largest_safe_rate(hessian):\n    return np.linalg.eigvalsh(hessian).max()"),
        ("shape", "one number", "def largest_safe_rate(hessian):\n    return 2 / np.linalg.eigvalsh(hessian)"),
        ("raised", "line 2", "def largest_safe_rate(hessian):\n    return 2 / max(np.linalg.eig(hessian))"),
    ],
    "rates": [
        ("regime", "much smaller", rates(too_small=0.1)),
        ("regime", "between the crawl", rates(just_right=0.05)),
        ("regime", "a little below", rates(zig_zag=0.15)),
        ("regime", "above the largest", rates(too_large=0.19)),
        ("wrong", "positive", rates(too_small=-0.01)),
        ("type", "str", rates(too_large="big")),
        ("blank", "not chosen", "too_small, just_right, zig_zag, too_large = 0.01, ..., 0.195, 0.25"),
    ],
    "newton_raphson": [
        ("sign", "wrong way", newton("x + f(x) / df(x)")),
        ("upside_down", "upside down", newton("x - df(x) / f(x)")),
        ("no_slope", "f(x) alone", newton("x - f(x)")),
        ("frozen", "slope at x0", newton("x - f(x) / df(x0)")),
        ("shape", "leave out x0", newton("x - f(x) / df(x)", first="[]")),
        ("shape", "last iterate", newton("x - f(x) / df(x)", out="x")),
        ("shape", "One step short", newton("x - f(x) / df(x)", steps="steps - 1")),
        ("shape", "too many", newton("x - f(x) / df(x)", steps="steps + 1")),
        ("wrong", "should reach", newton("x - 0.5 * f(x) / df(x)")),
    ],
}

RIGHT = {
    "deepest_on_grid": "def deepest_on_grid(probe, xs, ys):\n"
                       "    X, Y = np.meshgrid(xs, ys)\n    heights, slopes = probe(X, Y)\n"
                       "    k = np.argmin(heights)\n    return X.flat[k], Y.flat[k]",
    "gradient_descent": "def gradient_descent(grad, start, lr, steps):\n"
                        "    path = np.zeros((steps + 1, len(start)))\n    path[0] = start\n"
                        "    for k in range(steps):\n        path[k + 1] = path[k] - lr * np.asarray(grad(path[k]))\n"
                        "    return path",
    "descend": GD + "def descend(probe, start, lr, steps):\n"
                    "    def slope(p):\n        height, s = probe(p[0], p[1])\n        return s\n"
                    "    return gradient_descent(slope, start, lr, steps)",
    "largest_safe_rate": "def largest_safe_rate(hessian):\n"
                         "    return 2 / max(abs(np.linalg.eig(hessian)[0]))",
    "rates": rates(),
    "newton_raphson": "def newton_raphson(f, df, x0, steps):\n    xs = np.empty(steps + 1)\n    xs[0] = x0\n"
                      "    for k in range(steps):\n        xs[k + 1] = xs[k] - f(xs[k]) / df(xs[k])\n    return xs",
}


check = checker(EXERCISES)


(test_a_typical_mistake_fails_with_its_hint, test_another_right_answer_passes,
 test_every_exercise_has_wrong_answers_and_a_right_one) = answer_tests(EXERCISES, WRONG, RIGHT, check)


@pytest.mark.parametrize("name", list(RIGHT))
def test_a_blank_fails_with_a_hint(name):
    """The learner's copy: every function body is `...` and every chosen value is `...`."""
    needs = EXERCISES[name].needs
    blanks = {need: (lambda *args: None) if name != "rates" else ... for need in needs}
    feedback = run_check(EXERCISES[name], [blanks[need] for need in needs])
    assert not feedback.passed and feedback.kind in ("nothing", "blank"), feedback.text


def test_the_probe_answers_height_and_slope_and_counts():
    from labs.sandpit import hidden_probe
    probe = hidden_probe()
    height, slope = probe(2.0, -2.0)
    assert np.ndim(height) == 0 and np.shape(slope) == (2,)
    assert height < -2.7                           # the floor of the deepest valley is about −2.75
    assert np.linalg.norm(slope) < 0.2             # and nearly flat there
    X, Y = np.meshgrid(np.linspace(-5, 5, 4), np.linspace(-5, 5, 3))
    heights, slopes = probe(X, Y)
    assert heights.shape == (3, 4) and slopes.shape == (3, 4, 2) and probe.count == 13


def test_the_four_regimes_of_the_clip_are_the_clips():
    """The clip LearningRateRegimes' own rates pass the check of Exercise 5 (η = 0.005, 0.1, 0.19, 0.22)."""
    assert check("rates", rates(0.005, 0.1, 0.19, 0.22)).passed


def test_newton_from_the_bad_start_lands_far_away():
    """The clip's bad start on sin x: the nearly flat tangent at 1.55 throws Newton to the root −15π."""
    from labs.sandpit import core_newton
    xs = core_newton(np.sin, np.cos, 1.55, 8)
    assert abs(xs[1] - (1.55 - np.tan(1.55))) < 1e-12 and abs(xs[-1] + 15 * np.pi) < 1e-9
