"""No page scrolls sideways at 360-1280 px: wide tables, equations, code and
API signatures scroll inside their own box or reflow.  The errata tables turn
into one card per claim on a phone.  Screenshots of every page at every width
and in both colour modes go to test-artifacts/screens/."""
from __future__ import annotations

import pytest

from tests.browser.screens import MODES, OVERFLOW, WIDTHS, open_in_mode
from tests.conftest import SITE, built_pages

PAGES = [str(p) for p in built_pages()] if SITE.exists() else []
CONTENT = [p for p in PAGES if p.startswith("chapters/")]

# Display equations clipped by their own box without a way to scroll to the end.
CLIPPED_MATH = r"""
() => Array.from(document.querySelectorAll('mjx-container[display="true"]')).filter(m => {
  const box = m.parentElement, r = m.getBoundingClientRect();
  if (!r.width) { return false; }
  const s = getComputedStyle(m);
  const scrolls = /(auto|scroll)/.test(s.overflowX) || /(auto|scroll)/.test(getComputedStyle(box).overflowX);
  return !scrolls && m.scrollWidth > m.clientWidth + 2;
}).map(m => (m.closest('[id]') || {}).id || '?')
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("rel", CONTENT)
def test_no_sideways_scroll(browser, server, artifacts, rel, width):
    modes = MODES if width in (390, 1280) else ("light",)
    for mode in modes:
        watch = open_in_mode(browser, server, rel, mode, width=width, height=800)
        page = watch.page
        try:
            out = artifacts / "screens"
            out.mkdir(exist_ok=True)
            page.screenshot(path=str(out / f"{rel.replace('/', '_')}-{mode}-{width}.png"))
            result = page.evaluate(OVERFLOW)
            clipped = page.evaluate(CLIPPED_MATH)
        finally:
            page.close()
        assert result["scrollWidth"] <= result["viewport"] + 1, (
            f"{rel} at {width} px ({mode}): the page is {result['scrollWidth']} px wide; "
            f"too wide: {result['offenders']}")
        assert not result["offenders"], f"{rel} at {width} px: {result['offenders']}"
        assert not clipped, f"{rel} at {width} px: display equations cut off: {clipped}"


ERRATA_CARDS = r"""
() => {
  const rows = Array.from(document.querySelectorAll('table.errata-section tbody tr'));
  const narrow = rows.filter(r => r.getBoundingClientRect().width < 200).length;
  const words = Array.from(document.querySelectorAll('table.errata-section td a'))
      .filter(a => a.getClientRects().length > 3).map(a => a.textContent);
  // content that runs past its cell's padding box (a formula cannot wrap inside itself): every
  // element of a cell, except MathJax's hidden MathML and what sits in a box that scrolls
  const spill = [];
  document.querySelectorAll('table.errata-section td, table.errata-counts th, table.errata-counts td').forEach(td => {
    const edge = td.getBoundingClientRect().right - parseFloat(getComputedStyle(td).paddingRight) + 1;
    let worst = null;
    td.querySelectorAll('*').forEach(e => {
      if (e.closest('mjx-assistive-mml')) { return; }
      for (let a = e.parentElement; a && a !== td; a = a.parentElement) {
        if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(a).overflowX)) { return; }
      }
      const r = e.getBoundingClientRect();
      if (r.width && r.right > edge && (!worst || r.right > worst.right)) { worst = {right: r.right, e}; }
    });
    if (worst) {  // (not td.scrollWidth: MathJax's hidden MathML, clipped, counts in it)
      const row = td.parentElement.querySelector('a');
      spill.push((row ? row.textContent : td.parentElement.textContent.slice(0, 20)) + ', column ' + (td.cellIndex + 1)
                 + ': ' + Math.round(worst.right - edge + 1) + ' px past: '
                 + (worst.e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 50));
    }
  });
  return {rows: rows.length, narrow, words, spill,
          height: document.documentElement.scrollHeight,
          counts: Array.from(document.querySelectorAll('table.errata-counts th, table.errata-counts td'))
              .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)};
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", (360, 390, 1280))
def test_errata_readable_on_a_phone(browser, server, width):
    watch = open_in_mode(browser, server, "chapters/07_errata.html", "light", width=width)
    try:
        state = watch.page.evaluate(ERRATA_CARDS)
    finally:
        watch.page.close()
    assert state["rows"] >= 40, state
    assert not state["words"], f"claim names broken over more than 3 lines: {state['words'][:5]}"
    assert not state["counts"], f"cut off in the counts table: {state['counts']}"
    assert not state["spill"], f"content running past its cell at {width} px: {state['spill']}"
