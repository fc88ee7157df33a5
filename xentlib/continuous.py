r"""Entropy and cross-entropy of continuous distributions (densities).

For a density :math:`p` the sum of the discrete case becomes an integral,

.. math::

    \begin{aligned}
    h(p) &= -\int p(x) \log p(x)\,dx, \\
    h(p, q) &= -\int p(x) \log q(x)\,dx, \\
    D(p\,\|\,q) &= h(p, q) - h(p) \ge 0 .
    \end{aligned}

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
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

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
    if isinstance(base, bool):
        raise TypeError("base: expected a number, got bool")
    b = float(base)
    if not np.isfinite(b) or b <= 0 or b == 1:
        raise ValueError(f"base: must be a positive number other than 1, got {base!r}")
    return float(np.log(b))


def _positive(name: str, value: ArrayLike) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name}: must be finite and > 0, got {value!r}")
    return arr


def _finite(name: str, value: ArrayLike) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: must be finite, got {value!r}")
    return arr


def _out(x: np.ndarray) -> Any:
    return x[()] if x.ndim == 0 else x


def gaussian_pdf(x: ArrayLike, mu: ArrayLike = 0.0, sigma: ArrayLike = 1.0) -> Any:
    r"""Density of :math:`\mathcal N(\mu, \sigma^2)` at ``x``.

    Parameters
    ----------
    x : array_like
        Points (finite).
    mu : array_like, optional
        Mean (finite), broadcast against ``x``.
    sigma : array_like, optional
        Standard deviation (finite, > 0), broadcast against ``x``.

    Returns
    -------
    numpy.ndarray or numpy.floating
        The density, per unit of ``x`` (not a probability: it can exceed 1).

    Raises
    ------
    ValueError
        A non-finite argument or ``sigma <= 0`` (the message names it).

    Examples
    --------
    >>> from xentlib import continuous
    >>> round(float(continuous.gaussian_pdf(0.0)), 6)       # 1 / sqrt(2 pi)
    0.398942
    >>> round(float(continuous.gaussian_pdf(0.0, sigma=0.1)), 4)   # a density above 1
    3.9894
    """
    xa, mua, sa = _finite("x", x), _finite("mu", mu), _positive("sigma", sigma)
    return _out(np.exp(-0.5 * ((xa - mua) / sa) ** 2) / (sa * np.sqrt(2 * np.pi)))


def gaussian_entropy(sigma: ArrayLike, *, base: float | None = None) -> Any:
    r"""Differential entropy of :math:`\mathcal N(\mu, \sigma^2)`: :math:`\tfrac12 \log(2\pi e \sigma^2)`.

    It does not depend on :math:`\mu`, and it is negative when
    :math:`\sigma < 1/\sqrt{2\pi e} \approx 0.242`.

    Parameters
    ----------
    sigma : array_like
        Standard deviation(s), finite and > 0.
    base : float, optional
        Logarithm base; ``None`` (default) gives nats, ``2`` gives bits.

    Returns
    -------
    numpy.ndarray or numpy.floating
        The entropy in nats (or in the unit of ``base``).

    Raises
    ------
    ValueError
        ``sigma`` not finite and > 0, or a bad ``base``.

    Examples
    --------
    >>> from xentlib import continuous
    >>> round(float(continuous.gaussian_entropy(1.0, base=2)), 4)      # bits
    2.0471
    >>> bool(continuous.gaussian_entropy(0.1) < 0)
    True
    """
    sa = _positive("sigma", sigma)
    return _out(0.5 * np.log(2 * np.pi * np.e * sa**2) / _log_base(base))


def gaussian_cross_entropy(mu_p: ArrayLike, sigma_p: ArrayLike, mu_q: ArrayLike, sigma_q: ArrayLike, *,
                           base: float | None = None) -> Any:
    r"""Differential cross-entropy :math:`h(p, q) = -\int p \log q` of two Gaussians.

    With :math:`p = \mathcal N(\mu_p, \sigma_p^2)` and
    :math:`q = \mathcal N(\mu_q, \sigma_q^2)`:

    .. math::

        \begin{aligned}
        h(p, q) &= \tfrac12 \log(2\pi\sigma_q^2) \\
        &\quad + \frac{\sigma_p^2 + (\mu_p - \mu_q)^2}{2\sigma_q^2}.
        \end{aligned}

    Parameters
    ----------
    mu_p, sigma_p : array_like
        Mean (finite) and standard deviation (> 0) of ``p``, the reference.
    mu_q, sigma_q : array_like
        Mean and standard deviation of ``q``, the model.
    base : float, optional
        Logarithm base; ``None`` gives nats, ``2`` gives bits.

    Returns
    -------
    numpy.ndarray or numpy.floating
        :math:`h(p, q)` in nats (or in the unit of ``base``).

    Raises
    ------
    ValueError
        A non-finite argument, a standard deviation <= 0 or a bad ``base``.

    Examples
    --------
    >>> from xentlib import continuous
    >>> h = continuous.gaussian_cross_entropy(0.0, 1.0, 0.0, 1.0)
    >>> bool(abs(h - continuous.gaussian_entropy(1.0)) < 1e-15)    # h(p, p) = h(p)
    True
    """
    mp, mq = _finite("mu_p", mu_p), _finite("mu_q", mu_q)
    sp, sq = _positive("sigma_p", sigma_p), _positive("sigma_q", sigma_q)
    nats = 0.5 * np.log(2 * np.pi * sq**2) + (sp**2 + (mp - mq) ** 2) / (2 * sq**2)
    return _out(nats / _log_base(base))


def gaussian_kl(mu_p: ArrayLike, sigma_p: ArrayLike, mu_q: ArrayLike, sigma_q: ArrayLike, *,
                base: float | None = None) -> Any:
    r"""KL divergence :math:`D(p\,\|\,q)` of two Gaussians (:math:`\ge 0`, zero iff equal).

    .. math::

        \begin{aligned}
        D(p\,\|\,q) &= \log\frac{\sigma_q}{\sigma_p} - \tfrac12 \\
        &\quad + \frac{\sigma_p^2 + (\mu_p-\mu_q)^2}{2\sigma_q^2}.
        \end{aligned}

    Parameters
    ----------
    mu_p, sigma_p : array_like
        Mean (finite) and standard deviation (> 0) of ``p``, the reference.
    mu_q, sigma_q : array_like
        Mean and standard deviation of ``q``, the model.
    base : float, optional
        Logarithm base; ``None`` gives nats, ``2`` gives bits.

    Returns
    -------
    numpy.ndarray or numpy.floating
        :math:`D(p\,\|\,q)` in nats (or in the unit of ``base``).

    Raises
    ------
    ValueError
        A non-finite argument, a standard deviation <= 0 or a bad ``base``.

    Examples
    --------
    >>> from xentlib import continuous
    >>> round(float(continuous.gaussian_kl(0.0, 1.0, 1.0, 1.0)), 6)   # (mu_p - mu_q)^2 / 2
    0.5
    """
    mp, mq = _finite("mu_p", mu_p), _finite("mu_q", mu_q)
    sp, sq = _positive("sigma_p", sigma_p), _positive("sigma_q", sigma_q)
    nats = np.log(sq / sp) + (sp**2 + (mp - mq) ** 2) / (2 * sq**2) - 0.5
    return _out(nats / _log_base(base))


def uniform_entropy(a: ArrayLike, b: ArrayLike, *, base: float | None = None) -> Any:
    """Differential entropy of the uniform density on ``[a, b]``: ``log(b - a)``.

    It is negative when the interval is shorter than 1.

    Parameters
    ----------
    a, b : array_like
        Ends of the interval, finite, ``b > a``.
    base : float, optional
        Logarithm base; ``None`` gives nats, ``2`` gives bits.

    Returns
    -------
    numpy.ndarray or numpy.floating
        The entropy in nats (or in the unit of ``base``).

    Raises
    ------
    ValueError
        A non-finite end, ``b <= a`` or a bad ``base``.

    Examples
    --------
    >>> from xentlib import continuous
    >>> float(continuous.uniform_entropy(0.0, 4.0, base=2))
    2.0
    """
    aa, ba = _finite("a", a), _finite("b", b)
    if np.any(ba <= aa):
        raise ValueError(f"b: must be greater than a, got a={a!r}, b={b!r}")
    return _out(np.log(ba - aa) / _log_base(base))


def _integrate(f: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, n: int) -> float:
    if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
        raise ValueError(f"lo: need finite lo < hi, got lo={lo!r}, hi={hi!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 3:
        raise ValueError(f"n: must be an int >= 3, got {n!r}")
    x = np.linspace(lo, hi, int(n))
    y = f(x)
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2.0)  # trapezoid rule


def differential_entropy(pdf: Callable[[np.ndarray], ArrayLike], lo: float, hi: float, *, n: int = 20001,
                         base: float | None = None) -> float:
    r"""Numerical differential entropy :math:`-\int_{lo}^{hi} p \log p\,dx`.

    Trapezoid rule on ``n`` equally spaced points, with :math:`0 \log 0 = 0`;
    ``[lo, hi]`` must hold (almost) all the mass of ``p``.

    Parameters
    ----------
    pdf : callable
        ``pdf(x)`` returns the density at the points ``x`` (an array).
    lo, hi : float
        Finite integration limits, ``lo < hi``.
    n : int, optional
        Number of points, >= 3.
    base : float, optional
        Logarithm base; ``None`` gives nats, ``2`` gives bits.

    Returns
    -------
    float
        The entropy in nats (or in the unit of ``base``).

    Raises
    ------
    ValueError
        Bad limits, ``n < 3`` or a bad ``base``.

    Examples
    --------
    >>> from xentlib import continuous
    >>> h = continuous.differential_entropy(continuous.gaussian_pdf, -12.0, 12.0)
    >>> bool(abs(h - continuous.gaussian_entropy(1.0)) < 1e-6)
    True
    """
    def f(x: np.ndarray) -> np.ndarray:
        p = np.asarray(pdf(x), dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(p > 0, -p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return _integrate(f, lo, hi, n) / _log_base(base)


def differential_cross_entropy(p_pdf: Callable[[np.ndarray], ArrayLike], q_pdf: Callable[[np.ndarray], ArrayLike],
                               lo: float, hi: float, *, n: int = 20001, base: float | None = None) -> float:
    r"""Numerical differential cross-entropy :math:`-\int_{lo}^{hi} p \log q\,dx`.

    Trapezoid rule on ``n`` points; ``inf`` if :math:`q = 0` where :math:`p > 0`.

    Parameters
    ----------
    p_pdf, q_pdf : callable
        Densities of ``p`` (the reference) and ``q`` (the model), called on an array.
    lo, hi : float
        Finite integration limits, ``lo < hi``.
    n : int, optional
        Number of points, >= 3.
    base : float, optional
        Logarithm base; ``None`` gives nats, ``2`` gives bits.

    Returns
    -------
    float
        :math:`h(p, q)` in nats (or in the unit of ``base``), possibly ``inf``.

    Raises
    ------
    ValueError
        Bad limits, ``n < 3`` or a bad ``base``.

    Examples
    --------
    >>> from xentlib import continuous
    >>> p = continuous.gaussian_pdf
    >>> def q(x):
    ...     return continuous.gaussian_pdf(x, 0.0, 2.0)
    >>> h = continuous.differential_cross_entropy(p, q, -12.0, 12.0)
    >>> bool(abs(h - continuous.gaussian_cross_entropy(0.0, 1.0, 0.0, 2.0)) < 1e-6)
    True
    """
    def f(x: np.ndarray) -> np.ndarray:
        p = np.asarray(p_pdf(x), dtype=float)
        q = np.asarray(q_pdf(x), dtype=float)
        if np.any((p > 0) & (q <= 0)):
            return np.full_like(x, np.inf)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(p > 0, -p * np.log(np.where(q > 0, q, 1.0)), 0.0)
    return _integrate(f, lo, hi, n) / _log_base(base)
