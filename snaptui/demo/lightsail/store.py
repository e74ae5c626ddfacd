"""Lightsail's state for the demo world: per-region records, a clock, and the rules AWS keeps.

What it reproduces (each has a test in tests/demo/test_lightsail_backend.py):
  - names are unique per resource type and region; unknown names answer NotFoundException;
  - snapshots (and disks made from them) are ``pending`` for ``pending_for`` then available;
  - the AutoSnapshot add-on takes one snapshot a day at its "HH:00" UTC time and keeps the
    7 newest (rotation happens as the clock passes, checked on every request);
  - a disk attached to an instance shows attachedTo/path/isAttached and state in-use.
The clock starts at the seed's "now" and runs with real time; ``advance`` moves one region's
clock (tests: a week passes in a scratch region without touching the seeded ones).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

AUTO_KEEP = 7  # Lightsail keeps the seven newest automatic snapshots
PAGE_SIZE = 10  # small, so the seeded world already needs pageToken paging
_NS = uuid.UUID("6f1c2a4e-51a9-4c53-9d0e-3c1b2a7e0f15")

Tags = dict[str, str]


class LsError(Exception):
    """An answer Lightsail gives as an exception (``__type`` in the JSON body)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def not_found(kind: str, name: str) -> LsError:
    return LsError("NotFoundException", f"The {kind} does not exist: {name}")


def invalid(message: str) -> LsError:
    return LsError("InvalidInputException", message)


@dataclass
class AutoSnap:
    date: str  # YYYY-MM-DD, the key Lightsail uses
    created_at: datetime
    size_gb: int
    disks: list[tuple[str, int]] = field(default_factory=list)  # (path, sizeInGb)


@dataclass
class AutoAddOn:
    time_of_day: str  # "HH:00" UTC
    enabled_at: datetime
    snaps: dict[str, AutoSnap] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)  # dates a user deleted: never come back
    taken_until: datetime | None = None  # schedule processed up to here (rotated-out stay out)


@dataclass
class Instance:
    name: str
    arn: str
    az: str
    created_at: datetime
    blueprint_id: str
    blueprint_name: str
    bundle_id: str
    disk_gb: int
    key_pair: str
    tags: Tags = field(default_factory=dict)
    ip: str = "203.0.113.10"
    username: str = "bitnami"
    auto: AutoAddOn | None = None
    ready_at: datetime | None = None


@dataclass
class Disk:
    name: str
    arn: str
    az: str
    created_at: datetime
    size_gb: int
    tags: Tags = field(default_factory=dict)
    attached_to: str = ""
    path: str = ""
    auto: AutoAddOn | None = None
    ready_at: datetime | None = None


@dataclass
class Snapshot:
    """A manual snapshot; ``kind`` is the resourceType: InstanceSnapshot or DiskSnapshot."""

    name: str
    arn: str
    kind: str
    az: str
    created_at: datetime
    ready_at: datetime
    size_gb: int
    from_name: str
    from_arn: str
    from_blueprint: str = ""
    from_bundle: str = ""
    from_disks: list[tuple[str, str, int]] = field(default_factory=list)  # (name, path, GB)
    from_instance: str = ""  # a disk snapshot's instance, when taken of a system disk
    is_from_auto: bool = False
    tags: Tags = field(default_factory=dict)


@dataclass
class Region:
    name: str
    instances: dict[str, Instance] = field(default_factory=dict)
    disks: dict[str, Disk] = field(default_factory=dict)
    snapshots: dict[str, Snapshot] = field(default_factory=dict)  # manual, both kinds
    key_pairs: set[str] = field(default_factory=set)
    clock_offset: timedelta = field(default_factory=timedelta)

    @property
    def zones(self) -> tuple[str, ...]:
        return (f"{self.name}a", f"{self.name}b", f"{self.name}c")


class Store:
    """Every Lightsail region of the demo world; one lock, requests are small."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.regions: dict[str, Region] = {}
        self.account = "123456789012"
        self.pending_for = timedelta(seconds=2)
        self.page_size = PAGE_SIZE
        # Test hook: regions that answer AccessDeniedException (a policy scoped to regions).
        self.denied_regions: set[str] = set()
        self._anchor = datetime.now(UTC)
        self._mono = time.monotonic()
        self._active = timedelta()  # the clock offset of the region being answered
        self._counter = 0

    # --- the clock ------------------------------------------------------------------------

    def set_now(self, now: datetime) -> None:
        with self.lock:
            self._anchor = now.astimezone(UTC)
            self._mono = time.monotonic()

    def advance(self, delta: timedelta, region: str) -> None:
        with self.lock:
            self.region(region).clock_offset += delta

    def answering(self, region: Region) -> None:
        """Called under ``lock`` at the start of a request: "now" is that region's now."""
        self._active = region.clock_offset

    def now(self) -> datetime:
        return self._anchor + timedelta(seconds=time.monotonic() - self._mono) + self._active

    # --- records --------------------------------------------------------------------------

    def region(self, name: str) -> Region:
        with self.lock:
            if name not in self.regions:
                self.regions[name] = Region(name, key_pairs={"LightsailDefaultKeyPair"})
            return self.regions[name]

    def new_id(self, *parts: str) -> str:
        """Deterministic ids: the same seed and the same requests give the same ids."""
        with self.lock:
            self._counter += 1
            return str(uuid.uuid5(_NS, "/".join((*parts, str(self._counter)))))

    def arn(self, region: str, kind: str, name: str) -> str:
        return f"arn:aws:lightsail:{region}:{self.account}:{kind}/{self.new_id(kind, name)}"

    def is_ready(self, ready_at: datetime | None) -> bool:
        return ready_at is None or self.now() >= ready_at

    def progress(self, created_at: datetime, ready_at: datetime) -> str:
        if self.is_ready(ready_at):
            return "100%"
        total = (ready_at - created_at).total_seconds() or 1.0
        done = (self.now() - created_at).total_seconds()
        return f"{max(0, min(99, int(100 * done / total)))}%"

    def roll_autos(self, region: Region) -> None:
        """Take the automatic snapshots that came due and drop all but the 7 newest."""
        now = self.now()
        resources: list[Instance | Disk] = [*region.instances.values(), *region.disks.values()]
        for resource in resources:
            addon = resource.auto
            if addon is not None:
                _roll(addon, now, _auto_size(resource), _auto_disks(region, resource))


def _auto_size(resource: Instance | Disk) -> int:
    return resource.disk_gb if isinstance(resource, Instance) else resource.size_gb


def _auto_disks(region: Region, resource: Instance | Disk) -> list[tuple[str, int]]:
    if not isinstance(resource, Instance):
        return []
    return [(d.path, d.size_gb) for d in region.disks.values() if d.attached_to == resource.name]


def _roll(addon: AutoAddOn, now: datetime, size_gb: int, disks: list[tuple[str, int]]) -> None:
    hour = int(addon.time_of_day[:2])
    first = max(addon.enabled_at.date(), (now - timedelta(days=AUTO_KEEP + 1)).date())
    day: date = first
    since = addon.taken_until or addon.enabled_at
    while day <= now.date():
        at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
        key = day.isoformat()
        if since < at <= now and key not in addon.snaps and key not in addon.deleted:
            addon.snaps[key] = AutoSnap(key, at, size_gb, list(disks))
        day += timedelta(days=1)
    addon.taken_until = max(since, now)
    for key in sorted(addon.snaps)[:-AUTO_KEEP]:
        del addon.snaps[key]


STORE = Store()
# Every other account of the demo's organization has a Lightsail of its own, empty at first
# (a new AWS account has no instances), as demo/accounts.py gives it its own services.
_MEMBERS: dict[str, Store] = {}
_MEMBERS_LOCK = threading.Lock()


def reset() -> Store:
    """A fresh, empty Lightsail (with the demo server's moto reset)."""
    global STORE
    STORE = Store()
    with _MEMBERS_LOCK:
        _MEMBERS.clear()
    return STORE


def store(account: str | None = None) -> Store:
    """The home account's store, or ``account``'s own (``None``: the home account)."""
    if account is None:
        return STORE
    with _MEMBERS_LOCK:
        return _MEMBERS.setdefault(account, Store())
