"""The actions in an eventually consistent, slow world (demo/unkind.py: every new resource is
"not found" for 3 s, every answer takes 150 ms, new things stay pending for a while) and in one
that loses answers: each succeeds and leaves nothing behind, as the referee client sees."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from snaptui.aws import copy, fast_restore, launch, restore, volumes
from snaptui.aws.session import AwsContext
from snaptui.aws.waiting import WaitOptions
from snaptui.core.validate import VolumeSpec
from snaptui.demo.server import DemoServer
from snaptui.demo.unkind import Unkindness
from tests.aws.test_actions_world import World, build_world, seeded_snapshot
from tests.conftest import client

pytestmark = pytest.mark.unkind

SLOW_AND_LATE = Unkindness(latency_ms=150, consistency_delay_s=3.0, pending_s=2.0, seed=3)
LOSING = Unkindness(fault_rate=0.5, fault_kinds=("lost",), seed=4)
PATIENT = WaitOptions(delay=0.3, timeout=60.0)


@pytest.fixture
def world(demo_server: DemoServer, scratch_region: str) -> World:
    return build_world(demo_server, scratch_region)


@pytest.fixture(params=[SLOW_AND_LATE, LOSING], ids=["late", "losing"])
def unkind_ctx(
    request: pytest.FixtureRequest, demo_server: DemoServer, world: World, tmp_path: Path
) -> Iterator[AwsContext]:
    with demo_server.unkindly(request.param) as layer:
        yield AwsContext(demo_server.target(audit_path=tmp_path / "audit.jsonl"))
        assert sum(layer.injected.values()) > 0 or request.param is SLOW_AND_LATE


def _volumes(w: World) -> set[str]:
    return {v["VolumeId"] for v in w.ec2.describe_volumes()["Volumes"]}


def _instances(w: World) -> set[str]:
    out = w.ec2.describe_instances()["Reservations"]
    return {i["InstanceId"] for r in out for i in r["Instances"]}


def _images(w: World) -> set[str]:
    return {i["ImageId"] for i in w.ec2.describe_images(Owners=["self"])["Images"]}


def test_restore_then_cleanup_leaves_nothing(world: World, unkind_ctx: AwsContext) -> None:
    before = _volumes(world)
    req = restore.RestoreRequest(world.snapshot_id, world.region, world.instance_id)
    made = restore.restore_to_instance(unkind_ctx, req, PATIENT)
    assert _volumes(world) == before | {made.volume_id}
    restore.cleanup_restore(unkind_ctx, world.region, made.volume_id, PATIENT)
    assert _volumes(world) == before


def test_create_volume_makes_exactly_one(world: World, unkind_ctx: AwsContext) -> None:
    before = _volumes(world)
    vol = volumes.create_volume(
        unkind_ctx, world.region, world.snapshot_id, VolumeSpec(az=world.az), wait=PATIENT
    )
    assert vol.state == "available"
    assert _volumes(world) == before | {vol.id}


def test_launch_makes_one_instance_and_keeps_no_ami(world: World, unkind_ctx: AwsContext) -> None:
    before_instances, before_images = _instances(world), _images(world)
    req = launch.launch_defaults(unkind_ctx, world.region, world.snapshot_id)
    result = launch.launch_from_snapshot(unkind_ctx, replace(req, keep_image=False), PATIENT)
    assert _instances(world) == before_instances | {result.instance_id}
    assert _images(world) == before_images  # deregistered once the instance ran
    inst: Any = world.ec2.describe_instances(InstanceIds=[result.instance_id])
    assert inst["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"


def test_copy_makes_exactly_one_copy(
    demo_server: DemoServer, world: World, unkind_ctx: AwsContext
) -> None:
    source = seeded_snapshot(demo_server)
    dest: Any = client(demo_server, "ec2", world.region)
    before = {s["SnapshotId"] for s in dest.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    req = copy.CopyRequest(source, "us-east-1", world.region)
    result = copy.copy_snapshot(unkind_ctx, req, PATIENT)
    after = {s["SnapshotId"] for s in dest.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert after == before | {result.snapshot_id}


def _fast_restored(w: World) -> dict[str, str]:
    found = w.ec2.describe_fast_snapshot_restores(
        Filters=[{"Name": "snapshot-id", "Values": [w.snapshot_id]}]
    )["FastSnapshotRestores"]
    return {d["AvailabilityZone"]: d["State"] for d in found}


def test_fast_restore_on_then_off_in_one_az(world: World, unkind_ctx: AwsContext) -> None:
    done = fast_restore.set_fast_restore(
        unkind_ctx, world.region, world.snapshot_id, [world.az], enable=True
    )
    assert len(done) == 1 and done[0].startswith(world.az)  # a retried answer may say later
    assert _fast_restored(world).get(world.az) in ("enabling", "optimizing", "enabled")
    fast_restore.set_fast_restore(
        unkind_ctx, world.region, world.snapshot_id, [world.az], enable=False
    )
    # Disabling lasts seconds and then the entry leaves the list, as AWS's does: after a lost
    # answer and its retry it may already be gone. Either way it is no longer on.
    assert _fast_restored(world).get(world.az) in ("disabling", "disabled", None)
