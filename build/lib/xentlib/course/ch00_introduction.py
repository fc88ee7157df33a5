"""Claims of source §1 (背景介绍, background), shown in chapter ``00_introduction``.

Every number is computed with xentlib's public functions at call time.
"""
from __future__ import annotations

import numpy as np

import xentlib as xl

from .claims import Claim, Evidence, random_distribution, register, tuple_text

CHAPTER = "00_introduction"


# --- an information-theory concept: expected code length ----------------------

def _shannon_code_lengths(q: np.ndarray) -> np.ndarray:
    """Lengths ceil(-log2 q) of a Shannon code built for q (they satisfy Kraft's inequality)."""
    with np.errstate(divide="ignore"):
        return np.ceil(-np.log2(q))


def _code_check(rng: np.random.Generator) -> bool:
    n = int(rng.integers(2, 9))
    p = random_distribution(rng, n)
    q = random_distribution(rng, n, sparse=False)
    lengths = _shannon_code_lengths(q)
    avg = float(np.sum(p * lengths))
    h = float(xl.cross_entropy(p, q, base=2))
    kraft = float(np.sum(2.0 ** -lengths))
    return bool(kraft <= 1.0 + 1e-12 and h - 1e-9 <= avg < h + 1.0)


def _code_evidence() -> Evidence:
    p = np.array([0.5, 0.25, 0.125, 0.125])
    q = np.array([0.25, 0.25, 0.25, 0.25])
    lp, lq = _shannon_code_lengths(p), _shannon_code_lengths(q)
    text = (f"P = {tuple_text(p)} (probabilities: how often each symbol occurs)\n"
            f"code built for P: lengths {tuple_text(lp)} bits, average {float(np.sum(p * lp)):.4f} bits "
            f"= H(P) = {float(xl.entropy(p, base=2)):.4f} bits\n"
            f"code built for Q = {tuple_text(q)}: lengths {tuple_text(lq)} bits, average {float(np.sum(p * lq)):.4f} bits "
            f"= H(P, Q) = {float(xl.cross_entropy(p, q, base=2)):.4f} bits")
    return Evidence(text=text, values={})


register(Claim(
    id="intro-information-theory",
    section="1",
    chapter=CHAPTER,
    source_zh="交叉熵（Cross Entropy）是一种常用的信息论概念，在机器学习和深度学习领域中具有广泛的应用。",
    translation=("Cross-entropy is a common concept of information theory, widely used in machine "
                 "learning and deep learning."),
    verdict="correct",
    correct=(r"True. In information theory $H(P, Q)$ (with $\log_2$) is the average length, in bits, of "
             "a code designed for a distribution $Q$ when the symbols really follow $P$: a Shannon code "
             r"with lengths $\lceil -\log_2 Q(x) \rceil$ averages between $H(P, Q)$ and $H(P, Q) + 1$ bits."),
    evidence=_code_evidence,
    random_check=_code_check,
))


# --- "measures the difference between two distributions" -----------------------

def _diff_evidence() -> Evidence:
    u = np.full(4, 0.25)
    h_same = float(xl.cross_entropy(u, u, base=2))
    p = np.array([1.0, 0.0, 0.0, 0.0])
    q = np.array([0.7, 0.1, 0.1, 0.1])
    h_diff = float(xl.cross_entropy(p, q, base=2))
    kl_same = float(xl.kl_divergence(u, u, base=2))
    kl_diff = float(xl.kl_divergence(p, q, base=2))
    text = (f"identical:  P = Q = {tuple_text(u)}: H(P, Q) = {h_same:.4f} bits, KL(P||Q) = {kl_same:.4f} bits\n"
            f"different:  P = {tuple_text(p)}, Q = {tuple_text(q)}: H(P, Q) = {h_diff:.4f} bits, "
            f"KL(P||Q) = {kl_diff:.4f} bits\n"
            "cross-entropy is larger for the identical pair; the KL divergence ranks them correctly")
    return Evidence(text=text, values={"h_same": h_same, "h_diff": h_diff, "kl_same": kl_same, "kl_diff": kl_diff})


register(Claim(
    id="intro-measures-difference",
    section="1",
    chapter=CHAPTER,
    source_zh="它用于衡量两个概率分布之间的差异",
    translation="It measures the difference between two probability distributions",
    verdict="ill-posed",
    correct=(r"Only up to a constant. $H(P, Q) = H(P) + D_{\mathrm{KL}}(P\,\|\,Q)$: the *difference* "
             "between $P$ and $Q$ is the KL divergence; cross-entropy adds the entropy of $P$, so it is "
             "not zero when $Q = P$ and it cannot compare pairs with different $P$. For a **fixed** $P$ "
             "(the data), minimising $H(P, Q)$ over $Q$ is the same as minimising the KL divergence, "
             "which is why it works as a loss."),
    evidence=_diff_evidence,
    # A measure of difference gives identical distributions the smaller value.
    source_holds=lambda ev: bool(ev.values["h_same"] <= ev.values["h_diff"]),
))


# --- "difference between predictions and true values" --------------------------

def _pred_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 10))
    y = int(rng.integers(0, k))
    onehot = np.eye(k)[y]
    q = random_distribution(rng, k, sparse=False)
    h = float(xl.cross_entropy(onehot, q))
    return bool(np.isclose(h, float(xl.kl_divergence(onehot, q)), rtol=1e-12, atol=1e-12)
                and np.isclose(h, -np.log(q[y]), rtol=1e-12, atol=1e-12) and h >= 0)


def _pred_evidence() -> Evidence:
    y = np.array([0.0, 1.0, 0.0])
    lines = []
    for q in (np.array([0.1, 0.8, 0.1]), np.array([0.3, 0.4, 0.3]), np.array([0.8, 0.1, 0.1])):
        lines.append(f"label = class 1, prediction Q = {tuple_text(q)}: H(P, Q) = {float(xl.cross_entropy(y, q)):.4f} nats "
                     f"= -ln Q(class 1)")
    return Evidence(text="\n".join(lines), values={})


register(Claim(
    id="intro-prediction-vs-truth",
    section="1",
    chapter=CHAPTER,
    source_zh="通常用于衡量预测值与真实值之间的差异",
    translation="usually used to measure the difference between predicted values and true values",
    verdict="correct",
    correct=("True for classification, where the \"true value\" is a label turned into a one-hot "
             "distribution $P$ and the prediction is a probability vector $Q$. Then $H(P) = 0$, so "
             r"$H(P, Q) = D_{\mathrm{KL}}(P\,\|\,Q) = -\log Q(\text{true class})$: zero for a confident "
             "correct prediction and growing without bound as the true class's probability goes to 0."),
    evidence=_pred_evidence,
    random_check=_pred_check,
    note=("It compares predicted *probabilities* with labels. For real-valued targets (regression) the "
          "usual loss is the mean squared error, which is the cross-entropy of a Gaussian model "
          "up to constants."),
))


# --- "a loss function in gradient descent" -----------------------------------

def _gd_evidence() -> Evidence:
    labels = np.array([0, 0, 0, 1, 1, 2, 0, 1, 0, 2])
    k = 3
    onehot = np.eye(k)[labels]
    freq = np.bincount(labels, minlength=k) / labels.size
    loss_closed = float(np.mean(xl.cross_entropy(onehot, freq)))
    rng = np.random.default_rng(0)
    others = rng.dirichlet(np.ones(k), size=2000)
    loss_others = np.mean(xl.cross_entropy(onehot[:, None, :], others[None, :, :]), axis=0)
    best_other = float(np.min(loss_others))
    text = (f"10 labels, class counts {np.bincount(labels, minlength=k).tolist()}; model = one probability "
            "vector Q\n"
            f"closed form, no gradient descent: Q = class frequencies {tuple_text(freq)}: "
            f"mean loss {loss_closed:.4f} nats\n"
            f"best of 2000 random Q: mean loss {best_other:.4f} nats (never lower)")
    return Evidence(text=text, values={"closed": loss_closed, "best_other": best_other})


register(Claim(
    id="intro-gradient-descent-loss",
    section="1",
    chapter=CHAPTER,
    source_zh="交叉熵是一种渐变下降法中的损失函数，用于优化模型参数。",
    translation=("Cross-entropy is a loss function in the \"gradual-change descent\" method [sic: "
                 "gradient descent], used to optimise model parameters."),
    verdict="ill-posed",
    correct=("Cross-entropy is a loss function; gradient descent (梯度下降, not 渐变下降) is one way to "
             "minimise it. The loss is defined without reference to any optimiser: for simple models it "
             "has a closed-form minimiser (the class frequencies, i.e. the maximum-likelihood estimate), "
             "and other optimisers (Adam, L-BFGS, ...) minimise the same loss."),
    evidence=_gd_evidence,
    # "Cross-entropy belongs to gradient descent": its minimum would need gradient descent, i.e.
    # the closed-form (optimiser-free) answer would not be the best.
    source_holds=lambda ev: bool(ev.values["closed"] > ev.values["best_other"] + 1e-12),
))


# --- "common loss in NLP, vision, recommender systems" ---------------------------

def _any_k_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 200))
    z = rng.normal(scale=3.0, size=k)
    y = int(rng.integers(0, k))
    loss, grad = xl.softmax_cross_entropy(z[None, :], np.array([y]), return_grad=True)
    q = xl.softmax(z)
    return bool(np.isclose(float(loss), -np.log(q[y]), rtol=1e-9, atol=1e-12)
                and np.allclose(np.asarray(grad).ravel(), q - np.eye(k)[y], atol=1e-12))


def _any_k_evidence() -> Evidence:
    lines = []
    for task, k in (("recommender, 5 items", 5), ("image classes (ImageNet size)", 1000),
                    ("language model vocabulary", 50000)):
        z = np.zeros((1, k))
        loss = float(xl.softmax_cross_entropy(z, np.array([0])))
        lines.append(f"{task:<30} K = {k:>5}: untrained (uniform) model loss = {loss:.4f} nats = ln K")
    return Evidence(text="\n".join(lines), values={})


register(Claim(
    id="intro-common-loss",
    section="1",
    chapter=CHAPTER,
    source_zh="在自然语言处理、图像处理、推荐系统等领域，交叉熵损失函数是一种常用的损失函数。",
    translation=("In natural language processing, image processing, recommender systems and other fields, "
                 "the cross-entropy loss is a common loss function."),
    verdict="correct",
    correct=("True: next-token prediction in language models, image classification and "
             "click/next-item prediction are all trained with softmax (or sigmoid) cross-entropy. The same "
             "formula works for any number of classes $K$; an untrained model that predicts uniformly "
             r"scores $\ln K$ nats."),
    evidence=_any_k_evidence,
    random_check=_any_k_check,
))

__all__ = ["CHAPTER"]
