"""Create a volume from a snapshot: settings reach AWS; bad ones never do."""

from __future__ import annotations

from dataclasses import replace

import pytest

from snaptui.aws import volumes
from snaptui.aws.calls import ActionError
from snaptui.aws.session import AwsContext
from snaptui.core.validate import VolumeSpec
from tests.aws.test_actions_world import FAST, World, mutations, world_fixture  # noqa: F401


def other_az(world: World) -> str:
    """An AZ of the region other than the world's, as DescribeAvailabilityZones lists them
    (ap-northeast-1 has no "b")."""
    zones = world.ec2.describe_availability_zones()["AvailabilityZones"]
    return next(str(z["ZoneName"]) for z in zones if z["ZoneName"] != world.az)


def test_create_gp3_volume_with_performance_settings(world: World, demo_ctx: AwsContext) -> None:
    az = other_az(world)
    spec = VolumeSpec(az=az, volume_type="gp3", size_gib=20, iops=4000, throughput=250)
    vol = volumes.create_volume(
        demo_ctx, world.region, world.snapshot_id, spec, {"team": "ops"}, wait=FAST
    )
    seen = world.ec2.describe_volumes(VolumeIds=[vol.id])["Volumes"][0]
    assert seen["State"] == "available"
    assert (seen["AvailabilityZone"], seen["Size"], seen["VolumeType"]) == (
        az,
        20,
        "gp3",
    )
    assert (seen["Iops"], seen["Throughput"]) == (4000, 250)
    assert seen["SnapshotId"] == world.snapshot_id
    assert {t["Key"]: t["Value"] for t in seen["Tags"]} == {"team": "ops"}
    [line] = mutations(demo_ctx)
    assert line["action"] == "CreateVolume" and line["params"]["ClientToken"]


def test_default_size_is_the_snapshot_size_and_encryption_is_explicit(
    world: World, demo_ctx: AwsContext
) -> None:
    spec = VolumeSpec(az=world.az, encrypted=True)
    vol = volumes.create_volume(demo_ctx, world.region, world.snapshot_id, spec, wait=FAST)
    seen = world.ec2.describe_volumes(VolumeIds=[vol.id])["Volumes"][0]
    assert seen["Size"] == 10
    assert seen["Encrypted"] is True


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (VolumeSpec(az="mars-1a"), "az"),
        (VolumeSpec(az="us-east-1a"), "az"),  # a real AZ, of another region
        (VolumeSpec(size_gib=9), "size_gib"),
        (VolumeSpec(volume_type="gp2", throughput=200), "throughput"),
        (VolumeSpec(volume_type="gp3", iops=20000), "iops"),
        (VolumeSpec(volume_type="io2"), "iops"),  # io2 needs an IOPS value
        (VolumeSpec(volume_type="st1"), "size_gib"),  # st1 starts at 125 GiB
        (VolumeSpec(volume_type="nvme"), "volume_type"),
        (VolumeSpec(kms_key_id="arn:aws:kms:us-east-1:123456789012:key/x"), "kms_key_id"),
    ],
)
def test_bad_volume_input_is_refused_before_sending(
    world: World, demo_ctx: AwsContext, spec: VolumeSpec, field: str
) -> None:
    if not spec.az:
        spec = replace(spec, az=world.az)
    with pytest.raises(ActionError) as err:
        volumes.create_volume(demo_ctx, world.region, world.snapshot_id, spec, wait=FAST)
    assert field in err.value.fields, err.value.fields
    assert mutations(demo_ctx) == []


def test_attach_target_az_must_be_the_instance_az(world: World, demo_ctx: AwsContext) -> None:
    spec = VolumeSpec(az=other_az(world))
    with pytest.raises(ActionError) as err:
        volumes.create_volume(
            demo_ctx, world.region, world.snapshot_id, spec, instance_az=world.az, wait=FAST
        )
    assert "az" in err.value.fields
    assert mutations(demo_ctx) == []


def test_a_provisioned_initialization_rate_is_sent_and_checked_first(
    world: World, demo_ctx: AwsContext
) -> None:
    for rate in (99, 301):  # CreateVolume's VolumeInitializationRate is 100-300 MiB/s
        with pytest.raises(ActionError) as err:
            volumes.create_volume(
                demo_ctx, world.region, world.snapshot_id,
                VolumeSpec(az=world.az, init_rate=rate), wait=FAST,
            )  # fmt: skip
        assert "init_rate" in err.value.fields
    assert mutations(demo_ctx) == []
    spec = VolumeSpec(az=world.az, init_rate=300)
    volumes.create_volume(demo_ctx, world.region, world.snapshot_id, spec, wait=FAST)
    # moto drops the parameter from its answers; what reached the endpoint is in the audit log.
    [line] = mutations(demo_ctx)
    assert line["params"]["VolumeInitializationRate"] == 300
