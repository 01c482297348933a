"""Landscapes: named functions f(x, y) of two variables to walk on, in the dark or not.

Each :class:`Landscape` carries its formula (as code and as TeX), its exact gradient
∇f = (∂f/∂x, ∂f/∂y) and Hessian H = [[f_xx, f_xy], [f_xy, f_yy]], a domain that frames it
well, and its known critical points (minima, saddles, maxima) — the things a scene
points at and a test checks (∇f = 0 there; H positive definite at a minimum).

>>> bowl = landscape("bowl")
>>> bowl.grad([1.0, 1.0])
array([ 1., 10.])
>>> X, Y, Z = bowl.on_grid(51)

Points are arrays whose last axis holds (x, y): ``value``, ``grad`` and ``hessian``
accept one point of shape (2,) or a stack of shape (..., 2). ``f(x, y)`` itself takes
the coordinates separately and broadcasts like any numpy expression.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .errors import (CalcvizError, call, require_array, require_callable, require_choice, require_interval,
                     require_number, require_numeric, require_positive, require_text, require_whole, show)
from .result import N_, frozen_array

Field = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (x, y) -> z, elementwise


def as_point(p, what: str = "point") -> np.ndarray:
    """p as a finite float array of shape (2,), or a one-line CalcvizError."""
    p = require_array(require_text("what", what), p)
    if p.shape != (2,):
        raise CalcvizError(f"{what} must be a pair (x, y), got shape {p.shape}")
    return p


@dataclass(frozen=True, eq=False)
class Landscape:
    """A function f(x, y) with its exact first and second derivatives and known landmarks.

    ``df(x, y)`` returns the pair (f_x, f_y) and ``d2f(x, y)`` the triple
    (f_xx, f_xy, f_yy); constants are allowed and broadcast. ``minima`` is sorted by
    value, so ``minima[0]`` is a global minimum. ``start`` is a classic starting point
    for an optimizer; ``level_spacing`` tells :mod:`calcviz.contours` how to space
    contour levels ("log" for landscapes with a deep narrow valley).
    """

    name: str
    f: Field
    df: Callable[[np.ndarray, np.ndarray], tuple]
    d2f: Callable[[np.ndarray, np.ndarray], tuple]
    tex: str
    domain: tuple[tuple[float, float], tuple[float, float]]
    minima: np.ndarray
    saddles: np.ndarray = ()
    maxima: np.ndarray = ()
    start: tuple[float, float] = (0.0, 0.0)
    description: str = ""
    level_spacing: str = "quantile"

    def __post_init__(self):
        require_text("landscape name", self.name)
        for name in ("f", "df", "d2f"):
            require_callable(name, getattr(self, name))
        require_text("tex", self.tex)
        require_text("description", self.description)
        require_choice("level spacing", self.level_spacing, ("quantile", "log", "linear"))
        object.__setattr__(self, "domain", _domain(self.domain))
        object.__setattr__(self, "start", tuple(as_point(self.start, "start").tolist()))
        for name in ("minima", "saddles", "maxima"):
            points = require_array(name, getattr(self, name), min_size=0)
            if points.size % 2 or (points.ndim > 1 and points.shape[-1] != 2) or points.ndim > 2:
                raise CalcvizError(f"{name} must be a list of points (x, y), got shape {points.shape}")
            object.__setattr__(self, name, frozen_array(points.reshape(-1, 2)))
        if len(self.minima):  # keep the global minimum first
            order = np.argsort(self.value(self.minima), kind="stable")
            object.__setattr__(self, "minima", frozen_array(self.minima[order]))

    # evaluation at points p[..., :] = (x, y) -----------------------------------------
    def value(self, p) -> float | np.ndarray:
        """f(p): a float for one point, an array for a stack of points."""
        x, y = _split(p)
        z = _numbers("f", call(f"{self.name} f", self.f, x, y))
        return float(z) if z.ndim == 0 else z

    __call__ = value

    def grad(self, p) -> np.ndarray:
        """∇f(p) = (∂f/∂x, ∂f/∂y), with the same shape as p."""
        x, y = _split(p)
        fx, fy = np.broadcast_arrays(*_pieces(f"{self.name} df", call(f"{self.name} df", self.df, x, y), 2), x)[:2]
        return np.stack([fx, fy], axis=-1).astype(float)

    def hessian(self, p) -> np.ndarray:
        """H(p) = [[f_xx, f_xy], [f_xy, f_yy]], shape p.shape[:-1] + (2, 2)."""
        x, y = _split(p)
        second = _pieces(f"{self.name} d2f", call(f"{self.name} d2f", self.d2f, x, y), 3)
        fxx, fxy, fyy = np.broadcast_arrays(*second, x)[:3]
        return np.stack([np.stack([fxx, fxy], -1), np.stack([fxy, fyy], -1)], -2).astype(float)

    def on_grid(self, n: int = 101, domain=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """X, Y, Z = meshgrid of n×n points over the domain and f on it (Z[i, j] = f(X[i, j], Y[i, j]))."""
        n = require_whole("grid points per side n", n, 2)
        if n > 4001:
            raise CalcvizError(f"a grid of more than 4001 points per side is too big to draw, got {n}")
        (x0, x1), (y0, y1) = self.domain if domain is None else _domain(domain)
        X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        return X, Y, _numbers("f", call(f"{self.name} f", self.f, X, Y))

    # landmarks ------------------------------------------------------------------------
    @property
    def global_minimum(self) -> np.ndarray:
        if not len(self.minima):
            raise CalcvizError(f"landscape {self.name!r} has no minimum")
        return self.minima[0]

    @property
    def min_value(self) -> float:
        return self.value(self.global_minimum)

    def reached_deepest_valley(self, p, tol: float = 0.05) -> bool:
        """Whether p lies within tol × the domain's width of a minimum as low as the global one
        (Himmelblau has four such valleys, the camel two)."""
        p, tol = as_point(p), require_positive("tolerance tol", tol)
        if not len(self.minima):
            return False
        distance = np.linalg.norm(self.minima - p, axis=-1)
        lowest = np.isclose(self.value(self.minima), self.min_value, rtol=1e-9, atol=1e-9)
        return bool(np.any(lowest & (distance < tol * np.ptp(self.domain[0]))))

    def __repr__(self) -> str:
        return f"Landscape({self.name!r}, minima={len(self.minima)}, saddles={len(self.saddles)})"


def _split(p) -> tuple[np.ndarray, np.ndarray]:
    p = require_numeric("point", p)
    if p.shape[-1:] != (2,):
        raise CalcvizError(f"a point on a landscape has 2 coordinates (x, y), got shape {p.shape}")
    return p[..., 0], p[..., 1]


def _numbers(what: str, value) -> np.ndarray:
    value = np.asarray(value)
    if value.dtype.kind not in "biuf":
        raise CalcvizError(f"{what} must return numbers, got {show(value)}")
    return value.astype(float)


def _pieces(what: str, value, count: int) -> tuple:
    """The ``count`` parts (f_x, f_y or f_xx, f_xy, f_yy) a derivative function returned, as numbers."""
    if not isinstance(value, (tuple, list)) or len(value) != count:
        raise CalcvizError(f"{what} must return {count} values, got {show(value)}")
    return tuple(_numbers(what, v) for v in value)


def _domain(domain) -> tuple[tuple[float, float], tuple[float, float]]:
    """((x0, x1), (y0, y1)), checked: finite, each interval non-empty."""
    (x0, x1), (y0, y1) = require_array("domain ((x0, x1), (y0, y1))", domain, shape=(2, 2))
    return require_interval("domain x range", x0, x1), require_interval("domain y range", y0, y1)


def _hessian_matrix(hessian) -> np.ndarray:
    H = require_array("Hessian", hessian)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise CalcvizError(f"a Hessian must be a square matrix, got shape {H.shape}")
    return H


def principal_curvatures(hessian) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues of H (ascending) and their unit eigenvectors as rows: H v = λ v.

    The eigenvectors are the directions of strongest and weakest bending; the
    eigenvalues say how strongly, and their signs say minimum, maximum or saddle.
    """
    values, vectors = np.linalg.eigh(_hessian_matrix(hessian))
    return values, vectors.T


def directional_derivatives(land, p, angles) -> np.ndarray:
    """D_u f(p) = ∇f(p)·u for the unit vectors u = (cos θ, sin θ), one value per angle θ (radians)."""
    g = landscape(land).grad(as_point(p))
    angles = require_array("angles", angles, min_size=0)
    return g[0] * np.cos(angles) + g[1] * np.sin(angles)


@dataclass(frozen=True)
class Compass:
    """The directional derivative at p over a full turn, with the landmark angles (radians, in [0, 2π)).

    Largest along ∇f (``uphill``, slope |∇f|), zero a quarter turn on (``level``: along the
    contour), most negative against ∇f (``downhill``), zero again (``level_back``).
    """

    angles: np.ndarray       # sorted, in [0, 2π], landmarks included exactly
    slopes: np.ndarray       # ∇f(p)·u(θ)
    grad: np.ndarray
    norm: float              # |∇f(p)|
    uphill: float
    level: float
    downhill: float
    level_back: float

    def index(self, angle: float) -> int:
        """The index of the sampled angle nearest ``angle`` (radians)."""
        return int(np.argmin(np.abs(self.angles - require_number("angle", angle))))


def compass(land, p, n: int = 721) -> Compass:
    """Sample ∇f(p)·u over a full turn of u, with the landmark angles of ∇f, the contour and −∇f."""
    land, p = landscape(land), as_point(p)
    n = require_whole("number of directions n", n, 2)
    if n > 1_000_000:
        raise CalcvizError(f"over a million directions is more than any compass needs, got {n}")
    g = land.grad(p)
    if not np.hypot(*g) > 0:
        raise CalcvizError(f"the gradient is zero at {tuple(np.round(p, 4))}: no direction is uphill")
    uphill = float(np.arctan2(g[1], g[0]) % (2 * np.pi))
    marks = [(uphill + k * np.pi / 2) % (2 * np.pi) for k in range(4)]
    angles = np.unique(np.concatenate([np.linspace(0, 2 * np.pi, n), marks]))
    return Compass(angles, directional_derivatives(land, p, angles), g, float(np.hypot(*g)), *marks)


def critical_kind(hessian) -> str:
    """"minimum" if H is positive definite, "maximum" if negative definite, "saddle" if
    indefinite, "degenerate" if an eigenvalue is (numerically) zero."""
    eig = np.linalg.eigvalsh(_hessian_matrix(hessian))
    tiny = 1e-9 * max(1.0, float(np.max(np.abs(eig))))
    if np.any(np.abs(eig) <= tiny):
        return "degenerate"
    if np.all(eig > 0):
        return "minimum"
    if np.all(eig < 0):
        return "maximum"
    return "saddle"


# --- the anisotropic bowl: a valley ten times steeper across than along -------------
# f = ½(x² + 10y²). Its Hessian diag(1, 10) has condition number 10, enough to make
# gradient descent zig-zag across the valley.
BOWL = Landscape(
    "bowl",
    f=lambda x, y: 0.5 * (x**2 + 10 * y**2),
    df=lambda x, y: (x, 10 * y),
    d2f=lambda x, y: (1.0, 0.0, 10.0),
    tex=r"\tfrac{1}{2}\left(x^2 + 10y^2\right)",
    domain=((-3.0, 3.0), (-2.0, 2.0)),
    minima=[(0.0, 0.0)],
    start=(-2.5, 1.5),
    description=N_("anisotropic quadratic bowl (condition number 10)"),
)

# --- the saddle: up along x, down along y --------------------------------------------
SADDLE = Landscape(
    "saddle",
    f=lambda x, y: x**2 - y**2,
    df=lambda x, y: (2 * x, -2 * y),
    d2f=lambda x, y: (2.0, 0.0, -2.0),
    tex=r"x^2 - y^2",
    domain=((-2.0, 2.0), (-2.0, 2.0)),
    minima=[],
    saddles=[(0.0, 0.0)],
    start=(-1.5, 0.05),
    description=N_("saddle: a minimum along x, a maximum along y; no minimum at all"),
    level_spacing="linear",
)

# --- Booth: a tilted quadratic bowl (sum of two squared lines) -----------------------
BOOTH = Landscape(
    "booth",
    f=lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    df=lambda x, y: (10 * x + 8 * y - 34, 8 * x + 10 * y - 38),
    d2f=lambda x, y: (10.0, 8.0, 10.0),
    tex=r"(x + 2y - 7)^2 + (2x + y - 5)^2",
    domain=((-10.0, 10.0), (-10.0, 10.0)),
    minima=[(1.0, 3.0)],
    start=(-8.0, -6.0),
    description=N_("Booth: a quadratic bowl whose axes are tilted (the Hessian has f_xy ≠ 0)"),
)


# --- Rosenbrock: a curved banana valley with a flat floor ----------------------------
def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(x, y):
    return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


def _rosenbrock_hess(x, y):
    return 2 - 400 * y + 1200 * x**2, -400 * x, 200.0


ROSENBROCK = Landscape(
    "rosenbrock",
    f=_rosenbrock,
    df=_rosenbrock_grad,
    d2f=_rosenbrock_hess,
    tex=r"(1 - x)^2 + 100\left(y - x^2\right)^2",
    domain=((-2.0, 2.0), (-1.0, 3.0)),
    minima=[(1.0, 1.0)],
    start=(-1.2, 1.0),
    description=N_("Rosenbrock: easy to find the valley, hard to walk along it"),
    level_spacing="log",
)


# --- Himmelblau: four equal minima around one hill ------------------------------------
def _himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(x, y):
    a, b = x**2 + y - 11, x + y**2 - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


def _himmelblau_hess(x, y):
    return 12 * x**2 + 4 * y - 42, 4 * (x + y), 4 * x + 12 * y**2 - 26


# Critical points other than (3, 2) have no closed form; these were found by Newton's
# method on ∇f = 0 from a grid of starts (tests/test_landscapes.py checks ∇f = 0 there).
HIMMELBLAU = Landscape(
    "himmelblau",
    f=_himmelblau,
    df=_himmelblau_grad,
    d2f=_himmelblau_hess,
    tex=r"\left(x^2 + y - 11\right)^2 + \left(x + y^2 - 7\right)^2",
    domain=((-5.0, 5.0), (-5.0, 5.0)),
    minima=[(3.0, 2.0), (3.58442834033049, -1.8481265269644),
            (-2.80511808695274, 3.13131251825057), (-3.77931025337775, -3.28318599128617)],
    saddles=[(3.38515418360702, 0.0738518798377493), (0.0866775045553964, 2.88425470117478),
             (-3.07302575076439, -0.0813530442879674), (-0.12796134673068, -1.95371498024458)],
    maxima=[(-0.270844590667348, -0.923038556479981)],
    start=(0.0, 0.0),
    description=N_("Himmelblau: four minima of equal height (0) around a central hill"),
    level_spacing="log",
)


# --- Beale: flat plateaus and steep walls ----------------------------------------------
# f = Σᵢ aᵢ² with aᵢ = cᵢ − x + x·yⁱ, i = 1, 2, 3, so ∂aᵢ/∂x = yⁱ − 1 and ∂aᵢ/∂y = i·x·yⁱ⁻¹.
_BEALE_C = (1.5, 2.25, 2.625)


def _beale(x, y):
    return sum((c - x + x * y**i) ** 2 for i, c in enumerate(_BEALE_C, start=1))


def _beale_grad(x, y):
    fx = sum(2 * (c - x + x * y**i) * (y**i - 1) for i, c in enumerate(_BEALE_C, start=1))
    fy = sum(2 * (c - x + x * y**i) * i * x * y ** (i - 1) for i, c in enumerate(_BEALE_C, start=1))
    return fx, fy


def _beale_hess(x, y):
    fxx = fxy = fyy = 0.0
    for i, c in enumerate(_BEALE_C, start=1):
        a, ax, ay = c - x + x * y**i, y**i - 1, i * x * y ** (i - 1)
        fxx = fxx + 2 * ax**2
        fxy = fxy + 2 * (ax * ay + a * i * y ** (i - 1))  # ∂²aᵢ/∂x∂y = i·yⁱ⁻¹
        if i >= 2:  # ∂²aᵢ/∂y² = i(i−1)·x·yⁱ⁻², zero for i = 1
            fyy = fyy + 2 * a * i * (i - 1) * x * y ** (i - 2)
        fyy = fyy + 2 * ay**2
    return fxx, fxy, fyy


BEALE = Landscape(
    "beale",
    f=_beale,
    df=_beale_grad,
    d2f=_beale_hess,
    tex=r"(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
    domain=((-4.5, 4.5), (-4.5, 4.5)),
    minima=[(3.0, 0.5)],
    saddles=[(0.0, 1.0), (0.100537937324158, -2.64451358502313)],
    start=(1.0, 1.5),
    description=N_("Beale: a sharp-cornered valley between plateaus and very steep walls"),
    level_spacing="log",
)


# --- six-hump camel: two global minima, four local ones --------------------------------
def _camel(x, y):
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def _camel_grad(x, y):
    return 8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3


def _camel_hess(x, y):
    return 8 - 25.2 * x**2 + 10 * x**4, 1.0, -8 + 48 * y**2


# The critical points of the camel and of the mountains have no closed form: they were
# found once by Newton's method on ∇f = 0 from a 41×41 grid of starts over the domain
# (tests/test_landscapes.py checks ∇f = 0 at each and its Hessian's definiteness).
CAMEL = Landscape(
    "camel",
    f=_camel,
    df=_camel_grad,
    d2f=_camel_hess,
    tex=r"\left(4 - 2.1x^2 + \tfrac{x^4}{3}\right)x^2 + xy + \left(4y^2 - 4\right)y^2",
    domain=((-2.0, 2.0), (-1.2, 1.2)),
    minima=[(0.089842013100318, -0.71265640302074), (-0.0898420131003181, 0.71265640302074),
            (1.70360671496998, -0.796083568672625), (-1.70360671496998, 0.796083568672625),
            (1.6071047529202, 0.568651454884131), (-1.6071047529202, -0.568651454884131)],
    saddles=[(0.0, 0.0), (-1.10920533680479, 0.76826809250954), (1.10920533680479, -0.76826809250954),
             (1.63806798418978, 0.228674069044394), (-1.63806798418978, -0.228674069044393),
             (1.29607026716711, 0.605084388038658), (-1.29607026716711, -0.605084388038658)],
    maxima=[(1.23022987651665, 0.162334584458995), (-1.23022987651665, -0.162334584458995)],
    start=(1.0, 0.9),
    description=N_("six-hump camel: two global minima and four local ones"),
)

# --- the mountain range: Gaussian hills and valleys on a gentle bowl ------------------


class Bump(NamedTuple):
    """A Gaussian hill (height > 0) or valley (height < 0): height·exp(−|p − centre|² / 2·width²)."""

    x: float
    y: float
    height: float
    width: float


# A fixed range, chosen by hand so the hiker meets every kind of place: two peaks, a
# knoll, a deep valley (the global minimum), a shallower valley to get trapped in, a
# small hollow, and mountain passes (saddles) between them. The gentle bowl
# 0.03·(x² + y²) keeps every walk from wandering off to infinity.
MOUNTAIN_BUMPS: tuple[Bump, ...] = (
    Bump(-2.0, 2.0, 2.5, 1.2),  # the high peak
    Bump(2.5, 2.5, 1.8, 1.0),  # the second peak
    Bump(0.5, 0.0, 1.5, 0.8),  # a knoll between the valleys
    Bump(2.0, -2.0, -3.0, 1.1),  # the deep valley: global minimum
    Bump(-2.5, -1.5, -2.0, 1.0),  # a shallower valley: a local minimum
    Bump(0.0, 3.5, -1.0, 0.7),  # a small hollow between the peaks
)
MOUNTAIN_BOWL = 0.03


def _mountains(x, y):
    z = MOUNTAIN_BOWL * (x**2 + y**2)
    for b in MOUNTAIN_BUMPS:
        z = z + b.height * np.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.width**2))
    return z


def _mountains_grad(x, y):
    # ∂/∂x of h·exp(−r²/2w²) is the bump times −(x − x_b)/w²
    fx, fy = 2 * MOUNTAIN_BOWL * x, 2 * MOUNTAIN_BOWL * y
    for b in MOUNTAIN_BUMPS:
        g = b.height * np.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.width**2))
        fx = fx - g * (x - b.x) / b.width**2
        fy = fy - g * (y - b.y) / b.width**2
    return fx, fy


def _mountains_hess(x, y):
    fxx = fyy = 2 * MOUNTAIN_BOWL
    fxy = 0.0
    for b in MOUNTAIN_BUMPS:
        g = b.height * np.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.width**2))
        u, v, w2 = x - b.x, y - b.y, b.width**2
        fxx = fxx + g * (u**2 / w2 - 1) / w2
        fxy = fxy + g * u * v / w2**2
        fyy = fyy + g * (v**2 / w2 - 1) / w2
    return fxx, fxy, fyy


MOUNTAINS = Landscape(
    "mountains",
    f=_mountains,
    df=_mountains_grad,
    d2f=_mountains_hess,
    tex=(r"0.03\left(x^2 + y^2\right) + \sum_k h_k \exp\!\left(-\frac{(x - x_k)^2 + (y - y_k)^2}"
         r"{2 w_k^2}\right)"),
    domain=((-5.0, 5.0), (-5.0, 5.0)),
    minima=[(1.96481985427274, -1.9693065008995),  # the deep valley, f ≈ −2.7515
            (-2.43117775277511, -1.49643549449001),  # the shallower valley, f ≈ −1.7176
            (0.0981182613644595, 3.55038794362906)],  # the hollow, f ≈ −0.3159
    saddles=[(-0.445243506374721, -1.85709743358999),  # the pass between the two valleys
             (1.20008631712974, 1.20472075947249), (-0.377097103546896, 0.803225904872434),
             (-3.95755142586351, 3.95755605318771), (4.06404745595546, 4.06409635315896)],
    maxima=[(0.365749616470115, 0.198846035760298), (2.5851379424326, 2.58633643023869),
            (-2.07423401439252, 2.07517086420117)],
    start=(-1.2, 0.9),
    description=N_("a mountain range of Gaussian hills and valleys, for the hiker in the dark"),
)

# --- the catalogue, from the gentlest to the wildest -----------------------------------
LANDSCAPES: dict[str, Landscape] = {
    land.name: land
    for land in (BOWL, SADDLE, BOOTH, ROSENBROCK, HIMMELBLAU, BEALE, CAMEL, MOUNTAINS)
}


def landscape_names() -> list[str]:
    """The known landscape names, gentlest first."""
    return list(LANDSCAPES)


def landscape(name: str | Landscape) -> Landscape:
    """The named landscape (a Landscape passes through); an unknown name lists the known ones."""
    if isinstance(name, Landscape):
        return name
    return LANDSCAPES[require_choice("landscape", name, LANDSCAPES)]
