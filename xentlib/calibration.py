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
(:func:`xentlib.data.synthetic_overconfident` makes a toy problem whose right
temperature is known; :func:`xentlib.plotting.plot_reliability` draws a
reliability diagram.)

Examples
--------
>>> import numpy as np
>>> from xentlib import calibration, data
>>> rng = np.random.default_rng(0)
>>> logits, labels = data.synthetic_overconfident(rng, n=4000, overconfidence=3.0)
>>> t = calibration.fit_temperature(logits, labels)
>>> 2.5 < t < 3.5
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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

    Attributes
    ----------
    edges:
        ``n_bins + 1`` bin edges from 0 to 1.
    count:
        Number of predictions whose confidence falls in each bin.
    confidence:
        Mean confidence in each bin (``nan`` for an empty bin).
    accuracy:
        Fraction of correct predictions in each bin (``nan`` for an empty bin).
    """

    edges: np.ndarray
    count: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray

    @property
    def centers(self) -> np.ndarray:
        return 0.5 * (self.edges[:-1] + self.edges[1:])

    @property
    def gap(self) -> np.ndarray:
        """``accuracy - confidence`` per bin (negative: over-confident)."""
        return self.accuracy - self.confidence


def _confidence_and_correct(probs, labels):
    probs = np.asarray(probs, dtype=float)
    labels = np.asarray(labels)
    if probs.ndim != 2:
        raise ValueError(f"probs must have shape (n, n_classes), got shape {probs.shape}")
    if labels.shape != probs.shape[:1]:
        raise ValueError(f"labels must have shape ({probs.shape[0]},), got shape {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be integer class indices, got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= probs.shape[1]):
        raise ValueError(f"labels must lie in [0, {probs.shape[1] - 1}]")
    if not np.all(np.isfinite(probs)) or np.any(probs < 0) or np.any(probs > 1):
        raise ValueError("probs must be probabilities in [0, 1]")
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == labels
    return confidence, correct


def reliability_bins(probs, labels, *, n_bins: int = 10) -> ReliabilityBins:
    """Bin predictions by confidence (the largest class probability).

    Parameters
    ----------
    probs:
        ``(n, n_classes)`` predicted probabilities (rows sum to 1).
    labels:
        ``(n,)`` true class indices.
    n_bins:
        Number of equal-width bins on [0, 1]; bin ``b`` holds confidences in
        ``(edges[b], edges[b+1]]`` (the first bin also holds 0).
    """
    if not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    confidence, correct = _confidence_and_correct(probs, labels)
    edges = np.linspace(0.0, 1.0, int(n_bins) + 1)
    idx = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, n_bins - 1)
    count = np.bincount(idx, minlength=n_bins)
    conf_sum = np.bincount(idx, weights=confidence, minlength=n_bins)
    acc_sum = np.bincount(idx, weights=correct.astype(float), minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.where(count > 0, conf_sum / np.maximum(count, 1), np.nan)
        acc = np.where(count > 0, acc_sum / np.maximum(count, 1), np.nan)
    return ReliabilityBins(edges=edges, count=count, confidence=conf, accuracy=acc)


def expected_calibration_error(probs, labels, *, n_bins: int = 10) -> float:
    """Expected calibration error: ``sum_b (n_b / n) * |accuracy_b - confidence_b|``.

    A number in [0, 1] (a difference of probabilities, no unit); 0 means the
    binned confidences match the binned accuracies exactly.
    """
    bins = reliability_bins(probs, labels, n_bins=n_bins)
    n = bins.count.sum()
    if n == 0:
        raise ValueError("probs must hold at least one prediction")
    filled = bins.count > 0
    return float(np.sum(bins.count[filled] / n * np.abs(bins.gap[filled])))


def nll(logits, labels, *, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood in nats of ``softmax(logits / temperature)``."""
    from xentlib import log_softmax

    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels)
    logp = log_softmax(logits / float(temperature), axis=-1)
    return float(-np.mean(logp[np.arange(labels.shape[0]), labels]))


def fit_temperature(logits, labels, *, bounds: tuple[float, float] = (0.05, 20.0)) -> float:
    """The temperature ``T`` minimising :func:`nll` ``(logits / T, labels)``.

    Temperature scaling divides every logit by one positive number: it never
    changes the predicted class (the arg-max), only the confidence.  The NLL
    is minimised over ``log T`` in ``log(bounds)`` with a bounded scalar
    search (scipy), so the result lies within ``bounds``.
    """
    from scipy.optimize import minimize_scalar

    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (n, n_classes), got shape {logits.shape}")
    if labels.shape != logits.shape[:1] or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integer class indices of shape ({logits.shape[0]},)")
    lo, hi = bounds
    if not 0 < lo < hi:
        raise ValueError(f"bounds must satisfy 0 < low < high, got {bounds!r}")
    res = minimize_scalar(lambda s: nll(logits, labels, temperature=np.exp(s)),
                          bounds=(np.log(lo), np.log(hi)), method="bounded",
                          options={"xatol": 1e-6})
    return float(np.exp(res.x))


