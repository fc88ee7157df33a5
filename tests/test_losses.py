"""Losses on logits: references from SciPy / closed forms, gradient checks, stability, dtypes."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.special as sps
from hypothesis import given, settings
from hypothesis import strategies as st

import xentlib.losses as L
from xentlib import (
    focal_loss,
    numerical_gradient,
    sigmoid_binary_cross_entropy,
    softmax_cross_entropy,
)

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True)


def rel_err(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else np.linalg.norm(a - b) / scale


def ref_softmax_ce(z, y, w=None, eps=0.0):
    """Reference from scipy: targets as a (N, C) probability matrix, weighted mean."""
    C = z.shape[-1]
    y = (1 - eps) * y + eps / C
    w = np.ones(C) if w is None else w
    per = -(sps.xlogy(y * w, sps.softmax(z, axis=-1))).sum(-1)
    return per, (y * w).sum(-1)


def onehot(t, C):
    return np.eye(C)[t]


# ---------------------------------------------------------------- numerical_gradient itself
def test_numerical_gradient_known_function():
    x = np.array([[0.5, -1.0], [2.0, 3.0]])
    g = numerical_gradient(lambda v: float(np.sum(v**3) + v[0, 1] * v[1, 0]), x)
    exact = 3 * x**2 + np.array([[0, x[1, 0]], [x[0, 1], 0]])
    np.testing.assert_allclose(g, exact, rtol=1e-8)
    assert g.dtype == np.float64


# ---------------------------------------------------------------- softmax_cross_entropy values
def test_hand_values():
    assert softmax_cross_entropy([[0.0, 0.0]], [0]) == pytest.approx(math.log(2), rel=1e-15)
    # logits [0, log 3] -> q = [1/4, 3/4]
    z = [[0.0, math.log(3)]]
    assert softmax_cross_entropy(z, [0]) == pytest.approx(math.log(4), rel=1e-14)
    # label smoothing 0.2 with C=2: target [0.9, 0.1]
    assert softmax_cross_entropy(z, [0], label_smoothing=0.2) == pytest.approx(
        -(0.9 * math.log(0.25) + 0.1 * math.log(0.75)), rel=1e-14)
    # class weights: mean = sum(w_t l) / sum(w_t)
    z2 = [[0.0, 0.0], [0.0, math.log(3)]]
    got = softmax_cross_entropy(z2, [0, 1], class_weight=[1.0, 3.0])
    assert got == pytest.approx((1 * math.log(2) + 3 * math.log(4 / 3)) / 4, rel=1e-14)
    # a single example (1-D logits, scalar target)
    assert softmax_cross_entropy([0.0, math.log(3)], 1) == pytest.approx(math.log(4 / 3), rel=1e-14)


@SETTINGS
@given(st.integers(1, 6), st.integers(1, 7), st.integers(0, 2**31 - 1),
       st.booleans(), st.sampled_from([0.0, 0.1, 1.0]), st.sampled_from(["mean", "sum", "none"]))
def test_index_targets_against_reference(n, C, seed, weighted, eps, reduction):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=3, size=(n, C))
    t = rng.integers(0, C, n)
    w = rng.uniform(0.1, 2.0, C) if weighted else None
    per, W = ref_softmax_ce(z, onehot(t, C), w, eps)
    ref = {"mean": per.sum() / W.sum(), "sum": per.sum(), "none": per}[reduction]
    got = softmax_cross_entropy(z, t, class_weight=w, label_smoothing=eps, reduction=reduction)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14)
    # one definition of the mean: one-hot probability targets give the same value
    got_p = softmax_cross_entropy(z, onehot(t, C), class_weight=w, label_smoothing=eps,
                                  reduction=reduction)
    np.testing.assert_allclose(got_p, ref, rtol=1e-12, atol=1e-14)


def test_probability_targets_against_reference():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(5, 4))
    y = rng.dirichlet(np.ones(4), size=5)
    ref = -(y * sps.log_softmax(z, axis=-1)).sum(-1)
    assert softmax_cross_entropy(z, y) == pytest.approx(ref.mean(), rel=1e-12)
    np.testing.assert_allclose(softmax_cross_entropy(z, y, reduction="none"), ref, rtol=1e-12)


def test_ignore_index_equals_dropping_rows():
    rng = np.random.default_rng(4)
    z = rng.normal(size=(6, 5))
    t = np.array([0, -100, 4, 2, -100, 1])
    keep = t != -100
    ref = -sps.log_softmax(z[keep], axis=-1)[np.arange(keep.sum()), t[keep]].mean()
    assert softmax_cross_entropy(z, t, ignore_index=-100) == pytest.approx(ref, rel=1e-12)
    none = softmax_cross_entropy(z, t, ignore_index=-100, reduction="none")
    assert (none[~keep] == 0).all()
    _, g = softmax_cross_entropy(z, t, ignore_index=-100, return_grad=True)
    assert (g[~keep] == 0).all()
    # an ignore_index inside [0, C) ignores that class's examples
    t2 = np.array([0, 3, 3, 1, 2, 3])
    ref2 = -sps.log_softmax(z[t2 != 3], axis=-1)[np.arange(3), t2[t2 != 3]].mean()
    assert softmax_cross_entropy(z, t2, ignore_index=3) == pytest.approx(ref2, rel=1e-12)


def test_batch_dims():
    rng = np.random.default_rng(5)
    z = rng.normal(size=(2, 3, 4))
    t = rng.integers(0, 4, (2, 3))
    ref = -np.take_along_axis(sps.log_softmax(z, axis=-1), t[..., None], -1)[..., 0]
    np.testing.assert_allclose(softmax_cross_entropy(z, t, reduction="none"), ref, rtol=1e-12)
    loss, g = softmax_cross_entropy(z, t, return_grad=True)
    assert g.shape == z.shape


def test_mean_over_zero_total_weight_raises_naming_the_argument():
    # 0/0 is an error naming the argument (PyTorch silently returns NaN); sum and none still work.
    z = np.zeros((3, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^ignore_index: reduction='mean' over zero total weight"):
            softmax_cross_entropy(z, [-1, -1, -1], ignore_index=-1)
        with pytest.raises(ValueError, match=r"^target: reduction='mean' over zero total weight"):
            softmax_cross_entropy(np.zeros((0, 4)), np.zeros(0, int))
        with pytest.raises(ValueError, match=r"^class_weight: reduction='mean' over zero total weight"):
            softmax_cross_entropy(z, [0, 0, 0], class_weight=[0, 1, 1, 1], return_grad=True)
        with pytest.raises(ValueError, match=r"^target: .*zero total weight"):
            sigmoid_binary_cross_entropy(np.zeros(0), np.zeros(0))
        with pytest.raises(ValueError, match=r"^target: .*zero total weight"):
            focal_loss(np.zeros((0, 3)), np.zeros(0, int))
        assert softmax_cross_entropy(z, [-1, -1, -1], ignore_index=-1, reduction="sum") == 0
        assert softmax_cross_entropy(z, [-1, -1, -1], ignore_index=-1, reduction="none").tolist() == [0, 0, 0]


def test_threaded_chunks_match_reference(monkeypatch):
    monkeypatch.setattr(L, "CHUNK_ELEMENTS", 1 << 12)
    monkeypatch.setattr(L, "THREAD_MIN_ELEMENTS", 1)
    rng = np.random.default_rng(6)
    z = rng.normal(scale=4, size=(301, 97))
    t = rng.integers(0, 97, 301)
    ref = -sps.log_softmax(z, axis=-1)[np.arange(301), t]
    np.testing.assert_allclose(softmax_cross_entropy(z, t, reduction="none"), ref, rtol=1e-12)
    _, g = softmax_cross_entropy(z, t, reduction="sum", return_grad=True)
    np.testing.assert_allclose(g, sps.softmax(z, axis=-1) - onehot(t, 97), rtol=1e-10, atol=1e-15)
    y = rng.dirichlet(np.ones(97), size=301)
    ref_p = -(y * sps.log_softmax(z, axis=-1)).sum(-1)
    np.testing.assert_allclose(softmax_cross_entropy(z, y, reduction="none"), ref_p, rtol=1e-12)
    # an error in a late chunk is still reported with its global index
    z[250, 7] = np.nan
    with pytest.raises(ValueError, match=r"logits: contains NaN at index \(250, 7\)"):
        softmax_cross_entropy(z, t)


# ---------------------------------------------------------------- gradients
GRAD_CASES = [
    dict(),
    dict(class_weight=[0.5, 1.0, 2.0, 0.0, 1.5]),
    dict(label_smoothing=0.1),
    dict(label_smoothing=1.0),
    dict(class_weight=[0.5, 1.0, 2.0, 3.0, 1.5], label_smoothing=0.3, ignore_index=2),
    dict(reduction="sum"),
    dict(reduction="sum", ignore_index=0, class_weight=[1.0, 2.0, 3.0, 4.0, 5.0]),
]


@pytest.mark.parametrize("kw", GRAD_CASES)
def test_softmax_ce_grad_index(kw):
    rng = np.random.default_rng(7)
    z = rng.normal(scale=2, size=(6, 5))
    t = np.array([0, 1, 2, 3, 4, 2])
    _, g = softmax_cross_entropy(z, t, return_grad=True, **kw)
    num = numerical_gradient(lambda v: softmax_cross_entropy(v, t, **kw), z)
    assert rel_err(g, num) <= 1e-6


def test_softmax_ce_grad_none_reduction_rows():
    rng = np.random.default_rng(8)
    z = rng.normal(size=(4, 3))
    t = np.array([0, 2, 1, 1])
    _, g = softmax_cross_entropy(z, t, return_grad=True, reduction="none")
    num = numerical_gradient(lambda v: softmax_cross_entropy(v, t, reduction="none").sum(), z)
    assert rel_err(g, num) <= 1e-6


@pytest.mark.parametrize("kw", [dict(), dict(class_weight=[1.0, 2.0, 0.5, 3.0]),
                                dict(label_smoothing=0.2, class_weight=[1.0, 2.0, 0.5, 3.0])])
def test_softmax_ce_grad_probability(kw):
    rng = np.random.default_rng(9)
    z = rng.normal(size=(5, 4))
    y = rng.dirichlet(np.ones(4), size=5)
    _, g = softmax_cross_entropy(z, y, return_grad=True, **kw)
    num = numerical_gradient(lambda v: softmax_cross_entropy(v, y, **kw), z)
    assert rel_err(g, num) <= 1e-6


def test_softmax_ce_grad_closed_form():
    # d/dz mean CE = (softmax(z) - onehot) / N, derived by hand
    rng = np.random.default_rng(10)
    z = rng.normal(size=(3, 4))
    t = np.array([3, 0, 1])
    _, g = softmax_cross_entropy(z, t, return_grad=True)
    np.testing.assert_allclose(g, (sps.softmax(z, axis=-1) - onehot(t, 4)) / 3, rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize("kw", [dict(), dict(pos_weight=[0.5, 2.0, 3.0]), dict(reduction="sum")])
def test_sigmoid_bce_grad(kw):
    rng = np.random.default_rng(11)
    z = rng.normal(scale=3, size=(4, 3))
    y = rng.uniform(size=(4, 3))
    _, g = sigmoid_binary_cross_entropy(z, y, return_grad=True, **kw)
    num = numerical_gradient(lambda v: sigmoid_binary_cross_entropy(v, y, **kw), z)
    assert rel_err(g, num) <= 1e-6


@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_focal_grad(gamma, reduction):
    rng = np.random.default_rng(12)
    z = rng.normal(scale=2, size=(5, 4))
    t = np.array([0, 1, 2, 3, 0])
    _, g = focal_loss(z, t, gamma=gamma, reduction=reduction, return_grad=True)
    num = numerical_gradient(lambda v: focal_loss(v, t, gamma=gamma, reduction=reduction), z)
    assert rel_err(g, num) <= 1e-6


# ---------------------------------------------------------------- sigmoid BCE and focal values
def test_sigmoid_bce_against_scipy():
    rng = np.random.default_rng(13)
    z = rng.normal(scale=4, size=(6, 3))
    y = rng.uniform(size=(6, 3))
    pw = np.array([1.0, 2.0, 0.5])
    ref = -(pw * y * sps.log_expit(z) + (1 - y) * sps.log_expit(-z))
    np.testing.assert_allclose(sigmoid_binary_cross_entropy(z, y, pos_weight=pw, reduction="none"),
                               ref, rtol=1e-12)
    assert sigmoid_binary_cross_entropy(z, y) == pytest.approx(
        (-(y * sps.log_expit(z) + (1 - y) * sps.log_expit(-z))).mean(), rel=1e-12)


def test_focal_against_reference():
    rng = np.random.default_rng(14)
    z = rng.normal(scale=2, size=(7, 5))
    t = rng.integers(0, 5, 7)
    q = sps.softmax(z, axis=-1)[np.arange(7), t]
    for gamma in (0.0, 0.5, 2.0):
        ref = -((1 - q) ** gamma) * np.log(q)
        np.testing.assert_allclose(focal_loss(z, t, gamma=gamma, reduction="none"), ref, rtol=1e-10)
    assert focal_loss(z, t, gamma=0.0) == pytest.approx(softmax_cross_entropy(z, t), rel=1e-13)


def test_focal_dominant_logit_keeps_relative_accuracy():
    """focal_loss takes log q from log_softmax (log1p form): log q_t = -log1p(e^-40), not 0.

    The former ``logq -= log(sum(exp(logq)))`` rounded log(1 + 4.2e-18) to 0, so the loss
    (and 1 - q_t = -expm1(log q_t)) came out exactly 0 for a dominant target logit, and the
    target entry of the gradient, q_t - 1, was 0 instead of -4.2e-18.  ``abs=0``: pytest.approx's
    default absolute tolerance (1e-12) would accept the 0.
    """
    z = np.array([[0.0, -40.0]])
    lq = -math.log1p(math.exp(-40.0))  # -4.248e-18 nats
    assert float(focal_loss(z, [0], gamma=0.0)) == pytest.approx(-lq, rel=1e-15, abs=0)
    omq = -math.expm1(lq)  # 1 - q_t = 4.248e-18
    assert float(focal_loss(z, [0], gamma=2.0)) == pytest.approx(-(omq ** 2) * lq, rel=1e-14, abs=0)
    assert float(focal_loss(z, [0], gamma=0.5)) == pytest.approx(-(omq ** 0.5) * lq, rel=1e-14, abs=0)
    # the gradient of the gamma=0 loss is softmax - onehot: [-s, s], s = sigmoid(-40)
    _, g = focal_loss(z, [0], gamma=0.0, return_grad=True)
    s = math.exp(-40.0) / (1 + math.exp(-40.0))
    np.testing.assert_allclose(g, [[-s, s]], rtol=1e-14)
    # float32 keeps float32 and the tiny value (log1p(e^-20) = 2.1e-9)
    l32 = focal_loss(z.astype(np.float32) / 2, [0], gamma=0.0)
    assert l32.dtype == np.float32
    assert float(l32) == pytest.approx(math.log1p(math.exp(-20.0)), rel=1e-6, abs=0)


# ---------------------------------------------------------------- stability at +-1e4
def test_stability_softmax_ce_1e4():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, -1e4]])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive = -np.log(np.exp(z) / np.exp(z).sum(-1, keepdims=True))[[0, 1], [1, 1]]
    assert not np.isfinite(naive).all()
    out = softmax_cross_entropy(z, [1, 1], reduction="none")
    np.testing.assert_array_equal(out, [2e4, 0.0])
    loss, g = softmax_cross_entropy(z, [1, 1], return_grad=True)
    assert np.isfinite(g).all()
    np.testing.assert_array_equal(g, [[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]])
    lf, gf = focal_loss(z, [1, 1], return_grad=True, reduction="none")
    np.testing.assert_array_equal(lf, [2e4, 0.0])
    assert np.isfinite(gf).all()


def test_stability_sigmoid_bce_1e4():
    z = np.array([1e4, -1e4, 1e4, -1e4])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        s = 1 / (1 + np.exp(-z))
        naive = -(y * np.log(s) + (1 - y) * np.log(1 - s))
    assert not np.isfinite(naive).all()
    np.testing.assert_array_equal(sigmoid_binary_cross_entropy(z, y, reduction="none"),
                                  [0.0, 1e4, 1e4, 0.0])
    _, g = sigmoid_binary_cross_entropy(z, y, reduction="sum", return_grad=True)
    np.testing.assert_array_equal(g, [0.0, -1.0, 1.0, 0.0])


def test_masking_with_minus_inf():
    z = np.array([[1.0, -np.inf, 2.0]])
    ref = -sps.log_softmax([1.0, 2.0])[0]
    assert softmax_cross_entropy(z, [0]) == pytest.approx(ref, rel=1e-14)
    loss, g = softmax_cross_entropy(z, [0], return_grad=True)
    assert g[0, 1] == 0.0 and np.isfinite(g).all()
    # -inf on the target: probability 0, loss inf (not an error)
    assert softmax_cross_entropy(z, [1]) == np.inf
    # label smoothing puts mass on the masked class: inf as well
    assert softmax_cross_entropy(z, [0], label_smoothing=0.1) == np.inf
    # probability target with 0 on the masked class: fine
    assert softmax_cross_entropy(z, [[0.5, 0.0, 0.5]]) == pytest.approx(
        -(0.5 * sps.log_softmax([1.0, 2.0])).sum(), rel=1e-14)


# ---------------------------------------------------------------- dtypes
@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_dtype_policy(dt):
    rng = np.random.default_rng(15)
    z = rng.normal(size=(4, 3)).astype(dt)
    t = np.array([0, 1, 2, 0])
    for f, args in ((softmax_cross_entropy, (z, t)), (focal_loss, (z, t)),
                    (sigmoid_binary_cross_entropy, (z, np.full(z.shape, 0.5, dt)))):
        loss, g = f(*args, return_grad=True)
        assert np.asarray(loss).dtype == dt and g.dtype == dt
    loss = softmax_cross_entropy(z, t, class_weight=[1.0, 2.0, 3.0])  # float64 weights keep float32
    assert np.asarray(loss).dtype == dt
    ref = -sps.log_softmax(z.astype(np.float64), axis=-1)[np.arange(4), t].mean()
    assert softmax_cross_entropy(z, t) == pytest.approx(ref, rel=1e-6 if dt == np.float32 else 1e-13)


def test_integer_logits_are_float64():
    assert np.asarray(softmax_cross_entropy([[1, 2]], [0])).dtype == np.float64


def test_threaded_chunks_emit_no_warnings(monkeypatch):
    # zero class weight on a masked target and label smoothing with -inf logits: inf/NaN
    # intermediates must stay inside the workers (np.errstate is per thread)
    monkeypatch.setattr(L, "CHUNK_ELEMENTS", 8)
    monkeypatch.setattr(L, "THREAD_MIN_ELEMENTS", 1)
    z = np.zeros((40, 4))
    z[:, 1] = -np.inf
    t = np.tile([0, 1, 2, 3], 10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = softmax_cross_entropy(z, t, class_weight=[1.0, 0.0, 1.0, 1.0], reduction="none")
        assert (out[t == 1] == 0).all() and np.allclose(out[t != 1], math.log(3))
        assert softmax_cross_entropy(z, t, label_smoothing=0.1) == math.inf


# ---------------------------------------------------------------- issue 13: numerical faults
def test_large_margin_keeps_relative_accuracy():
    want = math.log1p(math.exp(-40))  # -log softmax([0, -40])[0] = 4.248354255291589e-18
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(softmax_cross_entropy([[0.0, -40.0]], [0])) == pytest.approx(want, rel=1e-15)
        assert float(softmax_cross_entropy([[0.0, -40.0]], [[1.0, 0.0]])) == pytest.approx(want, rel=1e-15)
        assert float(softmax_cross_entropy([[0.0, -40.0]], [0], label_smoothing=1e-30)) == pytest.approx(
            want, rel=1e-12)
        loss, g = softmax_cross_entropy([[0.0, -40.0]], [0], return_grad=True)
        # d/dz0 = q0 - 1 = -sigmoid(-40), d/dz1 = q1 = sigmoid(-40)
        s = math.exp(-40) / (1 + math.exp(-40))
        np.testing.assert_allclose(g, [[-s, s]], rtol=1e-15)
        l32 = softmax_cross_entropy(np.array([[0.0, -20.0]], np.float32), [0])
        assert l32.dtype == np.float32 and float(l32) == pytest.approx(math.log1p(math.exp(-20)), rel=1e-6)


def test_logits_near_float_max_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "overflow encountered in subtract" leaked before
        loss, g = softmax_cross_entropy([[1e308, -1e308]], [0], return_grad=True)
        assert float(loss) == 0.0 and g.tolist() == [[0.0, 0.0]]
        assert float(softmax_cross_entropy([[1e308, -1e308]], [[0.5, 0.5]])) == math.inf


def test_int_one_hot_target_says_floating_point():
    z = np.zeros((3, 4))
    with pytest.raises(TypeError, match=r"^target: probability targets must be floating point"):
        softmax_cross_entropy(z, np.eye(4, dtype=np.int64)[[0, 1, 3]])
    # the float version of the same matrix is accepted and equals the index form
    assert softmax_cross_entropy(z, np.eye(4)[[0, 1, 3]]) == pytest.approx(math.log(4), rel=1e-15)


def test_sigmoid_bce_gradient_is_public_sigmoid():
    z = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
    y = np.array([1.0, 1.0, 0.5, 0.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, g = sigmoid_binary_cross_entropy(z, y, reduction="sum", return_grad=True)
    np.testing.assert_allclose(g, sps.expit(z) - y, rtol=1e-15, atol=1e-300)
