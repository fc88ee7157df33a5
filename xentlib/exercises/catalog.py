"""The course's exercises: problem data, reference answers and typical mistakes.

Every reference answer and every "typical wrong answer" is *computed* with
xentlib from the problem data below (never typed in), so the checkers stay
right if the data change.  ``xentlib`` is imported inside the functions: the
checkers load fast and this module never imports half-built parts of the
library at import time.
"""
from __future__ import annotations

import numpy as np

from ._core import Exercise, Mistake

LN2 = np.log(2.0)


def _x():
    import xentlib

    return xentlib


# ---------------------------------------------------------------------------
# Problem data (what the exercise text states; students get it from `data(id)`)
# ---------------------------------------------------------------------------
DIE = np.full(6, 1 / 6)
COIN = np.array([0.5, 0.5])
BIASED_P_HEADS = 0.9
BINARY_GRID = np.linspace(0.0, 1.0, 1001)
CE_P = np.array([0.5, 0.5])            # truth
CE_Q = np.array([0.9, 0.1])            # model
MIN_P = np.array([0.5, 0.25, 0.25])
GRAD_LOGITS = np.array([2.0, 1.0, 0.1])
GRAD_TARGET = 0
BCE_LOGIT = -4.0
BCE_LABEL = 1.0
LS_LOGITS = np.array([3.0, 1.0, 0.2, -1.0])
LS_TARGET = 0
LS_EPS = 0.1
UPD_LOGITS = np.array([0.5, 1.5, -0.5])
UPD_TARGET = 0
UPD_LR = 1.0
INIT_CLASSES = 10
INIT_BATCH = 5
LR_MEAN = 0.1
LR_BATCH = 32
LR_CLASSES = 4
MEM_BATCH, MEM_SEQ, MEM_VOCAB = 8, 1024, 50_000
FAQ_Q = np.array([0.1, 0.2, 0.7])
FAQ_TARGET = 0
FAQ_BIN_LOGITS = np.array([0.5, 2.0])
FAQ_BIN_TARGET = 1
FAQ_CURVATURE = 4.0


def _shard_data():
    rng = np.random.default_rng(7)
    logits = rng.normal(0.0, 2.0, size=(8, 5))
    targets = rng.integers(0, 5, size=8)
    return {"logits": logits, "targets": targets, "shard_sizes": (2, 6)}


def _vocab_data():
    rng = np.random.default_rng(11)
    logits = rng.normal(0.0, 3.0, size=12)
    return {"logits": logits, "shards": (logits[:6], logits[6:])}


DATA = {
    "entropy-fair-die": lambda: {"p": DIE.copy()},
    "entropy-biased-coin": lambda: {"p_heads": BIASED_P_HEADS},
    "entropy-independent-joint": lambda: {"coin": COIN.copy(), "die": DIE.copy()},
    "entropy-binary-max": lambda: {"p_heads": BINARY_GRID.copy()},
    "cross-entropy-coin": lambda: {"p": CE_P.copy(), "q": CE_Q.copy()},
    "kl-order": lambda: {"p": CE_P.copy(), "q": CE_Q.copy()},
    "cross-entropy-minimum": lambda: {"p": MIN_P.copy()},
    "softmax-gradient": lambda: {"logits": GRAD_LOGITS.copy(), "target": GRAD_TARGET},
    "bce-vs-mse": lambda: {"logit": BCE_LOGIT, "label": BCE_LABEL},
    "label-smoothing-loss": lambda: {"logits": LS_LOGITS.copy(), "target": LS_TARGET,
                                     "label_smoothing": LS_EPS},
    "gd-update-sign": lambda: {"logits": UPD_LOGITS.copy(), "target": UPD_TARGET, "lr": UPD_LR},
    "initial-loss": lambda: {"n_classes": INIT_CLASSES, "batch": INIT_BATCH},
    "random-labels-floor": lambda: {"n_classes": 2},
    "sum-vs-mean-lr": lambda: {"lr_mean": LR_MEAN, "batch": LR_BATCH, "n_classes": LR_CLASSES},
    "shard-mean-loss": _shard_data,
    "vocab-parallel-lse": _vocab_data,
    "onehot-memory": lambda: {"batch": MEM_BATCH, "seq_len": MEM_SEQ, "vocab": MEM_VOCAB},
    "faq-ce-vs-mse": lambda: {"q": FAQ_Q.copy(), "target": FAQ_TARGET},
    "faq-binary-as-softmax": lambda: {"logits": FAQ_BIN_LOGITS.copy(), "target": FAQ_BIN_TARGET},
    "faq-lr-stability": lambda: {"curvature": FAQ_CURVATURE},
}


# ---------------------------------------------------------------------------
# Helpers computing answers with xentlib
# ---------------------------------------------------------------------------
def _onehot(k: int, n: int) -> np.ndarray:
    v = np.zeros(n)
    v[k] = 1.0
    return v


def _sigmoid(z: float) -> float:
    return float(_x().softmax(np.array([0.0, z]))[1])


def _sce(logits, target, **kw) -> float:
    return float(_x().softmax_cross_entropy(np.atleast_2d(logits), np.atleast_1d(target), **kw))


def _grad_ce():
    _, g = _x().softmax_cross_entropy(GRAD_LOGITS[None, :], np.array([GRAD_TARGET]), return_grad=True)
    return np.asarray(g)[0]


def _gd_step(sign: float) -> np.ndarray:
    """The logits after one step z + sign * lr * dL/dz (sign -1: gradient descent)."""
    _, g = _x().softmax_cross_entropy(UPD_LOGITS[None, :], np.array([UPD_TARGET]), return_grad=True)
    return UPD_LOGITS + sign * UPD_LR * np.asarray(g)[0]


def _bce_grad() -> float:
    _, g = _x().sigmoid_binary_cross_entropy(np.array([BCE_LOGIT]), np.array([BCE_LABEL]),
                                             return_grad=True)
    return float(np.asarray(g).reshape(-1)[0])


def _mse_grad() -> float:
    s = _sigmoid(BCE_LOGIT)
    return 2 * (s - BCE_LABEL) * s * (1 - s)        # d/dz (sigmoid(z) - y)^2


def _ls_other_convention() -> float:
    # eps/(K-1) on the wrong classes, 1-eps on the true one (a common variant)
    k = LS_LOGITS.size
    t = np.full(k, LS_EPS / (k - 1))
    t[LS_TARGET] = 1 - LS_EPS
    return float(_x().cross_entropy(t, _x().softmax(LS_LOGITS)))


def _lr_grad_ratio() -> float:
    rng = np.random.default_rng(3)
    z = rng.normal(size=(LR_BATCH, LR_CLASSES))
    y = rng.integers(0, LR_CLASSES, size=LR_BATCH)
    _, g_mean = _x().softmax_cross_entropy(z, y, reduction="mean", return_grad=True)
    _, g_sum = _x().softmax_cross_entropy(z, y, reduction="sum", return_grad=True)
    return float(np.linalg.norm(g_sum) / np.linalg.norm(g_mean))


def _shard_losses():
    d = _shard_data()
    a = d["shard_sizes"][0]
    z, y = d["logits"], d["targets"]
    return _sce(z[:a], y[:a]), _sce(z[a:], y[a:]), d["shard_sizes"]


def _vocab_shard_lse():
    d = _vocab_data()
    return [float(_x().logsumexp(s)) for s in d["shards"]]


def _onehot_bytes(itemsize: int, batch: int = MEM_BATCH) -> float:
    return float(batch * MEM_SEQ * MEM_VOCAB * itemsize)


GIB = 2.0 ** 30


# ---------------------------------------------------------------------------
# The exercises
# ---------------------------------------------------------------------------
NEG = "Entropy-type quantities are never negative: did you forget the minus sign in -Σ p·log p?"

EXERCISES: list[Exercise] = [
    # ---- 01 entropy -------------------------------------------------------
    Exercise(
        "entropy-fair-die", "01_entropy", "Entropy of a fair die",
        "the entropy of a fair six-sided die, in bits", "bits",
        lambda: _x().entropy(DIE, base=2),
        (
            Mistake("nats-not-bits", lambda: _x().entropy(DIE),
                    "that is the entropy in nats (natural log). Bits use log base 2: pass `base=2`, "
                    "or divide nats by ln 2."),
            Mistake("log10", lambda: _x().entropy(DIE, base=10),
                    "that used log base 10 (units: hartleys). Bits use log base 2."),
            Mistake("minus-sign", lambda: -_x().entropy(DIE, base=2),
                    "right size, wrong sign. " + NEG),
        ),
        hint="six equally likely outcomes: H = log2(6) bits.",
    ),
    Exercise(
        "entropy-biased-coin", "01_entropy", "Entropy of a biased coin",
        "the entropy of a coin with P(heads) = 0.9, in bits", "bits",
        lambda: _x().binary_entropy(BIASED_P_HEADS, base=2),
        (
            Mistake("nats-not-bits", lambda: _x().binary_entropy(BIASED_P_HEADS),
                    "that is the entropy in nats. Use log base 2 for bits (`base=2`)."),
            Mistake("one-outcome-only", lambda: -BIASED_P_HEADS * np.log2(BIASED_P_HEADS),
                    "you summed over heads only. Entropy sums over *every* outcome: "
                    "add the tails term -(1-p)·log2(1-p)."),
            Mistake("minus-sign", lambda: -_x().binary_entropy(BIASED_P_HEADS, base=2),
                    "right size, wrong sign. " + NEG),
        ),
    ),
    Exercise(
        "entropy-independent-joint", "01_entropy", "Entropy of two independent variables",
        "the joint entropy H(coin, die) of a fair coin and an independent fair die, in bits", "bits",
        lambda: _x().entropy(np.outer(COIN, DIE).ravel(), base=2),
        (
            Mistake("product", lambda: _x().entropy(COIN, base=2) * _x().entropy(DIE, base=2),
                    "that is H(die) alone, or H(coin) x H(die) (the same here, H(coin) = 1 bit). "
                    "For independent variables the probabilities multiply, so the logs (and the "
                    "entropies) *add*: the coin adds its own bit."),
            Mistake("coin-only", lambda: _x().entropy(COIN, base=2),
                    "that is the coin alone: the die adds its own log2(6) bits."),
            Mistake("nats-not-bits", lambda: _x().entropy(np.outer(COIN, DIE).ravel()),
                    "that is in nats. Use log base 2 for bits."),
        ),
    ),
    Exercise(
        "entropy-binary-max", "01_entropy", "The largest entropy of a coin",
        "the largest entropy any coin can have, in bits", "bits",
        lambda: float(np.max(_x().binary_entropy(BINARY_GRID, base=2))),
        (
            Mistake("argmax", lambda: float(BINARY_GRID[np.argmax(_x().binary_entropy(BINARY_GRID, base=2))]),
                    "0.5 is *where* the maximum is (the probability of heads), not its value."),
            Mistake("nats-not-bits", lambda: float(np.max(_x().binary_entropy(BINARY_GRID))),
                    "that is in nats (ln 2). In bits the fair coin carries exactly 1 bit."),
        ),
    ),
    # ---- 02 cross-entropy / KL ------------------------------------------
    Exercise(
        "cross-entropy-coin", "02_cross_entropy", "Cross-entropy of a fair coin under a biased model",
        "H(p, q) for truth p = [0.5, 0.5] and model q = [0.9, 0.1], in bits", "bits",
        lambda: _x().cross_entropy(CE_P, CE_Q, base=2),
        (
            Mistake("swapped", lambda: _x().cross_entropy(CE_Q, CE_P, base=2),
                    "that is H(q, p): the arguments are swapped. The *true* distribution p weighs "
                    "the terms, the *model* q goes inside the log: -Σ p_i·log2(q_i)."),
            Mistake("nats-not-bits", lambda: _x().cross_entropy(CE_P, CE_Q),
                    "that is in nats. Use log base 2 for bits."),
            Mistake("minus-sign", lambda: -_x().cross_entropy(CE_P, CE_Q, base=2),
                    "right size, wrong sign: H(p, q) = -Σ p·log q ≥ 0."),
            Mistake("entropy-only", lambda: _x().entropy(CE_Q, base=2),
                    "that is the entropy of the model q alone. Cross-entropy uses both p and q."),
        ),
    ),
    Exercise(
        "kl-order", "02_cross_entropy", "KL divergence: mind the order",
        "KL(p || q) for truth p = [0.5, 0.5] and model q = [0.9, 0.1], in bits", "bits",
        lambda: _x().kl_divergence(CE_P, CE_Q, base=2),
        (
            Mistake("wrong-order", lambda: _x().kl_divergence(CE_Q, CE_P, base=2),
                    "that is KL(q || p): wrong argument order. KL is not symmetric; "
                    "KL(p || q) averages log2(p_i/q_i) under p."),
            Mistake("cross-entropy", lambda: _x().cross_entropy(CE_P, CE_Q, base=2),
                    "that is the cross-entropy H(p, q). KL(p || q) = H(p, q) - H(p): subtract the entropy of p."),
            Mistake("nats-not-bits", lambda: _x().kl_divergence(CE_P, CE_Q),
                    "that is in nats. Use log base 2 for bits."),
            Mistake("minus-sign", lambda: -_x().kl_divergence(CE_P, CE_Q, base=2),
                    "KL divergence is never negative (Gibbs' inequality): check the sign."),
        ),
    ),
    Exercise(
        "cross-entropy-minimum", "02_cross_entropy", "How small can cross-entropy get?",
        "the smallest value of H(p, q) over all models q, for p = [0.5, 0.25, 0.25], in bits", "bits",
        lambda: _x().cross_entropy(MIN_P, MIN_P, base=2),
        (
            Mistake("zero", lambda: 0.0,
                    "cross-entropy is not zero at its minimum (the source article claims it can be). "
                    "H(p, q) = H(p) + KL(p || q) >= H(p): the minimum is reached at q = p."),
            Mistake("nats-not-bits", lambda: _x().cross_entropy(MIN_P, MIN_P),
                    "that is in nats. Use log base 2 for bits."),
        ),
    ),
    # ---- 03 loss and gradient ---------------------------------------------
    Exercise(
        "softmax-gradient", "03_loss_and_gradient", "Gradient of softmax cross-entropy",
        "the gradient dL/dz of the softmax cross-entropy for logits z = [2, 1, 0.1], true class 0 "
        "(3 numbers)", "",
        _grad_ce,
        (
            Mistake("sign", lambda: -_grad_ce(),
                    "sign of the gradient: it is softmax(z) - onehot(y), not onehot(y) - softmax(z). "
                    "Gradient descent subtracts it, which raises the true class's logit."),
            Mistake("no-onehot", lambda: _x().softmax(GRAD_LOGITS),
                    "that is softmax(z) alone: subtract the one-hot target (1 at the true class)."),
            Mistake("wrt-probabilities",
                    lambda: -_onehot(GRAD_TARGET, 3) / _x().softmax(GRAD_LOGITS),
                    "that is the gradient with respect to the probabilities q (-y_i/q_i), "
                    "not the logits z. Chain it through the softmax: the result is q - y."),
        ),
        hint="compute q = softmax(z), then subtract 1 at the true class.",
    ),
    Exercise(
        "bce-vs-mse", "03_loss_and_gradient", "Why not squared error on a sigmoid?",
        "dL/dz of the binary cross-entropy (nats) at logit z = -4 with label y = 1", "",
        _bce_grad,
        (
            Mistake("sign", lambda: -_bce_grad(),
                    "sign of the gradient: dL/dz = sigmoid(z) - y, negative here because the "
                    "prediction is too small; gradient descent then increases z."),
            Mistake("mse", _mse_grad,
                    "that is the gradient of the squared error (sigmoid(z) - y)²: tiny, because "
                    "sigmoid'(z) is tiny when the sigmoid saturates. With cross-entropy that factor cancels."),
            Mistake("half-mse", lambda: _mse_grad() / 2,
                    "that is the gradient of ½(sigmoid(z) - y)² (squared error), not of the "
                    "cross-entropy; with cross-entropy sigmoid'(z) cancels and dL/dz = sigma(z) - y."),
        ),
    ),
    Exercise(
        "label-smoothing-loss", "03_loss_and_gradient", "Label smoothing",
        "the softmax cross-entropy with label_smoothing = 0.1 for logits [3, 1, 0.2, -1], "
        "true class 0, in nats", "nats",
        lambda: _sce(LS_LOGITS, LS_TARGET, label_smoothing=LS_EPS),
        (
            Mistake("no-smoothing", lambda: _sce(LS_LOGITS, LS_TARGET),
                    "that is the loss without smoothing. Mix the one-hot target with the uniform "
                    "distribution: (1 - ε)·onehot + ε/K."),
            Mistake("eps-over-k-minus-1", _ls_other_convention,
                    "you spread ε/(K-1) over the wrong classes only. xentlib (like "
                    "PyTorch) gives ε/K to every class, the true one included."),
            Mistake("probabilities-as-logits",
                    lambda: _sce(_x().softmax(LS_LOGITS), LS_TARGET, label_smoothing=LS_EPS),
                    "you passed probabilities where logits are expected: softmax_cross_entropy "
                    "applies the softmax itself."),
            Mistake("bits-not-nats",
                    lambda: _sce(LS_LOGITS, LS_TARGET, label_smoothing=LS_EPS) / LN2,
                    "that is in bits; the question asks for nats (natural log)."),
        ),
    ),
    Exercise(
        "gd-update-sign", "03_loss_and_gradient", "The sign of the update",
        "the softmax cross-entropy after ONE gradient-descent step with learning rate 1 on the "
        "logits [0.5, 1.5, -0.5], true class 0, in nats", "nats",
        lambda: _sce(_gd_step(-1.0), UPD_TARGET),
        (
            Mistake("plus-sign", lambda: _sce(_gd_step(+1.0), UPD_TARGET),
                    "sign of the update: z + lr * grad (the source's rule) climbs the loss. "
                    "Gradient descent *subtracts* the gradient: z - lr * grad."),
            Mistake("no-step", lambda: _sce(UPD_LOGITS, UPD_TARGET),
                    "that is the loss *before* the step; update the logits first, then recompute."),
            Mistake("bits-not-nats", lambda: _sce(_gd_step(-1.0), UPD_TARGET) / LN2,
                    "that is in bits; the question asks for nats."),
        ),
    ),
    # ---- 04 training ------------------------------------------------------
    Exercise(
        "initial-loss", "04_training", "The loss before training",
        "the mean softmax cross-entropy of a 10-class classifier whose logits are all 0, in nats",
        "nats",
        lambda: _sce(np.zeros((INIT_BATCH, INIT_CLASSES)), np.arange(INIT_BATCH)),
        (
            Mistake("bits-not-nats", lambda: _x().entropy(np.full(INIT_CLASSES, 1 / INIT_CLASSES), base=2),
                    "that is in bits. The loss uses the natural log: ln 10 nats."),
            Mistake("probability", lambda: 1 / INIT_CLASSES,
                    "that is the probability of the true class. The loss is minus its log."),
            Mistake("log10", lambda: 1.0,
                    "that is log base 10 of 10. The loss uses the natural log."),
            Mistake("zero", lambda: 0.0,
                    "zero logits do not mean zero loss: softmax turns them into a uniform 1/10."),
        ),
    ),
    Exercise(
        "random-labels-floor", "04_training", "Random labels: the loss floor on new data",
        "the smallest expected loss on NEW data for labels drawn by a fair coin, in nats", "nats",
        lambda: _x().entropy(COIN),
        (
            Mistake("zero", lambda: 0.0,
                    "a big model can reach 0 on the *training* set by memorising it, but on new "
                    "random labels nothing beats predicting 1/2: the entropy of the labels."),
            Mistake("bits-not-nats", lambda: _x().entropy(COIN, base=2),
                    "1 bit is right in bits, but the question asks for nats: ln 2."),
            Mistake("probability", lambda: 0.5,
                    "0.5 is the best predicted probability (or accuracy), not the loss."),
        ),
    ),
    Exercise(
        "sum-vs-mean-lr", "04_training", "Sum or mean: the learning rate follows",
        "the learning rate that gives the same updates with reduction='sum' as lr = 0.1 with "
        "reduction='mean', batches of 32", "",
        lambda: LR_MEAN / _lr_grad_ratio(),
        (
            Mistake("multiplied", lambda: LR_MEAN * _lr_grad_ratio(),
                    "sum vs mean: the summed loss already has a gradient 32 times larger, so the "
                    "learning rate must be divided by the batch size, not multiplied."),
            Mistake("unchanged", lambda: LR_MEAN,
                    "sum vs mean: the gradient of a sum over 32 examples is 32 times the gradient "
                    "of the mean, so the same learning rate takes 32 times bigger steps."),
        ),
    ),
    # ---- 05 trends --------------------------------------------------------
    Exercise(
        "shard-mean-loss", "05_trends", "Combining losses from unequal shards",
        "the mean loss over the whole batch of 8, from the two shards' mean losses, in nats", "nats",
        lambda: _sce(_shard_data()["logits"], _shard_data()["targets"]),
        (
            Mistake("unweighted", lambda: float(np.mean(_shard_losses()[:2])),
                    "sum vs mean: the shards have 2 and 6 examples; averaging their means gives the "
                    "small shard twice its share of the weight (1/2 instead of 2/8). Weight each shard's mean by its size."),
            Mistake("sum", lambda: float(np.dot(_shard_losses()[:2], _shard_losses()[2])),
                    "sum vs mean: that is the total (summed) loss; divide by the 8 examples."),
            Mistake("bits-not-nats",
                    lambda: _sce(_shard_data()["logits"], _shard_data()["targets"]) / LN2,
                    "that is in bits; the question asks for nats."),
        ),
    ),
    Exercise(
        "vocab-parallel-lse", "05_trends", "Log-sum-exp across vocabulary shards",
        "the log-sum-exp of all 12 logits, combined from the two shards' log-sum-exps, in nats", "nats",
        lambda: _x().logsumexp(_vocab_data()["logits"]),
        (
            Mistake("sum", lambda: float(np.sum(_vocab_shard_lse())),
                    "log-sum-exps do not add: exponentiate, add, take the log again, i.e. "
                    "logsumexp([lse1, lse2])."),
            Mistake("max", lambda: float(np.max(_vocab_shard_lse())),
                    "the maximum is only an approximation (a lower bound): combine the shards "
                    "with logsumexp([lse1, lse2])."),
            Mistake("mean", lambda: float(_x().logsumexp(np.array(_vocab_shard_lse())) - np.log(2)),
                    "sum vs mean: that is the log of the *mean* of the exponentials; the "
                    "normaliser of the softmax is their sum."),
        ),
    ),
    Exercise(
        "onehot-memory", "05_trends", "Index targets versus one-hot targets",
        "the memory of float32 one-hot targets for 8 sequences of 1024 tokens and a vocabulary "
        "of 50,000, in GiB", "GiB",
        lambda: _onehot_bytes(np.dtype(np.float32).itemsize) / GIB,
        (
            Mistake("gb-not-gib", lambda: _onehot_bytes(np.dtype(np.float32).itemsize) / 1e9,
                    "that is in GB (10^9 bytes); 1 GiB is 2^30 bytes."),
            Mistake("float64", lambda: _onehot_bytes(np.dtype(np.float64).itemsize) / GIB,
                    "float32 takes 4 bytes per entry, not 8."),
            Mistake("no-batch", lambda: _onehot_bytes(np.dtype(np.float32).itemsize, batch=1) / GIB,
                    "you forgot the batch: 8 sequences, each of 1024 tokens."),
            Mistake("index-targets", lambda: MEM_BATCH * MEM_SEQ * np.dtype(np.int64).itemsize / GIB,
                    "that is the memory of the int64 *index* targets; the question asks for one-hot."),
        ),
    ),
    # ---- 06 FAQ -----------------------------------------------------------
    Exercise(
        "faq-ce-vs-mse", "06_faq", "Cross-entropy or squared error for one prediction",
        "the cross-entropy of prediction q = [0.1, 0.2, 0.7] when the true class is 0, in nats", "nats",
        lambda: _x().cross_entropy(_onehot(FAQ_TARGET, 3), FAQ_Q),
        (
            Mistake("mse-mean", lambda: float(np.mean((FAQ_Q - _onehot(FAQ_TARGET, 3)) ** 2)),
                    "that is the mean squared error against the one-hot target, not the cross-entropy "
                    "-ln q[y]."),
            Mistake("mse-sum", lambda: float(np.sum((FAQ_Q - _onehot(FAQ_TARGET, 3)) ** 2)),
                    "that is the summed squared error, not the cross-entropy -ln q[y]."),
            Mistake("predicted-class", lambda: -np.log(FAQ_Q.max()),
                    "you used the *predicted* class (the largest q); the loss uses the *true* class 0."),
            Mistake("bits-not-nats", lambda: _x().cross_entropy(_onehot(FAQ_TARGET, 3), FAQ_Q, base=2),
                    "that is in bits; the question asks for nats."),
            Mistake("minus-sign", lambda: -_x().cross_entropy(_onehot(FAQ_TARGET, 3), FAQ_Q),
                    "you forgot the minus sign: -ln(0.1) > 0."),
        ),
    ),
    Exercise(
        "faq-binary-as-softmax", "06_faq", "Two-class softmax is a sigmoid",
        "the softmax cross-entropy of logits [0.5, 2.0] with true class 1, in nats", "nats",
        lambda: _sce(FAQ_BIN_LOGITS, FAQ_BIN_TARGET),
        (
            Mistake("one-logit", lambda: float(_x().sigmoid_binary_cross_entropy(
                        np.array([FAQ_BIN_LOGITS[FAQ_BIN_TARGET]]), np.array([1.0]))),
                    "a sigmoid on one logit ignores the other: the equivalent sigmoid logit is the "
                    "*difference* z1 - z0."),
            Mistake("probabilities-as-logits",
                    lambda: _sce(_x().softmax(FAQ_BIN_LOGITS), FAQ_BIN_TARGET),
                    "you passed probabilities where logits are expected."),
            Mistake("bits-not-nats", lambda: _sce(FAQ_BIN_LOGITS, FAQ_BIN_TARGET) / LN2,
                    "that is in bits; the question asks for nats."),
        ),
    ),
    Exercise(
        "faq-lr-stability", "06_faq", "When does gradient descent diverge?",
        "the learning rate above which gradient descent on L(w) = (a/2) w^2 with a = 4 diverges", "",
        lambda: 2.0 / FAQ_CURVATURE,
        (
            Mistake("one-over-a", lambda: 1.0 / FAQ_CURVATURE,
                    "1/a is the learning rate that jumps to the minimum in one step; steps up to "
                    "twice that still converge (they overshoot and oscillate inwards)."),
            Mistake("inverted", lambda: 2.0 * FAQ_CURVATURE,
                    "the threshold is 2/a, not 2a: a steeper (more curved) loss needs a *smaller* learning rate."),
            Mistake("half-a", lambda: FAQ_CURVATURE / 2,
                    "the threshold is 2/a: each step multiplies w by (1 - lr*a), which must stay in (-1, 1)."),
        ),
    ),
]

BY_ID: dict[str, Exercise] = {ex.id: ex for ex in EXERCISES}
assert len(BY_ID) == len(EXERCISES), "duplicate exercise id"
assert set(DATA) == set(BY_ID), "every exercise has problem data"
