"""xentlib.models: backward passes vs finite differences, what the models learn, bad input."""
from __future__ import annotations

import math

import numpy as np
import pytest

import xentlib
from xentlib import data, models, optim


def _max_rel_err(model, X, y):
    _, grads = model.loss_and_grad(X, y)
    worst = 0.0
    for name, value in model.params.items():
        original = value.copy()

        def f(v, name=name, original=original):
            model.params[name] = v
            try:
                return model.loss(X, y)
            finally:
                model.params[name] = original

        num = xentlib.numerical_gradient(f, original.copy())
        model.params[name] = original
        assert grads[name].shape == original.shape
        rel = np.abs(grads[name] - num) / np.maximum(np.abs(grads[name]) + np.abs(num), 1e-10)
        worst = max(worst, float(rel.max()))
    return worst


@pytest.mark.parametrize("activation,n_out,seed", [("tanh", 2, 0), ("tanh", 3, 1), ("relu", 3, 2)])
def test_mlp_backward_matches_numerical_gradient(activation, n_out, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(12, 3))
    y = rng.integers(0, n_out, 12)
    net = models.MLP(3, 5, n_out, activation=activation, seed=seed)
    assert net.params["W1"].dtype == np.float64
    assert _max_rel_err(net, X, y) <= 1e-6


def test_other_models_backward_match_numerical_gradient():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(10, 2))
    y = rng.integers(0, 3, 10)
    assert _max_rel_err(models.SoftmaxRegression(2, 3, seed=0, scale=1.0), X, y) <= 1e-6
    Xs, ys = data.source_setup(20, seed=0)
    assert _max_rel_err(models.DenseReluSoftmax(2, 4, seed=0), Xs, ys) <= 1e-6


def test_backward_check_can_fail():
    """A deliberately wrong backward pass (tanh' dropped) is caught by the same check."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 2)), rng.integers(0, 2, 8)
    net = models.MLP(2, 4, 2, seed=0)
    good = net.loss_and_grad

    def wrong(X_, y_):
        loss, g = good(X_, y_)
        g = dict(g)
        g["W1"] = g["W1"] * 1.01
        return loss, g

    net.loss_and_grad = wrong
    assert _max_rel_err(net, X, y) > 1e-3


def test_loss_is_mean_cross_entropy_in_nats():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(6, 2)), rng.integers(0, 2, 6)
    net = models.MLP(2, 3, 2, seed=1)
    z = np.tanh(X @ net.params["W1"] + net.params["b1"]) @ net.params["W2"] + net.params["b2"]
    z = z - z.max(axis=1, keepdims=True)
    expected = float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(6), y]))
    assert net.loss(X, y) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mlp_learns_the_moons(seed):
    X, y = data.make_moons(600, noise=0.2, seed=seed)
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, test_fraction=0.5, seed=seed + 1)
    net = models.MLP(2, 16, 2, seed=seed)
    hist = models.train(net, Xtr, ytr, optim.SGD(lr=0.5), 2000, X_test=Xte, y_test=yte, record_every=500)
    assert net.accuracy(Xte, yte) >= 0.95
    assert hist["test_acc"][-1] == net.accuracy(Xte, yte)
    assert hist["train_loss"][-1] < 0.2 < hist["train_loss"][0]


@pytest.mark.parametrize("seed", [0, 1])
def test_mlp_stays_at_chance_on_random_labels(seed):
    X, y = data.source_setup(100, seed=seed)
    Xte, yte = data.source_setup(4000, seed=seed + 100)
    net = models.MLP(2, 16, 2, seed=seed)
    hist = models.train(net, X, y, optim.SGD(lr=0.5), 2000, record_every=2000)
    assert hist["train_loss"][-1] < hist["train_loss"][0]          # it fits the training set a little
    assert abs(net.accuracy(Xte, yte) - 0.5) < 0.04                  # ~2.5 standard errors at n = 4000
    assert net.loss(Xte, yte) > math.log(2) - 0.01                   # no better than a coin flip


def test_progress_lines_are_deterministic(capsys):
    X, y = data.make_moons(40, seed=0)
    runs = []
    for _ in range(2):
        models.train(models.MLP(2, 4, 2, seed=0), X, y, optim.SGD(lr=0.1), 20, progress_every=10)
        runs.append(capsys.readouterr().out)
    assert runs[0] == runs[1]
    assert "step    10/20: train loss" in runs[0] and "nats" in runs[0]


def test_bad_input_is_named():
    net = models.MLP(2, 3, 2)
    with pytest.raises(ValueError, match="X"):
        net.loss_and_grad(np.zeros((4, 3)), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="y"):
        net.loss_and_grad(np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="y"):
        net.loss_and_grad(np.zeros((4, 2)), np.array([0, 1, 2, 0]))
    with pytest.raises(ValueError, match="activation"):
        models.MLP(2, 3, 2, activation="sigmoid")
    with pytest.raises(ValueError, match="steps"):
        models.train(net, np.zeros((4, 2)), np.zeros(4, dtype=int), optim.SGD(), -1)


def test_gradient_descent_steps_grow_with_the_condition_number():
    counts = []
    for kappa in (1.0, 100.0):
        X, y = data.make_conditioned(400, 2, kappa=kappa, seed=0)
        ev = np.linalg.eigvalsh(X.T @ X / len(X))
        assert ev[-1] / ev[0] == pytest.approx(kappa, rel=0.25)
        counts.append(models.steps_to_gradnorm(models.SoftmaxRegression(2, 2), X, y, optim.SGD(lr=2 / ev[-1]),
                                            tol=1e-3))
    assert counts[1] > 10 * counts[0]


def test_source_replica_has_one_weight_layer_and_four_outputs():
    X, y = data.source_setup(100, seed=0)
    model = models.DenseReluSoftmax(2, 4, seed=0)
    assert set(model.params) == {"W", "b"} and model.params["W"].shape == (2, 4)
    p = model.predict_proba(X)
    assert p.shape == (100, 4)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    # the ReLU clips the logits: no logit is negative
    assert (model.logits(X - 5.0) >= 0).all()


@pytest.mark.parametrize("bad", [[0.1, -1.0], [0.0], [float("nan")], [float("inf")]])
def test_sweeps_refuse_bad_learning_rates(bad):
    x, y = np.array([[1.0], [-1.0]]), np.array([0, 1])
    with pytest.raises(ValueError, match="^lrs"):
        models.learning_rate_sweep(x, y, lrs=bad, steps=2)
    with pytest.raises(ValueError, match="^lrs"):
        models.optimizer_sweep(x, y, lambda lr: optim.SGD(lr=lr), bad, steps=2)


def test_sweep_first_step_by_hand():
    # x = (1, -1), y = (0, 1), zero weights: loss ln 2; gradient of the mean loss
    # dW = x^T (softmax - onehot) / n = [[-0.5, 0.5]], db = 0; after one step with lr:
    # logits z_i = lr * x_i * (0.5, -0.5), loss_i = log(1 + e^{-lr})
    x, y = np.array([[1.0], [-1.0]]), np.array([0, 1])
    curves = models.learning_rate_sweep(x, y, lrs=[0.5, 2.0], steps=1)
    np.testing.assert_allclose(curves[:, 0], math.log(2), rtol=1e-14)
    np.testing.assert_allclose(curves[:, 1], [math.log1p(math.exp(-0.5)), math.log1p(math.exp(-2.0))], rtol=1e-12)


@pytest.mark.parametrize("make, exc, name", [
    (lambda: models.MLP(2, 0, 2), ValueError, "n_hidden"),
    (lambda: models.MLP(2, 3, 1), ValueError, "n_out"),
    (lambda: models.MLP(2.0, 3, 2), TypeError, "n_in"),
    (lambda: models.MLP(2, 3, 2, seed=0.5), TypeError, "seed"),
    (lambda: models.SoftmaxRegression(2, 1), ValueError, "n_out"),
    (lambda: models.SoftmaxRegression(2, 2, scale=-1.0), ValueError, "scale"),
    (lambda: models.SoftmaxRegression(2, 2, seed="0"), TypeError, "seed"),
    (lambda: models.DenseReluSoftmax(2, 1), ValueError, "units"),
    (lambda: models.DenseReluSoftmax(2, 4, seed=None), TypeError, "seed"),
])
def test_bad_constructor_arguments_are_named(make, exc, name):
    with pytest.raises(exc, match=f"^{name}"):
        make()


def test_bad_training_arguments_are_named():
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    net = models.MLP(2, 3, 2)
    with pytest.raises(ValueError, match="^record_every"):
        models.train(net, X, y, optim.SGD(), 2, record_every=0)
    with pytest.raises(ValueError, match="^X_test"):
        models.train(net, X, y, optim.SGD(), 2, X_test=X)
    with pytest.raises(ValueError, match="^tol"):
        models.steps_to_gradnorm(net, X, y, optim.SGD(), tol=-1.0)
    with pytest.raises(ValueError, match="^lr"):
        models.train(net, X, y, optim.SGD(lr=-0.5), 2)
