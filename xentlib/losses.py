"""Cross-entropy losses on logits, with their exact gradients.

* :func:`softmax_cross_entropy` -- multi-class cross-entropy from logits
  (class-index or probability targets, class weights, ``ignore_index``,
  label smoothing), computed chunk by chunk on threads; with class-index
  targets it allocates only a few megabytes beyond its inputs and outputs
  (probability targets are validated and smoothed as whole arrays);
* :func:`sigmoid_binary_cross_entropy` -- binary / multi-label cross-entropy
  from logits in the stable softplus form;
* :func:`focal_loss` -- softmax focal loss (Lin et al., 2017).

One definition of the mean everywhere: ``sum(w * l) / sum(w)``, where ``w``
is each example's weight (1 without class weights).  A mean over zero total
weight (no examples, every target ignored, class weights 0) is 0/0 and raises
``ValueError`` naming the argument that emptied it (PyTorch silently returns
NaN there); ``reduction='sum'`` or ``'none'`` give 0 and the per-example losses.

``return_grad=True`` returns ``(loss, grad)`` with ``grad`` the derivative
of the returned loss with respect to the logits (for ``reduction='none'``,
row ``i`` of ``grad`` is the derivative of loss ``i``).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as V
from .softmax import log_sigmoid, log_softmax, sigmoid

__all__ = ["softmax_cross_entropy", "sigmoid_binary_cross_entropy", "focal_loss"]

#: Elements per chunk (rows x classes) processed by one thread at a time.
CHUNK_ELEMENTS = 1 << 19
#: Inputs smaller than this many elements are processed on the calling thread.
THREAD_MIN_ELEMENTS = 1 << 21

_POOL: ThreadPoolExecutor | None = None


def _n_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_n_threads(), thread_name_prefix="xentlib")
    return _POOL


def _run_chunks(fn: Any, n_rows: int, rows_per_chunk: int, total_elements: int) -> None:
    """Call ``fn(a, b)`` on row ranges, on threads when the input is large."""
    bounds = [(a, min(a + rows_per_chunk, n_rows)) for a in range(0, n_rows, rows_per_chunk)]
    if len(bounds) > 1 and total_elements >= THREAD_MIN_ELEMENTS and _n_threads() > 1:
        for _ in _pool().map(lambda ab: fn(*ab), bounds):
            pass
    else:
        for a, b in bounds:
            fn(a, b)


def _raise_bad_logits(z: np.ndarray, m: np.ndarray, row0: int, batch_shape: tuple[int, ...],
                      name: str = "logits") -> None:
    """Raise the error for the first row of chunk ``z`` whose max is not finite."""
    r = int(np.argmax(~np.isfinite(m)))
    row = z[r]
    where = tuple(int(i) for i in np.unravel_index(row0 + r, batch_shape)) if batch_shape else ()
    nan = np.isnan(row)
    if nan.any():
        idx = where + (int(np.argmax(nan)),)
        raise ValueError(f"{name}: contains NaN at index {V.fmt_index(idx)}")
    pos = row == np.inf
    if pos.any():
        idx = where + (int(np.argmax(pos)),)
        raise ValueError(
            f"{name}: contains +inf at index {V.fmt_index(idx)}; logits must be finite "
            "(-inf is allowed to mask a class)"
        )
    at = f" in row {V.fmt_index(where)}" if where else ""
    raise ValueError(
        f"{name}: every logit is -inf{at}; at least one class needs a finite logit"
    )


def _check_index_target(t: np.ndarray, z: np.ndarray, ignore_index: int | None,
                        name: str = "target", logits_name: str = "logits",
                        prob_ok: bool = True) -> np.ndarray:
    """Validate class-index targets; return the boolean mask of non-ignored entries.

    ``prob_ok``: whether the caller also accepts probability targets (shape of
    the logits, floating point); it only changes the error messages.
    """
    C = z.shape[-1]
    is_int = t.dtype == np.bool_ or np.issubdtype(t.dtype, np.integer)
    if is_int and t.shape == z.shape:
        if prob_ok:
            raise TypeError(
                f"{name}: probability targets must be floating point, got dtype {t.dtype} with "
                f"the shape of {logits_name}, {z.shape} (an integer one-hot matrix?); pass "
                f"{name}.astype(float), or class indices of shape {z.shape[:-1]}"
            )
        raise TypeError(
            f"{name}: got dtype {t.dtype} with the shape of {logits_name}, {z.shape} (a one-hot "
            f"matrix?); this function takes class indices of shape {z.shape[:-1]}: pass "
            f"{name}.argmax(axis=-1)"
        )
    if np.issubdtype(t.dtype, np.floating) and t.shape != z.shape[:-1]:
        raise ValueError(
            f"{name}: shape mismatch: {logits_name} has shape {z.shape}, so probability targets "
            f"need shape {z.shape} (class indices: integers of shape {z.shape[:-1]}), but {name} "
            f"has shape {t.shape}"
        )
    if t.dtype == np.bool_ or not np.issubdtype(t.dtype, np.integer):
        raise TypeError(
            f"{name}: class indices must have an integer dtype, got {t.dtype} "
            f"(probability targets must have the same shape as {logits_name}, {z.shape})"
        )
    if t.shape != z.shape[:-1]:
        raise ValueError(
            f"{name}: shape mismatch: {logits_name} has shape {z.shape}, so class-index targets "
            f"need shape {z.shape[:-1]}, but {name} has shape {t.shape}"
        )
    valid = np.ones(t.shape, bool) if ignore_index is None else (t != ignore_index)
    bad = valid & ((t < 0) | (t >= C))
    if bad.any():
        i = np.unravel_index(int(np.argmax(bad)), t.shape)
        at = f" at index {V.fmt_index(i)}" if t.ndim else ""
        raise ValueError(
            f"{name}: class index {int(t[i])} is out of range [0, {C}){at}"
        )
    return valid


def _check_ignore_index(ignore_index: Any) -> int | None:
    if ignore_index is None:
        return None
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, (int, np.integer)):
        raise TypeError(f"ignore_index: must be an integer or None, got {ignore_index!r}")
    return int(ignore_index)


def _check_class_weight(class_weight: ArrayLike | None, C: int, dt: np.dtype) -> np.ndarray | None:
    if class_weight is None:
        return None
    cw = V.as_array(class_weight, "class_weight").astype(dt, copy=False)
    if cw.shape != (C,):
        raise ValueError(
            f"class_weight: shape mismatch: logits have {C} classes so class_weight needs shape "
            f"({C},), got {cw.shape}"
        )
    V.check_finite_values(cw, "class_weight")
    neg = cw < 0
    if neg.any():
        raise ValueError(f"class_weight: negative weight at index {V.first_index(neg)}")
    return cw


def softmax_cross_entropy(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    class_weight: ArrayLike | None = None,
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    reduction: Literal["mean", "sum", "none"] = "mean",
    return_grad: bool = False,
) -> Any:
    r"""Softmax cross-entropy :math:`-\sum_c y_c \log \operatorname{softmax}(z)_c` from logits.

    The class axis is the last axis of ``logits``.  ``target`` is either an
    integer array of class indices with shape ``logits.shape[:-1]`` or a
    float array of probabilities with the same shape as ``logits``.

    With class weights :math:`w_c` the loss of example :math:`i` is
    :math:`\ell_i = -\sum_c w_c y_{ic} \log q_{ic}`, its weight is
    :math:`W_i = \sum_c w_c y_{ic}` (:math:`= w_{t_i}` for an index target),
    and the mean is :math:`\sum_i \ell_i / \sum_i W_i` for both kinds of
    targets (PyTorch divides by :math:`N` for probability targets).  Label
    smoothing replaces the target by :math:`(1-\varepsilon) y + \varepsilon / C`
    (as PyTorch and Keras do) before all of this, so with index targets,
    ``class_weight`` and ``label_smoothing`` together the divisor is
    :math:`\sum_i \sum_c w_c \tilde y_{ic}` of the smoothed targets, where
    PyTorch divides by :math:`\sum_i w_{t_i}`: the two values then differ.

    Parameters
    ----------
    logits : array_like, shape (..., C)
        Unnormalised log-probabilities.  Must be finite, except that ``-inf``
        masks a class (probability 0).
    target : array_like
        Class indices (integer dtype, shape ``logits.shape[:-1]``) or
        probabilities (float dtype, shape ``logits.shape``, rows summing to 1).
    class_weight : array_like, shape (C,), optional
        Non-negative weight of each class.
    ignore_index : int, optional
        Index targets equal to this value contribute nothing (loss 0, weight
        0, gradient 0).  Not allowed with probability targets.
    label_smoothing : float, optional
        :math:`\varepsilon \in [0, 1]` (default 0).
    reduction : {'mean', 'sum', 'none'}
        ``'none'`` returns one loss per example (shape ``logits.shape[:-1]``).
    return_grad : bool, optional
        Also return the gradient with respect to ``logits``.

    Returns
    -------
    loss : numpy.ndarray or numpy.floating
        The reduced loss (nats), or per-example losses.
    grad : numpy.ndarray
        Only with ``return_grad=True``: gradient of ``loss``, same shape as
        ``logits``.

    Raises
    ------
    ValueError
        0-d ``logits`` ("logits: expected an array with a class axis (shape
        (..., C)), got a scalar") or an empty class axis, NaN or ``+inf``
        logits, a row of only ``-inf``, index out of range, shape mismatch,
        invalid probability targets, probability targets with
        ``ignore_index``, ``label_smoothing`` outside [0, 1], bad
        ``class_weight`` or ``reduction``; ``reduction='mean'`` over zero
        total weight (0/0: no examples, every target ignored, or class weight
        0 for every target), the message naming ``target``, ``ignore_index``
        or ``class_weight``.
    TypeError
        Non-integer class indices, probability targets that are not floating
        point (an integer one-hot matrix), non-numeric input.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import softmax_cross_entropy
    >>> float(softmax_cross_entropy([[0.0, 0.0]], [1]))  # log 2 nats
    0.6931471805599453
    >>> loss, grad = softmax_cross_entropy([[1e4, 0.0]], [1], return_grad=True)
    >>> float(loss), grad.tolist()
    (10000.0, [[1.0, -1.0]])
    >>> float(softmax_cross_entropy([[2.0, -np.inf]], [0]))  # -inf masks class 1
    0.0
    """
    V.check_reduction(reduction)
    eps = V.check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    ignore_index = _check_ignore_index(ignore_index)
    z = V.as_array(logits, "logits")
    if z.ndim == 0:
        raise ValueError("logits: expected an array with a class axis (shape (..., C)), got a scalar")
    C = z.shape[-1]
    if C == 0:
        raise ValueError(f"logits: empty class axis (shape {z.shape}); need at least one class")
    t = V.as_array(target, "target")
    prob = np.issubdtype(t.dtype, np.floating) and t.shape == z.shape
    if prob:
        if ignore_index is not None:
            raise ValueError(
                "ignore_index: cannot be combined with probability targets (target has the "
                f"shape of logits, {z.shape}); give class indices or drop ignore_index"
            )
        dt = V.result_dtype(z, t)
    else:
        dt = V.result_dtype(z)
    z = z.astype(dt, copy=False)
    batch_shape = z.shape[:-1]
    cw = _check_class_weight(class_weight, C, dt)

    Z = z.reshape(-1, C)
    N = Z.shape[0]
    if prob:
        Y = V.check_probabilities(t.astype(dt, copy=False), "target", t.ndim - 1).reshape(-1, C)
        if eps > 0:
            Y = (1 - eps) * Y + eps / C
        W = (Y @ cw) if cw is not None else np.ones(N, dt)
        valid = np.ones(N, bool)
        tgt = None
    else:
        valid = _check_index_target(t, z, ignore_index).reshape(-1)
        tgt = np.where(valid, t.reshape(-1), 0).astype(np.intp)
        Y = None
        wt = cw[tgt] if cw is not None else np.ones(N, dt)
        if eps > 0:
            wt = (1 - eps) * wt + (eps / C) * (cw.sum() if cw is not None else dt.type(C))
        W = np.where(valid, wt, 0).astype(dt)

    weight_name = _zero_weight_name(N, ignore_index, cw)
    if reduction == "mean":
        denom = W.sum()
        if denom == 0:  # raises the 0/0 error before any work is done
            V.reduce_losses(np.zeros(0, dt), W, reduction, weight_name=weight_name)
        scale = dt.type(1 / denom)
    else:
        scale = dt.type(1)
    losses = np.zeros(N, dt)
    G = np.empty(Z.shape, dt) if return_grad else None
    fast = not prob and eps == 0
    rows_per_chunk = max(1, CHUNK_ELEMENTS // C)

    def chunk(a: int, b: int) -> None:
        # np.errstate is per thread (context variable): set it inside the worker.
        # over: finite logits near -1e308 minus a max near 1e308 give -inf (exp -> 0).
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            _chunk(a, b)

    def _chunk(a: int, b: int) -> None:
        zc = Z[a:b]
        rows = np.arange(b - a)
        am = zc.argmax(axis=1)  # NaN counts as the maximum: caught below
        m = zc[rows, am]
        if not np.isfinite(m).all():
            _raise_bad_logits(zc, m, a, batch_shape)
        buf = G[a:b] if G is not None else np.empty(zc.shape, dt)
        np.subtract(zc, m[:, None], out=buf)
        Wc = W[a:b]
        vc = valid[a:b]
        # log-sum-exp = m + log1p(rest), rest = sum of exp(z - m) without the max term:
        # full relative accuracy when one logit dominates (log(1 + 1e-18) would be 0).
        if fast:
            assert tgt is not None
            tc = tgt[a:b]
            np.exp(buf, out=buf)
            buf[rows, am] = 0
            rest = buf.sum(axis=1)
            nll = (m - zc[rows, tc]) + np.log1p(rest)
            losses[a:b] = np.where(vc & (Wc > 0), Wc * nll, 0)
            if G is not None:
                buf[rows, am] = 1
                buf /= (1 + rest)[:, None]
                buf[rows, tc] -= 1
                # target = argmax: q_t - 1 = -rest / (1 + rest), without the cancellation
                hit = np.flatnonzero(am == tc)
                buf[hit, tc[hit]] = -(rest[hit] / (1 + rest[hit]))
                buf *= (Wc * scale)[:, None]
            return
        # General path: weighted target matrix T for this chunk.
        if prob:
            assert Y is not None
            T = Y[a:b] * cw if cw is not None else Y[a:b].copy()
        else:
            assert tgt is not None
            tc = tgt[a:b]
            T = np.empty(zc.shape, dt)
            T[...] = (eps / C) * (cw if cw is not None else dt.type(1))
            T[rows, tc] += (1 - eps) * (cw[tc] if cw is not None else dt.type(1))
            T[~vc] = 0
        e = np.exp(buf)
        e[rows, am] = 0
        rest = e.sum(axis=1)
        del e
        buf -= np.log1p(rest)[:, None]  # buf = log q
        pos = T > 0
        prod = np.zeros(zc.shape, dt)
        np.multiply(T, buf, out=prod, where=pos)
        losses[a:b] = -prod.sum(axis=1)
        del prod
        if G is not None:
            np.exp(buf, out=buf)
            buf *= Wc[:, None]
            buf -= T
            buf *= scale

    _run_chunks(chunk, N, rows_per_chunk, N * C)
    out = V.reduce_losses(losses, W, reduction, shape=batch_shape, weight_name=weight_name)
    if G is not None:
        return out, G.reshape(z.shape)
    return out


def _zero_weight_name(n: int, ignore_index: int | None, cw: np.ndarray | None) -> str:
    """The argument to blame for a mean over zero total weight."""
    if n == 0:
        return "target"
    if ignore_index is not None:
        return "ignore_index"
    return "class_weight" if cw is not None else "target"


def sigmoid_binary_cross_entropy(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    pos_weight: ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
    return_grad: bool = False,
) -> Any:
    r"""Binary cross-entropy from logits, elementwise, in the stable softplus form.

    :math:`\ell = p\, y \operatorname{softplus}(-z) + (1 - y) \operatorname{softplus}(z)`
    with :math:`\operatorname{softplus}(x) = \max(x, 0) + \log(1 + e^{-|x|})`
    and :math:`p` the positive-class weight (``pos_weight``, default 1), as in
    ``torch.nn.functional.binary_cross_entropy_with_logits``.  The mean
    is over all elements.

    Parameters
    ----------
    logits : array_like
        Finite logits :math:`z` (``sigmoid(z)`` is the predicted probability).
    target : array_like
        Targets :math:`y \in [0, 1]`, same shape as ``logits``.
    pos_weight : array_like, optional
        Non-negative weight of the positive term, broadcastable to ``logits``
        (e.g. one per label on the last axis).
    reduction : {'mean', 'sum', 'none'}
        Reduction of the elementwise losses.
    return_grad : bool, optional
        Also return the gradient with respect to ``logits``.

    Returns
    -------
    loss : numpy.ndarray or numpy.floating
        The loss in nats.
    grad : numpy.ndarray
        Only with ``return_grad=True``.

    Raises
    ------
    ValueError
        Non-finite logits, targets outside [0, 1], shape mismatch, negative
        or non-broadcastable ``pos_weight``, ``reduction='mean'`` of empty
        input (0/0).

    Examples
    --------
    >>> from xentlib import sigmoid_binary_cross_entropy
    >>> float(sigmoid_binary_cross_entropy([0.0], [1.0]))  # log 2
    0.6931471805599453
    >>> float(sigmoid_binary_cross_entropy([-1e4], [1.0]))  # naive log(sigmoid) gives inf
    10000.0
    """
    V.check_reduction(reduction)
    z = V.as_array(logits, "logits")
    y = V.as_array(target, "target")
    dt = V.result_dtype(z, y)
    z, y = z.astype(dt, copy=False), y.astype(dt, copy=False)
    V.check_same_shape(z, y, "logits", "target")
    V.check_finite_values(z, "logits")
    V.check_unit_interval(y, "target")
    pw = None
    if pos_weight is not None:
        pw = V.as_array(pos_weight, "pos_weight").astype(dt, copy=False)
        V.check_finite_values(pw, "pos_weight")
        if (pw < 0).any():
            raise ValueError(f"pos_weight: negative weight at index {V.first_index(pw < 0)}")
        try:
            np.broadcast_shapes(pw.shape, z.shape)
        except ValueError:
            raise ValueError(
                f"pos_weight: shape mismatch: logits have shape {z.shape}, pos_weight has shape "
                f"{pw.shape} (not broadcastable)"
            ) from None
    py = y if pw is None else pw * y
    losses = -(py * log_sigmoid(z) + (1 - y) * log_sigmoid(-z))  # softplus form
    if losses.shape != z.shape:  # pos_weight must not enlarge the output
        raise ValueError(
            f"pos_weight: shape mismatch: logits have shape {z.shape}, pos_weight has shape "
            f"{pw.shape if pw is not None else None} (broadcasts to {losses.shape})"
        )
    out = V.reduce_losses(losses, None, reduction, weight_name="target")
    if not return_grad:
        return out
    # sigmoid(-z) = 1 - sigmoid(z), without cancellation
    grad = (1 - y) * sigmoid(z) - py * sigmoid(-z)
    if reduction == "mean":
        grad = grad / dt.type(z.size) if z.size else grad
    return out, grad.astype(dt, copy=False)


def focal_loss(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    gamma: float = 2.0,
    reduction: Literal["mean", "sum", "none"] = "mean",
    return_grad: bool = False,
) -> Any:
    r"""Softmax focal loss :math:`-(1 - q_t)^\gamma \log q_t` (Lin et al., 2017).

    :math:`q = \operatorname{softmax}(z)` and :math:`t` is the target class.
    ``gamma=0`` gives the ordinary softmax cross-entropy.

    Parameters
    ----------
    logits : array_like, shape (..., C)
        Logits (finite; ``-inf`` masks a class).
    target : array_like of int
        Class indices, shape ``logits.shape[:-1]``.
    gamma : float, optional
        Focusing parameter :math:`\gamma \ge 0` (default 2).
    reduction : {'mean', 'sum', 'none'}
        Reduction over examples (mean = sum / N).
    return_grad : bool, optional
        Also return the gradient with respect to ``logits``.

    Returns
    -------
    loss : numpy.ndarray or numpy.floating
        The loss in nats.
    grad : numpy.ndarray
        Only with ``return_grad=True``.

    Raises
    ------
    ValueError
        0-d ``logits`` ("logits: expected an array with a class axis (shape
        (..., C)), got a scalar") or an empty class axis; as
        :func:`softmax_cross_entropy` for logits and indices; ``gamma``
        negative or not finite; ``reduction='mean'`` of empty input (0/0).
    TypeError
        Non-integer class indices (a one-hot matrix), a non-numeric ``gamma``
        or input.

    Examples
    --------
    >>> from xentlib import focal_loss
    >>> round(float(focal_loss([[0.0, 0.0]], [0], gamma=2.0)), 12)  # 0.25 * log 2
    0.17328679514
    >>> float(focal_loss([[0.0, 0.0]], [0], gamma=0.0))  # = cross-entropy
    0.6931471805599453
    """
    V.check_reduction(reduction)
    g = V.check_scalar(gamma, "gamma", low=0.0)
    z = V.as_array(logits, "logits")
    if z.ndim == 0:
        raise ValueError("logits: expected an array with a class axis (shape (..., C)), got a scalar")
    C = z.shape[-1]
    if C == 0:
        raise ValueError(f"logits: empty class axis (shape {z.shape}); need at least one class")
    dt = V.result_dtype(z)
    z = z.astype(dt, copy=False)
    t = V.as_array(target, "target")
    _check_index_target(t, z, None, prob_ok=False)
    Z = z.reshape(-1, C)
    N = Z.shape[0]
    tg = t.reshape(-1).astype(np.intp)
    if N:
        m = Z.max(axis=1)
        if not np.isfinite(m).all():
            _raise_bad_logits(Z, m, 0, z.shape[:-1])
    rows = np.arange(N)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # log q by the library's log_softmax: m + log1p(sum of the non-maximal terms), so a
        # dominant class keeps log q_t = -4.2e-18 (not 0) and 1 - q_t = -expm1(log q_t) > 0
        logq = log_softmax(Z, axis=-1)
        lp = logq[rows, tg]
        p = np.exp(lp)
        omp = -np.expm1(lp)  # 1 - p without cancellation
        w = omp ** dt.type(g)
        losses = np.where(w > 0, -w * lp, 0).astype(dt)
        out = V.reduce_losses(losses, None, reduction, shape=z.shape[:-1], weight_name="target")
        if not return_grad:
            return out
        # d loss / d log q_t
        ok = (omp > 0) & (p > 0) & (g > 0)
        term = np.zeros(N, dt)
        np.multiply(g * p * omp ** dt.type(g - 1), lp, out=term, where=ok)
        dl = -w + term
        grad = -np.exp(logq) * dl[:, None]
        grad[rows, tg] = dl * omp  # -q_t dl + dl = (1 - q_t) dl, without the cancellation
        if reduction == "mean":
            grad /= dt.type(N) if N else dt.type(1)
    return out, grad.reshape(z.shape).astype(dt, copy=False)
