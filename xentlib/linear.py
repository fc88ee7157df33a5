"""Fused linear layer + softmax cross-entropy that holds one block of logits at a time.

For a language model with a vocabulary of :math:`V` tokens, the logits
:math:`Z = hW + b` of :math:`N` tokens form an :math:`N \\times V` matrix
(4096 x 32000 float32 is 500 MiB) and a naive loss + gradient holds several
such matrices.  :func:`linear_cross_entropy` instead walks over the tokens in
blocks of ``R`` rows (Liger Kernel's row-chunked fused linear cross-entropy;
Cut Cross-Entropy, Wijmans et al., 2024, is the same idea on GPUs).  For each
block it

1. computes the ``R x V`` logits ``h_block @ W`` once (matrix product 1),
2. turns them in place into the scaled softmax probabilities minus the
   one-hot targets, the gradient ``G`` with respect to the logits (the loss
   of each row comes out on the way, with ``log1p`` for a dominant logit),
3. writes ``dh_block = G W^T`` (product 2) and accumulates
   ``dW += h_block^T G`` (product 3) from that same block.

Three matrix products in all, as for the naive version, and no second pass
that recomputes the logits.  The default ``R`` is
``max(1, min(N, MAX_ROWS, BLOCK_ELEMENTS // V))`` (``BLOCK_ELEMENTS =
13 * 2**19`` elements, 26 MiB of float32, 212 rows for ``V = 32000``;
``MAX_ROWS = 8192``), or the ``block_rows`` argument.  The extra memory is
that one ``R x V`` block in the dtype of the logits (plus ``N`` float64
losses) beyond the returned gradients.  ``dW`` is accumulated in place by
BLAS ``gemm`` (``beta = 1``), without a temporary of its size.  Small
problems (``N <= BLOCK_ELEMENTS // V``, e.g. ``N = 512``, ``V = 8192``, where
832 rows would fit) are one block by default, so the whole logit matrix is
held then: pass ``block_rows`` to see a blocked run.

On a machine with several cores each half of a block runs its products and
elementwise work on its own thread with a single-threaded BLAS (through
``threadpoolctl`` when it is importable; without it the products use BLAS's
own threads, which are much slower for the ``dh`` product of a block, whose
inner dimension is ``V``).
"""
from __future__ import annotations

import contextlib
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.linalg.blas import get_blas_funcs

from . import _validate as V
from .losses import THREAD_MIN_ELEMENTS, _check_index_target, _n_threads, _pool

__all__ = ["linear_cross_entropy"]

#: Target number of elements of one block of logits (rows x vocabulary): 13 * 2**19 (6.5 * 2**20),
#: 26 MiB of float32, 212 rows at V = 32000.  Fewer rows make product 3 (dW += h_block^T G,
#: whose inner dimension is R) memory-bound, as it reads and writes all of dW once per block:
#: on 2 shared cores, N = 4096, H = 512, V = 32000 with bias and gradients took 6.0 s of CPU
#: time with 131-row blocks (2**22 elements), 5.4 s with 212 and 5.2 s with 229 rows; 212 keeps
#: the extra memory of that case below 0.05 x the naive version's (benchmarks/bench_losses.py).
BLOCK_ELEMENTS = 13 << 19
#: At most this many rows are processed together.
MAX_ROWS = 8192


def _overflow(name: str = "h @ W + bias") -> ValueError:
    return ValueError(
        f"h: the logits {name} are not finite (overflow, or inf/NaN in the inputs); "
        "scale down h or W"
    )


def linear_cross_entropy(
    h: ArrayLike,
    W: ArrayLike,
    target: ArrayLike,
    *,
    bias: ArrayLike | None = None,
    chunk_size: int | None = None,
    block_rows: int | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
    return_grad: bool = False,
) -> Any:
    r"""Cross-entropy of ``softmax(h @ W + bias)``, one block of rows at a time.

    Mathematically identical to
    ``softmax_cross_entropy(h @ W + bias, target, reduction=reduction)``,
    but the tokens (rows of ``h``) are processed ``R`` at a time, so the
    :math:`N \times V` logit matrix is built only when one block holds every
    row (``R = N``, the default for small problems, see ``block_rows``).  For
    each block the ``R x V`` logits are computed once (matrix product 1),
    turned in place into the gradient with respect to the logits (the scaled
    softmax minus the one-hot targets), and used at once for ``dh = G W^T``
    (product 2) and ``dW += h^T G`` (product 3): three products in all, as in
    the naive version.  Extra memory: one ``R x V`` array in the dtype of the
    logits, plus ``N`` float64 losses, beyond the returned gradients.

    Parameters
    ----------
    h : array_like, shape (..., H)
        Hidden states (finite).
    W : array_like, shape (H, V)
        Output projection (finite).
    target : array_like of int, shape ``h.shape[:-1]``
        Class (token) indices in ``[0, V)``.
    bias : array_like, shape (V,), optional
        Output bias.
    chunk_size : int, optional
        Vocabulary columns per matrix product when the logits of a block are
        computed (default: all ``V`` in one product).  It does not reduce the
        memory: the block of logits always has all ``V`` columns (a smaller
        ``chunk_size`` only adds temporaries of ``R x chunk_size`` and
        ``H x chunk_size`` elements per product, and is slower).
    block_rows : int, optional
        ``R``, the number of rows (tokens) per block: the memory held is one
        ``R x V`` block of logits.  Default
        ``max(1, min(N, MAX_ROWS, BLOCK_ELEMENTS // V))`` with
        ``BLOCK_ELEMENTS = 13 * 2**19`` (26 MiB of float32 logits) and
        ``MAX_ROWS = 8192``: for ``N <= BLOCK_ELEMENTS // V`` (e.g. ``N = 512``,
        ``V = 8192``: 832 rows fit) that is ``R = N``, one block holding the
        whole logit matrix.  Pass e.g. ``block_rows=64`` to force a blocked run (values
        above ``N`` mean one block).
    reduction : {'mean', 'sum', 'none'}
        Reduction over tokens (mean = sum / N).
    return_grad : bool, optional
        Also return the gradients ``(dh, dW, db)`` of the returned loss
        (``db`` is None without a bias; for ``reduction='none'`` they are the
        gradients of the sum of the losses).

    Returns
    -------
    loss : numpy.ndarray or numpy.floating
        The loss in nats (per token for ``reduction='none'``).
    grads : tuple
        Only with ``return_grad=True``: ``(dh, dW, db)`` with the shapes of
        ``h``, ``W`` and ``bias``.

    Raises
    ------
    ValueError
        A 0-d ``h`` ("h: expected shape (..., H), got a scalar"), a ``W``
        that is not 2-D, shape mismatch (both shapes shown), non-finite
        inputs or logits that overflow, an index out of range, a
        non-positive ``chunk_size`` or ``block_rows``, an invalid
        ``reduction``, ``reduction='mean'`` over no tokens (0/0).
    TypeError
        Non-integer targets, ``chunk_size`` or ``block_rows``, non-numeric
        input.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import linear_cross_entropy, softmax_cross_entropy
    >>> rng = np.random.default_rng(0)
    >>> h, W = rng.normal(size=(4, 3)), rng.normal(size=(3, 10))
    >>> t = np.array([1, 5, 9, 0])
    >>> a = linear_cross_entropy(h, W, t, chunk_size=3)
    >>> b = softmax_cross_entropy(h @ W, t)
    >>> bool(np.isclose(a, b, rtol=1e-12))
    True
    >>> c = linear_cross_entropy(h, W, t, block_rows=1)  # 4 blocks of 1 x 10 logits
    >>> bool(np.isclose(c, b, rtol=1e-12))
    True
    """
    V.check_reduction(reduction)
    ha = V.as_array(h, "h")
    Wa = V.as_array(W, "W")
    ba = None if bias is None else V.as_array(bias, "bias")
    dt = V.result_dtype(ha, Wa, *(() if ba is None else (ba,)))
    ha, Wa = ha.astype(dt, copy=False), Wa.astype(dt, copy=False)
    if ha.ndim == 0:
        raise ValueError("h: expected shape (..., H), got a scalar")
    if Wa.ndim != 2:
        raise ValueError(f"W: expected shape (H, V), got shape {Wa.shape}")
    if ha.shape[-1] != Wa.shape[0]:
        raise ValueError(
            f"W: shape mismatch: h has shape {ha.shape} and W has shape {Wa.shape}; "
            f"W needs {ha.shape[-1]} rows (h.shape[-1])"
        )
    Hdim, Vn = Wa.shape
    if Vn == 0:
        raise ValueError(f"W: empty vocabulary (shape {Wa.shape}); need at least one class")
    if ba is not None:
        ba = ba.astype(dt, copy=False)
        if ba.shape != (Vn,):
            raise ValueError(
                f"bias: shape mismatch: W has shape {Wa.shape} so bias needs shape ({Vn},), "
                f"got {ba.shape}"
            )
        V.check_finite_values(ba, "bias")
    V.check_finite_values(ha, "h")
    V.check_finite_values(Wa, "W")
    t = V.as_array(target, "target")
    _check_index_target(t, _ShapeOnly(ha.shape[:-1] + (Vn,)), None,  # type: ignore[arg-type]
                        logits_name="h @ W")
    for name, value in (("chunk_size", chunk_size), ("block_rows", block_rows)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name}: must be a positive integer or None, got {value!r}")
        if value <= 0:
            raise ValueError(f"{name}: must be a positive integer, got {value}")

    batch_shape = ha.shape[:-1]
    H2 = np.ascontiguousarray(ha.reshape(-1, Hdim))
    Wa = np.ascontiguousarray(Wa)
    N = H2.shape[0]
    tg = t.reshape(-1).astype(np.intp)
    if reduction == "mean" and N == 0:
        V.reduce_losses(np.zeros(0, dt), None, reduction, weight_name="target")  # raises: 0/0
    # R rows per block: the R x V block of logits is the only large temporary
    R = max(1, min(N, int(block_rows) if block_rows is not None else min(MAX_ROWS, BLOCK_ELEMENTS // Vn)))
    Vc = min(int(chunk_size), Vn) if chunk_size is not None else Vn
    scale = dt.type(1 / N) if (reduction == "mean" and N) else dt.type(1)

    losses = np.empty(N, np.float64)  # per-token losses and their sum in float64, returned in dt
    buf = np.empty((min(R, N), Vn), dt)
    if return_grad:
        dH = np.empty((N, Hdim), dt)
        dW = np.zeros((Hdim, Vn), dt)  # C order: dW.T is the Fortran-order (V, H) matrix for gemm
        db = None if ba is None else np.zeros(Vn, dt)
        gemm = get_blas_funcs("gemm", (buf,))
    threaded = _n_threads() > 1 and min(R, N) * Vn >= THREAD_MIN_ELEMENTS
    # With threadpoolctl, each half of a block runs its products on its own thread with a
    # single-threaded BLAS: OpenBLAS's own threading of the dh product (M = R rows, K = V)
    # runs 5-10x below peak, and worse when the cores are shared.  Without it, the
    # products use BLAS's threads and only the elementwise work is split.
    limits = _single_threaded_blas() if threaded else None
    split = limits is not None

    def logits(hz: np.ndarray, hrow: np.ndarray) -> None:
        with np.errstate(over="ignore", invalid="ignore"):
            if Vc == Vn:
                np.matmul(hrow, Wa, out=hz)  # product 1 of 3: the logits
            else:
                for a in range(0, Vn, Vc):
                    hz[:, a:a + Vc] = hrow @ Wa[:, a:a + Vc]

    with limits if limits is not None else contextlib.nullcontext():
        for r0 in range(0, N, R):
            r1 = min(r0 + R, N)
            hr = H2[r0:r1]
            Z = buf[: r1 - r0]
            if not split:
                logits(Z, hr)

            def rows(ab: tuple[int, int], Z: np.ndarray = Z, hr: np.ndarray = hr, r0: int = r0) -> Any:
                a, b = ab
                if split:
                    logits(Z[a:b], hr[a:b])
                cs = _rows(Z[a:b], tg[r0 + a:r0 + b], ba, scale, losses[r0 + a:r0 + b], return_grad)
                if split and return_grad:
                    np.matmul(Z[a:b], Wa.T, out=dH[r0 + a:r0 + b])  # product 2: dh of these rows
                return cs

            parts = _halves(r1 - r0) if threaded else [(0, r1 - r0)]
            colsums = list(_pool().map(rows, parts)) if len(parts) > 1 else [rows(parts[0])]
            if not return_grad:
                continue
            if not split:
                np.matmul(Z, Wa.T, out=dH[r0:r1])  # product 2: dh of this block
            beta = 0.0 if r0 == 0 else 1.0

            def accumulate(cd: tuple[int, int], Z: np.ndarray = Z, hr: np.ndarray = hr, beta: float = beta) -> None:
                # product 3: dW[c:d] += h_block[:, c:d]^T G, as dW^T[:, c:d] += G^T h_block[:, c:d]
                # (Fortran order, in place: BLAS gemm with beta = 1)
                c, d = cd
                gemm(1.0, Z.T, hr[:, c:d].T, beta=beta, c=dW.T[:, c:d], trans_b=True, overwrite_c=True)

            if split and Hdim > 1:
                list(_pool().map(accumulate, _halves(Hdim)))
            else:
                accumulate((0, Hdim))
            if db is not None:
                for cs in colsums:
                    db += cs
    out = V.reduce_losses(losses, None, reduction, shape=batch_shape, weight_name="target")
    out = out.astype(dt) if isinstance(out, np.ndarray) else dt.type(out)
    if not return_grad:
        return out
    if N == 0:
        dH = np.zeros((0, Hdim), dt)
    return out, (dH.reshape(ha.shape), dW, db)


def _single_threaded_blas() -> Any:
    """``threadpoolctl.threadpool_limits(1, 'blas')`` if threadpoolctl is importable, else None."""
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - optional
        return None
    return threadpool_limits(limits=1, user_api="blas")


def _halves(n: int) -> list[tuple[int, int]]:
    h = (n + 1) // 2
    return [(0, h), (h, n)] if n > 1 else [(0, n)]


def _rows(Z: np.ndarray, t: np.ndarray, bias: np.ndarray | None, scale: Any, out: np.ndarray,
          grad: bool) -> np.ndarray | None:
    """Turn logits ``Z`` (rows of one block) in place into ``scale * (softmax - onehot)``.

    Writes the losses of the rows into ``out``; returns the column sums of the
    gradient (for ``db``) when ``bias`` is given and ``grad`` is set.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if bias is not None:
            Z += bias
        rows = np.arange(Z.shape[0])
        am = Z.argmax(axis=1)  # NaN counts as the maximum
        m = Z[rows, am]
        if not np.isfinite(m).all():
            raise _overflow()
        zt = Z[rows, t]
        Z -= m[:, None]
        np.exp(Z, out=Z)
        # log-sum-exp = m + log1p(rest), rest = the sum without the max term: accurate for a
        # dominant logit (pairwise summation, in the dtype of the logits).
        Z[rows, am] = 0
        rest = Z.sum(axis=1)
        out[:] = (m.astype(np.float64) - zt) + np.log1p(rest.astype(np.float64))
        if not grad:
            return None
        Z[rows, am] = 1
        Z *= (scale / (1 + rest))[:, None]  # softmax, scaled
        Z[rows, t] -= scale  # G = scale * (softmax - onehot), in place
        hit = np.flatnonzero(am == t)  # target = argmax: q_t - 1 = -rest / (1 + rest), no cancellation
        Z[hit, t[hit]] = -scale * (rest[hit] / (1 + rest[hit]))
        return Z.sum(axis=0) if bias is not None else None


class _ShapeOnly:
    """Stand-in with just a ``shape`` (for validating targets without an array)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape
