"""Training-side timings and memory (prints figures; no assertions).

* one MLP training step (forward + backward + optimizer) on the moons data;
* data-parallel gradient on 1, 2 and 4 worker threads against the serial one
  (on a batch large enough for NumPy's kernels to dominate);
* naive loss + gradient (full N x V logits) against
  ``xentlib.linear_cross_entropy``: time ratio and tracemalloc peak memory;
* index against one-hot targets.

Usage: python benchmarks/bench_training.py [--repeats N]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import xentlib
from xentlib import data, memory, models, optim, parallel

MiB = 2 ** 20  # binary units: 1 MiB = 2**20 bytes, 1 KiB = 2**10 bytes
KiB = 2 ** 10


def best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    r = args.repeats

    X, y = data.make_moons(600, noise=0.2, seed=0)
    net = models.MLP(2, 16, 2, seed=0)
    opt = optim.Adam(lr=0.01)

    def step():
        _, g = net.loss_and_grad(X, y)
        opt.step(net.params, g)
    per_step = best_of(lambda: [step() for _ in range(100)], r) / 100
    print(f"MLP 2-16-2, 600 samples: {per_step * 1e3:.3f} ms per training step")

    Xb, yb = data.make_moons(200_000, seed=1)
    big = models.MLP(2, 64, 2, seed=0)
    serial = best_of(lambda: big.loss_and_grad(Xb, yb), r)
    for k in (1, 2, 4):
        t = best_of(lambda k=k: parallel.data_parallel_grad(big, Xb, yb, k), r)
        print(f"data-parallel gradient, 200000 samples, {k} worker thread(s): "
              f"time ratio to serial {t / serial:.2f}")

    rng = np.random.default_rng(0)
    N, H, V = 1024, 128, 32_768
    h = rng.normal(size=(N, H)).astype(np.float32)
    W = (rng.normal(size=(H, V)) / 10).astype(np.float32)
    t = rng.integers(0, V, N)

    def naive():
        z = h @ W
        loss, dz = xentlib.softmax_cross_entropy(z, t, return_grad=True)
        return loss, dz @ W.T, h.T @ dz

    def fused():
        return xentlib.linear_cross_entropy(h, W, t, return_grad=True)

    tn, tf = best_of(naive, r), best_of(fused, r)
    _, pn = memory.peak_memory(naive)
    _, pf = memory.peak_memory(fused)
    print(f"N={N}, H={H}, V={V} float32: naive peak {pn / MiB:.0f} MiB, fused peak {pf / MiB:.0f} MiB; "
          f"time ratio fused/naive {tf / tn:.2f}")

    z = rng.normal(size=(2048, 8192)).astype(np.float32)
    ti = rng.integers(0, 8192, 2048)
    oh = data.one_hot(ti, 8192)
    a = best_of(lambda: xentlib.softmax_cross_entropy(z, ti, return_grad=True), r)
    b = best_of(lambda: xentlib.softmax_cross_entropy(z, oh, return_grad=True), r)
    print(f"targets for 2048 x 8192: index {ti.nbytes / KiB:.0f} KiB, one-hot {oh.nbytes / MiB:.0f} MiB; "
          f"time ratio one-hot/index {b / a:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
