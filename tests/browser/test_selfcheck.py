"""The self-checks work on the built site, without a kernel and without the network.

On chapter 1's page, at 360 px and 1280 px, in the light and the dark colour mode: one
multiple-choice check and one numeric check are answered wrong and right, once by keyboard and
once by mouse; the feedback shown in the ``aria-live`` region must be the one
``SelfCheck.judge`` gives for that answer (computed here, in Python), readable (WCAG AA contrast),
inside the column; the question's maths is typeset; nothing is fetched from outside the site and
nothing logs an error.  A screenshot of each check goes to ``test-artifacts/screens/``.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.screens import CONTRAST, MODES, open_in_mode
from xentlib.course import selfcheck

PAGE = "chapters/01_entropy.html"
CHOICE = "entropy-which-largest"
NUMBER = "surprise-in-bits"


def _words(feedback: str) -> str:
    """The first words of a feedback before any maths (what the page shows as plain text)."""
    return re.split(r"[$`]", feedback)[0].strip()[:40]


def _shown(page, cid: str) -> dict:
    return page.evaluate("""(id) => {
      const f = document.getElementById('xc-' + id), live = f.querySelector('.xc-live');
      const r = live.getBoundingClientRect();
      return {text: live.textContent, ok: live.getAttribute('data-ok'), key: f.getAttribute('data-answered'),
              aria: live.getAttribute('aria-live'), right: r.right, width: document.documentElement.clientWidth,
              overflow: f.scrollWidth - f.clientWidth, visible: r.height > 0};
    }""", cid)


def _expect(page, cid: str, response) -> None:
    v = selfcheck.judge(cid, response)
    shown = _shown(page, cid)
    assert shown["key"] == v.key, (cid, response, shown)
    assert shown["ok"] == str(int(v.correct)), shown
    assert ("\u2714 Right." if v.correct else "\u2718 Not quite.") in shown["text"], shown
    assert _words(v.feedback) in shown["text"], (v.feedback, shown["text"])
    assert shown["aria"] == "polite" and shown["visible"], shown
    assert shown["right"] <= shown["width"] + 1 and shown["overflow"] <= 1, shown


def _contrast(page, cid: str) -> dict:
    script = CONTRAST.replace("document.createTreeWalker(document.body",
                              f"document.createTreeWalker(document.getElementById('xc-{cid}')")
    assert script != CONTRAST
    return page.evaluate(script)


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("mode", MODES)
def test_selfchecks_by_keyboard_and_mouse(browser, server, artifacts, mode, width):
    watch = open_in_mode(browser, server, PAGE, mode, width=width)
    page = watch.page
    try:
        page.wait_for_selector(f"#xc-{CHOICE}[data-ready='true']", state="attached", timeout=10_000)
        # the question's maths was typeset when the site was built
        assert page.locator(f"#xc-{NUMBER} legend mjx-container").count() >= 1
        assert page.locator(f"#xc-{NUMBER} .xc-live").inner_text() == ""
        options = selfcheck.get(CHOICE).options
        right = next(k for k, o in enumerate(options) if o.correct)
        wrong = next(k for k, o in enumerate(options) if not o.correct and k != right)

        # multiple choice by keyboard: focus the first radio, Space picks it, arrows move the choice
        radios = page.locator(f"#xc-{CHOICE} input[type=radio]")
        radios.nth(0).focus()
        page.keyboard.press("Space")
        _expect(page, CHOICE, 0)
        for _ in range(right):
            page.keyboard.press("ArrowDown")
        _expect(page, CHOICE, right)
        # ... and by mouse: a click on an option's text (its label)
        page.locator(f"#xc-{CHOICE} li").nth(wrong).locator("label span").click()
        _expect(page, CHOICE, wrong)
        assert radios.nth(wrong).is_checked()

        # a number by keyboard: type, Enter submits
        field = page.locator(f"#xc-{NUMBER} input[type=text]")
        mistake = selfcheck.get(NUMBER).mistakes[0].value
        field.focus()
        page.keyboard.type(f"{mistake:.3f}")
        page.keyboard.press("Enter")
        _expect(page, NUMBER, f"{mistake:.3f}")
        # ... and by mouse: fill in, click Check (a Unicode minus, then the right answer with a comma)
        field.fill("\u22123")
        page.locator(f"#xc-{NUMBER} button").click()
        _expect(page, NUMBER, "\u22123")
        answer = selfcheck.get(NUMBER).answer
        field.fill(f"{answer:.2f}".replace(".", ","))
        page.locator(f"#xc-{NUMBER} button").click()
        _expect(page, NUMBER, f"{answer:.2f}".replace(".", ","))
        assert page.url.endswith(PAGE), "submitting the form must not reload the page"

        for cid in (CHOICE, NUMBER):
            result = _contrast(page, cid)
            assert result["checked"] >= 3, result
            assert not result["bad"], (mode, width, result["bad"][:5])
            (artifacts / "screens").mkdir(exist_ok=True)
            page.locator(f"#xc-{cid}").screenshot(path=str(artifacts / "screens" / f"selfcheck-{cid}-{mode}-{width}.png"))
        assert not watch.problems(), watch.problems()
    finally:
        page.close()


@pytest.mark.browser
def test_print_hides_the_controls(browser, server):
    """In print (the PDF) a check is a question: no Check button, no feedback, a pointer to the answers."""
    watch = open_in_mode(browser, server, PAGE, "light")
    page = watch.page
    try:
        page.emulate_media(media="print")
        seen = page.evaluate("""(id) => {
          const f = document.getElementById('xc-' + id);
          return {button: getComputedStyle(f.querySelector('button')).display,
                  live: getComputedStyle(f.querySelector('.xc-live')).display,
                  after: getComputedStyle(f, '::after').content};
        }""", NUMBER)
        assert seen["button"] == "none" and seen["live"] == "none", seen
        assert "Self-check answers" in seen["after"], seen
    finally:
        page.close()
