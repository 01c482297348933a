"""The package as a learner meets it: a flat API, no manim, doctests that run."""
import doctest
import importlib
import pkgutil
import subprocess
import sys

import calcviz

MODULES = [m.name for m in pkgutil.iter_modules(calcviz.__path__, "calcviz.")]


def test_core_never_imports_manim():
    code = "import sys, calcviz; " + "; ".join(f"import {m}" for m in MODULES) + \
           "; print(any(name == 'manim' or name.startswith('manim.') for name in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_docstring_examples_run():
    failed = 0
    for name in ["calcviz", *MODULES]:
        failed += doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS).failed
    assert failed == 0


def test_flat_api_exposes_the_main_verbs_and_nouns():
    for name in ("secant_slopes", "landscape", "minimize", "run", "Trajectory", "fit", "train", "MLP", "gradient"):
        assert name in calcviz.__all__
