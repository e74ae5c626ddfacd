"""Launch an instance from a snapshot: AMI rooted in it, instance running and tagged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from snaptui.aws import launch
from snaptui.aws.calls import ActionError
from snaptui.aws.session import AwsContext
from tests.aws.test_actions_world import FAST, World, mutations, world_fixture  # noqa: F401


def test_defaults_are_cloned_from_the_source_instance(world: World, demo_ctx: AwsContext) -> None:
    req = launch.launch_defaults(demo_ctx, world.region, world.snapshot_id)
    source = world.ec2.describe_instances(InstanceIds=[world.instance_id])["Reservations"][0][
        "Instances"
    ][0]
    assert req.source_instance_id == world.instance_id
    assert req.instance_type == "t3.small"
    assert req.subnet_id == source["SubnetId"]
    assert req.security_group_ids == tuple(g["GroupId"] for g in source["SecurityGroups"])
    assert req.architecture == source.get("Architecture", "x86_64")
    assert req.name == f"app-from-{world.snapshot_id}"


def test_defaults_fall_back_when_the_volume_is_gone(world: World, demo_ctx: AwsContext) -> None:
    world.ec2.detach_volume(VolumeId=world.volume_id, InstanceId=world.instance_id)
    world.ec2.delete_volume(VolumeId=world.volume_id)
    req = launch.launch_defaults(demo_ctx, world.region, world.snapshot_id)
    assert req.source_instance_id == ""
    assert (req.root_device_name, req.architecture, req.instance_type) == (
        "/dev/xvda",
        "x86_64",
        "t3.micro",
    )


def test_launch_registers_an_ami_rooted_in_the_snapshot_and_runs_it(
    world: World, demo_ctx: AwsContext
) -> None:
    req = replace(
        launch.launch_defaults(demo_ctx, world.region, world.snapshot_id), tags={"ticket": "42"}
    )
    steps: list[str] = []
    result = launch.launch_from_snapshot(demo_ctx, req, FAST, steps.append)

    image = world.ec2.describe_images(ImageIds=[result.image_id])["Images"][0]
    root = next(
        m for m in image["BlockDeviceMappings"] if m["DeviceName"] == image["RootDeviceName"]
    )
    assert root["Ebs"]["SnapshotId"] == world.snapshot_id
    assert image["RootDeviceName"] == req.root_device_name

    inst = world.ec2.describe_instances(InstanceIds=[result.instance_id])["Reservations"][0][
        "Instances"
    ][0]
    assert inst["State"]["Name"] == "running"
    assert inst["InstanceType"] == "t3.small"
    assert inst["SubnetId"] == req.subnet_id
    tags = {t["Key"]: t["Value"] for t in inst["Tags"]}
    assert tags == {
        "Name": req.name,
        "ticket": "42",
        "snaptui:launched-from": world.snapshot_id,
    }
    assert result.image_kept
    actions = [(line["action"], line["outcome"]) for line in mutations(demo_ctx)]
    assert actions == [("RegisterImage", "ok"), ("RunInstances", "ok")]
    run = mutations(demo_ctx)[1]
    assert run["params"]["ClientToken"]
    assert steps[-1].endswith("is running")


def test_launch_without_keeping_the_ami_deregisters_it_but_keeps_the_snapshot(
    world: World, demo_ctx: AwsContext
) -> None:
    req = replace(
        launch.launch_defaults(demo_ctx, world.region, world.snapshot_id), keep_image=False
    )
    result = launch.launch_from_snapshot(demo_ctx, req, FAST)
    assert not result.image_kept
    images = world.ec2.describe_images(Filters=[{"Name": "image-id", "Values": [result.image_id]}])[
        "Images"
    ]
    assert images == []
    assert world.ec2.describe_snapshots(SnapshotIds=[world.snapshot_id])["Snapshots"]
    assert [line["action"] for line in mutations(demo_ctx)][-1] == "DeregisterImage"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"architecture": "sparc"}, "architecture"),
        ({"root_device_name": "xvda"}, "root_device_name"),
        ({"subnet_id": "subnet-0123456789abcdef0"}, "subnet_id"),
        ({"security_group_ids": ("sg-0123456789abcdef0",)}, "security_group_ids"),
        ({"key_name": "no-such-key"}, "key_name"),
        ({"image_name": "x"}, "image_name"),
        ({"tags": {"aws:x": "y"}}, "tags"),
        ({"instance_type": ""}, "instance_type"),
        ({"instance_type": "t3.gigantic"}, "instance_type"),
        ({"instance_type": "t4g.micro"}, "instance_type"),  # arm64, the AMI is x86_64
    ],
)
def test_bad_launch_input_is_refused_before_sending(
    world: World, demo_ctx: AwsContext, change: dict[str, object], field: str
) -> None:
    req = replace(launch.launch_defaults(demo_ctx, world.region, world.snapshot_id), **change)
    with pytest.raises(ActionError) as err:
        launch.launch_from_snapshot(demo_ctx, req, FAST)
    assert field in err.value.fields, err.value.fields
    assert mutations(demo_ctx) == []


def test_instance_types_for_the_picker(world: World, demo_ctx: AwsContext) -> None:
    types = launch.instance_types(demo_ctx, world.region, "arm64")
    assert "t4g.micro" in types and "t3.micro" not in types
