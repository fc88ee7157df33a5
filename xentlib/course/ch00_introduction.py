"""Claims of source §1 (背景介绍, background), shown in chapter ``00_introduction``.

Every number is computed with xentlib's public functions at call time.
"""
from __future__ import annotations

import numpy as np

import xentlib as xl

from .claims import Claim, Evidence, random_distribution, register, tuple_text

CHAPTER = "00_introduction"


# The introduction's worked example: one prediction over three classes, scored against each label.
WORKED_Q = np.array([0.7, 0.2, 0.1])
WORKED_CLASSES = ("cat", "dog", "bird")


# --- an information-theory concept, used in machine learning --------------------

def _it_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 10))
    y = int(rng.integers(0, k))
    q = random_distribution(rng, k, sparse=False)
    p = np.eye(k)[y]
    formula_bits = float(-np.sum(p * np.log2(q)))
    return bool(np.isclose(float(xl.cross_entropy(p, q, base=2)), formula_bits, rtol=1e-12, atol=1e-12)
                and np.isclose(float(xl.cross_entropy(p, q)), -np.log(q[y]), rtol=1e-12, atol=1e-12))


def _it_evidence() -> Evidence:
    lines = [f"prediction Q = {tuple_text(WORKED_Q)} (probabilities of cat, dog, bird), label P one-hot:"]
    for y in range(len(WORKED_Q)):
        p = np.eye(len(WORKED_Q))[y]
        lines.append(f"  P = {tuple_text(p)}: -sum P log2 Q = {float(xl.cross_entropy(p, WORKED_Q, base=2)):.4f} bits, "
                     f"the loss -ln Q({WORKED_CLASSES[y]}) = {float(xl.cross_entropy(p, WORKED_Q)):.4f} nats")
    return Evidence(text="\n".join(lines), values={})


register(Claim(
    id="intro-information-theory",
    section="1",
    chapter=CHAPTER,
    source_zh="交叉熵（Cross Entropy）是一种常用的信息论概念，在机器学习和深度学习领域中具有广泛的应用。",
    translation=("Cross-entropy is a common concept of information theory, widely used in machine "
                 "learning and deep learning."),
    verdict="correct",
    checks=(r"the course's elaboration: the information-theory formula -sum P log Q, with a one-hot label P "
            r"and a random prediction Q, is the loss -log Q(true class), in bits with log2 and in nats with ln"),
    correct=("True. It comes from information theory, the mathematics of coding and sending messages, "
             "and the loss of this chapter's first example is the same quantity."),
    note=("Chapter 2 shows what it means there: the average length of a code built for the wrong "
          "distribution."),
    evidence=_it_evidence,
    random_check=_it_check,
))


# --- "measures the difference between two distributions" -----------------------

def _diff_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 9))
    p, q0, q1 = rng.dirichlet(np.ones(k), size=3)     # no exact zeros
    qs = [q0, q1]
    h = [float(xl.cross_entropy(p, q)) for q in qs]
    gap = [float(np.sum(p * np.log(p / q))) for q in qs]          # how far Q is from P, written out
    floor = float(xl.entropy(p))
    return bool(all(x >= floor - 1e-12 for x in h)
                and np.isclose(float(xl.cross_entropy(p, p)), floor, rtol=1e-12, atol=1e-12)
                and (h[0] < h[1]) == (gap[0] < gap[1]))


def _diff_evidence() -> Evidence:
    p = np.array([0.5, 0.3, 0.2])
    lines = [f"P = {tuple_text(p)} fixed; Q moves away from P:"]
    for q in (p, np.array([0.4, 0.3, 0.3]), np.array([0.2, 0.3, 0.5]), np.array([0.05, 0.05, 0.9])):
        lines.append(f"  Q = {tuple_text(q)}: cross-entropy {float(xl.cross_entropy(p, q, base=2)):.4f} bits")
    lines.append(f"its smallest value, at Q = P, is the entropy of P, {float(xl.entropy(p, base=2)):.4f} bits, not 0")
    return Evidence(text="\n".join(lines), values={})


register(Claim(
    id="intro-measures-difference",
    section="1",
    chapter=CHAPTER,
    source_zh="它用于衡量两个概率分布之间的差异",
    translation="It measures the difference between two probability distributions",
    verdict="correct",
    checks=(r"the sentence for a fixed P: the cross-entropy of random Q is smallest at Q = P, and of two Q "
            r"the one farther from P (larger KL divergence of chapter 2, sum P ln(P/Q)) has the larger "
            r"cross-entropy"),
    kin=r"measures-difference",
    correct=("True in this sense: for a fixed true distribution $P$, cross-entropy is smallest when the "
             "prediction $Q$ equals $P$ and grows as $Q$ moves away. Its smallest value is not 0; the exact "
             "difference is the KL divergence (chapter 2)."),
    note=("Loose wording: the smallest value is the entropy of the true distribution, so cross-entropy "
          "ranks predictions against one fixed truth; it does not compare pairs with different truths. "
          "The KL divergence, cross-entropy minus that floor, is 0 exactly when $Q = P$."),
    evidence=_diff_evidence,
    random_check=_diff_check,
))


# --- "difference between predictions and true values" --------------------------

def _pred_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 10))
    y = int(rng.integers(0, k))
    onehot = np.eye(k)[y]
    q = random_distribution(rng, k, sparse=False)
    h = float(xl.cross_entropy(onehot, q))
    better = q.copy()
    better[y] += 0.5 * (1.0 - q[y])                               # more probability on the true class ...
    better[np.arange(k) != y] *= (1.0 - better[y]) / (1.0 - q[y])  # ... taken from the others
    return bool(np.isclose(h, -np.log(q[y]), rtol=1e-12, atol=1e-12) and h >= 0
                and float(xl.cross_entropy(onehot, better)) < h
                and float(xl.cross_entropy(onehot, onehot)) == 0.0)


def _pred_evidence() -> Evidence:
    y = np.array([0.0, 1.0, 0.0])
    lines = []
    for q in (np.array([0.0, 1.0, 0.0]), np.array([0.1, 0.8, 0.1]), np.array([0.3, 0.4, 0.3]),
              np.array([0.8, 0.1, 0.1])):
        lines.append(f"label dog, P = {tuple_text(y)}, prediction Q = {tuple_text(q)} (cat, dog, bird): "
                     f"loss = {float(xl.cross_entropy(y, q)):.4f} nats = -ln Q(dog)")
    return Evidence(text="\n".join(lines), values={})


register(Claim(
    id="intro-prediction-vs-truth",
    section="1",
    chapter=CHAPTER,
    source_zh="通常用于衡量预测值与真实值之间的差异",
    translation="usually used to measure the difference between predicted values and true values",
    verdict="correct",
    checks=(r"the sentence for a one-hot label and a random prediction Q: the loss is -ln Q(true class) >= 0, "
            r"0 for a perfect prediction, and smaller when Q moves probability onto the true class"),
    kin=r"measures-difference",
    correct=("True for classifiers: the true value is a one-hot label, and the loss is 0 for a prediction "
             "that is certain and right, and grows as the true class gets less probability."),
    evidence=_pred_evidence,
    random_check=_pred_check,
    note=("It compares predicted *probabilities* with labels. A model that predicts a number, such as a "
          "price, is usually trained with another loss."),
))


# --- "a loss function in gradient descent" -----------------------------------

GD_TARGET = 2          # the worked example's worst case: the true class got probability 0.1
GD_STEP = 1.0          # step size (learning rate) on the mean loss
GD_STEPS = (0, 1, 2, 5, 10, 20)


def _gd_losses(q: np.ndarray, target: int, step: float, steps: int) -> list[float]:
    """Losses (nats) of gradient descent on the three scores z of one prediction, z = ln q at the start."""
    z = np.log(q)[None, :]
    t = np.array([target])
    out = []
    for _ in range(steps + 1):
        loss, grad = xl.softmax_cross_entropy(z, t, return_grad=True)
        out.append(float(loss))
        z = z - step * grad
    return out


def _gd_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 10))
    q = rng.dirichlet(np.ones(k))                       # no exact zeros: ln q is finite
    losses = _gd_losses(q, int(rng.integers(0, k)), float(rng.uniform(0.05, 2.0)), 5)
    return bool(all(b < a for a, b in zip(losses, losses[1:], strict=False)))


def _gd_evidence() -> Evidence:
    losses = _gd_losses(WORKED_Q, GD_TARGET, GD_STEP, max(GD_STEPS))
    lines = [f"prediction {tuple_text(WORKED_Q)} for cat, dog, bird; the true class is "
             f"{WORKED_CLASSES[GD_TARGET]}.",
             "gradient descent adjusts the model's three scores (the raw numbers from which it computes "
             "its probabilities; chapter 3 names them),",
             f"each step moving them a little downhill on the loss, step size {GD_STEP:g}:"]
    lines += [f"  after {n:>2} steps: loss {losses[n]:.4f} nats" for n in GD_STEPS]
    lines.append("the term: 渐变 means 'gradual change' (as in a colour gradient); the gradient of a function "
                 "is 梯度, and gradient descent is 梯度下降法")
    return Evidence(text="\n".join(lines), values={"losses": losses})


register(Claim(
    id="intro-gradient-descent-loss",
    section="1",
    chapter=CHAPTER,
    source_zh="交叉熵是一种渐变下降法中的损失函数，用于优化模型参数。",
    translation=("Cross-entropy is a loss function in the \"gradual-change descent\" method [sic: "
                 "gradient descent], used to optimise model parameters."),
    verdict="correct",
    checks=(r"the sentence: gradient-descent steps on the scores of a random prediction lower the "
            r"cross-entropy loss at every step (random number of classes, true class and step size 0.05-2)"),
    kin="loss-for-gradient-descent",
    correct=("True: cross-entropy is the loss that gradient descent lowers, step by step, while it adjusts "
             "the numbers inside the model (its parameters). The source's term for the method has a slip "
             "(see the note)."),
    note=("The method is 梯度下降法 (梯度, 'gradient'); the source writes 渐变下降法 (渐变, 'gradual "
          "change'), a slip of one term that leaves the meaning clear, so the sentence is judged on its "
          "meaning. Chapter 1 does the same when the source names additivity 增加性 ('increase') instead "
          "of 可加性 ('additivity'). Other methods minimise the same loss too."),
    evidence=_gd_evidence,
    random_check=_gd_check,
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
    lines = ["K = the number of classes; an untrained model that gives every class the same probability 1/K "
             "(uniform) has loss -ln(1/K) = ln K:"]
    for task, k in (("recommender, 5 items", 5), ("image classes (ImageNet size)", 1000),
                    ("language model vocabulary", 50000)):
        z = np.zeros((1, k))
        loss = float(xl.softmax_cross_entropy(z, np.array([0])))
        lines.append(f"  {task:<30} K = {k:>5}: uniform model loss = {loss:.4f} nats = ln K")
    return Evidence(text="\n".join(lines), values={})


register(Claim(
    id="intro-common-loss",
    section="1",
    chapter=CHAPTER,
    source_zh="在自然语言处理、图像处理、推荐系统等领域，交叉熵损失函数是一种常用的损失函数。",
    translation=("In natural language processing, image processing, recommender systems and other fields, "
                 "the cross-entropy loss is a common loss function."),
    verdict="correct",
    checks=(r"the course's elaboration, not the sentence (how common a loss is, is not computed): the same "
            r"loss, -ln of the true class's probability, and its slope for any number of classes K from 2 to 199"),
    correct=("True: language models (predicting the next word), image classifiers and recommender systems "
             "(predicting the next click) are all trained with it, for any number of classes."),
    evidence=_any_k_evidence,
    random_check=_any_k_check,
))

__all__ = ["CHAPTER"]
