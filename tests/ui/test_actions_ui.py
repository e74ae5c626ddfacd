"""Actions driven by keys in the UI, checked with a separate boto3 client on the demo world."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from snaptui.aws.session import AwsContext
from snaptui.demo.server import DemoServer
from snaptui.ui.app import SnapApp
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.form import FormScreen
from snaptui.ui.dialogs.task import TaskScreen
from tests.conftest import NOW, client
from tests.helpers import until, wait_loaded
from tests.ui.test_keys_ui import screen_text

SIZE = (120, 36)


def world(server: DemoServer, region: str) -> dict[str, str]:
    """An instance with a data volume and one snapshot of it, in a scratch region."""
    ec2: Any = client(server, "ec2", region)
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    az = zones[1] if len(zones) > 1 else zones[0]  # not the first: restores must follow it
    image = ec2.register_image(
        Name="base", RootDeviceName="/dev/xvda", Architecture="x86_64", VirtualizationType="hvm"
    )["ImageId"]
    instance = ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        Placement={"AvailabilityZone": az},
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "app"}]}],
    )["Instances"][0]["InstanceId"]
    volume = ec2.create_volume(AvailabilityZone=az, Size=10)["VolumeId"]
    ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")
    snap = ec2.create_snapshot(VolumeId=volume, Description="nightly")["SnapshotId"]
    return {"instance": instance, "volume": volume, "snapshot": snap, "image": image, "az": az}


def make_app(
    server: DemoServer,
    region: str,
    tmp: Path,
    *,
    read_only: bool = False,
    has: frozenset[str] = frozenset(),
) -> SnapApp:
    """The app on the demo world; ``has``: APIs the demo lacks that the test answers itself."""
    target = server.target(regions=(region,), read_only=read_only, audit_path=tmp / "audit.jsonl")
    target = dataclasses.replace(target, lacks=target.lacks - has)
    return SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)


async def task_done(pilot: Pilot[Any]) -> TaskScreen:
    for _ in range(400):
        screen = pilot.app.screen
        if isinstance(screen, TaskScreen) and screen.done:
            await pilot.pause()
            return screen
        await asyncio.sleep(0.05)
    raise AssertionError("the task did not finish")


async def focus_snapshot(pilot: Pilot[Any], app: SnapApp, snapshot_id: str) -> None:
    await pilot.press("4")
    assert app.pane("snapshots").move_cursor_to_key(snapshot_id)
    await pilot.pause()


async def test_restore_a_file_then_clean_up(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("ctrl+s")
        task = await task_done(pilot)
        result = task._result
        assert result is not None and result.ok, result
        restore = result.value
        vol = ec2.describe_volumes(VolumeIds=[restore.volume_id])["Volumes"][0]
        assert vol["SnapshotId"] == w["snapshot"]
        assert vol["AvailabilityZone"] == w["az"]  # the instance's AZ
        assert {"Key": "snaptui:restore-of", "Value": w["snapshot"]} in vol["Tags"]
        (attachment,) = vol["Attachments"]
        assert attachment["InstanceId"] == w["instance"]
        assert attachment["Device"] == restore.device != "/dev/sdf"  # sdf was taken
        no_dash = restore.volume_id.replace("-", "")
        assert f"nvme-Amazon_Elastic_Block_Store_{no_dash}" in result.text
        assert "mount -o" in result.text and "nouuid" in result.text
        await pilot.press("y")
        assert app.clipboard == result.text

        await pilot.press("escape")
        await wait_loaded(pilot)
        await pilot.press("colon", *"restores", "enter")
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)  # cleanup: no DryRun, asks at once
        await pilot.press(*restore.volume_id, "enter")
        await task_done(pilot)
        volumes = ec2.describe_volumes(
            Filters=[{"Name": "volume-id", "Values": [restore.volume_id]}]
        )["Volumes"]
        assert volumes == []
    lines = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text().splitlines()]
    actions = [(r["action"], r["outcome"]) for r in lines]
    assert ("CreateVolume", "ok") in actions and ("AttachVolume", "ok") in actions
    assert ("DeleteVolume", "ok") in actions


async def test_delete_refuses_an_ami_snapshot(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    ami = ec2.register_image(
        Name="golden",
        RootDeviceName="/dev/xvda",
        Architecture="x86_64",
        VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": w["snapshot"]}}],
    )["ImageId"]
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press("x")
        assert not isinstance(app.screen, ConfirmScreen)
        messages = [n.message for n in app._notifications]
        assert any("AMI" in m and ami in m for m in messages)
    assert ec2.describe_snapshots(SnapshotIds=[w["snapshot"]])["Snapshots"]


async def test_delete_the_only_snapshot_needs_its_id_typed(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press(*"wrong", "enter")
        assert isinstance(app.screen, ConfirmScreen)  # refused: still asking
        assert ec2.describe_snapshots(SnapshotIds=[w["snapshot"]])["Snapshots"]
        typed = app.screen.query_one("#typed")
        typed.value = ""  # type: ignore[attr-defined]
        await pilot.press(*w["snapshot"], "enter")
        await task_done(pilot)
    remaining = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    assert w["snapshot"] not in {s["SnapshotId"] for s in remaining}


async def test_read_only_refuses_actions(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    before = len(ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"])
    app = make_app(demo_server, scratch_region, tmp_path, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("3")
        app.pane("volumes").move_cursor_to_key(w["volume"])
        for key in ("n", "x", "R", "p", "v"):
            await pilot.press(key)
            assert not isinstance(app.screen, (FormScreen, ConfirmScreen))
        assert any("read-only" in n.message for n in app._notifications)
    assert len(ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]) == before


@pytest.mark.parametrize(("size", "message"), [("5", "at least"), ("abc", "whole number")])
async def test_create_volume_refuses_bad_size_before_sending(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path, size: str, message: str
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    before = len(ec2.describe_volumes()["Volumes"])
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        assert isinstance(form, FormScreen)
        size_input = form.query_one("#f-size")
        size_input.value = size  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, nothing sent
        error = str(form.query_one("#e-size").render())
        assert message in error
    assert len(ec2.describe_volumes()["Volumes"]) == before


async def test_create_snapshot_of_an_instance_is_one_set(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2")
        app.pane("instances").move_cursor_to_key(w["instance"])
        await pilot.pause()
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        assert isinstance(form, FormScreen)
        assert "crash-consistent" in str(form._title)
        await pilot.press("ctrl+s")
        task = await task_done(pilot)
        assert task._result is not None and task._result.ok
        ids = task._result.value
    made = ec2.describe_snapshots(SnapshotIds=ids)["Snapshots"]
    assert {s["VolumeId"] for s in made} >= {w["volume"]}
    assert len(made) == 2  # root and data volume, one call


async def test_recycle_bin_says_when_the_endpoint_lacks_it(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("colon", *"recycle", "enter")
        task = await task_done(pilot)
        assert task._result is not None
        # moto answers this API with an HTML error page: a clear message, never a traceback.
        assert "not supported by this endpoint" in task._result.text


async def test_a_denied_action_is_unavailable_with_the_reason(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    # moto never denies: answer the DryRun with AWS's UnauthorizedOperation at the HTTP boundary.
    from tests.helpers import fail_http

    sends = fail_http(
        app.ctx.client("ec2", scratch_region),
        "DeleteSnapshot",
        "UnauthorizedOperation",
        "You are not authorized to perform this operation.",
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press("x")
        await until(pilot, lambda: any("unavailable" in n.message for n in app._notifications))
        assert not isinstance(app.screen, ConfirmScreen)
        assert len(sends) == 1  # the DryRun only


async def test_copy_encrypts_with_a_key_picked_from_the_destination(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    kms: Any = client(demo_server, "kms", scratch_region)
    key = kms.create_key(Description="dr")["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/dr-test", TargetKeyId=key)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-kms").value = "alias/no-such-key"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # refused beside the field: nothing sent
        assert "not found" in str(form.query_one("#e-kms").render())
        form.query_one("#f-kms").value = "alias/dr-test"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        task = await task_done(pilot)
        assert task._result is not None and task._result.ok, task._result
        copy_id = task._result.value.snapshot_id
    made = ec2.describe_snapshots(SnapshotIds=[copy_id])["Snapshots"][0]
    assert made["Encrypted"] is True


async def test_recover_from_the_recycle_bin(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    # The snapshot as it is once recovered (moto cannot hold it in a recycle bin).
    sid = world(demo_server, scratch_region)["snapshot"]
    has = frozenset({"ec2:ListSnapshotsInRecycleBin", "ec2:RestoreSnapshotFromRecycleBin"})
    app = make_app(demo_server, scratch_region, tmp_path, has=has)
    ec2 = app.ctx.client("ec2", scratch_region)
    recovered: list[str] = []

    # moto lacks the Recycle Bin APIs (HTTP 500): answer both as AWS does, at the HTTP boundary.
    from botocore.awsrequest import AWSResponse

    class Raw:
        def __init__(self, body: str) -> None:
            self.body = body.encode()

        def stream(self, **_: Any) -> Any:
            yield self.body

    listing = (
        '<ListSnapshotsInRecycleBinResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        f"<requestId>r</requestId><snapshotSet><item><snapshotId>{sid}"
        "</snapshotId><description>deleted by mistake</description><volumeId>vol-1</volumeId>"
        "<recycleBinEnterTime>2026-11-19T10:00:00.000Z</recycleBinEnterTime>"
        "<recycleBinExitTime>2026-11-26T10:00:00.000Z</recycleBinExitTime></item></snapshotSet>"
        "</ListSnapshotsInRecycleBinResponse>"
    )
    restored = (
        '<RestoreSnapshotFromRecycleBinResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        f"<requestId>r</requestId><snapshotId>{sid}</snapshotId>"
        "<state>completed</state><volumeId>vol-1</volumeId><volumeSize>8</volumeSize>"
        "<startTime>2026-11-01T10:00:00.000Z</startTime></RestoreSnapshotFromRecycleBinResponse>"
    )

    def list_bin(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, 200, {}, Raw(listing))

    def restore(request: Any, **_: Any) -> AWSResponse:
        recovered.append(
            request.body.decode() if isinstance(request.body, bytes) else str(request.body)
        )
        return AWSResponse(request.url, 200, {}, Raw(restored))

    ec2.meta.events.register("before-send.ec2.ListSnapshotsInRecycleBin", list_bin)
    ec2.meta.events.register("before-send.ec2.RestoreSnapshotFromRecycleBin", restore)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("colon", *"recycle", "enter")
        task = await task_done(pilot)
        assert sid in task._result.text  # type: ignore[union-attr]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("ctrl+s")
        task = await task_done(pilot)
        assert task._result is not None and task._result.ok, task._result
    assert len(recovered) == 1 and sid in recovered[0]


@pytest.mark.parametrize(
    ("key", "field", "value"),
    [("v", "kms", "alias/no-such-key"), ("L", "type", "t3.gigantic"), ("L", "key", "nobody")],
)
async def test_input_refused_after_submit_brings_the_form_back_as_typed(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path, key: str, field: str, value: str
) -> None:
    """A field only AWS can check (a KMS key, an instance type, a key pair) is refused after
    submit: the task says why, and closing it brings the form back with what was typed and
    the message beside that field. Nothing was created."""
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    volumes, images = len(ec2.describe_volumes()["Volumes"]), ec2.describe_images(Owners=["self"])
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press(key)
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        first = app.screen
        first.query_one(f"#f-{field}").value = value  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        task = await task_done(pilot)
        assert task.result is not None and not task.result.ok
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, FormScreen) and app.screen is not first)
        again = app.screen
        assert again.query_one(f"#f-{field}").value == value  # type: ignore[attr-defined]
        assert str(again.query_one(f"#e-{field}").render()).strip()  # the reason, beside it
        assert value in screen_text(app)  # the field is focused and shows what was typed
    assert len(ec2.describe_volumes()["Volumes"]) == volumes
    assert ec2.describe_images(Owners=["self"])["Images"] == images["Images"]
