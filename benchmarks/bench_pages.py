"""Per page of the built site: bytes transferred, requests and first paint on a
simulated slow link (Chromium's network emulation over CDP).

    .venv/bin/python benchmarks/bench_pages.py [--site _build/html] [--mbit 9] [--latency-ms 40]
    .venv/bin/python benchmarks/bench_pages.py --compare /tmp/site-before   # before/after, one run

Every page is a first visit (fresh browser context, no cache), served
uncompressed by a local HTTP server, as a folder or USB stick serves it, in a
1280 x 900 px window.  Sizes are in MB = 10^6 bytes (the unit of the pages'
budget, issue 12: at most 2.5 MB for a page scrolled through).
"first view" is what the page loaded until the network was quiet for a second
without scrolling (scripts, styles, fonts, images, MathJax's late loads);
"scrolled" (the default; --no-scroll leaves it out) also scrolls to the end
of the page, which loads what waits for a reader (figures, plotly.js for the
explorers), and is the total of both.  "blocking" lists the resources over
200 KB (1 KB = 10^3 bytes) that were requested before first paint by a
render-blocking tag.  --compare OTHER measures a second built site (e.g. a
copy of _build/html before a change) and prints both side by side, "before"
= OTHER, "after" = --site.
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
          .map(r => r.name.split('/').pop().split('?')[0] + ' ' + Math.round(r.encodedBodySize / 1000) + ' KB');
      return {fcp: p ? p.startTime : null, big};
    }""")
    ctx.close()
    top = sorted(((n, urls[k].split("?")[0].replace(base, "")) for k, n in sizes.items()), reverse=True)
    return {"page": rel, "bytes": first, "all": sum(sizes.values()), "requests": len(urls),
            "fcp_ms": paint["fcp"], "blocking": paint["big"], "top": top[:8]}


def _run(site: str, rels: list[str] | None, args) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    rows = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
            for rel in rels or pages(site):
                rows[rel] = measure(browser, base, rel, args.mbit, args.latency_ms, args.scroll)
            browser.close()
    finally:
        httpd.shutdown()
    return rows


def _disk_mb(site: str) -> float:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(site) for f in fs) / 1e6


def _mb(n: int | None) -> str:
    return "-" if n is None else f"{n / 1e6:.2f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", default=os.path.join(ROOT, "_build", "html"))
    ap.add_argument("--compare", metavar="OTHER_SITE",
                    help="another built site (the 'before'): both are measured and shown side by side")
    ap.add_argument("--mbit", type=float, default=9.0)
    ap.add_argument("--latency-ms", type=float, default=40.0)
    ap.add_argument("--pages", nargs="*", help="only these pages (relative to the site)")
    ap.add_argument("--scroll", action=argparse.BooleanOptionalAction, default=True,
                    help="also scroll through each page (column 'scrolled'; default on)")
    ap.add_argument("--budget", type=float, default=2.5, help="flag pages whose total is over this many MB")
    ap.add_argument("--detail", action="store_true", help="also list each page's largest resources")
    args = ap.parse_args(argv)
    site = os.path.abspath(args.site)
    for folder in [site] + ([os.path.abspath(args.compare)] if args.compare else []):
        if not os.path.isfile(os.path.join(folder, "index.html")):
            ap.error(f"{folder}: not a built site (no index.html); run `python3 tools/course.py build`")
    after = _run(site, args.pages, args)
    print(f"link {args.mbit:g} Mbit/s, {args.latency_ms:g} ms latency; sizes in MB = 10^6 bytes, "
          f"uncompressed, cold cache; budget {args.budget:g} MB per page "
          f"({'scrolled through' if args.scroll else 'first view'}), '!' = over it")
    total = "all" if args.scroll else "bytes"
    if args.compare:
        other = os.path.abspath(args.compare)
        before = _run(other, args.pages or list(after), args)
        print(f"before: {other} ({_disk_mb(other):.1f} MB on disk)")
        print(f"after:  {site} ({_disk_mb(site):.1f} MB on disk)")
        print(f"{'page':36} {'first view MB':>15} {'scrolled MB':>17} {'requests':>9}")
        print(f"{'':36} {'before':>7} {'after':>7} {'before':>8} {'after':>8} {'before':>4} {'after':>4}")
        for rel, r in after.items():
            b = before.get(rel)
            flag = "!" if r[total] > args.budget * 1e6 else " "
            sb = _mb(b["all"]) if b and args.scroll else "-"
            sa = _mb(r["all"]) if args.scroll else "-"
            print(f"{rel:36} {_mb(b['bytes'] if b else None):>7} {_mb(r['bytes']):>7} {sb:>8} {sa:>7}{flag} "
                  f"{b['requests'] if b else '-':>4} {r['requests']:>4}")
        return 0
    print(f"site {site}: {_disk_mb(site):.1f} MB on disk")
    print(f"{'page':36} {'first view MB':>13} {'scrolled MB':>11} {'req':>4} {'first paint s':>13}  blocking > 200 KB")
    for r in after.values():
        fcp = f"{r['fcp_ms'] / 1000:.2f}" if r["fcp_ms"] is not None else "-"
        every = _mb(r["all"]) if args.scroll else "-"
        flag = "!" if r[total] > args.budget * 1e6 else " "
        print(f"{r['page']:36} {_mb(r['bytes']):>13} {every:>10}{flag} {r['requests']:4d} {fcp:>13}  "
              f"{', '.join(r['blocking']) or '-'}")
        if args.detail:
            for n, url in r["top"]:
                print(f"    {n / 1e3:9.1f} KB  {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
