"""Units: converting between nats and bits.

Natural logarithms give nats, base-2 logarithms give bits; one bit is
``ln 2`` nats.  Every loss in the course is computed in nats (the natural log
of PyTorch, TensorFlow and xentlib's defaults) and shown in bits where the
information-theory reading helps.

Examples
--------
>>> from xentlib import units
>>> float(units.to_bits(units.NATS_PER_BIT))
1.0
>>> round(float(units.to_nats(1.0)), 6)
0.693147
"""
from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["NATS_PER_BIT", "to_bits", "to_nats"]


#: One bit is ln 2 nats: divide a loss in nats by this to get bits.
NATS_PER_BIT = math.log(2.0)


def to_bits(nats: ArrayLike) -> NDArray[np.floating]:
    """Convert an information quantity in nats to bits (divide by ln 2)."""
    return np.asarray(nats, dtype=float) / NATS_PER_BIT


def to_nats(bits: ArrayLike) -> NDArray[np.floating]:
    """Convert an information quantity in bits to nats (multiply by ln 2)."""
    return np.asarray(bits, dtype=float) * NATS_PER_BIT
