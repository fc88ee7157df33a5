"""Claims of source §6 (the FAQ: cross-entropy vs MSE, multi-class, learning rate).

Rendered in chapter ``06_faq``.  The small experiments used as evidence are
library functions (:func:`xentlib.logistic.gradient_ce_vs_mse`,
:func:`xentlib.models.learning_rate_sweep`) so
that the chapter can plot them without hiding code in the notebook.
"""
from __future__ import annotations

import numpy as np

import xentlib as xl
from xentlib import data, logistic, models
from xentlib.optim import SGD, Adam
from xentlib.units import NATS_PER_BIT

from .claims import Claim, Evidence, register
from .exercises import Case, Exercise, Mistake, one_hot_row
from .exercises import register as register_exercise

CHAPTER = "06_faq"
SECTION = "6"



# ---------------------------------------------------------------------------
# Q1: cross-entropy vs MSE
# ---------------------------------------------------------------------------

def _ce_mse_check(rng: np.random.Generator) -> bool:
    n = int(rng.integers(1, 8))
    z = rng.normal(scale=4.0, size=n)
    y = rng.integers(2, size=n).astype(float)
    d_ce, d_mse = logistic.gradient_ce_vs_mse(z, y)
    q = xl.sigmoid(z)
    # cross-entropy is the negative log-likelihood of the label under q (probability-based) ...
    nll = -np.log(np.where(y == 1, q, 1 - q))
    ok = np.allclose(xl.sigmoid_binary_cross_entropy(z, y, reduction="none"), nll, atol=1e-9)
    # ... and its logit gradient is q - y, while MSE's is damped by 2 q (1 - q) <= 1/2
    ok &= np.allclose(d_ce, q - y, atol=1e-9)
    ok &= bool(np.all(np.abs(d_mse) <= 0.5 * np.abs(d_ce) + 1e-6))
    return bool(ok)


def _ce_mse_evidence() -> Evidence:
    z = np.array([-6.0])
    d_ce, d_mse = logistic.gradient_ce_vs_mse(z, np.ones_like(z))
    q = xl.sigmoid(z)
    lines = [f"true label y = 1, logit z = {z[0]:+.1f}, sigmoid output q = {q[0]:.4f} (probability): confidently wrong",
             f"  d(CE)/dz = {d_ce[0]:+.4f} nats per unit logit, d(MSE)/dz = {d_mse[0]:+.4f} per unit logit",
             f"  CE pushes {abs(d_ce[0]) / abs(d_mse[0]):.0f} times harder than MSE (chapter 3 compares them in full)"]
    return Evidence("\n".join(lines), {"z": z, "d_ce": d_ce, "d_mse": d_mse})


register(Claim(
    id="faq-ce-vs-mse",
    section=SECTION,
    chapter=CHAPTER,
    source_zh="Q：交叉熵损失函数与均方误差（MSE）损失函数的区别是什么？"
              "A：交叉熵损失函数是一种基于概率的损失函数，用于衡量预测值与真实值之间的差异。它通常在分类问题中使用。"
              "均方误差（MSE）损失函数是一种基于值的损失函数，用于衡量预测值与真实值之间的差异。它通常在回归问题中使用。",
    translation="Q: What is the difference between the cross-entropy loss and the mean squared error (MSE)? "
                "A: Cross-entropy is a probability-based loss measuring the difference between predicted "
                "and true values; it is usually used for classification. MSE is a value-based loss measuring "
                "the difference between predicted and true values; it is usually used for regression.",
    verdict="correct",
    checks=r"the sentence and the course's addition: cross-entropy is the negative log-likelihood of the label (probability-based), and its logit gradient q - y is at least twice MSE's, on random logits and labels",
    kin=r"measures-difference",
    correct="Correct, but the reason is missing. Both losses are negative log-likelihoods (chapter 3 "
            "derives the squared error's). For a classifier the squared error's gradient vanishes when the "
            "model is confidently wrong; cross-entropy's does not.",
    evidence=_ce_mse_evidence,
    random_check=_ce_mse_check,
    note="Incomplete rather than wrong. Cross-entropy is the negative log-likelihood of a categorical or "
         "Bernoulli model, the squared error that of a Gaussian with fixed variance. Through a sigmoid "
         r"output $q=\sigma(z)$, $\partial\,\mathrm{MSE}/\partial z = 2(q-y)\,q(1-q)$ vanishes when the "
         r"model is confidently wrong, while $\partial\,\mathrm{CE}/\partial z = q - y$ stays large; and "
         "for a linear model CE is convex in the weights, MSE through a sigmoid is not. The check draws "
         "1-7 random logits and labels: CE equals the negative log-likelihood of the label, its logit "
         r"gradient is $q-y$, and $|\partial\,\mathrm{MSE}/\partial z| \le \tfrac12 |\partial\,\mathrm{CE}/\partial z|$.",
))

# ---------------------------------------------------------------------------
# Q2: multi-class
# ---------------------------------------------------------------------------


def _multiclass_check(rng: np.random.Generator) -> bool:
    # K = 2: softmax cross-entropy on logits (0, z) is the sigmoid binary cross-entropy on z
    n = int(rng.integers(1, 6))
    z = rng.normal(scale=3.0, size=n)
    y = rng.integers(2, size=n)
    two = float(xl.softmax_cross_entropy(np.stack([np.zeros(n), z], axis=1), y))
    one = float(xl.sigmoid_binary_cross_entropy(z, y.astype(float)))
    ok = abs(two - one) < 1e-9
    # any K: the loss is -mean log softmax(z)[y], written out independently
    k = int(rng.integers(3, 11))
    zz = rng.normal(scale=3.0, size=(n, k))
    yy = rng.integers(k, size=n)
    m = zz.max(axis=1)
    ref = float(np.mean(m + np.log(np.exp(zz - m[:, None]).sum(axis=1)) - zz[np.arange(n), yy]))
    ok &= abs(float(xl.softmax_cross_entropy(zz, yy)) - ref) < 1e-9
    return bool(ok)


def _multiclass_evidence() -> Evidence:
    z = np.array([1.5, -0.5])
    y = np.array([1, 0])
    two = float(xl.softmax_cross_entropy(np.stack([np.zeros(2), z], axis=1), y))
    one = float(xl.sigmoid_binary_cross_entropy(z, y.astype(float)))
    logits5 = np.array([[2.0, 0.5, -1.0, 0.0, 1.0]])
    l5 = float(xl.softmax_cross_entropy(logits5, np.array([4])))
    text = (f"2 classes: softmax CE on logits (0, z) = {two:.4f} nats\n"
            f"           sigmoid BCE on z             = {one:.4f} nats\n"
            f"5 classes, logits {logits5[0].tolist()}, true class 4:\n"
            f"  loss {l5:.4f} nats = -ln softmax(z)[4] = "
            f"{float(-xl.log_softmax(logits5[0])[4]):.4f} nats")
    return Evidence(text, {"two": two, "one": one, "l5": l5})


register(Claim(
    id="faq-multiclass",
    section=SECTION,
    chapter=CHAPTER,
    source_zh="Q：交叉熵损失函数是否只适用于二分类问题？"
              "A：交叉熵损失函数不仅适用于二分类问题，还可以应用于多分类问题。",
    translation="Q: Does the cross-entropy loss only apply to binary classification? "
                "A: It applies not only to binary but also to multi-class classification.",
    verdict="correct",
    checks=r"the sentence: softmax cross-entropy on 2 classes equals sigmoid BCE and on 3-10 classes equals -log softmax written out, on random logits",
    correct="Correct. With $K$ classes the loss of an example of class $c$ is "
            r"$-\ln \mathrm{softmax}(z)_c$; with two classes it equals the binary cross-entropy of a "
            "sigmoid on the logit difference $z_1 - z_0$.",
    evidence=_multiclass_evidence,
    random_check=_multiclass_check,
    note="It also applies to soft targets (label smoothing, distillation) and, with one sigmoid per "
         "class, to multi-label problems. With one sigmoid per class (multi-label) the outputs no longer sum to 1 and each class is a "
         "separate binary problem. The check: softmax CE with logits $(0, z)$ equals sigmoid BCE on $z$; "
         r"for 3-10 classes xentlib's loss equals $-\log\mathrm{softmax}$ written out with log-sum-exp.",
))


def _unary_evidence() -> Evidence:
    zs = np.array([-5.0, 0.0, 3.0, 10.0])
    outs = np.array([float(xl.softmax(np.array([z]))[0]) for z in zs])
    losses, grads = [], []
    for z in zs:
        loss, g = xl.softmax_cross_entropy(np.array([[z]]), np.array([0]), return_grad=True)
        losses.append(float(loss))
        grads.append(float(np.asarray(g).ravel()[0]))
    text = ("a softmax over ONE logit z ('unary'):\n"
            + "\n".join(f"  z = {z:+5.1f}: softmax = {o:.4f}, cross-entropy = {l:.4f} nats, gradient = {g + 0.0:.4f}"   # + 0.0 prints -0.0 as 0.0000
                        for z, o, l, g in zip(zs, outs, losses, grads, strict=False))
            + "\nthe output is 1 whatever the input: nothing to learn")
    return Evidence(text, {"outputs": outs, "losses": np.array(losses), "grads": np.array(grads)})


def _unary_check(rng: np.random.Generator) -> bool:
    n, k = int(rng.integers(1, 6)), int(rng.integers(3, 11))
    z = rng.normal(scale=3.0, size=(n, k))
    y = rng.integers(k, size=n)
    q = xl.softmax(z)
    loss, grad = xl.softmax_cross_entropy(z, y, return_grad=True)
    is_distribution = bool(np.all(q > 0) and np.allclose(q.sum(axis=1), 1.0))
    nll = float(-np.mean(np.log(q[np.arange(n), y])))
    return bool(is_distribution and abs(float(loss) - nll) < 1e-9
                and np.allclose(grad, (q - np.eye(k)[y]) / n, atol=1e-12))


register(Claim(
    id="faq-unary-softmax",
    section=SECTION,
    chapter=CHAPTER,
    source_zh="在多分类问题中，我们需要使用一元Softmax激活函数和一元交叉熵损失函数。",
    translation="In multi-class problems we need a 'unary' (one-variable) softmax activation and a 'unary' "
                "cross-entropy loss.",
    verdict="correct",
    checks=r"the sentence in its natural sense (softmax and cross-entropy for multi-class problems): the softmax over all K = 3-10 random logits is a distribution, and the cross-entropy is -ln of the true class's probability with gradient Q - P",
    correct="Correct in substance: multi-class problems use a softmax over **all $K$ logits** with the "
            "cross-entropy. The word 一元 (one-variable) is a slip, probably for 多元 (multi-variable): a "
            "softmax of one logit is always 1.",
    evidence=_unary_evidence,
    random_check=_unary_check,
    note=r"The softmax is $Q_k = e^{z_k}/\sum_{j=1}^{K} e^{z_j}$ and the loss $-\ln Q_c$. Read literally, a "
         "softmax of a single logit is always 1, so its cross-entropy is 0 nats with zero gradient for "
         "every input (the evidence): nothing to learn, so no competent reader takes the word literally. "
         "Under the course's rule this is a one-word slip in prose, noted and read as meant; a garbled "
         "formula that still says something definite (chapter 1's `entropy-symmetry`, H(X) = 0) is judged "
         "on what it says. "
         "'Need' is also too strong: one sigmoid per class with binary cross-entropy (one-vs-rest) also "
         "works, and is the right choice for multi-label problems.",
))

# ---------------------------------------------------------------------------
# Q3: learning rate
# ---------------------------------------------------------------------------


def _lr_check(rng: np.random.Generator) -> bool:
    x, y = data.lr_problem(rng)
    final = models.learning_rate_sweep(x, y)[:, -1]
    best = int(np.argmin(final))
    # the choice matters: the final losses spread over more than 0.5 nats across the grid, and the
    # smallest rate (too slow) is clearly beaten.  (The largest is usually the worst, but not on
    # the rare draws whose labels happen to be separable, so that is not asserted.)
    return bool(best > 0 and final[0] > final[best] + 0.02 and final.max() - final.min() > 0.5)


def _lr_evidence() -> Evidence:
    x, y = data.lr_problem(np.random.default_rng(0))
    curves = models.learning_rate_sweep(x, y)
    final = curves[:, -1]
    lines = ["softmax regression, 40 noisy examples, 3 classes,",
             "25 steps of full-batch gradient descent from 0:"]
    for lr, f in zip(models.LEARNING_RATES, final, strict=False):
        lines.append(f"  learning rate {lr:>7g}: final loss {f:8.4f} nats")
    lines.append(f"best on this grid: {models.LEARNING_RATES[int(np.argmin(final))]:g} "
                 f"(start: ln 3 = {np.log(3):.4f} nats)")
    return Evidence("\n".join(lines), {"final": final})


register(Claim(
    id="faq-learning-rate-trial",
    section=SECTION,
    chapter=CHAPTER,
    source_zh="Q：如何选择合适的学习率？"
              "A：选择合适的学习率是一个关键问题。通常，我们可以通过试验不同的学习率来找到最佳值。",
    translation="Q: How do we choose a suitable learning rate? A: Choosing it is a key problem. "
                "Usually we try different learning rates to find the best value.",
    verdict="correct",
    checks=r"the sentence: on random noisy 3-class problems the final loss depends on the learning rate (spread > 0.5 nats over 1e-3 to 1e2) and trying rates beats the smallest",
    correct="Correct. Try rates on a logarithmic grid (factors of 10, then refine) and judge them on "
            "held-out data: too small is slow, too large diverges. The recipe above says where to start.",
    evidence=_lr_evidence,
    random_check=_lr_check,
    note="Incomplete: the best is usually just below the largest stable rate, and judged on *validation* "
         "loss (the loss on held-out data not used for training). The best rate depends on the problem, the model, the batch size and the number of steps, so "
         "it has to be re-tuned when they change.",
))


def _adaptive_check(rng: np.random.Generator) -> bool:
    g = rng.choice([-1.0, 1.0], size=5) * rng.uniform(0.1, 10.0, size=5)
    c = float(10.0 ** rng.uniform(-1, 3))
    steps = {}
    for name, opt_cls in (("adam", Adam), ("sgd", SGD)):
        for scale in (1.0, c):
            p = {"w": np.zeros(5)}
            opt_cls(lr=0.01).step(p, {"w": scale * g})
            steps[name, scale] = p["w"].copy()
    # Adam's step ignores the gradient's scale; SGD's step scales with it
    adam_invariant = np.allclose(steps["adam", 1.0], steps["adam", c], rtol=1e-4, atol=0.0)
    sgd_scales = np.allclose(steps["sgd", c], c * steps["sgd", 1.0])
    return bool(adam_invariant and sgd_scales)


def _adaptive_evidence() -> Evidence:
    g = np.array([0.001, 1.0, 100.0])                        # three parameters, very different gradients
    out = {}
    for name, opt_cls in (("SGD", SGD), ("Adam", Adam)):
        p = {"w": np.zeros(3)}
        opt_cls(lr=0.01).step(p, {"w": g})
        out[name] = p["w"].copy()
    text = ("one step, learning rate 0.01, three parameters with gradients (0.001, 1, 100):\n"
            f"  SGD  step: {', '.join(f'{v:+.5f}' for v in out['SGD'])}\n"
            f"  Adam step: {', '.join(f'{v:+.5f}' for v in out['Adam'])}  (adapted per parameter)\n"
            "the base learning rate 0.01 still had to be chosen")
    return Evidence(text, {"sgd": out["SGD"], "adam": out["Adam"]})


register(Claim(
    id="faq-adaptive-lr",
    section=SECTION,
    chapter=CHAPTER,
    source_zh="另外，我们还可以使用自适应学习率技术，如Adagrad、RMSprop和Adam等，以自动调整学习率。",
    translation="We can also use adaptive learning-rate methods such as Adagrad, RMSprop and Adam to adjust "
                "the learning rate automatically.",
    verdict="correct",
    checks=r"the course's elaboration of 'adjust the learning rate automatically': one Adam step is unchanged when the gradient is scaled by a random factor in [0.1, 1000], an SGD step scales with it",
    kin=r"adaptive-learning-rate",
    correct="Correct, with a caveat: these methods adapt each parameter's step to the size of its "
            "gradients, but they keep a base learning rate (Adam's default is $10^{-3}$) that still needs "
            "choosing.",
    evidence=_adaptive_evidence,
    random_check=_adaptive_check,
    note="They divide each parameter's step by a running estimate of its gradient's size, so the step is "
         "nearly independent of the gradient's scale; the base rate is often tuned together with a "
         "schedule. Adagrad's effective step only shrinks over time, which can stop training early.",
))


# =============================================================================
# Exercises
# =============================================================================

FAQ_Q = np.array([0.1, 0.2, 0.7])

FAQ_TARGET = 0

FAQ_CURVATURE = 4.0

#: The learning rates faq-lr-stability asks the student to try first.
FAQ_TRIED_LRS = (0.1, 0.25, 0.45, 0.55)


def _tried_lrs_that_converge() -> list[float]:
    """The tried learning rates whose factor per step, 1 - lr * a, lies in (-1, 1)."""
    return [lr for lr in FAQ_TRIED_LRS if abs(1 - lr * FAQ_CURVATURE) < 1]

#: Keras's clipping of probabilities in its binary cross-entropy (the "fix" of the clipped mistake).
FAQ_CLIP = 1e-7

#: Q4's imbalanced data set: examples of the common class 0 and of the rare class 1.
FAQ_N_COMMON, FAQ_N_RARE = 1900, 100


register_exercise(Exercise(
        id="faq-ce-vs-mse", chapter=CHAPTER, title="Cross-entropy or squared error for one prediction",
        style="warm-up",
        asks="the cross-entropy of prediction q = [0.1, 0.2, 0.7] when the true class is 0, in nats", unit="nats",
    data=lambda: {"q": FAQ_Q.copy(), "target": FAQ_TARGET},
        reference=lambda: xl.cross_entropy(one_hot_row(FAQ_TARGET, 3), FAQ_Q),
        mistakes=(
            Mistake(name="mse-mean", unit="", value=lambda: float(np.mean((FAQ_Q - one_hot_row(FAQ_TARGET, 3)) ** 2)),
                    hint="that is the mean squared error against the one-hot target, not the cross-entropy "
                    "-ln q[y]."),
            Mistake(name="mse-sum", unit="", value=lambda: float(np.sum((FAQ_Q - one_hot_row(FAQ_TARGET, 3)) ** 2)),
                    hint="that is the summed squared error, not the cross-entropy -ln q[y]."),
            Mistake(name="predicted-class", value=lambda: -np.log(FAQ_Q.max()),
                    hint="you used the *predicted* class (the largest q); the loss uses the *true* class 0."),
            Mistake(name="bits-not-nats", unit="bits", value=lambda: xl.cross_entropy(one_hot_row(FAQ_TARGET, 3), FAQ_Q, base=2),
                    hint="that is in bits; the question asks for nats."),
            Mistake(name="minus-sign", value=lambda: -xl.cross_entropy(one_hot_row(FAQ_TARGET, 3), FAQ_Q),
                    hint="you forgot the minus sign: a loss -ln q is never negative."),
        ),
    ))


# --- from scratch: the binary cross-entropy of a logit, stable ---------------------------------------
def _bce(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The reference: the binary cross-entropy of each logit and 0/1 label, in nats (xentlib)."""
    return np.asarray(xl.sigmoid_binary_cross_entropy(z, y, reduction="none"))


def _bce_clipped(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The clipped mistake: sigma(z) clipped to [1e-7, 1 - 1e-7] before the log, as Keras does."""
    q = np.clip(xl.sigmoid(z), FAQ_CLIP, 1 - FAQ_CLIP)
    return np.asarray(xl.binary_cross_entropy(y, q, reduction="none"))


def _bce_cases() -> list[Case]:
    rng = np.random.default_rng(6)
    return [
        Case(name="random logits and labels (a batch of 8)",
             args=(rng.normal(scale=3.0, size=8), rng.integers(2, size=8).astype(float))),
        Case(name="label 0 and label 1 for the same logit", args=(np.array([1.5, 1.5]), np.array([0.0, 1.0]))),
        Case(name="logits of +40 and -40",
             args=(np.array([40.0, -40.0, 40.0, -40.0]), np.array([0.0, 1.0, 1.0, 0.0]))),
        Case(name="logits of +1000 and -1000",
             args=(np.array([1000.0, -1000.0, 1000.0, -1000.0]), np.array([1.0, 1.0, 0.0, 0.0]))),
        Case(name="one example", args=(np.array([-3.0]), np.array([1.0]))),
    ]


register_exercise(Exercise(
    id="faq-bce-from-logits", chapter=CHAPTER, title="Binary cross-entropy from a logit, without overflow",
    style="from-scratch",
    asks="bce_from_logits(z, y): the binary cross-entropy of each logit z and 0/1 label y, in nats, "
         "an array of the shape of z",
    unit="nats",
    data=lambda: {"z": np.array([1000.0, -1000.0, 1.5]), "y": np.array([1.0, 1.0, 0.0])},
    reference=_bce,
    cases=_bce_cases,
    nonfinite_hint="inf or nan: sigmoid(z) rounds to exactly 0 or 1 for a large |z|, and its log is -inf. "
                   "Never compute the probability: write each label's loss as a function of z alone, "
                   "and let `np.logaddexp` do the exponentials.",
    mistakes=(
        Mistake(name="clipped", value=_bce_clipped,
                hint="you clipped the probability (Keras clips it to [1e-7, 1 - 1e-7]): the loss then stops "
                     "growing at -ln 1e-7, about 16 nats, however wrong the logit, and its gradient is 0 there. "
                     "Work from the logit instead: -ln sigma(z) = ln(1 + e^(-z)), and np.logaddexp(0, -z) "
                     "computes that without overflow."),
        Mistake(name="label-flipped", value=lambda z, y: _bce(z, 1.0 - y),
                hint="each example got the loss of the other label: -ln sigma(z) is the loss of label 1, "
                     "-ln(1 - sigma(z)) = -ln sigma(-z) that of label 0."),
        Mistake(name="bits-not-nats", unit="bits", value=lambda z, y: _bce(z, y) / NATS_PER_BIT,
                hint="that is in bits (log base 2); the loss is in nats: use the natural log."),
        Mistake(name="minus-sign", value=lambda z, y: -_bce(z, y),
                hint="a missing minus sign: a loss -ln q is never negative."),
    ),
    hint="check each label's loss on its own, for one logit you can work out by hand: label 1 costs "
         "-ln sigma(z), label 0 costs -ln(1 - sigma(z)), and 1 - sigma(z) = sigma(-z). Does each example "
         "get the term of its own label, and only that one?",
))


# --- find the bug: a multi-label loss written with a softmax ------------------------------------------
def _multilabel(z: np.ndarray, labels: np.ndarray) -> float:
    """The reference: one sigmoid per label, the mean binary cross-entropy over all labels, in nats."""
    return float(xl.sigmoid_binary_cross_entropy(z, labels))


def _multilabel_softmax(z: np.ndarray, labels: np.ndarray) -> float:
    """The bug: a softmax over the labels, as if they were exclusive classes."""
    return float(-np.sum(labels * xl.log_softmax(z, axis=-1)) / labels.size)


def _multilabel_positives_only(z: np.ndarray, labels: np.ndarray) -> float:
    """Half a fix: sigmoids, but only the labels equal to 1 count (-mean(labels * ln sigma(z)))."""
    ones = np.ones_like(z)
    return float(np.sum(labels * xl.sigmoid_binary_cross_entropy(z, ones, reduction="none")) / labels.size)


def _multilabel_cases() -> list[Case]:
    rng = np.random.default_rng(60)
    z = rng.normal(scale=2.0, size=(5, 3))
    return [
        Case(name="random logits and labels (5 examples, 3 labels)",
             args=(z, rng.integers(2, size=(5, 3)).astype(float))),
        Case(name="an image with no label at all", args=(np.array([[2.0, 1.0, -1.0]]), np.zeros((1, 3)))),
        Case(name="an image with every label", args=(np.array([[2.0, -1.0, 0.5]]), np.ones((1, 3)))),
        Case(name="logits of +1000 and -1000",
             args=(np.array([[1000.0, -1000.0, 1000.0], [-1000.0, 1000.0, -1000.0]]),
                   np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]]))),
    ]


def _multilabel_shifted(z: np.ndarray, labels: np.ndarray) -> float:
    """The softmax's trick misapplied: each row's largest logit subtracted before the sigmoids."""
    return _multilabel(z - z.max(axis=-1, keepdims=True), labels)


def _multilabel_softmax_both_terms(z: np.ndarray, labels: np.ndarray) -> float:
    """Half a fix: a label-0 term -ln(1 - q) added, but q still a softmax over the labels."""
    q = np.asarray(xl.softmax(z, axis=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_label = -(labels * np.log(q) + (1 - labels) * np.log1p(-q))
    return float(np.mean(per_label))


def _multilabel_clipped(z: np.ndarray, labels: np.ndarray) -> float:
    """Sigmoids, but the probabilities clipped to [1e-7, 1 - 1e-7] before the log, as Keras does."""
    return float(np.mean(_bce_clipped(z, labels)))


register_exercise(Exercise(
    id="faq-multilabel-bug", chapter=CHAPTER, title="A multi-label loss that cannot reach zero",
    style="find-the-bug",
    asks="multilabel_loss(z, labels): the mean binary cross-entropy over all labels of a batch of "
         "multi-label logits (one sigmoid per label), in nats per label",
    unit="nats",
    data=lambda: {"z": np.array([[6.0, 6.0, -6.0]]), "labels": np.array([[1.0, 1.0, 0.0]])},
    reference=_multilabel,
    cases=_multilabel_cases,
    nonfinite_hint="inf or nan: for a large |z| a sigmoid rounds to exactly 0 or 1, and the log of 0 is "
                   "-inf. Subtracting the largest logit does not help here: that is the softmax's trick "
                   "(a softmax does not change when every logit moves by the same amount; a sigmoid does). "
                   "Work from the logit itself, with `np.logaddexp`, as in the previous exercise.",
    mistakes=(
        Mistake(name="softmax-not-sigmoid", value=_multilabel_softmax,
                hint="that is still the colleague's loss. Add up its probabilities for the labels of one "
                     "image: what do they always sum to, and can an image with a cat and a dog then be "
                     "predicted with confidence? Q2 says what to use when the classes are not mutually "
                     "exclusive."),
        Mistake(name="softmax-with-label-0", value=_multilabel_softmax_both_terms,
                hint="a label 0 now costs something, but the probabilities still come from a softmax: the "
                     "labels of one image still share one unit of probability, so two labels 1 cannot both "
                     "get near 1. Each label needs a probability of its own, independent of the others."),
        Mistake(name="shifted-logits", value=_multilabel_shifted,
                hint="you subtracted each row's largest logit before the sigmoid. That is the softmax's "
                     "trick: a softmax does not change when every logit moves by the same amount, but a "
                     "sigmoid does, so the loss changes. Keep the logits as they are; for the overflow, "
                     "work from the logit with `np.logaddexp`, as in the previous exercise."),
        Mistake(name="positives-only", value=_multilabel_positives_only,
                hint="only the labels equal to 1 count in your loss. A label 0 has a loss too, "
                     "-ln(1 - sigma(z)): without it, answering 'yes' to every label costs nothing."),
        Mistake(name="clipped", value=_multilabel_clipped,
                hint="you clipped the probabilities (Keras clips them to [1e-7, 1 - 1e-7]): the loss of a "
                     "label then stops at -ln 1e-7, about 16 nats, however wrong its logit. Work from the "
                     "logit instead, with `np.logaddexp`, as in the previous exercise."),
        Mistake(name="sum-over-labels", value=lambda z, labels: _multilabel(z, labels) * z.shape[-1],
                hint="that is the loss summed over the 3 labels of each example (nats per example); "
                     "the question asks for the mean over all labels (nats per label)."),
        Mistake(name="sum-over-examples", value=lambda z, labels: _multilabel(z, labels) * z.shape[0],
                hint="that is each example's mean loss, summed over the examples of the batch; the question "
                     "asks for the mean over all labels of all examples (nats per label)."),
        Mistake(name="bits-not-nats", unit="bits", value=lambda z, labels: _multilabel(z, labels) / NATS_PER_BIT,
                hint="that is in bits (log base 2); the loss is in nats: use the natural log."),
    ),
    hint="compare the buggy cell's two results with what a multi-label image is. Can one image's labels all "
         "get a probability near 1 under this loss? And what does a label 0 add to it? Q2 says what to use "
         "when the classes are not mutually exclusive.",
))

register_exercise(Exercise(
        id="faq-lr-stability", chapter=CHAPTER, title="When does gradient descent diverge?",
        asks="the learning rate above which gradient descent on L(w) = (a/2) w^2 with a = 4 diverges", unit="",
    data=lambda: {"curvature": FAQ_CURVATURE, "tried_learning_rates": FAQ_TRIED_LRS},
        reference=lambda: 2.0 / FAQ_CURVATURE,
        mistakes=(
            Mistake(name="one-over-a", value=lambda: 1.0 / FAQ_CURVATURE,
                    hint="1/a is the learning rate that jumps to the minimum in one step; somewhat larger "
                    "steps still converge (they overshoot and oscillate inwards)."),
            Mistake(name="inverted", value=lambda: 2.0 * FAQ_CURVATURE,
                    hint="the threshold falls as the curvature a grows: a steeper (more curved) loss needs a *smaller* learning rate."),
            Mistake(name="half-a", value=lambda: FAQ_CURVATURE / 2,
                    hint="write w after one step as (a factor) x w, and ask for which learning rates that factor "
                    "makes |w| grow from one step to the next."),
            Mistake(name="largest-tried-that-converges", value=lambda: max(_tried_lrs_that_converge()),
                    hint="that is the largest of the rates you tried that converges, not the threshold: a "
                    "rate a little above it may converge too. Find the exact rate from the factor each step "
                    "multiplies w by."),
            Mistake(name="smallest-tried-that-diverges",
                    value=lambda: min(set(FAQ_TRIED_LRS) - set(_tried_lrs_that_converge())),
                    hint="that is the smallest of the rates you tried that diverges, not the threshold: a "
                    "rate a little below it diverges too. Find the exact rate from the factor each step "
                    "multiplies w by."),
        ),
        hint="the rates you tried only bracket the threshold. Each step multiplies w by the same factor: "
             "write it with lr and a, and find the lr at which its size reaches 1.",
    ))


# --- predict: the loss of a model that learned nothing about x ----------------------------------------
def _imbalanced_labels() -> np.ndarray:
    """Q4's labels: FAQ_N_RARE ones (the rare class 1), then FAQ_N_COMMON zeros."""
    return np.r_[np.ones(FAQ_N_RARE), np.zeros(FAQ_N_COMMON)]


def _base_rate_loss() -> float:
    """The mean cross-entropy, in nats, of always predicting the frequency of class 1."""
    y = _imbalanced_labels()
    return float(xl.binary_cross_entropy(y, np.full(y.shape, y.mean())))


def _base_rate_options() -> dict[str, float]:
    """The value each option of faq-base-rate-loss stands for, in nats."""
    rate = FAQ_N_RARE / (FAQ_N_RARE + FAQ_N_COMMON)
    return {"a": float(np.log(2)), "b": float(xl.binary_entropy(rate)), "c": float(-np.log(rate))}


def _base_rate_choice() -> str:
    """The option nearest to the computed loss."""
    loss, options = _base_rate_loss(), _base_rate_options()
    return min(options, key=lambda k: abs(options[k] - loss))


register_exercise(Exercise(
    id="faq-base-rate-loss", chapter=CHAPTER, title="The loss of a model that ignores its input",
    style="predict",
    asks='the option ("a", "b" or "c") nearest to the mean cross-entropy of always predicting q = 0.05 '
         "for class 1 on 1900 examples of class 0 and 100 of class 1",
    unit="",
    data=lambda: {"n_common": FAQ_N_COMMON, "n_rare": FAQ_N_RARE},
    choices={"a": "about 0.69 nats (ln 2): a two-class model that has learned nothing scores ln 2",
             "b": "about 0.2 nats, far below ln 2",
             "c": "about 3.0 nats (-ln 0.05), because it gives the true class of the rare examples only 0.05"},
    reference=_base_rate_choice,
    mistakes=(
        Mistake(name="ln-k", value=lambda: "a",
                hint="ln 2 is the loss of q = 0.5, a guess that ignores the class frequencies too. A model "
                     "that knows nothing about x can still learn how common each class is, and then it pays "
                     "little on the many common examples."),
        Mistake(name="rare-only", value=lambda: "c",
                hint="-ln 0.05 is the loss of one rare example. The loss is a mean over all 2000 examples, "
                     "and each of the 1900 common ones costs only -ln 0.95."),
    ),
))


# =============================================================================
# Self-checks (selfcheck.show("id") under "Check yourself"; see selfcheck.py)
# =============================================================================
from . import selfcheck as _sc  # noqa: E402

_sc.register_selfcheck(_sc.SelfCheck(
    id="squared-error-model", chapter=CHAPTER,
    question="The squared error is the negative log-likelihood of which model of the target?",
    options=(
        _sc.Option("A coin flip (0 or 1) whose probability of 1 is the prediction", False,
                   "The negative log-likelihood of a coin flip is the binary cross-entropy, the "
                   "classification loss."),
        _sc.Option("Gaussian noise around the prediction, with a fixed variance", True,
                   "As in Q1: $-\\ln$ of the Gaussian density of $y$ around the prediction $\\hat y$ is "
                   "$(y - \\hat y)^2 / (2\\sigma^2)$ plus a constant, so minimising the squared error "
                   "maximises the likelihood of that model."),
        _sc.Option("None: it is just a distance", False,
                   "It is a distance too, but minimising it maximises the likelihood of Gaussian noise "
                   "(Q1): each loss goes with an assumption about the data."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="softmax-of-one-logit", chapter=CHAPTER,
    question="What does a softmax over a single logit $z$ output?",
    options=(
        _sc.Option("$\\sigma(z) = 1/(1 + e^{-z})$", False,
                   "The sigmoid needs a second logit fixed at 0; over one logit alone the softmax is "
                   "$e^z / e^z$."),
        _sc.Option("$e^z$", False,
                   "The softmax divides by the sum of the exponentials, which here is $e^z$ itself."),
        _sc.Option("Always 1, whatever $z$ is", True,
                   "$e^z / e^z = 1$: it can learn nothing. Two classes need a sigmoid, or a softmax over "
                   "two logits."),
    ),
))

_SC_N, _SC_K, _SC_RARE = 1000, 2, 50

_sc.register_selfcheck(_sc.SelfCheck(
    id="rare-class-weight", chapter=CHAPTER, kind="number",
    question=f"A data set has $N = {_SC_N}$ examples of $K = {_SC_K}$ classes, {_SC_RARE} of them in the "
             "rare class. What is the rare class's weight $w_k = N/(K n_k)$?",
    answer=_SC_N / (_SC_K * _SC_RARE), tolerance=0.01, unit=_sc.NO_UNIT,
    explanation="$w_k = N/(K n_k)$ compares a rare example with an example of a balanced data set, "
                "whose weight is 1: it counts this many times as much. Divided by the common class's weight, it "
                "gives a different ratio: how many common examples one rare example counts as (Q4's "
                "`pos_weight`, $w_1/w_0$).",
    mistakes=(
        _sc.Mistake(_SC_N / _SC_RARE, "You left out $K$: the weights are scaled so that a balanced data "
                    "set gets weight 1 for every class."),
        _sc.Mistake(_SC_RARE / _SC_N, "That is the rare class's share of the data; its weight is "
                    "inversely proportional to it."),
        _sc.Mistake(_SC_N / (_SC_K * (_SC_N - _SC_RARE)), "That is the common class's weight, below 1."),
        _sc.Mistake((_SC_N - _SC_RARE) / _SC_RARE, "That is the rare class's weight divided by the common "
                    "class's: how many common examples one rare example counts as (Q4's `pos_weight`, "
                    "$w_1/w_0$). The weight $w_k$ itself compares with an example of a balanced data set, "
                    "whose weight is 1."),
    ),
))
