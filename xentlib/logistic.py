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

from collections.abc import Callable

import numpy as np

from .gradcheck import numerical_gradient
from .losses import sigmoid_binary_cross_entropy

__all__ = ["logistic_objective", "logistic_loss_grid", "gradient_ce_vs_mse", "train_sigmoid_unit"]


def logistic_objective(X, y) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Binary cross-entropy of a logistic model ``P(y=1|x) = sigmoid(x . w)``, as ``w -> (loss, grad)``.

    The loss is the mean binary cross-entropy in nats, computed by
    :func:`xentlib.sigmoid_binary_cross_entropy`; handy for drawing optimizer
    trajectories over a 2-D weight plane (:func:`xentlib.optim.run`).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)

    def f(w):
        z = X @ np.asarray(w, dtype=np.float64)
        loss, dz = sigmoid_binary_cross_entropy(z, y, return_grad=True)
        return float(loss), X.T @ dz
    return f


def logistic_loss_grid(X, y, w1, w2) -> np.ndarray:
    """Mean binary cross-entropy (nats) of ``sigmoid(x . w)`` for every ``w = (w1, w2)`` on a grid.

    ``w1`` and ``w2`` are arrays of the same shape (e.g. from ``np.meshgrid``);
    ``X`` has two columns.  Returns an array of that shape (for contour plots).
    """
    X = np.asarray(X, dtype=np.float64)
    w1 = np.asarray(w1, dtype=np.float64)
    W = np.stack([w1.ravel(), np.asarray(w2, dtype=np.float64).ravel()])   # (2, m)
    Z = (X @ W).T                                                          # (m, n)
    Y = np.broadcast_to(np.asarray(y, dtype=np.float64), Z.shape)
    losses = sigmoid_binary_cross_entropy(Z, Y, reduction="none").mean(axis=1)
    return losses.reshape(w1.shape)


def _sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


def gradient_ce_vs_mse(z, y):
    """Gradients with respect to the logit ``z`` of a sigmoid output, per example.

    Returns ``(d_ce, d_mse)``: the derivative of the binary cross-entropy
    ``-y ln q - (1-y) ln(1-q)`` (nats) and of the squared error ``(q - y)^2``,
    with ``q = sigmoid(z)``.  The cross-entropy gradient comes from
    :func:`xentlib.sigmoid_binary_cross_entropy`; the squared-error one from
    :func:`xentlib.numerical_gradient` (no formula typed in).
    """
    z = np.atleast_1d(np.asarray(z, dtype=float))
    y = np.broadcast_to(np.asarray(y, dtype=float), z.shape).copy()
    _, d_ce = sigmoid_binary_cross_entropy(z, y, reduction="sum", return_grad=True)
    d_mse = numerical_gradient(lambda v: float(np.sum((_sigmoid(v) - y) ** 2)), z.copy())
    return np.asarray(d_ce, dtype=float), np.asarray(d_mse, dtype=float)


def train_sigmoid_unit(x, y, *, loss: str = "ce", w0: float = -6.0, b0: float = 0.0,
                       lr: float = 1.0, steps: int = 100):
    """Train ``q = sigmoid(w x + b)`` by full-batch gradient descent on one feature.

    ``loss="ce"`` minimises the mean binary cross-entropy, ``loss="mse"`` the
    mean squared error ``(q - y)^2``.  The start ``w0 = -6`` is confidently
    wrong when ``y`` increases with ``x``.  Returns ``(ce, acc)``: the binary
    cross-entropy in nats (the same yardstick for both runs) and the accuracy
    after each step (the start included).
    """
    if loss not in ("ce", "mse"):
        raise ValueError(f"loss must be 'ce' or 'mse', got {loss!r}")
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w, b = float(w0), float(b0)
    ce, acc = np.empty(steps + 1), np.empty(steps + 1)
    for t in range(steps + 1):
        z = w * x + b
        ce[t], d_ce = sigmoid_binary_cross_entropy(z, y, return_grad=True)
        acc[t] = np.mean((z > 0) == (y == 1))
        if loss == "ce":
            dz = d_ce
        else:
            q = _sigmoid(z)
            dz = 2.0 * (q - y) * q * (1.0 - q) / y.size
        w -= lr * float(np.dot(dz, x))
        b -= lr * float(np.sum(dz))
    return ce, acc
