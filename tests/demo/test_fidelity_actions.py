"""The action fidelity patches make the demo world answer as AWS documents (fidelity_actions.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from snaptui.demo import timed_copy
from snaptui.demo.server import DemoServer
from tests.aws.test_actions_world import World, world_fixture  # noqa: F401
from tests.conftest import client


def _register(w: World, snapshot_id: str, size: int | None = None, **kw: Any) -> str:
    ebs: dict[str, Any] = {"SnapshotId": snapshot_id, "DeleteOnTermination": True}
    if size is not None:
        ebs["VolumeSize"] = size
    return str(
        w.ec2.register_image(
            Name=kw.pop("Name", "from-snapshot"),
            RootDeviceName="/dev/xvda",
            Architecture="arm64",
            VirtualizationType="hvm",
            EnaSupport=True,
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": ebs}],
            **kw,
        )["ImageId"]
    )


def _snapshot_ids(w: World) -> set[str]:
    return {s["SnapshotId"] for s in w.ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}


# A. RegisterImage honours the block-device mapping.


def test_register_image_roots_the_ami_in_the_chosen_snapshot(world: World) -> None:
    before = _snapshot_ids(world)
    image_id = _register(
        world,
        world.snapshot_id,
        TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "k", "Value": "v"}]}],
    )

    image = world.ec2.describe_images(ImageIds=[image_id])["Images"][0]
    assert image["RootDeviceName"] == "/dev/xvda"
    assert image["Architecture"] == "arm64"
    assert image["VirtualizationType"] == "hvm"
    assert image["EnaSupport"] is True
    assert image["Tags"] == [{"Key": "k", "Value": "v"}]
    [mapping] = image["BlockDeviceMappings"]
    assert mapping["DeviceName"] == "/dev/xvda"
    assert mapping["Ebs"]["SnapshotId"] == world.snapshot_id
    assert mapping["Ebs"]["VolumeSize"] == 10  # the snapshot's size, not moto's 15 GiB
    # No snapshot of moto's own was left behind.
    assert _snapshot_ids(world) == before


def test_register_image_refuses_a_volume_smaller_than_its_snapshot(world: World) -> None:
    with pytest.raises(ClientError) as err:
        _register(world, world.snapshot_id, size=5)
    assert err.value.response["Error"]["Code"] == "InvalidBlockDeviceMapping"


def test_register_image_refuses_an_unknown_snapshot(world: World) -> None:
    with pytest.raises(ClientError) as err:
        _register(world, "snap-0123456789abcdef0")
    assert err.value.response["Error"]["Code"] == "InvalidSnapshot.NotFound"


def test_register_image_without_a_mapping_keeps_moto_behaviour(world: World) -> None:
    image = world.ec2.describe_images(ImageIds=[world.image_id])["Images"][0]
    assert image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"].startswith("snap-")


# B. RunInstances creates the AMI's volumes from its mapping.


def test_run_instances_roots_the_instance_in_the_ami_snapshot(world: World) -> None:
    image_id = _register(world, world.snapshot_id)
    instance = world.ec2.run_instances(
        ImageId=image_id, InstanceType="t4g.micro", MinCount=1, MaxCount=1
    )["Instances"][0]
    volumes = world.ec2.describe_volumes(
        Filters=[{"Name": "attachment.instance-id", "Values": [instance["InstanceId"]]}]
    )["Volumes"]
    assert [(v["Attachments"][0]["Device"], v["SnapshotId"], v["Size"]) for v in volumes] == [
        ("/dev/xvda", world.snapshot_id, 10)
    ]


# C. DeleteSnapshot refuses a snapshot any AMI uses.


def test_delete_snapshot_used_by_a_registered_ami_is_refused(world: World) -> None:
    image_id = _register(world, world.snapshot_id)
    with pytest.raises(ClientError) as err:
        world.ec2.delete_snapshot(SnapshotId=world.snapshot_id)
    assert err.value.response["Error"]["Code"] == "InvalidSnapshot.InUse"
    assert image_id in err.value.response["Error"]["Message"]

    world.ec2.deregister_image(ImageId=image_id)
    world.ec2.delete_snapshot(SnapshotId=world.snapshot_id)  # free again
    assert world.snapshot_id not in _snapshot_ids(world)


# D. CopySnapshot Encrypted=True without a key uses the default EBS key.


def test_encrypted_copy_without_a_key_uses_the_default_ebs_key(
    world: World, demo_server: DemoServer
) -> None:
    copy_id = world.ec2.copy_snapshot(
        SourceSnapshotId=world.snapshot_id, SourceRegion=world.region, Encrypted=True
    )["SnapshotId"]
    copy = world.ec2.describe_snapshots(SnapshotIds=[copy_id])["Snapshots"][0]
    assert copy["Encrypted"] is True
    kms: Any = client(demo_server, "kms", world.region)
    default = kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]
    assert copy["KmsKeyId"] == default


def test_unencrypted_copy_stays_unencrypted(world: World) -> None:
    copy_id = world.ec2.copy_snapshot(
        SourceSnapshotId=world.snapshot_id, SourceRegion=world.region
    )["SnapshotId"]
    copy = world.ec2.describe_snapshots(SnapshotIds=[copy_id])["Snapshots"][0]
    assert copy["Encrypted"] is False
    assert not copy.get("KmsKeyId")


# E. A time-based copy: pending until its deadline, with AWS's transfer fields.


@pytest.mark.parametrize("minutes", [10, 20, 2895])
def test_a_duration_aws_does_not_take_is_refused(world: World, minutes: int) -> None:
    before = _snapshot_ids(world)
    with pytest.raises(ClientError) as err:
        world.ec2.copy_snapshot(
            SourceSnapshotId=world.snapshot_id,
            SourceRegion=world.region,
            CompletionDurationMinutes=minutes,
        )
    assert err.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert _snapshot_ids(world) == before


def test_a_time_based_copy_is_pending_until_its_deadline(world: World) -> None:
    copy_id = world.ec2.copy_snapshot(
        SourceSnapshotId=world.snapshot_id, SourceRegion=world.region, CompletionDurationMinutes=60
    )["SnapshotId"]
    copy = world.ec2.describe_snapshots(SnapshotIds=[copy_id])["Snapshots"][0]
    assert (copy["State"], copy["TransferType"], copy["CompletionDurationMinutes"]) == (
        "pending",
        "time-based",
        60,
    )
    assert "CompletionTime" not in copy
    start = copy["StartTime"]
    try:
        timed_copy.clock = lambda: start + timedelta(minutes=30)
        half = world.ec2.describe_snapshots(SnapshotIds=[copy_id])["Snapshots"][0]
        assert (half["State"], half["Progress"]) == ("pending", "50%")
        timed_copy.clock = lambda: start + timedelta(minutes=61)
        done = world.ec2.describe_snapshots(SnapshotIds=[copy_id])["Snapshots"][0]
    finally:
        timed_copy.clock = lambda: datetime.now(UTC)
    assert (done["State"], done["Progress"]) == ("completed", "100%")
    assert done["CompletionTime"] == start + timedelta(minutes=60)
    standard = world.ec2.copy_snapshot(
        SourceSnapshotId=world.snapshot_id, SourceRegion=world.region
    )
    seen = world.ec2.describe_snapshots(SnapshotIds=[standard["SnapshotId"]])["Snapshots"][0]
    assert seen["TransferType"] == "standard" and seen["State"] == "completed"
