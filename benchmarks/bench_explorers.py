"""Explorer timings and sizes (prints figures; no assertions).

* live update: compute + matplotlib redraw + PNG encoding, which is what
  happens in the kernel when a student moves a slider (the target is a
  median of at most 50 ms); measured through the widget, so the ipywidgets
  trait machinery is included;
* static build: time to precompute every frame and emit the HTML, and the
  payload size in KiB (limit ``MAX_PAYLOAD`` = 1,000,000 bytes, 977 KiB, per explorer).

Usage: python benchmarks/bench_explorers.py [--repeats N]
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from xentlib.course import explorers
from xentlib.course.explorers import _static_html


def bench_live(name: str, repeats: int, seed: int = 0) -> tuple[float, float]:
    ex = explorers.get(name)
    w = explorers.live(name)
    rng = np.random.default_rng(seed)
    times = []
    for _ in range(repeats):
        # one slider moves to another grid value: exactly one update
        p = ex.params[int(rng.integers(len(ex.params)))]
        current = w.renderer.values[p.name]
        choices = [v for v in p.values if v != current]
        value = choices[int(rng.integers(len(choices)))]
        t0 = time.perf_counter()
        w.set(**{p.name: value})
        times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=40)
    args = ap.parse_args()
    print(f"{'explorer':<14} {'frames':>6} {'payload':>10} {'build':>8} {'live median':>12} {'live p90':>9}")
    for name in explorers.ids():
        ex = explorers.get(name)
        t0 = time.perf_counter()
        html = _static_html(ex)
        build = time.perf_counter() - t0
        med, p90 = bench_live(name, args.repeats)
        print(f"{name:<14} {ex.n_frames:>6} {len(html.encode()) / 1024:>7.0f} KiB {build:>6.2f} s "
              f"{med:>9.1f} ms {p90:>6.1f} ms")


if __name__ == "__main__":
    main()
