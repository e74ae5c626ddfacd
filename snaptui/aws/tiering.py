"""Archive tier and Recycle Bin: archive a snapshot, bring it back, recover a deleted one.

Several of these APIs are missing from some endpoints (moto answers HTTP 500): the functions
then raise ActionError of kind NOT_SUPPORTED, which the UI shows as "not supported by this
endpoint". The cost effect of a tier change is computed here too, from the cost module's rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from snaptui.aws import lookup
from snaptui.aws.calls import aws_call, call, invalid
from snaptui.aws.session import AwsContext
from snaptui.core import validate
from snaptui.cost import money
from snaptui.cost.pricing import Prices
from snaptui.models import Snapshot


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


# --- cost effect -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArchiveEffect:
    """USD figures shown before archiving: per month, the 90-day minimum, and break-even."""

    standard_saved_monthly: float  # what leaves the standard tier (what deleting would free)
    archive_monthly: float  # the full-size copy in the archive tier
    net_monthly: float  # positive: archiving saves money every month
    minimum_charge: float  # archive storage for the 90-day minimum
    break_even_days: float | None  # None: archiving never pays off


def archive_effect(freed_bytes: int, full_bytes: int, prices: Prices) -> ArchiveEffect:
    return ArchiveEffect(
        standard_saved_monthly=money.monthly_cost(freed_bytes, prices.standard),
        archive_monthly=money.monthly_cost(full_bytes, prices.archive),
        net_monthly=money.archive_monthly_saving(freed_bytes, full_bytes, prices),
        minimum_charge=money.monthly_cost(full_bytes, prices.archive)
        * money.ARCHIVE_MINIMUM_DAYS
        / money.DAYS_PER_MONTH,
        break_even_days=money.archive_break_even_days(freed_bytes, full_bytes, prices),
    )


@dataclass(frozen=True, slots=True)
class RestoreEffect:
    retrieval: float  # one-off, on the full size
    standard_monthly: float  # the restored full copy in the standard tier
    temporary_total: float | None  # temporary: retrieval + standard for the days (archive stays)


def restore_effect(full_bytes: int, prices: Prices, days: int | None) -> RestoreEffect:
    retrieval = money.restore_cost(full_bytes, prices.retrieval)
    standard = money.monthly_cost(full_bytes, prices.standard)
    temporary = None
    if days is not None:
        # A temporary restore bills both tiers: the archive copy keeps its own charge.
        temporary = retrieval + standard * days / money.DAYS_PER_MONTH
    return RestoreEffect(retrieval, standard, temporary)


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
