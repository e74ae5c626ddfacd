"""Who may create volumes from a snapshot (createVolumePermission), and taking public access away.

DescribeSnapshotAttribute answers per snapshot, so it is asked for one snapshot when the user
acts on it, never for a whole inventory (the inventory's public check is one query per region).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from snaptui.aws import kms
from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.models import ProblemKind, SharedWith, Snapshot

PUBLIC = "all"  # the createVolumePermission group that is every AWS account


def volume_permissions(ctx: AwsContext, region: str, snapshot_id: str) -> SharedWith:
    """Who may create volumes from it: the group "all" (public) and the accounts named."""
    answer = ctx.client("ec2", region).describe_snapshot_attribute(
        SnapshotId=snapshot_id, Attribute="createVolumePermission"
    )
    perms = answer.get("CreateVolumePermissions", ())
    return SharedWith(
        snapshot_id,
        public=any(p.get("Group") == "all" for p in perms),
        accounts=tuple(sorted(str(p["UserId"]) for p in perms if p.get("UserId"))),
    )


def make_private(ctx: AwsContext, region: str, snapshot_id: str) -> None:
    """Remove the group "all"; accounts it is shared with explicitly keep their access.
    Idempotent: removing a permission that is not there changes nothing."""
    ctx.client("ec2", region).modify_snapshot_attribute(
        SnapshotId=snapshot_id,
        Attribute="createVolumePermission",
        OperationType="remove",
        GroupNames=["all"],
    )


def share(ctx: AwsContext, region: str, snapshot_id: str, who: str, *, add: bool) -> None:
    """Add or remove one account's createVolumePermission, or the group "all" (public).
    Idempotent both ways: adding what is there, or removing what is not, changes nothing."""
    target = {"GroupNames": ["all"]} if who == PUBLIC else {"UserIds": [who]}
    ctx.client("ec2", region).modify_snapshot_attribute(
        SnapshotId=snapshot_id,
        Attribute="createVolumePermission",
        OperationType="add" if add else "remove",
        **target,
    )


def is_default_key(ctx: AwsContext, region: str, kms_key_id: str) -> bool:
    """Whether the key is the AWS managed key aws/ebs (AWS refuses to share what it encrypts)."""
    keys = kms.list_keys(ctx, region)
    for choice in keys.choices:
        if kms_key_id in choice.refs:
            return kms.DEFAULT_EBS_ALIAS in choice.aliases
    return kms_key_id == kms.DEFAULT_EBS_ALIAS


def lookup(ctx: AwsContext, region: str, snapshot_id: str) -> SharedWith:
    """One snapshot's sharing; a failed lookup is an answer too: unknown, with why."""
    try:
        return volume_permissions(ctx, region, snapshot_id)
    except Exception as exc:  # that snapshot's answer, never raised to the caller
        problem = problem_from(exc, region, "DescribeSnapshotAttribute")
        denied = problem.kind is ProblemKind.ACCESS_DENIED
        return SharedWith(snapshot_id, unknown="no permission" if denied else str(problem))


def lookup_all(
    ctx: AwsContext, snapshots: Iterable[Snapshot], workers: int = 4
) -> dict[str, SharedWith]:
    """Every snapshot's sharing, a few calls at a time (the retry mode paces throttling)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = pool.map(lambda s: lookup(ctx, s.region, s.id), list(snapshots))
        return {answer.snapshot_id: answer for answer in answers}
