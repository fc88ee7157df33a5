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


#: One bit is ln 2 nats; divide a loss in nats by this to get bits.
NATS_PER_BIT = math.log(2.0)


def to_bits(nats: ArrayLike) -> NDArray[np.float64]:
    """Convert an information quantity (entropy, loss) from nats to bits.

    Parameters
    ----------
    nats : array_like
        Values in nats (natural-log units).

    Returns
    -------
    numpy.ndarray
        The same values in bits: ``nats / ln 2`` (float64; 0-d for a scalar).

    Examples
    --------
    >>> from xentlib import units
    >>> float(units.to_bits(0.6931471805599453))
    1.0
    >>> units.to_bits([0.0, 1.0]).round(4)
    array([0.    , 1.4427])
    """
    return np.asarray(nats, dtype=np.float64) / NATS_PER_BIT


def to_nats(bits: ArrayLike) -> NDArray[np.float64]:
    """Convert an information quantity (entropy, loss) from bits to nats.

    Parameters
    ----------
    bits : array_like
        Values in bits (base-2 units).

    Returns
    -------
    numpy.ndarray
        The same values in nats: ``bits * ln 2`` (float64; 0-d for a scalar).

    Examples
    --------
    >>> from xentlib import units
    >>> round(float(units.to_nats(2.0)), 6)
    1.386294
    """
    return np.asarray(bits, dtype=np.float64) * NATS_PER_BIT
