"""Display formulas fit a phone (issue 17): at 360 and 390 px, with every fold opened (claim
boxes' <details>, solutions), no display formula is wider than its column -- unless it is a long
derivation (two or more lines: an aligned environment) that scrolls in its own box and shows it
(a shadow on the side where more is hidden, assets/course.js and assets/custom.css; a keyboard
tab stop).  A one-line formula that is too wide fails: split it into aligned lines
(``\\begin{aligned} ... \\\\ ... \\end{aligned}``) in the chapter's markdown or the claim's text.

Each failure names the page, where the formula comes from (the claim and its module in
``xentlib/course/``, or the chapter notebook) and its TeX (from the build's list of formulas,
``_build/.xent-math/html.json``); every offender found is also written to
``test-artifacts/formula-width-<width>.txt``.
"""
from __future__ import annotations

import html
import json

import pytest

from tests.browser.screens import open_in_mode
from tests.conftest import ROOT, SITE, built_pages

PAGES = [str(p) for p in built_pages()] if SITE.exists() else []
WIDTHS = (360, 390)

OPEN_FOLDS = """
() => {
  const closed = Array.from(document.querySelectorAll('details:not([open])'));
  closed.forEach(d => { d.open = true; });
  return closed.length;
}
"""

# Every display formula that is drawn: the room it needs and has, its number of lines (rows of
# a top-level table in its MathML: aligned/gathered/split; a matrix or cases inside delimiters is
# one line), whether it scrolls, shows a scroll cue, has a tab stop, and where it sits.
PROBE = r"""
() => {
  const lines = (m) => {
    const math = m.querySelector('mjx-assistive-mml math');
    if (!math) { return 1; }
    let best = 1;
    math.querySelectorAll('mtable').forEach(t => {
      for (let e = t.parentElement; e && e !== math; e = e.parentElement) {
        if (e.getAttribute('data-mjx-texclass') === 'INNER') { return; }
      }
      best = Math.max(best, t.querySelectorAll(':scope > mtr, :scope > mlabeledtr').length);
    });
    return best;
  };
  const all = Array.from(document.querySelectorAll('mjx-container[display="true"]'));
  const items = all.map((m, index) => {
    const r = m.getBoundingClientRect();
    if (!r.width) { return null; }
    const inner = m.firstElementChild ? m.firstElementChild.getBoundingClientRect().width : 0;
    const need = Math.max(m.scrollWidth, Math.round(inner));
    const column = m.parentElement.getBoundingClientRect();
    const s = getComputedStyle(m);
    const box = m.closest('.claim-box');
    const row = m.closest('tr[data-verdict]');   // the errata: the row's claim
    const section = m.closest('section[id]');
    return {
      index, need, has: m.clientWidth, right: r.right, columnRight: column.right,
      lines: lines(m),
      scrolls: /(auto|scroll)/.test(s.overflowX),
      cue: s.boxShadow !== 'none' && m.classList.contains('xe-more-right'),
      tab: m.getAttribute('tabindex'),
      claim: box ? box.id.replace(/^claim-/, '') : (row && row.querySelector('a') ? row.querySelector('a').textContent : null),
      section: section ? section.id : null,
      text: (m.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60),
    };
  }).filter(x => x);
  return {count: all.length, items};
}
"""


def _display_tex(rel: str) -> list[str]:
    """The TeX of the page's display formulas, in page order (the build's list)."""
    path = ROOT / "_build" / ".xent-math" / "html.json"
    if not path.exists():
        return []
    pages = json.loads(path.read_text(encoding="utf-8")).get("pages", {})
    return [html.unescape(tex) for tex, display in pages.get(rel, []) if display]


def _origin(rel: str, f: dict) -> str:
    if f["claim"]:
        from xentlib.course.claims import REGISTRY

        claim = REGISTRY.find(f["claim"])
        module = f"xentlib/course/ch{claim.chapter}.py" if claim else "?"
        return f"claim {f['claim']} ({module})"
    name = rel.removesuffix(".html")
    source = next((f"{name}{ext}" for ext in (".ipynb", ".md") if (ROOT / f"{name}{ext}").exists()), rel)
    return source + (f" #{f['section']}" if f["section"] else "")


def formula_problems(rel: str, formulas: list[dict], tex: list[str]) -> list[str]:
    """A formula wider than its column (1 px of rounding allowed) is a problem, unless it has two
    or more lines and scrolls in its own box with a visible cue and a tab stop."""
    problems = []
    for f in formulas:
        too_wide = f["need"] > f["has"] + 1 or f["right"] > f["columnRight"] + 1
        if not too_wide:
            continue
        where = f"{rel} [{_origin(rel, f)}]: {f['need']} px in {f['has']} px"
        source = tex[f["index"]] if f["index"] < len(tex) else f["text"]
        source = " ".join(source.split())
        if f["lines"] < 2:
            problems.append(f"{where}, one line, split it: {source}")
        elif not (f["scrolls"] and f["cue"] and f["tab"] == "0"):
            problems.append(f"{where}, {f['lines']} lines, scrolls without showing it "
                            f"(scrolls={f['scrolls']}, cue={f['cue']}, tabindex={f['tab']}): {source}")
    return problems


def test_formula_check_can_fail():
    base = {"index": 0, "need": 300, "has": 300, "right": 330, "columnRight": 330, "lines": 1,
            "scrolls": True, "cue": False, "tab": None, "claim": None, "section": "s", "text": "x"}
    assert formula_problems("chapters/01_entropy.html", [base], ["x"]) == []
    wide = {**base, "need": 420}
    got = formula_problems("chapters/01_entropy.html", [wide], [r"H(X) = -\sum_i"])
    assert got and "one line" in got[0] and r"H(X) = -\sum_i" in got[0] and "01_entropy.ipynb" in got[0]
    derivation = {**wide, "lines": 3}
    assert "without showing it" in formula_problems("p", [derivation], [])[0]
    assert formula_problems("p", [{**derivation, "cue": True, "tab": "0"}], []) == []
    assert formula_problems("p", [{**base, "right": 400}], [])  # reaches past its column


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("rel", PAGES)
def test_display_formulas_fit_a_phone(browser, server, artifacts, rel, width):
    watch = open_in_mode(browser, server, rel, "light", width=width, height=800)
    try:
        watch.page.evaluate(OPEN_FOLDS)
        watch.page.wait_for_timeout(300)  # course.js re-measures the boxes after a fold opens
        got = watch.page.evaluate(PROBE)
    finally:
        watch.page.close()
    tex = _display_tex(rel)
    if len(tex) != got["count"]:  # the build's list does not match the page: name formulas by their text
        tex = []
    problems = formula_problems(rel, got["items"], tex)
    if problems:
        with open(artifacts / f"formula-width-{width}.txt", "a", encoding="utf-8") as fh:
            fh.write("\n".join(problems) + "\n")
    assert not problems, f"{len(problems)} display formula(s) too wide at {width} px:\n" + "\n".join(problems)
