"""linear_cross_entropy: equals the naive loss/gradients (computed with SciPy), for every chunking."""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special as sps
from hypothesis import given, settings
from hypothesis import strategies as st

import xentlib.linear as LIN
from xentlib import linear_cross_entropy, numerical_gradient

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)


def rel_err(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else np.linalg.norm(a - b) / scale


def naive(h, W, t, b=None, reduction="mean"):
    """Full-logit reference with hand-derived gradients: G = (softmax - onehot) * scale."""
    H = h.reshape(-1, h.shape[-1])
    tt = t.reshape(-1)
    Z = H @ W + (0 if b is None else b)
    logq = sps.log_softmax(Z, axis=-1)
    per = -logq[np.arange(len(tt)), tt]
    G = np.exp(logq)
    G[np.arange(len(tt)), tt] -= 1
    if reduction == "mean":
        G /= len(tt)
    loss = {"mean": per.mean(), "sum": per.sum(), "none": per.reshape(t.shape)}[reduction]
    return loss, (G @ W.T).reshape(h.shape), H.T @ G, G.sum(0)


@SETTINGS
@given(st.integers(1, 7), st.integers(1, 5), st.integers(1, 13), st.integers(1, 15),
       st.booleans(), st.sampled_from(["mean", "sum", "none"]), st.integers(0, 2**31 - 1))
def test_matches_naive(n, H, V, chunk, with_bias, reduction, seed):
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(n, H))
    W = rng.normal(scale=2, size=(H, V))
    b = rng.normal(size=V) if with_bias else None
    t = rng.integers(0, V, n)
    loss, (dh, dW, db) = linear_cross_entropy(h, W, t, bias=b, chunk_size=chunk,
                                              reduction=reduction, return_grad=True)
    rl, rdh, rdW, rdb = naive(h, W, t, b, reduction)
    np.testing.assert_allclose(loss, rl, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(dh, rdh, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(dW, rdW, rtol=1e-10, atol=1e-13)
    if with_bias:
        np.testing.assert_allclose(db, rdb, rtol=1e-10, atol=1e-13)
    else:
        assert db is None


def test_row_blocks_and_batch_dims(monkeypatch):
    monkeypatch.setattr(LIN, "MAX_ROWS", 3)
    rng = np.random.default_rng(1)
    h = rng.normal(size=(2, 5, 4))
    W = rng.normal(size=(4, 9))
    b = rng.normal(size=9)
    t = rng.integers(0, 9, (2, 5))
    loss, (dh, dW, db) = linear_cross_entropy(h, W, t, bias=b, chunk_size=4, return_grad=True)
    rl, rdh, rdW, rdb = naive(h, W, t, b)
    assert loss == pytest.approx(rl, rel=1e-12)
    np.testing.assert_allclose(dh, rdh, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(dW, rdW, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(db, rdb, rtol=1e-10, atol=1e-14)
    assert dh.shape == h.shape
    none = linear_cross_entropy(h, W, t, bias=b, chunk_size=2, reduction="none")
    assert none.shape == (2, 5)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gradients_vs_numerical(reduction):
    rng = np.random.default_rng(2)
    h = rng.normal(size=(3, 4))
    W = rng.normal(size=(4, 6))
    b = rng.normal(size=6)
    t = np.array([5, 0, 2])
    kw = dict(chunk_size=4, reduction=reduction)
    _, (dh, dW, db) = linear_cross_entropy(h, W, t, bias=b, return_grad=True, **kw)
    assert rel_err(dh, numerical_gradient(lambda v: linear_cross_entropy(v, W, t, bias=b, **kw), h)) <= 1e-6
    assert rel_err(dW, numerical_gradient(lambda v: linear_cross_entropy(h, v, t, bias=b, **kw), W)) <= 1e-6
    assert rel_err(db, numerical_gradient(lambda v: linear_cross_entropy(h, W, t, bias=v, **kw), b)) <= 1e-6


def test_stability_large_logits():
    # logits of +-1e4: the max shift of each row keeps everything finite and exact
    h = np.array([[1.0], [-1.0]])
    W = np.array([[1e4, -1e4, 0.0]])
    out = linear_cross_entropy(h, W, np.array([1, 1]), chunk_size=1, reduction="none")
    np.testing.assert_array_equal(out, [2e4, 0.0])


def test_float32():
    rng = np.random.default_rng(3)
    h = rng.normal(size=(64, 16)).astype(np.float32)
    W = rng.normal(size=(16, 300)).astype(np.float32)
    t = rng.integers(0, 300, 64)
    loss, (dh, dW, db) = linear_cross_entropy(h, W, t, chunk_size=37, return_grad=True)
    assert np.asarray(loss).dtype == np.float32 and dh.dtype == np.float32 and dW.dtype == np.float32
    rl, rdh, rdW, _ = naive(h.astype(np.float64), W.astype(np.float64), t)
    assert loss == pytest.approx(rl, rel=1e-6)
    np.testing.assert_allclose(dW, rdW, rtol=1e-4, atol=1e-7)


def test_bad_inputs():
    h = np.zeros((3, 4))
    W = np.zeros((4, 5))
    t = np.array([0, 1, 2])
    with pytest.raises(ValueError, match=r"W: shape mismatch: h has shape \(3, 4\) and W has shape \(5, 5\)"):
        linear_cross_entropy(h, np.zeros((5, 5)), t)
    with pytest.raises(ValueError, match=r"bias: shape mismatch.*\(5,\).*\(4,\)"):
        linear_cross_entropy(h, W, t, bias=np.zeros(4))
    with pytest.raises(ValueError, match=r"target: class index 5 is out of range \[0, 5\) at index 2"):
        linear_cross_entropy(h, W, np.array([0, 1, 5]))
    with pytest.raises(TypeError, match="target: class indices must have an integer dtype"):
        linear_cross_entropy(h, W, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match=r"target: shape mismatch"):
        linear_cross_entropy(h, W, np.array([0, 1]))
    with pytest.raises(ValueError, match="chunk_size: must be a positive integer"):
        linear_cross_entropy(h, W, t, chunk_size=0)
    with pytest.raises(ValueError, match=r"h: contains NaN at index \(1, 2\)"):
        hh = h.copy()
        hh[1, 2] = np.nan
        linear_cross_entropy(hh, W, t)
    with pytest.raises(ValueError, match=r"W: contains \+inf"):
        WW = W.copy()
        WW[0, 0] = np.inf
        linear_cross_entropy(h, WW, t)
    with pytest.raises(ValueError, match="h: the logits h @ W"):
        linear_cross_entropy(np.full((3, 4), 1e300), np.full((4, 5), 1e300), t)


# ---------------------------------------------------------------- issue 13
def test_large_margin_keeps_relative_accuracy():
    h = np.array([[1.0]])
    W = np.array([[0.0, -40.0]])
    want = math.log1p(math.exp(-40))
    assert float(linear_cross_entropy(h, W, np.array([0]))) == pytest.approx(want, rel=1e-15)
    _, (dh, dW, _) = linear_cross_entropy(h, W, np.array([0]), return_grad=True)
    s = math.exp(-40) / (1 + math.exp(-40))
    np.testing.assert_allclose(dW, [[-s, s]], rtol=1e-15)


def test_empty_batch():
    h, W = np.zeros((0, 3)), np.ones((3, 4))
    loss, (dh, dW, db) = linear_cross_entropy(h, W, np.zeros(0, int), bias=np.zeros(4), reduction="sum",
                                              return_grad=True)
    assert float(loss) == 0 and dh.shape == (0, 3) and not dW.any() and not db.any()
    with pytest.raises(ValueError, match=r"^target: reduction='mean' over zero total weight"):
        linear_cross_entropy(h, W, np.zeros(0, int))


@pytest.mark.parametrize("threaded", [False, True, "no threadpoolctl"])
def test_row_blocks_accumulate_dW_in_place(monkeypatch, threaded):
    # many row blocks: dW is summed over blocks by BLAS gemm with beta = 1; threaded: the
    # elementwise work of each block runs on its two row halves on the thread pool
    monkeypatch.setattr(LIN, "BLOCK_ELEMENTS", 7 if not threaded else 15)
    if threaded:
        monkeypatch.setattr(LIN, "THREAD_MIN_ELEMENTS", 1)
        monkeypatch.setattr(LIN, "_n_threads", lambda: 2)
    if threaded == "no threadpoolctl":  # products on BLAS's threads, elementwise work split
        monkeypatch.setattr(LIN, "_single_threaded_blas", lambda: None)
    rng = np.random.default_rng(3)
    h, W, b = rng.normal(size=(11, 4)), rng.normal(size=(4, 5)), rng.normal(size=5)
    t = rng.integers(0, 5, 11)
    loss, (dh, dW, db) = linear_cross_entropy(h, W, t, bias=b, return_grad=True)
    ref = naive(h, W, t, b)
    assert loss == pytest.approx(ref[0], rel=1e-13)
    for got, want in zip(ref[1:], (dh, dW, db), strict=True):
        assert rel_err(got, want) <= 1e-13
    # float32 and non-contiguous inputs
    loss32, (dh32, dW32, _) = linear_cross_entropy(np.asfortranarray(h.astype(np.float32)),
                                                   np.asfortranarray(W.astype(np.float32)), t, return_grad=True)
    ref0 = naive(h, W, t)
    assert dW32.dtype == np.float32 and rel_err(dW32, ref0[2]) <= 1e-5 and loss32 == pytest.approx(ref0[0], rel=1e-5)


# ---------------------------------------------------------------- block_rows (issue 13)
@pytest.mark.parametrize("block_rows", [1, 2, 3, 7, 100])
def test_block_rows_matches_naive(block_rows):
    rng = np.random.default_rng(5)
    h, W, b = rng.normal(size=(2, 7, 4)), rng.normal(size=(4, 9)), rng.normal(size=9)
    t = rng.integers(0, 9, (2, 7))
    loss, (dh, dW, db) = linear_cross_entropy(h, W, t, bias=b, block_rows=block_rows, return_grad=True)
    ref = naive(h, W, t, b)
    assert loss == pytest.approx(ref[0], rel=1e-13)
    for want, got in zip(ref[1:], (dh, dW, db), strict=True):
        assert rel_err(got, want) <= 1e-13
    none = linear_cross_entropy(h, W, t, bias=b, block_rows=block_rows, reduction="none")
    np.testing.assert_allclose(none, naive(h, W, t, b, "none")[0], rtol=1e-13)


def test_block_rows_bounds_the_memory():
    """The default block of N=512, V=8192 is the whole logit matrix (R = min(N, 13 * 2**19 // V)
    = 512 = N); block_rows=64 holds 1/8 of it (tracemalloc sees NumPy's allocations)."""
    import tracemalloc

    rng = np.random.default_rng(6)
    N, H, V = 512, 16, 8192
    h = rng.standard_normal((N, H), dtype=np.float32)
    W = rng.standard_normal((H, V), dtype=np.float32) / 4
    t = rng.integers(0, V, N)
    logits_bytes = N * V * 4  # 16 MiB

    def peak(**kw):
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            linear_cross_entropy(h, W, t, **kw)
            return tracemalloc.get_traced_memory()[1] - base
        finally:
            tracemalloc.stop()

    full, blocked = peak(), peak(block_rows=64)
    assert full >= logits_bytes
    assert blocked <= logits_bytes / 8 + 2**20
    assert float(linear_cross_entropy(h, W, t, block_rows=64)) == pytest.approx(
        float(linear_cross_entropy(h, W, t)), rel=1e-6)


def test_block_rows_bad_values():
    h, W, t = np.zeros((3, 4)), np.zeros((4, 5)), np.array([0, 1, 2])
    with pytest.raises(ValueError, match=r"^block_rows: must be a positive integer, got 0"):
        linear_cross_entropy(h, W, t, block_rows=0)
    with pytest.raises(TypeError, match=r"^block_rows: must be a positive integer or None, got 2\.0"):
        linear_cross_entropy(h, W, t, block_rows=2.0)
    with pytest.raises(TypeError, match=r"^block_rows: must be a positive integer or None, got True"):
        linear_cross_entropy(h, W, t, block_rows=True)
