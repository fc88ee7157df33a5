"""The student edition in JupyterLab: answers typed into an exercise get the right feedback.

The student edition is written fresh by the ``jupyterlab`` fixture
(tools/student_edition.py) into the served folder.  In chapter 1 the student
types an answer into the answer cell of exercise ``ex-entropy-fair-die``
(entropy of a fair die, in bits), runs it (Shift+Enter) and runs the check cell
below it (Shift+Enter), exactly as the page tells them to.
"""
from __future__ import annotations

import re

import pytest

from xentlib.course import exercises

from . import driver

NOTEBOOK = "student/01_entropy.ipynb"
EXERCISE = "ex-entropy-fair-die"
RIGHT = float(exercises.exercise(EXERCISE).reference())   # bits
NATS = float(next(m for m in exercises.exercise(EXERCISE).mistakes if m.unit == "nats").value())  # natural log


def _cells(nb):
    """The answer cell (tagged ``answer``), the check cell right after it, and the name it checks."""
    check = next(i for i, c in enumerate(nb.cells)
                 if f'exercises.check("{EXERCISE.removeprefix("ex-")}"' in driver.source(c))
    assert "answer" in nb.cells[check - 1].metadata.get("tags", []), "the answer cell comes right before the check"
    name = re.search(r",\s*(\w+)\)", driver.source(nb.cells[check])).group(1)
    return check - 1, check, name


def _answer(page, place: int, check: int, code: str) -> str:
    """Type ``code`` into the placeholder cell, run it and the check cell; the check's output."""
    cell = driver.cell_element(page, place)
    driver.scroll_to(page, cell)
    cell.query_selector(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(code)
    page.keyboard.press("Shift+Enter")   # runs the answer, selects the check cell
    page.keyboard.press("Shift+Enter")   # runs the check
    driver.wait_kernel_idle(page, timeout_s=30)
    page.wait_for_timeout(500)
    return page.evaluate("""(i) => {
        const c = window.jupyterapp.shell.currentWidget.content.widgets[i];
        const o = c.model.outputs; const parts = [];
        for (let k = 0; k < o.length; k++) { const j = o.get(k).toJSON();
          parts.push(j.text ? [].concat(j.text).join('') : (j.ename ? j.ename + ': ' + j.evalue : JSON.stringify(j.data || {}))); }
        return parts.join('\\n'); }""", check)


@pytest.fixture(scope="session")
def student_feedback(jupyterlab, lab_browser, shots):
    nb = driver.read_notebook(jupyterlab.root / NOTEBOOK)
    place, check, name = _cells(nb)
    page = lab_browser.new_page()
    try:
        driver.open_notebook(page, jupyterlab, NOTEBOOK)
        driver.run_all(page)  # imports; the empty answers' checks say "No answer yet"
        out = {
            "nats": _answer(page, place, check, f"{name} = {NATS:.4f}"),
            "other": _answer(page, place, check, f"{name} = {RIGHT + 0.4321:.4f}"),
            "right": _answer(page, place, check, f"{name} = {RIGHT:.4f}"),
        }
        page.screenshot(path=str(shots / "student-01_entropy-check.png"))
    finally:
        driver.close_notebook(page)
        page.close()
    return out


def test_right_answer_is_accepted(student_feedback):
    msg = student_feedback["right"]
    assert "Correct" in msg, f"the right answer {RIGHT:.4f} bits got: {msg!r}"


def test_wrong_answers_are_rejected(student_feedback):
    for key in ("nats", "other"):
        msg = student_feedback[key]
        assert msg.strip() and "Correct" not in msg, f"wrong answer ({key}) got: {msg!r}"


def test_nats_mistake_is_named_with_its_unit(student_feedback):
    """The nats value must be called nats, not '1.792 bits' (issue 11, item 7)."""
    msg = student_feedback["nats"]
    problems = []
    if "nats" not in msg:
        problems.append("does not say the value is in nats")
    if f"{NATS:.4g} bits" in msg:
        problems.append(f"calls the nats value '{NATS:.4g} bits'")
    assert not problems, f"feedback for {NATS:.4f} (nats): {'; '.join(problems)}: {msg!r}"


def test_hint_does_not_give_the_answer(student_feedback):
    """A wrong value must get a hint, not the answer itself (issue 11, item 7)."""
    msg = student_feedback["other"]
    leaks = [s for s in (f"{RIGHT:.3f}", f"{RIGHT:.4g}", f"{RIGHT:.2f}") if s in msg]
    assert not leaks, f"feedback for a wrong value gives the answer away ({leaks}): {msg!r}"


# --- a from-scratch exercise: the student's own function, judged on edge cases ----------------
FUNCTION_EXERCISE = "entropy-bits"
NAIVE = "lambda p: float(-np.sum(p * np.log2(p)))"                      # no 0 log 0 convention
RIGHT_FN = "lambda p: float(-np.sum(p[p > 0] * np.log2(p[p > 0])))"


@pytest.fixture(scope="session")
def function_feedback(jupyterlab, lab_browser, shots):
    assert exercises.exercise(FUNCTION_EXERCISE).style == "from-scratch"
    nb = driver.read_notebook(jupyterlab.root / NOTEBOOK)
    check = next(i for i, c in enumerate(nb.cells)
                 if f'exercises.check("{FUNCTION_EXERCISE}"' in driver.source(c))
    name = re.search(r",\s*(\w+)\)", driver.source(nb.cells[check])).group(1)
    page = lab_browser.new_page()
    try:
        driver.open_notebook(page, jupyterlab, NOTEBOOK)
        driver.run_all(page)
        out = {"naive": _answer(page, check - 1, check, f"{name} = {NAIVE}"),
               "right": _answer(page, check - 1, check, f"{name} = {RIGHT_FN}")}
        page.screenshot(path=str(shots / "student-01_entropy-function-check.png"))
    finally:
        driver.close_notebook(page)
        page.close()
    return out


def test_a_function_without_the_convention_is_told_the_failing_input(function_feedback):
    msg = function_feedback["naive"]
    assert "Not yet" in msg and "zero probability" in msg and "np.array(" in msg, msg


def test_the_right_function_is_accepted(function_feedback):
    assert "Correct" in function_feedback["right"], function_feedback["right"]
