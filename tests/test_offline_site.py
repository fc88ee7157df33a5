"""The built site references nothing on the internet: no http(s) script,
stylesheet, font or image in any page or stylesheet."""
from __future__ import annotations

import re

import pytest

from tests.conftest import SITE

# A resource load: script/img/source/iframe src, link href (stylesheet, preload,
# icon...), CSS url(...) and @import.  Plain <a href> links are navigation, not loads.
TAG_LOAD = re.compile(
    r"<(?:script|img|source|iframe|embed|audio|video|track|input)\b[^>]*?\bsrc\s*=\s*[\"']?(https?:)?//",
    re.I,
)
LINK_LOAD = re.compile(r"<link\b[^>]*?\bhref\s*=\s*[\"']?(https?:)?//", re.I)
CSS_LOAD = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])(https?:)?//", re.I)
JS_LOAD = re.compile(r"(?:cdn\.jsdelivr|cdnjs\.cloudflare|unpkg\.com|fonts\.googleapis|mathjax@)", re.I)


def _html_pages():
    return sorted(p for p in SITE.rglob("*.html"))


def test_scanner_catches_external_loads():
    """The patterns must flag the loads we guard against (so the test can fail)."""
    assert TAG_LOAD.search('<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js">')
    assert TAG_LOAD.search("<img alt='x' src='//example.org/a.png'>")
    assert LINK_LOAD.search('<link rel="stylesheet" href="https://fonts.googleapis.com/css">')
    assert CSS_LOAD.search("@font-face{src:url(https://x.org/f.woff2)}")
    assert not LINK_LOAD.search('<link rel="stylesheet" href="../_static/styles/theme.css">')
    assert not TAG_LOAD.search('<a href="https://example.org">a link</a>')


@pytest.mark.usefixtures("site")
def test_no_page_loads_from_the_internet():
    if not SITE.exists():
        pytest.fail("build the site first: python3 tools/course.py build")
    bad = []
    for page in _html_pages():
        text = page.read_text(encoding="utf-8", errors="replace")
        for pat in (TAG_LOAD, LINK_LOAD):
            for m in pat.finditer(text):
                bad.append(f"{page.relative_to(SITE)}: {text[m.start():m.start() + 120]!r}")
        # inline scripts that would inject a CDN script at run time
        for m in JS_LOAD.finditer(text):
            bad.append(f"{page.relative_to(SITE)}: CDN reference {text[max(0, m.start() - 60):m.end() + 40]!r}")
    assert not bad, "pages load resources from the internet:\n" + "\n".join(bad[:20])


@pytest.mark.usefixtures("site")
def test_no_stylesheet_loads_from_the_internet():
    bad = []
    for css in SITE.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for m in CSS_LOAD.finditer(text):
            bad.append(f"{css.relative_to(SITE)}: {text[m.start():m.start() + 100]!r}")
    assert not bad, "stylesheets load resources from the internet:\n" + "\n".join(bad[:20])


def _math_extension():
    import importlib.util
    import sys

    from tests.conftest import ROOT

    if str(ROOT / "_ext") not in sys.path:  # xent_math imports its sibling xent_assets
        sys.path.insert(0, str(ROOT / "_ext"))
    spec = importlib.util.spec_from_file_location("xent_math", ROOT / "_ext" / "xent_math.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def math_state() -> dict:
    """What the build's math step wrote (_ext/xent_math.py): next to the site,
    ``_build/.xent-math/html.json``; {} when there is none."""
    import json

    path = SITE.parent / ".xent-math" / f"{SITE.name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def prerender_required() -> bool:
    """On CI and on any machine with Node the formulas must be typeset at build time."""
    import os
    import shutil

    return bool(os.environ.get("CI")) or shutil.which("node") is not None


def prerendered() -> bool:
    state = math_state()
    if prerender_required() and not state.get("prerendered"):
        pytest.fail(f"the formulas were not typeset at build time ({state.get('reason', 'no state file')}); "
                    "Node is on PATH (or CI is set): rebuild with python3 tools/course.py build")
    return bool(state.get("prerendered"))


MATHJAX_REF = re.compile(r"_static/mathjax/[^\"']*\.js|window\.MathJax\b|MathJax\.startup")


@pytest.mark.usefixtures("site")
def test_mathjax_is_served_locally():
    """With the formulas typeset at build time: no page loads MathJax's
    scripts, every page with math links the one math stylesheet, whose fonts
    are in the site.  Without Node: the MathJax script of the pages and the
    components it loads (the loader.load list of _config.yml) are in the site."""
    if prerendered():
        state = math_state()
        assert state["formulas"] > 500, state.get("counts")
        bad, unlinked = [], []
        for page in _html_pages():
            text = page.read_text(encoding="utf-8", errors="replace")
            bad += [f"{page.relative_to(SITE)}: {m.group(0)}" for m in MATHJAX_REF.finditer(text)]
            if "<mjx-container" in text and 'href="' + "../" * (len(page.relative_to(SITE).parts) - 1) \
                    + "_static/xent-math.css" not in text:
                unlinked.append(str(page.relative_to(SITE)))
        assert not bad, f"pages still load MathJax: {bad[:10]}"
        assert not unlinked, f"pages with math without the math stylesheet: {unlinked}"
        css = (SITE / "_static" / "xent-math.css").read_text(encoding="utf-8")
        fonts = re.findall(r'url\("?([^")]+)"?\)', css)
        assert any("MathJax_Main-Regular.woff" in f for f in fonts), fonts
        missing = [f for f in fonts if not (SITE / "_static" / f).is_file()]
        assert not missing, f"fonts named by xent-math.css missing from the site: {missing}"
        js = [p.relative_to(SITE).as_posix() for p in (SITE / "_static").rglob("*.js") if "mathjax" in p.as_posix()]
        assert not js, f"MathJax scripts left in the site: {js[:10]}"
        return
    text = (SITE / "chapters" / "01_entropy.html").read_text(encoding="utf-8")
    m = re.search(r'<script defer="defer" src="\.\./(_static/mathjax/[^"?]+)(?:\?[^"]*)?"', text)  # ?v=<checksum> or none
    assert m, "no MathJax script on the entropy page"
    assert (SITE / m.group(1)).exists(), m.group(1)
    mj = SITE / "_static" / "mathjax"
    for part in ("startup.js", "core.js", "input/tex.js", "output/chtml.js", "a11y/assistive-mml.js",
                 "input/tex/extensions/boldsymbol.js"):
        assert (mj / part).exists(), f"MathJax component missing: {part}"
    assert (mj / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


# TeX delimiters left in a page's text: outside code, scripts and styles.
RAW_TEX = re.compile(r"\\\(|\\\[|\$\$|\\begin\{")
CODE = re.compile(r"<(script|style|pre|code|textarea)\b.*?</\1\s*>", re.S | re.I)


def raw_tex(html: str) -> list[str]:
    body = CODE.sub("", html[html.find("<body"):])
    body = re.sub(r"<mjx-container\b.*?</mjx-container>", "", body, flags=re.S)
    return [body[max(0, m.start() - 50):m.end() + 30] for m in RAW_TEX.finditer(body)]


def test_raw_tex_finds_delimiters():
    assert raw_tex('<body><p>so \\(x\\) and</p>')
    assert raw_tex('<body><div class="math">\\[a\\]</div>')
    assert not raw_tex('<body><pre>\\(x\\)</pre><code>$$</code><p>x</p>')


@pytest.mark.usefixtures("site")
def test_every_formula_is_typeset_at_build_time():
    """No TeX left in any page's text (outside code): every \\( \\) and \\[ \\]
    of the text and of the notebooks' HTML outputs became MathJax markup."""
    if not prerendered():
        pytest.skip("built without Node: the client-side MathJax typesets the formulas")
    left = {}
    for page in _html_pages():
        found = raw_tex(page.read_text(encoding="utf-8", errors="replace"))
        if found:
            left[str(page.relative_to(SITE))] = found
    assert not left, f"TeX left untypeset: {dict(list(left.items())[:3])}"
    state = math_state()
    typeset = {p: (SITE / p).read_text(encoding="utf-8").count("<mjx-container") for p in state["counts"]}
    assert typeset == state["counts"], f"formulas on each page: markup {typeset} != found {state['counts']}"


# ------------------------------------------------------------ the math step, without a site
FINDER_PAGE = (
    '<html><head><title>\\(t\\)</title></head><body>'
    '<p>inline \\(a &lt; b\\), display \\[\\frac{1}{2}\\] and $$x$$ and \\begin{align}y\\end{align}</p>'
    '<pre>\\(code\\)</pre><code>\\(c\\)</code><script>var s = "\\(js\\)";</script>'
    '<div class="mathjax_ignore">\\(ignored\\)<span class="math">\\(back\\)</span></div>'
    '<p>costs \\$5, braces \\(\\text{\\)}\\)</p></body></html>')


def test_finder_finds_what_mathjax_finds():
    ext = _math_extension()
    found = ext.Finder({"options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"}}) \
        .in_page(FINDER_PAGE)
    assert [(tex, display) for _, _, tex, display in found] == [
        ("a &lt; b", False), ("\\frac{1}{2}", True), ("x", True), ("\\begin{align}y\\end{align}", True),
        ("back", False), ("$", None), ("\\text{\\)}", False)]
    # custom delimiters and no escapes (mathjax3_config tex options)
    dollars = ext.Finder({"tex": {"inlineMath": [["$", "$"]], "processEscapes": False}})
    assert [t for _, _, t, _ in dollars.in_text("a $x$ b \\$")] == ["x"]


def test_rewrite_keeps_punctuation_with_inline_math():
    ext = _math_extension()
    page = ('<html><head></head><body><p>so <span class="math notranslate nohighlight">\\(x\\)</span>. '
            'Then \\(y\\)), and \\(z\\) ok\\[w\\].</p></body></html>')
    found = ext.Finder().in_page(page)
    marks = ['<mjx-container class="MathJax" jax="CHTML">X</mjx-container>',
             '<mjx-container class="MathJax" jax="CHTML">Y</mjx-container>',
             '<mjx-container class="MathJax" jax="CHTML">Z</mjx-container>',
             '<mjx-container class="MathJax" jax="CHTML" display="true">W</mjx-container>']
    new = ext.rewrite(page, found, marks, "../_static/xent-math.css")
    assert ('<span class="xe-nowrap"><span class="math notranslate nohighlight">' + marks[0] + '</span>.</span>'
            in new), new
    assert '<span class="xe-nowrap">' + marks[1] + ')),</span>' not in new  # only what follows directly
    assert '<span class="xe-nowrap">' + marks[1] + '),</span>' in new, new
    assert marks[2] + " ok" in new and '<span class="xe-nowrap">' + marks[2] not in new
    assert marks[3] + "." in new and '<span class="xe-nowrap">' + marks[3] not in new  # display math
    assert new.count('href="../_static/xent-math.css"') == 1
    assert ext.nowrap_punctuation(new) == new, "wrapping twice must change nothing"
    chinese = ext.nowrap_punctuation('<mjx-container jax="CHTML">Q</mjx-container>\uff0c\u6240\u4ee5')
    assert chinese == '<span class="xe-nowrap"><mjx-container jax="CHTML">Q</mjx-container>\uff0c</span>\u6240\u4ee5'


def test_mathjax_in_node_typesets_labels_tags_and_environments(tmp_path):
    """The build's MathJax (mathjax-full in node): aligned, align with \\tag and
    \\label, \\eqref to it, macros from the TeX config; a TeX error is reported."""
    import json
    import shutil
    import subprocess

    from tests.conftest import ROOT

    ext = _math_extension()
    package = ROOT / "_build" / ".vendor-cache" / f"{ext.MATHJAX_PACKAGE}-{ext.MATHJAX_VERSION}"
    node = shutil.which("node")
    if not node or not (package / "es5" / "node-main.js").exists():
        if prerender_required() and node:
            pytest.fail(f"{package} is missing: build the site first (it fetches mathjax-full)")
        pytest.skip("no node or no mathjax-full package")
    items = [["\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}", True],
             ["\\begin{align} e &= mc^2 \\tag{7} \\label{eq:e} \\end{align}", True],
             ["\\eqref{eq:e}", False], ["\\KL(P, Q)", False], ["\\frac{1}{", False]]
    job = {"config": {"tex": {"macros": {"KL": "D_{\\mathrm{KL}}"}}, "chtml": {"fontURL": ext.FONT_URL}},
           "pages": [{"name": "a.html", "items": items}, {"name": "b.html", "items": [["x", False]]}]}
    (tmp_path / "in.json").write_text(json.dumps(job), encoding="utf-8")
    subprocess.run([node, ext.SCRIPT, str(package), str(tmp_path / "in.json"), str(tmp_path / "out.json")],
                   check=True, capture_output=True)
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    aligned, align, ref, macro, broken = out["pages"][0]
    assert "<mjx-mtable" in aligned and "mjx-merror" not in aligned
    assert "<mjx-mlabeledtr" in align and 'id="mjx-eqn:eq:e"' in align, align[:300]
    assert 'href="#mjx-eqn%3Aeq%3Ae"' in ref and "<mjx-c class=\"mjx-c37\">" in ref
    assert "mjx-c1D437" in macro and "mjx-c4B" in macro and "mjx-merror" not in macro  # italic D, upright K
    assert "<mjx-assistive-mml" in macro, "no MathML for screen readers"
    assert out["errors"] == [[0, 4, "Missing close brace"]], out["errors"]
    assert "MathJax_Main-Regular.woff" in out["css"] and "mjx-c37::before" in out["css"]


# Loaded at run time by a script, not named by any page or stylesheet.
LAZY = ("_static/copy-button.svg", "_static/check-solid.svg",
        "_static/plus.png", "_static/minus.png")  # copybutton.js, doctools.js
#: Loaded by the client-side MathJax of a build without Node.
LAZY_MATHJAX = ("_static/mathjax/",)
DOWNLOADS = ("_sources/", "_images/")
REF = re.compile(r'(?:src|href|data-plotly-src)\s*=\s*"([^"#?]+)', re.I)
CSS_URL = re.compile(r'(?:url\(\s*["\']?|@import\s+["\'])([^"\')?#]+)')


@pytest.mark.usefixtures("site")
def test_every_file_of_the_site_is_requested():
    """No file in the built site that no page requests (source maps, unused
    bundles, the icon script, MathJax's scripts when the formulas are typeset at
    build time), except the downloadable sources (and the parts that the
    client-side MathJax of a build without Node loads on demand)."""
    import os
    import posixpath

    if not SITE.exists():
        pytest.fail("build the site first: python3 tools/course.py build")
    wanted: set[str] = set()
    for page in _html_pages():
        base = posixpath.dirname(page.relative_to(SITE).as_posix())
        for ref in REF.findall(page.read_text(encoding="utf-8", errors="replace")):
            if "://" not in ref and not ref.startswith(("data:", "mailto:", "javascript:")):
                wanted.add(posixpath.normpath(posixpath.join(base, ref)))
    for css in SITE.rglob("*.css"):
        base = posixpath.dirname(css.relative_to(SITE).as_posix())
        for ref in CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
            wanted.add(posixpath.normpath(posixpath.join(base, ref.strip())))
    # the Sphinx search page and the site's own files: fetched by scripts
    wanted |= {"searchindex.js", "objects.inv", ".buildinfo"}
    lazy = LAZY if prerendered() else LAZY + LAZY_MATHJAX
    unused = []
    for path in SITE.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(SITE).as_posix()
        if rel in wanted or rel.startswith(lazy + DOWNLOADS) or (rel.endswith(".html") and "/" not in rel) or rel.endswith((".LICENSE.txt", ".sha256")) \
                or os.path.basename(rel).startswith("OFL"):
            continue
        unused.append(rel)
    assert not unused, f"{len(unused)} file(s) no page requests, e.g. {sorted(unused)[:15]}"


def _assets_extension():
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("xent_assets", ROOT / "_ext" / "xent_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.usefixtures("site")
def test_cjk_font_covers_every_chinese_character_of_the_site():
    """The subset font served with the site has a glyph for every CJK character
    that any built page contains, and its licence travels with it."""
    from fontTools.ttLib import TTFont

    ext = _assets_extension()
    font_path = SITE / "_static" / ext.CJK_TARGET
    assert font_path.exists(), f"no CJK font at {font_path}"
    assert (SITE / "_static" / ext.CJK_LICENSE).read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE")
    used = ext.cjk_characters(str(SITE))
    assert len(used) > 100, f"only {len(used)} CJK characters found on the site; the quotations are missing?"
    cmap = TTFont(str(font_path)).getBestCmap()
    missing = [ch for ch in used if ord(ch) not in cmap]
    assert not missing, f"{len(missing)} CJK characters have no glyph in the site font: {''.join(missing[:20])}"


def test_cjk_ranges_match_the_stylesheet():
    """The unicode-range of the @font-face rule in assets/custom.css equals the
    ranges the build subsets for (one can drift from the other)."""
    from tests.conftest import ROOT

    ext = _assets_extension()
    css = (ROOT / "assets" / "custom.css").read_text(encoding="utf-8")
    m = re.search(r'font-family:\s*"Course CJK";[^}]*unicode-range:\s*([^;]+);', css)
    assert m, "no @font-face rule for Course CJK with a unicode-range in assets/custom.css"
    ranges = [tuple(int(x, 16) for x in r.strip().removeprefix("U+").split("-")) for r in m.group(1).split(",")]
    assert ranges == list(ext.CJK_RANGES)
    assert ext.is_cjk("熵") and ext.is_cjk("（") and not ext.is_cjk("H")
