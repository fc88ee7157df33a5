"""Claims of source §3.1 (the cross-entropy loss) and §3.2 (gradient descent).

Rendered in chapter ``03_loss_and_gradient``.  Every number in an evidence
text is computed here with xentlib at display time; the raw numbers are kept
in ``Evidence.values`` for the tests.

Some evidence evaluates the *source's own* formulas (for instance the literal
update rule on probabilities).  Those are written out with NumPy on purpose:
xentlib refuses probabilities outside the simplex, which is exactly the point
being made.
"""
from __future__ import annotations

from typing import Any

import numpy as np

import xentlib as xl
from xentlib import plotting
from xentlib.plotting import OKABE_ITO as C
from xentlib.units import NATS_PER_BIT

from .claims import Claim, Evidence, register
from .exercises import Case, Exercise, Mistake, mean_loss, one_hot_row
from .exercises import register as register_exercise
from .explorers import GREY, Explorer, Param, axis, layout, num, rounded
from .explorers import register as register_explorer

CHAPTER = "03_loss_and_gradient"


def _vec(v, digits: int = 4) -> str:
    """A vector as ``[a, b, c]`` with fixed decimals (stable across platforms)."""
    v = np.atleast_1d(np.asarray(v, dtype=float))
    return "[" + ", ".join(f"{x:.{digits}f}" for x in v) + "]"


def _dirichlet(rng, k):
    return rng.dirichlet(np.ones(k))


# ---------------------------------------------------------------------------
# §3.1 The cross-entropy loss
# ---------------------------------------------------------------------------

def _purpose_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 8))
    p, q = _dirichlet(rng, k), _dirichlet(rng, k)
    l_pq = float(xl.cross_entropy(p, q))
    l_pp = float(xl.cross_entropy(p, p))
    kl = float(np.sum(p * (np.log(p) - np.log(q))))          # KL written out, independent of xentlib
    h = float(-np.sum(p * np.log(p)))
    return l_pq >= l_pp - 1e-12 and abs(l_pp - h) < 1e-9 and abs((l_pq - l_pp) - kl) < 1e-9


def _purpose_evidence() -> Evidence:
    p = np.array([0.7, 0.2, 0.1])
    qs = {"Q = P": p, "Q = (0.5, 0.3, 0.2)": np.array([0.5, 0.3, 0.2]),
          "Q = uniform": np.full(3, 1 / 3), "Q = (0.1, 0.2, 0.7)": np.array([0.1, 0.2, 0.7])}
    vals = {k: float(xl.cross_entropy(p, q)) for k, q in qs.items()}
    h = float(xl.entropy(p))
    lines = [f"P = (0.7, 0.2, 0.1), H(P) = {h:.4f} nats"]
    for k, v in vals.items():
        lines.append(f"  L(P, Q) for {k:<20}: {v:.4f} nats   (L - H(P) = {v - h:.4f} nats)")
    lines.append("The loss is smallest at Q = P, where it equals H(P), not 0.")
    return Evidence("\n".join(lines), {"losses": vals, "entropy": h})


register(Claim(
    id="loss-purpose",
    section="3.1",
    chapter=CHAPTER,
    source_zh="在机器学习和深度学习中，我们通常需要优化模型参数，以便使模型的预测值更接近真实值。"
              "交叉熵损失函数是一种常用的损失函数，用于衡量预测值与真实值之间的差异。",
    translation="In machine learning and deep learning we optimise the model parameters so that the "
                "predictions get closer to the true values. The cross-entropy loss is a common loss "
                "that measures the difference between predicted and true values.",
    verdict="correct",
    checks=r"the sentence for a fixed target P: L(P, Q) >= L(P, P) = H(P) and L(P, Q) - H(P) = KL(P||Q), on random P, Q",
    kin=r"measures-difference",
    correct="Yes. For a fixed target $P$ the loss $L(P, Q)$ is smallest exactly at $Q = P$; the "
            r"'difference' it measures is $\mathrm{KL}(P\,\|\,Q) = L(P,Q) - H(P) \ge 0$.",
    evidence=_purpose_evidence,
    random_check=_purpose_check,
    note="Cross-entropy compares a predicted *distribution* $Q$ with a target distribution $P$. At "
         "$Q = P$ it equals $H(P)$, which is 0 only for a one-hot target; a softmax model reaches that "
         r"minimum only in the limit $Q_c \to 1$ (logits going to infinity). $\mathrm{KL} \ge 0$ is "
         "Gibbs' inequality.",
))


def _formula_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 9))
    z = rng.normal(scale=2.0, size=k)
    p = _dirichlet(rng, k)
    zs = z - z.max()
    logq = zs - np.log(np.exp(zs).sum())                      # log-softmax written out
    direct = float(-np.sum(p * logq))                         # the source's formula, natural log
    c = int(rng.integers(k))
    ok = abs(float(xl.cross_entropy(p, np.exp(logq))) - direct) < 1e-9
    ok &= abs(float(xl.softmax_cross_entropy(z[None, :], p[None, :])) - direct) < 1e-9
    # one-hot target: the sum keeps one term, -log Q(y_true)
    ok &= abs(float(xl.softmax_cross_entropy(z[None, :], np.array([c]))) + logq[c]) < 1e-9
    return bool(ok)


def _formula_evidence() -> Evidence:
    z = np.array([2.0, 1.0, 0.1])
    q = xl.softmax(z)
    p_soft = np.array([0.7, 0.2, 0.1])
    p_hot = np.array([1.0, 0.0, 0.0])
    l_soft = float(xl.cross_entropy(p_soft, q))
    l_hot = float(xl.cross_entropy(p_hot, q))
    l_idx = float(xl.softmax_cross_entropy(z[None, :], np.array([0])))
    text = (f"logits z = {_vec(z, 1)}, Q = softmax(z) = {_vec(q)} (probabilities)\n"
            f"  soft target P = {_vec(p_soft, 1)}: L(P, Q) = {l_soft:.4f} nats\n"
            f"  one-hot target (class 0): L = {l_hot:.4f} nats = -ln Q(class 0) = {-np.log(q[0]):.4f} nats\n"
            f"  softmax_cross_entropy(z, class 0) = {l_idx:.4f} nats (from the logits)")
    return Evidence(text, {"l_soft": l_soft, "l_hot": l_hot, "l_idx": l_idx, "q": q})


register(Claim(
    id="loss-formula",
    section="3.1",
    chapter=CHAPTER,
    source_zh="给定一个真实概率分布 $P$ 和一个预测概率分布 $Q$，交叉熵损失函数的定义为："
              r"$$L(P, Q) = -\sum_{i=1}^{n} P(y_i) \log Q(y_i)$$"
              "其中，$P(y_i)$ 是真实标签的概率，……",
    translation="Given a true distribution $P$ and a predicted distribution $Q$, the cross-entropy loss is "
                r"$L(P,Q) = -\sum_{i=1}^{n} P(y_i)\log Q(y_i)$, where $P(y_i)$ is the probability of the "
                "true label, ... (the gloss of $Q(y_i)$ is judged in the next box).",
    verdict="correct",
    checks=r"the formula: -sum P log Q written out equals xentlib's cross-entropy and softmax cross-entropy (soft and one-hot targets) on random logits",
    correct=r"Correct for **one example**, with the sum over the $n$ *classes* $y_1,\dots,y_n$. "
            r"For a one-hot target (true class $c$) it is $-\log Q(y_c)$; over a data set the losses are averaged.",
    evidence=_formula_evidence,
    random_check=_formula_check,
    note="$P(y_i)$ is the target probability of class $y_i$ and $Q(y_i)$ the predicted one. The letters "
         "$i$ and $n$ are reused in the next formula for *samples*; see `loss-binary-notation`.",
))


def _gloss_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 9))
    q = _dirichlet(rng, k)
    c = int(rng.integers(k))                              # the true label
    p = np.eye(k)[c]
    loss = float(xl.cross_entropy(p, q))
    direct = float(-sum(p[i] * np.log(q[i]) for i in range(k)))   # -sum P(y_i) log Q(y_i), Q at each label
    return abs(loss - direct) < 1e-9 and abs(loss + np.log(q[c])) < 1e-9


def _gloss_evidence() -> Evidence:
    q = np.array([0.7, 0.2, 0.1])          # the model's prediction Q (probabilities)
    true = 1                               # the true class y_2 (index 1): the model is wrong
    predicted = int(np.argmax(q))          # the predicted label: class index 0
    target = np.eye(3)[true]
    loss = float(xl.cross_entropy(target, q))            # -sum P log Q = -ln Q(true class)
    gloss = float(-np.log(q[predicted]))                 # Q read as 'probability of the predicted label'
    right = np.array([0.2, 0.7, 0.1])                    # a right prediction, as confident
    loss_right = float(xl.cross_entropy(target, right))
    gloss_right = float(-np.log(right[int(np.argmax(right))]))
    text = (f"Q = {_vec(q, 1)} (probabilities of the labels y_1, y_2, y_3), one-hot target P on "
            f"label y_{true + 1}; predicted label (argmax) = y_{predicted + 1}\n"
            f"  Q at the true class, Q(y_{true + 1}) = {q[true]:.1f} (probability): loss -ln Q(y_{true + 1}) "
            f"= {loss:.4f} nats (xentlib's cross_entropy)\n"
            f"  Q of the label the model picks, Q(y_{predicted + 1}) = {q[predicted]:.1f} (probability): '-ln' of it = {gloss:.4f} nats\n"
            f"a right prediction Q = {_vec(right, 1)}: loss {loss_right:.4f} nats; argmax reading "
            f"{gloss_right:.4f} nats\n"
            "read as 'the probability of the label the model picks', the wrong prediction would score\n"
            "as well as the right one: the formula uses Q at each label y_i, as the gloss says")
    return Evidence(text, {"loss": loss, "gloss": gloss, "loss_right": loss_right, "gloss_right": gloss_right})


register(Claim(
    id="loss-predicted-label-gloss",
    section="3.1",
    chapter=CHAPTER,
    source_zh="$Q(y_i)$ 是预测标签的概率。",
    translation="$Q(y_i)$ is the predicted probability of the label.",
    verdict="correct",
    checks=("the gloss read beside 'P(y_i) is the probability of the true label': Q(y_i) is the predicted "
            "probability of label y_i, so with a one-hot target -sum P(y_i) log Q(y_i) equals -ln Q(true "
            "label), on random Q"),
    correct=r"Yes: set beside '$P(y_i)$ is the probability of the true label', $Q(y_i)$ is the model's "
            r"predicted probability of label $y_i$. With a one-hot target the loss is $-\log$ of the "
            "predicted probability of the true label.",
    note="预测标签的概率 can also be parsed as 'the probability of the predicted label', the label the "
         r"model picks ($\arg\max_i Q(y_i)$). That reading is wrong: scored by it, a confidently wrong "
         "model would look as good as a confidently right one (the evidence shows both). The parallel with "
         "真实标签的概率 and the formula itself, which takes $Q$ at every label $y_i$, support the reading "
         "judged here.",
    evidence=_gloss_evidence,
    random_check=lambda rng: _gloss_check(rng),
))


def _unit_evidence() -> Evidence:
    logits = np.zeros((1, 2))                                 # Q = (0.5, 0.5)
    target = np.array([0])
    lib = float(xl.softmax_cross_entropy(logits, target))
    bits = float(xl.cross_entropy(np.array([1.0, 0.0]), xl.softmax(logits[0]), base=2))
    text = (f"Q = (0.5, 0.5), true class 0 (a fair coin guess):\n"
            f"  softmax_cross_entropy (natural log, like every DL library): {lib:.4f} nats\n"
            f"  the same loss with log base 2:                             {bits:.4f} bits\n"
            f"  ratio nats/bits = {lib / bits:.4f} = ln 2: the numbers differ, so the unit matters")
    return Evidence(text, {"library_value": lib, "bits_value": bits})


register(Claim(
    id="loss-unit-bits",
    section="3.1",
    chapter=CHAPTER,
    source_zh="交叉熵损失函数的单位是比特（bit）。",
    translation="The unit of the cross-entropy loss is the bit.",
    verdict="incorrect",
    reading=r"'the cross-entropy loss as the source uses it (the tf.keras loss of its §4, like every deep-learning library's) is in bits'",
    kin=r"unit-is-bit",
    differs=(r"§2.1 and §2.2 give the unit of entropy and cross-entropy in information theory, where log "
             r"means log₂; this sentence is about the *loss function*, and the loss the source itself "
             r"trains in §4 (tf.keras) uses ln and reports nats"),
    correct=r"No: the loss the source itself trains in §4 (`tf.keras`, like every deep-learning library) "
            r"takes $\ln$, so its numbers are in **nats**. Calling them bits does not change that code; bits "
            r"would need $\log_2$, as in §2's information theory.",
    evidence=_unit_evidence,
    source_holds=lambda ev: abs(ev.values["library_value"] - ev.values["bits_value"]) < 1e-9,
))


def _binary_literal(y, q1):
    """The source's binary formula read literally: Q(y_i) = probability of the observed label."""
    y = np.asarray(y, dtype=float)
    q_obs = np.where(y == 1, q1, 1 - q1)
    return float(-np.sum(y * np.log(q_obs) + (1 - y) * np.log(1 - q_obs)))


def _binary_evidence() -> Evidence:
    y = np.array([1, 0, 1, 0])
    good = np.array([0.9, 0.1, 0.8, 0.2])                     # P(y=1|x): right side of 0.5 every time
    ones = np.full(4, 0.9)                                    # always says "class 1" with 90 %
    bce_good = float(xl.binary_cross_entropy(y, good))
    bce_ones = float(xl.binary_cross_entropy(y, ones))
    lit_good, lit_ones = _binary_literal(y, good), _binary_literal(y, ones)
    y100 = np.tile(y, 100)
    good100 = np.tile(good, 100)
    sum4 = float(xl.binary_cross_entropy(y, good, reduction="sum"))
    sum400 = float(xl.binary_cross_entropy(y100, good100, reduction="sum"))
    mean400 = float(xl.binary_cross_entropy(y100, good100))
    sum_good = float(xl.binary_cross_entropy(y, good, reduction="sum"))
    sum_ones = float(xl.binary_cross_entropy(y, ones, reduction="sum"))
    n = len(y)
    text = ("labels y = (1, 0, 1, 0)\n"
            "model A: q = P(y=1|x) = (0.9, 0.1, 0.8, 0.2)   (right every time)\n"
            "model B: q = P(y=1|x) = (0.9, 0.9, 0.9, 0.9)   (always says class 1)\n"
            "summed over the 4 samples, like the source's formula (nats):\n"
            f"  q_i read as P(y=1|x_i):                  A {sum_good:.4f},  B {sum_ones:.4f}  -> A is better\n"
            f"  read literally, Q(y_i) = P(observed y_i): A {lit_good:.4f},  B {lit_ones:.4f}  -> prefers B\n"
            "the same as means over the 4 samples, as libraries report them (nats):\n"
            f"  q_i read as P(y=1|x_i):                  A {bce_good:.4f},  B {bce_ones:.4f}  -> A is better\n"
            f"  read literally, Q(y_i) = P(observed y_i): A {lit_good / n:.4f},  B {lit_ones / n:.4f}  -> prefers B\n"
            f"sum vs mean for model A: sum over the 4 samples {sum4:.4f} nats,\n"
            f"  over the same data repeated 100 times {sum400:.4f} nats;\n"
            f"  the mean stays {mean400:.4f} nats")
    return Evidence(text, {"bce_good": bce_good, "bce_ones": bce_ones, "literal_good": lit_good,
                           "literal_ones": lit_ones, "sum_good": sum_good, "sum_ones": sum_ones,
                           "literal_good_mean": lit_good / n, "literal_ones_mean": lit_ones / n, "sum4": sum4, "sum400": sum400, "mean400": mean400})


register(Claim(
    id="loss-binary-notation",
    section="3.1",
    chapter=CHAPTER,
    source_zh="在二分类问题中，我们可以简化交叉熵损失函数为："
              r"$$L(P, Q) = -\sum_{i=1}^{n} [y_i \log Q(y_i) + (1 - y_i) \log (1 - Q(y_i))]$$"
              "其中，$y_i$ 是真实标签，$Q(y_i)$ 是预测概率。",
    translation="For binary classification the loss simplifies to "
                r"$$\begin{aligned} L(P,Q) = -\sum_{i=1}^{n}\big[&y_i\log Q(y_i) \\ &+ (1-y_i)\log(1-Q(y_i))\big], \end{aligned}$$ "
                "where $y_i$ is the true label and $Q(y_i)$ the predicted probability.",
    verdict="ill-posed",
    reading=r"the formula as printed: a sum over i of terms in Q(y_i), the predicted probability of the observed label y_i",
    correct=r"Read with $q_i$, the predicted probability of **class 1** for sample $i$, it is the binary "
            r"cross-entropy of $n$ samples. As printed, $Q(y_i)$ is the probability of the observed label, "
            "and then the formula rewards wrong answers.",
    evidence=_binary_evidence,
    source_holds=lambda ev: ev.values["literal_good"] < ev.values["literal_ones"],
    note=r"Written out, with $q_i = Q(y{=}1\mid x_i)$: "
         r"$$\begin{aligned} L = -\frac{1}{n}\sum_{i=1}^{n}\big[&y_i\log q_i \\ &+ (1-y_i)\log(1-q_i)\big]. \end{aligned}$$ "
         r"Here $i$ counts **samples**, not classes as in the formula above. Per "
         r"sample it is $L(P,Q)$ with $P=(1-y_i,\,y_i)$, $Q=(1-q_i,\,q_i)$. Libraries take the **mean**: "
         "with a sum the loss grows with the number of samples, and so does every training step taken "
         "on it (§3.2). Ill-posed, not incorrect: the notation $Q(y_i)$ names another quantity (the "
         "probability of the observed label) than the one the formula needs (the probability of class 1), "
         "so the formula as printed says nothing definite about the binary loss.",
))

# ---------------------------------------------------------------------------
# §3.2 Gradient descent
# ---------------------------------------------------------------------------


def _gd_check(rng: np.random.Generator) -> bool:
    n, k = int(rng.integers(1, 6)), int(rng.integers(2, 7))
    z = rng.normal(scale=2.0, size=(n, k))
    y = rng.integers(k, size=n)
    loss, grad = xl.softmax_cross_entropy(z, y, return_grad=True)
    # independent reference gradient: (softmax - one-hot) / n, written out
    e = np.exp(z - z.max(axis=1, keepdims=True))
    ref = (e / e.sum(axis=1, keepdims=True) - np.eye(k)[y]) / n
    new = float(xl.softmax_cross_entropy(z - 0.5 * grad, y))
    return bool(np.allclose(grad, ref, atol=1e-10) and new < float(loss))


def _gd_evidence() -> Evidence:
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 3))
    y = np.array([0, 1, 2, 1])
    losses = []
    for _ in range(6):
        loss, grad = xl.softmax_cross_entropy(z, y, return_grad=True)
        losses.append(float(loss))
        z = z - 1.0 * grad
    text = ("4 examples, 3 classes, logits as the parameters, 5 steps z <- z - 1.0 * grad:\n"
            "  loss: " + " -> ".join(f"{v:.4f}" for v in losses) + " nats")
    return Evidence(text, {"losses": losses})


register(Claim(
    id="loss-gradient-descent",
    section="3.2",
    chapter=CHAPTER,
    source_zh="通过计算交叉熵损失函数的梯度，我们可以使用梯度下降法优化模型参数。",
    translation="By computing the gradient of the cross-entropy loss we can optimise the model "
                "parameters with gradient descent.",
    verdict="correct",
    checks=r"the sentence: xentlib's gradient of softmax cross-entropy equals (softmax - one-hot)/n written out, and one gradient-descent step lowers the loss, on random logits",
    kin=r"loss-for-gradient-descent",
    correct=r"Yes. A small enough step against the gradient, $\theta \leftarrow \theta - \eta\,\nabla_\theta L$, "
            "lowers the loss whenever the gradient is not zero.",
    evidence=_gd_evidence,
    random_check=_gd_check,
    note=r"First-order Taylor expansion: $L(\theta - \eta g) \approx L(\theta) - \eta\|g\|^2$. Only a "
         r"*small* step is guaranteed to help: with the logits as the parameters any $\eta < 4$ is safe "
         r"(the curvature is at most $1/2$); for a model $z = f_\theta(x)$ the bound also depends on $f$. "
         r"The random check's step is $\eta = 0.5$, the evidence below uses $\eta = 1$.",
))


def _grad_multi_evidence() -> Evidence:
    p = np.array([0.1, 0.7, 0.2])
    z = np.array([1.0, 0.5, -0.5])
    q = xl.softmax(z)
    source_value = float(-np.sum(p / q))                      # the source's sum of d log Q / dQ terms
    grad_q = xl.numerical_gradient(lambda v: float(-np.sum(p * np.log(v))), q.copy())
    grad_z = xl.numerical_gradient(
        lambda v: float(xl.softmax_cross_entropy(v[None, :], p[None, :], reduction="sum")), z.copy())
    text = (f"P = {_vec(p, 1)}, logits z = {_vec(z, 1)}\n"
            f"Q = softmax(z) = {_vec(q)} (probabilities)\n"
            f"source's formula -sum_i P_i / Q_i = {source_value:.4f} nats (one number)\n"
            f"true gradient w.r.t. Q (numerical, nats per unit probability):\n"
            f"  {_vec(grad_q)}\n"
            f"  its components add up to {float(grad_q.sum()):.4f}: the source's number\n"
            f"  is the slope along (1, 1, 1), which leaves the simplex\n"
            f"gradient w.r.t. the logits (numerical, nats per unit logit):\n"
            f"  {_vec(grad_z)}\n"
            f"Q - P (probabilities) =\n  {_vec(q - p)}")
    return Evidence(text, {"source_value": source_value, "grad_q": grad_q, "grad_z": grad_z,
                           "q_minus_p": q - p})


register(Claim(
    id="loss-gradient-multiclass",
    section="3.2",
    chapter=CHAPTER,
    source_zh="给定一个损失函数 $L(P, Q)$，其梯度可以表示为："
              r"$$\nabla_Q L(P, Q) = -\sum_{i=1}^{n} P(y_i) \frac{\partial \log Q(y_i)}{\partial Q(y_i)}$$",
    translation="Given the loss $L(P,Q)$, its gradient is "
                r"$$\begin{aligned} &\nabla_Q L(P,Q) \\ &\quad = -\sum_{i=1}^{n} P(y_i)\,\frac{\partial\log Q(y_i)}{\partial Q(y_i)}. \end{aligned}$$",
    verdict="ill-posed",
    reading=r"the formula as printed: the gradient (a vector) equals one number, the sum over i of -P(y_i)/Q(y_i)",
    correct="A gradient has one component per class, with no sum: "
            r"$\partial L/\partial Q(y_i) = -P(y_i)/Q(y_i)$. Training uses the gradient with respect to the "
            r"**logits**, $Q - P$.",
    note=r"The source's sum adds the components into one number, the slope along $(1,\dots,1)$, a "
         r"direction that leaves the probability simplex. The chain rule through the softmax turns "
         r"$-P/Q$ into $\nabla_z L = Q - P$, derived in this chapter before this box. Ill-posed, not "
         r"incorrect: the formula sets a vector (the gradient) equal to a number, which says nothing "
         r"definite that could be true or false.",
    evidence=_grad_multi_evidence,
    source_holds=lambda ev: bool(np.allclose(ev.values["grad_q"], ev.values["source_value"], atol=1e-4)),
))


def _grad_binary_evidence() -> Evidence:
    y = np.array([1.0, 0.0, 1.0])
    z = np.array([2.0, -1.0, -3.0])
    q = xl.sigmoid(z)

    def bce_sum_q(v):
        return float(-np.sum(y * np.log(v) + (1 - y) * np.log(1 - v)))

    source_value = float(np.sum(-y / q + (1 - y) / (1 - q)))
    grad_q = xl.numerical_gradient(bce_sum_q, q.copy())
    grad_z = xl.numerical_gradient(
        lambda v: float(xl.sigmoid_binary_cross_entropy(v, y, reduction="sum")), z.copy())
    text = (f"labels y = {_vec(y, 0)}, logits z = {_vec(z, 1)}\n"
            f"q = sigmoid(z) = {_vec(q)} (probabilities)\n"
            f"source's formula (a sum over samples): {source_value:.4f} nats (one number)\n"
            f"gradient w.r.t. each q_i (numerical):  {_vec(grad_q)} nats per unit probability\n"
            f"gradient w.r.t. each z_i (numerical):  {_vec(grad_z)} nats per unit logit\n"
            f"q - y =                                {_vec(q - y)} nats per unit logit (= the gradient)\n"
            f"sample 3 is confidently wrong (probability q = {q[2]:.4f}, y = 1):\n"
            f"  dL/dq = {grad_q[2]:.2f} nats per unit probability, dL/dz = {grad_z[2]:.4f} nats per unit logit "
            f"(bounded by 1)")

    def figure():
        import matplotlib.pyplot as plt

        plotting.use_course_style()
        qq = np.linspace(0.005, 0.995, 300)
        fig, ax = plt.subplots()
        ax.semilogy(qq, 1 / qq, label=r"$|\partial \ell/\partial q| = 1/q$")
        ax.semilogy(qq, 1 - qq, linestyle="--", label=r"$|\partial \ell/\partial z| = 1-q$")
        ax.set_xlabel("predicted probability of the true class q [probability]")
        ax.set_ylabel("gradient magnitude [nats per unit]")
        ax.set_title("Gradient of -ln q for a positive example (y = 1)")
        ax.legend()
        return fig

    return Evidence(text, {"source_value": source_value, "grad_q": grad_q, "grad_z": grad_z,
                           "q_minus_y": q - y}, figure)


register(Claim(
    id="loss-gradient-binary",
    section="3.2",
    chapter=CHAPTER,
    source_zh="对于二分类问题，梯度可以简化为："
              r"$$\nabla_Q L(P, Q) = -\sum_{i=1}^{n} [y_i \frac{\partial \log Q(y_i)}{\partial Q(y_i)} + "
              r"(1 - y_i) \frac{\partial \log (1 - Q(y_i))}{\partial Q(y_i)}]$$",
    translation="For binary classification the gradient simplifies to "
                r"$$\begin{aligned} \nabla_Q L = -\sum_{i=1}^{n}\Big[&y_i\,\frac{\partial\log Q(y_i)}{\partial Q(y_i)} \\ "
                r"&+ (1-y_i)\,\frac{\partial\log(1-Q(y_i))}{\partial Q(y_i)}\Big]. \end{aligned}$$",
    verdict="ill-posed",
    reading=r"the formula as printed: the gradient over n samples equals one number, a sum over the samples",
    correct=r"The gradient has one component per sample, with no sum: $-y_i/q_i + (1-y_i)/(1-q_i)$. "
            r"With respect to the logit it is $q_i - y_i$, never larger than 1 in size.",
    note=r"These are the components $\partial L/\partial q_i$ of the summed loss (divide by $n$ for the "
         r"mean); summing them over $i$ gives one meaningless number. With $q_i=\sigma(z_i)$ the chain rule "
         r"gives $\partial L/\partial z_i = q_i - y_i$, while $\partial L/\partial q_i$ blows up like "
         r"$1/q_i$ (for $y_i = 1$) or $1/(1-q_i)$ (for $y_i = 0$). Ill-posed, not incorrect: like the "
         r"multi-class formula, it sets a vector (one component per sample) equal to one number.",
    evidence=_grad_binary_evidence,
    source_holds=lambda ev: bool(np.allclose(ev.values["grad_q"], ev.values["source_value"], atol=1e-4)),
))

_UPDATE_ZH = r"$$Q(y_i) = Q(y_i) + \eta \nabla_Q L(P, Q)$$其中，$\eta$ 是学习率。"


def _update_sign_evidence() -> Evidence:
    z0 = np.array([[0.5, 0.0, -0.5]])
    y = np.array([0])
    eta, steps = 0.5, 20
    runs = {}
    for name, sign in (("source (+)", +1.0), ("descent (-)", -1.0)):
        z, losses = z0.copy(), []
        for _ in range(steps + 1):
            loss, grad = xl.softmax_cross_entropy(z, y, return_grad=True)
            losses.append(float(loss))
            z = z + sign * eta * grad
        runs[name] = losses
    up, down = runs["source (+)"], runs["descent (-)"]
    text = (f"one example, true class 0, logits {_vec(z0[0], 1)}, eta = {eta};\n"
            f"grad = gradient of the loss w.r.t. the logits\n"
            f"source's rule     z <- z + eta*grad: loss {up[0]:.4f} -> {up[1]:.4f} nats\n"
            f"                  after {steps} steps: {up[-1]:.4f} nats\n"
            f"gradient descent  z <- z - eta*grad: loss {down[0]:.4f} -> {down[1]:.4f} nats\n"
            f"                  after {steps} steps: {down[-1]:.4f} nats")

    def figure():
        import matplotlib.pyplot as plt

        plotting.use_course_style()
        fig, ax = plt.subplots()
        ax.plot(range(steps + 1), up, marker="o", markersize=3, label="source: + eta * gradient (ascent)")
        ax.plot(range(steps + 1), down, marker="s", markersize=3, linestyle="--",
                label="correct: - eta * gradient (descent)")
        ax.set_xlabel("step [count]")
        ax.set_ylabel("cross-entropy loss [nats]")
        ax.set_title("The sign of the update decides up or down")
        ax.legend()
        return fig

    return Evidence(text, {"ascent": up, "descent": down}, figure)


register(Claim(
    id="loss-update-sign",
    section="3.2",
    chapter=CHAPTER,
    source_zh=_UPDATE_ZH,
    translation=r"Update rule: $Q(y_i) \leftarrow Q(y_i) + \eta\,\nabla_Q L(P,Q)$, where $\eta$ is the "
                "learning rate.",
    verdict="incorrect",
    reading=r"'the update Q <- Q + eta * grad (with a plus) is gradient descent: it lowers the loss'",
    kin=r"update-rule",
    correct="This box judges the **sign**. Gradient descent moves *against* the gradient, with a minus "
            "sign; with the source's '+' the rule climbs: every small step increases the loss.",
    evidence=_update_sign_evidence,
    source_holds=lambda ev: ev.values["ascent"][1] < ev.values["ascent"][0],
))


def _update_prob_evidence() -> Evidence:
    p = np.array([1.0, 0.0, 0.0])
    q0 = np.array([0.2, 0.5, 0.3])
    eta, steps = 0.1, 6
    traj = {}
    for name, sign in (("source", +1.0), ("sign fixed", -1.0)):
        q, rows = q0.copy(), []
        for _ in range(steps + 1):
            with np.errstate(invalid="ignore", divide="ignore"):
                loss = float(-np.sum(p[p > 0] * np.log(q[p > 0])))
            rows.append((q.copy(), float(q.sum()), loss))
            grad = -p / q                                     # dL/dQ, component-wise
            q = q + sign * eta * grad
        traj[name] = rows
    lines = [f"P = one-hot class 0, Q = {_vec(q0, 2)}, eta = {eta}; Q updated directly,",
             f"dL/dQ = -P/Q component-wise; step 0: sum 1.0000, loss {traj['source'][0][2]:.4f} nats"]
    for name, rows in traj.items():
        lines.append(f"{name}: Q <- Q {'+' if name == 'source' else '-'} eta * dL/dQ")
        for t in (1, 2, steps):
            q, s, loss = rows[t]
            ls = "undefined (log < 0)" if np.isnan(loss) else f"{loss:.4f} nats"
            lines.append(f"  step {t}: Q = {_vec(q)}, sum {s:.4f}, loss {ls}")
    src1 = traj["source"][1][0]
    fixed_last = traj["sign fixed"][-1][0]
    values: dict[str, Any] = {"source_q1": src1, "fixed_q_last": fixed_last,
              "source_sums": [r[1] for r in traj["source"]],
              "fixed_sums": [r[1] for r in traj["sign fixed"]],
              "fixed_q0": [float(r[0][0]) for r in traj["sign fixed"]],
              "source_q0": [float(r[0][0]) for r in traj["source"]]}

    def figure():
        import matplotlib.pyplot as plt

        plotting.use_course_style()
        fig, ax = plt.subplots()
        t = range(steps + 1)
        ax.axhspan(0, 1, color="0.85", alpha=0.5, label="allowed range of a probability")
        ax.plot(t, values["source_q0"], marker="o", markersize=4, label="Q(class 0), source's rule")
        ax.plot(t, values["fixed_q0"], marker="s", markersize=4, linestyle="--", label="Q(class 0), sign fixed")
        ax.plot(t, values["fixed_sums"], marker="^", markersize=4, linestyle=":", label="sum of Q, sign fixed")
        ax.set_xlabel("step [count]")
        ax.set_ylabel("probability [no unit]")
        ax.set_title("Updating probabilities directly leaves the simplex")
        ax.legend(loc="lower left", fontsize=9)
        return fig

    return Evidence("\n".join(lines), values, figure)


def _is_distribution(q) -> bool:
    q = np.asarray(q, dtype=float)
    return bool(np.all(q >= 0) and np.all(q <= 1) and abs(q.sum() - 1) < 1e-9)


register(Claim(
    id="loss-update-probabilities",
    section="3.2",
    chapter=CHAPTER,
    source_zh="通过计算梯度，我们可以使用梯度下降法更新模型参数。……" + _UPDATE_ZH,
    translation="With the gradient we update the model parameters by gradient descent. …"
                r"$Q(y_i) \leftarrow Q(y_i) + \eta\,\nabla_Q L(P,Q)$, where $\eta$ is the learning rate.",
    verdict="incorrect",
    reading=r"'gradient descent updates the predicted probabilities Q(y_i) themselves'",
    kin=r"update-rule",
    correct=r"This box judges **what is updated**. Gradient descent updates the model's parameters; "
            "the probabilities $Q$ are an output. A step on $Q$ itself, with either sign, makes entries "
            "leave $[0, 1]$ and stop summing to 1.",
    evidence=_update_prob_evidence,
    source_holds=lambda ev: _is_distribution(ev.values["source_q1"]),
    note=r"The sentence announces an update of the model parameters, but the rule it gives updates "
         r"the predicted probabilities $Q(y_i)$ themselves. "
         r"$Q = \mathrm{softmax}(z)$ with logits $z = f_\theta(x)$. Once $Q$ has left the simplex, "
         r"$\log Q$ is undefined or the 'loss' drops below its minimum. Even with the sign fixed the "
         "direct update fails (the evidence shows both).",
))


def _softreg_data():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, 2))
    w_true = np.array([[2.0, -1.0, -1.0], [0.0, 2.0, -2.0]])
    y = np.argmax(x @ w_true + rng.gumbel(size=(60, 3)), axis=1)
    return x, y


def softmax_regression_grad(x, y, w, b):
    """Mean cross-entropy of ``softmax(x @ w + b)`` and its gradients ``(dW, db)``, in nats."""
    loss, g = xl.softmax_cross_entropy(x @ w + b, y, return_grad=True)
    return float(loss), x.T @ g, g.sum(axis=0)


def _softreg_evidence() -> Evidence:
    x, y = _softreg_data()
    k = 3
    w, b = np.zeros((2, k)), np.zeros(k)
    loss0, dw, db = softmax_regression_grad(x, y, w, b)
    num_dw = xl.numerical_gradient(
        lambda v: float(xl.softmax_cross_entropy(x @ v + b, y)), w.copy())
    eta = 1.0
    for _ in range(100):
        loss, dw_, db_ = softmax_regression_grad(x, y, w, b)
        w, b = w - eta * dw_, b - eta * db_
    loss_end = softmax_regression_grad(x, y, w, b)[0]
    q = xl.softmax(x @ w + b)                            # the trained model's predictions
    onehot = np.eye(k)[y]
    q_src = q + 0.1 * (-onehot / q)                           # the source's rule applied to Q
    sums = q_src.sum(axis=1)
    text = (f"60 examples, 2 features, 3 classes; parameters W (2x3), b (3), start 0\n"
            f"dL/dW = X^T (Q - Y) / N vs the numerical gradient: max |diff| "
            f"{float(np.max(np.abs(dw - num_dw))):.0e}\n"
            f"100 steps W <- W - 1.0 dL/dW, b <- b - 1.0 dL/db:\n"
            f"  loss {loss0:.4f} nats (= ln 3) -> {loss_end:.4f} nats\n"
            f"the source's rule applied to the trained model's Q (eta = 0.1), in probabilities:\n"
            f"  row sums of the new Q range from {float(sums.min()):.4f} to {float(sums.max()):.4f},\n"
            f"  smallest entry {float(q_src.min()):.4f}: no W, b produce such a Q,\n"
            f"  so it is no longer a softmax regression model")
    return Evidence(text, {"loss0": loss0, "loss_end": loss_end, "grad_err": float(np.max(np.abs(dw - num_dw))),
                           "q_source": q_src})


register(Claim(
    id="loss-softmax-regression",
    section="3.2",
    chapter=CHAPTER,
    source_zh="例如，在软max回归中，我们可以使用以下更新规则：",
    translation="For example, in 'soft-max regression' we can use the following update rule:",
    verdict="incorrect",
    reading=r"'the rule that follows (Q <- Q + eta * grad_Q L) is an update rule of softmax regression', 软max回归 read as softmax regression",
    correct=r"This box judges the label **softmax regression** for this rule: it is not how softmax "
            r"regression is trained. Softmax regression, "
            r"$Q = \mathrm{softmax}(XW + b)$, updates its parameters $W$, $b$; the source's rule moves $Q$ "
            r"itself, to values no $W, b$ produce.",
    note="'软max回归' half-translates *softmax regression* (Softmax 回归), also called multinomial logistic "
         "regression; the slip in the name is not what the verdict judges. Gradient descent updates "
         r"$W \leftarrow W - \eta\,X^\top(Q - Y)/N$ and $b \leftarrow b - \eta\,\overline{(Q - Y)}$, with "
         "$Y$ the one-hot labels.",
    evidence=_softreg_evidence,
    source_holds=lambda ev: all(_is_distribution(r) for r in ev.values["q_source"]),
))


# =============================================================================
# Exercises
# =============================================================================

# -- Multiply the logits by 10 (predict) --------------------------------------
SCALE_LOGITS = np.array([2.0, 1.0, 0.1])      # the chapter's photo: cat, dog, bird
SCALE_FACTOR = 10.0
SCALE_CLASSES = {"cat": 0, "bird": 2}


def _scale_losses() -> dict[str, tuple[float, float]]:
    """For the cat and the bird: the loss (nats) of the logits, then of the logits times 10."""
    return {name: (mean_loss(SCALE_LOGITS, c), mean_loss(SCALE_FACTOR * SCALE_LOGITS, c))
            for name, c in SCALE_CLASSES.items()}


def _scale_outcome() -> str:
    """The option that describes what xentlib computes."""
    def move(before: float, after: float) -> str:
        return "same" if abs(after - before) < 1e-9 else "falls" if after < before else "rises"
    losses = _scale_losses()
    moves = (move(*losses["cat"]), move(*losses["bird"]))
    return {("same", "same"): "a", ("falls", "falls"): "b", ("rises", "rises"): "c",
            ("falls", "rises"): "d"}.get(moves, "none of these")


register_exercise(Exercise(
    id="scaled-logits", chapter=CHAPTER, style="predict", title="Multiply the logits by 10",
    asks='your prediction, "a", "b", "c" or "d", of how the cat\'s and the bird\'s losses move when the '
         "logits (2, 1, 0.1) are multiplied by 10", unit="",
    data=lambda: {"logits": SCALE_LOGITS.copy(), "factor": SCALE_FACTOR, "classes": dict(SCALE_CLASSES)},
    choices={"a": "Both losses stay the same",
             "b": "Both losses fall",
             "c": "Both losses rise",
             "d": "The cat's loss falls and the bird's loss rises"},
    reference=_scale_outcome,
    mistakes=(
        Mistake(name="scale-like-shift", value=lambda: "a",
                hint="adding the same number to every logit changes nothing, but multiplying is not adding: "
                "it stretches the gaps between the logits tenfold, and each unit of gap is a factor e "
                "between two probabilities."),
        Mistake(name="confidence-always-helps", value=lambda: "b",
                hint="larger logits make the softmax more confident, but in the model's own favourite, the "
                "class with the largest logit. The loss is -ln of the probability of the true class, "
                "whichever that is: follow each true class's probability."),
        Mistake(name="big-logits-big-loss", value=lambda: "c",
                hint="the loss does not measure the size of the logits: it is -ln of the probability the "
                "softmax gives the true class. Follow that probability as the gaps between the logits grow."),
    ),
))

# -- The gradient, Q - P (problem) ---------------------------------------------
GRAD_LOGITS = np.array([1.5, 2.2, -0.4])      # cat, dog, bird
GRAD_TARGET = 1                               # the photo shows a dog


def _grad_ce():
    _, g = xl.softmax_cross_entropy(GRAD_LOGITS[None, :], np.array([GRAD_TARGET]), return_grad=True)
    return np.asarray(g)[0]


register_exercise(Exercise(
    id="softmax-gradient", chapter=CHAPTER, style="problem", title="The gradient of the loss for a dog photo",
    asks="the gradient dL/dz of the softmax cross-entropy for logits z = [1.5, 2.2, -0.4], true class 1 "
         "(3 numbers, in nats per unit logit)", unit="",
    data=lambda: {"logits": GRAD_LOGITS.copy(), "target": GRAD_TARGET},
    reference=_grad_ce,
    mistakes=(
        Mistake(name="sign", value=lambda: -_grad_ce(),
                hint="sign of the gradient: it is softmax(z) - onehot(y), not onehot(y) - softmax(z). "
                "Gradient descent subtracts it, which raises the true class's logit."),
        Mistake(name="no-onehot", value=lambda: xl.softmax(GRAD_LOGITS),
                hint="that is softmax(z) alone: subtract the one-hot target (1 at the true class)."),
        Mistake(name="wrong-class", value=lambda: xl.softmax(GRAD_LOGITS) - one_hot_row(0, 3),
                hint="the one-hot target is at class 0, the cat: the photo shows a dog, class 1 "
                "(cat 0, dog 1, bird 2)."),
        Mistake(name="counted-from-1", value=lambda: xl.softmax(GRAD_LOGITS) - one_hot_row(GRAD_TARGET + 1, 3),
                hint="the 1 of the one-hot target went to class 2, the bird: you counted the classes from 1. "
                "Python counts from 0, so the dog, class 1, is the middle entry (cat 0, dog 1, bird 2)."),
        Mistake(name="bits-not-nats", value=lambda: _grad_ce() / NATS_PER_BIT, unit="bits per unit logit",
                hint="that is the gradient of the loss in bits (log base 2); the loss, and this exercise, "
                "use the natural log: nats per unit logit."),
        Mistake(name="wrt-probabilities",
                value=lambda: -one_hot_row(GRAD_TARGET, 3) / xl.softmax(GRAD_LOGITS),
                hint="that is the gradient with respect to the probabilities Q (-P/Q), not the logits z. "
                "Chain it through the softmax, as in the chapter's five steps."),
    ),
    hint="use the chapter's result for the gradient with respect to the logits (its five steps), with this "
         "photo's logits and one-hot target, and compare each entry with xl.numerical_gradient.",
))

# -- Softmax cross-entropy from scratch (from scratch) -------------------------


def _ce_cases() -> list[Case]:
    rng = np.random.default_rng(3)
    z = rng.normal(scale=2.0, size=5)
    return [
        Case(name="random logits", args=(z, int(np.argmin(z)))),
        Case(name="logits of +1000, 0 and -1000", args=(np.array([1000.0, 0.0, -1000.0]), 2)),
        Case(name="one class", args=(np.array([3.5]), 0)),
        Case(name="equal logits", args=(np.full(4, 2.5), 3)),
        Case(name="random logits near 800", args=(800.0 + rng.normal(size=6), 1)),
    ]


def _ce_ref(z, y) -> float:
    return mean_loss(z, y)


def _log_softmax_np(z) -> np.ndarray:
    """log softmax(z) written out with NumPy (stable), for the mistakes' values."""
    z = np.asarray(z, dtype=float)
    s = z - z.max()
    return s - np.log(np.exp(s).sum())


register_exercise(Exercise(
    id="stable-softmax-ce", chapter=CHAPTER, style="from-scratch", title="A softmax cross-entropy that never overflows",
    asks="softmax_ce(z, y): the loss -ln softmax(z)[y] of one example, in nats, from a 1-D array of logits z "
         "and the true class y (an int), computed via log-sum-exp", unit="nats",
    data=lambda: {"cases": [c.args for c in _ce_cases()]},
    reference=lambda *args: _ce_ref(*args),      # (z, y) of a case; typed Callable[[], Any] in Exercise
    cases=_ce_cases,
    mistakes=(
        Mistake(name="counted-from-1", value=lambda z, y: _ce_ref(z, (y - 1) % len(z)),
                hint="that is the loss of the class before the true one: `z[y - 1]` counts the classes "
                     "from 1. Python counts from 0: the true class's logit is `z[y]`."),
        Mistake(name="bits-not-nats", value=lambda z, y: _ce_ref(z, y) / NATS_PER_BIT,
                hint="that is in bits (log base 2); the loss of every deep-learning library, and of this "
                "exercise, uses the natural log: nats."),
        Mistake(name="missing-minus", value=lambda z, y: float(_log_softmax_np(z)[y]),
                hint="mind the minus sign: ln softmax(z)[y] is negative (or 0); the loss is minus it."),
        Mistake(name="max-not-added-back",
                value=lambda z, y: float(-z[y] + np.log(np.exp(z - np.max(z)).sum())),
                hint="you subtracted the largest logit m inside the log-sum-exp but did not add it back: "
                "ln(sum_j exp(z_j)) = m + ln(sum_j exp(z_j - m))."),
        Mistake(name="no-log-sum-exp", value=lambda z, y: float(-z[y]),
                hint="that is -z[y] alone: the loss is -z[y] plus the log-sum-exp of all the logits "
                "(step 2 of the chapter's derivation)."),
        Mistake(name="softmax-twice", value=lambda z, y: float(-_log_softmax_np(np.exp(_log_softmax_np(z)))[y]),
                hint="softmax applied twice: you turned the logits into probabilities, then treated those as "
                "logits again. Apply the softmax (inside the log-sum-exp) once, to the logits."),
    ),
    hint="print each piece of your computation for this input and compare it with step 2 of the chapter's "
         "derivation and the section Numerical stability: which terms make up the loss, and is each one "
         "computed in full?",
    nonfinite_hint="on these logits an exp overflows (e^710 is already inf in float64), or a probability "
                   "rounds to 0 and its log is -inf, although the true probability is not 0 and the loss is "
                   "finite. Stay with the logits: subtract the largest logit before any exp, and never take "
                   "the log of a computed softmax.",
))

# -- A perfect prediction that still costs (find the bug) ----------------------


def _prob_cases() -> list[Case]:
    rng = np.random.default_rng(5)
    q = rng.dirichlet(np.ones(4))
    return [
        Case(name="a random prediction", args=(q, int(np.argmin(q)))),
        Case(name="a perfect prediction", args=(np.array([0.0, 1.0, 0.0]), 1)),
        Case(name="a confidently wrong prediction", args=(np.array([0.98, 0.01, 0.01]), 2)),
        Case(name="one class", args=(np.array([1.0]), 0)),
        Case(name="a uniform prediction", args=(np.full(5, 0.2), 4)),
    ]


def _sum_of_all_logs(q) -> float:
    """-sum_k ln q_k over every class (a mistake's value; inf where some q_k is 0)."""
    with np.errstate(divide="ignore"):
        return float(-np.sum(np.log(np.asarray(q, dtype=float))))


def _prob_ref(q, y) -> float:
    q = np.asarray(q, dtype=float)
    return float(xl.cross_entropy(one_hot_row(int(y), q.size), q))


register_exercise(Exercise(
    id="perfect-prediction-loss", chapter=CHAPTER, style="find-the-bug", title="A perfect prediction that still costs",
    asks="loss_from_probabilities(q, y): the cross-entropy loss of one example, in nats, from the model's "
         "probabilities q (a 1-D array that sums to 1) and the true class y (an int)", unit="nats",
    data=lambda: {"cases": [c.args for c in _prob_cases()]},
    reference=lambda *args: _prob_ref(*args),     # (q, y) of a case
    cases=_prob_cases,
    mistakes=(
        Mistake(name="softmax-twice", value=lambda q, y: float(-_log_softmax_np(q)[y]),
                hint="that is the bug itself: q already holds probabilities (the model's last layer is a "
                "softmax), and the code applies a second softmax to them, which squashes them towards "
                "uniform. The loss takes the log of the model's probabilities as they are."),
        Mistake(name="bits-not-nats", value=lambda q, y: float(-np.log2(q[y])),
                hint="that is in bits (log base 2); the loss uses the natural log: nats."),
        Mistake(name="missing-minus", value=lambda q, y: float(np.log(q[y])),
                hint="mind the minus sign: ln q[y] is negative (or 0); the loss is minus it."),
        Mistake(name="predicted-label", value=lambda q, y: float(-np.log(np.max(q))),
                hint="that is -ln of the probability of the label the model picks (the largest q). The loss "
                "uses the probability of the true class y, whatever the model picks."),
        Mistake(name="missing-probability", value=lambda q, y: float(1.0 - q[y]),
                hint="that is 1 - q[y], the probability the model gives the other classes: it is 0 for a "
                "perfect prediction, but it is not a loss in nats. The cross-entropy takes a log."),
        Mistake(name="all-classes", value=lambda q, y: _sum_of_all_logs(q),
                hint="that adds -ln q over every class. The target P is one-hot: in -sum_k P_k ln q_k the "
                "classes with P_k = 0 drop out."),
    ),
    hint="run your function on the buggy cell's two inputs: a perfect prediction must cost 0 nats, and the "
         "loss must grow without bound as the true class's probability falls towards 0. Print the "
         "intermediate arrays to see where the numbers go wrong.",
    nonfinite_hint="a log of 0: some probabilities here are 0, ln 0 = -inf, and 0 * (-inf) is nan in NumPy. "
                   "Which terms of -sum_k P_k ln q_k does a one-hot target keep?",
))

# -- Cross-entropy versus squared error (problem) ------------------------------
BCE_LOGIT = -4.0

BCE_LABEL = 1.0


def _bce_grad() -> float:
    _, g = xl.sigmoid_binary_cross_entropy(np.array([BCE_LOGIT]), np.array([BCE_LABEL]),
                                             return_grad=True)
    return float(np.asarray(g).reshape(-1)[0])


def _mse_grad() -> float:
    s = xl.sigmoid(BCE_LOGIT)
    return 2 * (s - BCE_LABEL) * s * (1 - s)        # d/dz (sigmoid(z) - y)^2


register_exercise(Exercise(
    id="bce-vs-mse", chapter=CHAPTER, style="problem", title="Cross-entropy versus squared error on a sigmoid",
    asks="dL/dz of the binary cross-entropy (nats) at logit z = -4 with label y = 1", unit="",
    data=lambda: {"logit": BCE_LOGIT, "label": BCE_LABEL},
    reference=_bce_grad,
    mistakes=(
        Mistake(name="sign", value=lambda: -_bce_grad(),
                hint="sign of the gradient: dL/dz = sigmoid(z) - y, negative here because the "
                "prediction is too small; gradient descent then increases z."),
        Mistake(name="mse", value=_mse_grad,
                hint="that is the gradient of the squared error (sigmoid(z) - y)²: tiny, because "
                "sigmoid'(z) is tiny when the sigmoid saturates. With cross-entropy that factor cancels."),
        Mistake(name="half-mse", value=lambda: _mse_grad() / 2,
                hint="that is the gradient of ½(sigmoid(z) - y)² (squared error), not of the "
                "cross-entropy; with cross-entropy sigmoid'(z) cancels."),
        Mistake(name="bits-not-nats", value=lambda: _bce_grad() / NATS_PER_BIT, unit="bits per unit logit",
                hint="that is the slope of the loss in bits (log base 2); the binary cross-entropy of the "
                "chapter, and of this exercise, uses the natural log: nats per unit logit."),
        Mistake(name="prediction", value=lambda: float(xl.sigmoid(BCE_LOGIT)), unit="probability",
                hint="that is the model's probability sigmoid(z) itself, not the slope of the loss: "
                "the slope also involves the label y."),
        Mistake(name="loss", value=lambda: float(xl.sigmoid_binary_cross_entropy(np.array([BCE_LOGIT]),
                                                                                   np.array([BCE_LABEL]))),
                unit="nats",
                hint="that is the loss itself, not its slope dL/dz: use the chapter's formula for the "
                "gradient of the binary cross-entropy with respect to the logit."),
    ),
))

# =============================================================================
# 4. Softmax temperature
# =============================================================================

CLASSES = ["class 1 (target)", "class 2", "class 3"]


def softmax_compute(z1: float, z2: float, T: float) -> dict:
    """Softmax of (z1, z2, 0) at temperature T; cross-entropy loss (target class 1) and its gradient
    with respect to the logits, d loss / dz = (softmax(z/T) - onehot) / T."""
    z = np.array([z1, z2, 0.0])
    probs = xl.softmax(z, temperature=T)
    loss, g = xl.softmax_cross_entropy((z / T)[None, :], np.array([0]), return_grad=True)
    return {"z": z, "T": float(T), "probs": probs, "loss_nats": float(loss), "grad": np.asarray(g)[0] / T}


def softmax_readout(s):
    p, g = s["probs"], s["grad"]
    return (f"T = {s['T']:.2f}: Q = ({p[0]:.3f}, {p[1]:.3f}, {p[2]:.3f}); loss = {s['loss_nats']:.3f} nats "
            f"= {s['loss_nats'] / NATS_PER_BIT:.3f} bits; ∂loss/∂z = ({num(g[0])}, {num(g[1])}, {num(g[2])}) "
            "nats per logit unit")


def softmax_plotly(s):
    dom = [[0, 0.26], [0.37, 0.5], [0.62, 1.0]]
    return {
        "data": softmax_plotly_frame(s),
        "layout": layout(
            showlegend=False,
            xaxis={**axis("class"), "domain": dom[0], "type": "category"}, yaxis=axis("probability softmax(z/T)", (0, 1.05)),
            xaxis2={**axis(""), "domain": dom[1], "anchor": "y2", "type": "category"}, yaxis2={**axis("loss [nats]", (0, 12.5)),
                                                                            "anchor": "x2"},
            xaxis3={**axis("class"), "domain": dom[2], "anchor": "y3", "type": "category"},
            yaxis3={**axis("∂loss/∂z [nats per logit unit]", (-2.05, 2.05)), "anchor": "x3"},
            margin={"l": 60, "r": 20, "t": 20, "b": 60}),
    }


def softmax_plotly_frame(s):
    short = ["1 (target)", "2", "3"]
    return [
        {"type": "bar", "x": short, "y": rounded(s["probs"]), "marker": {"color": [C["blue"], C["orange"], C["green"]]},
         "xaxis": "x", "yaxis": "y", "name": "probability"},
        {"type": "bar", "x": ["loss"], "y": [round(s["loss_nats"], 4)], "marker": {"color": C["vermillion"]},
         "xaxis": "x2", "yaxis": "y2", "name": "loss", "text": [f"{s['loss_nats']:.2f}"], "textposition": "outside"},
        {"type": "bar", "x": short, "y": rounded(s["grad"]), "marker": {"color": [C["blue"], C["orange"], C["green"]]},
         "xaxis": "x3", "yaxis": "y3", "name": "gradient"},
    ]


def softmax_mpl_init(fig, s):
    ax1, ax2, ax3 = fig.subplots(1, 3, width_ratios=[2, 0.8, 2])
    cols = [C["blue"], C["orange"], C["green"]]
    x = np.arange(3)
    short = ["1 (target)", "2", "3"]
    bp = ax1.bar(x, s["probs"], color=cols)
    ax1.set(xticks=x, xticklabels=short, ylim=(0, 1.05), ylabel="probability softmax(z/T)", xlabel="class")
    bl = ax2.bar([0], [s["loss_nats"]], color=C["vermillion"])
    ax2.set(xticks=[0], xticklabels=["loss"], ylim=(0, 12.5), ylabel="loss [nats]")
    bg = ax3.bar(x, s["grad"], color=cols)
    ax3.axhline(0, color="black", lw=0.8)
    ax3.set(xticks=x, xticklabels=short, ylim=(-2.05, 2.05), ylabel="∂loss/∂z [nats per logit unit]",
            xlabel="class")
    return {"bp": bp, "bl": bl, "bg": bg}


def softmax_mpl_update(h, s):
    for r, v in zip(h["bp"], s["probs"], strict=False):
        r.set_height(v)
    h["bl"][0].set_height(s["loss_nats"])
    for r, v in zip(h["bg"], s["grad"], strict=False):
        r.set_height(v)


SOFTMAX = register_explorer(Explorer(
    id="softmax",
    chapter=CHAPTER,
    title="Softmax temperature: probabilities, loss and gradient",
    params=(Param.linear("z1", "z1 = logit of class 1, the target [logit units]", -2.0, 2.0, 0.5, 1.0,
                         fmt="{:+.1f}", symbol="z1"),
            Param.linear("z2", "z2 = logit of class 2 [logit units] (z3 = 0)", -2.0, 2.0, 0.5, 0.0,
                         fmt="{:+.1f}", symbol="z2"),
            Param("T", "T = temperature [no unit]", (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0), 1.0,
                  symbol="T")),
    compute=softmax_compute, readout=softmax_readout,
    plotly_base=softmax_plotly, plotly_frame=softmax_plotly_frame, frame_traces=(0, 1, 2),
    mpl_init=softmax_mpl_init, mpl_update=softmax_mpl_update,
    hint="Raise T to flatten the probabilities, lower it to sharpen them. The gradient with respect to the "
         "logits is Q − P (prediction minus target) divided by T: its entries always sum to 0, and the "
         "target's entry is the only negative one.",
    alt="Three bar charts: the softmax probabilities of three classes, the cross-entropy loss in nats, "
        "and the gradient of the loss with respect to each logit.",
    height=400, figsize=(8.0, 3.2),
))
# =============================================================================
# 6. Label smoothing and focal loss
# =============================================================================

N_CLASSES = 3
PT_GRID = np.round(np.linspace(0.02, 0.98, 49), 4)
PT_MARK = 0.9


def _logits_for(pt):
    """Logits (m, 0, 0) whose softmax gives the target class probability pt."""
    pt = np.asarray(pt, dtype=float)
    m = np.log(pt * (N_CLASSES - 1) / (1 - pt))
    z = np.zeros(pt.shape + (N_CLASSES,))
    z[..., 0] = m
    return z


def smoothing_compute(eps: float, gamma: float) -> dict:
    """Loss (nats) and d loss / d z_target along p_t for plain cross-entropy, label smoothing eps and
    focal loss gamma (three classes, target class 1, logits (m, 0, 0))."""
    pts = np.append(PT_GRID, PT_MARK)
    z = _logits_for(pts)
    t = np.zeros(len(pts), dtype=int)
    ce, g_ce = xl.softmax_cross_entropy(z, t, reduction="none", return_grad=True)
    ls, g_ls = xl.softmax_cross_entropy(z, t, label_smoothing=eps, reduction="none", return_grad=True)
    fl, g_fl = xl.focal_loss(z, t, gamma=gamma, reduction="none", return_grad=True)
    return {"eps": float(eps), "gamma": float(gamma), "pt": PT_GRID,
            "ce": ce[:-1], "ls": ls[:-1], "focal": fl[:-1],
            "g_ce": g_ce[:-1, 0], "g_ls": g_ls[:-1, 0], "g_focal": g_fl[:-1, 0],
            "mark": {"ce": float(ce[-1]), "ls": float(ls[-1]), "focal": float(fl[-1]),
                     "g_ce": float(g_ce[-1, 0]), "g_ls": float(g_ls[-1, 0]), "g_focal": float(g_fl[-1, 0])}}


def smoothing_readout(s):
    m = s["mark"]
    return (f"at p_t = {PT_MARK}: cross-entropy {m['ce']:.3f} nats (gradient {num(m['g_ce'])}); "
            f"label smoothing ε = {s['eps']:.2f}: {m['ls']:.3f} nats (gradient {num(m['g_ls'], '+.3f')}); "
            f"focal γ = {s['gamma']:.1f}: {m['focal']:.3f} nats (gradient {num(m['g_focal'])}); "
            "gradients in nats per logit unit")


SM_STYLE = {"ce": (GREY, "dash", "cross-entropy"), "ls": (C["orange"], "solid", "label smoothing (ε)"),
            "focal": (C["blue"], "dot", "focal loss (γ)")}


def smoothing_plotly(s):
    return {
        "data": smoothing_plotly_frame(s),
        "layout": layout(
            xaxis={**axis("p_t = Q(target class) [probability]", (0, 1)), "domain": [0, 0.45]},
            yaxis=axis("loss [nats]", (0, 4.0)),
            xaxis2={**axis("p_t = Q(target class) [probability]", (0, 1)), "domain": [0.57, 1.0],
                    "anchor": "y2"},
            yaxis2={**axis("∂loss/∂z_target [nats per logit unit]", (-1.3, 0.3)), "anchor": "x2"},
            margin={"l": 65, "r": 20, "t": 20, "b": 100}),
    }


def smoothing_plotly_frame(s):
    out = []
    for key, (colour, dash, label) in SM_STYLE.items():
        out.append({"type": "scatter", "mode": "lines", "x": rounded(s["pt"]), "y": rounded(s[key], 4),
                    "name": label, "line": {"color": colour, "dash": dash, "width": 2.5},
                    "xaxis": "x", "yaxis": "y", "legendgroup": key})
    for key, (colour, dash, label) in SM_STYLE.items():
        out.append({"type": "scatter", "mode": "lines", "x": rounded(s["pt"]), "y": rounded(s["g_" + key], 4),
                    "name": label, "line": {"color": colour, "dash": dash, "width": 2.5}, "showlegend": False,
                    "xaxis": "x2", "yaxis": "y2", "legendgroup": key})
    return out


def smoothing_mpl_init(fig, s):
    ax1, ax2 = fig.subplots(1, 2)
    h = {}
    ls_map = {"dash": "--", "solid": "-", "dot": ":"}
    for key, (colour, dash, label) in SM_STYLE.items():
        h[key], = ax1.plot(s["pt"], s[key], ls=ls_map[dash], color=colour, lw=2.2, label=label)
        h["g_" + key], = ax2.plot(s["pt"], s["g_" + key], ls=ls_map[dash], color=colour, lw=2.2, label=label)
    ax1.set(xlim=(0, 1), ylim=(0, 4), xlabel="p_t = Q(target class) [probability]", ylabel="loss [nats]")
    ax2.set(xlim=(0, 1), ylim=(-1.3, 0.3), xlabel="p_t = Q(target class) [probability]",
            ylabel="∂loss/∂z_target [nats per logit unit]")
    ax1.legend(loc="upper right", fontsize=8)
    return h


def smoothing_mpl_update(h, s):
    for key in SM_STYLE:
        h[key].set_ydata(s[key])
        h["g_" + key].set_ydata(s["g_" + key])


SMOOTHING = register_explorer(Explorer(
    id="smoothing",
    chapter=CHAPTER,
    title="Label smoothing and focal loss: loss and gradient",
    params=(Param.linear("eps", "ε = label smoothing [probability]", 0.0, 0.3, 0.05, 0.1, symbol="ε"),
            Param.linear("gamma", "γ = focal-loss focusing parameter [no unit]", 0.0, 5.0, 0.5, 2.0,
                         fmt="{:.1f}", symbol="γ")),
    compute=smoothing_compute, readout=smoothing_readout,
    plotly_base=smoothing_plotly, plotly_frame=smoothing_plotly_frame, frame_traces=(0, 1, 2, 3, 4, 5),
    mpl_init=smoothing_mpl_init, mpl_update=smoothing_mpl_update,
    hint="Here p_t is the probability the model gives the target class. "
         "With ε > 0 the loss stops decreasing before p_t = 1 and the gradient turns positive: the model is "
         "pushed away from full confidence. With γ > 0 the focal loss and its gradient vanish for examples "
         "that are already well classified (p_t near 1). ε = 0 and γ = 0 give plain cross-entropy.",
    alt="Left: loss in nats against the predicted probability of the target class, for cross-entropy, "
        "label smoothing and focal loss. Right: the gradient with respect to the target logit.",
    height=430, figsize=(8.0, 3.4),
))


# =============================================================================
# Self-checks (selfcheck.show("id") under "Check yourself"; see selfcheck.py)
# =============================================================================
from . import selfcheck as _sc  # noqa: E402

_sc.register_selfcheck(_sc.SelfCheck(
    id="gradient-wrt-logits", chapter=CHAPTER,
    question="A softmax turns the logits $z$ into $Q$; the target is $P$. What is the gradient of the "
             "cross-entropy loss with respect to $z$?",
    options=(
        _sc.Option("$Q - P$", True,
                   "Prediction minus target: zero only when $Q = P$, and each logit moves against its own "
                   "error."),
        _sc.Option("$P - Q$", False,
                   "Wrong sign: $P - Q$ points downhill, the direction of the *update*. The gradient points "
                   "uphill, and gradient descent subtracts it."),
        _sc.Option("$-P / Q$", False,
                   "That is the gradient with respect to the probabilities $Q$, not the logits; the chain "
                   "rule through the softmax turns it into something simpler."),
        _sc.Option("$Q(1 - Q)$", False,
                   "That is the slope of the sigmoid itself (for a softmax, the slope of each $Q_k$ with "
                   "respect to its own logit), not of the loss, and it does not depend on the target at all."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="loss-of-one-example", chapter=CHAPTER, kind="number",
    question="A model gives the true class of an example probability $0.25$. What is this example's "
             "cross-entropy loss $-\\ln Q_c$, in nats?",
    answer=float(-np.log(0.25)), tolerance=0.005, unit="nats",
    explanation="$-\\ln 0.25 = \\ln 4 \\approx 1.386$ nats: every library's loss uses the natural log.",
    mistakes=(
        _sc.Mistake(float(-np.log2(0.25)), "That is $-\\log_2 0.25$, in bits. The loss as used in "
                    "training takes $\\ln$: nats."),
        _sc.Mistake(float(np.log(0.25)), "Mind the minus sign: $\\ln 0.25 < 0$, and a loss is "
                    "$-\\ln Q_c \\ge 0$."),
        _sc.Mistake(float(-np.log10(0.25)), "That uses $\\log_{10}$. The loss takes the natural log $\\ln$."),
        _sc.Mistake(0.75, "That is $1 - Q_c$, the missing probability; the loss is $-\\ln Q_c$."),
        _sc.Mistake(float(1 / 0.25), "That is $1/Q_c$ itself; the loss takes its natural log, "
                    "$\\ln(1/Q_c) = -\\ln Q_c$."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="softmax-overflow", chapter=CHAPTER,
    question="In float64, what does the naive formula $e^{z_k} / \\sum_j e^{z_j}$ return for the logits "
             "$z = (1000, 999)$?",
    options=(
        _sc.Option("(0.731, 0.269)", False,
                   "That is the true softmax, which the stable softmax (subtract the largest logit "
                   "before taking exp) returns. The naive formula never gets there: $e^{1000}$ overflows."),
        _sc.Option("(1, 0)", False,
                   "Not rounding: the two logits differ by only 1. $e^{1000}$ is above the float64 limit "
                   "(about $e^{709}$), so it is infinite."),
        _sc.Option("nan, nan", True,
                   "$e^{1000}$ overflows to $\\infty$, and $\\infty / \\infty$ is nan. Subtracting the "
                   "largest logit first, as the safe log-sum-exp does, gives the softmax without overflow."),
    ),
))
