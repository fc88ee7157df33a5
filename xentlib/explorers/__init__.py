"""Interactive explorers: sliders over distributions and losses.

Each explorer is defined once (parameters + a pure ``compute`` function that
calls xentlib) and rendered two ways:

* ``explorers.show(name)`` -- a static figure for the course web site: every
  slider position is precomputed, the page needs plotly.js (served by the
  site) and no kernel;
* ``explorers.live(name)`` -- ipywidgets sliders in Jupyter, recomputing and
  redrawing on every move.

Names: ``"bernoulli"``, ``"simplex"``, ``"pq"``, ``"softmax"``,
``"learning_rate"``, ``"smoothing"`` (see :data:`NAMES`).

Examples
--------
>>> from xentlib import explorers
>>> explorers.NAMES
('bernoulli', 'simplex', 'pq', 'softmax', 'learning_rate', 'smoothing')
>>> s = explorers.get("bernoulli").state(p=0.5)
>>> round(s["H_bits"], 6), round(s["H_nats"], 6)
(1.0, 0.693147)
"""
from __future__ import annotations

from ._core import Explorer, Param, StaticExplorer
from .catalog import ALL

__all__ = ["Explorer", "Param", "StaticExplorer", "NAMES", "REGISTRY", "get", "show", "live", "compute"]

REGISTRY: dict[str, Explorer] = {ex.name: ex for ex in ALL}
NAMES: tuple[str, ...] = tuple(REGISTRY)


def get(name: str) -> Explorer:
    """The explorer called ``name`` (one of :data:`NAMES`)."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"name: unknown explorer {name!r}; choose one of {list(NAMES)}") from None


def compute(name: str, **params) -> dict:
    """What explorer ``name`` draws for these slider values (defaults for the rest)."""
    return get(name).state(**params)


def show(name: str) -> StaticExplorer:
    """The static explorer for the web site (display it as a cell's result)."""
    return get(name).static()


def live(name: str):
    """Live ipywidgets sliders for explorer ``name`` (display it as a cell's result)."""
    return get(name).live()
