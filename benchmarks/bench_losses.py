"""Benchmark of xentlib's cross-entropy losses (prints figures from one run; asserts nothing).

1. Softmax cross-entropy on float32 logits of shape 4096 x 32000 with integer
   targets, loss and loss + gradient: xentlib against plain NumPy,
   ``scipy.special.log_softmax`` / ``softmax`` and, when importable,
   ``torch.nn.functional.cross_entropy`` (default threads).  Prints the median
   time and its ratio to xentlib, and the extra peak memory (tracemalloc;
   for loss + gradient also beyond the unavoidable N x V gradient output)
   relative to the size of the logits.
2. ``linear_cross_entropy`` with N=4096, H=512, V=32000 (float32) against the
   naive ``h @ W + b`` -> log-softmax version: time (one call each), extra peak
   memory and the difference of the losses (also against a float64 reference).

Run:  python benchmarks/bench_losses.py [--repeat 5] [--small]
Targets from issue 3: loss extra memory <= 0.1 x logits; linear CE extra peak
<= 0.15 x the naive version; same loss to 1e-6; <= 1.2 x torch's CPU time.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.special as sps

import xentlib
from xentlib import linear_cross_entropy, softmax_cross_entropy

try:  # optional
    import torch  # type: ignore[import-not-found]
    import torch.nn.functional as F  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - torch is not a dependency
    torch = None


def median_time(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def extra_peak(fn: Callable[[], Any]) -> tuple[int, Any]:
    """Peak bytes allocated during ``fn()`` beyond what was allocated before it."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        out = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - base, out


# ---------------------------------------------------------------- softmax CE implementations
def numpy_loss(z: np.ndarray, t: np.ndarray) -> Any:
    m = z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))
    return (lse - z[np.arange(len(t)), t]).mean()


def numpy_loss_grad(z: np.ndarray, t: np.ndarray) -> Any:
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    loss = (m[:, 0] + np.log(s[:, 0]) - z[np.arange(len(t)), t]).mean()
    g = e / s
    g[np.arange(len(t)), t] -= 1
    g /= len(t)
    return loss, g


def scipy_loss(z: np.ndarray, t: np.ndarray) -> Any:
    return -sps.log_softmax(z, axis=1)[np.arange(len(t)), t].mean()


def scipy_loss_grad(z: np.ndarray, t: np.ndarray) -> Any:
    logq = sps.log_softmax(z, axis=1)
    loss = -logq[np.arange(len(t)), t].mean()
    g = np.exp(logq)
    g[np.arange(len(t)), t] -= 1
    g /= len(t)
    return loss, g


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per method (median)")
    ap.add_argument("--small", action="store_true", help="tiny sizes, for a smoke test")
    args = ap.parse_args()
    N, C = (256, 2000) if args.small else (4096, 32000)
    Hd, Vn = (64, 2000) if args.small else (512, 32000)

    print(f"xentlib {xentlib.__version__}, numpy {np.__version__}, python {platform.python_version()}, "
          f"{len(os.sched_getaffinity(0))} cores available; torch: "
          f"{torch.__version__ + ' (' + str(torch.get_num_threads()) + ' threads)' if torch else 'not installed'}")
    rng = np.random.default_rng(0)
    z = rng.standard_normal((N, C), dtype=np.float32) * 3
    t = rng.integers(0, C, N)
    logits_mb = z.nbytes / 2**20
    print(f"\n== softmax cross-entropy, float32 logits {N} x {C} ({logits_mb:.0f} MiB), integer targets, "
          f"median of {args.repeat} ==")
    methods: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "xentlib": (lambda: softmax_cross_entropy(z, t),
                    lambda: softmax_cross_entropy(z, t, return_grad=True)),
        "numpy (naive stable)": (lambda: numpy_loss(z, t), lambda: numpy_loss_grad(z, t)),
        "scipy.special": (lambda: scipy_loss(z, t), lambda: scipy_loss_grad(z, t)),
    }
    if torch is not None:
        zt_, tt_ = torch.from_numpy(z), torch.from_numpy(t)

        def torch_grad() -> Any:
            zz = zt_.clone().requires_grad_(True)
            loss = F.cross_entropy(zz, tt_)
            loss.backward()
            return loss, zz.grad

        methods["torch.nn.functional"] = (lambda: F.cross_entropy(zt_, tt_), torch_grad)

    ref = float(numpy_loss(z.astype(np.float64), t))
    results: dict[str, dict[str, float]] = {}
    for name, (f_loss, f_grad) in methods.items():
        r: dict[str, float] = {}
        r["t_loss"] = median_time(f_loss, args.repeat)
        r["t_grad"] = median_time(f_grad, max(1, args.repeat - 2))
        r["m_loss"], out = extra_peak(f_loss)
        r["err"] = abs(float(out) - ref) / abs(ref)
        r["m_grad"], _ = extra_peak(f_grad)
        results[name] = r
    base = results["xentlib"]
    hdr = (f"{'method':22s} {'loss s':>8s} {'ratio':>6s} {'extra mem':>10s} | {'loss+grad s':>11s} "
           f"{'ratio':>6s} {'extra mem':>10s} {'beyond grad':>11s} | rel.err vs float64")
    print(hdr)
    grad_bytes = z.nbytes
    for name, r in results.items():
        if name.startswith("torch"):  # its tensors are not allocated through Python: tracemalloc sees 0
            m_loss, m_grad, m_beyond = (f"{'n/a':>10s}",) * 3
        else:
            m_loss = f"{r['m_loss'] / z.nbytes:9.3f}x"
            m_grad = f"{r['m_grad'] / z.nbytes:9.3f}x"
            m_beyond = f"{(r['m_grad'] - grad_bytes) / z.nbytes:10.3f}x"
        print(f"{name:22s} {r['t_loss']:8.3f} {r['t_loss'] / base['t_loss']:5.2f}x "
              f"{m_loss} | {r['t_grad']:11.3f} {r['t_grad'] / base['t_grad']:5.2f}x "
              f"{m_grad} {m_beyond:>11s} | {r['err']:.1e}")
    print("(ratio = time / xentlib's time; extra mem = extra peak memory / size of the logits; "
          "'beyond grad' subtracts the N x V gradient that loss+grad must return; "
          "n/a: torch allocates outside Python's allocator, which tracemalloc cannot see)")
    if torch is None:
        print("torch not installed: the <= 1.2x torch CPU time target cannot be measured here.")
    else:
        print(f"xentlib / torch time: loss {base['t_loss'] / results['torch.nn.functional']['t_loss']:.2f}x, "
              f"loss+grad {base['t_grad'] / results['torch.nn.functional']['t_grad']:.2f}x")

    # ------------------------------------------------------------ linear cross-entropy
    print(f"\n== linear_cross_entropy, float32, N={N}, H={Hd}, V={Vn} ==")
    h = rng.standard_normal((N, Hd), dtype=np.float32)
    W = (rng.standard_normal((Hd, Vn), dtype=np.float32) / np.sqrt(Hd)).astype(np.float32)
    b = rng.standard_normal(Vn, dtype=np.float32) * 0.1
    tl = rng.integers(0, Vn, N)

    def naive_linear(grad: bool) -> Any:
        Z = h @ W + b
        logq = sps.log_softmax(Z, axis=1)
        loss = -logq[np.arange(N), tl].mean()
        if not grad:
            return loss
        G = np.exp(logq)
        G[np.arange(N), tl] -= 1
        G /= N
        return loss, (G @ W.T, h.T @ G, G.sum(axis=0))

    def timed_peak(fn: Callable[[], Any]) -> tuple[float, int, Any]:
        # one call: these take seconds, and tracemalloc's overhead is per allocation (few, large)
        t0 = time.perf_counter()
        m, out = extra_peak(fn)
        return time.perf_counter() - t0, m, out

    # float64 reference loss, computed in row blocks (never the full float64 logit matrix)
    h64, W64, b64 = h.astype(np.float64), W.astype(np.float64), b.astype(np.float64)
    ref_lin = 0.0
    for r0 in range(0, N, 256):
        lq = sps.log_softmax(h64[r0:r0 + 256] @ W64 + b64, axis=1)
        ref_lin -= lq[np.arange(lq.shape[0]), tl[r0:r0 + 256]].sum()
    ref_lin /= N
    del h64, W64, b64

    rows = []
    for label, grad in (("loss", False), ("loss+grad", True)):
        t_naive, m_naive, out_n = timed_peak(lambda grad=grad: naive_linear(grad))
        t_x, m_x, out_x = timed_peak(lambda grad=grad: linear_cross_entropy(h, W, tl, bias=b, return_grad=grad))
        ln = float(out_n[0] if grad else out_n)
        lx = float(out_x[0] if grad else out_x)
        rows.append((label, t_naive, t_x, m_naive, m_x, ln, lx))
        if grad:
            gn, gx = out_n[1], out_x[1]
            gerr = max(float(np.abs(a - c).max() / np.abs(a).max()) for a, c in zip(gn, gx, strict=True))
    print(f"{'':10s} {'naive s':>8s} {'xentlib s':>9s} {'ratio':>6s} {'naive MiB':>10s} "
          f"{'xentlib MiB':>11s} {'mem ratio':>9s} {'loss naive':>12s} {'loss xentlib':>12s} {'|diff|':>8s}")
    for label, tn, tx, mn, mx, ln, lx in rows:
        print(f"{label:10s} {tn:8.2f} {tx:9.2f} {tx / tn:5.2f}x {mn / 2**20:10.0f} {mx / 2**20:11.0f} "
              f"{mx / mn:8.3f}x {ln:12.7f} {lx:12.7f} {abs(ln - lx):8.1e}")
    print(f"max relative difference of the gradients (dh, dW, db): {gerr:.1e}")
    ln, lx = rows[0][5], rows[0][6]
    print(f"float64 reference loss {ref_lin:.9f}: |naive float32 - ref| = {abs(ln - ref_lin):.1e}, "
          f"|xentlib float32 - ref| = {abs(lx - ref_lin):.1e}")
    print("(MiB = extra peak memory during the call; for loss+grad both include the returned "
          f"dW of {Hd * Vn * 4 / 2**20:.0f} MiB and dh of {N * Hd * 4 / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
