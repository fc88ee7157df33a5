"""The numbers behind individual claims, derived by hand here (chapters 3 and 6), and the
checks that make those claims' verdicts able to fail (doctored evidence, broken losses).

The checks every claim gets alike (counterexample refutes, random checks hold, units,
placement) are in ``test_claims.py``.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import xentlib as xl
from xentlib import data, models
from xentlib.course import audit
from xentlib.course.claims import Evidence, verify

LOSS = sorted(c.id for c in audit.REGISTRY.in_chapter("03_loss_and_gradient"))
FAQ = sorted(c.id for c in audit.REGISTRY.in_chapter("06_faq"))


def _ev(cid):
    return audit.REGISTRY[cid].evidence()


def test_inventory():
    # every sentence with a claim in §3.1/§3.2/§6 is covered (ids fixed here, by reading the source)
    assert set(LOSS) == {
        "loss-purpose", "loss-formula", "loss-predicted-label-gloss", "loss-unit-bits", "loss-binary-notation",
        "loss-gradient-descent", "loss-gradient-multiclass", "loss-gradient-binary",
        "loss-softmax-regression", "loss-update-sign", "loss-update-probabilities"}
    assert set(FAQ) == {"faq-ce-vs-mse", "faq-multiclass", "faq-unary-softmax",
                        "faq-learning-rate-trial", "faq-adaptive-lr"}
    for cid in LOSS:
        assert audit.REGISTRY[cid].section in ("3.1", "3.2")
    for cid in FAQ:
        assert audit.REGISTRY[cid].section == "6"


# --- the numbers behind the counterexamples, derived by hand --------------------------------

def test_unit_values():
    ev = _ev("loss-unit-bits")
    assert ev.values["library_value"] == pytest.approx(math.log(2), abs=1e-12)   # -ln 0.5
    assert ev.values["bits_value"] == pytest.approx(1.0, abs=1e-12)              # -log2 0.5


def test_binary_notation_values():
    ev = _ev("loss-binary-notation")
    good = -(2 * math.log(0.9) + 2 * math.log(0.8)) / 4
    assert ev.values["bce_good"] == pytest.approx(good, abs=1e-12)
    assert ev.values["bce_ones"] == pytest.approx(-(2 * math.log(0.9) + 2 * math.log(0.1)) / 4, abs=1e-12)
    # like with like: the source's formula is a SUM over the samples; the correct sum is 4x the mean
    assert ev.values["sum_good"] == pytest.approx(-(2 * math.log(0.9) + 2 * math.log(0.8)), abs=1e-12)
    assert ev.values["sum_ones"] == pytest.approx(-(2 * math.log(0.9) + 2 * math.log(0.1)), abs=1e-12)
    # literal reading: for y = 0 the term is log(1 - Q(0)) = log q1
    assert ev.values["literal_good"] == pytest.approx(
        -(math.log(0.9) + math.log(0.1) + math.log(0.8) + math.log(0.2)), abs=1e-12)
    # model B: y = 1 gives log 0.9, y = 0 gives log(1 - Q(0)) = log(1 - 0.1) = log 0.9: four times log 0.9
    assert ev.values["literal_ones"] == pytest.approx(-4 * math.log(0.9), abs=1e-12)
    assert ev.values["literal_good_mean"] == pytest.approx(ev.values["literal_good"] / 4, abs=1e-12)
    text = ev.text
    assert f"A {ev.values['sum_good']:.4f},  B {ev.values['sum_ones']:.4f}" in text          # sums beside ...
    assert f"A {ev.values['literal_good']:.4f},  B {ev.values['literal_ones']:.4f}" in text  # ... sums
    assert f"A {ev.values['bce_good']:.4f},  B {ev.values['bce_ones']:.4f}" in text          # means beside ...
    assert f"A {ev.values['literal_good_mean']:.4f},  B {ev.values['literal_ones_mean']:.4f}" in text  # ... means
    assert ev.values["sum400"] == pytest.approx(100 * ev.values["sum4"], rel=1e-12)
    assert ev.values["mean400"] == pytest.approx(good, abs=1e-12)


def test_predicted_label_gloss_values():
    ev = _ev("loss-predicted-label-gloss")
    # Q = (0.7, 0.2, 0.1), true class index 1: the loss is -ln 0.2; the predicted label (index 0) has 0.7
    assert ev.values["loss"] == pytest.approx(-math.log(0.2), abs=1e-12)
    assert ev.values["gloss"] == pytest.approx(-math.log(0.7), abs=1e-12)
    # the right prediction (0.2, 0.7, 0.1): both readings give -ln 0.7
    assert ev.values["loss_right"] == pytest.approx(-math.log(0.7), abs=1e-12)
    assert ev.values["gloss_right"] == ev.values["gloss"]


def test_gradient_descent_loss_values():
    ev = audit.REGISTRY["intro-gradient-descent-loss"].evidence()
    losses = ev.values["losses"]
    assert losses[0] == pytest.approx(-math.log(0.1), abs=1e-12)          # true class got 0.1
    # one step on the scores z = ln q: z <- z - (q - e_2); the loss is -ln softmax(z)_2
    z = np.log([0.7, 0.2, 0.1]) - (np.array([0.7, 0.2, 0.1]) - np.array([0.0, 0.0, 1.0]))
    assert losses[1] == pytest.approx(-(z[2] - math.log(np.exp(z).sum())), abs=1e-12)
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False))
    assert "梯度" in ev.text and "渐变" in ev.text


def test_gradient_multiclass_values():
    ev = _ev("loss-gradient-multiclass")
    z = np.array([1.0, 0.5, -0.5])
    q = np.exp(z) / np.exp(z).sum()
    p = np.array([0.1, 0.7, 0.2])
    np.testing.assert_allclose(ev.values["grad_q"], -p / q, atol=1e-6)
    np.testing.assert_allclose(ev.values["grad_z"], q - p, atol=1e-6)
    assert ev.values["source_value"] == pytest.approx(float(np.sum(-p / q)), abs=1e-12)


def test_gradient_binary_values():
    ev = _ev("loss-gradient-binary")
    y = np.array([1.0, 0.0, 1.0])
    q = 1 / (1 + np.exp(-np.array([2.0, -1.0, -3.0])))
    np.testing.assert_allclose(ev.values["grad_q"], -y / q + (1 - y) / (1 - q), rtol=1e-6)
    np.testing.assert_allclose(ev.values["grad_z"], q - y, atol=1e-6)
    assert np.all(np.abs(ev.values["grad_z"]) <= 1)


def test_update_sign_values():
    ev = _ev("loss-update-sign")
    up, down = np.array(ev.values["ascent"]), np.array(ev.values["descent"])
    assert up[0] == down[0]
    assert np.all(np.diff(up) > 0) and np.all(np.diff(down) < 0)


def test_update_probabilities_values():
    ev = _ev("loss-update-probabilities")
    # Q = (0.2, 0.5, 0.3), P = e_0, eta = 0.1: dL/dQ0 = -1/0.2 = -5 -> Q0 = 0.2 + 0.1 * (-5) = -0.3
    np.testing.assert_allclose(ev.values["source_q1"], [-0.3, 0.5, 0.3], atol=1e-12)
    # sign fixed: Q0 = 0.2 + 0.5 = 0.7, sum 1.5
    assert ev.values["fixed_sums"][1] == pytest.approx(1.5)
    assert max(ev.values["fixed_q0"]) > 1


def test_softmax_regression_values():
    ev = _ev("loss-softmax-regression")
    assert ev.values["loss0"] == pytest.approx(math.log(3), abs=1e-12)
    assert ev.values["loss_end"] < ev.values["loss0"]
    assert ev.values["grad_err"] < 1e-6


def test_unary_softmax_values():
    ev = _ev("faq-unary-softmax")
    np.testing.assert_allclose(ev.values["outputs"], 1.0)
    np.testing.assert_allclose(ev.values["losses"], 0.0, atol=1e-12)
    np.testing.assert_allclose(ev.values["grads"], 0.0, atol=1e-12)


def test_ce_vs_mse_values():
    ev = _ev("faq-ce-vs-mse")
    q = 1 / (1 + np.exp(-ev.values["z"]))
    np.testing.assert_allclose(ev.values["d_ce"], q - 1, atol=1e-9)
    np.testing.assert_allclose(ev.values["d_mse"], 2 * (q - 1) * q * (1 - q), atol=1e-6)


def test_adaptive_values():
    ev = _ev("faq-adaptive-lr")
    g = np.array([0.001, 1.0, 100.0])
    np.testing.assert_allclose(ev.values["sgd"], -0.01 * g)
    # first Adam step: m_hat = g, v_hat = g^2 -> step = -lr * g / (|g| + eps) ~ -lr
    np.testing.assert_allclose(ev.values["adam"], -0.01 * g / (np.abs(g) + 1e-8), rtol=1e-9)


def test_learning_rate_sweep_matches_plain_loop():
    # the vectorised sweep equals a plain gradient-descent loop written here
    x, y = data.lr_problem(np.random.default_rng(4))
    curves = models.learning_rate_sweep(x, y, lrs=(0.1, 10.0), steps=5)
    for lr, curve in zip((0.1, 10.0), curves, strict=False):
        w, b = np.zeros((2, 3)), np.zeros(3)
        for t in range(6):
            z = x @ w + b
            e = np.exp(z - z.max(axis=1, keepdims=True))
            s = e / e.sum(axis=1, keepdims=True)
            loss = -np.mean(np.log(s[np.arange(len(y)), y]))
            assert curve[t] == pytest.approx(loss, abs=1e-10)
            g = (s - np.eye(3)[y]) / len(y)
            w, b = w - lr * x.T @ g, b - lr * g.sum(axis=0)
    assert curves[0, 0] == pytest.approx(math.log(3))


# --- the tests can fail ---------------------------------------------------------------------

@pytest.mark.parametrize("cid, doctored", [
    ("loss-unit-bits", {"library_value": 1.0, "bits_value": 1.0}),
    ("loss-binary-notation", {"literal_good": 0.1, "literal_ones": 4.0}),
    ("loss-gradient-multiclass", {"grad_q": np.full(3, -2.0), "source_value": -2.0}),
    ("loss-gradient-binary", {"grad_q": np.full(3, 5.0), "source_value": 5.0}),
    ("loss-update-sign", {"ascent": [1.0, 0.8], "descent": [1.0, 0.8]}),
    ("loss-update-probabilities", {"source_q1": np.array([0.5, 0.3, 0.2])}),
    ("loss-softmax-regression", {"q_source": np.array([[0.5, 0.5], [0.1, 0.9]])}),
])
def test_doctored_counterexample_would_uphold_source(cid, doctored):
    c = audit.REGISTRY[cid]
    assert bool(c.source_holds(Evidence("doctored", doctored)))


def test_random_check_catches_a_wrong_loss(monkeypatch):
    real = xl.softmax_cross_entropy

    def in_bits(*args, **kwargs):          # a loss silently reported in bits
        out = real(*args, **kwargs)
        if isinstance(out, tuple):
            return out[0] / math.log(2), out[1] / math.log(2)
        return out / math.log(2)

    monkeypatch.setattr(xl, "softmax_cross_entropy", in_bits)
    assert not verify(audit.REGISTRY["loss-formula"], seeds=range(5))
    assert not verify(audit.REGISTRY["faq-multiclass"], seeds=range(5))


def test_random_check_catches_a_wrong_gradient(monkeypatch):
    real = xl.softmax_cross_entropy

    def wrong_sign(*args, **kwargs):
        out = real(*args, **kwargs)
        if isinstance(out, tuple):
            return out[0], -out[1]
        return out

    monkeypatch.setattr(xl, "softmax_cross_entropy", wrong_sign)
    assert not verify(audit.REGISTRY["loss-gradient-descent"], seeds=range(5))


def test_gloss_check_rejects_the_argmax_reading(monkeypatch):
    """loss-predicted-label-gloss is correct read as 'Q(y_i) = predicted probability of label y_i';
    its random check must fail if the loss were scored at the label the model picks (argmax)."""
    assert verify(audit.REGISTRY["loss-predicted-label-gloss"], seeds=range(20))

    def argmax_reading(p, q, *args, **kwargs):
        return float(-np.log(np.max(q)))

    monkeypatch.setattr(xl, "cross_entropy", argmax_reading)
    assert not verify(audit.REGISTRY["loss-predicted-label-gloss"], seeds=range(20))
