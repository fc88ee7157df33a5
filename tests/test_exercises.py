"""Exercise checkers (xentlib.course.exercises) and the exercises in the chapter notebooks.

* every checker accepts its reference answer (and a rounded one);
* every typical wrong answer is rejected *with the hint aimed at it*;
* chapters 01-06 each hold at least three sphinx-exercise exercises, each with a
  gated solution, and every checker called in a notebook exists.
"""
from __future__ import annotations

import json
import pathlib
import re

import numpy as np
import pytest

from xentlib.course import exercises

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = ["01_entropy", "02_cross_entropy", "03_loss_and_gradient", "04_training",
            "05_trends", "06_faq"]
IDS = [ex.id for ex in exercises.list_exercises()]
MISTAKES = [(ex.id, m.name) for ex in exercises.list_exercises() for m in ex.mistakes]


@pytest.mark.parametrize("eid", IDS)
def test_reference_is_accepted(eid):
    ex = exercises.exercise(eid)
    ref = np.asarray(ex.reference(), dtype=float)
    assert np.all(np.isfinite(ref))
    fb = exercises.evaluate(eid, ref)
    assert fb.correct and "Correct" in fb.message, fb.message
    # the "ex-" label works too, and a Python float / list is fine
    assert exercises.evaluate(ex.label, ref.tolist()).correct


@pytest.mark.parametrize("eid", IDS)
def test_reference_rounded_to_four_significant_digits_is_accepted(eid):
    ref = np.asarray(exercises.exercise(eid).reference(), dtype=float)
    rounded = np.array([float(f"{v:.4g}") for v in ref.ravel()]).reshape(ref.shape)
    assert exercises.evaluate(eid, rounded).correct


@pytest.mark.parametrize("eid,name", MISTAKES)
def test_typical_mistake_is_rejected_with_its_hint(eid, name):
    ex = exercises.exercise(eid)
    mistake = next(m for m in ex.mistakes if m.name == name)
    wrong = mistake.value()
    assert not np.allclose(wrong, ex.reference(), rtol=0.01), \
        f"{eid}: the mistake {name!r} gives the right answer; pick data that separates them"
    fb = exercises.evaluate(eid, wrong)
    assert not fb.correct
    assert fb.mistake == name, f"{eid}: {name!r} recognised as {fb.mistake!r}"
    assert mistake.hint in fb.message and "Hint:" in fb.message


@pytest.mark.parametrize("eid", IDS)
def test_every_exercise_targets_typical_mistakes(eid):
    ex = exercises.exercise(eid)
    assert len(ex.mistakes) >= 2, f"{eid}: give at least two typical mistakes with hints"
    assert ex.unit in ex.asks or not ex.unit, f"{eid}: the question must state the unit"


def test_unrecognised_wrong_answer_gets_a_generic_hint():
    fb = exercises.evaluate("entropy-fair-die", 42.0)
    assert not fb.correct and fb.mistake is None and "Hint:" in fb.message


def test_missing_answer_and_wrong_shape_are_explained():
    assert exercises.evaluate("entropy-fair-die", ...).mistake == "no-answer"
    assert exercises.evaluate("entropy-fair-die", None).mistake == "no-answer"
    assert exercises.evaluate("entropy-fair-die", "2.58").mistake == "no-answer"
    fb = exercises.evaluate("softmax-gradient", [0.1, 0.2])
    assert fb.mistake == "wrong-shape" and "shape" in fb.message
    assert exercises.evaluate("entropy-fair-die", float("nan")).mistake == "not-finite"


def test_check_prints_the_verdict(capsys):
    ref = exercises.exercise("kl-order").reference()
    assert exercises.check("kl-order", ref) is None
    assert "Correct" in capsys.readouterr().out
    wrong = exercises.exercise("kl-order").mistakes[0].value()
    exercises.check("kl-order", wrong)
    out = capsys.readouterr().out
    assert "Not yet" in out and "wrong argument order" in out


def test_unknown_exercise_names_the_argument():
    with pytest.raises(KeyError, match="unknown exercise id 'no-such-exercise'"):
        exercises.check("no-such-exercise", 1.0)
    with pytest.raises(KeyError, match="did you mean 'entropy-fair-die'"):
        exercises.check("entropy-fair-dye", 1.0)
    with pytest.raises(TypeError, match="exercise_id"):
        exercises.check(3, 1.0)


def test_data_returns_fresh_copies():
    d = exercises.data("entropy-fair-die")
    d["p"][:] = 0
    assert exercises.data("entropy-fair-die")["p"].sum() == pytest.approx(1.0)
    for eid in IDS:
        assert isinstance(exercises.data(eid), dict)


def test_every_chapter_has_exercises_in_the_catalog():
    for stem in CHAPTERS:
        assert len(exercises.list_exercises(stem)) >= 3, stem


# ---------------------------------------------------------------------------
# The exercises in the chapter notebooks
# ---------------------------------------------------------------------------
EXERCISE_RE = re.compile(r"^```\{exercise\}[^\n]*\n:label:\s*(\S+)", re.M)
SOLUTION_START_RE = re.compile(r"^```\{solution-start\}\s*(\S+)", re.M)
CHECK_RE = re.compile(r"exercises\.check\(\s*[\"']([^\"']+)[\"']")


def _cells(stem):
    nb = json.loads((ROOT / "chapters" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]


def notebook_exercises(stem):
    labels = []
    for kind, src in _cells(stem):
        if kind == "markdown":
            labels += EXERCISE_RE.findall(src)
    return labels


@pytest.mark.parametrize("stem", CHAPTERS)
def test_chapter_has_at_least_three_exercises(stem):
    labels = notebook_exercises(stem)
    assert len(labels) >= 3, f"{stem}: {len(labels)} exercise(s), need at least 3"


@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_exercise_has_a_gated_dropdown_solution(stem):
    cells = _cells(stem)
    labels = notebook_exercises(stem)
    starts = [m for kind, src in cells if kind == "markdown" for m in SOLUTION_START_RE.findall(src)]
    for label in labels:
        assert label in starts, f"{stem}: exercise {label} has no solution-start"
    for kind, src in cells:
        if kind == "markdown" and SOLUTION_START_RE.search(src):
            assert ":class: dropdown" in src, f"{stem}: solution not collapsed: {src[:60]!r}"
    n_end = sum(1 for kind, src in cells if kind == "markdown" and src.lstrip().startswith("```{solution-end}"))
    assert n_end == len(starts), f"{stem}: {len(starts)} solution-start but {n_end} solution-end"
    for kind, src in cells:
        if kind == "code":
            for eid in CHECK_RE.findall(src):
                exercises.exercise(eid)   # raises if the notebook calls an unknown checker


def test_exercise_labels_are_unique_across_the_book():
    seen = {}
    for stem in CHAPTERS:
        for label in notebook_exercises(stem):
            assert label not in seen, f"{label} in {stem} and {seen[label]}"
            seen[label] = stem
