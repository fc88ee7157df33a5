"""Machinery of the exercise checkers: an exercise, its typical mistakes, feedback."""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

import numpy as np


@dataclasses.dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: how to compute it, and the hint aimed at it."""

    name: str                      # short kebab-case name, e.g. "nats-not-bits"
    value: Callable[[], Any]       # computes the wrong answer (with xentlib)
    hint: str                      # what the student most likely did, and how to fix it


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One exercise: its id, chapter, the quantity asked for and how to check it."""

    id: str                        # e.g. "entropy-fair-die"; the site label is "ex-" + id
    chapter: str                   # notebook stem, e.g. "01_entropy"
    title: str
    asks: str                      # what the answer is, with its unit ("H in bits")
    unit: str                      # "bits", "nats", "" ...
    reference: Callable[[], Any]   # computes the right answer with xentlib (never typed)
    mistakes: tuple[Mistake, ...] = ()
    hint: str = ""                 # generic hint when the answer matches no known mistake
    rtol: float = 2e-3
    atol: float = 1e-6

    @property
    def label(self) -> str:
        return "ex-" + self.id


@dataclasses.dataclass(frozen=True)
class Feedback:
    """The verdict on one answer."""

    exercise: str
    correct: bool
    message: str
    mistake: str | None = None     # name of the recognised mistake, if any
    hint: str = ""

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return self.message


def _as_array(answer: Any) -> np.ndarray | None:
    """The answer as a float array, or None if it is not numeric."""
    if answer is None or answer is Ellipsis or isinstance(answer, (str, bytes)):
        return None
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def _close(a: np.ndarray, b: np.ndarray, ex: Exercise) -> bool:
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        # Accept a 1-element array for a scalar (e.g. np.array([2.58])).
        if a.size == b.size == 1:
            a, b = a.reshape(()), b.reshape(())
        else:
            return False
    return bool(np.all(np.isfinite(a)) and np.allclose(a, b, rtol=ex.rtol, atol=ex.atol))


def _fmt(value: Any, unit: str) -> str:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        text = f"{float(arr):.4g}"
    else:
        text = np.array2string(arr, precision=4, separator=", ")
    return f"{text} {unit}".rstrip()


def evaluate(ex: Exercise, answer: Any) -> Feedback:
    """Judge ``answer`` for exercise ``ex`` (no printing)."""
    arr = _as_array(answer)
    if arr is None:
        what = "nothing yet" if answer is None or answer is Ellipsis else f"a {type(answer).__name__}"
        return Feedback(ex.id, False,
                        f"[{ex.label}] No numeric answer yet (got {what}). "
                        f"Expected: {ex.asks}.",
                        mistake="no-answer")
    ref = np.asarray(ex.reference(), dtype=float)
    if _close(arr, ref, ex):
        # The value is not echoed: on the site the check's output sits next to a
        # folded solution and must not give the answer away.
        return Feedback(ex.id, True, f"[{ex.label}] Correct: that is {ex.asks}. Well done.")
    if arr.size != ref.size:
        return Feedback(ex.id, False,
                        f"[{ex.label}] Not yet: expected {ref.size} number(s) "
                        f"(shape {ref.shape}), got shape {arr.shape}. Expected: {ex.asks}.",
                        mistake="wrong-shape")
    if not np.all(np.isfinite(arr)):
        return Feedback(ex.id, False,
                        f"[{ex.label}] Not yet: your answer contains inf or nan "
                        "(a log of 0, or an overflow in exp?).",
                        mistake="not-finite")
    for m in ex.mistakes:
        if _close(arr, m.value(), ex):
            return Feedback(ex.id, False,
                            f"[{ex.label}] Not yet: {_fmt(arr, ex.unit)} is not right.\n"
                            f"Hint: {m.hint}",
                            mistake=m.name, hint=m.hint)
    hint = ex.hint or f"Re-read what is asked: {ex.asks}."
    return Feedback(ex.id, False,
                    f"[{ex.label}] Not yet: {_fmt(arr, ex.unit)} is not right.\nHint: {hint}",
                    hint=hint)

