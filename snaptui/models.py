"""Plain data the whole app shares: what AWS told us, with no behaviour beyond derived names.

Every model is a slotted dataclass: the snapshot pane may hold 100k of them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

Tags = dict[str, str]


def name_tag(tags: Tags) -> str:
    return tags.get("Name", "")


@dataclass(slots=True, frozen=True)
class Region:
    name: str
    opt_in_status: str = "opt-in-not-required"


@dataclass(slots=True, frozen=True)
class Attachment:
    instance_id: str
    device: str
    state: str
    delete_on_termination: bool = False


@dataclass(slots=True)
class Instance:
    id: str
    region: str
    state: str
    instance_type: str
    az: str
    tags: Tags = field(default_factory=dict)
    launch_time: datetime | None = None
    architecture: str = ""
    platform: str = ""
    root_device_name: str = ""
    image_id: str = ""
    subnet_id: str = ""
    vpc_id: str = ""
    key_name: str = ""
    security_group_ids: tuple[str, ...] = ()
    ena_support: bool = False
    virtualization_type: str = ""
    # device name -> volume id, as in BlockDeviceMappings
    block_devices: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return name_tag(self.tags)

    @property
    def volume_ids(self) -> tuple[str, ...]:
        return tuple(self.block_devices.values())


@dataclass(slots=True)
class Volume:
    id: str
    region: str
    size_gib: int
    volume_type: str
    az: str
    state: str
    encrypted: bool = False
    kms_key_id: str = ""
    iops: int | None = None
    throughput: int | None = None
    snapshot_id: str = ""  # the snapshot it was created from, "" when blank
    create_time: datetime | None = None
    attachments: tuple[Attachment, ...] = ()
    tags: Tags = field(default_factory=dict)

    @property
    def name(self) -> str:
        return name_tag(self.tags)

    @property
    def instance_id(self) -> str:
        return self.attachments[0].instance_id if self.attachments else ""


@dataclass(slots=True)
class Snapshot:
    id: str
    region: str
    volume_id: str
    volume_size_gib: int
    state: str
    start_time: datetime
    owner_id: str = ""
    progress: str = ""
    description: str = ""
    encrypted: bool = False
    kms_key_id: str = ""
    storage_tier: str = "standard"
    # Size of all written blocks at snapshot time; None when AWS did not say (pending, old APIs).
    full_size_bytes: int | None = None
    data_encryption_key_id: str = ""
    restore_expiry_time: datetime | None = None
    tags: Tags = field(default_factory=dict)
    # Anyone may create a volume from it (createVolumePermission group "all"). None: not
    # known (not asked yet, or the region's public check failed: see its problems).
    public: bool | None = None
    # EBS snapshot lock: "" not locked, else e.g. "compliance until 2027-03-03" (AWS refuses
    # to delete it). None: not known (not asked yet, or DescribeLockedSnapshots failed).
    lock: str | None = None
    # A copy's TransferType ("standard" or "time-based") and, for a time-based one, the
    # minutes AWS promised to finish it in (CompletionDurationMinutes, from StartTime).
    transfer_type: str = ""
    completion_minutes: int | None = None

    @property
    def name(self) -> str:
        return name_tag(self.tags)


@dataclass(slots=True)
class Image:
    """An AMI; we care about which snapshots it keeps alive."""

    id: str
    region: str
    name: str
    state: str
    snapshot_ids: tuple[str, ...] = ()
    root_device_name: str = ""
    architecture: str = ""
    creation_date: str = ""


class ProblemKind(enum.Enum):
    ACCESS_DENIED = "access denied"
    THROTTLED = "throttled"
    REGION_DISABLED = "region disabled"
    UNREACHABLE = "endpoint unreachable"
    NO_CREDENTIALS = "no credentials"
    EXPIRED_CREDENTIALS = "credentials expired"
    NOT_SUPPORTED = "not supported by this endpoint"
    READ_ONLY = "read-only mode"
    INVALID = "invalid request"
    OTHER = "error"


@dataclass(slots=True, frozen=True)
class Problem:
    """An error from AWS, kept beside the data of the place where it happened."""

    kind: ProblemKind
    message: str
    region: str = ""
    operation: str = ""

    def __str__(self) -> str:
        where = f"{self.region}: " if self.region else ""
        op = f" ({self.operation})" if self.operation else ""
        return f"{where}{self.kind.value}{op}: {self.message}"


@dataclass(frozen=True, slots=True)
class DlmPolicy:
    """A Data Lifecycle Manager policy (dlm GetLifecyclePolicy), as far as snaptui shows it."""

    policy_id: str
    description: str
    state: str
    retain: str = ""  # "keeps 14", "keeps 30 days"; "" when no schedule says


@dataclass(frozen=True, slots=True)
class RetentionRule:
    """A Recycle Bin retention rule for EBS snapshots (rbin GetRule)."""

    identifier: str
    days: int
    resource_tags: tuple[tuple[str, str], ...] = ()
    exclude_tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class SharedWith:
    """Who else may create volumes from a snapshot (DescribeSnapshotAttribute), as asked.

    ``unknown`` is why AWS did not say (no permission, throttled): then public and accounts
    mean nothing, never "private".
    """

    snapshot_id: str
    public: bool = False
    accounts: tuple[str, ...] = ()
    unknown: str = ""


@dataclass(frozen=True, slots=True)
class RecoveryPoint:
    """AWS Backup's side of a snapshot it made (DescribeRecoveryPoint), as asked.

    ``unknown`` is why AWS Backup did not say (no permission, not listed): then the rest is "".
    """

    snapshot_id: str
    vault: str = ""
    plan: str = ""
    rule: str = ""
    delete_at: datetime | None = None
    unknown: str = ""


@dataclass(frozen=True, slots=True)
class FastRestore:
    """Fast snapshot restore of one snapshot in one AZ (DescribeFastSnapshotRestores)."""

    snapshot_id: str
    az: str
    state: str  # enabling | optimizing | enabled | disabling | disabled


@dataclass(slots=True)
class RegionInventory:
    """Everything one region answered, plus what it could not answer."""

    region: str
    instances: list[Instance] = field(default_factory=list)
    volumes: list[Volume] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fetched_at: datetime | None = None
    # True while the rows come from the on-disk cache (shown, never acted on) until a fetch
    # confirms them; fetched_at then says how old they are.
    cached: bool = False
    # What protects and manages the region's snapshots; None: not known (not asked, denied,
    # or the rows came from the cache).
    dlm_policies: dict[str, DlmPolicy] | None = None
    bin_rules: tuple[RetentionRule, ...] | None = None
    fast_restores: dict[str, tuple[FastRestore, ...]] | None = None
