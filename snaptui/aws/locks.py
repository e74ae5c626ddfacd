"""EBS snapshot lock: LockSnapshot and UnlockSnapshot (what is locked: snapshot_ops, inventory).

Both are idempotent in effect: locking again replaces the lock's settings (AWS allows that
except for a compliance lock after its cooling-off), unlocking an unlocked snapshot is a no-op.
"""

from __future__ import annotations

from typing import Any

from snaptui.aws.session import AwsContext


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
