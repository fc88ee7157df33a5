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


def test_no_stylesheet_loads_from_the_internet():
    bad = []
    for css in SITE.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for m in CSS_LOAD.finditer(text):
            bad.append(f"{css.relative_to(SITE)}: {text[m.start():m.start() + 100]!r}")
    assert not bad, "stylesheets load resources from the internet:\n" + "\n".join(bad[:20])


def test_mathjax_is_served_locally():
    assert (SITE / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert (SITE / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()
