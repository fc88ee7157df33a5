"""Every audited claim, checked the same way: verdicts backed by computation, units, placement.

Parametrised over every claim of the registry (all chapters alike).

* a claim judged incorrect / ill-posed / code bug: the source's statement FAILS on the
  counterexample that xentlib computes (``source_holds(evidence()) is False``);
* a claim judged correct: its ``random_check`` holds on random instances (hypothesis over seeds);
* every registry id is shown with ``audit.show("<id>")`` in exactly one chapter notebook, the
  one named by ``claim.chapter``; the errata page calls ``audit.errata()``;
* the checker itself can fail (mutation tests with deliberately wrong evidence).
"""
from __future__ import annotations

import dataclasses
import json
import pathlib
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xentlib as xl
from xentlib.course import audit
from xentlib.course.claims import REGISTRY, VERDICTS, Claim, Evidence, register, verify

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
SHOW = re.compile(r"""audit\.show\(\s*["']([^"']+)["']""")

CLAIMS = list(REGISTRY.values())
NOT_CORRECT = [c for c in CLAIMS if c.verdict != "correct"]
CORRECT = [c for c in CLAIMS if c.verdict == "correct"]

#: The one units rule for evidence texts: a line with a computed number (three or more decimals)
#: names its unit, or sits under a header line (less indented, or the header of a table of
#: numbers) that names it.  "probability" and "no unit" count as units.
UNIT = re.compile(r"(\bbits?\b|\bnats?\b|\bbytes?\b|\b[KMG]iB\b|%|\bprobabilit(?:y|ies)\b|\bno unit\b|"
                  r"\bsteps?\b|\bseconds?\b|\bms\b)")
NUMBER = re.compile(r"\d\.\d{3}")
TABLE_ROW = re.compile(r"^[\s\d.+\-eE,()\[\]|]+$")


def unlabelled_numbers(text: str) -> list[str]:
    """The lines of ``text`` whose computed numbers carry no unit (see :data:`UNIT`)."""
    lines = text.splitlines()
    bad = []
    for i, line in enumerate(lines):
        if not NUMBER.search(line) or UNIT.search(line):
            continue
        indent = len(line) - len(line.lstrip())
        header = None
        for prev in reversed(lines[:i]):
            if TABLE_ROW.match(line) and not TABLE_ROW.match(prev):
                header = prev
                break
            if prev.strip() and len(prev) - len(prev.lstrip()) < indent:
                header = prev
                break
        if header is None or not UNIT.search(header):
            bad.append(line)
    return bad


def _ids(claims):
    return [c.id for c in claims]


# ---------------------------------------------------------------- the checker

def source_statement_fails(claim: Claim) -> bool:
    """For a non-correct claim: does its counterexample refute the source? (the checker)"""
    ev = claim.evidence()
    assert isinstance(ev, Evidence), f"{claim.id}: evidence() must return an Evidence"
    return not claim.source_holds(ev)


def show_calls(notebooks: dict[str, dict]) -> dict[str, list[str]]:
    """``{claim id: [notebook stems calling audit.show(id), one entry per call]}``."""
    found: dict[str, list[str]] = {}
    for stem, nb in notebooks.items():
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for m in SHOW.finditer(src):
                found.setdefault(m.group(1), []).append(stem)
    return found


def placement_problems(claims, notebooks: dict[str, dict]) -> list[str]:
    """Every claim shown exactly once, in its own chapter; no unknown id shown."""
    calls = show_calls(notebooks)
    known = {c.id for c in claims}
    problems = []
    for c in claims:
        where = calls.get(c.id, [])
        if where != [c.chapter]:
            problems.append(f"{c.id}: expected one audit.show in {c.chapter}, found {where or 'none'}")
    for cid, where in calls.items():
        if cid not in known:
            problems.append(f"audit.show({cid!r}) in {where}: no such claim in the registry")
    return problems


def _notebooks() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(CHAPTERS.glob("*.ipynb"))}


# ---------------------------------------------------------------- the registry

def test_registry_covers_every_section_of_the_source():
    sections = {c.section.split(".")[0] for c in CLAIMS}
    assert sections == {"1", "2", "3", "4", "5", "6"}, sections


def test_every_claim_is_well_formed():
    for c in CLAIMS:
        assert c.verdict in VERDICTS
        assert c.source_zh.strip() and c.translation.strip() and c.correct.strip()
        assert re.search(r"[\u4e00-\u9fff]|[$=(]", c.source_zh), f"{c.id}: source_zh quotes nothing"


@pytest.mark.parametrize("claim", NOT_CORRECT, ids=_ids(NOT_CORRECT))
def test_counterexample_refutes_the_source(claim):
    assert source_statement_fails(claim), (
        f"{claim.id} ({claim.verdict}): the source's statement HOLDS on the evidence, "
        f"so it is no counterexample:\n{claim.evidence().text}")


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c.evidence], ids=_ids([c for c in CLAIMS if c.evidence]))
def test_evidence_numbers_have_units_and_are_deterministic(claim):
    text = claim.evidence().text
    assert text.strip() and text == claim.evidence().text
    bad = unlabelled_numbers(text)
    assert not bad, f"{claim.id}: numbers without a unit in {bad}"


def test_units_rule_can_fail():
    assert unlabelled_numbers("H = 1.5850") == ["H = 1.5850"]
    assert unlabelled_numbers("H = 1.5850 bits") == []
    assert unlabelled_numbers("gradients (nats):\n  [0.1234, 0.5678]") == []
    assert unlabelled_numbers("gradients:\n  [0.1234, 0.5678]") == ["  [0.1234, 0.5678]"]
    assert unlabelled_numbers("  z   loss [nats]\n  1.0   0.3133") == []


@pytest.mark.parametrize("claim", CORRECT, ids=_ids(CORRECT))
@settings(max_examples=60, deadline=None, derandomize=True)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_correct_claim_holds_on_random_instances(claim, seed):
    assert claim.random_check(np.random.default_rng(seed)), f"{claim.id} fails for seed {seed}"


@pytest.mark.parametrize("claim", CLAIMS, ids=_ids(CLAIMS))
def test_verify_accepts_every_registered_claim(claim):
    assert verify(claim, seeds=range(20))


# ---------------------------------------------------------------- the chapters

def test_every_claim_is_shown_once_in_its_chapter():
    problems = placement_problems(CLAIMS, _notebooks())
    assert not problems, "\n".join(problems)


def test_errata_page_calls_errata():
    nb = json.loads((CHAPTERS / "07_errata.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert any("audit.errata()" in s for s in sources)
    assert not any("audit.show(" in s for s in sources)


def test_stored_errata_output_matches_the_registry():
    """The errata page is stored with outputs: re-execute it after adding or changing a claim."""
    nb = json.loads((CHAPTERS / "07_errata.ipynb").read_text(encoding="utf-8"))
    stored = [
        "".join(out["data"]["text/plain"])
        for cell in nb["cells"] if cell["cell_type"] == "code" and "audit.errata()" in "".join(cell["source"])
        for out in cell["outputs"] if "text/plain" in out.get("data", {})
    ]
    assert stored, "07_errata.ipynb has no stored errata output"
    assert stored[-1] == repr(audit.errata()), (
        "chapters/07_errata.ipynb is stale: run `python tools/nbtool.py execute chapters/07_errata.ipynb`")


FIGURE = re.compile(r"""audit\.figure\(\s*["']([^"']+)["']""")


def figure_problems(claims, notebooks: dict[str, dict]) -> list[str]:
    """A claim with an evidence figure: its chapter shows the figure once, in a cell of its own
    with caption, alt text and name; the box cell passes figure=False (myst-nb would wrap the box
    in the figure too)."""
    problems = []
    for c in claims:
        if c.evidence is None or c.evidence().figure is None:
            continue
        nb = notebooks.get(c.chapter, {"cells": []})
        figs, boxes = [], []
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"])
            if c.id in FIGURE.findall(src):
                figs.append(cell)
            if c.id in SHOW.findall(src):
                boxes.append(src)
        if len(figs) != 1:
            problems.append(f"{c.id}: expected one audit.figure cell in {c.chapter}, found {len(figs)}")
            continue
        meta = figs[0]["metadata"].get("mystnb", {})
        if not (meta.get("image", {}).get("alt") and meta.get("figure", {}).get("caption")
                and meta.get("figure", {}).get("name")):
            problems.append(f"{c.id}: the audit.figure cell needs mystnb image.alt, figure.caption and figure.name")
        if any("figure=False" not in b for b in boxes):
            problems.append(f"{c.id}: audit.show(...) must pass figure=False (the figure has its own cell)")
    return problems


def test_claims_with_figures_have_caption_and_alt_text():
    problems = figure_problems(CLAIMS, _notebooks())
    assert not problems, "\n".join(problems)


def test_figure_check_can_fail():
    c = REGISTRY["xent-symmetry"]
    def cell(src, meta=None):
        return {"cell_type": "code", "source": src, "metadata": meta or {}, "outputs": []}
    meta = {"mystnb": {"image": {"alt": "a"}, "figure": {"caption": "c", "name": "fig-x"}}}
    good = {c.chapter: {"cells": [cell('audit.show("xent-symmetry", figure=False)'),
                                  cell('audit.figure("xent-symmetry")', meta)]}}
    assert figure_problems([c], good) == []
    assert figure_problems([c], {c.chapter: {"cells": [cell('audit.show("xent-symmetry")')]}})
    no_alt = {c.chapter: {"cells": [cell('audit.show("xent-symmetry", figure=False)'),
                                    cell('audit.figure("xent-symmetry")')]}}
    assert figure_problems([c], no_alt)


# ---------------------------------------------------------------- rendering

@pytest.mark.parametrize("claim", CLAIMS, ids=_ids(CLAIMS))
def test_box_holds_every_field(claim):
    box = audit.box(claim.id, seeds=20)
    html = box._repr_html_()
    assert f'id="claim-{claim.id}"' in html and 'lang="zh"' in html
    assert audit.STYLE[claim.verdict]["word"] in html  # the verdict as a word, not colour alone
    assert "class=\"admonition" in html
    assert "$" not in html.replace("\\$", ""), "math must be \\( \\) / \\[ \\] for MathJax in outputs"
    assert repr(box) == repr(audit.box(claim.id, seeds=20)), "text/plain must be deterministic"
    assert "WARNING" not in repr(box) and "FAILED" not in repr(box)


def test_errata_lists_every_claim_with_counts():
    table = audit.errata()
    html = table._repr_html_()
    for c in CLAIMS:
        assert f'href="{c.chapter}.html#claim-{c.id}"' in html
    n = {v: sum(c.verdict == v for c in CLAIMS) for v in VERDICTS}
    first = repr(table).splitlines()[0]
    for v in VERDICTS:
        assert f"{n[v]} {v}" in first
    assert repr(table) == repr(audit.errata())


def test_errata_quotes_every_claim_in_chinese():
    """Each errata row quotes the source in Chinese (lang="zh"), beginning with
    the claim's own opening words, above the translation."""
    import html as html_lib

    rows = re.findall(r'<tr data-verdict="[^"]+">(.*?)</tr>', audit.errata()._repr_html_(), re.S)
    assert len(rows) == len(CLAIMS)
    for c, row in zip(sorted(CLAIMS, key=lambda c: audit._section_key(c.section)), rows, strict=False):
        assert f"#claim-{c.id}" in row
        zh = re.search(r'<span lang="zh" class="errata-zh">(.*?)</span><br>', row, re.S)
        assert zh, f"{c.id}: no Chinese quotation"
        assert '<span class="errata-en">' in row, f"{c.id}: no translation"
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", zh.group(1)))
        head = c.source_zh.lstrip()[:4]
        if not head.startswith(("```", "$")):
            assert text.startswith(head), f"{c.id}: {text[:20]!r} does not start with {head!r}"
        def has_cjk(t):
            return any("\u4e00" <= ch <= "\u9fff" for ch in t)
        assert text.strip(), f"{c.id}: empty Chinese cell"
        assert has_cjk(text) == has_cjk(c.source_zh.split("```")[0] or c.source_zh), c.id


# ---------------------------------------------------------------- the checks can fail

def test_checker_rejects_evidence_that_satisfies_the_source():
    """Mutation: a 'counterexample' on which the source's statement holds must be caught."""
    sym = REGISTRY["xent-symmetry"]
    p = np.array([0.5, 0.5])

    def symmetric_pair():  # P = Q: H(P,Q) = H(Q,P), the source's claim holds here
        h = float(xl.cross_entropy(p, p, base=2))
        return Evidence(text=f"H = {h} bits", values={"H_PQ": h, "H_QP": h})

    bad = dataclasses.replace(sym, id="mutant-symmetry", evidence=symmetric_pair)
    assert not source_statement_fails(bad)
    assert not verify(bad)
    # and the real claim passes the same checker
    assert source_statement_fails(sym) and verify(sym)


def test_checker_rejects_a_false_correct_claim():
    """Mutation: a 'correct' claim that fails on some random instance must be caught."""
    def symmetric(rng):  # the source's false symmetry, posing as correct
        p, q = rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(3))
        return bool(np.isclose(float(xl.cross_entropy(p, q)), float(xl.cross_entropy(q, p))))

    bad = dataclasses.replace(REGISTRY["xent-nonnegativity"], id="mutant-correct", random_check=symmetric)
    assert not verify(bad, seeds=range(20))


def test_placement_check_can_fail():
    c = REGISTRY["entropy-symmetry"]
    def cell(src):
        return {"cell_type": "code", "source": src, "metadata": {}, "outputs": []}
    ok = {"01_entropy": {"cells": [cell('audit.show("entropy-symmetry")')]}}
    assert placement_problems([c], ok) == []
    twice = {"01_entropy": {"cells": [cell('audit.show("entropy-symmetry")')]},
             "02_cross_entropy": {"cells": [cell("audit.show('entropy-symmetry')")]}}
    assert placement_problems([c], twice)
    wrong_chapter = {"02_cross_entropy": {"cells": [cell('audit.show("entropy-symmetry")')]}}
    assert placement_problems([c], wrong_chapter)
    assert placement_problems([c], {"01_entropy": {"cells": []}})
    unknown = {"01_entropy": {"cells": [cell('audit.show("entropy-symmetry")\naudit.show("no-such-claim")')]}}
    assert placement_problems([c], unknown)


def test_register_validates():
    base = dict(id="test-only-claim", section="2.1", chapter="01_entropy", source_zh="对称性",
                translation="Symmetry", verdict="incorrect", correct="No.", reading="'it is symmetric'",
                evidence=lambda: Evidence("x"), source_holds=lambda ev: False)
    with pytest.raises(ValueError, match="verdict"):
        register(Claim(**{**base, "verdict": "wrong"}))
    with pytest.raises(ValueError, match="source_holds"):
        register(Claim(**{**base, "source_holds": None}))
    with pytest.raises(ValueError, match="evidence"):
        register(Claim(**{**base, "evidence": None}))
    with pytest.raises(ValueError, match="random_check"):
        register(Claim(**{**base, "verdict": "correct", "reading": ""}))
    with pytest.raises(ValueError, match="reading"):   # a counterexample names the reading it refutes
        register(Claim(**{**base, "reading": ""}))
    correct = {**base, "verdict": "correct", "reading": "", "random_check": lambda rng: True}
    with pytest.raises(ValueError, match="checks"):    # a random check names what it tests
        register(Claim(**correct))
    with pytest.raises(ValueError, match="reading"):
        register(Claim(**{**correct, "checks": "x >= 0", "reading": "'x'"}))
    with pytest.raises(ValueError, match="checks"):
        register(Claim(**{**base, "checks": "x >= 0"}))
    with pytest.raises(ValueError, match="kin"):
        register(Claim(**{**base, "differs": "because"}))
    with pytest.raises(ValueError, match="kin"):
        register(Claim(**{**base, "kin": "Not Kebab"}))
    with pytest.raises(ValueError, match="kebab"):
        register(Claim(**{**base, "id": "Not Kebab"}))
    with pytest.raises(ValueError, match="duplicate"):
        register(Claim(**{**base, "id": "entropy-symmetry"}))
    assert "test-only-claim" not in REGISTRY


# ---------------------------------------------------------------- the built site

@pytest.mark.site
def test_errata_links_resolve_on_the_built_site(site):
    """Every errata link lands on a box with that anchor in the built chapter page."""
    errata = (site / "chapters" / "07_errata.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([0-9a-z_]+\.html)#(claim-[a-z0-9-]+)"', errata)
    assert len(links) == len(CLAIMS), f"{len(links)} claim links on the errata page, {len(CLAIMS)} claims"
    pages: dict[str, str] = {}
    broken = []
    for page, anchor in links:
        if page not in pages:
            path = site / "chapters" / page
            pages[page] = path.read_text(encoding="utf-8") if path.exists() else ""
        if f'id="{anchor}"' not in pages[page]:
            broken.append(f"{page}#{anchor}")
    assert not broken, "errata links without a target box: " + ", ".join(broken)
