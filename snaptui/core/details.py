"""The fields the detail panel shows for each kind of item, as (label, value) rows.

Kept free of Textual so the same facts can be printed headless and tested as plain data.
"""

from __future__ import annotations

from datetime import UTC, datetime

from snaptui.core import fmt, protection
from snaptui.core.browse import Fleet, is_copy
from snaptui.core.copies import copy_source, progress_text
from snaptui.models import (
    Instance,
    Problem,
    ProblemKind,
    RecoveryPoint,
    RegionInventory,
    SharedWith,
    Snapshot,
    Volume,
)

# The operation a failed public check is recorded under (aws/inventory.py asks it).
PUBLIC_CHECK = "DescribeSnapshots (public check)"

Row = tuple[str, str]


def _tags(tags: dict[str, str]) -> list[Row]:
    if not tags:
        return [("Tags", "(none)")]
    return [(f"  {k}", v) for k, v in sorted(tags.items())]


def _encryption(encrypted: bool, kms_key_id: str) -> str:
    if not encrypted:
        return "no"
    return f"yes, {kms_key_id}" if kms_key_id else "yes (default key)"


def snapshot_rows(
    s: Snapshot,
    fleet: Fleet,
    now: datetime | None = None,
    shared: str | None = None,
    backup: str | None = None,
) -> list[Row]:
    """shared, backup: the "Shared with" and "Backup plan" texts (shared_text, backup_text),
    where the caller looks them up."""
    vol = fleet.volumes_by_id.get(s.volume_id)
    if vol is not None and vol.region == s.region:
        source = f"{s.volume_id} {vol.name}".strip()
        inst = fleet.instance_of(vol)
        from_instance = f"{inst.id} {inst.name}".strip() if inst else "(not attached)"
    else:
        source = f"{s.volume_id} (gone)"
        from_instance = "-"
    amis = fleet.images_using(s.id)
    state = progress_text(s, now or datetime.now(UTC))
    rows: list[Row] = [
        ("Snapshot", s.id),
        ("Name", s.name or "-"),
        ("State", state),
        ("Region", s.region),
        ("Volume", source),
        ("Instance", from_instance),
        ("Volume size", fmt.gib(s.volume_size_gib)),
        ("Written data", fmt.size(s.full_size_bytes)),
        ("Tier", s.storage_tier),
        ("Encrypted", _encryption(s.encrypted, s.kms_key_id)),
        ("Started", f"{fmt.ago(s.start_time, now)} · {fmt.local_time(s.start_time)}"),
        ("Description", s.description or "-"),
        ("Owner", s.owner_id or "-"),
        ("AMIs", ", ".join(f"{i.id} ({i.name})" for i in amis) if amis else "none"),
        ("Managed by", protection.manager(s, fleet).text),
        ("Recycle Bin", protection.bin_rule(s, fleet)[1]),
    ]
    # What matters (a copy's source, public, locked) goes near the top, so an 80x24 detail
    # panel shows it without scrolling; the rest at the end.
    public, lock, copies, fast, share = (
        [("Public", public_text(s, fleet))],
        [("Lock", lock_text(s))],
        copy_rows(s, fleet),
        [("Fast restore", protection.fast_restore_text(s, fleet))],
        [("Shared with", shared)] if shared is not None else [],
    )
    # AWS Backup's plan deletes it on its own schedule: said before anything else.
    top = (
        ([("Backup plan", backup)] if backup is not None else [])
        + (copies if is_copy(s) else [])
        + (public if s.public else [])
        + (share if shared and shared[0].isdigit() else [])  # names accounts
        + (lock if s.lock else [])
        + (fast if protection.fast_restored(s, fleet) else [])
    )
    rows[3:3] = top
    rows += [row for row in (*public, *share, *lock, *copies, *fast) if row not in top]
    if s.restore_expiry_time is not None:
        rows.append(("Restored until", fmt.local_time(s.restore_expiry_time)))
    if fleet.is_orphan(s):
        rows.append(("Orphan", "yes: source volume gone and no AMI uses it"))
    return rows + [("Tags", "")] + _tags(s.tags)


def public_text(s: Snapshot, fleet: Fleet) -> str:
    """Whether anyone may create a volume from it; "unknown" with the reason, never "no"."""
    if s.public:
        return "YES: anyone can make a volume of it"
    if s.public is False:
        return "no"
    inv = fleet.inventories.get(s.region)
    for p in inv.problems if inv else ():
        if p.operation == PUBLIC_CHECK:
            if p.kind is ProblemKind.ACCESS_DENIED:
                return "unknown (no permission)"
            return f"unknown ({p.kind.value})"
    return "unknown (not checked yet)"


def shared_text(shared: SharedWith | None, asking: bool) -> str:
    """The accounts a snapshot is shared with, from DescribeSnapshotAttribute as asked."""
    if shared is None:
        return "asking AWS…" if asking else "not asked yet"  # one line: nothing shifts
    if shared.unknown:
        return f"unknown ({shared.unknown})"
    if not shared.accounts:
        return "everyone (public)" if shared.public else "no account"
    listed = ", ".join(shared.accounts)
    return f"{listed} and everyone (public)" if shared.public else listed


def backup_text(point: RecoveryPoint | None, asking: bool, now: datetime) -> str:
    """AWS Backup's plan, rule and vault of a recovery point, and when the plan deletes it."""
    if point is None:
        return "asking AWS Backup…" if asking else "not asked yet"
    if point.unknown:
        return f"unknown ({point.unknown})"
    made = f"{point.plan or 'no plan named'}" + (f", rule {point.rule}" if point.rule else "")
    text = f"{made}; vault {point.vault}"
    if point.delete_at is not None:
        when, said = point.delete_at, fmt.ago(point.delete_at, now)
        due = "deletes it" if when > now else "its deletion was due"
        text += f"; {due} {fmt.local_time(when)} ({said})"
    return text


def lock_text(s: Snapshot) -> str:
    if s.lock is None:
        return "unknown (not asked, or DescribeLockedSnapshots failed: see the region)"
    if not s.lock:
        return "none"
    return f"{s.lock} (delete refused)"


def copy_rows(s: Snapshot, fleet: Fleet) -> list[Row]:
    """Where a copy came from; for any other snapshot, which regions hold copies of it."""
    src = copy_source(s)
    if src is not None:
        here = src.snapshot_id in fleet.snapshots_by_id
        gone = "" if here else " (not in the inventory)"
        return [("Copy of", f"{src.snapshot_id} in {src.region}{gone}, from its {src.evidence}")]
    if is_copy(s):
        return [("Copy of", "unknown (no snaptui marker, description rewritten)")]
    copies = fleet.copies_by_source.get(s.id, [])
    if not copies:
        return [("DR copies", "none")]
    return [("DR copies", ", ".join(f"{c.id} in {c.region}" for c in copies))]


def volume_dr(v: Volume, fleet: Fleet) -> str:
    """Whether the volume's data exists outside its region (a copy of one of its snapshots)."""
    regions: set[str] = set()
    for snap in fleet.snapshots_by_volume.get(v.id, []):
        if snap.region != v.region:
            regions.add(snap.region)  # a copy keeps its source's VolumeId on most endpoints
        regions.update(c.region for c in fleet.copies_by_source.get(snap.id, []))
    regions.discard(v.region)
    if regions:
        return "yes: " + ", ".join(sorted(regions))
    return f"no: snapshots in {v.region} only" if fleet.snapshots_by_volume.get(v.id) else "no"


def volume_rows(v: Volume, fleet: Fleet, now: datetime | None = None) -> list[Row]:
    perf = []
    if v.iops:
        perf.append(f"{v.iops} IOPS")
    if v.throughput:
        perf.append(f"{v.throughput} MiB/s")
    attached = (
        ", ".join(f"{a.instance_id} at {a.device} ({a.state})" for a in v.attachments)
        or "not attached"
    )
    snaps = fleet.snapshots_by_volume.get(v.id, [])
    newest = max((s.start_time for s in snaps), default=None)
    rows: list[Row] = [
        ("Volume", v.id),
        ("Name", v.name or "-"),
        ("State", v.state),
        ("Region / AZ", f"{v.region} / {v.az}"),
        ("Size", fmt.gib(v.size_gib)),
        ("Type", " ".join([v.volume_type, *perf])),
        ("Encrypted", _encryption(v.encrypted, v.kms_key_id)),
        ("Attached", attached),
        ("From snapshot", v.snapshot_id or "-"),
        ("Created", fmt.local_time(v.create_time)),
        ("Snapshots", f"{len(snaps)}, newest {fmt.ago(newest, now)}" if snaps else "none"),
        ("DR copy", volume_dr(v, fleet)),
    ]
    return rows + [("Tags", "")] + _tags(v.tags)


def instance_rows(i: Instance, fleet: Fleet, now: datetime | None = None) -> list[Row]:
    def device(dev: str, vid: str) -> str:
        vol = fleet.volumes_by_id.get(vid)
        return f"{dev} {vid} {vol.size_gib if vol else '?'} GiB"

    devices = [device(dev, vid) for dev, vid in sorted(i.block_devices.items())]
    rows: list[Row] = [
        ("Instance", i.id),
        ("Name", i.name or "-"),
        ("State", i.state),
        ("Type", i.instance_type),
        ("Region / AZ", f"{i.region} / {i.az}"),
        ("Launched", f"{fmt.ago(i.launch_time, now)} · {fmt.local_time(i.launch_time)}"),
        ("Root device", i.root_device_name or "-"),
        ("Image", i.image_id or "-"),
        ("Volumes", "; ".join(devices) or "none"),
    ]
    return rows + [("Tags", "")] + _tags(i.tags)


def region_rows(inv: RegionInventory, fleet: Fleet) -> list[Row]:
    rows: list[Row] = [
        ("Region", inv.region),
        ("Instances", str(len(inv.instances))),
        ("Volumes", str(len(inv.volumes))),
        ("Snapshots", str(len(inv.snapshots))),
        ("Orphans", str(fleet.orphan_count(inv.region))),
        ("AMIs", str(len(inv.images))),
        ("Refreshed", fmt.local_time(inv.fetched_at)),
    ]
    rows += problem_rows(inv.problems)
    return rows


def problem_rows(problems: list[Problem]) -> list[Row]:
    return [("Error", str(p)) for p in problems]
