"""The browsing UI, driven by keys against the demo world's moto server."""

from __future__ import annotations

from typing import Any

import pytest

from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.core.browse import ORPHANS
from snaptui.demo.seed import SeedReport
from snaptui.demo.server import DemoServer
from snaptui.models import Snapshot
from snaptui.ui.app import SnapApp
from snaptui.ui.panels.detail import DetailPanel
from snaptui.ui.panels.status import StatusLine
from snaptui.ui.panes import PseudoRow
from snaptui.ui.screens.problems import ProblemsScreen
from tests.conftest import NOW, client
from tests.helpers import fail_http, wait_loaded

SIZE = (120, 36)


def make_app(target: AwsTarget) -> SnapApp:
    return SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)


def real_rows(app: SnapApp, pane: str) -> list[Any]:
    """The pane's rows without the pinned "(all)" / orphans entries."""
    return [r for r in app.pane(pane).rows if not isinstance(r, PseudoRow)]


def shown_ids(app: SnapApp, pane: str = "snapshots") -> list[str]:
    return [str(getattr(r, "id", "")) for r in real_rows(app, pane)]


def ec2_count(server: DemoServer, region: str) -> int:
    c: Any = client(server, "ec2", region)
    return len(c.describe_snapshots(OwnerIds=["self"])["Snapshots"])


async def test_all_regions_load_with_counts(
    demo_target: AwsTarget, demo_server: DemoServer
) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        total = sum(ec2_count(demo_server, r) for r in demo_target.regions)
        assert len(app.pane("snapshots").rows) == total
        facts = app.query_one(StatusLine).facts
        assert facts.snapshots == total and facts.regions_done == 3 and facts.problems == 0
        # Newest first by default.
        starts = [r.start_time for r in app.pane("snapshots").rows]
        assert starts == sorted(starts, reverse=True)


async def test_drill_down_region_instance_volume(
    demo_target: AwsTarget, demo_server: DemoServer, seeded: SeedReport
) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("1", "down", "down")  # (all), us-east-1, eu-west-1
        assert app.choice.region == "eu-west-1"
        rows = app.pane("snapshots").rows
        assert len(rows) == ec2_count(demo_server, "eu-west-1")
        assert {r.region for r in rows} == {"eu-west-1"}
        assert [i.name for i in real_rows(app, "instances")] == ["app-eu-1"]

        await pilot.press("enter", "down")  # into instances, onto app-eu-1
        assert app.choice.instance_id == seeded.instances["app-eu-1"]
        volume_names = {v.name for v in real_rows(app, "volumes")}
        assert volume_names == {"app-eu-1-root", "app-eu-1-data"}

        await pilot.press("enter")  # into volumes
        app.pane("volumes").move_cursor_to_key(seeded.volumes["app-eu-1-data"])
        await pilot.pause()
        snaps = app.pane("snapshots").rows
        assert len(snaps) == 30
        assert {s.volume_id for s in snaps} == {seeded.volumes["app-eu-1-data"]}

        await pilot.press("escape", "escape", "escape")  # back up to the regions pane
        assert app.focused is app.pane("regions")


async def test_orphans_stay_reachable(demo_target: AwsTarget, seeded: SeedReport) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("colon", *"orphans", "enter")
        assert app.choice.volume_id == ORPHANS
        assert set(shown_ids(app)) == set(seeded.orphan_snapshots)
        assert app.focused is app.pane("snapshots")
        detail = app.query_one(DetailPanel)
        assert "gone" in detail.plain_text()


async def test_filter_narrows_and_escape_clears(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        total = len(app.pane("snapshots").rows)
        await pilot.press("4", "slash", *"before upgrade", "enter")
        rows: list[Snapshot] = app.pane("snapshots").rows
        assert [r.description for r in rows] == ["before upgrade to Ubuntu 24.04 - jdoe"]
        assert "1/" in str(app.pane("snapshots").border_subtitle)
        await pilot.press("slash", *"zzz-no-such", "enter")
        assert app.pane("snapshots").rows == []
        assert "No snapshot matches" in app.pane("snapshots").empty_text
        await pilot.press("escape")
        assert len(app.pane("snapshots").rows) == total


async def test_filter_matches_tags(demo_target: AwsTarget, seeded: SeedReport) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4", "slash", *"purpose=dr", "enter")
        assert set(shown_ids(app)) == set(seeded.copies)


async def test_sort_cycles_columns_and_reverses(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        pane = app.pane("snapshots")
        await pilot.press("4")
        first_sort = pane.sort_column
        await pilot.press("s")
        assert pane.sort_column != first_sort
        col = pane._column(pane.sort_column)
        assert col is not None and col.sort_key is not None
        keys = [col.sort_key(r) for r in pane.rows]
        assert keys == sorted(keys)
        await pilot.press("S")
        keys = [col.sort_key(r) for r in pane.rows]
        assert keys == sorted(keys, reverse=True)


async def test_copy_puts_the_highlighted_id_on_the_clipboard(
    demo_target: AwsTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")  # OSC 52 only
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4", "down")
        highlighted = app.pane("snapshots").cursor_row
        await pilot.press("y")
        assert app.clipboard == highlighted.id


async def test_refresh_shows_new_snapshots(
    demo_server: DemoServer, scratch_region: str, tmp_path: Any
) -> None:
    target = demo_server.target(regions=(scratch_region,), audit_path=tmp_path / "a.jsonl")
    app = make_app(target)
    c: Any = client(demo_server, "ec2", scratch_region)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert app.pane("snapshots").rows == []
        volume = c.create_volume(AvailabilityZone=f"{scratch_region}a", Size=2)["VolumeId"]
        sid = c.create_snapshot(VolumeId=volume, Description="made behind snaptui's back")[
            "SnapshotId"
        ]
        await pilot.press("r")
        await wait_loaded(pilot)
        assert shown_ids(app) == [sid]


async def test_a_denied_region_shows_its_error_and_the_others_their_data(
    demo_target: AwsTarget, demo_server: DemoServer
) -> None:
    app = make_app(demo_target)
    fail_http(
        app.ctx.client("ec2", "eu-west-1"), "DescribeSnapshots", "UnauthorizedOperation", "denied"
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        regions = {r.region for r in app.pane("snapshots").rows}
        assert regions == {"us-east-1", "ap-southeast-2"}
        assert app.query_one(StatusLine).facts.problems == 1
        await pilot.press("1", "down", "down")  # eu-west-1
        assert "access denied" in app.pane("snapshots").empty_text
        await pilot.press("e")
        assert isinstance(app.screen, ProblemsScreen)
        (problem,) = app.screen.problems
        assert problem.region == "eu-west-1" and "UnauthorizedOperation" in problem.message


async def test_unreachable_endpoint_does_not_crash(tmp_path: Any) -> None:
    from snaptui.demo.server import free_port

    target = AwsTarget(
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        regions=("us-east-1", "eu-west-1"),
        max_attempts=1,
        access_key_id="x",
        secret_access_key="y",
        audit_path=tmp_path / "a.jsonl",
    )
    app = make_app(target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert app.query_one(StatusLine).facts.problems == 2
        assert "endpoint unreachable" in app.pane("snapshots").empty_text
