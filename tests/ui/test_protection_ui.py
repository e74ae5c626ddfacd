"""Who can read a snapshot and what protects it, driven by keys: a locked snapshot's delete
refused, :private, :lock and :unlock, checked with a separate boto3 client on the demo world."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from snaptui.demo.server import DemoServer
from snaptui.ui.app import SnapApp
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.form import FormScreen
from tests.conftest import client
from tests.helpers import until, wait_loaded
from tests.ui.test_actions_ui import SIZE, focus_snapshot, make_app, task_done, world
from tests.ui.test_keys_ui import screen_text


async def test_delete_refuses_a_locked_snapshot_naming_it(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    ec2.lock_snapshot(SnapshotId=w["snapshot"], LockMode="governance", LockDuration=7)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press("x")
        await until(pilot, lambda: any("locked" in n.message for n in app._notifications))
        assert not isinstance(app.screen, ConfirmScreen)
        (refusal,) = [n.message for n in app._notifications if "locked" in n.message]
        assert w["snapshot"] in refusal and refusal.startswith("Cannot delete")
    assert ec2.describe_snapshots(SnapshotIds=[w["snapshot"]])["Snapshots"]


async def open_view_on(pilot: Pilot[Any], app: SnapApp, snapshot_id: str, word: str) -> None:
    """Load, highlight the snapshot, and type `:word` at the prompt."""
    await wait_loaded(pilot)
    await focus_snapshot(pilot, app, snapshot_id)
    await pilot.press("colon", *word, "enter")


async def test_make_private_takes_public_access_away_and_keeps_account_shares(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    sid = w["snapshot"]
    for extra in ({"GroupNames": ["all"]}, {"UserIds": ["210987654321"]}):
        ec2.modify_snapshot_attribute(
            SnapshotId=sid, Attribute="createVolumePermission", OperationType="add", **extra
        )
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, sid)
        assert app.pane("snapshots").cursor_row.public is True  # type: ignore[union-attr]
        await pilot.press("colon", *"private", "enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        shown = screen_text(app)
        assert "any AWS account" in shown and "210987654321" in shown
        await pilot.press("tab", "enter")  # Cancel has the focus; the next button confirms
        await task_done(pilot)
    perms = ec2.describe_snapshot_attribute(SnapshotId=sid, Attribute="createVolumePermission")
    assert perms["CreateVolumePermissions"] == [{"UserId": "210987654321"}]
    audit = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert ("ModifySnapshotAttribute", "ok") in [(r["action"], r["outcome"]) for r in audit]


async def test_make_private_is_refused_read_only_and_says_when_nothing_is_public(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press("colon", *"private", "enter")
        assert any("read-only" in n.message for n in app._notifications)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press("colon", *"private", "enter")
        await until(pilot, lambda: any("is not public" in n.message for n in app._notifications))
        assert not isinstance(app.screen, ConfirmScreen)


async def test_lock_and_unlock_with_the_mode_explained(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    sid = w["snapshot"]
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_view_on(pilot, app, sid, "lock")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        assert "root user" in screen_text(app)  # what compliance means, before choosing it
        form = app.screen
        form.query_one("#f-days").value = "0"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        assert "1-36500 days" in str(form.query_one("#e-days").render())
        form.query_one("#f-days").value = "7"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await task_done(pilot)
        (lock,) = ec2.describe_locked_snapshots(SnapshotIds=[sid])["Snapshots"]
        assert (lock["LockState"], lock["LockDuration"]) == ("governance", 7)
        await pilot.press("escape")
        await focus_snapshot(pilot, app, sid)
        await pilot.press("colon", *"unlock", "enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("tab", "enter")
        await task_done(pilot)
    assert ec2.describe_locked_snapshots(SnapshotIds=[sid])["Snapshots"] == []


async def test_a_compliance_lock_needs_the_id_typed(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    sid = w["snapshot"]
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_view_on(pilot, app, sid, "lock")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        form.query_one("#f-mode").value = "compliance"  # type: ignore[attr-defined]
        form.query_one("#f-cool_off").value = "2"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "within 2 hours" in screen_text(app)
        await pilot.press(*"wrong", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert ec2.describe_locked_snapshots(SnapshotIds=[sid])["Snapshots"] == []
        app.screen.query_one("#typed").value = ""  # type: ignore[attr-defined]
        await pilot.press(*sid, "enter")
        await task_done(pilot)
    (lock,) = ec2.describe_locked_snapshots(SnapshotIds=[sid])["Snapshots"]
    assert lock["LockState"] == "compliance-cooloff" and lock["CoolOffPeriod"] == 2
    ec2.unlock_snapshot(SnapshotId=sid)  # still cooling off: the scratch region can be reset
