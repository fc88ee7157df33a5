"""The ☰ (site navigation) and Contents (this page) buttons work at every width,
and there is one top bar, not a second one holding only a Search box.

pydata-sphinx-theme 0.17.1 + sphinx-book-theme 1.3.0 rendered a hidden
duplicate `.primary-toggle` that both themes' scripts bound instead of the
visible button (pydata-sphinx-theme #2451, sphinx-book-theme #988); the fix
is `navbar_persistent: []` in _config.yml."""
from __future__ import annotations

import pytest

from tests.browser.screens import WIDTHS, open_in_mode

PAGE = "chapters/01_entropy.html"

STATE = """
() => {
  const box = (sel) => {
    const el = document.querySelector(sel);
    if (!el) { return null; }
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return {x: Math.round(r.x), w: Math.round(r.width), h: Math.round(r.height),
            shown: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && Number(s.opacity) > 0
                   && r.right > 0 && r.x < innerWidth};
  };
  const links = Array.from(document.querySelectorAll('a.reference.internal'))
      .filter(a => a.closest('.bd-sidebar-primary, #pst-primary-sidebar-modal'));
  const visibleLinks = links.filter(a => { const r = a.getBoundingClientRect();
      return r.width > 0 && r.x >= 0 && r.right <= innerWidth; }).length;
  const tocLinks = Array.from(document.querySelectorAll('nav.page-toc a, .bd-toc-nav a'))
      .filter(a => { const r = a.getBoundingClientRect(); return r.width > 0 && r.x >= 0 && r.right <= innerWidth; }).length;
  const bars = Array.from(document.querySelectorAll('header, .bd-header-article'))
      .filter(el => el.getBoundingClientRect().height > 8).map(el => el.id || el.className);
  return {
    primaryDialog: !!document.querySelector('#pst-primary-sidebar-modal[open]'),
    secondaryDialog: !!document.querySelector('#pst-secondary-sidebar-modal[open]'),
    sidebar: box('#pst-primary-sidebar'), visibleLinks, tocLinks, bars,
    toggles: document.querySelectorAll('.primary-toggle').length,
  };
}
"""


def _visible_button(page, selector):
    for loc in page.locator(selector).all():
        if loc.is_visible():
            return loc
    return None


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_menu_and_contents_buttons(browser, server, artifacts, width):
    watch = open_in_mode(browser, server, PAGE, "light", width=width, height=800)
    page = watch.page
    shots = artifacts / "screens"
    shots.mkdir(exist_ok=True)
    try:
        before = page.evaluate(STATE)
        assert before["toggles"] == 1, f"{before['toggles']} .primary-toggle buttons (duplicate)"
        assert len(before["bars"]) == 1, f"more than one top bar: {before['bars']}"
        menu = _visible_button(page, ".primary-toggle")
        assert menu is not None, "no visible ☰ button"
        wide = width >= 992
        assert before["visibleLinks"] > 0 if wide else before["visibleLinks"] == 0, before

        menu.click()
        page.wait_for_timeout(400)
        opened = page.evaluate(STATE)
        page.screenshot(path=str(shots / f"nav-menu-{width}.png"))
        if wide:  # ☰ collapses the sidebar, a second click brings it back
            assert opened["visibleLinks"] == 0 and not opened["primaryDialog"], opened
            menu.click()
            page.wait_for_timeout(400)
            assert page.evaluate(STATE)["visibleLinks"] > 0
        else:  # ☰ opens the navigation as a dialog; Escape closes it
            assert opened["primaryDialog"] and opened["visibleLinks"] > 3, opened
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            assert not page.evaluate(STATE)["primaryDialog"]

        contents = _visible_button(page, ".secondary-toggle")
        if width >= 1200:  # the page's contents are always shown beside the text
            assert contents is None
            assert page.evaluate(STATE)["tocLinks"] > 0
        else:
            assert contents is not None, "no visible Contents button"
            contents.click()
            page.wait_for_timeout(400)
            state = page.evaluate(STATE)
            page.screenshot(path=str(shots / f"nav-contents-{width}.png"))
            assert state["secondaryDialog"] and state["tocLinks"] > 2, state
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            assert not page.evaluate(STATE)["secondaryDialog"]
        assert not watch.problems(), watch.problems()
    finally:
        page.close()
