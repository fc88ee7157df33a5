"""Learning-rate schedules: constant, linear warm-up, cosine decay.

A schedule is a function ``lr(t)`` of the step ``t = 0, 1, ..., total - 1``.

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

import numpy as np

__all__ = ["constant", "cosine", "warmup", "warmup_cosine", "as_array"]


def _check(lr: float, total: int, name: str = "total") -> None:
    if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr: must be a finite number > 0, got {lr!r}")
    if isinstance(total, bool) or not isinstance(total, (int, np.integer)) or total < 1:
        raise ValueError(f"{name}: must be a positive int, got {total!r}")


def constant(lr: float) -> Callable[[int], float]:
    """``lr(t) = lr``."""
    _check(lr, 1)
    return lambda t: float(lr)


def cosine(lr: float, total: int, *, min_lr: float = 0.0) -> Callable[[int], float]:
    """Cosine decay from ``lr`` at ``t = 0`` to ``min_lr`` at ``t = total``."""
    _check(lr, total)

    def f(t: int) -> float:
        frac = min(max(t, 0), total) / total
        return float(min_lr + 0.5 * (lr - min_lr) * (1.0 + math.cos(math.pi * frac)))
    return f


def warmup(lr: float, warmup_steps: int) -> Callable[[int], float]:
    """Linear warm-up: ``lr * (t + 1) / warmup_steps`` for the first steps, then ``lr``."""
    _check(lr, warmup_steps, "warmup_steps")

    def f(t: int) -> float:
        return float(lr * min(1.0, (t + 1) / warmup_steps))
    return f


def warmup_cosine(lr: float, total: int, warmup_steps: int, *, min_lr: float = 0.0) -> Callable[[int], float]:
    """Linear warm-up for ``warmup_steps`` steps, then cosine decay to ``min_lr``."""
    _check(lr, total)
    if not 0 <= warmup_steps < total:
        raise ValueError(f"warmup_steps: must be in [0, total), got {warmup_steps!r}")
    decay = cosine(lr, total - warmup_steps, min_lr=min_lr)

    def f(t: int) -> float:
        if t < warmup_steps:
            return float(lr * (t + 1) / warmup_steps)
        return decay(t - warmup_steps)
    return f


def as_array(schedule: Callable[[int], float], total: int) -> np.ndarray:
    """The schedule's values at ``t = 0, ..., total - 1`` (for plotting)."""
    return np.array([schedule(t) for t in range(total)])
