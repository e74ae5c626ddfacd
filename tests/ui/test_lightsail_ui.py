"""The Lightsail view, driven by keys against the demo world's Lightsail backend.

What the user sees is read from the panes and dialogs; what an action did is checked with a
separate boto3 client, as the AWS CLI would see it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from snaptui.aws.lightsail.models import LsSnapshot
from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.demo.server import DemoServer
from snaptui.ui.app import SnapApp
from snaptui.ui.dialogs.task import TaskScreen
from snaptui.ui.lightsail.panes import ResourceRow
from snaptui.ui.lightsail.screen import LightsailScreen
from snaptui.ui.panels.detail import DetailPanel
from tests.conftest import NOW
from tests.helpers import wait_loaded
from tests.lightsail_fixtures import instant, ls_client, ls_region, place_web

__all__ = ["instant", "ls_region"]
SIZE = (80, 24)


def make_app(target: AwsTarget) -> SnapApp:
    return SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)


async def open_lightsail(pilot: Pilot[Any], timeout: float = 30.0) -> LightsailScreen:
    await wait_loaded(pilot)
    await pilot.press("colon", *"lightsail", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, LightsailScreen)
    await wait_ls(pilot, screen, timeout)
    return screen


async def wait_ls(pilot: Pilot[Any], screen: LightsailScreen, timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not screen.regions or any(r not in screen.invs for r in screen.regions):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the Lightsail view did not finish loading")
        await asyncio.sleep(0.05)
    await pilot.pause()


def snaps(screen: LightsailScreen) -> list[LsSnapshot]:
    return list(screen.pane("ls-snapshots").rows)


async def wait_task(pilot: Pilot[Any], timeout: float = 20.0) -> TaskScreen:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (isinstance(pilot.app.screen, TaskScreen) and pilot.app.screen.done):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the task did not finish")
        await asyncio.sleep(0.05)
    await pilot.pause()
    return pilot.app.screen


async def test_view_lists_both_instances_with_auto_and_manual_snapshots(
    demo_target: AwsTarget,
) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lightsail(pilot)
        names = [r.name for r in screen.pane("ls-resources").rows if isinstance(r, ResourceRow)]
        assert names == ["blog", "wordpress", "wp-media"]
        shown = snaps(screen)
        blog = [s for s in shown if s.source_name == "blog"]
        assert sum(s.is_auto for s in blog) == 7 and sum(not s.is_auto for s in blog) == 1
        assert len([s for s in shown if s.source_name == "wordpress"]) == 5
        status = str(screen.query_one("#ls-status").render())
        assert "≤ $" in status and f"{len(shown)} snapshots" in status
        # Detail of the highlighted (newest) snapshot: the cost is a ceiling with its source.
        detail = screen.query_one(DetailPanel).plain_text()
        assert "automatic" in detail and "≤ $3.00/mo" in detail and "pricing" in detail


async def test_drill_down_filter_and_back(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lightsail(pilot)
        await pilot.press("2", "down", "down", "down", "down", "down")  # ... wordpress, wp-media
        assert {s.source_name for s in snaps(screen)} == {"wp-media"}
        await pilot.press("up", "up", "up")  # (source gone): legacy-lamp's orphans
        assert {s.source_name for s in snaps(screen)} == {"legacy-lamp", "legacy-data"}
        await pilot.press("up", "3", "slash", *"weekly")
        assert {s.source_name for s in snaps(screen)} >= {"wordpress"}
        assert all("weekly" in s.name for s in screen.pane("ls-snapshots").rows)
        await pilot.press("escape", "escape", "escape", "escape")
        assert not isinstance(app.screen, LightsailScreen)  # back on the EC2 view


async def test_restore_a_file_attaches_a_disk_then_cleans_up(
    demo_server: DemoServer, ls_region: str, instant: Any, tmp_path: Path
) -> None:
    place_web(ls_region)
    ls = ls_client(demo_server, ls_region)
    ls.create_disk_snapshot(diskName="data", diskSnapshotName="data-1")
    target = demo_server.target(regions=(ls_region,), audit_path=tmp_path / "a.jsonl")
    app = make_app(target)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lightsail(pilot)
        assert [s.name for s in snaps(screen)] == ["data-1"]
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("ctrl+s")
        task = await wait_task(pilot)
        text = task._result.text if task._result else ""
        assert "attached to web at /dev/xvdg" in text and "sudo mount" in text
        disk = ls.get_disk(diskName="restore-data-1")["disk"]
        assert (disk["attachedTo"], disk["path"]) == ("web", "/dev/xvdg")
        await pilot.press("escape")
        await wait_ls(pilot, screen)
        pane = screen.pane("ls-resources")
        assert pane.move_cursor_to_key(f"{ls_region}/restore-data-1")
        pane.focus()
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm")
        await wait_task(pilot)
        assert {d["name"] for d in ls.get_disks()["disks"]} == {"data"}


async def test_read_only_refuses_before_any_dialog(
    demo_server: DemoServer, ls_region: str, tmp_path: Path
) -> None:
    place_web(ls_region)
    target = demo_server.target(regions=(ls_region,), read_only=True, audit_path=tmp_path / "a")
    app = make_app(target)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lightsail(pilot)
        await pilot.press("2", "down", "down", "n")
        await pilot.pause()
        assert app.screen is screen  # no form opened
        assert any("read-only" in str(n.message) for n in app._notifications)
    assert ls_client(demo_server, ls_region).get_instance_snapshots()["instanceSnapshots"] == []
