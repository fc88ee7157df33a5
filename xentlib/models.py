"""Models trained in the course: a hand-written multilayer perceptron, softmax regression.

A multilayer perceptron written by hand: input -> hidden layer -> softmax output.

The forward pass::

    z1 = X @ W1 + b1          # (n, hidden)  pre-activations
    h  = act(z1)              # (n, hidden)  the hidden layer
    z2 = h @ W2 + b2          # (n, classes) the logits
    loss = softmax_cross_entropy(z2, y)   # mean over the batch, in nats

and the backward pass is the chain rule, written out line by line in
:meth:`MLP.loss_and_grad` (the gradient of the loss with respect to the
logits, softmax minus one-hot divided by ``n``, comes from
:func:`xentlib.softmax_cross_entropy`).  The tests check every gradient
against :func:`xentlib.numerical_gradient`.

Also here:

* :class:`SoftmaxRegression` -- the same model without a hidden layer;
* :class:`DenseReluSoftmax` -- a NumPy replica of the source article's Keras
  model ``Dense(4, activation='relu')`` followed by ``Softmax()`` (one weight
  layer whose four ReLU units are fed to a softmax);
* :func:`train` -- a full-batch training loop that records the loss curves;
* :func:`learning_rate_sweep`, :func:`optimizer_sweep` -- softmax regression
  trained with many learning rates at once (chapter 6's learning-rate FAQ).

Examples
--------
>>> from xentlib import data, models, optim
>>> X, y = data.make_moons(200, seed=0)
>>> net = models.MLP(2, 16, 2, seed=0)
>>> hist = models.train(net, X, y, optim.Adam(lr=0.05), steps=200)
>>> hist["train_loss"][-1] < hist["train_loss"][0]
True
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from .data import rng_from
from .gradcheck import numerical_gradient
from .losses import softmax_cross_entropy
from .softmax import softmax

__all__ = ["MLP", "SoftmaxRegression", "DenseReluSoftmax", "train", "accuracy", "decision_grid",
           "gradient_check", "steps_to_gradnorm", "LEARNING_RATES", "learning_rate_sweep", "optimizer_sweep"]




_ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    # name: (f(z), f'(z) given z)
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(z.dtype)),
}


def accuracy(model, X, y) -> float:
    """Fraction of samples whose arg-max class equals the label."""
    return float(np.mean(model.predict(X) == np.asarray(y)))


class _Model:
    params: dict[str, np.ndarray]

    def logits(self, X) -> np.ndarray:
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (softmax of the logits)."""
        return softmax(self.logits(X))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each sample."""
        return np.argmax(self.logits(X), axis=-1)

    def loss(self, X, y) -> float:
        """Mean cross-entropy in nats."""
        return float(softmax_cross_entropy(self.logits(X), np.asarray(y)))

    def accuracy(self, X, y) -> float:
        return accuracy(self, X, y)

    def n_params(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    def copy(self):
        import copy
        new = copy.copy(self)
        new.params = {k: v.copy() for k, v in self.params.items()}
        return new

    def _check(self, X, y):
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.n_in:
            raise ValueError(f"X: expected shape (n, {self.n_in}), got {X.shape}")
        y = np.asarray(y)
        if y.shape != (X.shape[0],) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"y: expected {X.shape[0]} integer class indices, got shape {y.shape}, "
                             f"dtype {y.dtype}")
        if y.size and (y.min() < 0 or y.max() >= self.n_out):
            raise ValueError(f"y: class indices must be in [0, {self.n_out}), got {y.min()}..{y.max()}")
        return X, y


class MLP(_Model):
    """Input -> one hidden layer (``tanh`` or ``relu``) -> softmax output.

    Parameters ``W1 (n_in, hidden)``, ``b1``, ``W2 (hidden, n_out)``, ``b2``
    live in the dict ``self.params`` (what the optimizers update).  Weights
    start from Glorot-normal values drawn with ``seed``; biases start at 0.
    """

    def __init__(self, n_in: int, n_hidden: int, n_out: int, *, activation: str = "tanh",
                 seed: Any = 0, dtype=np.float64):
        for name, v in (("n_in", n_in), ("n_hidden", n_hidden), ("n_out", n_out)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"{name}: must be a positive int, got {v!r}")
        if n_out < 2:
            raise ValueError(f"n_out: a softmax classifier needs at least 2 classes, got {n_out}")
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation: choose one of {list(_ACTIVATIONS)}, got {activation!r}")
        rng = rng_from(seed)
        self.n_in, self.n_hidden, self.n_out = int(n_in), int(n_hidden), int(n_out)
        self.activation = activation
        self.dtype = np.dtype(dtype)
        s1 = math.sqrt(2.0 / (n_in + n_hidden))
        s2 = math.sqrt(2.0 / (n_hidden + n_out))
        self.params = {
            "W1": (rng.normal(size=(n_in, n_hidden)) * s1).astype(self.dtype),
            "b1": np.zeros(n_hidden, dtype=self.dtype),
            "W2": (rng.normal(size=(n_hidden, n_out)) * s2).astype(self.dtype),
            "b2": np.zeros(n_out, dtype=self.dtype),
        }

    def hidden(self, X) -> np.ndarray:
        """The hidden layer's activations ``act(X @ W1 + b1)``."""
        f, _ = _ACTIVATIONS[self.activation]
        p = self.params
        return f(np.asarray(X, dtype=self.dtype) @ p["W1"] + p["b1"])

    def logits(self, X) -> np.ndarray:
        p = self.params
        return self.hidden(X) @ p["W2"] + p["b2"]

    def loss_and_grad(self, X, y) -> tuple[float, dict[str, np.ndarray]]:
        """Mean cross-entropy (nats) and its gradient for every parameter."""
        X, y = self._check(X, y)
        p = self.params
        f, fprime = _ACTIVATIONS[self.activation]
        # forward
        z1 = X @ p["W1"] + p["b1"]
        h = f(z1)
        z2 = h @ p["W2"] + p["b2"]
        loss, dz2 = softmax_cross_entropy(z2, y, return_grad=True)   # dz2 = (softmax(z2) - onehot(y)) / n
        # backward (chain rule, layer by layer)
        dW2 = h.T @ dz2
        db2 = dz2.sum(axis=0)
        dh = dz2 @ p["W2"].T
        dz1 = dh * fprime(z1)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return float(loss), {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


class SoftmaxRegression(_Model):
    """Multinomial logistic regression: ``logits = X @ W + b`` (no hidden layer)."""

    def __init__(self, n_in: int, n_out: int, *, seed: Any = 0, scale: float = 0.0, dtype=np.float64):
        if n_out < 2:
            raise ValueError(f"n_out: a softmax classifier needs at least 2 classes, got {n_out}")
        rng = rng_from(seed)
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.dtype = np.dtype(dtype)
        self.params = {"W": (scale * rng.normal(size=(n_in, n_out))).astype(self.dtype),
                       "b": np.zeros(n_out, dtype=self.dtype)}

    def logits(self, X):
        return np.asarray(X, dtype=self.dtype) @ self.params["W"] + self.params["b"]

    def loss_and_grad(self, X, y):
        X, y = self._check(X, y)
        loss, dz = softmax_cross_entropy(self.logits(X), y, return_grad=True)
        return float(loss), {"W": X.T @ dz, "b": dz.sum(axis=0)}


class DenseReluSoftmax(_Model):
    """NumPy replica of the source's Keras model (§4.2)::

        tf.keras.Sequential([
            tf.keras.layers.Dense(4, activation='relu', input_shape=(2,)),
            tf.keras.layers.Softmax()])

    One weight layer ``W (n_in, units)``, ``b (units,)``; its ``units`` ReLU
    outputs are the *logits* of a ``units``-class softmax.  There is no hidden
    layer.  Weights start Glorot-uniform, biases at zero, as in Keras.
    """

    def __init__(self, n_in: int = 2, units: int = 4, *, seed: Any = 0, dtype=np.float64):
        rng = rng_from(seed)
        self.n_in, self.n_out = int(n_in), int(units)
        self.dtype = np.dtype(dtype)
        limit = math.sqrt(6.0 / (n_in + units))
        self.params = {"W": rng.uniform(-limit, limit, size=(n_in, units)).astype(self.dtype),
                       "b": np.zeros(units, dtype=self.dtype)}

    def logits(self, X):
        z = np.asarray(X, dtype=self.dtype) @ self.params["W"] + self.params["b"]
        return np.maximum(z, 0.0)

    def n_weight_layers(self) -> int:
        """Layers that own weights (Keras' Softmax layer has none)."""
        return 1

    def loss_and_grad(self, X, y):
        X, y = self._check(X, y)
        z = X @ self.params["W"] + self.params["b"]
        a = np.maximum(z, 0.0)
        loss, da = softmax_cross_entropy(a, y, return_grad=True)
        dz = da * (z > 0)
        return float(loss), {"W": X.T @ dz, "b": dz.sum(axis=0)}


def train(model, X, y, optimizer, steps: int, *, X_test=None, y_test=None,
          record_every: int = 1, schedule: Callable[[int], float] | None = None,
          progress_every: int | None = None, label: str = "") -> dict[str, Any]:
    """Full-batch training: ``steps`` optimizer steps on the whole of ``X, y``.

    Records, every ``record_every`` steps (and at the end), the training loss
    (nats) and accuracy and, if a test set is given, the test loss and
    accuracy.  ``schedule(t)`` sets the learning rate before step ``t``.
    ``progress_every`` prints one deterministic line every so many steps (use
    it for loops that run longer than about 2 s).

    Returns a dict of lists: ``step``, ``train_loss``, ``train_acc``,
    ``test_loss``, ``test_acc`` (the last two empty without a test set) and
    ``seconds`` (wall time, for ratios only).
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps: must be a non-negative int, got {steps!r}")
    y = np.asarray(y)
    hist: dict[str, Any] = {"step": [], "train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    start = time.perf_counter()

    def record(t: int, loss: float) -> None:
        hist["step"].append(t)
        hist["train_loss"].append(loss)
        hist["train_acc"].append(model.accuracy(X, y))
        if X_test is not None:
            hist["test_loss"].append(model.loss(X_test, y_test))
            hist["test_acc"].append(model.accuracy(X_test, y_test))

    for t in range(int(steps)):
        loss, grads = model.loss_and_grad(X, y)
        if t % record_every == 0:
            record(t, loss)
        if progress_every and t > 0 and t % progress_every == 0:
            msg = f"{label}step {t:5d}/{steps}: train loss {loss:.3f} nats"
            if X_test is not None:
                msg += f", test loss {hist['test_loss'][-1]:.3f} nats"
            print(msg, flush=True)
        if schedule is not None:
            optimizer.lr = float(schedule(t))
        optimizer.step(model.params, grads)
    record(int(steps), model.loss(X, y))
    if progress_every:
        print(f"{label}done: {steps} steps, final train loss {hist['train_loss'][-1]:.3f} nats", flush=True)
    hist["seconds"] = time.perf_counter() - start
    return hist


def decision_grid(model, xlim: tuple[float, float], ylim: tuple[float, float], n: int = 200):
    """Evaluate a 2-input classifier on an ``n x n`` grid (for decision-boundary plots).

    Returns ``xx, yy, p1`` where ``p1`` is the predicted probability of class 1
    at each grid point (shape ``(n, n)``).
    """
    xs = np.linspace(xlim[0], xlim[1], n)
    ys = np.linspace(ylim[0], ylim[1], n)
    xx, yy = np.meshgrid(xs, ys)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    p1 = model.predict_proba(grid)[:, 1].reshape(xx.shape)
    return xx, yy, p1


def gradient_check(model, X, y, *, eps: float = 1e-6) -> dict[str, float]:
    """Largest relative error of :meth:`loss_and_grad` against central differences.

    Uses :func:`xentlib.numerical_gradient` on every parameter array; returns
    ``{name: max |analytic - numeric| / max(|analytic| + |numeric|, 1e-12)}``.
    """

    _, grads = model.loss_and_grad(X, y)
    out = {}
    for name, value in model.params.items():
        original = value.copy()

        def f(v, name=name):
            model.params[name] = v
            try:
                return model.loss(X, y)
            finally:
                model.params[name] = original

        num = numerical_gradient(f, original.copy(), eps=eps)
        model.params[name] = original
        denom = np.maximum(np.abs(grads[name]) + np.abs(num), 1e-12)
        out[name] = float(np.max(np.abs(grads[name] - num) / denom))
    return out


def steps_to_gradnorm(model, X, y, optimizer, *, tol: float = 1e-3, max_steps: int = 10_000) -> int:
    """Number of full-batch steps until the gradient norm falls below ``tol``.

    Returns ``max_steps`` if it never does.  The norm is over all parameters
    together (a measure of how far from a stationary point the model is).
    """
    for t in range(int(max_steps)):
        _, grads = model.loss_and_grad(X, y)
        if math.sqrt(sum(float(np.sum(g * g)) for g in grads.values())) < tol:
            return t
        optimizer.step(model.params, grads)
    return int(max_steps)




#: Learning rates tried by :func:`learning_rate_sweep` (a log grid).
LEARNING_RATES: tuple[float, ...] = (1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0)


def learning_rate_sweep(x, y, lrs=LEARNING_RATES, steps: int = 25):
    """Full-batch gradient descent on softmax regression for each learning rate.

    Returns an array ``(len(lrs), steps + 1)`` of training losses in nats
    (the start, all weights 0, included).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y)
    lrs = np.asarray(lrs, dtype=float)
    n, d = x.shape
    k = int(np.max(y)) + 1
    n_lr = lrs.shape[0]
    # all learning rates at once: one (n_lr * n, k) batch of logits per step
    w, b = np.zeros((n_lr, d, k)), np.zeros((n_lr, 1, k))
    yy = np.tile(y, n_lr)
    curves = np.empty((n_lr, steps + 1))
    for t in range(steps + 1):
        z = np.einsum("nd,ldk->lnk", x, w) + b
        loss, g = softmax_cross_entropy(z.reshape(-1, k), yy, reduction="none", return_grad=True)
        curves[:, t] = np.asarray(loss).reshape(n_lr, n).mean(axis=1)
        g = np.asarray(g).reshape(n_lr, n, k) / n        # gradient of each run's mean loss
        w -= lrs[:, None, None] * np.einsum("nd,lnk->ldk", x, g)
        b -= lrs[:, None, None] * g.sum(axis=1, keepdims=True)
    return curves


def optimizer_sweep(x, y, make_optimizer, lrs, steps: int = 25):
    """Like :func:`learning_rate_sweep`, with any :mod:`xentlib.optim` optimizer.

    ``make_optimizer(lr)`` returns a fresh optimizer.  Returns the final
    training loss (nats) for each learning rate.
    """
    x = np.asarray(x, dtype=float)
    k = int(np.max(y)) + 1
    final = np.empty(len(lrs))
    for i, lr in enumerate(lrs):
        params = {"w": np.zeros((x.shape[1], k)), "b": np.zeros(k)}
        opt = make_optimizer(lr)
        for _ in range(steps):
            _, g = softmax_cross_entropy(x @ params["w"] + params["b"], y, return_grad=True)
            opt.step(params, {"w": x.T @ g, "b": g.sum(axis=0)})
        final[i] = float(softmax_cross_entropy(x @ params["w"] + params["b"], y))
    return final
