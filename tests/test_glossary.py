"""The glossary (issue 17, item 3): its page, its links, and no term used before it is taught.

The term list (names, slugs, chapters, aliases) is read from ``chapters/glossary.md`` by
``tools/glossary.py``: this file holds no copy of it.  The matcher is tested on small synthetic
notebooks first (it must flag an early use and accept a linked one), then run on the course.
"""
from __future__ import annotations

import html
import json
import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import glossary  # noqa: E402

PAGE = """# Glossary

```{glossary}
entropy
  The average surprise. Taught in {ref}`chapter 1 <gl-entropy>`.

KL divergence
  The extra surprise. Taught in {ref}`chapter 2 <gl-kl-divergence>`.

cross-entropy
  The average surprise under the wrong model. Taught in {ref}`chapter 2 <gl-cross-entropy>`.

logit
  A raw score. Taught in {ref}`chapter 3 <gl-logit>`.
```

## Other names and symbols

| written | means |
| --- | --- |
| KL | KL divergence |
| ⊙ | logit |
"""


def _terms():
    return glossary.parse_page(PAGE)


def _notebook(tmp_path: pathlib.Path, name: str, cells: list) -> str:
    """cells: markdown strings, or ("box", visible_html) for a claim box's stored output."""
    nb_cells = []
    for c in cells:
        if isinstance(c, tuple):
            html = f'<div class="admonition claim-box">{c[1]}</div>'
            nb_cells.append({"cell_type": "code", "metadata": {}, "source": 'audit.show("x")',
                             "execution_count": 1, "outputs": [
                                 {"output_type": "display_data", "metadata": {}, "data": {"text/html": html}}]})
        else:
            nb_cells.append({"cell_type": "markdown", "metadata": {}, "source": c})
    path = tmp_path / f"{name}.ipynb"
    path.write_text(json.dumps({"cells": nb_cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return str(path)


def _check(tmp_path, chapters: dict[str, list]):
    units = [u for name, cells in chapters.items() for u in glossary.notebook_units(_notebook(tmp_path, name, cells))]
    return glossary.check_order(_terms(), units)


DEFS = {
    "01_a": ["(gl-entropy)=\nThe **entropy** of P is its average surprise."],
    "02_b": ["(gl-kl-divergence)=\n**KL divergence** ...\n\n(gl-cross-entropy)=\n**Cross-entropy** ..."],
    "03_c": ["(gl-logit)=\nA **logit** is a raw score."],
}


def _with(first: list, **extra) -> dict[str, list]:
    out = {"00_intro": first}
    out.update(DEFS)
    out.update(extra)
    return out


# ------------------------------------------------------------------ the page
def test_parse_page_reads_names_slugs_chapters_and_aliases():
    terms = {t.name: t for t in _terms()}
    assert set(terms) == {"entropy", "KL divergence", "cross-entropy", "logit"}
    assert (terms["KL divergence"].slug, terms["KL divergence"].chapter) == ("kl-divergence", "02")
    assert terms["KL divergence"].aliases == ("KL",)
    assert terms["logit"].aliases == ("⊙",)


def test_parse_page_rejects_an_entry_without_its_link_and_a_stray_alias():
    with pytest.raises(ValueError, match="'entropy'.*exactly one link"):
        glossary.parse_page(PAGE.replace(" Taught in {ref}`chapter 1 <gl-entropy>`.", ""))
    with pytest.raises(ValueError, match="aliases of no glossary term"):
        glossary.parse_page(PAGE.replace("| KL | KL divergence |", "| KL | Kullback |"))


def test_the_course_page_is_one_consistent_list():
    terms = glossary.load_terms()
    assert terms, "chapters/glossary.md has no terms"
    for attr in ("name", "slug"):
        values = [getattr(t, attr).lower() for t in terms]
        assert len(values) == len(set(values)), f"duplicate {attr}s: {sorted(values)}"
    assert all(re.fullmatch(r"0[0-6]", t.chapter) for t in terms), [t for t in terms if t.chapter > "06"]


def test_reading_order_follows_the_toc(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text("root: chapters/00_x\nparts:\n  - chapters:\n      - file: chapters/02_z\n"
                   "      - file: chapters/01_y\n      - file: chapters/07_errata\n      - file: chapters/api\n")
    assert glossary.reading_order(str(toc)) == ["chapters/00_x.ipynb", "chapters/02_z.ipynb", "chapters/01_y.ipynb"]
    assert len(glossary.reading_order()) == 7


# ------------------------------------------------------------------ the matcher
def test_an_early_use_without_a_link_is_an_offence(tmp_path):
    offences, problems = _check(tmp_path, _with(["The entropy of a coin is 1 bit."]))
    assert problems == []
    assert [(o.chapter, o.cell, o.term, o.word) for o in offences] == [("00_intro", 0, "entropy", "entropy")]
    assert "00_intro cell 0" in str(offences[0]) and "{term}`entropy`" in str(offences[0])


@pytest.mark.parametrize("text", [
    "The {term}`entropy` of a coin.",
    "The {term}`uncertainty <entropy>` of a coin, its {term}`Entropy <entropy>`.",
    "A formula $H = entropy$ and $$\\text{entropy}$$ and code `entropy()` are not read.",
    "```python\nentropy = 1\n```",
    "The cross-entropy loss is not the word on its own.",  # "entropy" inside "cross-entropy": another term
    "(gl-other)=\n:label: entropy\nno use here",
    "# Entropy, the chapter's title",
])
def test_links_math_code_and_other_words_are_not_offences(tmp_path, text):
    offences, _ = _check(tmp_path, _with([text]))
    assert [o for o in offences if o.term == "entropy"] == []


def test_cross_entropy_itself_is_a_term_and_aliases_and_plurals_count(tmp_path):
    offences, _ = _check(tmp_path, _with(["Cross-entropy, KL and the logits, entropies."]))
    assert [(o.term, o.word) for o in offences] == [
        ("cross-entropy", "Cross-entropy"), ("KL divergence", "KL"), ("logit", "logits"), ("entropy", "entropies")]


def test_a_use_after_the_definition_is_fine_and_before_it_in_the_same_cell_is_not(tmp_path):
    chapters = _with(["nothing"])
    chapters["02_b"] = ["KL divergence, then\n\n(gl-kl-divergence)=\n**KL divergence** is ... and KL again.\n\n"
                        "(gl-cross-entropy)=\n**cross-entropy**"]
    chapters["03_c"] = ["(gl-logit)=\nA **logit**.", "KL divergence and entropy here are late uses."]
    offences, problems = _check(tmp_path, chapters)
    assert problems == []
    assert [(o.chapter, o.cell, o.word) for o in offences] == [("02_b", 0, "KL divergence")]


def test_the_lead_up_in_the_defining_section_a_preview_and_a_linked_first_use_are_fine(tmp_path):
    # the section that teaches a term may use the word before its bold definition (intuition first)
    chapters = _with(["nothing"])
    chapters["01_a"] = ["## Surprise and its average\n\nHow much entropy should you expect? ...",
                        "(gl-entropy)=\nThe **entropy** of P is its average surprise."]
    offences, problems = _check(tmp_path, chapters)
    assert problems == [] and offences == []
    # ... but not in an earlier section of the same chapter
    chapters["01_a"] = ["## Before\n\nentropy here is early", "## Teach\n\n(gl-entropy)=\nThe **entropy**."]
    offences, _ = _check(tmp_path, chapters)
    assert [(o.cell, o.term) for o in offences] == [(0, "entropy")]
    # a chapter's "What you will learn" names what it is about to teach
    offences, _ = _check(tmp_path, _with(["**What you will learn**\n\n- what entropy measures"]))
    assert offences == []
    # once a chapter has linked a term, its later uses in that chapter are fine; the next chapter links again
    first = ["The {term}`entropy` of a coin.", "Its entropy again.", ("box", "<p>entropy in a box</p>")]
    offences, _ = _check(tmp_path, {"00_intro": first, "00_more": ["entropy, unlinked"], **DEFS})
    assert [(o.chapter, o.term) for o in offences] == [("00_more", "entropy")]


def test_claim_box_text_counts_but_not_its_folded_details(tmp_path):
    box = "<p>Correct: the <b>logit</b> is a score.</p><details><summary>more</summary>entropy</details>"
    offences, _ = _check(tmp_path, _with([("box", box)]))
    assert [(o.cell, o.kind, o.term) for o in offences] == [(0, "claim box", "logit")]


def test_a_definition_must_be_bold_and_present_and_links_must_name_terms(tmp_path):
    chapters = _with(["{term}`entropie`"])
    chapters["01_a"] = ["(gl-entropy)=\nThe entropy of P, not in bold."]
    chapters["03_c"] = ["no label here"]
    _, problems = _check(tmp_path, chapters)
    assert any("'entropy' at (gl-entropy)= has no **entropy** in bold" in p for p in problems), problems
    assert any("no label line (gl-logit)= in chapter 03" in p for p in problems), problems
    assert any("{term} link to 'entropie'" in p for p in problems), problems


# ------------------------------------------------------------------ the course
def test_every_glossary_link_resolves_to_a_label_in_its_chapter():
    missing = []
    for t in glossary.load_terms():
        notebooks = list((ROOT / "chapters").glob(f"{t.chapter}_*.ipynb"))
        assert len(notebooks) == 1, f"chapter {t.chapter} of {t.name!r}: {notebooks}"
        cells = json.loads(notebooks[0].read_text(encoding="utf-8"))["cells"]
        found = any(c["cell_type"] == "markdown"
                    and re.search(rf"^\s*\({re.escape(t.label)}\)=\s*$", "".join(c["source"]), re.M)
                    for c in cells)
        if not found:
            missing.append(f"{t.name!r}: ({t.label})= not in {notebooks[0].name}")
    assert not missing, "\n".join(missing)


def test_no_term_is_used_before_its_definition():
    """Every use of a glossary term in chapters 00-06 (reading order of _toc.yml) before its
    definition site is a {term} link.  The list names the chapter and cell of each offence."""
    offences, problems = glossary.check_course()
    lines = [*problems, *map(str, offences)]
    assert not lines, f"{len(problems)} problems, {len(offences)} early uses without a link:\n" + "\n".join(lines)


@pytest.mark.usefixtures("site")
def test_the_site_has_the_glossary_and_the_cards_data():
    from tests.conftest import SITE

    page = (SITE / "chapters" / "glossary.html").read_text(encoding="utf-8")
    shown = {html.unescape(t).replace("\u2019", "'") for t in re.findall(r"<dt[^>]*>([^<]*)<", page)}
    for t in glossary.load_terms():
        assert t.name in shown, f"{t.name!r} is not a term of glossary.html: {sorted(shown)}"
    teachers = (SITE / "chapters" / "teachers.html").read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="xe-glossary-data">(.*?)</script>', teachers, re.S)
    assert data, "teachers.html links glossary terms but carries no card data"
    cards = json.loads(data.group(1))
    gradient = next(v for v in cards.values() if v["term"] == "gradient")
    assert "derivatives of the loss" in gradient["text"]
    assert 'src="../_static/xe-glossary.js' in teachers
