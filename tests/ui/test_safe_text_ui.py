"""AWS data holding markup and control characters, shown through the real widgets (issue 10).

A snapshot whose tags and description hold Rich markup, a newline, C1 controls and a bidi
override is created in the demo world; an AWS error message holds the same. The app must
show them literally, escaped, on one line where the layout has one line, and not crash.
Screens are read as the terminal receives them, and kept as SVG snapshots at 80x24.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from snaptui.aws.session import AwsContext
from snaptui.core.text import has_unsafe
from snaptui.demo.server import DemoServer
from snaptui.models import Snapshot
from snaptui.ui.app import SnapApp
from snaptui.ui.dialogs.form import FormScreen
from snaptui.ui.panels.detail import DetailPanel
from tests.conftest import NOW, client
from tests.helpers import fail_http, until, wait_loaded

EVIL = "[/] [link=x]l[/link] [@click=app.quit]q[/] two\nlines \x9b31m \u202eabc"
EVIL_XML = EVIL.replace("&", "&amp;").replace("<", "&lt;")
SIZE = (80, 24)
Snap = Callable[..., bool]


def evil_world(server: DemoServer, region: str) -> str:
    ec2: Any = client(server, "ec2", region)
    az = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
    volume = ec2.create_volume(AvailabilityZone=az, Size=1)["VolumeId"]
    snap = ec2.create_snapshot(
        VolumeId=volume,
        Description=EVIL,
        TagSpecifications=[
            {
                "ResourceType": "snapshot",
                "Tags": [
                    {"Key": "Name", "Value": "evil\nrow [/]"},
                    {"Key": "[/]", "Value": "[@click=app.quit]x"},
                    {"Key": "aws:dlm:lifecycle-policy-id-that-is-long", "Value": "policy-1"},
                ],
            }
        ],
    )["SnapshotId"]
    return str(snap)


def make_app(server: DemoServer, region: str, tmp: Path) -> SnapApp:
    target = server.target(regions=(region,), audit_path=tmp / "audit.jsonl")
    return SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)


def screen_text(app: SnapApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_markup_and_controls_from_aws_are_shown_literally(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    snap_id = evil_world(demo_server, scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        pane = app.pane("snapshots")
        assert pane.move_cursor_to_key(snap_id)
        await pilot.pause()
        text = screen_text(app)
        assert not has_unsafe(text.replace("\n", ""))
        assert "evil␤row [/]" in text  # the name, on its one row, newline shown as ␤
        # The detail scrolls by keyboard to the description and the tags, shown literally.
        await pilot.press("5")
        seen = ""
        for _ in range(30):  # line by line, as a person scrolls
            await pilot.press("down")
            seen += screen_text(app)
        assert app.focused is app.query_one(DetailPanel)
        assert not has_unsafe(seen.replace("\n", ""))
        assert "[@click=app.quit]x" in seen and "\\x9b31m" in seen and "\\u202eabc" in seen
        text = screen_text(app)
        assert "is-long" in seen  # a long tag key wraps: its end is on screen, not cut
        await pilot.press("escape")
        # The filter typed as the description starts: not markup, finds the snapshot.
        await pilot.press("slash", *"[/] [link")
        await pilot.pause()
        assert pane.filter_text == "[/] [link" and [r.id for r in pane.rows] == [snap_id]
        assert app.is_running


async def test_the_highlight_stays_on_the_chosen_snapshot_across_reloads(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    first = evil_world(demo_server, scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        pane = app.pane("snapshots")
        assert isinstance(pane.cursor_row, Snapshot) and pane.cursor_row.id == first
        assert pane.cursor == 0  # the top row
        newer = evil_world(demo_server, scratch_region)  # arrives above it (newest first)
        await pilot.press("r")
        await wait_loaded(pilot)
        await until(pilot, lambda: newer in {r.id for r in pane.rows})
        assert pane.cursor_row.id == first and pane.rows[0].id == newer
        await pilot.press("s")  # sorted by another column: still the same snapshot
        assert pane.cursor_row.id == first


async def test_copy_leaves_the_highlight_on_the_source(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    from tests.ui.test_actions_ui import task_done

    source = evil_world(demo_server, scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_loaded(pilot)
        pane = app.pane("snapshots")
        assert pane.cursor_row.id == source
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), timeout=20)
        await pilot.press("ctrl+s")
        await task_done(pilot)
        await pilot.press("escape")
        await wait_loaded(pilot)
        await until(pilot, lambda: len(pane.rows) == 2)
        assert pane.cursor_row.id == source  # the copy is newer and on top; not highlighted


async def _problems_after_error(pilot: Pilot[Any]) -> None:
    await wait_loaded(pilot)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_toast_with_aws_markup_and_controls(
    snap_compare: Snap, demo_server: DemoServer, svg_region: str, tmp_path: Path
) -> None:
    app = make_app(demo_server, svg_region, tmp_path)
    fail_http(app.ctx.client("ec2", svg_region), "DescribeSnapshots", "Boom", EVIL_XML)
    assert snap_compare(app, terminal_size=SIZE, run_before=_problems_after_error)


def test_problems_screen_with_aws_markup_and_controls(
    snap_compare: Snap, demo_server: DemoServer, svg_region: str, tmp_path: Path
) -> None:
    app = make_app(demo_server, svg_region, tmp_path)
    fail_http(app.ctx.client("ec2", svg_region), "DescribeSnapshots", "Boom", EVIL_XML)

    async def run(pilot: Pilot[Any]) -> None:
        await _problems_after_error(pilot)
        app.clear_notifications()
        await pilot.press("e")
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]" in text and "\\x9b31m" in text and "two␤lines" in text

    assert snap_compare(app, terminal_size=SIZE, run_before=run)
