"""AWS Backup's side of a snapshot as aws/protection.recovery_point reads it from the demo
world: the plan, rule, vault and deletion date of a recovery point; "unknown" with the reason
when Backup does not list it or is denied, never a plan it did not name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from snaptui.aws import protection
from snaptui.aws.session import AwsContext
from snaptui.demo.backup_points import SOURCE_TAG
from snaptui.demo.server import DemoServer
from tests.conftest import client


def _backup_snapshot(server: DemoServer, region: str) -> tuple[str, str, Any]:
    ec2: Any = client(server, "ec2", region)
    vol = str(ec2.create_volume(AvailabilityZone=f"{region}a", Size=2)["VolumeId"])
    arn = f"arn:aws:ec2:{region}:123456789012:volume/{vol}"
    spec = [{"ResourceType": "snapshot", "Tags": [{"Key": SOURCE_TAG, "Value": arn}]}]
    sid = str(ec2.create_snapshot(VolumeId=vol, TagSpecifications=spec)["SnapshotId"])
    return arn, sid, ec2


def test_a_recovery_point_names_its_plan_vault_and_deletion(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    arn, sid, ec2 = _backup_snapshot(demo_server, scratch_region)
    point = protection.recovery_point(demo_ctx, scratch_region, arn, sid)
    started = ec2.describe_snapshots(SnapshotIds=[sid])["Snapshots"][0]["StartTime"]
    assert (point.plan, point.rule, point.vault, point.unknown) == (
        "bastion-weekly-90d",
        "weekly",
        "Default",
        "",
    )
    assert point.delete_at == started + timedelta(days=90)


def test_unlisted_or_denied_is_unknown_with_the_reason(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    arn, sid, _ = _backup_snapshot(demo_server, scratch_region)
    other = arn.replace("vol-", "vol-0000")  # a volume Backup holds nothing of
    unlisted = protection.recovery_point(demo_ctx, scratch_region, other, sid)
    assert (unlisted.unknown, unlisted.plan) == ("AWS Backup does not list it", "")
    demo_server.services.routes.denied.add(("backup", scratch_region))
    try:
        denied = protection.recovery_point(demo_ctx, scratch_region, arn, sid)
    finally:
        demo_server.services.routes.denied.discard(("backup", scratch_region))
    assert (denied.unknown, denied.plan, denied.vault) == ("no permission", "", "")
