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


@pytest.mark.usefixtures("site")
def test_mathjax_is_served_locally():
    """The MathJax script of the pages and the components it loads (the
    loader.load list of _config.yml) are in the site."""
    text = (SITE / "chapters" / "01_entropy.html").read_text(encoding="utf-8")
    m = re.search(r'<script defer="defer" src="\.\./(_static/mathjax/[^"?]+)(?:\?[^"]*)?"', text)  # ?v=<checksum> or none
    assert m, "no MathJax script on the entropy page"
    assert (SITE / m.group(1)).exists(), m.group(1)
    mj = SITE / "_static" / "mathjax"
    for part in ("startup.js", "core.js", "input/tex.js", "output/chtml.js", "a11y/assistive-mml.js",
                 "input/tex/extensions/boldsymbol.js"):
        assert (mj / part).exists(), f"MathJax component missing: {part}"
    assert (mj / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


# Loaded at run time by a script, not named by any page or stylesheet.
LAZY = ("_static/mathjax/", "_static/copy-button.svg", "_static/check-solid.svg",
        "_static/plus.png", "_static/minus.png")  # copybutton.js, doctools.js
DOWNLOADS = ("_sources/", "_images/")
REF = re.compile(r'(?:src|href|data-plotly-src)\s*=\s*"([^"#?]+)', re.I)
CSS_URL = re.compile(r'(?:url\(\s*["\']?|@import\s+["\'])([^"\')?#]+)')


@pytest.mark.usefixtures("site")
def test_every_file_of_the_site_is_requested():
    """No file in the built site that no page requests (source maps, unused
    bundles, the icon script), except MathJax's lazily loaded parts and the
    downloadable sources."""
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
    unused = []
    for path in SITE.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(SITE).as_posix()
        if rel in wanted or rel.startswith(LAZY + DOWNLOADS) or (rel.endswith(".html") and "/" not in rel) or rel.endswith((".LICENSE.txt", ".sha256")) \
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
