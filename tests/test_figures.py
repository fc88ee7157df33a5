"""Every figure in the chapter notebooks has alt text and a caption.

A code cell whose stored outputs contain an image must carry the cell metadata
``{"mystnb": {"image": {"alt": ...}, "figure": {"caption": ..., "name": "fig-..."}}}``:
the site then shows the caption and gives screen readers the alt text.
"""
from __future__ import annotations

import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")


def image_cells(nb: dict):
    for idx, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        if any(mime in out.get("data", {}) for out in cell.get("outputs", []) for mime in IMAGE_TYPES):
            yield idx, cell


def figure_problems(nb: dict) -> list[str]:
    problems = []
    for idx, cell in image_cells(nb):
        meta = cell.get("metadata", {}).get("mystnb", {})
        alt = (meta.get("image") or {}).get("alt", "")
        caption = (meta.get("figure") or {}).get("caption", "")
        name = (meta.get("figure") or {}).get("name", "")
        if not str(alt).strip():
            problems.append(f"cell {idx}: image without mystnb.image.alt")
        elif len(str(alt).split()) < 3:
            problems.append(f"cell {idx}: alt text {alt!r} is too short to describe a figure")
        if not str(caption).strip():
            problems.append(f"cell {idx}: image without mystnb.figure.caption")
        if not str(name).startswith("fig-"):
            problems.append(f"cell {idx}: figure name {name!r} should be 'fig-<unique>'")
    return problems


def test_checker_catches_a_figure_without_alt_text():
    png = {"output_type": "display_data", "data": {"image/png": "iVBOR...", "text/plain": "<Figure>"},
           "metadata": {}}
    bare = {"cells": [{"cell_type": "code", "metadata": {}, "source": "plt.show()", "outputs": [png]}]}
    assert len(figure_problems(bare)) == 3
    good = {"cells": [{"cell_type": "code", "source": "plt.show()", "outputs": [png], "metadata": {
        "mystnb": {"image": {"alt": "Line plot of entropy against p"},
                   "figure": {"caption": "Binary entropy.", "name": "fig-binary-entropy"}}}}]}
    assert figure_problems(good) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_figure_has_alt_text_and_caption(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = figure_problems(nb)
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def test_figure_names_are_unique_across_the_book():
    seen: dict[str, str] = {}
    for path in CHAPTERS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for _idx, cell in image_cells(nb):
            name = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")
            if name:
                assert name not in seen, f"{name} used in {seen[name]} and {path.name}"
                seen[name] = path.name


def _alt_texts_in_page(html: str) -> list[str]:
    import html as html_lib
    import re

    return [html_lib.unescape(m.group(1)) for m in re.finditer(r'<img\b[^>]*\balt="([^"]*)"', html)]


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_stored_figure_is_on_the_site(path, site):
    """Each figure stored in a notebook appears on its built page as an <img>
    with the cell's alt text.  This fails if the build executes the notebooks
    with a non-inline matplotlib backend (e.g. MPLBACKEND=agg), which silently
    drops every figure from the site while the build still succeeds."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    wanted = [str(cell["metadata"]["mystnb"]["image"]["alt"]).strip()
              for _, cell in image_cells(nb)]
    page = site / "chapters" / f"{path.stem}.html"
    on_site = [alt.strip() for alt in _alt_texts_in_page(page.read_text(encoding="utf-8"))]
    missing = [alt for alt in wanted if alt not in on_site]
    assert not missing, (f"{len(missing)} of {len(wanted)} figures of {path.name} are missing from "
                         f"{page.name}, e.g. {missing[0]!r}")


def test_alt_text_scanner_reads_images():
    page = '<p><img alt="Entropy &amp; bits" src="a.png"/><img src="b.png" alt="x"></p>'
    assert _alt_texts_in_page(page) == ["Entropy & bits", "x"]
    assert _alt_texts_in_page("<p>no figure here</p>") == []


# -- one spelling of "no unit", real math for symbols -------------------------------------------
# Axis labels, legend entries and explorer axis titles say "[no unit]"; a Greek symbol with a power
# is written as math ($\sigma^2$), not ASCII.  Scanned: the notebooks' code cells and the course's
# figure functions and explorers (xentlib/course/*.py), where every label is written.
import re  # noqa: E402

BANNED_UNIT_SPELLINGS = {
    r"\(no unit\)": '"(no unit)": write "[no unit]"',
    r"\bunitless\b": '"unitless": write "[no unit]"',
    r"\bdimensionless\b": '"dimensionless": write "[no unit]"',
    r"(?<![\\\w])(sigma|σ)\^2": 'ASCII "sigma^2": write "$\\sigma^2$"',
}
COURSE_MODULES = sorted((ROOT / "xentlib" / "course").glob("*.py"))


def unit_label_problems(text: str, where: str) -> list[str]:
    problems = []
    for lineno, line in enumerate(text.splitlines(), 1):
        for pattern, advice in BANNED_UNIT_SPELLINGS.items():
            if re.search(pattern, line, flags=re.IGNORECASE):
                problems.append(f"{where}:{lineno}: {advice}: {line.strip()[:100]}")
    return problems


def _code_sources():
    for path in CHAPTERS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for idx, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "code":
                yield f"{path.name} cell {idx}", "".join(cell["source"])
    for path in COURSE_MODULES:
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def test_unit_label_checker_catches_each_banned_spelling():
    bad = ('ax.set_xlabel("probability p (no unit)")\nax.set_ylabel("ratio [unitless]")\n'
           'Param("T", "T = temperature [dimensionless]")\nax.plot(s, h, label="h(N(0, sigma^2))")\n')
    assert len(unit_label_problems(bad, "x")) == 4
    good = ('ax.set_xlabel("probability p [no unit]")\nax.plot(s, h, label=r"$h(\\mathcal{N}(0, \\sigma^2))$")\n'
            "var = sigma**2\n")
    assert unit_label_problems(good, "x") == []


def test_unit_labels_are_spelled_one_way():
    problems = [p for where, text in _code_sources() for p in unit_label_problems(text, where)]
    assert not problems, "inconsistent unit labels:\n  " + "\n  ".join(problems)


# -- sharp figures: 2 device pixels per CSS pixel, page size in the output metadata -------------
def _png_size(b64: str) -> tuple[int, int]:
    import base64
    import struct

    head = base64.b64decode("".join(b64)[:64])
    return struct.unpack(">II", head[16:24])


def sharpness_problems(nb: dict) -> list[str]:
    from xentlib import plotting

    ratio = plotting.DPI / plotting.CSS_DPI
    problems = []
    for idx, cell in image_cells(nb):
        for out in cell.get("outputs", []):
            if "image/png" not in out.get("data", {}):
                continue
            size = out.get("metadata", {}).get("image/png", {})
            width, height = _png_size(out["data"]["image/png"])
            if "width" not in size:
                problems.append(f"cell {idx}: PNG without width metadata (shown at {width} px, not sharp)")
            elif abs(width - ratio * size["width"]) > ratio:
                problems.append(f"cell {idx}: PNG {width} px wide shown at {size['width']} px (ratio {ratio:g} wanted)")
    return problems


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_png_has_twice_the_pixels_of_its_page_size(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = sharpness_problems(nb)
    assert not problems, f"{path.name} (re-execute it: plotting.use_course_style() sets this up):\n  " + "\n  ".join(problems)
