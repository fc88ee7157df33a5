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

import numpy as np

import xentlib

from .registry import Claim, Evidence, register

CHAPTER = "03_loss_and_gradient"


def _fmt(v, digits: int = 4) -> str:
    """A vector as ``[a, b, c]`` with fixed decimals (stable across platforms)."""
    v = np.atleast_1d(np.asarray(v, dtype=float))
    return "[" + ", ".join(f"{x:.{digits}f}" for x in v) + "]"


def _sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


def _dirichlet(rng, k):
    return rng.dirichlet(np.ones(k))


# ---------------------------------------------------------------------------
# §3.1 The cross-entropy loss
# ---------------------------------------------------------------------------

def _purpose_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 8))
    p, q = _dirichlet(rng, k), _dirichlet(rng, k)
    l_pq = float(xentlib.cross_entropy(p, q))
    l_pp = float(xentlib.cross_entropy(p, p))
    kl = float(np.sum(p * (np.log(p) - np.log(q))))          # KL written out, independent of xentlib
    h = float(-np.sum(p * np.log(p)))
    return l_pq >= l_pp - 1e-12 and abs(l_pp - h) < 1e-9 and abs((l_pq - l_pp) - kl) < 1e-9


def _purpose_evidence() -> Evidence:
    p = np.array([0.7, 0.2, 0.1])
    qs = {"Q = P": p, "Q = (0.5, 0.3, 0.2)": np.array([0.5, 0.3, 0.2]),
          "Q = uniform": np.full(3, 1 / 3), "Q = (0.1, 0.2, 0.7)": np.array([0.1, 0.2, 0.7])}
    vals = {k: float(xentlib.cross_entropy(p, q)) for k, q in qs.items()}
    h = float(xentlib.entropy(p))
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
    correct="Yes, with one precision: cross-entropy compares a predicted *distribution* $Q$ with a "
            "target distribution $P$. For fixed $P$ it is smallest exactly at $Q = P$, where it equals "
            "$H(P)$ (zero only for a one-hot target). The 'difference' itself is "
            "$\\mathrm{KL}(P\\,\\|\\,Q) = L(P,Q) - H(P) \\ge 0$ (Gibbs' inequality).",
    evidence=_purpose_evidence,
    random_check=_purpose_check,
    note="For a one-hot target the minimum is 0, at $Q = P$; a softmax model reaches it only in the "
         "limit $Q_c \\to 1$ (logits going to infinity). The check draws random $P, Q$ with 2-7 classes and tests "
         "$L(P,Q) \\ge L(P,P) = H(P)$ and $L(P,Q) - H(P) = \\mathrm{KL}(P\\|Q)$.",
))


def _formula_check(rng: np.random.Generator) -> bool:
    k = int(rng.integers(2, 9))
    z = rng.normal(scale=2.0, size=k)
    p = _dirichlet(rng, k)
    zs = z - z.max()
    logq = zs - np.log(np.exp(zs).sum())                      # log-softmax written out
    direct = float(-np.sum(p * logq))                         # the source's formula, natural log
    c = int(rng.integers(k))
    ok = abs(float(xentlib.cross_entropy(p, np.exp(logq))) - direct) < 1e-9
    ok &= abs(float(xentlib.softmax_cross_entropy(z[None, :], p[None, :])) - direct) < 1e-9
    # one-hot target: the sum keeps one term, -log Q(y_true)
    ok &= abs(float(xentlib.softmax_cross_entropy(z[None, :], np.array([c]))) + logq[c]) < 1e-9
    return bool(ok)


def _formula_evidence() -> Evidence:
    z = np.array([2.0, 1.0, 0.1])
    q = xentlib.softmax(z)
    p_soft = np.array([0.7, 0.2, 0.1])
    p_hot = np.array([1.0, 0.0, 0.0])
    l_soft = float(xentlib.cross_entropy(p_soft, q))
    l_hot = float(xentlib.cross_entropy(p_hot, q))
    l_idx = float(xentlib.softmax_cross_entropy(z[None, :], np.array([0])))
    text = (f"logits z = {_fmt(z, 1)}, Q = softmax(z) = {_fmt(q)}\n"
            f"  soft target P = {_fmt(p_soft, 1)}: L(P, Q) = {l_soft:.4f} nats\n"
            f"  one-hot target (class 0): L = {l_hot:.4f} nats = -ln Q(class 0) = {-np.log(q[0]):.4f} nats\n"
            f"  softmax_cross_entropy(z, class 0) = {l_idx:.4f} nats (from the logits)")
    return Evidence(text, {"l_soft": l_soft, "l_hot": l_hot, "l_idx": l_idx, "q": q})


register(Claim(
    id="loss-formula",
    section="3.1",
    chapter=CHAPTER,
    source_zh="给定一个真实概率分布 $P$ 和一个预测概率分布 $Q$，交叉熵损失函数的定义为："
              "$$L(P, Q) = -\\sum_{i=1}^{n} P(y_i) \\log Q(y_i)$$"
              "其中，$P(y_i)$ 是真实标签的概率，$Q(y_i)$ 是预测标签的概率。",
    translation="Given a true distribution $P$ and a predicted distribution $Q$, the cross-entropy loss is "
                "$L(P,Q) = -\\sum_{i=1}^{n} P(y_i)\\log Q(y_i)$, where $P(y_i)$ is the probability of the "
                "true label and $Q(y_i)$ the predicted probability.",
    verdict="correct",
    correct="Correct for **one example**, with the sum running over the $n$ *classes* $y_1,\\dots,y_n$: "
            "$P(y_i)$ is the target probability of class $y_i$ and $Q(y_i)$ the predicted one. "
            "For a one-hot target (true class $c$) the sum keeps one term, $L = -\\log Q(y_c)$. "
            "Over a data set the per-example losses are averaged.",
    evidence=_formula_evidence,
    random_check=_formula_check,
    note="The letters $i$ and $n$ are reused in the next formula for *samples*; see "
         "`loss-binary-notation`. The value depends on the base of the log (see `loss-unit-bits`).",
))


def _unit_evidence() -> Evidence:
    logits = np.zeros((1, 2))                                 # Q = (0.5, 0.5)
    target = np.array([0])
    lib = float(xentlib.softmax_cross_entropy(logits, target))
    bits = float(xentlib.cross_entropy(np.array([1.0, 0.0]), xentlib.softmax(logits[0]), base=2))
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
    correct="The unit is set by the base of the logarithm: $\\log_2$ gives **bits**, $\\ln$ gives **nats** "
            "($1\\ \\text{nat} = 1/\\ln 2 \\approx 1.443$ bits). Deep-learning libraries, including the "
            "`tf.keras` loss used in the source's own §4, use $\\ln$: the loss they report is in **nats**.",
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
    bce_good = float(xentlib.binary_cross_entropy(y, good))
    bce_ones = float(xentlib.binary_cross_entropy(y, ones))
    lit_good, lit_ones = _binary_literal(y, good), _binary_literal(y, ones)
    y100 = np.tile(y, 100)
    good100 = np.tile(good, 100)
    sum4 = float(xentlib.binary_cross_entropy(y, good, reduction="sum"))
    sum400 = float(xentlib.binary_cross_entropy(y100, good100, reduction="sum"))
    mean400 = float(xentlib.binary_cross_entropy(y100, good100))
    text = ("labels y = (1, 0, 1, 0)\n"
            "model A: q = P(y=1|x) = (0.9, 0.1, 0.8, 0.2)   (right every time)\n"
            "model B: q = P(y=1|x) = (0.9, 0.9, 0.9, 0.9)   (always says class 1)\n"
            f"  correct mean BCE:  A {bce_good:.4f} nats,  B {bce_ones:.4f} nats  -> A is better\n"
            f"  source read literally, Q(y_i) = prob. of the observed label:\n"
            f"                     A {lit_good:.4f} nats,  B {lit_ones:.4f} nats  -> prefers B\n"
            f"sum vs mean for model A: sum over the 4 samples {sum4:.4f} nats,\n"
            f"  over the same data repeated 100 times {sum400:.4f} nats;\n"
            f"  the mean stays {mean400:.4f} nats")
    return Evidence(text, {"bce_good": bce_good, "bce_ones": bce_ones, "literal_good": lit_good,
                           "literal_ones": lit_ones, "sum4": sum4, "sum400": sum400, "mean400": mean400})


register(Claim(
    id="loss-binary-notation",
    section="3.1",
    chapter=CHAPTER,
    source_zh="在二分类问题中，我们可以简化交叉熵损失函数为："
              "$$L(P, Q) = -\\sum_{i=1}^{n} [y_i \\log Q(y_i) + (1 - y_i) \\log (1 - Q(y_i))]$$"
              "其中，$y_i$ 是真实标签，$Q(y_i)$ 是预测概率。",
    translation="For binary classification the loss simplifies to "
                "$L(P,Q) = -\\sum_{i=1}^{n}[y_i\\log Q(y_i) + (1-y_i)\\log(1-Q(y_i))]$, where $y_i$ is the "
                "true label and $Q(y_i)$ the predicted probability.",
    verdict="ill-posed",
    correct="For $n$ samples with labels $y_i\\in\\{0,1\\}$ and predicted probabilities "
            "$q_i = Q(y{=}1\\mid x_i)$, the binary cross-entropy is "
            "$$L = -\\frac{1}{n}\\sum_{i=1}^{n}\\big[y_i\\log q_i + (1-y_i)\\log(1-q_i)\\big]\\ \\text{nats}.$$ "
            "Here $i$ indexes **samples** (in the formula above it indexed classes), so it is not "
            "$L(P,Q)$ of one pair of distributions; $q_i$ is the probability of **class 1**, not "
            "'the probability of $y_i$' (read that way the formula rewards wrong answers); and "
            "libraries take the **mean**, so the value does not grow with the number of samples. "
            "Per sample it is the two-class case of $L(P,Q)$ with $P=(1-y_i,\\,y_i)$, $Q=(1-q_i,\\,q_i)$.",
    evidence=_binary_evidence,
    source_holds=lambda ev: ev.values["literal_good"] < ev.values["literal_ones"],
    note="With a sum instead of a mean the loss, and its gradient, scale with the batch size, "
         "which silently changes the effective learning rate.",
))

# ---------------------------------------------------------------------------
# §3.2 Gradient descent
# ---------------------------------------------------------------------------


def _gd_check(rng: np.random.Generator) -> bool:
    n, k = int(rng.integers(1, 6)), int(rng.integers(2, 7))
    z = rng.normal(scale=2.0, size=(n, k))
    y = rng.integers(k, size=n)
    loss, grad = xentlib.softmax_cross_entropy(z, y, return_grad=True)
    # independent reference gradient: (softmax - one-hot) / n, written out
    e = np.exp(z - z.max(axis=1, keepdims=True))
    ref = (e / e.sum(axis=1, keepdims=True) - np.eye(k)[y]) / n
    new = float(xentlib.softmax_cross_entropy(z - 0.5 * grad, y))
    return bool(np.allclose(grad, ref, atol=1e-10) and new < float(loss))


def _gd_evidence() -> Evidence:
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 3))
    y = np.array([0, 1, 2, 1])
    losses = []
    for _ in range(6):
        loss, grad = xentlib.softmax_cross_entropy(z, y, return_grad=True)
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
    correct="Yes. For a small enough step $\\eta$, $\\theta \\leftarrow \\theta - \\eta\\,\\nabla_\\theta L$ "
            "decreases the loss whenever the gradient is not zero (first-order Taylor expansion: "
            "$L(\\theta - \\eta g) \\approx L(\\theta) - \\eta\\|g\\|^2$). For softmax cross-entropy the "
            "curvature with respect to the logits is at most $1/2$, so any $\\eta < 4$ on the mean loss "
            "of one example is safe.",
    evidence=_gd_evidence,
    random_check=_gd_check,
    note="Only a *small* step is guaranteed to help (see the sign and learning-rate boxes). The check "
         "draws random logits (1-5 examples, 2-6 classes): xentlib's gradient equals "
         "(softmax − one-hot)/n written out independently, and one step with $\\eta = 0.5$ lowers the loss.",
))


def _grad_multi_evidence() -> Evidence:
    p = np.array([0.1, 0.7, 0.2])
    z = np.array([1.0, 0.5, -0.5])
    q = xentlib.softmax(z)
    source_value = float(-np.sum(p / q))                      # the source's sum of d log Q / dQ terms
    grad_q = xentlib.numerical_gradient(lambda v: float(-np.sum(p * np.log(v))), q.copy())
    grad_z = xentlib.numerical_gradient(
        lambda v: float(xentlib.softmax_cross_entropy(v[None, :], p[None, :], reduction="sum")), z.copy())
    text = (f"P = {_fmt(p, 1)}, logits z = {_fmt(z, 1)}\n"
            f"Q = softmax(z) = {_fmt(q)}\n"
            f"source's formula -sum_i P_i / Q_i = {source_value:.4f} nats (one number)\n"
            f"true gradient w.r.t. Q (numerical, nats per unit probability):\n"
            f"  {_fmt(grad_q)}\n"
            f"  its components add up to {float(grad_q.sum()):.4f}: the source's number\n"
            f"  is the slope along (1, 1, 1), which leaves the simplex\n"
            f"gradient w.r.t. the logits (numerical, nats per unit logit):\n"
            f"  {_fmt(grad_z)}\n"
            f"Q - P =\n  {_fmt(q - p)}")
    return Evidence(text, {"source_value": source_value, "grad_q": grad_q, "grad_z": grad_z,
                           "q_minus_p": q - p})


register(Claim(
    id="loss-gradient-multiclass",
    section="3.2",
    chapter=CHAPTER,
    source_zh="给定一个损失函数 $L(P, Q)$，其梯度可以表示为："
              "$$\\nabla_Q L(P, Q) = -\\sum_{i=1}^{n} P(y_i) \\frac{\\partial \\log Q(y_i)}{\\partial Q(y_i)}$$",
    translation="Given the loss $L(P,Q)$, its gradient is "
                "$\\nabla_Q L(P,Q) = -\\sum_{i=1}^{n} P(y_i)\\,\\partial\\log Q(y_i)/\\partial Q(y_i)$.",
    verdict="ill-posed",
    correct="A gradient has one component per class, without a sum: "
            "$\\partial L/\\partial Q(y_i) = -P(y_i)/Q(y_i)$. The source's sum adds the components into "
            "one number, the slope along $(1,\\dots,1)$ — a direction that leaves the probability "
            "simplex. Training needs the gradient with respect to the **logits** $z$, $Q=\\mathrm{softmax}(z)$; "
            "the chain rule through the softmax gives $\\nabla_z L = Q - P$ (derived below).",
    evidence=_grad_multi_evidence,
    source_holds=lambda ev: bool(np.allclose(ev.values["grad_q"], ev.values["source_value"], atol=1e-4)),
))


def _grad_binary_evidence() -> Evidence:
    y = np.array([1.0, 0.0, 1.0])
    z = np.array([2.0, -1.0, -3.0])
    q = _sigmoid(z)

    def bce_sum_q(v):
        return float(-np.sum(y * np.log(v) + (1 - y) * np.log(1 - v)))

    source_value = float(np.sum(-y / q + (1 - y) / (1 - q)))
    grad_q = xentlib.numerical_gradient(bce_sum_q, q.copy())
    grad_z = xentlib.numerical_gradient(
        lambda v: float(xentlib.sigmoid_binary_cross_entropy(v, y, reduction="sum")), z.copy())
    text = (f"labels y = {_fmt(y, 0)}, logits z = {_fmt(z, 1)}\n"
            f"q = sigmoid(z) = {_fmt(q)}\n"
            f"source's formula (a sum over samples): {source_value:.4f} nats (one number)\n"
            f"gradient w.r.t. each q_i (numerical):  {_fmt(grad_q)} nats\n"
            f"gradient w.r.t. each z_i (numerical):  {_fmt(grad_z)} nats\n"
            f"q - y =                                {_fmt(q - y)}\n"
            f"sample 3 is confidently wrong (q = {q[2]:.4f}, y = 1):\n"
            f"  dL/dq = {grad_q[2]:.2f} nats, dL/dz = {grad_z[2]:.4f} nats (bounded by 1)")

    def figure():
        import matplotlib.pyplot as plt
        from xentlib import plotting

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
              "$$\\nabla_Q L(P, Q) = -\\sum_{i=1}^{n} [y_i \\frac{\\partial \\log Q(y_i)}{\\partial Q(y_i)} + "
              "(1 - y_i) \\frac{\\partial \\log (1 - Q(y_i))}{\\partial Q(y_i)}]$$",
    translation="For binary classification the gradient simplifies to "
                "$\\nabla_Q L = -\\sum_{i=1}^{n}[y_i\\,\\partial\\log Q(y_i)/\\partial Q(y_i) + "
                "(1-y_i)\\,\\partial\\log(1-Q(y_i))/\\partial Q(y_i)]$.",
    verdict="ill-posed",
    correct="Each sample has its own prediction $q_i$, so the gradient has one component per sample: "
            "$\\partial L/\\partial q_i = -\\dfrac{y_i}{q_i} + \\dfrac{1-y_i}{1-q_i}$ (for the summed loss; "
            "divide by $n$ for the mean). Summing over $i$ gives one meaningless number. With "
            "$q_i=\\sigma(z_i)$ the chain rule gives $\\partial L/\\partial z_i = q_i - y_i$: bounded by 1, "
            "while $\\partial L/\\partial q_i$ blows up like $1/q_i$ (for $y_i = 1$) or $1/(1-q_i)$ "
            "(for $y_i = 0$). The logit gradient is what is "
            "back-propagated into the parameters.",
    evidence=_grad_binary_evidence,
    source_holds=lambda ev: bool(np.allclose(ev.values["grad_q"], ev.values["source_value"], atol=1e-4)),
))

_UPDATE_ZH = "$$Q(y_i) = Q(y_i) + \\eta \\nabla_Q L(P, Q)$$其中，$\\eta$ 是学习率。"


def _update_sign_evidence() -> Evidence:
    z0 = np.array([[0.5, 0.0, -0.5]])
    y = np.array([0])
    eta, steps = 0.5, 20
    runs = {}
    for name, sign in (("source (+)", +1.0), ("descent (-)", -1.0)):
        z, losses = z0.copy(), []
        for _ in range(steps + 1):
            loss, grad = xentlib.softmax_cross_entropy(z, y, return_grad=True)
            losses.append(float(loss))
            z = z + sign * eta * grad
        runs[name] = losses
    up, down = runs["source (+)"], runs["descent (-)"]
    text = (f"one example, true class 0, logits {_fmt(z0[0], 1)}, eta = {eta};\n"
            f"grad = gradient of the loss w.r.t. the logits\n"
            f"source's rule     z <- z + eta*grad: loss {up[0]:.4f} -> {up[1]:.4f} nats\n"
            f"                  after {steps} steps: {up[-1]:.4f} nats\n"
            f"gradient descent  z <- z - eta*grad: loss {down[0]:.4f} -> {down[1]:.4f} nats\n"
            f"                  after {steps} steps: {down[-1]:.4f} nats")

    def figure():
        import matplotlib.pyplot as plt
        from xentlib import plotting

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
    translation="Update rule: $Q(y_i) \\leftarrow Q(y_i) + \\eta\\,\\nabla_Q L(P,Q)$, where $\\eta$ is the "
                "learning rate.",
    verdict="incorrect",
    correct="Gradient **descent** moves *against* the gradient: "
            "$\\theta \\leftarrow \\theta - \\eta\\,\\nabla_\\theta L$. With a '+' the rule is gradient "
            "**ascent**: every (small) step increases the loss.",
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
    lines = [f"P = one-hot class 0, Q = {_fmt(q0, 2)}, eta = {eta}; Q updated directly,",
             "dL/dQ = -P/Q component-wise"]
    for name, rows in traj.items():
        lines.append(f"{name}: Q <- Q {'+' if name == 'source' else '-'} eta * dL/dQ")
        for t in (0, 1, 2, steps):
            q, s, loss = rows[t]
            ls = "undefined (log < 0)" if np.isnan(loss) else f"{loss:.4f} nats"
            lines.append(f"  step {t}: Q = {_fmt(q)}, sum {s:.4f}, loss {ls}")
    src1 = traj["source"][1][0]
    fixed_last = traj["sign fixed"][-1][0]
    values = {"source_q1": src1, "fixed_q_last": fixed_last,
              "source_sums": [r[1] for r in traj["source"]],
              "fixed_sums": [r[1] for r in traj["sign fixed"]],
              "fixed_q0": [float(r[0][0]) for r in traj["sign fixed"]],
              "source_q0": [float(r[0][0]) for r in traj["source"]]}

    def figure():
        import matplotlib.pyplot as plt
        from xentlib import plotting

        plotting.use_course_style()
        fig, ax = plt.subplots()
        t = range(steps + 1)
        ax.axhspan(0, 1, color="0.85", alpha=0.5, label="allowed range of a probability")
        ax.plot(t, values["source_q0"], marker="o", markersize=4, label="Q(class 0), source's rule")
        ax.plot(t, values["fixed_q0"], marker="s", markersize=4, linestyle="--", label="Q(class 0), sign fixed")
        ax.plot(t, values["fixed_sums"], marker="^", markersize=4, linestyle=":", label="sum of Q, sign fixed")
        ax.set_xlabel("step [count]")
        ax.set_ylabel("probability [unitless]")
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
    source_zh="通过计算梯度，我们可以使用梯度下降法更新模型参数。" + _UPDATE_ZH,
    translation="With the gradient we update the model parameters by gradient descent: "
                "$Q(y_i) \\leftarrow Q(y_i) + \\eta\\,\\nabla_Q L(P,Q)$ — the rule updates the predicted "
                "probabilities themselves.",
    verdict="incorrect",
    correct="Gradient descent updates the model's **parameters** $\\theta$ (weights and biases), never "
            "the probabilities: $Q = \\mathrm{softmax}(z)$ with logits $z = f_\\theta(x)$ is an *output*. "
            "A step on $Q$ itself, with either sign, leaves the probability simplex: components leave "
            "$[0,1]$ and stop summing to 1, after which $\\log Q$ is undefined or the 'loss' drops "
            "below its minimum.",
    evidence=_update_prob_evidence,
    source_holds=lambda ev: _is_distribution(ev.values["source_q1"]),
    note="Even with the sign fixed the direct update fails (the evidence shows both).",
))


def _softreg_data():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, 2))
    w_true = np.array([[2.0, -1.0, -1.0], [0.0, 2.0, -2.0]])
    y = np.argmax(x @ w_true + rng.gumbel(size=(60, 3)), axis=1)
    return x, y


def softmax_regression_grad(x, y, w, b):
    """Mean cross-entropy of ``softmax(x @ w + b)`` and its gradients ``(dW, db)``, in nats."""
    loss, g = xentlib.softmax_cross_entropy(x @ w + b, y, return_grad=True)
    return float(loss), x.T @ g, g.sum(axis=0)


def _softreg_evidence() -> Evidence:
    x, y = _softreg_data()
    k = 3
    w, b = np.zeros((2, k)), np.zeros(k)
    loss0, dw, db = softmax_regression_grad(x, y, w, b)
    num_dw = xentlib.numerical_gradient(
        lambda v: float(xentlib.softmax_cross_entropy(x @ v + b, y)), w.copy())
    eta = 1.0
    for _ in range(100):
        loss, dw_, db_ = softmax_regression_grad(x, y, w, b)
        w, b = w - eta * dw_, b - eta * db_
    loss_end = softmax_regression_grad(x, y, w, b)[0]
    q = xentlib.softmax(x @ w + b)                            # the trained model's predictions
    onehot = np.eye(k)[y]
    q_src = q + 0.1 * (-onehot / q)                           # the source's rule applied to Q
    sums = q_src.sum(axis=1)
    text = (f"60 examples, 2 features, 3 classes; parameters W (2x3), b (3), start 0\n"
            f"dL/dW = X^T (Q - Y) / N vs the numerical gradient: max |diff| "
            f"{float(np.max(np.abs(dw - num_dw))):.0e}\n"
            f"100 steps W <- W - 1.0 dL/dW, b <- b - 1.0 dL/db:\n"
            f"  loss {loss0:.4f} nats (= ln 3) -> {loss_end:.4f} nats\n"
            f"the source's rule applied to the trained model's Q (eta = 0.1):\n"
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
    verdict="ill-posed",
    correct="'软max回归' half-translates *softmax regression* (Softmax 回归), i.e. multinomial logistic "
            "regression: $Q = \\mathrm{softmax}(XW + b)$. Its parameters are $W$ and $b$, and gradient "
            "descent updates them: $W \\leftarrow W - \\eta\\,X^\\top(Q - Y)/N$, "
            "$b \\leftarrow b - \\eta\\,\\overline{(Q - Y)}$, with $Y$ the one-hot labels.",
    evidence=_softreg_evidence,
    source_holds=lambda ev: all(_is_distribution(r) for r in ev.values["q_source"]),
))
