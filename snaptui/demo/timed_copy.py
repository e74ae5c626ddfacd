"""Fidelity layer: time-based snapshot copies (moto 5.2 ignores CompletionDurationMinutes).

AWS (EBS User Guide, "Time-based copies"; EC2 API CopySnapshot, Snapshot):
- CompletionDurationMinutes asks for the copy to finish within that time: 15 to 2880 minutes
  in 15-minute steps, else InvalidParameterValue.
- The copy answers TransferType "time-based", CompletionDurationMinutes, and stays pending
  with rising Progress until it completes, at the latest by StartTime + the duration;
  CompletionTime is when it completed. A standard copy says TransferType "standard".
Here a time-based copy completes exactly at its deadline (AWS may finish earlier), and its
progress rises linearly; ``clock`` is settable for tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

MINUTES = (15, 2880)
STEP = 15
clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def refusal(minutes: int) -> str:
    """AWS's message for a duration it does not take, or "" when it does."""
    low, high = MINUTES
    if low <= minutes <= high and minutes % STEP == 0:
        return ""
    return f"CompletionDurationMinutes must be {low}-{high} in steps of {STEP}, not {minutes}"


def make_timed(snapshot: Any, minutes: int | None) -> None:
    """Give a new copy AWS's transfer fields; a time-based one turns pending until due."""
    snapshot.transfer_type = "time-based" if minutes else "standard"
    if not minutes:
        return
    snapshot.completion_duration_minutes = minutes
    snapshot.__class__ = _timed_class(type(snapshot))


_CLASSES: dict[type, type] = {}


def _timed_class(base: type) -> type:
    """moto's Snapshot with State, Progress and CompletionTime that follow the clock."""
    if base in _CLASSES:
        return _CLASSES[base]

    def _due(self: Any) -> datetime:
        start: datetime = self.start_time
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
        return start + timedelta(minutes=int(self.completion_duration_minutes))

    def _get_status(self: Any) -> str:
        return "completed" if clock() >= _due(self) else "pending"

    def _set_status(self: Any, value: str) -> None:
        pass  # moto sets "completed" in __init__; the clock decides here

    def _progress(self: Any) -> str:
        due = _due(self)
        total = due - (due - timedelta(minutes=int(self.completion_duration_minutes)))
        left = max(timedelta(0), due - clock())
        return f"{int(100 * (1 - left / total))}%"

    def _completion_time(self: Any) -> datetime | None:
        return _due(self) if clock() >= _due(self) else None

    cls = type(
        "TimedCopySnapshot",
        (base,),
        {
            "status": property(_get_status, _set_status),
            "progress": property(_progress),
            "completion_time": property(_completion_time),
        },
    )
    _CLASSES[base] = cls
    return cls
