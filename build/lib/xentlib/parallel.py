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
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike

from .softmax import logsumexp

__all__ = ["shard_slices", "data_parallel_grad", "vocab_parallel_logsumexp",
           "vocab_parallel_cross_entropy"]

T = TypeVar("T")
R = TypeVar("R")


def _check_shards(n_shards: Any, n: int, what: str) -> int:
    """``n_shards`` as an int in ``[1, n]``; raise naming ``n_shards`` otherwise."""
    if isinstance(n_shards, bool) or not isinstance(n_shards, (int, np.integer)) or n_shards < 1:
        raise ValueError(f"n_shards: must be a positive int, got {n_shards!r}")
    if n_shards > n:
        raise ValueError(f"n_shards: {n_shards} shards but only {n} {what}")
    return int(n_shards)


def shard_slices(n: int, n_shards: int) -> list[slice]:
    """Split ``range(n)`` into ``n_shards`` contiguous slices of nearly equal size.

    Parameters
    ----------
    n : int
        Number of items (samples or classes).
    n_shards : int
        Number of slices, in ``[1, n]``.

    Returns
    -------
    list of slice
        Contiguous, non-empty, covering ``0 .. n`` in order; sizes differ by
        at most one.

    Raises
    ------
    ValueError
        ``n_shards`` not a positive int or larger than ``n``.

    Examples
    --------
    >>> from xentlib.parallel import shard_slices
    >>> [(s.start, s.stop) for s in shard_slices(10, 3)]
    [(0, 3), (3, 7), (7, 10)]
    """
    n_shards = _check_shards(n_shards, n, "items")
    edges = np.linspace(0, n, n_shards + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _run_concurrently(fn: Callable[[T], R], tasks: Sequence[T], *, require_concurrency: bool,
                      timeout: float = 30.0) -> tuple[list[R], list[int]]:
    """Run ``fn(task)`` for every task on its own worker thread.

    With ``require_concurrency`` every worker waits at a barrier until all
    ``len(tasks)`` workers have started, which can only happen if they run
    at the same time (otherwise ``threading.BrokenBarrierError`` is raised
    after ``timeout`` seconds).  Returns the results and the thread id of
    each task's worker.
    """
    barrier = threading.Barrier(len(tasks), timeout=timeout) if require_concurrency else None
    idents: list[int] = [0] * len(tasks)

    def work(i: int) -> R:
        if barrier is not None:
            barrier.wait()
        idents[i] = threading.get_ident()
        return fn(tasks[i])

    with ThreadPoolExecutor(max_workers=len(tasks), thread_name_prefix="xent-shard") as pool:
        results = list(pool.map(work, range(len(tasks))))
    return results, idents


def data_parallel_grad(model: Any, X: ArrayLike, y: ArrayLike, n_shards: int = 4, *,
                       require_concurrency: bool = True) -> tuple[float, dict[str, np.ndarray], dict[str, Any]]:
    """Loss and gradient of ``model`` on ``(X, y)`` computed by ``n_shards`` workers.

    Each worker computes ``model.loss_and_grad`` on its contiguous shard of the
    batch; the results are combined with weights ``n_k / n`` (the "all-reduce"
    of data-parallel training), which gives exactly the full-batch mean loss
    and gradient.

    Parameters
    ----------
    model : model
        A model of :mod:`xentlib.models` (anything with ``loss_and_grad``
        returning a mean loss and a dict of gradients).
    X : array_like
        Inputs, shape ``(n, n_in)``.
    y : array_like
        Class indices, shape ``(n,)``.
    n_shards : int, optional
        Number of workers, in ``[1, n]``.
    require_concurrency : bool, optional
        If True (default), every worker waits until all have started, which
        proves they ran at the same time (a broken-barrier error after 30 s
        otherwise).

    Returns
    -------
    loss : float
        The mean loss over the whole batch (nats for the course's models).
    grads : dict of str to numpy.ndarray
        Its gradient for every parameter.
    info : dict
        ``sizes`` (samples per shard), ``shard_losses``, ``shard_grads`` and
        ``n_workers`` (distinct threads that did the work).

    Raises
    ------
    ValueError
        ``y`` does not have one entry per row of ``X``, or bad ``n_shards``.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import models, parallel
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(10, 2)), rng.integers(0, 2, 10)
    >>> net = models.MLP(2, 4, 2, seed=0)
    >>> loss, grads, info = parallel.data_parallel_grad(net, X, y, n_shards=3)
    >>> info["sizes"], bool(np.isclose(loss, net.loss(X, y)))
    ([3, 4, 3], True)
    """
    Xa = np.asarray(X)
    ya = np.asarray(y)
    if Xa.ndim < 1 or ya.ndim < 1:
        raise ValueError(f"X: expected one sample per row, got shapes X {Xa.shape}, y {ya.shape}")
    n = Xa.shape[0]
    if ya.shape[0] != n:
        raise ValueError(f"y: has {ya.shape[0]} samples but X has {n}")
    slices = shard_slices(n, _check_shards(n_shards, n, "samples"))
    results, idents = _run_concurrently(lambda s: model.loss_and_grad(Xa[s], ya[s]), slices,
                                        require_concurrency=require_concurrency)
    sizes = np.array([s.stop - s.start for s in slices])
    w = sizes / n
    loss = float(sum(wk * r[0] for wk, r in zip(w, results, strict=True)))
    grads = {k: sum(wk * r[1][k] for wk, r in zip(w, results, strict=True)) for k in results[0][1]}
    info = {"sizes": sizes.tolist(), "shard_losses": [r[0] for r in results],
            "shard_grads": [r[1] for r in results], "n_workers": len(set(idents))}
    return loss, grads, info


def _as_logits(logits: ArrayLike) -> np.ndarray:
    """float32 stays float32, everything else becomes float64."""
    z = np.asarray(logits)
    return z.astype(np.float32 if z.dtype == np.float32 else np.float64, copy=False)


def vocab_parallel_logsumexp(logits: ArrayLike, n_shards: int = 4, *, return_shards: bool = False,
                             require_concurrency: bool = False) -> Any:
    """Log-sum-exp over the last axis from per-shard log-sum-exps.

    The class axis is split into ``n_shards`` contiguous blocks; worker ``k``
    computes ``LSE_k = logsumexp(logits[..., block_k])`` (one number per
    row), and the results are combined with one more log-sum-exp:
    ``log sum_j exp(z_j) = log sum_k exp(LSE_k)``.

    Parameters
    ----------
    logits : array_like
        Shape ``(..., n_classes)`` with ``n_classes >= 1``.
    n_shards : int, optional
        Number of blocks (workers), in ``[1, n_classes]``.
    return_shards : bool, optional
        Also return the per-shard log-sum-exps.
    require_concurrency : bool, optional
        If True, prove that the workers ran at the same time (see
        :func:`data_parallel_grad`).

    Returns
    -------
    lse : numpy.ndarray or numpy.floating
        Shape ``logits.shape[:-1]``: the log-sum-exp of each row.
    shards : numpy.ndarray
        Shape ``(..., n_shards)``, only with ``return_shards=True``.

    Raises
    ------
    ValueError
        An empty class axis or bad ``n_shards``.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import parallel
    >>> lse, shards = parallel.vocab_parallel_logsumexp([[0.0, 0.0, 0.0, 0.0]], 2, return_shards=True)
    >>> np.round(lse, 6), np.round(shards, 6)         # ln 4 from two times ln 2
    (array([1.386294]), array([[0.693147, 0.693147]]))
    """
    z = _as_logits(logits)
    if z.ndim < 1 or z.shape[-1] < 1:
        raise ValueError(f"logits: need a non-empty class axis, got shape {z.shape}")
    slices = shard_slices(z.shape[-1], _check_shards(n_shards, z.shape[-1], "classes"))
    shard_lse, _ = _run_concurrently(lambda s: np.asarray(logsumexp(z[..., s], axis=-1)), slices,
                                     require_concurrency=require_concurrency)
    stacked = np.stack(shard_lse, axis=-1)
    total = logsumexp(stacked, axis=-1)
    return (total, stacked) if return_shards else total


def vocab_parallel_cross_entropy(logits: ArrayLike, target: ArrayLike, n_shards: int = 4, *,
                                 reduction: str = "mean") -> Any:
    """Softmax cross-entropy (nats) with the class axis split over ``n_shards`` workers.

    Each worker returns, per sample, its shard's log-sum-exp and the target
    logit if the target falls in its shard (else 0); only these two numbers
    per sample and shard are combined: ``loss_i = LSE_i - z[i, target_i]``.

    Parameters
    ----------
    logits : array_like
        Shape ``(n, n_classes)``.
    target : array_like
        Shape ``(n,)``, integer class indices in ``[0, n_classes)``.
    n_shards : int, optional
        Number of class blocks (workers), in ``[1, n_classes]``.
    reduction : {"mean", "sum", "none"}, optional
        Mean or sum over the samples, or the per-sample losses.

    Returns
    -------
    float or numpy.ndarray
        The loss in nats: a float for ``"mean"`` and ``"sum"``, shape
        ``(n,)`` for ``"none"``.

    Raises
    ------
    ValueError
        ``logits`` not 2-D, ``target`` of the wrong shape, not integer or out
        of range, bad ``n_shards`` or unknown ``reduction``.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import parallel
    >>> round(parallel.vocab_parallel_cross_entropy(np.zeros((2, 4)), [0, 3], n_shards=2), 6)   # ln 4
    1.386294
    """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction: choose 'mean', 'sum' or 'none', got {reduction!r}")
    z = np.asarray(logits, dtype=np.float64)
    t = np.asarray(target)
    if z.ndim != 2:
        raise ValueError(f"logits: expected shape (n, classes), got {z.shape}")
    if t.shape != (z.shape[0],) or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"target: expected {z.shape[0]} integer class indices, got shape {t.shape}, "
                         f"dtype {t.dtype}")
    if t.size and (t.min() < 0 or t.max() >= z.shape[1]):
        raise ValueError(f"target: class indices must be in [0, {z.shape[1]}), got {t.min()}..{t.max()}")
    slices = shard_slices(z.shape[1], _check_shards(n_shards, z.shape[1], "classes"))
    rows = np.arange(t.shape[0])

    def work(s: slice) -> tuple[np.ndarray, np.ndarray]:
        block = z[:, s]
        inside = (t >= s.start) & (t < s.stop)
        picked = np.where(inside, block[rows, np.clip(t - s.start, 0, block.shape[1] - 1)], 0.0)
        return np.asarray(logsumexp(block, axis=-1)), picked

    results, _ = _run_concurrently(work, slices, require_concurrency=False)
    lse = logsumexp(np.stack([r[0] for r in results], axis=-1), axis=-1)
    target_logit = np.sum([r[1] for r in results], axis=0)
    losses = lse - target_logit
    if reduction == "mean":
        return float(losses.mean())
    if reduction == "sum":
        return float(losses.sum())
    return losses
