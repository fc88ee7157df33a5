"""Input checks shared by the numerical modules of :mod:`xentlib` (private).

Every public function of xentlib is *loud on bad input*: it raises a
``ValueError`` or ``TypeError`` whose message starts with the name of the
offending argument and says what is wrong with it (and where).  The helpers
below implement that policy once.

Dtype policy: the result is ``float32`` when every floating-point input is
``float32``; otherwise (``float64``, integers, Python lists, ...) the
computation is done in ``float64``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__: list[str] = []

_REDUCTIONS = ("mean", "sum", "none")


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """Return ``float32`` if every floating input is float32, else ``float64``."""
    floats = [a.dtype for a in arrays if a is not None and np.issubdtype(a.dtype, np.floating)]
    if floats and all(d == np.float32 for d in floats):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def as_array(x: Any, name: str) -> np.ndarray:
    """Convert an array-like to an ndarray of real numbers, or raise ``TypeError``."""
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name}: cannot be converted to a numeric array ({exc})") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.floating)
        or np.issubdtype(arr.dtype, np.integer)
        or arr.dtype == np.bool_
    ):
        raise TypeError(
            f"{name}: expected an array of real numbers, got dtype {arr.dtype}"
        )
    return arr


def as_float(x: Any, name: str, dtype: np.dtype | None = None) -> np.ndarray:
    """Convert to a float array (float32 kept, everything else float64)."""
    arr = as_array(x, name)
    if dtype is None:
        dtype = result_dtype(arr)
    return arr.astype(dtype, copy=False)


def fmt_index(flat_or_tuple: Any) -> str:
    """Format an index for an error message: ``3`` or ``(1, 2)``."""
    if isinstance(flat_or_tuple, tuple):
        idx = tuple(int(i) for i in flat_or_tuple)
        return str(idx[0]) if len(idx) == 1 else str(idx)
    return str(int(flat_or_tuple))


def first_index(mask: np.ndarray) -> str:
    """Index (formatted) of the first True entry of ``mask``."""
    return fmt_index(np.unravel_index(int(np.argmax(mask)), mask.shape))


def check_axis(arr: np.ndarray, axis: int, name: str) -> int:
    """Normalise ``axis`` for ``arr`` (raise if out of range or the array is 0-d)."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"axis: must be an integer, got {axis!r}")
    if arr.ndim == 0:
        raise ValueError(f"{name}: expected at least one dimension (a distribution), got a scalar")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis: {axis} is out of range for {name} with shape {arr.shape}")
    return int(axis) % arr.ndim


def check_finite_values(arr: np.ndarray, name: str, *, allow_neg_inf: bool = False) -> None:
    """Raise ``ValueError`` on NaN, +inf (and -inf unless allowed)."""
    if arr.size == 0 or not np.issubdtype(arr.dtype, np.floating):
        return
    if np.isfinite(arr).all():
        return
    nan = np.isnan(arr)
    if nan.any():
        raise ValueError(f"{name}: contains NaN at index {first_index(nan)}")
    pos = arr == np.inf
    if pos.any():
        raise ValueError(f"{name}: contains +inf at index {first_index(pos)}")
    if not allow_neg_inf:
        neg = arr == -np.inf
        raise ValueError(f"{name}: contains -inf at index {first_index(neg)}")


def check_probabilities(
    p: np.ndarray,
    name: str,
    axis: int,
    *,
    normalize: bool = False,
) -> np.ndarray:
    """Check that ``p`` holds probability distributions along ``axis``.

    Raises for an empty distribution, NaN, infinities, negative entries and
    (unless ``normalize``) rows that do not sum to 1 within the tolerance
    (``1e-6`` in float64, ``1e-4`` in float32).  Returns ``p`` (renormalised
    when ``normalize=True``).
    """
    if p.shape[axis] == 0:
        raise ValueError(f"{name}: empty distribution (length 0 along axis {axis})")
    if p.size == 0:
        return p
    check_finite_values(p, name)
    neg = p < 0
    if neg.any():
        idx = first_index(neg)
        raise ValueError(
            f"{name}: negative probability {float(p[np.unravel_index(int(np.argmax(neg)), p.shape)]):g} "
            f"at index {idx}"
        )
    total = p.sum(axis=axis, keepdims=True)
    if normalize:
        zero = total == 0
        if zero.any():
            raise ValueError(
                f"{name}: a distribution sums to 0 (all zeros) at index {first_index(zero)}; "
                "cannot normalise"
            )
        return p / total
    tol = 1e-4 if p.dtype == np.float32 else 1e-6
    off = np.abs(total - 1)
    if (off > tol).any():
        where = np.unravel_index(int(np.argmax(off)), off.shape)
        s = float(total[where])
        loc = tuple(i for k, i in enumerate(where) if k != axis)
        at = f" at index {fmt_index(loc)}" if loc else ""
        raise ValueError(
            f"{name}: does not sum to 1 along axis {axis}{at}: sum is {s:.10g} "
            f"(off by {s - 1:+.3g}, tolerance {tol:g}); pass normalize=True to renormalise"
        )
    return p


def check_unit_interval(x: np.ndarray, name: str) -> None:
    """Raise unless every entry of ``x`` is in [0, 1] (and not NaN)."""
    if x.size == 0:
        return
    nan = np.isnan(x) if np.issubdtype(x.dtype, np.floating) else np.zeros(x.shape, bool)
    if nan.any():
        raise ValueError(f"{name}: contains NaN at index {first_index(nan)}")
    bad = (x < 0) | (x > 1)
    if bad.any():
        i = np.unravel_index(int(np.argmax(bad)), x.shape)
        raise ValueError(
            f"{name}: values must lie in [0, 1]; got {float(x[i]):g} at index {fmt_index(i)}"
        )


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` showing both shapes unless they are equal."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_b}: shape mismatch: {name_a} has shape {a.shape} but {name_b} has shape {b.shape}"
        )


def broadcast_pair(
    a: np.ndarray, b: np.ndarray, name_a: str, name_b: str, axis: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Broadcast two distributions; their lengths along ``axis`` must match exactly.

    Returns the broadcast arrays and the normalised axis.
    """
    def mismatch(extra: str) -> ValueError:
        return ValueError(
            f"{name_b}: shape mismatch: {name_a} has shape {a.shape} but {name_b} has "
            f"shape {b.shape}{extra}"
        )

    ax_a = check_axis(a, axis, name_a)
    ax_b = check_axis(b, axis, name_b)
    if a.shape[ax_a] != b.shape[ax_b]:
        raise mismatch(f" (lengths {a.shape[ax_a]} and {b.shape[ax_b]} along axis {axis})")
    try:
        a2, b2 = np.broadcast_arrays(a, b)
    except ValueError:
        raise mismatch(" (not broadcastable)") from None
    return a2, b2, check_axis(a2, axis, name_a)


def check_reduction(reduction: str) -> str:
    """Raise unless ``reduction`` is 'mean', 'sum' or 'none'."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction: must be one of 'mean', 'sum', 'none'; got {reduction!r}")
    return reduction


def check_base(base: float | None) -> float | None:
    """Raise unless ``base`` is None or a finite number > 0 and != 1."""
    if base is None:
        return None
    if isinstance(base, bool) or not isinstance(base, (int, float, np.integer, np.floating)):
        raise TypeError(f"base: must be a number or None, got {base!r}")
    b = float(base)
    if not np.isfinite(b) or b <= 0 or b == 1:
        raise ValueError(f"base: must be a finite number > 0 and != 1, got {base!r}")
    return b


def to_base(x: np.ndarray, base: float | None) -> np.ndarray:
    """Convert a quantity in nats to units of ``log(base)``."""
    if base is None:
        return x
    return x / np.asarray(np.log(base), dtype=x.dtype)


def check_scalar(value: Any, name: str, *, low: float | None = None, high: float | None = None,
                 low_open: bool = False) -> float:
    """Check a real scalar option (finite, within bounds)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: must be a real number, got {value!r}")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{name}: must be finite, got {value!r}")
    if low is not None and (v < low or (low_open and v == low)):
        rng = f"> {low:g}" if low_open else f">= {low:g}"
        if high is not None:
            rng = f"in [{low:g}, {high:g}]"
        raise ValueError(f"{name}: must be {rng}, got {value!r}")
    if high is not None and v > high:
        raise ValueError(f"{name}: must be in [{low:g}, {high:g}], got {value!r}")
    return v


def reduce_losses(
    losses: np.ndarray,
    weights: np.ndarray | None,
    reduction: str,
    *,
    shape: tuple[int, ...] | None = None,
    weight_name: str = "weight",
    clip: bool = True,
) -> Any:
    """The reduction tail shared by every loss of xentlib.

    ``losses`` hold the already weighted per-example losses ``w * l``.
    ``clip`` first raises rounding noise below 0 (``-0.0``, ``-1e-17``) to 0.
    Then ``'none'`` returns them reshaped to ``shape`` (a NumPy scalar for
    0-d), ``'sum'`` their sum and ``'mean'`` ``sum(w * l) / sum(w)``, where
    ``sum(w)`` is ``losses.size`` when ``weights`` is None.

    A mean over zero total weight (no examples, every target ignored, or
    weights that are all 0) is 0/0: it raises ``ValueError`` naming
    ``weight_name``, instead of returning NaN (PyTorch returns NaN without
    a warning).
    """
    if clip:
        losses = np.maximum(losses, 0)
    if reduction == "none":
        out = losses.reshape(losses.shape if shape is None else shape)
        return out[()] if out.ndim == 0 else out
    total = losses.sum(dtype=losses.dtype)
    if reduction == "sum":
        return np.asarray(total, dtype=losses.dtype)[()]
    denom = losses.size if weights is None else weights.sum()
    if denom == 0:
        raise ValueError(
            f"{weight_name}: reduction='mean' over zero total weight is 0/0 (no examples, every "
            "target ignored, or all weights 0); use reduction='sum' or 'none', or check the "
            "targets and weights"
        )
    return np.asarray(total / denom, dtype=losses.dtype)[()]
