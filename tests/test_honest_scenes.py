"""Scenes that show the end of a run say what the run really did (issue 13): a saddle is a flat spot,
not a valley; a fit that ran away names the parameter; neither is called converged."""
import pytest

from scenes.catalogue import find, scene_class
from studio.gate import check_scene


def lines_of(scene: str, **settings) -> list[str]:
    report = check_scene(scene_class(*find(scene)), settings=settings)
    assert report.ok, "\n".join(map(str, report.problems))
    return report.subcaptions


def test_a_hiker_who_stops_on_a_saddle_is_told_it_is_no_valley():
    # on the saddle's ridge line the slope points straight at the saddle point, and the hiker stops there
    said = " ".join(lines_of("HikerInTheDark", landscape="saddle", x=1.5, y=0.0, lr=0.2))
    assert "a flat spot, not a valley" in said and "a saddle" in said
    assert "a valley at" not in said


def test_a_fit_that_ran_away_names_the_parameter_and_reports_no_fit():
    said = " ".join(lines_of("HeightsGaussianFit", method="gauss_newton", start="80,2"))
    assert "ran away" in said and "mean = " in said and "far outside the data" in said
    assert "No fit to report" in said and "converged" not in said.lower()


@pytest.mark.parametrize("scene", ["HikerInTheDark", "HeightsGaussianFit"])
def test_the_default_runs_still_end_in_a_valley(scene):
    said = " ".join(lines_of(scene))
    assert "flat spot" not in said and "flew off" not in said
