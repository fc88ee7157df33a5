"""The course's content, organised by chapter: audited claims, exercises, explorers.

The numerical library (``xentlib.entropy``, ``xentlib.losses``, ...) never
imports this package.  Each chapter notebook ``chapters/NN_name.ipynb`` has
one module here, ``chNN_name.py``, holding everything that chapter shows: its
claims (with their evidence), its exercises (with their data and checkers) and
its explorers.  Every item carries ``chapter="NN_name"``, and the tests check
that a notebook shows only its own chapter's items.

A chapter uses three modules::

    from xentlib.course import audit, exercises, explorers
    audit.show("entropy-zero")                     # a claim's box
    exercises.check("entropy-fair-die", answer)    # feedback on an answer
    explorers.show("bernoulli")                    # an explorer

Importing this package imports every chapter module listed in
:data:`CHAPTER_MODULES` (a missing one is an error), which fills the three
registries.

Examples
--------
>>> from xentlib.course import audit, exercises, explorers
>>> audit.REGISTRY.get("entropy-zero").chapter
'01_entropy'
>>> exercises.exercise("entropy-fair-die").chapter
'01_entropy'
>>> explorers.get("bernoulli").chapter
'01_entropy'
"""
from __future__ import annotations

import importlib

from . import audit, claims, exercises, explorers

__all__ = ["audit", "claims", "exercises", "explorers", "CHAPTER_MODULES", "chapter_module", "load_chapters"]

#: One module per chapter notebook, in the order of the book.
CHAPTER_MODULES: tuple[str, ...] = (
    "ch00_introduction",
    "ch01_entropy",
    "ch02_cross_entropy",
    "ch03_loss_and_gradient",
    "ch04_training",
    "ch05_trends",
    "ch06_faq",
)


def chapter_module(chapter: str) -> str:
    """The content module of a chapter: ``"01_entropy"`` -> ``"xentlib.course.ch01_entropy"``."""
    return f"{__name__}.ch{chapter}"


def load_chapters(names: tuple[str, ...] = CHAPTER_MODULES) -> None:
    """Import the chapter modules ``names`` (registering their content).

    A name without a module raises ``ModuleNotFoundError``: a typo in
    :data:`CHAPTER_MODULES` is an error, never a silently missing chapter.
    """
    for name in names:
        importlib.import_module(f"{__name__}.{name}")


load_chapters()
