"""xentlib.calibration: reliability bins, ECE and temperature scaling.

Expected values are derived by hand in the comments (or from the known
construction of the synthetic data), never copied from the code under test.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from xentlib import calibration as cal
from xentlib import data, plotting


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_ece_hand_example():
    # 4 predictions, 2 classes, 10 bins:
    #   confidence 0.9 (bin (0.8, 0.9]): one right, one wrong -> acc 0.5, gap 0.4, weight 1/2
    #   confidence 0.6 (bin (0.5, 0.6]): both right         -> acc 1.0, gap 0.4, weight 1/2
    # ECE = 0.5 * 0.4 + 0.5 * 0.4 = 0.4
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.4, 0.6], [0.6, 0.4]])
    labels = np.array([0, 1, 1, 0])
    assert cal.expected_calibration_error(probs, labels, n_bins=10) == pytest.approx(0.4, abs=1e-12)
    bins = cal.reliability_bins(probs, labels, n_bins=10)
    assert bins.count.tolist() == [0, 0, 0, 0, 0, 2, 0, 0, 2, 0]
    assert bins.accuracy[8] == pytest.approx(0.5)
    assert bins.accuracy[5] == pytest.approx(1.0)
    assert bins.confidence[8] == pytest.approx(0.9)
    assert np.isnan(bins.accuracy[0]) and np.isnan(bins.confidence[0])


def test_bin_edges_are_right_closed():
    # confidence exactly 0.5 belongs to (0.4, 0.5], 1.0 to (0.9, 1.0]
    probs = np.array([[0.5, 0.5], [1.0, 0.0]])
    bins = cal.reliability_bins(probs, np.array([0, 0]), n_bins=10)
    assert bins.count[4] == 1 and bins.count[9] == 1
    assert bins.count.sum() == 2
    np.testing.assert_allclose(bins.edges, np.linspace(0, 1, 11))


def test_perfect_predictions_have_zero_ece():
    probs = np.eye(3)[[0, 1, 2, 1]]
    assert cal.expected_calibration_error(probs, np.array([0, 1, 2, 1])) == 0.0


def test_nll_of_uniform_logits_is_log_k():
    logits = np.zeros((5, 4))
    labels = np.array([0, 1, 2, 3, 0])
    assert cal.nll(logits, labels) == pytest.approx(math.log(4), abs=1e-12)
    # temperature divides the logits: T = 2 on logits 2z equals T = 1 on z
    rng = np.random.default_rng(1)
    z = rng.normal(size=(6, 3))
    y = rng.integers(3, size=6)
    assert cal.nll(2 * z, y, temperature=2.0) == pytest.approx(cal.nll(z, y), abs=1e-12)


@pytest.mark.parametrize("factor", [0.5, 1.0, 3.0])
def test_fit_temperature_recovers_known_factor(factor):
    # model logits = factor * true logits, so the calibrating temperature is `factor`
    rng = np.random.default_rng(12)
    logits, labels = data.synthetic_overconfident(rng, n=20000, overconfidence=factor)
    t = cal.fit_temperature(logits, labels)
    assert t == pytest.approx(factor, rel=0.08)


def test_temperature_scaling_keeps_predictions_and_lowers_nll_and_ece():
    rng = np.random.default_rng(5)
    logits, labels = data.synthetic_overconfident(rng, n=6000, overconfidence=3.0)
    t = cal.fit_temperature(logits[:3000], labels[:3000])
    test_z, test_y = logits[3000:], labels[3000:]
    assert np.array_equal(np.argmax(test_z / t, axis=1), np.argmax(test_z, axis=1))
    assert cal.nll(test_z, test_y, temperature=t) < cal.nll(test_z, test_y)
    before = cal.expected_calibration_error(_softmax(test_z), test_y)
    after = cal.expected_calibration_error(_softmax(test_z / t), test_y)
    assert before > 0.1          # factor 3 is strongly over-confident
    assert after < before / 3


def test_fit_temperature_is_a_minimum():
    rng = np.random.default_rng(2)
    logits, labels = data.synthetic_overconfident(rng, n=2000, overconfidence=2.0)
    t = cal.fit_temperature(logits, labels)
    f = cal.nll(logits, labels, temperature=t)
    for s in (0.9, 1.1):
        assert f <= cal.nll(logits, labels, temperature=t * s)


def test_synthetic_labels_follow_true_probabilities():
    # with overconfidence 1 the model is the true model: calibrated up to sampling noise
    rng = np.random.default_rng(3)
    logits, labels = data.synthetic_overconfident(rng, n=20000, n_classes=3, overconfidence=1.0)
    assert labels.min() >= 0 and labels.max() <= 2
    assert cal.expected_calibration_error(_softmax(logits), labels) < 0.03


@pytest.mark.parametrize("probs, labels, exc", [
    (np.array([0.2, 0.8]), np.array([1]), ValueError),             # not 2-D
    (np.array([[0.2, 0.8]]), np.array([0.0]), TypeError),          # float labels
    (np.array([[0.2, 0.8]]), np.array([2]), ValueError),           # label out of range
    (np.array([[1.2, -0.2]]), np.array([0]), ValueError),          # not probabilities
    (np.array([[0.2, 0.8]]), np.array([0, 1]), ValueError),        # length mismatch
])
def test_bad_input(probs, labels, exc):
    with pytest.raises(exc):
        cal.expected_calibration_error(probs, labels)


def test_bad_bins_and_bounds():
    with pytest.raises(ValueError, match="n_bins"):
        cal.reliability_bins(np.array([[0.5, 0.5]]), np.array([0]), n_bins=0)
    with pytest.raises(ValueError, match="bounds"):
        cal.fit_temperature(np.zeros((2, 2)), np.array([0, 1]), bounds=(2.0, 1.0))


def test_plot_reliability_labels_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    probs = np.array([[0.9, 0.1], [0.3, 0.7]])
    fig, ax = plt.subplots()
    plotting.plot_reliability(ax, cal.reliability_bins(probs, np.array([0, 0])), label="model")
    assert "probability" in ax.get_xlabel() and "probability" in ax.get_ylabel()
    plt.close(fig)


def test_target_is_the_argument_name_and_positional_use_works():
    probs = np.array([[0.9, 0.1], [0.2, 0.8]])
    t = np.array([0, 0])
    # bin (0.8, 0.9]: one right (conf 0.9); bin (0.7, 0.8]: one wrong (conf 0.8) -> ECE = (0.1 + 0.8) / 2
    assert cal.expected_calibration_error(probs, target=t) == pytest.approx(0.45, abs=1e-12)
    assert cal.expected_calibration_error(probs, t) == pytest.approx(0.45, abs=1e-12)
    assert cal.reliability_bins(probs, target=t).count.sum() == 2
    assert cal.nll(np.zeros((2, 2)), target=t) == pytest.approx(math.log(2))
    with pytest.raises(ValueError, match="^target"):
        cal.reliability_bins(probs, [0, 2])
    with pytest.raises(ValueError, match="^temperature"):
        cal.nll(np.zeros((2, 2)), t, temperature=0.0)
