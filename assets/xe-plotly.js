/* Course: the explorers' plotly figures, loaded only when a reader gets near them.
 *
 * plotly.js (a partial bundle, 1.2-1.5 MB) is not in the page's <head>: the
 * page paints its text and a reader who never scrolls to an explorer never
 * downloads it.  The figure scripts in the page body call
 * `Plotly.newPlot(...).then(...)` if `window.Plotly` exists: this small
 * script (loaded before them) provides a stand-in whose newPlot returns a
 * promise and keeps the call.  When an explorer comes within one screen of
 * the viewport (IntersectionObserver), before printing, or when
 * window.courseLoadPlotly() is called (tools/pdf.py), it loads the bundle
 * named in its own `data-plotly-src` attribute (the build picks the
 * smallest one that draws the page's traces) and replays every kept call
 * with the real plotly.js, which then sets `window.Plotly` itself.  If
 * plotly.js cannot load, nothing is drawn and the explorers' fallback text
 * stays visible.
 *
 * Every figure also follows the page:
 *  - colour mode: the theme's dark mode (html[data-theme=dark]) gets dark
 *    paper, light text, grid and axis lines; switching mode relayouts;
 *  - width: in a container narrower than NARROW px, side-by-side panels are
 *    stacked (one panel per row, full width) so axis titles do not run into
 *    the neighbouring panel, a colour bar follows its panel, and the legend
 *    goes to the bottom of the figure.
 */
(function () {
  "use strict";
  if (window.Plotly) { return; }
  var SRC = document.currentScript ? document.currentScript.getAttribute("data-plotly-src") : null;
  var NARROW = 600;
  var PANEL_HEIGHT = 300;
  var queue = [];
  var stub = {
    __courseStub: true,
    newPlot: function (el, data, layout, config) {
      return new Promise(function (resolve, reject) {
        queue.push({ args: [el, data, layout || {}, config || {}], resolve: resolve, reject: reject });
      });
    },
  };
  window.Plotly = stub;

  var AXIS = /^[xy]axis\d*$/;
  var clone = function (o) { return JSON.parse(JSON.stringify(o)); };
  var isDark = function () { return document.documentElement.dataset.theme === "dark"; };

  var COLOURS = {
    light: null,  // the figure's own colours
    dark: { paper: "#121212", text: "#ced6dd", grid: "#3a3f46", line: "#9ca4af" },
  };

  /* Panels = x axes with their own domain; stackable when they sit side by side. */
  function panels(layout) {
    return Object.keys(layout).filter(function (k) { return /^xaxis\d*$/.test(k); })
      .map(function (k) {
        var n = k.slice(5);
        return { x: k, y: "yaxis" + n, n: n, start: (layout[k].domain || [0, 1])[0] };
      })
      .sort(function (a, b) { return a.start - b.start; });
  }

  /* The layout for the current mode and width, from the figure's own layout. */
  function derive(base, dark, narrow, entries) {
    var L = clone(base);
    if (dark) {
      var c = COLOURS.dark;
      L.paper_bgcolor = c.paper;
      L.plot_bgcolor = c.paper;
      L.font = Object.assign({}, L.font, { color: c.text });
      Object.keys(L).forEach(function (k) {
        if (AXIS.test(k)) {
          L[k] = Object.assign({}, L[k], { gridcolor: c.grid, linecolor: c.line, zerolinecolor: c.grid,
                                           tickcolor: c.line });
        }
      });
      if (L.legend) { L.legend = Object.assign({}, L.legend, { bgcolor: "rgba(0,0,0,0)" }); }
      (L.annotations || []).forEach(function (a) {
        a.font = Object.assign({}, a.font, { color: c.text });
      });
    }
    var P = panels(L);
    if (narrow && P.length > 1) {
      // Room under every panel but the last for its tick labels and x title.
      var n = P.length, gap = 90 / (n * PANEL_HEIGHT);
      delete L.grid;
      P.forEach(function (p, i) {
        var top = 1 - i / n, bottom = 1 - (i + 1) / n;
        L[p.x] = Object.assign({}, L[p.x], { domain: [0, 1], anchor: "y" + p.n });
        L[p.y] = Object.assign({}, L[p.y], { domain: [bottom + (i < n - 1 ? gap : 0), top],
                                             anchor: "x" + p.n });
      });
      var m = L.margin || {};
      L.height = n * PANEL_HEIGHT + (m.t || 20) + (m.b || 80);
    }
    if (narrow && L.showlegend !== false) {
      // On a phone the legend wraps to about one entry per line: room for all of them
      // under the last panel's tick labels and title.
      L.legend = Object.assign({}, L.legend, { orientation: "h", x: 0, xanchor: "left",
                                               yref: "container", y: 0, yanchor: "bottom" });
      L.margin = Object.assign({}, L.margin, { b: Math.max((L.margin || {}).b || 0, 110,
                                                           70 + 24 * (entries || 0)) });
    }
    return L;
  }

  /* Flatten the attributes derive() touches into a relayout update. */
  function update(L, base) {
    var u = {};
    ["paper_bgcolor", "plot_bgcolor", "font", "legend", "margin", "height", "annotations"].forEach(function (k) {
      u[k] = L[k] === undefined ? null : L[k];
    });
    u.grid = L.grid === undefined ? null : L.grid;
    Object.keys(Object.assign({}, base, L)).forEach(function (k) {
      if (AXIS.test(k)) {
        ["domain", "anchor", "gridcolor", "linecolor", "zerolinecolor", "tickcolor"].forEach(function (a) {
          var v = L[k] ? L[k][a] : undefined;
          u[k + "." + a] = v === undefined ? null : v;
        });
      }
    });
    return u;
  }

  /* Colour bars (a marker's colour scale, e.g. the simplex's entropy map) sit beside
     their own panel: when the panels are stacked, each follows its panel's domain.
     Returns the traces' indices and the restyle update for them. */
  function colourBars(data, L) {
    var idx = [], y = [], len = [];
    data.forEach(function (t, i) {
      if (!t.marker || !t.marker.showscale) { return; }
      var d = (L["yaxis" + (t.yaxis || "y").slice(1)] || {}).domain || [0, 1];
      idx.push(i); y.push((d[0] + d[1]) / 2); len.push(d[1] - d[0]);
    });
    return { idx: idx, update: { "marker.colorbar.y": y, "marker.colorbar.len": len,
                                 "marker.colorbar.yanchor": idx.map(function () { return "middle"; }) } };
  }

  /* Legend entries: traces shown in the legend, one per legend group. */
  function legendEntries(data) {
    var seen = {}, n = 0;
    data.forEach(function (t) {
      if (t.showlegend === false) { return; }
      var key = t.legendgroup || ("#" + n);
      if (!seen[key]) { seen[key] = true; n += 1; }
    });
    return n;
  }

  function wrapperOf(gd) {
    var w = gd.parentElement;
    return w && w.style && w.style.height ? w : null;
  }

  function state(gd) {
    var w = (gd.parentElement || gd).getBoundingClientRect().width || window.innerWidth;
    return { dark: isDark(), narrow: w < NARROW };
  }

  function apply(gd) {
    var s = state(gd);
    if (gd.__courseState && gd.__courseState.dark === s.dark && gd.__courseState.narrow === s.narrow) { return; }
    gd.__courseState = s;
    var L = derive(gd.__courseBase, s.dark, s.narrow, gd.__courseEntries);
    var w = wrapperOf(gd);
    if (w) { w.style.height = (L.height || gd.__courseBase.height || 400) + "px"; }
    var u = update(L, gd.__courseBase);
    if (gd.__courseDrawn) {
      window.Plotly.relayout(gd, u);
      var bars = colourBars(gd.data, L);
      if (bars.idx.length) { window.Plotly.restyle(gd, bars.update, bars.idx); }
    }
    return L;
  }

  function replay() {
    var P = window.Plotly;
    if (!P || P === stub || !P.newPlot) { return; }  // plotly.js did not load
    queue.forEach(function (q) {
      var el = q.args[0];
      var gd = typeof el === "string" ? document.getElementById(el) : el;
      if (!gd) { q.reject(new Error("no element " + el)); return; }
      gd.__courseBase = clone(q.args[2]);
      gd.__courseEntries = legendEntries(q.args[1]);
      var s = state(gd);
      gd.__courseState = s;
      var L = derive(gd.__courseBase, s.dark, s.narrow, gd.__courseEntries);
      var w = wrapperOf(gd);
      if (w) { w.style.height = (L.height || gd.__courseBase.height || 400) + "px"; }
      var bars = colourBars(q.args[1], L);
      bars.idx.forEach(function (i, j) {
        var m = q.args[1][i].marker, cb = m.colorbar = Object.assign({}, m.colorbar);
        cb.y = bars.update["marker.colorbar.y"][j];
        cb.len = bars.update["marker.colorbar.len"][j];
        cb.yanchor = "middle";
      });
      P.newPlot(gd, q.args[1], L, q.args[3]).then(function (g) {
        gd.__courseDrawn = true;
        gd.setAttribute("data-course-layout", (s.dark ? "dark" : "light") + (s.narrow ? " stacked" : ""));
        if (window.ResizeObserver) {
          new ResizeObserver(function () { apply(gd); mark(gd); }).observe(gd.parentElement || gd);
        }
        return g;
      }).then(q.resolve, q.reject);
    });
    queue = [];
    new MutationObserver(function () {
      document.querySelectorAll(".plotly-graph-div").forEach(function (gd) {
        if (gd.__courseBase) { apply(gd); mark(gd); }
      });
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  function mark(gd) {
    var s = gd.__courseState || {};
    gd.setAttribute("data-course-layout", (s.dark ? "dark" : "light") + (s.narrow ? " stacked" : ""));
  }

  var requested = false;
  function load() {
    if (requested || !SRC) { return; }
    requested = true;
    var tag = document.createElement("script");
    tag.src = SRC;
    tag.async = true;
    tag.onload = replay;
    document.head.appendChild(tag);
  }
  window.courseLoadPlotly = load;

  function watchExplorers() {
    if (!queue.length) { return; }
    window.addEventListener("beforeprint", load);
    if (!window.IntersectionObserver) { load(); return; }
    var seen = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); load(); }
    }, { rootMargin: "100% 0px" });
    queue.forEach(function (q) {
      var el = typeof q.args[0] === "string" ? document.getElementById(q.args[0]) : q.args[0];
      if (el) { seen.observe(el.closest(".xe-explorer") || el); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchExplorers);
  } else {
    watchExplorers();
  }
})();
