"""xentlib.explorers: every explorer's compute agrees with direct xentlib calls,
the static HTML is deterministic, small, labelled and degrades without plotly.js,
and the live widget updates and has a stable text repr."""
from __future__ import annotations

import json
import pathlib
import re
from html.parser import HTMLParser

import numpy as np
import pytest

import xentlib as xl
from xentlib.course import ch03_loss_and_gradient as ch03
from xentlib.course import ch04_training as ch04
from xentlib.course import explorers
from xentlib.course.explorers import MAX_PAYLOAD, _static_html

ALL = list(explorers.ids())


def _grid_sample(ex, k=5, seed=0):
    """A few grid points (the first, the last and random ones)."""
    combos = list(ex.grid())
    rng = np.random.default_rng(seed)
    picks = {0, len(combos) - 1, *rng.integers(0, len(combos), size=k).tolist()}
    names = [p.name for p in ex.params]
    return [dict(zip(names, combos[i], strict=False)) for i in sorted(picks)]


def test_names_and_lookup():
    assert explorers.ids() == ("bernoulli", "simplex", "pq", "softmax", "smoothing", "learning-rate")
    with pytest.raises(KeyError, match="unknown explorer id 'nope'"):
        explorers.get("nope")
    with pytest.raises(TypeError, match="unknown parameter"):
        explorers.compute("bernoulli", q=0.3)
    with pytest.raises(ValueError, match="not on the grid"):
        explorers.get("bernoulli").frame_index(p=0.305)


# -- compute agrees with xentlib -----------------------------------------------------

@pytest.mark.parametrize("p", [0.0, 0.01, 0.3, 0.5, 0.99, 1.0])
def test_bernoulli_compute(p):
    s = explorers.compute("bernoulli", p=p)
    assert s["H_bits"] == pytest.approx(float(xl.binary_entropy(p, base=2)), abs=1e-12)
    assert s["H_nats"] == pytest.approx(float(xl.entropy([p, 1 - p])), abs=1e-12)
    assert s["H_nats"] == pytest.approx(s["H_bits"] * np.log(2), abs=1e-12)


def test_simplex_compute():
    ex = explorers.get("simplex")
    for v in _grid_sample(ex, k=20):
        s = ex.state(**v)
        p3 = 1 - v["p1"] - v["p2"]
        if p3 < -1e-9:
            assert not s["valid"] and np.isnan(s["H_bits"])
            assert "not a probability distribution" in ex.readout(s)
        else:
            p = np.array([v["p1"], v["p2"], max(p3, 0.0)])
            assert s["valid"]
            assert s["H_bits"] == pytest.approx(float(xl.entropy(p, base=2)), abs=1e-12)
            assert s["H_nats"] == pytest.approx(float(xl.entropy(p)), abs=1e-12)
    s = ex.state(p1=0.35, p2=0.35)
    # the heat map: maximum log2(3) bits near the centre, 0 at the corners, NaN outside
    H = s["heat_bits"]
    assert np.nanmax(H) <= np.log2(3) + 1e-12 and np.nanmax(H) > np.log2(3) - 0.01
    assert np.nanmin(H) == pytest.approx(0.0, abs=0.2)
    assert np.isnan(H[-1, 0]) and np.isnan(H[-1, -1])


def test_pq_compute():
    ex = explorers.get("pq")
    for v in _grid_sample(ex, k=20):
        s = ex.state(**v)
        P, Q = np.array([v["p"], 1 - v["p"]]), np.array([v["q"], 1 - v["q"]])
        b = s["bits"]
        assert b["H(P)"] == pytest.approx(float(xl.entropy(P, base=2)), abs=1e-12)
        assert b["H(Q)"] == pytest.approx(float(xl.entropy(Q, base=2)), abs=1e-12)
        assert b["H(P,Q)"] == pytest.approx(float(xl.cross_entropy(P, Q, base=2)), abs=1e-12)
        assert b["H(Q,P)"] == pytest.approx(float(xl.cross_entropy(Q, P, base=2)), abs=1e-12)
        assert b["KL(P‖Q)"] == pytest.approx(float(xl.kl_divergence(P, Q, base=2)), abs=1e-12)
        assert b["KL(Q‖P)"] == pytest.approx(float(xl.kl_divergence(Q, P, base=2)), abs=1e-12)
        # what the explorer is there to show
        assert b["H(P,Q)"] >= b["H(P)"] - 1e-12
        assert b["H(P,Q)"] == pytest.approx(b["H(P)"] + b["KL(P‖Q)"], abs=1e-12)
    s = ex.state(p=0.5, q=0.9)
    assert s["bits"]["KL(P‖Q)"] != pytest.approx(s["bits"]["KL(Q‖P)"], abs=0.1)  # asymmetric


def test_softmax_compute():
    ex = explorers.get("softmax")
    for v in _grid_sample(ex, k=20):
        s = ex.state(**v)
        z, T = np.array([v["z1"], v["z2"], 0.0]), v["T"]
        np.testing.assert_allclose(s["probs"], xl.softmax(z / T), atol=1e-12)
        np.testing.assert_allclose(s["probs"], xl.softmax(z, temperature=T), atol=1e-12)
        assert s["loss_nats"] == pytest.approx(-float(xl.log_softmax(z / T)[0]), abs=1e-12)
        def f(zz, T=T):
            return float(xl.softmax_cross_entropy((zz / T)[None, :], np.array([0])))
        np.testing.assert_allclose(s["grad"], xl.numerical_gradient(f, z), atol=1e-6)
        assert s["grad"].sum() == pytest.approx(0.0, abs=1e-12)
    # shift invariance, the reason z3 can be fixed at 0
    np.testing.assert_allclose(xl.softmax(np.array([1.0, 0.5, 0.0]) + 7.0), ex.state(z1=1.0, z2=0.5)["probs"])


def test_learning_rate_compute():
    ex = explorers.get("learning-rate")
    Xd, y = ch04.gd_data()
    for lr in (0.03, 1.0, 20.0):
        s = ex.state(lr=lr)
        theta = np.zeros(2)
        for t in range(ch04.GD_STEPS):
            loss, g = xl.sigmoid_binary_cross_entropy(Xd @ theta, y, return_grad=True)
            assert s["losses"][t] == pytest.approx(float(loss), abs=1e-12)
            theta = theta - lr * (Xd.T @ g)
        np.testing.assert_allclose(s["path"][-1], theta, atol=1e-10)
        # the gradient is the gradient of the loss
        f = lambda th: float(xl.sigmoid_binary_cross_entropy(Xd @ th, y))  # noqa: E731
        np.testing.assert_allclose(ch04.gd_loss_and_grad(theta)[1], xl.numerical_gradient(f, theta), atol=1e-6)
    assert s["losses"][0] == pytest.approx(np.log(2))


def test_learning_rate_shows_three_regimes():
    regimes = {lr: explorers.compute("learning-rate", lr=lr)["regime"] for lr in ch04.GD_RATES}
    assert regimes[0.01].startswith("too small")
    assert regimes[1.0].startswith("good")
    assert regimes[20.0].startswith("too large")
    big = explorers.compute("learning-rate", lr=20.0)
    assert big["losses"][-1] > big["losses"][0]  # worse than where it started
    small = explorers.compute("learning-rate", lr=0.01)
    assert np.all(np.diff(small["losses"]) < 0)  # monotone but slow


def test_smoothing_compute():
    ex = explorers.get("smoothing")
    for v in _grid_sample(ex, k=10):
        s = ex.state(**v)
        z = ch03._logits_for(s["pt"])
        np.testing.assert_allclose(xl.softmax(z)[:, 0], s["pt"], atol=1e-12)
        t = np.zeros(len(z), dtype=int)
        np.testing.assert_allclose(s["ce"], -np.log(s["pt"]), atol=1e-12)
        ls, gls = xl.softmax_cross_entropy(z, t, label_smoothing=v["eps"], reduction="none", return_grad=True)
        fl, gfl = xl.focal_loss(z, t, gamma=v["gamma"], reduction="none", return_grad=True)
        np.testing.assert_allclose(s["ls"], ls, atol=1e-12)
        np.testing.assert_allclose(s["g_ls"], gls[:, 0], atol=1e-12)
        np.testing.assert_allclose(s["focal"], fl, atol=1e-12)
        np.testing.assert_allclose(s["g_focal"], gfl[:, 0], atol=1e-12)
        # the textbook definitions
        np.testing.assert_allclose(s["focal"], (1 - s["pt"]) ** v["gamma"] * -np.log(s["pt"]), atol=1e-12)
        pt, eps = s["pt"], v["eps"]
        smooth = (1 - eps) * -np.log(pt) + eps / 3 * -(np.log(pt) + 2 * np.log((1 - pt) / 2))
        np.testing.assert_allclose(s["ls"], smooth, atol=1e-12)
    zero = ex.state(eps=0.0, gamma=0.0)
    np.testing.assert_allclose(zero["ls"], zero["ce"], atol=1e-12)
    np.testing.assert_allclose(zero["focal"], zero["ce"], atol=1e-12)
    # with smoothing the gradient at high p_t is positive (the model is pushed back)
    assert ex.state(eps=0.2)["g_ls"][-1] > 0


# -- readouts carry units --------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_readout_has_units(name):
    ex = explorers.get(name)
    for v in _grid_sample(ex):
        text = ex.readout(ex.state(**v))
        if "not a probability distribution" in text:
            continue
        assert re.search(r"\d (bits|nats)", text), text


# -- static rendering --------------------------------------------------------------

class _Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs, self.labels, self.outputs, self.ids, self.scripts = [], {}, [], [], 0
        self._label = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "input":
            self.inputs.append(a)
        elif tag == "label":
            self._label = a.get("for")
            self.labels[self._label] = ""
        elif tag == "output":
            self.outputs.append(a)
        elif tag == "script":
            self.scripts += 1

    def handle_data(self, data):
        if self._label:
            self.labels[self._label] += data

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None


@pytest.mark.parametrize("name", ALL)
def test_static_html_is_deterministic_small_and_labelled(name):
    ex = explorers.get(name)
    html = explorers.show(name).html
    assert html == _static_html(ex)  # a fresh rendering is identical (nbval strict compares it)
    assert len(html.encode()) <= MAX_PAYLOAD
    assert explorers.show(name).payload_bytes == len(html.encode())
    assert "plotly-graph-div" in html  # the marker _ext/xent_assets.py looks for
    assert not re.search(r"https?://", html), "no network address in the explorer"
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", html), "no random ids"
    c = _Controls()
    c.feed(html)
    assert len(c.ids) == len(set(c.ids))
    assert [i["id"] for i in c.inputs] == [f"xe-{name}-{p.name}" for p in ex.params]
    for inp, p in zip(c.inputs, ex.params, strict=False):
        assert inp["type"] == "range"
        assert c.labels[inp["id"]].strip() == p.label
        assert inp["aria-valuetext"] == p.text(p.default)
        assert int(inp["max"]) == len(p.values) - 1
        assert re.search(r"\[[^\]]+\]", p.label), f"label without units: {p.label}"
    assert len(c.outputs) == 1 and c.outputs[0]["aria-live"] == "polite"
    # one frame per grid point, each with its readout
    frames, readouts = _payload(html)
    assert len(readouts["frames"]) == ex.n_frames
    assert explorers.decode_readout(readouts, ex.frame_index()) == ex.readout(ex.state())
    assert all(len(c.get("i", c.get("v"))) == ex.n_frames for c in frames["cols"])


def _payload(html):
    """The frames and readouts the page's script decodes."""
    m = re.search(r"var frames = (\{.*?\}), readouts = (\{.*?\});\n", html)
    assert m, "frames/readouts not found in the explorer's script"
    return json.loads(m.group(1)), json.loads(m.group(2))


def _leaves(d, prefix=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _leaves(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}", v


@pytest.mark.parametrize("name", ALL)
def test_every_frame_decodes_to_what_compute_draws(name):
    """Issue 12: the compact frames (columns, fixed-point differences, shared values, readout
    templates) give back every frame: readouts exactly, numbers to the axis's resolution."""
    ex = explorers.get(name)
    frames, readouts = _payload(ex.static().html)
    base = ex.plotly_base(ex.state())
    lay = base["layout"]
    names = [p.name for p in ex.params]
    for k, combo in enumerate(ex.grid()):
        st = ex.compute(**dict(zip(names, combo, strict=True)))
        assert explorers.decode_readout(readouts, k) == ex.readout(st)
        decoded = explorers.decode_frame(frames, k)
        for j, tr in enumerate(ex.plotly_frame(st)):
            got = dict(_leaves(decoded[j]))
            for key, want in _leaves(tr):
                if key not in got:  # the same in every frame: the first drawing has it
                    assert dict(_leaves(base["data"][ex.frame_traces[j]]))[key] == want, (k, j, key)
                    continue
                if key in ("x", "y") and isinstance(want, list) and all(isinstance(v, (int, float)) for v in want):
                    ax = lay.get(f"{key}axis{base['data'][ex.frame_traces[j]].get(key + 'axis', key)[1:]}", {})
                    if ax.get("type") == "log":
                        np.testing.assert_allclose(got[key], want, rtol=5e-4)
                    else:
                        step = abs(ax["range"][1] - ax["range"][0]) / explorers.RESOLUTION
                        np.testing.assert_allclose(got[key], want, atol=step, rtol=0)
                else:
                    assert got[key] == want, (k, j, key)


def test_frames_keep_only_what_changes():
    """An attribute that is the same in every frame (the x grid of a curve, the bar
    categories) is not repeated per frame; a repeated value is stored once."""
    frames, _ = _payload(explorers.get("smoothing").static().html)
    assert {c["k"] for c in frames["cols"]} == {"y"}  # the p_t grid is in the first drawing only
    assert 0 not in {c["t"] for c in frames["cols"]}  # plain cross-entropy does not depend on ε or γ
    # label smoothing's curve depends on ε only: 7 distinct curves for 77 frames
    ls = next(c for c in frames["cols"] if c["t"] == 1)
    assert len(ls["u"]) == 7 and len(ls["i"]) == 77
    frames, _ = _payload(explorers.get("pq").static().html)
    assert {c["k"] for c in frames["cols"]} == {"y", "text"}


@pytest.mark.parametrize("name", ALL)
def test_figures_need_only_plotly_basic(name):
    """Issue 12: every explorer draws with scatter, bar and pie traces, so its page gets
    plotly.js's basic bundle (1.2 MB, 10^6 bytes), not the cartesian one (1.5 MB)."""
    sys_path = str(pathlib.Path(__file__).resolve().parent.parent / "_ext")
    import sys

    if sys_path not in sys.path:
        sys.path.insert(0, sys_path)
    import xent_assets

    html = explorers.get(name).static().html
    assert xent_assets.plotly_bundle(html) == "basic"


@pytest.mark.parametrize("name", ["simplex", "learning-rate"])
def test_colour_maps_are_an_image_with_a_labelled_colour_bar(name):
    import base64
    import io

    from PIL import Image

    fig = explorers.get(name).plotly_base(explorers.get(name).state())
    (img,) = fig["layout"]["images"]
    assert img["source"].startswith("data:image/png;base64,") and img["layer"] == "below"
    png = Image.open(io.BytesIO(base64.b64decode(img["source"].split(",", 1)[1])))
    assert png.mode == "P" and max(png.size) >= 240  # a palette image, finer than the figure's pixels
    assert len(img["source"]) < 8000  # bytes: a few KB, not the 60+ KB of a heatmap's numbers
    bars = [t for t in fig["data"] if t.get("marker", {}).get("showscale")]
    assert len(bars) == 1
    title = bars[0]["marker"]["colorbar"]["title"]["text"]
    assert re.search(r"\[(bits|nats)\]", title), title
    # the colour bar's steps are the image's colours
    scale = [c for _, c in bars[0]["marker"]["colorscale"]]
    palette = png.getpalette()[3:3 * (len(scale) // 2 + 1)]
    assert [f"#{palette[i]:02x}{palette[i + 1]:02x}{palette[i + 2]:02x}" for i in range(0, len(palette), 3)] \
        == scale[::2]


@pytest.mark.parametrize("name", ALL)
def test_static_html_degrades_without_plotly(name):
    html = explorers.show(name).html
    # the plotly call and the glue both check for plotly.js before using it ...
    assert f'if (window.Plotly && document.getElementById("xe-{name}-plot"))' in html
    assert "!window.Plotly" in html
    # ... a visible note (hidden by the glue once plotly is there) points to the live explorer ...
    assert 'class="xe-fallback"' in html and f'explorers.show("{name}")' in html
    # ... and the sliders stay hidden until the glue has plotly to move (no slider without effect)
    assert '<div class="xe-controls" hidden>' in html and 'root.querySelector(".xe-controls").hidden = false' in html


@pytest.mark.parametrize("name", ALL)
def test_one_output_carries_the_widget_and_the_static_html(name):
    """Issue 11, item 3: one cell per explorer.  Its output holds the widget view (Jupyter)
    and the static explorer as text/html (the site, which ranks text/html first)."""
    shown = explorers.show(name)
    bundle = shown._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "application/vnd.jupyter.widget-view+json"}
    assert bundle["text/html"] == _static_html(explorers.get(name))
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == shown.model_id


def test_the_site_ranks_the_static_html_above_the_widget():
    import yaml
    from myst_nb.core.render import get_mime_priority

    cfg = yaml.safe_load((pathlib.Path(__file__).resolve().parent.parent / "_config.yml").read_text())
    overrides = [tuple(o) for o in cfg["sphinx"]["config"]["nb_mime_priority_overrides"]]
    for builder in ("html", "dirhtml", "singlehtml"):
        order = get_mime_priority(builder, overrides)
        assert order.index("text/html") < order.index("application/vnd.jupyter.widget-view+json"), builder
    # without the override the widget view would win (this test can fail)
    default = get_mime_priority("html", [])
    assert default.index("application/vnd.jupyter.widget-view+json") < default.index("text/html")


@pytest.mark.parametrize("name", ALL)
def test_live_figure_is_drawn_at_twice_its_displayed_size(name):
    """Issue 11, item 4: shown at its natural size, sharp on a 2x screen."""
    import io

    from PIL import Image

    ex = explorers.get(name)
    w = explorers.show(name)
    shown_w, shown_h = (round(d * explorers.CSS_DPI) for d in ex.figsize)
    assert w.image.layout.width == f"{shown_w}px" and w.image.layout.height == "auto"
    drawn = Image.open(io.BytesIO(w.image.value)).size
    assert drawn == (explorers.PIXEL_RATIO * shown_w, explorers.PIXEL_RATIO * shown_h), drawn
    assert explorers.PIXEL_RATIO >= 2


def test_static_repr_is_plain_and_stable():
    r = repr(explorers.get("bernoulli").static())
    assert r == "Static explorer 'bernoulli': Entropy of a biased coin (1 slider(s), 101 precomputed frames)"


def test_static_frame_matches_compute():
    ex = explorers.get("bernoulli")
    frames, _ = _payload(ex.static().html)
    data = explorers.decode_frame(frames, ex.frame_index(p=0.73))
    assert data[1]["x"] == [0.73]
    assert data[1]["y"][0] == pytest.approx(float(xl.binary_entropy(0.73, base=2)), abs=1.1 / explorers.RESOLUTION)


# -- live rendering --------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_live_widget_updates(name):
    import ipywidgets

    ex = explorers.get(name)
    w = explorers.live(name)
    assert isinstance(w, ipywidgets.VBox)
    assert isinstance(w.image, ipywidgets.Image) and w.image.value[:4] == b"\x89PNG"
    r = repr(w)
    assert r.startswith(f"Live explorer '{name}'") and len(r) <= 110 and "0x" not in r
    assert w._repr_mimebundle_()["text/plain"] == r
    before = w.image.value
    p = ex.params[0]
    other = p.values[-1] if p.default != p.values[-1] else p.values[0]
    w.set(**{p.name: other})
    assert w.image.value != before
    assert ex.readout(ex.state(**{p.name: other})) in w.readout.value.replace("&#x27;", "'") or \
        w.readout.value.startswith("<b>Result:</b>")
    assert w.renderer.values[p.name] == other


def test_live_readout_equals_static_readout():
    import html

    w = explorers.live("pq").set(p=0.3, q=0.9)
    ex = explorers.get("pq")
    assert html.unescape(w.readout.value) == "<b>Result:</b> " + ex.readout(ex.state(p=0.3, q=0.9))


def test_no_negative_zero_in_any_readout():
    for name in ALL:
        ex = explorers.get(name)
        names = [p.name for p in ex.params]
        for combo in ex.grid():
            text = ex.readout(ex.compute(**dict(zip(names, combo, strict=False))))
            assert not re.search(r"-0\.0+\b(?![1-9])", text), text
