"""Claims of source §5 (future trends and challenges), each made concrete by a computation.

Rendered in chapter ``05_trends``.  The source lists four challenges; each is
audited here with a small, seeded experiment run by xentlib.
"""
from __future__ import annotations

from typing import Any

import numpy as np

import xentlib as xl
from xentlib import data, memory, models, optim, parallel
from xentlib.units import NATS_PER_BIT

from .claims import Claim, Evidence, register
from .exercises import Case, Exercise, Mistake, mean_loss
from .exercises import register as register_exercise

CHAPTER = "05_trends"


def _kappa(X) -> float:
    ev = np.linalg.eigvalsh(X.T @ X / X.shape[0])
    return float(ev[-1] / ev[0])


def _gd_steps(X, y, tol: float = 1e-3, max_steps: int = 20_000) -> int:
    """Full-batch GD steps (step 2 / lambda_max, i.e. 1 / M for the curvature bound M) until |grad| < tol."""
    lr = 2.0 / float(np.linalg.eigvalsh(X.T @ X / X.shape[0])[-1])
    model = models.SoftmaxRegression(X.shape[1], 2)
    return models.steps_to_gradnorm(model, X, y, optim.SGD(lr=lr), tol=tol, max_steps=max_steps)


def _shaped(n: int, d: int, kappa: float, seed) -> tuple[np.ndarray, np.ndarray]:
    """Inputs with exactly the condition number ``kappa`` (whitened), so that sizes can share it."""
    return data.make_conditioned(n, d, kappa=kappa, whiten=True, seed=seed)


def _work_per_step(n: int, d: int, k: int = 2) -> int:
    """Multiply-adds of one full-batch gradient of softmax regression: X @ W forward, X.T @ dz back."""
    return 2 * n * d * k


# ---------------------------------------------------------------------------
# 1. efficient optimisation
# ---------------------------------------------------------------------------

SIZE_FEATURES = (2, 20, 100)
SHAPE_KAPPAS = (1.0, 10.0, 100.0)


def _size_evidence() -> Evidence:
    n = 2000
    by_size = []
    for d in SIZE_FEATURES:                      # only the size changes (condition number 1)
        X, y = _shaped(n, d, 1.0, seed=0)
        by_size.append({"params": 2 * d + 2, "kappa": _kappa(X), "steps": _gd_steps(X, y),
                        "work": _work_per_step(n, d)})
    by_shape = []
    for kappa in SHAPE_KAPPAS:                   # only the condition number changes (2 features)
        X, y = _shaped(n, 2, kappa, seed=0)
        by_shape.append({"params": 6, "kappa": _kappa(X), "steps": _gd_steps(X, y)})
    lines = [f"Softmax regression on {n} examples, full-batch gradient descent (the standard step) until |gradient| < 1e-3;",
             "one thing changes at a time.",
             "Only the size changes (input condition number 1):"]
    for r in by_size:
        lines.append(f"  {r['params']:4d} parameters: {r['steps']:5d} steps, {r['work']:>10,d} multiply-adds per step")
    lines.append("Only the condition number changes (6 parameters):")
    for r in by_shape:
        lines.append(f"  condition number {r['kappa']:5.1f} [ratio]: {r['steps']:5d} steps")
    lines.append("More parameters: more work per step, about the same number of steps; a narrower valley: "
                 "more steps.")
    return Evidence("\n".join(lines), {"by_size": by_size, "by_shape": by_shape})


def _size_check(rng: np.random.Generator) -> bool:
    """The course's elaboration on random well-scaled problems (condition number 1).

    A small model (1-5 features) and a large one (20-30 features) both converge in under 40
    steps of gradient descent, while the work per step grows with the number of parameters.
    """
    n = int(rng.integers(400, 800))
    d_small, d_large = int(rng.integers(1, 6)), int(rng.integers(20, 31))
    steps = []
    for d in (d_small, d_large):
        X, y = _shaped(n, d, 1.0, seed=rng)
        steps.append(_gd_steps(X, y, max_steps=200))
    return bool(max(steps) < 40 and _work_per_step(n, d_large) > _work_per_step(n, d_small))


register(Claim(
    id="trends-optimization-speed",
    section="5",
    chapter=CHAPTER,
    source_zh="1. 高效的优化算法：随着模型规模的增加，梯度下降法的收敛速度将变得越来越慢。"
              "我们需要研究高效的优化算法，以提高训练速度和准确性。",
    translation="1. Efficient optimisation algorithms: as models grow, the convergence of gradient descent "
                "becomes slower and slower. We need to research efficient optimisation algorithms to "
                "improve training speed and accuracy.",
    verdict="correct",
    checks=r"the course's elaboration, not the sentence (how slow training gets depends on a scale no computation here reaches): on random well-scaled problems gradient descent converges in under 40 steps with 1-5 and with 20-30 features, while the work per step grows with the number of parameters",
    kin=r"as-scale-grows",
    correct="Yes, in training time: every step of a larger model costs more work. The number of steps "
            "depends mostly on how narrow the loss's valleys are (the condition number), not on the size "
            "alone, and momentum cuts it.",
    evidence=_size_evidence,
    random_check=_size_check,
    note="收敛速度 (convergence speed) can mean time or steps. Read as training time, the natural sense in a "
         "list of engineering challenges, the sentence is true. Counted in steps, size alone barely matters "
         "(the evidence changes one thing at a time); larger models are often worse conditioned, though, "
         "which is why better optimizers matter. Better optimizers do not by themselves improve "
         "*accuracy* on new data.",
))


# ---------------------------------------------------------------------------
# 2. adaptive learning rates
# ---------------------------------------------------------------------------

ADAM_LRS = (1e-5, 1e-3, 1e-1, 3.0)


def _adaptive_evidence() -> Evidence:
    X, y = data.make_moons(600, noise=0.2, seed=0)
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, test_fraction=0.5, seed=1)
    results = {}
    for lr in ADAM_LRS:
        net = models.MLP(2, 16, 2, seed=0)
        models.train(net, Xtr, ytr, optim.Adam(lr=lr), 300, record_every=300)
        results[lr] = {"test_loss": net.loss(Xte, yte), "test_acc": net.accuracy(Xte, yte)}
    lines = ["Adam (adaptive) on the moons MLP of chapter 4, 300 steps, only the base learning rate changes:"]
    for lr, r in results.items():
        lines.append(f"  base learning rate {lr:g}: test loss {r['test_loss']:.3f} nats, "
                     f"test accuracy {r['test_acc']:.1%}")
    spread = max(r["test_loss"] for r in results.values()) - min(r["test_loss"] for r in results.values())
    lines.append(f"Spread of the test loss across base learning rates: {spread:.3f} nats")
    return Evidence("\n".join(lines), {"results": {str(k): v for k, v in results.items()}, "spread": spread})


def _adaptive_check(rng: np.random.Generator) -> bool:
    """Both halves of the sentence, on random problems.

    (1) A fixed learning rate may need adjusting: on f(w) = c w^2 / 2 gradient descent with a fixed
    rate eta converges iff eta < 2 / c; a rate near 2 / sqrt(c1 c2) (c2 >= 4 c1) converges on the
    flat problem and diverges on the steep one.  (2) An adaptive method adjusts the step itself: one
    Adam step moves each parameter by about the base rate whatever its gradient's scale, where a
    gradient-descent step is proportional to the gradient.
    """
    c1 = float(10.0 ** rng.uniform(-1, 1))
    c2 = c1 * float(rng.uniform(4.0, 100.0))
    eta = 2.0 / np.sqrt(c1 * c2) * float(rng.uniform(0.8, 1.2))
    w1 = w2 = float(rng.uniform(0.5, 5.0))
    for _ in range(200):
        w1, w2 = w1 - eta * c1 * w1, w2 - eta * c2 * w2
    needs_adjusting = abs(w1) < 1e-3 and abs(w2) > 1e3
    g = rng.choice([-1.0, 1.0], size=4) * 10.0 ** rng.uniform(-3, 3, size=4)
    adam, sgd = {"w": np.zeros(4)}, {"w": np.zeros(4)}
    optim.Adam(lr=0.01).step(adam, {"w": g})
    optim.SGD(lr=0.01).step(sgd, {"w": g})
    adapts = np.allclose(np.abs(adam["w"]), 0.01, rtol=1e-3) and np.allclose(sgd["w"], -0.01 * g)
    return bool(needs_adjusting and adapts)


register(Claim(
    id="trends-adaptive-learning-rate",
    section="5",
    chapter=CHAPTER,
    source_zh="2. 自适应学习率：梯度下降法使用固定学习率，对于不同的问题，学习率可能需要调整。"
              "自适应学习率技术可以帮助我们自动调整学习率，以提高优化效果。",
    translation="2. Adaptive learning rates: gradient descent uses a fixed learning rate, which may need "
                "adjusting for different problems. Adaptive learning-rate techniques can help us adjust "
                "the learning rate automatically, to improve optimisation.",
    verdict="correct",
    checks=r"the sentence: plain gradient descent's fixed rate that converges on one quadratic diverges on a steeper one (it needs adjusting), and an Adam step adjusts itself to the gradient's scale per parameter, on random problems",
    kin=r"adaptive-learning-rate",
    correct=r"True. Plain gradient descent uses one fixed rate $\eta$, and a rate that works on one problem "
            "can diverge on another. Adagrad, RMSprop and Adam scale each parameter's step by the size of its "
            "past gradients, with no manual tuning per parameter.",
    note=r"On a quadratic with curvature $c$ gradient descent converges iff $\eta < 2/c$, so a fixed rate "
         "that suits a flat problem can diverge on a steep one (the random check). The adaptive methods "
         r"divide each step by $\sqrt{\cdot}$ of past squared gradients, which removes much of the "
         "sensitivity to the *scale* of each coordinate. Two caveats. Gradient descent *can* also vary its "
         "rate (schedules such as step decay, warm-up or cosine; line searches), and adaptive methods keep "
         "a global base learning rate that still has to be chosen: the evidence trains the same model with "
         "Adam at four base rates.",
    evidence=_adaptive_evidence,
    random_check=_adaptive_check,
))


# ---------------------------------------------------------------------------
# 3. distributed and parallel computation
# ---------------------------------------------------------------------------

def _parallel_check(rng: np.random.Generator) -> bool:
    n = int(rng.integers(4, 60))
    d, k = int(rng.integers(1, 5)), int(rng.integers(2, 6))
    n_shards = int(rng.integers(1, min(n, 6) + 1))
    X = rng.normal(size=(n, d))
    y = rng.integers(0, k, n)
    net = models.MLP(d, int(rng.integers(1, 8)), k, seed=rng)
    loss, full = net.loss_and_grad(X, y)
    ploss, pgrads, info = parallel.data_parallel_grad(net, X, y, n_shards)
    z = rng.normal(scale=10.0, size=(3, int(rng.integers(n_shards, 40))))
    lse_ok = np.allclose(parallel.vocab_parallel_logsumexp(z, n_shards), xl.logsumexp(z), rtol=1e-12)
    return (info["n_workers"] == n_shards and abs(ploss - loss) <= 1e-12 * max(1.0, abs(loss)) and lse_ok
            and all(np.allclose(pgrads[key], full[key], rtol=1e-10, atol=1e-14) for key in full))


register(Claim(
    id="trends-distributed",
    section="5",
    chapter=CHAPTER,
    source_zh="3. 分布式和并行计算：随着数据规模的增加，单机训练已经无法满足需求。"
              "我们需要研究分布式和并行计算技术，以实现高效的模型训练。",
    translation="3. Distributed and parallel computing: as data grow, training on a single machine no longer "
                "meets the need. We need to research distributed and parallel computing techniques for "
                "efficient model training.",
    verdict="correct",
    checks=r"the course's elaboration, not the sentence (whether one machine suffices depends on a scale no computation here reaches): data-parallel shard gradients and vocabulary-parallel log-sum-exp equal the single-worker ones, on random MLPs and batches",
    kin=r"as-scale-grows",
    correct="Yes, for large models and data sets, and cross-entropy splits cleanly: the gradient of a batch "
            "is the size-weighted average of its shards' gradients, and a log-sum-exp over a split "
            "vocabulary combines the shards' log-sum-exps.",
    random_check=_parallel_check,
    note="'Single machines no longer suffice' is true only at scale: every model of this course trains on "
         "one CPU core in seconds. Data parallelism (shards of a batch) is exact up to rounding; vocabulary "
         "parallelism sends one log-sum-exp per token and device. The random check runs the shards on "
         "concurrent worker threads.",
))


# ---------------------------------------------------------------------------
# 4. sparse and heterogeneous data
# ---------------------------------------------------------------------------

def _sparse_check(rng: np.random.Generator) -> bool:
    n, k = int(rng.integers(1, 40)), int(rng.integers(2, 50))
    z = rng.normal(scale=3.0, size=(n, k))
    t = rng.integers(0, k, n)
    l_idx, g_idx = xl.softmax_cross_entropy(z, t, return_grad=True)
    onehot = data.one_hot(t, k, dtype=np.float64)
    l_oh, g_oh = xl.softmax_cross_entropy(z, onehot, return_grad=True)
    # the memory as in the chapter: int64 indices (8 bytes) vs float32 one-hot rows (4 bytes per class)
    mem = memory.target_nbytes(n, k, index_dtype=np.int64, onehot_dtype=np.float32)
    return (np.isclose(l_idx, l_oh, rtol=1e-12) and np.allclose(g_idx, g_oh, rtol=1e-12, atol=1e-15)
            and mem["index"] * k == 2 * mem["one_hot"])


register(Claim(
    id="trends-sparse-data",
    section="5",
    chapter=CHAPTER,
    source_zh="4. 稀疏数据和异构数据：随着数据来源的多样化，我们需要研究如何处理稀疏数据和异构数据，"
              "以提高模型的泛化能力。",
    translation="4. Sparse and heterogeneous data: as data sources diversify, we need to research how to "
                "handle sparse and heterogeneous data, to improve the generalisation of models.",
    verdict="correct",
    checks=r"the course's elaboration, not the sentence (a research direction): index and one-hot targets give the same loss and gradient, the one-hot array taking K/2 times the memory of the index array (float32 one-hot rows vs int64 indices), on random logits",
    correct="Yes, as a research direction. For cross-entropy: store targets as class indices, not one-hot "
            "rows (the same loss, far less memory), and give rare input features larger steps, as Adagrad does.",
    random_check=_sparse_check,
    note="Two sparse cases matter most. **Sparse targets**: an int64 index takes 8 bytes, a float32 "
         "one-hot row of $K$ classes $4K$ bytes, $K/2$ times more, for the same loss and gradient. **Sparse features** (most inputs "
         "zero, rare features informative): per-coordinate step sizes such as Adagrad's give rare features "
         "larger steps. The source does not say what 'heterogeneous data' means or how handling it would improve "
         "generalisation; sparse representations mostly save memory and time.",
))


# =============================================================================
# Exercises
# =============================================================================

def _shard_batch():
    """The batch the two workers share (8 rows of 5 logits): the checker's, never shown to the student."""
    rng = np.random.default_rng(7)
    logits = rng.normal(0.0, 2.0, size=(8, 5))
    targets = rng.integers(0, 5, size=8)
    return logits, targets, (2, 6)


def _shard_losses():
    z, y, sizes = _shard_batch()
    a = sizes[0]
    return mean_loss(z[:a], y[:a]), mean_loss(z[a:], y[a:]), sizes


def _shard_data():
    """What the workers report: each shard's mean loss (nats) and size, nothing else."""
    l1, l2, sizes = _shard_losses()
    return {"shard_means": (l1, l2), "shard_sizes": sizes}


register_exercise(Exercise(
    id="shard-mean-loss", chapter=CHAPTER, title="Combining losses from unequal shards", style="problem",
    asks="the mean loss over the whole batch of 8, from the two shards' mean losses, in nats", unit="nats",
    data=_shard_data,
    reference=lambda: mean_loss(*_shard_batch()[:2]),
    mistakes=(
        Mistake(name="unweighted", value=lambda: float(np.mean(_shard_losses()[:2])),
                hint="sum vs mean: the shards have 2 and 6 examples; averaging their means gives the "
                "small shard twice its share of the weight (1/2 instead of 2/8). Weight each shard's mean by its size."),
        Mistake(name="swapped-weights",
                value=lambda: float(np.dot(_shard_losses()[:2], _shard_losses()[2][::-1]) / 8),
                hint="each mean is weighted by the *other* shard's size: the mean of the shard of 2 examples "
                "should count 2 times, the mean of the shard of 6 examples 6 times."),
        Mistake(name="sum", value=lambda: float(np.dot(_shard_losses()[:2], _shard_losses()[2])),
                hint="sum vs mean: that is the total (summed) loss; divide by the 8 examples."),
        Mistake(name="bits-not-nats", unit="bits",
                value=lambda: mean_loss(*_shard_batch()[:2]) / NATS_PER_BIT,
                hint="that is in bits; the question asks for nats."),
    ),
))


# --- from scratch: a log-sum-exp that never overflows --------------------------------------------

def _lse_cases() -> list[Case]:
    rng = np.random.default_rng(5)
    return [
        Case(name="a random row of 6 logits", args=(rng.normal(0.0, 3.0, size=6).round(3),)),
        Case(name="logits of +1000 and -1000 (e^1000 overflows)", args=(np.array([1000.0, 999.0, -1000.0]),)),
        Case(name="logits near -1000 (e^-1000 underflows to 0)", args=(np.array([-1000.0, -1000.0, -1001.0]),)),
        Case(name="one logit", args=(np.array([2.5]),)),
        Case(name="a random batch of 4 rows (one log-sum-exp per row, axis=-1)",
             args=(rng.normal(0.0, 3.0, size=(4, 4)).round(3),)),
        Case(name="a batch of 2 rows, one near +1000 and one near -1000 (each row needs its own largest logit)",
             args=(np.array([[1000.0, 998.0, 997.0], [-1000.0, -1002.0, -1003.0]]),)),
    ]


def _lse_shifted(z, axis: int = -1, *, add_back: bool = True, mean: bool = False):
    """log(sum or mean of e^(z - m)) (+ m), with m the largest logit along ``axis``: the mistakes' shapes."""
    z = np.asarray(z, dtype=float)
    m = np.max(z, axis=axis, keepdims=True)
    e = np.exp(z - m)
    s = np.mean(e, axis=axis, keepdims=True) if mean else np.sum(e, axis=axis, keepdims=True)
    out = np.log(s) + (m if add_back else 0.0)
    return np.squeeze(out, axis=axis)


def _lse_no_keepdims(z):
    """The row maxima taken without ``keepdims``: on a square batch they broadcast along the columns."""
    z = np.asarray(z, dtype=float)
    m = np.max(z, axis=-1)
    return np.log(np.sum(np.exp(z - m), axis=-1)) + m


def _lse_reference(*args: Any) -> Any:
    """xentlib's log-sum-exp over the last axis of a case's logits: what ``log_sum_exp(z)`` must return.

    (``*args``: ``Exercise.reference`` is typed as taking no argument; a function exercise's takes the case's.)
    """
    (z,) = args
    return xl.logsumexp(z, axis=-1)


register_exercise(Exercise(
    id="logsumexp-from-scratch", chapter=CHAPTER, title="A log-sum-exp that never overflows", style="from-scratch",
    asks="log_sum_exp(z): the log-sum-exp of the logits z over the last axis (one number per row), in nats",
    unit="nats",
    data=lambda: {"logits": _lse_cases()[0].args[0]},
    reference=_lse_reference,
    cases=_lse_cases,
    mistakes=(
        Mistake(name="shift-not-undone", value=lambda z: _lse_shifted(z, add_back=False),
                hint="you subtracted the largest logit before exponentiating, but did not undo that shift "
                "afterwards: the result must not depend on where the logits sit."),
        Mistake(name="max-only", value=lambda z: np.max(z, axis=-1),
                hint="the largest logit alone is only a lower bound of the log-sum-exp: the other logits' "
                "exponentials count too."),
        Mistake(name="log-mean-exp", value=lambda z: _lse_shifted(z, mean=True),
                hint="sum vs mean: that is the log of the *mean* of the exponentials; the log-sum-exp (the "
                "softmax's normaliser) sums them."),
        Mistake(name="wrong-axis", value=lambda z: _lse_shifted(z, axis=0),
                hint="the wrong axis: on a batch, each row holds the logits of one example, so reduce over "
                "the last axis (axis=-1), not down the columns (axis=0)."),
        Mistake(name="max-without-keepdims", value=_lse_no_keepdims,
                hint="one maximum per row, but in the wrong shape: np.max(..., axis=-1) on a batch has shape "
                "(rows,), and subtracting it from a (rows, columns) array lines it up with the *columns*: the "
                "first row's maximum is subtracted from the first column, and so on. keepdims=True keeps the "
                "maxima in the shape (rows, 1), one per row."),
    ),
    hint="on this input, print each intermediate array of your function and compare with "
         "np.log(np.sum(np.exp(z), axis=-1)) computed directly (safe here, since these logits are small): "
         "the first step where they part is the bug.",
    nonfinite_hint="inf or nan means an exponential left the float range: e^1000 overflows to inf, and "
                   "e^-1000 underflows to 0, whose log is -inf. Shift before exponentiating so that each "
                   "row's largest exponent is 0; one shift for the whole batch leaves a row far below "
                   "the batch's largest logit at 0.",
))


# --- predict: a uniform model on a vocabulary twice as large -------------------------------------

VOCAB_SMALL = 1000


def _uniform_loss(vocab: int) -> float:
    """The mean loss in nats of a model whose logits are all equal (uniform over ``vocab`` tokens)."""
    return mean_loss(np.zeros(vocab), 0)


def _vocab_outcome() -> str:
    small, large = _uniform_loss(VOCAB_SMALL), _uniform_loss(2 * VOCAB_SMALL)
    if np.isclose(large, small + np.log(2.0)):
        return "b"
    if np.isclose(large, 2.0 * small):
        return "a"
    if np.isclose(large, small):
        return "c"
    return "d"


register_exercise(Exercise(
    id="uniform-vocab-doubling", chapter=CHAPTER, title="A uniform model on a vocabulary twice as large",
    style="predict",
    asks='the key of the option you predict, "a", "b", "c" or "d"', unit="",
    data=lambda: {"vocab": VOCAB_SMALL, "doubled": 2 * VOCAB_SMALL},
    choices={"a": "the loss doubles",
             "b": "the loss grows by ln 2 nats (1 bit), whatever the vocabulary's size",
             "c": "the loss stays the same: every token is still equally likely",
             "d": "the loss halves: every token's probability halves"},
    reference=_vocab_outcome,
    mistakes=(
        Mistake(name="doubles", value=lambda: "a",
                hint="the loss is minus the log of the right token's probability, and a log turns a factor "
                "into a sum: halving a probability does not double its log."),
        Mistake(name="same", value=lambda: "c",
                hint="equally likely does not mean as likely as before: with twice as many tokens, each one "
                "gets half the probability, and the loss depends on that probability."),
        Mistake(name="halves", value=lambda: "d",
                hint="the probabilities halve, not the loss: the loss is minus the log of a probability, so a "
                "smaller probability gives a larger loss."),
    ),
))


# --- find the bug: perplexity from a loss in nats ------------------------------------------------

def _perplexity_cases() -> list[Case]:
    rng = np.random.default_rng(3)
    return [
        Case(name="a random mean loss", args=(round(float(rng.uniform(1.5, 4.5)), 3),)),
        Case(name="a loss of 0 nats (always sure, always right)", args=(0.0,)),
        Case(name="the loss of a uniform model over 1000 tokens", args=(_uniform_loss(VOCAB_SMALL),)),
        Case(name="an array of mean losses, one per epoch (math.exp takes one number; np.exp takes arrays)", args=(rng.uniform(0.5, 3.0, size=4).round(3),)),
    ]


def _perplexity(*args: Any) -> Any:
    """xentlib's perplexity of each mean loss of a case (nats): ``perplexity(nll=...)`` over an axis of one token.

    (``*args``: ``Exercise.reference`` is typed as taking no argument; a function exercise's takes the case's.)
    """
    (mean_loss_nats,) = args
    arr = np.asarray(mean_loss_nats, dtype=float)
    return xl.perplexity(nll=arr.reshape(arr.shape + (1,)))


register_exercise(Exercise(
    id="perplexity-bug", chapter=CHAPTER, title="Perplexity from a loss in nats", style="find-the-bug",
    asks="perplexity(mean_loss): the perplexity of a model whose mean loss is mean_loss nats (a number of tokens)",
    unit="tokens",
    data=lambda: {"vocab": VOCAB_SMALL},
    reference=_perplexity,
    cases=_perplexity_cases,
    mistakes=(
        Mistake(name="bits-not-nats", value=lambda loss: 2.0 ** np.asarray(loss, dtype=float),
                hint="bits vs nats: a power of 2 undoes a loss measured in bits (log base 2), but this loss is "
                "in nats (the natural log, np.log). Undo the logarithm the loss was measured with."),
        Mistake(name="wrong-conversion",
                value=lambda loss: 2.0 ** (np.asarray(loss, dtype=float) * NATS_PER_BIT),
                hint="bits vs nats, converted the wrong way: 1 bit is ln 2 nats (about 0.69 nats), so a loss "
                "has more bits than nats, not fewer."),
        Mistake(name="minus-sign", value=lambda loss: np.exp(-np.asarray(loss, dtype=float)),
                hint="a sign error: a perplexity counts tokens and is at least 1, while a power with a "
                "negative exponent is at most 1."),
        Mistake(name="power-of-10", value=lambda loss: 10.0 ** np.asarray(loss, dtype=float),
                hint="a power of 10 undoes a log base 10, but which logarithm was this loss measured with? "
                "The loss is in nats. Undo that logarithm."),
    ),
    nonfinite_hint="inf or nan: for a loss of a few nats the perplexity is a modest number of tokens. Look "
                   "for a division by 0 (np.log(1) is 0) or a power of a number much larger than the loss; "
                   "print the exponent you compute on this input.",
))


# --- index targets versus one-hot targets --------------------------------------------------------

MEM_BATCH, MEM_SEQ, MEM_BUDGET_GIB = 12, 1024, 2
GIB = 2.0 ** 30


def _max_vocab(bytes_per_unit: float = GIB, itemsize: int | None = None, batch: int = MEM_BATCH) -> float:
    """The vocabulary whose one-hot targets of one batch fill the budget exactly (a number of tokens).

    The mistakes change one ingredient: the bytes per GiB, the bytes per number, the batch.
    """
    size = np.dtype(np.float32).itemsize if itemsize is None else itemsize
    return MEM_BUDGET_GIB * bytes_per_unit / (batch * MEM_SEQ * size)


register_exercise(Exercise(
    id="onehot-memory", chapter=CHAPTER, title="Index targets versus one-hot targets", style="problem",
    asks="the largest vocabulary whose float32 one-hot targets for 12 sequences of 1024 tokens fit in "
    "2 GiB, a whole number of tokens", unit="tokens",
    data=lambda: {"batch": MEM_BATCH, "seq_len": MEM_SEQ, "budget_gib": MEM_BUDGET_GIB},
    reference=lambda: float(np.floor(_max_vocab())),   # a whole number of tokens
    rtol=1e-4,   # 5 significant digits: a vocabulary 10 tokens too large does not fit
    mistakes=(
        Mistake(name="gb-not-gib", value=lambda: _max_vocab(bytes_per_unit=1e9),
                hint="that takes 1 GiB as 10^9 bytes (a GB); 1 GiB is 2^30 bytes."),
        Mistake(name="mib-not-gib", value=lambda: _max_vocab(bytes_per_unit=2.0 ** 20),
                hint="that takes 1 GiB as 2^20 bytes, which is a MiB; 1 GiB is 2^30 bytes (1024 MiB)."),
        Mistake(name="gib-not-converted", value=lambda: _max_vocab(bytes_per_unit=1.0),
                hint="a vocabulary far below one token: the budget of 2 GiB was used as 2 bytes. Convert it "
                "to bytes first (1 GiB is 2^30 bytes), since the array's size is counted in bytes."),
        Mistake(name="no-bytes-per-number", value=lambda: _max_vocab(itemsize=1),
                hint="you counted numbers, not bytes: each float32 number of the one-hot array takes "
                "4 bytes (np.dtype(np.float32).itemsize)."),
        Mistake(name="float64", value=lambda: _max_vocab(itemsize=np.dtype(np.float64).itemsize),
                hint="float32 takes 4 bytes per number, not 8."),
        Mistake(name="no-batch", value=lambda: _max_vocab(batch=1),
                hint="you forgot the batch: 12 sequences, each of 1024 tokens, each with its own one-hot row."),
    ),
))


# =============================================================================
# Self-checks (selfcheck.show("id") under "Check yourself"; see selfcheck.py)
# =============================================================================
from . import selfcheck as _sc  # noqa: E402

_sc.register_selfcheck(_sc.SelfCheck(
    id="narrow-valley-steps", chapter=CHAPTER,
    question="Gradient descent, with the learning rate set by the steepest curvature, runs on two losses, one "
             "with condition number $\\kappa = 10$ and one with $\\kappa = 100$. Roughly how many more steps "
             "does the second need?",
    options=(
        _sc.Option("About 10 times as many", True,
                   "The step count grows in proportion to $\\kappa$: the steep direction caps the "
                   "learning rate, and with it the progress along the flat one."),
        _sc.Option("The same: just raise the learning rate", False,
                   "The steep direction caps the learning rate: above that cap the steps overshoot and the "
                   "weights run off to ever larger values, so it cannot be raised to speed up the flat "
                   "direction."),
        _sc.Option("Fewer: a steeper valley means faster descent", False,
                   "Steep across, flat along: the steps must stay small for the steep direction and "
                   "crawl along the flat one."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="adam-still-needs-lr", chapter=CHAPTER,
    question="Adam adapts each weight's step. Do you still have to choose a learning rate?",
    options=(
        _sc.Option("No: Adam finds the learning rate by itself", False,
                   "Adam divides each gradient by its typical size (the square root of a running average of "
                   "its square); the base learning rate still multiplies every step, and a bad one still fails."),
        _sc.Option("Yes: it sets the overall size of every step", True,
                   "Adaptive methods rescale the steps per weight, but the base learning rate (and its "
                   "schedule) still has to be chosen."),
        _sc.Option("Only when the data are sparse", False,
                   "Sparse data are where per-weight scaling (Adagrad) helps most; the base learning rate "
                   "is needed on any data."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="momentum-why", chapter=CHAPTER,
    question="Why does momentum speed up gradient descent in a narrow valley?",
    options=(
        _sc.Option("It raises the learning rate", False,
                   "The learning rate $\\eta$ is unchanged. The velocity (an exponentially weighted sum of the "
                   "past gradients) does make the steps up to 10 times longer (the build-up 1/(1 - 0.9) printed "
                   "in §5.1), but only where successive gradients agree, along the valley's floor; across the "
                   "valley they alternate in sign and cancel. A larger learning rate would lengthen the steps "
                   "across the valley too."),
        _sc.Option("It divides each weight's gradient by its typical size", False,
                   "That is what adaptive methods (Adagrad, RMSprop, Adam) do; momentum accumulates "
                   "gradients instead."),
        _sc.Option("Steps across the valley cancel, steps along it add up", True,
                   "It accumulates past gradients: the zig-zag across the valley alternates in sign and "
                   "cancels, the steady slope along it builds speed."),
    ),
))
