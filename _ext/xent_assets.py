"""Sphinx extension: serve third-party browser assets from the built site.

Everything the pages need at run time is copied from installed registry
packages into ``_build/html/_static/vendor/`` at build time; nothing is
committed and nothing is fetched from the internet.

* plotly.js is added only to pages that contain a plotly figure, loaded by
  assets/xe-plotly.js when a reader gets near an explorer (it holds the
  figure calls until then),
  as the smallest partial bundle that draws the page's traces: the npm
  registry's ``plotly.js-basic-dist-min`` / ``-cartesian-dist-min`` (fetched
  once with ``npm pack``, checked against a pinned sha512, cached in
  ``_build/.vendor-cache``), else the full bundle of the ``plotly`` Python
  package.
* MathJax 3's fonts come from ``sphinx-mathjax-offline``; the formulas are
  typeset at build time by MathJax's Node package (_ext/xent_math.py), or in
  the browser by the sphinx-mathjax-offline copy when the machine has no Node.
* The Chinese quotations of the source are set in Noto Sans SC, taken from the
  PyPI package ``pylopdf-fonts-zh-cn`` (SIL Open Font License) and subset at
  build time to exactly the CJK characters the built pages contain (about
  250 characters, 50 KB instead of 8 MB), so a reader whose machine has no
  Chinese font sees characters, not empty boxes.  ``assets/custom.css``
  declares the font face (``unicode-range`` limits it to CJK code points).
"""
from __future__ import annotations

import base64
import glob
import hashlib
import os
import re
import shutil
import subprocess
import tarfile

from sphinx.util import logging

logger = logging.getLogger(__name__)

PLOTLY_MARKER = "plotly-graph-div"
#: plotly.js partial bundles from the npm registry, same version as the full
#: bundle inside the ``plotly`` Python package (4.1.1).  "basic" draws
#: scatter, bar and pie traces (1.2 MB); "cartesian" adds heatmap, contour,
#: histograms and box plots (1.5 MB); the full bundle is 4.8 MB.
PLOTLY_VERSION = "4.1.1"
PLOTLY_BUNDLES = {
    "basic": ("plotly.js-basic-dist-min", "plotly-basic.min.js",
              "sha512-1oNF8PeQx2hv/y7tqEVWKD3JGwn/MGEMQ8mL9HUwsaqG9FGy/OU5FHUHvzqbqxN4mnwZGI9abTiE775C4kkjMQ=="),
    "cartesian": ("plotly.js-cartesian-dist-min", "plotly-cartesian.min.js",
                  "sha512-o8GrFeusncwBIxbBynRJpY4pkgVB6caM+JLpwrLYbbsO7dZ8FJ+SVN2Fr+L7kiG/Z6w4P5O0Jus/Qr5EefHVeg=="),
}
BASIC_TRACES = {"scatter", "bar", "pie"}
CARTESIAN_TRACES = BASIC_TRACES | {"heatmap", "contour", "histogram", "histogram2d", "histogram2dcontour",
                                   "box", "violin", "image"}
TRACE_TYPE = re.compile(r'\{"type":\s*"(\w+)"')


def plotly_bundle(body: str) -> str:
    """The smallest bundle that draws every trace of the page: basic, cartesian or full."""
    kinds = set()
    for m in re.finditer(r"Plotly\.newPlot\(", body):
        # the trace list is the argument after the div id; its objects start with {"type":
        end = body.find("Plotly.addFrames", m.end())
        kinds.update(TRACE_TYPE.findall(body[m.end(): end if end > 0 else m.end() + 400_000]))
    kinds &= CARTESIAN_TRACES | {"scattergl", "scatter3d", "surface", "sankey", "table"}
    if kinds <= BASIC_TRACES:
        return "basic"
    if kinds <= CARTESIAN_TRACES:
        return "cartesian"
    return "full"


def _plotly_source() -> str:
    import plotly

    path = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    if not os.path.exists(path):  # pragma: no cover - broken install
        raise RuntimeError(f"plotly.min.js not found in the plotly package: {path}")
    return path


def npm_tarball(cache: str, package: str, version: str, integrity: str) -> str | None:
    """``package@version``'s tarball in ``cache``, fetched once with `npm pack` and
    checked against its pinned sha512 ``integrity``; None when it is not cached and
    npm or the registry is not available.  A tarball with another checksum is
    deleted and the build fails."""
    tarball = os.path.join(cache, f"{package}-{version}.tgz")
    if not os.path.exists(tarball):
        npm = shutil.which("npm")
        if not npm:
            return None
        os.makedirs(cache, exist_ok=True)
        rc = subprocess.call([npm, "pack", f"{package}@{version}", "--pack-destination", cache,
                              "--silent"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if rc != 0 or not os.path.exists(tarball):
            return None
    with open(tarball, "rb") as fh:
        digest = "sha512-" + base64.b64encode(hashlib.sha512(fh.read()).digest()).decode()
    if digest != integrity:
        os.remove(tarball)
        raise RuntimeError(f"{tarball}: checksum {digest} differs from the pinned {integrity}")
    return tarball


def _npm_bundle(cache: str, name: str) -> str | None:
    """The partial bundle's file, unpacked from its npm tarball (:func:`npm_tarball`)
    into ``cache``; None when npm or the registry is not available (the build then
    serves the full bundle from the Python package)."""
    package, filename, integrity = PLOTLY_BUNDLES[name]
    target = os.path.join(cache, f"{package}-{PLOTLY_VERSION}", filename)
    if os.path.exists(target):
        return target
    tarball = npm_tarball(cache, package, PLOTLY_VERSION, integrity)
    if tarball is None:
        return None
    with tarfile.open(tarball) as tf:
        member = tf.getmember(f"package/{filename}")
        licence = tf.getmember("package/LICENSE")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        for m, out in ((licence, target + ".LICENSE.txt"), (member, target)):
            with tf.extractfile(m) as src, open(out + ".part", "wb") as dst:
                shutil.copyfileobj(src, dst)
            os.replace(out + ".part", out)
    return target


def _plotly_files(app) -> dict[str, str]:
    """Bundle name -> source file for this build (cached on the app)."""
    files = getattr(app, "_xent_plotly_files", None)
    if files is None:
        cache = os.path.join(os.path.dirname(app.doctreedir), ".vendor-cache")
        files = {"full": _plotly_source()}
        for name in PLOTLY_BUNDLES:
            path = _npm_bundle(cache, name)
            if path:
                files[name] = path
            else:
                logger.info(f"[xent_assets] npm pack {PLOTLY_BUNDLES[name][0]} not available: "
                            "pages that need it get the full plotly.js")
        app._xent_plotly_files = files
    return files


def _add_plotly(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    if PLOTLY_MARKER not in body:
        return
    files = _plotly_files(app)
    name = plotly_bundle(body)
    if name not in files:
        name = "full"
    if not hasattr(app, "_xent_plotly_used"):
        app._xent_plotly_used = set()
    app._xent_plotly_used.add(name)
    # xe-plotly.js (assets/) holds the figures and loads plotly.js when a
    # reader gets near one; it must come before the figure scripts of the body.
    src = context["pathto"](f"_static/vendor/plotly-{name}.min.js", 1)
    app.add_js_file("xe-plotly.js", priority=90, **{"data-plotly-src": src})


def _copy_assets(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    used = getattr(app, "_xent_plotly_used", set())
    for name, src in _plotly_files(app).items():
        if name not in used:
            continue
        target = os.path.join(app.outdir, "_static", "vendor", f"plotly-{name}.min.js")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target) or os.path.getmtime(target) < os.path.getmtime(src):
            shutil.copyfile(src, target)
        if os.path.exists(src + ".LICENSE.txt"):
            shutil.copyfile(src + ".LICENSE.txt", target + ".LICENSE.txt")


CJK_TARGET = "vendor/fonts/course-cjk.woff"
CJK_LICENSE = "vendor/fonts/OFL-NotoSansSC.txt"
#: Code points set in the CJK font; keep in step with the unicode-range of
#: the @font-face rule in assets/custom.css.
CJK_RANGES = ((0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
              (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in CJK_RANGES)


def cjk_characters(outdir: str) -> str:
    """Every CJK character used by the built HTML pages, sorted."""
    chars: set[str] = set()
    for page in glob.glob(os.path.join(outdir, "**", "*.html"), recursive=True):
        with open(page, encoding="utf-8", errors="replace") as fh:
            chars.update(ch for ch in fh.read() if is_cjk(ch))
    return "".join(sorted(chars))


def _cjk_source() -> tuple[str, str]:
    """The Noto Sans SC font file and its licence text from the installed package."""
    import importlib.metadata as md

    import pylopdf_fonts_zh_cn

    font = os.path.join(os.path.dirname(pylopdf_fonts_zh_cn.__file__), "NotoSansSC-Regular.otf")
    dist = md.distribution("pylopdf-fonts-zh-cn")
    licence = next((f for f in dist.files or [] if f.name in ("LICENSE", "OFL.txt")), None)
    if not os.path.exists(font) or licence is None:  # pragma: no cover - broken install
        raise RuntimeError(f"Noto Sans SC or its licence not found in pylopdf-fonts-zh-cn: {font}")
    return font, str(dist.locate_file(licence))


def subset_font(source: str, text: str, out) -> None:
    """Write ``source`` (an OpenType font) subset to the characters of ``text`` as WOFF
    (zlib; woff2 would need brotli) to ``out``, a path or a binary file object.
    The site's font (below) and JupyterLab's (``tools/lab_css.py``) both use it."""
    from fontTools import subset

    opts = subset.Options()
    opts.flavor = "woff"
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]  # keep the copyright and licence records
    opts.notdef_outline = True
    opts.desubroutinize = True
    font = subset.load_font(source, opts)
    sub = subset.Subsetter(opts)
    sub.populate(text=text or "\u4e2d")  # a valid font even if no text has CJK characters
    sub.subset(font)
    subset.save_font(font, out, opts)


def _subset_cjk_font(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    text = cjk_characters(app.outdir)
    target = os.path.join(app.outdir, "_static", CJK_TARGET)
    stamp = target + ".sha256"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if os.path.exists(target) and os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as fh:
            if fh.read() == digest:
                return
    source, licence = _cjk_source()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    subset_font(source, text, target)
    shutil.copyfile(licence, os.path.join(app.outdir, "_static", CJK_LICENSE))
    with open(stamp, "w", encoding="utf-8") as fh:
        fh.write(digest)


def _static_fingerprint(app) -> str:
    h = hashlib.sha256()
    for folder in app.config.html_static_path:
        base = os.path.join(app.confdir, folder)
        for path in sorted(glob.glob(os.path.join(base, "**", "*"), recursive=True)):
            if os.path.isfile(path):
                h.update(os.path.relpath(path, base).encode())
                with open(path, "rb") as fh:
                    h.update(fh.read())
    return h.hexdigest()


def _assets_outdated(app, env, added, changed, removed):
    """Sphinx copies static files only when some page is rebuilt, so an edit
    of assets/custom.css alone would never reach the site.  A changed asset
    marks the root page outdated, which makes the build copy them again."""
    digest = _static_fingerprint(app)
    if getattr(env, "xent_static_fingerprint", None) != digest:
        env.xent_static_fingerprint = digest
        return [app.config.root_doc]
    return []


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
    app.connect("env-get-outdated", _assets_outdated)
    app.connect("build-finished", _copy_assets)
    app.connect("build-finished", _subset_cjk_font)
    app.connect("build-finished", _write_index, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}

