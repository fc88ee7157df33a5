"""Log-sum-exp, softmax, log-softmax and the logistic sigmoid, computed stably.

The softmax family subtracts the maximum before exponentiating, so logits of
``1e4`` (where ``exp`` overflows) give exact results, and adds the other terms
with ``log1p``, so a term far below the maximum (``logsumexp([0, -40])`` =
4.2e-18) keeps its full relative accuracy.  NaN and ``+inf`` inputs are
errors; ``-inf`` is allowed (a masked entry, probability 0), but a
distribution whose entries are all ``-inf`` has no probability mass and is
an error for :func:`softmax` and :func:`log_softmax`.  A 0-d input is a
distribution with a single entry (as in SciPy): ``softmax(3.0)`` is 1.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as V

__all__ = ["logsumexp", "softmax", "log_softmax", "sigmoid", "log_sigmoid"]


def _prepare(x: ArrayLike, name: str, axis: int) -> tuple[np.ndarray, int, tuple[int, ...]]:
    """Validate; returns ``(array, axis, original shape)`` (0-d input as shape ``(1,)``)."""
    arr = V.as_float(x, name)
    shape = arr.shape
    if arr.ndim == 0:
        if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
            raise TypeError(f"axis: must be an integer, got {axis!r}")
        if axis not in (0, -1):
            raise ValueError(f"axis: {axis} is out of range for {name} with shape () "
                             "(a 0-d input is one distribution with a single entry: axis 0 or -1)")
        arr = arr.reshape(1)
    ax = V.check_axis(arr, axis, name)
    if arr.shape[ax] == 0:
        raise ValueError(f"{name}: empty (length 0 along axis {axis})")
    V.check_finite_values(arr, name, allow_neg_inf=True)
    return arr, ax, shape


def _temperature(arr: np.ndarray, temperature: float) -> np.ndarray:
    t = V.check_scalar(temperature, "temperature", low=0.0, low_open=True)
    if t == 1.0:
        return arr
    with np.errstate(over="ignore"):
        out = arr / np.asarray(t, dtype=arr.dtype)
    V.check_finite_values(out, "z / temperature", allow_neg_inf=True)
    return out


def _shift_and_rest(arr: np.ndarray, ax: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(m, shifted, rest)`` along ``ax`` (keepdims).

    ``m`` is the maximum (``-inf`` for an all ``-inf`` slice), ``shifted = arr - m``
    (0 where ``m`` is ``-inf``) and ``rest`` the sum of ``exp(shifted)`` over every
    entry except one maximal one, so that :math:`\\log\\sum e^x = m + \\operatorname{log1p}(rest)`
    without the cancellation of ``log(1 + rest)``.
    """
    am = np.expand_dims(np.argmax(arr, axis=ax), ax)
    m = np.take_along_axis(arr, am, axis=ax)
    shift = np.where(np.isfinite(m), m, 0)
    with np.errstate(over="ignore"):  # finite logits near -1e308 minus 1e308: -inf, exp -> 0
        shifted = arr - shift
    e = np.exp(shifted)
    np.put_along_axis(e, am, 0, axis=ax)
    return m, shifted, e.sum(axis=ax, keepdims=True)


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

    Computed as :math:`m + \operatorname{log1p}\bigl(\sum_{i \ne k} e^{x_i - m}\bigr)`
    with :math:`m = x_k = \max_i x_i`: no overflow, and terms far below the
    maximum keep their relative accuracy.  ``-inf`` entries contribute nothing
    (all ``-inf`` gives ``-inf``).

    Parameters
    ----------
    x : array_like
        Input values.  A 0-d input is one value (``logsumexp(x) == x``).
    axis : int, optional
        Axis to reduce (default ``-1``).
    keepdims : bool, optional
        Keep the reduced axis with length 1 (ignored for 0-d input).

    Returns
    -------
    numpy.ndarray or numpy.floating
        The log-sum-exp.

    Raises
    ------
    ValueError
        NaN or ``+inf`` in ``x``, an empty axis, or an ``axis`` out of range
        (for 0-d input only ``0`` and ``-1`` are valid).
    TypeError
        Non-numeric ``x`` or a non-integer ``axis``.

    Examples
    --------
    >>> from xentlib import logsumexp
    >>> float(logsumexp([1e4, 1e4]))  # naive log(sum(exp(x))) overflows
    10000.69314718056
    >>> float(logsumexp([0.0, -40.0]))  # log(1 + e^-40); naive rounds it to 0.0
    4.248354255291589e-18
    >>> float(logsumexp([0.0, -float("inf")]))
    0.0
    >>> float(logsumexp(2.5))  # 0-d: a single term
    2.5
    """
    arr, ax, shape = _prepare(x, "x", axis)
    m, _, rest = _shift_and_rest(arr, ax)
    out = m + np.log1p(rest)
    if not shape:
        return out[0]
    if not keepdims:
        out = np.squeeze(out, axis=ax)
    return out[()] if out.ndim == 0 else out


def log_softmax(z: ArrayLike, *, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    r"""Stable log-softmax :math:`z_i / T - \log \sum_j e^{z_j / T}`.

    The log-sum-exp is taken as in :func:`logsumexp` (``log1p`` of the
    non-maximal terms), so the log-probability of a dominant class keeps its
    relative accuracy: ``log_softmax([0, -40])[0]`` is :math:`-4.2 \times 10^{-18}`,
    not 0.

    Parameters
    ----------
    z : array_like
        Logits.  A 0-d input is a single class (result ``0.0``).
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
        NaN or ``+inf`` logits, an all ``-inf`` distribution, an empty axis,
        an ``axis`` out of range (for 0-d input only ``0`` and ``-1``) or a
        temperature that is not a finite number > 0.
    TypeError
        A temperature that is not a number, non-numeric ``z``.

    Examples
    --------
    >>> from xentlib import log_softmax
    >>> log_softmax([1e4, 0.0]).tolist()
    [0.0, -10000.0]
    >>> float(log_softmax([0.0, -40.0])[0])
    -4.248354255291589e-18
    """
    arr, ax, shape = _prepare(z, "z", axis)
    arr = _temperature(arr, temperature)
    m, shifted, rest = _shift_and_rest(arr, ax)
    _check_not_all_masked(m, "z", ax)
    return (shifted - np.log1p(rest)).reshape(shape)


def softmax(z: ArrayLike, *, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    r"""Stable softmax :math:`e^{z_i/T} / \sum_j e^{z_j/T}`.

    Parameters
    ----------
    z : array_like
        Logits.  A 0-d input is a single class (result ``1.0``).
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
        NaN or ``+inf`` logits, an all ``-inf`` distribution, an empty axis,
        an ``axis`` out of range (for 0-d input only ``0`` and ``-1``) or a
        temperature that is not a finite number > 0.
    TypeError
        A temperature that is not a number, non-numeric ``z``.

    Examples
    --------
    >>> from xentlib import softmax
    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    >>> softmax([1e4, 0.0]).tolist()  # naive exp(1e4) overflows to inf/inf = nan
    [1.0, 0.0]
    """
    arr, ax, shape = _prepare(z, "z", axis)
    arr = _temperature(arr, temperature)
    m, shifted, rest = _shift_and_rest(arr, ax)
    _check_not_all_masked(m, "z", ax)
    e = np.exp(shifted)
    e /= 1 + rest
    return e.reshape(shape)


def _prepare_elementwise(x: ArrayLike, name: str) -> np.ndarray:
    arr = V.as_float(x, name)
    if arr.size and np.isnan(arr).any():
        raise ValueError(f"{name}: contains NaN at index {V.first_index(np.isnan(arr))}")
    return arr


def _scalar(x: np.ndarray) -> Any:
    return x[()] if x.ndim == 0 else x


def sigmoid(x: ArrayLike) -> Any:
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, elementwise and stable.

    Evaluated as :math:`1 / (1 + e^{-x})` for :math:`x \ge 0` and as
    :math:`e^{x} / (1 + e^{x})` for :math:`x < 0`, so ``exp`` never
    overflows and tiny probabilities keep their relative accuracy
    (:math:`\sigma(-745) \approx 5 \times 10^{-324}`, not 0; the naive form
    warns about overflow there).  :math:`\sigma(\pm\infty)` is 1 and 0.

    Parameters
    ----------
    x : array_like
        Logits (log-odds).  ``±inf`` allowed.

    Returns
    -------
    numpy.ndarray or numpy.floating
        Probabilities in [0, 1], same shape as ``x`` (float32 for float32
        input, else float64).

    Raises
    ------
    ValueError
        NaN in ``x``.
    TypeError
        Non-numeric ``x``.

    See Also
    --------
    log_sigmoid : :math:`\log \sigma(x)` without underflow.

    Examples
    --------
    >>> from xentlib import sigmoid
    >>> float(sigmoid(0.0))
    0.5
    >>> sigmoid([-1000.0, 1000.0]).tolist()  # naive 1/(1+exp(1000)) warns about overflow
    [0.0, 1.0]
    >>> float(sigmoid(-40.0))  # 1 - sigmoid(40) would round this to 0
    4.248354255291589e-18
    """
    arr = _prepare_elementwise(x, "x")
    e = np.exp(-np.abs(arr))  # in (0, 1]: never overflows
    out = np.where(arr >= 0, 1 / (1 + e), e / (1 + e)).astype(arr.dtype, copy=False)
    return _scalar(out)


def log_sigmoid(x: ArrayLike) -> Any:
    r"""Log of the logistic sigmoid, :math:`\log \sigma(x) = -\operatorname{softplus}(-x)`, stable.

    Computed as :math:`\min(x, 0) - \operatorname{log1p}(e^{-|x|})`: finite for
    every finite ``x`` (``log_sigmoid(-1e4)`` is ``-1e4``, where
    ``log(sigmoid(x))`` gives ``-inf``) and accurate near 0 for large ``x``.
    :math:`\log\sigma(-\infty) = -\infty`, :math:`\log\sigma(\infty) = 0`.

    Parameters
    ----------
    x : array_like
        Logits (log-odds).  ``±inf`` allowed.

    Returns
    -------
    numpy.ndarray or numpy.floating
        Values :math:`\le 0`, same shape and dtype policy as :func:`sigmoid`.

    Raises
    ------
    ValueError
        NaN in ``x``.
    TypeError
        Non-numeric ``x``.

    Examples
    --------
    >>> from xentlib import log_sigmoid
    >>> float(log_sigmoid(-1e4))
    -10000.0
    >>> float(log_sigmoid(40.0))  # -log1p(e^-40)
    -4.248354255291589e-18
    """
    arr = _prepare_elementwise(x, "x")
    return _scalar((np.minimum(arr, 0) - np.log1p(np.exp(-np.abs(arr)))).astype(arr.dtype, copy=False))
