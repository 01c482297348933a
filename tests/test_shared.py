"""Drawing helpers that save work per frame must still show what a full rebuild would."""
import numpy as np
from manim import DecimalNumber, Dot

from scenes.kit.draw import SteadyNumber, redraw_on_change


def test_steady_number_keeps_its_digits_until_the_text_changes():
    n = SteadyNumber(1.234, num_decimal_places=2)
    digits = list(n.submobjects)
    n.set_value(1.2349)  # still shows 1.23
    assert n.submobjects == digits and n.get_value() == 1.2349
    n.set_value(-12.5)
    assert n.submobjects != digits
    fresh = DecimalNumber(-12.5, num_decimal_places=2).move_to(n)
    assert len(n.submobjects) == len(fresh.submobjects) == 6  # "-12.50"
    assert np.allclose(n.get_all_points(), fresh.get_all_points(), atol=1e-6)


def test_redraw_on_change_rebuilds_only_when_its_key_changes():
    state = {"step": 0, "builds": 0}

    def build():
        state["builds"] += 1
        return Dot([state["step"], 0, 0])

    dot = redraw_on_change(lambda: state["step"], build)
    for frame in range(12):
        state["step"] = frame // 4  # the key changes at frames 4 and 8
        dot.update()
    assert state["builds"] == 3
    assert np.allclose(dot.get_center(), [2, 0, 0])
