"""Honest times (issue 17, item 7): teachers.md's time table is computed from the notebooks.

``tools/reading_times.py`` counts what a student meets in each chapter (words, formulas, code
cells, figures, explorers, exercises) and turns it into minutes at the rates it states.
Tolerance: none beyond the tool's own rounding up to 5 minutes -- the table in teachers.md must be
exactly what ``python3 tools/reading_times.py --write`` writes from today's notebooks.
"""
from __future__ import annotations

import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import reading_times  # noqa: E402


def test_teachers_md_times_match_the_notebooks():
    text = (ROOT / "chapters" / "teachers.md").read_text(encoding="utf-8")
    expected = reading_times.rewrite(text, reading_times.table(reading_times.times()))
    assert expected == text, ("chapters/teachers.md's time table differs from the notebooks: "
                              "run python3 tools/reading_times.py --write")


def test_teachers_md_states_the_calculus_each_chapter_needs():
    text = (ROOT / "chapters" / "teachers.md").read_text(encoding="utf-8")
    assert "No calculus beyond" not in text
    for needed in ("chain rule", "partial derivative", "matrix products"):
        assert needed in text, needed


def _nb(tmp_path, cells) -> str:
    out = []
    for kind, src, *outputs in cells:
        cell = {"cell_type": kind, "metadata": {}, "source": src}
        if kind == "code":
            cell.update(execution_count=1, outputs=outputs[0] if outputs else [])
        out.append(cell)
    path = tmp_path / "01_x.ipynb"
    path.write_text(json.dumps({"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return str(path)


def test_counts_split_core_optional_and_exercises(tmp_path):
    png = [{"output_type": "display_data", "metadata": {}, "data": {"image/png": "AAAA"}}]
    box = [{"output_type": "display_data", "metadata": {},
            "data": {"text/html": '<div class="claim-box">one two three<details>hidden words</details></div>'}}]
    path = _nb(tmp_path, [
        ("markdown", "# 1. X\n\nfive words of prose here $a$ and\n\n$$b$$"),
        ("code", "import numpy as np\n# a comment\nx = 1\n", png),
        ("code", 'audit.show("x")', box),
        ("code", 'explorers.show("e")'),
        ("markdown", "## More (optional)\n\nfour optional words here"),
        ("markdown", "## Summary\n\nback to core"),
        ("markdown", "## Exercises\n\n```{exercise} One\n:label: ex-one\nDo it.\n```\n\n```{exercise} Two\n```"),
    ])
    c = reading_times.chapter_counts(path)
    # words as teaching_stats counts them: whitespace tokens without formulas ("#" and "##" count)
    assert c["core"] == dict(words=3 + 6 + 3 + 2 + 3, display=1, inline=1, code_cells=1, code_lines=2,
                             figures=1, explorers=1, exercises=0)
    assert c["optional"]["words"] == 3 + 4  # its heading's tokens and its text
    assert c["exercises"]["exercises"] == 2


def test_minutes_follow_the_stated_rates_and_round_up_to_5():
    r = reading_times.RATES
    part = dict(words=r["words_per_min"] * 6, display=0, inline=0, code_cells=0, code_lines=0,
                figures=0, explorers=0, exercises=0)
    assert reading_times.minutes(part, "core") == 10          # 6 min -> 10
    part["words"] = r["words_per_min"] * 5
    assert reading_times.minutes(part, "core") == 5           # exactly 5 stays 5
    assert reading_times.minutes(dict(part, exercises=3), "exercises") == 5 * -(-3 * r["exercise"] // 5)


def test_the_check_fails_on_a_drifted_table(tmp_path, monkeypatch):
    text = (ROOT / "chapters" / "teachers.md").read_text(encoding="utf-8")
    drifted = text.replace(" min |", " min  |", 1)
    assert drifted != text
    fake = tmp_path / "teachers.md"
    fake.write_text(drifted, encoding="utf-8")
    monkeypatch.setattr(reading_times, "TEACHERS", str(fake))
    assert reading_times.main(["--check"]) == 1
    with pytest.raises(ValueError, match="needs one"):
        reading_times.rewrite("no markers", "table")
