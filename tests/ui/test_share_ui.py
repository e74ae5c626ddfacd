""":share and :unshare driven by keys as typed, checked with a separate boto3 client
(DescribeSnapshotAttribute) on the demo world: one account added and removed, public only
through a typed ID, a bad account said before anything is sent, aws/ebs refused as AWS does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from snaptui.demo.server import DemoServer
from snaptui.ui.cost_view import CostScreen
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.form import FormScreen
from snaptui.ui.panels.detail import DetailPanel
from tests.conftest import client
from tests.helpers import fail_http, until, wait_loaded
from tests.ui.test_actions_ui import SIZE, focus_snapshot, make_app, task_done, world
from tests.ui.test_keys_ui import screen_text
from tests.ui.test_protection_ui import open_view_on

OTHER = "210987654321"


def permissions(ec2: Any, sid: str) -> list[dict[str, str]]:
    answer = ec2.describe_snapshot_attribute(SnapshotId=sid, Attribute="createVolumePermission")
    return list(answer["CreateVolumePermissions"])


async def test_share_with_an_account_then_unshare_it(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    sid = w["snapshot"]
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_view_on(pilot, app, sid, "share")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        assert "Shared now with: no one (private)" in screen_text(app)
        await pilot.press(*"12345", "ctrl+s")  # too short: said beside the field, not sent
        assert "12-digit" in screen_text(app) and permissions(ec2, sid) == []
        await pilot.press(*["backspace"] * 5, *OTHER, "ctrl+s")
        await task_done(pilot)
        assert permissions(ec2, sid) == [{"UserId": OTHER}]
        await pilot.press("escape")
        await open_view_on(pilot, app, sid, "unshare")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        assert f"Shared now with: account {OTHER}" in screen_text(app)
        await pilot.press("ctrl+s")  # the one account it is shared with is the default
        await task_done(pilot)
    assert permissions(ec2, sid) == []


async def test_public_needs_the_id_typed(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    sid = w["snapshot"]
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_view_on(pilot, app, sid, "share")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press(*"all", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "PUBLIC" in screen_text(app)
        await pilot.press(*"wrong", "enter")
        assert isinstance(app.screen, ConfirmScreen) and permissions(ec2, sid) == []
        await pilot.press(*["backspace"] * 5, *sid, "enter")
        await task_done(pilot)
    assert permissions(ec2, sid) == [{"Group": "all"}]


async def test_unshare_says_when_shared_with_no_one_and_read_only_refuses(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_view_on(pilot, app, w["snapshot"], "unshare")
        await until(pilot, lambda: any("not shared" in n.message for n in app._notifications))
        assert not isinstance(app.screen, FormScreen)
    app = make_app(demo_server, scratch_region, tmp_path, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_view_on(pilot, app, w["snapshot"], "share")
        assert any("read-only" in n.message for n in app._notifications)
        assert not isinstance(app.screen, FormScreen)


async def test_a_snapshot_under_the_aws_managed_key_is_refused(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    az = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
    volume = ec2.create_volume(AvailabilityZone=az, Size=4, Encrypted=True)["VolumeId"]
    sid = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_view_on(pilot, app, sid, "share")
        await until(pilot, lambda: any("aws/ebs" in n.message for n in app._notifications))
        assert not isinstance(app.screen, FormScreen)
    assert permissions(ec2, sid) == []


def detail(app: Any) -> str:
    return str(app.query_one(DetailPanel).plain_text())


async def test_the_detail_names_the_accounts_once_the_cursor_rests_and_the_review_flags_them(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    sid = w["snapshot"]
    ec2.modify_snapshot_attribute(
        SnapshotId=sid, Attribute="createVolumePermission", OperationType="add", UserIds=[OTHER]
    )
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, sid)
        await until(pilot, lambda: f"Shared with {OTHER}" in " ".join(detail(app).split()))
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CostScreen))
        (row,) = [ln for ln in screen_text(app).splitlines() if "shared with accounts" in ln]
        assert row.strip("│ ").split()[-2:] == ["1", sid], row  # counted, and named
        await pilot.press("escape")
        # :unshare fetches the region again: its answers are asked again, and say so.
        await pilot.press("colon", *"unshare", "enter")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("ctrl+s")
        await task_done(pilot)
        await pilot.press("escape")
        await focus_snapshot(pilot, app, sid)
        await until(pilot, lambda: "Shared with no account" in " ".join(detail(app).split()))


async def test_a_denied_lookup_says_unknown_never_no_account(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    sends = fail_http(
        app.ctx.client("ec2", scratch_region),
        "DescribeSnapshotAttribute",
        "UnauthorizedOperation",
        "You are not authorized to perform this operation.",
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await until(pilot, lambda: "unknown (no permission)" in detail(app))
        await pilot.pause(0.5)  # a second ask (a region fetched again) must say the same
        assert "no account" not in detail(app) and "unknown (no permission)" in detail(app)
        assert sends  # AWS was asked, and refused


async def test_a_burst_of_cursor_keys_asks_only_where_the_cursor_stops(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    for _ in range(5):
        ec2.create_snapshot(VolumeId=w["volume"])
    app = make_app(demo_server, scratch_region, tmp_path)
    asked: list[str] = []
    app.ctx.client("ec2", scratch_region).meta.events.register(
        "provide-client-params.ec2.DescribeSnapshotAttribute",
        lambda params, **_: asked.append(params["SnapshotId"]),
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4")
        await until(pilot, lambda: len(asked) == 1)  # the first row, once the cursor rests
        await pilot.press(*"jjjjj")  # one burst, as SSH delivers it
        row = app.pane("snapshots").cursor_row
        await until(pilot, lambda: len(asked) == 2)
        await pilot.pause(0.5)
        assert asked[1] == row.id and len(asked) == 2  # type: ignore[union-attr]
