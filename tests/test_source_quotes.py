"""The course quotes the source article verbatim, from the copy in ``source/``.

Every claim's ``source_zh`` must occur in ``source/article.zh.txt`` once white space
is ignored (the boxes re-flow paragraphs) and the course's own Markdown code fences
(```` ```python ````) are removed.  Nothing else may differ: not one character.  A quotation
that leaves words out marks the gap with "……"; its pieces must then occur in order.
"""
from __future__ import annotations

import hashlib
import pathlib
import re

import pytest

from xentlib.course import audit

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "source" / "article.zh.txt"
SECTION = re.compile(r"^#+ (\d+(?:\.\d+)?)", re.M)


def squeeze(text: str) -> str:
    """Drop white space and Markdown code fences: what a verbatim quotation must keep is the rest."""
    text = re.sub(r"```[a-z]*", "", text)
    return re.sub(r"\s+", "", text)


def misquoted(quote: str, article: str) -> bool:
    """True unless every piece of ``quote`` (split at "……") occurs in ``article``, in order."""
    text, start = squeeze(article), 0
    for piece in filter(None, (squeeze(p) for p in quote.split("……"))):
        at = text.find(piece, start)
        if at < 0:
            return True
        start = at + len(piece)
    return False


def test_the_article_is_the_seed_copy():
    data = ARTICLE.read_bytes()
    assert len(data) == 6944
    assert hashlib.sha256(data).hexdigest()[:12] == "1fc74bb4507c", (
        "source/article.zh.txt changed: it must stay byte for byte the article the course audits")


@pytest.mark.parametrize("claim", list(audit.REGISTRY), ids=lambda c: c.id)
def test_claim_quotes_the_article_verbatim(claim):
    assert not misquoted(claim.source_zh, ARTICLE.read_text(encoding="utf-8")), (
        f"{claim.id}: its source_zh is not in source/article.zh.txt")


def test_claim_sections_exist_in_the_article():
    sections = set(SECTION.findall(ARTICLE.read_text(encoding="utf-8")))
    for c in audit.REGISTRY:
        top = c.section.split(".")[0]
        assert c.section in sections or top in sections, f"{c.id}: no section {c.section} in the article"


def test_quote_check_can_fail():
    article = "信息熵的单位是比特（bit）。"
    assert not misquoted("信息熵的单位是\n比特（bit）。", article)
    assert misquoted("信息熵的单位是比特。", article)          # a character dropped
    assert misquoted("信息熵的单位是纳特（nat）。", article)   # a word changed
    assert not misquoted("信息熵……比特（bit）。", article)      # an elision, marked
    assert misquoted("比特（bit）……信息熵", article)            # pieces out of order
