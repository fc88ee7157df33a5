"""First-order optimizers with their published update rules and defaults.

Each optimizer updates a dict of NumPy arrays *in place*::

    opt = Adam()                 # published defaults
    opt.step(params, grads)      # params[k] -= ... for every key k

``opt.lr`` may be changed between steps (that is how a learning-rate schedule
from :mod:`xentlib.schedules` is applied).  Notation below: parameters
$\\theta$, gradient $g_t$ at step $t = 1, 2, \\dots$, learning rate $\\eta$;
squares, square roots and divisions are element-wise.

* ``SGD`` -- $\\theta \\leftarrow \\theta - \\eta g_t$; default $\\eta = 0.01$ (Keras).
* ``Momentum`` -- $v \\leftarrow \\mu v + g_t$, $\\theta \\leftarrow \\theta - \\eta v$;
  defaults $\\eta = 0.01$, $\\mu = 0.9$ (Polyak 1964; Sutskever et al. 2013; PyTorch form;
  $\\mu = 0.9$ is the customary value: PyTorch and Keras default to $\\mu = 0$, plain SGD).
* ``Adagrad`` -- $G \\leftarrow G + g_t^2$,
  $\\theta \\leftarrow \\theta - \\eta g_t / (\\sqrt{G} + \\epsilon)$;
  defaults $\\eta = 0.01$, $\\epsilon = 10^{-10}$ (Duchi, Hazan & Singer 2011; PyTorch).
* ``RMSprop`` -- $E \\leftarrow \\rho E + (1-\\rho) g_t^2$,
  $\\theta \\leftarrow \\theta - \\eta g_t / (\\sqrt{E} + \\epsilon)$;
  defaults $\\rho = 0.9$ (Tieleman & Hinton 2012, lecture 6e), $\\eta = 0.001$ (as in Keras),
  $\\epsilon = 10^{-8}$ (as in PyTorch).  Without bias correction the first step is
  $\\eta/\\sqrt{1-\\rho}$ per coordinate, about $3.2\\,\\eta$.
* ``Adam`` -- $m \\leftarrow \\beta_1 m + (1-\\beta_1) g_t$,
  $v \\leftarrow \\beta_2 v + (1-\\beta_2) g_t^2$,
  $\\hat m = m/(1-\\beta_1^t)$, $\\hat v = v/(1-\\beta_2^t)$,
  $\\theta \\leftarrow \\theta - \\eta \\hat m / (\\sqrt{\\hat v} + \\epsilon)$;
  defaults $\\eta = 0.001$, $\\beta_1 = 0.9$, $\\beta_2 = 0.999$, $\\epsilon = 10^{-8}$
  (Kingma & Ba 2015, Algorithm 1).

``Momentum(nesterov=True)`` uses the Nesterov form of Sutskever et al. (2013)
as written by PyTorch: $\\theta \\leftarrow \\theta - \\eta (g_t + \\mu v)$.

Examples
--------
>>> import numpy as np
>>> from xentlib.optim import SGD
>>> p = {"w": np.array([1.0, -2.0])}
>>> SGD(lr=0.5).step(p, {"w": np.array([2.0, 2.0])})
>>> p["w"]
array([ 0., -3.])
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Optimizer", "SGD", "Momentum", "Adagrad", "RMSprop", "Adam", "OPTIMIZERS",
           "make", "run"]


def _positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """``value`` as a float; raise naming ``name`` unless it is finite and > 0 (>= 0 with ``allow_zero``)."""
    if isinstance(value, (bool, str, bytes)):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__}") from None
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name}: must be a finite number {bound}, got {value!r}")
    return v


def _unit(value: Any, name: str) -> float:
    """``value`` as a float in [0, 1); raise naming ``name`` otherwise."""
    v = _positive(value, name, allow_zero=True)
    if v >= 1.0:
        raise ValueError(f"{name}: must be in [0, 1), got {value!r}")
    return v


class Optimizer:
    """Base class of the optimizers: per-parameter state and the step counter.

    Subclasses implement ``_update(key, p, g)``, which changes the array ``p``
    in place.

    Parameters
    ----------
    lr : float
        Learning rate (step size), a finite number > 0.  It may be changed
        between steps through the attribute ``lr``.

    Attributes
    ----------
    lr : float
        The learning rate used by the next step.
    t : int
        Number of steps taken so far.
    state : dict
        Per-parameter state arrays (moving averages and so on), by key.

    Raises
    ------
    ValueError
        ``lr`` is not a finite number > 0 (zero, negative, NaN, infinite).
    TypeError
        ``lr`` is not a number.

    Examples
    --------
    >>> from xentlib.optim import SGD
    >>> SGD(lr=0.1).t
    0
    >>> SGD(lr=-0.1)
    Traceback (most recent call last):
    ...
    ValueError: lr: must be a finite number > 0, got -0.1
    """

    name = "optimizer"

    def __init__(self, lr: float) -> None:
        self.lr = _positive(lr, "lr")
        self.t = 0
        self.state: dict[str, dict[str, np.ndarray]] = {}

    def _slot(self, key: str, like: np.ndarray, slot: str) -> np.ndarray:
        st = self.state.setdefault(key, {})
        if slot not in st:
            st[slot] = np.zeros_like(like)
        return st[slot]

    def step(self, params: Mapping[str, np.ndarray], grads: Mapping[str, ArrayLike]) -> None:
        """Apply one update to every array in ``params`` (in place).

        Parameters
        ----------
        params : mapping of str to numpy.ndarray
            The parameters, updated in place (float arrays).
        grads : mapping of str to array_like
            The gradient of the loss for every key of ``params``, each with the
            shape of its parameter.

        Raises
        ------
        ValueError
            ``grads`` lacks a key of ``params``, or a gradient has the wrong
            shape (the message names ``grads`` and the key).

        Examples
        --------
        >>> import numpy as np
        >>> from xentlib.optim import SGD
        >>> p = {"w": np.array([1.0])}
        >>> SGD(lr=0.5).step(p, {"w": [4.0]})
        >>> p["w"]
        array([-1.])
        """
        missing = set(params) - set(grads)
        if missing:
            raise ValueError(f"grads: no gradient for parameter(s) {sorted(missing)}")
        self.t += 1
        for key, p in params.items():
            g = np.asarray(grads[key])
            if g.shape != p.shape:
                raise ValueError(f"grads: gradient of {key!r} has shape {g.shape}, parameter has {p.shape}")
            self._update(key, p, g)

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyper().items())
        return f"{type(self).__name__}({args})"

    def hyper(self) -> dict[str, float]:
        """The hyper-parameters, by name (what the constructor takes).

        Returns
        -------
        dict of str to float
            For example ``{"lr": 0.01}`` for :class:`SGD`.

        Examples
        --------
        >>> from xentlib.optim import RMSprop
        >>> RMSprop().hyper()
        {'lr': 0.001, 'rho': 0.9, 'eps': 1e-08}
        """
        return {"lr": self.lr}


class SGD(Optimizer):
    """Plain gradient descent step: ``theta -= lr * g``.

    On the full batch every step, this is (deterministic) gradient descent;
    it is *stochastic* gradient descent only when ``g`` comes from a random
    mini-batch.

    Parameters
    ----------
    lr : float, optional
        Learning rate > 0 (default 0.01, as in Keras).

    Raises
    ------
    ValueError
        ``lr`` is not a finite number > 0.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib.optim import SGD
    >>> p = {"w": np.array([1.0, -2.0])}
    >>> SGD(lr=0.1).step(p, {"w": np.array([0.5, -1.0])})
    >>> p["w"]
    array([ 0.95, -1.9 ])
    """

    name = "SGD"

    def __init__(self, lr: float = 0.01) -> None:
        super().__init__(lr)

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        p -= self.lr * g


class Momentum(Optimizer):
    """Heavy-ball momentum (PyTorch form): ``v = mu*v + g``; ``theta -= lr*v``.

    Parameters
    ----------
    lr : float, optional
        Learning rate > 0 (default 0.01).
    momentum : float, optional
        The factor ``mu`` in [0, 1) (default 0.9, the customary value).
    nesterov : bool, optional
        If True, step by ``lr * (g + mu * v)`` (Nesterov momentum as PyTorch
        writes it).

    Raises
    ------
    ValueError
        ``lr`` is not a finite number > 0 or ``momentum`` is not in [0, 1).

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib.optim import Momentum
    >>> opt, p = Momentum(lr=0.1, momentum=0.9), {"w": np.array([0.0])}
    >>> opt.step(p, {"w": np.array([1.0])})     # v = 1
    >>> opt.step(p, {"w": np.array([1.0])})     # v = 0.9 + 1 = 1.9
    >>> p["w"]
    array([-0.29])
    """

    name = "Momentum"

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, *, nesterov: bool = False) -> None:
        super().__init__(lr)
        self.momentum = _unit(momentum, "momentum")
        self.nesterov = bool(nesterov)

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        v = self._slot(key, p, "v")
        v *= self.momentum
        v += g
        if self.nesterov:
            p -= self.lr * (g + self.momentum * v)
        else:
            p -= self.lr * v

    def hyper(self) -> dict[str, float]:
        return {"lr": self.lr, "momentum": self.momentum}


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan & Singer 2011): per-coordinate steps that shrink.

    ``G += g**2``; ``theta -= lr * g / (sqrt(G) + eps)``: the step of a
    coordinate shrinks with its accumulated squared gradient, so rarely
    active coordinates keep large steps.

    Parameters
    ----------
    lr : float, optional
        Learning rate > 0 (default 0.01, as in PyTorch).
    eps : float, optional
        Added to the denominator, > 0 (default 1e-10, as in PyTorch).

    Raises
    ------
    ValueError
        ``lr`` or ``eps`` is not a finite number > 0.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib.optim import Adagrad
    >>> p = {"w": np.array([0.0, 0.0])}
    >>> Adagrad(lr=1.0).step(p, {"w": np.array([3.0, -0.5])})   # first step: lr * sign(g)
    >>> p["w"].round(6)
    array([-1.,  1.])
    """

    name = "Adagrad"

    def __init__(self, lr: float = 0.01, eps: float = 1e-10) -> None:
        super().__init__(lr)
        self.eps = _positive(eps, "eps")

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        G = self._slot(key, p, "G")
        G += g * g
        p -= self.lr * g / (np.sqrt(G) + self.eps)

    def hyper(self) -> dict[str, float]:
        return {"lr": self.lr, "eps": self.eps}


class RMSprop(Optimizer):
    """RMSprop (Tieleman & Hinton 2012, lecture 6e): a leaky average of ``g**2``.

    ``E = rho*E + (1-rho)*g**2``; ``theta -= lr * g / (sqrt(E) + eps)``.  There
    is no bias correction, so the first step is ``lr / sqrt(1 - rho)`` per
    coordinate (about ``3.2 * lr`` for ``rho = 0.9``).

    Parameters
    ----------
    lr : float, optional
        Learning rate > 0 (default 0.001, as in Keras).
    rho : float, optional
        Decay of the average, in [0, 1) (default 0.9).
    eps : float, optional
        Added to the denominator, > 0 (default 1e-8, as in PyTorch).

    Raises
    ------
    ValueError
        ``lr`` or ``eps`` is not a finite number > 0, or ``rho`` is not in [0, 1).

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib.optim import RMSprop
    >>> p = {"w": np.array([0.0])}
    >>> RMSprop(lr=0.01, rho=0.9).step(p, {"w": np.array([2.0])})
    >>> round(float(p["w"][0]), 6)      # -0.01 / sqrt(0.1)
    -0.031623
    """

    name = "RMSprop"

    def __init__(self, lr: float = 0.001, rho: float = 0.9, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.rho = _unit(rho, "rho")
        self.eps = _positive(eps, "eps")

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        E = self._slot(key, p, "E")
        E *= self.rho
        E += (1.0 - self.rho) * g * g
        p -= self.lr * g / (np.sqrt(E) + self.eps)

    def hyper(self) -> dict[str, float]:
        return {"lr": self.lr, "rho": self.rho, "eps": self.eps}


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015, Algorithm 1) with bias correction.

    Parameters
    ----------
    lr : float, optional
        Learning rate > 0 (default 0.001).
    beta1, beta2 : float, optional
        Decays of the first- and second-moment averages, in [0, 1)
        (defaults 0.9 and 0.999).
    eps : float, optional
        Added to the denominator, > 0 (default 1e-8).

    Raises
    ------
    ValueError
        ``lr`` or ``eps`` is not a finite number > 0, or ``beta1`` or
        ``beta2`` is not in [0, 1).

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib.optim import Adam
    >>> p = {"w": np.array([1.0, 1.0])}
    >>> Adam(lr=0.1).step(p, {"w": np.array([5.0, -0.01])})   # first step: lr * sign(g)
    >>> p["w"].round(6)
    array([0.9, 1.1])
    """

    name = "Adam"

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.beta1 = _unit(beta1, "beta1")
        self.beta2 = _unit(beta2, "beta2")
        self.eps = _positive(eps, "eps")

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        m = self._slot(key, p, "m")
        v = self._slot(key, p, "v")
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * g * g
        m_hat = m / (1.0 - self.beta1 ** self.t)
        v_hat = v / (1.0 - self.beta2 ** self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def hyper(self) -> dict[str, float]:
        return {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}


#: The optimizers by name, in the order the course introduces them.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "SGD": SGD, "Momentum": Momentum, "Adagrad": Adagrad, "RMSprop": RMSprop, "Adam": Adam,
}


def make(name: str, **kwargs: Any) -> Optimizer:
    """Build an optimizer by name.

    Parameters
    ----------
    name : str
        A key of ``OPTIMIZERS``: ``"SGD"``, ``"Momentum"``, ``"Adagrad"``,
        ``"RMSprop"`` or ``"Adam"``.
    **kwargs
        Passed to the optimizer's constructor (``lr=...`` and so on).

    Returns
    -------
    Optimizer
        A fresh optimizer (no state, ``t = 0``).

    Raises
    ------
    ValueError
        Unknown ``name``, or a bad hyper-parameter.

    Examples
    --------
    >>> from xentlib import optim
    >>> optim.make("Momentum", lr=0.1)
    Momentum(lr=0.1, momentum=0.9)
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"name: unknown optimizer {name!r}; choose one of {list(OPTIMIZERS)}")
    return OPTIMIZERS[name](**kwargs)


def run(optimizer: Optimizer, loss_and_grad: Callable[[np.ndarray], tuple[float, ArrayLike]],
        x0: ArrayLike, steps: int, *,
        schedule: Callable[[int], float] | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Minimise a function of one parameter vector; return the trajectory.

    Parameters
    ----------
    optimizer : Optimizer
        Any optimizer of this module (its state is used and updated).
    loss_and_grad : callable
        ``loss_and_grad(x) -> (loss, grad)`` with ``grad`` of the shape of ``x``.
    x0 : array_like
        The starting point (copied; float64).
    steps : int
        Number of optimizer steps, >= 0.
    schedule : callable, optional
        ``schedule(t)`` sets ``optimizer.lr`` before step ``t`` (``t = 0, 1, ...``).

    Returns
    -------
    xs : numpy.ndarray
        Shape ``(steps + 1, *x0.shape)``: the points visited, the start included.
    losses : numpy.ndarray
        Shape ``(steps + 1,)``: the loss at each of those points (in the unit
        of ``loss_and_grad``, nats for the course's cross-entropies).

    Raises
    ------
    ValueError
        ``steps`` is negative or not an int.

    Examples
    --------
    >>> from xentlib import optim
    >>> xs, losses = optim.run(optim.SGD(lr=0.5), lambda x: (float(x @ x) / 2, x), [4.0], 2)
    >>> xs.ravel().tolist(), losses.tolist()
    ([4.0, 2.0, 1.0], [8.0, 2.0, 0.5])
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps: must be a non-negative int, got {steps!r}")
    x = np.array(x0, dtype=np.float64)
    params = {"x": x}
    xs = [x.copy()]
    losses = []
    for t in range(int(steps)):
        loss, g = loss_and_grad(params["x"])
        losses.append(float(loss))
        if schedule is not None:
            optimizer.lr = float(schedule(t))
        optimizer.step(params, {"x": np.asarray(g, dtype=np.float64)})
        xs.append(params["x"].copy())
    losses.append(float(loss_and_grad(params["x"])[0]))
    return np.array(xs), np.array(losses)
