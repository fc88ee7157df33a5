"""Glossary cards (issue 17, item 3): a {term} link shows its definition on hover and on keyboard
focus, without leaving the page; Escape and blur hide it; it reads in dark mode on a 360 px phone.

The page is the teachers' page, whose term links are the glossary branch's own; the expected
definition is read from the built glossary page (not from the script under test)."""
from __future__ import annotations

import html
import re

import pytest

from tests.browser.screens import CONTRAST, open_in_mode
from tests.conftest import SITE

PAGE = "chapters/teachers.html"
CARD = "#xe-glossary-card"
# every page with glossary links (the chapters' once their owners link early uses)
CARD_PAGES = sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
                    if "_static" not in p.parts and 'id="xe-glossary-data"' in p.read_text(encoding="utf-8"))


def _definition(anchor: str) -> str:
    """The first words of the definition of ``anchor`` on the built glossary page."""
    page = (SITE / "chapters" / "glossary.html").read_text(encoding="utf-8")
    m = re.search(rf'<dt id="{re.escape(anchor)}">.*?</dt>\s*<dd>(.*?)</dd>', page, re.S)
    assert m, f"{anchor} is not on glossary.html"
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", m.group(1)))).strip()
    return text[:40]


def _first_term_link(page):
    link = page.locator("a.reference.internal:has(.std-term)").first
    href = link.get_attribute("href")
    assert href and "glossary.html#term-" in href, f"no glossary term link on {page.url}"
    return link, href.split("#", 1)[1]


def _card_shown(page) -> bool:
    return page.evaluate(f"() => {{ const c = document.querySelector('{CARD}'); "
                         "return !!c && !c.hidden && c.getBoundingClientRect().height > 0; }")


def test_the_teachers_page_has_cards():
    assert not SITE.exists() or PAGE in CARD_PAGES, CARD_PAGES


@pytest.mark.browser
@pytest.mark.parametrize("rel", CARD_PAGES)
def test_hover_shows_the_definition_without_leaving_the_page(open_page, rel):
    watch = open_page(rel)
    page = watch.page
    link, anchor = _first_term_link(page)
    url = page.url
    link.scroll_into_view_if_needed()
    link.hover()
    page.wait_for_selector(f"{CARD}:not([hidden])", timeout=3000)
    text = page.locator(CARD).inner_text()
    assert _definition(anchor) in re.sub(r"\s+", " ", text), text
    assert page.url == url, "hovering a term navigated away"
    # the pointer leaves the link (and the card): the card goes
    page.mouse.move(5, 5)
    page.wait_for_timeout(600)
    assert not _card_shown(page), "the card stays after the pointer left"
    assert not watch.problems(), watch.problems()


@pytest.mark.browser
def test_keyboard_focus_shows_the_card_and_escape_or_blur_hides_it(open_page):
    watch = open_page(PAGE)
    page = watch.page
    _, anchor = _first_term_link(page)
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('a.reference.internal:has(.std-term)')"):
            break
    else:
        pytest.fail("Tab never reached a glossary term link")
    assert _card_shown(page), "focusing a term link shows no card"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-describedby')") == "xe-glossary-card"
    assert page.evaluate("() => document.querySelector('#xe-glossary-card').getAttribute('role')") == "tooltip"
    focused_anchor = page.evaluate("() => document.activeElement.getAttribute('href').split('#')[1]")
    text = re.sub(r"\s+", " ", page.locator(CARD).inner_text())
    assert _definition(focused_anchor) in text, text
    page.keyboard.press("Escape")
    assert not _card_shown(page), "Escape does not hide the card"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-describedby')") is None
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert _card_shown(page), "focusing the link again shows no card"
    page.keyboard.press("Tab")
    if not page.evaluate("() => document.activeElement.matches('a.reference.internal:has(.std-term)')"):
        assert not _card_shown(page), "the card stays after the link lost focus"
    assert anchor and not watch.problems(), watch.problems()


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_card_fits_a_phone_and_is_readable(browser, server, mode):
    watch = open_in_mode(browser, server, PAGE, mode, width=360, height=740)
    page = watch.page
    try:
        link, _ = _first_term_link(page)
        link.scroll_into_view_if_needed()
        link.focus()
        assert _card_shown(page)
        box = page.locator(CARD).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, f"the card runs off a 360 px screen: {box}"
        bad = [b for b in page.evaluate(CONTRAST)["bad"] if "xe-glossary-card" in b["where"]
               or b["text"] and b["text"] in page.locator(CARD).inner_text()]
        assert not bad, f"{mode} mode: card text below WCAG contrast: {bad}"
        colours = page.evaluate(f"() => getComputedStyle(document.querySelector('{CARD}')).backgroundColor")
        page_bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert colours != "rgba(0, 0, 0, 0)", f"the card has no background in {mode} mode (page {page_bg})"
        assert not watch.problems(), watch.problems()
    finally:
        page.close()
