"""Information measures: properties (hypothesis), agreement with SciPy, hand-derived values.

Expected values come from independent formulas (SciPy, closed forms derived
by hand), never from xentlib itself.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.special as sps
import scipy.stats as sst
from hypothesis import given, settings
from hypothesis import strategies as st

import xentlib
from xentlib import (
    binary_cross_entropy,
    binary_entropy,
    cross_entropy,
    entropy,
    kl_divergence,
    log_softmax,
    logsumexp,
    perplexity,
    softmax,
)

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)


@st.composite
def dists(draw, n=None, zeros=True):
    """A probability vector (float64) of length n (1..8), possibly with zeros."""
    if n is None:
        n = draw(st.integers(1, 8))
    low = 0.0 if zeros else 1e-3
    w = draw(st.lists(st.floats(low, 1.0), min_size=n, max_size=n).filter(lambda v: sum(v) > 1e-3))
    p = np.array(w, dtype=np.float64)
    return p / p.sum()


@st.composite
def dist_pairs(draw, zeros_q=False):
    n = draw(st.integers(1, 8))
    return draw(dists(n)), draw(dists(n, zeros=zeros_q))


# ---------------------------------------------------------------- properties
@SETTINGS
@given(dists())
def test_entropy_bounds(p):
    h = entropy(p)
    assert -1e-15 <= h <= math.log(len(p)) + 1e-12


@SETTINGS
@given(dist_pairs())
def test_gibbs_inequality(pq):
    p, q = pq
    assert cross_entropy(p, q) >= entropy(p) - 1e-12


@SETTINGS
@given(dist_pairs())
def test_cross_entropy_decomposition(pq):
    p, q = pq
    assert cross_entropy(p, q) == pytest.approx(entropy(p) + kl_divergence(p, q), rel=1e-12, abs=1e-12)


@SETTINGS
@given(dist_pairs())
def test_kl_zero_iff_equal_and_pinsker(pq):
    p, q = pq
    assert kl_divergence(p, p) == 0.0
    assert kl_divergence(q, q) == 0.0
    l1 = np.abs(p - q).sum()
    kl = kl_divergence(p, q)
    # Pinsker's inequality KL >= L1^2 / 2: KL > 0 whenever p != q.
    assert kl >= 0.5 * l1**2 - 1e-12
    if l1 > 1e-6:
        assert kl > 0


@SETTINGS
@given(dist_pairs(), st.randoms(use_true_random=False))
def test_permutation_invariance(pq, rnd):
    p, q = pq
    perm = list(range(len(p)))
    rnd.shuffle(perm)
    assert entropy(p[perm]) == pytest.approx(entropy(p), rel=1e-13, abs=1e-15)
    assert cross_entropy(p[perm], q[perm]) == pytest.approx(cross_entropy(p, q), rel=1e-13)
    assert kl_divergence(p[perm], q[perm]) == pytest.approx(kl_divergence(p, q), rel=1e-11, abs=1e-14)


@SETTINGS
@given(dist_pairs(), dist_pairs())
def test_additivity_for_products(pq1, pq2):
    (p1, q1), (p2, q2) = pq1, pq2
    p, q = np.outer(p1, p2).ravel(), np.outer(q1, q2).ravel()
    assert entropy(p) == pytest.approx(entropy(p1) + entropy(p2), rel=1e-12, abs=1e-13)
    assert cross_entropy(p, q) == pytest.approx(cross_entropy(p1, q1) + cross_entropy(p2, q2), rel=1e-12)
    assert kl_divergence(p, q) == pytest.approx(
        kl_divergence(p1, q1) + kl_divergence(p2, q2), rel=1e-10, abs=1e-13)


@SETTINGS
@given(dist_pairs())
def test_bits_are_nats_over_ln2(pq):
    p, q = pq
    for f, args in ((entropy, (p,)), (cross_entropy, (p, q)), (kl_divergence, (p, q))):
        assert f(*args, base=2) == pytest.approx(f(*args) / math.log(2), rel=1e-13, abs=1e-15)
    assert f(*args, base=10) == pytest.approx(f(*args) / math.log(10), rel=1e-13, abs=1e-15)


# ---------------------------------------------------------------- scipy agreement
@SETTINGS
@given(dist_pairs())
def test_agrees_with_scipy(pq):
    p, q = pq
    assert entropy(p) == pytest.approx(sst.entropy(p), rel=1e-12, abs=1e-14)
    assert entropy(p) == pytest.approx(sps.entr(p).sum(), rel=1e-12, abs=1e-14)
    assert kl_divergence(p, q) == pytest.approx(sst.entropy(p, q), rel=1e-12, abs=1e-14)
    assert kl_divergence(p, q) == pytest.approx(sps.rel_entr(p, q).sum(), rel=1e-12, abs=1e-14)
    assert cross_entropy(p, q) == pytest.approx(-sps.xlogy(p, q).sum(), rel=1e-12, abs=1e-14)
    assert entropy(p, base=2) == pytest.approx(sst.entropy(p, base=2), rel=1e-12, abs=1e-14)


def test_batched_axis_agrees_with_scipy():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(5), size=(3, 4))
    q = rng.dirichlet(np.ones(5), size=(3, 4))
    np.testing.assert_allclose(entropy(p), sst.entropy(p, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(kl_divergence(p, q), sst.entropy(p, q, axis=-1), rtol=1e-12)
    pt = np.moveaxis(p, -1, 0)
    np.testing.assert_allclose(entropy(pt, axis=0), sst.entropy(pt, axis=0), rtol=1e-12)
    # broadcasting one q against many p
    np.testing.assert_allclose(cross_entropy(p, q[0, 0]), -sps.xlogy(p, q[0, 0]).sum(-1), rtol=1e-12)


@SETTINGS
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_binary_against_scipy(y, q):
    ref_h = sst.entropy([y, 1 - y]) if 0 < y < 1 else 0.0
    assert binary_entropy(y) == pytest.approx(ref_h, rel=1e-12, abs=1e-15)
    ref = -(sps.xlogy(y, q) + sps.xlog1py(1 - y, -q))
    got = binary_cross_entropy([y], [q])
    if np.isinf(ref):
        assert got == np.inf
    else:
        assert got == pytest.approx(ref, rel=1e-12, abs=1e-15)


def test_softmax_family_against_scipy():
    rng = np.random.default_rng(1)
    z = rng.normal(scale=5, size=(6, 9))
    np.testing.assert_allclose(logsumexp(z), sps.logsumexp(z, axis=-1), rtol=1e-13)
    np.testing.assert_allclose(logsumexp(z, axis=0, keepdims=True),
                               sps.logsumexp(z, axis=0, keepdims=True), rtol=1e-13)
    np.testing.assert_allclose(softmax(z), sps.softmax(z, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(log_softmax(z), sps.log_softmax(z, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(softmax(z, temperature=2.5), sps.softmax(z / 2.5, axis=-1), rtol=1e-12)
    # atol: scipy's log(sum) loses relative accuracy on log-probabilities near 0 (-2.4234091705683086e-07
    # for z[3, 3] where mpmath at 50 digits gives -2.4234091696044073e-07, as xentlib's log1p form does).
    np.testing.assert_allclose(log_softmax(z, axis=0, temperature=0.5),
                               sps.log_softmax(z / 0.5, axis=0), rtol=1e-12, atol=1e-15)
    assert log_softmax(z, axis=0, temperature=0.5)[3, 3] == pytest.approx(-2.4234091696044073e-07, rel=1e-14)


# ---------------------------------------------------------------- hand-derived values
def test_hand_values():
    assert entropy([0.5, 0.5], base=2) == 1.0
    assert entropy([0.25] * 4, base=2) == pytest.approx(2.0, rel=1e-15)
    # H(1/4, 3/4) = 2 - (3/4) log2 3 bits
    assert entropy([0.25, 0.75], base=2) == pytest.approx(2 - 0.75 * math.log2(3), rel=1e-14)
    assert entropy([1, 3], base=2, normalize=True) == pytest.approx(2 - 0.75 * math.log2(3), rel=1e-14)
    assert cross_entropy([1, 0], [0.25, 0.75], base=2) == pytest.approx(2.0, rel=1e-15)
    assert kl_divergence([1, 0], [0.5, 0.5]) == pytest.approx(math.log(2), rel=1e-15)
    # KL(Bern(1/2) || Bern(1/4)) = 1/2 log(2) + 1/2 log(2/3)
    assert kl_divergence([0.5, 0.5], [0.25, 0.75]) == pytest.approx(
        0.5 * math.log(2) + 0.5 * math.log(2 / 3), rel=1e-14)
    assert binary_entropy(0.5, base=2) == 1.0
    assert binary_cross_entropy([1.0, 0.0], [0.5, 0.25], reduction="sum") == pytest.approx(
        math.log(2) + math.log(4 / 3), rel=1e-15)
    assert perplexity([0.25] * 4) == pytest.approx(4.0, rel=1e-15)
    assert perplexity([0.5, 0.25, 0.25]) == pytest.approx(2 ** 1.5, rel=1e-14)
    assert perplexity(nll=[1.0, 3.0], base=2) == pytest.approx(4.0, rel=1e-15)
    assert perplexity(nll=[math.log(3)] * 5) == pytest.approx(3.0, rel=1e-14)
    assert logsumexp([0.0, 0.0]) == pytest.approx(math.log(2), rel=1e-15)


def test_zero_log_zero_and_inf():
    assert entropy([1.0, 0.0, 0.0]) == 0.0
    assert cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert binary_cross_entropy([1.0], [0.0]) == np.inf
    assert binary_entropy([0.0, 1.0]).tolist() == [0.0, 0.0]
    # only the bad row is inf
    out = cross_entropy([[0.5, 0.5], [0.5, 0.5]], [[1.0, 0.0], [0.5, 0.5]])
    assert out[0] == np.inf and out[1] == pytest.approx(math.log(2))


def test_binary_entropy_near_edges_uses_log1p():
    # H(1e-20) = 1e-20 * (log(1e20) + 1) to first order; 1 - p rounds to 1 in float64.
    p = 1e-20
    assert binary_entropy(p) == pytest.approx(p * (math.log(1 / p) + 1), rel=1e-12)


# ---------------------------------------------------------------- dtype policy
@pytest.mark.parametrize("f, args", [
    (entropy, ([0.25, 0.75],)),
    (cross_entropy, ([0.25, 0.75], [0.5, 0.5])),
    (kl_divergence, ([0.25, 0.75], [0.5, 0.5])),
    (binary_entropy, ([0.25, 0.75],)),
    (binary_cross_entropy, ([0.0, 1.0], [0.5, 0.5])),
    (logsumexp, ([0.25, 0.75],)),
    (softmax, ([0.25, 0.75],)),
    (log_softmax, ([0.25, 0.75],)),
])
def test_dtype_policy(f, args):
    assert np.asarray(f(*[np.asarray(a, np.float32) for a in args])).dtype == np.float32
    assert np.asarray(f(*[np.asarray(a, np.float64) for a in args])).dtype == np.float64
    assert np.asarray(f(*args)).dtype == np.float64
    if len(args) == 2:  # mixed precision computes in float64
        mixed = (np.asarray(args[0], np.float32), np.asarray(args[1], np.float64))
        assert np.asarray(f(*mixed)).dtype == np.float64


def test_integer_input_is_float64():
    assert np.asarray(entropy([0, 1])).dtype == np.float64
    assert np.asarray(softmax([1, 2])).dtype == np.float64


def test_float32_accuracy():
    p = np.array([0.1, 0.2, 0.3, 0.4], np.float32)
    assert entropy(p) == pytest.approx(sst.entropy(p.astype(np.float64)), rel=1e-6)


# ---------------------------------------------------------------- stability of softmax family
def test_softmax_family_stable_at_1e4():
    z = np.array([1e4, -1e4, 0.0])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(z) / np.exp(z).sum()
    assert np.isnan(naive).any()  # the naive formula breaks here
    np.testing.assert_array_equal(softmax(z), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(log_softmax(z), [0.0, -2e4, -1e4])
    assert logsumexp([1e4, 1e4]) == pytest.approx(1e4 + math.log(2), rel=1e-15)
    assert logsumexp([-1e4, -1e4]) == pytest.approx(-1e4 + math.log(2), rel=1e-15)


def test_masked_logits():
    np.testing.assert_array_equal(softmax([0.0, -np.inf]), [1.0, 0.0])
    assert logsumexp([-np.inf, -np.inf]) == -np.inf


# Doctests of every xentlib module are collected by pytest itself (--doctest-modules, see
# pyproject.toml), not from a list kept here.


def test_public_names():
    for name in ["entropy", "cross_entropy", "kl_divergence", "binary_entropy",
                 "binary_cross_entropy", "perplexity", "logsumexp", "softmax", "log_softmax", "sigmoid", "log_sigmoid",
                 "softmax_cross_entropy", "sigmoid_binary_cross_entropy", "focal_loss",
                 "linear_cross_entropy", "numerical_gradient"]:
        assert callable(getattr(xentlib, name)), name
        assert name in xentlib.__all__
    assert xentlib.__version__


# ---------------------------------------------------------------- issue 13: numerical faults
# Expected values from closed forms evaluated with the math module (never with xentlib).
def test_kl_finite_where_p_over_q_overflows():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the old p/q form warned "overflow encountered in divide"
        # sum p (log p - log q); 1 - 1e-310 rounds to 1.0
        want = 0.5 * (math.log(0.5) - math.log(1e-310)) + 0.5 * math.log(0.5)
        got = kl_divergence([0.5, 0.5], [1e-310, 1 - 1e-310])
        assert want == pytest.approx(356.2075422335172, rel=1e-15)
        assert got == pytest.approx(want, rel=1e-14)
        # q the smallest subnormal: -log(5e-324)
        assert kl_divergence([1, 0], [5e-324, 1]) == pytest.approx(-math.log(5e-324), rel=1e-14)
        # float32: p / q overflows once q < p * 2.9e-39 (a softmax with a logit gap above ~88)
        p32 = np.array([0.5, 0.5], np.float32)
        q32 = np.array([1e-40, 1], np.float32)
        d32 = kl_divergence(p32, q32)
        assert d32.dtype == np.float32 and np.isfinite(d32)
        want32 = 0.5 * (math.log(0.5) - math.log(float(q32[0]))) + 0.5 * math.log(0.5)
        assert float(d32) == pytest.approx(want32, rel=1e-6)


def test_kl_agrees_with_cross_entropy_minus_entropy_at_the_extremes():
    rng = np.random.default_rng(13)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dt, gap in ((np.float64, 700.0), (np.float32, 95.0)):
            z = rng.normal(size=(20, 5)) * gap
            q = sps.softmax(z, axis=-1).astype(dt)
            q /= q.sum(-1, keepdims=True)
            p = rng.dirichlet(np.ones(5), size=20).astype(dt)
            kl = kl_divergence(p, q)
            ok = (q > 0).all(-1)  # rows where CE is finite
            assert np.isfinite(kl[ok]).all()
            np.testing.assert_allclose(kl[ok], (cross_entropy(p, q) - entropy(p))[ok],
                                       rtol=1e-5 if dt == np.float32 else 1e-12)


def test_logsumexp_keeps_relative_accuracy_of_small_terms():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        want = math.log1p(math.exp(-40))  # 4.248354255291589e-18
        assert float(logsumexp([0.0, -40.0])) == pytest.approx(want, rel=1e-15)
        assert float(logsumexp([-40.0, 0.0])) == pytest.approx(want, rel=1e-15)
        assert float(log_softmax([0.0, -40.0])[0]) == pytest.approx(-want, rel=1e-15)
        assert float(log_softmax([[3.0, 3.0 - 40.0]], axis=-1)[0, 0]) == pytest.approx(-want, rel=1e-15)
        w32 = math.log1p(math.exp(-20))
        got32 = logsumexp(np.array([0, -20], np.float32))
        assert got32.dtype == np.float32 and float(got32) == pytest.approx(w32, rel=1e-6)
        # ties: both maxima count (only one is taken out of the sum)
        assert float(logsumexp([5.0, 5.0])) == pytest.approx(5 + math.log(2), rel=1e-15)


def test_softmax_family_no_warnings_near_float_max():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "overflow encountered in subtract" leaked before
        assert float(logsumexp([1e308, -1e308])) == 1e308
        assert float(logsumexp([-1e308, -1e308])) == pytest.approx(-1e308 + math.log(2), rel=1e-15)
        assert log_softmax([1e308, -1e308]).tolist() == [0.0, -math.inf]
        assert softmax([1e308, -1e308]).tolist() == [1.0, 0.0]
        assert softmax(np.array([3e38, -3e38], np.float32)).tolist() == [1.0, 0.0]


def test_zero_d_input_is_a_single_entry_distribution():
    # SciPy's convention (scipy/special/tests/test_logsumexp.py: test_softmax_scalar, ...)
    assert float(softmax(1000.0)) == 1.0 and np.shape(softmax(1000.0)) == ()
    assert float(log_softmax(1.0)) == 0.0 and np.shape(log_softmax(1.0)) == ()
    assert float(logsumexp(2.5)) == 2.5 and float(logsumexp(2.5, keepdims=True)) == 2.5
    assert float(logsumexp(-math.inf)) == -math.inf
    assert softmax(np.float32(3)).dtype == np.float32
    assert float(softmax(3.0, axis=0)) == 1.0


# ---------------------------------------------------------------- sigmoid / log_sigmoid
def test_sigmoid_against_scipy_and_stable():
    x = np.concatenate([np.linspace(-50, 50, 201), [-745.0, -1000.0, 1000.0, -1e308, 1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # naive 1/(1+exp(-x)) warns about overflow here
        s = xentlib.sigmoid(x)
        ls = xentlib.log_sigmoid(x)
    # atol: scipy's expit flushes sigmoid(-745) = 4.9e-324 to 0; xentlib keeps the subnormal
    np.testing.assert_allclose(s, sps.expit(x), rtol=1e-15, atol=1e-323)
    np.testing.assert_allclose(ls[:201], -np.logaddexp(0, -x[:201]), rtol=1e-14)
    assert float(xentlib.sigmoid(-745.0)) > 0  # 5e-324, the smallest subnormal
    assert float(xentlib.log_sigmoid(-1e4)) == -1e4
    assert float(xentlib.log_sigmoid(40.0)) == pytest.approx(-math.log1p(math.exp(-40)), rel=1e-15)
    assert xentlib.sigmoid([math.inf, -math.inf]).tolist() == [1.0, 0.0]
    assert xentlib.log_sigmoid([math.inf, -math.inf]).tolist() == [0.0, -math.inf]
    # sigmoid(-x) = 1 - sigmoid(x) exactly where it matters: tiny values keep their digits
    assert float(xentlib.sigmoid(-40.0)) == pytest.approx(math.exp(-40) / (1 + math.exp(-40)), rel=1e-15)


def test_sigmoid_dtypes_and_scalars():
    assert xentlib.sigmoid(np.float32([0, 1])).dtype == np.float32
    assert xentlib.log_sigmoid(np.float32([0, 1])).dtype == np.float32
    assert xentlib.sigmoid([0, 1]).dtype == np.float64
    out = xentlib.sigmoid(0.0)
    assert isinstance(out, np.floating) and out == 0.5
    assert xentlib.sigmoid(np.zeros((2, 3))).shape == (2, 3)
