"""Issue 11, item 5: Chinese text is readable in JupyterLab on a machine without CJK fonts.
Issue 17, item 4: a claim box is folded in JupyterLab and opens with a click.

JupyterLab serves the course's custom.css (tools/lab_css.py, written by the
``jupyterlab`` fixture as by ``tools/course.py lab``): its "Course CJK" face is a
subset of Noto Sans SC embedded as a data: URI.  In chapter 1 the first claim
box (a stored output, which JupyterLab's sanitizer renders) shows its truth and
keeps the source's words in a closed ``<details>``: the Chinese quotation
(``[lang="zh"]``) is hidden until the summary line is clicked.  Then it shows, set
in that face; the face must load and hold the glyphs the quotation uses.
"""
from __future__ import annotations

import sys

from ..conftest import ROOT
from . import driver

NOTEBOOK = "chapters/01_entropy.ipynb"

JS_FOLD = """() => {
  const box = document.querySelector('.jp-Notebook .claim-box');
  if (!box) return {box: false};
  const details = box.querySelector('details');
  const quote = box.querySelector('[lang="zh"]');
  const truth = box.querySelector('.claim-correct');
  return {box: true, details: !!details, summary: !!(details && details.querySelector('summary')),
          open: !!(details && details.open),
          summaryText: details && details.querySelector('summary') ? details.querySelector('summary').textContent : '',
          quoteInside: !!(details && quote && details.contains(quote)),
          quoteShown: !!(quote && quote.checkVisibility() && quote.getBoundingClientRect().height > 0),
          truthShown: !!(truth && truth.getBoundingClientRect().height > 0)};
}"""

JS_FONT = """async () => {
  const el = document.querySelector('.jp-Notebook .claim-box [lang="zh"]');
  if (!el) return {found: false};
  el.scrollIntoView();
  const text = el.textContent.trim();
  const cjk = Array.from(text).filter(ch => /[\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef]/.test(ch)).join('');
  await document.fonts.load('16px "Course CJK"', cjk);
  await document.fonts.ready;
  const faces = Array.from(document.fonts).filter(f => f.family.replace(/"/g, '') === 'Course CJK');
  return {found: true, text: text.slice(0, 40), cjk: cjk.length,
          family: getComputedStyle(el).fontFamily,
          faces: faces.map(f => f.status),
          check: document.fonts.check('16px "Course CJK"', cjk),
          checkSample: document.fonts.check('16px "Course CJK"', '信息熵')};
}"""


def test_claim_box_chinese_uses_the_course_font(jupyterlab, lab_browser, shots):
    sys.path.insert(0, str(ROOT / "tools"))
    import lab_css

    page = lab_browser.new_page()
    try:
        driver.open_notebook(page, jupyterlab, NOTEBOOK)
        page.wait_for_timeout(1000)
        folded = page.evaluate(JS_FOLD)
        summary = page.locator(".jp-Notebook .claim-box details > summary").first
        summary.scroll_into_view_if_needed()
        summary.click()
        page.wait_for_timeout(300)
        opened = page.evaluate(JS_FOLD)
        got = page.evaluate(JS_FONT)
        page.screenshot(path=str(shots / "cjk-01_entropy.png"))
    finally:
        driver.close_notebook(page)
        page.close()
    assert folded["box"] and folded["details"] and folded["summary"], \
        f"{NOTEBOOK}: the claim box lost its <details>/<summary> in JupyterLab (sanitizer?): {folded}"
    assert not folded["open"] and folded["quoteInside"] and not folded["quoteShown"] and folded["truthShown"], \
        f"{NOTEBOOK}: the box should show its truth and fold the quotation: {folded}"
    assert opened["open"] and opened["quoteShown"], f"a click on the summary did not open the box: {opened}"
    assert got["found"], f'{NOTEBOOK}: no [lang="zh"] claim quotation rendered'
    assert got["cjk"] > 0, got
    assert got["family"].replace('"', "").startswith(lab_css.FAMILY), \
        f"the quotation is not set in {lab_css.FAMILY}: font-family {got['family']!r}"
    assert got["faces"] and all(s == "loaded" for s in got["faces"]), \
        f"custom.css's {lab_css.FAMILY} face did not load: {got['faces']} (is --LabApp.custom_css on?)"
    assert got["check"] and got["checkSample"], got
    chars = lab_css.notebook_characters()
    assert all(ch in chars for ch in "信息熵"), "the subset lacks 信息熵"
