"""Plain data for Lightsail: instances, disks and their snapshots (manual and automatic)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from snaptui.models import Problem, Tags


class SnapKind(enum.Enum):
    INSTANCE = "instance"  # a manual instance snapshot (system disk + attached disks)
    DISK = "disk"  # a manual disk snapshot
    AUTO = "auto"  # an automatic snapshot, named by (resource, date)


@dataclass(slots=True, frozen=True)
class AutoSnapshotAddOn:
    enabled: bool
    time_of_day: str = ""  # "HH:00" UTC


@dataclass(slots=True)
class LsInstance:
    name: str
    region: str
    arn: str
    az: str
    state: str
    blueprint_id: str
    blueprint_name: str
    bundle_id: str
    system_disk_gb: int
    key_pair: str = ""
    public_ip: str = ""
    username: str = ""
    created_at: datetime | None = None
    auto: AutoSnapshotAddOn = AutoSnapshotAddOn(False)
    tags: Tags = field(default_factory=dict)
    disk_paths: dict[str, str] = field(default_factory=dict)  # attached disk name -> path


@dataclass(slots=True)
class LsDisk:
    name: str
    region: str
    arn: str
    az: str
    state: str
    size_gb: int
    attached_to: str = ""
    path: str = ""
    created_at: datetime | None = None
    auto: AutoSnapshotAddOn = AutoSnapshotAddOn(False)
    tags: Tags = field(default_factory=dict)


@dataclass(slots=True)
class LsSnapshot:
    """One restore point. Automatic ones have no ARN of their own: (source, date) names them."""

    name: str
    region: str
    kind: SnapKind
    state: str  # pending | available | completed | error | Success | InProgress | Failed
    created_at: datetime
    size_gb: int
    source_name: str  # instance or disk it was taken of
    source_kind: str = "Instance"  # Instance | Disk
    arn: str = ""
    progress: str = ""
    from_auto: bool = False  # a manual copy of an automatic snapshot
    auto_date: str = ""  # YYYY-MM-DD, automatic snapshots only
    bundle_id: str = ""
    blueprint_id: str = ""
    az: str = ""
    attached_disks: tuple[tuple[str, int], ...] = ()  # (path or name, GB)
    tags: Tags = field(default_factory=dict)

    @property
    def is_auto(self) -> bool:
        return self.kind is SnapKind.AUTO

    @property
    def ready(self) -> bool:
        return self.state in ("available", "completed", "Success")

    @property
    def key(self) -> str:
        """Unique within a region: manual names are unique, automatic ones by source+date."""
        return f"auto:{self.source_name}:{self.auto_date}" if self.is_auto else self.name


@dataclass(slots=True)
class LsRegionInventory:
    region: str
    instances: list[LsInstance] = field(default_factory=list)
    disks: list[LsDisk] = field(default_factory=list)
    snapshots: list[LsSnapshot] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fetched_at: datetime | None = None
