"""EBS snapshot lock: every lock a region reports, LockSnapshot and UnlockSnapshot.

Both are idempotent in effect: locking again replaces the lock's settings (AWS allows that
except for a compliance lock after its cooling-off), unlocking an unlocked snapshot is a no-op.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from snaptui.aws.session import AwsContext

LOCKED_STATES = frozenset({"compliance", "governance", "compliance-cooloff"})  # not "expired"


def lock_infos(ec2: Any, snapshot_ids: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
    """Every lock DescribeLockedSnapshots reports (all of the region's, or of these ids, 1000
    at a time); botocore has no paginator for it, so NextToken is followed here."""
    ids = list(snapshot_ids)
    for start in range(0, max(len(ids), 1), 1000):
        params: dict[str, Any] = (
            {"SnapshotIds": ids[start : start + 1000]} if ids else {"MaxResults": 1000}
        )
        while True:
            page = ec2.describe_locked_snapshots(**params)
            yield from page.get("Snapshots", ())
            token = page.get("NextToken")
            if not token:
                break
            params["NextToken"] = token


def lock_snapshot(
    ctx: AwsContext, region: str, snapshot_id: str, mode: str, days: int, cool_off: int | None
) -> str:
    """Lock; returns the lock state AWS reports (governance, compliance-cooloff, compliance)."""
    params: dict[str, Any] = {"SnapshotId": snapshot_id, "LockMode": mode, "LockDuration": days}
    if cool_off:
        params["CoolOffPeriod"] = cool_off
    answer = ctx.client("ec2", region).lock_snapshot(**params)
    return str(answer.get("LockState", ""))


def unlock_snapshot(ctx: AwsContext, region: str, snapshot_id: str) -> None:
    ctx.client("ec2", region).unlock_snapshot(SnapshotId=snapshot_id)
