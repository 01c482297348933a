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


def test_the_learning_rate_panels_say_how_each_run_was_going():
    # the bowl from (−2.5, 1), 150 steps. η = 0.05: |∇f| = 2.5·0.95ᵏ reaches 1e-6 at k = 288, 138 after the
    # limit; η = 0.2: |1 − 10η| = 1, the bounces never shrink; η = 0.205: f grows ×(1 − 2.05)² = 1.1025 a step
    said = " ".join(lines_of("LearningRateRegimes", lr_small=0.05, lr_zigzag=0.2, lr_large=0.205))
    assert "η = 0.05 is nearly there after 150 steps: at this pace about 138 more would do it." in said
    assert "η = 0.2 bounces across the valley without settling." in said
    assert "At η = 0.205 each step overshoots more: f grows ×1.10 a step, and still climbs." in said
    assert "crawling" not in said and "shrink" not in said


def test_the_diverged_panel_counts_the_steps_its_counter_shows():
    # η = 0.22: f ≈ 5·1.44ᵏ passes 1e12 first at k = 72, so the panel's counter stops at 71
    said = " ".join(lines_of("LearningRateRegimes"))
    assert "At η = 0.22 each step overshoots more: after 71 steps the next one ran away." in said


def test_a_hiker_stopped_by_the_step_limit_is_told_how_far_the_floor_is():
    # on the bowl from (−2.5, 0) at η = 0.05: |∇f| = 2.5·0.95ᵏ reaches 1e-6 at k = 288, 228 after step 60
    said = " ".join(lines_of("HikerInTheDark", landscape="bowl", x=-2.5, y=0.0, lr=0.05, steps=60))
    assert "At this pace about 228 more steps would reach the floor." in said
