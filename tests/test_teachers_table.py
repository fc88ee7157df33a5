"""The teachers' page lists every exercise of the course, once, with a kind and a class note."""
from __future__ import annotations

import pathlib
import re

from xentlib.course import exercises

TEACHERS = pathlib.Path(__file__).resolve().parent.parent / "chapters" / "teachers.md"
KINDS = {"quick check", "derivation", "experiment"}
ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*\{ref\}`[^`<]*<ex-([a-z0-9-]+)>`\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$", re.M)


def table_problems(text: str, ids_by_chapter: dict[str, int]) -> list[str]:
    """What is wrong with the exercise table of ``text`` against the registered exercises."""
    rows = ROW.findall(text)
    seen = [eid for _, eid, _, _ in rows]
    problems = [f"exercise {eid!r} (chapter {ch}) has no row in chapters/teachers.md's exercise table: "
                f"add '| {ch} | {{ref}}`Title <ex-{eid}>` | quick check/derivation/experiment | ... |'"
                for eid, ch in ids_by_chapter.items() if eid not in seen]
    problems += [f"{eid!r} is listed {seen.count(eid)} times" for eid in sorted(set(seen)) if seen.count(eid) > 1]
    for ch, eid, kind, note in rows:
        if eid not in ids_by_chapter:
            problems.append(f"row for {eid!r}, which is no registered exercise")
        elif int(ch) != ids_by_chapter[eid]:
            problems.append(f"row for {eid!r} says chapter {ch}, the exercise is in chapter {ids_by_chapter[eid]}")
        if kind not in KINDS:
            problems.append(f"row for {eid!r}: kind {kind!r} is not one of {sorted(KINDS)}")
        if not note.strip():
            problems.append(f"row for {eid!r}: say whether it suits a class")
    return problems


def _registered() -> dict[str, int]:
    return {ex.id: int(ex.chapter[:2]) for ex in exercises.REGISTRY.values()}


def test_every_exercise_has_one_row_in_the_teachers_table():
    problems = table_problems(TEACHERS.read_text(encoding="utf-8"), _registered())
    assert not problems, "\n".join(problems)


def test_the_table_check_can_fail():
    text = TEACHERS.read_text(encoding="utf-8")
    reg = _registered()
    first = next(iter(reg))
    without = "\n".join(ln for ln in text.splitlines() if f"<ex-{first}>" not in ln)
    assert any("has no row" in p for p in table_problems(without, reg))
    assert any("kind" in p for p in table_problems(text.replace("| quick check |", "| quiz |", 1), reg))
    assert any("no registered exercise" in p
               for p in table_problems(text + "\n| 1 | {ref}`X <ex-made-up>` | quick check | yes |\n", reg))
