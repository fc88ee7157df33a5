"""The PDF edition (`python3 tools/course.py pdf`): every chapter, a linked
table of contents and bookmarks, every claim box printed with its fold open, fonts embedded (the Chinese quotations in
the site's own Noto Sans SC subset: this machine has no Chinese font), every
equation typeset, every explorer drawn, no text outside the paper.

The PDF is made once per test session (about 1.5 min: a singlehtml build
from the execution cache, then Chromium's page.pdf); XENT_PDF=path checks an
existing file instead."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PDF = ROOT / "_build" / "pdf" / "cross-entropy-course.pdf"


@pytest.fixture(scope="module")
def pdf():
    given = os.environ.get("XENT_PDF")
    if given:
        return given
    rc = subprocess.call([sys.executable, str(ROOT / "tools" / "pdf.py")], cwd=ROOT)
    assert rc == 0, "tools/pdf.py failed"
    return str(PDF)


def _run(*cmd) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def words_outside(bbox_html: str) -> list[str]:
    """Words of `pdftotext -bbox` output whose box leaves the page.  A box
    wider than the page is a measurement artefact of a Type 3 glyph (poppler),
    not text on the paper."""
    out = []
    for page_no, page in enumerate(re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
                                               bbox_html, re.S), start=1):
        width, height = float(page.group(1)), float(page.group(2))
        for w in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)',
                             page.group(3)):
            x0, y0, x1, y1 = map(float, w.groups()[:4])
            if x1 - x0 > width:
                continue
            if x0 < -0.5 or y0 < -0.5 or x1 > width + 0.5 or y1 > height + 0.5:
                out.append(f"page {page_no}: {w.group(5)!r} at x {x0:.0f}-{x1:.0f}, y {y0:.0f}-{y1:.0f}")
    return out


def test_words_outside_detects_overflow():
    page = ('<page width="595" height="842"><word xMin="10" yMin="10" xMax="40" yMax="20">in</word>'
            '<word xMin="580" yMin="10" xMax="610" yMax="20">out</word></page>')
    assert words_outside(page) == ["page 1: 'out' at x 580-610, y 10-20"]


@pytest.mark.browser
@pytest.mark.slow
def test_pdf_edition(pdf, tmp_path):
    info = _run("pdfinfo", pdf)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    # 279 pages before issue 18; its 29 exercises (each with its worked solution printed open),
    # 18 self-checks and their answers appendix made it 312: the bound catches a runaway, not growth.
    assert 60 <= pages <= 340, f"{pages} pages"
    assert "A4" in info

    fonts = _run("pdffonts", pdf).splitlines()[2:]
    assert fonts, "no fonts in the PDF"
    not_embedded = [f for f in fonts if f.split()[-5] != "yes"]
    assert not not_embedded, f"fonts not embedded: {not_embedded}"
    assert not [f for f in fonts if re.search(r"WenQuanYi|Droid|NotoSansCJK|Fallback", f)], fonts

    text = _run("pdftotext", "-layout", pdf, "-")
    for chapter in ("1. Entropy", "2. Cross-entropy", "3. The loss and its gradient", "4. Training a classifier",
                    "7. Errata", "For teachers"):
        assert chapter in text, f"chapter {chapter!r} missing"
    assert "交叉熵" in text, "the Chinese quotations are missing"
    # the claim boxes' folds are printed open: each box's quotation and evidence are on paper
    from xentlib.course.claims import REGISTRY
    opened = text.count("Source (Chinese, verbatim):")
    assert opened >= len(REGISTRY), f"{opened} of {len(REGISTRY)} claim boxes printed with their fold open"
    raw_tex = re.findall(r"\\\(|\\\[|\\frac|\\mathrm|\\sum_|\\begin\{|\$\$", text)
    assert not raw_tex, f"{len(raw_tex)} untypeset formula(s)"
    # typeset by MathJax (at build time): its minus sign and summation sign, from its fonts
    assert re.search(r"H\s*\(X\)\s*=\s*\u2212\s*\u2211", text), "the entropy formula is not typeset"
    assert text.count("\u2211") >= 30, f"only {text.count(chr(0x2211))} summation signs: formulas missing?"
    assert "Interactive figure: the sliders" not in text, "an explorer was printed as its fallback text"

    raw = open(pdf, "rb").read()
    links = len(re.findall(rb"/Subtype\s*/Link", raw))
    internal = len(re.findall(rb"/Dest\s*[\[/(]", raw))
    assert links >= 50 and internal >= 50, f"{links} links, {internal} internal destinations"
    assert b"/Outlines" in raw, "no bookmarks (PDF outline)"

    bbox = tmp_path / "bbox.html"
    subprocess.run(["pdftotext", "-bbox", pdf, str(bbox)], check=True)
    outside = words_outside(bbox.read_text(encoding="utf-8"))
    assert not outside, f"{len(outside)} word(s) outside the page: {outside[:5]}"
