"""Who may create volumes from a snapshot (createVolumePermission), and taking public access away.

DescribeSnapshotAttribute answers per snapshot, so it is asked for one snapshot when the user
acts on it, never for a whole inventory (the inventory's public check is one query per region).
"""

from __future__ import annotations

from dataclasses import dataclass

from snaptui.aws.session import AwsContext


@dataclass(frozen=True, slots=True)
class Permissions:
    public: bool  # the group "all": any AWS account
    accounts: tuple[str, ...]  # accounts it is shared with explicitly


def volume_permissions(ctx: AwsContext, region: str, snapshot_id: str) -> Permissions:
    answer = ctx.client("ec2", region).describe_snapshot_attribute(
        SnapshotId=snapshot_id, Attribute="createVolumePermission"
    )
    perms = answer.get("CreateVolumePermissions", ())
    return Permissions(
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
