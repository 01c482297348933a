"""Named one-variable functions with their exact derivatives, for Lesson 1.

Each knows its formula as TeX (plain data for the scenes to typeset) and a
domain where it looks good. ``function("sine")`` looks one up by name.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import CalcvizError, require_callable, require_choice, require_interval, require_numeric, require_text


@dataclass(frozen=True)
class Function1D:
    """A function f with f' and f'' known in closed form."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    d2f: Callable[[np.ndarray], np.ndarray]
    tex: str  # f(x) = ...
    dtex: str  # f'(x) = ...
    domain: tuple[float, float]

    def __post_init__(self):
        require_text("function name", self.name)
        for name in ("f", "df", "d2f"):
            require_callable(name, getattr(self, name))
        require_text("tex", self.tex)
        require_text("dtex", self.dtex)
        if not isinstance(self.domain, (tuple, list)) or len(self.domain) != 2:
            raise CalcvizError(f"domain must be a pair (start, end), got {self.domain!r}")
        object.__setattr__(self, "domain", require_interval("domain", *self.domain))

    def __call__(self, x):
        """f(x), elementwise."""
        return self.f(require_numeric("x", x))


FUNCTIONS: dict[str, Function1D] = {
    fn.name: fn
    for fn in [
        Function1D(
            "cubic",
            f=lambda x: 0.25 * x**3 - x + 1,
            df=lambda x: 0.75 * x**2 - 1,
            d2f=lambda x: 1.5 * x,
            tex=r"\tfrac{1}{4}x^3 - x + 1",
            dtex=r"\tfrac{3}{4}x^2 - 1",
            domain=(-3.0, 3.0),
        ),
        Function1D(
            "square",
            f=lambda x: x**2,
            df=lambda x: 2 * x,
            d2f=lambda x: 2 + 0 * x,
            tex=r"x^2",
            dtex=r"2x",
            domain=(-2.0, 2.0),
        ),
        Function1D(
            "sine",
            f=np.sin,
            df=np.cos,
            d2f=lambda x: -np.sin(x),
            tex=r"\sin x",
            dtex=r"\cos x",
            domain=(-np.pi, np.pi),
        ),
        Function1D(
            "exp",
            f=np.exp,
            df=np.exp,
            d2f=np.exp,
            tex=r"e^x",
            dtex=r"e^x",
            domain=(-2.0, 2.0),
        ),
        Function1D(
            "wave",
            f=lambda x: np.sin(2 * x) + 0.5 * x,
            df=lambda x: 2 * np.cos(2 * x) + 0.5,
            d2f=lambda x: -4 * np.sin(2 * x),
            tex=r"\sin 2x + \tfrac{1}{2}x",
            dtex=r"2\cos 2x + \tfrac{1}{2}",
            domain=(-3.0, 3.0),
        ),
    ]
}


def function(name: str) -> Function1D:
    """The named function; an unknown name lists the known ones."""
    return FUNCTIONS[require_choice("function", name, FUNCTIONS)]
