"""File restore end to end in a scratch region: volume, attachment, tags, commands, cleanup."""

from __future__ import annotations

import pytest

from snaptui.aws import restore
from snaptui.aws.calls import ActionError
from snaptui.aws.errors import ReadOnlyError
from snaptui.aws.session import AwsContext
from snaptui.demo.server import DemoServer
from snaptui.models import Instance, ProblemKind
from tests.aws.test_actions_world import FAST, World, mutations, world_fixture  # noqa: F401


def _request(w: World, **kw: object) -> restore.RestoreRequest:
    return restore.RestoreRequest(
        snapshot_id=w.snapshot_id,
        region=w.region,
        instance_id=w.instance_id,
        **kw,  # type: ignore[arg-type]
    )


def test_restore_attaches_a_tagged_volume_at_the_next_free_device(
    world: World, demo_ctx: AwsContext
) -> None:
    steps: list[str] = []
    result = restore.restore_to_instance(demo_ctx, _request(world), FAST, steps.append)

    # /dev/sda1 (root) and /dev/sdf (data) are taken: the next free one is /dev/sdg.
    assert result.device == "/dev/sdg"
    vol = world.ec2.describe_volumes(VolumeIds=[result.volume_id])["Volumes"][0]
    assert vol["SnapshotId"] == world.snapshot_id
    assert vol["AvailabilityZone"] == world.az == result.az
    assert vol["VolumeType"] == "gp3"
    assert vol["Attachments"][0]["InstanceId"] == world.instance_id
    assert vol["Attachments"][0]["Device"] == "/dev/sdg"
    tags = {t["Key"]: t["Value"] for t in vol["Tags"]}
    assert tags == {
        "snaptui:restore-of": world.snapshot_id,
        "Name": f"restore-{world.snapshot_id}",
    }
    nvme = "nvme-Amazon_Elastic_Block_Store_" + result.volume_id.replace("-", "")
    assert any(nvme in line for line in result.commands)
    assert any("mount -o" in line for line in result.commands)
    assert steps and "attached" in steps[-1]


def test_restore_records_each_mutation_with_a_client_token(
    world: World, demo_ctx: AwsContext
) -> None:
    restore.restore_to_instance(demo_ctx, _request(world), FAST)
    lines = mutations(demo_ctx)
    assert [(line["action"], line["outcome"]) for line in lines] == [
        ("CreateVolume", "ok"),
        ("AttachVolume", "ok"),
    ]
    assert lines[0]["params"]["ClientToken"]
    assert lines[0]["params"]["SnapshotId"] == world.snapshot_id
    assert lines[0]["created"][0].startswith("vol-")


def test_restores_list_and_cleanup_remove_the_volume(world: World, demo_ctx: AwsContext) -> None:
    made = restore.restore_to_instance(demo_ctx, _request(world), FAST)
    listed = restore.list_restores(demo_ctx, world.region)
    assert [v.id for v in listed] == [made.volume_id]

    steps: list[str] = []
    restore.cleanup_restore(demo_ctx, world.region, made.volume_id, FAST, steps.append)

    left = world.ec2.describe_volumes(Filters=[{"Name": "volume-id", "Values": [made.volume_id]}])[
        "Volumes"
    ]
    assert left == []
    assert restore.list_restores(demo_ctx, world.region) == []
    assert [line["action"] for line in mutations(demo_ctx)][-2:] == ["DetachVolume", "DeleteVolume"]
    assert any("detaching" in s for s in steps)


def test_cleanup_refuses_a_volume_that_is_not_a_restore(world: World, demo_ctx: AwsContext) -> None:
    with pytest.raises(ActionError) as err:
        restore.cleanup_restore(demo_ctx, world.region, world.volume_id, FAST)
    assert "volume_id" in err.value.fields
    assert mutations(demo_ctx) == []
    assert world.ec2.describe_volumes(VolumeIds=[world.volume_id])["Volumes"]


# --- refused before anything is sent ---------------------------------------------------------


def _refused(ctx: AwsContext, req: restore.RestoreRequest, field: str) -> ActionError:
    with pytest.raises(ActionError) as err:
        restore.restore_to_instance(ctx, req, FAST)
    assert field in err.value.fields, err.value.fields
    assert err.value.problem.kind is ProblemKind.INVALID
    assert mutations(ctx) == []  # no mutating call reached AWS
    return err.value


def test_device_in_use_is_refused(world: World, demo_ctx: AwsContext) -> None:
    # /dev/xvdf is the same attachment point as the data volume's /dev/sdf.
    _refused(demo_ctx, _request(world, device="/dev/xvdf"), "device")


def test_malformed_device_is_refused(world: World, demo_ctx: AwsContext) -> None:
    _refused(demo_ctx, _request(world, device="sdg"), "device")


def test_an_unknown_filesystem_is_refused(world: World, demo_ctx: AwsContext) -> None:
    _refused(demo_ctx, _request(world, fs_type="zfs"), "fs_type")


def test_size_below_the_snapshot_is_refused(world: World, demo_ctx: AwsContext) -> None:
    _refused(demo_ctx, _request(world, size_gib=5), "size_gib")


def test_iops_on_gp2_is_refused(world: World, demo_ctx: AwsContext) -> None:
    _refused(demo_ctx, _request(world, volume_type="gp2", iops=3000), "iops")


def test_unknown_snapshot_is_refused(world: World, demo_ctx: AwsContext) -> None:
    req = restore.RestoreRequest("snap-0123456789abcdef0", world.region, world.instance_id)
    _refused(demo_ctx, req, "snapshot_id")


def test_snapshot_from_another_region_is_refused(
    world: World, demo_ctx: AwsContext, demo_server: DemoServer
) -> None:
    from tests.aws.test_actions_world import seeded_snapshot

    elsewhere = seeded_snapshot(demo_server, "us-east-1")
    req = restore.RestoreRequest(elsewhere, world.region, world.instance_id)
    _refused(demo_ctx, req, "snapshot_id")


def test_unknown_kms_key_is_refused(world: World, demo_ctx: AwsContext) -> None:
    _refused(demo_ctx, _request(world, kms_key_id="alias/no-such-key"), "kms_key_id")


def test_bad_tags_are_refused(world: World, demo_ctx: AwsContext) -> None:
    _refused(demo_ctx, _request(world, tags={"aws:owner": "me"}), "tags")


def test_read_only_refuses_without_sending(
    world: World, demo_server: DemoServer, tmp_path: object
) -> None:
    from pathlib import Path

    audit = Path(str(tmp_path)) / "ro-audit.jsonl"
    ctx = AwsContext(demo_server.target(read_only=True, audit_path=audit))
    with pytest.raises(ReadOnlyError) as err:
        restore.restore_to_instance(ctx, _request(world), FAST)
    assert isinstance(err.value, ActionError)
    assert err.value.problem.kind is ProblemKind.READ_ONLY
    lines = mutations(ctx)
    assert [(line["action"], line["outcome"]) for line in lines] == [("CreateVolume", "refused")]
    assert (
        world.ec2.describe_volumes(Filters=[{"Name": "tag-key", "Values": ["snaptui:restore-of"]}])[
            "Volumes"
        ]
        == []
    )


# --- choosing the target ---------------------------------------------------------------------


def _inst(iid: str, state: str = "running", name: str = "", region: str = "r") -> Instance:
    return Instance(iid, region, state, "t3.micro", "r-a", tags={"Name": name} if name else {})


def test_the_host_instance_is_offered_first() -> None:
    from snaptui.aws.imds import HostInstance

    here = HostInstance("i-here", "r", "r-a")
    ordered = restore.order_targets(
        [_inst("i-a", name="a"), _inst("i-here", name="z"), _inst("i-gone", "terminated")], here
    )
    assert [i.id for i in ordered] == ["i-here", "i-a"]
