"""Answers looked up one snapshot at a time (where the cursor rests), kept per region ticket.

A region fetched again (after :share, a delete, or `r`) has a new ticket: its answers are then
stale and asked again. No Textual here; the flow that asks is ui/sharing_flow.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lookups(Generic[T]):
    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, T]] = {}  # snapshot id -> (ticket, answer)
        self.asked: set[str] = set()  # asked, not answered yet

    def get(self, snapshot_id: str, ticket: int | None) -> T | None:
        entry = self.answers.get(snapshot_id)
        return entry[1] if entry is not None and entry[0] == ticket else None

    def current(self, ticket_of: Callable[[str], int | None]) -> dict[str, T]:
        """Every answer still current: its snapshot's region has the ticket it was asked under."""
        return {
            sid: answer
            for sid, (ticket, answer) in self.answers.items()
            if ticket_of(sid) == ticket
        }

    def read(self, snapshot_id: str, answer: T, ticket: int, fresh: bool) -> bool:
        """An answer arrived; kept only when ``fresh`` (same load, the region's ticket)."""
        self.asked.discard(snapshot_id)
        if fresh:
            self.answers[snapshot_id] = (ticket, answer)
        return fresh
