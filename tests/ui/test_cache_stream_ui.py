"""Instant start from the on-disk cache, and rows that stream in page by page (real app, Pilot)."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta
from typing import Any

import pytest

from snaptui.aws import inventory
from snaptui.aws.inventory_cache import InventoryCache, namespace_of
from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.demo.seed import SeedReport
from snaptui.models import Snapshot
from snaptui.ui.app import SnapApp
from snaptui.ui.loaders import PartialGate
from snaptui.ui.panels.status import StatusLine, render_status
from snaptui.ui.panes import PseudoRow
from tests.conftest import NOW
from tests.helpers import until, wait_loaded

SIZE = (120, 36)
REGION = "eu-west-1"
GHOST = "snap-0aaaaaaaaaaaaaaa1"  # in the cache, long deleted in AWS


def shown_ids(app: SnapApp) -> list[str]:
    return [str(r.id) for r in app.pane("snapshots").rows if not isinstance(r, PseudoRow)]


def hold_listing(ctx: AwsContext, region: str, *, after_pages: int = 0) -> threading.Event:
    """Hold the region's paged DescribeSnapshots (not describe-by-id) until released."""
    release = threading.Event()
    seen = [0]

    def before_send(request: Any, **_: Any) -> None:
        body = request.body if isinstance(request.body, bytes) else str(request.body).encode()
        if b"SnapshotId.1" in body:
            return
        seen[0] += 1
        if seen[0] > after_pages:
            release.wait(20)

    ctx.client("ec2", region).meta.events.register("before-send.ec2.DescribeSnapshots", before_send)
    return release


def seed_cache(target: AwsTarget, ctx: AwsContext) -> None:
    """Last run's inventory of REGION, 3 hours old, with one snapshot deleted since."""
    inv = inventory.fetch_region(ctx, REGION, clock=lambda: NOW - timedelta(hours=3))
    ghost = dataclasses.replace(inv.snapshots[0], id=GHOST, description="deleted since")
    inv.snapshots.insert(0, ghost)
    cache = InventoryCache(target.cache_root, namespace_of(ctx.profile_label, target.endpoint_url))
    cache.save(inv)


@pytest.fixture
def one_region(demo_target: AwsTarget, tmp_path: Any) -> AwsTarget:
    return dataclasses.replace(demo_target, regions=(REGION,), cache_root=tmp_path / "cache")


async def test_cached_rows_paint_at_once_marked_stale_then_refresh_in_place(
    one_region: AwsTarget, seeded: SeedReport
) -> None:
    ctx = AwsContext(one_region)
    seed_cache(one_region, ctx)
    release = hold_listing(ctx, REGION)
    app = SnapApp(ctx, endpoint_label="demo", clock=lambda: NOW, costs_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: GHOST in shown_ids(app))
        # What the user sees before AWS has answered: the old rows, and that they are old.
        status = render_status(app.query_one(StatusLine).facts, NOW).plain
        assert "cached 3h ago, refreshing" in status
        region_row = next(r for r in app.pane("regions").rows if getattr(r, "id", "") == REGION)
        assert region_row.cached_age == "3h"
        assert app.inventories[REGION].cached
        pane = app.pane("snapshots")
        pane.focus()
        await pilot.press("down", "down")
        kept = pane.cursor_row
        assert isinstance(kept, Snapshot) and kept.id != GHOST
        release.set()
        await wait_loaded(pilot)
        assert GHOST not in shown_ids(app)
        assert not app.inventories[REGION].cached
        assert "cached" not in render_status(app.query_one(StatusLine).facts, NOW).plain
        assert pane.cursor_row is not None and pane.cursor_row.id == kept.id  # cursor stayed
    # and the fresh inventory is what the next start paints
    again = InventoryCache(
        one_region.cache_root, namespace_of(ctx.profile_label, ctx.target.endpoint_url)
    )
    loaded = again.load(REGION)
    assert loaded is not None and GHOST not in {s.id for s in loaded.snapshots}


async def test_an_action_on_a_cached_row_re_describes_it_first(
    one_region: AwsTarget, seeded: SeedReport
) -> None:
    ctx = AwsContext(one_region)
    seed_cache(one_region, ctx)
    release = hold_listing(ctx, REGION)
    sent: list[bytes] = []  # real deletes, not the DryRun permission check

    def on_delete(request: Any, **_: Any) -> None:
        body = request.body if isinstance(request.body, bytes) else str(request.body).encode()
        if b"DryRun=true" not in body:
            sent.append(body)

    ctx.client("ec2", REGION).meta.events.register("before-send.ec2.DeleteSnapshot", on_delete)
    app = SnapApp(ctx, endpoint_label="demo", clock=lambda: NOW, costs_enabled=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: GHOST in shown_ids(app))
            pane = app.pane("snapshots")
            pane.focus()
            assert pane.move_cursor_to_key(GHOST)
            await pilot.press("x")
            # AWS says it is gone: it leaves the screen and nothing is asked or sent.
            await until(pilot, lambda: GHOST not in shown_ids(app))
            assert app.screen is app.screen_stack[0]
            assert sent == []
            # A cached row AWS still has is re-described, then the action goes on (its dialog).
            await pilot.press("home")
            target = pane.cursor_row
            assert isinstance(target, Snapshot)
            await pilot.press("x")
            await until(pilot, lambda: len(app.screen_stack) > 1)
            assert target.id in app.state.confirmed
            await pilot.press("escape")
    finally:
        release.set()
    assert sent == []


async def test_rows_stream_in_before_the_region_has_finished(
    one_region: AwsTarget, seeded: SeedReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inventory, "SNAPSHOT_PAGE", 5)
    ctx = AwsContext(one_region)
    release = hold_listing(ctx, REGION, after_pages=1)
    app = SnapApp(ctx, clock=lambda: NOW, costs_enabled=False, use_cache=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: len(shown_ids(app)) == 5)
            assert REGION in app.state.loading_regions  # still loading, rows already there
            release.set()
            await wait_loaded(pilot)
            assert len(shown_ids(app)) > 5
            assert len(shown_ids(app)) == len(app.inventories[REGION].snapshots)
    finally:
        release.set()


def test_each_region_shows_its_first_page_at_once_then_pages_are_batched() -> None:
    gate = PartialGate(every=60)
    assert gate.due("us-east-1", 1000)
    assert gate.due("eu-west-1", 1000)  # another region's first page: at once too
    assert not gate.due("us-east-1", 2000)  # later pages wait for the next batch
