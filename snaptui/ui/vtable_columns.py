"""A VirtualTable's columns (how to show and sort a row) and the key a row is followed by."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Column(Generic[T]):
    key: str
    title: str
    getter: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None
    width: int = 0  # fixed width; 0 means flexible
    min_width: int = 6  # for flexible columns
    justify: Literal["left", "right"] = "left"
    hide_below: int = 0  # drop this column when the table is narrower than this

    @property
    def flex(self) -> bool:
        return self.width == 0


def row_key_of(row: object) -> str:
    key = getattr(row, "id", None)
    return key if isinstance(key, str) else str(id(row) if key is None else key)
