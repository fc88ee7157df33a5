r"""Entropy and cross-entropy of continuous distributions (densities).

For a density :math:`p` the sum of the discrete case becomes an integral,

.. math::

    h(p) = -\int p(x) \log p(x)\,dx, \qquad
    h(p, q) = -\int p(x) \log q(x)\,dx, \qquad
    D(p\,\|\,q) = h(p, q) - h(p) \ge 0 .

Unlike the discrete case, :math:`h(p)` and :math:`h(p, q)` **can be negative**
(a density can exceed 1) and they change when the variable is rescaled; the
KL divergence stays non-negative and scale-invariant.

Closed forms for Gaussians and uniform distributions, and a numerical
integrator to check them, all in nats unless ``base`` is given (``base=2``
gives bits).

Examples
--------
>>> from xentlib import continuous
>>> round(float(continuous.gaussian_entropy(1.0)), 4)     # nats
1.4189
>>> round(float(continuous.uniform_entropy(0.0, 0.5, base=2)), 4)   # bits: negative
-1.0
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "gaussian_entropy",
    "gaussian_cross_entropy",
    "gaussian_kl",
    "gaussian_pdf",
    "uniform_entropy",
    "differential_entropy",
    "differential_cross_entropy",
]


def _log_base(base: float | None) -> float:
    if base is None:
        return 1.0
    base = float(base)
    if not np.isfinite(base) or base <= 0 or base == 1:
        raise ValueError(f"base must be a positive number other than 1, got {base!r}")
    return float(np.log(base))


def _positive(name: str, value) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return arr


def _finite(name: str, value) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def _out(x: np.ndarray):
    return x[()] if x.ndim == 0 else x


def gaussian_pdf(x, mu=0.0, sigma=1.0):
    """Density of :math:`\\mathcal N(\\mu, \\sigma^2)` at ``x`` (per unit of x)."""
    x, mu, sigma = _finite("x", x), _finite("mu", mu), _positive("sigma", sigma)
    return _out(np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi)))


def gaussian_entropy(sigma, *, base: float | None = None):
    r"""Differential entropy of :math:`\mathcal N(\mu, \sigma^2)`:
    :math:`\tfrac12 \log(2\pi e \sigma^2)`; negative when
    :math:`\sigma < 1/\sqrt{2\pi e} \approx 0.242`."""
    sigma = _positive("sigma", sigma)
    return _out(0.5 * np.log(2 * np.pi * np.e * sigma**2) / _log_base(base))


def gaussian_cross_entropy(mu_p, sigma_p, mu_q, sigma_q, *, base: float | None = None):
    r"""Differential cross-entropy :math:`h(p, q) = -\int p \log q` of two Gaussians
    :math:`p = \mathcal N(\mu_p, \sigma_p^2)`, :math:`q = \mathcal N(\mu_q, \sigma_q^2)`:

    .. math:: \tfrac12 \log(2\pi\sigma_q^2) + \frac{\sigma_p^2 + (\mu_p - \mu_q)^2}{2\sigma_q^2}.
    """
    mu_p, mu_q = _finite("mu_p", mu_p), _finite("mu_q", mu_q)
    sp, sq = _positive("sigma_p", sigma_p), _positive("sigma_q", sigma_q)
    nats = 0.5 * np.log(2 * np.pi * sq**2) + (sp**2 + (mu_p - mu_q) ** 2) / (2 * sq**2)
    return _out(nats / _log_base(base))


def gaussian_kl(mu_p, sigma_p, mu_q, sigma_q, *, base: float | None = None):
    r""":math:`D(p\,\|\,q)` for two Gaussians (always :math:`\ge 0`, zero iff equal):
    :math:`\log\frac{\sigma_q}{\sigma_p} + \frac{\sigma_p^2 + (\mu_p-\mu_q)^2}{2\sigma_q^2} - \tfrac12`."""
    mu_p, mu_q = _finite("mu_p", mu_p), _finite("mu_q", mu_q)
    sp, sq = _positive("sigma_p", sigma_p), _positive("sigma_q", sigma_q)
    nats = np.log(sq / sp) + (sp**2 + (mu_p - mu_q) ** 2) / (2 * sq**2) - 0.5
    return _out(nats / _log_base(base))


def uniform_entropy(a, b, *, base: float | None = None):
    """Differential entropy of the uniform density on ``[a, b]``: ``log(b - a)``
    (negative when the interval is shorter than 1)."""
    a, b = _finite("a", a), _finite("b", b)
    if np.any(b <= a):
        raise ValueError(f"b must be greater than a, got a={a!r}, b={b!r}")
    return _out(np.log(b - a) / _log_base(base))


def _integrate(f: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, n: int) -> float:
    if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
        raise ValueError(f"need finite lo < hi, got lo={lo!r}, hi={hi!r}")
    if int(n) < 3:
        raise ValueError(f"n must be >= 3, got {n!r}")
    x = np.linspace(lo, hi, int(n))
    y = f(x)
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2.0)  # trapezoid rule


def differential_entropy(pdf: Callable, lo: float, hi: float, *, n: int = 20001,
                         base: float | None = None) -> float:
    r"""Numerical :math:`-\int_{lo}^{hi} p \log p\,dx` (trapezoid rule on ``n`` points),
    with :math:`0 \log 0 = 0`.  ``[lo, hi]`` must hold (almost) all the mass."""
    def f(x):
        p = np.asarray(pdf(x), dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(p > 0, -p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return _integrate(f, lo, hi, n) / _log_base(base)


def differential_cross_entropy(p_pdf: Callable, q_pdf: Callable, lo: float, hi: float, *,
                               n: int = 20001, base: float | None = None) -> float:
    r"""Numerical :math:`-\int_{lo}^{hi} p \log q\,dx` (trapezoid rule); ``inf`` if
    :math:`q = 0` where :math:`p > 0`."""
    def f(x):
        p = np.asarray(p_pdf(x), dtype=float)
        q = np.asarray(q_pdf(x), dtype=float)
        if np.any((p > 0) & (q <= 0)):
            return np.full_like(x, np.inf)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(p > 0, -p * np.log(np.where(q > 0, q, 1.0)), 0.0)
    return _integrate(f, lo, hi, n) / _log_base(base)
