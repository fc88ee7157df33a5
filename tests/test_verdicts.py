"""The verdict rule, written once, and its consistency across the 48 claims.

* the rule (:data:`xentlib.course.claims.RULE`) names the four verdicts, and the module docstring
  and the introduction's "How the audit boxes work" cell state it in the same words;
* claims quoting the same source wording share a ``kin``: one verdict per kin, or every claim whose
  verdict differs from the kin's majority says why (``differs``), and its box shows the reason;
* the kin is found, not only declared: two claims whose quotations share a prose sentence
  (code blocks aside, where different bugs sit in lines of one listing) share a kin;
* a box's consistency line lists as "same verdict" only kin with its own verdict;
* every box says what its evidence tested: "What was checked: <checks>" for a correct claim,
  "This example refutes the reading: <reading>" for a counterexample;
* each check above can fail (mutants at the end).
"""
from __future__ import annotations

import collections
import dataclasses
import itertools
import json
import pathlib
import re

import pytest

from xentlib.course import audit, claims
from xentlib.course.claims import REGISTRY, RULE, VERDICTS, Claim

ROOT = pathlib.Path(__file__).resolve().parent.parent
CLAIMS = list(REGISTRY.values())


def _intro_rule_cell() -> str:
    nb = json.loads((ROOT / "chapters" / "00_introduction.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"]
             if c["cell_type"] == "markdown" and "How the audit boxes work" in "".join(c["source"])]
    assert len(cells) == 1, "the introduction needs one 'How the audit boxes work' cell"
    return cells[0]


def rule_problems(rule: dict[str, str], *texts: str) -> list[str]:
    """The rule names the four verdicts, each with a definition that every text quotes."""
    problems = []
    if tuple(rule) != VERDICTS:
        problems.append(f"the rule defines {tuple(rule)}, not the verdicts {VERDICTS}")
    for verdict, definition in rule.items():
        if not definition.strip():
            problems.append(f"{verdict}: empty definition")
        for i, text in enumerate(texts):
            flat = " ".join(text.split())
            if verdict not in flat or " ".join(definition.split()) not in flat.replace("*", ""):
                problems.append(f"text {i}: does not state '{verdict}: {definition}'")
    for i, text in enumerate(texts):
        if "strawman" not in text:
            problems.append(f"text {i}: does not say that a true claim is never refuted by a strawman")
    return problems


def kin_problems(claims_: list[Claim]) -> list[str]:
    """One verdict per kin; a claim outside its kin's majority verdict states why (``differs``).

    A kin needs two claims; a claim stating a difference must actually differ from another one.
    """
    groups: dict[str, list[Claim]] = collections.defaultdict(list)
    for c in claims_:
        if c.kin:
            groups[c.kin].append(c)
    problems = []
    for kin, members in groups.items():
        if len(members) < 2:
            problems.append(f"kin {kin!r}: only {members[0].id}; a kin groups claims quoting the same wording")
            continue
        counts = collections.Counter(c.verdict for c in members)
        majority = max(counts.values())
        # the claims that state a difference must be the minority: the rest share one verdict
        plain = [c for c in members if not c.differs.strip()]
        if len({c.verdict for c in plain}) > 1:
            problems.append(f"kin {kin!r}: verdicts {sorted((c.id, c.verdict) for c in plain)} differ, "
                            "and none says why")
        for c in members:
            if c.differs.strip() and all(o.verdict == c.verdict for o in members if o is not c):
                problems.append(f"{c.id}: says its verdict differs from kin {kin!r}, but all share {c.verdict!r}")
            if not c.differs.strip() and counts[c.verdict] < majority:
                problems.append(f"{c.id}: verdict {c.verdict!r} is not its kin {kin!r}'s; say why (differs)")
    return problems


def evidence_line_problems(claim: Claim, text: str | None = None) -> list[str]:
    """The box (``text``: its plain text, rendered if None) names what was tested or the reading refuted."""
    text = repr(audit.box(claim.id, seeds=5)) if text is None else text
    problems = []
    if claim.verdict == "correct":
        if (f"Checked on 5 random cases: always true. What was checked: {claim.checks}"
                not in " ".join(text.split())):
            problems.append(f"{claim.id}: the box does not print 'Checked on ...: always true. What was checked: ...'")
    elif f"This example refutes the reading: {claim.reading}" not in " ".join(text.split()):
        problems.append(f"{claim.id}: the box does not print 'This example refutes the reading: <reading>'")
    if "random check: the statement holds" in text or "\n    the source's statement fails" in text:
        problems.append(f"{claim.id}: an evidence line that does not say what was tested")
    if claim.differs.strip() and " ".join(claim.differs.split()) not in " ".join(text.split()):
        problems.append(f"{claim.id}: its box does not show why its verdict differs from its kin's")
    return problems


# ---------------------------------------------------------------- the rule

def test_the_rule_is_written_once_and_names_the_four_verdicts():
    problems = rule_problems(RULE, claims.__doc__ or "", _intro_rule_cell())
    assert not problems, "\n".join(problems)


def test_rule_check_can_fail():
    assert rule_problems({v: RULE[v] for v in VERDICTS[:3]}, "")            # a verdict missing
    assert rule_problems(RULE, claims.__doc__.replace("strawman", "straw man"))
    assert rule_problems(RULE, claims.__doc__.replace(RULE["incorrect"].split()[2], "x"))
    assert rule_problems(RULE, claims.__doc__ or "") == []


# ---------------------------------------------------------------- consistency

def test_claims_quoting_the_same_wording_get_one_verdict_or_say_why():
    problems = kin_problems(CLAIMS)
    assert not problems, "\n".join(problems)


def test_the_named_kin_groups():
    """The groups the review found inconsistent, fixed here by reading the source."""
    kin = {c.id: c.kin for c in CLAIMS}
    assert {k for k, v in kin.items() if v == "unit-is-bit"} == {"entropy-unit-bits", "xent-unit-bits",
                                                                 "loss-unit-bits"}
    # §2.1/§2.2 fix the base (log₂ in information theory): correct; §3.1's loss is the source's own
    # Keras loss, in nats: incorrect, and its box says why (differs)
    assert {REGISTRY[c].verdict for c in ("entropy-unit-bits", "xent-unit-bits")} == {"correct"}
    assert REGISTRY["loss-unit-bits"].verdict == "incorrect" and REGISTRY["loss-unit-bits"].differs
    assert {REGISTRY[c].verdict for c in ("trends-adaptive-learning-rate", "faq-adaptive-lr")} == {"correct"}
    assert kin["trends-adaptive-learning-rate"] == kin["faq-adaptive-lr"] != ""
    assert kin["trends-distributed"] == kin["trends-optimization-speed"] != ""
    assert REGISTRY["entropy-zero"].verdict == "correct"
    assert REGISTRY["entropy-symmetry"].verdict == "incorrect"
    assert REGISTRY["training-logits-are-probabilities"].verdict == "ill-posed"


def test_kin_check_can_fail():
    # one verdict, no differs: the mutants below do not depend on the registered verdicts
    unit = [dataclasses.replace(REGISTRY[c], verdict="incorrect", differs="")
            for c in ("entropy-unit-bits", "xent-unit-bits", "loss-unit-bits")]
    assert kin_problems(unit) == []
    split = [dataclasses.replace(unit[0], verdict="ill-posed"), *unit[1:]]
    assert kin_problems(split)                                              # a verdict differs, unexplained
    explained = [dataclasses.replace(split[0], differs="because"), *unit[1:]]
    assert kin_problems(explained) == []
    assert kin_problems([dataclasses.replace(unit[0], differs="because"), unit[1]])  # claims to differ, doesn't
    assert kin_problems(unit[:1])                                           # a kin of one


def _sentences(source_zh: str) -> set[str]:
    """The prose sentences of a quotation: code blocks dropped, ``$`` and spaces removed,
    split at sentence ends, ellipses and line breaks; fragments under 8 characters ignored."""
    prose = re.sub(r"```.*?```", "", source_zh, flags=re.S).replace("$", "").replace("……", "。")
    parts = (re.sub(r"\s+", "", p) for p in re.split(r"[。；！？\n]", prose))
    return {p for p in parts if len(p) >= 8}


def shared_wording_problems(claims_: list[Claim]) -> list[str]:
    """Claims whose quotations share a sentence must share a kin."""
    problems = []
    for a, b in itertools.combinations(claims_, 2):
        common = _sentences(a.source_zh) & _sentences(b.source_zh)
        if common and (not a.kin or a.kin != b.kin):
            problems.append(f"{a.id} and {b.id} quote {sorted(common)[0]!r} but do not share a kin")
    return problems


def kin_line_problems(claim: Claim, line: str) -> list[str]:
    """The "same verdict" list of a consistency line names only kin with the claim's verdict."""
    m = re.search(r"says the same in ([^:;]*): same verdict", line)
    if not m:
        return []
    problems = []
    for name in (n.strip() for n in re.split(r",| and ", m.group(1))):
        cid = name.split(" (")[0]
        if REGISTRY[cid].verdict != claim.verdict:
            problems.append(f"{claim.id} ({claim.verdict}): 'same verdict' lists {cid} ({REGISTRY[cid].verdict})")
    return problems


def test_claims_sharing_a_sentence_share_a_kin():
    problems = shared_wording_problems(CLAIMS)
    assert not problems, "\n".join(problems)


def test_shared_wording_check_can_fail():
    pair = [REGISTRY["xent-definition"], REGISTRY["xent-notation"]]
    assert shared_wording_problems(pair) == []
    assert shared_wording_problems([dataclasses.replace(pair[0], kin=""), pair[1]])
    code = [REGISTRY["training-logits-are-probabilities"], REGISTRY["training-loop-no-evaluation"]]
    assert shared_wording_problems(code) == []                  # one listing, different lines


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c.kin], ids=[c.id for c in CLAIMS if c.kin])
def test_consistency_line_lists_same_verdict_only_for_same_verdict(claim):
    line = audit.kin_line(claim)
    assert line, f"{claim.id} has kin but its box prints no consistency line"
    problems = kin_line_problems(claim, line)
    assert not problems, "\n".join(problems)
    if any(o.kin == claim.kin and o.verdict == claim.verdict for o in CLAIMS if o is not claim):
        assert re.search(r"says the same in ([^:;]*): same verdict", line), f"{claim.id}: unparsed {line!r}"
    for other in (o for o in CLAIMS if o.kin == claim.kin and o.verdict != claim.verdict):
        assert f"{other.id} ({other.verdict})" in line, f"{claim.id}: {other.id} missing from {line!r}"


def test_consistency_line_check_can_fail():
    # the line the boxes printed before the fix: a claim marked correct, its kin marked incorrect
    old = "The source says the same in xent-zero (incorrect): same verdict."
    assert kin_line_problems(REGISTRY["entropy-zero"], old)
    assert kin_line_problems(REGISTRY["entropy-zero"], audit.kin_line(REGISTRY["entropy-zero"])) == []


# ---------------------------------------------------------------- evidence says what it tested

@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_every_box_says_what_was_tested(claim):
    problems = evidence_line_problems(claim)
    assert not problems, "\n".join(problems)


def test_elaborations_say_so():
    """Checks of the course's elaboration, not of the source's sentence, say so in the box."""
    for cid in ("trends-distributed", "trends-sparse-data", "intro-common-loss", "faq-adaptive-lr"):
        assert "elaboration" in REGISTRY[cid].checks, cid


def test_evidence_line_check_can_fail():
    wrong, right = REGISTRY["xent-symmetry"], REGISTRY["xent-nonnegativity"]
    assert evidence_line_problems(wrong) == [] and evidence_line_problems(right) == []
    assert evidence_line_problems(wrong, "Evidence:\n    the source's statement fails on this example")
    assert evidence_line_problems(right, "Evidence:\n    random check: the statement holds on all 5 random "
                                         "instances (seeds 0-4)")
    differing = REGISTRY["xent-zero"]
    assert differing.differs and evidence_line_problems(differing) == []
    box = " ".join(repr(audit.box(differing.id, seeds=5)).split())
    assert evidence_line_problems(differing, box.replace(" ".join(differing.differs.split()), ""))  # no reason
