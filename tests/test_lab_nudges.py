"""Lab 1's checks: the reference answers pass, and each typical wrong answer fails with the hint meant for it."""
from __future__ import annotations


import numpy as np
import pytest

from labs.catalogue import lab_entry
from tests.lab_answers import answer_tests, checker

EXERCISES = {e.name: e for e in lab_entry("nudges").exercises()}

# exercise -> [(the kind of feedback it must give, a word of the hint, the learner's code)]
WRONG = {
    "forward_difference": [
        ("backward", "backward", "def forward_difference(f, x, h):\n    return (f(x) - f(x - h)) / h"),
        ("central", "both ways", "def forward_difference(f, x, h):\n    return (f(x + h) - f(x - h)) / (2 * h)"),
        ("no_division", "divide", "def forward_difference(f, x, h):\n    return f(x + h) - f(x)"),
        ("sign", "flipped", "def forward_difference(f, x, h):\n    return (f(x) - f(x + h)) / h"),
        ("two_h", "not 2h", "def forward_difference(f, x, h):\n    return (f(x + h) - f(x)) / (2 * h)"),
        ("wrong", "answer is", "def forward_difference(f, x, h):\n    return f(x)"),
        ("nothing", "return", "def forward_difference(f, x, h):\n    (f(x + h) - f(x)) / h"),
        ("raised", "line 2", "def forward_difference(f, x, h):\n    return (f(x + h) - f(x)) / undefined_name"),
        ("timeout", "loop", "def forward_difference(f, x, h):\n    while True:\n        pass"),
        ("type", "str", "def forward_difference(f, x, h):\n    return 'slope'"),
        ("shape", "shape", "def forward_difference(f, x, h):\n    return [1.0, 2.0, 3.0]"),
        ("nonfinite", "NaN", "def forward_difference(f, x, h):\n    return (f(x + h) - f(x)) / (h - h)"),
    ],
    "central_difference": [
        ("no_half", "2h", "def central_difference(f, x, h):\n    return (f(x + h) - f(x - h)) / h"),
        ("forward", "forward", "def central_difference(f, x, h):\n    return (f(x + h) - f(x)) / h"),
        ("backward", "backward", "def central_difference(f, x, h):\n    return (f(x) - f(x - h)) / h"),
        ("sign", "flipped", "def central_difference(f, x, h):\n    return (f(x - h) - f(x + h)) / (2 * h)"),
        ("precedence", "brackets", "def central_difference(f, x, h):\n    return (f(x + h) - f(x - h)) / 2 * h"),
    ],
    "difference_error": [
        ("signed", "size", "def difference_error(difference, f, df, x, h):\n    return difference(f, x, h) - df(x)"),
        ("relative", "relative",
         "def difference_error(difference, f, df, x, h):\n    return abs(difference(f, x, h) - df(x)) / abs(df(x))"),
        ("against_f", "f(x)", "def difference_error(difference, f, df, x, h):\n    return abs(difference(f, x, h) - f(x))"),
    ],
    "observed_order": [
        ("no_logs", "log", "def observed_order(hs, errors):\n    return np.polyfit(hs, errors, 1)[0]"),
        ("swapped", "swapped",
         "def observed_order(hs, errors):\n    return np.polyfit(np.log(errors), np.log(hs), 1)[0]"),
        ("wrong", "slope near", "def observed_order(hs, errors):\n    return np.polyfit(np.log(hs), np.log(errors), 1)[1]"),
    ],
    "best_step": [
        ("index", "position", "def best_step(hs, errors):\n    return np.argmin(errors)"),
        ("error", "smallest error itself", "def best_step(hs, errors):\n    return np.min(errors)"),
        ("largest", "largest", "def best_step(hs, errors):\n    return hs[np.argmax(errors)]"),
    ],
}

RIGHT = {
    "forward_difference": "def forward_difference(f, x, h):\n    return (f(x + h) - f(x)) / h",
    "central_difference": "def central_difference(f, x, h):\n    return (f(x + h) - f(x - h)) / 2 / h",
    "difference_error": "def difference_error(difference, f, df, x, h):\n    return abs(df(x) - difference(f, x, h))",
    "observed_order": "def observed_order(hs, errors):\n"
                      "    return (np.log(errors[-1]) - np.log(errors[0])) / (np.log(hs[-1]) - np.log(hs[0]))",
    "best_step": "def best_step(hs, errors):\n    return min(zip(errors, hs))[1]",
}


check = checker(EXERCISES)


(test_a_typical_mistake_fails_with_its_hint, test_another_right_answer_passes,
 test_every_exercise_has_wrong_answers_and_a_right_one) = answer_tests(EXERCISES, WRONG, RIGHT, check)


def test_a_hint_in_indonesian():
    feedback = check("central_difference", WRONG["central_difference"][0][2], "id")
    assert feedback.kind == "no_half" and "2h" in feedback.text
    assert "answer is" not in feedback.text   # the sentence is the catalogue's, not the English one


def test_a_long_array_that_matches_no_mistake_says_where_it_parts_most():
    from labs.check import Checker, Fail
    want, got = np.arange(10.0), np.arange(10.0)
    got[7] = 70.0
    with pytest.raises(Fail) as failed:
        Checker().expect(got, want, tried="ten numbers", name="f")
    assert failed.value.kind == "wrong"
    assert "index 7: 7 is right, 70 came back" in failed.value.text
