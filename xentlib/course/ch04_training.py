"""Claims of source §4 (the TensorFlow example): data, model, loss, optimizer, loop.

Rendered in chapter ``04_training``.  The source's Keras model is replicated
in NumPy (:class:`xl.models.DenseReluSoftmax`) so that every counterexample
is computed here, with xentlib, without TensorFlow.  Every run is seeded.
"""
from __future__ import annotations

import functools
import math

import numpy as np

import xentlib as xl
from xentlib import data, models, optim, plotting
from xentlib.plotting import OKABE_ITO as C
from xentlib.units import NATS_PER_BIT

from . import explorers
from .claims import Claim, Evidence, register
from .exercises import Case, Exercise, Mistake, mean_loss
from .exercises import register as register_exercise
from .explorers import GREY, Explorer, Param, axis, layout, rounded
from .explorers import register as register_explorer

CHAPTER = "04_training"

SOURCE_DATA_CODE = ("```python\nimport numpy as np\n\n"
                    "X = np.random.rand(100, 2)\ny = np.random.randint(0, 2, 100)\n```")
SOURCE_MODEL_CODE = ("```python\nimport tensorflow as tf\n\n"
                     "model = tf.keras.Sequential([\n"
                     "    tf.keras.layers.Dense(4, activation='relu', input_shape=(2,)),\n"
                     "    tf.keras.layers.Softmax()\n])\n```")
SOURCE_LOSS_CODE = "```python\ncross_entropy = tf.keras.losses.CategoricalCrossentropy()\n```"
SOURCE_OPT_CODE = "```python\noptimizer = tf.keras.optimizers.SGD(learning_rate=0.1)\n```"
SOURCE_LOOP_CODE = ("```python\nfor i in range(1000):\n"
                    "    with tf.GradientTape() as tape:\n"
                    "        logits = model(X)\n"
                    "        loss = cross_entropy(y, logits)\n"
                    "    gradients = tape.gradient(loss, model.trainable_variables)\n"
                    "    optimizer.apply_gradients(zip(gradients, model.trainable_variables))\n```")


def _source_data(seed: int = 0):
    """The source's data, seeded: 100 samples, X uniform on [0, 1)^2, y independent."""
    return data.source_setup(100, seed=seed)


def _fresh_test(seed: int = 12345, n: int = 10_000):
    """New data from the same process as the source's (for a held-out estimate)."""
    return data.source_setup(n, seed=seed)


def _run_source_loop(seed: int = 0, steps: int = 1000):
    """The source's loop with its loss repaired (sparse targets), on the NumPy replica."""
    X, y = _source_data(seed)
    model = models.DenseReluSoftmax(2, 4, seed=seed)
    start_loss = model.loss(X, y)
    hist = models.train(model, X, y, optim.SGD(lr=0.1), steps, record_every=steps)
    return model, X, y, start_loss, hist


# ---------------------------------------------------------------------------
# §4 introduction
# ---------------------------------------------------------------------------

def _demonstration_evidence() -> Evidence:
    X, y = _source_data(0)
    probs = models.DenseReluSoftmax(2, 4, seed=0).predict_proba(X)
    runs = probs.shape == y.shape            # CategoricalCrossentropy needs equal shapes
    model, X, y, start, hist = _run_source_loop(0)
    Xte, yte = _fresh_test()
    test_acc = model.accuracy(Xte, yte)
    test_loss = model.loss(Xte, yte)
    text = (f"1. The loss line cannot run as written: y has shape {y.shape}, the model output {probs.shape} "
            f"(the label-format bug, judged in the loss box).\n"
            f"2. With the loss repaired (index targets), the 1000 steps lower the training loss from "
            f"{start:.3f} to {hist['train_loss'][-1]:.3f} nats: the loop optimises.\n"
            f"3. The labels are coin flips, so nothing carries over to new data: accuracy on 10000 new "
            f"samples {test_acc:.1%}, loss {test_loss:.3f} nats "
            f"(a constant 50/50 guess scores {NATS_PER_BIT:.3f} nats).")
    return Evidence(text, {"runs": runs, "test_acc": test_acc, "test_loss": test_loss,
                           "train_loss_start": start, "train_loss_end": hist["train_loss"][-1]})


register(Claim(
    id="training-demonstration",
    section="4",
    chapter=CHAPTER,
    source_zh="在本节中，我们将通过一个简单的二分类问题来展示如何使用交叉熵损失函数和梯度下降法进行优化。",
    translation="In this section we show, with a simple binary classification problem, how to optimise "
                "with the cross-entropy loss and gradient descent.",
    verdict="correct",
    checks=r"the loop of §4 on the NumPy replica of the source's model (loss line repaired), random data: "
           r"one pass is one full-batch step theta - 0.1 * gradient, and 20 passes do not raise the training loss",
    correct="Yes, as a plan: the section's code minimises a cross-entropy loss by gradient descent. As written "
            "it stops at its loss line because of the label format, a bug judged once, in the loss box (§4.3).",
    note="Read charitably, the sentence announces a plan (optimise with cross-entropy and gradient descent), "
         "and the code carries it out except for one line; that line's failure is judged in "
         "`training-loss-integer-labels`, not again here, as for the loop box (§4.5). "
         "The sentence promises optimisation, not learning: repaired, the loop optimises, but on coin-flip "
         "labels (the data box below) it learns nothing that carries over to new data.",
    evidence=_demonstration_evidence,
    random_check=lambda rng: _loop_check(rng),
    # repaired, the 1000 steps of the section's code lower the training loss
    source_holds=lambda ev: ev.values["train_loss_end"] < ev.values["train_loss_start"],
))


# ---------------------------------------------------------------------------
# §4.1 data
# ---------------------------------------------------------------------------

def _class_sizes_evidence() -> Evidence:
    X, y = _source_data(0)
    counts = np.bincount(y, minlength=2)
    zeros = [int(np.bincount(data.source_setup(100, seed=s)[1], minlength=2)[0]) for s in range(1000)]
    text = (f"X.shape = {X.shape}, y.shape = {y.shape}: {X.shape[0]} samples in total, not 100 per class.\n"
            f"Class sizes (seed 0): class 0 -> {counts[0]} samples, class 1 -> {counts[1]} samples.\n"
            f"Over seeds 0-999 the size of class 0 ranges from {min(zeros)} to {max(zeros)} samples: "
            f"random, because y is drawn at random.")
    return Evidence(text, {"n_total": int(X.shape[0]), "counts": counts.tolist(),
                           "class0_range": (min(zeros), max(zeros))})


register(Claim(
    id="training-data-class-sizes",
    section="4.1",
    chapter=CHAPTER,
    source_zh="我们使用一个简单的二分类数据集，其中包含两个类别，每个类别包含100个样本。",
    translation="We use a simple binary classification data set containing two classes, "
                "each class containing 100 samples.",
    verdict="incorrect",
    reading=r"'the data set of the code has two classes of 100 samples each'",
    correct="The code makes **100 samples in total**, and the size of each class is random "
            "(about 50), because every label is a coin flip.",
    note="`np.random.rand(100, 2)` draws 100 points; the size of class 0 is a binomial count (the number of 0s in 100 coin flips).",
    evidence=_class_sizes_evidence,
    source_holds=lambda ev: all(c == 100 for c in ev.values["counts"]),
))


def _random_labels_evidence() -> Evidence:
    X, y = _source_data(0)
    Xte, yte = _fresh_test()
    net = models.MLP(2, 16, 2, seed=0)                  # the chapter's network (section 4.2)
    hist = models.train(net, X, y, optim.SGD(lr=0.5), 2000, record_every=2000)
    train_acc, test_acc = net.accuracy(X, y), net.accuracy(Xte, yte)
    test_loss = net.loss(Xte, yte)
    unseeded = [np.random.RandomState().rand(100, 2) for _ in range(2)]
    same = bool(np.array_equal(unseeded[0], unseeded[1]))

    def figure():
        import matplotlib.pyplot as plt

        plotting.use_course_style()
        fig, ax = plt.subplots(figsize=(5.2, 4.0))
        for c, marker, colour in ((0, "o", plotting.OKABE_ITO["blue"]), (1, "^", plotting.OKABE_ITO["orange"])):
            ax.scatter(X[y == c, 0], X[y == c, 1], marker=marker, color=colour, label=f"label {c}", s=30)
        ax.set_xlabel("feature x1 [no unit]")
        ax.set_ylabel("feature x2 [no unit]")
        ax.set_title("The source's data: labels are coin flips")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        fig.tight_layout()
        return fig

    text = (f"The chapter's 2-16-2 network (section 4.2), 2000 full-batch gradient steps on the source's 100 samples:\n"
            f"  training accuracy {train_acc:.1%}, training loss {hist['train_loss'][-1]:.3f} nats "
            f"(it starts to memorise the coin flips)\n"
            f"  on 10000 new samples from the same process: accuracy {test_acc:.1%}, "
            f"loss {test_loss:.3f} nats (ln 2 = {NATS_PER_BIT:.3f} nats = 1 bit)\n"
            f"Two unseeded runs of np.random.rand(100, 2) give the same X: {same} (no seed)")
    return Evidence(text, {"train_acc": train_acc, "test_acc": test_acc, "test_loss": test_loss,
                           "unseeded_identical": same}, figure)


def _random_labels_check(rng: np.random.Generator) -> bool:
    # the quoted code itself, on a seeded generator: 100 points in the unit square, labels 0 or 1
    state = np.random.RandomState(int(rng.integers(2**31)))
    X = state.rand(100, 2)
    y = state.randint(0, 2, 100)
    return (X.shape == (100, 2) and bool(np.all((X >= 0) & (X < 1))) and y.shape == (100,)
            and set(np.unique(y).tolist()) <= {0, 1})


register(Claim(
    id="training-data-random-labels",
    section="4.1",
    chapter=CHAPTER,
    source_zh=SOURCE_DATA_CODE,
    translation="Inputs: 100 points drawn uniformly from the unit square. "
                "Labels: 100 independent fair coin flips (0 or 1).",
    verdict="correct",
    checks=r"the quoted code, on a seeded generator: 100 points in the unit square, each labelled 0 or 1",
    correct="Yes, as placeholder data: 100 random points, each labelled 0 or 1, enough to run the loop. "
            "But the labels are coin flips that do not depend on the points, so a model can only "
            "memorise them, not learn a rule for new points.",
    evidence=_random_labels_evidence,
    random_check=_random_labels_check,
    note="The source promises to show optimisation, which such data allows, not learning. To show learning, "
         "labels must depend on `X` and be tested on held-out data (the repair in section 4.2 of this chapter); "
         r"on new coin flips no model beats accuracy 50 % or loss $\ln 2 \approx 0.693$ nats on average. "
         "The code has no seed, so every run draws different data.",
))


# ---------------------------------------------------------------------------
# §4.2 model
# ---------------------------------------------------------------------------

def _hidden_layer_evidence() -> Evidence:
    model = models.DenseReluSoftmax(2, 4, seed=0)
    shapes = {k: v.shape for k, v in model.params.items()}
    X, _ = _source_data(0)
    out = model.predict_proba(X)
    real = models.MLP(2, 8, 2, seed=0)
    real_shapes = {k: v.shape for k, v in real.params.items()}
    text = (f"NumPy replica of the source's model: weights {shapes} -> {model.n_params()} parameters, "
            f"{model.n_weight_layers()} layer with weights (Softmax has none)\n"
            f"output for the 100 samples: shape {out.shape} (4 class probabilities per sample, each row sums to 1)\n"
            f"An MLP with one hidden layer (8 units) and 2 outputs has weights {real_shapes}: "
            f"two weight layers, {real.n_params()} parameters")
    return Evidence(text, {"n_weight_layers": model.n_weight_layers(), "output_width": int(out.shape[1])})


register(Claim(
    id="training-model-hidden-layer",
    section="4.2",
    chapter=CHAPTER,
    source_zh="我们使用一个简单的神经网络模型，包含一个输入层、一个隐藏层和一个输出层。",
    translation="We use a simple neural network model containing an input layer, a hidden layer "
                "and an output layer.",
    verdict="incorrect",
    reading=r"'the model of the code has an input layer, a hidden layer and an output layer'",
    correct="The code has **no hidden layer**: `Dense(4, activation='relu')` is its only layer with "
            "weights, and its 4 outputs go straight into the softmax. A hidden layer needs a second "
            "`Dense` layer after it.",
    note="Keras counts `Softmax()` as a layer, so the model object has two layers; but `Softmax` has no "
         "weights and only normalises, so the 4 ReLU outputs are the logits of the output layer. "
         "With a hidden layer: `Dense(h, 'relu')` then `Dense(2)` (logits for 2 classes).",
    evidence=_hidden_layer_evidence,
    source_holds=lambda ev: ev.values["n_weight_layers"] >= 2,
))


def _output_units_evidence() -> Evidence:
    X, y = _source_data(0)
    model = models.DenseReluSoftmax(2, 4, seed=0)
    p0 = model.predict_proba(X)
    mass0 = float(p0[:, 2:].sum(axis=1).mean())
    loss0 = model.loss(X, y)
    model, X, y, _, hist = _run_source_loop(0)
    p1 = model.predict_proba(X)
    mass1 = float(p1[:, 2:].sum(axis=1).mean())
    text = (f"labels used by the data: {sorted(set(y.tolist()))}; classes the model outputs: {p0.shape[1]}\n"
            f"at initialisation: probability mass on the never-used classes 2 and 3 together (mean over samples) = {mass0:.3f}, "
            f"loss = {loss0:.3f} nats (ln 4 = {math.log(4):.3f} nats, ln 2 = {NATS_PER_BIT:.3f} nats)\n"
            f"after the source's 1000 steps (loss repaired): mass on classes 2 and 3 together = {mass1:.3f}\n"
            f"the model spends {model.n_params()} parameters and 1000 steps learning that classes 2 and 3 never occur")
    return Evidence(text, {"output_width": int(p0.shape[1]), "n_classes": 2, "mass_unused_init": mass0,
                           "mass_unused_trained": mass1, "loss_init": loss0})


register(Claim(
    id="training-model-output-units",
    section="4.2",
    chapter=CHAPTER,
    source_zh=SOURCE_MODEL_CODE,
    translation="A Keras model: one dense layer with 4 ReLU units on 2 inputs, followed by a softmax.",
    verdict="code bug",
    reading=r"'this model is a classifier for the two classes of the data'",
    correct="A 2-class problem needs **2 output logits**; this model gives probabilities for 4 classes, "
            "two of which never occur. And the ReLU in front of the softmax sets every negative score, "
            "and its gradient, to 0.",
    note="Or 1 logit with a sigmoid. Clipping at 0 is not itself the problem (the softmax ignores a common "
         "shift); what it destroys is information and gradient: scores that are negative for a sample all "
         "become 0, so their order is lost, and a unit that is negative for every sample gets zero gradient "
         "and stops learning. A correct model ends with `Dense(2)` (raw logits) and folds the softmax into "
         "the loss (`from_logits=True`).",
    evidence=_output_units_evidence,
    source_holds=lambda ev: ev.values["output_width"] == ev.values["n_classes"],
))


# ---------------------------------------------------------------------------
# §4.3 loss
# ---------------------------------------------------------------------------

def _integer_labels_evidence() -> Evidence:
    X, y = _source_data(0)
    probs = models.DenseReluSoftmax(2, 4, seed=0).predict_proba(X)
    try:
        np.broadcast_shapes(y.shape, probs.shape)
        compatible, message = True, "shapes broadcast"
    except ValueError:
        compatible, message = False, f"shapes {y.shape} and {probs.shape} are incompatible"
    logits = np.log(probs)
    sparse = float(xl.softmax_cross_entropy(logits, y))
    onehot = np.eye(4)[y]
    categorical = float(xl.softmax_cross_entropy(logits, onehot))
    text = (f"y_true: shape {y.shape}, integer class indices; y_pred: shape {probs.shape}, probabilities\n"
            f"CategoricalCrossentropy needs y_true with the shape of y_pred (one-hot): {message}\n"
            f"Repaired, both ways give the same loss:\n"
            f"  index targets (SparseCategoricalCrossentropy): {sparse:.4f} nats\n"
            f"  one-hot targets np.eye(4)[y] (CategoricalCrossentropy): {categorical:.4f} nats")
    return Evidence(text, {"compatible": compatible, "sparse": sparse, "categorical": categorical})


register(Claim(
    id="training-loss-integer-labels",
    section="4.3",
    chapter=CHAPTER,
    source_zh="我们使用交叉熵损失函数进行优化。\n\n" + SOURCE_LOSS_CODE,
    translation="We optimise with the cross-entropy loss: "
                "`cross_entropy = tf.keras.losses.CategoricalCrossentropy()`.",
    verdict="code bug",
    reading=r"'this loss optimises the model on the data of §4.1' (integer labels)",
    correct="`CategoricalCrossentropy` expects **one-hot** targets of shape `(100, 4)`; the source's `y` "
            "holds integer labels, shape `(100,)`, so the first loss evaluation stops with a shape error. "
            "`SparseCategoricalCrossentropy()` takes integer labels.",
    note="The sentence, 'we optimise with the cross-entropy loss', is right; the code line is the bug. "
         "The error TensorFlow 2.21 raises, captured when this page was built, is printed in section 4.1. "
         "Or one-hot encode the labels (`tf.one_hot(y, 2)`, with a 2-unit output).",
    evidence=_integer_labels_evidence,
    source_holds=lambda ev: ev.values["compatible"],
))


# ---------------------------------------------------------------------------
# §4.4 optimizer
# ---------------------------------------------------------------------------

def _gd_check(rng: np.random.Generator) -> bool:
    n, d, k = int(rng.integers(3, 30)), int(rng.integers(1, 5)), int(rng.integers(2, 5))
    X = rng.normal(size=(n, d))
    y = rng.integers(0, k, n)
    model = models.SoftmaxRegression(d, k, seed=rng, scale=1.0)
    before = {key: v.copy() for key, v in model.params.items()}
    lr = float(rng.uniform(0.01, 1.0))
    # gradient descent on the mean loss: average the per-sample gradients, one sample at a time
    per_sample = [model.loss_and_grad(X[i:i + 1], y[i:i + 1])[1] for i in range(n)]
    _, grads = model.loss_and_grad(X, y)
    optim.SGD(lr=lr).step(model.params, grads)
    return all(np.allclose(model.params[key], before[key] - lr * np.mean([g[key] for g in per_sample], axis=0),
                           rtol=1e-10, atol=1e-12) for key in before)


register(Claim(
    id="training-optimizer-gd",
    section="4.4",
    chapter=CHAPTER,
    source_zh="我们使用梯度下降法作为优化器。\n\n" + SOURCE_OPT_CODE,
    translation="We use gradient descent as the optimizer: "
                "`optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)`.",
    verdict="correct",
    checks=r"the sentence: one SGD step on the full batch is theta - eta * (mean of the per-sample gradients), plain gradient descent, on random softmax-regression models",
    correct="Yes. Keras calls it `SGD`, but every step uses the **whole** data set, so this is plain "
            "gradient descent with learning rate 0.1. It becomes *stochastic* only when each step uses a "
            "random mini-batch.",
    note=r"Each update is $\theta \leftarrow \theta - 0.1\,\nabla_\theta \frac1n\sum_i \ell_i$ "
         "(full-batch, deterministic).",
    random_check=_gd_check,
))


# ---------------------------------------------------------------------------
# §4.5 training loop
# ---------------------------------------------------------------------------

def _probabilities_evidence() -> Evidence:
    X, y = _source_data(0)
    model = models.DenseReluSoftmax(2, 4, seed=0)
    out = model.predict_proba(X)   # what `logits = model(X)` holds
    # what Keras' CategoricalCrossentropy() computes by default (from_logits=False): the mean of
    # -ln(probability of the true class), here on the one-hot targets the loss needs (see §4.3)
    default = float(np.mean(-np.log(out[np.arange(len(y)), y])))
    from_scores = model.loss(X, y)   # softmax cross-entropy of the real logits (the ReLU outputs)
    row_err = float(np.max(np.abs(out.sum(axis=1) - 1.0)))
    in_unit = bool(np.all((out >= 0) & (out <= 1)))
    # a perfect model (probability 1 on the right class) fed to a loss that expects logits
    perfect = np.eye(4)[y]
    double = float(xl.softmax_cross_entropy(perfect, y))
    text = (f"`logits = model(X)`: shape {out.shape}, every entry in [0, 1]: {in_unit}, "
            f"largest |row sum - 1| = {row_err:.1e}: these are probabilities, not logits\n"
            f"Keras' default from_logits=False expects exactly that: mean -ln(probability of the true "
            f"class) = {default:.4f} nats = softmax cross-entropy of the real logits {from_scores:.4f} nats\n"
            f"If they are passed to a loss that expects logits (from_logits=True), softmax is applied twice:\n"
            f"  even a perfect model (probability 1 on the true class) then scores {double:.3f} nats "
            f"= ln(1 + 3/e), not 0 nats")
    return Evidence(text, {"row_sum_err": row_err, "in_unit": in_unit, "double_softmax_floor": double,
                           "default_loss": default, "loss_from_logits": from_scores})


register(Claim(
    id="training-logits-are-probabilities",
    section="4.5",
    chapter=CHAPTER,
    source_zh="```python\nlogits = model(X)\nloss = cross_entropy(y, logits)\n```",
    translation="The model's output is stored in a variable named `logits` and passed to the loss.",
    verdict="ill-posed",
    reading=r"'model(X) returns logits', as the variable name says",
    correct="The name is wrong, the code is not: the model ends with `Softmax()`, so `model(X)` returns "
            "**probabilities**, which is what `CategoricalCrossentropy()` expects by default. "
            "Logits are the scores *before* the softmax.",
    note="Ill-posed (a wrong term), not a code bug: what makes these two lines fail is the label shape "
         "(the loss claim above). The misleading name invites the classic bug of applying the softmax "
         "twice (`from_logits=True` on probabilities). Better: a linear last layer whose output is called "
         "`logits`, and a loss with `from_logits=True`.",
    evidence=_probabilities_evidence,
    source_holds=lambda ev: not (ev.values["in_unit"] and ev.values["row_sum_err"] < 1e-9),
))


def _loop_evidence() -> Evidence:
    model, X, y, start, hist = _run_source_loop(0)
    Xte, yte = _fresh_test()
    train_acc, test_acc = model.accuracy(X, y), model.accuracy(Xte, yte)
    test_loss = model.loss(Xte, yte)
    text = (f"The source's loop on the NumPy replica (loss repaired to index targets), "
            f"1000 full-batch steps, learning rate 0.1:\n"
            f"  training loss {start:.3f} -> {hist['train_loss'][-1]:.3f} nats, "
            f"training accuracy {train_acc:.1%}\n"
            f"  on 10000 new samples: loss {test_loss:.3f} nats, accuracy {test_acc:.1%} "
            f"(chance = 50%, ln 2 = {NATS_PER_BIT:.3f} nats)\n"
            f"The loop itself prints none of these numbers.")
    return Evidence(text, {"train_loss_start": start, "train_loss_end": hist["train_loss"][-1],
                           "train_acc": train_acc, "test_acc": test_acc, "test_loss": test_loss})


def _loop_check(rng: np.random.Generator) -> bool:
    # the loop body on the NumPy replica (loss repaired): one pass = one full-batch gradient-descent step
    # theta - 0.1 * gradient, and repeated passes never raise the training loss
    n = int(rng.integers(10, 101))
    X, y = rng.random((n, 2)), rng.integers(0, 2, n)
    model = models.DenseReluSoftmax(2, 4, seed=rng)
    before = {k: v.copy() for k, v in model.params.items()}
    start, grads = model.loss_and_grad(X, y)
    opt = optim.SGD(lr=0.1)
    opt.step(model.params, grads)
    one_step = all(np.allclose(model.params[k], before[k] - 0.1 * grads[k], rtol=1e-12, atol=1e-15) for k in before)
    for _ in range(19):
        opt.step(model.params, model.loss_and_grad(X, y)[1])
    return one_step and model.loss(X, y) <= start + 1e-12


register(Claim(
    id="training-loop-no-evaluation",
    section="4.5",
    chapter=CHAPTER,
    source_zh="我们使用梯度下降法对模型进行训练。\n\n" + SOURCE_LOOP_CODE,
    translation="We train the model with gradient descent (1000 full-batch steps).",
    verdict="correct",
    checks=r"the loop on the NumPy replica of the source's model (loss repaired), random data: one pass is "
           r"one full-batch step theta - 0.1 * gradient, and 20 passes do not raise the training loss",
    correct="Yes, the loop trains by gradient descent: each of its 1000 passes computes the loss on all the "
            "data and takes one step. It stops at its loss line only because of the label format, judged in the "
            "loss box above. What it lacks, any evaluation, is a gap (below), not an error.",
    evidence=_loop_evidence,
    random_check=_loop_check,
    # the 1000 passes of the source, repaired, lower the training loss
    source_holds=lambda ev: ev.values["train_loss_end"] < ev.values["train_loss_start"],
    note="Correct, like the section's announcement (§4, same reason): the label-format failure is judged once, "
         "in `training-loss-integer-labels`. The id names the gap, not a fault. "
         "The loop prints and records nothing, so it cannot tell whether 1000 steps were too few or too "
         "many, or learning from memorising; section 4.2 of this chapter adds a loss curve and a test set.",
))


# =============================================================================
# Exercises
# =============================================================================

#: The loss before training: a 3-class output layer whose weights start at 0 and biases at (ln 2, 0, 0),
#: on a batch of 6 examples with 2 of each class.
INIT_CLASSES = 3
INIT_BIASES = np.array([math.log(2.0), 0.0, 0.0])
INIT_LABELS = np.array([0, 0, 1, 1, 2, 2])
INIT_BATCH = len(INIT_LABELS)


def _init_logits() -> np.ndarray:
    """The logits of the batch: zero weights, so every row is the bias vector."""
    return np.zeros((INIT_BATCH, INIT_CLASSES)) + INIT_BIASES


def _init_prediction() -> np.ndarray:
    """The prediction the untrained layer makes for every input: the softmax of its biases."""
    return xl.softmax(INIT_BIASES)

#: Random labels, but from a biased coin: label 1 with this probability, independent of the inputs.
BIASED_P1 = 0.25
BIASED_LABELS = np.array([1 - BIASED_P1, BIASED_P1])


def _source_script_stops() -> bool:
    """What the source's loop meets at its first loss evaluation, on the NumPy replica of its model:
    ``CategoricalCrossentropy(y, model(X))`` compares the targets with the output entry by entry, so
    it needs equal shapes; True when the integer labels' shape differs from the output's (a shape error)."""
    X, y = _source_data(0)
    out = models.DenseReluSoftmax(2, 4, seed=0).predict_proba(X)
    return y.shape != out.shape


register_exercise(Exercise(
    id="source-script-outcome", chapter=CHAPTER, style="predict",
    title="What will the source's script do?",
    asks="the option that says what the source's script does when it is run", unit="",
    data=lambda: {"n_samples": 100, "steps": 1000, "output_classes": 4},
    choices={
        "a": "It runs the 1000 steps, and the network learns to predict the labels",
        "b": "It runs the 1000 steps, but the loss does not move because the labels are random",
        "c": "It stops at its first loss evaluation with an error, before any step",
        "d": "It runs the 1000 steps and prints the loss and accuracy at the end",
    },
    reference=lambda: "c" if _source_script_stops() else "a",
    mistakes=(
        Mistake(name="trusts-the-intent", value=lambda: "a" if _source_script_stops() else "c",
                hint="that is what the script is meant to do. Check what it actually computes: "
                     "compare the shape of `y` with the shape of `model(X)`, and what "
                     "`CategoricalCrossentropy` expects as targets (the Keras words under the code)."),
        Mistake(name="random-labels-freeze", value=lambda: "b",
                hint="random labels limit what can be learnt for new data, not whether the code runs, and "
                     "gradient descent lowers the training loss even on coin flips (it memorises them). "
                     "Look at the shapes the loss line receives."),
        Mistake(name="imagined-output", value=lambda: "d",
                hint="read the loop again: it has no print, and it never computes an accuracy."),
    ),
))


register_exercise(Exercise(
    id="initial-loss", chapter=CHAPTER, title="The loss before training",
    asks="the mean softmax cross-entropy, in nats, of a 3-class output layer with all its weights at 0 and "
         "biases (ln 2, 0, 0), on a batch of 6 examples with 2 of each class",
    unit="nats",
    data=lambda: {"n_classes": INIT_CLASSES, "biases": INIT_BIASES.copy(), "labels": INIT_LABELS.copy()},
    reference=lambda: mean_loss(_init_logits(), INIT_LABELS),
    mistakes=(
        Mistake(name="equal-logits", value=lambda: math.log(INIT_CLASSES),
                hint="that is the loss when all logits are equal (1/K for each class). Here the biases are not "
                     "equal: with zero weights every input gets the biases as its logits, so every prediction "
                     "is the softmax of the biases."),
        Mistake(name="two-classes-or-class-0-only", value=lambda: -math.log(_init_prediction()[0]),
                hint="that is ln 2: the loss of a class-0 example alone (or the chapter's 2-class value with "
                     "equal logits). This layer has 3 classes, and the batch has as many examples of class 1 "
                     "and 2 as of class 0: each costs minus the log of its own class's probability."),
        Mistake(name="class-1-only", value=lambda: -math.log(_init_prediction()[1]),
                hint="that is the loss of a class-1 (or class-2) example alone. The batch also holds class-0 "
                     "examples, whose probability is higher: average over all 6 examples."),
        Mistake(name="bits-not-nats", unit="bits",
                value=lambda: mean_loss(_init_logits(), INIT_LABELS) / NATS_PER_BIT,
                hint="that is in bits. The loss uses the natural log (nats)."),
        Mistake(name="probability", unit="", value=lambda: float(_init_prediction()[0]),
                hint="that is the probability of class 0. The loss is minus the log of each example's "
                     "true-class probability, averaged over the batch."),
        Mistake(name="mean-probability", value=lambda: 1 / INIT_CLASSES,
                hint="that is a probability (the mean one over the batch's true classes), not a loss: "
                     "the loss averages minus their logs."),
        Mistake(name="zero", value=lambda: 0.0,
                hint="zero weights do not mean zero loss: the logits are the biases, and softmax turns them "
                     "into probabilities below 1, each of which costs -ln q > 0."),
        Mistake(name="sum-not-mean", value=lambda: mean_loss(_init_logits(), INIT_LABELS, reduction="sum"),
                hint="that is the loss summed over the batch of 6. The question asks for the mean, which "
                     "does not depend on the batch size."),
    ),
))


register_exercise(Exercise(
    id="random-labels-floor", chapter=CHAPTER, title="Random labels: the loss floor on new data",
    asks="the smallest expected (average) loss on NEW data for labels drawn by a coin that gives 1 with "
         "probability 0.25, independent of the inputs, in nats",
    unit="nats",
    data=lambda: {"p_label_1": BIASED_P1},
    reference=lambda: xl.entropy(BIASED_LABELS),
    mistakes=(
        Mistake(name="fair-coin", value=lambda: xl.entropy(np.array([0.5, 0.5])),
                hint="that is the floor for a fair coin, reached by always predicting 1/2. These labels "
                     "are not 50/50: which constant prediction q does best when 1 comes up a quarter of "
                     "the time?"),
        Mistake(name="zero", value=lambda: 0.0,
                hint="a big model can reach 0 on the *training* set by memorising it, but new random labels "
                     "carry no information a model could learn from the inputs."),
        Mistake(name="bits-not-nats", unit="bits", value=lambda: xl.entropy(BIASED_LABELS, base=2),
                hint="that is the value in bits; the question asks for nats (natural log)."),
        Mistake(name="probability", unit="", value=lambda: BIASED_P1,
                hint="that is the best predicted probability of label 1, not the loss it costs."),
        Mistake(name="accuracy", value=lambda: 1 - BIASED_P1,
                hint="that is the accuracy of always answering 0, not a cross-entropy."),
        Mistake(name="one-term", value=lambda: -math.log(1 - BIASED_P1),
                hint="that is the cost of a label 0 alone. A quarter of the new labels are 1, and each "
                     "costs -ln q: average over both."),
    ),
))


#: The from-scratch backward pass: a batch of N examples, D features, K classes.
GRAD_N, GRAD_D, GRAD_K = 6, 3, 4


def softmax_regression_grad(X, W, y):
    """The reference: dL/dW of the mean softmax cross-entropy L of the logits X @ W (xentlib)."""
    _, g = xl.softmax_cross_entropy(np.asarray(X) @ np.asarray(W), np.asarray(y), return_grad=True)
    return np.asarray(X).T @ g


def _grad_with(X, W, y, *, delta):
    """X^T delta(Q, P) for the softmax Q of X @ W and the one-hot rows P of y."""
    Z = np.asarray(X) @ np.asarray(W)
    Q = xl.softmax(Z)
    P = np.eye(Z.shape[1])[np.asarray(y)]
    return np.asarray(X).T @ delta(Q, P, Z)


def _grad_softmax_down_columns(X, W, y, *, shift_rows: bool):
    """The gradient with the softmax normalised down each column (axis=0), not along each row: the exps
    shifted by each row's largest logit (``shift_rows``) or by each column's, then divided by the column sums."""
    Z = np.asarray(X) @ np.asarray(W)
    Z = Z - Z.max(axis=1 if shift_rows else 0, keepdims=True)
    E = np.exp(Z)
    Q = E / E.sum(axis=0, keepdims=True)
    P = np.eye(Z.shape[1])[np.asarray(y)]
    return np.asarray(X).T @ ((Q - P) / len(P))


def _grad_one_hot_from_labels(X, W, y):
    """The gradient with the one-hot rows built as ``np.eye(y.max() + 1)[y]``: too few columns when the
    largest class does not occur in the batch (a batch of one example of class 0 broadcasts silently)."""
    Z = np.asarray(X) @ np.asarray(W)
    Q = xl.softmax(Z)
    y = np.asarray(y)
    P = np.eye(int(y.max()) + 1)[y]
    return np.asarray(X).T @ ((Q - P) / len(y))


def _grad_softmax_whole_batch(X, W, y):
    """The gradient with the softmax normalised over the whole batch (no ``axis=``): one max, one sum."""
    Z = np.asarray(X) @ np.asarray(W)
    E = np.exp(Z - Z.max())
    Q = E / E.sum()
    P = np.eye(Z.shape[1])[np.asarray(y)]
    return np.asarray(X).T @ ((Q - P) / len(P))


def _grad_cases():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(GRAD_N, GRAD_D))
    W = rng.normal(size=(GRAD_D, GRAD_K))
    y = rng.integers(0, GRAD_K, size=GRAD_N)
    # predictions that already equal the one-hot labels: the true class's logit far above the others
    X_fit = np.eye(GRAD_D)[[0, 1, 2, 0, 1, 2]]
    W_fit = 40.0 * np.eye(GRAD_D, GRAD_K)
    y_fit = np.array([0, 1, 2, 0, 1, 2])
    # large logits (about +/-1000): exp overflows unless the largest logit is subtracted first
    X_big = rng.normal(size=(GRAD_N, GRAD_D))
    W_big = 500.0 * rng.normal(size=(GRAD_D, GRAD_K))
    y_big = rng.integers(0, GRAD_K, size=GRAD_N)
    return [
        Case(name="a random batch of 6 examples, 3 features, 4 classes", args=(X, W, y)),
        Case(name="a batch of one example", args=(X[:1], W, y[:1])),
        Case(name="predictions already equal to the one-hot labels", args=(X_fit, W_fit, y_fit)),
        Case(name="large logits (hundreds, up to about 1000)", args=(X_big, W_big, y_big)),
    ]


register_exercise(Exercise(
    id="softmax-regression-grad", chapter=CHAPTER, style="from-scratch",
    title="One backward pass of softmax regression",
    asks="the gradient dL/dW of the mean softmax cross-entropy of the logits X @ W, an array of W's shape "
         "(nats per unit of weight)",
    unit="nats per unit of weight",
    data=lambda: {"n": GRAD_N, "d": GRAD_D, "k": GRAD_K},
    reference=softmax_regression_grad,
    cases=_grad_cases,
    mistakes=(
        Mistake(name="sum-not-mean", value=lambda X, W, y: _grad_with(X, W, y, delta=lambda Q, P, Z: Q - P),
                hint="sum vs mean: this is the gradient of the loss summed over the batch. The loss is the "
                     "mean over the N examples, so every row of Q - P gets a factor 1/N."),
        Mistake(name="sign", value=lambda X, W, y: _grad_with(X, W, y, delta=lambda Q, P, Z: (P - Q) / len(P)),
                hint="the sign is flipped: the derivative of the loss with respect to the logits is "
                     "softmax minus one-hot, Q - P, not P - Q."),
        Mistake(name="logits-not-probabilities",
                value=lambda X, W, y: _grad_with(X, W, y, delta=lambda Q, P, Z: (Z - P) / len(P)),
                hint="you used the logits X @ W where the predicted probabilities belong: apply the "
                     "softmax to each row first."),
        Mistake(name="softmax-down-columns",
                value=functools.partial(_grad_softmax_down_columns, shift_rows=True),
                hint="your softmax is normalised over the wrong axis: each row of Q (one example) must sum to "
                     "1 over the K classes. axis=0 sums down a column, over the examples; the classes run "
                     "along axis=1."),
        Mistake(name="softmax-down-columns-shifted-by-column",
                value=functools.partial(_grad_softmax_down_columns, shift_rows=False),
                hint="your softmax is normalised over the wrong axis: each row of Q (one example) must sum to "
                     "1 over the K classes. axis=0 works down a column, over the examples; the classes run "
                     "along axis=1."),
        Mistake(name="softmax-over-whole-batch", value=_grad_softmax_whole_batch,
                hint="your softmax is normalised over the whole batch: without `axis=`, `.max()` and "
                     "`.sum()` reduce every entry of the matrix to one number. Each row of Q (one example) "
                     "must sum to 1 over its K classes: pass `axis=1, keepdims=True`."),
        Mistake(name="one-hot-width-from-labels", value=_grad_one_hot_from_labels,
                hint="your one-hot rows are too narrow: a batch need not contain the largest class, so "
                     "y.max() + 1 can be less than K. The number of classes is K = W.shape[1], the number "
                     "of columns of W (and of the logits)."),
    ),
    nonfinite_hint="inf or nan: np.exp of a large logit overflows, and inf / inf is nan. Before np.exp, "
                   "subtract the largest logit of each row (one value per example, not one for the whole "
                   "batch: a row far below the batch's largest logit gets exps that are all 0, and 0 / 0 is "
                   "nan too).",
))


#: The find-the-bug loss: a batch of 6 examples and 3 classes (every row a different example).
BUG_N, BUG_K = 6, 3


def batch_loss(Z, y):
    """The reference: the mean softmax cross-entropy, in nats, of the logits Z (N x K) for labels y."""
    return float(xl.softmax_cross_entropy(np.asarray(Z), np.asarray(y)))


def _loss_table(Z, y):
    """-P * log Q: one row per example, one column per class (the per-entry terms of the loss)."""
    Z = np.asarray(Z, dtype=float)
    return -np.eye(Z.shape[1])[np.asarray(y)] * xl.log_softmax(Z)


def buggy_batch_loss(Z, y):
    """The bug: the sum over the examples (axis 0), then the mean over the classes."""
    return float(np.mean(np.sum(_loss_table(Z, y), axis=0)))


def _loss_cases():
    rng = np.random.default_rng(5)
    Z = rng.normal(size=(BUG_N, BUG_K))
    y = rng.integers(0, BUG_K, size=BUG_N)
    return [
        Case(name="a random batch of 6 examples, 3 classes", args=(Z, y)),
        Case(name="a batch of one example", args=(Z[:1], y[:1])),
        Case(name="a batch of 2 examples and 5 classes", args=(rng.normal(size=(2, 5)), np.array([4, 0]))),
        Case(name="logits of +/-1000", args=(np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0],
                                                        [0.0, 1000.0, -1000.0]]), np.array([0, 0, 2]))),
    ]


register_exercise(Exercise(
    id="batch-loss-axis", chapter=CHAPTER, style="find-the-bug",
    title="A batch loss that grows with the batch",
    asks="the mean softmax cross-entropy of the batch, in nats (one number)",
    unit="nats",
    data=lambda: {"n": BUG_N, "k": BUG_K},
    reference=batch_loss,
    cases=_loss_cases,
    mistakes=(
        Mistake(name="mean-over-classes", value=buggy_batch_loss,
                hint="mean over the wrong axis: axis 0 runs over the examples (rows), so this sums over the "
                     "examples and averages over the classes. Each example's loss is the sum over its "
                     "classes (axis=1); the batch loss is the mean of those over the examples."),
        Mistake(name="mean-over-everything", value=lambda Z, y: float(np.mean(_loss_table(Z, y))),
                hint="this averages over every entry of the N x K table, so it also divides by the number of "
                     "classes. Sum over the classes (axis=1) first, then take the mean over the examples."),
        Mistake(name="sum-not-mean", value=lambda Z, y: float(np.sum(_loss_table(Z, y))),
                hint="sum vs mean: this is the loss summed over the batch. Divide by the number of examples, "
                     "so that the loss does not depend on the batch size."),
    ),
))


# =============================================================================
# 5. Learning rate: gradient descent on logistic regression
# =============================================================================

GD_STEPS = 40
GD_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0, 30.0)


@functools.lru_cache(maxsize=1)
def gd_data(n: int = 40, seed: int = 0):
    """A seeded toy set: one feature x (not standardised) and a bias column; labels overlap."""
    rng = np.random.default_rng(seed)
    x = rng.normal(1.0, 3.0, n)
    y = (x + rng.normal(0.0, 2.0, n) > 1.0).astype(float)
    return np.column_stack([x, np.ones(n)]), y


def gd_loss_and_grad(theta):
    """Mean logistic cross-entropy (nats) of parameters (w, b) and its gradient, via xentlib."""
    Xd, y = gd_data()
    loss, g_logits = xl.sigmoid_binary_cross_entropy(Xd @ theta, y, return_grad=True)
    return float(loss), Xd.T @ g_logits


@functools.lru_cache(maxsize=1)
def _gd_minimum():
    theta = np.zeros(2)
    for _ in range(3000):
        _, g = gd_loss_and_grad(theta)
        theta = theta - 1.0 * g
    return float(gd_loss_and_grad(theta)[0]), theta


W_RANGE, B_RANGE = (-1.5, 2.5), (-4.0, 4.0)
#: Loss bands of the landscape [nats], narrower where the loss is small (its valley).
GD_BANDS = (0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.7, 2.0, 2.5, 3.0, 3.5, 4.0)
GD_BAND_TICKS = (0.5, 0.6, 0.8, 1.0, 1.4, 2.0, 3.0, 4.0)


@functools.lru_cache(maxsize=2)
def _gd_contours(n: int = 61):
    """The mean loss [nats] on an n x n grid of (w, b)."""
    Xd, y = gd_data()
    ws = np.linspace(*W_RANGE, n)
    bs = np.linspace(*B_RANGE, n)
    W, B = np.meshgrid(ws, bs)
    logits = W[..., None] * Xd[:, 0] + B[..., None]
    L = xl.sigmoid_binary_cross_entropy(logits, np.broadcast_to(y, logits.shape), reduction="none").mean(axis=-1)
    return ws, bs, L


@functools.lru_cache(maxsize=1)
def _gd_image():
    """The loss landscape as a banded PNG (data: URI, bands of log10 loss), the axes' size."""
    ws, bs, L = _gd_contours(240)
    return explorers.banded_image(np.log10(L), np.log10(GD_BANDS))


def gd_compute(lr: float) -> dict:
    """Run GD_STEPS steps of gradient descent with step size ``lr`` from (w, b) = (0, 0)."""
    theta = np.zeros(2)
    losses, path = [], [theta.copy()]
    for _ in range(GD_STEPS):
        loss, g = gd_loss_and_grad(theta)
        losses.append(loss)
        theta = theta - lr * g
        path.append(theta.copy())
    losses.append(gd_loss_and_grad(theta)[0])
    loss_curve = np.array(losses)
    lmin, theta_min = _gd_minimum()
    gap = loss_curve[-1] - lmin
    increases = int(np.sum(np.diff(loss_curve) > 1e-12))
    if loss_curve[-1] > loss_curve[0] or increases > GD_STEPS // 4:
        regime = "too large: the loss jumps around and does not converge"
    elif gap > 1e-3:
        regime = "too small: still converging slowly"
    else:
        regime = "good: converged"
    ws, bs, L = _gd_contours()
    return {"lr": float(lr), "losses": loss_curve, "path": np.array(path), "min_loss": lmin, "theta_min": theta_min,
            "gap": float(gap), "regime": regime, "increases": increases,
            "contour_w": ws, "contour_b": bs, "contour_loss": L}


def gd_readout(s):
    return (f"η = {s['lr']:g}: loss after {GD_STEPS} steps = {s['losses'][-1]:.3f} nats "
            f"(start {s['losses'][0]:.3f} nats, minimum {s['min_loss']:.3f} nats); {s['regime']}")


def _clip_path(path, lim=50.0):
    return np.clip(path, -lim, lim)


def gd_plotly(s):
    return {
        "data": [
            explorers.colour_scale_trace("loss [nats]", np.log10(GD_BANDS), at=(2.0, 3.0),
                                         tickvals=np.log10(GD_BAND_TICKS), ticktext=[f"{v:g}" for v in GD_BAND_TICKS],
                                         xaxis="x2", yaxis="y2"),
            {"type": "scatter", "mode": "lines", "x": [0, GD_STEPS], "y": [round(s["min_loss"], 4)] * 2,
             "name": "minimum loss", "line": {"color": GREY, "dash": "dash"}, "xaxis": "x", "yaxis": "y"},
            {"type": "scatter", "mode": "markers", "x": [round(s["theta_min"][0], 4)],
             "y": [round(s["theta_min"][1], 4)], "name": "minimum", "xaxis": "x2", "yaxis": "y2",
             "marker": {"symbol": "star", "size": 14, "color": "white", "line": {"color": "black", "width": 1}}},
            *gd_plotly_frame(s),
        ],
        "layout": layout(
            images=[explorers.image_layer(_gd_image(), W_RANGE, B_RANGE, xref="x2", yref="y2")],
            xaxis={**axis("step", (0, GD_STEPS)), "domain": [0, 0.4]},
            yaxis=axis("training loss [nats] (log scale)", (math.log10(0.45), math.log10(30)), type="log",
                        tickvals=[0.5, 0.7, 1, 2, 3, 5, 10, 20, 30]),
            xaxis2={**axis("weight w", W_RANGE, showgrid=False), "domain": [0.53, 1.0], "anchor": "y2"},
            yaxis2={**axis("bias b", B_RANGE, showgrid=False), "anchor": "x2"},
            margin={"l": 65, "r": 20, "t": 20, "b": 100}),
    }


def gd_plotly_frame(s):
    path = _clip_path(s["path"])
    return [
        {"type": "scatter", "mode": "lines+markers", "x": list(range(GD_STEPS + 1)), "y": rounded(s["losses"]),
         "name": "loss at each step", "line": {"color": C["blue"]}, "marker": {"size": 4},
         "xaxis": "x", "yaxis": "y"},
        {"type": "scatter", "mode": "lines+markers", "x": rounded(path[:, 0]), "y": rounded(path[:, 1]),
         "name": "path of (w, b)", "line": {"color": C["vermillion"], "width": 1.5}, "marker": {"size": 5},
         "xaxis": "x2", "yaxis": "y2"},
    ]


def gd_mpl_init(fig, s):
    ax1, ax2 = fig.subplots(1, 2)
    line, = ax1.semilogy(np.arange(GD_STEPS + 1), s["losses"], "-o", ms=3, color=C["blue"], label="loss at each step")
    ax1.axhline(s["min_loss"], color=GREY, ls="--", label="minimum loss")
    ax1.set(xlim=(0, GD_STEPS), ylim=(0.45, 30), xlabel="step", ylabel="training loss [nats] (log scale)")
    ax1.legend(loc="upper right")
    ws, bs, L = s["contour_w"], s["contour_b"], s["contour_loss"]
    filled = ax2.contourf(ws, bs, np.log10(L), levels=np.log10(GD_BANDS), cmap="cividis")
    bar = fig.colorbar(filled, ax=ax2, label="loss [nats]", ticks=np.log10(GD_BAND_TICKS))
    bar.ax.set_yticklabels([f"{v:g}" for v in GD_BAND_TICKS])
    ax2.plot(*s["theta_min"], "*", color="white", mec="black", ms=12)
    path = _clip_path(s["path"])
    pl, = ax2.plot(path[:, 0], path[:, 1], "-o", ms=3, lw=1.2, color=C["vermillion"], label="path of (w, b)")
    ax2.set(xlim=(-1.5, 2.5), ylim=(-4, 4), xlabel="weight w", ylabel="bias b")
    ax2.grid(False)
    return {"line": line, "path": pl}


def gd_mpl_update(h, s):
    h["line"].set_ydata(s["losses"])
    path = _clip_path(s["path"])
    h["path"].set_data(path[:, 0], path[:, 1])


LEARNING_RATE = register_explorer(Explorer(
    id="learning-rate",
    chapter=CHAPTER,
    title="Learning rate: gradient descent on a logistic-regression cross-entropy",
    params=(Param("lr", "η = learning rate (step size) [no unit]", GD_RATES, 1.0, fmt="{:g}", symbol="η"),),
    compute=gd_compute, readout=gd_readout,
    plotly_base=gd_plotly, plotly_frame=gd_plotly_frame, frame_traces=(3, 4),
    mpl_init=gd_mpl_init, mpl_update=gd_mpl_update,
    hint="Small steps converge slowly, a medium step converges in a few steps, and too large a step makes "
         "the loss jump around far above its minimum (the path leaves the valley).",
    alt="Left: the training loss in nats against the step, log scale. Right: the path of the weight and "
        "bias over the contours of the loss.",
    height=430, figsize=(8.0, 3.4),
))


# =============================================================================
# Self-checks (selfcheck.show("id") under "Check yourself"; see selfcheck.py)
# =============================================================================
from . import selfcheck as _sc  # noqa: E402

_sc.register_selfcheck(_sc.SelfCheck(
    id="first-loss-grows-with-batch", chapter=CHAPTER,
    question="An untrained 10-class classifier's first loss is 147 nats on a batch of 64 examples, and "
             "about 74 nats with batches of 32. What does this most likely mean?",
    options=(
        _sc.Option("The loss is summed over the batch, not averaged", True,
                   "Halve the batch and the loss halves: it is a sum of per-example losses. A mean would "
                   "not depend on the batch size."),
        _sc.Option("The initial weights are far too large", False,
                   "Large weights make confident random guesses and raise each example's loss, but that "
                   "would not grow in proportion to the batch size."),
        _sc.Option("The loss is in bits instead of nats", False,
                   "A change of unit multiplies every loss by the same 1.44, whatever the batch size; "
                   "here the loss follows the batch size."),
        _sc.Option("Nothing: untrained networks have huge losses", False,
                   "An untrained network guesses nearly at random, which gives a modest loss *per "
                   "example*; a loss proportional to the batch size is a sum."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="memorising-coin-flips", chapter=CHAPTER,
    question="A network is trained on labels drawn by coin flips. Its training loss keeps falling towards "
             "0. What does that show?",
    options=(
        _sc.Option("It has learnt a rule that predicts the labels", False,
                   "Coin-flip labels have no rule to learn. A falling training loss alone cannot tell "
                   "learning from memorising; only data the network has not seen can."),
        _sc.Option("It memorises the training examples", True,
                   "A big enough network can fit any labels it is shown. On new data it can do no better "
                   "than chance: that is what a test set reveals."),
        _sc.Option("The learning rate is too high", False,
                   "Too high a learning rate makes the loss jump or diverge, not fall smoothly towards 0."),
    ),
))

_sc.register_selfcheck(_sc.SelfCheck(
    id="backprop-weight-gradient", chapter=CHAPTER,
    question="For a batch of $n$ examples, the network of section 4.2 has hidden outputs $H$ ($n \\times 16$, "
             "one row per example) and logits $Z = H W_2 + b_2$ ($n \\times 2$). As in section 4.2, "
             "$\\Delta$ = (softmax($Z$) \u2212 one-hot($y$))/$n$ ($n \\times 2$) is the gradient of the "
             "mean loss $L$ with respect to $Z$. Which is the gradient of $L$ with respect to $W_2$ "
             "($16 \\times 2$)?",
    options=(
        _sc.Option("$H^\\top \\Delta$", True,
                   "A $16 \\times 2$ matrix, like $W_2$: its entry $(j, k)$ is $\\sum_i H_{ij} \\Delta_{ik}$, "
                   "the sum over the batch of each example's contribution."),
        _sc.Option("$\\Delta W_2^\\top$", False,
                   "That is the gradient with respect to the hidden outputs $H$ ($n \\times 16$), the next "
                   "step of backpropagation, not the weights'."),
        _sc.Option("$H \\odot \\Delta$", False,
                   "The Hadamard product $\\odot$ needs equal shapes, and $n \\times 16$ is not $n \\times 2$. A "
                   "weight's gradient sums over the batch: a matrix product."),
    ),
))
