"""Every chapter notebook in a real JupyterLab 4.6 (Chromium, 1366x768), issue 11.

For each chapter the ``chapter`` fixture opens the notebook once, records
what a student sees on open (rendered markdown, solutions, console), saves it
unchanged, then clears the outputs, runs Run All, records errors, moves every
slider and takes screenshots into ``test-artifacts/jupyterlab/``.  Each test
below asserts one property of that record and names the cells at fault
(0-based indices, as in ``nbformat.read(...).cells``).
"""
from __future__ import annotations

import dataclasses
import json
import re

import pytest

from . import driver
from .conftest import CHAPTERS

NOTEBOOKS = sorted(p.name for p in CHAPTERS.glob("*.ipynb"))
MIN_TRACK_PX = 200
# The chapters with explorers (explorers.show(...) cells: live sliders in Jupyter), read from the notebooks.
EXPLORER_CHAPTERS = sorted(p.name for p in CHAPTERS.glob("*.ipynb")
                           if re.search(r"explorers\.(show|live)\(", p.read_text(encoding="utf-8")))


@dataclasses.dataclass
class ChapterRun:
    name: str
    on_open_markdown: list = dataclasses.field(default_factory=list)
    solutions: list = dataclasses.field(default_factory=list)
    solution_text: list = dataclasses.field(default_factory=list)
    console: list = dataclasses.field(default_factory=list)
    saved_diff: list = dataclasses.field(default_factory=list)
    final_state: dict = dataclasses.field(default_factory=dict)
    errors: list = dataclasses.field(default_factory=list)
    sliders: list = dataclasses.field(default_factory=list)
    explorers: list = dataclasses.field(default_factory=list)
    run_failure: str | None = None
    setup_error: str | None = None


def _json_diff(a, b, path="", out=None, limit=12):
    """Paths where two JSON values differ (at most ``limit``)."""
    out = [] if out is None else out
    if len(out) >= limit:
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f"{path}/{k}: added {json.dumps(b[k], ensure_ascii=False)[:120]}")
            elif k not in b:
                out.append(f"{path}/{k}: removed")
            else:
                _json_diff(a[k], b[k], f"{path}/{k}", out, limit)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _json_diff(x, y, f"{path}/{i}", out, limit)
    elif a != b:
        out.append(f"{path}: {json.dumps(a, ensure_ascii=False)[:80]} -> {json.dumps(b, ensure_ascii=False)[:80]}")
    return out


@pytest.fixture(scope="session", params=NOTEBOOKS)
def chapter_run(request, jupyterlab, lab_browser, shots) -> ChapterRun:
    name = request.param
    rel = f"chapters/{name}"
    run = ChapterRun(name)
    page = lab_browser.new_page()
    page.on("console", lambda m: run.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: run.console.append(f"pageerror: {e}"))
    try:
        driver.open_notebook(page, jupyterlab, rel)
        nb = driver.read_notebook(jupyterlab.root / rel)
        run.on_open_markdown = page.evaluate(driver.JS_MARKDOWN_TEXT)
        run.solutions = driver.solution_cells(nb)
        run.solution_text = page.evaluate(driver.JS_VISIBLE_TEXT, run.solutions)
        # Open + save, nothing edited: the file must come back byte for byte.
        original = (CHAPTERS / name).read_text(encoding="utf-8")
        driver.command(page, "docmanager:save")  # resolves when the file is written
        saved = (jupyterlab.root / rel).read_text(encoding="utf-8")
        if saved != original:
            run.saved_diff = _json_diff(json.loads(original), json.loads(saved)) or ["formatting only (same JSON)"]
        try:
            run.final_state = driver.run_all(page)
        except AssertionError as exc:
            run.run_failure = str(exc)
        run.errors = page.evaluate(driver.JS_ERRORS)
        page.screenshot(path=str(shots / f"{name.removesuffix('.ipynb')}.png"))
        run.explorers = page.evaluate(driver.JS_EXPLORERS)
        for s in page.evaluate(driver.JS_SLIDERS):
            try:
                changed, before, _ = driver.figure_changes(page, s["i"], s["k"])
                s.update(changed=changed, figures=before["n"], error=None)
            except Exception as exc:  # noqa: BLE001 - reported by the slider test, the others still run
                s.update(changed=False, figures=None, error=f"could not move it: {str(exc).splitlines()[0]}")
            run.sliders.append(s)
        for n, i in enumerate(sorted({s["i"] for s in run.sliders})):
            driver.scroll_to(page, driver.cell_element(page, i))
            page.screenshot(path=str(shots / f"{name.removesuffix('.ipynb')}-explorer-{n + 1}-cell{i}.png"))
    except Exception as exc:  # noqa: BLE001 - one record per chapter: every test reports it, none re-runs it
        run.setup_error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        driver.close_notebook(page)
        page.close()
    return run


@pytest.fixture
def chapter(chapter_run) -> ChapterRun:
    if chapter_run.setup_error:
        pytest.fail(f"{chapter_run.name}: driving JupyterLab failed: {chapter_run.setup_error}")
    return chapter_run


def test_opens_and_saves_without_diff(chapter):
    """Opening a notebook in JupyterLab and saving it must not rewrite it (issue 11, item 8)."""
    assert not chapter.saved_diff, (f"{chapter.name}: open + save in JupyterLab rewrites the file:\n  "
                                    + "\n  ".join(chapter.saved_diff))


def test_run_all_without_error(chapter):
    assert chapter.run_failure is None, chapter.run_failure
    not_run = [c["i"] for c in chapter.final_state["cells"] if c["type"] == "code" and c["count"] is None]
    problems = [f"cell {e['i']}: {e['kind']}: {e['text']}" for e in chapter.errors]
    problems += [f"cell {i}: not executed by Run All" for i in not_run]
    assert not problems, f"{chapter.name} after Run All:\n  " + "\n  ".join(problems)


def test_no_raw_myst_visible(chapter):
    found = driver.raw_myst(chapter.on_open_markdown)
    assert not found, (f"{chapter.name}: raw MyST syntax visible in rendered markdown "
                       f"({len(found)} places):\n  " + "\n  ".join(found))


def test_cross_references_resolve(chapter):
    """jupyterlab-myst logs every reference it cannot resolve: a dead link for the student."""
    # Glossary links ({term}`entropy`) resolve only on the site: the chapters are separate
    # notebooks and the glossary page is not one, so jupyterlab-myst shows the word, underlined,
    # and logs it (tests/jupyterlab/test_glossary_terms.py checks it reads as plain text).
    missing = sorted({m.split("not found:", 1)[1].strip() for m in chapter.console
                      if "Cross reference target was not found" in m
                      and not m.split("not found:", 1)[1].strip().startswith("term-")})
    assert not missing, f"{chapter.name}: cross-references that do not resolve in JupyterLab: {missing}"


def test_solutions_hidden_on_open(chapter):
    shown = [f"cell {s['i']}: {s['text']!r}" for s in chapter.solution_text if s["text"]]
    assert not shown, (f"{chapter.name}: {len(shown)} of {len(chapter.solutions)} solution cells visible on open "
                       "(a solution is a cell between {solution-start} and {solution-end}, or tagged "
                       "'solution'):\n  " + "\n  ".join(shown))


@pytest.mark.parametrize("chapter_run", EXPLORER_CHAPTERS, indirect=True)
def test_every_slider_changes_its_figure(chapter):
    assert chapter.sliders, f"{chapter.name} has a live explorer but JupyterLab shows no slider after Run All"
    dead = [f"cell {s['i']} slider {s['k']} ({s['kind']}, {s['label']!r}): "
            + (s["error"] or ("no figure in its output" if not s["figures"] else "figure unchanged after moving it"))
            for s in chapter.sliders if not s["changed"]]
    assert not dead, f"{chapter.name}: sliders that move without effect:\n  " + "\n  ".join(dead)


@pytest.mark.parametrize("chapter_run", EXPLORER_CHAPTERS, indirect=True)
def test_slider_tracks_wide_enough(chapter):
    assert chapter.sliders, f"{chapter.name} has a live explorer but JupyterLab shows no slider after Run All"
    narrow = [f"cell {s['i']} slider {s['k']} ({s['label']!r}): {s['width']:.0f} px"
              for s in chapter.sliders if s["width"] < MIN_TRACK_PX]
    assert not narrow, (f"{chapter.name}: slider tracks under {MIN_TRACK_PX} px at 1366x768:\n  "
                        + "\n  ".join(narrow))


def test_the_explorer_chapters_are_found():
    """Guards the slider tests: without a chapter with a live explorer they would test nothing."""
    assert EXPLORER_CHAPTERS, "no chapter calls explorers.live(...): the slider tests would test nothing"


@pytest.mark.parametrize("chapter_run", EXPLORER_CHAPTERS, indirect=True)
def test_explorer_figures_shown_at_natural_size_and_sharp_at_2x(chapter):
    """Issue 11, item 4: not upscaled (shown <= drawn) and drawn with 2 device pixels per CSS pixel."""
    assert chapter.explorers, f"{chapter.name}: no live explorer after Run All"
    bad = []
    for e in chapter.explorers:
        if not e["natural"] or not e["shown"]:
            bad.append(f"cell {e['i']}: no figure")
            continue
        (nw, nh), (sw, sh) = e["natural"], e["shown"]
        if nw < 2 * sw - 2 or nh < 2 * sh - 2:
            bad.append(f"cell {e['i']}: drawn {nw}x{nh}, shown {sw:.0f}x{sh:.0f} (needs >= 2x the shown size)")
    assert not bad, f"{chapter.name}: explorer figures blurry or stretched:\n  " + "\n  ".join(bad)


@pytest.mark.parametrize("chapter_run", EXPLORER_CHAPTERS, indirect=True)
def test_explorer_fits_the_visible_notebook(chapter):
    """Issue 11, item 4: sliders and figure on screen together at 1366x768."""
    assert chapter.explorers, f"{chapter.name}: no live explorer after Run All"
    tall = [f"cell {e['i']}: {e['height']:.0f} px tall, {e['visible']:.0f} px visible"
            for e in chapter.explorers if e["height"] > e["visible"]]
    assert not tall, f"{chapter.name}: explorers taller than the visible notebook:\n  " + "\n  ".join(tall)
