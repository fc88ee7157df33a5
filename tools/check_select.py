"""pytest plugin of ``course.py check NN``: keep only the tests that concern chapter NN.

    XENT_CHECK_CHAPTER=03_loss_and_gradient pytest -p check_select tests/...

A parametrized test is kept when none of its parameters belongs to another
chapter: a claim, exercise or explorer (or its id) belongs to its ``chapter``;
a chapter notebook's path or stem to that chapter; any other parameter (a seed,
a number) to none.  Tests without parameters are kept: they are the checks
that can fail, and the rules over the whole registry.
"""
from __future__ import annotations

import os
import re

STEM = re.compile(r"\b(\d\d_[a-z0-9_]+?)(?:\.ipynb|\.html)?$")


def _owners() -> dict[str, str]:
    from xentlib.course import audit, exercises, explorers

    out: dict[str, str] = {}
    for registry in (audit.REGISTRY, exercises.REGISTRY, explorers.REGISTRY):
        for item in registry.values():
            out[item.id] = item.chapter
    return out


def chapter_of(value, owners: dict[str, str]) -> str | None:
    """The chapter a test parameter belongs to, or None."""
    chapter = getattr(value, "chapter", None)
    if isinstance(chapter, str):
        return chapter
    if isinstance(value, (str, os.PathLike)):
        text = os.fspath(value)
        if text in owners:
            return owners[text]
        m = STEM.search(os.path.basename(text))
        if m:
            return m.group(1)
    return None


def keep(item, chapter: str, owners: dict[str, str]) -> bool:
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return True
    for value in callspec.params.values():
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            owner = chapter_of(v, owners)
            if owner is not None and owner != chapter:
                return False
    return True


def pytest_collection_modifyitems(config, items):
    chapter = os.environ.get("XENT_CHECK_CHAPTER")
    if not chapter:
        return
    owners = _owners()
    selected, deselected = [], []
    for item in items:
        (selected if keep(item, chapter, owners) else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
