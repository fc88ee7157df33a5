"""Sphinx extension: a lighter, cleaner built site (runs when the HTML build finishes).

* **Icons without the 1.45 MB script.**  pydata-sphinx-theme loads Font
  Awesome's ``fontawesome.js`` on every page, which swaps each ``<i
  class="fa-...">`` for an inline SVG.  The theme's stylesheet already
  draws the same icons from the Font Awesome web font, so the script tag is
  removed and the solid font is cut down to the glyphs the stylesheets use
  (a few KB, kept as WOFF: WOFF2 would need brotli).
* **A theme stylesheet under 200 KB.**  pydata-sphinx-theme.css (397 KB,
  render-blocking) carries all of Bootstrap and every Font Awesome icon
  class.  A rule is kept when each class and id its selector requires is a
  word of some page or of some script of the site (so classes that scripts
  add at run time stay); it is rebuilt from the installed theme's copy on
  every build, so a class that a later edit starts using comes back.
  sphinx-design's and myst-nb's stylesheets (55 KB and 43 KB, on every page)
  get the same purge.
* **No files that no page requests**: source maps, the icon script, the
  unused MathJax bundles and components (all of MathJax but its fonts when
  _ext/xent_math.py typeset the formulas), the theme's translation catalogues
  and the full plotly bundle.  Kept: what pages load, the MathJax parts it
  loads lazily (TeX extensions, fonts), and the downloadable sources.
* **No search index on every page**: pydata-sphinx-theme loads
  searchtools.js, language_data.js and searchindex.js in every page's head
  for its search-as-you-type option, which is off; they stay on search.html.
* **Unique ids**: sphinx-exercise gives every exercise body the id
  ``exercise-content`` and every solution body ``solution-content``; each
  becomes ``<enclosing id>-content``.
* Figures (``_images``) get ``loading="lazy"``: a reader who does not scroll
  to them does not download them.
* The search page gets assets/xe-search.js (snippets that show the match).
* **No widget state in the pages.**  myst-nb embeds the notebook's stored
  ipywidgets state (``application/vnd.jupyter.widget-state+json``, the live
  explorers' PNGs: 80-260 KB per explorer page) for a widget manager that the
  site does not load (``nb_ipywidgets_js: {}``): the static explorers are drawn
  from their own precomputed frames, so the script is dropped.
"""
from __future__ import annotations

import glob
import os
import re
import shutil

SEARCH_SCRIPTS = re.compile(r'[ \t]*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|'
                            r'searchindex\.js)"></script>\n?')
FA_SCRIPT = re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?')
FA_SUBSET = "vendor/fontawesome/webfonts/fa-solid-900.subset.woff"
DUP_IDS = ("exercise-content", "solution-content")
ENCLOSING = re.compile(r'<div class="(?:exercise|solution)[^"]*"[^>]*\bid="([^"]+)"')

#: Removed from _static after every build (relative paths; globs allowed).
PRUNE = [
    "**/*.map",
    "scripts/fontawesome.js",
    "scripts/fontawesome.js.LICENSE.txt",
    "locales",
    "vendor/plotly.min.js",
    # template sources and the files of features switched off (Thebe, launch
    # buttons) that Sphinx and the themes copy anyway
    "webpack-macros.html", "sbt-webpack-macros.html", "sphinx-thebe.js", "images/logo_*",
    "copybutton_funcs.js", "play-solid.svg",
    "vendor/fontawesome/webfonts/fa-solid-900.woff2",
    "vendor/fontawesome/webfonts/fa-solid-900.ttf",
    # MathJax, in a build without Node (with Node, _ext/xent_math.py typesets
    # the formulas and keeps only MathJax's fonts): pages load startup.js, which loads core, input/tex (and TeX
    # extensions on demand), output/chtml (and its fonts) and
    # a11y/assistive-mml (mathjax3_config in _config.yml).  The combined
    # bundles, the other inputs and outputs, the menu and what only the menu
    # loads (explorer, speech) are never requested.
    "mathjax/*-*.js", "mathjax/latest.js", "mathjax/node-main.js", "mathjax/loader.js",
    "mathjax/adaptors", "mathjax/sre", "mathjax/ui",
    "mathjax/a11y/complexity.js", "mathjax/a11y/explorer.js", "mathjax/a11y/semantic-enrich.js",
    "mathjax/a11y/sre.js",
    "mathjax/input/asciimath.js", "mathjax/input/mml", "mathjax/input/mml.js",
    "mathjax/input/tex-base.js", "mathjax/input/tex-full.js",
    "mathjax/output/svg", "mathjax/output/svg.js",
]
#: Scripts whose strings name classes added at run time (Bootstrap builds some).
SAFE = re.compile(r"tooltip|popover|modal|dropdown|collaps|offcanvas|show|fade|active|focus|"
                  r"disabled|scrolled|hide|open|dialog|theme|pst-|bd-|sidebar")


# ---------------------------------------------------------------- CSS purge
def _blocks(css: str):
    """Top-level (prelude, body) pairs; body None for @-statements ending in ';'."""
    i, n, start = 0, len(css), 0
    while i < n:
        c = css[i]
        if c == "/" and css.startswith("/*", i):
            j = css.find("*/", i + 2)
            i = n if j < 0 else j + 2
            if css[start:i].strip().startswith("/*"):
                yield css[start:i], None  # a comment (licence headers are kept)
                start = i
            continue
        if c in "\"'":
            j = i + 1
            while j < n and css[j] != c:
                j += 2 if css[j] == "\\" else 1
            i = j + 1
            continue
        if c == ";" and css[start:i].lstrip().startswith("@"):
            yield css[start:i + 1], None
            i += 1
            start = i
            continue
        if c == "{":
            depth, j = 1, i + 1
            while j < n and depth:
                d = css[j]
                if d in "\"'":
                    k = j + 1
                    while k < n and css[k] != d:
                        k += 2 if css[k] == "\\" else 1
                    j = k + 1
                    continue
                depth += d == "{"
                depth -= d == "}"
                j += 1
            yield css[start:i], css[i + 1:j - 1]
            i = j
            start = i
            continue
        i += 1
    if css[start:].strip():
        yield css[start:], None


def _split_selectors(prelude: str) -> list[str]:
    out, depth, cur = [], 0, []
    for ch in prelude:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _required(selector: str) -> list[str]:
    s = re.sub(r"\[[^\]]*\]", "", selector)
    while True:  # arguments of :not/:is/:where/:has are not required
        t = re.sub(r":(?:not|is|where|has|-webkit-any|-moz-any)\([^()]*\)", "", s)
        if t == s:
            break
        s = t
    return re.findall(r"[.#](-?[_a-zA-Z][\w-]*)", s)


def purge_css(css: str, used: set[str]) -> str:
    out = []
    for prelude, body in _blocks(css):
        head = prelude.strip()
        if body is None:
            if head.startswith("/*") and "sourceMappingURL" in head:
                continue
            out.append(head)
            continue
        if head.startswith(("@media", "@supports", "@layer", "@container")):
            inner = purge_css(body, used)
            if inner.strip():
                out.append(f"{head}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{head}{{{body}}}")
        else:
            keep = [s for s in _split_selectors(head)
                    if SAFE.search(s) or all(tok in used for tok in _required(s))]
            if keep:
                out.append(f"{','.join(k.strip() for k in keep)}{{{body}}}")
    return "\n".join(out) if "\n" in css[:2000] else "".join(out)


def used_words(outdir: str) -> set[str]:
    words: set[str] = set()
    static = os.path.join(outdir, "_static")
    files = [p for p in glob.glob(os.path.join(outdir, "**", "*.html"), recursive=True)
             if os.sep + "_static" + os.sep not in p]
    files += [p for p in glob.glob(os.path.join(static, "**", "*.js"), recursive=True)
              if not p.startswith(os.path.join(static, "mathjax")) and "plotly-" not in os.path.basename(p)]
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as fh:
            words.update(re.findall(r"[A-Za-z_][\w-]*", fh.read()))
    return words


# ------------------------------------------------------------ icon font
def _theme_static() -> str:
    import pydata_sphinx_theme

    return os.path.join(os.path.dirname(pydata_sphinx_theme.__file__), "theme", "pydata_sphinx_theme", "static")


def icon_code_points(texts) -> set[int]:
    cps: set[int] = set()
    for text in texts:
        cps.update(ord(ch) for ch in text if 0xE000 <= ord(ch) <= 0xF8FF)
        cps.update(int(h, 16) for h in re.findall(r"\\(f[0-9a-fA-F]{3}|e[0-9a-fA-F]{3})\b", text))
    return cps


def _subset_icons(static: str, css_texts) -> None:
    from fontTools import subset

    cps = icon_code_points(css_texts) or {0xF0C9}
    target = os.path.join(static, FA_SUBSET)
    opts = subset.Options()
    opts.flavor = "woff"
    opts.name_IDs = ["*"]  # keep the copyright and licence records
    opts.notdef_outline = True
    font = subset.load_font(os.path.join(_theme_static(), "vendor", "fontawesome", "webfonts", "fa-solid-900.ttf"),
                            opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(cps))
    sub.subset(font)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    subset.save_font(font, target, opts)


FONT_FACE = re.compile(r"@font-face\{[^}]*\}")


def _rewrite_font_faces(css: str, used: set[str]) -> str:
    def face(m):
        block = m.group(0)
        if "fa-solid-900" in block:
            src = f'src:url(../{FA_SUBSET}) format("woff")'
            return re.sub(r"src:[^;}]*", src, block)
        if "fa-regular-400" in block and not used & {"fa-regular", "far"}:
            return ""
        if "fa-brands-400" in block and not used & {"fa-brands", "fab"}:
            return ""
        return block
    return FONT_FACE.sub(face, css)


# ------------------------------------------------------------ the hooks
def _pages(outdir: str) -> list[str]:
    return [p for p in glob.glob(os.path.join(outdir, "**", "*.html"), recursive=True)
            if os.sep + "_static" + os.sep not in p]


def fix_ids(html: str) -> str:
    if not any(f'id="{d}"' in html for d in DUP_IDS):
        return html
    out, last = [], 0
    for m in re.finditer(r'id="(' + "|".join(DUP_IDS) + ')"', html):
        owner = None
        for o in ENCLOSING.finditer(html, 0, m.start()):
            owner = o.group(1)
        if owner:
            out.append(html[last:m.start()])
            out.append(f'id="{re.sub(r"[^A-Za-z0-9_-]+", "-", owner)}-content"')
            last = m.end()
    out.append(html[last:])
    return "".join(out)


IMG = re.compile(r'<img (?![^>]*\bloading=)([^>]*\bsrc="[^"]*_images/)')


def lazy_images(html: str) -> str:
    """Figures of the chapters load when a reader gets near them (the
    browser's own loading="lazy"; printing loads them all)."""
    return IMG.sub(r'<img loading="lazy" decoding="async" \1', html)


#: Stylesheets that Sphinx or an extension copies into ``_static`` on every build
#: (so purging them in place is safe): sphinx-design's 55 KB and myst-nb's 43 KB
#: shrink to 20 KB and 8 KB.
PURGED_CSS = ("sphinx-design.min.css", "mystnb.*.css")


def _postprocess(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    outdir = app.outdir
    static = os.path.join(outdir, "_static")
    for page in _pages(outdir):
        with open(page, encoding="utf-8") as fh:
            html = fh.read()
        new = lazy_images(fix_ids(FA_SCRIPT.sub("", html)))
        if os.path.basename(page) != "search.html" and "search_as_you_type = false" in new:
            new = SEARCH_SCRIPTS.sub("", new)
        if new != html:
            with open(page, "w", encoding="utf-8") as fh:
                fh.write(new)
    used = used_words(outdir)
    # icon styles: only what the pages' own markup asks for
    styles = set()
    for page in _pages(outdir):
        with open(page, encoding="utf-8", errors="replace") as fh:
            styles.update(w for cls in re.findall(r'class="([^"]*)"', fh.read()) for w in cls.split()
                          if w in ("fa-regular", "far", "fa-brands", "fab"))
    theme_css = os.path.join(static, "styles", "pydata-sphinx-theme.css")
    if os.path.exists(theme_css):
        with open(os.path.join(_theme_static(), "styles", "pydata-sphinx-theme.css"), encoding="utf-8") as fh:
            css = _rewrite_font_faces(purge_css(fh.read(), used), styles)
        with open(theme_css, "w", encoding="utf-8") as fh:
            fh.write(css)
    # the other stylesheets every page loads, copied afresh by each build: same purge
    for pattern in PURGED_CSS:
        for path in glob.glob(os.path.join(static, pattern)):
            with open(path, encoding="utf-8") as fh:
                css = purge_css(fh.read(), used)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(css)
    css_texts = []
    for path in glob.glob(os.path.join(static, "**", "*.css"), recursive=True):
        if os.sep + "mathjax" + os.sep in path:
            continue
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        css_texts.append(text)
        if "sourceMappingURL" in text:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", text))
    _subset_icons(static, css_texts)
    for js in glob.glob(os.path.join(static, "**", "*.js"), recursive=True):
        with open(js, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        if "sourceMappingURL=" in text[-300:]:
            with open(js, "w", encoding="utf-8") as fh:
                fh.write(re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", text))
    prune = list(PRUNE)
    if not styles & {"fa-regular", "far"}:
        prune.append("vendor/fontawesome/webfonts/fa-regular-400.*")
    if not styles & {"fa-brands", "fab"}:
        prune.append("vendor/fontawesome/webfonts/fa-brands-400.*")
    for pattern in prune:
        for path in glob.glob(os.path.join(static, pattern), recursive=True):
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)


def _search_page(app, pagename, templatename, context, doctree):
    if pagename == "search":
        # deferred: runs after searchtools.js, which this page loads at the end of <body>
        app.add_js_file("xe-search.js", priority=600, loading_method="defer")


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _drop_widget_state(app, pagename, templatename, context, doctree):
    """Runs after myst-nb's handler (priority 500) has added the page's scripts."""
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [js for js in scripts
                                   if (getattr(js, "attributes", None) or {}).get("type") != WIDGET_STATE]


def _mathjax_components(app, config):
    """sphinx-mathjax-offline sets mathjax_path to the combined tex-chtml.js in
    its setup(), over the value of _config.yml; with a component list in
    mathjax3_config (loader.load) the page loads startup.js instead."""
    if (config.mathjax3_config or {}).get("loader", {}).get("load"):
        config.mathjax_path = "mathjax/startup.js"


def setup(app):
    app.connect("config-inited", _mathjax_components, priority=900)
    app.add_js_file("course.js", loading_method="defer")
    app.connect("html-page-context", _search_page)
    app.connect("html-page-context", _drop_widget_state, priority=900)
    app.connect("build-finished", _postprocess, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
