"""The package as a learner meets it: a flat API, no manim, doctests that run."""
import doctest
import os
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


def test_numpy_keeps_to_the_same_kernels_on_every_machine():
    # set by tools/bootstrap.sh for every Python in .venv, so a round-off plot is the same everywhere
    from numpy._core._multiarray_umath import __cpu_features__
    assert "X86_V4" in os.environ.get("NPY_DISABLE_CPU_FEATURES", "").split()
    # what numpy dispatches its AVX-512 kernels on: the X86_V4 group (Skylake-X) and its successors.
    # AVX512F alone is the raw CPU flag, still True on an AVX-512 machine: it picks no kernel.
    assert not any(__cpu_features__.get(group) for group in ("X86_V4", "AVX512_SKX", "AVX512_ICL", "AVX512_SPR"))
