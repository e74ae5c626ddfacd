"""Shared scaffolding for the action tests: a small world in a scratch region, made and checked
with a plain boto3 client (never snaptui's own), plus the audit-log helpers.

The tests at the bottom check the scaffolding itself, so a broken helper fails loudly here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from snaptui.aws.session import AwsContext
from snaptui.aws.waiting import WaitOptions
from snaptui.demo.server import DemoServer
from tests.conftest import client

FAST = WaitOptions(delay=0.01, timeout=5.0)


@dataclass(frozen=True)
class World:
    region: str
    az: str
    image_id: str
    instance_id: str
    volume_id: str  # a 10 GiB data volume attached at /dev/sdf
    snapshot_id: str  # a snapshot of that volume
    ec2: Any  # a separate checking client


def build_world(server: DemoServer, region: str) -> World:
    ec2: Any = client(server, "ec2", region)
    az = f"{region}a"
    image = ec2.register_image(
        Name="test-base",
        RootDeviceName="/dev/xvda",
        Architecture="x86_64",
        VirtualizationType="hvm",
    )["ImageId"]
    instance = ec2.run_instances(
        ImageId=image,
        InstanceType="t3.small",
        MinCount=1,
        MaxCount=1,
        Placement={"AvailabilityZone": az},
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "app"}]}],
    )["Instances"][0]["InstanceId"]
    volume = ec2.create_volume(AvailabilityZone=az, Size=10, VolumeType="gp3")["VolumeId"]
    ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")
    snapshot = ec2.create_snapshot(VolumeId=volume, Description="data")["SnapshotId"]
    return World(region, az, image, instance, volume, snapshot, ec2)


def audit_lines(path: Path) -> list[dict[str, Any]]:
    import json

    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def mutations(ctx: AwsContext) -> list[dict[str, Any]]:
    """Every mutating call snaptui sent (or refused) through this context: its outcome line.

    Each sent call also has an "intent" line written before it went out (same ``id``);
    tests of the intent itself read ``audit_lines``.
    """
    assert ctx.target.audit_path is not None
    return [r for r in audit_lines(ctx.target.audit_path) if r["outcome"] != "intent"]


def seeded_snapshot(server: DemoServer, region: str = "us-east-1", encrypted: bool = False) -> str:
    """A completed, standard-tier snapshot of the seed (read only: never change the seed)."""
    ec2: Any = client(server, "ec2", region)
    for snap in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]:
        if (
            snap["State"] == "completed"
            and snap.get("StorageTier", "standard") == "standard"
            and bool(snap.get("Encrypted")) == encrypted
            and snap.get("Tags")
        ):
            return str(snap["SnapshotId"])
    raise AssertionError("the seed has no such snapshot")


@pytest.fixture(name="world")
def world_fixture(demo_server: DemoServer, scratch_region: str) -> World:
    """Import ``world_fixture`` into a test module to use the ``world`` fixture."""
    return build_world(demo_server, scratch_region)


def test_world_is_built_with_a_separate_client(world: World, demo_ctx: AwsContext) -> None:
    volumes = world.ec2.describe_volumes(VolumeIds=[world.volume_id])["Volumes"]
    assert volumes[0]["Attachments"][0]["Device"] == "/dev/sdf"
    # Nothing of it went through snaptui, so its audit log is empty.
    assert mutations(demo_ctx) == []
