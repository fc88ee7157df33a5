"""Figure style shared by every chapter: colour-blind-safe colours, readable sizes.

The palette is Okabe & Ito's (2008), distinguishable under the common forms of
colour blindness; the sequential colour map is ``cividis`` (designed for
colour-vision deficiency).  Every figure in the course labels its axes with
units ("entropy H(p) [bits]") and gets alt text and a caption through the
notebook cell's ``mystnb`` metadata.

Examples
--------
>>> from xentlib import plotting
>>> plotting.use_course_style()
>>> plotting.OKABE_ITO["blue"]
'#0072B2'
"""
from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

import matplotlib as mpl
from cycler import cycler  # a dependency of matplotlib

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .calibration import ReliabilityBins

__all__ = ["OKABE_ITO", "CYCLE", "SEQUENTIAL_CMAP", "DIVERGING_CMAP", "CSS_DPI", "DPI", "use_course_style",
           "png_bytes", "plot_reliability"]

#: The Okabe-Ito palette by colour name (hex strings).
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: Order used for successive lines (strongest contrasts first).
CYCLE: list[str] = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")]
#: Sequential colour map for heat maps (colour-blind-safe).
SEQUENTIAL_CMAP = "cividis"
#: Diverging colour map (colour-blind-safe) for signed quantities.
DIVERGING_CMAP = "PuOr"
#: CSS pixels per inch of ``figsize``, the size of a figure on the page (a 6.4 in figure is 640 px wide).
CSS_DPI = 100
#: Pixels drawn per inch of ``figsize``, twice :data:`CSS_DPI` (sharp on 2x screens and in print).
DPI = 200


def use_course_style() -> None:
    """Set matplotlib defaults for the course (palette, sizes, a fixed dpi).

    A fixed size and dpi keep figures identical across runs; fonts and lines
    are sized for projection in a classroom.  Changes ``matplotlib.rcParams``
    for the rest of the session (call it once at the top of a notebook).

    Figures are drawn at :data:`DPI` but shown at :data:`CSS_DPI`: in a notebook
    (the inline backend) each PNG carries its page size as ``width``/``height``
    output metadata, which JupyterLab and the site (MyST-NB) use, so the page
    layout is that of a 100 dpi figure while it has twice as many pixels each way.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from xentlib import plotting
    >>> plotting.use_course_style()
    >>> mpl.rcParams["image.cmap"], mpl.rcParams["figure.dpi"], mpl.rcParams["savefig.dpi"]
    ('cividis', 100.0, 200.0)
    """
    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=CYCLE),
        "image.cmap": SEQUENTIAL_CMAP,
        "figure.figsize": (6.4, 4.0),
        "figure.dpi": CSS_DPI,
        "savefig.dpi": DPI,
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "lines.linewidth": 2.0,
        "legend.frameon": False,
        "svg.hashsalt": "xentlib",
    })
    _show_sharp_inline()


def png_bytes(fig: Figure, *, dpi: float = DPI) -> tuple[bytes, tuple[int, int]]:
    """A figure as a small PNG at ``dpi``, and its page size in CSS pixels.

    The image is cropped like the inline backend's (``bbox_inches="tight"``),
    reduced to at most 256 colours without dithering (line art and the course
    palette survive; a third to a half of the bytes of a full-colour PNG) and
    compressed with ``optimize``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2.0, 1.0))
    >>> data, (width, height) = png_bytes(fig)
    >>> data[1:4], 150 < width < 300, 75 < height < 150  # 2 in x 1 in at 100 CSS px per inch, cropped
    (b'PNG', True, True)
    >>> plt.close(fig)
    """
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor=fig.get_facecolor(),
                edgecolor=fig.get_edgecolor())
    img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    img.save(out, format="png", optimize=True)
    css = (round(img.width * CSS_DPI / dpi), round(img.height * CSS_DPI / dpi))
    return out.getvalue(), css


def _inline_png(fig: Figure) -> tuple[str, dict[str, int]] | None:
    if not fig.axes and not fig.lines and not fig.images:  # like IPython: nothing drawn, no output
        return None
    data, (width, height) = png_bytes(fig)
    return base64.b64encode(data).decode("ascii"), {"width": width, "height": height}


def _show_sharp_inline() -> None:
    """In IPython with the inline backend, show figures through :func:`png_bytes`."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    if "inline" not in str(mpl.rcParams._get("backend")):
        return
    # Loading the backend now makes it set its default formatters now, once, so they do not
    # replace ours at the first plot (matplotlib_inline selects the formats once per backend).
    import matplotlib_inline.backend_inline  # noqa: F401
    from matplotlib.figure import Figure

    shell.display_formatter.formatters["image/png"].for_type(Figure, _inline_png)


def plot_reliability(ax: Axes, bins: ReliabilityBins, *, label: str, color: str | None = None,
                     diagonal: bool = True) -> Axes:
    """Draw a reliability diagram (accuracy against confidence) on ``ax``.

    Filled bins are drawn as points joined by a line; the dashed diagonal is
    perfect calibration.  Axis labels carry the unit ("probability").

    Parameters
    ----------
    ax : matplotlib Axes
        Where to draw.
    bins : ReliabilityBins
        From :func:`xentlib.calibration.reliability_bins`.
    label : str
        Legend entry of the curve.
    color : str, optional
        Line colour (default: the next colour of the course palette).
    diagonal : bool, optional
        Draw the diagonal (default True; pass False for a second curve on the
        same axes).

    Returns
    -------
    matplotlib Axes
        ``ax``, for chaining.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from xentlib import calibration, plotting
    >>> bins = calibration.reliability_bins(np.array([[0.9, 0.1], [0.3, 0.7]]), [0, 0])
    >>> fig, ax = plt.subplots()
    >>> plotting.plot_reliability(ax, bins, label="model").get_xlabel()
    'mean confidence in bin [probability]'
    >>> plt.close(fig)
    """
    filled = bins.count > 0
    if diagonal:
        ax.plot([0, 1], [0, 1], linestyle="--", color="0.4", linewidth=1.2, label="perfect calibration")
    ax.plot(bins.confidence[filled], bins.accuracy[filled], marker="o", label=label, color=color)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean confidence in bin [probability]")
    ax.set_ylabel("accuracy in bin [probability]")
    ax.legend(loc="upper left")
    return ax
