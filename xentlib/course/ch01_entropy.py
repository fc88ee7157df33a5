"""Claims of source §2.1 (信息熵, entropy), shown in chapter ``01_entropy``.

Every number is computed with xentlib's public functions at call time.
"""
from __future__ import annotations

import functools
import math

import numpy as np

import xentlib as xl
from xentlib import continuous, plotting
from xentlib.plotting import OKABE_ITO as C
from xentlib.units import NATS_PER_BIT

from . import explorers
from .claims import Claim, Evidence, random_distribution, register, tuple_text
from .exercises import Case, Exercise, Mistake
from .exercises import register as register_exercise
from .explorers import GREY, Explorer, Param, axis, layout, rounded
from .explorers import register as register_explorer

CHAPTER = "01_entropy"


# --- definition -----------------------------------------------------------

def _def_check(rng: np.random.Generator) -> bool:
    p = random_distribution(rng)
    nz = p[p > 0]
    direct = -np.sum(nz * np.log(nz))
    return bool(np.isclose(float(xl.entropy(p)), direct, rtol=1e-12, atol=1e-12)
                and np.isclose(float(xl.entropy(p, base=2)), direct / np.log(2), rtol=1e-12, atol=1e-12))


def _def_evidence() -> Evidence:
    p = np.array([0.5, 0.25, 0.25])
    hb = float(xl.entropy(p, base=2))
    text = (f"p = {tuple_text(p)}: H = {hb:.4f} bits = {float(xl.entropy(p)):.4f} nats\n"
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
                 r"random variable. It is defined as $H(X) = -\sum_{i=1}^{n} P(x_i) \log P(x_i)$, "
                 "where $X$ is a random variable, $x_i$ its values and $P(x_i)$ their probabilities."),
    verdict="correct",
    checks=r"the definition: xentlib's entropy equals -sum p log p (0 log 0 = 0) in nats and in bits, on random distributions",
    correct=(r"True for a random variable with $n$ values, with $0 \log 0 = 0$ (an impossible outcome adds "
             "nothing). The base of the logarithm fixes the unit."),
    evidence=_def_evidence,
    random_check=_def_check,
    note=("For a continuous variable the sum becomes an integral, the *differential entropy* "
          r"$h(X) = -\int p(x) \log p(x)\,dx$, which behaves differently (it can be negative; see "
          "this chapter's optional section)."),
))


# --- unit ---------------------------------------------------------------

def _unit_check(rng: np.random.Generator) -> bool:
    p = random_distribution(rng)
    nz = p[p > 0]
    bits = float(-np.sum(nz * np.log2(nz)))                       # the formula with log = log2
    return bool(np.isclose(float(xl.entropy(p, base=2)), bits, rtol=1e-12, atol=1e-12)
                and np.isclose(float(xl.entropy(p)), bits * np.log(2), rtol=1e-12, atol=1e-12))


def _unit_evidence() -> Evidence:
    p = np.array([0.5, 0.25, 0.25])
    nats = float(xl.entropy(p))
    bits = float(xl.entropy(p, base=2))
    text = (f"p = {tuple_text(p)}\n"
            f"with log = log2 (information theory): H = {bits:.4f} bits\n"
            f"with log = ln (SciPy's default, PyTorch, TensorFlow): H = {nats:.4f} nats\n"
            f"ratio bits / nats = {bits / nats:.4f} = 1 / ln 2")
    return Evidence(text=text, values={"nats": nats, "bits": bits})


register(Claim(
    id="entropy-unit-bits",
    section="2.1",
    chapter=CHAPTER,
    source_zh="信息熵的单位是比特（bit）。",
    translation="The unit of entropy is the bit.",
    verdict="correct",
    checks=r"the sentence: the formula with log = log2 gives xentlib's entropy in bits, and ln gives the same times ln 2 (nats), on random distributions",
    kin=r"unit-is-bit",
    differs=("this sentence is about entropy in information theory, where log means log2 and naming the "
             "bit fixes the base; the sentence about the loss (§3.1) is about the loss the source then "
             "trains with its own code (§4, tf.keras), which is in nats"),
    correct=(r"True: in information theory $\log$ means $\log_2$, and naming the bit as the unit fixes that "
             "base."),
    note=(r"With the natural logarithm $\ln$ (SciPy's default, and every deep-learning library) the same "
          r"formula gives **nats**: $1\ \text{nat} = 1/\ln 2 \approx 1.4427\ \text{bits}$."),
    evidence=_unit_evidence,
    random_check=_unit_check,
))


# --- property 1: non-negativity ---------------------------------------------

def _nonneg_check(rng: np.random.Generator) -> bool:
    p = random_distribution(rng)
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
            "limit (continuous variables, see this chapter's optional section):\n"
            f"  a bell-shaped (normal) density of spread 0.1: differential entropy {h_gauss:.4f} bits < 0\n"
            f"  a flat density on the interval [0, 0.5]: differential entropy {h_unif:.4f} bits < 0")
    return Evidence(text=text, values={"hmin_bits": hmin, "h_gauss_bits": h_gauss, "h_unif_bits": h_unif})


register(Claim(
    id="entropy-nonnegativity",
    section="2.1",
    chapter=CHAPTER,
    source_zh=r"1. 非负性：$H(X) \geq 0$",
    translation=r"1. Non-negativity: $H(X) \geq 0$.",
    verdict="correct",
    checks=r"the sentence: H(p) >= 0 on random discrete distributions, certain ones included",
    correct=(r"True: every term $-p_i \log p_i$ is $\ge 0$, because $p_i \le 1$ makes "
             r"$\log p_i \le 0$."),
    evidence=_nonneg_evidence,
    random_check=_nonneg_check,
    note=("**Discrete variables only.** For a continuous variable the sum becomes an integral over a "
          "density, and a density can exceed 1, so that entropy can be negative (this chapter's optional "
          "section shows it, for narrow bell curves and for a flat density on a short interval)."),
))


# --- property 2: zero entropy ---------------------------------------------

def _zero_evidence() -> Evidence:
    p = np.array([0.0, 0.5, 0.5])
    h = float(xl.entropy(p, base=2))
    det = np.array([0.0, 1.0, 0.0])
    h_det = float(xl.entropy(det, base=2))

    def figure():
        import matplotlib.pyplot as plt

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

    text = (f"p = {tuple_text(det)}: deterministic (every P(x_i) is 0 or 1), H = {h_det:.4f} bits\n"
            f"p = {tuple_text(p)}: one P(x_i) is 0 but p is not deterministic, H = {h:.4f} bits (not 0)")
    return Evidence(text=text, values={"p": p.tolist(), "H_bits": h, "H_det_bits": h_det}, figure=figure)


def _zero_check(rng: np.random.Generator) -> bool:
    """H = 0 iff the distribution is deterministic (every P(x_i) is 0 or 1), on random p."""
    n = int(rng.integers(2, 9))
    kind = rng.integers(0, 3)
    if kind == 0:  # deterministic: one outcome certain
        p = np.eye(n)[rng.integers(0, n)]
    elif kind == 1:  # nearly deterministic: H small but not 0
        p = np.eye(n)[rng.integers(0, n)] * (1 - 10.0 ** rng.uniform(-9, -1))
        p[(int(np.argmax(p)) + 1) % n] += 1 - p.sum()
    else:  # any distribution, often with exact zeros
        p = random_distribution(rng, n)
    deterministic = bool(np.all((p == 0) | (p == 1)))
    h = float(xl.entropy(p, base=2))
    return (h == 0.0) == deterministic and h >= 0.0


register(Claim(
    id="entropy-zero",
    section="2.1",
    chapter=CHAPTER,
    source_zh=("2. 零熵：$H(X) = 0$ 当且仅当 $X$ 的概率分布是确定的，即 $P(x_i) = 1$ 或 $P(x_i) = 0$。"),
    translation=("2. Zero entropy: $H(X) = 0$ if and only if the distribution of $X$ is deterministic, "
                 "i.e. $P(x_i) = 1$ or $P(x_i) = 0$."),
    verdict="correct",
    checks="the sentence: H(p) = 0 exactly when every P(x_i) is 0 or 1 (p deterministic), on random, "
           "deterministic and nearly deterministic distributions",
    kin="zero-iff-or",
    correct=("True: $H(X) = 0$ exactly when one outcome has probability 1, so every $P(x_i)$ is 1 or 0."),
    note=("The 或 (\"or\") clause is ambiguous: read as \"*some* $P(x_i)$ is 1 or 0\" it would be false "
          "(an outcome with probability 0 does not make the entropy zero, see the second line of the "
          "evidence). A competent reader does not read it so: the sentence's first half (the "
          "distribution is deterministic) fixes the sense, and the 即 clause spells it out for every $x_i$."),
    evidence=_zero_evidence,
    random_check=_zero_check,
))


# --- property 3: "symmetry" ---------------------------------------------------

def _sym_evidence() -> Evidence:
    p = np.array([0.5, 0.25, 0.25])
    h = float(xl.entropy(p, base=2))
    k = 2.0
    middle = k * np.log2(k) - k * np.log2(k)
    perm = p[[2, 0, 1]]
    h_perm = float(xl.entropy(perm, base=2))
    text = (f"p = {tuple_text(p)}: H(X) = {h:.4f} bits\n"
            f"k = {k:g}: k log2 k - k log2 k = {middle:.4f} bits, so the chain would force H(X) = 0\n"
            f"the real symmetry: p permuted to {tuple_text(perm)} gives H = {h_perm:.4f} bits (unchanged)")
    return Evidence(text=text, values={"H_bits": h, "middle_bits": float(middle), "H_perm_bits": h_perm})


register(Claim(
    id="entropy-symmetry",
    section="2.1",
    chapter=CHAPTER,
    source_zh=r"3. 对称性：对于任何常数 $k > 0$，有 $H(X) = k \log k - k \log k = H(X)$。",
    translation=r"3. Symmetry: for any constant $k > 0$, $H(X) = k \log k - k \log k = H(X)$.",
    verdict="incorrect",
    reading=r"the formula as written: 'H(X) = k log k - k log k', i.e. H(X) = 0 for every X",
    correct=(r"The formula says $H(X) = k \log k - k \log k = 0$ for every $X$, which is false. The real "
             "symmetry: reordering the outcomes' probabilities does not change the entropy."),
    note=("The formula is garbled, but it still says something definite, $H(X) = 0$ for every $X$, so it "
          "is judged on what it says: incorrect, not ill-posed (ill-posed is kept for garbled formulas that "
          r"say nothing definite). The real symmetry in symbols: $H(p_{\pi(1)}, \dots, p_{\pi(n)}) = "
          r"H(p_1, \dots, p_n)$ for every reordering (permutation) $\pi$ of the outcomes."),
    evidence=_sym_evidence,
    source_holds=lambda ev: bool(np.isclose(ev.values["H_bits"], ev.values["middle_bits"])),
))


# --- property 4: additivity -------------------------------------------------

def _add_check(rng: np.random.Generator) -> bool:
    p, q = random_distribution(rng), random_distribution(rng)
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
    checks=r"the sentence: H(X, Y) = H(X) + H(Y) for random independent X and Y",
    correct=(r"True: surprises of independent events add, so their averages add too. The name has a slip "
             "(see the note)."),
    evidence=_add_evidence,
    random_check=_add_check,
    note=("The usual name is 可加性 (additivity); the source writes 增加性 ('increase'), a slip of the "
          "term that leaves the meaning clear, so the sentence is judged on its meaning, as the slip "
          "渐变下降法 ('gradual-change descent' for gradient descent) in the introduction is. Independence "
          "matters: in general "
          r"$H(X, Y) \le H(X) + H(Y)$, with equality if and only if $X$ and $Y$ are independent."),
))

__all__ = ["CHAPTER"]


# =============================================================================
# Exercises
# =============================================================================

DIE = np.full(6, 1 / 6)

NEG = "Entropy-type quantities are never negative: did you forget the minus sign in -Σ p·log p?"


# --- warm-up: the fair die ----------------------------------------------------

register_exercise(Exercise(
    id="entropy-fair-die", chapter=CHAPTER, title="Entropy of a fair die", style="warm-up",
    asks="the entropy of a fair six-sided die, in bits", unit="bits",
    data=lambda: {"p": DIE.copy()},
    reference=lambda: xl.entropy(DIE, base=2),
    mistakes=(
        Mistake(name="nats-not-bits", unit="nats", value=lambda: xl.entropy(DIE),
                hint="that is the entropy in nats (natural log). Bits use log base 2: pass `base=2`, "
                "or divide nats by ln 2."),
        Mistake(name="log10", unit="hartleys", value=lambda: xl.entropy(DIE, base=10),
                hint="that used log base 10 (units: hartleys). Bits use log base 2."),
        Mistake(name="minus-sign", value=lambda: -xl.entropy(DIE, base=2),
                hint="right size, wrong sign. " + NEG),
        Mistake(name="unweighted-sum", value=lambda: float(np.sum(-np.log2(DIE))),
                hint="you added the six surprises -log2 p without weighting each by its probability p. "
                "Entropy is the *average* surprise: sum p·(-log2 p) over the faces."),
    ),
    hint="six equally likely outcomes: add -p·log2(p) over all six faces (or pass `base=2` to xl.entropy).",
))


# --- from scratch: entropy in bits with NumPy ----------------------------------

def _entropy_cases() -> list[Case]:
    rng = np.random.default_rng(11)
    return [
        Case(name="a random distribution on 4 outcomes", args=(rng.dirichlet(np.ones(4)),)),
        Case(name="a random distribution on 30 outcomes", args=(rng.dirichlet(np.full(30, 0.5)),)),
        Case(name="a zero probability", args=(np.array([0.25, 0.0, 0.75]),)),
        Case(name="a certain outcome", args=(np.array([1.0, 0.0, 0.0]),)),
        Case(name="a uniform distribution on 1000 outcomes", args=(np.full(1000, 1 / 1000),)),
    ]


def _unweighted_bits(p: np.ndarray) -> float:
    """The typical slip: the surprises added up, not averaged (not weighted by p)."""
    nz = p[p > 0]
    return float(np.sum(-np.log2(nz)))


def _mean_of_terms_bits(p: np.ndarray) -> float:
    """The slip of averaging twice: np.mean of the terms -p log2 p instead of their sum."""
    nz = p[p > 0]
    return float(np.mean(-nz * np.log2(nz)))


#: The inf/nan hint of chapter 1's function exercises: a log of 0 (not the answer, only where it goes wrong).
ZERO_LOG = ("`np.log2(0)` is `-inf`, and `0 * -inf` is `nan`. The convention 0 log 0 = 0 says that an "
            "outcome of probability 0 adds nothing to the entropy: make sure no log of 0 enters your sum.")


register_exercise(Exercise(
    id="entropy-bits", chapter=CHAPTER, title="Entropy in bits, with NumPy only", style="from-scratch",
    asks="entropy_bits(p): the entropy of the distribution p in bits, with 0 log 0 = 0", unit="bits",
    data=lambda: {"p": np.array([0.5, 0.25, 0.25, 0.0])},
    reference=lambda p: xl.entropy(p, base=2),
    cases=_entropy_cases,
    mistakes=(
        Mistake(name="nats-not-bits", value=lambda p: xl.entropy(p),
                hint="that is the entropy in nats: `np.log` is the natural log. Bits use `np.log2`."),
        Mistake(name="minus-sign", value=lambda p: -xl.entropy(p, base=2),
                hint="right size, wrong sign: log2 p is negative for p < 1, so the surprise is -log2 p. " + NEG),
        Mistake(name="log10", value=lambda p: xl.entropy(p, base=10),
                hint="that used log base 10 (`np.log10`, units: hartleys). Bits use `np.log2`."),
        Mistake(name="unweighted-sum", value=_unweighted_bits,
                hint="you added the surprises -log2 p without weighting each by its probability p. "
                "Entropy is the *average* surprise: sum p·(-log2 p)."),
        Mistake(name="mean-not-sum", value=_mean_of_terms_bits,
                hint="you averaged the terms p·(-log2 p) (`np.mean` divides their sum by how many there "
                "are). The weights p already make the average: entropy *adds* the terms up."),
    ),
    hint="print the terms your function adds up for this input and compare each with p·(-log2 p): "
         "one term per outcome, none negative.",
    nonfinite_hint="inf or nan on this input: " + ZERO_LOG,
))


# --- find the bug: the entropy of coins, in bits ---------------------------------

def _coin_cases() -> list[Case]:
    rng = np.random.default_rng(12)
    return [
        Case(name="random coins", args=(rng.uniform(0.02, 0.98, size=6),)),
        Case(name="a fair coin", args=(np.array([0.5]),)),
        Case(name="a coin and its mirror image", args=(np.array([0.2, 0.8]),)),
        Case(name="a nearly certain coin", args=(np.array([0.999]),)),
    ]


register_exercise(Exercise(
    id="coin-entropy-bug", chapter=CHAPTER, title="The entropy of many coins at once", style="find-the-bug",
    asks="coin_entropy_bits(p_heads): the entropy in bits of each coin with P(heads) = p_heads (an array, "
         "0 < p_heads < 1)", unit="bits",
    data=lambda: {"p_heads": np.array([0.5, 0.9, 0.99])},
    reference=lambda p_heads: xl.binary_entropy(p_heads, base=2),
    cases=_coin_cases,
    mistakes=(
        Mistake(name="nats-not-bits", value=lambda p: xl.binary_entropy(p),
                hint="that is the bug, still there: `np.log` is the natural log, so the result is in nats, "
                "not bits. The unit follows the base of the logarithm: bits need `np.log2`."),
        Mistake(name="heads-only", value=lambda p: -p * np.log2(p),
                hint="only the heads term is left. A coin has two outcomes: add tails' term "
                "-(1 - p)·log2(1 - p)."),
        Mistake(name="minus-sign", value=lambda p: -xl.binary_entropy(p, base=2),
                hint="right size, wrong sign. " + NEG),
        Mistake(name="log10", value=lambda p: xl.binary_entropy(p, base=10),
                hint="that used log base 10 (`np.log10`; its unit is called the hartley). Bits use `np.log2`."),
        Mistake(name="times-ln2", value=lambda p: xl.binary_entropy(p) * np.log(2),
                hint="you multiplied the nats by ln 2; that goes the wrong way. 1 bit = ln 2 ≈ 0.693 nats, "
                "so the same entropy is a *larger* number in bits than in nats (see the section *Bits and nats*)."),
        Mistake(name="one-log-fixed-heads", value=lambda p: -(p * np.log2(p) + (1 - p) * np.log(1 - p)),
                hint="only the heads term uses log2; the tails term still uses `np.log` (nats). Both terms "
                "must be in the same unit: fix every log."),
        Mistake(name="one-log-fixed-tails", value=lambda p: -(p * np.log(p) + (1 - p) * np.log2(1 - p)),
                hint="only the tails term uses log2; the heads term still uses `np.log` (nats). Both terms "
                "must be in the same unit: fix every log."),
    ),
    hint="check it on a fair coin first: one toss of a fair coin carries exactly 1 bit.",
    nonfinite_hint=("inf or nan, although every coin here has 0 < p < 1: a log of 0 or of a negative number "
                    "(`np.log2` of a negative number is `nan`). Print the two probabilities your function "
                    "takes the log of, heads' and tails': both must be above 0."),
))


# --- predict, then run: split one outcome in two ---------------------------------

FORECAST = np.array([0.9, 0.1])        # dry, rain: the loaded coin's numbers


def _split_first(p, fraction: float = 0.5) -> np.ndarray:
    """``p`` with its first outcome split in two outcomes, in the proportions fraction : 1 - fraction."""
    p = np.asarray(p, dtype=float)
    return np.concatenate([[p[0] * fraction, p[0] * (1.0 - fraction)], p[1:]])


def _split_changes(n: int = 1000, seed: int = 13) -> np.ndarray:
    """H(after) - H(before) in bits: the forecast with dry split in halves (sunny, cloudy), then ``n``
    random distributions (2 to 6 outcomes) with their first outcome split at a random fraction."""
    rng = np.random.default_rng(seed)
    changes = [float(xl.entropy(_split_first(FORECAST), base=2) - xl.entropy(FORECAST, base=2))]
    for _ in range(n):
        p = rng.dirichlet(np.ones(int(rng.integers(2, 7))))
        f = rng.uniform(0.01, 0.99)
        changes.append(float(xl.entropy(_split_first(p, f), base=2) - xl.entropy(p, base=2)))
    return np.array(changes)


register_exercise(Exercise(
    id="entropy-split-outcome", chapter=CHAPTER, title="Split one outcome in two", style="predict",
    asks='your prediction: "a", "b", "c" or "d"', unit="",
    data=lambda: {"before": FORECAST.copy(), "after": _split_first(FORECAST)},
    # the option the computation supports: "a" grows, "b" same, "c" shrinks, "d" either way
    reference=lambda: ("a" if np.all(_split_changes() > 0) else "b" if np.allclose(_split_changes(), 0.0)
                       else "c" if np.all(_split_changes() < 0) else "d"),
    choices={
        "a": "The entropy grows",
        "b": "The entropy stays the same",
        "c": "The entropy shrinks",
        "d": "It depends on the distribution and on the split: sometimes it grows, sometimes it shrinks",
    },
    mistakes=(
        Mistake(name="same-total", value=lambda: "b",
                hint="the split outcome keeps its total probability, but entropy does not look at it as a "
                "group: it averages the surprise of every outcome the distribution tells apart. After the "
                "split there is one more thing to learn: which of the two parts happened?"),
        Mistake(name="less-likely-less-surprise", value=lambda: "c",
                hint="a less likely outcome is *more* surprising, not less: the surprise -log p rises as p "
                "falls. Compare the surprise of each part with the surprise of the outcome that was split."),
        Mistake(name="depends", value=lambda: "d",
                hint="think of it in two steps: first learn whether the old outcome happened, then, if it "
                "did, which of the two parts. Can the second step ever take uncertainty away?"),
    ),
))


# =============================================================================
# 1. Bernoulli entropy
# =============================================================================

@functools.lru_cache(maxsize=1)
def _bern_curve():
    p = np.linspace(0.0, 1.0, 201)
    return p, xl.binary_entropy(p, base=2)


def bernoulli_compute(p: float) -> dict:
    """Entropy of a coin with P(heads) = p, in bits and nats, and the whole curve."""
    cp, cb = _bern_curve()
    return {"p": float(p), "H_bits": float(xl.binary_entropy(p, base=2)), "H_nats": float(xl.binary_entropy(p)),
            "curve_p": cp, "curve_bits": cb}


def bernoulli_readout(s):
    return (f"p = {s['p']:.2f}: H(p) = {s['H_bits']:.3f} bits = {s['H_nats']:.3f} nats "
            f"(maximum 1 bit = {NATS_PER_BIT:.3f} nats at p = 0.5)")


def bernoulli_plotly(s):
    return {
        "data": [
            {"type": "scatter", "mode": "lines", "x": rounded(s["curve_p"]), "y": rounded(s["curve_bits"]),
             "name": "H(p) for every p", "line": {"color": C["blue"], "width": 3}, "hoverinfo": "skip"},
            *bernoulli_plotly_frame(s),
        ],
        "layout": layout(
            xaxis=axis("p = P(heads) [probability]", (-0.02, 1.02)),
            yaxis=axis("entropy H(p) [bits]", (0, 1.1)),
            margin={"l": 60, "r": 20, "t": 20, "b": 90}),
    }


def bernoulli_plotly_frame(s):
    return [
        {"type": "scatter", "mode": "lines", "x": [s["p"], s["p"]], "y": [0, round(s["H_bits"], 4)],
         "name": "current p", "line": {"color": C["orange"], "dash": "dash", "width": 2}, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "markers", "x": [s["p"]], "y": [round(s["H_bits"], 4)],
         "name": "H at the current p", "marker": {"color": C["vermillion"], "size": 14, "symbol": "circle"}},
    ]


def bernoulli_mpl_init(fig, s):
    ax = fig.add_subplot()
    ax.plot(s["curve_p"], s["curve_bits"], color=C["blue"], lw=2.5, label="H(p) for every p")
    line, = ax.plot([s["p"], s["p"]], [0, s["H_bits"]], color=C["orange"], ls="--", label="current p")
    dot, = ax.plot([s["p"]], [s["H_bits"]], "o", color=C["vermillion"], ms=10, label="H at the current p")
    ax.set(xlim=(-0.02, 1.02), ylim=(0, 1.1), xlabel="p = P(heads) [probability]", ylabel="entropy H(p) [bits]")
    ax.legend(loc="lower center")
    return {"line": line, "dot": dot}


def bernoulli_mpl_update(h, s):
    h["line"].set_data([s["p"], s["p"]], [0, s["H_bits"]])
    h["dot"].set_data([s["p"]], [s["H_bits"]])


BERNOULLI = register_explorer(Explorer(
    id="bernoulli",
    chapter=CHAPTER,
    title="Entropy of a biased coin",
    params=(Param.linear("p", "p = P(heads) [probability]", 0.0, 1.0, 0.01, 0.3, symbol="p"),),
    compute=bernoulli_compute, readout=bernoulli_readout,
    plotly_base=bernoulli_plotly, plotly_frame=bernoulli_plotly_frame, frame_traces=(1, 2),
    mpl_init=bernoulli_mpl_init, mpl_update=bernoulli_mpl_update,
    hint="Move p: the entropy is 0 bits for a certain coin (p = 0 or 1) and largest, 1 bit, for a fair coin.",
    alt="The binary entropy curve H(p) in bits against p, with a marker at the chosen p.",
    height=400, figsize=(6.4, 3.4),
))
# =============================================================================
# 2. Three outcomes on the simplex
# =============================================================================

SQ3 = math.sqrt(3.0) / 2.0
SIMPLEX_YMIN = -0.5


def _simplex_xy(p1, p2, p3):
    """Cartesian position: outcome 1 at (0, 0), outcome 2 at (1, 0), outcome 3 at (1/2, sqrt(3)/2)."""
    return p2 + 0.5 * p3, SQ3 * p3


@functools.lru_cache(maxsize=1)
def _simplex_heat(nx: int = 81):
    xs = np.linspace(0.0, 1.0, nx)
    ys = np.linspace(0.0, SQ3, int(round(nx * SQ3)))
    xx, yy = np.meshgrid(xs, ys)
    p3 = yy / SQ3
    p2 = xx - 0.5 * p3
    p1 = 1.0 - p2 - p3
    inside = (p1 >= -1e-9) & (p2 >= -1e-9) & (p3 >= -1e-9)
    P = np.clip(np.stack([p1, p2, p3], axis=-1), 0.0, 1.0)
    P = P / P.sum(axis=-1, keepdims=True)
    H = xl.entropy(P, base=2)
    return xs, ys, np.where(inside, H, np.nan)


def simplex_compute(p1: float, p2: float) -> dict:
    """Entropy of (p1, p2, 1 - p1 - p2) in bits and nats, and the entropy map of the simplex."""
    p3 = 1.0 - p1 - p2
    if abs(p3) < 1e-9:
        p3 = 0.0
    valid = p3 >= 0.0
    x, y = _simplex_xy(p1, p2, p3)
    y = max(y, SIMPLEX_YMIN + 0.05)  # points far outside are drawn at the lower edge
    xs, ys, H = _simplex_heat()
    out = {"p": np.array([p1, p2, p3]), "valid": bool(valid), "x": float(x), "y": float(y),
           "heat_x": xs, "heat_y": ys, "heat_bits": H, "H_max_bits": math.log2(3)}
    if valid:
        p = np.array([p1, p2, p3])
        out["H_bits"] = float(xl.entropy(p, base=2))
        out["H_nats"] = float(xl.entropy(p))
    else:
        out["H_bits"] = out["H_nats"] = float("nan")
    return out


def simplex_readout(s):
    p1, p2, p3 = s["p"]
    if not s["valid"]:
        return (f"p1 = {p1:.2f}, p2 = {p2:.2f} would need p3 = 1 − p1 − p2 = {p3:.2f} < 0: "
                "not a probability distribution (the marker is outside the triangle)")
    return (f"p = ({p1:.2f}, {p2:.2f}, {p3:.2f}): H(p) = {s['H_bits']:.3f} bits = {s['H_nats']:.3f} nats "
            f"(maximum log2 3 = {s['H_max_bits']:.3f} bits at the centre)")


def _triangle():
    return [0, 1, 0.5, 0], [0, 0, SQ3, 0]


#: Entropy bands of the site's simplex map: 0.1 bit wide, 0 to 1.6 bits (the maximum is log2 3 = 1.585 bits).
SIMPLEX_BANDS = tuple(round(0.1 * i, 1) for i in range(17))
#: Pixels across the simplex map's image (the site's figure is at most about 450 px wide).
SIMPLEX_PIXELS = 321


@functools.lru_cache(maxsize=1)
def _simplex_image():
    """The entropy map as a banded PNG (data: URI) and its extent (left, right), (bottom, top)."""
    xs, ys, H = _simplex_heat(SIMPLEX_PIXELS)
    dx, dy = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2  # grid points are pixel centres
    return explorers.banded_image(H, SIMPLEX_BANDS), (xs[0] - dx, xs[-1] + dx), (ys[0] - dy, ys[-1] + dy)


def simplex_plotly(s):
    tx, ty = _triangle()
    source, ext_x, ext_y = _simplex_image()
    return {
        "data": [
            explorers.colour_scale_trace("entropy H [bits]", SIMPLEX_BANDS, at=(0.5, 0.3),
                                         tickvals=[0, 0.4, 0.8, 1.2, 1.6]),
            {"type": "scatter", "mode": "lines+text", "x": tx, "y": ty, "line": {"color": GREY, "width": 1.5},
             "text": ["outcome 1", "outcome 2", "outcome 3", ""],
             "textposition": ["bottom center", "bottom center", "top center", "top center"],
             "name": "simplex", "hoverinfo": "skip", "showlegend": False},
            *simplex_plotly_frame(s),
        ],
        "layout": layout(
            showlegend=False,
            images=[explorers.image_layer(source, ext_x, ext_y)],
            # equal scales; on a narrow screen the plot area shrinks (constrain), not the ranges grow
            xaxis=axis("p2 + p3/2 [probability]", (-0.25, 1.25), showgrid=False, constrain="domain"),
            yaxis=axis("(√3/2)·p3 [probability]", (SIMPLEX_YMIN, 0.98), scaleanchor="x", showgrid=False,
                       constrain="domain"),
            margin={"l": 60, "r": 20, "t": 20, "b": 55}),
    }


def simplex_plotly_frame(s):
    colour = C["vermillion"] if s["valid"] else C["orange"]
    return [{"type": "scatter", "mode": "markers", "x": [round(s["x"], 4)], "y": [round(s["y"], 4)],
             "marker": {"color": colour, "size": 16, "symbol": "circle" if s["valid"] else "x",
                        "line": {"color": "white", "width": 2}},
             "name": "current distribution"}]


def simplex_mpl_init(fig, s):
    ax = fig.add_subplot()
    xs, ys, H = s["heat_x"], s["heat_y"], s["heat_bits"]
    im = ax.imshow(np.ma.masked_invalid(H), origin="lower", extent=(xs[0], xs[-1], ys[0], ys[-1]),
                   cmap="cividis", vmin=0, vmax=1.6, interpolation="nearest")
    fig.colorbar(im, ax=ax, label="entropy H [bits]")
    tx, ty = _triangle()
    ax.plot(tx, ty, color="black", lw=1.2)
    for (x, y), t, ha, va in zip([(0, 0), (1, 0), (0.5, SQ3)], ["outcome 1", "outcome 2", "outcome 3"],
                                 ["right", "left", "center"], ["top", "top", "bottom"], strict=False):
        ax.text(x, y, t, ha=ha, va=va)
    dot, = ax.plot([s["x"]], [s["y"]], "o", color=C["vermillion"], ms=12, mec="white", mew=2)
    ax.set(xlim=(-0.2, 1.2), ylim=(SIMPLEX_YMIN, 0.98), aspect="equal",
           xlabel="position on the simplex (p2 + p3/2) [probability]", ylabel="(√3/2)·p3 [probability]")
    ax.grid(False)
    return {"dot": dot}


def simplex_mpl_update(h, s):
    h["dot"].set_data([s["x"]], [s["y"]])
    h["dot"].set_marker("o" if s["valid"] else "X")
    h["dot"].set_color(C["vermillion"] if s["valid"] else C["orange"])


SIMPLEX = register_explorer(Explorer(
    id="simplex",
    chapter=CHAPTER,
    title="Three outcomes: entropy over the probability simplex",
    params=(Param.linear("p1", "p1 = P(outcome 1) [probability]", 0.0, 1.0, 0.05, 0.5, symbol="p1"),
            Param.linear("p2", "p2 = P(outcome 2) [probability]", 0.0, 1.0, 0.05, 0.25, symbol="p2")),
    compute=simplex_compute, readout=simplex_readout,
    plotly_base=simplex_plotly, plotly_frame=simplex_plotly_frame, frame_traces=(2,),
    mpl_init=simplex_mpl_init, mpl_update=simplex_mpl_update,
    hint="Move p1 and p2 (p3 = 1 − p1 − p2): the entropy is 0 at the corners and largest, log2 3 ≈ 1.585 bits, "
         "at the centre.",
    alt="A triangle coloured by entropy in bits (bright in the centre, dark at the corners) with a marker "
        "at the chosen distribution.",
    height=520, figsize=(6.0, 4.6),
))


# =============================================================================
# Self-checks (selfcheck.show("id") under "Check yourself"; see selfcheck.py)
# =============================================================================
from . import selfcheck as _sc  # noqa: E402

_sc.register_selfcheck(_sc.SelfCheck(
    id="entropy-which-largest", chapter=CHAPTER,
    question="Which distribution over four outcomes has the largest entropy?",
    options=(
        _sc.Option("(0.7, 0.1, 0.1, 0.1)", False,
                   "One outcome is likely, so on average you are less surprised: a peak lowers the entropy."),
        _sc.Option("(0.25, 0.25, 0.25, 0.25)", True,
                   "The uniform distribution is the least predictable; its entropy $\\log 4$ is the upper "
                   "bound $\\log n$ for four outcomes."),
        _sc.Option("(1, 0, 0, 0)", False,
                   "A certain outcome has surprise $-\\log 1 = 0$: this one has the *smallest* entropy, zero."),
        _sc.Option("All the same: each has four outcomes", False,
                   "Entropy depends on the probabilities, not only on how many outcomes there are; "
                   "$\\log n$ is only its upper bound."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="surprise-in-bits", chapter=CHAPTER, kind="number",
    question="An outcome has probability $p = 1/32$. What is its surprise $-\\log_2 p$, in bits?",
    answer=float(-np.log2(1 / 32)), tolerance=0.01, unit="bits",
    explanation="$1/32 = 1/2^5$: five yes/no questions find it among 32 equally likely outcomes.",
    mistakes=(
        _sc.Mistake(float(np.log(32)), "That is $\\ln 32$, the surprise in nats. Bits use $\\log_2$."),
        _sc.Mistake(float(np.log2(1 / 32)), "Mind the minus sign: $\\log_2 p < 0$ for $p < 1$, and surprise "
                    "is $-\\log_2 p$, never negative."),
        _sc.Mistake(1 / 32, "That is the probability itself; surprise is $-\\log_2 p$."),
        _sc.Mistake(32.0, "That is $1/p$, the number of equally likely outcomes, with no log taken. The "
                    "surprise is $\\log_2(1/p)$: the number of yes/no questions, each halving the list, "
                    "that find one of them."),
        _sc.Mistake(float(np.log10(32)), "That is $\\log_{10} 32$, a log in base 10. Bits use $\\log_2$."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="entropy-unit-of-np-log", chapter=CHAPTER,
    question="Code computes an entropy with `np.log` and prints 1.386. In which unit is that number?",
    options=(
        _sc.Option("Bits", False,
                   "The unit follows the logarithm, not the habit of information theory: `np.log` is "
                   "the natural log $\\ln$, so the number is in nats."),
        _sc.Option("Nats", True,
                   "`np.log` is $\\ln$; divide by $\\ln 2 \\approx 0.693$ to get bits: 1.386 nats = 2 bits."),
        _sc.Option("No unit: entropy is a pure number", False,
                   "Entropy is an average of $-\\log p$, and the base of the log fixes its unit: bits for "
                   "$\\log_2$, nats for $\\ln$. A number without its unit is ambiguous by a factor 1.44."),
    ),
))
