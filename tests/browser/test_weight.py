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

from tests.browser.screens import CONTRAST, open_in_mode
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


FIGURES = r"""
() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => {
  const parse = (c) => {
    const m = (c || '').match(/rgba?\(([^)]+)\)/); if (!m) { return null; }
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const box = gd.getBoundingClientRect(), vw = document.documentElement.clientWidth;
  const paper = parse(getComputedStyle(gd.querySelector('.main-svg')).backgroundColor)
             || parse(gd._fullLayout.paper_bgcolor) || [255, 255, 255, 1];
  const texts = Array.from(gd.querySelectorAll('.main-svg text'))
    .filter(t => t.textContent.trim() && getComputedStyle(t).display !== 'none'
                 && getComputedStyle(t).visibility !== 'hidden' && t.getBoundingClientRect().width > 0);
  const plots = Array.from(gd.querySelectorAll('.subplot .bg, rect.bg')).map(r => r.getBoundingClientRect());
  const hit = (a, b) => a.left < b.right - 2 && a.right > b.left + 2 && a.top < b.bottom - 2 && a.bottom > b.top + 2;
  return {
    id: gd.id, layout: gd.getAttribute('data-course-layout'),
    paper: gd._fullLayout ? gd._fullLayout.paper_bgcolor : null,
    font: gd._fullLayout ? gd._fullLayout.font.color : null,
    width: box.width,
    // axis titles of one panel over another panel's plot area
    overlapping: Array.from(gd.querySelectorAll('.xtitle, .ytitle')).map(t => t.getBoundingClientRect())
      .filter(t => plots.some(b => hit(t, b))).length,
    // an axis title or the legend over tick labels (e.g. a squeezed bottom margin)
    overTicks: (() => {
      const ticks = Array.from(gd.querySelectorAll('.xtick text, .ytick text'))
        .filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect());
      const legend = gd.querySelector('.legend');
      const others = Array.from(gd.querySelectorAll('.xtitle, .ytitle')).map(t => t.getBoundingClientRect())
        .concat(legend ? [legend.getBoundingClientRect()] : []);
      return others.filter(o => ticks.some(t => hit(o, t))).length;
    })(),
    // plot areas over each other (stacked panels must not collide)
    panelsOverlap: plots.some((a, i) => plots.some((b, j) => i < j && hit(a, b))),
    // text cut off by the figure's edge or the screen's
    cut: texts.filter(t => {
      const r = t.getBoundingClientRect();
      return r.left < Math.max(box.left, 0) - 1 || r.right > Math.min(box.right, vw) + 1
          || r.top < box.top - 1 || r.bottom > box.bottom + 1;
    }).map(t => t.textContent.trim().slice(0, 40)),
    // WCAG AA: 4.5:1 for plotly's (small) text against the paper
    lowContrast: texts.map(t => {
      const s = getComputedStyle(t), fg = parse(s.fill);
      if (!fg) { return null; }
      const a = fg[3] * Number(s.fillOpacity || 1) * Number(s.opacity || 1);
      const c = [0, 1, 2].map(i => fg[i] * a + paper[i] * (1 - a));
      const l1 = lum(c), l2 = lum(paper), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      return ratio < 4.5 ? t.textContent.trim().slice(0, 30) + ' ' + ratio.toFixed(2) + ':1 (' + s.fill + ')' : null;
    }).filter(Boolean),
  };
})
"""

EXPLORERS = {"chapters/01_entropy.html": ("bernoulli", "simplex"), "chapters/02_cross_entropy.html": ("pq",),
             "chapters/03_loss_and_gradient.html": ("softmax", "smoothing"),
             "chapters/04_training.html": ("learning-rate",)}

# The HTML text of one explorer (title, labels, values, readout) at WCAG AA, with
# screens.CONTRAST's colour composition, limited to the element matched by a selector.
SCOPED_CONTRAST = CONTRAST.replace("() => {", "(sel) => {", 1).replace(
    "createTreeWalker(document.body", "createTreeWalker(document.querySelector(sel)", 1)


@pytest.mark.browser
@pytest.mark.parametrize("mode", ("light", "dark"))
@pytest.mark.parametrize("width", (360, 390, 768, 1280))
@pytest.mark.parametrize("rel", sorted(EXPLORERS))
def test_explorers_follow_mode_and_width(browser, server, artifacts, rel, mode, width):
    """Every explorer of every page, at phone to desktop widths in both colour modes:
    the figure follows the mode, stacks its panels below 600 px, no text is cut off or
    over another panel, and its text (plotly's and the page's) is at WCAG AA contrast."""
    assert SCOPED_CONTRAST != CONTRAST
    watch = open_in_mode(browser, server, rel, mode, width=width)
    page = watch.page
    out = artifacts / "screens"
    out.mkdir(exist_ok=True)
    html_contrast = {}
    try:
        for name in EXPLORERS[rel]:
            page.locator(f"#xe-{name}").scroll_into_view_if_needed()
            page.wait_for_selector(f"#xe-{name}[data-ready='true']", timeout=30_000)
        page.wait_for_timeout(300)
        for name in EXPLORERS[rel]:
            page.locator(f"#xe-{name}").screenshot(path=str(out / f"explorer-{name}-{mode}-{width}.png"))
            html_contrast[name] = page.evaluate(SCOPED_CONTRAST, f"#xe-{name}")
        figures = page.evaluate(FIGURES)
    finally:
        page.close()
    assert len(figures) == len(EXPLORERS[rel]), [f["id"] for f in figures]
    for f in figures:
        dark = f["paper"] not in ("white", "#fff", "#ffffff", "rgb(255, 255, 255)")
        assert dark == (mode == "dark"), f
        assert ("stacked" in (f["layout"] or "")) == (f["width"] < 600), f
        assert f["overlapping"] == 0, f"{f['id']} at {width} px: axis titles over a neighbouring panel"
        assert not f["panelsOverlap"], f"{f['id']} at {width} px: panels drawn over each other"
        assert f["overTicks"] == 0, f"{f['id']} at {width} px: an axis title or the legend over tick labels"
        assert not f["cut"], f"{f['id']} at {width} px, {mode}: text cut off: {f['cut']}"
        assert not f["lowContrast"], f"{f['id']} at {width} px, {mode}: text below 4.5:1: {f['lowContrast']}"
    for name, c in html_contrast.items():
        assert c["checked"] > 0, name
        assert not c["bad"], f"{name} at {width} px, {mode}: {c['bad']}"
