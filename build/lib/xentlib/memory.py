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
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from numpy.typing import DTypeLike

__all__ = ["peak_memory", "target_nbytes"]

T = TypeVar("T")


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name}: must be >= 0, got {value}")
    return int(value)


def target_nbytes(n: int, n_classes: int, *, index_dtype: DTypeLike = np.int64,
                  onehot_dtype: DTypeLike = np.float32) -> dict[str, int]:
    """Bytes needed for ``n`` targets as class indices versus as a one-hot matrix.

    Parameters
    ----------
    n : int
        Number of targets (tokens, samples), >= 0.
    n_classes : int
        Number of classes (the vocabulary size), >= 0.
    index_dtype : data-type, optional
        Of the index vector (default int64, 8 bytes, what PyTorch uses).
    onehot_dtype : data-type, optional
        Of the one-hot matrix (default float32, 4 bytes).

    Returns
    -------
    dict of str to int
        ``{"index": n * itemsize, "one_hot": n * n_classes * itemsize}``, in bytes.

    Raises
    ------
    ValueError
        ``n`` or ``n_classes`` negative.
    TypeError
        ``n`` or ``n_classes`` not an int.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import memory
    >>> memory.target_nbytes(10, 3, onehot_dtype=np.float64)
    {'index': 80, 'one_hot': 240}
    """
    n = _count(n, "n")
    n_classes = _count(n_classes, "n_classes")
    return {"index": n * np.dtype(index_dtype).itemsize,
            "one_hot": n * n_classes * np.dtype(onehot_dtype).itemsize}


def peak_memory(fn: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, int]:
    """Run ``fn(*args, **kwargs)``; return its result and the peak memory of the call.

    The peak is the largest amount of memory allocated *during* the call
    (Python objects and NumPy array buffers, which NumPy reports to the
    standard library's ``tracemalloc``), above what was allocated before it.
    If ``tracemalloc`` was already tracing it is left running, otherwise it
    is stopped again.

    Parameters
    ----------
    fn : callable
        The function to measure.
    *args, **kwargs
        Passed to ``fn``.

    Returns
    -------
    result : object
        What ``fn`` returned.
    peak_bytes : int
        The peak of the call, in bytes.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import memory
    >>> total, peak = memory.peak_memory(lambda: float(np.ones(125_000).sum()))   # 1 MB of float64
    >>> total, 1_000_000 <= peak < 1_100_000
    (125000.0, True)
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
