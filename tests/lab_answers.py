"""What each lab's list of wrong answers is tested with: a learner's cell run as the kernel runs it (under a
cell-like file name, so their line numbers are the cell's), then the exercise's check on what it defined.

A lab's test module keeps ``WRONG`` (exercise -> [(kind, a word of its hint, the learner's code)]) and ``RIGHT``
(an alternative right answer per exercise), and takes its three tests from :func:`answer_tests`.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pytest

from labs.check import Exercise, Feedback, run_check


def learner(source: str, setup: str = "", **names) -> dict:
    """The names a learner's cell defines, after the lab's ``setup`` code (if any) and with ``names`` given."""
    namespace = {"np": np, **names}
    if setup:
        exec(compile(setup, "/tmp/ipykernel_0/setup.py", "exec"), namespace)  # noqa: S102
    exec(compile(textwrap.dedent(source), "/tmp/ipykernel_0/cell.py", "exec"), namespace)  # noqa: S102
    return namespace


def checker(exercises: dict[str, Exercise], setup: str = "", **names):
    """``check(name, source, lang)``: exercise ``name``'s feedback on the learner's ``source`` (a name it does not
    define is the blank ``...``)."""
    def check(name: str, source: str, lang: str = "en") -> Feedback:
        exercise = exercises[name]
        namespace = learner(source, setup, **names)
        return run_check(exercise, [namespace.get(need, ...) for need in exercise.needs], lang)
    return check


def answer_tests(exercises: dict[str, Exercise], wrong: dict, right: dict, check):
    """The three tests every lab's answers get: each wrong answer fails with the kind and hint meant for it, each
    alternative right answer passes, and every exercise has both."""
    cases = [(name, kind, word, source) for name, listed in wrong.items() for kind, word, source in listed]

    @pytest.mark.parametrize("name,kind,word,source", cases,
                             ids=lambda v: v if isinstance(v, str) and "\n" not in v and len(v) < 30 else "")
    def test_a_typical_mistake_fails_with_its_hint(name, kind, word, source):
        feedback = check(name, source)
        assert not feedback.passed
        assert (feedback.kind, word in feedback.text) == (kind, True), feedback.text
        assert "\n" not in feedback.text and "Traceback" not in feedback.text

    @pytest.mark.parametrize("name", list(right))
    def test_another_right_answer_passes(name):
        feedback = check(name, right[name])
        assert feedback.passed, feedback.text

    def test_every_exercise_has_wrong_answers_and_a_right_one():
        assert set(wrong) == set(exercises) == set(right)

    return (test_a_typical_mistake_fails_with_its_hint, test_another_right_answer_passes,
            test_every_exercise_has_wrong_answers_and_a_right_one)
