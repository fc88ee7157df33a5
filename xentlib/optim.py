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

__all__ = ["Optimizer", "SGD", "Momentum", "Adagrad", "RMSprop", "Adam", "OPTIMIZERS",
           "make", "run"]


def _positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__}") from None
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise ValueError(f"{name}: must be a finite number > 0, got {value!r}")
    return v


def _unit(value: Any, name: str) -> float:
    v = _positive(value, name, allow_zero=True)
    if v >= 1.0:
        raise ValueError(f"{name}: must be in [0, 1), got {value!r}")
    return v


class Optimizer:
    """Base class: keeps per-parameter state and the step counter ``t``."""

    name = "optimizer"

    def __init__(self, lr: float):
        self.lr = _positive(lr, "lr")
        self.t = 0
        self.state: dict[str, dict[str, np.ndarray]] = {}

    def _slot(self, key: str, like: np.ndarray, slot: str) -> np.ndarray:
        st = self.state.setdefault(key, {})
        if slot not in st:
            st[slot] = np.zeros_like(like)
        return st[slot]

    def step(self, params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Apply one update to every array in ``params`` (in place)."""
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
        return {"lr": self.lr}


class SGD(Optimizer):
    """Plain gradient descent step: ``theta -= lr * g``.

    On the full batch every step, this is (deterministic) gradient descent;
    it is *stochastic* gradient descent only when ``g`` comes from a random
    mini-batch.
    """

    name = "SGD"

    def __init__(self, lr: float = 0.01):
        super().__init__(lr)

    def _update(self, key, p, g):
        p -= self.lr * g


class Momentum(Optimizer):
    """Heavy-ball momentum (PyTorch form): ``v = mu*v + g``; ``theta -= lr*v``."""

    name = "Momentum"

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, *, nesterov: bool = False):
        super().__init__(lr)
        self.momentum = _unit(momentum, "momentum")
        self.nesterov = bool(nesterov)

    def _update(self, key, p, g):
        v = self._slot(key, p, "v")
        v *= self.momentum
        v += g
        if self.nesterov:
            p -= self.lr * (g + self.momentum * v)
        else:
            p -= self.lr * v

    def hyper(self):
        return {"lr": self.lr, "momentum": self.momentum}


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan & Singer 2011): per-coordinate steps shrink with the
    accumulated squared gradient: ``G += g**2``; ``theta -= lr*g/(sqrt(G)+eps)``."""

    name = "Adagrad"

    def __init__(self, lr: float = 0.01, eps: float = 1e-10):
        super().__init__(lr)
        self.eps = _positive(eps, "eps")

    def _update(self, key, p, g):
        G = self._slot(key, p, "G")
        G += g * g
        p -= self.lr * g / (np.sqrt(G) + self.eps)

    def hyper(self):
        return {"lr": self.lr, "eps": self.eps}


class RMSprop(Optimizer):
    """RMSprop (Tieleman & Hinton 2012, lecture 6.5): a leaky average of g**2:
    ``E = rho*E + (1-rho)*g**2``; ``theta -= lr*g/(sqrt(E)+eps)``."""

    name = "RMSprop"

    def __init__(self, lr: float = 0.001, rho: float = 0.9, eps: float = 1e-8):
        super().__init__(lr)
        self.rho = _unit(rho, "rho")
        self.eps = _positive(eps, "eps")

    def _update(self, key, p, g):
        E = self._slot(key, p, "E")
        E *= self.rho
        E += (1.0 - self.rho) * g * g
        p -= self.lr * g / (np.sqrt(E) + self.eps)

    def hyper(self):
        return {"lr": self.lr, "rho": self.rho, "eps": self.eps}


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015, Algorithm 1) with bias correction."""

    name = "Adam"

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(lr)
        self.beta1 = _unit(beta1, "beta1")
        self.beta2 = _unit(beta2, "beta2")
        self.eps = _positive(eps, "eps")

    def _update(self, key, p, g):
        m = self._slot(key, p, "m")
        v = self._slot(key, p, "v")
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * g * g
        m_hat = m / (1.0 - self.beta1 ** self.t)
        v_hat = v / (1.0 - self.beta2 ** self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def hyper(self):
        return {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}


#: The optimizers by name, in the order the course introduces them.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "SGD": SGD, "Momentum": Momentum, "Adagrad": Adagrad, "RMSprop": RMSprop, "Adam": Adam,
}


def make(name: str, **kwargs) -> Optimizer:
    """Build an optimizer by name (``"SGD"``, ``"Momentum"``, ``"Adagrad"``, ...)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"name: unknown optimizer {name!r}; choose one of {list(OPTIMIZERS)}")
    return OPTIMIZERS[name](**kwargs)


def run(optimizer: Optimizer, loss_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
        x0: Any, steps: int, *, schedule: Callable[[int], float] | None = None):
    """Minimise a function of one parameter vector; return the trajectory.

    ``loss_and_grad(x) -> (loss, grad)``.  Returns ``(xs, losses)`` with
    ``xs`` of shape ``(steps + 1, *x0.shape)`` (the start included) and the
    loss at each of those points.  ``schedule(t)``, if given, sets
    ``optimizer.lr`` before step ``t`` (``t = 0, 1, ...``).
    """
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
