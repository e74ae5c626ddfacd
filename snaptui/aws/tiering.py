"""Archive tier and Recycle Bin: archive a snapshot, bring it back, recover a deleted one.

Several of these APIs are missing from some endpoints (moto answers HTTP 500): the functions
then raise ActionError of kind NOT_SUPPORTED, which the UI shows as "not supported by this
endpoint". The cost effect of a tier change is cost/tier_effects.py (re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from snaptui.aws import lookup
from snaptui.aws.calls import aws_call, call, invalid
from snaptui.aws.session import AwsContext
from snaptui.core import validate
from snaptui.cost.tier_effects import ArchiveEffect, RestoreEffect, archive_effect, restore_effect
from snaptui.models import Snapshot

__all__ = [
    "ArchiveEffect",
    "RecycledSnapshot",
    "RestoreEffect",
    "TierChange",
    "archive_effect",
    "archive_snapshot",
    "list_recycle_bin",
    "recover_from_recycle_bin",
    "restore_effect",
    "restore_from_archive",
]


@dataclass(frozen=True, slots=True)
class TierChange:
    snapshot_id: str
    region: str
    started: datetime | None
    permanent: bool = False
    restore_days: int | None = None


def archive_snapshot(ctx: AwsContext, region: str, snapshot_id: str) -> TierChange:
    """ModifySnapshotTier to archive: completed, standard-tier snapshots only."""
    snap = lookup.snapshot(ctx, region, snapshot_id)
    errors = validate.merge(
        None if snap.state == "completed" else {"snapshot_id": "the snapshot is not completed"},
        None
        if snap.storage_tier == "standard"
        else {"snapshot_id": f"the snapshot is already in the {snap.storage_tier} tier"},
    )
    if errors:
        raise invalid(errors, region, "ModifySnapshotTier")
    out = call(
        ctx.client("ec2", region),
        "ModifySnapshotTier",
        region,
        SnapshotId=snap.id,
        StorageTier="archive",
    )
    return TierChange(snap.id, region, out.get("TieringStartTime"))


def restore_from_archive(
    ctx: AwsContext, region: str, snapshot_id: str, days: int | None
) -> TierChange:
    """RestoreSnapshotTier: temporarily for ``days`` (1-180), or permanently when None."""
    snap = lookup.snapshot(ctx, region, snapshot_id)
    errors = validate.merge(
        validate.check_restore_days(days),
        None if snap.storage_tier == "archive" else {"snapshot_id": "the snapshot is not archived"},
    )
    if errors:
        raise invalid(errors, region, "RestoreSnapshotTier")
    params: dict[str, Any] = {"SnapshotId": snap.id}
    if days is None:
        params["PermanentRestore"] = True
    else:
        params["TemporaryRestoreDays"] = days
    out = call(ctx.client("ec2", region), "RestoreSnapshotTier", region, **params)
    return TierChange(
        snap.id,
        region,
        out.get("RestoreStartTime"),
        permanent=bool(out.get("IsPermanentRestore", days is None)),
        restore_days=out.get("RestoreDuration", days),
    )


# --- cost effect: pure arithmetic, in cost/tier_effects.py ---------------------------------

# --- Recycle Bin -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecycledSnapshot:
    snapshot_id: str
    region: str
    volume_id: str
    description: str
    recycle_bin_enter_time: datetime | None
    recycle_bin_exit_time: datetime | None  # when it is gone for good


def list_recycle_bin(ctx: AwsContext, region: str) -> list[RecycledSnapshot]:
    """Deleted snapshots still recoverable in ``region`` (every page)."""
    ec2 = ctx.client("ec2", region)
    out: list[RecycledSnapshot] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {"MaxResults": 1000}
        if token:
            params["NextToken"] = token
        with aws_call(region, "ListSnapshotsInRecycleBin"):
            page = ec2.list_snapshots_in_recycle_bin(**params)
        out.extend(
            RecycledSnapshot(
                snapshot_id=str(s["SnapshotId"]),
                region=region,
                volume_id=str(s.get("VolumeId", "")),
                description=str(s.get("Description", "")),
                recycle_bin_enter_time=s.get("RecycleBinEnterTime"),
                recycle_bin_exit_time=s.get("RecycleBinExitTime"),
            )
            for s in page.get("Snapshots", ())
        )
        token = page.get("NextToken")
        if not token:
            return out


def recover_from_recycle_bin(ctx: AwsContext, region: str, snapshot_id: str) -> Snapshot:
    """RestoreSnapshotFromRecycleBin; returns the snapshot as it now is."""
    bad = validate.check_id(snapshot_id, "snapshot", region)
    if bad:
        raise invalid(bad, region, "RestoreSnapshotFromRecycleBin")
    call(ctx.client("ec2", region), "RestoreSnapshotFromRecycleBin", region, SnapshotId=snapshot_id)
    return lookup.snapshot(ctx, region, snapshot_id)
