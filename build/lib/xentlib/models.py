"""Models trained in the course: a hand-written multilayer perceptron, softmax regression.

Every model keeps its parameters in a dict ``params`` of NumPy arrays (what
the optimizers of :mod:`xentlib.optim` update in place), takes inputs ``X`` of
shape ``(n, n_in)`` and integer class indices ``y`` (the target of the loss),
and reports its loss as the mean softmax cross-entropy in nats.

:class:`MLP` is a multilayer perceptron written by hand: input -> hidden
layer -> softmax output.

The forward pass::

    z1 = X @ W1 + b1          # (n, hidden)  pre-activations
    h  = act(z1)              # (n, hidden)  the hidden layer
    z2 = h @ W2 + b2          # (n, classes) the logits
    loss = softmax_cross_entropy(z2, y)   # mean over the batch, in nats

and the backward pass is the chain rule, written out line by line in
:meth:`MLP.loss_and_grad` (the gradient of the loss with respect to the
logits, softmax minus one-hot divided by ``n``, comes from
:func:`xentlib.losses.softmax_cross_entropy`).  The tests check every gradient
against :func:`xentlib.gradcheck.numerical_gradient` (see :func:`gradient_check`).

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

import copy
import math
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol, Self

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from .data import Seed, rng_from
from .gradcheck import numerical_gradient
from .losses import softmax_cross_entropy
from .optim import Optimizer
from .softmax import softmax

__all__ = ["MLP", "SoftmaxRegression", "DenseReluSoftmax", "train", "accuracy", "decision_grid",
           "gradient_check", "steps_to_gradnorm", "LEARNING_RATES", "learning_rate_sweep", "optimizer_sweep"]


class _Classifier(Protocol):
    """What :func:`accuracy` and :func:`decision_grid` need of a model."""

    def predict(self, X: ArrayLike) -> np.ndarray: ...

    def predict_proba(self, X: ArrayLike) -> np.ndarray: ...


class _Elementwise(Protocol):
    def __call__(self, z: np.ndarray, /) -> np.ndarray: ...


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _relu_prime(z: np.ndarray) -> np.ndarray:
    return (z > 0).astype(z.dtype)


def _tanh_prime(z: np.ndarray) -> np.ndarray:
    return 1.0 - np.tanh(z) ** 2


_ACTIVATIONS: dict[str, tuple[_Elementwise, _Elementwise]] = {
    # name: (f(z), f'(z) given z)
    "tanh": (np.tanh, _tanh_prime),
    "relu": (_relu, _relu_prime),
}


def _check_size(value: Any, name: str, minimum: int = 1) -> int:
    """``value`` as an int; raise naming ``name`` unless it is an int >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
    if value < minimum:
        what = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        raise ValueError(f"{name}: must be {what}, got {value!r}")
    return int(value)


def _check_steps(value: Any, name: str = "steps") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name}: must be a non-negative int, got {value!r}")
    return int(value)


def _check_lrs(lrs: ArrayLike) -> NDArray[np.float64]:
    """Learning rates as a 1-D float array; raise naming ``lrs`` unless all are finite and > 0."""
    arr = np.atleast_1d(np.asarray(lrs, dtype=np.float64))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"lrs: expected a non-empty 1-D sequence of learning rates, got shape {arr.shape}")
    bad = ~np.isfinite(arr) | (arr <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"lrs: learning rates must be finite numbers > 0, got {arr[i]!r} at index {i}")
    return arr


def _check_dataset(X: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.integer]]:
    """``X`` as a 2-D float64 array and ``y`` as matching non-negative class indices."""
    Xa = np.asarray(X, dtype=np.float64)
    ya = np.asarray(y)
    if Xa.ndim != 2 or Xa.shape[0] < 1:
        raise ValueError(f"X: expected shape (n, features) with n >= 1, got {Xa.shape}")
    if ya.shape != (Xa.shape[0],) or not np.issubdtype(ya.dtype, np.integer):
        raise ValueError(f"y: expected {Xa.shape[0]} integer class indices, got shape {ya.shape}, dtype {ya.dtype}")
    if ya.min() < 0:
        raise ValueError(f"y: class indices must be >= 0, got {ya.min()}")
    return Xa, ya


def accuracy(model: _Classifier, X: ArrayLike, y: ArrayLike) -> float:
    """Fraction of samples whose arg-max class equals the target class.

    Parameters
    ----------
    model : model
        Anything with a ``predict(X)`` method returning class indices (every
        model of this module).
    X : array_like
        Inputs, one sample per row.
    y : array_like
        Integer class indices, one per row of ``X``.

    Returns
    -------
    float
        A fraction in [0, 1] (no unit).

    Raises
    ------
    ValueError
        ``y`` does not have one entry per row of ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import models
    >>> net = models.SoftmaxRegression(1, 2)
    >>> net.params["W"][:] = [[-1.0, 1.0]]          # class 1 when x > 0
    >>> models.accuracy(net, [[-2.0], [3.0], [1.0]], [0, 1, 0])
    0.6666666666666666
    """
    pred = np.asarray(model.predict(X))
    ya = np.asarray(y)
    if ya.shape != pred.shape:
        raise ValueError(f"y: expected shape {pred.shape} (one class index per row of X), got {ya.shape}")
    return float(np.mean(pred == ya))


class _Model:
    """Shared methods of the models: prediction, loss, accuracy, copies, input checks."""

    params: dict[str, np.ndarray]
    n_in: int
    n_out: int
    dtype: np.dtype

    def logits(self, X: ArrayLike) -> np.ndarray:
        """The logits (pre-softmax scores), shape ``(n, n_out)``."""
        raise NotImplementedError

    def loss_and_grad(self, X: ArrayLike, y: ArrayLike) -> tuple[float, dict[str, np.ndarray]]:
        """Mean cross-entropy (nats) and its gradient for every parameter."""
        raise NotImplementedError

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities, the softmax of the logits.

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, n_out)``; every row sums to 1.

        Examples
        --------
        >>> from xentlib import models
        >>> models.SoftmaxRegression(2, 4).predict_proba([[1.0, 2.0]])   # all weights 0
        array([[0.25, 0.25, 0.25, 0.25]])
        """
        return softmax(self.logits(X))

    def predict(self, X: ArrayLike) -> np.ndarray:
        """The most probable class of each sample.

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n,)``, integer class indices (the first on ties).

        Examples
        --------
        >>> from xentlib import models
        >>> net = models.SoftmaxRegression(1, 3)
        >>> net.params["b"][:] = [0.0, 2.0, 1.0]
        >>> net.predict([[5.0], [-5.0]])
        array([1, 1])
        """
        return np.argmax(self.logits(X), axis=-1)

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """Mean softmax cross-entropy of the model on ``(X, y)``, in nats.

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.
        y : array_like
            Shape ``(n,)``, integer class indices in ``[0, n_out)``.

        Returns
        -------
        float
            The loss in nats (divide by ``ln 2`` for bits).

        Raises
        ------
        ValueError
            ``y`` has the wrong shape or an index out of range.

        Examples
        --------
        >>> from xentlib import models
        >>> round(models.SoftmaxRegression(2, 4).loss([[1.0, 2.0]], [3]), 6)   # ln 4
        1.386294
        """
        return float(softmax_cross_entropy(self.logits(X), np.asarray(y)))

    def accuracy(self, X: ArrayLike, y: ArrayLike) -> float:
        """Fraction of ``X`` classified as ``y`` says (see :func:`accuracy`).

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.
        y : array_like
            Shape ``(n,)``, integer class indices.

        Returns
        -------
        float
            A fraction in [0, 1].

        Examples
        --------
        >>> from xentlib import models
        >>> models.SoftmaxRegression(2, 2).accuracy([[1.0, 2.0], [0.0, 1.0]], [0, 1])   # ties: class 0
        0.5
        """
        return accuracy(self, X, y)

    def n_params(self) -> int:
        """Number of trainable numbers (the sizes of all parameter arrays).

        Returns
        -------
        int

        Examples
        --------
        >>> from xentlib import models
        >>> models.MLP(2, 16, 2).n_params()      # 2*16 + 16 + 16*2 + 2
        82
        """
        return int(sum(p.size for p in self.params.values()))

    def copy(self) -> Self:
        """An independent copy: the same hyper-parameters, copied parameter arrays.

        Returns
        -------
        model
            Of the same class; training it leaves ``self`` unchanged.

        Examples
        --------
        >>> from xentlib import models
        >>> a = models.MLP(2, 3, 2, seed=0)
        >>> b = a.copy()
        >>> b.params["W1"] += 1.0
        >>> bool((a.params["W1"] == b.params["W1"]).any())
        False
        """
        new = copy.copy(self)
        new.params = {k: v.copy() for k, v in self.params.items()}
        return new

    def _check(self, X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        Xa = np.asarray(X, dtype=self.dtype)
        if Xa.ndim != 2 or Xa.shape[1] != self.n_in:
            raise ValueError(f"X: expected shape (n, {self.n_in}), got {Xa.shape}")
        ya = np.asarray(y)
        if ya.shape != (Xa.shape[0],) or not np.issubdtype(ya.dtype, np.integer):
            raise ValueError(f"y: expected {Xa.shape[0]} integer class indices, got shape {ya.shape}, "
                             f"dtype {ya.dtype}")
        if ya.size and (ya.min() < 0 or ya.max() >= self.n_out):
            raise ValueError(f"y: class indices must be in [0, {self.n_out}), got {ya.min()}..{ya.max()}")
        return Xa, ya


class MLP(_Model):
    """Input -> one hidden layer (``tanh`` or ``relu``) -> softmax output.

    Parameters ``W1 (n_in, hidden)``, ``b1``, ``W2 (hidden, n_out)``, ``b2``
    live in the dict ``self.params`` (what the optimizers update).  Weights
    start from Glorot-normal values (standard deviation
    ``sqrt(2 / (fan_in + fan_out))``) drawn with ``seed``; biases start at 0.

    Parameters
    ----------
    n_in : int
        Number of input features, >= 1.
    n_hidden : int
        Number of hidden units, >= 1.
    n_out : int
        Number of classes, >= 2.
    activation : {"tanh", "relu"}, optional
        The hidden layer's non-linearity (default ``"tanh"``).
    seed : int or numpy.random.Generator, optional
        Randomness of the initial weights (see :func:`xentlib.data.rng_from`).
    dtype : data-type, optional
        Of the parameters and computations (default float64).

    Raises
    ------
    ValueError
        A size out of range or an unknown ``activation``.
    TypeError
        A size that is not an int, or ``seed`` of the wrong type.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import models
    >>> net = models.MLP(2, 16, 2, seed=0)
    >>> {k: v.shape for k, v in net.params.items()}
    {'W1': (2, 16), 'b1': (16,), 'W2': (16, 2), 'b2': (2,)}
    >>> loss, grads = net.loss_and_grad(np.zeros((3, 2)), np.array([0, 1, 1]))
    >>> round(loss, 6)                        # zero inputs: uniform output, ln 2 nats
    0.693147
    """

    def __init__(self, n_in: int, n_hidden: int, n_out: int, *, activation: str = "tanh",
                 seed: Seed = 0, dtype: DTypeLike = np.float64) -> None:
        n_in = _check_size(n_in, "n_in")
        n_hidden = _check_size(n_hidden, "n_hidden")
        if isinstance(n_out, (int, np.integer)) and not isinstance(n_out, bool) and n_out == 1:
            raise ValueError(f"n_out: a softmax classifier needs at least 2 classes, got {n_out}")
        n_out = _check_size(n_out, "n_out", minimum=2)
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation: choose one of {list(_ACTIVATIONS)}, got {activation!r}")
        rng = rng_from(seed)
        self.n_in, self.n_hidden, self.n_out = n_in, n_hidden, n_out
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

    def hidden(self, X: ArrayLike) -> np.ndarray:
        """The hidden layer's activations ``act(X @ W1 + b1)``.

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, n_hidden)``.

        Examples
        --------
        >>> from xentlib import models
        >>> models.MLP(2, 3, 2).hidden([[0.0, 0.0]])      # biases start at 0, tanh(0) = 0
        array([[0., 0., 0.]])
        """
        f, _ = _ACTIVATIONS[self.activation]
        p = self.params
        return f(np.asarray(X, dtype=self.dtype) @ p["W1"] + p["b1"])

    def logits(self, X: ArrayLike) -> np.ndarray:
        """The logits ``hidden(X) @ W2 + b2``, shape ``(n, n_out)``.

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, n_out)``.

        Examples
        --------
        >>> from xentlib import models
        >>> models.MLP(2, 3, 4).logits([[0.0, 0.0]])
        array([[0., 0., 0., 0.]])
        """
        p = self.params
        return self.hidden(X) @ p["W2"] + p["b2"]

    def loss_and_grad(self, X: ArrayLike, y: ArrayLike) -> tuple[float, dict[str, np.ndarray]]:
        """Mean cross-entropy (nats) and its gradient for every parameter.

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.
        y : array_like
            Shape ``(n,)``, integer class indices in ``[0, n_out)``.

        Returns
        -------
        loss : float
            Mean softmax cross-entropy in nats.
        grads : dict of str to numpy.ndarray
            The gradient of ``loss`` for every key of ``params``, same shapes.

        Raises
        ------
        ValueError
            ``X`` or ``y`` of the wrong shape, non-integer ``y``, or a class
            index out of range (the message names the argument).

        Examples
        --------
        >>> import numpy as np
        >>> from xentlib import models
        >>> net = models.MLP(2, 4, 3, seed=1)
        >>> loss, g = net.loss_and_grad(np.ones((5, 2)), np.array([0, 1, 2, 0, 1]))
        >>> sorted(g) == sorted(net.params) and g["W1"].shape == (2, 4)
        True
        """
        Xa, ya = self._check(X, y)
        p = self.params
        f, fprime = _ACTIVATIONS[self.activation]
        # forward
        z1 = Xa @ p["W1"] + p["b1"]
        h = f(z1)
        z2 = h @ p["W2"] + p["b2"]
        loss, dz2 = softmax_cross_entropy(z2, ya, return_grad=True)   # dz2 = (softmax(z2) - onehot(y)) / n
        # backward (chain rule, layer by layer)
        dW2 = h.T @ dz2
        db2 = dz2.sum(axis=0)
        dh = dz2 @ p["W2"].T
        dz1 = dh * fprime(z1)
        dW1 = Xa.T @ dz1
        db1 = dz1.sum(axis=0)
        return float(loss), {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


class SoftmaxRegression(_Model):
    """Multinomial logistic regression: ``logits = X @ W + b`` (no hidden layer).

    Parameters
    ----------
    n_in : int
        Number of input features, >= 1.
    n_out : int
        Number of classes, >= 2.
    seed : int or numpy.random.Generator, optional
        Randomness of the initial weights (see :func:`xentlib.data.rng_from`).
    scale : float, optional
        Standard deviation of the initial weights, >= 0 (default 0: all
        weights start at 0 and the first prediction is uniform).
    dtype : data-type, optional
        Of the parameters and computations (default float64).

    Raises
    ------
    ValueError
        A size out of range, or ``scale`` negative or not finite.
    TypeError
        A size that is not an int, or ``seed`` of the wrong type.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import models
    >>> model = models.SoftmaxRegression(3, 2)
    >>> loss, g = model.loss_and_grad(np.eye(3), np.array([0, 1, 1]))
    >>> round(loss, 6), g["b"].round(6).tolist()      # ln 2; mean of (1/2 - onehot)
    (0.693147, [0.166667, -0.166667])
    """

    def __init__(self, n_in: int, n_out: int, *, seed: Seed = 0, scale: float = 0.0,
                 dtype: DTypeLike = np.float64) -> None:
        n_in = _check_size(n_in, "n_in")
        if isinstance(n_out, (int, np.integer)) and not isinstance(n_out, bool) and n_out == 1:
            raise ValueError(f"n_out: a softmax classifier needs at least 2 classes, got {n_out}")
        n_out = _check_size(n_out, "n_out", minimum=2)
        if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) \
                or not math.isfinite(scale) or scale < 0:
            raise ValueError(f"scale: must be a finite number >= 0, got {scale!r}")
        rng = rng_from(seed)
        self.n_in, self.n_out = n_in, n_out
        self.dtype = np.dtype(dtype)
        self.params = {"W": (scale * rng.normal(size=(n_in, n_out))).astype(self.dtype),
                       "b": np.zeros(n_out, dtype=self.dtype)}

    def logits(self, X: ArrayLike) -> np.ndarray:
        """The logits ``X @ W + b``, shape ``(n, n_out)``.

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, n_out)``.

        Examples
        --------
        >>> from xentlib import models
        >>> models.SoftmaxRegression(2, 3).logits([[1.0, 1.0]])
        array([[0., 0., 0.]])
        """
        return np.asarray(X, dtype=self.dtype) @ self.params["W"] + self.params["b"]

    def loss_and_grad(self, X: ArrayLike, y: ArrayLike) -> tuple[float, dict[str, np.ndarray]]:
        """Mean cross-entropy (nats) and its gradient for ``W`` and ``b``.

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.
        y : array_like
            Shape ``(n,)``, integer class indices in ``[0, n_out)``.

        Returns
        -------
        loss : float
            Mean softmax cross-entropy in nats.
        grads : dict of str to numpy.ndarray
            ``{"W": X.T @ dz, "b": dz.sum(0)}`` with ``dz = (softmax - onehot) / n``.

        Raises
        ------
        ValueError
            ``X`` or ``y`` of the wrong shape, or a class index out of range.

        Examples
        --------
        >>> import numpy as np
        >>> from xentlib import models
        >>> loss, g = models.SoftmaxRegression(1, 2).loss_and_grad(np.array([[2.0]]), np.array([1]))
        >>> g["W"].tolist()                  # x * (softmax - onehot) = 2 * (1/2, -1/2)
        [[1.0, -1.0]]
        """
        Xa, ya = self._check(X, y)
        loss, dz = softmax_cross_entropy(self.logits(Xa), ya, return_grad=True)
        return float(loss), {"W": Xa.T @ dz, "b": dz.sum(axis=0)}


class DenseReluSoftmax(_Model):
    """NumPy replica of the source's Keras model (§4.2).

    The source builds::

        tf.keras.Sequential([
            tf.keras.layers.Dense(4, activation='relu', input_shape=(2,)),
            tf.keras.layers.Softmax()])

    One weight layer ``W (n_in, units)``, ``b (units,)``; its ``units`` ReLU
    outputs are the *logits* of a ``units``-class softmax.  There is no hidden
    layer.  Weights start Glorot-uniform (on ``[-l, l]`` with
    ``l = sqrt(6 / (n_in + units))``), biases at zero, as in Keras.

    Parameters
    ----------
    n_in : int, optional
        Number of input features, >= 1 (default 2, as in the source).
    units : int, optional
        Number of units, which is also the number of classes, >= 2 (default 4).
    seed : int or numpy.random.Generator, optional
        Randomness of the initial weights (see :func:`xentlib.data.rng_from`).
    dtype : data-type, optional
        Of the parameters and computations (default float64).

    Raises
    ------
    ValueError
        A size out of range.
    TypeError
        A size that is not an int, or ``seed`` of the wrong type.

    Examples
    --------
    >>> from xentlib import data, models
    >>> X, y = data.source_setup(100, seed=0)
    >>> model = models.DenseReluSoftmax(2, 4, seed=0)
    >>> model.predict_proba(X).shape, model.n_weight_layers()
    ((100, 4), 1)
    """

    def __init__(self, n_in: int = 2, units: int = 4, *, seed: Seed = 0, dtype: DTypeLike = np.float64) -> None:
        n_in = _check_size(n_in, "n_in")
        units = _check_size(units, "units", minimum=2)
        rng = rng_from(seed)
        self.n_in, self.n_out = n_in, units
        self.dtype = np.dtype(dtype)
        limit = math.sqrt(6.0 / (n_in + units))
        self.params = {"W": rng.uniform(-limit, limit, size=(n_in, units)).astype(self.dtype),
                       "b": np.zeros(units, dtype=self.dtype)}

    def logits(self, X: ArrayLike) -> np.ndarray:
        """The logits ``relu(X @ W + b)`` (never negative), shape ``(n, units)``.

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, units)``, entries >= 0.

        Examples
        --------
        >>> from xentlib import models
        >>> m = models.DenseReluSoftmax(1, 2)
        >>> m.params["W"][:] = [[1.0, -1.0]]
        >>> m.logits([[3.0]])
        array([[3., 0.]])
        """
        z = np.asarray(X, dtype=self.dtype) @ self.params["W"] + self.params["b"]
        return np.maximum(z, 0.0)

    def n_weight_layers(self) -> int:
        """Layers that own weights: 1 (Keras' Softmax layer has none).

        Returns
        -------
        int

        Examples
        --------
        >>> from xentlib import models
        >>> models.DenseReluSoftmax().n_weight_layers()
        1
        """
        return 1

    def loss_and_grad(self, X: ArrayLike, y: ArrayLike) -> tuple[float, dict[str, np.ndarray]]:
        """Mean cross-entropy (nats) and its gradient for ``W`` and ``b``.

        The ReLU passes the gradient only where ``X @ W + b > 0``.

        Parameters
        ----------
        X : array_like
            Shape ``(n, n_in)``.
        y : array_like
            Shape ``(n,)``, integer class indices in ``[0, units)``.

        Returns
        -------
        loss : float
            Mean softmax cross-entropy in nats.
        grads : dict of str to numpy.ndarray
            Gradients for ``W`` and ``b``.

        Raises
        ------
        ValueError
            ``X`` or ``y`` of the wrong shape, or a class index out of range.

        Examples
        --------
        >>> import numpy as np
        >>> from xentlib import models
        >>> m = models.DenseReluSoftmax(1, 2)
        >>> m.params["W"][:] = [[1.0, -1.0]]
        >>> loss, g = m.loss_and_grad(np.array([[1.0]]), np.array([0]))
        >>> float(g["W"][0, 1])          # the second unit is off: no gradient
        0.0
        """
        Xa, ya = self._check(X, y)
        z = Xa @ self.params["W"] + self.params["b"]
        a = np.maximum(z, 0.0)
        loss, da = softmax_cross_entropy(a, ya, return_grad=True)
        dz = da * (z > 0)
        return float(loss), {"W": Xa.T @ dz, "b": dz.sum(axis=0)}


def train(model: Any, X: ArrayLike, y: ArrayLike, optimizer: Optimizer, steps: int, *,
          X_test: ArrayLike | None = None, y_test: ArrayLike | None = None,
          record_every: int = 1, schedule: Callable[[int], float] | None = None,
          progress_every: int | None = None, label: str = "") -> dict[str, Any]:
    """Full-batch training: ``steps`` optimizer steps on the whole of ``X, y``.

    Parameters
    ----------
    model : model
        A model of this module (anything with ``params``, ``loss_and_grad``,
        ``loss`` and ``accuracy``); trained in place.
    X : array_like
        Training inputs, shape ``(n, n_in)``.
    y : array_like
        Training class indices, shape ``(n,)``.
    optimizer : Optimizer
        From :mod:`xentlib.optim`; it updates ``model.params``.
    steps : int
        Number of steps, >= 0.
    X_test, y_test : array_like, optional
        A test set, evaluated at every record (both or neither).
    record_every : int, optional
        Record every so many steps (>= 1; the last state is always recorded).
    schedule : callable, optional
        ``schedule(t)`` sets ``optimizer.lr`` before step ``t``
        (see :mod:`xentlib.schedules`).
    progress_every : int, optional
        Print one deterministic line every so many steps (use it for loops
        that run longer than about 2 s).
    label : str, optional
        Prefix of the progress lines.

    Returns
    -------
    dict
        Lists ``step``, ``train_loss`` (nats), ``train_acc``, ``test_loss``
        (nats), ``test_acc`` (the last two empty without a test set) and
        ``seconds`` (wall time of the whole loop, for ratios only).

    Raises
    ------
    ValueError
        ``steps`` negative, ``record_every`` or ``progress_every`` not a
        positive int, only one of ``X_test`` and ``y_test`` given, or bad
        data (from the model).

    Examples
    --------
    >>> from xentlib import data, models, optim
    >>> X, y = data.make_moons(100, seed=0)
    >>> hist = models.train(models.MLP(2, 8, 2, seed=0), X, y, optim.SGD(lr=0.5), 100, record_every=50)
    >>> hist["step"], hist["train_loss"][-1] < hist["train_loss"][0]
    ([0, 50, 100], True)
    """
    steps = _check_steps(steps)
    record_every = _check_size(record_every, "record_every")
    if progress_every is not None and progress_every != 0:
        progress_every = _check_size(progress_every, "progress_every")
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test: give both X_test and y_test, or neither")
    ya = np.asarray(y)
    hist: dict[str, Any] = {"step": [], "train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    start = time.perf_counter()

    def record(t: int, loss: float) -> None:
        hist["step"].append(t)
        hist["train_loss"].append(loss)
        hist["train_acc"].append(model.accuracy(X, ya))
        if X_test is not None:
            hist["test_loss"].append(model.loss(X_test, y_test))
            hist["test_acc"].append(model.accuracy(X_test, y_test))

    for t in range(steps):
        loss, grads = model.loss_and_grad(X, ya)
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
    record(steps, model.loss(X, ya))
    if progress_every:
        print(f"{label}done: {steps} steps, final train loss {hist['train_loss'][-1]:.3f} nats", flush=True)
    hist["seconds"] = time.perf_counter() - start
    return hist


def decision_grid(model: _Classifier, xlim: tuple[float, float], ylim: tuple[float, float],
                  n: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate a 2-input classifier on an ``n x n`` grid (for decision-boundary plots).

    Parameters
    ----------
    model : model
        A model with two inputs and a ``predict_proba`` method.
    xlim, ylim : tuple of float
        ``(low, high)`` of the first and second input.
    n : int, optional
        Grid points per axis, >= 2.

    Returns
    -------
    xx, yy : numpy.ndarray
        Shape ``(n, n)``, the grid (as from ``numpy.meshgrid``).
    p1 : numpy.ndarray
        Shape ``(n, n)``, the predicted probability of class 1 at each point.

    Raises
    ------
    ValueError
        ``n < 2``.

    Examples
    --------
    >>> from xentlib import models
    >>> xx, yy, p1 = models.decision_grid(models.SoftmaxRegression(2, 2), (0, 1), (0, 1), n=3)
    >>> p1.shape, float(p1[0, 0])
    ((3, 3), 0.5)
    """
    n = _check_size(n, "n", minimum=2)
    xs = np.linspace(xlim[0], xlim[1], n)
    ys = np.linspace(ylim[0], ylim[1], n)
    xx, yy = np.meshgrid(xs, ys)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    p1 = model.predict_proba(grid)[:, 1].reshape(xx.shape)
    return xx, yy, p1


def gradient_check(model: Any, X: ArrayLike, y: ArrayLike, *, eps: float = 1e-6) -> dict[str, float]:
    """Largest relative error of ``model.loss_and_grad`` against central differences.

    Uses :func:`xentlib.gradcheck.numerical_gradient` on every parameter array.

    Parameters
    ----------
    model : model
        A model of this module; its parameters are restored afterwards.
    X, y : array_like
        The batch the loss is computed on.
    eps : float, optional
        Step of the central differences.

    Returns
    -------
    dict of str to float
        ``{name: max |analytic - numeric| / max(|analytic| + |numeric|, 1e-12)}``
        for every parameter (no unit; about 1e-8 or less for a correct
        backward pass in float64).

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import models
    >>> rng = np.random.default_rng(0)
    >>> err = models.gradient_check(models.MLP(2, 3, 2, seed=0), rng.normal(size=(5, 2)), [0, 1, 1, 0, 1])
    >>> max(err.values()) < 1e-6
    True
    """
    _, grads = model.loss_and_grad(X, y)
    out = {}
    for name, value in model.params.items():
        original = value.copy()

        def f(v: np.ndarray, name: str = name, original: np.ndarray = original) -> float:
            model.params[name] = v
            try:
                return float(model.loss(X, y))
            finally:
                model.params[name] = original

        num = numerical_gradient(f, original.copy(), eps=eps)
        model.params[name] = original
        denom = np.maximum(np.abs(grads[name]) + np.abs(num), 1e-12)
        out[name] = float(np.max(np.abs(grads[name] - num) / denom))
    return out


def steps_to_gradnorm(model: Any, X: ArrayLike, y: ArrayLike, optimizer: Optimizer, *,
                      tol: float = 1e-3, max_steps: int = 10_000) -> int:
    """Number of full-batch steps until the gradient norm falls below ``tol``.

    The norm is over all parameters together (a measure of how far from a
    stationary point the model is).  The model is trained in place.

    Parameters
    ----------
    model : model
        A model of this module.
    X, y : array_like
        The training batch.
    optimizer : Optimizer
        From :mod:`xentlib.optim`.
    tol : float, optional
        Threshold on the Euclidean norm of the gradient (nats per unit of
        parameter), > 0.
    max_steps : int, optional
        Give up after this many steps, >= 0.

    Returns
    -------
    int
        The number of steps taken, ``max_steps`` if the norm never fell below ``tol``.

    Raises
    ------
    ValueError
        ``tol`` not a finite number > 0 or ``max_steps`` negative.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import models, optim
    >>> X, y = np.array([[1.0], [-1.0]]), np.array([0, 1])
    >>> models.steps_to_gradnorm(models.SoftmaxRegression(1, 2), X, y, optim.SGD(lr=1.0), tol=0.1)
    7
    """
    if isinstance(tol, bool) or not isinstance(tol, (int, float, np.integer, np.floating)) \
            or not math.isfinite(tol) or tol <= 0:
        raise ValueError(f"tol: must be a finite number > 0, got {tol!r}")
    max_steps = _check_steps(max_steps, "max_steps")
    for t in range(max_steps):
        _, grads = model.loss_and_grad(X, y)
        if math.sqrt(sum(float(np.sum(g * g)) for g in grads.values())) < tol:
            return t
        optimizer.step(model.params, grads)
    return max_steps


#: Learning rates tried by :func:`learning_rate_sweep` (a log grid).
LEARNING_RATES: tuple[float, ...] = (1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0)


def learning_rate_sweep(x: ArrayLike, y: ArrayLike, lrs: Sequence[float] | ArrayLike = LEARNING_RATES,
                        steps: int = 25) -> NDArray[np.float64]:
    """Full-batch gradient descent on softmax regression for each learning rate.

    All runs start from zero weights and are computed at once (one batch of
    logits per step for all learning rates); chapter 6's learning-rate FAQ.

    Parameters
    ----------
    x : array_like
        Inputs, shape ``(n, d)``.
    y : array_like
        Integer class indices, shape ``(n,)``; the number of classes is
        ``max(y) + 1``.
    lrs : sequence of float, optional
        Learning rates, each a finite number > 0 (default :data:`LEARNING_RATES`).
    steps : int, optional
        Gradient-descent steps per run, >= 0.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(lrs), steps + 1)``: the training loss in nats of each
        run after each step (the start, all weights 0, included: ``ln K``).

    Raises
    ------
    ValueError
        A learning rate that is not a finite number > 0, ``steps`` negative,
        or bad ``x``/``y``.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import models
    >>> x, y = np.array([[1.0], [-1.0]]), np.array([0, 1])
    >>> curves = models.learning_rate_sweep(x, y, lrs=[0.1, 1.0], steps=3)
    >>> curves.shape, round(float(curves[0, 0]), 6)     # starts at ln 2
    ((2, 4), 0.693147)
    >>> bool(curves[1, -1] < curves[0, -1])             # the larger step gets further
    True
    """
    xa, ya = _check_dataset(x, y)
    lr_arr = _check_lrs(lrs)
    steps = _check_steps(steps)
    n, d = xa.shape
    k = int(np.max(ya)) + 1
    n_lr = lr_arr.shape[0]
    # all learning rates at once: one (n_lr * n, k) batch of logits per step
    w, b = np.zeros((n_lr, d, k)), np.zeros((n_lr, 1, k))
    yy = np.tile(ya, n_lr)
    curves = np.empty((n_lr, steps + 1))
    for t in range(steps + 1):
        z = np.einsum("nd,ldk->lnk", xa, w) + b
        loss, g = softmax_cross_entropy(z.reshape(-1, k), yy, reduction="none", return_grad=True)
        curves[:, t] = np.asarray(loss).reshape(n_lr, n).mean(axis=1)
        g = np.asarray(g).reshape(n_lr, n, k) / n        # gradient of each run's mean loss
        w -= lr_arr[:, None, None] * np.einsum("nd,lnk->ldk", xa, g)
        b -= lr_arr[:, None, None] * g.sum(axis=1, keepdims=True)
    return curves


def optimizer_sweep(x: ArrayLike, y: ArrayLike, make_optimizer: Callable[[float], Optimizer],
                    lrs: Sequence[float] | ArrayLike, steps: int = 25) -> NDArray[np.float64]:
    """Like :func:`learning_rate_sweep`, with any :mod:`xentlib.optim` optimizer.

    Parameters
    ----------
    x : array_like
        Inputs, shape ``(n, d)``.
    y : array_like
        Integer class indices, shape ``(n,)``.
    make_optimizer : callable
        ``make_optimizer(lr)`` returns a fresh optimizer.
    lrs : sequence of float
        Learning rates, each a finite number > 0.
    steps : int, optional
        Steps per run, >= 0.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(lrs),)``: the final training loss in nats of each run.

    Raises
    ------
    ValueError
        A learning rate that is not a finite number > 0, ``steps`` negative,
        or bad ``x``/``y``.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import models, optim
    >>> x, y = np.array([[1.0], [-1.0]]), np.array([0, 1])
    >>> final = models.optimizer_sweep(x, y, lambda lr: optim.SGD(lr=lr), [0.1, 1.0], steps=3)
    >>> bool(final[1] < final[0] < np.log(2))
    True
    """
    xa, ya = _check_dataset(x, y)
    lr_arr = _check_lrs(lrs)
    steps = _check_steps(steps)
    k = int(np.max(ya)) + 1
    final = np.empty(lr_arr.shape[0])
    for i, lr in enumerate(lr_arr):
        params = {"w": np.zeros((xa.shape[1], k)), "b": np.zeros(k)}
        opt = make_optimizer(float(lr))
        for _ in range(steps):
            _, g = softmax_cross_entropy(xa @ params["w"] + params["b"], ya, return_grad=True)
            opt.step(params, {"w": xa.T @ g, "b": g.sum(axis=0)})
        final[i] = float(softmax_cross_entropy(xa @ params["w"] + params["b"], ya))
    return final
