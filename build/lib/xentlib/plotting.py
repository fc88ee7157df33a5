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

from typing import TYPE_CHECKING

import matplotlib as mpl
from cycler import cycler  # a dependency of matplotlib

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .calibration import ReliabilityBins

__all__ = ["OKABE_ITO", "CYCLE", "SEQUENTIAL_CMAP", "DIVERGING_CMAP", "use_course_style", "plot_reliability"]

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


def use_course_style() -> None:
    """Set matplotlib defaults for the course (palette, sizes, a fixed dpi).

    A fixed size and dpi keep figures identical across runs; fonts and lines
    are sized for projection in a classroom.  Changes ``matplotlib.rcParams``
    for the rest of the session (call it once at the top of a notebook).

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from xentlib import plotting
    >>> plotting.use_course_style()
    >>> mpl.rcParams["image.cmap"], mpl.rcParams["figure.dpi"]
    ('cividis', 100.0)
    """
    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=CYCLE),
        "image.cmap": SEQUENTIAL_CMAP,
        "figure.figsize": (6.4, 4.0),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "lines.linewidth": 2.0,
        "legend.frameon": False,
        "svg.hashsalt": "xentlib",
    })


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
