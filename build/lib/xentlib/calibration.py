"""Calibration of a classifier: reliability diagrams, ECE, temperature scaling.

A classifier is *calibrated* when, among all the examples to which it gives
confidence about 0.8, about 80 % are classified correctly.  Cross-entropy
training pushes towards calibration (it is a proper scoring rule), yet large
networks are often *over-confident* on new data.  This module measures that and
fixes the simplest form of it:

* :func:`reliability_bins` -- group predictions by confidence (equal-width bins
  on [0, 1]) and compare mean confidence with accuracy in each bin;
* :func:`expected_calibration_error` -- the bin-weighted mean gap
  ``sum_b (n_b / N) |acc_b - conf_b|`` (a probability, no unit);
* :func:`fit_temperature` -- the temperature ``T > 0`` that minimises the
  negative log-likelihood (in nats) of ``softmax(logits / T)`` on held-out
  data (Guo et al., 2017, "On calibration of modern neural networks");
* :func:`nll` -- the mean negative log-likelihood (nats) at a temperature.

Class indices are called ``target`` (they may be passed positionally).
(:func:`xentlib.data.synthetic_overconfident` makes a toy problem whose right
temperature is known; :func:`xentlib.plotting.plot_reliability` draws a
reliability diagram.)

Examples
--------
>>> import numpy as np
>>> from xentlib import calibration, data
>>> rng = np.random.default_rng(0)
>>> logits, target = data.synthetic_overconfident(rng, n=4000, overconfidence=3.0)
>>> t = calibration.fit_temperature(logits, target)
>>> 2.5 < t < 3.5
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import minimize_scalar

from .softmax import log_softmax

__all__ = [
    "ReliabilityBins",
    "reliability_bins",
    "expected_calibration_error",
    "nll",
    "fit_temperature",
]


@dataclass(frozen=True)
class ReliabilityBins:
    """Per-bin statistics of a reliability diagram (equal-width bins on [0, 1]).

    Made by :func:`reliability_bins`; drawn by
    :func:`xentlib.plotting.plot_reliability`.

    The four fields are NumPy arrays:

    ``edges``
        ``n_bins + 1`` bin edges from 0 to 1.
    ``count``
        Number of predictions whose confidence falls in each bin.
    ``confidence``
        Mean confidence in each bin (``nan`` for an empty bin).
    ``accuracy``
        Fraction of correct predictions in each bin (``nan`` for an empty bin).

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib.calibration import ReliabilityBins
    >>> b = ReliabilityBins(edges=np.array([0.0, 0.5, 1.0]), count=np.array([0, 2]),
    ...                     confidence=np.array([np.nan, 0.9]), accuracy=np.array([np.nan, 0.5]))
    >>> b.centers.tolist(), round(float(b.gap[1]), 6)
    ([0.25, 0.75], -0.4)
    """

    edges: np.ndarray
    count: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray

    @property
    def centers(self) -> np.ndarray:
        """The middle of each bin, shape ``(n_bins,)``."""
        return 0.5 * (self.edges[:-1] + self.edges[1:])

    @property
    def gap(self) -> np.ndarray:
        """``accuracy - confidence`` per bin (negative: over-confident)."""
        return self.accuracy - self.confidence


def _check_target(target: ArrayLike, n: int, n_classes: int) -> np.ndarray:
    t = np.asarray(target)
    if t.shape != (n,):
        raise ValueError(f"target: expected shape ({n},), one class index per row, got shape {t.shape}")
    if not np.issubdtype(t.dtype, np.integer):
        raise TypeError(f"target: expected integer class indices, got dtype {t.dtype}")
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        raise ValueError(f"target: class indices must lie in [0, {n_classes - 1}], got {t.min()}..{t.max()}")
    return t


def _confidence_and_correct(probs: ArrayLike, target: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(probs, dtype=float)
    if p.ndim != 2:
        raise ValueError(f"probs: expected shape (n, n_classes), got shape {p.shape}")
    t = _check_target(target, p.shape[0], p.shape[1])
    if not np.all(np.isfinite(p)) or np.any(p < 0) or np.any(p > 1):
        raise ValueError("probs: must be probabilities in [0, 1]")
    confidence = p.max(axis=1)
    correct = p.argmax(axis=1) == t
    return confidence, correct


def reliability_bins(probs: ArrayLike, target: ArrayLike, *, n_bins: int = 10) -> ReliabilityBins:
    """Bin predictions by confidence (the largest class probability).

    Parameters
    ----------
    probs : array_like
        Shape ``(n, n_classes)``, predicted probabilities.
    target : array_like
        Shape ``(n,)``, the true class indices.
    n_bins : int, optional
        Number of equal-width bins on [0, 1]; bin ``b`` holds confidences in
        ``(edges[b], edges[b+1]]`` (the first bin also holds 0).

    Returns
    -------
    ReliabilityBins
        Edges, counts, mean confidence and accuracy of every bin.

    Raises
    ------
    ValueError
        ``n_bins`` not a positive int, ``probs`` not 2-D or not in [0, 1],
        ``target`` of the wrong shape or out of range.
    TypeError
        ``target`` not integer.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import calibration
    >>> probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.4, 0.6]])
    >>> bins = calibration.reliability_bins(probs, [0, 1, 1], n_bins=2)
    >>> bins.count.tolist(), bins.accuracy.round(3).tolist()
    ([0, 3], [nan, 0.667])
    """
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins: must be a positive integer, got {n_bins!r}")
    confidence, correct = _confidence_and_correct(probs, target)
    edges = np.linspace(0.0, 1.0, int(n_bins) + 1)
    idx = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, n_bins - 1)
    count = np.bincount(idx, minlength=n_bins)
    conf_sum = np.bincount(idx, weights=confidence, minlength=n_bins)
    acc_sum = np.bincount(idx, weights=correct.astype(float), minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.where(count > 0, conf_sum / np.maximum(count, 1), np.nan)
        acc = np.where(count > 0, acc_sum / np.maximum(count, 1), np.nan)
    return ReliabilityBins(edges=edges, count=count, confidence=conf, accuracy=acc)


def expected_calibration_error(probs: ArrayLike, target: ArrayLike, *, n_bins: int = 10) -> float:
    """Expected calibration error: ``sum_b (n_b / n) * |accuracy_b - confidence_b|``.

    Parameters
    ----------
    probs : array_like
        Shape ``(n, n_classes)``, predicted probabilities, ``n >= 1``.
    target : array_like
        Shape ``(n,)``, the true class indices.
    n_bins : int, optional
        Number of equal-width confidence bins (see :func:`reliability_bins`).

    Returns
    -------
    float
        A number in [0, 1] (a difference of probabilities, no unit); 0 means
        the binned confidences match the binned accuracies exactly.

    Raises
    ------
    ValueError
        No predictions, or bad ``probs``, ``target`` or ``n_bins``.
    TypeError
        ``target`` not integer.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import calibration
    >>> probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.4, 0.6], [0.6, 0.4]])
    >>> round(calibration.expected_calibration_error(probs, [0, 1, 1, 0]), 12)
    0.4
    """
    bins = reliability_bins(probs, target, n_bins=n_bins)
    n = bins.count.sum()
    if n == 0:
        raise ValueError("probs: must hold at least one prediction")
    filled = bins.count > 0
    return float(np.sum(bins.count[filled] / n * np.abs(bins.gap[filled])))


def _check_logits(logits: ArrayLike) -> np.ndarray:
    z = np.asarray(logits, dtype=float)
    if z.ndim != 2:
        raise ValueError(f"logits: expected shape (n, n_classes), got shape {z.shape}")
    return z


def nll(logits: ArrayLike, target: ArrayLike, *, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood in nats of ``softmax(logits / temperature)``.

    Parameters
    ----------
    logits : array_like
        Shape ``(n, n_classes)``.
    target : array_like
        Shape ``(n,)``, the true class indices.
    temperature : float, optional
        A finite number > 0 dividing every logit (default 1).

    Returns
    -------
    float
        The mean of ``-log softmax(logits / T)[i, target[i]]``, in nats.

    Raises
    ------
    ValueError
        ``logits`` not 2-D, ``target`` of the wrong shape or out of range, or
        ``temperature`` not a finite number > 0.
    TypeError
        ``target`` not integer.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import calibration
    >>> round(calibration.nll(np.zeros((2, 4)), [0, 3]), 6)      # ln 4
    1.386294
    """
    z = _check_logits(logits)
    t = _check_target(target, z.shape[0], z.shape[1])
    try:
        temp = float(temperature)
    except (TypeError, ValueError):
        raise TypeError(f"temperature: expected a number, got {type(temperature).__name__}") from None
    if not np.isfinite(temp) or temp <= 0:
        raise ValueError(f"temperature: must be a finite number > 0, got {temperature!r}")
    logp = log_softmax(z / temp, axis=-1)
    return float(-np.mean(logp[np.arange(t.shape[0]), t]))


def fit_temperature(logits: ArrayLike, target: ArrayLike, *,
                    bounds: tuple[float, float] = (0.05, 20.0)) -> float:
    """The temperature ``T`` minimising :func:`nll` ``(logits, target, temperature=T)``.

    Temperature scaling divides every logit by one positive number: it never
    changes the predicted class (the arg-max), only the confidence.  The NLL
    is minimised over ``log T`` in ``log(bounds)`` with SciPy's bounded
    scalar search, so the result lies within ``bounds``.

    Parameters
    ----------
    logits : array_like
        Shape ``(n, n_classes)``, held-out logits.
    target : array_like
        Shape ``(n,)``, their true class indices.
    bounds : tuple of float, optional
        ``(low, high)`` with ``0 < low < high``: the search interval of ``T``.

    Returns
    -------
    float
        The fitted temperature (no unit; > 1 means the logits were too large).

    Raises
    ------
    ValueError
        ``logits`` not 2-D, ``target`` of the wrong shape or out of range,
        or bad ``bounds``.
    TypeError
        ``target`` not integer.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import calibration
    >>> z = np.array([[4.0, 0.0], [4.0, 0.0]])
    >>> round(calibration.fit_temperature(z, [0, 1]), 2)   # one right, one wrong: T -> high bound
    20.0
    """
    z = _check_logits(logits)
    t = _check_target(target, z.shape[0], z.shape[1])
    lo, hi = bounds
    if not 0 < lo < hi:
        raise ValueError(f"bounds: must satisfy 0 < low < high, got {bounds!r}")
    res = minimize_scalar(lambda s: nll(z, t, temperature=np.exp(s)),
                          bounds=(np.log(lo), np.log(hi)), method="bounded",
                          options={"xatol": 1e-6})
    return float(np.exp(res.x))
