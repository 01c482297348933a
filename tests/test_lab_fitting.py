"""Lab 4's checks: the reference answers pass, and each typical wrong answer fails with the hint meant for it."""
from __future__ import annotations



import calcviz as cv
from labs.catalogue import lab_entry
from scenes.kit.i18n import translations
from tests.lab_answers import answer_tests, checker

EXERCISES = {e.name: e for e in lab_entry("fitting").exercises()}

# What the notebook's setup cell defines, and the earlier exercises' answers that later ones call
# (a learner's cell below may redefine them, to test what a check says when they are wrong).
SETUP = """
problem = cv.heights_problem("male")
x, y, sigma = problem.x, problem.y, problem.sigma
area = y.sum() * (x[1] - x[0])

def bell(x, mean, width, area):
    return area / (width * np.sqrt(2 * np.pi)) * np.exp(-(x - mean) ** 2 / (2 * width ** 2))

def gauss_newton_step(J, r):
    return np.linalg.solve(J.T @ J, -(J.T @ r))
"""

BELL = "def bell(x, mean, width, area):\n    z = (x - mean) / width\n    return area * np.exp(-z**2 / 2) / "
CHI2 = "def chi_squared(mean, width):\n    f = bell(x, mean, width, area)\n    return "
GRAD = ("def chi_squared_gradient(mean, width):\n"
        "    f = bell(x, mean, width, area)\n"
        "    z = (x - mean) / width\n"
        "    dmu, ds = f * z / width, f * (z**2 - 1) / width\n"
        "    w = -2 * (y - f) / sigma**2\n")
DESCENT = "def steepest_descent(grad, start, lr, steps):\n    p = np.array(start, dtype=float)\n    path = [p]\n" \
          "    for _ in range(steps):\n"
NEWTON = "def gauss_newton(residuals, jacobian, start, steps):\n    p = np.array(start, dtype=float)\n" \
         "    path = [p]\n    for _ in range(steps):\n"
STEP = "def gauss_newton_step(J, r):\n    return "
ONWARDS = "        path.append(p)\n    return np.array(path)"   # the end of a loop that keeps its path

# exercise -> [(the kind of feedback it must give, a word of the hint, the learner's code)]
WRONG = {
    "bell": [
        ("no_area", "area", "def bell(x, mean, width, area):\n"
                            "    return np.exp(-(x - mean)**2 / (2 * width**2)) / (width * np.sqrt(2 * np.pi))"),
        ("no_normalisation", "1/(s√(2π))", "def bell(x, mean, width, area):\n"
                                           "    return area * np.exp(-(x - mean)**2 / (2 * width**2))"),
        ("width_not_squared", "square the width",
         "def bell(x, mean, width, area):\n"
         "    return area * np.exp(-(x - mean)**2 / (2 * width)) / (width * np.sqrt(2 * np.pi))"),
        ("precedence", "brackets", "def bell(x, mean, width, area):\n    front = area / (width * np.sqrt(2 * np.pi))\n"
                                   "    return front * np.exp(-(x - mean)**2 / 2 * width**2)"),
        ("no_half", "½", "def bell(x, mean, width, area):\n"
                         "    return area * np.exp(-(x - mean)**2 / width**2) / (width * np.sqrt(2 * np.pi))"),
        ("no_minus", "minus", "def bell(x, mean, width, area):\n    front = area / (width * np.sqrt(2 * np.pi))\n"
                              "    return front * np.exp((x - mean)**2 / (2 * width**2))"),
        ("no_sqrt", "square root", BELL + "(width * 2 * np.pi)"),
        ("sqrt_width", "squared", BELL + "np.sqrt(2 * np.pi * width)"),
        ("width_squared_outside", "once", BELL + "(width**2 * np.sqrt(2 * np.pi))"),
        ("wrong", "answer is", BELL + "(width * np.sqrt(2 * np.pi)) + 1"),
        ("nothing", "return", "def bell(x, mean, width, area):\n    area * np.exp(-(x - mean)**2)"),
        ("raised", "line 3", "import math\ndef bell(x, mean, width, area):\n"
                             "    return area * math.exp(-(x - mean)**2 / (2 * width**2)) / (width * 2.5066282746)"),
        ("timeout", "loop", "def bell(x, mean, width, area):\n    while True:\n        pass"),
        ("type", "str", "def bell(x, mean, width, area):\n    return 'bell'"),
        ("shape", "shape", "def bell(x, mean, width, area):\n    return [1.0, 2.0, 3.0]"),
        ("nonfinite", "NaN", BELL + "(width - width)"),
    ],
    "chi_squared": [
        ("sigma_once", "σ²", CHI2 + "np.sum((y - f)**2 / sigma)"),
        ("no_sigma", "error bars", CHI2 + "np.sum((y - f)**2)"),
        ("times_sigma", "multiplied", CHI2 + "np.sum(((y - f) * sigma)**2)"),
        ("precedence", "brackets", CHI2 + "np.sum((y - f / sigma)**2)"),
        ("mean", "mean over the 20 bins", CHI2 + "np.mean(((y - f) / sigma)**2)"),
        ("norm", "square root", CHI2 + "np.linalg.norm((y - f) / sigma)"),
        ("not_squared", "cancel", CHI2 + "np.sum((y - f) / sigma)"),
        ("abs", "sizes", CHI2 + "np.sum(np.abs(y - f) / sigma)"),
        ("wrong", "answer is", CHI2 + "np.sum(((y - f) / sigma)**2) + 1"),
        ("bell_first", "exercise 1", "def bell(x, mean, width, area):\n    return np.exp(-(x - mean)**2)\n" + CHI2
         + "np.sum(((y - f) / sigma)**2)"),
        ("bell_first", "exercise 1", "def bell(x, mean, width, area):\n    ...\n" + CHI2
         + "np.sum(((y - f) / sigma)**2)"),
        ("nothing", "return", CHI2.replace("return ", "") + "np.sum(((y - f) / sigma)**2)"),
        ("nonfinite", "NaN", CHI2 + "np.sum(((y - f) / (sigma - sigma))**2)"),
    ],
    "chi_squared_gradient": [
        ("sign", "wrong sign", GRAD + "    return -np.array([w @ dmu, w @ ds])"),
        ("no_two", "keep the 2", GRAD + "    return np.array([w @ dmu, w @ ds]) / 2"),
        ("swapped", "swapped", GRAD + "    return np.array([w @ ds, w @ dmu])"),
        ("mean", "mean over the 20 bins", GRAD + "    return np.array([w @ dmu, w @ ds]) / len(x)"),
        ("sigma_once", "once", GRAD + "    w = -2 * (y - f) / sigma\n    return np.array([w @ dmu, w @ ds])"),
        ("no_sigma", "σ²", GRAD + "    return np.array([(-2 * (y - f)) @ dmu, (-2 * (y - f)) @ ds])"),
        ("width_front", "product rule", GRAD + "    return np.array([w @ dmu, w @ (f * z**2 / width)])"),
        ("mean_sign", "∂f/∂μ", GRAD + "    return np.array([w @ (-dmu), w @ ds])"),
        ("mean_only", "second component", GRAD + "    return np.array([w @ dmu, 0.0])"),
        ("width_only", "first component", GRAD + "    return np.array([0, w @ ds])"),
        ("mean_twice", "Both components", GRAD + "    return np.array([w @ dmu, w @ dmu])"),
        ("one_component", "two components", GRAD + "    return w @ dmu"),
        ("bell_first", "exercise 1", "def bell(x, mean, width, area):\n    return 0 * x\n" + GRAD
         + "    return np.array([w @ dmu, w @ ds])"),
        ("type", "dict", GRAD + "    return {'mean': w @ dmu, 'width': w @ ds}"),
        ("shape", "shape", GRAD + "    return np.array([w * dmu, w * ds])"),
    ],
    "steepest_descent": [
        ("sign", "climbs", DESCENT + "        p = p + lr * grad(p)\n" + ONWARDS),
        ("no_lr", "learning rate", DESCENT + "        p = p - grad(p)\n" + ONWARDS),
        ("frozen", "afresh", DESCENT.replace("    for", "    g = grad(p)\n    for")
         + "        p = p - lr * g\n        path.append(p)\n    return np.array(path)"),
        ("aliased", "in place", DESCENT + "        p -= lr * grad(p)\n" + ONWARDS),
        ("no_start", "starts with the start",
         DESCENT.replace("path = [p]", "path = []") + "        p = p - lr * grad(p)\n        path.append(p)\n"
         "    return np.array(path)"),
        ("short", "one step early", DESCENT.replace("range(steps)", "range(steps - 1)")
         + "        p = p - lr * grad(p)\n        path.append(p)\n    return np.array(path)"),
        ("last_only", "whole path", DESCENT + "        p = p - lr * grad(p)\n    return p"),
        ("wrong", "first parts from the right one at row 2",
         DESCENT + "        p = p - lr * grad(p)\n        path.append(p)\n        lr = lr * 2\n    return path"),
        ("nothing", "return", DESCENT + "        p = p - lr * grad(p)\n        path.append(p)"),
        ("raised", "line 5", DESCENT + "        p = p - lr * grad(p[0])\n        path.append(p)\n    return path"),
    ],
    "gauss_newton_step": [
        ("sign", "wrong way", STEP + "np.linalg.solve(J.T @ J, J.T @ r)"),
        ("gradient_step", "steepest-descent", STEP + "-J.T @ r"),
        ("gradient_step", "no system", STEP + "J.T @ r"),
        ("multiplied", "multiplied", STEP + "-(J.T @ J) @ (J.T @ r)"),
        ("twice", "Twice", STEP + "np.linalg.solve(J.T @ J, -2 * J.T @ r)"),
        ("half", "Half", STEP + "np.linalg.solve(2 * J.T @ J, -J.T @ r)"),
        ("J_not_JTJ", "not square", STEP + "np.linalg.solve(J, -J.T @ r)"),
        ("raised", "line 2", STEP + "np.linalg.solve(J @ J.T, -J.T @ r)"),
        ("wrong", "answer is", STEP + "np.linalg.solve(J.T @ J + np.eye(len(J.T)), -J.T @ r)"),
    ],
    "gauss_newton": [
        ("sign", "walks away", NEWTON + "        p = p - gauss_newton_step(jacobian(p), residuals(p))\n"
                                        "        path.append(p)\n    return np.array(path)"),
        ("frozen", "afresh", NEWTON.replace("    for", "    d = gauss_newton_step(jacobian(p), residuals(p))\n    for")
         + "        p = p + d\n        path.append(p)\n    return np.array(path)"),
        ("aliased", "in place", NEWTON + "        p += gauss_newton_step(jacobian(p), residuals(p))\n"
                                         "        path.append(p)\n    return np.array(path)"),
        ("no_start", "starts with the start",
         NEWTON.replace("path = [p]", "path = []") + "        p = p + gauss_newton_step(jacobian(p), residuals(p))\n"
         "        path.append(p)\n    return np.array(path)"),
        ("last_only", "whole path", NEWTON + "        p = p + gauss_newton_step(jacobian(p), residuals(p))\n"
                                             "    return p"),
        ("step_first", "exercise 5", STEP + "np.linalg.solve(J.T @ J, J.T @ r)\n" + NEWTON
         + "        p = p + gauss_newton_step(jacobian(p), residuals(p))\n        path.append(p)\n"
           "    return np.array(path)"),
        ("step_first", "exercise 5", "def gauss_newton_step(J, r):\n    ...\n" + NEWTON
         + "        p = p + gauss_newton_step(jacobian(p), residuals(p))\n        path.append(p)\n"
           "    return np.array(path)"),
        ("wrong", "first parts", NEWTON + "        p = p + 0.5 * gauss_newton_step(jacobian(p), residuals(p))\n"
                                          "        path.append(p)\n    return np.array(path)"),
        ("raised", "LinAlgError", NEWTON + "        p = p + gauss_newton_step(residuals(p), jacobian(p))\n"
                                      "        path.append(p)\n    return np.array(path)"),
        ("timeout", "loop", NEWTON + "        while True:\n            p = p + 0\n    return path"),
    ],
}

RIGHT = {
    "bell": "def bell(x, mean, width, area):\n"
            "    return area * np.exp(-0.5 * ((x - mean) / width) ** 2) / np.sqrt(2 * np.pi * width ** 2)",
    "chi_squared": "def chi_squared(mean, width):\n"
                   "    r = (y - bell(x, mean, width, area)) / sigma\n    return r @ r",
    # a gradient by central differences of χ² is right too, to the check's tolerance
    "chi_squared_gradient": "def chi_squared_gradient(mean, width):\n"
                            "    chi2 = lambda m, s: np.sum(((y - bell(x, m, s, area)) / sigma) ** 2)\n"
                            "    h = 1e-6\n"
                            "    return np.array([(chi2(mean + h, width) - chi2(mean - h, width)) / (2 * h),\n"
                            "                     (chi2(mean, width + h) - chi2(mean, width - h)) / (2 * h)])",
    "steepest_descent": "def steepest_descent(grad, start, lr, steps):\n"
                        "    path = np.zeros((steps + 1, len(start)))\n    path[0] = start\n"
                        "    for k in range(steps):\n        path[k + 1] = path[k] - lr * np.asarray(grad(path[k]))\n"
                        "    return path",
    "gauss_newton_step": "def gauss_newton_step(J, r):\n    return np.linalg.lstsq(J, -r, rcond=None)[0]",
    "gauss_newton": "def gauss_newton(residuals, jacobian, start, steps):\n"
                    "    if steps == 0:\n        return np.array([start], dtype=float)\n"
                    "    path = gauss_newton(residuals, jacobian, start, steps - 1)\n"
                    "    J, r = jacobian(path[-1]), residuals(path[-1])\n"
                    "    return np.vstack([path, path[-1] + np.linalg.inv(J.T @ J) @ (-J.T @ r)])",
}


check = checker(EXERCISES, SETUP, cv=cv)


(test_a_typical_mistake_fails_with_its_hint, test_another_right_answer_passes,
 test_every_exercise_has_wrong_answers_and_a_right_one) = answer_tests(EXERCISES, WRONG, RIGHT, check)


def test_the_generic_failures_all_appear():
    kinds = {kind for cases in WRONG.values() for kind, _, _ in cases}
    assert {"raised", "nothing", "timeout", "type", "shape", "nonfinite"} <= kinds


def test_a_hint_in_indonesian():
    feedback = check("bell", WRONG["bell"][0][2], "id")
    assert feedback.kind == "no_area"
    # the sentence is the catalogue's: English only while the catalogue has no translation of it yet
    said = translations("id").gettext("For {tried}, the answer is {want}; {name} gave {got}.")
    assert ("answer is" in feedback.text) == ("answer is" in said)
