"""Benchmark of xentlib's cross-entropy losses (prints figures from one run; asserts nothing).

1. Softmax cross-entropy on float32 logits of shape 4096 x 32000 with integer
   targets, loss and loss + gradient: xentlib against plain NumPy,
   ``scipy.special.log_softmax`` / ``softmax`` and, when importable,
   ``torch.nn.functional.cross_entropy`` (default threads).  Prints the median
   time and its ratio to xentlib, and the extra peak memory (tracemalloc;
   for loss + gradient also beyond the unavoidable N x V gradient output)
   relative to the size of the logits.
2. ``linear_cross_entropy`` with N=4096, H=512, V=32000 (float32), loss and
   loss + gradients (dh, dW, db), against the naive NumPy ``h @ W + b`` ->
   log-softmax version and, when torch is importable, against PyTorch's naive
   ``F.cross_entropy(h @ W.T + b)`` with ``backward()`` and
   ``F.linear_cross_entropy`` (reference path, and chunked with
   ``nn.LinearCrossEntropyOptions()``) where it exists.  The timed calls are
   interleaved (one of each per round) and the median of ``--repeat`` rounds is
   reported, with the ratios xentlib / torch; extra peak memory (tracemalloc,
   NumPy versions only) and the loss differences (also against a float64
   reference).

Run:  python benchmarks/bench_losses.py [--repeat 5] [--small] [--only linear]
With OPENBLAS_CORETYPE set (some machines set it for old OpenBLAS builds) NumPy's
BLAS runs an older kernel: unset it (and OPENBLAS_L2_SIZE) for this command alone;
the header prints the BLAS kernel in use when threadpoolctl is importable.
Targets (issue 13): linear CE loss + gradients no slower than PyTorch (ratio <= 1.0
against both variants), extra peak <= 0.05 x the naive version, same loss to 1e-6.
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

try:  # optional: which BLAS kernel and how many threads
    from threadpoolctl import threadpool_info  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    threadpool_info = None


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
    ap.add_argument("--only", choices=["softmax", "linear"], help="run one of the two parts")
    args = ap.parse_args()
    N, C = (256, 2000) if args.small else (4096, 32000)
    Hd, Vn = (64, 2000) if args.small else (512, 32000)

    print(f"xentlib {xentlib.__version__}, numpy {np.__version__}, python {platform.python_version()}, "
          f"{len(os.sched_getaffinity(0))} cores available; torch: "
          f"{torch.__version__ + ' (' + str(torch.get_num_threads()) + ' threads)' if torch else 'not installed'}")
    if threadpool_info is not None:
        for lib in threadpool_info():
            print(f"  {lib.get('internal_api')} {lib.get('version')} ({lib.get('filepath', '').split('/')[-1]}): "
                  f"kernel {lib.get('architecture')}, {lib.get('num_threads')} threads")
    if os.environ.get("OPENBLAS_CORETYPE"):
        print(f"  note: OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} is set (forces that BLAS kernel)")
    rng = np.random.default_rng(0)
    if args.only != "linear":
        softmax_part(rng, N, C, args.repeat)
    if args.only != "softmax":
        linear_part(rng, N, Hd, Vn, args.repeat)


def softmax_part(rng: np.random.Generator, N: int, C: int, repeat: int) -> None:
    z = rng.standard_normal((N, C), dtype=np.float32) * 3
    t = rng.integers(0, C, N)
    logits_mb = z.nbytes / 2**20
    print(f"\n== softmax cross-entropy, float32 logits {N} x {C} ({logits_mb:.0f} MiB), integer targets, "
          f"median of {repeat} ==")
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
        r["t_loss"] = median_time(f_loss, repeat)
        r["t_grad"] = median_time(f_grad, max(1, repeat - 2))
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


def linear_part(rng: np.random.Generator, N: int, Hd: int, Vn: int, repeat: int) -> None:
    print(f"\n== linear_cross_entropy, float32, N={N}, H={Hd}, V={Vn}, median of {repeat} interleaved rounds ==")
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

    def xentlib_linear(grad: bool) -> Any:
        return linear_cross_entropy(h, W, tl, bias=b, return_grad=grad)

    methods: dict[str, Callable[[bool], Any]] = {"numpy naive": naive_linear, "xentlib": xentlib_linear}
    if torch is not None:
        # torch's layout: weight (V, H), logits = h @ weight.T + bias
        th, tW, tb = torch.from_numpy(h), torch.from_numpy(np.ascontiguousarray(W.T)), torch.from_numpy(b)
        tt = torch.from_numpy(tl)

        def torch_call(fn: Callable[..., Any]) -> Callable[[bool], Any]:
            def run(grad: bool) -> Any:
                hh, WW, bb = (x.clone().requires_grad_(grad) for x in (th, tW, tb))
                if not grad:
                    with torch.no_grad():
                        return fn(hh, WW, bb)
                loss = fn(hh, WW, bb)
                loss.backward()
                return loss, (hh.grad, WW.grad, bb.grad)
            return run

        methods["torch naive"] = torch_call(lambda hh, WW, bb: F.cross_entropy(hh @ WW.T + bb, tt))
        if hasattr(F, "linear_cross_entropy"):
            methods["torch F.linear_ce"] = torch_call(
                lambda hh, WW, bb: F.linear_cross_entropy(hh, WW, tt, linear_bias=bb))
            if hasattr(torch.nn, "LinearCrossEntropyOptions"):
                opts = torch.nn.LinearCrossEntropyOptions()
                methods["torch F.linear_ce chunked"] = torch_call(
                    lambda hh, WW, bb: F.linear_cross_entropy(hh, WW, tt, linear_bias=bb, options=opts))

    # float64 reference loss, computed in row blocks (never the full float64 logit matrix)
    h64, W64, b64 = h.astype(np.float64), W.astype(np.float64), b.astype(np.float64)
    ref_lin = 0.0
    for r0 in range(0, N, 256):
        lq = sps.log_softmax(h64[r0:r0 + 256] @ W64 + b64, axis=1)
        ref_lin -= lq[np.arange(lq.shape[0]), tl[r0:r0 + 256]].sum()
    ref_lin /= N
    del h64, W64, b64

    times: dict[tuple[str, bool], list[float]] = {}
    losses: dict[tuple[str, bool], float] = {}
    mem: dict[tuple[str, bool], int] = {}
    outs: dict[str, Any] = {}
    for grad in (False, True):
        for name, fn in methods.items():
            if not name.startswith("torch"):  # memory, one call (tracemalloc sees NumPy's allocations only)
                mem[name, grad], out = extra_peak(lambda fn=fn, grad=grad: fn(grad))
            else:
                out = fn(grad)  # warm-up
            lv = out[0] if grad else out
            losses[name, grad] = float(lv.detach() if hasattr(lv, "detach") else lv)
            if grad:
                outs[name] = out[1]
            del out
        for _ in range(repeat):  # interleaved: one call of each method per round
            for name, fn in methods.items():
                t0 = time.perf_counter()
                fn(grad)
                times.setdefault((name, grad), []).append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{'':26s} {'loss s':>8s} {'xentlib/it':>10s} {'loss+grad s':>11s} {'xentlib/it':>10s} "
          f"{'extra MiB':>10s} {'mem / naive':>11s} {'loss':>12s} {'|loss - naive|':>14s}")
    for name in methods:
        m = mem.get((name, True))
        m_s = f"{m / 2**20:10.0f}" if m is not None else f"{'n/a':>10s}"
        mr = f"{m / mem['numpy naive', True]:10.3f}x" if m is not None else f"{'n/a':>11s}"
        print(f"{name:26s} {med[name, False]:8.2f} {med['xentlib', False] / med[name, False]:9.2f}x "
              f"{med[name, True]:11.2f} {med['xentlib', True] / med[name, True]:9.2f}x {m_s} {mr} "
              f"{losses[name, True]:12.7f} {abs(losses[name, True] - losses['numpy naive', True]):14.1e}")
    gn, gx = outs["numpy naive"], outs["xentlib"]
    gerr = max(float(np.abs(a - c).max() / np.abs(a).max()) for a, c in zip(gn, gx, strict=True))
    print(f"max relative difference of the gradients (dh, dW, db), xentlib vs numpy naive: {gerr:.1e}")
    lx, ln = losses["xentlib", True], losses["numpy naive", True]
    print(f"float64 reference loss {ref_lin:.9f}: |naive float32 - ref| = {abs(ln - ref_lin):.1e}, "
          f"|xentlib float32 - ref| = {abs(lx - ref_lin):.1e}")
    print("(xentlib/it = xentlib's median time / this method's: <= 1 means xentlib is not slower; "
          "extra MiB = extra peak memory during one call, both including the returned "
          f"dW of {Hd * Vn * 4 / 2**20:.0f} MiB and dh of {N * Hd * 4 / 2**20:.0f} MiB; "
          "n/a: torch allocates outside Python's allocator, which tracemalloc cannot see)")
    if torch is None:
        print("torch not installed: the ratios against PyTorch cannot be measured here.")
    else:
        tv = [n for n in methods if n.startswith("torch")]
        print("linear CE loss+grad, xentlib / torch: "
              + ", ".join(f"{n}: {med['xentlib', True] / med[n, True]:.2f}x" for n in tv)
              + f"; memory xentlib / numpy naive: {mem['xentlib', True] / mem['numpy naive', True]:.3f}x")


if __name__ == "__main__":
    main()
