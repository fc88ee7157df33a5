"""Each optimizer's step against a step computed by hand from the published rule.

The expected numbers are written out from the formulas (Kingma & Ba 2015,
Duchi et al. 2011, Tieleman & Hinton 2012, Polyak 1964), either as literals
worked out on paper or as scalar ``math`` arithmetic, never with xentlib.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from xentlib import optim, schedules

G1 = [0.5, -1.0]     # first gradient
G2 = [1.0, 0.0]      # second gradient


def two_steps(opt):
    p = {"w": np.array([1.0, -2.0])}
    opt.step(p, {"w": np.array(G1)})
    after1 = p["w"].copy()
    opt.step(p, {"w": np.array(G2)})
    return after1, p["w"].copy()


def test_sgd_step_by_hand():
    a1, a2 = two_steps(optim.SGD(lr=0.1))
    np.testing.assert_allclose(a1, [0.95, -1.9], rtol=0, atol=1e-15)
    np.testing.assert_allclose(a2, [0.85, -1.9], rtol=0, atol=1e-15)


def test_momentum_step_by_hand():
    # v1 = g1 = (0.5, -1); p1 = p0 - 0.1 v1 = (0.95, -1.9)
    # v2 = 0.9 v1 + g2 = (1.45, -0.9); p2 = p1 - 0.1 v2 = (0.805, -1.81)
    a1, a2 = two_steps(optim.Momentum(lr=0.1, momentum=0.9))
    np.testing.assert_allclose(a1, [0.95, -1.9], atol=1e-15)
    np.testing.assert_allclose(a2, [0.805, -1.81], atol=1e-15)


def test_nesterov_step_by_hand():
    # v1 = g1; p1 = p0 - 0.1 (g1 + 0.9 v1) = p0 - 0.19 g1 = (0.905, -1.81)
    a1, _ = two_steps(optim.Momentum(lr=0.1, momentum=0.9, nesterov=True))
    np.testing.assert_allclose(a1, [0.905, -1.81], atol=1e-15)


def test_adagrad_step_by_hand():
    # G1 = (0.25, 1); p1 = p0 - 0.1 (0.5/0.5, -1/1) = (0.9, -1.9)
    # G2 = (1.25, 1); p2 = p1 - 0.1 (1/sqrt(1.25), 0) = (0.9 - 0.0894427191, -1.9)
    a1, a2 = two_steps(optim.Adagrad(lr=0.1))
    np.testing.assert_allclose(a1, [0.9, -1.9], atol=1e-9)
    np.testing.assert_allclose(a2, [0.8105572809, -1.9], atol=1e-9)


def test_rmsprop_step_by_hand():
    # E1 = 0.1 g1^2 = (0.025, 0.1); step = 0.01 g / sqrt(E1) = 0.01 (sqrt(10), -sqrt(10))
    a1, a2 = two_steps(optim.RMSprop(lr=0.01, rho=0.9, eps=1e-8))
    np.testing.assert_allclose(a1, [1 - 0.0316227766, -2 + 0.0316227766], atol=1e-9)
    # E2 = 0.9 E1 + 0.1 g2^2 = (0.1225, 0.09); only the first coordinate moves
    e2 = 0.9 * 0.025 + 0.1 * 1.0
    np.testing.assert_allclose(a2, [a1[0] - 0.01 * 1.0 / (math.sqrt(e2) + 1e-8), a1[1]], atol=1e-12)


def test_adam_step_by_hand():
    lr, b1, b2, eps = 0.001, 0.9, 0.999, 1e-8
    a1, a2 = two_steps(optim.Adam())
    # step 1: m_hat = g, v_hat = g^2, so the step is lr * sign(g) (up to eps)
    np.testing.assert_allclose(a1, [0.999, -1.999], atol=1e-10)
    # step 2, written out with scalars for each coordinate
    expected = []
    for g1, g2, p1 in zip(G1, G2, [1.0 - lr * 0.5 / (0.5 + eps), -2.0 + lr * 1.0 / (1.0 + eps)], strict=True):
        m = b1 * ((1 - b1) * g1) + (1 - b1) * g2
        v = b2 * ((1 - b2) * g1 ** 2) + (1 - b2) * g2 ** 2
        m_hat = m / (1 - b1 ** 2)
        v_hat = v / (1 - b2 ** 2)
        expected.append(p1 - lr * m_hat / (math.sqrt(v_hat) + eps))
    np.testing.assert_allclose(a2, expected, rtol=0, atol=1e-13)
    # and the first coordinate worked out on paper: m_hat = 0.145/0.19, v_hat = 0.00124975/0.001999
    paper = 0.999 - 0.001 * (0.145 / 0.19) / math.sqrt(0.00124975 / 0.001999)
    assert a2[0] == pytest.approx(paper, abs=1e-9)   # eps ignored on paper


def test_published_defaults():
    assert optim.Adam().hyper() == {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    assert optim.Adagrad().hyper() == {"lr": 0.01, "eps": 1e-10}
    assert optim.RMSprop().hyper() == {"lr": 0.001, "rho": 0.9, "eps": 1e-8}
    assert optim.Momentum().hyper() == {"lr": 0.01, "momentum": 0.9}
    assert optim.SGD().lr == 0.01


def test_state_is_per_parameter():
    opt = optim.Adagrad(lr=1.0)
    p = {"a": np.array([0.0]), "b": np.array([0.0])}
    opt.step(p, {"a": np.array([2.0]), "b": np.array([0.0])})
    opt.step(p, {"a": np.array([0.0]), "b": np.array([3.0])})
    # b's first non-zero gradient gets the full step lr * g / |g| = 1
    assert p["a"][0] == pytest.approx(-1.0) and p["b"][0] == pytest.approx(-1.0)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf")])
def test_bad_learning_rate(bad):
    with pytest.raises(ValueError, match="lr"):
        optim.SGD(lr=bad)


def test_bad_betas_and_grads():
    with pytest.raises(ValueError, match="beta1"):
        optim.Adam(beta1=1.0)
    with pytest.raises(ValueError, match="grads"):
        optim.SGD().step({"w": np.zeros(2)}, {})
    with pytest.raises(ValueError, match="grads"):
        optim.SGD().step({"w": np.zeros(2)}, {"w": np.zeros(3)})
    with pytest.raises(ValueError, match="name"):
        optim.make("Adamax")


def test_run_minimises_a_quadratic():
    # f(x) = 0.5 * |x|^2 with GD lr=0.5 halves x at every step
    xs, losses = optim.run(optim.SGD(lr=0.5), lambda x: (0.5 * float(x @ x), x), [4.0, -2.0], 3)
    np.testing.assert_allclose(xs[-1], [0.5, -0.25])
    assert losses[0] == pytest.approx(10.0) and losses[-1] == pytest.approx(0.15625)


def test_schedules_by_hand():
    s = schedules.warmup_cosine(0.1, total=6, warmup_steps=2)
    # warm-up 0.05, 0.1; then cosine over 4 steps: 0.1 * (1 + cos(pi t/4)) / 2
    expected = [0.05, 0.1, 0.1, 0.05 * (1 + math.cos(math.pi / 4)), 0.05, 0.05 * (1 + math.cos(3 * math.pi / 4))]
    np.testing.assert_allclose(schedules.as_array(s, 6), expected, atol=1e-15)
    c = schedules.cosine(1.0, 10, min_lr=0.1)
    assert c(0) == pytest.approx(1.0) and c(10) == pytest.approx(0.1) and c(5) == pytest.approx(0.55)
    w = schedules.warmup(1.0, 4)
    assert [w(t) for t in range(6)] == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="warmup_steps"):
        schedules.warmup_cosine(0.1, total=5, warmup_steps=5)
    with pytest.raises(ValueError, match="^warmup_steps: must be a positive int, got 0"):
        schedules.warmup(0.1, 0)
    with pytest.raises(ValueError, match="^total: must be a positive int"):
        schedules.cosine(0.1, 0)


@pytest.mark.parametrize("bad, exc", [(True, TypeError), ("0.1", TypeError), (None, TypeError)])
def test_learning_rate_of_the_wrong_type(bad, exc):
    with pytest.raises(exc, match="^lr"):
        optim.Adam(lr=bad)


def test_run_refuses_negative_steps_and_schedules_check_min_lr():
    with pytest.raises(ValueError, match="^steps"):
        optim.run(optim.SGD(), lambda x: (0.0, x), [1.0], -1)
    with pytest.raises(ValueError, match="^min_lr"):
        schedules.cosine(0.1, 10, min_lr=0.2)
