"""Parallel cross-entropy: data-parallel gradients and vocabulary-parallel log-sum-exp.

Two facts make cross-entropy easy to distribute:

1. **Data parallelism.** The mean loss over a batch is a weighted mean of the
   mean losses over its shards, so the gradient is too:
   $\\nabla L = \\sum_k (n_k / n) \\nabla L_k$ (a plain average when the shards
   have equal size).  :func:`data_parallel_grad` computes the shard gradients
   on real concurrent workers (a thread pool; NumPy releases the GIL inside
   its kernels) and combines them.
2. **Vocabulary (tensor) parallelism.** Split the classes into shards; each
   worker holds only its columns of the logits and computes one number per
   sample, its shard's log-sum-exp.  Because
   $\\log\\sum_j e^{z_j} = \\log \\sum_k e^{\\mathrm{LSE}_k}$, the full
   log-sum-exp (and the cross-entropy $\\mathrm{LSE} - z_y$) is recovered
   from ``n_shards`` numbers per sample instead of the whole logit row.
   :func:`vocab_parallel_cross_entropy` does this.

Examples
--------
>>> import numpy as np
>>> from xentlib import parallel
>>> z = np.random.default_rng(0).normal(size=(3, 10))
>>> lse = parallel.vocab_parallel_logsumexp(z, n_shards=4)
>>> bool(np.allclose(lse, np.log(np.exp(z).sum(axis=1))))
True
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

__all__ = ["shard_slices", "data_parallel_grad", "vocab_parallel_logsumexp",
           "vocab_parallel_cross_entropy"]


def _check_shards(n_shards: Any, n: int, what: str) -> int:
    if isinstance(n_shards, bool) or not isinstance(n_shards, (int, np.integer)) or n_shards < 1:
        raise ValueError(f"n_shards: must be a positive int, got {n_shards!r}")
    if n_shards > n:
        raise ValueError(f"n_shards: {n_shards} shards but only {n} {what}")
    return int(n_shards)


def shard_slices(n: int, n_shards: int) -> list[slice]:
    """Split ``range(n)`` into ``n_shards`` contiguous slices of nearly equal size."""
    n_shards = _check_shards(n_shards, n, "items")
    edges = np.linspace(0, n, n_shards + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])]


def _run_concurrently(fn, tasks, *, require_concurrency: bool, timeout: float = 30.0):
    """Run ``fn(task, barrier)`` for every task on its own worker thread.

    With ``require_concurrency`` every worker waits at a barrier until all
    ``len(tasks)`` workers have started, which can only happen if they run
    at the same time (otherwise ``threading.BrokenBarrierError`` is raised
    after ``timeout`` seconds).  Returns the results and the set of thread
    ids that did the work.
    """
    barrier = threading.Barrier(len(tasks), timeout=timeout) if require_concurrency else None
    idents: list[int] = [0] * len(tasks)

    def work(i):
        if barrier is not None:
            barrier.wait()
        idents[i] = threading.get_ident()
        return fn(tasks[i])

    with ThreadPoolExecutor(max_workers=len(tasks), thread_name_prefix="xent-shard") as pool:
        results = list(pool.map(work, range(len(tasks))))
    return results, idents


def data_parallel_grad(model, X, y, n_shards: int = 4, *, require_concurrency: bool = True):
    """Loss and gradient of ``model`` on ``(X, y)`` computed by ``n_shards`` workers.

    Each worker computes ``model.loss_and_grad`` on its contiguous shard of the
    batch; the results are combined with weights ``n_k / n`` (the "all-reduce"
    of data-parallel training).  Returns ``(loss, grads, info)`` where ``info``
    holds the per-shard sizes, losses and gradients and the number of distinct
    worker threads that ran concurrently.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    n = X.shape[0]
    if y.shape[0] != n:
        raise ValueError(f"y: has {y.shape[0]} samples but X has {n}")
    slices = shard_slices(n, _check_shards(n_shards, n, "samples"))
    results, idents = _run_concurrently(lambda s: model.loss_and_grad(X[s], y[s]), slices,
                                        require_concurrency=require_concurrency)
    sizes = np.array([s.stop - s.start for s in slices])
    w = sizes / n
    loss = float(sum(wk * r[0] for wk, r in zip(w, results)))
    grads = {k: sum(wk * r[1][k] for wk, r in zip(w, results)) for k in results[0][1]}
    info = {"sizes": sizes.tolist(), "shard_losses": [r[0] for r in results],
            "shard_grads": [r[1] for r in results], "n_workers": len(set(idents))}
    return loss, grads, info


def _lse(z):
    import xentlib
    return xentlib.logsumexp(z, axis=-1)


def vocab_parallel_logsumexp(logits, n_shards: int = 4, *, return_shards: bool = False,
                             require_concurrency: bool = False):
    """Log-sum-exp over the last axis from per-shard log-sum-exps.

    The class axis is split into ``n_shards`` contiguous blocks; worker ``k``
    computes ``LSE_k = logsumexp(logits[..., block_k])`` (one number per
    row), and the results are combined with one more log-sum-exp.
    """
    z = np.asarray(logits, dtype=np.float64 if np.asarray(logits).dtype != np.float32 else np.float32)
    if z.ndim < 1 or z.shape[-1] < 1:
        raise ValueError(f"logits: need a non-empty class axis, got shape {z.shape}")
    slices = shard_slices(z.shape[-1], _check_shards(n_shards, z.shape[-1], "classes"))
    shard_lse, _ = _run_concurrently(lambda s: _lse(z[..., s]), slices,
                                     require_concurrency=require_concurrency)
    stacked = np.stack(shard_lse, axis=-1)
    total = _lse(stacked)
    return (total, stacked) if return_shards else total


def vocab_parallel_cross_entropy(logits, target, n_shards: int = 4, *, reduction: str = "mean"):
    """Cross-entropy (nats) with the class axis split over ``n_shards`` workers.

    Each worker returns, per sample, its shard's log-sum-exp and the target
    logit if the target falls in its shard (else 0); only these two numbers
    per sample and shard are combined.  ``loss_i = LSE_i - z_{i, y_i}``.
    """
    z = np.asarray(logits, dtype=np.float64)
    t = np.asarray(target)
    if z.ndim != 2:
        raise ValueError(f"logits: expected shape (n, classes), got {z.shape}")
    if t.shape != (z.shape[0],) or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"target: expected {z.shape[0]} integer class indices, got shape {t.shape}")
    if t.size and (t.min() < 0 or t.max() >= z.shape[1]):
        raise ValueError(f"target: class indices must be in [0, {z.shape[1]})")
    slices = shard_slices(z.shape[1], _check_shards(n_shards, z.shape[1], "classes"))

    def work(s):
        block = z[:, s]
        inside = (t >= s.start) & (t < s.stop)
        picked = np.where(inside, block[np.arange(len(t)), np.clip(t - s.start, 0, block.shape[1] - 1)], 0.0)
        return _lse(block), picked

    results, _ = _run_concurrently(work, slices, require_concurrency=False)
    lse = _lse(np.stack([r[0] for r in results], axis=-1))
    target_logit = np.sum([r[1] for r in results], axis=0)
    losses = lse - target_logit
    if reduction == "mean":
        return float(losses.mean())
    if reduction == "sum":
        return float(losses.sum())
    if reduction == "none":
        return losses
    raise ValueError(f"reduction: choose 'mean', 'sum' or 'none', got {reduction!r}")


