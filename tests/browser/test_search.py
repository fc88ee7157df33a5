"""Search result snippets show the text that matches, not the ".ipynb .pdf"
download buttons of the article header (Sphinx cuts the snippet around the
*stemmed* term, "entropi", which no page contains; assets/xe-search.js)."""
from __future__ import annotations

import pytest

SNIPPETS = """
() => Array.from(document.querySelectorAll('#search-results ul.search li')).map(li => ({
  title: (li.querySelector('a') || {}).textContent || '',
  snippet: (li.querySelector('p.context') || {}).textContent || null,
}))
"""


@pytest.mark.browser
@pytest.mark.parametrize("query", ["entropy", "gradient", "smoothing"])
def test_snippets_show_the_match(open_page, query):
    watch = open_page(f"search.html?q={query}")
    page = watch.page
    page.wait_for_function("document.querySelectorAll('#search-results ul.search li p.context').length > 2",
                           timeout=20_000)
    page.wait_for_timeout(500)
    results = page.evaluate(SNIPPETS)
    snippets = [r for r in results if r["snippet"] is not None]
    assert len(snippets) >= 3, results
    bad = [r for r in snippets if ".ipynb" in r["snippet"] or query[:6] not in r["snippet"].lower()]
    assert not bad, f"{len(bad)} of {len(snippets)} snippets do not show {query!r}: {bad[:3]}"
    assert not watch.problems(), watch.problems()
