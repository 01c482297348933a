# %% [markdown]
# # Lab 2 — The sandpit
#
# Somewhere under the sand lies a landscape, and you are looking for its deepest point. You cannot see it:
# all you have is a probe. Push it in at a point (x, y) and it tells you two things there — the height of
# the ground, f(x, y), and its slope, the gradient ∇f(x, y). In this lab you find the deepest point twice:
# first by probing a whole grid, then by walking downhill as the hiker of the clip does. Then you find out
# how long a step may be, and meet the walk's cousin, Newton–Raphson.

# %% [markdown]
# Run each cell with Shift+Enter. Where you see `...`, write the code; the check in the cell below it tells
# you what it tried, what it expected and what came back.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np

import calcviz as cv
from labs.lab import Lab
from labs.sandpit import hidden_probe

lab = Lab("sandpit", lang="en")
probe = hidden_probe()   # probe(x, y) gives (height, slope) of the hidden landscape

# %% [markdown]
# Try the probe: `height, slope = probe(1.0, 2.0)`. The height is one number (lower is deeper) and the
# slope is a numpy array (∂f/∂x, ∂f/∂y) that points uphill, the way the ground rises fastest.

# %%
height, slope = probe(1.0, 2.0)
print(lab.t("height {h:.3f}, slope ({sx:.3f}, {sy:.3f})", h=height, sx=slope[0], sy=slope[1]))

# %% [markdown]
# ## Exercise 1: the deepest probe
#
# The sure way to search is to probe everywhere. Given the x's `xs` and the y's `ys` of a grid, probe every
# point (x, y) with x from `xs` and y from `ys`, and return the (x, y) where the height is lowest. Nothing
# clever: two loops, or `np.meshgrid` and `np.argmin`.

# %%
def deepest_on_grid(probe, xs, ys):
    """The point (x, y) of the grid where probe's height is lowest."""
    # BEGIN SOLUTION
    best = None
    for x in xs:
        for y in ys:
            height, slope = probe(x, y)
            if best is None or height < best[0]:
                best = (height, x, y)
    return best[1], best[2]
    # END SOLUTION

# %% tags=["check"]
lab.check("deepest_on_grid", deepest_on_grid)

# %% [markdown]
# Here is what a 9 × 9 grid of probes tells you: 81 heights, darker where deeper, and the deepest of them
# circled. Between the probes you know nothing. (Try a 6 × 6 grid, `np.linspace(-5, 5, 6)`: its deepest
# probe lies in another valley altogether.)

# %%
xs = ys = np.linspace(-5, 5, 9)
if lab.ready("deepest_on_grid"):
    X, Y = np.meshgrid(xs, ys)
    heights = np.array([[probe(x, y)[0] for x in xs] for y in ys])
    best = deepest_on_grid(probe, xs, ys)
    plt.figure(figsize=(5.5, 5.2))
    plt.scatter(X, Y, c=heights, cmap="viridis", s=60)
    plt.colorbar(label=lab.t("height"))
    plt.scatter(*best, s=300, facecolors="none", edgecolors="red", linewidths=2,
                label=lab.t("deepest probe"))
    plt.xlabel("x")
    plt.ylabel("y")
    plt.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12))
    plt.gca().set_aspect("equal")
    plt.show()

# %% [markdown]
# ## Exercise 2: gradient descent
#
# The hiker in the dark feels only the slope underfoot, and steps against it. From a point $x_k$ the next
# one is
# $$x_{k+1} = x_k - \eta\,\nabla f(x_k),$$
# where the learning rate $\eta$ (`lr`) says how far to go per unit of slope. Write `gradient_descent`:
# it gets the slope as a function `grad(x)` of a point `x` (a numpy array (x, y)), takes exactly `steps`
# steps from `start`, and returns the whole path as one array with one point per row — the start first, so
# steps + 1 rows.

# %%
def gradient_descent(grad, start, lr, steps):
    """The path x₀ = start, x₁, …, x_steps of x ← x − lr·∇f(x), one point per row."""
    # BEGIN SOLUTION
    x = np.array(start, dtype=float)
    path = [x]
    for _ in range(steps):
        x = x - lr * grad(x)
        path.append(x)
    return np.array(path)
    # END SOLUTION

# %% tags=["check"]
lab.check("gradient_descent", gradient_descent)

# %% [markdown]
# ## Exercise 3: down into the hidden landscape
#
# Now walk on the hidden landscape itself. Your `gradient_descent` wants the slope as a function of a point
# p = (x, y); the probe gives it as the second of its two answers, `probe(p[0], p[1])`. Write `descend`,
# which walks from `start` with your own `gradient_descent` and returns its path.

# %%
def descend(probe, start, lr, steps):
    """Gradient descent on the hidden landscape, feeling the slope with the probe."""
    # BEGIN SOLUTION
    def slope(p):
        height, s = probe(p[0], p[1])
        return s
    return gradient_descent(slope, start, lr, steps)
    # END SOLUTION

# %% tags=["check"]
lab.check("descend", descend, gradient_descent)

# %% [markdown]
# Walk from the deepest probe of your grid, and, for comparison, from where the hiker of the clip starts,
# (−1.2, 0.9). Then the sand is swept away: the map of the landscape, with your probes as dots and the
# valley floors as crosses. The grid found the right valley, but only to within a grid step; the walk from
# there finds its floor in a few more probes. The hiker, who never saw the grid, ends on a valley floor too
# — just not the deepest one.

# %%
if lab.ready("gradient_descent") and lab.ready("descend") and lab.ready("deepest_on_grid"):
    probe = hidden_probe()
    start = np.array(deepest_on_grid(probe, xs, ys), dtype=float)
    walk = descend(probe, start, 0.3, 30)
    used = probe.count
    hiker = descend(probe, np.array([-1.2, 0.9]), 0.3, 60)

    land = cv.landscape("mountains")   # the reveal: the landscape the probe was reading
    X, Y, Z = land.on_grid(161)
    plt.figure(figsize=(6, 6.5))
    plt.contourf(X, Y, Z, levels=20, cmap="viridis")
    plt.contour(X, Y, Z, levels=20, colors="k", linewidths=0.4)
    grid_x, grid_y = np.meshgrid(xs, ys)
    plt.plot(grid_x.ravel(), grid_y.ravel(), "o", mfc="white", mec="black", mew=0.5, ms=4, ls="none",
             label=lab.t("your probes"))
    plt.plot(walk[:, 0], walk[:, 1], "o-", color="red", ms=3, label=lab.t("from the deepest probe"))
    plt.plot(hiker[:, 0], hiker[:, 1], "o-", color="orange", ms=3, label=lab.t("from the hiker's start"))
    plt.plot(land.minima[:, 0], land.minima[:, 1], "X", mfc="white", mec="black", ms=11, ls="none",
             label=lab.t("valley floors"))
    plt.xlabel("x")
    plt.ylabel("y")
    plt.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    plt.gca().set_aspect("equal")
    plt.show()
    for name, path in ((lab.t("from the deepest probe"), walk), (lab.t("from the hiker's start"), hiker)):
        deepest = land.reached_deepest_valley(path[-1])
        print(lab.t("{name}: ends at ({x:.3f}, {y:.3f}), height {h:.4f}, in the deepest valley: {yes}",
                    name=name, x=path[-1][0], y=path[-1][1], h=land.value(path[-1]),
                    yes=lab.t("yes") if deepest else lab.t("no")))
    print(lab.t("The deepest floor is at ({x:.3f}, {y:.3f}), height {h:.4f}.", x=land.global_minimum[0],
                y=land.global_minimum[1], h=land.min_value))
    print(lab.t("The grid took {grid} probes; the walk from its deepest probe took {walk} more.",
                grid=len(xs) * len(ys), walk=used - len(xs) * len(ys)))

# %% [markdown]
# ## Exercise 4: the largest safe step
#
# How long may a step be? Near a valley floor the landscape is close to a quadratic bowl, whose bending is
# the Hessian H. Along an eigenvector of H with eigenvalue λ, one step of gradient descent multiplies the
# distance to the floor by $(1 - \eta\lambda)$. The walk shrinks towards the floor only if
# $|1 - \eta\lambda| < 1$, that is $0 < \eta < 2/\lambda$ — in every direction at once, so
# $$\eta < \frac{2}{\lambda_{\max}}.$$
# Write `largest_safe_rate`, which returns $2/\lambda_{\max}$ for a symmetric matrix `hessian`
# (`np.linalg.eigvalsh` gives the eigenvalues of a symmetric matrix).

# %%
def largest_safe_rate(hessian):
    """2 / λ_max, the largest eigenvalue λ_max of the Hessian."""
    # BEGIN SOLUTION
    return 2 / np.max(np.linalg.eigvalsh(hessian))
    # END SOLUTION

# %% tags=["check"]
lab.check("largest_safe_rate", largest_safe_rate)

# %% [markdown]
# The bowl of the clip, $f(x, y) = \tfrac{1}{2}(x^2 + 10y^2)$, bends ten times harder across (y) than
# along (x). Its Hessian and its largest safe rate:

# %%
bowl = cv.landscape("bowl")
H = bowl.hessian(np.zeros(2))
print(H)
if lab.ready("largest_safe_rate"):
    print(lab.t("largest safe rate: {rate:.3g}", rate=largest_safe_rate(H)))

# %% [markdown]
# ## Exercise 5: four learning rates
#
# The clip walks the bowl from (−2.5, 1) with four learning rates, for at most 150 steps: one **too small**
# (still crawling when the steps run out), one **just right** (reaches the floor without zig-zagging), one
# that **zig-zags** (overshoots the floor across the valley at every step, yet does not run away) and one
# **too large** (runs away). Above 1/λ a direction overshoots; above 2/λ it runs away. Choose four rates
# that do these four things.

# %%
too_small = 0.005  # SOLUTION
just_right = 0.1  # SOLUTION
zig_zag = 0.19  # SOLUTION
too_large = 0.22  # SOLUTION

# %% tags=["check"]
lab.check("rates", too_small, just_right, zig_zag, too_large)

# %% [markdown]
# Your four walks, with your `gradient_descent`: on the map (left) and the height f along each (right, on a
# log scale). Too small creeps, still high when the steps run out; just right and the zig-zag both sink
# steadily, the zig-zag bouncing from wall to wall all the way down; too large climbs for ever.

# %%
if lab.ready("gradient_descent") and lab.ready("rates"):
    X, Y, Z = bowl.on_grid(121)
    fig, (ax_map, ax_f) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax_map.contour(X, Y, Z, levels=np.geomspace(0.02, 40, 9), colors="grey", linewidths=0.7)
    names = (lab.t("too small"), lab.t("just right"), lab.t("zig-zag"), lab.t("too large"))
    for name, rate in zip(names, (too_small, just_right, zig_zag, too_large)):
        path = gradient_descent(bowl.grad, np.array([-2.5, 1.0]), rate, 150)
        inside = np.all(np.abs(path) <= [3, 2], axis=1)
        shown = path[: np.argmin(inside)] if not inside.all() else path
        label = lab.t("{name}, η = {rate:g}", name=name, rate=rate)
        ax_map.plot(shown[:, 0], shown[:, 1], ".-", ms=3, lw=1, label=label)
        ax_f.semilogy(bowl.value(path), label=label)
    ax_map.set_xlim(-3, 3)
    ax_map.set_ylim(-2, 2)
    ax_map.set_aspect("equal")
    ax_map.set_xlabel("x")
    ax_map.set_ylabel("y")
    ax_map.legend(loc="lower right", fontsize=8)
    ax_f.set_xlabel(lab.t("step"))
    ax_f.set_ylabel("f")
    ax_f.legend(fontsize=8)
    plt.tight_layout()
    plt.show()

# %% [markdown]
# ## Exercise 6: Newton–Raphson
#
# Gradient descent steps by a length you choose. Newton–Raphson finds where a function of one variable is
# zero without any learning rate: replace f by its tangent at $x_k$ and go to where the tangent crosses
# zero,
# $$x_{k+1} = x_k - \frac{f(x_k)}{f'(x_k)}.$$
# Write `newton_raphson`: exactly `steps` steps from `x0`, returning the iterates $x_0, x_1, \dots$ — steps + 1
# numbers, $x_0$ first. Do not stop early, even when f(x) reaches 0: the check compares every iterate.

# %%
def newton_raphson(f, df, x0, steps):
    """The iterates x₀, x₁, …, x_steps of x ← x − f(x)/f′(x)."""
    # BEGIN SOLUTION
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - f(xs[-1]) / df(xs[-1]))
    return np.array(xs)
    # END SOLUTION

# %% tags=["check"]
lab.check("newton_raphson", newton_raphson)

# %% [markdown]
# From x₀ = 1, Newton finds the root 0 of sin x in a handful of steps, the correct digits roughly doubling
# each time (left). From x₀ = 1.55 the tangent is almost flat (dashed) and crosses zero far off the picture.
# And on f(x) = x³/4 − x + 1 from x₀ = 0 it never arrives: it goes round 1 → 2 → 1.5 → 1 for ever, while
# the root waits near −2.4 (right).

# %%
def draw_newton(ax, f, df, iterates, colour):
    """Each tangent from (x_k, f(x_k)) down to zero at x_{k+1}, then up to the curve again."""
    for a, b in zip(iterates[:-1], iterates[1:]):
        ax.plot([a, b], [f(a), 0], color=colour, lw=1.5)
        ax.plot([b, b], [0, f(b)], ":", color=colour, lw=1)
    ax.plot(iterates, f(np.asarray(iterates)), "o", color=colour, ms=4)


if lab.ready("newton_raphson"):
    fig, (ax_sin, ax_cubic) = plt.subplots(1, 2, figsize=(11, 4))
    u = np.linspace(-np.pi, np.pi, 300)
    ax_sin.plot(u, np.sin(u), "k")
    ax_sin.axhline(0, color="grey", lw=0.8)
    good = newton_raphson(np.sin, np.cos, 1.0, 4)
    draw_newton(ax_sin, np.sin, np.cos, good, "tab:blue")
    far = newton_raphson(np.sin, np.cos, 1.55, 5)
    ax_sin.plot(far[:2], [np.sin(far[0]), 0], "--", color="tab:orange",
                label=lab.t("x₀ = 1.55: an almost flat tangent"))
    ax_sin.set_xlim(-np.pi, np.pi)
    ax_sin.legend(loc="lower right", fontsize=8)
    ax_sin.set_title("f(x) = sin x, x₀ = 1")
    ax_sin.set_xlabel("x")

    cubic = cv.function("cubic")
    u = np.linspace(-3, 3, 300)
    ax_cubic.plot(u, cubic.f(u), "k")
    ax_cubic.axhline(0, color="grey", lw=0.8)
    cycle = newton_raphson(cubic.f, cubic.df, 0.0, 7)
    draw_newton(ax_cubic, cubic.f, cubic.df, cycle, "tab:red")
    root = cv.newton_raphson(cubic.f, cubic.df, -2.0).x
    ax_cubic.plot(root, 0, "*", color="tab:green", ms=14, label=lab.t("the root"))
    ax_cubic.legend(loc="lower right", fontsize=8)
    ax_cubic.set_title("f(x) = x³/4 − x + 1, x₀ = 0")
    ax_cubic.set_xlabel("x")
    plt.tight_layout()
    plt.show()

    print(lab.t("from x₀ = 1: |f(x_k)| = {sizes}", sizes=", ".join(f"{abs(np.sin(x)):.0e}" for x in good)))
    print(lab.t("from x₀ = 1.55: x₁ = {x1:.2f}, and after 5 steps x = {x:.6f} = {k:.0f}π", x1=far[1], x=far[-1],
                k=far[-1] / np.pi))
    print(lab.t("on the cubic from x₀ = 0: {xs}", xs=", ".join(f"{x:g}" for x in cycle)))

# %% [markdown]
# ## Your score

# %%
print(lab.score())
