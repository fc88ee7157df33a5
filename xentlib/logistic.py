"""A sigmoid unit (logistic regression): objectives and small experiments.

* :func:`logistic_objective`, :func:`logistic_loss_grid` -- the mean binary
  cross-entropy (nats) of logistic regression as a function of its weights;
* :func:`gradient_ce_vs_mse` -- the gradient of cross-entropy versus squared
  error with respect to the logit of a sigmoid output;
* :func:`train_sigmoid_unit` -- gradient descent on one feature with either
  loss, for the "why not squared error" experiments of chapters 3 and 6.

Examples
--------
>>> import numpy as np
>>> from xentlib import logistic
>>> d_ce, d_mse = logistic.gradient_ce_vs_mse([-6.0], [1.0])
>>> bool(abs(d_ce[0]) > 100 * abs(d_mse[0]))
True
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .gradcheck import numerical_gradient
from .losses import sigmoid_binary_cross_entropy
from .softmax import sigmoid

__all__ = ["logistic_objective", "logistic_loss_grid", "gradient_ce_vs_mse", "train_sigmoid_unit"]


def _binary_data(X: ArrayLike, y: ArrayLike, n_features: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``X`` as a 2-D float64 array and ``y`` as matching 0/1 float64 labels."""
    Xa = np.asarray(X, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if Xa.ndim != 2 or (n_features is not None and Xa.shape[1] != n_features):
        want = f"(n, {n_features})" if n_features is not None else "(n, features)"
        raise ValueError(f"X: expected shape {want}, got {Xa.shape}")
    if ya.shape != (Xa.shape[0],):
        raise ValueError(f"y: expected shape ({Xa.shape[0]},), one 0/1 label per row of X, got {ya.shape}")
    return Xa, ya


def logistic_objective(X: ArrayLike, y: ArrayLike, *,
                       pos_weight: float | None = None) -> Callable[[ArrayLike], tuple[float, NDArray[np.float64]]]:
    """Mean binary cross-entropy of a logistic model ``P(y=1|x) = sigmoid(x . w)``, as ``w -> (loss, grad)``.

    The loss is computed by :func:`xentlib.losses.sigmoid_binary_cross_entropy`;
    handy for drawing optimizer trajectories over a 2-D weight plane
    (:func:`xentlib.optim.run`).

    Parameters
    ----------
    X : array_like
        Inputs, shape ``(n, d)`` (no bias column is added).
    y : array_like
        Labels 0 or 1 (or probabilities in [0, 1]), shape ``(n,)``.
    pos_weight : float, optional
        Weight of the positive examples' loss (as in
        :func:`xentlib.losses.sigmoid_binary_cross_entropy`; default 1): the
        class weight of class 1 relative to class 0, for imbalanced data.

    Returns
    -------
    callable
        ``f(w) -> (loss, grad)``: the mean loss in nats at ``w`` (shape
        ``(d,)``) and its gradient ``X.T @ (sigmoid(X w) - y) / n``.

    Raises
    ------
    ValueError
        ``X`` not 2-D or ``y`` not one label per row.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import logistic
    >>> f = logistic.logistic_objective([[1.0, 0.0], [0.0, 2.0]], [1, 0])
    >>> loss, grad = f(np.zeros(2))
    >>> round(loss, 6), grad.tolist()        # ln 2; (0.5 - y) x averaged
    (0.693147, [-0.25, 0.5])
    >>> loss, grad = logistic.logistic_objective([[1.0, 0.0], [0.0, 2.0]], [1, 0], pos_weight=3.0)(np.zeros(2))
    >>> round(loss, 6), grad.tolist()        # (3 ln 2 + ln 2) / 2; the positive term counts 3 times
    (1.386294, [-0.75, 0.5])
    """
    Xa, ya = _binary_data(X, y)

    def f(w: ArrayLike) -> tuple[float, NDArray[np.float64]]:
        z = Xa @ np.asarray(w, dtype=np.float64)
        loss, dz = sigmoid_binary_cross_entropy(z, ya, pos_weight=pos_weight, return_grad=True)
        return float(loss), Xa.T @ dz
    return f


def logistic_loss_grid(X: ArrayLike, y: ArrayLike, w1: ArrayLike, w2: ArrayLike) -> NDArray[np.float64]:
    """Mean binary cross-entropy (nats) of ``sigmoid(x . w)`` for every ``w = (w1, w2)`` on a grid.

    Parameters
    ----------
    X : array_like
        Inputs with two columns, shape ``(n, 2)``.
    y : array_like
        Labels 0 or 1, shape ``(n,)``.
    w1, w2 : array_like
        The two weights at every grid point, arrays of the same shape (for
        example from ``numpy.meshgrid``).

    Returns
    -------
    numpy.ndarray
        The mean loss in nats at every grid point, of the shape of ``w1``
        (for contour plots).

    Raises
    ------
    ValueError
        ``X`` without two columns, ``y`` not one label per row, or ``w1`` and
        ``w2`` of different shapes.

    Examples
    --------
    >>> from xentlib import logistic
    >>> logistic.logistic_loss_grid([[1.0, 1.0]], [1], [[0.0]], [[0.0]]).round(6)   # ln 2 at w = 0
    array([[0.693147]])
    """
    Xa, ya = _binary_data(X, y, n_features=2)
    w1a = np.asarray(w1, dtype=np.float64)
    w2a = np.asarray(w2, dtype=np.float64)
    if w1a.shape != w2a.shape:
        raise ValueError(f"w2: expected the shape of w1 {w1a.shape}, got {w2a.shape}")
    W = np.stack([w1a.ravel(), w2a.ravel()])                    # (2, m)
    Z = (Xa @ W).T                                              # (m, n)
    Y = np.broadcast_to(ya, Z.shape)
    losses = sigmoid_binary_cross_entropy(Z, Y, reduction="none").mean(axis=1)
    return losses.reshape(w1a.shape)


def gradient_ce_vs_mse(z: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gradients with respect to the logit ``z`` of a sigmoid output, per example.

    The derivative of the binary cross-entropy ``-y ln q - (1-y) ln(1-q)``
    (nats) is ``q - y``; that of the squared error ``(q - y)^2`` is
    ``2 (q - y) q (1 - q)``, which vanishes when the sigmoid saturates, even
    when the prediction is confidently wrong.  The cross-entropy gradient
    comes from :func:`xentlib.losses.sigmoid_binary_cross_entropy`; the
    squared-error one from :func:`xentlib.gradcheck.numerical_gradient` (no
    formula typed in).

    Parameters
    ----------
    z : array_like
        Logits (one per example).
    y : array_like
        Targets 0 or 1, broadcast to the shape of ``z``.

    Returns
    -------
    d_ce : numpy.ndarray
        ``d/dz`` of the cross-entropy of each example, in nats per unit of logit.
    d_mse : numpy.ndarray
        ``d/dz`` of the squared error of each example.

    Raises
    ------
    ValueError
        ``y`` does not broadcast to the shape of ``z``, or bad values (from
        the loss).

    Examples
    --------
    >>> from xentlib import logistic
    >>> d_ce, d_mse = logistic.gradient_ce_vs_mse([0.0], [1.0])   # q = 1/2
    >>> round(float(d_ce[0]), 6), round(float(d_mse[0]), 6)        # q - y, 2 (q - y) q (1 - q)
    (-0.5, -0.25)
    """
    za = np.atleast_1d(np.asarray(z, dtype=float))
    try:
        ya = np.broadcast_to(np.asarray(y, dtype=float), za.shape).copy()
    except ValueError:
        raise ValueError(f"y: cannot broadcast shape {np.shape(y)} to the shape of z {za.shape}") from None
    _, d_ce = sigmoid_binary_cross_entropy(za, ya, reduction="sum", return_grad=True)
    d_mse = numerical_gradient(lambda v: float(np.sum((sigmoid(v) - ya) ** 2)), za.copy())
    return np.asarray(d_ce, dtype=float), np.asarray(d_mse, dtype=float)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value):
        raise ValueError(f"{name}: must be a finite number, got {value!r}")
    return float(value)


def train_sigmoid_unit(x: ArrayLike, y: ArrayLike, *, loss: str = "ce", w0: float = -6.0, b0: float = 0.0,
                       lr: float = 1.0, steps: int = 100) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Train ``q = sigmoid(w x + b)`` by full-batch gradient descent on one feature.

    ``loss="ce"`` minimises the mean binary cross-entropy, ``loss="mse"`` the
    mean squared error ``(q - y)^2``.  The start ``w0 = -6`` is confidently
    wrong when ``y`` increases with ``x``: the squared error's gradient is
    then tiny and training stalls (chapters 3 and 6).

    Parameters
    ----------
    x : array_like
        The feature, shape ``(n,)``.
    y : array_like
        Labels 0 or 1, shape ``(n,)``.
    loss : {"ce", "mse"}, optional
        The loss minimised.
    w0, b0 : float, optional
        Starting weight and bias.
    lr : float, optional
        Learning rate, a finite number > 0.
    steps : int, optional
        Number of gradient-descent steps, >= 0.

    Returns
    -------
    ce : numpy.ndarray
        Shape ``(steps + 1,)``: the mean binary cross-entropy in nats after
        each step, the start included (the same yardstick for both losses).
    acc : numpy.ndarray
        Shape ``(steps + 1,)``: the accuracy (fraction, threshold ``q = 1/2``).

    Raises
    ------
    ValueError
        Unknown ``loss``, ``lr`` not a finite number > 0, ``steps`` negative,
        or ``x`` and ``y`` of different shapes.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import logistic
    >>> x, y = np.array([-1.0, 1.0]), np.array([0.0, 1.0])
    >>> ce, acc = logistic.train_sigmoid_unit(x, y, loss="ce", steps=50)
    >>> float(acc[0]), float(acc[-1]), bool(ce[-1] < ce[0])
    (0.0, 1.0, True)
    """
    if loss not in ("ce", "mse"):
        raise ValueError(f"loss: must be 'ce' or 'mse', got {loss!r}")
    lr = _number(lr, "lr")
    if lr <= 0:
        raise ValueError(f"lr: must be a finite number > 0, got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps: must be a non-negative int, got {steps!r}")
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    if xa.ndim != 1 or ya.shape != xa.shape:
        raise ValueError(f"y: expected the shape of x {xa.shape} (one feature per example), got {ya.shape}")
    w, b = _number(w0, "w0"), _number(b0, "b0")
    ce, acc = np.empty(steps + 1), np.empty(steps + 1)
    for t in range(steps + 1):
        z = w * xa + b
        ce[t], d_ce = sigmoid_binary_cross_entropy(z, ya, return_grad=True)
        acc[t] = np.mean((z > 0) == (ya == 1))
        if loss == "ce":
            dz = d_ce
        else:
            q = sigmoid(z)
            dz = 2.0 * (q - ya) * q * (1.0 - q) / ya.size
        w -= lr * float(np.dot(dz, xa))
        b -= lr * float(np.sum(dz))
    return ce, acc
