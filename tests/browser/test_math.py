"""Formulas typeset at build time (_ext/xent_math.py) in Chromium: no MathJax
script is loaded, the markup is drawn with MathJax's web fonts in the page's
text colour (light and dark mode), the punctuation after inline math stays
on its line on a phone, and a display equation wider than the phone scrolls
inside its own box."""
from __future__ import annotations

import pytest

from tests.browser.screens import open_in_mode
from tests.conftest import SITE, built_pages
from tests.test_offline_site import prerendered

PAGES = [str(p) for p in built_pages()] if SITE.exists() else []
MATH_PAGES = [p for p in PAGES if p.startswith("chapters/") and p != "chapters/teachers.html"]

FONTS = r"""
async () => {
  await document.fonts.ready;
  const inline = Array.from(document.querySelectorAll('span.math mjx-container')).filter(m => {
    const r = m.getBoundingClientRect(); return r.width > 0 && r.top >= 0 && r.top < innerHeight;
  });
  const m = inline[0];
  const c = m.querySelector('mjx-c');
  const parse = (s) => s.match(/[\d.]+/g).slice(0, 4).map(Number);
  let bg = [0, 0, 0, 0];
  for (let e = m; e && bg[3] === 0; e = e.parentElement) {
    const b = parse(getComputedStyle(e).backgroundColor); if (b.length < 4 || b[3] > 0) { bg = b.length < 4 ? b.concat([1]) : b; }
  }
  if (bg[3] === 0) { bg = parse(getComputedStyle(document.documentElement).backgroundColor).concat([1]); }
  return {
    count: inline.length,
    width: m.getBoundingClientRect().width,
    family: getComputedStyle(c).fontFamily,
    glyph: getComputedStyle(c, '::before').content,
    loaded: Array.from(document.fonts).filter(f => f.family.startsWith('MJX') && f.status === 'loaded')
        .map(f => f.family),
    color: parse(getComputedStyle(c).color), background: bg,
    text: parse(getComputedStyle(m.closest('p, li, dd') || document.body).color),
  };
}
"""


def _contrast(a, b) -> float:
    def lum(c):
        def f(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2])
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.browser
def test_no_mathjax_script_is_loaded(open_page):
    """The entropy page arrives typeset: it requests the math stylesheet and
    MathJax's fonts, and no MathJax script."""
    if not prerendered():
        pytest.skip("built without Node: the client-side MathJax typesets the formulas")
    page = open_page("chapters/01_entropy.html").page
    urls = page.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)")
    scripts = [u for u in urls if "/mathjax/" in u and u.split("?")[0].endswith(".js")]
    assert not scripts, f"MathJax scripts loaded: {scripts}"
    assert page.evaluate("() => typeof window.MathJax") == "undefined"
    assert any(u.split("?")[0].endswith("_static/xent-math.css") for u in urls), urls
    fonts = [u for u in urls if "/mathjax/output/chtml/fonts/woff-v2/" in u]
    assert any("MathJax_Main-Regular.woff" in u for u in fonts), fonts


@pytest.mark.browser
@pytest.mark.parametrize("mode", ("light", "dark"))
def test_math_is_drawn_with_mathjax_fonts_in_the_text_colour(browser, server, mode):
    watch = open_in_mode(browser, server, "chapters/01_entropy.html", mode, width=1280, height=900)
    try:
        watch.page.locator("span.math mjx-container").nth(5).scroll_into_view_if_needed()
        got = watch.page.evaluate(FONTS)
    finally:
        watch.page.close()
    assert got["count"] > 0 and got["width"] > 3, got
    assert got["family"].replace('"', "").startswith("MJXZERO, MJXTEX"), got["family"]
    assert got["glyph"] not in ("none", "normal", ""), got  # CHTML draws each character as ::before content
    assert {"MJXZERO", "MJXTEX", "MJXTEX-I"} <= set(got["loaded"]), got["loaded"]
    assert got["color"][:3] == got["text"][:3], f"the math is not in the text colour: {got}"
    ratio = _contrast(got["color"], got["background"])
    assert ratio >= 4.5, f"{mode} mode: math at {ratio:.2f}:1 against its background {got}"


# Inline math followed directly by punctuation: the punctuation's first
# character must be on the formula's line (vertical centre inside the formula's box).
PUNCTUATION_LINES = r"""
() => {
  const punct = /^[.,;:!?)\uFF0C\u3002\uFF1B\uFF1A\uFF09]/;
  const out = {checked: 0, wrapped: 0, broken: []};
  document.querySelectorAll('mjx-container:not([display="true"])').forEach(m => {
    const host = m.parentElement.matches('span.math') ? m.parentElement : m;
    const next = host.nextSibling;
    if (!next || next.nodeType !== Node.TEXT_NODE || !punct.test(next.data)) { return; }
    const r = m.getBoundingClientRect();
    if (!r.width) { return; }  // in a closed solution
    out.checked += 1;
    if (host.parentElement.classList.contains('xe-nowrap')) { out.wrapped += 1; }
    const range = document.createRange();
    range.setStart(next, 0); range.setEnd(next, 1);
    const p = range.getBoundingClientRect();
    const mid = (p.top + p.bottom) / 2;
    if (mid < r.top || mid > r.bottom) {
      out.broken.push(((m.closest('[id]') || {}).id || '?') + ': ' + next.data.slice(0, 12));
    }
  });
  return out;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("rel", MATH_PAGES)
def test_punctuation_after_inline_math_stays_on_its_line(browser, server, rel):
    """At 360 px no line starts with the full stop, comma, closing parenthesis
    (or CJK punctuation) written right after an inline formula."""
    if not prerendered():
        pytest.skip("built without Node: the punctuation is not wrapped with the formula")
    watch = open_in_mode(browser, server, rel, "light", width=360, height=800)
    try:
        got = watch.page.evaluate(PUNCTUATION_LINES)
    finally:
        watch.page.close()
    assert got["checked"] == got["wrapped"], f"{rel}: punctuation not wrapped with its formula: {got}"
    assert not got["broken"], f"{rel} at 360 px: lines starting with the punctuation after math: {got['broken'][:5]}"


WIDE_MATH = r"""
() => Array.from(document.querySelectorAll('mjx-container[display="true"]')).filter(m => m.getBoundingClientRect().width)
  .map(m => ({id: (m.closest('[id]') || {}).id || '?', right: m.getBoundingClientRect().right,
              wide: m.scrollWidth > m.clientWidth + 1, overflow: getComputedStyle(m).overflowX,
              tab: m.getAttribute('tabindex')}))
"""


@pytest.mark.browser
@pytest.mark.parametrize("rel", [p for p in MATH_PAGES if p != "chapters/07_errata.html"])
def test_long_display_equations_scroll_in_their_box_on_a_phone(browser, server, rel):
    watch = open_in_mode(browser, server, rel, "light", width=360, height=800)
    try:
        boxes = watch.page.evaluate(WIDE_MATH)
        width = watch.page.evaluate("document.documentElement.scrollWidth")
    finally:
        watch.page.close()
    assert width <= 361, f"{rel}: the page is {width} px wide at 360 px"
    outside = [b for b in boxes if b["right"] > 361]
    assert not outside, f"{rel}: display equations reach past the screen: {outside[:3]}"
    stuck = [b for b in boxes if b["wide"] and (b["overflow"] not in ("auto", "scroll") or b["tab"] != "0")]
    assert not stuck, f"{rel}: wide equations that do not scroll (or have no tab stop): {stuck[:3]}"
