"""The one source of "now": every layer takes a Clock so tests (and SVG snapshots) never depend
on the calendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)
