"""Every visible text of every page reaches WCAG AA contrast (4.5:1, large text
3:1) in the light and in the dark colour mode: claim boxes, errata verdicts,
exercise boxes, explorer read-outs and figure panels included.  Solution
dropdowns are opened first so their text is checked too.  A screenshot of the
top of each page in each mode goes to test-artifacts/screens/."""
from __future__ import annotations

import pytest

from tests.browser.screens import CONTRAST, MODES, open_in_mode
from tests.conftest import SITE, built_pages

PAGES = [str(p) for p in built_pages()] if SITE.exists() else []
CONTENT = [p for p in PAGES if p.startswith("chapters/")]

OPEN_ALL = """
() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('button.toggle-button').forEach(b => {
    if (b.getAttribute('aria-expanded') === 'false' || b.classList.contains('toggle-button-hidden')) { b.click(); }
  });
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("rel", CONTENT + ["search.html", "genindex.html"])
def test_text_contrast(browser, server, artifacts, rel, mode):
    watch = open_in_mode(browser, server, rel, mode)
    page = watch.page
    try:
        page.evaluate(OPEN_ALL)
        page.wait_for_timeout(300)
        out = artifacts / "screens"
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / f"{rel.replace('/', '_')}-{mode}-1280.png"))
        result = page.evaluate(CONTRAST)
    finally:
        page.close()
    assert result["checked"] > 20, result
    bad = result["bad"]
    assert not bad, (f"{rel} ({mode}): {len(bad)} text run(s) below WCAG AA, e.g.\n  "
                     + "\n  ".join(f"{b['ratio']}:1 (< {b['need']}) {b['color']} on {b['background']} "
                                   f"{b['where']}: {b['text']!r}" for b in bad[:12]))
