# %% [markdown]
# # Lab 4 — Fitting real data
#
# In 1886 Francis Galton measured the heights of 934 grown-up children. Here are his 481 sons, counted in
# one-inch bins: a histogram that looks like a bell. Which bell? It has two numbers to find, its mean μ and
# its width s, and this lab finds them the way the course did: measure how badly a bell misses the bars (χ²),
# take the gradient of that misfit, and walk downhill. Then you will build Gauss–Newton, which uses the
# curvature too, and use it on a harder curve with seven numbers: the CO₂ record of Mauna Loa, the Keeling
# curve.
#
# This is the course's final project: every piece is one you have met in the clips.

# %% [markdown]
# Run each cell with Shift+Enter. Where you see `...`, write the code; the check in the cell below it tells
# you what it tried, what it expected and what came back.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np

import calcviz as cv
from labs.lab import Lab

lab = Lab("fitting", lang="en")
problem = cv.heights_problem("male")   # Galton's sons, counted in one-inch bins
x = problem.x                          # the centre of each bin, in inches
y = problem.y                          # how many sons fall in each bin
sigma = problem.sigma                  # each count's error bar: √count (1 for an empty bin)
area = y.sum() * (x[1] - x[0])         # the area of the histogram: 481 sons × 1 inch


def draw_histogram(ax):
    """The sons' histogram with its error bars, on the axes ax."""
    ax.bar(x, y, width=1.0, color="0.88", edgecolor="0.6", label=lab.t("Galton's sons"))
    ax.errorbar(x, y, sigma, fmt="none", ecolor="0.35", capsize=2)
    ax.set_xlabel(lab.t("height (inches)"))
    ax.set_ylabel(lab.t("sons per one-inch bin"))
    ax.set_ylim(-3, 125)   # room above the bars for a legend


# %% [markdown]
# ## Exercise 1: the bell curve
#
# A bell of mean μ and width s is
# $$f(x) = A\,\frac{1}{s\sqrt{2\pi}}\,\exp\!\left(-\frac{(x-\mu)^2}{2s^2}\right).$$
# The factor $\frac{1}{s\sqrt{2\pi}}$ makes the area under the curve exactly 1, and $A$ scales it up to the
# histogram's area, 481 sons × 1 inch. We know $A$ from the data, so the fit only has to find μ and s.
# Write `bell`. It should work when `x` is one number and when it is a numpy array of many.

# %%
def bell(x, mean, width, area):
    """area · exp(−(x − mean)² / (2·width²)) / (width·√(2π))"""
    # BEGIN SOLUTION
    z = (x - mean) / width
    return area * np.exp(-z**2 / 2) / (width * np.sqrt(2 * np.pi))
    # END SOLUTION

# %% tags=["check"]
lab.check("bell", bell)

# %% [markdown]
# A first guess from general knowledge: men are about 5 ft 9 in (69 inches) tall, give or take 3 inches.
# Here is your bell for that guess over the histogram. Close, but not the best: the bars stand taller and
# narrower.

# %%
if lab.ready("bell"):
    fig, ax = plt.subplots(figsize=(7, 3.8))
    draw_histogram(ax)
    xs = np.linspace(x[0] - 1, x[-1] + 1, 300)
    ax.plot(xs, bell(xs, 69.0, 3.0, area), "C3", lw=2, label=lab.t("a first guess: μ = {mean}, s = {width}",
                                                                  mean=69, width=3))
    ax.legend()
    plt.show()

# %% [markdown]
# ## Exercise 2: χ², the misfit
#
# Bin $i$ holds $y_i$ sons, give or take $\sigma_i$; the bell says $f(x_i)$. Measure each miss in error
# bars, $r_i = \dfrac{y_i - f(x_i)}{\sigma_i}$, and add up their squares:
# $$\chi^2(\mu, s) = \sum_i r_i^2 = \sum_i \left(\frac{y_i - f(x_i)}{\sigma_i}\right)^2.$$
# Write `chi_squared(mean, width)` for the sons' histogram: use the `x`, `y`, `sigma` and `area` of the setup
# cell and your `bell`. (A bell that fits as well as the error bars allow misses each bin by about one error
# bar, so its χ² is about the number of bins, 20.)

# %%
def chi_squared(mean, width):
    """Σᵢ ((yᵢ − f(xᵢ)) / σᵢ)² for the bell of this mean and width."""
    # BEGIN SOLUTION
    misses = (y - bell(x, mean, width, area)) / sigma
    return np.sum(misses**2)
    # END SOLUTION

# %% tags=["check"]
lab.check("chi_squared", chi_squared, bell)   # it also looks at your bell, which chi_squared uses

# %% [markdown]
# Your χ² over a grid of means and widths: a valley, whose floor is the best bell. The contours are spaced
# evenly in log χ², so the floor shows too.

# %%
means, widths = np.linspace(64, 74, 61), np.linspace(1.0, 6.0, 61)
if lab.ready("bell") and lab.ready("chi_squared"):
    valley = np.array([[chi_squared(m, w) for m in means] for w in widths])
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    shown = ax.contourf(means, widths, np.log10(valley), levels=20, cmap="viridis")
    fig.colorbar(shown, label="log₁₀ χ²")
    ax.plot(69, 3, "w+", ms=12, mew=2)
    ax.set_xlabel(lab.t("mean μ (inches)"))
    ax.set_ylabel(lab.t("width s (inches)"))
    plt.show()

# %% [markdown]
# ## Exercise 3: the gradient of χ²
#
# Downhill is against the gradient. By the chain rule, with
# $\partial r_i/\partial\mu = -\frac{1}{\sigma_i}\frac{\partial f}{\partial\mu}(x_i)$,
# $$\frac{\partial\chi^2}{\partial\mu} = \sum_i 2r_i\,\frac{\partial r_i}{\partial\mu}
#   = -2\sum_i \frac{y_i - f(x_i)}{\sigma_i^2}\,\frac{\partial f}{\partial\mu}(x_i),$$
# and the same with $s$ in place of μ. What is left is the bell's own derivatives. Write $z = (x-\mu)/s$, so
# that $f = \frac{A}{s\sqrt{2\pi}}e^{-z^2/2}$. Then μ appears only inside $z$, and the chain rule gives
# $\frac{\partial f}{\partial\mu} = f\cdot(-z)\cdot\frac{\partial z}{\partial\mu} = f\,\frac{z}{s}$.
# The width appears twice, inside $z$ and in the $\frac{1}{s}$ in front: work out
# $\frac{\partial f}{\partial s}$ yourself with the product rule.
#
# Write `chi_squared_gradient(mean, width)`: it returns the numpy array
# $(\partial\chi^2/\partial\mu,\ \partial\chi^2/\partial s)$.

# %%
def chi_squared_gradient(mean, width):
    """(∂χ²/∂μ, ∂χ²/∂s) for the sons' histogram, as a numpy array of two numbers."""
    # BEGIN SOLUTION
    f = bell(x, mean, width, area)
    z = (x - mean) / width
    df_dmean = f * z / width
    df_dwidth = f * (z**2 - 1) / width
    weights = -2 * (y - f) / sigma**2
    return np.array([np.sum(weights * df_dmean), np.sum(weights * df_dwidth)])
    # END SOLUTION

# %% tags=["check"]
lab.check("chi_squared_gradient", chi_squared_gradient, bell)

# %% [markdown]
# Lab 1's way to check a derivative: nudge each parameter both ways and take the central difference of your
# χ². The two should agree to many digits.

# %%
if lab.ready("chi_squared") and lab.ready("chi_squared_gradient"):
    h = 1e-5
    nudged = [(chi_squared(67 + h, 3.5) - chi_squared(67 - h, 3.5)) / (2 * h),
              (chi_squared(67, 3.5 + h) - chi_squared(67, 3.5 - h)) / (2 * h)]
    exact = chi_squared_gradient(67, 3.5)
    print(lab.t("at μ = 67, s = 3.5: your gradient ({dmean:.5f}, {dwidth:.5f}), central differences ({nmean:.5f}, "
                "{nwidth:.5f})", dmean=exact[0], dwidth=exact[1], nmean=nudged[0], nwidth=nudged[1]))

# %% [markdown]
# ## Exercise 4: steepest descent
#
# Start somewhere, and step against the gradient again and again:
# $$p_{k+1} = p_k - \eta\,\nabla\chi^2(p_k),$$
# where $p = (\mu, s)$ and η is the learning rate `lr`. Write `steepest_descent(grad, start, lr, steps)`.
# `grad` is a function that takes the point p as a numpy array and returns the gradient there. Return the
# whole path as an array with one row per point: the start first, then the point after each step, so
# `steps + 1` rows. Write it for any number of parameters, not just two.

# %%
def steepest_descent(grad, start, lr, steps):
    """The path p₀ = start, pₖ₊₁ = pₖ − lr·grad(pₖ), as an array of steps + 1 rows."""
    # BEGIN SOLUTION
    p = np.array(start, dtype=float)
    path = [p]
    for _ in range(steps):
        p = p - lr * grad(p)
        path.append(p)
    return np.array(path)
    # END SOLUTION

# %% tags=["check"]
lab.check("steepest_descent", steepest_descent)

# %% [markdown]
# Now walk down your own χ². Start where the clips start, at everyone's average, μ = 67 and s = 3.5. How big
# a step? At the start, χ² curves most steeply, about 550 per square inch, along one direction: a learning
# rate of 1/550 ≈ 0.0018 cannot overshoot along it, but it crawls along the valley floor. A bigger rate,
# 0.004, zig-zags across the valley and gets there sooner. At 0.006 the first step overshoots to a very
# narrow bell, and the next one flings the walk off the map to a wide, flat bell, out where χ² hardly slopes;
# it does not come back. The map behind is the core's χ² (`cv.chi2_grid`).

# %%
start = (67.0, 3.5)   # everyone's average height and spread: the clips' start


def gradient(p):
    """Your gradient, for a point p = (mean, width)."""
    return chi_squared_gradient(p[0], p[1])


walks = {}
if lab.ready("bell") and lab.ready("chi_squared_gradient") and lab.ready("steepest_descent"):
    grid = cv.chi2_grid(problem, problem.start, ("mean", "width"), [(64, 74), (0.5, 8)], num=81)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.4))
    left.contour(grid.x, grid.y, np.log10(grid.chi2), levels=18, colors="0.7", linewidths=0.8)
    with np.errstate(all="ignore"):   # the walk that is flung away meets huge numbers
        for lr, colour in ((0.006, "C3"), (0.004, "C1"), (0.0018, "C0")):   # the careful walk drawn on top
            walks[lr] = steepest_descent(gradient, start, lr, 100)
            left.plot(walks[lr][:, 0], walks[lr][:, 1], ".-", color=colour, ms=5, lw=1.2,
                      label=lab.t("lr = {lr}", lr=lr))
    left.plot(*start, "ko")
    left.set_xlim(64, 74)
    left.set_ylim(0.5, 8)
    left.set_xlabel(lab.t("mean μ (inches)"))
    left.set_ylabel(lab.t("width s (inches)"))
    handles, labels = left.get_legend_handles_labels()
    left.legend(handles[::-1], labels[::-1], loc="upper left")
    draw_histogram(right)
    mean, width = walks[0.0018][-1]
    xs = np.linspace(x[0] - 1, x[-1] + 1, 300)
    right.plot(xs, bell(xs, mean, width, area), "C0", lw=2,
               label=lab.t("after 100 steps: μ = {mean:.2f}, s = {width:.2f}", mean=mean, width=width))
    right.legend(loc="upper left")
    plt.show()

# %% [markdown]
# ## Exercise 5: one Gauss–Newton step
#
# Steepest descent knows only the slope. Gauss–Newton also uses the curvature, and it gets it almost for
# free. Stack the misses into a vector $r(p)$ and their derivatives into the Jacobian
# $J = \partial r/\partial p$, one row per bin and one column per parameter. Near p the misses are nearly linear in the step δ:
# $r(p+\delta) \approx r + J\delta$. So pick the δ that makes $|r + J\delta|^2$ smallest. Setting its
# gradient to zero gives the *normal equations*
# $$J^\top J\,\delta = -J^\top r.$$
# Since $\nabla\chi^2 = 2J^\top r$ and $2J^\top J$ is nearly the Hessian of χ², this is Newton–Raphson with a
# Hessian that needs no second derivatives. Write `gauss_newton_step(J, r)`; `np.linalg.solve(A, b)` solves
# $A\delta = b$.

# %%
def gauss_newton_step(J, r):
    """The step δ that solves JᵀJ δ = −Jᵀr."""
    # BEGIN SOLUTION
    return np.linalg.solve(J.T @ J, -J.T @ r)
    # END SOLUTION

# %% tags=["check"]
lab.check("gauss_newton_step", gauss_newton_step)

# %% [markdown]
# ## Exercise 6: Gauss–Newton all the way
#
# Now the loop: $p_{k+1} = p_k + \delta_k$, with $\delta_k$ your step for $J$ and $r$ at $p_k$. Write
# `gauss_newton(residuals, jacobian, start, steps)`; `residuals(p)` returns the vector $r$ at p and
# `jacobian(p)` the matrix $J$. Return the path as in exercise 4: `steps + 1` rows, the start first.

# %%
def gauss_newton(residuals, jacobian, start, steps):
    """The path p₀ = start, pₖ₊₁ = pₖ + gauss_newton_step(J(pₖ), r(pₖ)), as an array of steps + 1 rows."""
    # BEGIN SOLUTION
    p = np.array(start, dtype=float)
    path = [p]
    for _ in range(steps):
        p = p + gauss_newton_step(jacobian(p), residuals(p))
        path.append(p)
    return np.array(path)
    # END SOLUTION

# %% tags=["check"]
lab.check("gauss_newton", gauss_newton, gauss_newton_step)   # it also looks at your gauss_newton_step

# %% [markdown]
# The same valley, the same start. The core gives you the sons' $r(p)$ and $J(p)$ as `problem.residuals` and
# `problem.jacobian`. The columns of $J$ are $-\frac{1}{\sigma}\frac{\partial f}{\partial\mu}$ and
# $-\frac{1}{\sigma}\frac{\partial f}{\partial s}$, the pieces of exercise 3. On the right is how far above
# the floor each walk is after each step. The floor's χ² is what the core's Levenberg–Marquardt finds
# (`cv.fit`). Steepest descent closes the gap by the same small factor with every step; Gauss–Newton gains
# about two digits per step.

# %%
best = cv.fit(problem)   # the core's Levenberg–Marquardt, with standard errors
if lab.ready("gauss_newton"):
    newton_walk = gauss_newton(problem.residuals, problem.jacobian, start, 10)
    runs = [(newton_walk, "C2", lab.t("Gauss–Newton"))]
    if walks:   # your steepest descent of exercise 4, when it has run
        runs.insert(0, (walks[0.0018], "C0", lab.t("steepest descent, lr = 0.0018")))
    grid = cv.chi2_grid(problem, problem.start, ("mean", "width"), [(65, 71), (1.5, 4.5)], num=61)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.4))
    left.contour(grid.x, grid.y, np.log10(grid.chi2), levels=14, colors="0.7", linewidths=0.8)
    for walk, colour, name in runs:
        left.plot(walk[:, 0], walk[:, 1], ".-", color=colour, ms=5, lw=1, label=name)
        above = [problem.chi2(p) - best.chi2 for p in walk]
        right.semilogy(np.maximum(above, 1e-12), ".-", color=colour, label=name)
    left.plot(*start, "ko")
    left.set_xlim(65, 71)
    left.set_ylim(1.5, 4.5)
    left.set_xlabel(lab.t("mean μ (inches)"))
    left.set_ylabel(lab.t("width s (inches)"))
    left.legend()
    right.set_xlabel(lab.t("step"))
    right.set_ylabel(lab.t("χ² above the floor"))
    right.set_xlim(0, 60)
    right.set_ylim(1e-12, 1e4)   # below 10⁻¹², the differences are round-off
    right.legend()
    plt.show()
    mean, width = newton_walk[-1]
    print(lab.t("your Gauss–Newton, 10 steps: μ = {mean:.4f}, s = {width:.4f} inches", mean=mean, width=width))
    print(lab.t("the core's Levenberg–Marquardt: μ = {mean:.4f} ± {dmean:.2f}, s = {width:.4f} ± {dwidth:.2f} "
                "inches, χ² = {chi2:.1f} for {dof} degrees of freedom", mean=best.params[0], dmean=best.stderr[0],
                width=best.params[1], dwidth=best.stderr[1], chi2=best.chi2, dof=best.dof))

# %% [markdown]
# ## The Keeling curve
#
# Since 1958, Charles Keeling's instruments on Mauna Loa have measured the CO₂ in the air every month. From
# 1959 to 1997 that is 468 numbers, which rise and wobble with the seasons. Our model has seven parameters:
# $$f(t) = a + b\,e^{r(t-1978.5)} + c_1\sin 2\pi(t-\varphi_1) + c_2\sin 4\pi(t-\varphi_2).$$
# The growth rate $r$ and the phases φ sit inside nonlinear functions, so no straight-line formula can fit
# this, but your `gauss_newton` does not care. The core gives you the residuals and the 468 × 7 Jacobian;
# the start comes from rough facts (280 ppm before industry, about 335 ppm around 1978, a swing of ±3 ppm).

# %%
co2 = cv.co2_problem()
if lab.ready("gauss_newton"):
    yours = gauss_newton(co2.residuals, co2.jacobian, co2.start, 10)[-1]
    theirs = cv.fit(co2)   # Levenberg–Marquardt from the same start
    for name, mine, value, error in zip(co2.names, yours, theirs.params, theirs.stderr):
        print(lab.t("{name}: your Gauss–Newton {mine:.5g}; the core's Levenberg–Marquardt {value:.5g} ± {error:.2g}",
                    name=name, mine=mine, value=value, error=error))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True, height_ratios=(2, 1))
    top.plot(co2.x, co2.y, "k.", ms=2, label=lab.t("Mauna Loa, monthly"))
    top.plot(co2.x, co2.model(co2.x, yours), "C2", lw=1.2, label=lab.t("your Gauss–Newton"))
    top.plot(co2.x, theirs.curve(co2.x), "C1--", lw=1, label=lab.t("the core's Levenberg–Marquardt"))
    top.set_ylabel(lab.t("CO₂ (ppm)"))
    top.legend()
    bottom.plot(co2.x, co2.residuals(yours), "C2", lw=0.8)
    bottom.axhline(0, color="k", lw=0.5)
    bottom.set_ylabel(lab.t("data − fit (ppm)"))
    bottom.set_xlabel(lab.t("year"))
    plt.show()

# %% [markdown]
# Both land on the same seven numbers. The misses left over stay within about 2 ppm, but they wander in slow
# swings lasting years, which seven parameters cannot follow: a good model, not a perfect one.
#
# Now start with a growth rate ten times too big, r = 0.2 a year instead of 0.02. The linear picture that
# Gauss–Newton trusts is then far off: it lurches around, and at step 5 it flies off to a χ² near 10²².
# Levenberg–Marquardt damps each step until it makes χ² smaller, so it cannot fly off, and it still finds
# the fit.

# %%
bad_start = cv.fitting.CO2_BAD_START
if lab.ready("gauss_newton"):
    with np.errstate(all="ignore"):
        lurches = gauss_newton(co2.residuals, co2.jacobian, bad_start, 6)
        values = [f"{co2.chi2(p):.3g}" for p in lurches]
    print(lab.t("your Gauss–Newton, χ² at the start and after each step: {values}", values=" → ".join(values)))
    damped = cv.levenberg_marquardt(co2, bad_start)
    print(lab.t("the core's Levenberg–Marquardt: χ² = {chi2:.1f} after {steps} steps, the same fit as from the "
                "good start", chi2=damped.fun, steps=damped.nit))

# %% [markdown]
# ## Your score

# %%
print(lab.score())
