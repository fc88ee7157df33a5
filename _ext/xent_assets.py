"""Sphinx extension: serve third-party browser assets from the built site.

Everything the pages need at run time is copied from installed registry
packages into ``_build/html/_static/vendor/`` at build time; nothing is
committed and nothing is fetched from the internet.

* plotly.js comes from the ``plotly`` Python package (``package_data``) and
  is added only to pages that contain a plotly figure.
* MathJax 3 comes from ``sphinx-mathjax-offline`` (configured in _config.yml).
"""
from __future__ import annotations

import os
import shutil

PLOTLY_TARGET = "vendor/plotly.min.js"
PLOTLY_MARKER = "plotly-graph-div"


def _plotly_source() -> str:
    import plotly

    path = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    if not os.path.exists(path):  # pragma: no cover - broken install
        raise RuntimeError(f"plotly.min.js not found in the plotly package: {path}")
    return path


def _add_plotly(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    if PLOTLY_MARKER in body:
        # Loaded before the figure scripts run (they are in the body).
        app.add_js_file(PLOTLY_TARGET, priority=100)


def _copy_assets(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    target = os.path.join(app.outdir, "_static", PLOTLY_TARGET)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    src = _plotly_source()
    if not os.path.exists(target) or os.path.getmtime(target) < os.path.getmtime(src):
        shutil.copyfile(src, target)


def _write_index(app, exc):
    """The site's front door: a real page (language, title, favicon) that
    forwards to the root chapter, instead of the bare meta-refresh stub that
    sphinx-external-toc writes (which makes browsers ask for /favicon.ico)."""
    if exc is not None or app.builder.format != "html":
        return
    root = app.config.master_doc
    target = app.builder.get_target_uri(root)
    favicon = os.path.basename(app.config.html_favicon or "")
    icon = f'<link rel="icon" href="_static/{favicon}">' if favicon else ""
    title = app.config.html_title or app.config.project or "Course"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
{icon}
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body><main><p>Opening <a href="{target}">{title}</a>&hellip;</p></main></body>
</html>
"""
    with open(os.path.join(app.outdir, "index.html"), "w", encoding="utf-8") as fh:
        fh.write(page)


def _drop_thebe(app):
    """Jupyter Book always loads sphinx-thebe, which writes a CDN URL into every
    page (and declares it twice, a console error).  Thebe (live code on the
    site via Binder) cannot work offline, so its page hooks are switched off."""
    for event in ("env-before-read-docs", "doctree-resolved"):
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "") == "sphinx_thebe":
                app.disconnect(listener.id)


def setup(app):
    _drop_thebe(app)
    app.connect("html-page-context", _add_plotly)
    app.connect("build-finished", _copy_assets)
    app.connect("build-finished", _write_index, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}

