"""What the built pages carry beyond their text: nothing a reader's browser never uses."""
from __future__ import annotations

import json

from tests.conftest import built_pages

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def widget_state_pages(site, pages) -> list[str]:
    """Pages that embed the notebooks' ipywidgets state (no widget manager reads it on the site)."""
    return [str(rel) for rel in pages if WIDGET_STATE in (site / rel).read_text(encoding="utf-8")]


def test_no_widget_state_in_the_pages(site):
    pages = built_pages()
    explorer_pages = [rel for rel in pages if 'class="xe-explorer' in (site / rel).read_text(encoding="utf-8")]
    assert len(explorer_pages) >= 4, f"the explorers' static frames are missing: {explorer_pages}"
    assert widget_state_pages(site, pages) == []


def test_widget_state_check_can_fail(tmp_path):
    state = {"version_major": 2, "version_minor": 0, "state": {"abc": {}}}
    page = tmp_path / "page.html"
    page.write_text(f'<script type="{WIDGET_STATE}">{json.dumps(state)}</script>', encoding="utf-8")
    assert widget_state_pages(tmp_path, ["page.html"]) == ["page.html"]
