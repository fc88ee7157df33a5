"""Exercises worth assigning, laid out for the student (issue 18, items 1 and 2).

* Each content chapter has at least one from-scratch exercise (a function written
  with NumPy only, checked on random and edge-case inputs against xentlib), one
  predict-then-run exercise and one find-the-bug exercise, and at most one
  warm-up ("call a function and store the number").
* Each exercise is: its ``{exercise}`` block, whose title ends with its style;
  an answer cell (tagged ``answer``) that defines the checked name and nothing
  else; the check cell ``exercises.check("ID", name)``, whose stored output is
  the verdict on the empty answer; then the folded worked solution, which
  computes ``solution_<name>`` and never assigns the student's name.
* The checkers of the new kinds: a function that is the reference passes, each
  typical mistake gets its own hint and the failing input is named; every wrong
  option of a choice has a hint naming its misconception.
"""
from __future__ import annotations

import json
import pathlib
import re
import sys

import numpy as np
import pytest

import xentlib as xl
from xentlib.course import exercises

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import assign  # noqa: E402  (tools/ is not a package)
import student_edition as se  # noqa: E402

CHAPTERS = ("01_entropy", "02_cross_entropy", "03_loss_and_gradient", "04_training", "05_trends", "06_faq")
TITLE_RE = re.compile(r"^```\{exercise\}\s*(.*?)\s*\n:label:\s*ex-(\S+)", re.M)


def _nb(stem):
    import nbformat

    return nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", as_version=4)


def _src(cell) -> str:
    return se._source(cell)


def _by_kind(kind):
    return [ex.id for ex in exercises.list_exercises() if ex.kind == kind]


# ---------------------------------------------------------------------------
# Item 1: the mix of exercises in each chapter
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("stem", CHAPTERS)
def test_each_chapter_has_the_three_kinds_and_at_most_one_warm_up(stem):
    styles = [ex.style for ex in exercises.list_exercises(stem)]
    for style in ("from-scratch", "predict", "find-the-bug"):
        assert style in styles, f"{stem}: no {style} exercise (styles: {styles})"
    assert styles.count("warm-up") <= 1, f"{stem}: {styles.count('warm-up')} warm-ups, at most 1"


@pytest.mark.parametrize("stem", CHAPTERS)
def test_from_scratch_exercises_check_a_function_on_edge_cases(stem):
    for ex in exercises.list_exercises(stem):
        if ex.style == "from-scratch":
            assert ex.kind == "function" and ex.numpy_only, f"{ex.id}: from scratch means a NumPy-only function"
            assert ex.cases is not None and len(ex.cases()) >= 4, f"{ex.id}: at least 4 inputs (random and edge cases)"
            names = " ".join(c.name for c in ex.cases())
            assert "random" in names, f"{ex.id}: no random input among {names!r}"


@pytest.mark.parametrize("stem", CHAPTERS)
def test_titles_in_the_notebook_are_the_registry_titles_with_their_style(stem):
    """One title per exercise: the notebook's reads "<Exercise.title> (<style label>)"."""
    shown = {eid: title for c in _nb(stem).cells if c.cell_type == "markdown"
             for title, eid in TITLE_RE.findall(_src(c))}
    registered = {ex.id: f"{ex.title} ({exercises.STYLES[ex.style]})" for ex in exercises.list_exercises(stem)}
    assert shown == registered


# ---------------------------------------------------------------------------
# Item 2: the notebook works for the student
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("stem", CHAPTERS)
def test_each_exercise_has_an_answer_cell_then_its_check_then_the_folded_solution(stem):
    nb = _nb(stem)
    exs = assign.split_exercises(nb)    # raises on a missing answer cell or a solution writing the answer
    assert {e["id"] for e in exs} == {ex.id for ex in exercises.list_exercises(stem)}
    for e in exs:
        answer, check = nb.cells[e["answer"]], nb.cells[e["answer"] + 1]
        assert e["answer"] + 2 == e["start"], f"{e['id']}: answer cell, check cell, solution, in this order"
        assert _src(check).strip() == f'exercises.check("{e["id"]}", {e["var"]})', f"{e['id']}: {_src(check)!r}"
        out = "".join(o.get("text", "") for o in check.get("outputs", []))
        assert out.startswith(f"[ex-{e['id']}] No answer yet"), f"{e['id']}: the check's stored output: {out!r}"
        assert not answer.metadata.get("jupyter"), \
            f"{e['id']}: the answer cell must not be collapsed"
        assert not answer.get("outputs"), f"{e['id']}: the empty answer cell prints something"


@pytest.mark.parametrize("stem", CHAPTERS)
def test_no_example_mode_message_in_a_chapter(stem):
    text = json.dumps(_nb(stem).dict())
    assert "example=True" not in text and "This is how a check responds" not in text


# ---------------------------------------------------------------------------
# The checkers of the new kinds
# ---------------------------------------------------------------------------
def _as_student(fn):
    """``fn`` as a student's function would call it: through a closure (no xentlib name in its code)."""
    def student(*args):
        return fn(*args)
    return student


@pytest.mark.parametrize("eid", _by_kind("function"))
def test_a_function_exercise_accepts_the_reference(eid):
    ex = exercises.exercise(eid)
    fb = exercises.evaluate(eid, _as_student(ex.reference))
    assert fb.correct and "Well done" in fb.message, fb.message


@pytest.mark.parametrize("eid", _by_kind("function"))
def test_a_function_exercise_names_each_mistake_and_the_input(eid):
    ex = exercises.exercise(eid)
    assert ex.mistakes, f"{eid}: no typical mistake"
    for m in ex.mistakes:
        fb = exercises.evaluate(eid, _as_student(m.value))
        assert not fb.correct and fb.mistake == m.name, f"{eid}/{m.name}: {fb.message}"
        assert "Not yet: on " in fb.message and m.hint in fb.message, fb.message


@pytest.mark.parametrize("eid", _by_kind("function"))
def test_a_function_exercise_refuses_an_empty_answer_and_xentlib(eid):
    assert exercises.evaluate(eid, ...).mistake == "no-answer"

    def nothing(*args):
        return None
    assert exercises.evaluate(eid, nothing).mistake == "no-answer"

    def cheat(*args):
        return xl.entropy(*args)
    assert exercises.evaluate(eid, cheat).mistake == "not-numpy-only"

    def importer(*args):
        import xentlib
        return xentlib.entropy(*args)
    assert exercises.evaluate(eid, importer).mistake == "not-numpy-only"

    def enclosing():
        import xentlib as lib

        def inner(*args):
            return lib.entropy(*args)
        return inner
    assert exercises.evaluate(eid, enclosing()).mistake == "not-numpy-only"


def test_the_function_checker_can_fail_on_an_edge_case():
    """A NumPy entropy without the 0 log 0 convention fails on a zero probability, and the input is named."""
    ex = exercises.Exercise(
        id="t-entropy", chapter="01_entropy", title="t", asks="the entropy in bits", unit="bits", data=dict,
        reference=lambda p: xl.entropy(p, base=2), style="from-scratch",
        cases=lambda: [exercises.Case(name="a random distribution", args=(np.array([0.2, 0.3, 0.5]),)),
                       exercises.Case(name="a zero probability", args=(np.array([0.5, 0.5, 0.0]),))])

    def naive(p):
        return -np.sum(p * np.log2(p))
    with np.errstate(all="ignore"):
        fb = exercises._evaluate(ex, naive)
    assert not fb.correct and "on a zero probability" in fb.message and "[0.5, 0.5, 0. ]" in fb.message


@pytest.mark.parametrize("eid", _by_kind("choice"))
def test_a_choice_exercise_has_a_hint_for_every_wrong_option(eid):
    ex = exercises.exercise(eid)
    assert ex.choices is not None
    right = exercises._key(ex.reference())
    assert right in ex.choices
    assert exercises.evaluate(eid, right.upper())
    wrong = set(ex.choices) - {right}
    named = {exercises._key(m.value()): m for m in ex.mistakes}
    assert wrong <= set(named), f"{eid}: options without a misconception's hint: {sorted(wrong - set(named))}"
    for key in wrong:
        fb = exercises.evaluate(eid, key)
        assert not fb.correct and named[key].hint in fb.message
        assert ex.choices[right] not in named[key].hint, f"{eid}: the hint for ({key}) states the answer"
    assert exercises.evaluate(eid, ...).mistake == "no-answer"


@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_worked_solution_passes_its_own_check(stem):
    """Run the chapter's import cells and each exercise's own cells (its data, a buggy snippet, its
    folded solution: an exercise may not lean on the chapter's other cells), then judge each
    ``solution_<name>`` with the exercise's checker."""
    import contextlib
    import io

    nb = _nb(stem)
    exs = assign.split_exercises(nb)
    inside = set()
    for e in exs:   # the exercise's own cells (its data, a buggy snippet) and its solution
        first = max(k for k in range(e["answer"]) if f":label: {e['label']}" in _src(nb.cells[k]))
        inside |= set(range(first, e["end"])) - {e["answer"], e["answer"] + 1}
    setup = next(k for k, c in enumerate(nb.cells) if c.cell_type == "code")   # the chapter's set-up cell
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
        for k, cell in enumerate(nb.cells):
            imports = k == setup or all(re.match(r"(import |from |$|#)", ln) for ln in _src(cell).splitlines())
            if cell.cell_type == "code" and (k in inside or imports):
                exec(compile(_src(cell), f"{stem}[{k}]", "exec"), ns)  # noqa: S102  (the course's own cells)
    failed = []
    for e in exs:
        with np.errstate(all="ignore"):
            fb = exercises.evaluate(e["id"], ns.get(f"solution_{e['var']}"))
        if not fb.correct:
            failed.append(fb.message)
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize("eid", [ex.id for ex in exercises.list_exercises() if ex.refuse])
def test_a_fix_that_hides_the_symptom_is_refused(eid):
    """``abs`` around the right result passes every case of a KL exercise; ``refuse`` catches it."""
    ex = exercises.exercise(eid)
    ref = ex.reference

    def hides(*args):
        return abs(ref(*args))
    fb = exercises.evaluate(eid, hides)
    assert fb.mistake == "refused-name" and fb.hint == ex.refuse["abs"], fb.message
    assert exercises.evaluate(eid, _as_student(ref)).correct
