# %% [markdown]
# # Lab 1 — A derivative by nudging
#
# The derivative of f at x is what a tiny nudge does: move x by h, watch f move, and divide the rise by the
# run. A computer cannot let h reach zero, so it must pick a small h — and this lab finds out how small is
# too small.

# %% [markdown]
# Run each cell with Shift+Enter. Where you see `...`, write the code; the check in the cell below it tells
# you what it tried, what it expected and what came back.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np

from labs.lab import Lab

lab = Lab("nudges", lang="en")
f, df = np.exp, np.exp   # the clip's function, eˣ, and its exact derivative

# %% [markdown]
# ## Exercise 1: the forward difference
#
# Nudge x forward to x + h: the slope of the secant through the two points is
# $\dfrac{f(x+h) - f(x)}{h}$. Write it. Your function should work when `h` is a single number and when it is
# a numpy array of many steps at once (numpy does that for you if you write the formula plainly).

# %%
def forward_difference(f, x, h):
    """The slope of the secant from x to x + h."""
    # BEGIN SOLUTION
    return (f(x + h) - f(x)) / h
    # END SOLUTION

# %% tags=["check"]
lab.check("forward_difference", forward_difference)

# %% [markdown]
# ## Exercise 2: the central difference
#
# Nudge both ways, to x − h and to x + h, and take the slope across: $\dfrac{f(x+h) - f(x-h)}{2h}$.
# The errors of the two sides cancel, as the clip showed.

# %%
def central_difference(f, x, h):
    """The slope of the secant from x − h to x + h."""
    # BEGIN SOLUTION
    return (f(x + h) - f(x - h)) / (2 * h)
    # END SOLUTION

# %% tags=["check"]
lab.check("central_difference", central_difference)

# %% [markdown]
# Your two differences against the true slope of eˣ, with a big nudge h = 0.5 so the difference shows.
# The central one hugs the true curve; the forward one sits above it everywhere (eˣ bends up).

# %%
if lab.ready("forward_difference") and lab.ready("central_difference"):
    xs = np.linspace(-2, 2, 200)
    plt.plot(xs, df(xs), "k", lw=3, label="f′(x) = eˣ")
    plt.plot(xs, forward_difference(f, xs, 0.5), label=lab.t("forward, h = {h}", h=0.5))
    plt.plot(xs, central_difference(f, xs, 0.5), "--", label=lab.t("central, h = {h}", h=0.5))
    plt.xlabel("x")
    plt.legend()
    plt.show()

# %% [markdown]
# ## Exercise 3: how far off?
#
# The error of a difference is how far its estimate lands from the exact slope: |estimate − f′(x)|.
# Write `difference_error`, which takes one of your difference functions and returns its error at x for the
# step h (or for every step of an array h).

# %%
def difference_error(difference, f, df, x, h):
    """The size of difference(f, x, h) − f′(x)."""
    # BEGIN SOLUTION
    return np.abs(difference(f, x, h) - df(x))
    # END SOLUTION

# %% tags=["check"]
lab.check("difference_error", difference_error)

# %% [markdown]
# Now shrink the nudge from h = 1 to h = 10⁻¹⁵ and plot both errors on log–log axes: the V of the clip.
# On the right the error shrinks with h; on the left round-off takes over, because f(x + h) and f(x) agree in
# almost every digit and their difference keeps only the last few.

# %%
hs = np.logspace(-15, 0, 151)
if lab.ready("difference_error"):
    forward_errors = difference_error(forward_difference, f, df, 1.0, hs)
    central_errors = difference_error(central_difference, f, df, 1.0, hs)
    plt.loglog(hs, forward_errors, label=lab.t("forward"))
    plt.loglog(hs, central_errors, label=lab.t("central"))
    plt.xlabel("h")
    plt.ylabel(lab.t("error"))
    plt.legend()
    plt.show()

# %% [markdown]
# ## Exercise 4: the slope of the error
#
# Where truncation rules (the right arm of the V), the error behaves like C·hᵖ, so log(error) = log C +
# p·log(h): a straight line on log–log axes whose slope p is the method's order. Fit that line (`np.polyfit`
# with degree 1 fits a line) and return its slope.

# %%
def observed_order(hs, errors):
    """The slope of log(error) against log(h)."""
    # BEGIN SOLUTION
    slope, intercept = np.polyfit(np.log(hs), np.log(errors), 1)
    return slope
    # END SOLUTION

# %% tags=["check"]
lab.check("observed_order", observed_order)

# %% [markdown]
# ## Exercise 5: the best h
#
# Left of the V's tip, a smaller nudge makes things worse. Return the step with the smallest error.

# %%
def best_step(hs, errors):
    """The h whose error is smallest."""
    # BEGIN SOLUTION
    return hs[np.argmin(errors)]
    # END SOLUTION

# %% tags=["check"]
lab.check("best_step", best_step)

# %% [markdown]
# Compare your best steps with the rule of thumb: the forward difference does best near √ε ≈ 10⁻⁸ and the
# central one near ∛ε ≈ 10⁻⁵, where ε ≈ 2.2 × 10⁻¹⁶ is the gap between 1 and the next number a computer
# can store.

# %%
if lab.ready("best_step") and lab.ready("difference_error"):
    eps = np.finfo(float).eps
    print(lab.t("forward: best h = {h:.1e}, √ε = {rule:.1e}", h=best_step(hs, forward_errors), rule=np.sqrt(eps)))
    print(lab.t("central: best h = {h:.1e}, ∛ε = {rule:.1e}", h=best_step(hs, central_errors), rule=np.cbrt(eps)))

# %% [markdown]
# ## Your score

# %%
print(lab.score())
