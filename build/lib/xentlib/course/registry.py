"""One registry type for the course's content: claims, exercises and explorers.

Every item has an ``id`` (kebab-case: ``entropy-zero``, ``ex``-less exercise
ids such as ``entropy-fair-die``, explorer ids such as ``learning-rate``) and
the ``chapter`` it belongs to (a notebook stem such as ``"01_entropy"``).
Items are added once, when their chapter module is imported
(:mod:`xentlib.course` imports every chapter module); looking up an id that is
not there raises ``KeyError`` naming the kind, the id and the closest known ids.

Examples
--------
>>> from dataclasses import dataclass
>>> from xentlib.course.registry import Registry
>>> @dataclass(frozen=True)
... class Item:
...     id: str
...     chapter: str
>>> reg = Registry("item")
>>> _ = reg.add(Item(id="fair-coin", chapter="01_entropy"))
>>> reg.get("fair-coin").chapter
'01_entropy'
>>> try:
...     reg.get("fair-con")
... except KeyError as err:
...     print(err)
unknown item id 'fair-con'; did you mean 'fair-coin'? (known: fair-coin)
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar

__all__ = ["Registry", "UnknownIdError", "ID_PATTERN", "CHAPTER_PATTERN", "check_id", "check_chapter"]

#: Ids are kebab-case: lower-case letters and digits joined by single hyphens.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Chapters are notebook stems: two digits, an underscore, a snake_case name.
CHAPTER_PATTERN = re.compile(r"^\d\d_[a-z0-9_]+$")


class _Item(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def chapter(self) -> str: ...


T = TypeVar("T", bound=_Item)


def check_id(kind: str, value: object) -> str:
    """Return ``value`` if it is a kebab-case id, else raise ``ValueError``."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ValueError(f"{kind}.id must be kebab-case (a-z, 0-9, '-'), got {value!r}")
    return value


def check_chapter(kind: str, item_id: str, value: object) -> str:
    """Return ``value`` if it is a notebook stem like ``'01_entropy'``, else raise ``ValueError``."""
    if not isinstance(value, str) or not CHAPTER_PATTERN.match(value):
        raise ValueError(f"{kind} {item_id!r}: chapter must be a notebook stem like '01_entropy', "
                         f"got {value!r}")
    return value


class UnknownIdError(KeyError):
    """A ``KeyError`` whose message prints without extra quotes."""

    def __str__(self) -> str:
        return str(self.args[0])


class Registry(Generic[T]):
    """Items of one kind, by id, in the order they were added."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def add(self, item: T, *, replace_same: bool = False) -> T:
        """Add ``item``; a second item with the same id raises ``ValueError``.

        ``replace_same=True`` lets a re-imported module (``importlib.reload``)
        register its items again.
        """
        check_id(self.kind, item.id)
        check_chapter(self.kind, item.id, item.chapter)
        old = self._items.get(item.id)
        if old is not None and not replace_same:
            raise ValueError(f"duplicate {self.kind} id {item.id!r} "
                             f"(already registered for chapter {old.chapter})")
        self._items[item.id] = item
        return item

    def get(self, item_id: str) -> T:
        """The item with this id; ``KeyError`` (with the closest ids) if there is none."""
        if not isinstance(item_id, str):
            raise TypeError(f"{self.kind} id must be a string, got {type(item_id).__name__}")
        try:
            return self._items[item_id]
        except KeyError:
            close = difflib.get_close_matches(item_id, list(self._items), n=3)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
            known = ", ".join(self._items)
            raise UnknownIdError(f"unknown {self.kind} id {item_id!r}; {hint}(known: {known})") from None

    def find(self, item_id: str) -> T | None:
        """The item with this id, or ``None`` (no error)."""
        return self._items.get(item_id)

    def ids(self) -> tuple[str, ...]:
        """Every id, in registration order."""
        return tuple(self._items)

    def in_chapter(self, chapter: str) -> list[T]:
        """The items of one chapter (a notebook stem such as ``"01_entropy"``)."""
        return [it for it in self._items.values() if it.chapter == chapter]

    def __getitem__(self, item_id: str) -> T:
        return self.get(item_id)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def values(self) -> list[T]:
        """Every item, in registration order."""
        return list(self._items.values())

    def items(self) -> list[tuple[str, T]]:
        """``(id, item)`` pairs, in registration order."""
        return list(self._items.items())
