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
IDS = [ex.id for ex in exercises.list_exercises() if ex.kind == "number"]
MISTAKES = [(ex.id, m.name) for ex in exercises.list_exercises() if ex.kind == "number" for m in ex.mistakes]


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
    assert exercises.evaluate("entropy-fair-die", "2.58").mistake == "not-a-number"
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


# -- issue 11, item 7: units, hints, shapes, the site's check cells ------------------

ALL_IDS = [e.id for e in exercises.list_exercises() if e.kind == "number"]
UNIT_MISTAKES = [(e.id, m.name) for e in exercises.list_exercises() if e.kind == "number" for m in e.mistakes if m.unit]


@pytest.mark.parametrize(("eid", "name"), UNIT_MISTAKES)
def test_a_wrong_unit_value_is_named_in_its_own_unit(eid, name):
    ex = exercises.exercise(eid)
    m = next(m for m in ex.mistakes if m.name == name)
    msg = exercises.evaluate(eid, m.value()).message
    assert m.unit != ex.unit, f"{eid}/{name}: unit= is only for a unit other than the exercise's"
    assert exercises._fmt(m.value(), m.unit) + " is not right" in msg, msg
    if ex.unit:
        assert exercises._fmt(m.value(), ex.unit) not in msg, f"{eid}/{name}: the value is labelled {ex.unit}: {msg}"


def test_the_fair_die_in_nats_is_called_nats():
    msg = exercises.evaluate("entropy-fair-die", np.log(6)).message
    assert "1.792 nats is not right" in msg and "1.792 bits" not in msg, msg


_FUNCS = {"log2": np.log2, "ln": np.log, "log": np.log, "log10": np.log10, "sqrt": np.sqrt}


_TOKEN = re.compile(r"\s*(log2|log10|ln|log|sqrt|\d+(?:\.\d+)?|\*\*|[-+*/^()\u2212\u00d7\u00b7])")
_PY = {"\u2212": "-", "\u00d7": "*", "\u00b7": "*", "^": "**"}


def _tokens(span: str) -> list[str]:
    return [_PY.get(t, t) for t in _TOKEN.findall(span)]


def _evaluate(tokens: list[str]) -> float | None:
    """The value of an arithmetic expression of numbers, + - * / ** ( ) and log2/ln/log/log10/sqrt
    (a function's argument may follow without brackets, as in 'ln 2'), or None."""
    import ast

    src, i = [], 0
    while i < len(tokens):
        t = tokens[i]
        if t in _FUNCS and i + 1 < len(tokens) and re.fullmatch(r"\d+(?:\.\d+)?", tokens[i + 1]):
            src.append(f"{t}({tokens[i + 1]})")  # 'ln 2' -> ln(2)
            i += 2
            continue
        src.append(t)
        i += 1
    try:
        tree = ast.parse(" ".join(src), mode="eval")
    except SyntaxError:
        return None
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Call, ast.Name, ast.Load,
               ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)
    if not all(isinstance(n, allowed) for n in ast.walk(tree)):
        return None
    if any(isinstance(n, ast.Name) and n.id not in _FUNCS for n in ast.walk(tree)):
        return None
    if any(isinstance(n, ast.Pow) for n in ast.walk(tree)):
        for n in ast.walk(tree):  # no huge powers
            if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) and not (
                    isinstance(n.right, ast.Constant) and abs(n.right.value) <= 64):
                return None
    try:
        with np.errstate(all="ignore"):
            value = float(eval(compile(tree, "<hint>", "eval"), {"__builtins__": {}}, dict(_FUNCS)))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return value if np.isfinite(value) else None


def _quantities(text: str) -> list[tuple[str, float]]:
    """Every number in a text, and every arithmetic expression written with numbers: 'ln 2',
    'log2(6)', '1/2', '2 - 1/4', '3 × ln 2' (each contiguous run of number/operator tokens, and
    every shorter run inside it)."""
    out = []
    spans = re.finditer(r"(?:(?:log2|log10|ln|log|sqrt)\b|\d+(?:\.\d+)?|\*\*|[-+*/^()\u2212\u00d7\u00b7]|[ \t])+",
                        text)
    for m in spans:
        if re.search(r"[A-Za-z_]\Z", text[:m.start()]) and m.group(0)[:1].isdigit():
            continue  # a digit glued to a word (log2 inside 'xl.log2', H2): not a number of the hint
        toks = _tokens(m.group(0))
        for a in range(len(toks)):
            for b in range(a + 1, min(len(toks), a + 12) + 1):
                value = _evaluate(toks[a:b])
                if value is not None:
                    out.append((" ".join(toks[a:b]), value))
    return out


def _leaks(ex) -> list[str]:
    ref = np.atleast_1d(np.asarray(ex.reference(), dtype=float))
    hints = [("generic", ex.hint)] + [(m.name, m.hint) for m in ex.mistakes]
    return [f"{where}: {text!r} gives {value:g}" for where, hint in hints
            for text, value in _quantities(hint)
            if any(np.isclose(value, r, rtol=5e-3, atol=0) and r != 0 for r in ref)]


@pytest.mark.parametrize("eid", ALL_IDS)
def test_hints_do_not_give_the_answer(eid):
    leaks = _leaks(exercises.exercise(eid))
    assert not leaks, f"{eid}: a hint states the answer: " + "; ".join(leaks)


def test_the_leak_check_can_fail():
    values = [v for _, v in _quantities("six outcomes: H = log2(6) bits, ln 10 nats, 1/2")]
    for expected in (np.log2(6), np.log(10), 0.5):
        assert any(np.isclose(v, expected) for v in values), (expected, values)
    leaky = exercises.Exercise(id="leaky-die", chapter="01_entropy", title="t", asks="H in bits", unit="bits",
                               data=dict, reference=lambda: np.log2(6), hint="H = log2(6) bits")
    assert _leaks(leaky), "the leak check missed log2(6)"
    # an answer written as arithmetic that evaluates to it (1.75 bits as "2 - 1/4")
    for hint in ("about 2 − 1/4 bits", "H = 2 - 1/4 bits", "1 + 3/4 bits", "(7/4) bits", "7 × 1/4 bits"):
        arith = exercises.Exercise(id="leaky-arith", chapter="01_entropy", title="t", asks="H in bits",
                                   unit="bits", data=dict, reference=lambda: 1.75, hint=hint)
        assert _leaks(arith), f"the leak check missed {hint!r}"
    honest = exercises.Exercise(id="honest-hint", chapter="01_entropy", title="t", asks="H in bits",
                                unit="bits", data=dict, reference=lambda: 1.75,
                                hint="Average the surprise -log2 p over the outcomes.")
    assert not _leaks(honest)


@pytest.mark.parametrize("eid", ALL_IDS)
def test_every_form_of_the_asked_quantity_is_accepted(eid):
    """A row as (1, K) or (K,), a scalar as () or (1,) or (1, 1): what the course's functions return."""
    ref = np.asarray(exercises.exercise(eid).reference(), dtype=float)
    for shape in {ref.shape, (1, *ref.shape), (*ref.shape, 1), (ref.size,)}:
        assert exercises.evaluate(eid, ref.reshape(shape)), f"{eid}: shape {shape} rejected"
    assert not exercises.evaluate(eid, np.concatenate([ref.ravel(), [0.0]]))


def test_softmax_gradient_accepts_what_the_exercise_says_to_call():
    import xentlib as xl

    d = exercises.data("softmax-gradient")
    _, grad = xl.softmax_cross_entropy(np.atleast_2d(d["logits"]), np.atleast_1d(d["target"]), return_grad=True)
    assert np.shape(grad) == (1, 3)
    assert exercises.evaluate("softmax-gradient", grad), exercises.evaluate("softmax-gradient", grad).message
