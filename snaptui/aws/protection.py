"""What manages, keeps and speeds up a region's snapshots, read once per region beside the
inventory: DLM policies (dlm GetLifecyclePolicies, then GetLifecyclePolicy for each one's
retention), Recycle Bin retention rules (rbin, through aws/marking.recycle_bin_rules) and fast
snapshot restore states (ec2 DescribeFastSnapshotRestores, paged). Also AWS Backup's side of a
snapshot: its vault (ListRecoveryPointsByResource) when a delete needs it, and its vault, plan
and deletion date (then DescribeRecoveryPoint) for the snapshot the cursor rests on.
"""

from __future__ import annotations

from typing import Any

from snaptui.aws.errors import problem_from
from snaptui.aws.marking import recycle_bin_rules
from snaptui.aws.session import AwsContext
from snaptui.models import DlmPolicy, FastRestore, ProblemKind, RecoveryPoint, RetentionRule

__all__ = [
    "bin_rules",
    "delete_recovery_point",
    "dlm_policies",
    "fast_restores",
    "recovery_point",
    "recovery_point_vault",
]


def _retain(policy: dict[str, Any]) -> str:
    """What the policy's schedules keep: "keeps 14", "keeps 30 days"; "" when none says."""
    kept = []
    for schedule in (policy.get("PolicyDetails") or {}).get("Schedules") or ():
        rule = schedule.get("RetainRule") or {}
        if rule.get("Count"):
            kept.append(f"keeps {rule['Count']}")
        elif rule.get("Interval"):
            kept.append(f"keeps {rule['Interval']} {str(rule.get('IntervalUnit', '')).lower()}")
    return ", ".join(kept)


def dlm_policies(ctx: AwsContext, region: str) -> dict[str, DlmPolicy]:
    """The region's snapshot policies by id (GetLifecyclePolicies is not paged)."""
    dlm = ctx.client("dlm", region)
    out: dict[str, DlmPolicy] = {}
    for summary in dlm.get_lifecycle_policies().get("Policies", ()):
        pid = str(summary.get("PolicyId", ""))
        if not pid:
            continue
        whole = dlm.get_lifecycle_policy(PolicyId=pid).get("Policy") or {}
        out[pid] = DlmPolicy(
            pid, str(summary.get("Description", "")), str(summary.get("State", "")), _retain(whole)
        )
    return out


def bin_rules(ctx: AwsContext, region: str) -> tuple[RetentionRule, ...]:
    return tuple(recycle_bin_rules(ctx, region))


def fast_restores(ctx: AwsContext, region: str) -> dict[str, tuple[FastRestore, ...]]:
    """Fast snapshot restore per snapshot id, every page; disabled ones left out."""
    pages = ctx.client("ec2", region).get_paginator("describe_fast_snapshot_restores").paginate()
    out: dict[str, list[FastRestore]] = {}
    for page in pages:
        for d in page.get("FastSnapshotRestores", ()):
            state = str(d.get("State", ""))
            if state != "disabled":
                sid = str(d.get("SnapshotId", ""))
                out.setdefault(sid, []).append(
                    FastRestore(sid, str(d.get("AvailabilityZone", "")), state)
                )
    return {sid: tuple(sorted(rows, key=lambda r: r.az)) for sid, rows in out.items()}


def recovery_point_vault(ctx: AwsContext, region: str, source_arn: str, snapshot_id: str) -> str:
    """The vault holding the snapshot's recovery point; "" when Backup does not list it."""
    wanted = f"snapshot/{snapshot_id}"
    pages = ctx.client("backup", region).get_paginator("list_recovery_points_by_resource")
    for page in pages.paginate(ResourceArn=source_arn):
        for point in page.get("RecoveryPoints", ()):
            if str(point.get("RecoveryPointArn", "")).endswith(wanted):
                return str(point.get("BackupVaultName", ""))
    return ""


def recovery_point(
    ctx: AwsContext, region: str, source_arn: str, snapshot_id: str
) -> RecoveryPoint:
    """Vault, plan, rule and deletion date of the snapshot's recovery point; a failed lookup is
    an answer too (unknown, with why), never raised to the caller."""
    try:
        vault = recovery_point_vault(ctx, region, source_arn, snapshot_id)
        if not vault:
            return RecoveryPoint(snapshot_id, unknown="AWS Backup does not list it")
        got = ctx.client("backup", region).describe_recovery_point(
            BackupVaultName=vault, RecoveryPointArn=f"arn:aws:ec2:{region}::snapshot/{snapshot_id}"
        )
    except Exception as exc:  # that snapshot's answer, never raised
        problem = problem_from(exc, region, "backup")
        denied = problem.kind is ProblemKind.ACCESS_DENIED
        return RecoveryPoint(snapshot_id, unknown="no permission" if denied else str(problem))
    made_by = got.get("CreatedBy") or {}
    return RecoveryPoint(
        snapshot_id,
        vault=vault,
        plan=str(made_by.get("BackupPlanName") or made_by.get("BackupPlanId") or ""),
        rule=str(made_by.get("BackupRuleName") or ""),
        delete_at=(got.get("CalculatedLifecycle") or {}).get("DeleteAt"),
    )


def delete_recovery_point(ctx: AwsContext, region: str, vault: str, snapshot_id: str) -> None:
    """AWS Backup's delete of an EBS recovery point: it deletes the snapshot."""
    arn = f"arn:aws:ec2:{region}::snapshot/{snapshot_id}"
    ctx.client("backup", region).delete_recovery_point(BackupVaultName=vault, RecoveryPointArn=arn)
