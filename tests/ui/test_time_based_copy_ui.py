"""A time-based copy from the copy dialog: sent with its duration, not waited for, and shown
pending with the time AWS promised, as the AWS CLI reports it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from snaptui.core import fmt
from snaptui.demo.server import DemoServer
from snaptui.ui.dialogs.form import FormScreen
from tests.conftest import client
from tests.helpers import until, wait_loaded
from tests.ui.test_actions_ui import focus_snapshot, make_app, task_done, world
from tests.ui.test_keys_ui import screen_text


async def test_a_time_based_copy_is_sent_and_shown_due(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, w["snapshot"])
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press(*("tab",) * 6, *"45", "ctrl+s")  # typed as one burst
        task = await task_done(pilot)
        result = task._result
        assert result is not None and result.ok, result
        text = screen_text(app)
        assert f"time-based copy, pending, due {fmt.local_time(result.value.due)}" in text
        copy_id = result.value.snapshot_id
        await pilot.press("escape")  # close: the region is fetched again
        await until(pilot, lambda: app.pane("snapshots").move_cursor_to_key(copy_id))
        await pilot.press("5")  # the detail panel
        await until(pilot, lambda: "time-based copy due" in screen_text(app))
    ec2: Any = client(demo_server, "ec2", scratch_region)
    made = ec2.describe_snapshots(SnapshotIds=[copy_id])["Snapshots"][0]
    assert (made["State"], made["TransferType"], made["CompletionDurationMinutes"]) == (
        "pending",
        "time-based",
        45,
    )
