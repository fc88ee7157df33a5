"""The course's explorers: each one defined once (parameters, compute, drawings).

Every number comes from xentlib (``xentlib.binary_entropy``, ``entropy``,
``cross_entropy``, ``kl_divergence``, ``softmax``, ``softmax_cross_entropy``,
``focal_loss``, ``sigmoid_binary_cross_entropy``).  Colours are Okabe-Ito.
"""
from __future__ import annotations

import functools
import math

import numpy as np

import xentlib as X

from ..plotting import OKABE_ITO as C
from ._core import Explorer, Param, rounded

LN2 = math.log(2.0)
GREY = "#999999"


def _num(x: float, fmt: str = ".3f") -> str:
    """Format a number without a negative zero ("-0.000" becomes "0.000")."""
    digits = int(fmt[-2]) if fmt[-2].isdigit() else 3
    return format(round(float(x), digits) + 0.0, fmt)


def _axis(title, rng=None, **kw):
    d = {"title": {"text": title}, "showgrid": True, "gridcolor": "#e5e5e5", "zeroline": False,
         "linecolor": "#444", "ticks": "outside", "mirror": True}
    if rng is not None:
        d["range"] = list(rng)
        d["autorange"] = False
    d.update(kw)
    return d


def _layout(**kw):
    base = {"showlegend": True, "legend": {"orientation": "h", "y": -0.22, "x": 0}}
    base.update(kw)
    return base


# =============================================================================
# 1. Bernoulli entropy
# =============================================================================

@functools.lru_cache(maxsize=1)
def _bern_curve():
    p = np.linspace(0.0, 1.0, 201)
    return p, X.binary_entropy(p, base=2)


def bernoulli_compute(p: float) -> dict:
    """Entropy of a coin with P(heads) = p, in bits and nats, and the whole curve."""
    cp, cb = _bern_curve()
    return {"p": float(p), "H_bits": float(X.binary_entropy(p, base=2)), "H_nats": float(X.binary_entropy(p)),
            "curve_p": cp, "curve_bits": cb}


def bernoulli_readout(s):
    return (f"p = {s['p']:.2f}: H(p) = {s['H_bits']:.3f} bits = {s['H_nats']:.3f} nats "
            f"(maximum 1 bit = {LN2:.3f} nats at p = 0.5)")


def bernoulli_plotly(s):
    return {
        "data": [
            {"type": "scatter", "mode": "lines", "x": rounded(s["curve_p"]), "y": rounded(s["curve_bits"]),
             "name": "H(p) for every p", "line": {"color": C["blue"], "width": 3}, "hoverinfo": "skip"},
            *bernoulli_plotly_frame(s),
        ],
        "layout": _layout(
            xaxis=_axis("p = P(heads) [probability]", (-0.02, 1.02)),
            yaxis=_axis("entropy H(p) [bits]", (0, 1.1)),
            margin={"l": 60, "r": 20, "t": 20, "b": 90}),
    }


def bernoulli_plotly_frame(s):
    return [
        {"type": "scatter", "mode": "lines", "x": [s["p"], s["p"]], "y": [0, round(s["H_bits"], 4)],
         "name": "current p", "line": {"color": C["orange"], "dash": "dash", "width": 2}, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "markers", "x": [s["p"]], "y": [round(s["H_bits"], 4)],
         "name": "H at the current p", "marker": {"color": C["vermillion"], "size": 14, "symbol": "circle"}},
    ]


def bernoulli_mpl_init(fig, s):
    ax = fig.add_subplot()
    ax.plot(s["curve_p"], s["curve_bits"], color=C["blue"], lw=2.5, label="H(p) for every p")
    line, = ax.plot([s["p"], s["p"]], [0, s["H_bits"]], color=C["orange"], ls="--", label="current p")
    dot, = ax.plot([s["p"]], [s["H_bits"]], "o", color=C["vermillion"], ms=10, label="H at the current p")
    ax.set(xlim=(-0.02, 1.02), ylim=(0, 1.1), xlabel="p = P(heads) [probability]", ylabel="entropy H(p) [bits]")
    ax.legend(loc="lower center")
    return {"line": line, "dot": dot}


def bernoulli_mpl_update(h, s):
    h["line"].set_data([s["p"], s["p"]], [0, s["H_bits"]])
    h["dot"].set_data([s["p"]], [s["H_bits"]])


BERNOULLI = Explorer(
    name="bernoulli",
    title="Entropy of a biased coin",
    params=(Param.linear("p", "p = P(heads) [probability]", 0.0, 1.0, 0.01, 0.3, symbol="p"),),
    compute=bernoulli_compute, readout=bernoulli_readout,
    plotly_base=bernoulli_plotly, plotly_frame=bernoulli_plotly_frame, frame_traces=(1, 2),
    mpl_init=bernoulli_mpl_init, mpl_update=bernoulli_mpl_update,
    hint="Move p: the entropy is 0 bits for a certain coin (p = 0 or 1) and largest, 1 bit, for a fair coin.",
    alt="The binary entropy curve H(p) in bits against p, with a marker at the chosen p.",
    height=400, figsize=(6.4, 3.4),
)

# =============================================================================
# 2. Three outcomes on the simplex
# =============================================================================

SQ3 = math.sqrt(3.0) / 2.0
SIMPLEX_YMIN = -0.5


def _simplex_xy(p1, p2, p3):
    """Cartesian position: outcome 1 at (0, 0), outcome 2 at (1, 0), outcome 3 at (1/2, sqrt(3)/2)."""
    return p2 + 0.5 * p3, SQ3 * p3


@functools.lru_cache(maxsize=1)
def _simplex_heat(nx: int = 81):
    xs = np.linspace(0.0, 1.0, nx)
    ys = np.linspace(0.0, SQ3, int(round(nx * SQ3)))
    xx, yy = np.meshgrid(xs, ys)
    p3 = yy / SQ3
    p2 = xx - 0.5 * p3
    p1 = 1.0 - p2 - p3
    inside = (p1 >= -1e-9) & (p2 >= -1e-9) & (p3 >= -1e-9)
    P = np.clip(np.stack([p1, p2, p3], axis=-1), 0.0, 1.0)
    P = P / P.sum(axis=-1, keepdims=True)
    H = X.entropy(P, base=2)
    return xs, ys, np.where(inside, H, np.nan)


def simplex_compute(p1: float, p2: float) -> dict:
    """Entropy of (p1, p2, 1 - p1 - p2) in bits and nats, and the entropy map of the simplex."""
    p3 = 1.0 - p1 - p2
    if abs(p3) < 1e-9:
        p3 = 0.0
    valid = p3 >= 0.0
    x, y = _simplex_xy(p1, p2, p3)
    y = max(y, SIMPLEX_YMIN + 0.05)  # points far outside are drawn at the lower edge
    xs, ys, H = _simplex_heat()
    out = {"p": np.array([p1, p2, p3]), "valid": bool(valid), "x": float(x), "y": float(y),
           "heat_x": xs, "heat_y": ys, "heat_bits": H, "H_max_bits": math.log2(3)}
    if valid:
        p = np.array([p1, p2, p3])
        out["H_bits"] = float(X.entropy(p, base=2))
        out["H_nats"] = float(X.entropy(p))
    else:
        out["H_bits"] = out["H_nats"] = float("nan")
    return out


def simplex_readout(s):
    p1, p2, p3 = s["p"]
    if not s["valid"]:
        return (f"p1 = {p1:.2f}, p2 = {p2:.2f} would need p3 = 1 − p1 − p2 = {p3:.2f} < 0: "
                "not a probability distribution (the marker is outside the triangle)")
    return (f"p = ({p1:.2f}, {p2:.2f}, {p3:.2f}): H(p) = {s['H_bits']:.3f} bits = {s['H_nats']:.3f} nats "
            f"(maximum log2 3 = {s['H_max_bits']:.3f} bits at the centre)")


def _triangle():
    return [0, 1, 0.5, 0], [0, 0, SQ3, 0]


def simplex_plotly(s):
    tx, ty = _triangle()
    return {
        "data": [
            {"type": "heatmap", "x": rounded(s["heat_x"]), "y": rounded(s["heat_y"]),
             "z": rounded(s["heat_bits"], 3), "colorscale": "Cividis", "zmin": 0, "zmax": 1.6,
             "colorbar": {"title": {"text": "H [bits]"}}, "hoverinfo": "skip", "name": "entropy map",
             "showscale": True},
            {"type": "scatter", "mode": "lines+text", "x": tx, "y": ty, "line": {"color": "black", "width": 1.5},
             "text": ["outcome 1", "outcome 2", "outcome 3", ""],
             "textposition": ["bottom left", "bottom right", "top center", "top center"],
             "name": "simplex", "hoverinfo": "skip", "showlegend": False},
            *simplex_plotly_frame(s),
        ],
        "layout": _layout(
            showlegend=False,
            xaxis=_axis("position on the simplex (p2 + p3/2) [probability]", (-0.15, 1.15)),
            yaxis=_axis("(√3/2)·p3 [probability]", (SIMPLEX_YMIN, 0.98), scaleanchor="x"),
            margin={"l": 60, "r": 20, "t": 20, "b": 55}),
    }


def simplex_plotly_frame(s):
    colour = C["vermillion"] if s["valid"] else C["orange"]
    return [{"type": "scatter", "mode": "markers", "x": [round(s["x"], 4)], "y": [round(s["y"], 4)],
             "marker": {"color": colour, "size": 16, "symbol": "circle" if s["valid"] else "x",
                        "line": {"color": "white", "width": 2}},
             "name": "current distribution"}]


def simplex_mpl_init(fig, s):
    ax = fig.add_subplot()
    xs, ys, H = s["heat_x"], s["heat_y"], s["heat_bits"]
    im = ax.imshow(np.ma.masked_invalid(H), origin="lower", extent=(xs[0], xs[-1], ys[0], ys[-1]),
                   cmap="cividis", vmin=0, vmax=1.6, interpolation="nearest")
    fig.colorbar(im, ax=ax, label="entropy H [bits]")
    tx, ty = _triangle()
    ax.plot(tx, ty, color="black", lw=1.2)
    for (x, y), t, ha, va in zip([(0, 0), (1, 0), (0.5, SQ3)], ["outcome 1", "outcome 2", "outcome 3"],
                                 ["right", "left", "center"], ["top", "top", "bottom"]):
        ax.text(x, y, t, ha=ha, va=va)
    dot, = ax.plot([s["x"]], [s["y"]], "o", color=C["vermillion"], ms=12, mec="white", mew=2)
    ax.set(xlim=(-0.2, 1.2), ylim=(SIMPLEX_YMIN, 0.98), aspect="equal",
           xlabel="position on the simplex (p2 + p3/2) [probability]", ylabel="(√3/2)·p3 [probability]")
    ax.grid(False)
    return {"dot": dot}


def simplex_mpl_update(h, s):
    h["dot"].set_data([s["x"]], [s["y"]])
    h["dot"].set_marker("o" if s["valid"] else "X")
    h["dot"].set_color(C["vermillion"] if s["valid"] else C["orange"])


SIMPLEX = Explorer(
    name="simplex",
    title="Three outcomes: entropy over the probability simplex",
    params=(Param.linear("p1", "p1 = P(outcome 1) [probability]", 0.0, 1.0, 0.05, 0.5, symbol="p1"),
            Param.linear("p2", "p2 = P(outcome 2) [probability]", 0.0, 1.0, 0.05, 0.25, symbol="p2")),
    compute=simplex_compute, readout=simplex_readout,
    plotly_base=simplex_plotly, plotly_frame=simplex_plotly_frame, frame_traces=(2,),
    mpl_init=simplex_mpl_init, mpl_update=simplex_mpl_update,
    hint="Move p1 and p2 (p3 = 1 − p1 − p2): the entropy is 0 at the corners and largest, log2 3 ≈ 1.585 bits, "
         "at the centre.",
    alt="A triangle coloured by entropy in bits (bright in the centre, dark at the corners) with a marker "
        "at the chosen distribution.",
    height=520, figsize=(6.0, 4.6),
)

# =============================================================================
# 3. Two distributions P and Q
# =============================================================================

PQ_NAMES = ["H(P)", "H(P,Q)", "KL(P‖Q)", "H(Q)", "H(Q,P)", "KL(Q‖P)"]
PQ_COLOURS = [C["orange"], C["orange"], C["vermillion"], C["blue"], C["blue"], C["sky"]]


def pq_compute(p: float, q: float) -> dict:
    """Entropies, cross-entropies and both KL divergences of P = (p, 1-p), Q = (q, 1-q), in bits."""
    P, Q = np.array([p, 1 - p]), np.array([q, 1 - q])
    vals = {
        "H(P)": X.entropy(P, base=2), "H(Q)": X.entropy(Q, base=2),
        "H(P,Q)": X.cross_entropy(P, Q, base=2), "H(Q,P)": X.cross_entropy(Q, P, base=2),
        "KL(P‖Q)": X.kl_divergence(P, Q, base=2), "KL(Q‖P)": X.kl_divergence(Q, P, base=2),
    }
    return {"P": P, "Q": Q, "bits": {k: float(v) for k, v in vals.items()}}


def pq_readout(s):
    b = s["bits"]
    return (f"H(P) = {b['H(P)']:.3f} ≤ H(P,Q) = {b['H(P,Q)']:.3f} bits; "
            f"KL(P‖Q) = {b['KL(P‖Q)']:.3f} bits, KL(Q‖P) = {b['KL(Q‖P)']:.3f} bits; "
            f"H(Q,P) = {b['H(Q,P)']:.3f} bits")


def pq_plotly(s):
    return {
        "data": pq_plotly_frame(s),
        "layout": _layout(
            grid={"rows": 1, "columns": 2, "pattern": "independent"},
            xaxis={**_axis("outcome"), "domain": [0, 0.3], "type": "category"},
            yaxis=_axis("probability", (0, 1.05)),
            xaxis2={**_axis("quantity"), "domain": [0.4, 1.0], "type": "category"},
            yaxis2=_axis("value [bits]", (0, 5.0)),
            barmode="group", margin={"l": 60, "r": 20, "t": 20, "b": 100}),
    }


def pq_plotly_frame(s):
    b = s["bits"]
    return [
        {"type": "bar", "x": ["heads", "tails"], "y": rounded(s["P"]), "name": "P",
         "marker": {"color": C["orange"]}, "xaxis": "x", "yaxis": "y"},
        {"type": "bar", "x": ["heads", "tails"], "y": rounded(s["Q"]), "name": "Q",
         "marker": {"color": C["blue"], "pattern": {"shape": "/"}}, "xaxis": "x", "yaxis": "y"},
        {"type": "bar", "x": PQ_NAMES, "y": [round(b[k], 4) for k in PQ_NAMES], "name": "in bits",
         "marker": {"color": PQ_COLOURS}, "xaxis": "x2", "yaxis": "y2", "showlegend": False,
         "text": [f"{b[k]:.2f}" for k in PQ_NAMES], "textposition": "outside"},
    ]


def pq_mpl_init(fig, s):
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[1, 2.2])
    x = np.arange(2)
    bp = ax1.bar(x - 0.2, s["P"], 0.4, color=C["orange"], label="P")
    bq = ax1.bar(x + 0.2, s["Q"], 0.4, color=C["blue"], hatch="//", label="Q")
    ax1.set(xticks=x, xticklabels=["heads", "tails"], ylim=(0, 1.05), ylabel="probability", xlabel="outcome")
    ax1.legend(loc="upper right")
    vals = [s["bits"][k] for k in PQ_NAMES]
    bars = ax2.bar(np.arange(6), vals, color=PQ_COLOURS)
    ax2.set(xticks=np.arange(6), ylim=(0, 5.0), ylabel="value [bits]", xlabel="quantity")
    ax2.set_xticklabels(PQ_NAMES, fontsize=8)
    labels = [ax2.text(i, v + 0.08, f"{v:.2f}", ha="center", fontsize=8) for i, v in enumerate(vals)]
    return {"bp": bp, "bq": bq, "bars": bars, "labels": labels}


def pq_mpl_update(h, s):
    for r, v in zip(h["bp"], s["P"]):
        r.set_height(v)
    for r, v in zip(h["bq"], s["Q"]):
        r.set_height(v)
    for i, (r, k) in enumerate(zip(h["bars"], PQ_NAMES)):
        v = s["bits"][k]
        r.set_height(v)
        h["labels"][i].set_y(v + 0.08)
        h["labels"][i].set_text(f"{v:.2f}")


PQ = Explorer(
    name="pq",
    title="Two distributions P and Q: cross-entropy and KL divergence",
    params=(Param.linear("p", "p = P(heads) [probability]", 0.05, 0.95, 0.05, 0.5, symbol="P(heads)"),
            Param.linear("q", "q = Q(heads) [probability]", 0.05, 0.95, 0.05, 0.8, symbol="Q(heads)")),
    compute=pq_compute, readout=pq_readout,
    plotly_base=pq_plotly, plotly_frame=pq_plotly_frame, frame_traces=(0, 1, 2),
    mpl_init=pq_mpl_init, mpl_update=pq_mpl_update,
    hint="Move P and Q apart: H(P,Q) never drops below H(P), the gap is KL(P‖Q), and KL(P‖Q) and "
         "KL(Q‖P) differ unless P = Q.",
    alt="Left: bar chart of the two coin distributions P and Q. Right: bars of H(P), H(P,Q), KL(P‖Q), "
        "H(Q), H(Q,P), KL(Q‖P) in bits.",
    height=440, figsize=(8.0, 3.4),
)

# =============================================================================
# 4. Softmax temperature
# =============================================================================

CLASSES = ["class 1 (target)", "class 2", "class 3"]


def softmax_compute(z1: float, z2: float, T: float) -> dict:
    """Softmax of (z1, z2, 0) at temperature T; cross-entropy loss (target class 1) and its gradient
    with respect to the logits, d loss / dz = (softmax(z/T) - onehot) / T."""
    z = np.array([z1, z2, 0.0])
    probs = X.softmax(z, temperature=T)
    loss, g = X.softmax_cross_entropy((z / T)[None, :], np.array([0]), return_grad=True)
    return {"z": z, "T": float(T), "probs": probs, "loss_nats": float(loss), "grad": np.asarray(g)[0] / T}


def softmax_readout(s):
    p, g = s["probs"], s["grad"]
    return (f"T = {s['T']:.2f}: p = ({p[0]:.3f}, {p[1]:.3f}, {p[2]:.3f}); loss = {s['loss_nats']:.3f} nats "
            f"= {s['loss_nats'] / LN2:.3f} bits; ∂loss/∂z = ({_num(g[0])}, {_num(g[1])}, {_num(g[2])}) "
            "nats per logit unit")


def softmax_plotly(s):
    dom = [[0, 0.26], [0.37, 0.5], [0.62, 1.0]]
    return {
        "data": softmax_plotly_frame(s),
        "layout": _layout(
            showlegend=False,
            xaxis={**_axis("class"), "domain": dom[0], "type": "category"}, yaxis=_axis("probability softmax(z/T)", (0, 1.05)),
            xaxis2={**_axis(""), "domain": dom[1], "anchor": "y2", "type": "category"}, yaxis2={**_axis("loss [nats]", (0, 12.5)),
                                                                            "anchor": "x2"},
            xaxis3={**_axis("class"), "domain": dom[2], "anchor": "y3", "type": "category"},
            yaxis3={**_axis("∂loss/∂z [nats per logit unit]", (-2.05, 2.05)), "anchor": "x3"},
            margin={"l": 60, "r": 20, "t": 20, "b": 60}),
    }


def softmax_plotly_frame(s):
    short = ["1 (target)", "2", "3"]
    return [
        {"type": "bar", "x": short, "y": rounded(s["probs"]), "marker": {"color": [C["blue"], C["orange"], C["green"]]},
         "xaxis": "x", "yaxis": "y", "name": "probability"},
        {"type": "bar", "x": ["loss"], "y": [round(s["loss_nats"], 4)], "marker": {"color": C["vermillion"]},
         "xaxis": "x2", "yaxis": "y2", "name": "loss", "text": [f"{s['loss_nats']:.2f}"], "textposition": "outside"},
        {"type": "bar", "x": short, "y": rounded(s["grad"]), "marker": {"color": [C["blue"], C["orange"], C["green"]]},
         "xaxis": "x3", "yaxis": "y3", "name": "gradient"},
    ]


def softmax_mpl_init(fig, s):
    ax1, ax2, ax3 = fig.subplots(1, 3, width_ratios=[2, 0.8, 2])
    cols = [C["blue"], C["orange"], C["green"]]
    x = np.arange(3)
    short = ["1 (target)", "2", "3"]
    bp = ax1.bar(x, s["probs"], color=cols)
    ax1.set(xticks=x, xticklabels=short, ylim=(0, 1.05), ylabel="probability softmax(z/T)", xlabel="class")
    bl = ax2.bar([0], [s["loss_nats"]], color=C["vermillion"])
    ax2.set(xticks=[0], xticklabels=["loss"], ylim=(0, 12.5), ylabel="loss [nats]")
    bg = ax3.bar(x, s["grad"], color=cols)
    ax3.axhline(0, color="black", lw=0.8)
    ax3.set(xticks=x, xticklabels=short, ylim=(-2.05, 2.05), ylabel="∂loss/∂z [nats per logit unit]",
            xlabel="class")
    return {"bp": bp, "bl": bl, "bg": bg}


def softmax_mpl_update(h, s):
    for r, v in zip(h["bp"], s["probs"]):
        r.set_height(v)
    h["bl"][0].set_height(s["loss_nats"])
    for r, v in zip(h["bg"], s["grad"]):
        r.set_height(v)


SOFTMAX = Explorer(
    name="softmax",
    title="Softmax temperature: probabilities, loss and gradient",
    params=(Param.linear("z1", "z1 = logit of class 1, the target [logit units]", -3.0, 3.0, 0.5, 1.0,
                         fmt="{:+.1f}", symbol="z1"),
            Param.linear("z2", "z2 = logit of class 2 [logit units] (z3 = 0)", -3.0, 3.0, 0.5, 0.0,
                         fmt="{:+.1f}", symbol="z2"),
            Param("T", "T = temperature [dimensionless]", (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0), 1.0,
                  symbol="T")),
    compute=softmax_compute, readout=softmax_readout,
    plotly_base=softmax_plotly, plotly_frame=softmax_plotly_frame, frame_traces=(0, 1, 2),
    mpl_init=softmax_mpl_init, mpl_update=softmax_mpl_update,
    hint="Raise T to flatten the probabilities, lower it to sharpen them. The gradient is p − y divided by "
         "T: its entries always sum to 0, and the target's entry is the only negative one.",
    alt="Three bar charts: the softmax probabilities of three classes, the cross-entropy loss in nats, "
        "and the gradient of the loss with respect to each logit.",
    height=400, figsize=(8.0, 3.2),
)

# =============================================================================
# 5. Learning rate: gradient descent on logistic regression
# =============================================================================

GD_STEPS = 40
GD_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0, 30.0)


@functools.lru_cache(maxsize=1)
def gd_data(n: int = 40, seed: int = 0):
    """A seeded toy set: one feature x (not standardised) and a bias column; labels overlap."""
    rng = np.random.default_rng(seed)
    x = rng.normal(1.0, 3.0, n)
    y = (x + rng.normal(0.0, 2.0, n) > 1.0).astype(float)
    return np.column_stack([x, np.ones(n)]), y


def gd_loss_and_grad(theta):
    """Mean logistic cross-entropy (nats) of parameters (w, b) and its gradient, via xentlib."""
    Xd, y = gd_data()
    loss, g_logits = X.sigmoid_binary_cross_entropy(Xd @ theta, y, return_grad=True)
    return float(loss), Xd.T @ g_logits


@functools.lru_cache(maxsize=1)
def _gd_minimum():
    theta = np.zeros(2)
    for _ in range(3000):
        _, g = gd_loss_and_grad(theta)
        theta = theta - 1.0 * g
    return float(gd_loss_and_grad(theta)[0]), theta


@functools.lru_cache(maxsize=1)
def _gd_contours():
    Xd, y = gd_data()
    ws = np.linspace(-1.5, 2.5, 61)
    bs = np.linspace(-4.0, 4.0, 61)
    W, B = np.meshgrid(ws, bs)
    logits = W[..., None] * Xd[:, 0] + B[..., None]
    L = X.sigmoid_binary_cross_entropy(logits, np.broadcast_to(y, logits.shape), reduction="none").mean(axis=-1)
    return ws, bs, L


def gd_compute(lr: float) -> dict:
    """Run GD_STEPS steps of gradient descent with step size ``lr`` from (w, b) = (0, 0)."""
    theta = np.zeros(2)
    losses, path = [], [theta.copy()]
    for _ in range(GD_STEPS):
        loss, g = gd_loss_and_grad(theta)
        losses.append(loss)
        theta = theta - lr * g
        path.append(theta.copy())
    losses.append(gd_loss_and_grad(theta)[0])
    losses = np.array(losses)
    lmin, theta_min = _gd_minimum()
    gap = losses[-1] - lmin
    increases = int(np.sum(np.diff(losses) > 1e-12))
    if losses[-1] > losses[0] or increases > GD_STEPS // 4:
        regime = "too large: the loss jumps around and does not converge"
    elif gap > 1e-3:
        regime = "too small: still converging slowly"
    else:
        regime = "good: converged"
    ws, bs, L = _gd_contours()
    return {"lr": float(lr), "losses": losses, "path": np.array(path), "min_loss": lmin, "theta_min": theta_min,
            "gap": float(gap), "regime": regime, "increases": increases,
            "contour_w": ws, "contour_b": bs, "contour_loss": L}


def gd_readout(s):
    return (f"η = {s['lr']:g}: loss after {GD_STEPS} steps = {s['losses'][-1]:.3f} nats "
            f"(start {s['losses'][0]:.3f} nats, minimum {s['min_loss']:.3f} nats); {s['regime']}")


def _clip_path(path, lim=50.0):
    return np.clip(path, -lim, lim)


def gd_plotly(s):
    steps = list(range(GD_STEPS + 1))
    return {
        "data": [
            {"type": "contour", "x": rounded(s["contour_w"]), "y": rounded(s["contour_b"]),
             "z": rounded(np.log10(s["contour_loss"]), 3), "colorscale": "Cividis", "showscale": False,
             "contours": {"coloring": "heatmap", "showlines": True}, "ncontours": 18, "hoverinfo": "skip",
             "xaxis": "x2", "yaxis": "y2", "name": "log10 loss", "showlegend": False},
            {"type": "scatter", "mode": "lines", "x": [0, GD_STEPS], "y": [round(s["min_loss"], 4)] * 2,
             "name": "minimum loss", "line": {"color": GREY, "dash": "dash"}, "xaxis": "x", "yaxis": "y"},
            {"type": "scatter", "mode": "markers", "x": [round(s["theta_min"][0], 4)],
             "y": [round(s["theta_min"][1], 4)], "name": "minimum", "xaxis": "x2", "yaxis": "y2",
             "marker": {"symbol": "star", "size": 14, "color": "white", "line": {"color": "black", "width": 1}}},
            *gd_plotly_frame(s),
        ],
        "layout": _layout(
            xaxis={**_axis("step", (0, GD_STEPS)), "domain": [0, 0.45]},
            yaxis=_axis("training loss [nats] (log scale)", (math.log10(0.45), math.log10(30)), type="log",
                        tickvals=[0.5, 0.7, 1, 2, 3, 5, 10, 20, 30]),
            xaxis2={**_axis("weight w", (-1.5, 2.5)), "domain": [0.58, 1.0], "anchor": "y2"},
            yaxis2={**_axis("bias b", (-4, 4)), "anchor": "x2"},
            margin={"l": 65, "r": 20, "t": 20, "b": 100}),
    }


def gd_plotly_frame(s):
    path = _clip_path(s["path"])
    return [
        {"type": "scatter", "mode": "lines+markers", "x": list(range(GD_STEPS + 1)), "y": rounded(s["losses"]),
         "name": "loss at each step", "line": {"color": C["blue"]}, "marker": {"size": 4},
         "xaxis": "x", "yaxis": "y"},
        {"type": "scatter", "mode": "lines+markers", "x": rounded(path[:, 0]), "y": rounded(path[:, 1]),
         "name": "path of (w, b)", "line": {"color": C["vermillion"], "width": 1.5}, "marker": {"size": 5},
         "xaxis": "x2", "yaxis": "y2"},
    ]


def gd_mpl_init(fig, s):
    ax1, ax2 = fig.subplots(1, 2)
    line, = ax1.semilogy(np.arange(GD_STEPS + 1), s["losses"], "-o", ms=3, color=C["blue"], label="loss at each step")
    ax1.axhline(s["min_loss"], color=GREY, ls="--", label="minimum loss")
    ax1.set(xlim=(0, GD_STEPS), ylim=(0.45, 30), xlabel="step", ylabel="training loss [nats] (log scale)")
    ax1.legend(loc="upper right")
    ws, bs, L = s["contour_w"], s["contour_b"], s["contour_loss"]
    ax2.contourf(ws, bs, np.log10(L), levels=18, cmap="cividis")
    ax2.plot(*s["theta_min"], "*", color="white", mec="black", ms=12)
    path = _clip_path(s["path"])
    pl, = ax2.plot(path[:, 0], path[:, 1], "-o", ms=3, lw=1.2, color=C["vermillion"], label="path of (w, b)")
    ax2.set(xlim=(-1.5, 2.5), ylim=(-4, 4), xlabel="weight w", ylabel="bias b")
    ax2.grid(False)
    return {"line": line, "path": pl}


def gd_mpl_update(h, s):
    h["line"].set_ydata(s["losses"])
    path = _clip_path(s["path"])
    h["path"].set_data(path[:, 0], path[:, 1])


LEARNING_RATE = Explorer(
    name="learning_rate",
    title="Learning rate: gradient descent on a logistic-regression cross-entropy",
    params=(Param("lr", "η = learning rate (step size) [dimensionless]", GD_RATES, 1.0, fmt="{:g}", symbol="η"),),
    compute=gd_compute, readout=gd_readout,
    plotly_base=gd_plotly, plotly_frame=gd_plotly_frame, frame_traces=(3, 4),
    mpl_init=gd_mpl_init, mpl_update=gd_mpl_update,
    hint="Small steps converge slowly, a medium step converges in a few steps, and too large a step makes "
         "the loss jump around far above its minimum (the path leaves the valley).",
    alt="Left: the training loss in nats against the step, log scale. Right: the path of the weight and "
        "bias over the contours of the loss.",
    height=430, figsize=(8.0, 3.4),
)

# =============================================================================
# 6. Label smoothing and focal loss
# =============================================================================

N_CLASSES = 3
PT_GRID = np.round(np.linspace(0.02, 0.98, 49), 4)
PT_MARK = 0.9


def _logits_for(pt):
    """Logits (m, 0, 0) whose softmax gives the target class probability pt."""
    pt = np.asarray(pt, dtype=float)
    m = np.log(pt * (N_CLASSES - 1) / (1 - pt))
    z = np.zeros(pt.shape + (N_CLASSES,))
    z[..., 0] = m
    return z


def smoothing_compute(eps: float, gamma: float) -> dict:
    """Loss (nats) and d loss / d z_target along p_t for plain cross-entropy, label smoothing eps and
    focal loss gamma (three classes, target class 1, logits (m, 0, 0))."""
    pts = np.append(PT_GRID, PT_MARK)
    z = _logits_for(pts)
    t = np.zeros(len(pts), dtype=int)
    ce, g_ce = X.softmax_cross_entropy(z, t, reduction="none", return_grad=True)
    ls, g_ls = X.softmax_cross_entropy(z, t, label_smoothing=eps, reduction="none", return_grad=True)
    fl, g_fl = X.focal_loss(z, t, gamma=gamma, reduction="none", return_grad=True)
    return {"eps": float(eps), "gamma": float(gamma), "pt": PT_GRID,
            "ce": ce[:-1], "ls": ls[:-1], "focal": fl[:-1],
            "g_ce": g_ce[:-1, 0], "g_ls": g_ls[:-1, 0], "g_focal": g_fl[:-1, 0],
            "mark": {"ce": float(ce[-1]), "ls": float(ls[-1]), "focal": float(fl[-1]),
                     "g_ce": float(g_ce[-1, 0]), "g_ls": float(g_ls[-1, 0]), "g_focal": float(g_fl[-1, 0])}}


def smoothing_readout(s):
    m = s["mark"]
    return (f"at p_t = {PT_MARK}: cross-entropy {m['ce']:.3f} nats (gradient {_num(m['g_ce'])}); "
            f"label smoothing ε = {s['eps']:.2f}: {m['ls']:.3f} nats (gradient {_num(m['g_ls'], '+.3f')}); "
            f"focal γ = {s['gamma']:.1f}: {m['focal']:.3f} nats (gradient {_num(m['g_focal'])}); "
            "gradients in nats per logit unit")


SM_STYLE = {"ce": (GREY, "dash", "cross-entropy"), "ls": (C["orange"], "solid", "label smoothing (ε)"),
            "focal": (C["blue"], "dot", "focal loss (γ)")}


def smoothing_plotly(s):
    return {
        "data": smoothing_plotly_frame(s),
        "layout": _layout(
            xaxis={**_axis("p_t = P(target class) [probability]", (0, 1)), "domain": [0, 0.45]},
            yaxis=_axis("loss [nats]", (0, 4.0)),
            xaxis2={**_axis("p_t = P(target class) [probability]", (0, 1)), "domain": [0.57, 1.0],
                    "anchor": "y2"},
            yaxis2={**_axis("∂loss/∂z_target [nats per logit unit]", (-1.3, 0.3)), "anchor": "x2"},
            margin={"l": 65, "r": 20, "t": 20, "b": 100}),
    }


def smoothing_plotly_frame(s):
    out = []
    for key, (colour, dash, label) in SM_STYLE.items():
        out.append({"type": "scatter", "mode": "lines", "x": rounded(s["pt"]), "y": rounded(s[key], 4),
                    "name": label, "line": {"color": colour, "dash": dash, "width": 2.5},
                    "xaxis": "x", "yaxis": "y", "legendgroup": key})
    for key, (colour, dash, label) in SM_STYLE.items():
        out.append({"type": "scatter", "mode": "lines", "x": rounded(s["pt"]), "y": rounded(s["g_" + key], 4),
                    "name": label, "line": {"color": colour, "dash": dash, "width": 2.5}, "showlegend": False,
                    "xaxis": "x2", "yaxis": "y2", "legendgroup": key})
    return out


def smoothing_mpl_init(fig, s):
    ax1, ax2 = fig.subplots(1, 2)
    h = {}
    ls_map = {"dash": "--", "solid": "-", "dot": ":"}
    for key, (colour, dash, label) in SM_STYLE.items():
        h[key], = ax1.plot(s["pt"], s[key], ls=ls_map[dash], color=colour, lw=2.2, label=label)
        h["g_" + key], = ax2.plot(s["pt"], s["g_" + key], ls=ls_map[dash], color=colour, lw=2.2, label=label)
    ax1.set(xlim=(0, 1), ylim=(0, 4), xlabel="p_t = P(target class) [probability]", ylabel="loss [nats]")
    ax2.set(xlim=(0, 1), ylim=(-1.3, 0.3), xlabel="p_t = P(target class) [probability]",
            ylabel="∂loss/∂z_target [nats per logit unit]")
    ax1.legend(loc="upper right", fontsize=8)
    return h


def smoothing_mpl_update(h, s):
    for key in SM_STYLE:
        h[key].set_ydata(s[key])
        h["g_" + key].set_ydata(s["g_" + key])


SMOOTHING = Explorer(
    name="smoothing",
    title="Label smoothing and focal loss: loss and gradient",
    params=(Param.linear("eps", "ε = label smoothing [probability]", 0.0, 0.3, 0.05, 0.1, symbol="ε"),
            Param.linear("gamma", "γ = focal-loss focusing parameter [dimensionless]", 0.0, 5.0, 0.5, 2.0,
                         fmt="{:.1f}", symbol="γ")),
    compute=smoothing_compute, readout=smoothing_readout,
    plotly_base=smoothing_plotly, plotly_frame=smoothing_plotly_frame, frame_traces=(0, 1, 2, 3, 4, 5),
    mpl_init=smoothing_mpl_init, mpl_update=smoothing_mpl_update,
    hint="With ε > 0 the loss stops decreasing before p_t = 1 and the gradient turns positive: the model is "
         "pushed away from full confidence. With γ > 0 the focal loss and its gradient vanish for examples "
         "that are already well classified (p_t near 1). ε = 0 and γ = 0 give plain cross-entropy.",
    alt="Left: loss in nats against the predicted probability of the target class, for cross-entropy, "
        "label smoothing and focal loss. Right: the gradient with respect to the target logit.",
    height=430, figsize=(8.0, 3.4),
)

ALL = (BERNOULLI, SIMPLEX, PQ, SOFTMAX, LEARNING_RATE, SMOOTHING)
