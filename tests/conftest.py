"""Shared fixtures: the built site, a local HTTP server and headless Chromium."""
from __future__ import annotations

import functools
import http.server
import os
import pathlib
import shutil
import socketserver
import tempfile
import threading

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# XENT_SITE lets a developer test a build made elsewhere (jupyter-book --path-output).
SITE = pathlib.Path(os.environ.get("XENT_SITE", ROOT / "_build" / "html")).resolve()
ARTIFACTS = ROOT / "test-artifacts"

# Flags that keep Debian's Chromium from phoning home on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def built_pages() -> list[pathlib.Path]:
    """Every HTML page of the built site (sorted, relative to the site root)."""
    return sorted(p.relative_to(SITE) for p in SITE.rglob("*.html") if "_static" not in p.parts)


def pytest_collection_modifyitems(config, items):
    """Mark every test that needs the built site (it uses the ``site`` fixture, directly or through
    ``server`` or the browser) with ``site``: ``pytest -m "not site"`` runs without a build."""
    for item in items:
        in_browser = "browser" in pathlib.Path(str(item.fspath)).parts
        if in_browser or "site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)


#: What the site is built from: a change here after the last build makes the site stale.
SITE_SOURCES = ("chapters", "xentlib", "_config.yml", "_toc.yml")


def stale_site_sources(site: pathlib.Path = SITE, root: pathlib.Path = ROOT) -> list[str]:
    """Sources changed after the newest page of ``site`` was written (empty: the site is fresh)."""
    newest = max((p.stat().st_mtime for p in site.rglob("*.html")), default=0.0)
    stale = []
    for name in SITE_SOURCES:
        path = root / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.suffix in (".ipynb", ".md", ".py")]
        stale += [str(p.relative_to(root)) for p in files if p.stat().st_mtime > newest]
    return sorted(stale)


@pytest.fixture(scope="session")
def site() -> pathlib.Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site at {SITE}: run `python3 tools/course.py build` first")
    stale = [] if "XENT_SITE" in os.environ else stale_site_sources()
    if stale:
        pytest.fail(f"the site is stale: rebuild with python3 tools/course.py build "
                    f"({', '.join(stale[:3])}{' ...' if len(stale) > 3 else ''} changed after the last build)")
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture(scope="session")
def server(site):
    """Serve the built site on 127.0.0.1 (an ephemeral port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is not installed (apt-get install chromium); "
                    "the browser tests need it and never download a browser")
    return path


@pytest.fixture(scope="session")
def playwright_session():
    """One Playwright driver for the whole run: its sync API holds the event loop, so a second
    ``sync_playwright()`` (the JupyterLab suite's browser) must share this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_session):
    pw = playwright_session
    with tempfile.TemporaryDirectory() as profile:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1280, "height": 900},
        )
        yield ctx
        ctx.close()


PAGE_READY = """
async () => {
  if (document.fonts) { await document.fonts.ready; }
  if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; }
  return true;
}
"""


class PageWatch:
    """A page plus everything that went wrong while it loaded."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.external_requests: list[str] = []
        self.pending: dict[object, str] = {}
        page.on("request", lambda req: self.pending.__setitem__(req, req.url))
        page.on("requestfinished", lambda req: self.pending.pop(req, None))
        page.on("requestfailed", lambda req: self.pending.pop(req, None))
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        page.on("requestfailed", lambda req: self.failed_requests.append(f"{req.url} ({req.failure})"))
        page.on("response", self._on_response)
        page.on("request", self._on_request)

    def _on_console(self, msg):
        if msg.type == "error":
            self.console_errors.append(msg.text)

    def _on_response(self, resp):
        if resp.status >= 400:
            self.failed_requests.append(f"{resp.url} (HTTP {resp.status})")

    def _on_request(self, req):
        if not req.url.startswith(self.base_url) and not req.url.startswith(("data:", "blob:", "about:")):
            self.external_requests.append(req.url)

    def settle(self, quiet_ms: int = 500, timeout_ms: int = 30_000) -> None:
        """Wait until no request of the page has been in flight for ``quiet_ms``,
        then until web fonts and MathJax are done.

        Playwright's own "networkidle" sometimes never fires on a second visit
        in the same browser profile although every request has finished
        (resources served from Chromium's memory cache); counting this page's
        requests ourselves is deterministic and, on a time-out, names what is
        still loading."""
        waited = quiet = 0
        while quiet < quiet_ms:
            if waited >= timeout_ms:
                raise AssertionError(f"requests still loading after {timeout_ms} ms: "
                                     + ", ".join(sorted(self.pending.values()))[:500])
            self.page.wait_for_timeout(50)
            waited += 50
            quiet = quiet + 50 if not self.pending else 0
        self.page.evaluate(PAGE_READY)

    def problems(self) -> list[str]:
        return ([f"console error: {e}" for e in self.console_errors]
                + [f"failed request: {r}" for r in self.failed_requests]
                + [f"request leaving the site: {r}" for r in self.external_requests])


@pytest.fixture
def open_page(browser, server):
    """Open a site page (path relative to the site root); returns a PageWatch."""
    pages = []

    def _open(rel: str, wait_until: str = "load") -> PageWatch:
        page = browser.new_page()
        watch = PageWatch(page, server)
        pages.append(page)
        page.goto(server + str(rel), wait_until=wait_until)
        watch.settle()
        return watch

    yield _open
    for p in pages:
        p.close()


@pytest.fixture(scope="session")
def artifacts() -> pathlib.Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
