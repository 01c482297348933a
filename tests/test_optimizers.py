"""Update rules against their closed forms, convergence on the classic landscapes,
divergence flagged (never a NaN passed on), and invariants of every trajectory."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcviz import optimizers as opt
from calcviz.errors import CalcvizError
from calcviz.landscapes import landscape
from calcviz.result import Status, Trajectory

BOWL, ROSENBROCK, HIMMELBLAU = landscape("bowl"), landscape("rosenbrock"), landscape("himmelblau")


def quadratic(A, b=None):
    """f = ½xᵀAx − bᵀx with ∇f = Ax − b, Hessian A and minimum A⁻¹b."""
    A = np.asarray(A, dtype=float)
    b = np.zeros(len(A)) if b is None else np.asarray(b, dtype=float)
    return (lambda x: 0.5 * x @ A @ x - b @ x), (lambda x: A @ x - b), (lambda x: A)


def nearest_minimum(land, x):
    return np.min(np.linalg.norm(land.minima - x, axis=1))


# --- single steps against closed forms ------------------------------------------------------------
def test_gradient_descent_step_is_minus_lr_times_gradient():
    g = np.array([3.0, -4.0])
    rule = opt.gradient_descent(0.1)
    step, _ = rule.update(g, rule.init(np.zeros(2)), np.zeros(2))
    assert np.allclose(step, [-0.3, 0.4])


def test_momentum_with_beta_zero_is_plain_descent_exactly():
    plain = opt.run(opt.gradient_descent(1e-3), ROSENBROCK.value, ROSENBROCK.grad, [-1.2, 1.0], steps=200, tol=0)
    heavy = opt.run(opt.momentum(1e-3, beta=0.0), ROSENBROCK.value, ROSENBROCK.grad, [-1.2, 1.0], steps=200, tol=0)
    assert np.array_equal(plain.points, heavy.points)
    assert np.array_equal(plain.values, heavy.values)


def test_momentum_accumulates_a_constant_gradient_geometrically():
    # with g constant, v_k = (1 + β + … + β^(k−1))·g
    rule, g, beta = opt.momentum(0.5, beta=0.8), np.array([1.0, -2.0]), 0.8
    state = rule.init(np.zeros(2))
    for k in range(1, 6):
        step, state = rule.update(g, state, np.zeros(2))
        assert np.allclose(step, -0.5 * g * (1 - beta**k) / (1 - beta))


def test_nesterov_first_step_looks_ahead():
    # v₁ = g, step = −lr·(β·g + g)
    rule = opt.nesterov(0.1, beta=0.9)
    step, state = rule.update(np.array([2.0]), rule.init(np.zeros(1)), np.zeros(1))
    assert np.allclose(step, [-0.1 * 1.9 * 2.0]) and np.allclose(state.velocity, [2.0])


def test_rmsprop_first_step_has_length_lr_over_sqrt_one_minus_decay():
    # s₁ = (1 − ρ)g², so g/√s₁ = sign(g)/√(1 − ρ) whatever the size of g
    rule = opt.rmsprop(0.01, decay=0.9)
    step, _ = rule.update(np.array([1e-3, -50.0]), rule.init(np.zeros(2)), np.zeros(2))
    assert np.allclose(step, 0.01 * np.array([-1, 1]) / np.sqrt(0.1), rtol=1e-4)


def test_adam_first_step_is_lr_times_sign_of_gradient():
    # bias correction makes m̂₁ = g and v̂₁ = g², so the first step is −lr·g/|g|
    rule = opt.adam(0.05)
    step, state = rule.update(np.array([1e-4, -30.0, 2.0]), rule.init(np.zeros(3)), np.zeros(3))
    assert np.allclose(step, [-0.05, 0.05, -0.05], rtol=1e-3)
    assert isinstance(state, opt.AdamState) and state.count == 1


def test_adam_state_is_small_and_named():
    state = opt.adam(0.1).init(np.zeros(4))
    assert state._fields == ("count", "mu", "nu") and state.count == 0
    assert np.array_equal(state.mu, np.zeros(4)) and np.array_equal(state.nu, np.zeros(4))


@given(st.floats(-3, 3), st.floats(-2, 2))
def test_newton_solves_a_quadratic_in_one_step(x, y):
    for land in (BOWL, landscape("booth")):
        traj = opt.run(opt.newton(), land.value, land.grad, [x, y], hess=land.hessian, tol=1e-8)
        assert traj.status is Status.CONVERGED and traj.nit <= 1
        assert np.allclose(traj.x, land.global_minimum, atol=1e-9)


@given(st.integers(1, 6), st.integers(0, 2**31))
def test_newton_one_step_in_any_dimension(n, seed):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, n))
    A, b = M @ M.T + n * np.eye(n), rng.normal(size=n)
    f, grad, hess = quadratic(A, b)
    traj = opt.run(opt.newton(), f, grad, rng.normal(size=n), hess=hess, steps=1, tol=1e-8)
    assert np.allclose(traj.points[-1], np.linalg.solve(A, b), atol=1e-9)


def test_damped_newton_step_solves_the_shifted_system():
    f, grad, hess = quadratic([[2.0, 0.5], [0.5, 1.0]])
    x0 = np.array([1.0, -2.0])
    traj = opt.run(opt.newton(damping=3.0, lr=0.5), f, grad, x0, hess=hess, steps=1, tol=0)
    expected = x0 - 0.5 * np.linalg.solve(np.array([[5.0, 0.5], [0.5, 4.0]]), grad(x0))
    assert np.allclose(traj.points[1], expected)


def test_line_search_takes_the_first_step_with_enough_decrease():
    # on f = x², g = 2x: t = 1 overshoots to −x, t = 0.5 lands at 0 (Armijo holds) and stops there
    traj = opt.run(opt.backtracking_line_search(lr=1.0), lambda x: float(x @ x), lambda x: 2 * x, [3.0], tol=1e-12)
    assert traj.step_sizes[0] == 0.5 and traj.nit == 1 and traj.x[0] == 0.0


# --- convergence ---------------------------------------------------------------------------------
SETTINGS = {  # method: (hyper-parameters, steps) per landscape
    "bowl": {"gradient_descent": {"lr": 0.15}, "momentum": {"lr": 0.05, "beta": 0.8},
             "nesterov": {"lr": 0.05, "beta": 0.8}, "adam": {"lr": 0.05}, "newton": {}, "line_search": {}},
    "rosenbrock": {"gradient_descent": {"lr": 2e-3}, "momentum": {"lr": 5e-4, "beta": 0.9},
                   "nesterov": {"lr": 5e-4, "beta": 0.9}, "adam": {"lr": 0.01}, "newton": {},
                   "line_search": {}},
    "himmelblau": {"gradient_descent": {"lr": 0.01}, "momentum": {"lr": 5e-3, "beta": 0.9},
                   "nesterov": {"lr": 5e-3, "beta": 0.9}, "adam": {"lr": 0.05}, "newton": {},
                   "line_search": {}},
}
STARTS = {"bowl": (-2.5, 1.5), "rosenbrock": (-1.2, 1.0), "himmelblau": (1.0, 1.0)}


@pytest.mark.parametrize("name, method", [(n, m) for n in SETTINGS for m in SETTINGS[n]])
def test_each_optimizer_converges(name, method):
    land = landscape(name)
    traj = opt.minimize(land, method, STARTS[name], steps=20_000, tol=1e-4, **SETTINGS[name][method])
    assert traj.status is Status.CONVERGED, traj.message
    assert np.linalg.norm(traj.jac) <= 1e-4
    # |∇f| ≤ tol puts x within tol / (smallest curvature) of the minimum
    smallest = np.linalg.eigvalsh(land.hessian(traj.x)).min()
    assert nearest_minimum(land, traj.x) <= 1.5e-4 / smallest
    assert traj.values[-1] < traj.values[0]


@pytest.mark.parametrize("name", ["bowl", "rosenbrock", "himmelblau"])
def test_rmsprop_ends_hovering_within_about_lr_of_a_minimum(name):
    # RMSProp's steps stay about lr long even near the minimum: with a constant lr it
    # circles the minimum at distance ~lr instead of settling.
    lr = 1e-3
    land = landscape(name)
    traj = opt.minimize(land, "rmsprop", STARTS[name], steps=10_000, tol=1e-6, lr=lr)
    last = traj.points[-200:]
    assert max(nearest_minimum(land, p) for p in last) < 2 * lr
    assert np.median(np.linalg.norm(np.diff(last, axis=0), axis=1)) > 0.3 * lr


def test_rules_work_on_vectors_of_any_length():
    n = 50  # e.g. the weights of a small network, flattened
    A = np.diag(np.linspace(1.0, 5.0, n))
    f, grad, hess = quadratic(A, np.ones(n))
    for rule in (opt.gradient_descent(0.3), opt.momentum(0.1), opt.nesterov(0.1), opt.adam(0.05),
                 opt.newton(), opt.backtracking_line_search()):
        traj = opt.run(rule, f, grad, np.zeros(n), hess=hess, steps=5000, tol=1e-6)
        assert traj.status is Status.CONVERGED, (rule, traj.message)
        assert np.allclose(traj.x, 1 / np.linspace(1.0, 5.0, n), atol=1e-5)


def test_newton_heads_for_the_nearest_critical_point_even_a_saddle():
    saddle = landscape("saddle")
    traj = opt.minimize(saddle, "newton", [0.5, -0.7])
    # …and lands on it, but a saddle is no minimum: the run says so instead of CONVERGED
    assert traj.status is Status.STATIONARY and traj.point_kind == "saddle" and np.allclose(traj.x, 0.0)


# --- divergence and breakdowns ---------------------------------------------------------------------
def first_blow_up_step(lr, x0, max_norm=opt.MAX_NORM, max_value=opt.MAX_VALUE):
    # On ½(x² + 10y²) gradient descent multiplies x by (1 − lr) and y by (1 − 10·lr) each step.
    x, y = x0
    for k in range(1, 10_000):
        x, y = (1 - lr) * x, (1 - 10 * lr) * y
        if np.hypot(x, y) > max_norm or 0.5 * (x**2 + 10 * y**2) > max_value:
            return k
    raise AssertionError("never blew up")


@pytest.mark.parametrize("lr", [0.21, 0.25, 1.0, 10.0])
def test_too_large_learning_rate_is_flagged_diverged_not_nan(lr):
    # descent on the bowl is stable exactly when lr < 2 / (largest curvature) = 0.2
    traj = opt.minimize(BOWL, "gradient_descent", (-2.5, 1.5), lr=lr, steps=5000)
    assert traj.status is Status.DIVERGED and traj.diverged and not traj.success
    assert traj.stopped_at == first_blow_up_step(lr, (-2.5, 1.5)) == traj.nit + 1
    assert np.all(np.isfinite(traj.points)) and np.all(np.isfinite(traj.values))
    assert np.all(np.linalg.norm(traj.points, axis=1) <= opt.MAX_NORM)
    assert np.all(np.abs(traj.values) <= opt.MAX_VALUE)
    assert "diverged at step" in traj.message


def test_just_below_the_stability_limit_converges():
    traj = opt.minimize(BOWL, "gradient_descent", (-2.5, 1.5), lr=0.19, steps=5000)
    assert traj.status is Status.CONVERGED


def test_adam_and_momentum_flag_divergence_on_rosenbrock():
    for method, lr in (("momentum", 0.01), ("gradient_descent", 0.01)):
        traj = opt.minimize(ROSENBROCK, method, (-1.2, 1.0), lr=lr)
        assert traj.status is Status.DIVERGED and np.all(np.isfinite(traj.values)), method


def test_thresholds_are_settable():
    traj = opt.run(opt.gradient_descent(0.25), BOWL.value, BOWL.grad, [-2.5, 1.5], max_norm=100.0)
    assert traj.status is Status.DIVERGED and traj.stopped_at == first_blow_up_step(0.25, (-2.5, 1.5), 100.0)
    assert "max_norm = 100" in traj.message


def test_nan_from_the_function_is_flagged_nonfinite_and_cut_off():
    # f is undefined (NaN) for x < 0; a big step jumps there
    def f(x):
        return float(x[0] ** 2) if x[0] >= 0 else np.nan

    traj = opt.run(opt.gradient_descent(1.5), f, lambda x: 2 * x, [1.0])
    assert traj.status is Status.NONFINITE and traj.stopped_at == 1 and traj.nit == 0
    assert np.all(np.isfinite(traj.values))


def test_singular_hessian_stops_newton_as_nonfinite():
    # f = x⁴ + y² has Hessian diag(12x², 2), singular on the line x = 0
    def f(p):
        return p[0] ** 4 + p[1] ** 2

    traj = opt.run(opt.newton(), f, lambda p: np.array([4 * p[0] ** 3, 2 * p[1]]), [0.0, 1.0],
                   hess=lambda p: np.diag([12 * p[0] ** 2, 2.0]))
    assert traj.status is Status.NONFINITE and traj.stopped_at == 1
    assert np.all(np.isfinite(traj.points))
    # damping makes the step exist
    damped = opt.run(opt.newton(damping=1e-3), f, lambda p: np.array([4 * p[0] ** 3, 2 * p[1]]), [0.0, 1.0],
                     hess=lambda p: np.diag([12 * p[0] ** 2, 2.0]))
    assert damped.status is Status.CONVERGED


# --- the trajectory record ---------------------------------------------------------------------------
def test_trajectory_records_everything():
    traj = opt.minimize("himmelblau", "adam", (1.0, 1.0), lr=0.05, steps=50, tol=0)
    assert isinstance(traj, Trajectory) and traj.method == "adam"
    assert traj.hyperparams == {"lr": 0.05, "b1": 0.9, "b2": 0.999, "eps": 1e-8}
    assert traj.points.shape == (51, 2) and traj.values.shape == (51,) and traj.gradients.shape == (51, 2)
    assert np.all(traj.step_sizes == 0.05)
    assert traj.status is Status.MAX_STEPS and traj.stopped_at is None
    assert np.allclose(traj.values, HIMMELBLAU.value(traj.points))
    assert np.allclose(traj.gradients, HIMMELBLAU.grad(traj.points))
    assert traj.nfev == 51
    with pytest.raises(ValueError):
        traj.points[0, 0] = 1.0
    assert repr(traj).startswith("Trajectory(method='adam', status=MAX_STEPS, nit=50")


def test_start_at_a_minimum_converges_in_zero_steps():
    traj = opt.minimize("booth", "momentum", (1.0, 3.0), lr=0.01)
    assert traj.status is Status.CONVERGED and traj.nit == 0 and traj.step_sizes.shape == (0,)


def test_minimize_defaults_to_the_landscape_start_and_takes_names_or_objects():
    a = opt.minimize("rosenbrock", "newton")
    b = opt.minimize(ROSENBROCK, "newton", ROSENBROCK.start)
    assert np.array_equal(a.points, b.points)
    assert np.array_equal(a.points[0], ROSENBROCK.start)


def test_line_search_records_the_steps_it_chose():
    traj = opt.minimize("rosenbrock", "line_search", steps=300, tol=0, shrink=0.5)
    k = np.log(traj.step_sizes) / np.log(0.5)  # every accepted step is lr·0.5^k
    assert np.allclose(k, np.round(k)) and np.all(traj.step_sizes <= 1.0)
    assert len(set(traj.step_sizes)) > 1
    assert traj.nfev > traj.nit  # the trial points count as evaluations


# --- invariants (Hypothesis) ----------------------------------------------------------------------------
METHOD_SETTINGS = st.sampled_from([
    ("gradient_descent", {}), ("momentum", {"beta": 0.9}), ("nesterov", {"beta": 0.5}),
    ("rmsprop", {}), ("adam", {}), ("newton", {}), ("line_search", {}),
])


@given(method=METHOD_SETTINGS, name=st.sampled_from(["bowl", "saddle", "rosenbrock", "himmelblau", "beale",
                                                     "camel", "mountains"]),
       u=st.floats(0, 1), v=st.floats(0, 1), log_lr=st.floats(-4, 1.5))
def test_every_trajectory_is_finite_consistent_and_honest(method, name, u, v, log_lr):
    land = landscape(name)
    (x0, x1), (y0, y1) = land.domain
    start = (x0 + u * (x1 - x0), y0 + v * (y1 - y0))
    name_, params = method
    params = dict(params, lr=10**log_lr) if name_ not in ("newton", "line_search") else params
    traj = opt.minimize(land, name_, start, steps=150, tol=1e-6, **params)
    assert np.all(np.isfinite(traj.points)) and np.all(np.isfinite(traj.values))
    assert np.all(np.isfinite(traj.gradients)) and np.all(np.isfinite(traj.step_sizes))
    assert len(traj.step_sizes) == traj.nit and np.array_equal(traj.points[0], start)
    if traj.status is Status.CONVERGED:
        assert np.linalg.norm(traj.jac) <= 1e-6 and traj.point_kind == "minimum"
    elif traj.status is Status.STATIONARY:
        assert np.linalg.norm(traj.jac) <= 1e-6 and traj.point_kind in ("saddle", "maximum", "flat")
    elif traj.status is Status.MAX_STEPS:
        assert traj.nit == 150 and np.linalg.norm(traj.jac) > 1e-6 and traj.growth is None
        assert traj.to_go is None or traj.to_go >= 1
    elif traj.status is Status.DIVERGING:  # every step kept, f still growing at the end
        assert traj.nit == 150 and traj.stopped_at is None and traj.growth > 1 and traj.to_go is None
        assert traj.values[-1] > traj.values[0] and traj.values[-1] > traj.values[-10]
    else:
        assert traj.stopped_at == traj.nit + 1
    for k in range(0, traj.nit + 1, 17):
        assert np.array_equal(traj.at(k), traj.points[k])


@given(u=st.floats(-3, 3), v=st.floats(-2, 2), lr=st.floats(0.001, 0.1))
def test_small_steps_on_the_bowl_never_go_uphill(u, v, lr):
    # lr ≤ 1/L (L = 10, the largest curvature) guarantees f(x − lr·g) ≤ f(x) − (lr/2)|g|²
    traj = opt.minimize(BOWL, "gradient_descent", (u, v), lr=lr, steps=100)
    drops = traj.values[:-1] - traj.values[1:]
    assert np.all(drops >= 0.5 * lr * np.sum(traj.gradients[:-1] ** 2, axis=1) - 1e-12)


@given(u=st.floats(-2, 2), v=st.floats(-1, 3))
def test_line_search_values_never_increase(u, v):
    traj = opt.minimize(ROSENBROCK, "line_search", (u, v), steps=100, tol=1e-8)
    assert np.all(np.diff(traj.values) <= 0)


@given(method=METHOD_SETTINGS.filter(lambda m: m[0] not in ("newton", "line_search")),
       g=st.lists(st.floats(-10, 10), min_size=3, max_size=3))
def test_updates_are_pure(method, g):
    rule = opt.make_rule(method[0], lr=0.1, **method[1])
    x, g = np.array([0.5, -1.0, 2.0]), np.array(g)
    _, state = rule.update(g, rule.init(x), x)  # a state with something in it
    frozen = [np.copy(s) for s in state]
    first = rule.update(g, state, x)
    second = rule.update(g, state, x)
    assert np.array_equal(first[0], second[0])
    assert all(np.array_equal(a, b) for a, b in zip(frozen, state))


# --- bad input --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda: opt.minimize("bowl", "gradient_descent", [np.nan, 1.0], lr=0.1), "starting point x0 must be finite"),
    (lambda: opt.minimize("bowl", "adagrad", lr=0.1), "unknown method 'adagrad'; known: gradient_descent, momentum"),
    (lambda: opt.minimize("bowl", "adam"), "adam needs lr"),
    (lambda: opt.minimize("bowl", "momentum", lr=0.1, gamma=0.9), "momentum has no setting gamma; it takes: lr, beta"),
    (lambda: opt.minimize("volcano", "adam", lr=0.1), "unknown landscape 'volcano'"),
    (lambda: opt.gradient_descent(-0.1), "learning rate lr must be > 0"),
    (lambda: opt.gradient_descent(np.inf), "learning rate lr must be finite"),
    (lambda: opt.momentum(0.1, beta=1.0), r"momentum beta must be in \[0, 1\)"),
    (lambda: opt.newton(damping=-1.0), "damping must be ≥ 0"),
    (lambda: opt.run(opt.newton(), BOWL.value, BOWL.grad, [1.0, 1.0]), "newton needs the Hessian"),
    (lambda: opt.run(opt.adam(0.1), BOWL.value, BOWL.grad, [[1.0, 1.0]]), "1-D array"),
    (lambda: opt.run(opt.adam(0.1), lambda x: np.log(x[0]), lambda x: 1 / x, [-1.0]), "cannot start adam"),
    (lambda: opt.run("adam", BOWL.value, BOWL.grad, [1.0, 1.0]), "must be an optimizer Rule"),
    (lambda: opt.run(opt.adam(0.1), BOWL.value, BOWL.grad, [1.0, 1.0], steps=-1), "steps must be"),
])
def test_bad_input_is_a_one_line_error(call, message):
    with pytest.raises(CalcvizError, match=message) as err:
        call()
    assert "\n" not in str(err.value)



def test_reversals_count_zig_zags():
    from calcviz.landscapes import landscape
    from calcviz.optimizers import minimize
    bowl = landscape("bowl")  # curvature 10 across the valley: lr above 0.1 overshoots across it
    calm = minimize(bowl, "gradient_descent", x0=(-2.5, 1.0), lr=0.05, steps=50)
    zigzag = minimize(bowl, "gradient_descent", x0=(-2.5, 1.0), lr=0.19, steps=50)
    assert calm.reversals == 0.0
    assert zigzag.reversals > 0.5


def test_slope_is_the_gradient_length_where_the_run_stopped():
    traj = opt.minimize(ROSENBROCK, "gradient_descent", [-1.0, 1.0], steps=5, lr=1e-3)
    assert traj.status is Status.MAX_STEPS
    fx, fy = 2 * (traj.x[0] - 1) - 400 * traj.x[0] * (traj.x[1] - traj.x[0] ** 2), 200 * (traj.x[1] - traj.x[0] ** 2)
    assert traj.slope == pytest.approx(np.hypot(fx, fy), rel=1e-12)
