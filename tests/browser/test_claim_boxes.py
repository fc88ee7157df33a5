"""Compact claim boxes on the site (issue 17, item 4): a box shows its title line and its truth;
the source's words, the translation, the limits and the evidence are folded in
``<details class="claim-details">``.  The fold's summary is a clear control that the keyboard
reaches and opens, legible in light and dark mode and on a 360 px phone; printing a page (the
browser's Print: ``beforeprint``) opens every fold and closing the print dialog
(``afterprint``) folds again what was folded."""
from __future__ import annotations

import pytest

from tests.browser.screens import open_in_mode

PAGE = "chapters/02_cross_entropy.html"

STATE = r"""
() => Array.from(document.querySelectorAll('.claim-box')).map(box => {
  const d = box.querySelector(':scope > details.claim-details');
  const s = d && d.querySelector(':scope > summary');
  const quote = box.querySelector('blockquote[lang="zh"]');
  const truth = box.querySelector(':scope > .claim-correct');
  const shown = (e) => !!(e && e.checkVisibility() && e.getBoundingClientRect().height > 0);
  const r = s ? s.getBoundingClientRect() : {height: 0, right: 0};
  return {id: box.id, details: !!d, open: !!(d && d.open), summary: s ? s.textContent.trim() : '',
          summaryHeight: r.height, summaryRight: r.right, boxRight: box.getBoundingClientRect().right,
          quoteInside: !!(d && quote && d.contains(quote)), quoteShown: shown(quote), truthShown: shown(truth),
          cursor: s ? getComputedStyle(s).cursor : ''};
})
"""

# The summary's text colour against what is really behind it (alpha-composited), WCAG contrast.
SUMMARY_CONTRAST = r"""
() => {
  const s = document.querySelector('.claim-box details.claim-details > summary');
  const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
                         return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (t, b) => [0, 1, 2].map(i => t[i] * t[3] + b[i] * (1 - t[3])).concat([1]);
  let layers = [];
  for (let e = s; e; e = e.parentElement) {
    const bg = parse(getComputedStyle(e).backgroundColor);
    if (bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) { break; } }
  }
  let bg = layers.length && layers[layers.length - 1][3] >= 1 ? layers.pop() : parse(getComputedStyle(document.body).backgroundColor);
  for (let i = layers.length - 1; i >= 0; i--) { bg = over(layers[i], bg); }
  const fg = over(parse(getComputedStyle(s).color), bg);
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                       return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const a = lum(fg), b = lum(bg);
  return {ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), fg, bg};
}
"""


def _first(states):
    assert states, f"{PAGE}: no claim box"
    return states[0]


@pytest.mark.browser
@pytest.mark.parametrize("mode", ("light", "dark"))
@pytest.mark.parametrize("width", (360, 1280))
def test_box_is_folded_and_its_summary_is_a_clear_control(browser, server, mode, width):
    watch = open_in_mode(browser, server, PAGE, mode, width=width, height=800)
    try:
        states = watch.page.evaluate(STATE)
        contrast = watch.page.evaluate(SUMMARY_CONTRAST)
    finally:
        watch.page.close()
    broken = [s["id"] for s in states if not (s["details"] and s["summary"] and not s["open"] and s["quoteInside"]
                                              and not s["quoteShown"] and s["truthShown"])]
    assert not broken, f"boxes not folded with the truth shown: {broken}"
    first = _first(states)
    assert "Source" in first["summary"] and "translation" in first["summary"], first["summary"]
    assert first["cursor"] == "pointer", first
    assert first["summaryHeight"] >= 24, f"the summary is a small target: {first}"   # WCAG 2.2 target size
    assert first["summaryRight"] <= first["boxRight"] + 1, f"the summary runs out of its box at {width} px: {first}"
    assert contrast["ratio"] >= 4.5, f"{mode}: summary text at {contrast['ratio']:.2f}:1 {contrast}"


FOCUS = r"""
() => {
  const s = document.activeElement;
  const cs = getComputedStyle(s);
  return {tag: s.tagName.toLowerCase(), inBox: !!s.closest('.claim-box'), open: !!(s.parentElement && s.parentElement.open),
          outline: cs.outlineStyle + ' ' + cs.outlineWidth,
          quoteShown: (() => { const q = s.closest('.claim-box') && s.closest('.claim-box').querySelector('blockquote[lang="zh"]');
                               return !!(q && q.checkVisibility() && q.getBoundingClientRect().height > 0); })()};
}
"""


@pytest.mark.browser
def test_keyboard_reaches_and_opens_the_fold(browser, server):
    """From the box's own link (its title line), Tab reaches the summary, which shows a focus
    ring; Enter opens the fold (the quotation shows) and Enter again closes it."""
    watch = open_in_mode(browser, server, PAGE, "light", width=390, height=800)
    page = watch.page
    try:
        page.locator(".claim-box a.claim-link").first.focus()
        for _ in range(6):
            page.keyboard.press("Tab")
            got = page.evaluate(FOCUS)
            if got["tag"] == "summary":
                break
        assert got["tag"] == "summary" and got["inBox"], f"Tab did not reach the box's summary: {got}"
        assert not got["open"] and not got["quoteShown"], got
        style, width = got["outline"].split()[0], float(got["outline"].split()[1].removesuffix("px"))
        assert style != "none" and width >= 2, f"no visible focus ring on the summary: {got['outline']}"
        page.keyboard.press("Enter")
        page.wait_for_timeout(100)
        opened = page.evaluate(FOCUS)
        page.keyboard.press("Enter")
        page.wait_for_timeout(100)
        closed = page.evaluate(FOCUS)
    finally:
        page.close()
    assert opened["open"] and opened["quoteShown"], f"Enter did not open the fold: {opened}"
    assert not closed["open"] and not closed["quoteShown"], f"Enter did not close the fold again: {closed}"


PRINT = r"""
async (phase) => {
  const all = Array.from(document.querySelectorAll('details'));
  if (phase === 'setup') {                 // a reader opened one fold before printing
    all.forEach(d => { d.open = false; });
    all[1].open = true;
    return null;
  }
  window.dispatchEvent(new Event(phase));
  await new Promise(r => setTimeout(r, 50));
  return {total: all.length, open: all.filter(d => d.open).length, second: all[1].open,
          quotes: Array.from(document.querySelectorAll('.claim-box blockquote[lang="zh"]'))
                    .filter(q => q.checkVisibility()).length};
}
"""


@pytest.mark.browser
def test_printing_opens_every_fold_and_closing_restores_them(browser, server):
    watch = open_in_mode(browser, server, PAGE, "light", width=1280, height=900)
    try:
        watch.page.evaluate(PRINT, "setup")
        printing = watch.page.evaluate(PRINT, "beforeprint")
        after = watch.page.evaluate(PRINT, "afterprint")
    finally:
        watch.page.close()
    assert printing["total"] >= 5, printing
    assert printing["open"] == printing["total"], f"beforeprint left folds closed: {printing}"
    assert printing["quotes"] >= 5, f"the quotations do not show when printing: {printing}"
    assert after["open"] == 1 and after["second"], f"afterprint did not restore the folds as they were: {after}"


# Registered before course.js's handlers, so at "afterprint" it sees the page as it was printed.
PRINT_WATCH = r"""
window.__printed = [];
addEventListener('afterprint', () => {
  const all = Array.from(document.querySelectorAll('details'));
  window.__printed.push({total: all.length, open: all.filter(d => d.open).length,
                         quotes: Array.from(document.querySelectorAll('.claim-box blockquote[lang="zh"]'))
                                   .filter(q => q.checkVisibility()).length});
});
"""


@pytest.mark.browser
def test_the_browsers_print_prints_the_folds_open(browser, server, tmp_path):
    """Chromium's own printing (page.pdf, as the Print dialog) fires beforeprint/afterprint:
    the page is printed with every fold open, and folded again afterwards."""
    from tests.conftest import PageWatch

    page = browser.new_page()
    try:
        page.add_init_script(PRINT_WATCH)
        watch = PageWatch(page, server)
        page.goto(server + PAGE, wait_until="load")
        watch.settle()
        page.pdf(path=str(tmp_path / "page.pdf"))
        printed = page.evaluate("window.__printed")
        now = page.evaluate("Array.from(document.querySelectorAll('details')).filter(d => d.open).length")
    finally:
        page.close()
    assert printed, "printing fired no afterprint"
    got = printed[-1]
    assert got["total"] >= 5 and got["open"] == got["total"] and got["quotes"] >= 5, f"printed with folds closed: {got}"
    assert now == 0, f"{now} folds left open after printing"
