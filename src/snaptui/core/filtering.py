"""Substring filtering over IDs, names, descriptions and tags, fast enough per keystroke at 100k.

Each row's lowercase haystack is built once and cached by row key; a query that extends the
previous one narrows the previous result instead of rescanning everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def haystack(row: object) -> str:
    """Everything a user may type to find a row: ID, name, description, tag keys and values."""
    parts: list[str] = [str(getattr(row, "id", ""))]
    for attr in ("name", "description", "label", "volume_id", "instance_type", "state", "az"):
        value = getattr(row, attr, None)
        if isinstance(value, str) and value:
            parts.append(value)
    tags = getattr(row, "tags", None)
    if isinstance(tags, dict):
        for k, v in tags.items():
            parts.append(f"{k}={v}")
    return "\x00".join(parts).lower()


class RowFilter(Generic[T]):
    """Filters a fixed sequence of rows by a case-insensitive substring."""

    def __init__(
        self,
        rows: Sequence[T],
        key: Callable[[T], Any],
        text_of: Callable[[T], str] = haystack,
        cache: dict[Any, str] | None = None,
    ) -> None:
        self._rows = rows
        self._key = key
        self._text_of = text_of
        # Shared across data refreshes by the owner, so unchanged rows keep their haystack.
        self._cache: dict[Any, str] = cache if cache is not None else {}
        self._last_query = ""
        self._last_result: list[T] = list(rows)

    def _hay(self, row: T) -> str:
        k = self._key(row)
        hay = self._cache.get(k)
        if hay is None:
            hay = self._text_of(row)
            self._cache[k] = hay
        return hay

    def apply(self, query: str) -> list[T]:
        q = query.strip().lower()
        if not q:
            result = list(self._rows)
        else:
            # Typing one more letter can only narrow: reuse the previous result.
            pool = (
                self._last_result
                if self._last_query and q.startswith(self._last_query)
                else self._rows
            )
            hay = self._hay
            result = [r for r in pool if q in hay(r)]
        self._last_query, self._last_result = q, result
        return result


def filter_rows(rows: Sequence[T], query: str) -> list[T]:
    """One-shot filter (no caching), for small lists and headless use."""
    q = query.strip().lower()
    if not q:
        return list(rows)
    return [r for r in rows if q in haystack(r)]
