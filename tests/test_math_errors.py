"""A TeX error fails the build and names the page and the formula (issue 19, item 4).

A tiny Sphinx project in a temporary folder uses the course's math extension
(_ext/xent_math.py, MathJax in Node) with warnings as errors, as the course's
build does (``jupyter-book build -W``).  MathJax marks most errors with
``<merror data-mjx-error>``; an undefined macro such as ``\\Hent`` used to be
rendered in red by MathJax's ``noundefined`` package, with no error, and the
build passed.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXT = ROOT / "_ext"
CACHE = ROOT / "_build" / ".vendor-cache"

CONF = """
import sys
sys.path.insert(0, {ext!r})
extensions = ["xent_math"]
project = "math errors"
"""


def _package_cache(build: pathlib.Path) -> None:
    """The MathJax package that the course's build has already fetched (no network here)."""
    sys.path.insert(0, str(EXT))
    try:
        import xent_math
    finally:
        sys.path.remove(str(EXT))
    name = f"{xent_math.MATHJAX_PACKAGE}-{xent_math.MATHJAX_VERSION}"
    if not shutil.which("node"):
        pytest.skip("node is not on PATH: the site's formulas are typeset by the client-side MathJax")
    if not (CACHE / name / "es5" / "node-main.js").exists():
        pytest.skip(f"{CACHE / name} is missing: run `python3 tools/course.py build` once (it fetches MathJax)")
    (build / ".vendor-cache").mkdir(parents=True)
    os.symlink(CACHE / name, build / ".vendor-cache" / name)


def build(tmp_path: pathlib.Path, page: str, strict: bool = False):
    """Build a one-page project holding ``page`` (reStructuredText); returns (status, warnings).
    ``strict``: warnings are errors and the build goes on to the end (the course's ``-W --keep-going``)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF.format(ext=str(EXT)))
    (src / "index.rst").write_text("Title\n=====\n\n.. toctree::\n\n   formulas\n")
    (src / "formulas.rst").write_text(page)
    out = tmp_path / "_build"
    _package_cache(out)
    # a process of its own, as the course's build: sphinx-build, -W --keep-going when strict
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-q", "-d", str(out / "doctrees"),
           str(src), str(out / "html")] + (["-W", "--keep-going"] if strict else [])
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode, proc.stderr


GOOD = "Formulas\n========\n\nEntropy :math:`H(p) = -\\sum_i p_i \\log_2 p_i`.\n"


def test_a_clean_page_builds_without_a_tex_warning(tmp_path):
    status, warnings = build(tmp_path, GOOD)
    assert "TeX error" not in warnings
    html = (tmp_path / "_build" / "html" / "formulas.html").read_text()
    assert "<mjx-container" in html, "the formula was not typeset at build time"


@pytest.mark.parametrize("tex, message", [
    (r"\Hent(p) = 1", r"Undefined control sequence \Hent"),
    (r"\frac{1}", r"Missing argument for \frac"),
    (r"\begin{foo} x \end{foo}", "Unknown environment 'foo'"),
])
def test_a_tex_error_is_a_warning_naming_the_page_and_the_formula(tmp_path, tex, message):
    status, warnings = build(tmp_path, f"Formulas\n========\n\nA formula :math:`{tex}` here.\n")
    lines = [line for line in warnings.splitlines() if "TeX error" in line]
    assert lines, f"no TeX error reported for {tex!r}; warnings: {warnings!r}"
    # the page, the message and the formula (the build's -W makes the warning fail it)
    assert "formulas.html" in lines[0] and message in lines[0] and repr(tex) in lines[0], lines[0]


def test_an_undefined_macro_fails_a_strict_build(tmp_path):
    status, warnings = build(tmp_path, "Formulas\n========\n\nA formula :math:`\\Hent(p)` here.\n", strict=True)
    assert status != 0, "the build passed with an undefined macro"
    assert r"formulas.html: Undefined control sequence \Hent in '\\Hent(p)'" in warnings, warnings


def test_a_clean_page_passes_a_strict_build(tmp_path):
    status, warnings = build(tmp_path, GOOD, strict=True)
    assert status == 0, warnings
