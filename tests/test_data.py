"""xentlib.data: shapes, seeding, the geometry of the generators, and bad input named.

Expected values come from the construction written out by hand (circles,
counts, one-hot rows), never from the code under test.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from xentlib import data


def test_moons_lie_on_their_circles_without_noise():
    # class 0: upper unit circle around (0, 0); class 1: lower unit circle around (1, 0.5);
    # then the whole cloud is shifted by (-0.5, -0.25)
    X, y = data.make_moons(41, noise=0.0, seed=3)
    assert X.shape == (41, 2) and X.dtype == np.float64 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [20, 21]
    c0 = np.array([0.0, 0.0]) - [0.5, 0.25]
    c1 = np.array([1.0, 0.5]) - [0.5, 0.25]
    np.testing.assert_allclose(np.hypot(*(X[y == 0] - c0).T), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.hypot(*(X[y == 1] - c1).T), 1.0, atol=1e-12)
    assert (X[y == 0, 1] >= c0[1] - 1e-12).all()       # upper half
    assert (X[y == 1, 1] <= c1[1] + 1e-12).all()       # lower half


def test_an_int_seed_and_its_generator_give_the_same_data():
    a = data.make_moons(50, seed=7)
    b = data.make_moons(50, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    c = data.make_moons(50, seed=8)
    assert not np.array_equal(a[0], c[0])


def test_positional_generator_still_works_for_lr_problem_and_synthetic_overconfident():
    x1, y1 = data.lr_problem(np.random.default_rng(0))
    x2, y2 = data.lr_problem(seed=0)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert x1.shape == (40, 2) and set(y1.tolist()) <= {0, 1, 2}
    z1, t1 = data.synthetic_overconfident(np.random.default_rng(1), n=30, n_classes=3)
    z2, t2 = data.synthetic_overconfident(seed=1, n=30, n_classes=3)
    np.testing.assert_array_equal(z1, z2)
    np.testing.assert_array_equal(t1, t2)


def test_split_is_stratified_and_disjoint():
    a = data.make_moons(100, seed=3)
    X, y = a
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, test_fraction=0.3, seed=0)
    assert len(ytr) + len(yte) == 100 and len(yte) == 30
    assert np.bincount(yte).tolist() == [15, 15]        # 0.3 * 50 of each class
    rows = {tuple(r) for r in Xtr} & {tuple(r) for r in Xte}
    assert not rows


def test_spirals_sparse_and_source_setup():
    Xs, ys = data.make_spirals(50, seed=0)
    assert Xs.shape == (50, 2) and np.bincount(ys).tolist() == [25, 25]
    Xp, yp, w = data.make_sparse_features(50, 30, active=4, seed=0)
    assert Xp.shape == (50, 30) and w.shape == (30,)
    assert (Xp.sum(axis=1) == 4).all() and set(np.unique(Xp).tolist()) == {0.0, 1.0}
    assert np.bincount(yp).tolist() == [25, 25]          # split at the median: balanced
    X, y = data.source_setup(500, seed=0)
    assert X.min() >= 0 and X.max() < 1 and set(y.tolist()) == {0, 1}


def test_conditioned_inputs_have_the_asked_condition_number():
    X, y = data.make_conditioned(20_000, 3, kappa=50.0, seed=0)
    ev = np.linalg.eigvalsh(X.T @ X / len(X))
    assert ev[-1] / ev[0] == pytest.approx(50.0, rel=0.1)
    # the scaled feature has variance kappa, the others 1
    np.testing.assert_allclose(X.var(axis=0), [1.0, 1.0, 50.0], rtol=0.05)


def test_whitened_conditioned_inputs_have_exactly_the_asked_condition_number():
    # without whitening, 50 features from 500 samples spread the eigenvalues (about 1.7 to 0.5)
    X, _ = data.make_conditioned(500, 50, kappa=1.0, seed=0)
    ev = np.linalg.eigvalsh(X.T @ X / len(X))
    assert ev[-1] / ev[0] > 2
    for d, kappa in ((2, 1.0), (50, 1.0), (50, 30.0)):
        X, y = data.make_conditioned(500, d, kappa=kappa, whiten=True, seed=0)
        ev = np.linalg.eigvalsh(X.T @ X / len(X))
        assert ev[-1] / ev[0] == pytest.approx(kappa, rel=1e-9)
        assert ev[0] == pytest.approx(1.0, rel=1e-9)
    # the labels do not depend on the whitening
    np.testing.assert_array_equal(y, data.make_conditioned(500, 50, kappa=30.0, seed=0)[1])
    with pytest.raises(ValueError, match="^whiten: needs more samples than features"):
        data.make_conditioned(10, 10, whiten=True)


def test_one_hot_by_hand():
    np.testing.assert_array_equal(data.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    assert data.one_hot([1], 2).dtype == np.float32
    assert data.one_hot(np.array([], dtype=int), 4).shape == (0, 4)
    with pytest.raises(ValueError, match="^target: class index 3 at index 1"):
        data.one_hot([0, 3], 3)
    with pytest.raises(TypeError, match="^target"):
        data.one_hot([0.0, 1.0], 3)


GENERATORS = [
    lambda **kw: data.make_moons(**kw),
    lambda **kw: data.make_spirals(**kw),
    lambda **kw: data.source_setup(**kw),
    lambda **kw: data.make_sparse_features(d=10, **kw),
    lambda **kw: data.make_conditioned(d=2, **kw),
    lambda **kw: data.lr_problem(**kw),
    lambda **kw: data.synthetic_overconfident(**kw),
]


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n", [1, 0, -5])
def test_too_few_samples_are_named(make, n):
    with pytest.raises(ValueError, match="^n: must be at least 2"):
        make(n=n, seed=0)


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("seed", [1.5, "0", None, True, np.random.RandomState(0)])
def test_seeds_of_the_wrong_type_are_named(make, seed):
    with pytest.raises(TypeError, match="^seed: expected an int or a numpy Generator"):
        make(n=10, seed=seed)


def test_other_bad_arguments_are_named():
    with pytest.raises(ValueError, match="^noise"):
        data.make_moons(10, noise=-0.1)
    with pytest.raises(ValueError, match="^noise"):
        data.make_spirals(10, noise=math.nan)
    with pytest.raises(ValueError, match="^active"):
        data.make_sparse_features(10, 5, active=6)
    with pytest.raises(ValueError, match="^kappa"):
        data.make_conditioned(10, 2, kappa=0.5)
    with pytest.raises(ValueError, match="^test_fraction"):
        data.train_test_split(np.zeros((4, 1)), [0, 1, 0, 1], test_fraction=1.0)
    with pytest.raises(ValueError, match="^y"):
        data.train_test_split(np.zeros((4, 1)), [0, 1, 0])
    with pytest.raises(ValueError, match="^n_classes"):
        data.random_labels(np.zeros(5), n_classes=1)
    with pytest.raises(ValueError, match="^overconfidence"):
        data.synthetic_overconfident(0, overconfidence=0.0)
