"""Timing helpers shared by the benchmark scripts: median of repeated subprocess runs."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def time_command(argv: list[str], repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time in seconds of running ``argv`` as a fresh process."""
    for _ in range(warmup):
        subprocess.run(argv, check=True, capture_output=True)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(rows: list[tuple[str, float]]) -> None:
    """Print the rows with the ratio to the first one."""
    base = rows[0][1]
    for name, seconds in rows:
        print(f"{name:<52} {seconds * 1000:8.1f} ms   x{seconds / base:5.2f}")


PYTHON = sys.executable
