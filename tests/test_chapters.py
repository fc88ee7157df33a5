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
