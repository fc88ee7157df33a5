"""Small, seeded data sets for the training chapters.

Every generator takes ``seed=`` (an ``int`` or a ``numpy.random.Generator``,
turned into a generator by :func:`rng_from`) so that every number printed in
the course is reproducible.  Inputs are float64 arrays ``X`` of shape
``(n, d)``; class indices are int64 arrays called ``y`` (the *target* of the
losses).

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
* :func:`one_hot` -- integer class indices as one-hot rows.
* :func:`rng_from` -- the ``seed=`` convention: an int or a Generator.

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

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from .softmax import sigmoid, softmax

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

#: What ``seed=`` accepts everywhere in the course.
Seed = int | np.integer | np.random.Generator

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def rng_from(seed: Seed) -> np.random.Generator:
    """The random generator behind every ``seed=`` argument of the course.

    Parameters
    ----------
    seed : int or numpy.random.Generator
        An int seeds a fresh ``numpy.random.default_rng(seed)``; a Generator
        is passed through unchanged (and advanced by whoever draws from it).

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    TypeError
        ``seed`` is neither an int nor a Generator (``bool``, float, str,
        ``None`` and the legacy ``RandomState`` are refused).

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib.data import rng_from
    >>> float(rng_from(0).random()) == float(np.random.default_rng(0).random())
    True
    >>> rng_from(0.5)
    Traceback (most recent call last):
    ...
    TypeError: seed: expected an int or a numpy Generator, got float
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed: expected an int or a numpy Generator, got {type(seed).__name__}")
    return np.random.default_rng(int(seed))


def _check_n(n: Any, name: str = "n", minimum: int = 2) -> int:
    """``n`` as an int; raise naming ``name`` unless it is an int >= ``minimum``."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name}: expected an int, got {type(n).__name__}")
    if n < minimum:
        raise ValueError(f"{name}: must be at least {minimum}, got {n}")
    return int(n)


def _check_nonneg(x: Any, name: str) -> float:
    """``x`` as a float; raise naming ``name`` unless it is a finite number >= 0."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: expected a number, got {type(x).__name__}")
    if not math.isfinite(x) or x < 0:
        raise ValueError(f"{name}: must be a finite number >= 0, got {x}")
    return float(x)


def make_moons(n: int = 400, *, noise: float = 0.15, seed: Seed = 0) -> tuple[FloatArray, IntArray]:
    """Two interleaved half-moons in 2-D (classes 0 and 1).

    Class 0 lies on the upper half of the unit circle around ``(0, 0)``,
    class 1 on the lower half of the unit circle around ``(1, 0.5)``, each
    point moved by Gaussian noise; the cloud is then shifted by
    ``(-0.5, -0.25)`` (centred, so that a network trains well without input
    scaling) and shuffled.

    Parameters
    ----------
    n : int, optional
        Number of points, >= 2 (``n // 2`` in class 0, the rest in class 1).
    noise : float, optional
        Standard deviation of the Gaussian noise, >= 0.  With 0.15 a good
        classifier reaches well above 95 % accuracy; large values make the
        classes overlap.
    seed : int or numpy.random.Generator, optional
        Randomness (see :func:`rng_from`).

    Returns
    -------
    X : numpy.ndarray
        Shape ``(n, 2)``, float64.
    y : numpy.ndarray
        Shape ``(n,)``, int64 class indices 0 and 1.

    Raises
    ------
    ValueError
        ``n < 2`` or ``noise`` negative or not finite.
    TypeError
        ``n`` not an int, ``noise`` not a number, or ``seed`` of the wrong type.

    Examples
    --------
    >>> from xentlib import data
    >>> X, y = data.make_moons(7, seed=0)
    >>> X.shape, y.tolist().count(0)
    ((7, 2), 3)
    """
    n = _check_n(n)
    noise = _check_nonneg(noise, "noise")
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


def make_spirals(n: int = 400, *, turns: float = 1.5, noise: float = 0.1,
                 seed: Seed = 0) -> tuple[FloatArray, IntArray]:
    """Two interleaved spirals in 2-D (classes 0 and 1), harder than the moons.

    A point of class ``c`` at radius ``r`` (``r**2`` uniform on ``[0.05, 1)``)
    sits at angle ``2 pi turns r + c pi``; the noise grows with the radius.

    Parameters
    ----------
    n : int, optional
        Number of points, >= 2 (``n // 2`` in class 0, the rest in class 1).
    turns : float, optional
        Number of turns of each spiral, >= 0.
    noise : float, optional
        Standard deviation of the noise at radius 1, >= 0.
    seed : int or numpy.random.Generator, optional
        Randomness (see :func:`rng_from`).

    Returns
    -------
    X : numpy.ndarray
        Shape ``(n, 2)``, float64.
    y : numpy.ndarray
        Shape ``(n,)``, int64 class indices 0 and 1.

    Raises
    ------
    ValueError
        ``n < 2``, or ``turns`` or ``noise`` negative or not finite.
    TypeError
        ``n`` not an int or ``seed`` of the wrong type.

    Examples
    --------
    >>> from xentlib import data
    >>> X, y = data.make_spirals(50, seed=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((50, 2), [0, 1])
    """
    n = _check_n(n)
    turns = _check_nonneg(turns, "turns")
    noise = _check_nonneg(noise, "noise")
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


def source_setup(n: int = 100, *, seed: Seed = 0) -> tuple[FloatArray, IntArray]:
    """The source article's §4.1 data, with a seed: ``X ~ U[0,1)^2``, ``y ~ U{0,1}``.

    The source writes ``X = np.random.rand(100, 2)`` and
    ``y = np.random.randint(0, 2, 100)``: the labels are drawn independently
    of the inputs, so no classifier can beat chance on new data.

    Parameters
    ----------
    n : int, optional
        Number of samples, >= 2 (the source uses 100).
    seed : int or numpy.random.Generator, optional
        Randomness (see :func:`rng_from`).

    Returns
    -------
    X : numpy.ndarray
        Shape ``(n, 2)``, float64 in ``[0, 1)``.
    y : numpy.ndarray
        Shape ``(n,)``, int64 class indices 0 and 1.

    Raises
    ------
    ValueError
        ``n < 2``.
    TypeError
        ``n`` not an int or ``seed`` of the wrong type.

    Examples
    --------
    >>> from xentlib import data
    >>> X, y = data.source_setup(100, seed=0)
    >>> X.shape, bool(X.min() >= 0 and X.max() < 1), sorted(set(y.tolist()))
    ((100, 2), True, [0, 1])
    """
    n = _check_n(n)
    rng = rng_from(seed)
    X = rng.random((n, 2))
    y = rng.integers(0, 2, n)
    return X, y.astype(np.int64, copy=False)


def random_labels(X: ArrayLike, *, n_classes: int = 2, seed: Seed = 0) -> IntArray:
    """Class indices drawn uniformly at random, independently of ``X``.

    Parameters
    ----------
    X : array_like
        The inputs; only the number of rows ``X.shape[0]`` is used.
    n_classes : int, optional
        Number of classes, >= 2.
    seed : int or numpy.random.Generator, optional
        Randomness (see :func:`rng_from`).

    Returns
    -------
    numpy.ndarray
        Shape ``(X.shape[0],)``, int64 in ``[0, n_classes)``.

    Raises
    ------
    ValueError
        ``X`` is 0-d or ``n_classes < 2``.
    TypeError
        ``n_classes`` not an int or ``seed`` of the wrong type.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import data
    >>> data.random_labels(np.zeros((5, 2)), n_classes=3, seed=0).shape
    (5,)
    """
    Xa = np.asarray(X)
    if Xa.ndim < 1:
        raise ValueError("X: needs at least one dimension (the samples)")
    k = _check_n(n_classes, "n_classes")
    return np.asarray(rng_from(seed).integers(0, k, Xa.shape[0]), dtype=np.int64)


def train_test_split(X: ArrayLike, y: ArrayLike, *, test_fraction: float = 0.25,
                     seed: Seed = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Seeded split that keeps the class proportions (stratified).

    From each class ``c`` with ``n_c`` samples, ``round(test_fraction * n_c)``
    go to the test set; both sets are shuffled.

    Parameters
    ----------
    X : array_like
        Inputs, one sample per row.
    y : array_like
        Class indices, one per row of ``X``.
    test_fraction : float, optional
        Fraction of every class put in the test set, in ``(0, 1)``.
    seed : int or numpy.random.Generator, optional
        Randomness (see :func:`rng_from`).

    Returns
    -------
    X_train, X_test, y_train, y_test : numpy.ndarray
        The rows of ``X`` and ``y`` in each set.

    Raises
    ------
    ValueError
        ``X`` and ``y`` have different numbers of rows, or ``test_fraction``
        is not in ``(0, 1)``.
    TypeError
        ``seed`` of the wrong type.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import data
    >>> X, y = np.arange(8).reshape(8, 1), np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> Xtr, Xte, ytr, yte = data.train_test_split(X, y, test_fraction=0.5, seed=0)
    >>> np.bincount(yte).tolist(), len(ytr)
    ([2, 2], 4)
    """
    Xa = np.asarray(X)
    ya = np.asarray(y)
    if Xa.ndim < 1 or ya.ndim < 1 or Xa.shape[0] != ya.shape[0]:
        raise ValueError(f"y: has shape {ya.shape} but X has shape {Xa.shape} (need the same number of rows)")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float, np.floating)) \
            or not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction: must be in (0, 1), got {test_fraction!r}")
    rng = rng_from(seed)
    test_idx = []
    for c in np.unique(ya):
        idx = np.flatnonzero(ya == c)
        idx = rng.permutation(idx)
        k = int(round(test_fraction * idx.size))
        test_idx.append(idx[:k])
    test = np.zeros(ya.shape[0], dtype=bool)
    test[np.concatenate(test_idx)] = True
    tr = rng.permutation(np.flatnonzero(~test))
    te = rng.permutation(np.flatnonzero(test))
    return Xa[tr], Xa[te], ya[tr], ya[te]


def make_sparse_features(n: int = 2000, d: int = 500, *, active: int = 5,
                         zipf: float = 1.1, seed: Seed = 0) -> tuple[FloatArray, IntArray, FloatArray]:
    """Binary bag-of-features data with Zipf-distributed feature frequencies.

    Each sample switches on ``active`` distinct features, drawn with
    probability proportional to ``1 / rank**zipf``: a few features are very
    common, most are rare.  The label says whether a fixed linear score
    exceeds its median (so the classes are balanced); in that score *rare*
    features carry the signal (weights grow with the rank), which is the case
    where per-coordinate learning rates (Adagrad) help.

    Parameters
    ----------
    n : int, optional
        Number of samples, >= 2.
    d : int, optional
        Number of features, >= 2.
    active : int, optional
        Features switched on per sample, in ``[1, d]``.
    zipf : float, optional
        Exponent of the frequency law, >= 0 (0: all features equally common).
    seed : int or numpy.random.Generator, optional
        Randomness (see :func:`rng_from`).

    Returns
    -------
    X : numpy.ndarray
        Shape ``(n, d)``, float64 zeros and ones (dense).
    y : numpy.ndarray
        Shape ``(n,)``, int64 class indices 0 and 1.
    w : numpy.ndarray
        Shape ``(d,)``, the weights of the score that defines ``y``.

    Raises
    ------
    ValueError
        ``n < 2``, ``d < 2``, ``active`` not in ``[1, d]`` or ``zipf`` negative.
    TypeError
        An int argument that is not an int, or ``seed`` of the wrong type.

    Examples
    --------
    >>> from xentlib import data
    >>> X, y, w = data.make_sparse_features(50, 30, active=5, seed=0)
    >>> X.shape, X.sum(axis=1).tolist() == [5.0] * 50
    ((50, 30), True)
    """
    n = _check_n(n)
    d = _check_n(d, "d")
    active = _check_n(active, "active", minimum=1)
    if active > d:
        raise ValueError(f"active: must be at most d = {d}, got {active}")
    zipf = _check_nonneg(zipf, "zipf")
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


def make_conditioned(n: int, d: int, *, kappa: float = 1.0, whiten: bool = False,
                     seed: Seed = 0) -> tuple[FloatArray, IntArray]:
    """Binary data for conditioning experiments: ``X = Z * s`` with ``Z ~ N(0, I)``.

    The last feature is scaled by ``sqrt(kappa)``, so the uncentred second moment has
    condition number close to ``kappa`` when ``n`` is much larger than ``d``.
    Labels come from a logistic model on ``Z`` (``P(y=1) = sigmoid(Z . w)``,
    ``|w| = 2``), so the problem has the same difficulty in ``Z`` for every
    ``kappa``.  With ``whiten=True`` the inputs are first rotated and rescaled so that
    ``Z.T @ Z / n`` is exactly the identity: the condition number is then exactly ``kappa``
    for every ``n > d``, so that problems of different sizes can share one ``kappa``.

    Parameters
    ----------
    n : int
        Number of samples, >= 2.
    d : int
        Number of features, >= 1.
    kappa : float, optional
        Target condition number of ``X.T @ X / n``, a finite number >= 1.
    whiten : bool, optional
        Make the condition number exact (needs ``n > d``; default False).
    seed : int or numpy.random.Generator, optional
        Randomness (see :func:`rng_from`).

    Returns
    -------
    X : numpy.ndarray
        Shape ``(n, d)``, float64.
    y : numpy.ndarray
        Shape ``(n,)``, int64 class indices 0 and 1.

    Raises
    ------
    ValueError
        ``n < 2``, ``d < 1``, ``kappa < 1``, or ``whiten`` with ``n <= d``.
    TypeError
        ``n`` or ``d`` not an int, or ``seed`` of the wrong type.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import data
    >>> X, y = data.make_conditioned(4000, 2, kappa=100.0, seed=0)
    >>> ev = np.linalg.eigvalsh(X.T @ X / len(X))
    >>> bool(80 < ev[-1] / ev[0] < 120)
    True
    >>> X, y = data.make_conditioned(500, 50, kappa=10.0, whiten=True, seed=0)
    >>> ev = np.linalg.eigvalsh(X.T @ X / len(X))
    >>> round(float(ev[-1] / ev[0]), 6)
    10.0
    """
    n = _check_n(n)
    d = _check_n(d, "d", minimum=1)
    kappa = _check_nonneg(kappa, "kappa")
    if kappa < 1:
        raise ValueError(f"kappa: a condition number is at least 1, got {kappa}")
    rng = rng_from(seed)
    Z = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    w *= 2.0 / np.linalg.norm(w)
    y = (rng.random(n) < sigmoid(Z @ w)).astype(np.int64)
    if whiten:
        if n <= d:
            raise ValueError(f"whiten: needs more samples than features, got n={n}, d={d}")
        ev, U = np.linalg.eigh(Z.T @ Z / n)
        Z = Z @ (U / np.sqrt(ev)) @ U.T
    s = np.ones(d)
    s[-1] = np.sqrt(kappa)
    return Z * s, y


def lr_problem(seed: Seed = 0, n: int = 40) -> tuple[FloatArray, IntArray]:
    """A small noisy 3-class problem with 2 features (chapter 6's learning rates).

    Inputs ``x ~ N(0, 4 I)``; the class is the arg-max of a random linear
    score plus Gumbel noise (a softmax model), then 25 % of the labels are
    replaced by random classes.

    Parameters
    ----------
    seed : int or numpy.random.Generator, optional
        Randomness (see :func:`rng_from`); may be passed positionally,
        ``lr_problem(rng)``.
    n : int, optional
        Number of samples, >= 2.

    Returns
    -------
    x : numpy.ndarray
        Shape ``(n, 2)``, float64.
    y : numpy.ndarray
        Shape ``(n,)``, int64 class indices in ``{0, 1, 2}``.

    Raises
    ------
    ValueError
        ``n < 2``.
    TypeError
        ``n`` not an int or ``seed`` of the wrong type.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import data
    >>> x, y = data.lr_problem(np.random.default_rng(0))
    >>> x.shape, bool(set(y.tolist()) <= {0, 1, 2})
    ((40, 2), True)
    """
    n = _check_n(n)
    rng = rng_from(seed)
    x = 2.0 * rng.normal(size=(n, 2))
    w = 1.5 * rng.normal(size=(2, 3))
    y = np.argmax(x @ w + rng.gumbel(size=(n, 3)), axis=1)
    flip = rng.random(n) < 0.25
    y[flip] = rng.integers(3, size=int(flip.sum()))
    return x, y.astype(np.int64, copy=False)


def one_hot(target: ArrayLike, n_classes: int, dtype: DTypeLike = np.float32) -> np.ndarray:
    """One-hot matrix of integer class indices.

    Parameters
    ----------
    target : array_like
        Shape ``(n,)``, integer class indices in ``[0, n_classes)``.
    n_classes : int
        Number of classes (columns), >= 1.
    dtype : data-type, optional
        Of the result (default float32, what a framework would store; its
        size in bytes is what :func:`xentlib.memory.target_nbytes` counts).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, n_classes)``: row ``i`` is 1 in column ``target[i]``, 0 elsewhere.

    Raises
    ------
    ValueError
        ``target`` not 1-D, or an index out of range.
    TypeError
        ``target`` not integer, or ``n_classes`` not an int.

    Examples
    --------
    >>> from xentlib import data
    >>> data.one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]], dtype=float32)
    """
    t = np.asarray(target)
    k = _check_n(n_classes, "n_classes", minimum=1)
    if t.ndim != 1:
        raise ValueError(f"target: expected a 1-D array of class indices, got shape {t.shape}")
    if t.size and not np.issubdtype(t.dtype, np.integer):
        raise TypeError(f"target: expected integer class indices, got dtype {t.dtype}")
    if t.size and (t.min() < 0 or t.max() >= k):
        bad = int(np.flatnonzero((t < 0) | (t >= k))[0])
        raise ValueError(f"target: class index {int(t[bad])} at index {bad} is outside [0, {k})")
    out = np.zeros((t.shape[0], k), dtype=dtype)
    out[np.arange(t.shape[0]), t.astype(np.intp)] = 1
    return out


def synthetic_overconfident(seed: Seed = 0, *, n: int = 2000, n_classes: int = 4,
                            n_features: int = 2, overconfidence: float = 3.0,
                            scale: float = 1.0) -> tuple[FloatArray, IntArray]:
    """A toy classification problem with a known miscalibration (chapter 3).

    The *true* model is ``P(y | x) = softmax(x @ W)`` with random Gaussian
    ``x`` and ``W`` (entries of ``W`` scaled by ``scale``); labels are
    sampled from it.  The returned *model* logits are
    ``overconfidence * x @ W``: the right class ranking, but too sharp, so the
    temperature that calibrates them (:func:`xentlib.calibration.fit_temperature`)
    is ``overconfidence``.

    Parameters
    ----------
    seed : int or numpy.random.Generator, optional
        Randomness (see :func:`rng_from`); may be passed positionally,
        ``synthetic_overconfident(rng, n=...)``.
    n : int, optional
        Number of samples, >= 2.
    n_classes : int, optional
        Number of classes, >= 2.
    n_features : int, optional
        Dimension of ``x``, >= 1.
    overconfidence : float, optional
        Factor applied to the true logits, > 0 (1: calibrated).
    scale : float, optional
        Standard deviation of the entries of ``W``, >= 0.

    Returns
    -------
    logits : numpy.ndarray
        Shape ``(n, n_classes)``, float64 model logits.
    target : numpy.ndarray
        Shape ``(n,)``, int64 class indices sampled from the true model.

    Raises
    ------
    ValueError
        A size below its minimum, ``overconfidence <= 0`` or ``scale < 0``.
    TypeError
        A size that is not an int, or ``seed`` of the wrong type.

    Examples
    --------
    >>> from xentlib import data
    >>> logits, target = data.synthetic_overconfident(0, n=10, n_classes=3)
    >>> logits.shape, target.shape
    ((10, 3), (10,))
    """
    n = _check_n(n)
    n_classes = _check_n(n_classes, "n_classes")
    n_features = _check_n(n_features, "n_features", minimum=1)
    overconfidence = _check_nonneg(overconfidence, "overconfidence")
    if overconfidence == 0:
        raise ValueError("overconfidence: must be > 0, got 0")
    scale = _check_nonneg(scale, "scale")
    rng = rng_from(seed)
    x = rng.normal(size=(n, n_features))
    w = scale * rng.normal(size=(n_features, n_classes))
    true_logits = x @ w
    p = softmax(true_logits, axis=-1)
    u = rng.random(size=(n, 1))
    target = np.minimum((u > np.cumsum(p, axis=1)).sum(axis=1), n_classes - 1).astype(np.int64)
    return overconfidence * true_logits, target
