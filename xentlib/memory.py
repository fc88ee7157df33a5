"""Memory: the peak memory of a call, and the size of index versus one-hot targets.

Sizes are in bytes; the course prints them in binary units (KiB, MiB, GiB).

Examples
--------
>>> import numpy as np
>>> from xentlib import memory
>>> memory.target_nbytes(1000, 50_000)
{'index': 8000, 'one_hot': 200000000}
>>> _, peak = memory.peak_memory(np.zeros, 1_000_000)
>>> peak >= 8_000_000
True
"""
from __future__ import annotations

import tracemalloc
from typing import TypeVar

import numpy as np

__all__ = ["peak_memory", "target_nbytes"]

T = TypeVar("T")


def target_nbytes(n: int, n_classes: int, *, index_dtype=np.int64, onehot_dtype=np.float32) -> dict[str, int]:
    """Bytes needed for ``n`` targets as indices versus as a one-hot matrix."""
    return {"index": int(n) * np.dtype(index_dtype).itemsize,
            "one_hot": int(n) * int(n_classes) * np.dtype(onehot_dtype).itemsize}


def peak_memory(fn, *args, **kwargs):
    """Run ``fn(*args, **kwargs)``; return ``(result, peak_bytes)``.

    ``peak_bytes`` is the largest amount of memory allocated *during* the call
    (Python objects and NumPy array buffers, which NumPy reports to
    :mod:`tracemalloc`), above what was allocated before it.
    """

    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        result = fn(*args, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return result, peak - before
