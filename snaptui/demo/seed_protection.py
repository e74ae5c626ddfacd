"""Who can see and who can delete the demo's snapshots, made last (every other seeded id stays
as it was).

Two of staging's manual snapshots carry the risks a review must find, as on a real account:
one was made public (createVolumePermission group "all") to hand data to a vendor, and one is
shared with an account that is not ours. Both through ModifySnapshotAttribute, as on AWS.
The oldest DR copy of db-1 is locked in compliance mode for ten years from the seed's "now"
(LockSnapshot with an ExpirationDate, through the demo's lock layer; a regulated retention):
nobody can delete it until then. A fixed date, so what the detail panel shows is the same on
any day the tests run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

PUBLIC_DESCRIPTION = "staging data before schema migration v42"
SHARED_DESCRIPTION = "before re-index, keep until Q1"
OTHER_ACCOUNT = "210987654321"  # not an account of this organization


def _by_description(ec2: Any, description: str) -> str:
    snaps = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    return next(str(s["SnapshotId"]) for s in snaps if s.get("Description") == description)


def seed_sharing(client: Any, region: str = "us-east-1") -> tuple[str, str]:
    """Make one snapshot public and share another; returns (public id, shared id)."""
    ec2 = client("ec2", region)
    public = _by_description(ec2, PUBLIC_DESCRIPTION)
    ec2.modify_snapshot_attribute(
        SnapshotId=public,
        Attribute="createVolumePermission",
        OperationType="add",
        GroupNames=["all"],
    )
    shared = _by_description(ec2, SHARED_DESCRIPTION)
    ec2.modify_snapshot_attribute(
        SnapshotId=shared,
        Attribute="createVolumePermission",
        OperationType="add",
        UserIds=[OTHER_ACCOUNT],
    )
    return public, shared


LOCK_YEARS = 10


def seed_lock(client: Any, copy_id: str, now: datetime, region: str = "eu-west-1") -> str:
    """Lock a DR copy in compliance mode, no cooling-off: deleting it is refused."""
    until = now.replace(year=now.year + LOCK_YEARS, month=1, day=1, hour=0, minute=0, second=0)
    client("ec2", region).lock_snapshot(
        SnapshotId=copy_id, LockMode="compliance", ExpirationDate=until
    )
    return copy_id
