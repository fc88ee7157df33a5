"""Log-sum-exp, softmax and log-softmax, computed stably.

All three subtract the maximum before exponentiating, so logits of ``1e4``
(where ``exp`` overflows) give exact results.  NaN and ``+inf`` inputs are
errors; ``-inf`` is allowed (a masked entry, probability 0), but a
distribution whose entries are all ``-inf`` has no probability mass and is
an error for :func:`softmax` and :func:`log_softmax`.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as V

__all__ = ["logsumexp", "softmax", "log_softmax"]


def _prepare(x: ArrayLike, name: str, axis: int) -> tuple[np.ndarray, int]:
    arr = V.as_float(x, name)
    ax = V.check_axis(arr, axis, name)
    if arr.shape[ax] == 0:
        raise ValueError(f"{name}: empty (length 0 along axis {axis})")
    V.check_finite_values(arr, name, allow_neg_inf=True)
    return arr, ax


def _temperature(arr: np.ndarray, temperature: float) -> np.ndarray:
    t = V.check_scalar(temperature, "temperature", low=0.0, low_open=True)
    if t == 1.0:
        return arr
    out = arr / np.asarray(t, dtype=arr.dtype)
    V.check_finite_values(out, "z / temperature", allow_neg_inf=True)
    return out


def _lse(arr: np.ndarray, ax: int) -> np.ndarray:
    """log-sum-exp with keepdims; all -inf gives -inf."""
    m = arr.max(axis=ax, keepdims=True)
    shift = np.where(np.isfinite(m), m, 0)
    with np.errstate(divide="ignore"):
        s = np.exp(arr - shift).sum(axis=ax, keepdims=True)
        return np.log(s) + shift


def _check_not_all_masked(m: np.ndarray, name: str, ax: int) -> None:
    bad = m == -np.inf
    if bad.any():
        idx = np.unravel_index(int(np.argmax(bad)), bad.shape)
        loc = tuple(i for k, i in enumerate(idx) if k != ax)
        at = f" at index {V.fmt_index(loc)}" if loc else ""
        raise ValueError(
            f"{name}: every entry is -inf{at}; a distribution needs at least one finite logit"
        )


def logsumexp(x: ArrayLike, *, axis: int = -1, keepdims: bool = False) -> Any:
    r"""Stable :math:`\log \sum_i e^{x_i}` along ``axis``.

    Computed as :math:`m + \log \sum_i e^{x_i - m}` with :math:`m = \max_i x_i`.
    ``-inf`` entries contribute nothing (all ``-inf`` gives ``-inf``).

    Parameters
    ----------
    x : array_like
        Input values.
    axis : int, optional
        Axis to reduce (default ``-1``).
    keepdims : bool, optional
        Keep the reduced axis with length 1.

    Returns
    -------
    numpy.ndarray or numpy.floating
        The log-sum-exp.

    Raises
    ------
    ValueError
        NaN or ``+inf`` in ``x``, or an empty axis.

    Examples
    --------
    >>> from xentlib import logsumexp
    >>> float(logsumexp([1e4, 1e4]))  # naive log(sum(exp(x))) overflows
    10000.69314718056
    >>> float(logsumexp([0.0, -float("inf")]))
    0.0
    """
    arr, ax = _prepare(x, "x", axis)
    out = _lse(arr, ax)
    if not keepdims:
        out = np.squeeze(out, axis=ax)
    return out[()] if out.ndim == 0 else out


def log_softmax(z: ArrayLike, *, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    r"""Stable log-softmax :math:`z_i / T - \log \sum_j e^{z_j / T}`.

    Parameters
    ----------
    z : array_like
        Logits.
    axis : int, optional
        Class axis (default ``-1``).
    temperature : float, optional
        Temperature :math:`T > 0` (default 1).

    Returns
    -------
    numpy.ndarray
        Log-probabilities, same shape as ``z`` (``-inf`` where ``z`` is ``-inf``).

    Raises
    ------
    ValueError
        NaN or ``+inf`` logits, an all ``-inf`` distribution, an empty axis
        or a temperature that is not a finite number > 0.
    TypeError
        A temperature that is not a number.

    Examples
    --------
    >>> from xentlib import log_softmax
    >>> log_softmax([1e4, 0.0]).tolist()
    [0.0, -10000.0]
    """
    arr, ax = _prepare(z, "z", axis)
    arr = _temperature(arr, temperature)
    m = arr.max(axis=ax, keepdims=True)
    _check_not_all_masked(m, "z", ax)
    shifted = arr - m
    return shifted - np.log(np.exp(shifted).sum(axis=ax, keepdims=True))


def softmax(z: ArrayLike, *, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    r"""Stable softmax :math:`e^{z_i/T} / \sum_j e^{z_j/T}`.

    Parameters
    ----------
    z : array_like
        Logits.
    axis : int, optional
        Class axis (default ``-1``).
    temperature : float, optional
        Temperature :math:`T > 0`; large ``T`` flattens, small ``T`` sharpens.

    Returns
    -------
    numpy.ndarray
        Probabilities summing to 1 along ``axis``.

    Raises
    ------
    ValueError
        NaN or ``+inf`` logits, an all ``-inf`` distribution, an empty axis
        or a temperature that is not a finite number > 0.
    TypeError
        A temperature that is not a number.

    Examples
    --------
    >>> from xentlib import softmax
    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    >>> softmax([1e4, 0.0]).tolist()  # naive exp(1e4) overflows to inf/inf = nan
    [1.0, 0.0]
    """
    arr, ax = _prepare(z, "z", axis)
    arr = _temperature(arr, temperature)
    m = arr.max(axis=ax, keepdims=True)
    _check_not_all_masked(m, "z", ax)
    e = np.exp(arr - m)
    e /= e.sum(axis=ax, keepdims=True)
    return e
