"""Issue 17: a chapter teaches before it audits -- on the core path of every chapter 00-06 the
words a reader sees in claim boxes are at most 30 % of all the words they see.

Counted by tools/teaching_stats.py from the notebooks' stored outputs (re-execute a chapter after
editing it): prose words of the markdown cells before the first "(optional)" section (or Summary /
Exercises), formulas and code left out; visible box words are a box's title line, its truth and
the summary line of its fold, not what the fold holds.  The unit tests below run the same counter
on small notebooks written here, whose counts are known by hand.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIMIT = 0.30
CHAPTERS = sorted((ROOT / "chapters").glob("0[0-6]_*.ipynb"))


def _stats_module():
    spec = importlib.util.spec_from_file_location("teaching_stats", ROOT / "tools" / "teaching_stats.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


stats = _stats_module()


def share_problems(rows: list[dict], limit: float = LIMIT) -> list[str]:
    return [f"{r['chapter']}: box share {100 * r['share']:.0f} % > {100 * limit:.0f} % "
            f"({r['box_words']} box words, {r['prose']} prose words, {r['boxes']} boxes)"
            for r in rows if r["share"] > limit]


def table(paths: list[pathlib.Path]) -> str:
    """The table `python3 tools/teaching_stats.py` prints, for ``paths``."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        stats.main([p.name[:2] for p in paths])
    return out.getvalue()


def test_every_chapter_has_a_core_path_box_share_of_at_most_30_percent():
    assert len(CHAPTERS) == 7, [p.name for p in CHAPTERS]
    rows = [stats.core_path_stats(str(p)) for p in CHAPTERS]
    text = table(CHAPTERS)
    print("\n" + text)
    assert all(r["prose"] > 0 for r in rows), text
    problems = share_problems(rows)
    assert not problems, ("the claim boxes crowd out the teaching (limit 30 %, aim for 25 %):\n"
                          + "\n".join(problems) + "\n\n" + text)


# ------------------------------------------------------------ the counter, on notebooks made here

# A box as xentlib writes it, cut down: 1 + 3 + 3 = 7 visible words (the title's "Incorrect",
# the truth's "one two three" -- its formula left out -- and the summary), 4 words folded away.
BOX = ('<div class="admonition danger claim-box" id="claim-x"><p class="admonition-title">'
       '<strong>Incorrect</strong></p><div class="claim-correct"><p>one two three \\(a + b = c\\)</p></div>'
       '<details class="claim-details"><summary>Source and evidence</summary>'
       '<blockquote lang="zh">源 文</blockquote><p>hidden hidden words</p></details></div>')
BOX_WORDS = 7


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _box_cell() -> dict:
    return {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": 'audit.show("x")',
            "outputs": [{"output_type": "display_data", "metadata": {},
                         "data": {"text/plain": "[INCORRECT]", "text/html": BOX}}]}


def _notebook(tmp_path: pathlib.Path, prose_words: int, boxes: int) -> str:
    """A chapter: ``prose_words`` words of prose (plus a heading word), a formula, a code
    block and a closed MyST directive (neither counted, the directive's body excepted), then
    ``boxes`` claim boxes, then an optional section and a summary whose words must not count."""
    cells = [_md("# Title\n\n" + "word " * prose_words),
             _md("$$\nH(p) = -\\sum_i p_i \\log p_i\n$$\n\n```python\nx = not prose at all\n```"),
             _md("```{note}\nnote body\n```\n\nafter the note"),
             _md("```{math}\nE = m c^2 \\quad \\text{not words}\n```")]
    cells += [_box_cell() for _ in range(boxes)]
    cells += [_md("## Going further (optional)\n\n" + "later " * 500), _box_cell(), _md("## Summary\n\nmore")]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / f"nb-{prose_words}-{boxes}.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return str(path)


# prose: "# Title" (the counter counts the "#" too) + the words + "note body" + "after the note"
EXTRA_PROSE = 2 + 2 + 3


def test_counter_counts_prose_and_visible_box_words_by_hand(tmp_path):
    row = stats.core_path_stats(_notebook(tmp_path, prose_words=94, boxes=2))
    assert row["prose"] == 94 + EXTRA_PROSE
    assert row["boxes"] == 2                        # the box after "(optional)" is not counted
    assert row["box_words"] == 2 * BOX_WORDS
    assert row["share"] == pytest.approx(14 / 115)


def test_few_boxes_pass_and_many_boxes_fail(tmp_path):
    few = stats.core_path_stats(_notebook(tmp_path, prose_words=200, boxes=3))      # 21 / 228
    many = stats.core_path_stats(_notebook(tmp_path, prose_words=200, boxes=40))    # 280 / 487
    assert share_problems([few]) == []
    assert share_problems([many]) and "nb-200-40: box share 57 %" in share_problems([many])[0]
    # at the limit: 30 % passes, one box more fails
    edge = stats.core_path_stats(_notebook(tmp_path, prose_words=140, boxes=9))     # 63 / 210
    assert edge["share"] == pytest.approx(0.30) and share_problems([edge]) == []
    over = stats.core_path_stats(_notebook(tmp_path, prose_words=140, boxes=10))    # 70 / 217
    assert share_problems([over])


def test_prose_after_a_closed_directive_counts(tmp_path):
    """A bare ``` closing a MyST directive used to open a code block in the counter, so every
    prose line after a ```{note} ... ``` was dropped until the next fence."""
    assert stats._markdown_words("```{note}\nin the note\n```\n\nfour words after it") == 7
    assert stats._markdown_words("```python\nx = 1\n```\n\nthree words here") == 3
    assert stats._markdown_words("````{note}\n```python\ncode\n```\nbody\n````\nafter") == 2
