"""Accessibility of every built page, in headless Chromium.

* axe-core (bundled by the ``axe-playwright-python`` package, served from the
  test, never downloaded) reports no *serious* or *critical* violation.  The
  scan runs with every solution dropdown opened, so the hidden solutions
  (code, outputs, math) are checked too.  All violations, whatever their
  impact, are written to ``test-artifacts/accessibility.json`` for review.
* Every image has a text alternative; figures produced by notebook cells have
  a real description (not a file name).
* The keyboard alone reaches every slider (``input[type=range]``) and every
  solution dropdown (``details > summary`` or sphinx-togglebutton's button):
  we press Tab from the top of the page and record what receives focus.

Each page is opened once (module-scoped cache) and the three checks read the
result, so the whole file costs about one page load plus one axe scan per page.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import SITE, PageWatch, built_pages

PAGES = [str(p) for p in built_pages()] if SITE.exists() else []
BLOCKING = ("serious", "critical")

# Elements that must be reachable with Tab.
TARGETS = "input[type=range], details > summary, button.toggle-button"

MARK_TARGETS = """
(sel) => {
  const els = Array.from(document.querySelectorAll(sel));
  window.__a11yReached = new Set();
  els.forEach((el, i) => el.setAttribute('data-a11y-target', String(i)));
  document.addEventListener('focusin', (ev) => {
    const t = ev.target.closest ? ev.target.closest('[data-a11y-target]') : null;
    if (t) { window.__a11yReached.add(t.getAttribute('data-a11y-target')); }
  }, true);
  const focusable = document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])').length;
  return {
    targets: els.map((el, i) => ({id: String(i), html: el.outerHTML.slice(0, 160)})),
    focusable,
  };
}
"""

IMAGES = """
() => Array.from(document.querySelectorAll('img')).map(img => ({
  src: img.getAttribute('src') || '',
  alt: img.getAttribute('alt'),
  inMain: !!img.closest('main, article, .bd-article'),
  cellOutput: !!img.closest('.cell_output, .output'),
}))
"""

OPEN_DROPDOWNS = """
() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  let clicked = 0;
  document.querySelectorAll('button.toggle-button').forEach(b => {
    if (b.classList.contains('toggle-button-hidden') || b.getAttribute('aria-expanded') === 'false') {
      b.click(); clicked += 1;
    }
  });
  return clicked;
}
"""


def _audit(browser, server, rel: str) -> dict:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    watch = PageWatch(page, server)
    try:
        page.goto(server + rel, wait_until="load", timeout=60_000)
        watch.settle()

        # 1. keyboard: Tab from the top of the page until every target got focus
        marked = page.evaluate(MARK_TARGETS, TARGETS)
        wanted = {t["id"] for t in marked["targets"]}
        reached: set[str] = set()
        presses = 0
        if wanted:
            page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
            limit = 2 * marked["focusable"] + 20
            while presses < limit and reached != wanted:
                page.keyboard.press("Tab")
                presses += 1
                if presses % 10 == 0 or presses == limit:
                    reached = set(page.evaluate("() => Array.from(window.__a11yReached)"))
            reached = set(page.evaluate("() => Array.from(window.__a11yReached)"))
        unreached = [t["html"] for t in marked["targets"] if t["id"] not in reached]

        # 2. images
        images = page.evaluate(IMAGES)

        # 3. axe-core, with every dropdown open
        page.evaluate(OPEN_DROPDOWNS)
        page.wait_for_timeout(300)
        results = Axe().run(page, options={"resultTypes": ["violations"]})
        violations = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [{"target": n["target"], "html": n["html"][:200]} for n in v["nodes"]]}
            for v in results.response["violations"]
        ]
    finally:
        page.close()
    return {"targets": len(wanted), "tab_presses": presses, "unreached": unreached,
            "images": images, "violations": violations, "problems": watch.problems()}


@pytest.fixture(scope="module")
def audited(browser, server, artifacts):
    cache: dict[str, dict] = {}

    def get(rel: str) -> dict:
        if rel not in cache:
            cache[rel] = _audit(browser, server, rel)
        return cache[rel]

    yield get
    summary = {rel: {"violations_by_impact": _by_impact(r["violations"]),
                     "violations": r["violations"],
                     "keyboard_targets": r["targets"], "tab_presses": r["tab_presses"],
                     "unreached": r["unreached"], "images": len(r["images"])}
               for rel, r in sorted(cache.items())}
    (artifacts / "accessibility.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")


def _by_impact(violations: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in violations:
        out[v["impact"] or "none"] = out.get(v["impact"] or "none", 0) + len(v["nodes"])
    return out


def test_site_has_pages():
    assert PAGES, f"no HTML pages found under {SITE}; build the site first"


@pytest.mark.browser
@pytest.mark.parametrize("rel", PAGES)
def test_axe_no_serious_or_critical_violations(audited, rel):
    bad = [v for v in audited(rel)["violations"] if v["impact"] in BLOCKING]
    report = "\n".join(
        f"  {v['impact']}: {v['id']} ({v['help']}) on {len(v['nodes'])} element(s), e.g. "
        f"{v['nodes'][0]['target']} {v['nodes'][0]['html']}" for v in bad)
    assert not bad, f"{rel}: axe-core found serious/critical violations:\n{report}"


@pytest.mark.browser
@pytest.mark.parametrize("rel", PAGES)
def test_every_image_has_alt_text(audited, rel):
    missing = []
    for img in audited(rel)["images"]:
        alt = img["alt"]
        if alt is None:
            missing.append(f"no alt attribute: {img['src']}")
        elif img["cellOutput"]:
            text = alt.strip()
            name = img["src"].rsplit("/", 1)[-1]
            if not text or text == name or text.endswith((".png", ".svg", ".jpg", ".jpeg")):
                missing.append(f"figure without a description (alt={alt!r}): {img['src']}")
    assert not missing, f"{rel}:\n  " + "\n  ".join(missing)


@pytest.mark.browser
@pytest.mark.parametrize("rel", PAGES)
def test_keyboard_reaches_every_slider_and_dropdown(audited, rel):
    result = audited(rel)
    assert not result["unreached"], (
        f"{rel}: Tab ({result['tab_presses']} presses) never focused "
        f"{len(result['unreached'])} of {result['targets']} slider(s)/dropdown(s), e.g. "
        f"{result['unreached'][0]}")


EXERCISE_PAGES = [f"chapters/{stem}.html" for stem in (
    "01_entropy", "02_cross_entropy", "03_loss_and_gradient", "04_training", "05_trends", "06_faq")]


@pytest.mark.browser
@pytest.mark.parametrize("rel", EXERCISE_PAGES)
def test_solutions_are_folded_and_open_with_the_keyboard(open_page, rel):
    """Each solution starts folded; Tab to its button and Enter shows it."""
    page = open_page(rel).page
    solutions = page.locator("div.solution.dropdown")
    assert solutions.count() >= 3, f"{rel}: {solutions.count()} solution dropdown(s)"
    for i in range(solutions.count()):
        assert not solutions.nth(i).locator("section").first.is_visible(), f"{rel}: solution {i + 1} not folded"
    first = solutions.first
    button = first.locator("button.toggle-button")
    button.focus()
    page.keyboard.press("Enter")
    first.locator("section").first.wait_for(state="visible", timeout=5000)
    assert button.get_attribute("aria-expanded") == "true"
