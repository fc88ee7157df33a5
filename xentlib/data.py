"""Small, seeded data sets for the training chapters.

Every generator takes a ``seed`` (an ``int`` or a ``numpy.random.Generator``)
so that every number printed in the course is reproducible.

* :func:`make_moons` -- two interleaved half-moons in 2-D (learnable structure).
* :func:`make_spirals` -- two interleaved spirals in 2-D (harder).
* :func:`source_setup` -- the source article's data (§4.1): uniform inputs and
  labels drawn *independently* of them, so there is nothing to learn.
* :func:`random_labels` -- the same idea for any inputs.
* :func:`train_test_split` -- a seeded, stratified split.
* :func:`make_conditioned` -- Gaussian inputs with a chosen condition number.
* :func:`make_sparse_features` -- binary bag-of-features data where rare
  features carry the signal (for Adagrad in chapter 5).
* :func:`lr_problem` -- a small noisy 3-class problem (chapter 6's learning rates).
* :func:`synthetic_overconfident` -- logits with a known over-confidence factor
  (chapter 3's calibration).
* :func:`one_hot` -- integer class labels as one-hot rows.

Examples
--------
>>> from xentlib import data
>>> X, y = data.make_moons(200, noise=0.1, seed=0)
>>> X.shape, y.shape, sorted(set(y.tolist()))
((200, 2), (200,), [0, 1])
>>> Xtr, Xte, ytr, yte = data.train_test_split(X, y, test_fraction=0.25, seed=0)
>>> len(ytr), len(yte)
(150, 50)
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .softmax import softmax

__all__ = [
    "rng_from",
    "make_moons",
    "make_spirals",
    "source_setup",
    "random_labels",
    "train_test_split",
    "make_sparse_features",
    "make_conditioned",
    "lr_problem",
    "synthetic_overconfident",
    "one_hot",
]


def rng_from(seed: Any) -> np.random.Generator:
    """Return a Generator from an int seed or pass a Generator through."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed: expected an int or a numpy Generator, got {type(seed).__name__}")
    return np.random.default_rng(int(seed))


def _check_n(n: Any, name: str = "n", minimum: int = 2) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name}: expected an int, got {type(n).__name__}")
    if n < minimum:
        raise ValueError(f"{name}: must be at least {minimum}, got {n}")
    return int(n)


def make_moons(n: int = 400, *, noise: float = 0.15, seed: Any = 0):
    """Two interleaved half-moons (classes 0 and 1, ``n // 2`` points each).

    Returns ``X`` of shape ``(n, 2)`` (float64) and integer labels ``y``.
    The classes overlap slightly when ``noise`` is large; with ``noise=0.15``
    a good classifier reaches well above 95 % accuracy.
    """
    n = _check_n(n)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise: must be a finite number >= 0, got {noise}")
    rng = rng_from(seed)
    n0 = n // 2
    n1 = n - n0
    t0 = rng.uniform(0.0, np.pi, n0)
    t1 = rng.uniform(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + noise * rng.normal(size=(n, 2))
    y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])
    order = rng.permutation(n)
    # centre the cloud so that a network without input scaling trains well
    X = X - np.array([0.5, 0.25])
    return X[order], y[order]


def make_spirals(n: int = 400, *, turns: float = 1.5, noise: float = 0.1, seed: Any = 0):
    """Two interleaved spirals (classes 0 and 1); returns ``X (n, 2)`` and ``y``."""
    n = _check_n(n)
    rng = rng_from(seed)
    n0 = n // 2
    counts = (n0, n - n0)
    Xs, ys = [], []
    for label, m in enumerate(counts):
        r = np.sqrt(rng.uniform(0.05, 1.0, m))
        theta = 2 * np.pi * turns * r + label * np.pi
        pts = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
        Xs.append(pts + noise * rng.normal(size=(m, 2)) * r[:, None])
        ys.append(np.full(m, label, dtype=np.int64))
    order = rng.permutation(n)
    return np.vstack(Xs)[order], np.concatenate(ys)[order]


def source_setup(n: int = 100, *, seed: Any = 0):
    """The source's §4.1 data, with a seed: ``X ~ U[0,1)^2``, ``y ~ U{0,1}``.

    The source writes ``X = np.random.rand(100, 2)`` and
    ``y = np.random.randint(0, 2, 100)``: the labels are drawn independently
    of the inputs, so no classifier can beat chance on new data.
    """
    n = _check_n(n)
    rng = rng_from(seed)
    X = rng.random((n, 2))
    y = rng.integers(0, 2, n)
    return X, y


def random_labels(X: Any, *, n_classes: int = 2, seed: Any = 0) -> np.ndarray:
    """Labels drawn uniformly at random, independently of ``X``."""
    X = np.asarray(X)
    if X.ndim < 1:
        raise ValueError("X: needs at least one dimension (the samples)")
    _check_n(n_classes, "n_classes")
    return rng_from(seed).integers(0, n_classes, X.shape[0])


def train_test_split(X: Any, y: Any, *, test_fraction: float = 0.25, seed: Any = 0):
    """Seeded split that keeps the class proportions (stratified).

    Returns ``X_train, X_test, y_train, y_test``.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"y: has {y.shape[0]} samples but X has {X.shape[0]}")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction: must be in (0, 1), got {test_fraction}")
    rng = rng_from(seed)
    test_idx = []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        idx = rng.permutation(idx)
        k = int(round(test_fraction * idx.size))
        test_idx.append(idx[:k])
    test = np.zeros(y.shape[0], dtype=bool)
    test[np.concatenate(test_idx)] = True
    tr = rng.permutation(np.flatnonzero(~test))
    te = rng.permutation(np.flatnonzero(test))
    return X[tr], X[te], y[tr], y[te]


def make_sparse_features(n: int = 2000, d: int = 500, *, active: int = 5,
                         zipf: float = 1.1, seed: Any = 0):
    """Binary bag-of-features data with Zipf-distributed feature frequencies.

    Each sample switches on ``active`` features, drawn with probability
    proportional to ``1 / rank**zipf``: a few features are very common, most
    are rare.  The label says whether a fixed linear score exceeds its median
    (so the classes are balanced); in that score *rare* features carry the signal (weights grow with the rank), which is the case
    where per-coordinate learning rates (Adagrad) help.

    Returns ``X`` (dense float64 of 0/1, shape ``(n, d)``), integer labels
    ``y`` and the true weight vector ``w``.
    """
    n = _check_n(n)
    d = _check_n(d, "d")
    rng = rng_from(seed)
    ranks = np.arange(1, d + 1)
    freq = 1.0 / ranks ** zipf
    freq /= freq.sum()
    # sampling `active` features without replacement with probabilities `freq`, for all rows at
    # once: the Gumbel-top-k trick (the k largest of log p + Gumbel noise)
    keys = np.log(freq) + rng.gumbel(size=(n, d))
    on = np.argpartition(-keys, active - 1, axis=1)[:, :active]
    X = np.zeros((n, d))
    np.put_along_axis(X, on, 1.0, axis=1)
    w = rng.normal(size=d) * np.log1p(ranks) / np.log1p(d)
    score = X @ w
    y = (score > np.median(score)).astype(np.int64)
    return X, y, w


def make_conditioned(n: int, d: int, *, kappa: float = 1.0, seed: Any = 0):
    """Binary data for conditioning experiments: ``X = Z * s`` with ``Z ~ N(0, I)``.

    The last feature is scaled by ``sqrt(kappa)``, so the input covariance has
    condition number close to ``kappa`` when ``n`` is much larger than ``d``.  Labels
    come from a logistic model on ``Z`` (``P(y=1) = sigmoid(Z . w)``, ``|w| = 2``),
    so the problem has the same difficulty in ``Z`` for every ``kappa``.
    """
    rng = rng_from(seed)
    Z = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    w *= 2.0 / np.linalg.norm(w)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(Z @ w)))).astype(np.int64)
    s = np.ones(d)
    s[-1] = np.sqrt(kappa)
    return Z * s, y


def lr_problem(rng: np.random.Generator, n: int = 40):
    """A small noisy 3-class problem: ``(x, y)`` with 2 features, 25 % random labels."""
    x = 2.0 * rng.normal(size=(n, 2))
    w = 1.5 * rng.normal(size=(2, 3))
    y = np.argmax(x @ w + rng.gumbel(size=(n, 3)), axis=1)
    flip = rng.random(n) < 0.25
    y[flip] = rng.integers(3, size=int(flip.sum()))
    return x, y


def one_hot(target, n_classes: int, dtype=np.float32) -> np.ndarray:
    """One-hot matrix ``(n, n_classes)`` of integer targets."""
    t = np.asarray(target)
    out = np.zeros((t.shape[0], int(n_classes)), dtype=dtype)
    out[np.arange(t.shape[0]), t] = 1
    return out


def synthetic_overconfident(rng: np.random.Generator, *, n: int = 2000, n_classes: int = 4,
                            n_features: int = 2, overconfidence: float = 3.0,
                            scale: float = 1.0):
    """A toy problem with a known miscalibration.

    The *true* model is ``P(y | x) = softmax(x @ W)`` with random Gaussian
    ``x`` and ``W`` (entries of ``W`` scaled by ``scale``); labels are sampled from
    it.  The returned *model* logits are ``overconfidence * x @ W``: the right
    class ranking, but too sharp, so the temperature that calibrates them is
    ``overconfidence``.

    Returns
    -------
    logits : ``(n, n_classes)`` model logits.
    labels : ``(n,)`` sampled integer labels.
    """
    x = rng.normal(size=(n, n_features))
    w = scale * rng.normal(size=(n_features, n_classes))
    true_logits = x @ w
    p = softmax(true_logits, axis=-1)
    u = rng.random(size=(n, 1))
    labels = np.minimum((u > np.cumsum(p, axis=1)).sum(axis=1), n_classes - 1).astype(np.int64)
    return overconfidence * true_logits, labels
