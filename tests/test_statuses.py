"""Statuses that follow the numbers, worked by hand on the quadratic bowl.

On the bowl f = ½(x² + 10y²) (Hessian diag(1, 10)) gradient descent multiplies each coordinate by
1 − ηλ every step, exactly: x_k = x₀(1 − η)^k, y_k = y₀(1 − 10η)^k. So from (0, y₀),
f_k = 5y₀²(1 − 10η)^{2k} and |∇f_k| = 10|y₀||1 − 10η|^k; from (x₀, 0), |∇f_k| = |x₀||1 − η|^k.
Every expected number below comes from these closed forms (or, for momentum, Newton–Raphson and the
fits, from their own one-line recurrences), never from the code under test.
"""
import math

import numpy as np
import pytest

import calcviz as cv
from calcviz import fitting
from calcviz.result import Status

TOL = 1e-6  # minimize's default tolerance on |∇f|


def descend(lr, start, steps=150, **options):
    return cv.minimize("bowl", "gradient_descent", start, steps=steps, lr=lr, **options)


def steps_to_tol(size0, factor, tol=TOL):
    """The first k with size0·factor^k ≤ tol: when a run whose |∇f| shrinks by ``factor`` converges."""
    return math.ceil(math.log(tol / size0) / math.log(factor))


# --- growing: DIVERGING, whatever the step limit --------------------------------------------------------
def test_the_issue_example_keeps_growing_and_says_so():
    # η = 0.205: |1 − 10η| = 1.05, so f grows ×1.05² = 1.1025 a step: from 5 to 5·1.1025¹⁵⁰ ≈ 1.1e7
    run = descend(0.205, (0.0, 1.0))
    assert run.fun == pytest.approx(5 * 1.1025**150, rel=1e-9) and 1.1e7 < run.fun < 1.2e7
    assert run.status is Status.DIVERGING and not run.success and run.nit == 150 and run.stopped_at is None
    assert run.growth == pytest.approx(1.1025, rel=1e-9)
    assert "×1.1025 a step" in run.message and "still walking" not in run.outcome
    assert cv.verdict(run) == ("diverged", "diverging: f grows about ×1.1 a step, still climbing after 150 steps")


def test_from_the_explorers_start_the_steep_direction_wins():
    # from (−2.5, 1) the x part shrinks ×0.795 a step and is gone long before step 75: the same factor
    run = descend(0.205, (-2.5, 1.0))
    assert run.status is Status.DIVERGING and run.growth == pytest.approx(1.1025, rel=1e-9)


@pytest.mark.parametrize("steps", [8, 20, 100, 266])
def test_diverging_whatever_the_step_limit_until_it_overflows(steps):
    run = descend(0.205, (0.0, 1.0), steps=steps)
    assert run.status is Status.DIVERGING and run.nit == steps
    assert run.growth == pytest.approx(1.1025, rel=1e-9)


def test_the_step_that_overflows_is_the_one_the_growth_predicts():
    # 5·1.1025^k passes max_value = 1e12 first at k = ⌈ln(2e11) / ln 1.1025⌉ = 267
    first = math.ceil(math.log(1e12 / 5) / math.log(1.1025))
    assert first == 267
    run = descend(0.205, (0.0, 1.0), steps=400)
    assert run.status is Status.DIVERGED and run.stopped_at == 267 and run.nit == 266
    assert run.growth is None


def test_a_slow_divergence_is_still_named():
    # η = 0.201: |1 − 2.01| = 1.01, f ×1.0201 a step; after 150 steps f = 5·1.0201¹⁵⁰ ≈ 98
    run = descend(0.201, (0.0, 1.0))
    assert run.status is Status.DIVERGING and run.growth == pytest.approx(1.01**2, rel=1e-9)
    assert cv.verdict(run)[1] == "diverging: f grows about ×1.02 a step, still climbing after 150 steps"


def test_at_exactly_two_over_lambda_it_bounces_forever_and_is_not_diverging():
    # η = 0.2: 1 − 10η = −1, y flips sign every step and f stays 5: no growth, no decay
    run = descend(0.2, (0.0, 1.0))
    assert np.all(run.values == 5.0)
    assert run.status is Status.MAX_STEPS and run.growth is None and run.to_go is None
    assert cv.verdict(run) == ("zig-zags", "zig-zags without settling: still bouncing after 150 steps")
    assert descend(0.2, (-2.5, 1.0)).to_go is None  # the x part shrinks, the y part does not: |∇f| → 10


def test_momentum_diverging_grows_by_its_largest_root():
    # heavy ball on one eigenvector: y_{k+1} = (1 + β − ηλ) y_k − β y_{k−1}; β = 0.5, ηλ = 3.2 gives
    # z² + 1.7z + 0.5 = 0, roots (−1.7 ± √0.89)/2; |y| grows by |z| = (1.7 + √0.89)/2, f by z²
    z = (1.7 + math.sqrt(0.89)) / 2
    run = cv.minimize("bowl", "momentum", (0.0, 1.0), steps=30, lr=0.32, beta=0.5)
    assert run.status is Status.DIVERGING and run.growth == pytest.approx(z**2, rel=1e-6)


def test_diverging_is_not_the_overflow_and_not_a_crawl():
    wild, slow = descend(0.25, (-2.5, 1.0)), descend(0.005, (-2.5, 1.0))
    assert wild.status is Status.DIVERGED and slow.status is Status.MAX_STEPS
    growing = descend(0.205, (0.0, 1.0))
    assert len({wild.outcome, slow.outcome, growing.outcome}) == 3  # three endings, three descriptions
    assert len({Status.DIVERGING.value, Status.DIVERGED.value, Status.MAX_STEPS.value}) == 3
    assert not growing.diverged  # not cut short: every one of its 150 steps is kept


def test_growth_is_a_steady_climb_above_the_start():
    from calcviz.result import growth
    k = np.arange(60)
    assert growth(3 + 2 * 1.1**k) == pytest.approx(1.1, rel=1e-9)  # a floor of 3 does not change the factor
    assert growth(5 - 4 * 0.9**k) is None  # rising to a ceiling: each rise smaller than the last
    assert growth(np.r_[100 * 0.5 ** k[:30], 1e-3 * 1.1 ** k[:30]]) is None  # growing again, but far below its start
    assert growth(5 * 1.1025 ** k[:7]) is None  # 7 values: too few to tell


# --- shrinking: how close the step limit came ---------------------------------------------------------
def test_a_genuine_crawl_says_how_far_it_still_is():
    # η = 0.005 from (−2.5, 0): |∇f_k| = 2.5·0.995^k reaches 1e-6 at k = 2939: 2789 steps after the limit
    total = steps_to_tol(2.5, 0.995)
    assert total == 2939
    run = descend(0.005, (-2.5, 0.0))
    assert run.status is Status.MAX_STEPS and run.growth is None and run.to_go == total - 150 == 2789
    assert "×0.995 a step" in run.message and "2789 more steps" in run.message
    assert cv.verdict(run) == ("crawls", "still crawling after 150 steps: at this pace about 2789 more to go")
    assert descend(0.005, (-2.5, 0.0), steps=5000).nit == total  # and that is where it converges


@pytest.mark.parametrize("lr, total", [(0.05, 288), (0.08, 177), (0.09, 157)])
def test_nearly_converged_runs_say_how_close_they_came(lr, total):
    # the page's η = 0.05 … 0.09 from (−2.5, 1): the y part (|1 − 10η| ≤ 0.5) is gone within 60 steps, and
    # |∇f_k| = 2.5·(1 − η)^k: 2.5·0.95^k, 2.5·0.92^k, 2.5·0.91^k reach 1e-6 at k = 288, 177, 157
    assert steps_to_tol(2.5, 1 - lr) == total
    run = descend(lr, (-2.5, 1.0))
    assert run.status is Status.MAX_STEPS and run.fun < 1e-6 and run.to_go == total - 150
    assert cv.verdict(run) == ("crawls", "nearly converged after 150 steps: "
                                         f"at this pace about {total - 150} more would do it")
    assert descend(lr, (-2.5, 1.0), steps=400).nit == total


def test_a_zig_zag_three_steps_short_is_not_bouncing_without_settling():
    # η = 0.19 from (0, 1): |∇f_k| = 10·0.9^k reaches 1e-6 at k = 153
    assert steps_to_tol(10, 0.9) == 153
    run = descend(0.19, (0.0, 1.0))
    assert run.status is Status.MAX_STEPS and run.to_go == 3 and run.reversals == 1.0
    assert cv.verdict(run) == ("zig-zags", "zig-zags across the valley, nearly converged after 150 steps: "
                                           "at this pace about 3 more would do it")
    assert descend(0.19, (0.0, 1.0), steps=400).nit == 153


def test_a_slow_zig_zag_is_still_settling():
    # η = 0.195 from (0, 1): |∇f_k| = 10·0.95^k reaches 1e-6 at k = 315: 165 after the limit
    assert steps_to_tol(10, 0.95) == 315
    run = descend(0.195, (0.0, 1.0))
    assert run.to_go == 165
    assert cv.verdict(run) == ("zig-zags", "zig-zags across the valley, still settling after 150 steps: "
                                           "at this pace about 165 more to go")


def test_too_few_steps_to_judge_the_pace():
    run = descend(0.005, (-2.5, 0.0), steps=5)
    assert run.status is Status.MAX_STEPS and run.to_go is None and run.growth is None
    assert cv.verdict(run) == ("crawls", "stopped by the step limit after 5 steps, still moving")
    assert cv.verdict(descend(0.005, (-2.5, 0.0), steps=1))[1] == "stopped by the step limit after 1 step, still moving"


# --- step counts agree ----------------------------------------------------------------------------------
def test_a_diverged_run_counts_its_steps_one_way():
    # η = 0.25 from (−2.5, 1): f_k ≈ 5·2.25^k passes 1e12 first at k = 33; 32 steps are kept
    run = descend(0.25, (-2.5, 1.0), steps=50)
    assert (run.stopped_at, run.nit) == (33, 32)
    assert cv.verdict(run) == ("diverged", "diverged after 32 steps: step 33 went off the scale")
    one = descend(100.0, (-2.5, 1.0))  # y₁ = −999, f₁ ≈ 5·999² ≈ 5e6; f₂ ≈ 5·999⁴ ≈ 5e12 is past 1e12
    assert (one.nit, cv.verdict(one)[1]) == (1, "diverged after 1 step: step 2 went off the scale")


def test_every_verdict_names_the_step_count_the_run_kept():
    import re
    runs = [descend(lr, (-2.5, 1.0)) for lr in (0.005, 0.05, 0.1, 0.19, 0.2, 0.205, 0.21, 0.25)]
    for run in runs:
        words = cv.verdict(run)[1]
        counts = [int(n) for n in re.findall(r"(?:after|in) (\d+) steps?", words)]
        assert counts == [run.nit], words
        if run.stopped_at is not None:
            assert f"step {run.stopped_at} " in words


# --- the other solvers follow the same rule ---------------------------------------------------------------
def test_newton_raphson_running_away_from_a_cube_root():
    # f = ∛x: x − f/f' = x − 3x = −2x, so |x| doubles and |f| grows ×2^{1/3} a step; |x| passes 1e6 at step 20
    run = cv.newton_raphson(np.cbrt, lambda x: 1 / (3 * np.cbrt(x) ** 2), 1.0, steps=15)
    assert np.allclose(run.points, [(-2.0) ** k for k in range(16)])
    assert run.status is Status.DIVERGING and run.growth == pytest.approx(2 ** (1 / 3), rel=1e-9)
    gone = cv.newton_raphson(np.cbrt, lambda x: 1 / (3 * np.cbrt(x) ** 2), 1.0, steps=30)
    assert gone.status is Status.DIVERGED and gone.stopped_at == 20


def _line_problem():
    # y = a + b·x at x = −1, 1, −1, 1: JᵀJ = diag(4, 4), so the Hessian of χ² is 8·I; its floor is χ²* = 0.25
    # (a* = 2, b* = 0.75, residuals ±0.25)
    line = fitting.Model("line", ("a", "b"), lambda x, p: p[0] + p[1] * x,
                         lambda x, p: np.stack([np.ones_like(x), x], axis=1))
    return fitting.FitProblem(line, [-1.0, 1.0, -1.0, 1.0], [1.0, 3.0, 1.5, 2.5], None, [0.0, 0.0])


def test_steepest_descent_on_a_fit_diverging_above_its_floor():
    # p − p* is multiplied by 1 − 8η = −1.08 each step, so χ² − 0.25 grows ×1.08² = 1.1664,
    # whatever the floor
    run = fitting.steepest_descent(_line_problem(), lr=0.26, steps=60)
    assert run.values[-1] - 0.25 == pytest.approx((run.values[0] - 0.25) * 1.1664**60, rel=1e-9)
    assert run.status is Status.DIVERGING and run.growth == pytest.approx(1.1664, rel=1e-9)
    assert "χ²" in run.message


def test_gauss_newton_diverging_on_a_cube_root_model():
    # f(x; p) = ∛p fitted to zeros: the Gauss–Newton step is δ = −3p, so p ← −2p and χ² = 3|p|^{2/3}
    # grows ×2^{2/3} a step (it would pass 1e8 times its start only at step 40)
    cube = fitting.Model("cube root", ("p",), lambda x, p: np.cbrt(p[0]) * np.ones_like(x),
                         lambda x, p: np.full((len(x), 1), 1 / (3 * np.cbrt(p[0]) ** 2)))
    problem = fitting.FitProblem(cube, [0.0, 1.0, 2.0], [0.0, 0.0, 0.0], None, [1.0])
    run = fitting.gauss_newton(problem, steps=30)
    assert np.allclose(run.points[:, 0], [(-2.0) ** k for k in range(31)])
    assert run.status is Status.DIVERGING and run.growth == pytest.approx(2 ** (2 / 3), rel=1e-9)
    assert "χ²" in run.message
