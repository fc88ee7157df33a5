"""Drive a notebook in JupyterLab through its own commands and read what it shows.

All reading is done in the page (``page.evaluate``) on the rendered DOM, so
the checks see what a student sees.  Cell indices are the notebook's own
(0-based), the same as in ``nbformat.read(...).cells``.
"""
from __future__ import annotations

import json
import pathlib
import re
import time

import nbformat

OPEN_TIMEOUT_MS = 60_000
RUN_ALL_TIMEOUT_S = 240

START_RE = re.compile(r"^\s*```+\{solution-start\}")
END_RE = re.compile(r"^\s*```+\{solution-end\}")


def source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def solution_cells(nb) -> list[int]:
    """Indices of the cells that hold a solution.

    A solution is (a) every cell strictly between a markdown cell opening with
    ```` ```{solution-start} ```` and the next ```` ```{solution-end} ````
    (the gated form the course and sphinx-exercise use), or (b) a cell tagged
    ``solution``.  The marker cells themselves hold no answer; whether they
    show raw syntax is the raw-MyST check's business."""
    out, inside = [], False
    for i, cell in enumerate(nb.cells):
        src = source(cell)
        if cell.cell_type == "markdown" and START_RE.match(src):
            inside = True
            continue
        if cell.cell_type == "markdown" and END_RE.match(src):
            inside = False
            continue
        if inside or "solution" in cell.metadata.get("tags", []):
            out.append(i)
    return out


def read_notebook(path: pathlib.Path):
    return nbformat.read(str(path), as_version=4)


# --- in-page helpers -------------------------------------------------------

JS_PANEL = """
() => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  return !!(w && w.content && w.content.widgets);
}
"""

JS_STATE = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const ctx = panel.sessionContext;
  const kernel = ctx.session && ctx.session.kernel;
  const cells = panel.content.widgets.map((c, i) => ({
    i, type: c.model.type,
    count: c.model.type === 'code' ? c.model.executionCount : null,
    busy: c.model.type === 'code' && !!(c.promptNode && c.promptNode.textContent.includes('*')),
  }));
  return {kernel: kernel ? kernel.status : null, ready: panel.context.isReady, cells};
}
"""

JS_COMMAND = "async (args) => { await window.jupyterapp.commands.execute(args[0], args[1] || {}); return true; }"


def open_notebook(page, lab, rel: str) -> None:
    """Open ``rel`` (relative to the served folder) in JupyterLab and wait until
    its kernel is idle and every markdown cell has rendered."""
    # ?reset: start from an empty workspace, not with the notebooks of the previous page
    page.goto(lab.url(f"lab/tree/{rel}?reset"), wait_until="domcontentloaded")
    page.wait_for_function(JS_PANEL, timeout=OPEN_TIMEOUT_MS)
    wait_kernel_idle(page, timeout_s=OPEN_TIMEOUT_MS / 1000)
    # Markdown (MyST, math) renders asynchronously: wait until every rendered
    # markdown cell has its rendered content (bounded), then a little more.
    page.wait_for_function(JS_MARKDOWN_DONE, timeout=OPEN_TIMEOUT_MS)
    page.wait_for_timeout(1000)


JS_MARKDOWN_DONE = """
() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter(c => c.model.type === 'markdown' && c.rendered && !c.inputHidden)
  .every(c => c.node.querySelector('.myst, .jp-RenderedMarkdown'))
"""


def cell_element(page, i: int):
    """The DOM element of cell ``i`` (by the notebook's own index)."""
    return page.evaluate_handle("(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].node", i).as_element()


def scroll_to(page, element) -> None:
    element.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)


JS_CLOSE = """
async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.sessionContext) return false;
  await panel.sessionContext.shutdown();
  panel.context.model.dirty = false;
  panel.dispose();
  return true;
}
"""


def close_notebook(page) -> None:
    """Shut the notebook's kernel down and close it (no dialog), so the next
    page's workspace does not reopen it and no kernel is left running."""
    try:
        page.evaluate(JS_CLOSE)
    except Exception:  # noqa: BLE001 - best effort; the server's shutdown stops every kernel anyway
        pass


def wait_kernel_idle(page, timeout_s: float) -> dict:
    deadline = time.monotonic() + timeout_s
    state = None
    while time.monotonic() < deadline:
        state = page.evaluate(JS_STATE)
        if state["ready"] and state["kernel"] == "idle" and not any(c["busy"] for c in state["cells"]):
            return state
        page.wait_for_timeout(250)
    raise AssertionError(f"kernel not idle after {timeout_s:.0f} s (status {state and state['kernel']})")


def command(page, name: str, args: dict | None = None):
    return page.evaluate(JS_COMMAND, [name, args or {}])


def run_all(page, timeout_s: float = RUN_ALL_TIMEOUT_S) -> dict:
    """Clear the outputs, Run All, and wait (bounded) until JupyterLab says the
    run is over and the kernel is idle; returns the final state, in which
    every code cell that ran has an execution count."""
    command(page, "notebook:clear-all-cell-outputs")
    page.evaluate(JS_START_RUN_ALL)
    deadline = time.monotonic() + timeout_s
    state = None
    while time.monotonic() < deadline:
        done = page.evaluate("() => window.__xentRunAll")
        if done != "running":
            state = wait_kernel_idle(page, timeout_s=max(5.0, deadline - time.monotonic()))
            if done != "done":
                raise AssertionError(f"Run All failed in JupyterLab: {done}")
            break
        page.wait_for_timeout(250)
    else:
        raise AssertionError(f"Run All did not finish within {timeout_s:.0f} s: {page.evaluate(JS_STATE)}")
    page.wait_for_timeout(1000)  # let widget views and images render
    return state


JS_START_RUN_ALL = """
() => {
  window.__xentRunAll = 'running';
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    () => { window.__xentRunAll = 'done'; }, e => { window.__xentRunAll = 'error: ' + e; });
  return true;
}
"""


# Error outputs: the kernel's error output (traceback) or anything written to stderr.
JS_ERRORS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const out = [];
  panel.content.widgets.forEach((c, i) => {
    if (c.model.type !== 'code') return;
    const outputs = c.model.outputs;
    for (let k = 0; k < outputs.length; k++) {
      const o = outputs.get(k);
      if (o.type === 'error') {
        out.push({i, kind: 'error', text: (o.toJSON().ename || '') + ': ' + (o.toJSON().evalue || '')});
      } else if (o.type === 'stream' && o.toJSON().name === 'stderr') {
        out.push({i, kind: 'stderr', text: String(o.toJSON().text).slice(0, 300)});
      }
    }
  });
  document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').forEach(el => {
    const cell = el.closest('.jp-Cell');
    const i = [...cell.parentElement.children].filter(e => e.classList.contains('jp-Cell')).indexOf(cell);
    out.push({i, kind: 'stderr (shown)', text: el.innerText.slice(0, 300)});
  });
  return out;
}
"""

# Raw MyST in rendered markdown: text nodes outside math and outside <summary>.
MYST_PATTERNS = [
    ("code fence of a directive", r"```\s*\{[a-z]"),
    ("directive name", r"\{(exercise|solution|solution-start|solution-end|admonition|note|warning|tip|important|hint|seealso|caution|attention|danger|error|dropdown|figure|code-cell|glue|math|eq|doc|ref|numref|term|download|cite|abbr|sub|sup|prf:[a-z]+)\}"),
    ("directive option", r"(^|\n)\s*:(label|class|name|nonumber|hidden|open|width|align|alt):\s"),
    ("label target", r"(^|\s)\([A-Za-z][\w.-]*\)="),
    ("raw math", r"\$[^$\s][^$]*\$"),
    ("raw bold", r"\*\*[^*\s][^*]*\*\*"),
]

JS_MARKDOWN_TEXT = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const out = [];
  panel.content.widgets.forEach((c, i) => {
    if (c.model.type !== 'markdown') return;
    // A collapsed cell (a solution, jupyter.source_hidden) shows no markdown until opened.
    if (c.inputHidden) { out.push({i, rendered: true, collapsed: true, text: ''}); return; }
    const rendered = c.node.querySelector('.myst, .jp-MarkdownOutput, .jp-RenderedMarkdown');
    if (!rendered || !c.rendered) { out.push({i, rendered: false, text: ''}); return; }
    const parts = [];
    const walker = document.createTreeWalker(rendered, NodeFilter.SHOW_TEXT);
    let block = null;
    while (walker.nextNode()) {
      const t = walker.currentNode;
      const el = t.parentElement;
      if (!el || el.closest('mjx-container, .MathJax, mjx-assistive-mml, .katex, script, style')) continue;
      if (!el.checkVisibility()) continue;
      const b = el.closest('p, li, pre, h1, h2, h3, h4, h5, h6, td, th, div, summary, blockquote');
      if (block !== null && b !== block) parts.push('\\n');
      block = b;
      parts.push(t.textContent);
    }
    out.push({i, rendered: true, text: parts.join('')});
  });
  return out;
}
"""


def raw_myst(texts: list[dict]) -> list[str]:
    """'cell N: <kind>: …snippet…' for every raw MyST pattern found."""
    found = []
    for cell in texts:
        if not cell["rendered"]:
            found.append(f"cell {cell['i']}: markdown cell not rendered")
            continue
        for kind, pattern in MYST_PATTERNS:
            m = re.search(pattern, cell["text"])
            if m:
                a, b = max(0, m.start() - 30), min(len(cell["text"]), m.end() + 30)
                snippet = cell["text"][a:b].replace("\n", "⏎")
                found.append(f"cell {cell['i']}: {kind}: …{snippet}…")
    return found


# Visible text of given cells (input and outputs), ignoring prompts, collapsers
# and placeholders, and the <summary> of a closed <details>.
JS_VISIBLE_TEXT = """
(indices) => {
  const panel = window.jupyterapp.shell.currentWidget;
  return indices.map(i => {
    const c = panel.content.widgets[i];
    if (!c) return {i, text: '(no such cell)'};
    const parts = [];
    const walker = document.createTreeWalker(c.node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const t = walker.currentNode;
      const el = t.parentElement;
      if (!el || !t.textContent.trim()) continue;
      if (el.closest('.jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser, .jp-InputPlaceholder, .jp-OutputPlaceholder, summary, .jp-cell-toolbar, .jp-Toolbar, mjx-assistive-mml, .katex-mathml')) continue;
      if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      parts.push(t.textContent.trim());
    }
    return {i, text: parts.join(' ').slice(0, 120)};
  });
}
"""

# Every slider in the outputs: ipywidgets' noUiSlider or a plain range input.
JS_SLIDERS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.widgets;
  const out = [];
  cells.forEach((c, i) => {
    if (c.model.type !== 'code') return;
    const area = c.node.querySelector('.jp-OutputArea');
    if (!area) return;
    const tracks = [...area.querySelectorAll('.noUi-target, input[type=range]')];
    tracks.forEach((t, k) => {
      const r = t.getBoundingClientRect();
      const row = t.closest('.widget-slider, .jupyter-widgets, label, div');
      const lab = t.closest('.widget-slider') ? (t.closest('.widget-slider').querySelector('.widget-label') || {}).textContent
                : (t.getAttribute('aria-label') || (t.labels && t.labels[0] && t.labels[0].textContent) || '');
      out.push({i, k, kind: t.matches('input') ? 'range' : 'nouislider', label: (lab || '').trim(),
                width: r.width, visible: t.checkVisibility() && r.width > 0});
    });
  });
  return out;
}
"""

# A fingerprint of the figures in cell i's outputs: <img> sources, <svg> markup, canvases.
JS_FIGURE = """
(i) => {
  const c = window.jupyterapp.shell.currentWidget.content.widgets[i];
  const area = c.node.querySelector('.jp-OutputArea');
  const parts = [];
  area.querySelectorAll('img').forEach(im => parts.push('img:' + im.src.length + ':' + im.src.slice(-200)));
  area.querySelectorAll('svg').forEach(s => { if (s.getBoundingClientRect().width > 80) parts.push('svg:' + s.innerHTML.length + ':' + s.innerHTML.slice(-300)); });
  area.querySelectorAll('canvas').forEach(cv => { try { parts.push('canvas:' + cv.toDataURL().slice(-200)); } catch (e) { parts.push('canvas'); } });
  const imgs = [...area.querySelectorAll('img, svg, canvas')].filter(e => e.getBoundingClientRect().width > 80);
  return {n: imgs.length, sig: parts.join('|')};
}
"""


def move_slider(page, cell: int, k: int) -> None:
    """Move slider k of cell ``cell`` with the mouse: click its track away from
    the handle (a third of the way if the handle is right of centre, else two
    thirds)."""
    el = page.evaluate_handle("""([i, k]) => window.jupyterapp.shell.currentWidget.content.widgets[i].node
        .querySelector('.jp-OutputArea').querySelectorAll('.noUi-target, input[type=range]')[k]""", [cell, k]).as_element()
    if el is None:
        raise AssertionError("slider element gone")
    scroll_to(page, el)
    box = el.bounding_box()
    if not box or box["width"] == 0:
        raise AssertionError("slider has no box on screen")
    frac = el.evaluate("""e => {
        const h = e.querySelector('.noUi-handle');
        let at;
        if (h) { const r = e.getBoundingClientRect(), q = h.getBoundingClientRect(); at = (q.left + q.width / 2 - r.left) / r.width; }
        else { at = (e.value - e.min) / ((e.max - e.min) || 1); }
        return at > 0.5 ? 1 / 3 : 2 / 3; }""")
    page.mouse.click(box["x"] + frac * box["width"], box["y"] + box["height"] / 2)


def figure_changes(page, cell: int, k: int, timeout_ms: int = 5000) -> tuple[bool, dict, dict]:
    before = page.evaluate(JS_FIGURE, cell)
    move_slider(page, cell, k)
    waited = 0
    after = before
    while waited < timeout_ms:
        page.wait_for_timeout(250)
        waited += 250
        after = page.evaluate(JS_FIGURE, cell)
        if after["sig"] != before["sig"]:
            return True, before, after
    return False, before, after


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)


# The live explorers' boxes: the figure's drawn (natural) and shown sizes, the widget's
# height and the height of the notebook's visible area.
JS_EXPLORERS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const visible = panel.content.node.getBoundingClientRect().height;
  const out = [];
  panel.content.widgets.forEach((c, i) => {
    if (c.model.type !== 'code') return;
    const area = c.node.querySelector('.jp-OutputArea');
    if (!area || !area.querySelector('.noUi-target, input[type=range]')) return;
    const box = area.querySelector('.jupyter-widgets.widget-container, .jupyter-widgets') || area;
    const img = area.querySelector('img');
    const r = img ? img.getBoundingClientRect() : null;
    out.push({i, visible, height: box.getBoundingClientRect().height,
              natural: img ? [img.naturalWidth, img.naturalHeight] : null,
              shown: r ? [r.width, r.height] : null});
  });
  return out;
}
"""
