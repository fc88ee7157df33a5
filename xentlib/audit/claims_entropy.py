"""Claims of source §2.1 (信息熵, entropy), shown in chapter ``01_entropy``.

Every number is computed with xentlib's public functions at call time.
"""
from __future__ import annotations

import numpy as np

import xentlib as xl
from xentlib import continuous

from .registry import Claim, Evidence, register

CHAPTER = "01_entropy"


def _rand_dist(rng: np.random.Generator, n: int | None = None, *, sparse: bool = True) -> np.ndarray:
    """A random distribution on ``n`` outcomes (some exact zeros if ``sparse``)."""
    n = int(rng.integers(2, 9)) if n is None else n
    w = rng.dirichlet(np.full(n, rng.uniform(0.2, 3.0)))
    if sparse and n > 2 and rng.random() < 0.5:
        w[rng.integers(0, n)] = 0.0
        w = w / w.sum()
    return w


def _fmt(p) -> str:
    return "(" + ", ".join(f"{x:g}" for x in np.asarray(p, dtype=float)) + ")"


# --- definition -----------------------------------------------------------

def _def_check(rng: np.random.Generator) -> bool:
    p = _rand_dist(rng)
    nz = p[p > 0]
    direct = -np.sum(nz * np.log(nz))
    return bool(np.isclose(float(xl.entropy(p)), direct, rtol=1e-12, atol=1e-12)
                and np.isclose(float(xl.entropy(p, base=2)), direct / np.log(2), rtol=1e-12, atol=1e-12))


def _def_evidence() -> Evidence:
    p = np.array([0.5, 0.25, 0.25])
    hb = float(xl.entropy(p, base=2))
    text = (f"p = {_fmt(p)}: H = {hb:.4f} bits = {float(xl.entropy(p)):.4f} nats\n"
            f"p = (1, 0, 0) (certain): H = {float(xl.entropy([1.0, 0.0, 0.0], base=2)):.4f} bits "
            "(with the convention 0 log 0 = 0)")
    return Evidence(text=text, values={"H_bits": hb})


register(Claim(
    id="entropy-definition",
    section="2.1",
    chapter=CHAPTER,
    source_zh=("信息熵（Entropy）是信息论的基本概念，用于衡量一个随机变量的不确定性。信息熵的定义为：\n\n"
               "$$\nH(X) = -\\sum_{i=1}^{n} P(x_i) \\log P(x_i)\n$$\n\n"
               "其中，$X$ 是一个随机变量，$x_i$ 是 $X$ 的取值，$P(x_i)$ 是 $x_i$ 的概率。"),
    translation=("Entropy is a basic concept of information theory that measures the uncertainty of a "
                 "random variable. It is defined as $H(X) = -\\sum_{i=1}^{n} P(x_i) \\log P(x_i)$, "
                 "where $X$ is a random variable, $x_i$ its values and $P(x_i)$ their probabilities."),
    verdict="correct",
    correct=("Yes, for a **discrete** random variable with $n$ values, with the convention "
             "$0 \\log 0 = 0$ (an impossible outcome adds nothing). The base of the logarithm fixes the "
             "unit: $\\log_2$ gives bits, $\\ln$ gives nats."),
    evidence=_def_evidence,
    random_check=_def_check,
    note=("For a continuous variable the sum becomes an integral, the *differential entropy* "
          "$h(X) = -\\int p(x) \\log p(x)\\,dx$, which behaves differently (it can be negative)."),
))


# --- unit ---------------------------------------------------------------

def _unit_evidence() -> Evidence:
    p = np.array([0.5, 0.25, 0.25])
    nats = float(xl.entropy(p))
    bits = float(xl.entropy(p, base=2))
    text = (f"p = {_fmt(p)}\n"
            f"with log = ln (NumPy, PyTorch, TensorFlow): H = {nats:.4f} nats\n"
            f"with log = log2:                             H = {bits:.4f} bits\n"
            f"ratio bits / nats = {bits / nats:.4f} = 1 / ln 2")
    return Evidence(text=text, values={"nats": nats, "bits": bits})


register(Claim(
    id="entropy-unit-bits",
    section="2.1",
    chapter=CHAPTER,
    source_zh="信息熵的单位是比特（bit）。",
    translation="The unit of entropy is the bit.",
    verdict="ill-posed",
    correct=("The unit depends on the base of the logarithm, which the formula leaves unspecified: "
             "$\\log_2$ gives **bits**, $\\ln$ gives **nats** (what NumPy and deep-learning libraries "
             "compute). $1\\ \\text{nat} = 1/\\ln 2 \\approx 1.4427\\ \\text{bits}$."),
    evidence=_unit_evidence,
    # The source's statement, applied to the formula as ML code evaluates it (natural log):
    # the number would be a count of bits.
    source_holds=lambda ev: bool(np.isclose(ev.values["nats"], ev.values["bits"])),
))


# --- property 1: non-negativity ---------------------------------------------

def _nonneg_check(rng: np.random.Generator) -> bool:
    p = _rand_dist(rng)
    if rng.random() < 0.2:  # include the extreme: a certain outcome
        p = np.eye(len(p))[rng.integers(0, len(p))]
    return bool(float(xl.entropy(p)) >= 0.0)


def _nonneg_evidence() -> Evidence:
    rng = np.random.default_rng(0)
    ps = rng.dirichlet(np.full(5, 0.3), size=1000)
    hmin = float(np.min(xl.entropy(ps, base=2)))
    h_gauss = float(continuous.gaussian_entropy(0.1, base=2))
    h_unif = float(continuous.uniform_entropy(0.0, 0.5, base=2))
    text = (f"smallest H over 1000 random distributions on 5 outcomes: {hmin:.4f} bits (>= 0)\n"
            f"limit (densities): differential entropy of N(0, 0.1^2) = {h_gauss:.4f} bits < 0\n"
            f"limit (densities): differential entropy of Uniform[0, 0.5] = {h_unif:.4f} bits < 0")
    return Evidence(text=text, values={"hmin_bits": hmin, "h_gauss_bits": h_gauss, "h_unif_bits": h_unif})


register(Claim(
    id="entropy-nonnegativity",
    section="2.1",
    chapter=CHAPTER,
    source_zh="1. 非负性：$H(X) \\geq 0$",
    translation="1. Non-negativity: $H(X) \\geq 0$.",
    verdict="correct",
    correct=("True for discrete distributions: every term $-p_i \\log p_i$ is $\\ge 0$ because "
             "$0 \\le p_i \\le 1$ makes $\\log p_i \\le 0$."),
    evidence=_nonneg_evidence,
    random_check=_nonneg_check,
    note=("**False for densities.** A density can exceed 1, so $-\\log p(x)$ can be negative: "
          "$h(\\mathcal N(\\mu, \\sigma^2)) = \\tfrac12 \\log_2(2\\pi e \\sigma^2)$ bits is negative for "
          "$\\sigma < 0.242$, and a uniform density on an interval shorter than 1 has negative entropy."),
))


# --- property 2: zero entropy ---------------------------------------------

def _zero_evidence() -> Evidence:
    p = np.array([0.0, 0.5, 0.5])
    h = float(xl.entropy(p, base=2))
    det = np.array([0.0, 1.0, 0.0])
    h_det = float(xl.entropy(det, base=2))

    def figure():
        import matplotlib.pyplot as plt

        from xentlib import plotting

        plotting.use_course_style()
        x = np.linspace(0.0, 1.0, 401)
        fig, ax = plt.subplots()
        ax.plot(x, xl.binary_entropy(x, base=2), label="H(Bernoulli(p))")
        ax.plot([0.0, 1.0], [0.0, 0.0], "o", color=plotting.OKABE_ITO["vermillion"], markersize=8,
                label="H = 0 only at p = 0 and p = 1")
        ax.set_xlabel("probability of outcome 1, p [no unit]")
        ax.set_ylabel("entropy H [bits]")
        ax.set_title("Entropy of a coin: zero only when the outcome is certain")
        ax.legend(loc="lower center")
        return fig

    text = (f"p = {_fmt(p)}: P(x_1) = 0, yet H = {h:.4f} bits (not 0)\n"
            f"p = {_fmt(det)}: one outcome certain, H = {h_det:.4f} bits")
    return Evidence(text=text, values={"p": p.tolist(), "H_bits": h, "H_det_bits": h_det}, figure=figure)


def _zero_source_holds(ev: Evidence) -> bool:
    # Literal reading: "H = 0 iff P(x_i) = 1 or P(x_i) = 0" (for some x_i).
    p = np.asarray(ev.values["p"])
    premise = bool(np.any((p == 0) | (p == 1)))
    return premise == bool(np.isclose(ev.values["H_bits"], 0.0))


register(Claim(
    id="entropy-zero",
    section="2.1",
    chapter=CHAPTER,
    source_zh=("2. 零熵：$H(X) = 0$ 当且仅当 $X$ 的概率分布是确定的，即 $P(x_i) = 1$ 或 $P(x_i) = 0$。"),
    translation=("2. Zero entropy: $H(X) = 0$ if and only if the distribution of $X$ is deterministic, "
                 "i.e. $P(x_i) = 1$ or $P(x_i) = 0$."),
    verdict="ill-posed",
    correct=("$H(X) = 0$ if and only if **one** outcome has probability 1 (so all the others have "
             "probability 0). The first half of the sentence says this; the \"i.e.\" clause, read as "
             "\"some $P(x_i)$ is 1 or 0\", does not: an outcome with probability 0 does not make the "
             "entropy zero."),
    evidence=_zero_evidence,
    source_holds=_zero_source_holds,
))


# --- property 3: "symmetry" ---------------------------------------------------

def _sym_evidence() -> Evidence:
    p = np.array([0.5, 0.25, 0.25])
    h = float(xl.entropy(p, base=2))
    k = 2.0
    middle = k * np.log2(k) - k * np.log2(k)
    perm = p[[2, 0, 1]]
    h_perm = float(xl.entropy(perm, base=2))
    text = (f"p = {_fmt(p)}: H(X) = {h:.4f} bits\n"
            f"k = {k:g}: k log2 k - k log2 k = {middle:.4f} bits, so the chain would force H(X) = 0\n"
            f"the real symmetry: p permuted to {_fmt(perm)} gives H = {h_perm:.4f} bits (unchanged)")
    return Evidence(text=text, values={"H_bits": h, "middle_bits": float(middle), "H_perm_bits": h_perm})


register(Claim(
    id="entropy-symmetry",
    section="2.1",
    chapter=CHAPTER,
    source_zh="3. 对称性：对于任何常数 $k > 0$，有 $H(X) = k \\log k - k \\log k = H(X)$。",
    translation="3. Symmetry: for any constant $k > 0$, $H(X) = k \\log k - k \\log k = H(X)$.",
    verdict="ill-posed",
    correct=("The formula is garbled: $k \\log k - k \\log k = 0$ for every $k$, so the chain claims "
             "$H(X) = 0$ for every $X$. The property called *symmetry* is that entropy does not depend "
             "on the order (the labels) of the outcomes: $H(p_{\\pi(1)}, \\dots, p_{\\pi(n)}) = "
             "H(p_1, \\dots, p_n)$ for every permutation $\\pi$."),
    evidence=_sym_evidence,
    source_holds=lambda ev: bool(np.isclose(ev.values["H_bits"], ev.values["middle_bits"])),
))


# --- property 4: additivity -------------------------------------------------

def _add_check(rng: np.random.Generator) -> bool:
    p, q = _rand_dist(rng), _rand_dist(rng)
    joint = np.outer(p, q).ravel()
    return bool(np.isclose(float(xl.entropy(joint)), float(xl.entropy(p)) + float(xl.entropy(q)),
                           rtol=1e-10, atol=1e-12))


def _add_evidence() -> Evidence:
    p = np.array([0.5, 0.5])
    q = np.array([0.25, 0.25, 0.5])
    joint = np.outer(p, q).ravel()
    hj, hp, hq = (float(xl.entropy(x, base=2)) for x in (joint, p, q))
    dep = np.array([0.5, 0.0, 0.0, 0.5])  # X = Y, a fair bit copied
    hdep = float(xl.entropy(dep, base=2))
    hx = float(xl.entropy([0.5, 0.5], base=2))
    text = (f"independent: H(X) = {hp:.4f} bits, H(Y) = {hq:.4f} bits, H(X,Y) = {hj:.4f} bits "
            f"= H(X) + H(Y)\n"
            f"dependent (Y = X, a fair bit): H(X,Y) = {hdep:.4f} bits < H(X) + H(Y) = {2 * hx:.4f} bits")
    return Evidence(text=text, values={"H_joint": hj, "H_sum": hp + hq, "H_dep": hdep})


register(Claim(
    id="entropy-additivity",
    section="2.1",
    chapter=CHAPTER,
    source_zh="4. 增加性：对于两个独立随机变量 $X$ 和 $Y$，有 $H(X, Y) = H(X) + H(Y)$。",
    translation="4. Additivity: for two independent random variables $X$ and $Y$, $H(X, Y) = H(X) + H(Y)$.",
    verdict="correct",
    correct=("True. With $P(x, y) = P(x)P(y)$, $-\\log P(x,y) = -\\log P(x) - \\log P(y)$; take the "
             "expectation. (The usual name is *additivity*, 可加性.)"),
    evidence=_add_evidence,
    random_check=_add_check,
    note=("Independence matters: in general $H(X, Y) \\le H(X) + H(Y)$ (subadditivity), with equality "
          "if and only if $X$ and $Y$ are independent."),
))

__all__ = ["CHAPTER"]
