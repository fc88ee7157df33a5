"""xentlib.logistic: the objective, the CE/MSE gradients and the sigmoid unit, against formulas."""
from __future__ import annotations

import math

import numpy as np
import pytest

import xentlib
from xentlib import logistic


def _q(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))     # written out for the test


def test_logistic_objective_gradient_and_grid():
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(30, 2)), rng.integers(0, 2, 30)
    f = logistic.logistic_objective(X, y)
    w = np.array([0.3, -1.2])
    loss, grad = f(w)
    z = X @ w
    expected = np.mean(np.logaddexp(0, z) - y * z)            # BCE with logits, written out
    assert loss == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(grad, X.T @ (_q(z) - y) / 30, rtol=1e-10)   # X^T (q - y) / n
    num = xentlib.numerical_gradient(lambda v: f(v)[0], w)
    np.testing.assert_allclose(grad, num, rtol=1e-6, atol=1e-10)
    w1, w2 = np.meshgrid([0.3, 1.0], [-1.2, 2.0])
    grid = logistic.logistic_loss_grid(X, y, w1, w2)
    assert grid[0, 0] == pytest.approx(loss, rel=1e-12)
    assert grid[1, 1] == pytest.approx(f([1.0, 2.0])[0], rel=1e-12)


def test_logistic_objective_pos_weight_by_hand():
    """The positive examples' terms count pos_weight times (the class weight of class 1 over class 0)."""
    X = np.array([[1.0, 0.5], [-1.0, 2.0], [0.3, -1.0]])
    y = np.array([1.0, 0.0, 1.0])
    w = np.array([0.4, -0.2])
    z = X @ w
    q = 1 / (1 + np.exp(-z))
    terms = -(4.0 * y * np.log(q) + (1 - y) * np.log(1 - q))
    grad = X.T @ ((1 - y) * q - 4.0 * y * (1 - q)) / 3
    loss, g = logistic.logistic_objective(X, y, pos_weight=4.0)(w)
    assert loss == pytest.approx(terms.mean(), abs=1e-12)
    np.testing.assert_allclose(g, grad, atol=1e-12)
    assert logistic.logistic_objective(X, y)(w)[0] < loss       # unweighted: the positive terms once


def test_gradients_match_the_textbook_formulas():
    z = np.array([-6.0, -1.0, 0.0, 2.0, 6.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    d_ce, d_mse = logistic.gradient_ce_vs_mse(z, y)
    q = _q(z)
    np.testing.assert_allclose(d_ce, q - y, rtol=1e-12, atol=1e-15)                    # dCE/dz = q - y
    np.testing.assert_allclose(d_mse, 2 * (q - y) * q * (1 - q), rtol=1e-5, atol=1e-9)  # d(q-y)^2/dz
    # at z = -6 with y = 1 (confidently wrong) the MSE gradient is ~400 times smaller
    assert abs(d_ce[0]) / abs(d_mse[0]) == pytest.approx(1 / (2 * q[0] * (1 - q[0])), rel=1e-4)
    assert abs(d_ce[0]) > 100 * abs(d_mse[0])


def test_sigmoid_unit_first_loss_and_one_step_by_hand():
    x = np.array([-1.0, 2.0])
    y = np.array([0.0, 1.0])
    ce, acc = logistic.train_sigmoid_unit(x, y, loss="ce", w0=-6.0, b0=0.0, lr=0.5, steps=1)
    # start: z = (6, -12): both wrong; BCE = mean(log(1 + e^6), log(1 + e^12))
    assert ce[0] == pytest.approx((math.log1p(math.exp(6)) + math.log1p(math.exp(12))) / 2, rel=1e-12)
    assert acc[0] == 0.0
    # one step: dz = (q - y) / 2, w1 = -6 - 0.5 dz . x, b1 = -0.5 sum(dz)
    dz = (_q([6.0, -12.0]) - y) / 2
    w1, b1 = -6.0 - 0.5 * float(dz @ x), -0.5 * float(dz.sum())
    z1 = w1 * x + b1
    assert ce[1] == pytest.approx(float(np.mean(np.logaddexp(0, z1) - y * z1)), rel=1e-12)


def test_mse_stalls_where_ce_learns():
    rng = np.random.default_rng(0)
    x = rng.normal(size=200)
    y = (x > 0).astype(float)
    ce_ce, _ = logistic.train_sigmoid_unit(x, y, loss="ce", steps=50)
    ce_mse, _ = logistic.train_sigmoid_unit(x, y, loss="mse", steps=50)
    assert ce_ce[-1] < 0.5 < ce_mse[-1]


@pytest.mark.parametrize("kw, name", [({"loss": "mae"}, "loss"), ({"lr": -1.0}, "lr"), ({"lr": 0}, "lr"),
                                      ({"steps": -1}, "steps"), ({"w0": math.nan}, "w0")])
def test_sigmoid_unit_bad_input_is_named(kw, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        logistic.train_sigmoid_unit([0.0, 1.0], [0.0, 1.0], **kw)


def test_objective_bad_shapes_are_named():
    with pytest.raises(ValueError, match="^y"):
        logistic.logistic_objective(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError, match="^X"):
        logistic.logistic_loss_grid(np.zeros((3, 3)), [0, 1, 0], [0.0], [0.0])


def test_sigmoid_unit_mse_step_by_hand():
    # one step on the mean squared error: d/dz mean (q - y)^2 = 2 (q - y) q (1 - q) / n
    x = np.array([-1.0, 2.0])
    y = np.array([0.0, 1.0])
    ce, _ = logistic.train_sigmoid_unit(x, y, loss="mse", w0=1.0, b0=0.5, lr=2.0, steps=1)
    z0 = 1.0 * x + 0.5
    q = _q(z0)
    dz = 2 * (q - y) * q * (1 - q) / 2
    w1, b1 = 1.0 - 2.0 * float(dz @ x), 0.5 - 2.0 * float(dz.sum())
    z1 = w1 * x + b1
    assert ce[1] == pytest.approx(float(np.mean(np.logaddexp(0, z1) - y * z1)), rel=1e-12)
