"""Every built page loads in headless Chromium with no console error, no failed
request, nothing fetched from outside the site, and every formula rendered by
the site's own MathJax."""
from __future__ import annotations

import pytest

from tests.conftest import SITE, built_pages

PAGES = [str(p) for p in built_pages()] if SITE.exists() else []

MATHJAX_DONE = """
async () => {
  if (!window.MathJax || !MathJax.startup) { return {mathjax: false}; }
  await MathJax.startup.promise;
  const formulas = document.querySelectorAll('.math, span.math, div.math').length;
  const rendered = document.querySelectorAll('mjx-container').length;
  const errors = document.querySelectorAll('mjx-merror').length;
  const raw = Array.from(document.querySelectorAll('.math'))
      .filter(el => !el.querySelector('mjx-container')).map(el => el.textContent.slice(0, 80));
  return {mathjax: true, formulas, rendered, errors, raw};
}
"""


def test_site_has_pages():
    assert PAGES, f"no HTML pages found under {SITE}; build the site first"
    assert "chapters/01_entropy.html" in PAGES


@pytest.mark.browser
@pytest.mark.parametrize("rel", PAGES)
def test_page_loads_cleanly(open_page, rel):
    watch = open_page(rel)
    math = watch.page.evaluate(MATHJAX_DONE)
    problems = watch.problems()
    if math.get("mathjax"):
        if math["raw"]:
            problems.append(f"{len(math['raw'])} formula(s) not rendered by MathJax, e.g. {math['raw'][0]!r}")
        if math["errors"]:
            problems.append(f"{math['errors']} MathJax error box(es)")
    assert not problems, f"{rel}:\n  " + "\n  ".join(problems)


@pytest.mark.browser
def test_math_renders_on_entropy_page(open_page):
    """The entropy chapter has display math; MathJax (served locally) must typeset it."""
    watch = open_page("chapters/01_entropy.html")
    math = watch.page.evaluate(MATHJAX_DONE)
    assert math["mathjax"], "MathJax did not load on the entropy page"
    assert math["formulas"] > 0 and math["rendered"] >= math["formulas"], math


CJK_FONT = """
async () => {
  await document.fonts.ready;
  const quote = document.querySelector('blockquote[lang="zh"]');
  if (!quote) { return {quote: false}; }
  const faces = Array.from(document.fonts).filter(f => f.family.replace(/"/g, '') === 'Course CJK');
  return {
    quote: true,
    text: quote.textContent.trim().slice(0, 40),
    family: getComputedStyle(quote).fontFamily,
    status: faces.map(f => f.status),
    usable: document.fonts.check('16px "Course CJK"', quote.textContent.trim()),
  };
}
"""


@pytest.mark.browser
def test_chinese_quotations_use_the_site_font(open_page):
    """The Chinese quotations are drawn with the site's own CJK font (a machine
    with no Chinese font, like this one, would otherwise show empty boxes)."""
    watch = open_page("chapters/02_cross_entropy.html")
    font = watch.page.evaluate(CJK_FONT)
    assert font["quote"], "no Chinese quotation (blockquote lang=zh) on the cross-entropy page"
    assert font["family"].startswith('"Course CJK"'), font
    assert font["status"] == ["loaded"], f"the CJK font did not load: {font}"
    assert font["usable"], font
    assert not watch.problems(), watch.problems()
