"""Time one full training run as the network lesson uses it.

A 2-16-16-1 tanh network, Adam, 400 two-moons points, 2,000 full-batch steps and
100 snapshots, each with the network's output on a 100 × 100 grid. The target is
well under one second. Run: ``.venv/bin/python bench/bench_network.py``.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from calcviz.network import MLP, train  # noqa: E402
from calcviz.toy_data import make_dataset  # noqa: E402

REPEATS = 5


def run_once() -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of one training run, and its history."""
    data = make_dataset("moons", n=400, noise=0.1, rng=0)
    wall, cpu = time.perf_counter(), time.process_time()
    history = train(MLP((2, 16, 16, 1)), data, optimizer="adam", lr=0.01, steps=2000,
                    snapshot_steps=100, grid_size=100, rng=0)
    return time.perf_counter() - wall, time.process_time() - cpu, history


def main() -> None:
    walls, cpus = [], []
    for _ in range(REPEATS):
        wall, cpu, history = run_once()
        walls.append(wall)
        cpus.append(cpu)
    assert len(history.snapshots) == 100 and history.snapshots[-1].outputs.shape == (100, 100, 1)
    print(f"{history!r}")
    # On a shared machine the wall clock includes waiting for a core; CPU time does not
    # (it does add up the time of BLAS threads, if numpy runs any).
    print(f"2-16-16-1, 400 points, 2000 full-batch steps, 100 snapshots with a 100×100 grid: "
          f"wall best {min(walls):.3f} s, median {statistics.median(walls):.3f} s; "
          f"CPU best {min(cpus):.3f} s over {REPEATS} runs")


if __name__ == "__main__":
    main()
