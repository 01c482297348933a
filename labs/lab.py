"""What a lab notebook works with: ``lab = Lab("nudges")``, then ``lab.check("forward_difference",
forward_difference)`` after each exercise, and ``lab.ready(...)`` before a plot that needs it.

>>> lab = Lab("nudges")
>>> feedback = lab.check("forward_difference", lambda f, x, h: None)
>>> feedback.passed, feedback.kind
(False, 'nothing')
"""
from __future__ import annotations

import json
from typing import Any

from labs.catalogue import lab_entry
from labs.check import Exercise, Feedback, run_check
from scenes.kit.i18n import check_language, format_message, translations


class Lab:
    """One lab in one language: its exercises, the checks run so far, and the words it prints."""

    def __init__(self, slug: str, lang: str = "en"):
        self.entry = lab_entry(slug)
        self.lang = check_language(lang)
        self.exercises: dict[str, Exercise] = {e.name: e for e in self.entry.exercises()}
        self.results: dict[str, Feedback] = {}

    def t(self, msgid: str, /, **values: Any) -> str:
        template = translations(self.lang).gettext(msgid)
        return format_message(template, values, self.lang) if values else template

    def exercise(self, name: str) -> Exercise:
        if name not in self.exercises:
            raise KeyError(f"lab {self.entry.slug!r} has no exercise {name!r}; it has: {', '.join(self.exercises)}")
        return self.exercises[name]

    def check(self, name: str, *objects: Any) -> Feedback:
        """Run exercise ``name``'s check on what the learner wrote; the feedback shows itself in the notebook."""
        feedback = run_check(self.exercise(name), objects, self.lang)
        self.results[name] = feedback
        return feedback

    def ready(self, name: str) -> bool:
        """True when ``name``'s check has run and the learner's code gave values (right or not yet): a plot of
        them helps. Otherwise says, in one line, what to do first."""
        feedback = self.results.get(name)
        if feedback is not None and feedback.kind not in {"blank", "nothing", "raised", "timeout", "type", "shape"}:
            return True
        print(self.t("This cell waits for “{title}”: write it and run its check first.",
                     title=self.t(self.exercise(name).title)))
        return False

    def score(self) -> str:
        """The exercises passed so far, one line each, and the total."""
        lines = [str(self.results[n]) if n in self.results else f"· {self.t(e.title)}"
                 for n, e in self.exercises.items()]
        got = sum(f.points for f in self.results.values())
        total = sum(e.points for e in self.exercises.values())
        lines.append(self.t("{got} of {total} points", got=got, total=total))
        return "\n".join(lines)


GRADE_MARK = "calcviz-lab-grade:"


def grade(namespace: dict, slug: str, lang: str, nonce: str) -> None:
    """Run every exercise's check on what ``namespace`` holds (the grader appends this as the notebook's last
    cell) and print one line the grader reads: the mark, the nonce it chose, and the feedback as JSON."""
    lab = Lab(slug, lang)
    out = []
    for name, exercise in lab.exercises.items():
        objects = [namespace.get(need, ...) for need in exercise.needs]
        out.append(run_check(exercise, objects, lang).to_json())
    print(f"{GRADE_MARK}{nonce}:{json.dumps(out)}")
