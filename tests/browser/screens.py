"""Helpers shared by the screen tests: colour modes, widths and in-page probes."""
from __future__ import annotations

WIDTHS = (360, 390, 768, 1280)
MODES = ("light", "dark")


def open_in_mode(browser, server, rel: str, mode: str, width: int = 1280, height: int = 900):
    """Open ``rel`` at ``width`` px in a colour mode.  Dark mode is reached the way
    a reader with a dark operating system gets it: the theme's "auto" setting
    (its default) and ``prefers-color-scheme: dark``."""
    from tests.conftest import PageWatch

    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(color_scheme=mode)
    page.add_init_script("try { localStorage.setItem('mode', 'auto'); localStorage.setItem('theme', 'auto'); } catch (e) {}")
    watch = PageWatch(page, server)
    page.goto(server + rel, wait_until="load", timeout=60_000)
    watch.settle()
    theme = page.evaluate("document.documentElement.dataset.theme")
    assert theme == mode, f"{rel}: asked for {mode} mode, the page is in {theme!r} mode"
    return watch


# Every visible text run: its colour against the colour really behind it (the
# first opaque background up the tree, alpha-composited), WCAG 2 contrast.
CONTRAST = r"""
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/); if (!m) { return null; }
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {  // alpha compositing
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) { return [0, 0, 0, 0]; }
    return [0, 1, 2].map(i => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a).concat([a]);
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) { break; } }
    }
    let c = [255, 255, 255, 1];
    if (!layers.length || layers[layers.length - 1][3] < 1) {
      const root = parse(getComputedStyle(document.documentElement).backgroundColor);
      const body = parse(getComputedStyle(document.body).backgroundColor);
      c = body && body[3] > 0 ? over(body, root && root[3] > 0 ? root : c) : (root && root[3] > 0 ? root : c);
    }
    for (let i = layers.length - 1; i >= 0; i--) { c = over(layers[i], c); }
    return c;
  };
  const visible = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) { return false; }
      if (e.tagName === 'DETAILS' && !e.open && e !== el && !el.closest('summary')) { return false; }
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const bad = [], seen = new Set();
  let checked = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) { continue; }
    const el = n.parentElement;
    if (!el || seen.has(el)) { continue; }
    seen.add(el);
    if (el.closest('script, style, noscript, svg, .sr-only, .visually-hidden, mjx-assistive-mml, dialog:not([open])')) { continue; }
    if (!visible(el)) { continue; }
    const s = getComputedStyle(el);
    const fg0 = parse(s.color); if (!fg0) { continue; }
    const bg = background(el);
    const fg = over(fg0, bg);
    const l1 = lum(fg), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    checked += 1;
    if (ratio < need) {
      bad.push({ratio: Math.round(ratio * 100) / 100, need, color: s.color,
                background: 'rgb(' + bg.slice(0, 3).map(Math.round).join(',') + ')',
                text: n.textContent.trim().slice(0, 50),
                where: el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '')
                       + ' < ' + (el.parentElement ? el.parentElement.tagName.toLowerCase() + '.' + String(el.parentElement.className).trim().split(/\s+/).slice(0, 2).join('.') : '')});
    }
  }
  return {checked, bad};
}
"""

# Elements wider than the viewport that make the *page* scroll sideways.
OVERFLOW = r"""
() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  const scrollsInOwnBox = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (/(auto|scroll|hidden|clip)/.test(s.overflowX) && e.getBoundingClientRect().right <= vw + 1) { return true; }
    }
    return false;
  };
  document.querySelectorAll('.bd-main *').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1) { return; }
    if (scrollsInOwnBox(el)) { return; }
    const s = getComputedStyle(el);
    if (s.position === 'fixed' || s.visibility === 'hidden') { return; }
    out.push(el.tagName.toLowerCase() + '.' + String(el.className).trim().split(/\s+/).slice(0, 2).join('.')
             + ' right=' + Math.round(r.right) + ' ' + (el.textContent || '').trim().slice(0, 40));
  });
  return {scrollWidth: document.documentElement.scrollWidth, viewport: vw, offenders: out.slice(0, 10)};
}
"""
