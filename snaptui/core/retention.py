"""Grandfather-father-son retention, pure: snapshots and keep rules in, a keep/delete plan out.

Rules (all counted over *completed* snapshots, newest first, days/weeks/months in UTC):

- ``last``: the newest N snapshots;
- ``daily``: the newest snapshot of each of the D most recent calendar days that have one;
- ``weekly``: the same per ISO week (``2026-W47``); ``monthly``: per calendar month.

A snapshot is kept if any rule keeps it; every kept snapshot carries all its reasons. Beyond the
rules, the newest completed snapshot is always kept (so a volume never loses its last restore
point), snapshots that are not ``completed`` are kept (pending ones are still being written;
errored ones are left for a person to look at), and ``protected`` ids (used by an AMI, locked,
lock status unknown, ...) are kept with the caller's reason. Protected snapshots do not use up
rule slots: the rules are applied as if protection did not exist, so protection only ever keeps
more. The plan is deterministic (ties on start time are broken by id) and idempotent: planning
again over the kept snapshots deletes nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class SnapshotRef:
    """What retention needs to know about a snapshot."""

    id: str
    start_time: datetime  # naive values are taken as UTC
    state: str = COMPLETED


@dataclass(frozen=True, slots=True)
class KeepRules:
    last: int = 0
    daily: int = 0
    weekly: int = 0
    monthly: int = 0

    def __post_init__(self) -> None:
        for name in ("last", "daily", "weekly", "monthly"):
            if getattr(self, name) < 0:
                raise ValueError(f"keep count {name} must be >= 0")

    @property
    def any(self) -> bool:
        return bool(self.last or self.daily or self.weekly or self.monthly)


@dataclass(frozen=True, slots=True)
class RetentionPlan:
    """``keep`` maps id -> reasons; both ``keep`` and ``delete`` are ordered newest first."""

    keep: dict[str, tuple[str, ...]] = field(default_factory=dict)
    delete: tuple[str, ...] = ()


def _utc(t: datetime) -> datetime:
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def newest_first(snapshots: Iterable[SnapshotRef]) -> list[SnapshotRef]:
    """Newest first; equal start times ordered by id so the plan never depends on input order."""
    by_id = sorted(snapshots, key=lambda s: s.id)
    return sorted(by_id, key=lambda s: _utc(s.start_time), reverse=True)


def _day(t: datetime) -> str:
    return t.strftime("%Y-%m-%d")


def _week(t: datetime) -> str:
    year, week, _ = t.isocalendar()
    return f"{year}-W{week:02d}"


def _month(t: datetime) -> str:
    return t.strftime("%Y-%m")


def _bucketed(
    completed: list[SnapshotRef], count: int, bucket: Callable[[datetime], str], label: str
) -> dict[str, str]:
    """The newest snapshot of each of the ``count`` most recent buckets: id -> reason."""
    seen: set[str] = set()
    out: dict[str, str] = {}
    for snap in completed:
        if len(seen) >= count:
            break
        key = bucket(_utc(snap.start_time))
        if key in seen:
            continue
        seen.add(key)
        out[snap.id] = f"{label} {key}"
    return out


def plan_retention(
    snapshots: Iterable[SnapshotRef],
    rules: KeepRules,
    protected: Mapping[str, str] | None = None,
) -> RetentionPlan:
    """Decide which snapshots to keep (with reasons) and which to delete."""
    ordered = newest_first(snapshots)
    completed = [s for s in ordered if s.state == COMPLETED]
    reasons: dict[str, list[str]] = {s.id: [] for s in ordered}

    for i, snap in enumerate(completed[: rules.last]):
        reasons[snap.id].append(f"last {i + 1}/{rules.last}")
    for count, bucket, label in (
        (rules.daily, _day, "daily"),
        (rules.weekly, _week, "weekly"),
        (rules.monthly, _month, "monthly"),
    ):
        for sid, why in _bucketed(completed, count, bucket, label).items():
            reasons[sid].append(why)
    if completed:
        reasons[completed[0].id].append("newest completed")
    protected = protected or {}
    for snap in ordered:
        if snap.state != COMPLETED:
            reasons[snap.id].append(f"state {snap.state or 'unknown'}")
        if protected.get(snap.id):
            reasons[snap.id].append(protected[snap.id])

    keep = {s.id: tuple(reasons[s.id]) for s in ordered if reasons[s.id]}
    delete = tuple(s.id for s in ordered if not reasons[s.id])
    return RetentionPlan(keep=keep, delete=delete)
