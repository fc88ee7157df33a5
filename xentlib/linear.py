"""Fused linear layer + softmax cross-entropy that never holds the full logit matrix.

For a language model with a vocabulary of :math:`V` tokens, the logits
:math:`Z = hW + b` of :math:`N` tokens form an :math:`N \\times V` matrix
(4096 x 32000 float32 is 524 MB) and a naive loss + gradient holds several
such matrices.  :func:`linear_cross_entropy` instead walks over the
vocabulary in chunks of ``chunk_size`` columns, keeping a running maximum and
a running sum of exponentials per row (the *online log-sum-exp*), and
recomputes each chunk of logits in a second pass to accumulate the gradients
``dh``, ``dW``, ``db`` chunk by chunk -- the idea of Cut Cross-Entropy
(Wijmans et al., 2024) and Liger Kernel's fused linear cross-entropy.  Rows are
taken in blocks of at most ``MAX_ROWS`` = 8192, so peak extra memory is a
few ``min(N, 8192) x chunk_size`` blocks plus the gradients themselves.  The matrix products run on the (multi-threaded) BLAS of NumPy.
"""
from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as V
from .losses import _check_index_target

__all__ = ["linear_cross_entropy"]

#: Target number of elements of one block of logits (rows x vocabulary chunk).
BLOCK_ELEMENTS = 1 << 22
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
    reduction: Literal["mean", "sum", "none"] = "mean",
    return_grad: bool = False,
) -> Any:
    r"""Cross-entropy of ``softmax(h @ W + bias)`` without materialising the logits.

    Mathematically identical to
    ``softmax_cross_entropy(h @ W + bias, target, reduction=reduction)``,
    but the :math:`N \times V` logit matrix is never built: the vocabulary is
    processed ``chunk_size`` columns at a time with an online log-sum-exp.

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
        Vocabulary columns per chunk; default: about 4 million logits per
        block (``2**22 // min(N, MAX_ROWS)`` columns, at least 256; rows are
        processed in blocks of at most ``MAX_ROWS`` = 8192).
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
        Shape mismatch (both shapes shown), non-finite inputs, an index out
        of range, a non-positive ``chunk_size``, an invalid ``reduction``.
    TypeError
        Non-integer targets, non-numeric input.

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
    if chunk_size is not None:
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)):
            raise TypeError(f"chunk_size: must be a positive integer or None, got {chunk_size!r}")
        if chunk_size <= 0:
            raise ValueError(f"chunk_size: must be a positive integer, got {chunk_size}")

    batch_shape = ha.shape[:-1]
    H2 = ha.reshape(-1, Hdim)
    N = H2.shape[0]
    tg = t.reshape(-1).astype(np.intp)
    R = max(1, min(N, MAX_ROWS))
    Vc = int(chunk_size) if chunk_size is not None else max(256, BLOCK_ELEMENTS // R)
    Vc = min(Vc, Vn)

    lse = np.empty(N, np.float64)
    zt = np.empty(N, np.float64)
    for r0 in range(0, N, R):
        r1 = min(r0 + R, N)
        hr = H2[r0:r1]
        tr = tg[r0:r1]
        m = np.full(r1 - r0, -np.inf, dt)
        s = np.zeros(r1 - r0, np.float64)
        for a in range(0, Vn, Vc):
            b = min(a + Vc, Vn)
            with np.errstate(over="ignore", invalid="ignore"):
                Z = hr @ Wa[:, a:b]
                if ba is not None:
                    Z += ba[a:b]
            mc = Z.max(axis=1)
            if not np.isfinite(mc).all():
                raise _overflow()
            sel = (tr >= a) & (tr < b)
            zt[r0:r1][sel] = Z[np.flatnonzero(sel), tr[sel] - a]
            m_new = np.maximum(m, mc)
            s *= np.exp((m - m_new).astype(np.float64))
            Z -= m_new[:, None]
            np.exp(Z, out=Z)
            s += Z.sum(axis=1, dtype=np.float64)
            m = m_new
        lse[r0:r1] = m + np.log(s)
    losses = (lse - zt).astype(dt)
    out = V.reduce_losses(losses, None, reduction, shape=batch_shape, weight_name="target")
    if not return_grad:
        return out

    scale = dt.type(1 / N) if (reduction == "mean" and N) else dt.type(1)
    dH = np.zeros((N, Hdim), dt)
    dW = np.zeros((Hdim, Vn), dt)
    db = None if ba is None else np.zeros(Vn, dt)
    lse_dt = lse.astype(dt)
    for r0 in range(0, N, R):
        r1 = min(r0 + R, N)
        hr = H2[r0:r1]
        tr = tg[r0:r1]
        lr = lse_dt[r0:r1, None]
        for a in range(0, Vn, Vc):
            b = min(a + Vc, Vn)
            P = hr @ Wa[:, a:b]
            if ba is not None:
                P += ba[a:b]
            P -= lr
            np.exp(P, out=P)  # softmax probabilities of this chunk
            sel = np.flatnonzero((tr >= a) & (tr < b))
            P[sel, tr[sel] - a] -= 1
            if scale != 1:
                P *= scale
            dH[r0:r1] += P @ Wa[:, a:b].T
            if r0 == 0:
                np.matmul(hr.T, P, out=dW[:, a:b])
            else:
                dW[:, a:b] += hr.T @ P
            if db is not None:
                db[a:b] += P.sum(axis=0)
    return out, (dH.reshape(ha.shape), dW, db)


class _ShapeOnly:
    """Stand-in with just a ``shape`` (for validating targets without an array)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape
