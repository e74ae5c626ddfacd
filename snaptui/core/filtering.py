"""Substring filtering over IDs, names, descriptions and tags, fast enough per keystroke at 100k.

Each row's lowercase haystack is built once and cached by row key; a query that extends the
previous one narrows the previous result instead of rescanning everything.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")


_ATTRS = ("name", "description", "label", "volume_id", "instance_type", "state", "az")
_TAGGED_ATTRS = ("description", "label", "volume_id", "instance_type", "state", "az")


def haystack(row: object) -> str:
    """Everything a user may type to find a row: ID, name, description, tag keys and values."""
    parts: list[str] = [str(getattr(row, "id", ""))]
    tags = getattr(row, "tags", None)
    # The name comes from the Name tag when there are tags: index it once, not twice.
    attrs = _TAGGED_ATTRS if isinstance(tags, dict) else _ATTRS
    for attr in attrs:
        value = getattr(row, attr, None)
        if isinstance(value, str) and value:
            parts.append(value)
    if isinstance(tags, dict):
        for k, v in tags.items():
            parts.append(f"{k}={v}")
    return "\x00".join(parts).lower()


class RowFilter(Generic[T]):
    """Filters a fixed sequence of rows by a case-insensitive substring.

    Haystacks are held in a list aligned with the rows and matched with C-level iteration
    (map/compress), so a keystroke over 100k rows costs a few milliseconds.
    """

    def __init__(
        self,
        rows: Sequence[T],
        key: Callable[[T], Any],
        text_of: Callable[[T], str] = haystack,
        cache: dict[Any, tuple[T, str]] | None = None,
    ) -> None:
        self._rows = rows
        self._key = key
        self._text_of = text_of
        # Shared across data refreshes by the owner, so unchanged rows keep their haystack; a
        # row whose fields changed (a new Name tag) gets a new one.
        self._cache: dict[Any, tuple[T, str]] = cache if cache is not None else {}
        self._hays: list[str] | None = None
        self._last_query = ""
        self._last_rows: list[T] = []
        self._last_hays: list[str] = []

    def prepare(self) -> None:
        """Build every haystack now (safe to call from a worker thread before typing starts)."""
        if self._hays is not None:
            return
        cache, key, text_of = self._cache, self._key, self._text_of
        hays: list[str] = []
        for row in self._rows:
            k = key(row)
            cached = cache.get(k)
            if cached is not None and (cached[0] is row or cached[0] == row):
                hays.append(cached[1])
                continue
            hay = text_of(row)
            cache[k] = (row, hay)
            hays.append(hay)
        self._hays = hays

    def apply(self, query: str) -> list[T]:
        q = query.strip().lower()
        if not q:
            self._last_query = ""
            return list(self._rows)
        self.prepare()
        assert self._hays is not None
        # Typing one more letter can only narrow: reuse the previous result.
        rows: Sequence[T]
        if self._last_query and q.startswith(self._last_query):
            rows, hays = self._last_rows, self._last_hays
        else:
            rows, hays = self._rows, self._hays
        mask = list(map(operator.contains, hays, itertools.repeat(q)))
        if all(mask):  # common for short queries: skip copying 100k references twice
            self._last_rows = rows if isinstance(rows, list) else list(rows)
            self._last_hays = hays
        else:
            self._last_rows = list(itertools.compress(rows, mask))
            self._last_hays = list(itertools.compress(hays, mask))
        self._last_query = q
        return self._last_rows  # shared with the next narrowing: callers must not mutate it


def filter_rows(rows: Sequence[T], query: str) -> list[T]:
    """One-shot filter (no caching), for small lists and headless use."""
    q = query.strip().lower()
    if not q:
        return list(rows)
    return [r for r in rows if q in haystack(r)]
