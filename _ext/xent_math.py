"""Sphinx extension: the formulas are typeset when the site is built, not in the reader's browser.

Every page used to load MathJax 3 (startup, core, TeX input, CHTML output,
its font data and the assistive MathML: about 760 KB of JavaScript) to typeset
its formulas.  Now, when the HTML build (``html`` and the ``singlehtml`` of
tools/pdf.py) has finished, each written page's TeX is turned into MathJax's
own CHTML markup (``<mjx-container>``, the same look and the same web fonts,
with the hidden MathML that screen readers read) by MathJax's Node package:

* ``mathjax-full`` from the npm registry, fetched once with ``npm pack``,
  checked against a pinned sha512 and unpacked into ``_build/.vendor-cache``
  (as _ext/xent_assets.py does for plotly.js), run by the machine's ``node``
  in one process per build (_ext/xent_math.js) for every formula of the site;
* the TeX is found as MathJax finds it in a page: ``\\(...\\)``, ``\\[...\\]``,
  ``$$...$$``, ``\\begin{env}...\\end{env}``, ``\\$`` escapes, in the text
  of the page body outside ``pre``/``code``/``script``..., honouring the
  ``processHtmlClass``/``ignoreHtmlClass`` options and the ``tex`` options
  (macros, delimiters, tags) of ``mathjax3_config``;
* inline math and the punctuation right after it (``.,;:!?)`` and CJK
  ``，。；：）``) are wrapped together in ``<span class="xe-nowrap">``
  (assets/custom.css), so a line never starts with that punctuation;
* one stylesheet for the whole site, ``_static/xent-math.css`` (MathJax's CSS
  for exactly the characters used, its @font-face rules pointing at the WOFF
  fonts of sphinx-mathjax-offline in ``_static/mathjax/output/chtml/fonts/woff-v2``),
  linked from every page that has math; MathJax's scripts are no longer added
  to the pages and its other files are removed from the site;
* a TeX error fails the build (a warning naming the page and the formula)
  instead of showing a red box; an undefined macro (``\\Hent``) is such an
  error: _ext/xent_math.js leaves out MathJax's ``noundefined`` package, which
  would draw the macro's name in red instead (tests/test_math_errors.py).

The list of each page's formulas is kept in ``_build/.xent-math/<builder>.json``
(with counts: the tests read it), so an incremental build, which rewrites only
some pages, still writes a stylesheet for every page.

Without ``node`` (or without npm and the cached package) the build logs an
info message and the pages keep the client-side MathJax as before.
"""
from __future__ import annotations

import hashlib
import html as htmllib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile

from sphinx.util import logging
from xent_assets import npm_tarball

logger = logging.getLogger(__name__)

MATHJAX_PACKAGE = "mathjax-full"
#: The same MathJax version as the fonts that sphinx-mathjax-offline ships.
MATHJAX_VERSION = "3.2.2"
MATHJAX_INTEGRITY = "sha512-+LfG9Fik+OuI8SLwsiR02IVdjcnRCy5MufYLi0C3TdMT56L/pjB0alMVGgoWJF8pN9Rc7FESycZB9BMNWIid5w=="
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xent_math.js")
STYLESHEET = "xent-math.css"
#: Relative to the stylesheet (in _static): sphinx-mathjax-offline's copy.
FONT_URL = "mathjax/output/chtml/fonts/woff-v2"
#: In the browser MathJax scales its fonts so that their x-height matches the
#: text's (matchFontHeight): in Chromium with the theme's system font stack
#: that is 127.3 %.  Built pages cannot measure, so the stylesheet sets it.
FONT_SCALE = "127.3%"
#: Punctuation kept on the line of the formula before it.
PUNCTUATION = ".,;:!?)\uFF0C\u3002\uFF1B\uFF1A\uFF09"

# ------------------------------------------------------------ finding the TeX
TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr"}
RAW_TEXT = {"script", "style", "textarea", "title"}
#: MathJax's default skipHtmlTags.
SKIP_TAGS = ("script", "noscript", "style", "textarea", "pre", "code", "annotation", "annotation-xml")
#: MathJax's defaults for the tex options that say what TeX in a page looks like.
TEX_DEFAULTS = {
    "inlineMath": [["\\(", "\\)"]],
    "displayMath": [["$$", "$$"], ["\\[", "\\]"]],
    "processEscapes": True,
    "processEnvironments": True,
    "processRefs": True,
}


class Finder:
    """Where MathJax would find TeX in a page (its FindTeX and HTMLDomStrings
    rules): math never spans an element boundary, a skipped tag's subtree is
    never looked at, an ignored class hides a subtree unless a descendant has
    a process class."""

    def __init__(self, mathjax3_config: dict | None = None):
        cfg = mathjax3_config or {}
        tex = {**TEX_DEFAULTS, **(cfg.get("tex") or {})}
        opts = cfg.get("options") or {}
        self.process = re.compile(r"(?:^|\s)(?:" + opts.get("processHtmlClass", "mathjax_process") + r")(?:\s|$)")
        self.ignore = re.compile(r"(?:^|\s)(?:" + opts.get("ignoreHtmlClass", "mathjax_ignore") + r")(?:\s|$)")
        skip = opts.get("skipHtmlTags", SKIP_TAGS)
        if isinstance(skip, dict):  # {"[-]": [...], "[+]": [...]}
            skip = [t for t in SKIP_TAGS if t not in skip.get("[-]", [])] + list(skip.get("[+]", []))
        self.skip = {t.lower() for t in skip}
        self.end: dict[str, tuple[str, bool]] = {}
        starts = []
        for delims, display in ((tex["inlineMath"], False), (tex["displayMath"], True)):
            for open_, close in delims:
                starts.append(open_)
                self.end[open_] = (close, display)
        parts = ["|".join(re.escape(s) for s in sorted(starts, key=len, reverse=True))] if starts else []
        self.env_group = self.sub_group = 0
        group = 1
        if tex["processEnvironments"]:
            parts.append(r"\\begin\s*\{([^}]*)\}")
            self.env_group = group
            group += 1
        subs = []
        if tex["processEscapes"]:
            subs.append(r"\\[\\$]")
        if tex["processRefs"]:
            subs.append(r"\\(?:eq)?ref\s*\{[^}]*\}")
        if subs:
            parts.append("(" + "|".join(subs) + ")")
            self.sub_group = group
        self.start = re.compile("|".join(parts)) if parts else None

    def _find_end(self, text: str, begin: int, close: str, pattern: re.Pattern) -> re.Match | None:
        braces = 0
        for m in pattern.finditer(text, begin):
            if (m.group(1) if m.lastindex else m.group(0)) == close and braces == 0:
                return m
            if m.group(0) == "{":
                braces += 1
            elif m.group(0) == "}" and braces:
                braces -= 1
        return None

    def in_text(self, text: str, offset: int = 0) -> list[tuple[int, int, str, bool | None]]:
        """(start, end, tex, display) of each formula of one text run (still
        HTML-escaped); display None: an escape (``\\$``) standing for a character."""
        out: list[tuple[int, int, str, bool | None]] = []
        if self.start is None:
            return out
        pos = 0
        while True:
            s = self.start.search(text, pos)
            if not s:
                return out
            found = None
            if self.env_group and s.group(self.env_group) is not None:
                env = s.group(self.env_group)
                pat = re.compile(r"\\end\s*(\{" + re.escape(env) + r"\})|\\.|[{}]")
                e = self._find_end(text, s.end(), "{" + env + "}", pat)
                if e:
                    found = (s.start(), e.end(), text[s.start():e.end()], True)
            elif self.sub_group and s.group(self.sub_group) is not None:
                sub = s.group(self.sub_group)
                found = (s.start(), s.end(), sub[1:], None) if len(sub) == 2 else (s.start(), s.end(), sub, False)
            else:
                close, display = self.end[s.group(0)]
                pat = re.compile(re.escape(close) + r"|\\.|[{}]")
                e = self._find_end(text, s.end(), close, pat)
                if e:
                    found = (s.start(), e.end(), text[s.end():e.start()], display)
            if found:
                out.append((found[0] + offset, found[1] + offset, found[2], found[3]))
                pos = found[1]
            else:
                pos = s.start() + 1

    def in_page(self, page: str) -> list[tuple[int, int, str, bool | None]]:
        """Every formula of a page's body, with its position in the page."""
        body = page.find("<body")
        pos = max(body, 0)
        found: list[tuple[int, int, str, bool | None]] = []
        stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, ignored) of the parent
        skipped = ignored = False
        run_start = pos  # text runs are joined across <br>, <wbr> and comments in MathJax;
        # here a formula must lie inside one run between two tags
        while True:
            m = TAG.search(page, pos)
            end = m.start() if m else len(page)
            if end > run_start and not skipped and not ignored:
                found += self.in_text(page[run_start:end], run_start)
            if not m:
                return found
            pos = run_start = m.end()
            if m.group(0).startswith("<!--"):
                continue
            closing, name = m.group(1), m.group(2).lower()
            if closing:
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i][0] == name:
                        _, skipped, ignored = stack[i]
                        del stack[i:]
                        break
                continue
            if name in VOID or m.group(3).rstrip().endswith("/"):
                continue
            c = CLASS_ATTR.search(m.group(3))
            cls = next((g for g in c.groups() if g is not None), "") if c else ""
            process = bool(self.process.search(cls))
            stack.append((name, skipped, ignored))
            if name in self.skip and not process:
                skipped = True
            ignored = (ignored or bool(self.ignore.search(cls))) and not process
            if name in RAW_TEXT:  # the content is not markup: jump to the end tag
                close = re.compile(r"</" + name + r"\s*>", re.I).search(page, m.end())
                pos = run_start = close.start() if close else len(page)


# ------------------------------------------------------------ rewriting a page
MATHJAX_SCRIPTS = re.compile(r'[ \t]*<script>window\.MathJax = .*?</script>\n?'
                             r'|[ \t]*<script [^>]*src="[^"]*_static/mathjax/[^"]*"[^>]*></script>\n?')
INLINE = (r'<mjx-container (?![^>]*\bdisplay="true")[^>]*>'
          r'[^<]*(?:<(?!/mjx-container>)[^<]*)*</mjx-container>')
NOWRAP = re.compile(r'(?<!<span class="xe-nowrap">)'
                    r'((?:<span class="math notranslate nohighlight">' + INLINE + r'</span>)|' + INLINE + r')'
                    r'([' + re.escape(PUNCTUATION) + r']+)')


def nowrap_punctuation(page: str) -> str:
    """Inline math and the punctuation directly after it in one unbreakable span."""
    return NOWRAP.sub(r'<span class="xe-nowrap">\1\2</span>', page)


def rewrite(page: str, found, rendered: list[str], stylesheet_href: str) -> str:
    """The page with each formula of ``found`` replaced by its markup (the
    escapes by their character), the punctuation kept with inline math, no
    MathJax script, and a link to the math stylesheet."""
    out, last, k = [], 0, 0
    for start, end, _tex, display in found:
        out.append(page[last:start])
        if display is None:
            out.append(htmllib.escape(_tex, quote=False))
        else:
            out.append(rendered[k])
            k += 1
        last = end
    out.append(page[last:])
    new = nowrap_punctuation("".join(out))
    new = MATHJAX_SCRIPTS.sub("", new)
    if "<mjx-container" in new and STYLESHEET not in new.split("</head>", 1)[0]:
        link = f'<link rel="stylesheet" type="text/css" href="{stylesheet_href}" />\n'
        new = new.replace("</head>", link + "</head>", 1)
    return new


# ------------------------------------------------------------ MathJax's package
def _npm_package(cache: str) -> str | None:
    """The unpacked ``mathjax-full`` package (its es5 folder and licence),
    fetched once with `npm pack` and checked against the pinned sha512; None
    when it is not cached and npm or the registry is not available."""
    target = os.path.join(cache, f"{MATHJAX_PACKAGE}-{MATHJAX_VERSION}")
    if os.path.exists(os.path.join(target, "es5", "node-main.js")):
        return target
    tarball = npm_tarball(cache, MATHJAX_PACKAGE, MATHJAX_VERSION, MATHJAX_INTEGRITY)
    if tarball is None:
        return None
    part = target + ".part"
    shutil.rmtree(part, ignore_errors=True)
    with tarfile.open(tarball) as tf:
        members = [m for m in tf.getmembers()
                   if (m.name.startswith("package/es5/") and not m.name.startswith("package/es5/sre/"))
                   or m.name in ("package/LICENSE", "package/package.json")]
        for m in members:
            if not m.isfile():
                continue
            out = os.path.join(part, m.name[len("package/"):])
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with tf.extractfile(m) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(part, target)
    return target


def _state_path(app) -> str:
    return os.path.join(os.path.dirname(app.outdir), ".xent-math", os.path.basename(app.outdir) + ".json")


def _renderer_key(app) -> str:
    cfg = app.config.mathjax3_config or {}
    with open(SCRIPT, "rb") as fh:
        script = hashlib.sha256(fh.read()).hexdigest()[:12]
    return hashlib.sha256(json.dumps([MATHJAX_VERSION, script, FONT_SCALE, cfg.get("tex"), cfg.get("chtml"),
                                      cfg.get("options")], sort_keys=True).encode()).hexdigest()[:16]


def _load_state(app) -> dict:
    try:
        with open(_state_path(app), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def _save_state(app, state: dict) -> None:
    path = _state_path(app)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".part", "w", encoding="utf-8") as fh:
        json.dump(state, fh, ensure_ascii=False, sort_keys=True)
    os.replace(path + ".part", path)


# ------------------------------------------------------------ the hooks
def _init(app):
    app._xent_math = None
    if app.builder.format != "html" or getattr(app.builder, "math_renderer_name", None) != "mathjax":
        return
    node = shutil.which("node")
    package = _npm_package(os.path.join(os.path.dirname(app.doctreedir), ".vendor-cache")) if node else None
    if not node or not package:
        why = "node is not on PATH" if not node else f"npm pack {MATHJAX_PACKAGE}@{MATHJAX_VERSION} not available"
        logger.info(f"[xent_math] {why}: the pages typeset their formulas with the client-side MathJax")
        _save_state(app, {"prerendered": False, "reason": why})
        return
    app._xent_math = (node, package)
    # Sphinx's mathjax extension adds MathJax's config and startup.js to every
    # page with math: nothing to load now (the markup is written at the end).
    for listener in list(app.events.listeners.get("html-page-context", [])):
        if getattr(listener.handler, "__qualname__", "") == "install_mathjax":
            app.disconnect(listener.id)


def _outdated(app, env, added, changed, removed):
    """A page written by a build without prerendering, or by another MathJax
    setup, is written again (its formulas are not in the state file)."""
    if getattr(app, "_xent_math", None) is None:
        return []
    state = _load_state(app)
    if state.get("prerendered") and state.get("renderer") == _renderer_key(app):
        return []
    return sorted(set(env.found_docs) - set(added) - set(changed))


def _typeset(app, exc):
    if exc is not None or getattr(app, "_xent_math", None) is None:
        return
    node, package = app._xent_math
    outdir = app.outdir
    finder = Finder(app.config.mathjax3_config)
    state = _load_state(app)
    if state.get("renderer") != _renderer_key(app):
        state = {}
    known = state.get("pages", {})
    pages = {}
    for folder, dirs, files in os.walk(outdir):
        dirs[:] = [d for d in dirs if d not in ("_static", "_sources", "_images")]
        for f in files:
            if f.endswith(".html"):
                pages[os.path.relpath(os.path.join(folder, f), outdir).replace(os.sep, "/")] = None
    todo = {}
    for rel in pages:
        with open(os.path.join(outdir, rel), encoding="utf-8") as fh:
            text = fh.read()
        found = finder.in_page(text)
        if found or MATHJAX_SCRIPTS.search(text):
            todo[rel] = (text, found)
            known[rel] = [[tex, display] for _, _, tex, display in found if display is not None]
        elif "<mjx-container" not in text:  # written again, without math now
            known.pop(rel, None)
    known = {rel: items for rel, items in known.items() if rel in pages and items}
    names = sorted(known)
    job = {"config": {"tex": (app.config.mathjax3_config or {}).get("tex") or {},
                      "chtml": {**((app.config.mathjax3_config or {}).get("chtml") or {}), "fontURL": FONT_URL}},
           "pages": [{"name": rel, "items": [[htmllib.unescape(t), d] for t, d in known[rel]]} for rel in names]}
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.json"), os.path.join(tmp, "out.json")
        with open(src, "w", encoding="utf-8") as fh:
            json.dump(job, fh)
        proc = subprocess.run([node, SCRIPT, package, src, dst], capture_output=True, text=True)
        if proc.returncode != 0 or not os.path.exists(dst):
            raise RuntimeError(f"[xent_math] MathJax in node failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
        with open(dst, encoding="utf-8") as fh:
            result = json.load(fh)
    for p, i, message in result["errors"]:
        logger.warning(f"TeX error in {names[p]}: {htmllib.unescape(message)} in {known[names[p]][i][0]!r}",
                       type="xent_math", subtype="tex")
    rendered = dict(zip(names, result["pages"], strict=True))
    static = os.path.join(outdir, "_static")
    css = result["css"] + f'\nmjx-container[jax="CHTML"] {{\n  font-size: {FONT_SCALE};\n}}\n'
    os.makedirs(static, exist_ok=True)
    target = os.path.join(static, STYLESHEET)
    old = None
    if os.path.exists(target):
        with open(target, encoding="utf-8") as fh:
            old = fh.read()
    if old != css:
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(css)
    for rel, (text, found) in todo.items():
        depth = rel.count("/")
        href = "../" * depth + "_static/" + STYLESHEET
        new = rewrite(text, found, rendered.get(rel, []), href)
        if new != text:
            with open(os.path.join(outdir, rel), "w", encoding="utf-8") as fh:
                fh.write(new)
    _save_state(app, {"prerendered": True, "renderer": _renderer_key(app),
                      "mathjax": f"{MATHJAX_PACKAGE}@{MATHJAX_VERSION}", "stylesheet": f"_static/{STYLESHEET}",
                      "formulas": sum(len(v) for v in known.values()),
                      "counts": {rel: len(v) for rel, v in known.items()}, "pages": known})


def _linked(outdir: str) -> bool:
    """Whether some page of the site links the math stylesheet."""
    for folder, _dirs, files in os.walk(outdir):
        for f in files:
            if f.endswith(".html"):
                with open(os.path.join(folder, f), encoding="utf-8", errors="replace") as fh:
                    if STYLESHEET in fh.read():
                        return True
    return False


def _prune(app, exc):
    """MathJax's scripts are not requested by any page any more: only the
    fonts that the stylesheet names stay (sphinx-mathjax-offline copies the
    whole of MathJax on every build)."""
    if exc is not None or app.builder.format != "html":
        return
    static = os.path.join(app.outdir, "_static")
    if getattr(app, "_xent_math", None) is None:
        # client-side MathJax: the stylesheet of an earlier build goes unless a page still links it
        stale = os.path.join(static, STYLESHEET)
        if os.path.exists(stale) and not _linked(app.outdir):
            os.remove(stale)
        return
    mathjax = os.path.join(static, "mathjax")
    try:
        with open(os.path.join(static, STYLESHEET), encoding="utf-8") as fh:
            wanted = {os.path.normpath(os.path.join(static, u)) for u in re.findall(r'url\("?([^")]+)"?\)', fh.read())}
    except OSError:
        return
    for folder, _dirs, files in os.walk(mathjax, topdown=False):
        for f in files:
            path = os.path.join(folder, f)
            if os.path.normpath(path) not in wanted:
                os.remove(path)
        if not os.listdir(folder):
            os.rmdir(folder)


def setup(app):
    app.connect("builder-inited", _init)
    app.connect("env-get-outdated", _outdated)
    # after the pages are written and before the CJK font subset (500), the
    # copy of MathJax by sphinx-mathjax-offline (500) and the clean-up of xent_site (800)
    app.connect("build-finished", _typeset, priority=400)
    app.connect("build-finished", _prune, priority=850)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
