"""Data-parallel gradients and vocabulary-parallel log-sum-exp, against direct computations."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import logsumexp as scipy_lse

from xentlib import models, parallel


@pytest.mark.parametrize("n,n_shards", [(64, 4), (63, 4), (10, 3), (5, 5), (7, 1)])
def test_shard_gradient_average_equals_full_batch_gradient(n, n_shards):
    rng = np.random.default_rng(n * 10 + n_shards)
    X = rng.normal(size=(n, 3))
    y = rng.integers(0, 3, n)
    net = models.MLP(3, 6, 3, seed=1)
    full_loss, full = net.loss_and_grad(X, y)
    loss, grads, info = parallel.data_parallel_grad(net, X, y, n_shards)
    assert info["n_workers"] == n_shards          # all shards ran on distinct, concurrent threads
    assert sum(info["sizes"]) == n
    assert loss == pytest.approx(full_loss, rel=1e-12)
    for k in full:
        np.testing.assert_allclose(grads[k], full[k], rtol=1e-10, atol=1e-14)


def test_unweighted_average_of_unequal_shards_is_wrong():
    """The combination must weight shards by size: the plain mean differs (the test can fail)."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(7, 2)), rng.integers(0, 2, 7)
    net = models.MLP(2, 4, 2, seed=0)
    _, full = net.loss_and_grad(X, y)
    _, _, info = parallel.data_parallel_grad(net, X, y, 2)
    assert info["sizes"] in ([3, 4], [4, 3])
    plain = np.mean([g["W1"] for g in info["shard_grads"]], axis=0)
    assert not np.allclose(plain, full["W1"], rtol=1e-6)


@pytest.mark.parametrize("shape,n_shards", [((5, 10), 4), ((3, 7), 7), ((2, 9), 1), ((4, 1000), 8)])
def test_vocab_parallel_logsumexp_equals_logsumexp(shape, n_shards):
    rng = np.random.default_rng(sum(shape))
    z = rng.normal(scale=30.0, size=shape) + 500.0     # large values: a naive exp would overflow
    lse, shards = parallel.vocab_parallel_logsumexp(z, n_shards, return_shards=True)
    assert shards.shape == (shape[0], n_shards)
    np.testing.assert_allclose(lse, scipy_lse(z, axis=1), rtol=1e-13)


def test_vocab_parallel_cross_entropy_equals_direct():
    rng = np.random.default_rng(3)
    z = rng.normal(scale=3.0, size=(20, 50))
    t = rng.integers(0, 50, 20)
    direct = -scipy_log_softmax(z, axis=1)[np.arange(20), t]
    for k in (1, 3, 7, 50):
        np.testing.assert_allclose(parallel.vocab_parallel_cross_entropy(z, t, k, reduction="none"), direct,
                                   rtol=1e-12)
    assert parallel.vocab_parallel_cross_entropy(z, t, 4) == pytest.approx(direct.mean(), rel=1e-12)


def test_bad_shards():
    with pytest.raises(ValueError, match="n_shards"):
        parallel.vocab_parallel_logsumexp(np.zeros((2, 3)), 4)
    with pytest.raises(ValueError, match="n_shards"):
        parallel.shard_slices(10, 0)
    with pytest.raises(ValueError, match="target"):
        parallel.vocab_parallel_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))


def test_shard_slices_by_hand_and_reduction_checked():
    assert [(s.start, s.stop) for s in parallel.shard_slices(10, 4)] == [(0, 2), (2, 5), (5, 8), (8, 10)]
    # uniform logits over 6 classes: every loss is ln 6
    assert parallel.vocab_parallel_cross_entropy(np.zeros((3, 6)), [0, 2, 5], 3, reduction="sum") == \
        pytest.approx(3 * np.log(6), rel=1e-14)
    with pytest.raises(ValueError, match="^reduction"):
        parallel.vocab_parallel_cross_entropy(np.zeros((2, 3)), np.array([0, 1]), reduction="avg")
