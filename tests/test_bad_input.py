"""Bad-input policy: every bad input raises ValueError/TypeError naming the argument.

One explicit test per rule of the policy (issue 3), then a fuzz test that
corrupts random valid inputs and checks that none slips through as a number.
"""
from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xentlib import (
    binary_cross_entropy,
    binary_entropy,
    code_lengths,
    cross_entropy,
    entropy,
    expected_length,
    focal_loss,
    huffman_code,
    kl_divergence,
    kraft_sum,
    linear_cross_entropy,
    log_sigmoid,
    log_softmax,
    logsumexp,
    numerical_gradient,
    perplexity,
    prefix_code,
    sigmoid,
    sigmoid_binary_cross_entropy,
    softmax,
    softmax_cross_entropy,
)

Z = np.zeros((3, 4))
T = np.array([0, 1, 3])
NAN, INF = float("nan"), float("inf")

CASES = [
    # probabilities
    ("negative probability", lambda: entropy([0.5, -0.1, 0.6]), ValueError,
     r"^p: negative probability -0\.1 at index 1"),
    ("negative q", lambda: kl_divergence([0.5, 0.5], [1.5, -0.5]), ValueError,
     r"^q: negative probability -0\.5 at index 1"),
    ("NaN in p", lambda: entropy([0.5, NAN, 0.5]), ValueError, r"^p: contains NaN at index 1"),
    ("NaN in q (2-D)", lambda: cross_entropy([[1.0, 0.0]], [[NAN, 1.0]]), ValueError,
     r"^q: contains NaN at index \(0, 0\)"),
    ("inf in p", lambda: entropy([INF, 0.5]), ValueError, r"^p: contains \+inf at index 0"),
    ("sum 1.1", lambda: entropy([0.5, 0.6]), ValueError,
     r"^p: does not sum to 1 .*sum is 1\.1 \(off by \+0\.1.*normalize=True"),
    ("sum 0.7 in row 1", lambda: cross_entropy([[0.5, 0.5], [0.5, 0.5]], [[0.5, 0.5], [0.3, 0.4]]),
     ValueError, r"^q: does not sum to 1 along axis 1 at index 1: sum is 0\.7 \(off by -0\.3"),
    ("sum off by 5e-6 (float64 tolerance 1e-6)", lambda: entropy([0.5, 0.5 + 5e-6]), ValueError,
     r"^p: does not sum to 1 .*off by \+5e-06, tolerance 1e-06"),
    ("sum off by 1e-3 (float32 tolerance 1e-4)", lambda: entropy(np.array([0.5, 0.501], np.float32)),
     ValueError, r"^p: does not sum to 1 .*tolerance 0\.0001"),
    ("shape mismatch", lambda: cross_entropy([0.5, 0.5], [0.2, 0.3, 0.5]), ValueError,
     r"^q: shape mismatch: p has shape \(2,\) but q has shape \(3,\)"),
    ("shape mismatch kl batch", lambda: kl_divergence(np.full((2, 3), 1 / 3), np.full((4, 3), 1 / 3)),
     ValueError, r"^q: shape mismatch: p has shape \(2, 3\) but q has shape \(4, 3\)"),
    ("empty p", lambda: entropy([]), ValueError, r"^p: empty distribution"),
    ("empty q", lambda: cross_entropy(np.ones((2, 0)), np.ones((2, 0))), ValueError, r"^p: empty distribution"),
    ("scalar p", lambda: entropy(1.0), ValueError, r"^p: expected at least one dimension"),
    ("string p", lambda: entropy(["a", "b"]), TypeError, r"^p: expected an array of real numbers"),
    ("complex p", lambda: entropy([0.5 + 0j, 0.5]), TypeError, r"^p: expected an array of real numbers"),
    ("ragged p", lambda: entropy([[0.5, 0.5], [1.0]]), TypeError, r"^p: cannot be converted"),
    ("axis out of range", lambda: entropy([0.5, 0.5], axis=1), ValueError, r"^axis: 1 is out of range"),
    ("base 1", lambda: entropy([0.5, 0.5], base=1), ValueError, r"^base: must be a finite number > 0"),
    ("base -2", lambda: kl_divergence([1.0], [1.0], base=-2), ValueError, r"^base:"),
    ("normalize all zeros", lambda: entropy([0.0, 0.0], normalize=True), ValueError,
     r"^p: a distribution sums to 0"),
    # binary
    ("binary p > 1", lambda: binary_entropy([0.2, 1.2]), ValueError,
     r"^p: values must lie in \[0, 1\]; got 1\.2 at index 1"),
    ("binary y outside", lambda: binary_cross_entropy([1.5, 0.0], [0.5, 0.5]), ValueError,
     r"^y: values must lie in \[0, 1\]; got 1\.5 at index 0"),
    ("binary q outside", lambda: binary_cross_entropy([1.0, 0.0], [0.5, -0.5]), ValueError,
     r"^q: values must lie in \[0, 1\]; got -0\.5 at index 1"),
    ("binary NaN", lambda: binary_cross_entropy([1.0, 0.0], [0.5, NAN]), ValueError, r"^q: contains NaN at index 1"),
    ("binary shapes", lambda: binary_cross_entropy([1.0, 0.0], [0.5]), ValueError,
     r"^q: shape mismatch: y has shape \(2,\) but q has shape \(1,\)"),
    ("reduction", lambda: binary_cross_entropy([1.0], [0.5], reduction="avg"), ValueError,
     r"^reduction: must be one of"),
    # softmax family
    ("softmax NaN", lambda: softmax([0.0, NAN]), ValueError, r"^z: contains NaN at index 1"),
    ("softmax +inf", lambda: log_softmax([[0.0, INF]]), ValueError, r"^z: contains \+inf at index \(0, 1\)"),
    ("softmax all -inf", lambda: softmax([[0.0, 1.0], [-INF, -INF]]), ValueError,
     r"^z: every entry is -inf at index 1"),
    ("softmax empty", lambda: softmax([]), ValueError, r"^z: empty"),
    ("temperature 0", lambda: softmax([0.0, 1.0], temperature=0), ValueError, r"^temperature: must be > 0"),
    ("temperature inf", lambda: log_softmax([0.0, 1.0], temperature=INF), ValueError, r"^temperature: must be finite"),
    ("logsumexp NaN", lambda: logsumexp([NAN]), ValueError, r"^x: contains NaN"),
    ("logsumexp +inf", lambda: logsumexp([INF, 0.0]), ValueError, r"^x: contains \+inf"),
    ("logsumexp 0-d axis", lambda: logsumexp(1.0, axis=1), ValueError, r"^axis: 1 is out of range for x with shape \(\)"),
    ("softmax 0-d NaN", lambda: softmax(NAN), ValueError, r"^z: contains NaN"),
    ("softmax 0-d -inf", lambda: log_softmax(-INF), ValueError, r"^z: every entry is -inf"),
    ("sigmoid NaN", lambda: sigmoid([0.0, NAN]), ValueError, r"^x: contains NaN at index 1"),
    ("log_sigmoid string", lambda: log_sigmoid(["a"]), TypeError, r"^x: expected an array of real numbers"),
    # softmax_cross_entropy
    ("index out of range", lambda: softmax_cross_entropy(Z, [0, 4, 1]), ValueError,
     r"^target: class index 4 is out of range \[0, 4\) at index 1"),
    ("negative index", lambda: softmax_cross_entropy(Z, [0, -1, 1]), ValueError,
     r"^target: class index -1 is out of range \[0, 4\) at index 1"),
    ("float index", lambda: softmax_cross_entropy(Z, [0.0, 1.0, 2.0]), TypeError,
     r"^target: class indices must have an integer dtype, got float64"),
    ("non-integer index", lambda: softmax_cross_entropy(Z, [0.5, 1.0, 2.0]), TypeError,
     r"^target: class indices must have an integer dtype"),
    ("bool index", lambda: softmax_cross_entropy(Z, [True, False, True]), TypeError,
     r"^target: class indices must have an integer dtype, got bool"),
    ("target shape", lambda: softmax_cross_entropy(Z, [0, 1]), ValueError,
     r"^target: shape mismatch: logits has shape \(3, 4\).*need shape \(3,\), but target has shape \(2,\)"),
    ("int one-hot target", lambda: softmax_cross_entropy(Z, np.eye(4, dtype=int)[T]), TypeError,
     r"^target: probability targets must be floating point, got dtype int64 with the shape of logits"),
    ("int one-hot target, 1-D", lambda: softmax_cross_entropy([0.0, 1.0], [0, 1]), TypeError,
     r"^target: probability targets must be floating point"),
    ("bool one-hot target", lambda: softmax_cross_entropy(Z, np.eye(4, dtype=bool)[T]), TypeError,
     r"^target: probability targets must be floating point, got dtype bool"),
    ("focal one-hot target", lambda: focal_loss(Z, np.eye(4, dtype=int)[T]), TypeError,
     r"^target: got dtype int64 with the shape of logits.*class indices of shape \(3,\)"),
    ("prob target shape", lambda: softmax_cross_entropy(Z, np.full((3, 5), 0.2)), ValueError,
     r"^target: shape mismatch: logits has shape \(3, 4\).*target has shape \(3, 5\)"),
    ("prob + ignore_index", lambda: softmax_cross_entropy(Z, np.full((3, 4), 0.25), ignore_index=-100),
     ValueError, r"^ignore_index: cannot be combined with probability targets"),
    ("prob targets sum", lambda: softmax_cross_entropy(Z, np.full((3, 4), 0.3)), ValueError,
     r"^target: does not sum to 1 .*sum is 1\.2 \(off by \+0\.2"),
    ("prob targets negative", lambda: softmax_cross_entropy(Z, [[1.5, -0.5, 0, 0]] * 3), ValueError,
     r"^target: negative probability -0\.5 at index \(0, 1\)"),
    ("label_smoothing -0.1", lambda: softmax_cross_entropy(Z, T, label_smoothing=-0.1), ValueError,
     r"^label_smoothing: must be in \[0, 1\], got -0\.1"),
    ("label_smoothing 1.5", lambda: softmax_cross_entropy(Z, T, label_smoothing=1.5), ValueError,
     r"^label_smoothing: must be in \[0, 1\], got 1\.5"),
    ("label_smoothing NaN", lambda: softmax_cross_entropy(Z, T, label_smoothing=NAN), ValueError,
     r"^label_smoothing: must be finite"),
    ("logits NaN", lambda: softmax_cross_entropy([[0.0, 1.0], [NAN, 0.0]], [0, 1]), ValueError,
     r"^logits: contains NaN at index \(1, 0\)"),
    ("logits +inf", lambda: softmax_cross_entropy([[0.0, INF]], [0]), ValueError,
     r"^logits: contains \+inf at index \(0, 1\)"),
    ("logits all -inf", lambda: softmax_cross_entropy([[0.0, 1.0], [-INF, -INF]], [0, 1]), ValueError,
     r"^logits: every logit is -inf in row 1"),
    ("logits empty class axis", lambda: softmax_cross_entropy(np.zeros((3, 0)), T), ValueError,
     r"^logits: empty class axis"),
    ("logits scalar", lambda: softmax_cross_entropy(1.0, 0), ValueError, r"^logits: expected an array with a class axis"),
    ("class_weight shape", lambda: softmax_cross_entropy(Z, T, class_weight=[1.0, 2.0]), ValueError,
     r"^class_weight: shape mismatch.*\(4,\), got \(2,\)"),
    ("class_weight negative", lambda: softmax_cross_entropy(Z, T, class_weight=[1, -1, 1, 1]), ValueError,
     r"^class_weight: negative weight at index 1"),
    ("class_weight NaN", lambda: softmax_cross_entropy(Z, T, class_weight=[1, NAN, 1, 1]), ValueError,
     r"^class_weight: contains NaN"),
    ("ignore_index float", lambda: softmax_cross_entropy(Z, T, ignore_index=1.0), TypeError,
     r"^ignore_index: must be an integer"),
    ("sce reduction", lambda: softmax_cross_entropy(Z, T, reduction="max"), ValueError, r"^reduction:"),
    # sigmoid BCE
    ("sigmoid target outside", lambda: sigmoid_binary_cross_entropy([0.0, 1.0], [1.0, 2.0]), ValueError,
     r"^target: values must lie in \[0, 1\]; got 2 at index 1"),
    ("sigmoid logits +inf", lambda: sigmoid_binary_cross_entropy([INF], [1.0]), ValueError,
     r"^logits: contains \+inf at index 0"),
    ("sigmoid logits NaN", lambda: sigmoid_binary_cross_entropy([NAN], [1.0]), ValueError, r"^logits: contains NaN"),
    ("sigmoid shapes", lambda: sigmoid_binary_cross_entropy([0.0, 0.0], [1.0]), ValueError,
     r"^target: shape mismatch: logits has shape \(2,\) but target has shape \(1,\)"),
    ("pos_weight negative", lambda: sigmoid_binary_cross_entropy([0.0], [1.0], pos_weight=[-1.0]),
     ValueError, r"^pos_weight: negative weight"),
    ("pos_weight enlarges", lambda: sigmoid_binary_cross_entropy([0.0], [1.0], pos_weight=[1.0, 2.0]),
     ValueError, r"^pos_weight: shape mismatch"),
    # focal
    ("focal gamma", lambda: focal_loss(Z, T, gamma=-1), ValueError, r"^gamma: must be >= 0"),
    ("focal index", lambda: focal_loss(Z, [0, 1, 9]), ValueError, r"^target: class index 9 is out of range"),
    ("focal logits NaN", lambda: focal_loss([[NAN, 0.0]], [0]), ValueError, r"^logits: contains NaN"),
    # misc
    ("perplexity both", lambda: perplexity([1.0], nll=[1.0]), ValueError, r"^p: give exactly one"),
    ("perplexity neither", lambda: perplexity(), ValueError, r"^p: give exactly one"),
    ("perplexity negative nll", lambda: perplexity(nll=[1.0, -0.5]), ValueError,
     r"^nll: negative log-likelihoods are impossible.*index 1"),
    ("perplexity empty nll", lambda: perplexity(nll=[]), ValueError, r"^nll: empty"),
    ("numerical_gradient eps", lambda: numerical_gradient(lambda v: 0.0, [1.0], eps=0), ValueError, r"^eps:"),
    ("numerical_gradient vector f", lambda: numerical_gradient(lambda v: v, [1.0, 2.0]), ValueError,
     r"^f: must return a scalar"),
    ("linear W shape", lambda: linear_cross_entropy(Z, np.zeros((3, 5)), T), ValueError,
     r"^W: shape mismatch: h has shape \(3, 4\) and W has shape \(3, 5\)"),
]


@pytest.mark.parametrize("name, call, exc, pattern", CASES, ids=[c[0] for c in CASES])
def test_policy(name, call, exc, pattern):
    with pytest.raises(exc) as info:
        call()
    assert re.search(pattern, str(info.value)), str(info.value)
    assert type(info.value) is exc


# ---------------------------------------------------------------- not errors
def test_allowed_inputs_are_not_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf   # q = 0 < p: inf
        assert entropy([1.0, 0.0]) == 0.0                             # 0 log 0 = 0
        assert entropy([1, 3], normalize=True) > 0                    # normalize opts in
        assert cross_entropy([2, 2], [1, 3], normalize=True) > 0
        assert np.isfinite(softmax_cross_entropy([[0.0, -INF]], [0]))  # -inf on a non-target class
        assert softmax_cross_entropy([[0.0, -INF]], [1]) == math.inf   # ... on the target: inf
        assert entropy(np.ones((0, 3)) / 3).shape == (0,)             # no rows is fine
        # within tolerance
        assert entropy([0.5, 0.5 + 1e-9]) > 0
        assert entropy(np.array([0.5, 0.5 + 1e-5], np.float32)) > 0


def test_mean_over_nothing_is_an_error_not_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning on the way either
        with pytest.raises(ValueError, match=r"^ignore_index: reduction='mean' over zero total weight"):
            softmax_cross_entropy(Z, [-100] * 3, ignore_index=-100)
        with pytest.raises(ValueError, match=r"^y: reduction='mean' over zero total weight"):
            binary_cross_entropy(np.zeros(0), np.zeros(0))
        with pytest.raises(ValueError, match=r"^target: reduction='mean' over zero total weight"):
            linear_cross_entropy(np.zeros((0, 4)), np.zeros((4, 5)), np.zeros(0, int))


# ---------------------------------------------------------------- fuzz
def _dist(rng, shape):
    p = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])
    return p


def _corrupt_prob(rng, p):
    """Return (corrupted p, whether normalize=True would repair it)."""
    kind = rng.integers(5)
    p = p.copy()
    idx = tuple(rng.integers(s) for s in p.shape)
    if kind == 0:
        p[idx] = -rng.uniform(1e-9, 2.0)
    elif kind == 1:
        p[idx] = np.nan
    elif kind == 2:
        p[idx] = rng.choice([np.inf, -np.inf])
    elif kind == 3:  # off by more than the tolerance
        row = idx[:-1]
        p[row] *= rng.choice([-1, 1]) * rng.uniform(2e-4, 0.5) + 1
    else:
        p = p.reshape(-1)[:0].reshape(p.shape[:-1] + (0,)) if p.ndim > 1 else np.zeros(0)
    return p


@st.composite
def bad_calls(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    family = draw(st.sampled_from(["info", "sce", "binary", "sigmoid", "softmax", "focal", "shape"]))
    batch = tuple(int(x) for x in rng.integers(1, 4, size=rng.integers(0, 2)))
    C = int(rng.integers(2, 6))
    dt = rng.choice([np.float32, np.float64])
    if family == "info":
        f = draw(st.sampled_from([entropy, cross_entropy, kl_divergence]))
        p, q = _dist(rng, batch + (C,)).astype(dt), _dist(rng, batch + (C,)).astype(dt)
        which = "p" if f is entropy or rng.integers(2) else "q"
        if which == "p":
            p = _corrupt_prob(rng, p)
        else:
            q = _corrupt_prob(rng, q)
        call = (lambda: f(p)) if f is entropy else (lambda: f(p, q))
        return call, {which, "p"} if p.shape[-1] == 0 else {which}
    if family == "shape":
        f = draw(st.sampled_from([cross_entropy, kl_divergence]))
        p = _dist(rng, batch + (C,))
        q = _dist(rng, batch + (C + int(rng.integers(1, 3)),))
        return (lambda: f(p, q)), {"q"}
    if family == "binary":
        y = rng.uniform(size=batch + (C,)).astype(dt)
        q = rng.uniform(size=batch + (C,)).astype(dt)
        arr, name = (y, "y") if rng.integers(2) else (q, "q")
        idx = tuple(rng.integers(s) for s in arr.shape)
        arr[idx] = rng.choice([np.nan, -rng.uniform(1e-6, 3), 1 + rng.uniform(1e-6, 3)])
        return (lambda: binary_cross_entropy(y, q)), {name}
    if family == "sigmoid":
        z = rng.normal(size=batch + (C,)).astype(dt)
        y = rng.uniform(size=batch + (C,)).astype(dt)
        idx = tuple(rng.integers(s) for s in z.shape)
        if rng.integers(2):
            z[idx] = rng.choice([np.nan, np.inf, -np.inf])
            name = "logits"
        else:
            y[idx] = rng.choice([np.nan, -0.5, 1.5])
            name = "target"
        return (lambda: sigmoid_binary_cross_entropy(z, y, return_grad=True)), {name}
    if family == "softmax":
        f = draw(st.sampled_from([softmax, log_softmax]))
        z = rng.normal(size=batch + (C,)).astype(dt)
        idx = tuple(rng.integers(s) for s in z.shape)
        if rng.integers(2):
            z[idx] = rng.choice([np.nan, np.inf])
        else:
            z[idx[:-1]] = -np.inf
        return (lambda: f(z)), {"z"}
    # sce / focal
    N = int(rng.integers(1, 6))
    z = rng.normal(scale=5, size=(N, C)).astype(dt)
    t = rng.integers(0, C, N)
    kw: dict = {}
    kind = int(rng.integers(8 if family == "sce" else 4))
    i = int(rng.integers(N))
    if kind == 0:
        z[i, rng.integers(C)] = rng.choice([np.nan, np.inf])
        name = "logits"
    elif kind == 1:
        z[i] = -np.inf
        name = "logits"
    elif kind == 2:
        t[i] = rng.choice([C + int(rng.integers(0, 5)), -1 - int(rng.integers(0, 5))])
        name = "target"
    elif kind == 3:
        t = t + rng.choice([0.0, 0.5])
        name = "target"
    elif kind == 4:
        kw["label_smoothing"] = rng.choice([-rng.uniform(1e-6, 1), 1 + rng.uniform(1e-6, 1), np.nan])
        name = "label_smoothing"
    elif kind == 5:
        t = _dist(rng, (N, C))
        kw["ignore_index"] = int(rng.integers(-100, C))
        name = "ignore_index"
    elif kind == 6:
        t = _corrupt_prob(rng, _dist(rng, (N, C)))
        name = "target" if t.shape == z.shape else "target"
        if t.shape != z.shape:
            name = "target"
    else:
        w = rng.uniform(size=C)
        w[rng.integers(C)] = rng.choice([-1.0, np.nan])
        kw["class_weight"] = w
        name = "class_weight"
    f = softmax_cross_entropy if family == "sce" else focal_loss
    return (lambda: f(z, t, return_grad=bool(rng.integers(2)), **kw)), {name}


@settings(max_examples=200, deadline=None, derandomize=True)
@given(bad_calls())
def test_fuzz_bad_inputs_raise(case):
    call, names = case
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NaN/overflow warnings on the way to the error
        with pytest.raises((ValueError, TypeError)) as info:
            out = call()
            pytest.fail(f"returned {out!r} instead of raising")  # pragma: no cover
    msg = str(info.value)
    assert any(msg.startswith(n + ":") for n in names), msg


# ---------------------------------------------------------------- 0-d input (issue 13)
def _raises_section(fn) -> str:
    """The text of the numpy-style ``Raises`` section of ``fn``'s docstring ('' if none)."""
    import inspect

    lines = inspect.cleandoc(fn.__doc__ or "").splitlines()
    out: list[str] = []
    inside = False
    for i, line in enumerate(lines):
        header = i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"} and line.strip()
        if header:
            inside = line.strip() == "Raises"
            continue
        if inside and set(line.strip()) != {"-"}:
            out.append(line)
    return "\n".join(out)


# Every public function, called with a 0-d (scalar) input where it takes an array.
# None: the function accepts 0-d input (elementwise, or a single-entry distribution).
ZERO_D = {
    "entropy": (lambda: entropy(1.0), "p"),
    "cross_entropy": (lambda: cross_entropy(1.0, [1.0]), "p"),
    "cross_entropy q": (lambda: cross_entropy([1.0], 1.0), "q"),
    "kl_divergence": (lambda: kl_divergence(1.0, [1.0]), "p"),
    "kl_divergence q": (lambda: kl_divergence([1.0], 1.0), "q"),
    "perplexity": (lambda: perplexity(1.0), "p"),
    "perplexity nll": (lambda: perplexity(nll=1.0), "nll"),
    "softmax_cross_entropy": (lambda: softmax_cross_entropy(1.0, 0), "logits"),
    "focal_loss": (lambda: focal_loss(1.0, 0), "logits"),
    "linear_cross_entropy": (lambda: linear_cross_entropy(1.0, np.ones((1, 2)), 0), "h"),
    "binary_entropy": (lambda: binary_entropy(0.5), None),
    "binary_cross_entropy": (lambda: binary_cross_entropy(1.0, 0.5), None),
    "sigmoid_binary_cross_entropy": (lambda: sigmoid_binary_cross_entropy(0.0, 1.0), None),
    "logsumexp": (lambda: logsumexp(2.5), None),
    "softmax": (lambda: softmax(2.5), None),
    "log_softmax": (lambda: log_softmax(2.5), None),
    "sigmoid": (lambda: sigmoid(0.0), None),
    "log_sigmoid": (lambda: log_sigmoid(0.0), None),
    "numerical_gradient": (lambda: numerical_gradient(lambda v: float(v) ** 2, 1.0), None),
    "huffman_code": (lambda: huffman_code(1.0), "p"),
    "code_lengths": (lambda: code_lengths(1.0), "p"),
    "prefix_code": (lambda: prefix_code(1), "lengths"),
    "kraft_sum": (lambda: kraft_sum(1), "lengths"),
    "expected_length": (lambda: expected_length(1, [1.0]), "lengths"),
    "expected_length p": (lambda: expected_length([0], 1.0), "p"),
}


def test_zero_d_table_covers_every_public_function():
    import xentlib

    public = {n for n in xentlib.__all__ if callable(getattr(xentlib, n))}
    assert public == {k.split()[0] for k in ZERO_D}


@pytest.mark.parametrize("case", list(ZERO_D), ids=list(ZERO_D))
def test_zero_d_input_error_names_the_argument_and_is_documented(case):
    """A 0-d input either works (returns a 0-d result) or raises a ValueError that names the
    argument, says 'scalar', and is listed in the function's Raises section ('0-d ...')."""
    import xentlib

    call, arg = ZERO_D[case]
    fn = getattr(xentlib, case.split()[0])
    if arg is None:
        out = np.asarray(call())
        assert out.ndim == 0 and np.isfinite(out)
        return
    with pytest.raises(ValueError, match=rf"^{arg}: expected .*got a scalar") as exc:
        call()
    raises = _raises_section(fn)
    assert raises, f"{fn.__name__} has no Raises section"
    assert re.search(rf"0-d (``\w+``,? (or|and) )*``{arg}``", " ".join(raises.split())), (
        f"{fn.__name__}: Raises does not document the 0-d {arg!r} error ({exc.value})"
    )
