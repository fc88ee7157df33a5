"""A self-check in JupyterLab: ``selfcheck.show(...)`` is a live widget whose feedback comes from the
running kernel.  A probe notebook shows one multiple-choice and one numeric check; the test runs it,
answers each wrong and right with the mouse and the keyboard, and reads the feedback JupyterLab
shows, which must be the one ``SelfCheck.judge`` gives (computed here).  The question's maths is
typeset by JupyterLab (no network: the lab serves its own MathJax)."""
from __future__ import annotations

import json
import re

from xentlib.course import selfcheck

from . import driver

CHOICE = "entropy-which-largest"
NUMBER = "surprise-in-bits"
CELLS = ["from xentlib.course import selfcheck", f'selfcheck.show("{CHOICE}")', f'selfcheck.show("{NUMBER}")']

JS_OUT = """
(i) => {
  const out = window.jupyterapp.shell.currentWidget.content.widgets[i].node.querySelector('.jp-OutputArea');
  const html = [...out.querySelectorAll('.widget-htmlmath')];
  return {feedback: html.length ? html[html.length - 1].textContent : null,
          maths: html.length ? html[0].querySelectorAll('mjx-container').length : 0,
          radios: out.querySelectorAll('input[type=radio]').length};
}
"""


def _words(feedback: str) -> str:
    return re.split(r"[$`]", feedback)[0].strip()[:40]


def _wait_feedback(page, cell: int, cid: str, response) -> dict:
    v = selfcheck.judge(cid, response)
    mark = "\u2714 Right." if v.correct else "\u2718 Not quite."
    shown: dict = {}
    for _ in range(40):  # the kernel answers through the comm: poll (bounded)
        shown = page.evaluate(JS_OUT, cell)
        text = shown["feedback"] or ""
        if mark in text and _words(v.feedback) in text:
            return shown
        page.wait_for_timeout(250)
    raise AssertionError(f"{cid}: answer {response!r} should show {mark} {v.feedback!r}; JupyterLab shows {shown}")


def test_selfcheck_widgets_give_feedback_in_a_running_kernel(jupyterlab, lab_browser, shots):
    nb = {"cells": [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": src, "outputs": [],
                     "execution_count": None} for i, src in enumerate(CELLS)],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (jupyterlab.root / "chapters" / "selfcheck_probe.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    page = lab_browser.new_page()
    try:
        driver.open_notebook(page, jupyterlab, "chapters/selfcheck_probe.ipynb")
        driver.run_all(page)
        options = selfcheck.get(CHOICE).options
        right = next(k for k, o in enumerate(options) if o.correct)
        page.wait_for_function("() => document.querySelectorAll('.widget-radio-box input[type=radio]').length > 0",
                               timeout=30_000)
        shown = page.evaluate(JS_OUT, 1)
        assert shown["radios"] == len(options), shown
        radios = page.locator(".widget-radio-box input[type=radio]")
        # mouse: a wrong option, then the right one
        radios.nth(0).click()
        _wait_feedback(page, 1, CHOICE, 0)
        radios.nth(right).click()
        _wait_feedback(page, 1, CHOICE, right)
        # keyboard: type a typical mistake and press Enter; then the right answer and the Check button
        field = page.locator(".widget-text input").first
        mistake = selfcheck.get(NUMBER).mistakes[0].value
        field.click()
        field.fill(f"{mistake:.3f}")
        page.keyboard.press("Enter")
        _wait_feedback(page, 2, NUMBER, f"{mistake:.3f}")
        right = f"{selfcheck.get(NUMBER).answer:g}"
        field.fill(right)
        page.locator(".jp-OutputArea button", has_text="Check").first.click()
        number = _wait_feedback(page, 2, NUMBER, right)
        assert number["maths"] >= 1, f"the question's maths is not typeset in JupyterLab: {number}"
        page.screenshot(path=str(shots / "selfcheck_probe.png"))
        driver.close_notebook(page)
    finally:
        page.close()
