"""Learning-rate schedules: constant, linear warm-up, cosine decay.

A schedule is a function ``lr(t)`` of the step ``t = 0, 1, ..., total - 1``;
:func:`xentlib.models.train` and :func:`xentlib.optim.run` take one as
``schedule=`` and set the optimizer's ``lr`` from it before every step.

* :func:`cosine` -- cosine annealing (Loshchilov & Hutter, SGDR, 2017, without
  restarts): $\\eta_t = \\eta_{min} + \\tfrac12(\\eta_{max}-\\eta_{min})(1+\\cos(\\pi t/T))$.
* :func:`warmup` -- linear warm-up from ``lr/warmup_steps`` to ``lr`` (Goyal et
  al., 2017), then constant.
* :func:`warmup_cosine` -- warm-up followed by cosine decay (the usual recipe
  for training transformers).

Examples
--------
>>> from xentlib.schedules import warmup_cosine
>>> s = warmup_cosine(1.0, total=10, warmup_steps=2)
>>> [round(s(t), 3) for t in range(4)]
[0.5, 1.0, 1.0, 0.962]
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["constant", "cosine", "warmup", "warmup_cosine", "as_array"]


def _check(lr: Any, total: Any, name: str = "total") -> None:
    """Raise naming ``lr`` or ``name`` unless ``lr > 0`` is finite and ``total`` is a positive int."""
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)) \
            or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr: must be a finite number > 0, got {lr!r}")
    if isinstance(total, bool) or not isinstance(total, (int, np.integer)) or total < 1:
        raise ValueError(f"{name}: must be a positive int, got {total!r}")


def _check_min_lr(min_lr: Any, lr: float) -> float:
    if isinstance(min_lr, bool) or not isinstance(min_lr, (int, float, np.integer, np.floating)) \
            or not math.isfinite(min_lr) or not 0 <= min_lr <= lr:
        raise ValueError(f"min_lr: must be a number in [0, lr] = [0, {lr}], got {min_lr!r}")
    return float(min_lr)


def constant(lr: float) -> Callable[[int], float]:
    """The constant schedule ``lr(t) = lr``.

    Parameters
    ----------
    lr : float
        The learning rate, a finite number > 0.

    Returns
    -------
    callable
        ``t -> lr``.

    Raises
    ------
    ValueError
        ``lr`` is not a finite number > 0.

    Examples
    --------
    >>> from xentlib.schedules import constant
    >>> constant(0.1)(1000)
    0.1
    """
    _check(lr, 1)
    return lambda t: float(lr)


def cosine(lr: float, total: int, *, min_lr: float = 0.0) -> Callable[[int], float]:
    """Cosine decay from ``lr`` at ``t = 0`` to ``min_lr`` at ``t = total``.

    ``lr(t) = min_lr + (lr - min_lr) * (1 + cos(pi * t / total)) / 2``, with
    ``t`` clipped to ``[0, total]``.

    Parameters
    ----------
    lr : float
        The starting learning rate, a finite number > 0.
    total : int
        Number of steps of the decay, >= 1.
    min_lr : float, optional
        The final learning rate, in ``[0, lr]`` (default 0).

    Returns
    -------
    callable
        ``t -> lr(t)``.

    Raises
    ------
    ValueError
        ``lr``, ``total`` or ``min_lr`` out of range (the message names it).

    Examples
    --------
    >>> from xentlib.schedules import cosine
    >>> c = cosine(1.0, 10, min_lr=0.1)
    >>> c(0), round(c(5), 12), c(10)
    (1.0, 0.55, 0.1)
    """
    _check(lr, total)
    min_lr = _check_min_lr(min_lr, lr)

    def f(t: int) -> float:
        frac = min(max(t, 0), total) / total
        return float(min_lr + 0.5 * (lr - min_lr) * (1.0 + math.cos(math.pi * frac)))
    return f


def warmup(lr: float, warmup_steps: int) -> Callable[[int], float]:
    """Linear warm-up: ``lr * (t + 1) / warmup_steps`` for the first steps, then ``lr``.

    Parameters
    ----------
    lr : float
        The learning rate after the warm-up, a finite number > 0.
    warmup_steps : int
        Length of the warm-up, >= 1.

    Returns
    -------
    callable
        ``t -> lr(t)``.

    Raises
    ------
    ValueError
        ``lr`` is not a finite number > 0 or ``warmup_steps`` is not a
        positive int.

    Examples
    --------
    >>> from xentlib.schedules import warmup
    >>> w = warmup(1.0, 4)
    >>> [w(t) for t in range(6)]
    [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    """
    _check(lr, warmup_steps, "warmup_steps")

    def f(t: int) -> float:
        return float(lr * min(1.0, (t + 1) / warmup_steps))
    return f


def warmup_cosine(lr: float, total: int, warmup_steps: int, *, min_lr: float = 0.0) -> Callable[[int], float]:
    """Linear warm-up for ``warmup_steps`` steps, then cosine decay to ``min_lr``.

    Parameters
    ----------
    lr : float
        The peak learning rate, a finite number > 0.
    total : int
        Total number of steps (warm-up included), >= 1.
    warmup_steps : int
        Length of the warm-up, in ``[0, total)``.
    min_lr : float, optional
        The learning rate reached at ``t = total``, in ``[0, lr]`` (default 0).

    Returns
    -------
    callable
        ``t -> lr(t)``.

    Raises
    ------
    ValueError
        ``lr``, ``total``, ``warmup_steps`` or ``min_lr`` out of range.

    Examples
    --------
    >>> from xentlib.schedules import warmup_cosine
    >>> s = warmup_cosine(0.1, total=6, warmup_steps=2)
    >>> [round(s(t), 4) for t in range(6)]
    [0.05, 0.1, 0.1, 0.0854, 0.05, 0.0146]
    """
    _check(lr, total)
    if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, (int, np.integer)) \
            or not 0 <= warmup_steps < total:
        raise ValueError(f"warmup_steps: must be an int in [0, total), got {warmup_steps!r}")
    decay = cosine(lr, total - warmup_steps, min_lr=min_lr)

    def f(t: int) -> float:
        if t < warmup_steps:
            return float(lr * (t + 1) / warmup_steps)
        return decay(t - warmup_steps)
    return f


def as_array(schedule: Callable[[int], float], total: int) -> NDArray[np.float64]:
    """The schedule's values at ``t = 0, ..., total - 1`` (for plotting).

    Parameters
    ----------
    schedule : callable
        ``t -> lr(t)``, for example from :func:`warmup_cosine`.
    total : int
        Number of steps, >= 0.

    Returns
    -------
    numpy.ndarray
        Shape ``(total,)``, float64.

    Raises
    ------
    ValueError
        ``total`` is negative or not an int.

    Examples
    --------
    >>> from xentlib.schedules import as_array, warmup
    >>> as_array(warmup(1.0, 2), 3)
    array([0.5, 1. , 1. ])
    """
    if isinstance(total, bool) or not isinstance(total, (int, np.integer)) or total < 0:
        raise ValueError(f"total: must be a non-negative int, got {total!r}")
    return np.array([schedule(t) for t in range(total)], dtype=np.float64)
