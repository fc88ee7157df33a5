"""Every chapter follows the template of CONTRIBUTING.md: what you will learn and what you need
first, then the chapter, then a summary and (chapters 1-6) exercises, in that order."""
from __future__ import annotations

import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("0[0-6]_*.ipynb"))
ORDER = [r"^\*\*What you will learn\*\*", r"^\*\*What you need\*\*", r"^## Summary\s*$", r"^## Exercises\s*$"]


def template_problems(markdown: str, *, exercises: bool) -> list[str]:
    wanted = ORDER if exercises else ORDER[:3]
    at = []
    for pattern in wanted:
        m = re.search(pattern, markdown, flags=re.M)
        if m is None:
            return [f"missing {pattern!r}"]
        at.append(m.start())
    return [] if at == sorted(at) else ["sections out of order: " + ", ".join(wanted)]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_follows_the_template(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert not template_problems(md, exercises=not path.stem.startswith("00")), path.stem


def test_template_check_can_fail():
    good = "**What you will learn**\n**What you need**\n## Summary\n## Exercises\n"
    assert template_problems(good, exercises=True) == []
    assert template_problems(good.replace("## Summary\n", ""), exercises=True)
    assert template_problems("## Summary\n**What you will learn**\n**What you need**\n## Exercises\n",
                             exercises=True)


# Optional depth is marked one way in every chapter: the heading ends with "(optional)" and the
# section opens (same cell or next markdown cell) with an italic line "*Optional: ...*"; after the
# first optional "##" section only the standard closing sections may follow.
CLOSING = ("Explore it yourself", "Check yourself", "Summary", "Exercises")


def optional_problems(cells: list[dict]) -> list[str]:
    problems, seen_optional = [], None
    md = [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]
    for n, (i, text) in enumerate(md):
        lines = text.splitlines()
        for j, line in enumerate(lines):
            m = re.match(r"^(#{2,6}) (.*?)\s*$", line)
            if not m:
                continue
            level, title = len(m.group(1)), m.group(2)
            if title.endswith("(optional)"):
                after = [ln for ln in lines[j + 1:] if ln.strip()]
                if not after and n + 1 < len(md):
                    after = [ln for ln in md[n + 1][1].splitlines() if ln.strip()]
                if not after or not after[0].startswith("*Optional"):
                    problems.append(f"cell {i}: {title!r} does not open with an italic '*Optional: ...' line")
                if level == 2 and seen_optional is None:
                    seen_optional = title
            elif level == 2 and seen_optional is not None and title not in CLOSING:
                problems.append(f"cell {i}: core section {title!r} comes after the optional {seen_optional!r}")
    return problems


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_optional_depth_is_marked_and_comes_last(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert not optional_problems(nb["cells"]), optional_problems(nb["cells"])


def test_optional_check_can_fail():
    def cells(*texts):
        return [{"cell_type": "markdown", "source": [t]} for t in texts]
    good = cells("## A\ntext", "## B (optional)", "*Optional: adds B. Skip it on a first reading.*", "## Summary")
    assert optional_problems(good) == []
    assert optional_problems(cells("## B (optional)\nno italic line", "## Summary"))
    assert optional_problems(cells("## B (optional)\n\n*Optional: x.*", "## C\ncore after optional"))


# ---------------------------------------------------------------- links between chapters

def _markdown_cells(path: pathlib.Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def _labels(cells: list[str]) -> set[str]:
    found = set()
    for s in cells:
        found.update(re.findall(r"^\(([\w-]+)\)=", s, flags=re.M))
        found.update(re.findall(r":label:\s*([\w-]+)", s))
    return found


def foreign_ref_problems(cells: list[str]) -> list[str]:
    """A {ref} must name a label of its own notebook: jupyterlab-myst resolves no other, so a
    student in JupyterLab would get a dead link.  Other chapters are linked as
    [text](NN_name.ipynb), which the site and JupyterLab both follow."""
    own = _labels(cells)
    problems = []
    for s in cells:
        for m in re.finditer(r"\{ref\}`([^`]*)`", s):
            target = re.search(r"<([^>]+)>\s*$", m.group(1))
            label = (target.group(1) if target else m.group(1)).strip()
            if label not in own:
                problems.append(f"{m.group(0)}: label {label!r} is not in this notebook")
    return problems


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_references_stay_in_their_notebook(path):
    problems = foreign_ref_problems(_markdown_cells(path))
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_foreign_ref_check_can_fail():
    cells = ["(faq-learning-rate)=\n## Q3", "see {ref}`Q3 <faq-learning-rate>` and {ref}`ex-a`",
             ":::{exercise}\n:label: ex-a\n:::"]
    assert foreign_ref_problems(cells) == []
    assert foreign_ref_problems(["see {ref}`chapter 3 <ce-vs-mse>`"]) == [
        "{ref}`chapter 3 <ce-vs-mse>`: label 'ce-vs-mse' is not in this notebook"]
