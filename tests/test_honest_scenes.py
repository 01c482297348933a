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


# --- the settings sweep (issue 25): every offered value a true lesson or one line before any frame ------------
from calcviz.errors import CalcvizError  # noqa: E402
from scenes.kit.settings import resolve_settings  # noqa: E402


def refusal(scene: str, **settings) -> str:
    with pytest.raises(CalcvizError) as e:
        resolve_settings(scene_class(*find(scene)), settings)
    return str(e.value)


def test_newton_on_a_double_root_is_refused_with_the_reason():
    # x² at 0: f and f' vanish together, x ← x/2 each step, 12 steps leave f = 6e-8, far above 1e-10
    said = refusal("NewtonRaphson", function="square")
    assert "double root" in said and "halves the error" in said and "\n" not in said


def test_newton_without_a_root_in_its_domain_is_refused():
    assert "no start in [-2, 2] reaches a root of f" in refusal("NewtonRaphson", function="exp")


def test_newton_from_a_start_that_cycles_names_a_start_that_works():
    # the cubic from x0 = 1: 1 → 2 → 1.2 … never settles; the refusal names a start that converges
    said = refusal("NewtonRaphson", function="cubic")
    assert said.startswith("setting x0: Newton–Raphson on cubic from 1 does not reach a root")
    assert "try x0=" in said


def test_newton_on_f_prime_says_a_maximum_is_a_hill_top():
    # the cubic ¼x³ − x + 1 from −1: f' = ¾x² − 1 = 0 at x = −2/√3 = −1.1547, f'' = −1.73 < 0: a maximum
    said = " ".join(lines_of("NewtonRaphson", function="cubic", x0=-1.7))
    assert "x = -1.1547, the top of f's hill" in said
    assert "valley" not in said
    assert "almost flat" not in said  # f'(1.55) = 0.80 on the cubic: said with its slope
    assert "the tangent's slope is 0.80" in said


def test_the_compass_refuses_arrows_longer_than_the_map_and_names_the_range():
    said = refusal("GradientCompass", landscape="saddle")
    assert said.startswith("setting arrow_scale: 0.4 draws the arrows of saddle too long for the map")
    assert "use a value from" in said
    assert "no one arrow scale" in refusal("GradientCompass", landscape="beale")


def test_the_slices_keep_a_few_ticks_on_tall_landscapes():
    from scenes.gradients import _tick_step
    assert _tick_step(5.2) == 1          # the default mountains: one tick a unit, as before
    assert _tick_step(10167.7) == 2000   # beale's heights: five ticks, not ten thousand
    assert _tick_step(2509) == 500 and _tick_step(329.4) == 50
