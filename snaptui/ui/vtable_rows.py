"""A VirtualTable's rows: the source, the pinned rows, the sorted order and the filter over it.

Sorting builds one RowFilter over the sorted rows, sharing a haystack cache across sorts and
refreshes, so that a filter keystroke narrows the already-sorted rows in one pass.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from snaptui.core.filtering import RowFilter

T = TypeVar("T")


class RowStore(Generic[T]):
    """What a table holds; what it shows for a filter is ``shown(query)``."""

    def __init__(self, key: Callable[[T], str], text_of: Callable[[T], str]) -> None:
        self.key = key
        self._text_of = text_of
        self.source: list[T] = []
        self.pinned: list[Any] = []
        self.sorted: list[T] = []
        self.filter: RowFilter[T] = RowFilter([], key, text_of)
        self._hay_cache: dict[Any, tuple[T, str]] = {}

    def replace(self, rows: Iterable[T], pinned: Sequence[Any]) -> None:
        """New data (resort next): haystacks of rows still there are kept."""
        self.source = list(rows)
        self.pinned = list(pinned)
        if len(self._hay_cache) > 3 * len(self.source) + 1000:
            self._hay_cache = {}  # mostly rows that are gone: start over

    def forget_haystacks(self) -> None:
        """What a row is found by changed beyond its own fields (e.g. an AMI now uses it)."""
        self._hay_cache = {}

    def resort(self, sort_key: Callable[[T], Any] | None, reverse: bool) -> None:
        if sort_key is None:
            self.sorted = self.source
        else:
            self.sorted = sorted(self.source, key=sort_key, reverse=reverse)
        self.filter = RowFilter(self.sorted, self.key, self._text_of, self._hay_cache)

    def shown(self, query: str) -> list[Any]:
        """What is shown for this filter: the pinned rows first, then the sorted matches."""
        shown = self.filter.apply(query) if query else self.sorted
        return [*self.pinned, *shown] if self.pinned else shown

    def with_keys(self, keys: set[str]) -> list[T]:
        return [r for r in self.source if self.key(r) in keys]


def find_row(
    rows: list[Any], row_key: Callable[[Any], str], cursor: int, key: str, row: object | None
) -> int | None:
    """Where the row with this key (or this very object, when given) is in ``rows``."""
    # The cursor usually stays where it was: check there first.
    if 0 <= cursor < len(rows) and row_key(rows[cursor]) == key:
        return cursor
    if row is not None:
        # The same object is usually still there (filter, sort): find it at C speed.
        try:
            return list(map(operator.is_, rows, itertools.repeat(row))).index(True)
        except ValueError:
            return None  # filtered out: the same objects, so no key scan can find it
    for i, candidate in enumerate(rows):
        if row_key(candidate) == key:
            return i
    return None
