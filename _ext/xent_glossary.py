"""Sphinx extension: a glossary term's definition on hover and on keyboard focus.

A ``{term}`entropy``` link (Sphinx's ``std:term`` role, to ``chapters/glossary.md``) stays a plain
link to the glossary.  On a page that has such links, this extension adds

* a ``<script type="application/json" id="xe-glossary-data">`` holding, for each term linked on the
  page, its name and its definition as plain text (read from the glossary's doctree, so the page
  ``chapters/glossary.md`` is the only place a definition is written), and
* ``assets/xe-glossary.js`` (about 3 KB), which shows that definition in a card next to the link
  when the pointer rests on it or the keyboard focuses it (Tab), and hides it on Escape, on blur
  and when the pointer leaves (the card itself can be hovered, WCAG 1.4.13).  The card has
  ``role="tooltip"`` and the link points at it with ``aria-describedby`` while it shows.

Why not sphinx-tippy, the extension for this (checked on 2026-12-07, version 0.4.3): it loads
tippy.js and Popper from unpkg.com by default (both can be served locally), but the two
libraries add about 47 KB to every page, more than the 30 KB left under chapter 3's 2.5 MB page
budget (tests/browser/test_budget.py); it makes a tip for every link of every page unless told
otherwise, fetches Wikipedia and DOI summaries over the network at build time by default, assigns
``window.onload`` (replacing any other handler) and has no Escape to close a tip.  This component
does the one thing the course needs, with nothing fetched and under 1 KB of data per page.
"""
from __future__ import annotations

import html
import json
import re

from docutils import nodes
from sphinx import addnodes

SCRIPT = "xe-glossary.js"
_TERM_HREF = re.compile(r'<a class="reference internal" href="([^"#]*)#(term-[^"]+)"><span class="xref std std-term">')


def definitions(app) -> dict[str, dict[str, str]]:
    """Anchor id -> {"term": name, "text": definition} for every glossary term (cached per build)."""
    cached = getattr(app.env, "_xent_glossary_defs", None)
    if cached is not None:
        return cached
    out: dict[str, dict[str, str]] = {}
    std = app.env.get_domain("std")
    docs = {docname for (kind, _), (docname, _) in std.objects.items() if kind == "term"}
    for docname in sorted(docs):
        doctree = app.env.get_doctree(docname)
        for glossary in doctree.findall(addnodes.glossary):
            for item in glossary.findall(nodes.definition_list_item):
                definition = next(iter(item.findall(nodes.definition)), None)
                if definition is None:
                    continue
                text = re.sub(r"\s+", " ", definition.astext()).strip()
                for term in item.findall(nodes.term):
                    for anchor in term["ids"]:
                        out[anchor] = {"term": term.astext().strip(), "text": text}
    app.env._xent_glossary_defs = out
    return out


def _page_context(app, pagename, templatename, context, doctree):
    body = context.get("body") or ""
    if doctree is None or "std-term" not in body:
        return
    defs = definitions(app)
    used = {m.group(2) for m in _TERM_HREF.finditer(body)}
    data = {html.unescape(a): defs[html.unescape(a)] for a in sorted(used) if html.unescape(a) in defs}
    if not data:
        return
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    context["body"] = body + f'\n<script type="application/json" id="xe-glossary-data">{payload}</script>\n'
    app.add_js_file(SCRIPT, loading_method="defer")


def _reset(app, env, docnames):
    if hasattr(env, "_xent_glossary_defs"):
        del env._xent_glossary_defs


def setup(app):
    app.connect("env-before-read-docs", _reset)
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
