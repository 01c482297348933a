"""How long a learner waits: each lab check on a right answer (cold and warm), and each lab notebook run
top to bottom (kernel start included), with the blanks and with the solutions. The target: every check
answers in under two seconds. Run: ``.venv/bin/python bench/bench_labs.py`` (figures in bench/results/labs.md).
"""
from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("MPLBACKEND", "Agg")

from nbclient import NotebookClient  # noqa: E402

from labs.catalogue import LABS  # noqa: E402
from labs.notebooks import make_notebook  # noqa: E402


def time_checks(slug: str) -> list[tuple[str, float, float]]:
    """(exercise, cold s, warm s) of each check on the tests' alternative right answer."""
    tests = importlib.import_module(f"tests.test_lab_{slug}")
    rows = []
    for name, source in tests.RIGHT.items():
        start = time.perf_counter()
        assert tests.check(name, source).passed, name
        cold = time.perf_counter() - start
        start = time.perf_counter()
        tests.check(name, source)
        rows.append((name, cold, time.perf_counter() - start))
    return rows


def time_notebook(slug: str, solutions: bool) -> float:
    entry = next(e for e in LABS if e.slug == slug)
    nb = make_notebook(entry, solutions=solutions)
    with tempfile.TemporaryDirectory() as where:
        start = time.perf_counter()
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": where}}).execute()
        return time.perf_counter() - start


def main() -> None:
    print("| lab | exercise | check, cold (s) | check, warm (s) |\n|---|---|---|---|")
    for entry in LABS:
        for name, cold, warm in time_checks(entry.slug):
            print(f"| {entry.slug} | {name} | {cold:.3f} | {warm:.3f} |")
    print("\n| lab | notebook with blanks (s) | with solutions (s) |\n|---|---|---|")
    for entry in LABS:
        print(f"| {entry.slug} | {time_notebook(entry.slug, False):.1f} | {time_notebook(entry.slug, True):.1f} |")


if __name__ == "__main__":
    main()
