"""Weight and first paint.

* On a throttled link (Chromium's network emulation, 9 Mbit/s), the text of a
  page with explorers is painted before plotly.js has finished loading:
  plotly.js is loaded (not render-blocking) only when the reader scrolls near
  an explorer, and nothing render-blocking is over 200 KB.
* plotly.js only on pages with a plotly figure, as a partial bundle.
* Every explorer follows the colour mode and stacks its panels on a phone.
"""
from __future__ import annotations

import pytest

from tests.browser.screens import open_in_mode
from tests.conftest import SITE, built_pages

PAGES = [str(p) for p in built_pages()] if SITE.exists() else []
EXPLORER_PAGES = ["chapters/01_entropy.html"]

PAINT = """
() => {
  const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
  const res = performance.getEntriesByType('resource');
  const plotly = res.find(r => /plotly[a-z-]*\\.min\\.js/.test(r.name));
  return {
    fcp: paint ? paint.startTime : null,
    plotlyEnd: plotly ? plotly.responseEnd : null,
    plotlyBlocking: plotly ? plotly.renderBlockingStatus : null,
    bigBlocking: res.filter(r => r.renderBlockingStatus === 'blocking' && r.encodedBodySize > 200000)
                    .map(r => r.name),
    textPainted: !!document.querySelector('article h1') && document.fonts.status === 'loaded',
  };
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("rel", EXPLORER_PAGES)
def test_text_paints_before_plotly_arrives_on_a_slow_link(browser, server, rel):
    page = browser.new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = 9e6 / 8
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 40, "downloadThroughput": rate, "uploadThroughput": rate})
    try:
        page.goto(server + rel, wait_until="load", timeout=120_000)
        page.wait_for_timeout(1500)
        before = page.evaluate(PAINT)
        page.locator(".xe-explorer").first.scroll_into_view_if_needed()  # a reader scrolls to it
        page.wait_for_selector(".xe-explorer[data-ready='true']", timeout=120_000)
        m = page.evaluate(PAINT)
    finally:
        cdp.send("Network.emulateNetworkConditions",
                 {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        page.close()
    assert before["plotlyEnd"] is None, "plotly.js loaded although no explorer was near the screen"
    assert m["plotlyEnd"] is not None, "plotly.js was not loaded"
    assert m["plotlyBlocking"] != "blocking", m
    assert not m["bigBlocking"], f"render-blocking resources over 200 KB: {m['bigBlocking']}"
    assert m["fcp"] is not None and m["fcp"] < m["plotlyEnd"], (
        f"first paint at {m['fcp']:.0f} ms, plotly.js done at {m['plotlyEnd']:.0f} ms: the text waited for plotly")


def test_plotly_only_where_used_and_partial():
    import re

    for rel in PAGES:
        html = (SITE / rel).read_text(encoding="utf-8")
        scripts = re.findall(r'\b(?:src|data-plotly-src)="[^"]*/(plotly[\w.-]*\.js)[^"]*"', html)
        if "plotly-graph-div" in html:
            assert any(s.startswith("plotly-") and s != "plotly-full.min.js" for s in scripts), (rel, scripts)
            assert not re.search(r'<script[^>]*\ssrc="[^"]*plotly-\w+\.min\.js', html), f"{rel}: plotly in <head>"
        else:
            assert not scripts, f"{rel} loads {scripts} without a plotly figure"


FIGURES = """
() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => ({
  id: gd.id, layout: gd.getAttribute('data-course-layout'),
  paper: gd._fullLayout ? gd._fullLayout.paper_bgcolor : null,
  font: gd._fullLayout ? gd._fullLayout.font.color : null,
  width: gd.getBoundingClientRect().width,
  overlapping: (() => {  // axis titles of one panel over another panel's plot area
    const boxes = Array.from(gd.querySelectorAll('.subplot .bg, rect.bg')).map(r => r.getBoundingClientRect());
    const titles = Array.from(gd.querySelectorAll('.xtitle, .ytitle')).map(t => t.getBoundingClientRect());
    return titles.filter(t => boxes.some(b => t.left < b.right - 2 && t.right > b.left + 2
                                           && t.top < b.bottom - 2 && t.bottom > b.top + 2)).length;
  })(),
}))
"""


@pytest.mark.browser
@pytest.mark.parametrize("mode", ("light", "dark"))
@pytest.mark.parametrize("width", (360, 390, 768, 1280))
def test_explorers_follow_mode_and_width(browser, server, artifacts, mode, width):
    watch = open_in_mode(browser, server, "chapters/03_loss_and_gradient.html", mode, width=width)
    page = watch.page
    try:
        page.locator("#xe-smoothing").scroll_into_view_if_needed()
        page.wait_for_selector("#xe-smoothing[data-ready='true']", timeout=30_000)
        page.wait_for_timeout(300)
        out = artifacts / "screens"
        out.mkdir(exist_ok=True)
        page.locator("#xe-smoothing").screenshot(path=str(out / f"explorer-smoothing-{mode}-{width}.png"))
        figures = page.evaluate(FIGURES)
    finally:
        page.close()
    assert figures, "no plotly figure"
    for f in figures:
        dark = f["paper"] not in ("white", "#fff", "#ffffff", "rgb(255, 255, 255)")
        assert dark == (mode == "dark"), f
        assert ("stacked" in (f["layout"] or "")) == (f["width"] < 600), f
        assert f["overlapping"] == 0, f"{f['id']} at {width} px: axis titles over a neighbouring panel"
