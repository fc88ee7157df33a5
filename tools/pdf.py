#!/usr/bin/env python3
"""Write the whole course as one PDF: _build/pdf/cross-entropy-course.pdf.

    python3 tools/course.py pdf          # (runs this file inside .venv)

1. Sphinx's ``singlehtml`` builder (through jupyter-book, warnings are errors)
   puts every chapter into one HTML page; the notebooks' outputs come from
   the execution cache of the site build, so nothing is executed twice.
2. The page is copied next to its ``_static`` folder with every link between
   chapters turned into a link inside the page, and a table of contents
   (chapters and sections, linked) is put in front.
3. Debian's Chromium (the browser the tests use; nothing is downloaded) opens
   it from a local HTTP server at the width of the paper's text column, in
   light mode, waits until every web font (MathJax's, for the formulas that
   the build typeset, and the Chinese quotations' Noto Sans SC subset) has
   loaded (and the client-side MathJax of a build without Node is done)
   and every explorer has drawn its current frame, opens the solutions, then
   prints it with ``page.pdf``: A4, the course's print stylesheet
   (assets/custom.css, ``@media print``), page numbers, PDF bookmarks and
   tags.  No LaTeX.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "_build")
SINGLE = os.path.join(BUILD, "singlehtml")
OUT = os.path.join(BUILD, "pdf", "cross-entropy-course.pdf")
PRINT_PAGE = "course-print.html"
A4_TEXT_WIDTH_PX = 680  # 210 mm - 2 x 16 mm at 96 px per inch

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

TOC_AND_WAIT = r"""
async () => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main');
  // Solutions and other dropdowns open; toggled cells shown.
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('button.toggle-button').forEach(b => {
    if (b.getAttribute('aria-expanded') === 'false' || b.classList.contains('toggle-button-hidden')) { b.click(); }
  });
  // Chapters: singlehtml puts each document after <span id="document-NAME">;
  // the root document comes first, without one.  Section ids repeat across
  // chapters ("summary"): each repeated one gets its chapter's prefix, and
  // the chapter's own links to it follow.
  const chaptersList = [];
  const first = article.querySelector('section');
  if (first) { chaptersList.push({anchor: first.id, sec: first, slug: 'root'}); }
  document.querySelectorAll('span[id^="document-"]').forEach(span => {
    let sec = span.nextElementSibling;
    while (sec && sec.tagName !== 'SECTION') { sec = sec.nextElementSibling; }
    if (sec) { chaptersList.push({anchor: span.id, sec, slug: span.id.slice(9).replace(/[^\w-]+/g, '-')}); }
  });
  const count = {};
  document.querySelectorAll('[id]').forEach(el => { count[el.id] = (count[el.id] || 0) + 1; });
  chaptersList.forEach(ch => {
    ch.sec.querySelectorAll('section[id]').forEach(s => {
      if (count[s.id] > 1) {
        const old = s.id;
        s.id = ch.slug + '--' + old;
        ch.sec.querySelectorAll('a[href="#' + CSS.escape(old) + '"]').forEach(a => { a.setAttribute('href', '#' + s.id); });
      }
    });
  });
  const nav = document.createElement('nav');
  nav.id = 'course-pdf-toc';
  nav.innerHTML = '<h1>Contents</h1>';
  const list = document.createElement('ol');
  let chapters = 0;
  chaptersList.forEach(ch => {
    const h = ch.sec.querySelector(':scope > h1, :scope > h2');
    if (!h) { return; }
    chapters += 1;
    ch.sec.classList.add('course-pdf-chapter');
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = '#' + ch.anchor;
    a.textContent = h.textContent.replace(/#$/, '').trim();
    li.appendChild(a);
    const sub = document.createElement('ol');
    ch.sec.querySelectorAll(':scope > section').forEach(s => {
      const t = s.querySelector(':scope > h2, :scope > h3');
      if (!t || !s.id) { return; }
      const sl = document.createElement('li');
      const sa = document.createElement('a');
      sa.href = '#' + s.id;
      sa.textContent = t.textContent.replace(/#$/, '').trim();
      sl.appendChild(sa);
      sub.appendChild(sl);
    });
    if (sub.children.length) { li.appendChild(sub); }
    list.appendChild(li);
  });
  nav.appendChild(list);
  nav.style.breakAfter = 'page';
  article.insertBefore(nav, article.firstChild);
  if (document.fonts) { await document.fonts.ready; }
  if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; }
  return {chapters, explorers: document.querySelectorAll('.xe-explorer').length};
}
"""

STYLE = """
#course-pdf-toc ol { list-style: none; padding-left: 0; }
#course-pdf-toc ol ol { padding-left: 1.5em; margin-bottom: 0.4em; font-size: 0.95em; }
#course-pdf-toc a { text-decoration: none; }
#jb-print-docs-body { display: none !important; }
@media print { .bd-main .bd-content .bd-article h1:first-of-type { display: block !important; } }
@media print { span[id^="document-"] + section { break-before: page; } }
"""


def log(msg: str) -> None:
    print(f"[pdf] {msg}", flush=True)


def build_singlehtml() -> str:
    jb = os.path.join(os.path.dirname(sys.executable), "jupyter-book")
    cmd = [jb, "build", ROOT, "--builder", "singlehtml", "-W", "-n", "--keep-going"]
    log("$ " + " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in cmd))
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    rc = subprocess.call(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    if rc != 0:
        sys.exit(f"[pdf] the singlehtml build failed (exit {rc}); run the command above to see why")
    pages = [os.path.join(d, f) for d, _, fs in os.walk(SINGLE) for f in fs
             if f.endswith(".html") and "_static" not in d and f != PRINT_PAGE]
    page = max(pages, key=os.path.getsize)  # the one page with every chapter
    return page


def print_page(page: str) -> str:
    """The single page moved to the folder root, with links between chapters
    made internal (chapters/01_entropy.html#x -> #x)."""
    with open(page, encoding="utf-8") as fh:
        html = fh.read()
    ids = set(re.findall(r'\bid="([^"]+)"', html))

    def link(m):
        target, anchor = m.group(2), m.group(3)
        if anchor and anchor in ids:
            return f'{m.group(1)}"#{anchor}"'
        doc = "document-chapters/" + target.rsplit("/", 1)[-1].removesuffix(".html")
        return f'{m.group(1)}"#{doc}"' if doc in ids else m.group(0)

    html = re.sub(r'(href=)"((?:\.\./|\./)?(?:chapters/)?[\w-]+\.html)(?:#([^"]*))?"', link, html)
    rel = os.path.relpath(os.path.dirname(page), SINGLE)
    if rel != ".":  # assets are addressed from the folder root already in singlehtml
        html = html.replace('href="../_static/', 'href="_static/').replace('src="../_static/', 'src="_static/')
    html = html.replace("</head>", f"<style>{STYLE}</style>\n</head>", 1)
    target = os.path.join(SINGLE, PRINT_PAGE)
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(html)
    return target


def chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        sys.exit("[pdf] Debian's chromium is needed (apt-get install chromium); nothing is downloaded")
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def make_pdf(out: str) -> dict:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=SINGLE)
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{PRINT_PAGE}"
    errors: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile, executable_path=chromium(), args=CHROMIUM_ARGS, headless=True,
                viewport={"width": A4_TEXT_WIDTH_PX, "height": 1000}, color_scheme="light")
            ctx.add_init_script("try { localStorage.setItem('mode', 'light'); } catch (e) {}")
            page = ctx.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
            page.goto(url, wait_until="load", timeout=180_000)
            info = page.evaluate(TOC_AND_WAIT)
            # figures and explorers load when a reader scrolls near them: all of them now
            page.evaluate("() => { document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; });"
                          " if (window.courseLoadPlotly) { window.courseLoadPlotly(); } }")
            page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=120_000)
            if info["explorers"]:
                page.wait_for_function(
                    "document.querySelectorAll('.xe-explorer[data-ready=\"true\"]').length"
                    " === document.querySelectorAll('.xe-explorer').length", timeout=120_000)
            page.emulate_media(media="print")
            page.wait_for_timeout(500)
            page.evaluate("() => window.courseFitEquations && window.courseFitEquations()")
            raw = page.evaluate("() => Array.from(document.querySelectorAll('.math'))"
                                ".filter(el => !el.querySelector('mjx-container')).length")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            page.pdf(path=out, format="A4", print_background=True, outline=True, tagged=True,
                     margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                     display_header_footer=True, header_template="<span></span>",
                     footer_template='<div style="font-size:8px;width:100%;text-align:center;color:#555">'
                                     '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
            ctx.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    info.update(unrendered=raw, errors=errors)
    return info


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=OUT, help="where to write the PDF")
    ap.add_argument("--no-build", action="store_true", help="reuse _build/singlehtml")
    args = ap.parse_args(argv)
    page = build_singlehtml() if not args.no_build else None
    if page is None:
        pages = [os.path.join(d, f) for d, _, fs in os.walk(SINGLE) for f in fs
                 if f.endswith(".html") and "_static" not in d and f != PRINT_PAGE]
        page = max(pages, key=os.path.getsize)
    info = make_pdf(args.out) if print_page(page) else {}
    if info.get("errors"):
        log("problems while loading: " + "; ".join(info["errors"][:5]))
        return 1
    if info.get("unrendered"):
        log(f"{info['unrendered']} formula(s) not typeset")
        return 1
    log(f"{info['chapters']} chapters, {info['explorers']} explorers: wrote {os.path.relpath(args.out, ROOT)} "
        f"({os.path.getsize(args.out) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
