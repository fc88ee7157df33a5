"""Truth, not only consistency: a verdict may not contradict its own evidence.

Every other claim test checks that the parts of a claim agree with each other:
the predicate ``source_holds`` is False on the evidence, the box says what was
tested, kin share a verdict.  None of them can see a claim whose verdict was
flipped together with its predicate: a correct claim marked INCORRECT, given a
``reading`` and ``source_holds=lambda ev: not <the real test>``, passes them all
and its box prints "this example refutes ..." above numbers that show the
source is right.

No general check can catch that from the claim alone: the predicate and the
evidence come from the same hand, and a predicate that lies is still a
predicate.  What catches it is a second, independent statement of the same
reading.  So this file states, for every claim whose verdict is not
*correct*, the source's reading once more, in a few lines written from the
source's words (not copied from the claim's predicate), as a function of the
evidence's numbers, and checks

* that every non-correct claim has such an oracle here (a newly flipped or newly
  added claim fails until someone states its reading a second time), and
* that the oracle agrees with the claim's predicate and says the reading fails
  on the evidence (an inverted predicate, or evidence that shows the source is
  right, fails).

The numbers themselves are recomputed by hand in ``test_claim_values.py``.
"""
from __future__ import annotations

import numpy as np
import pytest

from xentlib.course import audit
from xentlib.course.claims import Claim


def _close(a, b, tol=1e-9) -> bool:
    return bool(np.all(np.abs(np.asarray(a, float) - np.asarray(b, float)) <= tol))


def _is_distribution(q) -> bool:
    q = np.asarray(q, float)
    return bool(np.all(q >= 0) and np.all(q <= 1) and np.isclose(q.sum(), 1.0))


#: claim id -> does the source's reading hold on these evidence values?
ORACLES = {
    # "the loss is in bits": the source's own loss would report bits
    "loss-unit-bits": lambda v: _close(v["library_value"], v["bits_value"]),
    # "H(X) = k log k - k log k": H would be 0
    "entropy-symmetry": lambda v: _close(v["H_bits"], 0.0, 1e-6),
    # "H(P||Q) is the cross-entropy": it would equal the KL divergence it writes
    "xent-notation": lambda v: _close(v["H"], v["KL"], 1e-6),
    # "a zero probability makes H(P, Q) zero", in either reading of 或
    "xent-zero": lambda v: all(c["H_bits"] == 0 for c in v["cases"] if c["premise"]),
    # "H(P, Q) = H(Q, P)"
    "xent-symmetry": lambda v: _close(v["H_PQ"], v["H_QP"], 1e-6),
    # the binary loss as printed: the good model would score lower than the all-ones model
    "loss-binary-notation": lambda v: v["literal_good"] < v["literal_ones"],
    # "the gradient is one number": every component would equal it
    "loss-gradient-multiclass": lambda v: _close(v["grad_q"], v["source_value"], 1e-4),
    "loss-gradient-binary": lambda v: _close(v["grad_q"], v["source_value"], 1e-4),
    # "Q <- Q + eta * grad lowers the loss": the loss after a step would be smaller
    "loss-update-sign": lambda v: v["ascent"][1] < v["ascent"][0],
    # "the update acts on the probabilities": what it produces would still be a distribution
    "loss-update-probabilities": lambda v: _is_distribution(v["source_q1"]),
    "loss-softmax-regression": lambda v: all(_is_distribution(r) for r in v["q_source"]),
    # "two classes of 100 samples each"
    "training-data-class-sizes": lambda v: list(v["counts"]) == [100, 100],
    # "input, hidden and output layer": at least two weight layers
    "training-model-hidden-layer": lambda v: v["n_weight_layers"] > 1,
    # "a classifier for the two classes": one output per class
    "training-model-output-units": lambda v: v["output_width"] == v["n_classes"],
    # "this loss fits the integer labels of 4.1"
    "training-loss-integer-labels": lambda v: bool(v["compatible"]),
    # "model(X) returns logits": its rows would not all be probability vectors
    "training-logits-are-probabilities": lambda v: not (v["in_unit"] and v["row_sum_err"] < 1e-9),
}

JUDGED = [c for c in audit.REGISTRY.values() if c.verdict != "correct"]


def oracle_problems(claim: Claim, oracle=None) -> list[str]:
    """What is wrong between a non-correct claim, its evidence and the second statement of its reading."""
    oracle = oracle or ORACLES.get(claim.id)
    if oracle is None:
        return [f"{claim.id} is judged {claim.verdict!r} but has no second statement of its reading in "
                f"tests/test_truth.py::ORACLES: state there, from the source's words, when the reading "
                f"{claim.reading!r} would hold"]
    ev = claim.evidence()
    says = bool(oracle(ev.values))
    problems = []
    if says:
        problems.append(f"{claim.id}: the evidence shows the source's reading HOLDS ({claim.reading}); "
                        f"the verdict {claim.verdict!r} contradicts its own evidence")
    if claim.source_holds is not None and bool(claim.source_holds(ev)) != says:
        problems.append(f"{claim.id}: the claim's predicate says {not says}, the independent statement of "
                        f"its reading says {says}: one of them is inverted")
    return problems


@pytest.mark.parametrize("claim", JUDGED, ids=[c.id for c in JUDGED])
def test_a_verdict_never_contradicts_its_evidence(claim):
    problems = oracle_problems(claim)
    assert not problems, "\n".join(problems)


def test_no_oracle_for_a_claim_that_is_not_judged():
    stale = sorted(cid for cid in ORACLES
                   if cid not in audit.REGISTRY or audit.REGISTRY[cid].verdict == "correct")
    assert not stale, f"oracles for claims now judged correct (or gone): {stale}"


def test_a_flipped_verdict_is_caught():
    """The regression case of issue 19: a correct claim flipped to INCORRECT with a reading and an
    inverted predicate passed every other test; here it fails, twice."""
    import dataclasses

    real = audit.REGISTRY["xent-nonnegativity"]
    ev = real.evidence()
    flipped = dataclasses.replace(
        real, id="xent-nonnegativity-flipped", verdict="incorrect", random_check=None, checks="",
        reading="'H(P, Q) >= 0 for all P, Q'",
        source_holds=lambda e: not e.values["hmin_bits"] >= 0)   # inverted
    assert not flipped.source_holds(ev), "the doctored predicate should pass the old check"
    # 1. no second statement of its reading: caught
    assert oracle_problems(flipped)
    # 2. with an honest second statement, the evidence contradicts the verdict: caught
    honest = oracle_problems(flipped, oracle=lambda v: v["hmin_bits"] >= 0)
    assert any("contradicts its own evidence" in p for p in honest), honest
    assert any("inverted" in p for p in honest), honest


def test_an_inverted_predicate_is_caught():
    import dataclasses

    real = audit.REGISTRY["xent-symmetry"]
    inverted = dataclasses.replace(real, source_holds=lambda ev: not real.source_holds(ev))
    assert any("inverted" in p for p in oracle_problems(inverted))
    assert oracle_problems(real) == []

