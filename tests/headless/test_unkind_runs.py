"""`snaptui snapshot` and `snaptui prune` in a world that loses answers after doing the work
(demo/unkind.py), checked by the referee client, which sees the world as it really is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from snaptui.core.ownership import OWNER_TAG
from snaptui.demo.server import DemoServer
from snaptui.demo.unkind import Unkindness
from tests.headless.test_snapshot_prune import (
    _demo_env,  # noqa: F401  (autouse: audit log and lock files in tmp)
    backdate,
    cli,
    ec2_of,
    marked_snapshot,
    new_volume,
    snapshots_of,
    where,
)

pytestmark = pytest.mark.unkind

LOST = Unkindness(fault_rate=0.3, fault_kinds=("lost",), seed=4)


def test_n_snapshot_runs_at_30pct_lost_answers_leave_n_snapshots(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    volume = new_volume(ec2, scratch_region)
    with demo_server.unkindly(LOST) as layer:
        runs = [
            cli(capsys, "snapshot", *where(demo_server, scratch_region), "--volume", volume)
            for _ in range(6)
        ]
        lost = layer.injected["lost"]
    assert [r.code for r in runs] == [0] * 6, [r.err for r in runs]
    assert lost > 0  # the world did lose answers: otherwise this test proves nothing
    assert len(snapshots_of(ec2, volume)) == 6


def test_n_instance_sets_at_30pct_lost_answers_leave_n_sets(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2: Any = ec2_of(demo_server, scratch_region)
    image = ec2.register_image(Name="base", RootDeviceName="/dev/xvda")["ImageId"]
    instance = ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        Placement={"AvailabilityZone": f"{scratch_region}a"},
    )["Instances"][0]["InstanceId"]
    data = new_volume(ec2, scratch_region)
    ec2.attach_volume(VolumeId=data, InstanceId=instance, Device="/dev/sdf")
    volumes = [
        v["VolumeId"]
        for v in ec2.describe_volumes(
            Filters=[{"Name": "attachment.instance-id", "Values": [instance]}]
        )["Volumes"]
    ]
    with demo_server.unkindly(LOST) as layer:
        runs = [
            cli(capsys, "snapshot", *where(demo_server, scratch_region), "--instance", instance)
            for _ in range(4)
        ]
        lost = layer.injected["lost"]
    assert [r.code for r in runs] == [0] * 4, [r.err for r in runs]
    assert lost > 0
    for volume in volumes:
        assert len(snapshots_of(ec2, volume)) == 4, volume


def test_prune_at_30pct_lost_answers_reports_every_deletion_deleted(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    volume = new_volume(ec2, scratch_region)
    now = datetime.now(UTC).replace(tzinfo=None)  # naive UTC, as moto keeps it
    made = []
    for day in range(8):
        snap = marked_snapshot(ec2, volume)
        backdate(scratch_region, snap, now - timedelta(days=8 - day))
        made.append(snap)
    with demo_server.unkindly(LOST) as layer:
        argv = ["prune", "--volume", volume, "--keep", "3", "--json"]
        run = cli(capsys, *argv, *where(demo_server, scratch_region))
        lost = layer.injected["lost"]
    assert run.code == 0, run.err
    assert lost > 0
    actions = {row["snapshot_id"]: row["action"] for row in run.doc["snapshots"]}
    assert sorted(s for s, a in actions.items() if a == "deleted") == sorted(made[:5])
    assert all(actions[s] == "keep" for s in made[5:])
    assert sorted(snapshots_of(ec2, volume)) == sorted(made[5:])


def test_an_instance_set_is_marked_even_while_ec2_cannot_see_it_yet(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    """CreateSnapshots, then CreateTags per snapshot (the marker names each one's volume):
    right after the create EC2 may say the snapshot does not exist. That is waited out."""
    ec2: Any = ec2_of(demo_server, scratch_region)
    image = ec2.register_image(Name="base", RootDeviceName="/dev/xvda")["ImageId"]
    instance = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, Placement={"AvailabilityZone": f"{scratch_region}a"}
    )["Instances"][0]["InstanceId"]
    with demo_server.unkindly(Unkindness(consistency_delay_s=1.5, seed=5)):
        run = cli(capsys, "snapshot", *where(demo_server, scratch_region), "--instance", instance)
    assert run.code == 0, run.err
    ami_snaps = {
        m["Ebs"]["SnapshotId"]
        for i in ec2.describe_images(ImageIds=[image])["Images"]
        for m in i["BlockDeviceMappings"]
        if "Ebs" in m
    }
    snaps = [
        s
        for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
        if s["SnapshotId"] not in ami_snaps
    ]
    assert snaps and all(OWNER_TAG in {t["Key"] for t in s.get("Tags", [])} for s in snaps), (
        "every snapshot of the set carries snaptui's owner marker"
    )
