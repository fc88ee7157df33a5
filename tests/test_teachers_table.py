"""The teachers' page lists every exercise of the course, once, with a kind and a class note."""
from __future__ import annotations

import pathlib
import re

from xentlib.course import exercises

TEACHERS = pathlib.Path(__file__).resolve().parent.parent / "chapters" / "teachers.md"
KINDS = set(exercises.STYLES.values())   # the label of each exercise's style
ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*\{ref\}`[^`<]*<ex-([a-z0-9-]+)>`\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$", re.M)


def table_problems(text: str, ids_by_chapter: dict[str, int], styles: dict[str, str] | None = None) -> list[str]:
    """What is wrong with the exercise table of ``text`` against the registered exercises."""
    rows = ROW.findall(text)
    seen = [eid for _, eid, _, _ in rows]
    problems = [f"exercise {eid!r} (chapter {ch}) has no row in chapters/teachers.md's exercise table: "
                f"add '| {ch} | {{ref}}`Title <ex-{eid}>` | <its style label> | ... |'"
                for eid, ch in ids_by_chapter.items() if eid not in seen]
    problems += [f"{eid!r} is listed {seen.count(eid)} times" for eid in sorted(set(seen)) if seen.count(eid) > 1]
    for ch, eid, kind, note in rows:
        if eid not in ids_by_chapter:
            problems.append(f"row for {eid!r}, which is no registered exercise")
        elif int(ch) != ids_by_chapter[eid]:
            problems.append(f"row for {eid!r} says chapter {ch}, the exercise is in chapter {ids_by_chapter[eid]}")
        if kind not in KINDS:
            problems.append(f"row for {eid!r}: kind {kind!r} is not one of {sorted(KINDS)}")
        elif styles is not None and eid in styles and kind != styles[eid]:
            problems.append(f"row for {eid!r}: kind {kind!r}, but the exercise's style is {styles[eid]!r}")
        if not note.strip():
            problems.append(f"row for {eid!r}: say whether it suits a class")
    return problems


def _registered() -> dict[str, int]:
    return {ex.id: int(ex.chapter[:2]) for ex in exercises.REGISTRY.values()}


def test_every_exercise_has_one_row_in_the_teachers_table():
    styles = {ex.id: exercises.STYLES[ex.style] for ex in exercises.REGISTRY.values()}
    problems = table_problems(TEACHERS.read_text(encoding="utf-8"), _registered(), styles)
    assert not problems, "\n".join(problems)


def test_the_table_check_can_fail():
    text = TEACHERS.read_text(encoding="utf-8")
    reg = _registered()
    first = next(iter(reg))
    without = "\n".join(ln for ln in text.splitlines() if f"<ex-{first}>" not in ln)
    assert any("has no row" in p for p in table_problems(without, reg))
    assert any("kind" in p for p in table_problems(text.replace("| problem |", "| quiz |", 1), reg))
    assert any("no registered exercise" in p
               for p in table_problems(text + "\n| 1 | {ref}`X <ex-made-up>` | problem | yes |\n", reg))
    styles = {eid: "warm-up" for eid in reg}
    assert any("the exercise's style is" in p for p in table_problems(text.replace("| warm-up |", "| problem |"),
                                                                        reg, {first: "find the bug"}))
    assert not [p for p in table_problems(text, reg, None) if "style" in p] and styles
