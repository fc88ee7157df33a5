"""Explorers: sliders over distributions and losses, on the site and in Jupyter.

In a chapter, one cell per explorer::

    from xentlib.course import explorers
    explorers.show("bernoulli")

The cell's output carries two representations of the same explorer: the live
ipywidgets view (``application/vnd.jupyter.widget-view+json``), which Jupyter
displays, and the precomputed static explorer (``text/html``), which the web
site displays (``nb_mime_priority_overrides`` in ``_config.yml`` ranks
``text/html`` first for the HTML builders).

This module holds the machinery shared by every explorer: parameters, the
static (plotly) rendering for the built site and the live (ipywidgets)
rendering for Jupyter.  Each explorer is defined in its chapter's module
(``xentlib/course/chNN_*.py``) as ``register(Explorer(id=..., chapter=CHAPTER, ...))``.

An :class:`Explorer` is defined once: its parameters, a pure ``compute``
function mapping parameter values to numbers and arrays (computed with
xentlib), a one-line ``readout`` of the key numbers with units, and two
drawings of the same state (plotly for the site, matplotlib for Jupyter).

* :meth:`Explorer.static` precomputes ``compute`` on the whole parameter grid
  and returns a plotly figure with one frame per grid point, plus native
  ``<input type="range">`` controls and a few lines of generated glue code.
  It needs plotly.js (served by the course site) and no kernel.
* :meth:`Explorer.live` returns ipywidgets sliders that call ``compute`` and
  redraw a matplotlib figure into an ``ipywidgets.Image``; its rich display
  also carries the static HTML, so one displayed object serves both.
"""
from __future__ import annotations

import html
import io
import itertools
import json
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .registry import Registry

__all__ = ["Param", "Explorer", "StaticExplorer", "rounded", "REGISTRY", "register", "get", "show", "live",
           "compute", "ids"]

#: Largest static payload we accept for one explorer (bytes of HTML).
MAX_PAYLOAD = 1_000_000

#: CSS pixels per inch of a live figure: ``figsize`` (inches) times this is its size on screen.
CSS_DPI = 80
#: The live figure is drawn at this many device pixels per CSS pixel (sharp on a 2x screen).
PIXEL_RATIO = 2


def rounded(x: Any, digits: int = 4) -> Any:
    """Round numbers (scalars, arrays, nested lists) for compact, stable JSON.

    NaN and infinities become ``None`` (``null`` in JSON: a gap in plotly).
    """
    if isinstance(x, (list, tuple)):
        return [rounded(v, digits) for v in x]
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        v = float(arr)
        if not math.isfinite(v):
            return None
        r = round(v, digits)
        return 0.0 if r == 0 else r
    return [rounded(v, digits) for v in arr.tolist()]


@dataclass(frozen=True)
class Param:
    """One slider: ``name`` (the keyword of ``compute``), a ``label`` with units,
    the grid ``values`` (the same grid is used live and on the static site),
    the ``default`` and a format for the value (``fmt``, e.g. ``"{:.2f}"``)."""

    name: str
    label: str
    values: tuple[float, ...]
    default: float
    fmt: str = "{:.2f}"
    symbol: str = ""

    def __post_init__(self):
        vals = tuple(float(v) for v in self.values)
        object.__setattr__(self, "values", vals)
        if len(vals) < 2:
            raise ValueError(f"values: parameter {self.name!r} needs at least two grid values")
        if self.index(self.default) is None:
            raise ValueError(f"default: {self.default!r} is not on the grid of {self.name!r}")

    @classmethod
    def linear(cls, name: str, label: str, lo: float, hi: float, step: float, default: float, **kw) -> Param:
        n = int(round((hi - lo) / step)) + 1
        return cls(name, label, tuple(round(lo + i * step, 10) for i in range(n)), default, **kw)

    @property
    def min(self) -> float:
        return self.values[0]

    @property
    def max(self) -> float:
        return self.values[-1]

    def index(self, value: float) -> int | None:
        for i, v in enumerate(self.values):
            if math.isclose(v, float(value), rel_tol=1e-9, abs_tol=1e-12):
                return i
        return None

    def text(self, value: float) -> str:
        """Short spoken/visible value, e.g. ``"p = 0.30"``."""
        return f"{self.symbol or self.name} = {self.fmt.format(value)}"


@dataclass(kw_only=True)
class Explorer:
    """One explorer, defined once and rendered statically or live.

    ``compute(**params) -> dict`` is pure; ``readout(state) -> str`` gives the
    key numbers with units; ``plotly_base(state) -> {"data", "layout"}`` and
    ``plotly_frame(state) -> list[dict]`` (updates of the traces listed in
    ``frame_traces``) draw it for the site; ``mpl_init(fig, state) -> handles``
    and ``mpl_update(handles, state)`` draw it in Jupyter.

    ``title``, ``hint`` (the caption: what to try and what to see, course
    Markdown) and ``alt`` (what the figure shows, for a screen reader) are the
    one source of the explorer's texts: :func:`show` renders them above the
    static explorer and the live widget (a chapter has no copy of them).
    """

    id: str
    chapter: str
    title: str
    params: tuple[Param, ...]
    compute: Callable[..., dict]
    readout: Callable[[dict], str]
    plotly_base: Callable[[dict], dict]
    plotly_frame: Callable[[dict], list]
    frame_traces: tuple[int, ...]
    mpl_init: Callable[[Any, dict], Any]
    mpl_update: Callable[[Any, dict], None]
    hint: str = ""
    alt: str = ""
    height: int = 420
    figsize: tuple[float, float] = (8.0, 3.4)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        for name in ("title", "hint", "alt"):
            if not str(getattr(self, name)).strip():
                raise ValueError(f"explorer {self.id!r}: {name} must be a non-empty text (it is shown "
                                 f"{'as the caption' if name == 'hint' else 'as the alt text' if name == 'alt' else 'above the figure'})")

    # -- parameters -------------------------------------------------------
    @property
    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def grid(self):
        """Every combination of grid values, first parameter slowest."""
        return itertools.product(*(p.values for p in self.params))

    @property
    def n_frames(self) -> int:
        return int(np.prod([len(p.values) for p in self.params]))

    def frame_index(self, **values) -> int:
        """Index of the static frame for these parameter values."""
        k = 0
        for p in self.params:
            i = p.index(values.get(p.name, p.default))
            if i is None:
                raise ValueError(f"{p.name}: {values.get(p.name)!r} is not on the grid {p.values}")
            k = k * len(p.values) + i
        return k

    def state(self, **values) -> dict:
        """``compute`` at these values (defaults for the rest)."""
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise TypeError(f"{self.id}: unknown parameter(s) {sorted(unknown)}; "
                            f"expected {[p.name for p in self.params]}")
        kw = {**self.defaults, **values}
        return self.compute(**kw)

    # -- static rendering ---------------------------------------------------
    def static(self) -> StaticExplorer:
        """The explorer for the built site (plotly frames + native sliders)."""
        if "static" not in self._cache:
            self._cache["static"] = StaticExplorer(self, _static_html(self))
        return self._cache["static"]

    # -- live rendering -----------------------------------------------------
    def live(self):
        """ipywidgets sliders redrawing a matplotlib figure (needs a kernel)."""
        return LiveExplorer(self)


def _dom_id(explorer: Explorer, suffix: str = "") -> str:
    return f"xe-{explorer.id}" + (f"-{suffix}" if suffix else "")


_GLUE = """(function () {
  var root = document.getElementById(%(root)s);
  var plot = document.getElementById(%(plot)s);
  if (!root || !plot || !window.Plotly) { return; }
  var sizes = %(sizes)s, valueText = %(value_text)s;
  var frames = %(frames)s, readouts = %(readouts)s;
  var inputs = %(inputs)s.map(function (id) { return document.getElementById(id); });
  var shown = %(shown)s.map(function (id) { return document.getElementById(id); });
  var out = document.getElementById(%(out)s);
  root.querySelector(".xe-fallback").hidden = true;
  root.querySelector(".xe-controls").hidden = false;
  /* Frame k from the columns (see explorers._encode_frames): a column is one
     attribute of one trace, its values per frame, or unique values and an index
     per frame; "q" = n: integers in units of 10^-n, arrays as differences. */
  function expand(v, q) {
    var s = Math.pow(10, q), acc = 0;
    if (!Array.isArray(v)) { return v === null ? null : v / s; }
    return v.map(function (n) { if (n === null) { return null; } acc += n; return acc / s; });
  }
  function frame(k) {
    var data = frames.traces.map(function () { return {}; });
    frames.cols.forEach(function (c) {
      var v = c.u ? c.u[c.i[k]] : c.v[k], o = data[c.t], path = c.k.split(".");
      if (typeof c.q === "number") { v = expand(v, c.q); }
      for (var j = 0; j < path.length - 1; j++) { o = o[path[j]] = o[path[j]] || {}; }
      o[path[path.length - 1]] = v;
    });
    return {data: data, traces: frames.traces};
  }
  /* Readout k: its template's literal parts around the numbers kept per frame. */
  function readout(k) {
    var t = readouts.frames[k].split(" "), parts = readouts.parts[+t[0]], s = parts[0];
    for (var j = 1; j < parts.length; j++) { s += t[j] + parts[j]; }
    return s;
  }
  function update() {
    var k = 0;
    for (var i = 0; i < inputs.length; i++) {
      var v = parseInt(inputs[i].value, 10);
      k = k * sizes[i] + v;
      inputs[i].setAttribute("aria-valuetext", valueText[i][v]);
      shown[i].textContent = valueText[i][v];
    }
    out.textContent = readout(k);
    root.setAttribute("data-frame", String(k));
    /* A newer slider position interrupts the running animation: plotly.js then
       rejects its promise with no reason.  Only that rejection is expected. */
    Plotly.animate(plot, frame(k), {mode: "immediate", transition: {duration: 0},
                                    frame: {duration: 0, redraw: true}})
      .catch(function (err) { if (err !== undefined) { throw err; } });
  }
  inputs.forEach(function (el) { el.addEventListener("input", update); });
  update();
  root.setAttribute("data-ready", "true");
})();"""

#: A frame's x or y values are kept to 1/RESOLUTION of their axis's range (finer than a
#: pixel of any figure); on a log axis to four significant digits.
RESOLUTION = 1000

_NUMBER = re.compile(r"(?<![\w.])[-\u2212+]?\d+(?:\.\d+)?")


def _flatten(d: dict, prefix: str = "") -> dict:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _is_number(v: Any) -> bool:
    return v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))


def _decimals(axis: dict, values: list) -> int | None:
    """Decimals that keep ``values`` (numbers or lists of numbers) to 1/RESOLUTION of the axis
    range (its fixed ``range``, else the values' span); ``None`` on a log axis."""
    if axis.get("type") == "log":
        return None
    rng = axis.get("range")
    if rng is not None:
        span = abs(float(rng[1]) - float(rng[0]))
    else:
        flat = [float(x) for v in values for x in (v if isinstance(v, list) else [v]) if x is not None]
        span = max(flat) - min(flat) if flat else 0.0
    if span <= 0:
        return 4
    return min(6, max(0, math.ceil(math.log10(RESOLUTION / span))))


def _fixed(v: Any, q: int) -> Any:
    """``v`` in integer units of 10^-q; a list as its first value and then differences."""
    s = 10 ** q
    if not isinstance(v, list):
        return None if v is None else int(round(v * s))
    out: list[int | None] = []
    prev = 0
    for x in v:
        if x is None:
            out.append(None)
            continue
        n = int(round(x * s))
        out.append(n - prev)
        prev = n
    return out


def _significant(v: Any, digits: int = 4) -> Any:
    if isinstance(v, list):
        return [_significant(x, digits) for x in v]
    return None if v is None else float(f"{v:.{digits}g}")


def _encode_frames(frame_data: list[list[dict]], frame_traces: Sequence[int], base: list[dict],
                   layout: dict) -> dict:
    """The frames as columns: one per trace attribute that changes between frames.

    Attributes equal in every frame are left out (the first drawing has them);
    numbers on an axis are kept to what can be seen (:data:`RESOLUTION`); a
    column whose values repeat stores each distinct value once.
    """
    flat = [[_flatten(tr) for tr in frame] for frame in frame_data]
    cols = []
    for j, t in enumerate(frame_traces):
        keys = list(flat[0][j])
        for k, frame in enumerate(flat):
            if list(frame[j]) != keys:
                raise ValueError(f"plotly_frame: frame {k} sets the attributes {sorted(frame[j])} of trace {t}, "
                                 f"frame 0 sets {sorted(keys)}: every frame must set the same ones")
        for key in keys:
            values = [frame[j][key] for frame in flat]
            if all(v == values[0] for v in values):
                continue
            col: dict[str, Any] = {"t": j, "k": key}
            numeric = all(_is_number(x) for v in values for x in (v if isinstance(v, list) else [v]))
            if numeric and key in ("x", "y"):
                ref = base[t].get(f"{key}axis", key)
                q = _decimals(layout.get(f"{key}axis{ref[1:]}", {}), values)
                if q is None:
                    values = [_significant(v) for v in values]
                else:
                    col["q"] = q
                    values = [_fixed(v, q) for v in values]
            keyed = [json.dumps(v) for v in values]
            unique = list(dict.fromkeys(keyed))
            if len(unique) < len(values):
                index = {u: i for i, u in enumerate(unique)}
                col["u"] = [json.loads(u) for u in unique]
                col["i"] = [index[u] for u in keyed]
            else:
                col["v"] = values
            cols.append(col)
    return {"traces": list(frame_traces), "cols": cols}


def decode_frame(frames: dict, k: int) -> list[dict]:
    """Frame ``k``'s trace updates from :func:`_encode_frames` (what the page's script computes)."""
    data: list[dict] = [{} for _ in frames["traces"]]
    for c in frames["cols"]:
        v = c["u"][c["i"][k]] if "u" in c else c["v"][k]
        if "q" in c:
            s = 10 ** c["q"]
            if isinstance(v, list):
                acc, out = 0, []
                for n in v:
                    if n is not None:
                        acc += n
                    out.append(None if n is None else acc / s)
                v = out
            elif v is not None:
                v = v / s
        o = data[c["t"]]
        *head, last = c["k"].split(".")
        for part in head:
            o = o.setdefault(part, {})
        o[last] = v
    return data


def _encode_readouts(texts: list[str]) -> dict:
    """Readouts as templates (the text around the numbers that change) and, per frame, the
    template's index and those numbers as printed: ``"0 0.30 0.881"`` (exact: the numbers
    are kept as text).  A number that is the same in every frame of a template is in it."""
    split = [(_NUMBER.split(t), _NUMBER.findall(t)) for t in texts]
    groups: dict[tuple[str, ...], list[int]] = {}
    for k, (pieces, _) in enumerate(split):
        groups.setdefault(tuple(pieces), []).append(k)
    parts: list[list[str]] = []
    out = [""] * len(texts)
    for key, members in groups.items():
        pieces = list(key)
        nums = [split[k][1] for k in members]
        keep = [i for i in range(len(pieces) - 1) if any(n[i] != nums[0][i] for n in nums)]
        template, literal = [], pieces[0]
        for i in range(len(pieces) - 1):
            if i in keep:
                template.append(literal)
                literal = pieces[i + 1]
            else:
                literal += nums[0][i] + pieces[i + 1]
        template.append(literal)
        for k, n in zip(members, nums, strict=True):
            out[k] = " ".join([str(len(parts)), *(n[i] for i in keep)])
        parts.append(template)
    return {"parts": parts, "frames": out}


def decode_readout(readouts: dict, k: int) -> str:
    """Readout ``k`` from :func:`_encode_readouts` (what the page's script computes)."""
    t = readouts["frames"][k].split(" ")
    parts = readouts["parts"][int(t[0])]
    return parts[0] + "".join(n + p for n, p in zip(t[1:], parts[1:], strict=True))


_PLOTLY_GUARD = 'if (document.getElementById("%s")) {'


def _static_html(ex: Explorer) -> str:
    import plotly.io as pio

    root, plot, out = _dom_id(ex), _dom_id(ex, "plot"), _dom_id(ex, "out")
    default_state = ex.state()
    fig = ex.plotly_base(default_state)
    layout = dict(fig["layout"])
    layout.setdefault("height", ex.height)
    layout.setdefault("margin", {"l": 60, "r": 20, "t": 40, "b": 55})
    layout.setdefault("font", {"size": 13})
    layout.setdefault("paper_bgcolor", "white")
    layout.setdefault("plot_bgcolor", "white")
    frame_data, readouts = [], []
    for combo in ex.grid():
        st = ex.compute(**dict(zip([p.name for p in ex.params], combo, strict=False)))
        frame_data.append(ex.plotly_frame(st))
        readouts.append(ex.readout(st))
    frames = _encode_frames(frame_data, ex.frame_traces, fig["data"], layout)
    figure = {"data": fig["data"], "layout": layout}
    def compact(obj: Any) -> str:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)

    js = _GLUE % {
        "root": json.dumps(root), "plot": json.dumps(plot), "out": json.dumps(out),
        "sizes": json.dumps([len(p.values) for p in ex.params]),
        "value_text": compact([[p.text(v) for v in p.values] for p in ex.params]),
        "frames": compact(frames),
        "readouts": compact(_encode_readouts(readouts)),
        "inputs": json.dumps([_dom_id(ex, p.name) for p in ex.params]),
        "shown": json.dumps([_dom_id(ex, p.name + "-value") for p in ex.params]),
    }
    div = pio.to_html(
        figure, full_html=False, include_plotlyjs=False, include_mathjax=False, div_id=plot,
        auto_play=False, post_script=js, validate=False, default_height=f"{ex.height}px",
        config={"displayModeBar": False, "responsive": True, "scrollZoom": False},
    )
    guard = _PLOTLY_GUARD % plot
    if div.count(guard) != 1:  # plotly changed its HTML template: fail loudly, not silently
        raise RuntimeError("explorers: unexpected plotly.io.to_html output (guard not found)")
    # Without plotly.js (JupyterLab, GitHub) the figure script must not throw.
    div = div.replace(guard, f'if (window.Plotly && document.getElementById("{plot}")) {{')
    default_k = ex.frame_index()
    controls = []
    for p in ex.params:
        i = p.index(p.default)
        pid = _dom_id(ex, p.name)
        controls.append(
            # flex-wrap: on a phone the label takes its own line and the slider
            # and its value share the next one (nothing is cut off).
            f'<div class="xe-control" style="display:flex;flex-wrap:wrap;align-items:center;'
            f'gap:0.2em 0.6em;margin:0.2em 0">'
            f'<label for="{pid}" style="min-width:min(16em,100%)">{html.escape(p.label)}</label>'
            f'<input type="range" id="{pid}" name="{p.name}" min="0" max="{len(p.values) - 1}" step="1" '
            f'value="{i}" aria-valuetext="{html.escape(p.text(p.default))}" style="flex:1 1 8em;max-width:22em">'
            f'<span id="{pid}-value" aria-hidden="true" style="min-width:7em;font-family:monospace">'
            f'{html.escape(p.text(p.default))}</span></div>'
        )
    # Without plotly.js (an untrusted notebook in JupyterLab, GitHub) the sliders stay hidden
    # (they would move without effect) and this note says where the explorer works.
    note = (
        '<p class="xe-fallback" style="font-style:italic">Interactive figure: it is drawn, with its '
        "sliders, on the course web site (which serves plotly.js) and, live, in Jupyter: run this cell, "
        f'<code>explorers.show("{ex.id}")</code>.</p>'
    )
    readout = (
        f'<p style="margin:0.4em 0"><strong>Result:</strong> '
        f'<output id="{out}" aria-live="polite" for="{" ".join(_dom_id(ex, p.name) for p in ex.params)}">'
        f"{html.escape(readouts[default_k])}</output></p>"
    )
    caption_id = _dom_id(ex, "caption")
    return (
        f'<div class="xe-explorer" id="{root}" role="group" aria-label="{html.escape(ex.title)}" '
        f'aria-describedby="{caption_id}">'
        f'{heading(ex, caption_id)}'
        f'{note}<div class="xe-controls" hidden>{"".join(controls)}</div>{readout}'
        # the figure's alt text: what a screen reader says for the plot (plotly's SVG has none)
        f'<div class="xe-figure" role="img" aria-label="{html.escape(ex.alt)}">{div}</div></div>'
    )


def heading(ex: Explorer, caption_id: str = "", compact: bool = False) -> str:
    """The explorer's title and caption (its ``hint``, course Markdown), as HTML: the one
    source of both texts, shown above the static explorer and (``compact``: one paragraph,
    so that the live widget still fits a 1366x768 screen) above the live widget."""
    from .audit import md_to_html

    title, caption = html.escape(ex.title), md_to_html(ex.hint, inline=True)
    if compact:
        return (f'<p class="xe-caption" style="margin:0 0 0.3em 0;line-height:1.35">'
                f'<strong>{title}.</strong> {caption}</p>')
    ident = f' id="{caption_id}"' if caption_id else ""
    return (f'<p class="xe-title" style="margin:0 0 0.3em 0"><strong>{title}</strong></p>'
            f'<p class="xe-caption"{ident} style="margin:0 0 0.5em 0">{caption}</p>')


class StaticExplorer:
    """What a chapter displays on the site: HTML with plotly frames and sliders."""

    def __init__(self, explorer: Explorer, html_text: str):
        self.explorer = explorer
        self.html = html_text

    @property
    def payload_bytes(self) -> int:
        return len(self.html.encode("utf-8"))

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        ex = self.explorer
        return (f"Static explorer {ex.id!r}: {ex.title} "
                f"({len(ex.params)} slider(s), {ex.n_frames} precomputed frames)")


# -- live rendering ---------------------------------------------------------------

def _new_figure(figsize):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=CSS_DPI * PIXEL_RATIO, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    """PNG bytes of what the Agg canvas holds now (no redraw)."""
    from PIL import Image

    canvas = fig.canvas
    w, h = canvas.get_width_height(physical=True)
    img = Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def _artists(obj) -> list:
    """Every matplotlib artist in a handle (an artist, a container, a list or a dict of them)."""
    from matplotlib.artist import Artist

    if isinstance(obj, Artist):
        return [obj]
    if isinstance(obj, dict):
        obj = list(obj.values())
    if isinstance(obj, (list, tuple)):  # BarContainer is a tuple of rectangles
        return [a for o in obj for a in _artists(o)]
    return []


class LiveRenderer:
    """Compute + redraw without widgets (used by the widget and by the benchmark).

    The figure is drawn once in full; the artists returned by ``mpl_init``
    (the ones ``mpl_update`` changes) are "animated": every update restores
    the saved background and draws only them (matplotlib blitting), then
    encodes the canvas as PNG.  This keeps an update to a few milliseconds.
    """

    def __init__(self, explorer: Explorer):
        import matplotlib as mpl
        from cycler import cycler

        from .. import plotting

        self.explorer = explorer
        with mpl.rc_context({"axes.prop_cycle": cycler(color=plotting.CYCLE), "font.size": 10,
                             "axes.grid": True, "grid.alpha": 0.3}):
            self.fig = _new_figure(explorer.figsize)
            self.values = dict(explorer.defaults)
            self.state = explorer.state()
            self.handles = explorer.mpl_init(self.fig, self.state)
            self.dynamic = _artists(self.handles)
            for a in self.dynamic:
                a.set_animated(True)
            self.fig.canvas.draw()  # full draw (constrained layout) without the dynamic artists
        self.fig.set_layout_engine("none")  # freeze the layout
        self.background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._blit()

    def _blit(self) -> bytes:
        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        for a in self.dynamic:
            self.fig.draw_artist(a)
        self.png = _png(self.fig)
        return self.png

    def update(self, **values) -> bytes:
        self.values.update(values)
        self.state = self.explorer.state(**self.values)
        self.explorer.mpl_update(self.handles, self.state)
        return self._blit()


def _widgets():
    import ipywidgets

    return ipywidgets


def _grid_index(p: Param, value: float) -> int:
    i = p.index(value)
    if i is None:
        raise ValueError(f"{p.name}: {value!r} is not on the grid {p.values}")
    return i


def LiveExplorer(explorer: Explorer):
    """Build the widget (a function so that ipywidgets is imported lazily).

    Layout for a laptop screen (1366x768): each slider's label sits on its own
    line above a track of fixed width (``SLIDER_WIDTH``, at most the cell's
    width), so a long label never squeezes the track; the figure is shown at
    its natural size (``figsize`` x ``CSS_DPI`` CSS pixels) and drawn with
    ``PIXEL_RATIO`` device pixels per CSS pixel.
    """
    w = _widgets()

    class _Live(w.VBox):  # type: ignore[name-defined]
        def __init__(self, ex: Explorer):
            self.renderer = LiveRenderer(ex)
            self.explorer = ex
            self.sliders = {}
            rows = []
            for p in ex.params:
                s = w.SelectionSlider(
                    options=[(p.fmt.format(v), v) for v in p.values], value=p.values[_grid_index(p, p.default)],
                    description=p.symbol or p.name, continuous_update=True,
                    style={"description_width": "initial"},
                    layout=w.Layout(width=SLIDER_WIDTH, max_width="100%"),
                )
                s.observe(self._changed, names="value")
                self.sliders[p.name] = s
                label = w.HTML(value=html.escape(p.label), layout=w.Layout(margin="0.3em 0 0 0"))
                rows.append(w.VBox([label, s]))
            width, height = (round(d * CSS_DPI) for d in ex.figsize)
            # the alt text: ipywidgets' Image has no alt attribute (and a tooltip on it breaks
            # JupyterLab's image view), so the heading carries it for screen readers, visually hidden
            self.heading = w.HTML(value=heading(ex, compact=True) + (
                '<span style="position:absolute;width:1px;height:1px;overflow:hidden;'
                f'clip:rect(0 0 0 0);white-space:nowrap">Figure: {html.escape(ex.alt)}</span>'))
            self.image = w.Image(value=self.renderer.png, format="png",
                                 layout=w.Layout(width=f"{width}px", max_width="100%", height="auto",
                                                 align_self="flex-start"))
            self.readout = w.HTML(value=f"<b>Result:</b> {html.escape(ex.readout(self.renderer.state))}")
            self.last_update_ms = 0.0
            super().__init__(children=[self.heading, *rows, self.readout, self.image])

        def _changed(self, change):
            t0 = time.perf_counter()
            values = {k: s.value for k, s in self.sliders.items()}
            self.image.value = self.renderer.update(**values)
            self.readout.value = f"<b>Result:</b> {html.escape(self.explorer.readout(self.renderer.state))}"
            self.last_update_ms = 1000 * (time.perf_counter() - t0)

        def set(self, **values):
            """Move sliders from code (as a student would with the mouse)."""
            for k, v in values.items():
                p = next(p for p in self.explorer.params if p.name == k)
                self.sliders[k].value = p.values[_grid_index(p, v)]
            return self

        @property
        def html(self) -> str:
            """The static explorer's HTML (what the web site shows for this output)."""
            return self.explorer.static().html

        @property
        def payload_bytes(self) -> int:
            return self.explorer.static().payload_bytes

        def _repr_mimebundle_(self, **kwargs):
            # One output, two representations: Jupyter shows the widget view, the
            # site (myst-nb, text/html ranked first) the precomputed explorer.
            data = super()._repr_mimebundle_(**kwargs)
            if data is None:  # a closed widget
                return None
            return {**data, "text/html": self.html}

        def __repr__(self) -> str:
            ex = self.explorer
            names = ", ".join(p.name for p in ex.params)
            # ipywidgets truncates text/plain at 110 characters: keep it short.
            return f"Live explorer {ex.id!r} (sliders: {names}); it responds in a running Jupyter kernel"

    return _Live(explorer)


#: Width of every live slider track row (the label is on its own line above it).
SLIDER_WIDTH = "30em"


def check_payload(html_text: str, name: str) -> None:
    size = len(html_text.encode("utf-8"))
    if size > MAX_PAYLOAD:
        raise RuntimeError(f"explorer {name!r}: static payload {size} bytes > {MAX_PAYLOAD}")


def round_state(values: Sequence[float], digits: int = 4) -> list:
    return rounded(list(values), digits)


# -- the registry -----------------------------------------------------------------

#: Every explorer, by id, in the order the chapters define them.
REGISTRY: Registry[Explorer] = Registry("explorer")


def register(explorer: Explorer) -> Explorer:
    """Add an explorer to :data:`REGISTRY` (done by its chapter's module); return it."""
    if not isinstance(explorer, Explorer):
        raise TypeError(f"explorer must be an Explorer, got {type(explorer).__name__}")
    return REGISTRY.add(explorer)


def ids() -> tuple[str, ...]:
    """The ids of every explorer."""
    return REGISTRY.ids()


def get(explorer_id: str) -> Explorer:
    """The explorer with this id (``KeyError`` naming the closest ids if unknown)."""
    return REGISTRY.get(explorer_id)


def compute(explorer_id: str, **params: float) -> dict:
    """What the explorer draws for these slider values (defaults for the rest)."""
    return get(explorer_id).state(**params)


def show(explorer_id: str) -> Any:
    """The explorer, for a chapter cell's result: live sliders in Jupyter, and the
    precomputed static explorer (its ``text/html``) on the web site, in one output."""
    return get(explorer_id).live()


def live(explorer_id: str) -> Any:
    """The same object as :func:`show` (kept for code that calls it by this name)."""
    return get(explorer_id).live()


# -- plotly helpers the chapters' explorers share ----------------------------------

#: Grey for reference curves (the plain cross-entropy beside its variants).
GREY = "#999999"


def num(x: float, fmt: str = ".3f") -> str:
    """Format a number without a negative zero ("-0.000" becomes "0.000")."""
    digits = int(fmt[-2]) if fmt[-2].isdigit() else 3
    return format(round(float(x), digits) + 0.0, fmt)


def axis(title: str, rng: Sequence[float] | None = None, **kw: Any) -> dict:
    """A plotly axis with the course's grid, ticks and (optionally) a fixed range."""
    d: dict[str, Any] = {"title": {"text": title}, "showgrid": True, "gridcolor": "#e5e5e5",
                         "zeroline": False, "linecolor": "#444", "ticks": "outside", "mirror": True,
                         "automargin": True}  # room for (rotated) tick labels on a phone
    if rng is not None:
        d["range"] = list(rng)
        d["autorange"] = False
    d.update(kw)
    return d


def layout(**kw: Any) -> dict:
    """A plotly layout with the course's legend below the plot."""
    base: dict[str, Any] = {"showlegend": True, "legend": {"orientation": "h", "y": -0.22, "x": 0}}
    base.update(kw)
    return base


# -- a static colour map as an image (plotly's basic bundle has no heatmap) --------

def bands(edges: Sequence[float] | np.ndarray, cmap: str = "cividis") -> list[str]:
    """One colour per band between consecutive ``edges``: ``cmap`` (matplotlib's) at the band's centre."""
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    e = np.asarray(edges, dtype=float)
    centres = (e[:-1] + e[1:]) / 2
    colours = mpl.colormaps[cmap]((centres - e[0]) / (e[-1] - e[0]))
    return [to_hex(c) for c in colours]


def banded_image(values: np.ndarray, edges: Sequence[float] | np.ndarray, cmap: str = "cividis") -> str:
    """A ``data:`` URI of a palette PNG of ``values`` (row 0 = lowest y): each value takes its
    band's colour (:func:`bands`); NaN is transparent.  Filled bands, like a contour plot,
    compress to a few KB; the same image reads in light and dark mode."""
    import base64

    from matplotlib.colors import to_rgb
    from PIL import Image

    e = np.asarray(edges, dtype=float)
    v = np.asarray(values, dtype=float)
    band = np.clip(np.searchsorted(e, v, side="right") - 1, 0, len(e) - 2) + 1  # 0 = transparent
    index = np.where(np.isfinite(v), band, 0).astype(np.uint8)[::-1]  # PNG rows go down
    img = Image.fromarray(index, mode="P")
    palette = [0, 0, 0] + [round(255 * c) for h in bands(edges, cmap) for c in to_rgb(h)]
    img.putpalette(palette)
    buf = io.BytesIO()
    img.save(buf, format="png", optimize=True, transparency=0)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def image_layer(source: str, x: Sequence[float], y: Sequence[float], xref: str = "x", yref: str = "y") -> dict:
    """A ``layout.images`` entry stretched over ``x = (left, right)``, ``y = (bottom, top)`` in data units,
    under the traces."""
    return {"source": source, "xref": xref, "yref": yref, "x": x[0], "y": y[1], "sizex": x[1] - x[0],
            "sizey": y[1] - y[0], "xanchor": "left", "yanchor": "top", "sizing": "stretch", "layer": "below"}


def colour_scale_trace(title: str, edges: Sequence[float] | np.ndarray, cmap: str = "cividis", *, at: Sequence[float],
                       tickvals: Sequence[float] | np.ndarray | None = None, ticktext: Sequence[str] | None = None,
                       xaxis: str = "x", yaxis: str = "y") -> dict:
    """A scatter trace that only draws a colour bar (its one marker, at ``at``, is invisible): the
    bands of :func:`banded_image`, titled with what the colours mean and its unit."""
    e = [float(v) for v in edges]
    lo, hi = e[0], e[-1]
    scale = []
    for a, b, c in zip(e[:-1], e[1:], bands(edges, cmap), strict=True):
        scale += [[round((a - lo) / (hi - lo), 6), c], [round((b - lo) / (hi - lo), 6), c]]
    # the title along the bar (not above it): the bar stays narrow on a phone
    colorbar: dict[str, Any] = {"title": {"text": title, "side": "right"}, "thickness": 14, "outlinewidth": 0,
                                "len": 1}
    if tickvals is not None:
        colorbar["tickvals"] = [round(float(v), 6) for v in tickvals]
    if ticktext is not None:
        colorbar["ticktext"] = list(ticktext)
    return {"type": "scatter", "mode": "markers", "x": [at[0]], "y": [at[1]], "name": title,
            "hoverinfo": "skip", "showlegend": False, "xaxis": xaxis, "yaxis": yaxis,
            "marker": {"color": [lo], "cmin": lo, "cmax": hi, "colorscale": scale, "opacity": 0,
                       "showscale": True, "colorbar": colorbar}}
