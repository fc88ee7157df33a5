"""Claims of source §2.2 (交叉熵, cross-entropy), shown in chapter ``02_cross_entropy``.

Every number is computed with xentlib's public functions at call time.
"""
from __future__ import annotations

from typing import Any

import numpy as np

import xentlib as xl
from xentlib import continuous, plotting
from xentlib.plotting import OKABE_ITO as C

from .claims import Claim, Evidence, random_distribution, register, tuple_text
from .exercises import Case, Exercise, Mistake
from .exercises import register as register_exercise
from .explorers import Explorer, Param, axis, layout, rounded
from .explorers import register as register_explorer

CHAPTER = "02_cross_entropy"


def _pair(rng: np.random.Generator):
    n = int(rng.integers(2, 9))
    return random_distribution(rng, n), random_distribution(rng, n, sparse=False)


# --- "extension of entropy" ---------------------------------------------------

def _ext_check(rng: np.random.Generator) -> bool:
    p = random_distribution(rng)
    return bool(np.isclose(float(xl.cross_entropy(p, p)), float(xl.entropy(p)), rtol=1e-12, atol=1e-14))


def _ext_evidence() -> Evidence:
    p = np.array([0.5, 0.25, 0.25])
    hpp = float(xl.cross_entropy(p, p, base=2))
    hp = float(xl.entropy(p, base=2))
    return Evidence(text=f"p = {tuple_text(p)}: H(P, P) = {hpp:.4f} bits = H(P) = {hp:.4f} bits",
                    values={"H_PP": hpp, "H_P": hp})


register(Claim(
    id="xent-extends-entropy",
    section="2.2",
    chapter=CHAPTER,
    source_zh="交叉熵（Cross Entropy）是信息熵的一种拓展",
    translation="Cross-entropy is an extension of entropy",
    verdict="correct",
    checks=r"the sentence: H(P, P) = H(P) on random distributions",
    correct=r"True: with $Q = P$ the cross-entropy gives back the entropy, $H(P, P) = H(P)$.",
    evidence=_ext_evidence,
    random_check=_ext_check,
    note=("The rest of the sentence, \"used to measure the difference between two distributions\", "
          "repeats the claim of §1, judged correct in the introduction: for a fixed $P$, $H(P, Q)$ is "
          "smallest at $Q = P$; the exact difference is "
          r"$D_{\mathrm{KL}}(P\,\|\,Q) = H(P, Q) - H(P)$."),
))


# --- definition ---------------------------------------------------------------

def _def_check(rng: np.random.Generator) -> bool:
    p, q = _pair(rng)
    m = p > 0
    direct = -np.sum(p[m] * np.log(q[m]))
    return bool(np.isclose(float(xl.cross_entropy(p, q)), direct, rtol=1e-12, atol=1e-14))


def _def_evidence() -> Evidence:
    p = np.array([0.5, 0.25, 0.25])
    q = np.array([0.25, 0.5, 0.25])
    h = float(xl.cross_entropy(p, q, base=2))
    return Evidence(text=f"P = {tuple_text(p)}, Q = {tuple_text(q)}: H(P, Q) = {h:.4f} bits "
                         f"= {float(xl.cross_entropy(p, q)):.4f} nats",
                    values={"H_bits": h})


register(Claim(
    id="xent-definition",
    section="2.2",
    chapter=CHAPTER,
    source_zh=("给定一个真实概率分布 $P$ 和一个估计概率分布 $Q$，交叉熵的定义为：\n\n"
               "$$\nH(P||Q) = -\\sum_{i=1}^{n} P(x_i) \\log Q(x_i)\n$$\n\n"
               "其中，$P(x_i)$ 是真实概率，$Q(x_i)$ 是估计概率。"),
    translation=("Given a true distribution $P$ and an estimated distribution $Q$, cross-entropy is "
                 r"$-\sum_{i=1}^{n} P(x_i) \log Q(x_i)$, where $P(x_i)$ is the true and $Q(x_i)$ the "
                 "estimated probability."),
    verdict="correct",
    checks=r"the formula: xentlib's cross-entropy equals -sum P log Q on random pairs",
    kin=r"cross-entropy-formula",
    correct=(r"The formula is right: the surprise $-\log Q(x_i)$ under the model, averaged with the "
             "true probabilities $P(x_i)$. (The name $H(P||Q)$ is judged in its own box.)"),
    evidence=_def_evidence,
    random_check=_def_check,
    note=(r"Conventions: a term with $P(x_i) = 0$ counts as 0 ($0 \log q = 0$), and a term with "
          r"$Q(x_i) = 0 < P(x_i)$ makes the sum $+\infty$."),
))


# --- notation H(P||Q) ------------------------------------------------------

def _notation_evidence() -> Evidence:
    p = np.array([0.5, 0.25, 0.25])
    q = np.array([0.25, 0.5, 0.25])
    h = float(xl.cross_entropy(p, q, base=2))
    kl = float(xl.kl_divergence(p, q, base=2))
    hp = float(xl.entropy(p, base=2))
    text = (f"P = {tuple_text(p)}, Q = {tuple_text(q)}\n"
            f"cross-entropy H(P, Q) = {h:.4f} bits\n"
            f"KL divergence D(P||Q) = {kl:.4f} bits (what 'P||Q' usually denotes)\n"
            f"difference = H(P) = {hp:.4f} bits")
    return Evidence(text=text, values={"H": h, "KL": kl, "H_P": hp})


register(Claim(
    id="xent-notation",
    section="2.2",
    chapter=CHAPTER,
    source_zh=r"$H(P||Q) = -\sum_{i=1}^{n} P(x_i) \log Q(x_i)$",
    translation="The notation $H(P||Q)$ for cross-entropy (used throughout §2.2).",
    verdict="ill-posed",
    reading=(r"the notation as a reader who knows the standard one reads it: H(P||Q), with the double bar "
             r"of the KL divergence D(P||Q), names the sum on the right"),
    kin=r"cross-entropy-formula",
    differs=(r"this box judges the left-hand side, the name H(P||Q) given to the quantity, while "
             r"`xent-definition` judges the right-hand side, the sum -Σ P log Q, which is right"),
    correct=(r"Cross-entropy is written $H(P, Q)$. The double bar belongs to the KL divergence "
             r"$D_{\mathrm{KL}}(P\,\|\,Q)$, a different number: $H(P, Q) = H(P) + D_{\mathrm{KL}}(P\,\|\,Q)$."),
    evidence=_notation_evidence,
    # Read with the standard meaning of '||', the formula would give the KL divergence.
    source_holds=lambda ev: bool(np.isclose(ev.values["H"], ev.values["KL"])),
))


# --- unit -------------------------------------------------------------------

def _unit_check(rng: np.random.Generator) -> bool:
    p, q = _pair(rng)
    m = p > 0
    in_bits = -np.sum(p[m] * np.log2(q[m]))
    return bool(np.isclose(float(xl.cross_entropy(p, q, base=2)), in_bits, rtol=1e-12, atol=1e-14)
                and np.isclose(in_bits, float(xl.cross_entropy(p, q)) / np.log(2), rtol=1e-12, atol=1e-14))


def _unit_evidence() -> Evidence:
    y = np.array([0.0, 1.0, 0.0])
    q = np.array([0.2, 0.7, 0.1])
    nats = float(xl.cross_entropy(y, q))
    bits = float(xl.cross_entropy(y, q, base=2))
    text = (f"P = {tuple_text(y)} (one-hot label), Q = {tuple_text(q)}\n"
            f"with ln (the loss as libraries compute it): H(P, Q) = {nats:.4f} nats\n"
            f"with log2:                                  H(P, Q) = {bits:.4f} bits")
    return Evidence(text=text, values={"nats": nats, "bits": bits})


register(Claim(
    id="xent-unit-bits",
    section="2.2",
    chapter=CHAPTER,
    source_zh="交叉熵的单位是比特（bit）。",
    translation="The unit of cross-entropy is the bit.",
    verdict="correct",
    checks=(r"the sentence with log = log2 (the information-theory convention): the formula then counts "
            r"bits, H(P, Q) in nats / ln 2, on random pairs"),
    kin=r"unit-is-bit",
    correct=(r"Correct: in information theory $\log$ means $\log_2$, and the sentence fixes that base. "
             r"With the natural log, as deep-learning libraries compute the loss, the unit is the nat."),
    evidence=_unit_evidence,
    random_check=_unit_check,
    note=(r"The formula itself leaves the base open; $1\ \text{nat} = 1/\ln 2 \approx 1.4427\ \text{bits}$. "
          "The loss of §3.1 is a different case: it is the loss the source then trains with its own "
          "Keras code (§4), which is in nats."),
))


# --- property 1: non-negativity ----------------------------------------------

def _nonneg_check(rng: np.random.Generator) -> bool:
    p, q = _pair(rng)
    return bool(float(xl.cross_entropy(p, q)) >= 0.0)


def _nonneg_evidence() -> Evidence:
    rng = np.random.default_rng(1)
    ps = rng.dirichlet(np.full(4, 0.5), size=1000)
    qs = rng.dirichlet(np.full(4, 0.5), size=1000)
    hmin = float(np.min(xl.cross_entropy(ps, qs, base=2)))
    hg = float(continuous.gaussian_cross_entropy(0.0, 0.05, 0.0, 0.1, base=2))
    text = (f"smallest H(P, Q) over 1000 random pairs on 4 outcomes: {hmin:.4f} bits (>= 0)\n"
            f"limit (densities): h(N(0, 0.05^2), N(0, 0.1^2)) = {hg:.4f} bits < 0")
    return Evidence(text=text, values={"hmin_bits": hmin, "h_gauss_bits": hg})


register(Claim(
    id="xent-nonnegativity",
    section="2.2",
    chapter=CHAPTER,
    source_zh=r"1. 非负性：$H(P||Q) \geq 0$",
    translation=r"1. Non-negativity: $H(P||Q) \geq 0$.",
    verdict="correct",
    checks=r"the sentence: H(P, Q) >= 0 on random discrete pairs",
    correct=(r"True for discrete distributions: every $Q(x_i) \le 1$, so every $-\log Q(x_i) \ge 0$. "
             r"More is true: $H(P, Q) \ge H(P) \ge 0$ (Gibbs' inequality)."),
    evidence=_nonneg_evidence,
    random_check=_nonneg_check,
    note=(r"**False for densities:** the differential cross-entropy $-\int p \log q$ is negative when "
          "$q$ is a narrow density (values above 1) where $p$ lives. What stays non-negative in every case "
          r"is the KL divergence $D_{\mathrm{KL}}(P\,\|\,Q)$."),
))


# --- property 2: zero cross-entropy ---------------------------------------------

def _zero_evidence() -> Evidence:
    cases = [
        ("P has a zero", np.array([0.5, 0.5, 0.0]), np.array([0.4, 0.4, 0.2])),
        ("Q has a zero", np.array([0.5, 0.5, 0.0]), np.array([1.0, 0.0, 0.0])),
        ("P certain and Q = P", np.array([1.0, 0.0, 0.0]), np.array([1.0, 0.0, 0.0])),
        ("disjoint supports", np.array([1.0, 0.0]), np.array([0.0, 1.0])),
    ]
    notes = ["(P(x_3) = 0, but H > 0)",
             "(Q(x_2) = 0 < P(x_2): H is infinite, not 0)",
             "(the only way to get 0: P certain and Q = P; yet P(x_1), Q(x_1) are both nonzero)",
             "(for every i, P(x_i) = 0 or Q(x_i) = 0, yet H is infinite, not 0)"]
    lines, vals = ["'some' = some P(x_i) or Q(x_i) is 0; 'every' = for every i, P(x_i) = 0 or Q(x_i) = 0"], []
    for (_name, p, q), note in zip(cases, notes, strict=True):
        with np.errstate(divide="ignore"):
            h = float(xl.cross_entropy(p, q, base=2))
        some = bool(np.any(p == 0) or np.any(q == 0))
        every = bool(np.all((p == 0) | (q == 0)))
        lines.append(f"P = {tuple_text(p)}, Q = {tuple_text(q)}: H(P, Q) = {h:.4f} bits  {note}")
        vals.append({"premise": some, "premise_every": every, "H_bits": h})
    return Evidence(text="\n".join(lines), values={"cases": vals})


def _zero_source_holds(ev: Evidence) -> bool:
    # "H = 0 iff P(x_i) = 0 or Q(x_i) = 0", with 或 read either way, on every case.
    def reading_holds(key: str) -> bool:
        return all(c[key] == bool(np.isclose(c["H_bits"], 0.0)) for c in ev.values["cases"])
    return reading_holds("premise") or reading_holds("premise_every")


register(Claim(
    id="xent-zero",
    section="2.2",
    chapter=CHAPTER,
    source_zh="2. 零交叉熵：$H(P||Q) = 0$ 当且仅当 $P(x_i) = 0$ 或 $Q(x_i) = 0$。",
    translation="2. Zero cross-entropy: $H(P||Q) = 0$ if and only if $P(x_i) = 0$ or $Q(x_i) = 0$.",
    verdict="incorrect",
    reading=r"either way of taking 或: 'some P(x_i) or Q(x_i) is 0' or 'for every i, P(x_i) = 0 or Q(x_i) = 0'",
    kin=r"zero-iff-or",
    differs=r"here both readings of 或 are false (a zero somewhere leaves H > 0; disjoint supports make H infinite), whereas `entropy-zero` names the true condition (a deterministic distribution) before its 即 clause",
    correct=(r"$H(P, Q) = 0$ only when one outcome is certain, $P(x_k) = 1$, and the model agrees, "
             r"$Q(x_k) = 1$. A zero in $Q$ where $P > 0$ makes it infinite, not zero."),
    evidence=_zero_evidence,
    source_holds=_zero_source_holds,
    note=(r"Why: $H(P, Q) \ge H(P) \ge 0$, with $H(P, Q) = H(P)$ only for $Q = P$ (Gibbs' inequality) "
          "and $H(P) = 0$ only for a certain outcome."),
))


# --- property 3: symmetry -----------------------------------------------------

def _sym_evidence() -> Evidence:
    p = np.array([0.8, 0.1, 0.1])
    q = np.array([1 / 3, 1 / 3, 1 / 3])
    hpq = float(xl.cross_entropy(p, q, base=2))
    hqp = float(xl.cross_entropy(q, p, base=2))

    def figure():
        import matplotlib.pyplot as plt

        plotting.use_course_style()
        qs = np.linspace(0.01, 0.99, 197)
        P = np.array([0.8, 0.2])
        Q = np.stack([qs, 1 - qs], axis=-1)
        fig, ax = plt.subplots()
        ax.plot(qs, xl.cross_entropy(P, Q, base=2), label="H(P, Q)  (P = data, Q = model)")
        ax.plot(qs, xl.cross_entropy(Q, P, base=2), "--", label="H(Q, P)  (arguments swapped)")
        ax.axvline(0.8, color=plotting.OKABE_ITO["black"], linewidth=1, linestyle=":")
        ax.annotate("Q = P", xy=(0.8, 0.6), xytext=(0.55, 0.3),
                    arrowprops={"arrowstyle": "->"})
        ax.set_xlabel("model probability of outcome 1, Q(x_1) [no unit]  (P(x_1) = 0.8)")
        ax.set_ylabel("cross-entropy [bits]")
        ax.set_ylim(0, 4)
        ax.set_title("Cross-entropy is not symmetric")
        ax.legend(loc="upper center")
        return fig

    text = (f"P = {tuple_text(np.round(p, 4))}, Q = (1/3, 1/3, 1/3)\n"
            f"H(P, Q) = {hpq:.4f} bits\n"
            f"H(Q, P) = {hqp:.4f} bits")
    return Evidence(text=text, values={"H_PQ": hpq, "H_QP": hqp}, figure=figure)


register(Claim(
    id="xent-symmetry",
    section="2.2",
    chapter=CHAPTER,
    source_zh="3. 对称性：$H(P||Q) = H(Q||P)$。",
    translation="3. Symmetry: $H(P||Q) = H(Q||P)$.",
    verdict="incorrect",
    reading=r"'H(P, Q) = H(Q, P) for all P, Q'",
    correct=(r"Not symmetric: in general $H(P, Q) \ne H(Q, P)$. $P$ weights the outcomes (the data), "
             "$Q$ is the model being scored. The KL divergence is not symmetric either."),
    note=("Some pairs do give equal values, e.g. $Q = P$ or the mirrored coins $P = (0.8, 0.2)$, "
          "$Q = (0.2, 0.8)$; a symmetry property would have to hold for every pair."),
    evidence=_sym_evidence,
    source_holds=lambda ev: bool(np.isclose(ev.values["H_PQ"], ev.values["H_QP"])),
))


# --- property 4: additivity -------------------------------------------------
# Read in the source's own notation, where H(A||B) is the cross-entropy H(A, B) (so H(P||P) = H(P)),
# with P the law of X and Q the law of Y and "P, Q" their joint law, P x Q for independent X and Y.

def _add_check(rng: np.random.Generator) -> bool:
    p, q = random_distribution(rng), random_distribution(rng)
    joint = np.outer(p, q).ravel()
    left = float(xl.cross_entropy(joint, joint))
    right = float(xl.cross_entropy(p, p)) + float(xl.cross_entropy(q, q))
    return bool(np.isclose(left, right, rtol=1e-12, atol=1e-12))


def _add_evidence() -> Evidence:
    p, q = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    joint = np.outer(p, q).ravel()
    left = float(xl.cross_entropy(joint, joint, base=2))
    right = float(xl.cross_entropy(p, p, base=2)) + float(xl.cross_entropy(q, q, base=2))
    # the general property, with models: data P1 x P2, model Q1 x Q2
    p1, q1, p2, q2 = p, np.array([0.9, 0.1]), q, np.array([0.5, 0.5])
    gen_left = float(xl.cross_entropy(np.outer(p1, p2).ravel(), np.outer(q1, q2).ravel(), base=2))
    gen_right = float(xl.cross_entropy(p1, q1, base=2)) + float(xl.cross_entropy(p2, q2, base=2))
    text = (f"X ~ P = {tuple_text(p)}, Y ~ Q = {tuple_text(q)}, independent: joint law P x Q\n"
            f"H(P x Q || P x Q) = {left:.4f} bits = H(P||P) + H(Q||Q) = {right:.4f} bits\n"
            f"general form, data P1 = {tuple_text(p1)}, P2 = {tuple_text(p2)}, "
            f"models Q1 = {tuple_text(q1)}, Q2 = {tuple_text(q2)}:\n"
            f"H(P1 x P2, Q1 x Q2) = {gen_left:.4f} bits = H(P1, Q1) + H(P2, Q2) = {gen_right:.4f} bits")
    return Evidence(text=text, values={"left": left, "right": right, "gen_left": gen_left,
                                       "gen_right": gen_right})


register(Claim(
    id="xent-additivity",
    section="2.2",
    chapter=CHAPTER,
    source_zh=("4. 增加性：对于两个独立随机变量 $X$ 和 $Y$，有 $H(P, Q||P, Q) = H(P||P) + H(Q||Q)$。"),
    translation=("4. Additivity: for two independent random variables $X$ and $Y$, "
                 "$H(P, Q||P, Q) = H(P||P) + H(Q||Q)$."),
    verdict="correct",
    checks=(r"the sentence in the source's notation (H(A||B) = cross-entropy), with P the law of X, Q the "
            r"law of Y and (P, Q) their joint law: H(P x Q, P x Q) = H(P, P) + H(Q, Q) on random P, Q"),
    correct=(r"Here $P$ and $Q$ are not data and model but the distributions of the independent $X$ and $Y$. "
             r"In the source's notation the formula says $H(X, Y) = H(X) + H(Y)$: true, independent parts "
             "add."),
    evidence=_add_evidence,
    random_check=_add_check,
    source_holds=lambda ev: bool(np.isclose(ev.values["left"], ev.values["right"])),
    note=(r"Which case of the verdict rule: the notation $H(\cdot||\cdot)$ is judged once, in the box "
          "`xent-notation` (ill-posed: the name belongs to another quantity); here the formula is judged on what it means in the source's own notation, "
          "where it says something definite and true. "
          r"The formula only covers models equal to the data, where cross-entropy is entropy (entropy "
          r"property 4 of §2.1 again). The general property: data $P_1 \times P_2$ scored by a model "
          r"$Q_1 \times Q_2$ costs $H(P_1, Q_1) + H(P_2, Q_2)$, because "
          r"$-\log (Q_1(x) Q_2(y)) = -\log Q_1(x) - \log Q_2(y)$. The usual name is *additivity* "
          "(可加性); 增加性 (\"increase-ness\") is a slip of terminology."),
))

__all__ = ["CHAPTER"]


# =============================================================================
# Exercises
# =============================================================================
# In notebook order: from scratch, warm-up, find the bug, predict, problem.

# --- cross-entropy in bits, from scratch ---------------------------------------

def _xent_cases() -> list[Case]:
    rng = np.random.default_rng(20)
    p, q = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5))
    same = rng.dirichlet(np.ones(4))
    return [
        Case(name="a random pair P, Q on 5 outcomes", args=(p, q)),
        Case(name="a zero in P, where Q is 0 too", args=(np.array([0.5, 0.5, 0.0]), np.array([0.3, 0.7, 0.0]))),
        Case(name="Q = P", args=(same, same.copy())),
        Case(name="one outcome", args=(np.array([1.0]), np.array([1.0]))),
    ]


register_exercise(Exercise(
    id="cross-entropy-bits", chapter=CHAPTER, title="Cross-entropy in bits", style="from-scratch",
    asks="cross_entropy_bits(p, q), the cross-entropy H(P, Q) in bits", unit="bits",
    data=lambda: {"p": np.array([0.5, 0.5, 0.0]), "q": np.array([0.3, 0.7, 0.0])},
    reference=lambda p, q: xl.cross_entropy(p, q, base=2),
    cases=_xent_cases,
    nonfinite_hint=("inf or nan on this input: is there an outcome with P(x_i) = 0? NumPy computes "
                    "0 * log2(0) as nan (0 times -inf), and one nan term makes the whole sum nan. An outcome "
                    "with P(x_i) = 0 must add nothing: leave those outcomes out before you take the log "
                    "(indexing with an array of True/False helps)."),
    mistakes=(
        Mistake(name="nats-not-bits", value=lambda p, q: xl.cross_entropy(p, q),
                hint="that is in nats: np.log is the natural logarithm. Use np.log2 for bits."),
        Mistake(name="swapped", value=lambda p, q: xl.cross_entropy(q, p, base=2),
                hint="that is H(Q, P): the arguments are swapped. The data's probabilities P(x_i) weigh the "
                     "terms; the model's Q(x_i) go inside the log."),
        Mistake(name="minus-sign", value=lambda p, q: -xl.cross_entropy(p, q, base=2),
                hint="right size, wrong sign: every surprise -log2 Q(x_i) is >= 0, so H(P, Q) is too. "
                     "Put the minus sign in front of the sum."),
        Mistake(name="mean-not-sum", value=lambda p, q: xl.cross_entropy(p, q, base=2) / np.size(p),
                hint="that is the sum divided by the number of outcomes (np.mean?). The weights P(x_i) "
                     "already make it an average: add the terms with np.sum."),
        Mistake(name="entropy-of-p", value=lambda p, q: xl.entropy(p, base=2),
                hint="that is H(P), the entropy of the data alone: the model Q is missing. The log takes "
                     "Q's probabilities, the weights are P's."),
        Mistake(name="kl-divergence", value=lambda p, q: xl.kl_divergence(p, q, base=2),
                hint="that is the KL divergence D_KL(P || Q), the log of the ratio P(x_i)/Q(x_i): only the "
                     "extra bits of the wrong code. The cross-entropy is the whole length: the log takes "
                     "Q(x_i) alone."),
    ),
))


# --- KL divergence: which order? (warm-up) -------------------------------------

KL_P = np.array([0.5, 0.5])            # the data: a fair coin
KL_Q = np.array([0.9, 0.1])            # the model

register_exercise(Exercise(
    id="kl-order", chapter=CHAPTER, title="KL divergence: mind the order", style="warm-up",
    asks="the extra bits per toss when a fair coin p = [0.5, 0.5] is sent with the code of the model "
         "q = [0.9, 0.1], in bits",
    unit="bits",
    data=lambda: {"p": KL_P.copy(), "q": KL_Q.copy()},
    reference=lambda: xl.kl_divergence(KL_P, KL_Q, base=2),
    mistakes=(
        Mistake(name="wrong-order", value=lambda: xl.kl_divergence(KL_Q, KL_P, base=2),
                hint="that is D_KL(q || p): wrong argument order. KL is not symmetric; the extra length of "
                     "the wrong code is averaged over the data, so the data's distribution comes first."),
        Mistake(name="cross-entropy", value=lambda: xl.cross_entropy(KL_P, KL_Q, base=2),
                hint="that is the whole length of q's code, the cross-entropy H(p, q). The question asks for "
                     "the extra bits over the fair coin's own code, whose length is H(p)."),
        Mistake(name="nats-not-bits", unit="nats", value=lambda: xl.kl_divergence(KL_P, KL_Q),
                hint="that is in nats. Pass base=2 for bits."),
        Mistake(name="minus-sign", value=lambda: -xl.kl_divergence(KL_P, KL_Q, base=2),
                hint="KL divergence is never negative (Gibbs' inequality): check the sign."),
    ),
))


# --- KL with the wrong sign (find the bug) -------------------------------------

def _kl_cases() -> list[Case]:
    rng = np.random.default_rng(21)
    p, q = rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(4))
    same = rng.dirichlet(np.ones(3))
    return [
        Case(name="a random pair P, Q on 4 outcomes", args=(p, q)),
        Case(name="a zero in P, where Q is 0 too", args=(np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.75, 0.0]))),
        Case(name="Q = P", args=(same, same.copy())),
        Case(name="one outcome", args=(np.array([1.0]), np.array([1.0]))),
    ]


def _buggy_kl_bits(p: np.ndarray, q: np.ndarray) -> Any:
    """The bug of the exercise: H(P) - H(P, Q), the KL divergence with its sign flipped."""
    return xl.entropy(p, base=2) - xl.cross_entropy(p, q, base=2)



register_exercise(Exercise(
    id="kl-sign-bug", chapter=CHAPTER, title="A negative KL divergence", style="find-the-bug",
    asks="kl_bits(p, q), the KL divergence D_KL(P || Q) in bits", unit="bits",
    data=lambda: {"p": np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8]), "q": np.array([1 / 8, 1 / 8, 1 / 4, 1 / 2])},
    reference=lambda p, q: xl.kl_divergence(p, q, base=2),
    refuse={name: "forcing the result to be positive hides the symptom, not its cause: a negative KL "
                  "divergence says which two quantities were subtracted in the wrong order. Fix the "
                  "subtraction, and the result is >= 0 by itself (Gibbs' inequality)."
            for name in ("abs", "absolute", "fabs")},
    cases=_kl_cases,
    nonfinite_hint=("inf or nan on this input: is there an outcome with P(x_i) = 0? NumPy computes "
                    "0 * log2(0) as nan. Such an outcome adds nothing to either sum, H(P) or H(P, Q): keep "
                    "the buggy function's way of leaving it out, in both sums."),
    mistakes=(
        Mistake(name="sign", value=_buggy_kl_bits,
                hint="the result is negative, yet D_KL(P || Q) >= 0 (Gibbs' inequality): it counts the bits "
                     "the wrong code costs beyond the right one. Which is larger, H(P) or H(P, Q)?"),
        Mistake(name="swapped", value=lambda p, q: xl.kl_divergence(q, p, base=2),
                hint="that is D_KL(Q || P): the arguments are swapped. The data P weighs the terms."),
        Mistake(name="nats-not-bits", value=lambda p, q: xl.kl_divergence(p, q),
                hint="that is in nats: np.log is the natural logarithm. Use np.log2 for bits."),
        Mistake(name="cross-entropy", value=lambda p, q: xl.cross_entropy(p, q, base=2),
                hint="that is H(P, Q), the whole length of the wrong code. D_KL is only the extra part, "
                     "beyond the length H(P) of the right code."),
    ),
))


# --- a tiny probability (predict, then run) ------------------------------------

TINY_P = np.array([0.5, 0.5])          # the data: a fair coin
TINY_Q = np.array([0.999, 0.001])      # the model: almost sure of heads


def _tiny_outcome() -> str:
    """The option that the computed H(P, Q) in bits matches."""
    h = float(xl.cross_entropy(TINY_P, TINY_Q, base=2))
    h_p = float(xl.entropy(TINY_P, base=2))
    if not np.isfinite(h):
        return "c"
    if h < h_p:
        return "d"
    if h < h_p + 1:
        return "a"
    return "b" if abs(h - 5) < 1 else "none of them"


register_exercise(Exercise(
    id="tiny-probability", chapter=CHAPTER, title="A model almost sure of the wrong thing", style="predict",
    asks='your prediction, "a", "b", "c" or "d"', unit="",
    data=lambda: {"p": TINY_P.copy(), "q": TINY_Q.copy()},
    choices={"a": "a little more than H(P) = 1 bit",
             "b": "about 5 bits",
             "c": "infinitely many bits",
             "d": "less than 1 bit"},
    reference=_tiny_outcome,
    mistakes=(
        Mistake(name="small-probability-small-cost", value=lambda: "a",
                hint="a small probability is not a small cost. The cost of an outcome is its surprise "
                     "-log2 Q(x), which grows without limit as Q(x) shrinks, and the data bring tails half "
                     "of the time."),
        Mistake(name="tiny-is-zero", value=lambda: "c",
                hint="only a probability of exactly 0 makes a surprise infinite. 0.001 is small, not 0: "
                     "-log2 0.001 is a finite number of bits."),
        Mistake(name="confidence-is-good", value=lambda: "d",
                hint="a sure model has a small entropy H(Q), but the cross-entropy scores Q on the data "
                     "from P, and Gibbs' inequality says it never drops below H(P)."),
    ),
))


# --- the best model of a family (problem) -------------------------------------

MIN_P = np.array([0.6, 0.3, 0.1])


def min_family(t: Any) -> np.ndarray:
    """The models q_t = (t, (1 - t)/2, (1 - t)/2) of the exercise, one row per value of t."""
    t = np.asarray(t, dtype=float)[..., None]
    return np.concatenate([t, (1 - t) / 2, (1 - t) / 2], axis=-1)


_MIN_GRID = np.linspace(1e-5, 1 - 1e-5, 200_001)   # far finer than the checker's tolerance


def _min_over_family(base: float | None = 2) -> float:
    """The smallest H(p, q_t) over a fine grid of t."""
    return float(np.min(xl.cross_entropy(MIN_P, min_family(_MIN_GRID), base=base)))


def _best_t() -> float:
    """The t of the best model q_t (a probability, not the cross-entropy asked for)."""
    return float(_MIN_GRID[np.argmin(xl.cross_entropy(MIN_P, min_family(_MIN_GRID), base=2))])


register_exercise(Exercise(
    id="cross-entropy-minimum", chapter=CHAPTER, title="The best model that cannot match the data",
    style="problem",
    asks="the smallest H(p, q_t) over the models q_t = (t, (1-t)/2, (1-t)/2), for p = [0.6, 0.3, 0.1], in bits",
    unit="bits",
    data=lambda: {"p": MIN_P.copy()},
    reference=_min_over_family,
    mistakes=(
        Mistake(name="entropy-of-p", value=lambda: xl.entropy(MIN_P, base=2),
                hint="that is H(p), the minimum over all models, reached only at q = p. No q_t equals p "
                     "(its last two probabilities are equal, p's are not), so the best q_t does worse."),
        Mistake(name="zero", value=lambda: 0.0,
                hint="cross-entropy is not zero at its minimum here: it never drops below H(p), which is 0 "
                     "only when one outcome is certain."),
        Mistake(name="uniform", value=lambda: xl.cross_entropy(MIN_P, min_family(1 / 3), base=2),
                hint="that is the uniform model, t = 1/3. It belongs to the family, but it is not the best "
                     "of it: compute H(p, q_t) for many values of t."),
        Mistake(name="nats-not-bits", unit="nats", value=lambda: _min_over_family(base=None),
                hint="that is in nats: xl.cross_entropy uses the natural log unless you pass base=2, "
                     "which gives bits."),
        Mistake(name="best-t", unit="", value=_best_t,
                hint="that is the best t, a probability. The question asks for the smallest "
                     "cross-entropy itself, in bits: the value of H(p, q_t) at that t."),
    ),
))


# =============================================================================
# 3. Two distributions P and Q
# =============================================================================

PQ_NAMES = ["H(P)", "H(P,Q)", "KL(P‖Q)", "H(Q)", "H(Q,P)", "KL(Q‖P)"]
PQ_COLOURS = [C["orange"], C["orange"], C["vermillion"], C["blue"], C["blue"], C["sky"]]


def pq_compute(p: float, q: float) -> dict:
    """Entropies, cross-entropies and both KL divergences of P = (p, 1-p), Q = (q, 1-q), in bits."""
    P, Q = np.array([p, 1 - p]), np.array([q, 1 - q])
    vals = {
        "H(P)": xl.entropy(P, base=2), "H(Q)": xl.entropy(Q, base=2),
        "H(P,Q)": xl.cross_entropy(P, Q, base=2), "H(Q,P)": xl.cross_entropy(Q, P, base=2),
        "KL(P‖Q)": xl.kl_divergence(P, Q, base=2), "KL(Q‖P)": xl.kl_divergence(Q, P, base=2),
    }
    return {"P": P, "Q": Q, "bits": {k: float(v) for k, v in vals.items()}}


def pq_readout(s):
    b = s["bits"]
    return (f"H(P) = {b['H(P)']:.3f} ≤ H(P,Q) = {b['H(P,Q)']:.3f} bits; "
            f"KL(P‖Q) = {b['KL(P‖Q)']:.3f} bits, KL(Q‖P) = {b['KL(Q‖P)']:.3f} bits; "
            f"H(Q,P) = {b['H(Q,P)']:.3f} bits")


def pq_plotly(s):
    return {
        "data": pq_plotly_frame(s),
        "layout": layout(
            grid={"rows": 1, "columns": 2, "pattern": "independent"},
            xaxis={**axis("outcome"), "domain": [0, 0.3], "type": "category"},
            yaxis=axis("probability", (0, 1.05)),
            xaxis2={**axis("quantity"), "domain": [0.4, 1.0], "type": "category"},
            yaxis2=axis("value [bits]", (0, 5.0)),
            barmode="group", margin={"l": 60, "r": 20, "t": 20, "b": 100}),
    }


def pq_plotly_frame(s):
    b = s["bits"]
    return [
        {"type": "bar", "x": ["heads", "tails"], "y": rounded(s["P"]), "name": "P",
         "marker": {"color": C["orange"]}, "xaxis": "x", "yaxis": "y"},
        {"type": "bar", "x": ["heads", "tails"], "y": rounded(s["Q"]), "name": "Q",
         "marker": {"color": C["blue"], "pattern": {"shape": "/"}}, "xaxis": "x", "yaxis": "y"},
        {"type": "bar", "x": PQ_NAMES, "y": [round(b[k], 4) for k in PQ_NAMES], "name": "in bits",
         "marker": {"color": PQ_COLOURS}, "xaxis": "x2", "yaxis": "y2", "showlegend": False,
         "text": [f"{b[k]:.2f}" for k in PQ_NAMES], "textposition": "outside"},
    ]


def pq_mpl_init(fig, s):
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[1, 2.2])
    x = np.arange(2)
    bp = ax1.bar(x - 0.2, s["P"], 0.4, color=C["orange"], label="P")
    bq = ax1.bar(x + 0.2, s["Q"], 0.4, color=C["blue"], hatch="//", label="Q")
    ax1.set(xticks=x, xticklabels=["heads", "tails"], ylim=(0, 1.05), ylabel="probability", xlabel="outcome")
    ax1.legend(loc="upper right")
    vals = [s["bits"][k] for k in PQ_NAMES]
    bars = ax2.bar(np.arange(6), vals, color=PQ_COLOURS)
    ax2.set(xticks=np.arange(6), ylim=(0, 5.0), ylabel="value [bits]", xlabel="quantity")
    ax2.set_xticklabels(PQ_NAMES, fontsize=8)
    labels = [ax2.text(i, v + 0.08, f"{v:.2f}", ha="center", fontsize=8) for i, v in enumerate(vals)]
    return {"bp": bp, "bq": bq, "bars": bars, "labels": labels}


def pq_mpl_update(h, s):
    for r, v in zip(h["bp"], s["P"], strict=False):
        r.set_height(v)
    for r, v in zip(h["bq"], s["Q"], strict=False):
        r.set_height(v)
    for i, (r, k) in enumerate(zip(h["bars"], PQ_NAMES, strict=False)):
        v = s["bits"][k]
        r.set_height(v)
        h["labels"][i].set_y(v + 0.08)
        h["labels"][i].set_text(f"{v:.2f}")


PQ = register_explorer(Explorer(
    id="pq",
    chapter=CHAPTER,
    title="Two distributions P and Q: cross-entropy and KL divergence",
    params=(Param.linear("p", "p = P(heads) [probability]", 0.05, 0.95, 0.05, 0.5, symbol="P(heads)"),
            Param.linear("q", "q = Q(heads) [probability]", 0.05, 0.95, 0.05, 0.8, symbol="Q(heads)")),
    compute=pq_compute, readout=pq_readout,
    plotly_base=pq_plotly, plotly_frame=pq_plotly_frame, frame_traces=(0, 1, 2),
    mpl_init=pq_mpl_init, mpl_update=pq_mpl_update,
    hint="Move P and Q apart: H(P,Q) never drops below H(P), the gap is KL(P‖Q), and in general KL(P‖Q) "
         "and KL(Q‖P) differ. They agree when P = Q, and also for mirrored coins: P(heads) = 0.8, "
         "Q(heads) = 0.2 gives 1.2 bits both ways.",
    alt="Left: bar chart of the two coin distributions P and Q. Right: bars of H(P), H(P,Q), KL(P‖Q), "
        "H(Q), H(Q,P), KL(Q‖P) in bits.",
    height=440, figsize=(8.0, 3.4),
))


# =============================================================================
# Self-checks (selfcheck.show("id") under "Check yourself"; see selfcheck.py)
# =============================================================================
from . import selfcheck as _sc  # noqa: E402

_SC_P = np.array([1 / 2, 1 / 4, 1 / 4])
_SC_Q = np.array([1 / 8, 1 / 2, 3 / 8])

_sc.register_selfcheck(_sc.SelfCheck(
    id="cross-entropy-three-outcomes", chapter=CHAPTER, kind="number",
    question="The data follow $P = (1/2, 1/4, 1/4)$; the model says $Q = (1/8, 1/2, 3/8)$. "
             "What is the cross-entropy $H(P, Q)$, in bits?",
    answer=float(xl.cross_entropy(_SC_P, _SC_Q, base=2)), tolerance=0.005, unit="bits",
    explanation="$\\tfrac12 \\cdot 3 + \\tfrac14 \\cdot 1 + \\tfrac14 \\log_2 \\tfrac83 \\approx 2.104$ bits: "
                "the average length of $Q$'s code on data from $P$.",
    mistakes=(
        _sc.Mistake(float(xl.cross_entropy(_SC_Q, _SC_P, base=2)),
                    "That is $H(Q, P)$: the arguments are swapped. The weights are the data's "
                    "probabilities $P$; the log is of the model's $Q$."),
        _sc.Mistake(float(xl.entropy(_SC_P, base=2)),
                    "That is $H(P)$, the length of $P$'s own code. The code built for $Q$ is longer on "
                    "this data."),
        _sc.Mistake(float(xl.cross_entropy(_SC_P, _SC_Q)),
                    "That is in nats ($\\ln$). The question asks for bits: use $\\log_2$."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="kl-meaning", chapter=CHAPTER,
    question="$D_{\\mathrm{KL}}(P\\,\\|\\,Q) = 0.3$ bits. What does this number tell you?",
    options=(
        _sc.Option("Data from P coded with Q's code cost 0.3 extra bits per symbol, on average", True,
                   "KL is the gap $H(P, Q) - H(P)$: the extra length of the wrong code."),
        _sc.Option("P and Q are 0.3 apart, so Q is also 0.3 from P", False,
                   "KL is not symmetric: $D_{\\mathrm{KL}}(Q\\,\\|\\,P)$ is in general another number, so "
                   "it is not a distance."),
        _sc.Option("The data have 0.3 bits of entropy", False,
                   "That would be $H(P)$. KL measures the excess over it, whatever $H(P)$ is."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="perplexity-meaning", chapter=CHAPTER,
    question="A language model's average negative log-likelihood on a test text is $\\ln 50$ nats per "
             "word. What is its perplexity?",
    options=(
        _sc.Option("$\\ln 50 \\approx 3.9$", False,
                   "That is the average negative log-likelihood itself; perplexity is its exponential."),
        _sc.Option("50", True,
                   "$e^{\\ln 50} = 50$: the model is as uncertain as a uniform choice among 50 words."),
        _sc.Option("$2^{\\ln 50} \\approx 15$", False,
                   "The base must match the unit: the NLL is in nats, so take $e^x$; $2^x$ is for bits."),
        _sc.Option("$1/50$", False,
                   "That is $e^{-\\ln 50}$: a model that gave the right word this probability every time "
                   "would have the same average surprise. Perplexity is its reciprocal, a number of "
                   "choices."),
    ),
))
