"""SVG snapshots of the key screens, against the seeded demo world at a fixed time.

Update after an intended change with `pytest tests/ui/test_screens_svg.py --snapshot-update`
and look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.ui.app import SnapApp
from tests.conftest import NOW
from tests.helpers import fail_http, wait_loaded

Snap = Callable[..., bool]


def app_for(target: AwsTarget) -> SnapApp:
    return SnapApp(AwsContext(target), endpoint_label="demo 127.0.0.1", clock=lambda: NOW)


def after_load(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await wait_loaded(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()  # e.g. the DryRun before a dialog
            await pilot.pause()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    return run


def test_main_screen(snap_compare: Snap, demo_target: AwsTarget) -> None:
    assert snap_compare(app_for(demo_target), terminal_size=(100, 30), run_before=after_load())


def test_main_screen_80x24(snap_compare: Snap, demo_target: AwsTarget) -> None:
    assert snap_compare(app_for(demo_target), terminal_size=(80, 24), run_before=after_load())


def test_volume_detail(snap_compare: Snap, demo_target: AwsTarget) -> None:
    keys = ("3", "down", "down", "down")  # the first real volume under the pinned rows
    assert snap_compare(app_for(demo_target), terminal_size=(120, 36), run_before=after_load(*keys))


def test_help(snap_compare: Snap, demo_target: AwsTarget) -> None:
    assert snap_compare(
        app_for(demo_target), terminal_size=(100, 30), run_before=after_load("question_mark")
    )


def test_denied_region(snap_compare: Snap, demo_target: AwsTarget) -> None:
    app = app_for(demo_target)
    fail_http(
        app.ctx.client("ec2", "eu-west-1"),
        "DescribeSnapshots",
        "UnauthorizedOperation",
        "You are not authorized to perform this operation.",
    )
    keys = ("1", "down", "down")  # highlight eu-west-1: the pane says why it is empty
    assert snap_compare(app, terminal_size=(100, 30), run_before=after_load(*keys))


def test_cost_review(snap_compare: Snap, demo_target: AwsTarget) -> None:
    assert snap_compare(app_for(demo_target), terminal_size=(100, 30), run_before=after_load("c"))


def test_restore_dialog(snap_compare: Snap, demo_target: AwsTarget) -> None:
    keys = ("4", "R")
    assert snap_compare(app_for(demo_target), terminal_size=(100, 30), run_before=after_load(*keys))


def test_delete_confirmation(snap_compare: Snap, demo_target: AwsTarget) -> None:
    keys = ("4", "space", "down", "space", "x")
    assert snap_compare(app_for(demo_target), terminal_size=(100, 30), run_before=after_load(*keys))


def test_copy_dialog(snap_compare: Snap, demo_target: AwsTarget) -> None:
    keys = ("4", "p")
    assert snap_compare(app_for(demo_target), terminal_size=(100, 30), run_before=after_load(*keys))


def test_create_snapshot_dialog(snap_compare: Snap, demo_target: AwsTarget) -> None:
    keys = ("2", "down", "down", "n")  # the db instance: a crash-consistent set
    assert snap_compare(app_for(demo_target), terminal_size=(100, 30), run_before=after_load(*keys))


def test_lightsail_view_80x24(snap_compare: Snap, demo_target: AwsTarget) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        from tests.ui.test_lightsail_ui import open_lightsail

        await open_lightsail(pilot)
        await pilot.pause()

    assert snap_compare(app_for(demo_target), terminal_size=(80, 24), run_before=run)


def test_lightsail_new_snapshot_form_80x24(snap_compare: Snap, demo_target: AwsTarget) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        from tests.ui.test_lightsail_ui import open_lightsail

        await open_lightsail(pilot)
        await pilot.press("2", "down", "down", "n")
        await pilot.pause()
        await pilot.press("tab", "tab", *"team=ops, ticket=OPS-7")
        await pilot.pause()

    assert snap_compare(app_for(demo_target), terminal_size=(80, 24), run_before=run)


def test_public_snapshot_80x24(snap_compare: Snap, demo_target: AwsTarget) -> None:
    # The seed's public snapshot: P and a red row in the list, "Public YES" near the top.
    keys = ("4", "slash", *"schema migration", "enter")
    assert snap_compare(app_for(demo_target), terminal_size=(80, 24), run_before=after_load(*keys))


def test_locked_dr_copy_80x24(snap_compare: Snap, demo_target: AwsTarget) -> None:
    # The oldest DR copy: its lock (compliance) and its source, without scrolling.
    keys = ("4", "slash", *"db-1-dr", "enter", "G")
    assert snap_compare(app_for(demo_target), terminal_size=(80, 24), run_before=after_load(*keys))


def test_cost_review_risks_80x24(snap_compare: Snap, demo_target: AwsTarget) -> None:
    assert snap_compare(app_for(demo_target), terminal_size=(80, 24), run_before=after_load("c"))


def test_accounts_screen_80x24(snap_compare: Snap, demo_target: AwsTarget) -> None:
    """`:accounts` over the demo organization (--org-role): typed at the prompt as one burst."""
    from tests.ui.test_accounts_ui import org_book

    book = org_book(demo_target)
    app = SnapApp(book.contexts[0], endpoint_label="demo 127.0.0.1", clock=lambda: NOW, book=book)
    keys = (":", *"accounts", "enter")
    assert snap_compare(app, terminal_size=(80, 24), run_before=after_load(*keys))
