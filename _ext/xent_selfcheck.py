"""Sphinx extension: the self-checks' script and stylesheet, only on pages that have a check.

A chapter's ``selfcheck.show("id")`` cell outputs a ``<form class="xe-check">``
(xentlib/course/selfcheck.py); ``assets/xe-selfcheck.js`` (deferred) gives it
feedback and ``assets/xe-selfcheck.css`` styles it with the theme's colours and
hides its controls in print.  Pages without a check load neither.
"""
from __future__ import annotations

MARKER = 'class="xe-check '
SCRIPT = "xe-selfcheck.js"
STYLESHEET = "xe-selfcheck.css"


def _page_context(app, pagename, templatename, context, doctree):
    if MARKER not in (context.get("body") or ""):
        return
    app.add_js_file(SCRIPT, loading_method="defer")
    app.add_css_file(STYLESHEET)


def setup(app):
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
