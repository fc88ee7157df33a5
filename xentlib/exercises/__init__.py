"""Instant feedback for the course's exercises.

In a notebook::

    >>> from xentlib import exercises
    >>> d = exercises.data("entropy-fair-die")          # the problem's numbers
    >>> exercises.check("entropy-fair-die", 2.585)     # doctest: +SKIP
    [ex-entropy-fair-die] Correct: that is the entropy of a fair six-sided die, in bits. Well done.

:func:`check` prints a right/wrong message; a wrong answer that matches a
*typical* mistake (bits instead of nats, the sign of a gradient, the order of
the arguments of KL, sum instead of mean, probabilities passed as logits...)
gets a hint aimed at that mistake.  :func:`evaluate` returns the verdict
(a :class:`Feedback`) without printing.  Reference answers are computed with
xentlib from the problem data, never typed in.
"""
from __future__ import annotations

from typing import Any

from ._core import Exercise, Feedback, Mistake
from ._core import evaluate as _evaluate
from .catalog import BY_ID, DATA, EXERCISES

__all__ = ["check", "evaluate", "data", "exercise", "list_exercises",
           "Exercise", "Feedback", "Mistake", "EXERCISES"]


def exercise(exercise_id: str) -> Exercise:
    """The :class:`Exercise` with this id (``"ex-"`` prefix optional)."""
    if not isinstance(exercise_id, str):
        raise TypeError(f"exercise_id must be a string, got {type(exercise_id).__name__}")
    key = exercise_id.removeprefix("ex-")
    try:
        return BY_ID[key]
    except KeyError:
        known = ", ".join(sorted(BY_ID))
        raise ValueError(f"exercise_id: unknown exercise {exercise_id!r}; known: {known}") from None


def evaluate(exercise_id: str, answer: Any) -> Feedback:
    """Judge ``answer`` without printing; returns a :class:`Feedback` (truthy if right)."""
    return _evaluate(exercise(exercise_id), answer)


def check(exercise_id: str, answer: Any) -> None:
    """Print whether ``answer`` is right, with a hint aimed at the typical mistake."""
    print(evaluate(exercise_id, answer).message)


def data(exercise_id: str) -> dict:
    """The problem's numbers (fresh copies), as stated in the exercise."""
    return DATA[exercise(exercise_id).id]()


def list_exercises(chapter: str | None = None) -> list[Exercise]:
    """Every exercise, or those of one chapter (notebook stem, e.g. ``"01_entropy"``)."""
    return [ex for ex in EXERCISES if chapter is None or ex.chapter == chapter]
