"""Entropy, cross-entropy, KL divergence and perplexity of discrete distributions.

Conventions (the same in every function):

* distributions lie along ``axis`` (default ``-1``, the last axis; note that
  ``scipy.stats.entropy`` defaults to ``axis=0``);
* natural logarithms (nats) unless ``base`` is given (``base=2`` gives bits);
* :math:`0 \\log 0 = 0`, and a term with :math:`q = 0 < p` makes the result
  ``inf`` (not an error, not a clipped number);
* inputs must be genuine distributions: negative entries, NaN, infinities,
  empty distributions or rows that do not sum to 1 raise ``ValueError``
  (``normalize=True`` opts in to renormalising);
* float32 in gives float32 out; everything else is computed in float64.
"""
from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as V

__all__ = [
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "binary_entropy",
    "binary_cross_entropy",
    "perplexity",
]


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x * log(y)`` with ``0 * log(anything) = 0`` (y >= 0 assumed)."""
    out = np.zeros(np.broadcast_shapes(x.shape, y.shape), dtype=np.result_type(x, y))
    pos = x != 0
    with np.errstate(divide="ignore"):
        np.multiply(x, np.log(y, where=pos, out=np.zeros_like(out)), out=out, where=pos)
    return out


def _xlog1py(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x * log1p(y)`` with ``0 * log1p(anything) = 0`` (y >= -1 assumed)."""
    out = np.zeros(np.broadcast_shapes(x.shape, y.shape), dtype=np.result_type(x, y))
    pos = x != 0
    with np.errstate(divide="ignore"):
        np.multiply(x, np.log1p(y, where=pos, out=np.zeros_like(out)), out=out, where=pos)
    return out


def _scalar(x: np.ndarray) -> Any:
    """Return a NumPy scalar for 0-d arrays, the array otherwise."""
    return x[()] if x.ndim == 0 else x


def entropy(
    p: ArrayLike,
    *,
    base: float | None = None,
    axis: int = -1,
    normalize: bool = False,
) -> Any:
    r"""Shannon entropy :math:`H(p) = -\sum_i p_i \log p_i`.

    Parameters
    ----------
    p : array_like
        Probability distribution(s) along ``axis``.
    base : float, optional
        Logarithm base; ``None`` (default) gives nats, ``2`` gives bits.
    axis : int, optional
        Axis holding the distribution (default ``-1``).
    normalize : bool, optional
        If True, divide ``p`` by its sum first instead of raising when it
        does not sum to 1.

    Returns
    -------
    numpy.ndarray or numpy.floating
        The entropy, with ``axis`` removed.

    Raises
    ------
    ValueError
        A 0-d ``p`` ("p: expected at least one dimension (a distribution),
        got a scalar": a distribution needs an axis), an empty distribution,
        NaN, infinity, negative entry, or a sum that is not 1 (unless
        ``normalize=True``); ``axis`` out of range.
    TypeError
        Non-numeric input or a non-integer ``axis``.

    Examples
    --------
    >>> from xentlib import entropy
    >>> float(entropy([0.5, 0.5], base=2))
    1.0
    >>> float(entropy([1.0, 0.0]))
    0.0
    >>> float(entropy([1, 3], normalize=True, base=2))  # [0.25, 0.75]
    0.8112781244591328
    """
    arr = V.as_float(p, "p")
    ax = V.check_axis(arr, axis, "p")
    arr = V.check_probabilities(arr, "p", ax, normalize=normalize)
    h = -_xlogy(arr, arr).sum(axis=ax)
    h = np.maximum(h, 0)  # -0.0 -> 0.0
    return _scalar(V.to_base(h, V.check_base(base)))


def _distribution_pair(p: ArrayLike, q: ArrayLike, axis: int, normalize: bool):
    """Validate two distributions ``p`` and ``q`` along ``axis`` (common dtype,
    probabilities checked, shapes broadcast); returns ``(p, q, axis, dtype)``."""
    pa = V.as_array(p, "p")
    qa = V.as_array(q, "q")
    dt = V.result_dtype(pa, qa)
    pa, qa = pa.astype(dt, copy=False), qa.astype(dt, copy=False)
    pa = V.check_probabilities(pa, "p", V.check_axis(pa, axis, "p"), normalize=normalize)
    qa = V.check_probabilities(qa, "q", V.check_axis(qa, axis, "q"), normalize=normalize)
    pa, qa, ax = V.broadcast_pair(pa, qa, "p", "q", axis)
    return pa, qa, ax, dt


def cross_entropy(
    p: ArrayLike,
    q: ArrayLike,
    *,
    base: float | None = None,
    axis: int = -1,
    normalize: bool = False,
) -> Any:
    r"""Cross-entropy :math:`H(p, q) = -\sum_i p_i \log q_i`.

    ``p`` is the true (target) distribution and ``q`` the model's.  Entries
    with :math:`p_i = 0` contribute 0 whatever :math:`q_i` is; an entry with
    :math:`q_i = 0 < p_i` makes the result ``inf``.

    Parameters
    ----------
    p, q : array_like
        Probability distributions along ``axis`` with the same length there
        (other axes broadcast).
    base : float, optional
        Logarithm base; ``None`` gives nats, ``2`` gives bits.
    axis : int, optional
        Axis holding the distributions (default ``-1``).
    normalize : bool, optional
        If True, renormalise ``p`` and ``q`` instead of raising.

    Returns
    -------
    numpy.ndarray or numpy.floating
        :math:`H(p, q)` with ``axis`` removed.

    Raises
    ------
    ValueError
        A 0-d ``p`` or ``q`` (the message names it: "q: expected at least one
        dimension (a distribution), got a scalar"), invalid distributions (see
        :func:`entropy`) or a shape mismatch.
    TypeError
        Non-numeric input or a non-integer ``axis``.

    Examples
    --------
    >>> from xentlib import cross_entropy
    >>> float(cross_entropy([1, 0], [0.5, 0.5], base=2))
    1.0
    >>> float(cross_entropy([0.5, 0.5], [1.0, 0.0]))
    inf
    """
    pa, qa, ax, dt = _distribution_pair(p, q, axis, normalize)
    h = -_xlogy(pa, qa).sum(axis=ax)
    h = np.maximum(h, 0)
    return _scalar(V.to_base(h, V.check_base(base)))


def kl_divergence(
    p: ArrayLike,
    q: ArrayLike,
    *,
    base: float | None = None,
    axis: int = -1,
    normalize: bool = False,
) -> Any:
    r"""Kullback-Leibler divergence :math:`D_{KL}(p \| q) = \sum_i p_i \log(p_i / q_i)`.

    Argument order as in ``scipy.stats.entropy`` (``p`` first).  The
    result is :math:`\ge 0`, ``0`` exactly when ``p == q`` and ``inf`` when
    some :math:`q_i = 0 < p_i`.  Each term is :math:`p_i \log(p_i / q_i)`
    when the ratio is representable and :math:`p_i (\log p_i - \log q_i)` when
    it overflows (``q`` tiny), so the result stays finite wherever
    :math:`H(p, q) - H(p)` is.  Tiny negative values from rounding are
    clipped to 0 (the divergence is never negative).

    Parameters
    ----------
    p, q : array_like
        Probability distributions along ``axis``.
    base : float, optional
        Logarithm base; ``None`` gives nats, ``2`` gives bits.
    axis : int, optional
        Axis holding the distributions (default ``-1``).
    normalize : bool, optional
        If True, renormalise ``p`` and ``q`` instead of raising.

    Returns
    -------
    numpy.ndarray or numpy.floating
        :math:`D_{KL}(p \| q)` with ``axis`` removed.

    Raises
    ------
    ValueError
        A 0-d ``p`` or ``q`` (the message names it: "p: expected at least one
        dimension (a distribution), got a scalar"), invalid distributions (see
        :func:`entropy`) or a shape mismatch.
    TypeError
        Non-numeric input or a non-integer ``axis``.

    Examples
    --------
    >>> from xentlib import kl_divergence
    >>> float(kl_divergence([0.5, 0.5], [0.5, 0.5]))
    0.0
    >>> float(kl_divergence([1, 0], [0.5, 0.5], base=2))
    1.0
    >>> round(float(kl_divergence([0.5, 0.5], [1e-310, 1 - 1e-310])), 4)  # p/q overflows, the KL is finite
    356.2075
    """
    pa, qa, ax, dt = _distribution_pair(p, q, axis, normalize)
    d = np.maximum(_rel_entr(pa, qa).sum(axis=ax), 0)
    return _scalar(V.to_base(d, V.check_base(base)))


def _rel_entr(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Elementwise ``p * log(p / q)`` with ``0 log(0/q) = 0`` and ``p log(p/0) = inf`` (p, q >= 0).

    Uses ``log(p / q)`` where the ratio is a normal finite number (the most
    accurate form when ``p`` is close to ``q``) and ``log p - log q`` where it
    is not: ``p / q`` overflows for ``q < p * 2.2e-308`` in float64
    (``q < p * 2.9e-39`` in float32) although the term itself is finite.
    """
    out = np.zeros(p.shape, dtype=np.result_type(p, q))
    pos = p > 0
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        ratio = np.divide(p, q, where=pos, out=np.ones_like(out))
        ok = pos & np.isfinite(ratio) & (ratio >= np.finfo(out.dtype).tiny)
        np.multiply(p, np.log(ratio, where=ok, out=np.zeros_like(out)), out=out, where=ok)
        far = pos & ~ok  # ratio overflowed (or q == 0: log 0 = -inf gives inf)
        if far.any():
            out[far] = p[far] * (np.log(p[far]) - np.log(q[far]))
    return out


def binary_entropy(p: ArrayLike, *, base: float | None = None) -> Any:
    r"""Binary entropy :math:`H_b(p) = -p \log p - (1-p) \log(1-p)`, elementwise.

    Parameters
    ----------
    p : array_like
        Probabilities of the event, each in [0, 1].
    base : float, optional
        Logarithm base; ``None`` gives nats, ``2`` gives bits.

    Returns
    -------
    numpy.ndarray or numpy.floating
        Same shape as ``p``.

    Raises
    ------
    ValueError
        A value outside [0, 1] or NaN.

    Examples
    --------
    >>> from xentlib import binary_entropy
    >>> float(binary_entropy(0.5, base=2))
    1.0
    >>> binary_entropy([0.0, 1.0]).tolist()
    [0.0, 0.0]
    """
    arr = V.as_float(p, "p")
    V.check_unit_interval(arr, "p")
    h = -(_xlogy(arr, arr) + _xlog1py(1 - arr, -arr))
    h = np.maximum(h, 0)
    return _scalar(V.to_base(h, V.check_base(base)))


def binary_cross_entropy(
    y: ArrayLike,
    q: ArrayLike,
    *,
    base: float | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> Any:
    r"""Binary cross-entropy :math:`-y \log q - (1-y) \log(1-q)`.

    Unlike ``sklearn.metrics.log_loss``, nothing is clipped: a prediction
    of 0 for an event that happens costs ``inf``.  For logits use
    :func:`~xentlib.losses.sigmoid_binary_cross_entropy` (stable).

    Parameters
    ----------
    y : array_like
        Targets in [0, 1] (hard 0/1 labels or soft probabilities).
    q : array_like
        Predicted probabilities in [0, 1], same shape as ``y``.
    base : float, optional
        Logarithm base; ``None`` gives nats, ``2`` gives bits.
    reduction : {'mean', 'sum', 'none'}
        How to combine the elementwise losses (default mean).

    Returns
    -------
    numpy.ndarray or numpy.floating
        A scalar, or the elementwise losses for ``reduction='none'``.

    Raises
    ------
    ValueError
        Values outside [0, 1], NaN, a shape mismatch, or ``reduction='mean'``
        of empty inputs (zero total weight: 0/0).

    Examples
    --------
    >>> from xentlib import binary_cross_entropy
    >>> float(binary_cross_entropy([1, 0], [0.5, 0.5], base=2))
    1.0
    >>> float(binary_cross_entropy([1], [0.0]))
    inf
    """
    ya = V.as_array(y, "y")
    qa = V.as_array(q, "q")
    dt = V.result_dtype(ya, qa)
    ya, qa = ya.astype(dt, copy=False), qa.astype(dt, copy=False)
    V.check_reduction(reduction)
    V.check_same_shape(ya, qa, "y", "q")
    V.check_unit_interval(ya, "y")
    V.check_unit_interval(qa, "q")
    losses = -(_xlogy(ya, qa) + _xlog1py(1 - ya, -qa))
    losses = V.to_base(np.maximum(losses, 0), V.check_base(base))
    return V.reduce_losses(losses, None, reduction, weight_name="y", clip=False)


def perplexity(
    p: ArrayLike | None = None,
    *,
    nll: ArrayLike | None = None,
    base: float | None = None,
    axis: int = -1,
    normalize: bool = False,
) -> Any:
    r"""Perplexity: the effective number of equally likely outcomes.

    Two forms (give exactly one):

    * ``perplexity(p)``: of a distribution, :math:`\exp H(p)` (independent of
      the logarithm base);
    * ``perplexity(nll=losses)``: of a model on data, :math:`b^{\bar\ell}`
      where :math:`\bar\ell` is the mean of the per-token negative
      log-likelihoods ``losses`` measured in base ``b`` (``base=None``: nats,
      so :math:`e^{\bar\ell}`).

    Parameters
    ----------
    p : array_like, optional
        Probability distribution(s) along ``axis``.
    nll : array_like, optional
        Per-token negative log-likelihoods (>= 0, may be ``inf``).
    base : float, optional
        Unit of ``nll`` (ignored for ``p``).
    axis : int, optional
        Axis of the distribution in ``p``, or axis averaged over in ``nll``.
    normalize : bool, optional
        Renormalise ``p`` (see :func:`entropy`).

    Returns
    -------
    numpy.ndarray or numpy.floating
        Perplexity, >= 1.

    Raises
    ------
    ValueError
        Both or neither of ``p`` and ``nll`` given, invalid ``p`` (see
        :func:`entropy`), a negative/NaN/empty ``nll``, or a 0-d ``p`` or
        ``nll`` ("nll: expected at least one dimension (a distribution), got a
        scalar": both need the ``axis`` they are averaged over).

    Examples
    --------
    >>> from xentlib import perplexity
    >>> float(perplexity([0.25, 0.25, 0.25, 0.25]))
    4.0
    >>> float(perplexity(nll=[1.0, 3.0], base=2))
    4.0
    """
    if (p is None) == (nll is None):
        raise ValueError("p: give exactly one of p (a distribution) or nll= (per-token losses)")
    if p is not None:
        h = np.asarray(entropy(p, axis=axis, normalize=normalize))
        return _scalar(np.exp(h))
    arr = V.as_float(nll, "nll")
    ax = V.check_axis(arr, axis, "nll")
    if arr.shape[ax] == 0:
        raise ValueError("nll: empty (no tokens to average over)")
    nan = np.isnan(arr)
    if nan.any():
        raise ValueError(f"nll: contains NaN at index {V.first_index(nan)}")
    neg = arr < 0
    if neg.any():
        raise ValueError(
            f"nll: negative log-likelihoods are impossible; got a negative value at index "
            f"{V.first_index(neg)}"
        )
    b = V.check_base(base)
    mean = arr.mean(axis=ax)
    scale = np.asarray(1.0 if b is None else np.log(b), dtype=arr.dtype)
    return _scalar(np.exp(mean * scale))
