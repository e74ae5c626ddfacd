"""How sizes, times and money read on screen and in headless text output."""

from __future__ import annotations

from datetime import UTC, datetime

import humanize


def gib(n: int | float | None) -> str:
    """A size given in GiB, e.g. 8 -> '8 GiB'."""
    if n is None:
        return "?"
    return f"{n:g} GiB"


def size(num_bytes: int | None) -> str:
    """A byte count, binary units: 1536 MiB -> '1.5 GiB'. None means unknown."""
    if num_bytes is None:
        return "?"
    return humanize.naturalsize(num_bytes, binary=True, format="%.1f").replace("Bytes", "B")


def local_time(when: datetime | None) -> str:
    """Exact time in the user's local zone, with the zone name."""
    if when is None:
        return "-"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def age(when: datetime | None, now: datetime | None = None) -> str:
    """Compact age for table cells: '45s', '12m', '5h', '3d', '7mo', '2y'."""
    if when is None:
        return "-"
    now = now or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    secs = max(0, int((now - when).total_seconds()))
    for unit, length in (("y", 365 * 86400), ("mo", 30 * 86400), ("d", 86400), ("h", 3600)):
        if secs >= length:
            return f"{secs // length}{unit}"
    if secs >= 60:
        return f"{secs // 60}m"
    return f"{secs}s"


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """Humanized relative time: '3 days ago'."""
    if when is None:
        return "-"
    now = now or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return humanize.naturaltime(now - when)


def money(dollars: float | None) -> str:
    """Monthly cost: '$1.23', '<$0.01' for tiny non-zero figures."""
    if dollars is None:
        return "?"
    if dollars < 0:  # "-$0.05", never "$-0.05"
        return "-" + money(-dollars)
    if 0 < dollars < 0.01:
        return "<$0.01"
    return f"${dollars:,.2f}"


def span(seconds: float) -> str:
    """A length of time to wait: '27 seconds', '2 hours'."""
    return str(humanize.naturaldelta(max(0.0, seconds)))
