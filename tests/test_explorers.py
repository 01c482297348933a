"""The explorers' tables (calcviz/explorers.py): every entry is what the core itself gives."""
import json

import numpy as np
import pytest

import calcviz as cv
from calcviz.errors import CalcvizError


@pytest.fixture(scope="module")
def pit():
    return cv.sandpit("mountains", probes=5, n=11, lr=0.5, steps=200)


@pytest.fixture(scope="module")
def sizes():
    return cv.step_sizes("bowl", [0.005, 0.1, 0.18, 0.19, 0.25], start=(-2.5, 1.0), steps=150)


def test_sandpit_depths_are_the_landscape_on_its_grid(pit):
    land = cv.landscape("mountains")
    (x0, x1), (y0, y1) = land.domain
    assert pit.x.tolist() == np.linspace(x0, x1, 11).tolist() and pit.y.tolist() == np.linspace(y0, y1, 11).tolist()
    for i, j in [(0, 0), (3, 7), (10, 10), (5, 2)]:
        assert pit.depth[i, j] == land.value(pit.node(i, j))
    data = json.loads(json.dumps(pit.to_json()))
    assert data["depth"][3][7] == land.value((pit.x[7], pit.y[3]))
    assert data["probes"] == 5 and data["landscape"] == "mountains"


def test_sandpit_descent_from_every_node_is_what_minimize_gives(pit):
    data = json.loads(json.dumps(pit.to_json()))
    runs = data["runs"]
    for i, j in [(0, 0), (2, 9), (7, 4), (10, 10)]:
        want = cv.minimize("mountains", "gradient_descent", pit.node(i, j), steps=200, tol=1e-3, lr=0.5)
        got = pit.run_from(i, j)
        assert np.array_equal(got.points, want.points) and got.status is want.status
        k = i * 11 + j
        assert runs["statuses"][runs["status"][k]] == want.status.name and runs["nit"][k] == want.nit
        assert runs["value"][k] == want.fun
        assert runs["deepest"][k] == cv.landscape("mountains").reached_deepest_valley(want.x)
        assert np.allclose(np.reshape(runs["path"][k], (-1, 2)), want.points, atol=1e-4, rtol=0)  # rounded to 4 decimals
        assert runs["verdicts"][runs["verdict"][k]] == cv.verdict(want)[1]
    assert data["descent"] == {"method": "gradient_descent", "lr": 0.5, "steps": 200, "tol": 1e-3}


def test_sandpit_bands_count_the_contour_levels_below(pit):
    levels = pit.maps.levels
    for i, j in [(0, 0), (4, 4), (9, 1)]:
        assert pit.bands[i, j] == np.sum(levels <= pit.depth[i, j])
    want = cv.landscape_contours("mountains", count=12, n=161)
    assert pit.maps.levels.tolist() == want.levels.tolist()


def test_step_sizes_are_minimize_at_each_rate(sizes):
    data = json.loads(json.dumps(sizes.to_json()))
    assert [r["lr"] for r in data["runs"]] == [0.005, 0.1, 0.18, 0.19, 0.25]
    for entry, lr in zip(data["runs"], sizes.rates):
        want = cv.minimize("bowl", "gradient_descent", (-2.5, 1.0), steps=150, lr=float(lr))
        assert (entry["status"], entry["nit"], entry["stopped_at"]) == (want.status.name, want.nit, want.stopped_at)
        assert entry["verdict"] == cv.verdict(want)[1]
        (x0, x1), (y0, y1) = cv.landscape("bowl").domain
        outside = [k for k, (x, y) in enumerate(want.points) if not (x0 <= x <= x1 and y0 <= y <= y1)]
        assert entry["on_map"] == (outside[0] if outside else len(want.points))
        assert np.allclose(np.reshape(entry["path"], (-1, 2)), want.points, atol=1e-4, rtol=0)  # rounded to 4 decimals
    regimes = [r["regime"] for r in data["runs"]]
    assert regimes == ["crawls", "converged", "zig-zags", "zig-zags", "diverged"]
    last = data["runs"][-1]  # one count of steps: the run kept nit of them, and the next one went off the scale
    assert last["verdict"] == f"diverged after {last['nit']} steps: step {last['stopped_at']} went off the scale"
    assert last["stopped_at"] == last["nit"] + 1


def test_the_explorer_tells_the_pace_of_each_run():
    # the page's rates on the bowl from (−2.5, 1), 150 steps; f along each eigenvector shrinks or grows by
    # |1 − ηλ|² a step, λ = 1 and 10 (see tests/test_statuses.py for the runs on their own)
    sizes = cv.step_sizes("bowl", [0.005, 0.05, 0.19, 0.2, 0.205, 0.21], start=(-2.5, 1.0), steps=150)
    runs = json.loads(json.dumps(sizes.to_json()))["runs"]
    assert [r["status"] for r in runs] == ["MAX_STEPS", "MAX_STEPS", "MAX_STEPS", "MAX_STEPS", "DIVERGING", "DIVERGED"]
    assert [r["regime"] for r in runs] == ["crawls", "crawls", "zig-zags", "zig-zags", "diverged", "diverged"]
    assert runs[1]["to_go"] == 138 and runs[3]["to_go"] is None  # 2.5·0.95ᵏ ≤ 1e-6 first at k = 288
    assert runs[4]["growth"] == pytest.approx(1.05**2, rel=1e-9) and runs[4]["stopped_at"] is None
    assert runs[4]["verdict"] == "diverging: f grows about ×1.1 a step, still climbing after 150 steps"
    assert runs[4]["outcome"] != runs[3]["outcome"] != runs[5]["outcome"]
    for r in runs:  # the step count in the words is the one in the table
        assert f"after {r['nit']} steps" in r["verdict"]


def test_verdict_words():
    converged = cv.minimize("bowl", "gradient_descent", (-2.5, 1.0), steps=150, lr=0.1)
    assert cv.verdict(converged) == ("converged", f"converged in {converged.nit} steps")
    saddle = cv.minimize("saddle", "gradient_descent", (1.0, 0.0), lr=0.1)
    assert saddle.status is cv.Status.STATIONARY
    assert cv.verdict(saddle)[0] == "stationary" and "saddle" in cv.verdict(saddle)[1]
    with pytest.raises(CalcvizError):
        cv.verdict("not a run")


@pytest.mark.parametrize("call", [
    lambda: cv.sandpit("everest"), lambda: cv.sandpit("bowl", probes=0), lambda: cv.sandpit("bowl", n=2),
    lambda: cv.sandpit("bowl", n=500), lambda: cv.step_sizes("bowl", [0.2, 0.1]),
    lambda: cv.step_sizes("bowl", [-0.1]), lambda: cv.step_sizes("bowl", [0.1], start=(1, 2, 3)),
])
def test_bad_settings_are_one_line_errors(call):
    with pytest.raises(CalcvizError) as e:
        call()
    assert "\n" not in str(e.value)


def test_the_page_tables_stay_small():
    data = json.dumps(cv.sandpit("mountains", probes=8, n=41).to_json(), separators=(",", ":"))
    assert len(data) < 1_500_000
