"""Per page of the built site: bytes transferred, requests and first paint on a
simulated slow link (Chromium's network emulation over CDP).

    .venv/bin/python benchmarks/bench_pages.py [--site _build/html] [--mbit 9] [--latency-ms 40]

Every page is a first visit (fresh browser context, no cache), served
uncompressed by a local HTTP server, as a folder or USB stick serves it, and
the reader does not scroll (1280 x 900 px window).  --scroll also scrolls to
the end of the page, which loads what waits for a reader (figures, plotly.js
for the explorers): "MB all" is that total.
"Bytes" is what the page loaded until the network was quiet for a second
(scripts, styles, fonts, images, MathJax's late loads); "blocking" lists the
resources over 200 KB that were requested before first paint by a
render-blocking tag.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import socketserver
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.conftest import CHROMIUM_ARGS  # noqa: E402


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: str):
    handler = functools.partial(_Quiet, directory=site)
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def pages(site: str) -> list[str]:
    out = []
    for folder, _, files in os.walk(site):
        if "_static" in folder.split(os.sep) or "_sources" in folder.split(os.sep):
            continue
        out += [os.path.relpath(os.path.join(folder, f), site) for f in files if f.endswith(".html")]
    return sorted(p for p in out if p != "index.html")


def measure(browser, base: str, rel: str, mbit: float, latency_ms: float, scroll: bool = False) -> dict:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = mbit * 1e6 / 8
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency_ms, "downloadThroughput": rate, "uploadThroughput": rate})
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    inflight: set[str] = set()
    last = [time.monotonic()]

    def started(ev):
        inflight.add(ev["requestId"])
        urls[ev["requestId"]] = ev["request"]["url"]
        last[0] = time.monotonic()

    def finished(ev):
        sizes[ev["requestId"]] = int(ev.get("encodedDataLength", 0))
        inflight.discard(ev["requestId"])
        last[0] = time.monotonic()

    def failed(ev):
        inflight.discard(ev["requestId"])
        last[0] = time.monotonic()

    cdp.on("Network.requestWillBeSent", started)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.loadingFailed", failed)
    page.bring_to_front()  # a background tab may defer its first paint
    t0 = time.monotonic()
    page.goto(base + rel, wait_until="load", timeout=300_000)
    while inflight or time.monotonic() - last[0] < 1.0:
        page.wait_for_timeout(100)
        if time.monotonic() - t0 > 300:
            break
    first = sum(sizes.values())
    if scroll:
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        for y in range(0, 40):
            page.evaluate(f"window.scrollTo(0, document.documentElement.scrollHeight * {y} / 40)")
            page.wait_for_timeout(50)
        last[0] = time.monotonic()
        while inflight or time.monotonic() - last[0] < 1.5:
            page.wait_for_timeout(100)
            if time.monotonic() - t0 > 300:
                break
    paint = page.evaluate("""() => {
      const p = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
      const big = performance.getEntriesByType('resource')
          .filter(r => r.renderBlockingStatus === 'blocking' && r.encodedBodySize > 200000)
          .map(r => r.name.split('/').pop().split('?')[0] + ' ' + Math.round(r.encodedBodySize / 1024) + ' KB');
      return {fcp: p ? p.startTime : null, big};
    }""")
    ctx.close()
    top = sorted(((n, urls[k].split("?")[0].replace(base, "")) for k, n in sizes.items()), reverse=True)
    return {"page": rel, "bytes": first, "all": sum(sizes.values()), "requests": len(urls),
            "fcp_ms": paint["fcp"], "blocking": paint["big"], "top": top[:8]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", default=os.path.join(ROOT, "_build", "html"))
    ap.add_argument("--mbit", type=float, default=9.0)
    ap.add_argument("--latency-ms", type=float, default=40.0)
    ap.add_argument("--pages", nargs="*", help="only these pages (relative to the site)")
    ap.add_argument("--scroll", action="store_true", help="also scroll through each page (column 'MB all')")
    ap.add_argument("--detail", action="store_true", help="also list each page's largest resources")
    args = ap.parse_args(argv)
    site = os.path.abspath(args.site)
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        for rel in args.pages or pages(site):
            rows.append(measure(browser, base, rel, args.mbit, args.latency_ms, args.scroll))
        browser.close()
    httpd.shutdown()
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(site) for f in fs)
    print(f"site {site}: {total / 1e6:.1f} MB on disk; link {args.mbit:g} Mbit/s, {args.latency_ms:g} ms latency")
    print(f"{'page':36} {'MB':>6} {'MB all':>6} {'req':>4} {'first paint s':>13}  blocking > 200 KB")
    for r in rows:
        fcp = f"{r['fcp_ms'] / 1000:.2f}" if r["fcp_ms"] is not None else "-"
        every = f"{r['all'] / 1e6:6.2f}" if args.scroll else "     -"
        print(f"{r['page']:36} {r['bytes'] / 1e6:6.2f} {every} {r['requests']:4d} {fcp:>13}  "
              f"{', '.join(r['blocking']) or '-'}")
        if args.detail:
            for n, url in r["top"]:
                print(f"    {n / 1e3:9.1f} KB  {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
