"""xentlib against its peers' own test suites (issue 13).

Ported cases, each naming its origin (file :: test):

* SciPy ``scipy/stats/tests/test_entropy.py`` (class ``TestEntropy``) and
  ``scipy/special/tests/test_logsumexp.py`` (``TestLogSumExp``, ``TestSoftmax``,
  ``TestLogSoftmax``), SciPy main as of the port;
* scikit-learn ``sklearn/metrics/tests/test_classification.py`` (``test_log_loss*``);
* PyTorch ``torch/testing/_internal/common_nn.py``: the loss reference functions
  (``nllloss_reference``, ``cross_entropy_loss_prob_target_reference``,
  ``cross_entropy_loss_indices_target_reference``, ``kldivloss_reference``) and the
  test dicts that feed them (``nllloss_no_reduce_*_test``, ``kldivloss_*_test``,
  ``bceloss_*_test``, ``bce_with_logistic_*_test``), transcribed to NumPy.

Expected values are the literals of those files, or the peers' own formulas
(a reference function, an inline ``np.log(np.sum(np.exp(a)))``) evaluated with
NumPy/SciPy: never with xentlib.  Neither torch nor scikit-learn is imported.
PyTorch's dicts draw random inputs with torch's RNG; here the same shapes and
distributions come from NumPy's.

Conventions are mapped explicitly at each case (argument order, default axis,
normalisation, reductions).  Each deliberate difference is a
``pytest.mark.xfail(strict=True, raises=...)`` case with its reason, so it
fails loudly if the difference ever disappears.

Not ported (no counterpart in xentlib, nothing to compare): SciPy's
``differential_entropy``, ``return_sign``, signed/complex weights ``b``, complex
input beyond one dtype case, array-API backends and devices; scikit-learn's label
inference errors (``y_true`` with one label) and pandas inputs; PyTorch's N-d
(``NLLLoss2d``/``NLLLossNd``) spatial layouts, C++ parity and gradcheck plumbing.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special as sps
from scipy.stats import bernoulli

from xentlib import (
    binary_cross_entropy,
    cross_entropy,
    entropy,
    kl_divergence,
    log_softmax,
    logsumexp,
    sigmoid_binary_cross_entropy,
    softmax,
    softmax_cross_entropy,
)


def xfail(reason: str, raises: type[BaseException] | tuple[type[BaseException], ...] = AssertionError):
    """A deliberate difference from the peer: must fail, and only in the stated way."""
    return pytest.mark.xfail(strict=True, raises=raises, reason=reason)


# =====================================================================================
# SciPy: scipy/stats/tests/test_entropy.py :: TestEntropy
# Convention: scipy.stats.entropy(pk, qk=None, base=None, axis=0) normalises pk and qk
# and reduces axis 0.  xentlib: entropy(p, ...) / kl_divergence(p, q, ...) with
# normalize=True and axis=0 given explicitly (xentlib's default axis is -1 and it
# raises on unnormalised input unless normalize=True).
# =====================================================================================
def sp_entropy(pk, qk=None, base=None, axis=0):
    """scipy.stats.entropy's call mapped to xentlib."""
    if qk is None:
        return entropy(pk, base=base, axis=axis, normalize=True)
    return kl_divergence(pk, qk, base=base, axis=axis, normalize=True)


PK = np.array([[0.1, 0.2], [0.6, 0.3], [0.3, 0.5]])
QK = np.array([[0.2, 0.1], [0.3, 0.6], [0.5, 0.3]])


def test_scipy_entropy_positive():
    # test_entropy.py :: TestEntropy.test_entropy_positive (ticket #497)
    pk = np.array([0.5, 0.2, 0.3])
    qk = np.array([0.1, 0.25, 0.65])
    assert abs(sp_entropy(pk, pk)) <= 1e-16
    assert -sp_entropy(pk, qk) < 0


def test_scipy_entropy_base():
    # test_entropy.py :: TestEntropy.test_entropy_base
    pk = np.ones(16)
    assert abs(sp_entropy(pk, base=2.0) - 4.0) < 1e-5
    qk = np.where(np.arange(16) < 8, 2.0, 1.0)
    S, S2 = sp_entropy(pk, qk), sp_entropy(pk, qk, base=2.0)
    assert abs(S / S2 - math.log(2.0)) < 1e-5


def test_scipy_entropy_zero():
    # test_entropy.py :: TestEntropy.test_entropy_zero (PR-479)
    np.testing.assert_allclose(sp_entropy([0.0, 1.0, 2.0]), 0.63651416829481278, rtol=1e-7)


def test_scipy_entropy_2d():
    # test_entropy.py :: TestEntropy.test_entropy_2d
    np.testing.assert_allclose(sp_entropy(PK, QK), [0.1933259, 0.18609809], rtol=1e-7)


def test_scipy_entropy_2d_zero():
    # test_entropy.py :: TestEntropy.test_entropy_2d_zero
    qk = np.array([[0.0, 0.1], [0.3, 0.6], [0.5, 0.3]])
    np.testing.assert_allclose(sp_entropy(PK, qk), [np.inf, 0.18609809], rtol=1e-7)
    pk = np.array([[0.0, 0.2], [0.6, 0.3], [0.3, 0.5]])
    np.testing.assert_allclose(sp_entropy(pk, qk), [0.17403988, 0.18609809], rtol=1e-7)


def test_scipy_entropy_base_2d_nondefault_axis():
    # test_entropy.py :: TestEntropy.test_entropy_base_2d_nondefault_axis
    np.testing.assert_allclose(sp_entropy(PK, axis=1), [0.63651417, 0.63651417, 0.66156324], rtol=1e-7)


def test_scipy_entropy_2d_nondefault_axis():
    # test_entropy.py :: TestEntropy.test_entropy_2d_nondefault_axis
    np.testing.assert_allclose(sp_entropy(PK, QK, axis=1), [0.23104906, 0.23104906, 0.12770641], rtol=1e-7)


def test_scipy_entropy_raises_value_error():
    # test_entropy.py :: TestEntropy.test_entropy_raises_value_error (message mapped: xentlib names q)
    with pytest.raises(ValueError, match=r"^q: shape mismatch: p has shape \(3, 2\) but q has shape \(2, 2\)"):
        sp_entropy(PK, np.array([[0.1, 0.2], [0.6, 0.3]]))


@xfail("error wording: xentlib's messages start with the argument name ('q: shape mismatch ...'), "
       "SciPy says 'Array shapes are incompatible for broadcasting.'")
def test_scipy_entropy_raises_value_error_message():
    # test_entropy.py :: TestEntropy.test_entropy_raises_value_error, SciPy's message verbatim
    with pytest.raises(ValueError, match="Array shapes are incompatible for broadcasting."):
        sp_entropy(PK, np.array([[0.1, 0.2], [0.6, 0.3]]))


@xfail("default axis: SciPy's entropy reduces axis 0, xentlib (like softmax everywhere) axis -1")
def test_scipy_base_entropy_with_axis_0_is_equal_to_default():
    # test_entropy.py :: TestEntropy.test_base_entropy_with_axis_0_is_equal_to_default,
    # with xentlib's own default (no axis argument)
    np.testing.assert_allclose(entropy(PK, axis=0, normalize=True), entropy(PK, normalize=True))


def test_scipy_entropy_with_axis_0_given_explicitly():
    # test_entropy.py :: TestEntropy.test_base_entropy_with_axis_0_is_equal_to_default and
    # test_entropy_with_axis_0_is_equal_to_default, mapped: SciPy's default axis=0 passed explicitly
    np.testing.assert_allclose(sp_entropy(PK, axis=0), sp_entropy(PK), rtol=0)
    np.testing.assert_allclose(sp_entropy(PK, QK, axis=0), sp_entropy(PK, QK), rtol=0)
    # and against SciPy's own elementwise function on the normalised columns
    pn = PK / PK.sum(axis=0)
    np.testing.assert_allclose(sp_entropy(PK, axis=0), sps.entr(pn).sum(axis=0), rtol=1e-14)


def test_scipy_entropy_transposed():
    # test_entropy.py :: TestEntropy.test_base_entropy_transposed and test_entropy_transposed
    np.testing.assert_allclose(sp_entropy(PK.T), sp_entropy(PK, axis=1), rtol=1e-14)
    np.testing.assert_allclose(sp_entropy(PK.T, QK.T), sp_entropy(PK, QK, axis=1), rtol=1e-14)


def test_scipy_entropy_broadcasting_batch_axes():
    # test_entropy.py :: TestEntropy.test_entropy_broadcasting, the part xentlib shares:
    # batch axes broadcast (here y's rows (2, 3) against x (3,)), each row its own KL
    rng = np.random.default_rng(74187315492831452)
    x = rng.random(3)
    y = rng.random((2, 3))
    res = sp_entropy(x, y, axis=-1)
    np.testing.assert_allclose(res[0], sp_entropy(x, y[0, ...], axis=-1), rtol=1e-14)
    np.testing.assert_allclose(res[1], sp_entropy(x, y[1, ...], axis=-1), rtol=1e-14)


@xfail("a q of length 1 along the distribution axis is not broadcast to 3 outcomes: xentlib requires "
       "equal lengths along axis (course policy: a shape mismatch is an error), SciPy broadcasts it",
       raises=ValueError)
def test_scipy_entropy_broadcasting():
    # test_entropy.py :: TestEntropy.test_entropy_broadcasting, verbatim shapes: y is (2, 1)
    rng = np.random.default_rng(74187315492831452)
    x = rng.random(3)
    y = rng.random((2, 1))
    res = sp_entropy(x, y, axis=-1)
    np.testing.assert_allclose(res[0], sp_entropy(x, y[0, ...], axis=-1))


def test_scipy_entropy_shape_mismatch():
    # test_entropy.py :: TestEntropy.test_entropy_shape_mismatch (message mapped)
    with pytest.raises(ValueError, match=r"^q: shape mismatch"):
        sp_entropy(np.ones((10, 1, 12)), np.ones((11, 2)))


def test_scipy_entropy_input_validation():
    # test_entropy.py :: TestEntropy.test_input_validation ("`base` must be a positive number.")
    with pytest.raises(ValueError, match=r"^base: must be a finite number > 0"):
        sp_entropy(np.ones(10), base=-2)


# =====================================================================================
# SciPy: scipy/special/tests/test_logsumexp.py :: TestLogSumExp
# Conventions: scipy's logsumexp(a, axis=None, b=None, keepdims=False) reduces all axes by
# default and takes weights b; xentlib reduces one integer axis (default -1): axis=None is
# mapped to the flattened array, a tuple of axes to a reshape, and positive weights b to
# logsumexp(a + log b) (the identity log sum b e^a = log sum e^(a + log b)).
# =====================================================================================
def test_scipy_logsumexp_large_inputs():
    # test_logsumexp.py :: TestLogSumExp.test_logsumexp
    a = np.arange(200.0)
    np.testing.assert_allclose(logsumexp(a), np.log(np.sum(np.exp(a))), rtol=1e-7)
    np.testing.assert_allclose(logsumexp(np.array([1000.0, 1000.0])), 1000.0 + math.log(2.0), rtol=1e-7)
    n = 1000
    np.testing.assert_allclose(logsumexp(np.full((n,), 10000)), 10000.0 + math.log(n), rtol=1e-7)


def test_scipy_logsumexp_tiny_terms():
    # test_logsumexp.py :: TestLogSumExp.test_logsumexp (x = [1e-40] * 1000000)
    x = np.asarray([1e-40] * 1000000)
    logx = np.log(x)
    X = np.stack([x, x])
    logX = np.stack([logx, logx])
    np.testing.assert_allclose(np.exp(logsumexp(logX.ravel())), np.sum(X), rtol=1e-7)  # axis=None
    np.testing.assert_allclose(np.exp(logsumexp(logX, axis=0)), np.sum(X, axis=0), rtol=1e-7)
    np.testing.assert_allclose(np.exp(logsumexp(logX, axis=1)), np.sum(X, axis=1), rtol=1e-7)


def test_scipy_logsumexp_special_values_shared():
    # test_logsumexp.py :: TestLogSumExp.test_logsumexp, "Handling special values properly": the
    # -inf cases (a masked entry is allowed in xentlib)
    assert logsumexp(np.array([-np.inf])) == -np.inf
    assert logsumexp(np.array([-np.inf, -np.inf])) == -np.inf


@xfail("+inf and NaN are bad input in xentlib (course policy: an error naming x, never a silent "
       "inf/NaN); SciPy returns inf and nan", raises=ValueError)
@pytest.mark.parametrize("value, want", [(np.inf, np.inf), (np.nan, np.nan)], ids=["inf", "nan"])
def test_scipy_logsumexp_special_values_inf_nan(value, want):
    # test_logsumexp.py :: TestLogSumExp.test_logsumexp: logsumexp(inf) == inf, logsumexp(nan) is nan
    np.testing.assert_equal(logsumexp(np.array([value])), want)


@xfail("an empty axis is bad input in xentlib (no distribution); SciPy returns log(0) = -inf",
       raises=ValueError)
def test_scipy_logsumexp_zero_size():
    # test_logsumexp.py :: TestLogSumExp.test_logsumexp (zero-size array)
    assert logsumexp(np.asarray([])) == -np.inf


def test_scipy_logsumexp_different_magnitudes_and_keepdims():
    # test_logsumexp.py :: TestLogSumExp.test_logsumexp ("different magnitudes on the axes")
    a = np.array([[1e10, 1e-10], [-1e10, -np.inf]])
    ref = np.array([1e10, -1e10])
    np.testing.assert_allclose(logsumexp(a, axis=-1), ref, rtol=1e-7)
    np.testing.assert_allclose(logsumexp(a, axis=-1, keepdims=True), ref[:, None], rtol=1e-7)
    np.testing.assert_allclose(logsumexp(a.ravel()), 1e10, rtol=1e-7)  # axis=(-1, -2) mapped to ravel


def test_scipy_logsumexp_b_mapped_to_log_weights():
    # test_logsumexp.py :: TestLogSumExp.test_logsumexp_b
    a = np.arange(200.0)
    b = np.arange(200.0, 0.0, -1.0)
    np.testing.assert_allclose(logsumexp(a + np.log(b)), np.log(np.sum(b * np.exp(a))), rtol=1e-7)
    a = np.array([1000, 1000])
    b = np.array([1.2, 1.2])
    np.testing.assert_allclose(logsumexp(a + np.log(b)), 1000 + math.log(2 * 1.2), rtol=1e-7)
    x = np.asarray([1e-40] * 100000)
    b = np.linspace(1, 1000, 100000)
    logx = np.log(x)
    logX, B, X = np.stack((logx, logx)), np.stack((b, b)), np.stack((x, x))
    np.testing.assert_allclose(np.exp(logsumexp((logX + np.log(B)).ravel())), np.sum(B * X), rtol=1e-7)
    np.testing.assert_allclose(np.exp(logsumexp(logX + np.log(B), axis=0)), np.sum(B * X, axis=0), rtol=1e-7)
    np.testing.assert_allclose(np.exp(logsumexp(logX + np.log(B), axis=1)), np.sum(B * X, axis=1), rtol=1e-7)


def test_scipy_logsumexp_b_zero():
    # test_logsumexp.py :: TestLogSumExp.test_logsumexp_b_zero: a=[1, 10000], b=[1, 0] -> 1
    with np.errstate(divide="ignore"):
        logb = np.log(np.array([1.0, 0.0]))  # weight 0 -> -inf, a masked entry
    np.testing.assert_allclose(logsumexp(np.array([1, 10000]) + logb), 1.0, rtol=1e-7)


def test_scipy_logsumexp_shape():
    # test_logsumexp.py :: TestLogSumExp.test_logsumexp_shape (axis=2), and axis=(1, 3) via a reshape
    a = np.ones((1, 2, 3, 4))
    assert logsumexp(a, axis=2).shape == (1, 2, 4)
    assert logsumexp(a.transpose(0, 2, 1, 3).reshape(1, 3, 8), axis=-1).shape == (1, 3)


@xfail("xentlib reduces one integer axis; a tuple of axes is a TypeError naming axis", raises=TypeError)
def test_scipy_logsumexp_shape_tuple_axis():
    # test_logsumexp.py :: TestLogSumExp.test_logsumexp_shape: axis=(1, 3)
    assert logsumexp(np.ones((1, 2, 3, 4)), axis=(1, 3)).shape == (1, 3)  # type: ignore[arg-type]


@pytest.mark.parametrize("arg", (1, [1, 2, 3]))
def test_scipy_logsumexp_xp_invalid_input(arg):
    # test_logsumexp.py :: TestLogSumExp.test_xp_invalid_input (0-d input is one term)
    assert logsumexp(arg) == logsumexp(np.asarray(np.atleast_1d(arg)))


def test_scipy_logsumexp_array_like():
    # test_logsumexp.py :: TestLogSumExp.test_array_like
    np.testing.assert_allclose(logsumexp([1000, 1000]), 1000.0 + math.log(2.0), rtol=1e-7)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64"])
def test_scipy_logsumexp_dtypes_a(dtype):
    # test_logsumexp.py :: TestLogSumExp.test_dtypes_a (integers give float64)
    a = np.asarray([1000.0, 1000.0], dtype=dtype)
    want_dtype = np.float32 if dtype == "float32" else np.float64
    res = logsumexp(a)
    assert res.dtype == want_dtype
    np.testing.assert_allclose(res, 1000.0 + math.log(2.0), rtol=1e-6 if dtype == "float32" else 1e-7)


@xfail("xentlib takes real numbers only: complex input is a TypeError naming x", raises=TypeError)
def test_scipy_logsumexp_dtypes_a_complex():
    # test_logsumexp.py :: TestLogSumExp.test_dtypes_a with dtype complex128
    np.testing.assert_allclose(logsumexp(np.asarray([1000.0, 1000.0], dtype=complex)), 1000.0 + math.log(2.0))


def test_scipy_logsumexp_gh18295():
    # test_logsumexp.py :: TestLogSumExp.test_gh18295: precision when one element dominates
    a = np.array([0.0, -40.0])
    np.testing.assert_allclose(logsumexp(a), np.logaddexp(a[0], a[1]), rtol=1e-7)


@pytest.mark.parametrize("x, y", [(-np.inf, -np.inf)])
def test_scipy_logsumexp_gh22601_infinite_elements(x, y):
    # test_logsumexp.py :: TestLogSumExp.test_gh22601_infinite_elements, real (-inf, -inf)
    with np.errstate(divide="ignore"):
        ref = np.log(np.sum(np.exp(np.asarray([x, y]))))
    assert logsumexp(np.asarray([x, y])) == ref


@xfail("+inf is bad input in xentlib (an error naming x); SciPy returns inf (or nan for inf - inf)",
       raises=ValueError)
@pytest.mark.parametrize("x, y", [(-np.inf, np.inf), (np.inf, -np.inf), (np.inf, np.inf)])
def test_scipy_logsumexp_gh22601_infinite_elements_pos_inf(x, y):
    # test_logsumexp.py :: TestLogSumExp.test_gh22601_infinite_elements, real pairs with +inf
    with np.errstate(invalid="ignore"):
        ref = np.log(np.sum(np.exp(np.asarray([x, y]))))
    np.testing.assert_equal(logsumexp(np.asarray([x, y])), ref)


def test_scipy_logsumexp_no_writeback():
    # test_logsumexp.py :: TestLogSumExp.test_no_writeback
    a = np.asarray([5.0, 4.0])
    logsumexp(a)
    softmax(a)
    log_softmax(a)
    np.testing.assert_equal(a, [5.0, 4.0])


# ------------------------------------------------ test_logsumexp.py :: TestSoftmax
# scipy.special.softmax(x, axis=None) normalises over the whole array by default: mapped to a
# ravel + reshape; xentlib's default is axis=-1.
def test_scipy_softmax_fixtures():
    # test_logsumexp.py :: TestSoftmax.test_softmax_fixtures
    np.testing.assert_allclose(softmax(np.array([1000.0, 0.0, 0.0, 0.0])), [1.0, 0.0, 0.0, 0.0], rtol=1e-13)
    np.testing.assert_allclose(softmax(np.array([1.0, 1.0])), [0.5, 0.5], rtol=1e-13)
    np.testing.assert_allclose(softmax(np.array([0.0, 1.0])), np.array([1.0, np.e]) / (1 + np.e), rtol=1e-13)
    x = np.arange(4, dtype=np.float64)
    expected = np.array([0.03205860328008499, 0.08714431874203256, 0.23688281808991013, 0.6439142598879722])
    np.testing.assert_allclose(softmax(x), expected, rtol=1e-13)
    np.testing.assert_allclose(softmax(x + 100), expected, rtol=1e-13)  # translation
    np.testing.assert_allclose(softmax(x.reshape(2, 2).ravel()).reshape(2, 2), expected.reshape(2, 2),
                               rtol=1e-13)  # axis=None


@xfail("default axis: SciPy's softmax normalises the whole array (axis=None), xentlib each row (axis=-1)")
def test_scipy_softmax_fixtures_axis_none_default():
    # test_logsumexp.py :: TestSoftmax.test_softmax_fixtures: softmax(x.reshape(2, 2)) with the default axis
    x = np.arange(4, dtype=np.float64)
    expected = np.array([0.03205860328008499, 0.08714431874203256, 0.23688281808991013, 0.6439142598879722])
    np.testing.assert_allclose(softmax(x.reshape(2, 2)), expected.reshape(2, 2), rtol=1e-13)


def test_scipy_softmax_multi_axes():
    # test_logsumexp.py :: TestSoftmax.test_softmax_multi_axes
    np.testing.assert_allclose(softmax(np.array([[1000.0, 0.0], [1000.0, 0.0]]), axis=0),
                               [[0.5, 0.5], [0.5, 0.5]], rtol=1e-13)
    np.testing.assert_allclose(softmax(np.array([[1000.0, 0.0], [1000.0, 0.0]]), axis=1),
                               [[1.0, 0.0], [1.0, 0.0]], rtol=1e-13)
    x = np.array([[-25.0, 0.0, 25.0, 50.0], [1.0, 325.0, 749.0, 750.0]])
    expected = np.array([[2.678636961770877e-33, 1.9287498479371314e-22, 1.3887943864771144e-11,
                          0.999999999986112],
                         [0.0, 1.9444526359919372e-185, 0.2689414213699951, 0.7310585786300048]])
    np.testing.assert_allclose(softmax(x, axis=1), expected, rtol=1e-13)
    np.testing.assert_allclose(softmax(x.T, axis=0), expected.T, rtol=1e-13)
    # 3-d input with axis=(1, 2): mapped to a reshape to (2, 4)
    np.testing.assert_allclose(softmax(x.reshape(2, 2, 2).reshape(2, 4), axis=1).reshape(2, 2, 2),
                               expected.reshape(2, 2, 2), rtol=1e-13)


def test_scipy_softmax_int_scalar_array_like():
    # test_logsumexp.py :: TestSoftmax.test_softmax_int_array, test_softmax_scalar, test_softmax_array_like
    np.testing.assert_allclose(softmax(np.array([1000, 0, 0, 0])), [1.0, 0.0, 0.0, 0.0], rtol=1e-13)
    np.testing.assert_allclose(softmax(1000), np.asarray(1.0), rtol=1e-13)
    np.testing.assert_allclose(softmax([1000, 0, 0, 0]), [1.0, 0.0, 0.0, 0.0], rtol=1e-13)


# ------------------------------------------------ test_logsumexp.py :: TestLogSoftmax
LS_EXPECT = np.array([-3.4401896985611953, -2.4401896985611953, -1.4401896985611953, -0.44018969856119533])


def test_scipy_log_softmax_basic_int_scalar_array_like():
    # test_logsumexp.py :: TestLogSoftmax.test_log_softmax_basic, _int_array, _scalar, _array_like
    np.testing.assert_allclose(log_softmax(np.array([1000.0, 1.0])), [0.0, -999.0], rtol=1e-13)
    np.testing.assert_allclose(log_softmax(np.array([1000, 1])), [0.0, -999.0], rtol=1e-13)
    np.testing.assert_allclose(log_softmax(1.0), 0.0, rtol=1e-13)
    np.testing.assert_allclose(log_softmax([1000, 1]), [0.0, -999.0], rtol=1e-13)


@pytest.mark.parametrize("offset", [0, 100])
def test_scipy_log_softmax_translation(offset):
    # test_logsumexp.py :: TestLogSoftmax.test_log_softmax_translation (data_1d, mpmath values)
    np.testing.assert_allclose(log_softmax(np.arange(4, dtype=np.float64) + offset), LS_EXPECT, rtol=1e-13)


def test_scipy_log_softmax_axes():
    # test_logsumexp.py :: TestLogSoftmax.test_log_softmax_noneaxis (mapped: ravel), test_axes,
    # test_log_softmax_2d_axis1, test_log_softmax_2d_axis0, test_log_softmax_3d (mapped: reshape)
    x1 = np.arange(4, dtype=np.float64)
    np.testing.assert_allclose(log_softmax(x1.reshape(2, 2).ravel()).reshape(2, 2), LS_EXPECT.reshape(2, 2),
                               rtol=1e-13)
    x = np.array([[1000.0, 1.0], [1000.0, 1.0]])
    np.testing.assert_allclose(log_softmax(x, axis=0), np.log(0.5) * np.ones((2, 2)), rtol=1e-13)
    np.testing.assert_allclose(log_softmax(x, axis=1), [[0.0, -999.0], [0.0, -999.0]], rtol=1e-13)
    x2 = np.arange(8, dtype=np.float64).reshape(2, 4)
    e2 = np.stack([LS_EXPECT, LS_EXPECT])
    np.testing.assert_allclose(log_softmax(x2, axis=1), e2, rtol=1e-13)
    np.testing.assert_allclose(log_softmax(x2.T, axis=0), e2.T, rtol=1e-13)
    np.testing.assert_allclose(log_softmax(x2.reshape(2, 2, 2).reshape(2, 4), axis=1).reshape(2, 2, 2),
                               e2.reshape(2, 2, 2), rtol=1e-13)


# =====================================================================================
# scikit-learn: sklearn/metrics/tests/test_classification.py :: test_log_loss*
# Convention: log_loss(y_true, y_pred, normalize=True, labels=None) sorts the labels
# (np.unique) into class indices, takes y_pred as (n, C) probabilities (or (n,) P(last
# class)), renormalises rows that do not sum to 1 (with a UserWarning) and clips y_pred to
# [eps, 1 - eps]; normalize=True is the mean over samples, False the sum.  Mapped to
# xentlib.cross_entropy(one-hot, y_pred, normalize=True) averaged or summed over rows:
# renormalisation by request, no clipping.
# =====================================================================================
def sk_log_loss(y_true, y_pred, *, normalize=True, labels=None):
    classes = np.unique(y_true if labels is None else labels)
    idx = np.searchsorted(classes, y_true)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_pred.ndim == 1:
        y_pred = np.stack([1 - y_pred, y_pred], axis=1)
    onehot = np.eye(len(classes))[idx]
    per = cross_entropy(onehot, y_pred, normalize=True)
    return per.mean() if normalize else per.sum()


def test_sklearn_log_loss_binary_symbolic_labels():
    # test_classification.py :: test_log_loss, binary case with symbolic labels ("no" < "yes")
    y_true = ["no", "no", "no", "yes", "yes", "yes"]
    y_pred = np.array([[0.5, 0.5], [0.1, 0.9], [0.01, 0.99], [0.9, 0.1], [0.75, 0.25], [0.001, 0.999]])
    loss_true = -np.mean(bernoulli.logpmf(np.array(y_true) == "yes", y_pred[:, 1]))
    np.testing.assert_almost_equal(sk_log_loss(y_true, y_pred), loss_true)
    # the same with xentlib's binary form
    np.testing.assert_almost_equal(binary_cross_entropy((np.array(y_true) == "yes").astype(float), y_pred[:, 1]),
                                   loss_true)


def test_sklearn_log_loss_multiclass():
    # test_classification.py :: test_log_loss, multiclass case (adapted from http://bit.ly/RJJHWA)
    y_true = [1, 0, 2]
    y_pred = [[0.2, 0.7, 0.1], [0.6, 0.2, 0.2], [0.6, 0.1, 0.3]]
    np.testing.assert_almost_equal(sk_log_loss(y_true, y_pred, normalize=True), 0.6904911)
    # the same from logits: softmax_cross_entropy of log-probabilities
    np.testing.assert_almost_equal(softmax_cross_entropy(np.log(y_pred), np.array(y_true)), 0.6904911)
    # "check that we got all the shapes and axes right by doubling the length of y_true and y_pred"
    np.testing.assert_almost_equal(sk_log_loss(y_true * 2, y_pred * 2, normalize=False), 0.6904911 * 6,
                                   decimal=6)


@xfail("no clipping: xentlib's cross-entropy of a zero probability on the true class is inf "
       "(sklearn clips y_pred to [eps, 1 - eps], here eps=0.1, to keep it finite)")
def test_sklearn_log_loss_eps_clipping():
    # test_classification.py :: test_log_loss, "check eps and handling of absolute zero and one
    # probabilities": y_pred = y_pred > 0.5 with eps=0.1 gives a finite loss
    y_true = [1, 0, 2] * 2
    y_pred = np.asarray([[0.2, 0.7, 0.1], [0.6, 0.2, 0.2], [0.6, 0.1, 0.3]] * 2) > 0.5
    assert np.isfinite(sk_log_loss(y_true, y_pred.astype(float)))


def test_sklearn_log_loss_boundary_values_eps_0():
    # test_classification.py :: test_log_loss, "check correct boundary values for eps = 0"
    # (xentlib never clips, so eps=0 is its only behaviour)
    assert binary_cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0
    assert binary_cross_entropy([0.0, 1.0], [0.0, 0.0]) == np.inf
    assert binary_cross_entropy([0.0, 1.0], [1.0, 1.0]) == np.inf
    assert sk_log_loss([0, 1, 2], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]) == 0
    assert sk_log_loss([0, 1, 2], [[0, 0.5, 0.5], [0, 1, 0], [0, 0, 1]]) == np.inf


def test_sklearn_log_loss_unequal_number_of_classes():
    # test_classification.py :: test_log_loss, "raise error if number of classes are not equal"
    with pytest.raises(ValueError):
        sk_log_loss([1, 0, 2], [[0.2, 0.7], [0.6, 0.5], [0.4, 0.1]])
    with pytest.raises(ValueError, match=r"^target: class index 2 is out of range \[0, 2\)"):
        softmax_cross_entropy(np.log([[0.2, 0.7], [0.6, 0.5], [0.4, 0.1]]), np.array([1, 0, 2]))


def test_sklearn_log_loss_string_labels_renormalised():
    # test_classification.py :: test_log_loss ("y_true is a string array object") and
    # test_log_loss_pandas_input: rows not summing to 1 are renormalised (normalize=True mapped)
    y_true = ["ham", "spam", "spam", "ham"]
    y_pred = [[0.2, 0.7], [0.6, 0.5], [0.4, 0.1], [0.7, 0.2]]
    np.testing.assert_almost_equal(sk_log_loss(y_true, y_pred), 1.0383217, decimal=6)


@xfail("rows of y_pred that do not sum to 1: sklearn warns and renormalises, xentlib raises "
       "(renormalising takes normalize=True)", raises=ValueError)
def test_sklearn_log_loss_not_summing_to_one_default():
    # test_classification.py :: test_log_loss, same case with xentlib's default normalize=False
    y_pred = np.array([[0.2, 0.7], [0.6, 0.5], [0.4, 0.1], [0.7, 0.2]])
    onehot = np.eye(2)[[0, 1, 1, 0]]
    np.testing.assert_almost_equal(cross_entropy(onehot, y_pred).mean(), 1.0383217, decimal=6)


def test_sklearn_log_loss_labels_option():
    # test_classification.py :: test_log_loss, "works when the labels argument is used"
    y_score = np.array([[0.1, 0.9], [0.1, 0.9]])
    true_log_loss = -np.mean(np.log(y_score[:, 1]))
    np.testing.assert_almost_equal(sk_log_loss([2, 2], y_score, labels=[1, 2]), true_log_loss)
    # "ensure labels work when len(np.unique(y_true)) != y_pred.shape[1]"
    y_score2 = [[0.2, 0.7, 0.3], [0.6, 0.5, 0.3], [0.3, 0.9, 0.1]]
    np.testing.assert_almost_equal(sk_log_loss([1, 2, 2], y_score2, labels=[1, 2, 3]), 1.0630345, decimal=6)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_sklearn_log_loss_eps_auto(dtype):
    # test_classification.py :: test_log_loss_eps_auto and test_log_loss_eps_auto_float16:
    # perfect predictions give a finite loss (xentlib: exactly 0, float16 computed in float64)
    y_true = np.array([0, 1], dtype=dtype)
    loss = binary_cross_entropy(y_true, y_true.copy())
    assert np.isfinite(loss) and loss == 0


# =====================================================================================
# PyTorch: torch/testing/_internal/common_nn.py, reference functions transcribed to NumPy.
# Conventions: torch's class axis is 1 (here the last axis of 2-D inputs, so the same);
# F.nll_loss takes log-probabilities (mapped: softmax_cross_entropy of log-probabilities,
# on which log-softmax is the identity); F.kl_div(input=log q, target=p) is elementwise
# (mapped: xentlib's kl_divergence(p, q) per distribution = the elementwise terms summed
# over the class axis, i.e. torch's reduction='batchmean' is the mean of xentlib's KL);
# reductions 'mean'/'sum'/'none' as in xentlib except where marked.
# =====================================================================================
def nllloss_reference(input, target, weight=None, ignore_index=-100, reduction="mean"):
    # common_nn.py :: nllloss_reference
    losses, weights = [], []
    for i, t in zip(input, target, strict=True):
        if t == ignore_index:
            losses.append(0.0)
            weights.append(0.0)
            continue
        norm = 1.0 if weight is None else weight[t]
        losses.append(-i[t] * norm)
        weights.append(norm)
    losses_a = np.array(losses)
    if reduction == "mean":
        with np.errstate(invalid="ignore"):
            return np.sum(losses_a) / np.sum(weights)
    if reduction == "sum":
        return np.sum(losses_a)
    return losses_a


def cross_entropy_loss_prob_target_reference(input, target, weight=None, reduction="mean", label_smoothing=0.0):
    # common_nn.py :: cross_entropy_loss_prob_target_reference
    input = sps.log_softmax(input, axis=1)
    C = input.shape[1]
    weight = np.ones(C) if weight is None else weight
    if label_smoothing > 0.0:
        target = target * (1 - label_smoothing) + label_smoothing / C
    output = -(input * target * weight).sum(axis=1)
    if reduction == "mean":
        return output.mean()
    if reduction == "sum":
        return output.sum()
    return output


def cross_entropy_loss_indices_target_reference(input, target, weight=None, ignore_index=-100,
                                                reduction="mean", label_smoothing=0.0):
    # common_nn.py :: cross_entropy_loss_indices_target_reference (its F.nll_loss is nllloss_reference)
    log_softmax_input = sps.log_softmax(input, axis=1)
    nllloss = nllloss_reference(log_softmax_input, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0.0:
        return nllloss
    inp = sps.log_softmax(input, axis=1)
    C = inp.shape[1]
    if weight is not None:
        inp = inp * weight.reshape(1, C)
    smooth_loss = -np.sum(inp, axis=1)
    ignore_mask = target == ignore_index
    smooth_loss[ignore_mask] = 0.0
    if reduction == "mean":
        if weight is not None:
            ret = np.sum(smooth_loss) / weight[target[~ignore_mask]].sum()
        else:
            ret = np.mean(smooth_loss[~ignore_mask])
    elif reduction == "sum":
        ret = np.sum(smooth_loss)
    else:
        ret = smooth_loss
    return (1 - label_smoothing) * nllloss + ret * (label_smoothing / C)


def kldivloss_reference(input, target, reduction="mean", log_target=False):
    # common_nn.py :: kldivloss_reference
    result = np.exp(target) * (target - input) if log_target else target * (np.log(target) - input)
    if reduction == "mean":
        return result.mean()
    if reduction == "sum":
        return result.sum()
    if reduction == "batchmean" and result.ndim != 0:
        return result.sum() / result.shape[0]
    return result


RNG = np.random.default_rng(20261201)


def _nll_case(weighted: bool):
    # common_nn.py :: nllloss_no_reduce_test / nllloss_no_reduce_weights_test inputs:
    # t = floor(uniform(15) * 10), input = log(rand(15, 10) [+ 1e-2]), weight = rand(10);
    # mapped: rows normalised to log-probabilities (F.nll_loss takes log-probabilities)
    t = np.floor(RNG.uniform(size=15) * 10).astype(np.int64)
    x = np.log(RNG.random((15, 10)) + (1e-2 if weighted else 0.0))
    x -= sps.logsumexp(x, axis=1, keepdims=True)
    w = RNG.random(10) if weighted else None
    return x, t, w


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("weighted", [False, True], ids=["NLLLoss_no_reduce", "NLLLoss_no_reduce_weights"])
@pytest.mark.parametrize("ignore_index", [None, 2, -1], ids=["", "ignore_index", "ignore_index_neg"])
def test_torch_nllloss_reference(reduction, weighted, ignore_index):
    # common_nn.py :: nllloss_no_reduce[_weights][_ignore_index[_neg]]_test with nllloss_reference,
    # plus its 'sum' and 'mean' branches (mean = sum(w * l) / sum(w), as in xentlib)
    x, t, w = _nll_case(weighted)
    if ignore_index == -1:
        t[[3, 7]] = -1  # the _neg dict ignores -1; make some targets -1 so it matters
    kw = {} if ignore_index is None else {"ignore_index": ignore_index}
    ref = nllloss_reference(x, t, w, reduction=reduction, **kw)
    got = softmax_cross_entropy(x, t, class_weight=w, reduction=reduction, **kw)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)


@xfail("unnormalised scores: F.nll_loss reads -input[t] as given, xentlib's loss takes logits and "
       "log-softmaxes them; there is no separate nll_loss")
def test_torch_nllloss_reference_unnormalised_input():
    # common_nn.py :: nllloss_no_reduce_test verbatim: input = log(rand(15, 10)), rows not normalised
    t = np.floor(RNG.uniform(size=15) * 10).astype(np.int64)
    x = np.log(RNG.random((15, 10)))
    np.testing.assert_allclose(softmax_cross_entropy(x, t, reduction="none"),
                               nllloss_reference(x, t, reduction="none"), rtol=1e-12)


@xfail("mean over zero total weight: torch's reference (and torch) return 0/0 = NaN, xentlib raises "
       "ValueError naming ignore_index (course policy: never a silent NaN)", raises=ValueError)
def test_torch_nllloss_reference_all_ignored():
    # common_nn.py :: nllloss_reference, 'mean' branch with every target ignored
    x, t, _ = _nll_case(False)
    t[:] = 2
    ref = nllloss_reference(x, t, ignore_index=2)
    np.testing.assert_equal(softmax_cross_entropy(x, t, ignore_index=2), ref)


@pytest.mark.parametrize("reduction, label_smoothing, weighted", [
    (r, ls, w) for r in ("none", "sum", "mean") for ls in (0.0, 0.2) for w in (False, True)
    if not (w and ls and r == "mean")  # the deliberate difference, marked below
])
def test_torch_cross_entropy_index_targets(reduction, label_smoothing, weighted):
    # common_nn.py :: cross_entropy_loss_indices_target_reference (CrossEntropyLoss dicts: input
    # randn(15, 10), targets in [0, 10), optional weight rand(10), label smoothing), with
    # ignore_index=2 on a few rows; the weighted + smoothed mean is the marked difference below
    x = RNG.standard_normal((15, 10))
    t = RNG.integers(0, 10, 15)
    t[[1, 4]] = 2
    w = RNG.random(10) if weighted else None
    ref = cross_entropy_loss_indices_target_reference(x, t, w, ignore_index=2, reduction=reduction,
                                                      label_smoothing=label_smoothing)
    got = softmax_cross_entropy(x, t, class_weight=w, ignore_index=2, reduction=reduction,
                                label_smoothing=label_smoothing)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)


@xfail("class weights + label smoothing + index targets, reduction='mean': torch divides by "
       "sum of w[target], xentlib by the total weight of the smoothed targets (documented in "
       "softmax_cross_entropy)")
def test_torch_cross_entropy_weighted_smoothed_mean():
    # common_nn.py :: cross_entropy_loss_indices_target_reference, weight + label_smoothing, 'mean'
    x = RNG.standard_normal((15, 10))
    t = RNG.integers(0, 10, 15)
    w = RNG.random(10)
    ref = cross_entropy_loss_indices_target_reference(x, t, w, label_smoothing=0.2)
    np.testing.assert_allclose(softmax_cross_entropy(x, t, class_weight=w, label_smoothing=0.2), ref, rtol=1e-12)


@pytest.mark.parametrize("reduction, label_smoothing, weighted", [
    (r, ls, w) for r in ("none", "sum", "mean") for ls in (0.0, 0.3) for w in (False, True)
    if not (w and r == "mean")  # the deliberate difference, marked below
])
def test_torch_cross_entropy_prob_targets(reduction, label_smoothing, weighted):
    # common_nn.py :: cross_entropy_loss_prob_target_reference (input randn(15, 10), probability
    # targets softmax(randn(15, 10)), optional weight rand(10)); weighted 'mean' is marked below
    x = RNG.standard_normal((15, 10))
    y = sps.softmax(RNG.standard_normal((15, 10)), axis=1)
    w = RNG.random(10) if weighted else None
    ref = cross_entropy_loss_prob_target_reference(x, y, w, reduction=reduction, label_smoothing=label_smoothing)
    got = softmax_cross_entropy(x, y, class_weight=w, reduction=reduction, label_smoothing=label_smoothing)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)


@xfail("probability targets + class weights, reduction='mean': torch divides by N, xentlib by the "
       "total weight sum_i sum_c w_c y_ic (the same definition of the mean as for index targets)")
def test_torch_cross_entropy_prob_targets_weighted_mean():
    # common_nn.py :: cross_entropy_loss_prob_target_reference with weight, 'mean'
    x = RNG.standard_normal((15, 10))
    y = sps.softmax(RNG.standard_normal((15, 10)), axis=1)
    w = RNG.random(10)
    ref = cross_entropy_loss_prob_target_reference(x, y, w)
    np.testing.assert_allclose(softmax_cross_entropy(x, y, class_weight=w), ref, rtol=1e-12)


def _kl_case():
    # common_nn.py :: kldivloss_no_reduce_test inputs: target rand(10, 10), input log(rand(10, 10));
    # mapped: rows normalised to distributions (xentlib's KL is between distributions)
    p = RNG.random((10, 10))
    p /= p.sum(1, keepdims=True)
    q = RNG.random((10, 10))
    q /= q.sum(1, keepdims=True)
    return p, q


def test_torch_kldivloss_reference_none_sum_batchmean():
    # common_nn.py :: kldivloss_reference with kldivloss_no_reduce_test's shapes; argument order
    # mapped: F.kl_div(input=log q, target=p) <-> kl_divergence(p, q)
    p, q = _kl_case()
    elementwise = kldivloss_reference(np.log(q), p, reduction="none")
    np.testing.assert_allclose(kl_divergence(p, q), elementwise.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(kl_divergence(p, q).sum(), kldivloss_reference(np.log(q), p, reduction="sum"),
                               rtol=1e-12)
    np.testing.assert_allclose(kl_divergence(p, q).mean(), kldivloss_reference(np.log(q), p, reduction="batchmean"),
                               rtol=1e-12)
    # log_target=True (kldivloss_with_log_target_no_reduce_test): target given as log p
    np.testing.assert_allclose(kl_divergence(p, q), kldivloss_reference(np.log(q), np.log(p), reduction="none",
                                                                        log_target=True).sum(axis=1), rtol=1e-12)


@xfail("torch's kl_div reduction='mean' averages the elementwise terms (divides by N * C; torch "
       "itself recommends 'batchmean'); xentlib's KL is one number per distribution")
def test_torch_kldivloss_reference_mean():
    # common_nn.py :: kldivloss_reference, 'mean' branch
    p, q = _kl_case()
    np.testing.assert_allclose(kl_divergence(p, q).mean(), kldivloss_reference(np.log(q), p), rtol=1e-12)


@pytest.mark.parametrize("weighted", [False, True], ids=["BCELoss_no_reduce", "BCELoss_weights_no_reduce"])
def test_torch_bceloss_reference(weighted):
    # common_nn.py :: bceloss_no_reduce_test / bceloss_weights_no_reduce_test:
    # t = (randn(15, 10) > 0), input = rand(15, 10).clamp(2.8e-2, 1 - 2.8e-2), weights rand(10),
    # reference -(t log i + (1 - t) log(1 - i)) [* weights]; xentlib has no weight: multiplied after
    t = (RNG.standard_normal((15, 10)) > 0).astype(float)
    i = np.clip(RNG.random((15, 10)), 2.8e-2, 1 - 2.8e-2)
    w = RNG.random(10) if weighted else np.ones(10)
    ref = -(t * np.log(i) + (1 - t) * np.log(1 - i)) * w
    np.testing.assert_allclose(binary_cross_entropy(t, i, reduction="none") * w, ref, rtol=1e-12)
    # bceloss_no_reduce_scalar_test: a 0-d input and target
    t0, i0 = float(t[0, 0]), float(i[0, 0])
    np.testing.assert_allclose(binary_cross_entropy(t0, i0, reduction="none"),
                               -(t0 * math.log(i0) + (1 - t0) * math.log(1 - i0)), rtol=1e-12)


def test_torch_bce_with_logits_reference():
    # common_nn.py :: bce_with_logistic_no_reduce_test (and _scalar_test): input rand(15, 10) clamped,
    # reference -(t log sigmoid(i) + (1 - t) log(1 - sigmoid(i)))
    t = (RNG.standard_normal((15, 10)) > 0).astype(float)
    i = np.clip(RNG.random((15, 10)), 2.8e-2, 1 - 2.8e-2)
    s = 1 / (1 + np.exp(-i))
    ref = -(t * np.log(s) + (1 - t) * np.log(1 - s))
    np.testing.assert_allclose(sigmoid_binary_cross_entropy(i, t, reduction="none"), ref, rtol=1e-12)
    np.testing.assert_allclose(sigmoid_binary_cross_entropy(i[0, 0], t[0, 0], reduction="none"), ref[0, 0],
                               rtol=1e-12)
    np.testing.assert_allclose(sigmoid_binary_cross_entropy(i, t), ref.mean(), rtol=1e-12)
