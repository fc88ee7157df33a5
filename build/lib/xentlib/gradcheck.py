"""Numerical gradients by central differences, for checking analytic gradients."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as V

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(
    f: Callable[[np.ndarray], float],
    x: ArrayLike,
    *,
    eps: float = 1e-6,
) -> np.ndarray:
    r"""Gradient of a scalar function by central differences.

    Each component is :math:`(f(x + \epsilon e_i) - f(x - \epsilon e_i)) / (2 \epsilon)`,
    computed in float64 (truncation error :math:`O(\epsilon^2)`).  ``f`` is
    called ``2 * x.size`` times with a float64 array of ``x``'s shape (a
    fresh copy each time, so ``f`` may modify it).

    Parameters
    ----------
    f : callable
        Function of one array returning a scalar.
    x : array_like
        Point at which to differentiate.
    eps : float, optional
        Step size (default ``1e-6``).

    Returns
    -------
    numpy.ndarray
        float64 array with the shape of ``x``.

    Raises
    ------
    ValueError
        Non-finite ``x`` or ``eps``, ``eps <= 0``, or ``f`` not returning a
        finite scalar.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import numerical_gradient
    >>> g = numerical_gradient(lambda v: float(np.sum(v ** 2)), [1.0, -2.0])
    >>> np.allclose(g, [2.0, -4.0])
    True
    """
    if not callable(f):
        raise TypeError(f"f: must be callable, got {type(f).__name__}")
    h = V.check_scalar(eps, "eps", low=0.0, low_open=True)
    x0 = V.as_array(x, "x").astype(np.float64)
    V.check_finite_values(x0, "x")
    grad = np.empty(x0.shape, np.float64)

    def call(v: np.ndarray) -> float:
        out = np.asarray(f(v.copy()))
        if out.size != 1:
            raise ValueError(f"f: must return a scalar, got shape {out.shape}")
        val = float(out.reshape(()))
        if not np.isfinite(val):
            raise ValueError(f"f: returned a non-finite value {val} near x")
        return val

    for i in np.ndindex(x0.shape):
        orig = x0[i]
        x0[i] = orig + h
        fp = call(x0)
        x0[i] = orig - h
        fm = call(x0)
        x0[i] = orig
        grad[i] = (fp - fm) / (2 * h)
    return grad


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    r"""Relative error :math:`\|a - b\| / \max(\|a\|, \|b\|)` (0 when both are 0).

    Parameters
    ----------
    a, b : array_like
        Arrays of the same shape (e.g. analytic and numerical gradients).

    Returns
    -------
    float
        The relative error in the Euclidean norm.

    Examples
    --------
    >>> from xentlib.gradcheck import relative_error
    >>> relative_error([1.0, 0.0], [1.0, 0.0])
    0.0
    """
    aa = np.asarray(a, np.float64)
    bb = np.asarray(b, np.float64)
    V.check_same_shape(aa, bb, "a", "b")
    scale = max(float(np.linalg.norm(aa)), float(np.linalg.norm(bb)))
    return 0.0 if scale == 0 else float(np.linalg.norm(aa - bb)) / scale
