"""Every built page loads in headless Chromium with no console error, no failed
request, nothing fetched from outside the site, and every formula rendered by
MathJax (at build time, or by the site's own copy)."""
from __future__ import annotations

import pathlib
import urllib.parse

import pytest

from tests.conftest import SITE, built_pages

PAGES = [str(p) for p in built_pages()] if SITE.exists() else []

# The formulas are MathJax markup when the page arrives (typeset at build
# time); a build without Node leaves them to the client-side MathJax.
MATHJAX_DONE = """
async () => {
  const mathjax = !!(window.MathJax && MathJax.startup);
  if (mathjax) { await MathJax.startup.promise; }
  const formulas = document.querySelectorAll('.math, span.math, div.math').length;
  const rendered = document.querySelectorAll('mjx-container').length;
  const errors = document.querySelectorAll('mjx-merror').length;
  const raw = Array.from(document.querySelectorAll('.math'))
      .filter(el => !el.querySelector('mjx-container')).map(el => el.textContent.slice(0, 80));
  return {mathjax, formulas, rendered, errors, raw};
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
    if math["raw"]:
        problems.append(f"{len(math['raw'])} formula(s) not rendered by MathJax, e.g. {math['raw'][0]!r}")
    if math["errors"]:
        problems.append(f"{math['errors']} MathJax error box(es)")
    assert not problems, f"{rel}:\n  " + "\n  ".join(problems)


@pytest.mark.browser
def test_math_renders_on_entropy_page(open_page):
    """The entropy chapter has display math, typeset (at build time, or by the
    site's own MathJax in a build without Node)."""
    watch = open_page("chapters/01_entropy.html")
    math = watch.page.evaluate(MATHJAX_DONE)
    assert math["formulas"] > 0 and math["rendered"] >= math["formulas"], math


CJK_FONT = """
async () => {
  await document.fonts.ready;
  const quote = document.querySelector('blockquote[lang="zh"]');
  if (!quote) { return {quote: false}; }
  // the quotation is folded in its claim box: open it, as a reader does, and let it draw
  const fold = quote.closest('details');
  if (fold) { fold.open = true; }
  quote.scrollIntoView();
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  await document.fonts.ready;
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


@pytest.mark.browser
def test_site_works_from_a_folder_with_no_network(browser, site):
    """Opened as files (file://, as from a USB stick) with every network request
    refused: the front door forwards to the course, formulas are typeset by the
    site's MathJax, a slider explorer draws, and the Chinese font loads."""
    page = browser.new_page()
    refused: list[str] = []
    errors: list[str] = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort()

    page.route(lambda url: not url.startswith(("file:", "data:", "blob:", "about:")), refuse)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    def failed(req):
        # Moving on to the next page aborts what is still loading (the favicon
        # comes after "load"): net::ERR_ABORTED of a file that exists is that.
        # A missing file fails with net::ERR_FILE_NOT_FOUND.
        path = pathlib.Path(urllib.parse.unquote(urllib.parse.urlparse(req.url).path))
        if not (req.failure == "net::ERR_ABORTED" and path.is_file()):
            errors.append(f"failed: {req.url} ({req.failure})")

    page.on("requestfailed", failed)
    try:
        page.goto((site / "index.html").as_uri(), wait_until="load")
        page.wait_for_url("**/chapters/00_introduction.html", timeout=15_000)

        page.goto((site / "chapters" / "01_entropy.html").as_uri(), wait_until="load")
        math = page.evaluate(MATHJAX_DONE)
        assert math["formulas"] > 0 and not math["raw"] and not math["errors"], math
        page.locator("#xe-bernoulli").scroll_into_view_if_needed()  # plotly.js loads near an explorer
        page.wait_for_selector("#xe-bernoulli[data-ready='true']", timeout=15_000)
        assert page.locator("#xe-bernoulli .xe-fallback").is_hidden()

        page.goto((site / "chapters" / "02_cross_entropy.html").as_uri(), wait_until="load")
        font = page.evaluate(CJK_FONT)
        assert font["status"] == ["loaded"] and font["usable"], font
    finally:
        page.close()
    assert not refused, f"the site asked the network for: {refused[:5]}"
    assert not errors, errors
