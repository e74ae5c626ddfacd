"""Cost figures in the UI: per-snapshot columns, detail, marked-set savings, review, estimates."""

from __future__ import annotations

from typing import Any

from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.core import fmt
from snaptui.cost.report import set_freed_detail
from snaptui.demo.seed import SeedReport
from snaptui.ui.app import SnapApp
from snaptui.ui.cost_view import CostScreen, incr_cell
from snaptui.ui.panels.detail import DetailPanel
from tests.conftest import NOW
from tests.helpers import until, wait_loaded

SIZE = (120, 36)


def make_app(target: AwsTarget) -> SnapApp:
    return SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)


async def test_every_snapshot_gets_exact_figures(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        rows = app.pane("snapshots").rows
        costs = app.account_costs()
        figures = [costs.snapshot(r.id) for r in rows]
        assert all(f is not None for f in figures)
        standard = [f for f in figures if f is not None and f.storage_tier == "standard"]
        # Exact everywhere but the incremental DR copies: related to the earlier copy by a
        # probe, so their incremental size is a marked bound (what they free is exact).
        bounds = [f for f in standard if not f.exact]
        assert len(bounds) == 4 and all(f.copy and f.freed_bytes is not None for f in bounds)
        assert all("probing" in f.reason for f in bounds)
        await pilot.press("4")
        detail = app.query_one(DetailPanel).plain_text()
        assert "Incremental" in detail and "exact" in detail and "ESTIMATE" not in detail


async def test_marking_shows_what_the_set_frees(demo_target: AwsTarget, seeded: SeedReport) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        pane = app.pane("snapshots")
        await pilot.press("4")
        pane.sort_by("frees")  # the most expensive first: a figure worth reading
        await pilot.press("home", "space", "down", "space")
        assert len(pane.marked_keys) == 2
        expected = set_freed_detail(app.account_costs(), pane.marked_keys)
        subtitle = str(pane.border_subtitle)
        assert subtitle.startswith(f"2 marked · frees {fmt.money(expected.low_monthly)}/mo")
        assert expected.exact and expected.low_monthly > 0.5


async def test_cost_review_opens_with_regions_and_orphans(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, CostScreen)
        costs = app.screen.costs
        assert costs is not None
        assert {r for r, _ in costs.region_totals()} == {"us-east-1", "eu-west-1", "ap-southeast-2"}
        assert len(costs.orphans()) == 10
        await pilot.press("escape")
        assert not isinstance(app.screen, CostScreen)


async def test_denied_changed_blocks_gives_marked_estimates(
    demo_server: Any, seeded: SeedReport, tmp_path: Any
) -> None:
    target = demo_server.target(regions=("eu-west-1",), audit_path=tmp_path / "a.jsonl")
    app = make_app(target)
    app._cost_cache = type(app._cost_cache)(tmp_path / "cache")  # nothing cached: must ask AWS

    # moto cannot deny one API: answer ListChangedBlocks with AWS's AccessDenied at the HTTP
    # boundary of this app's own ebs client.
    from botocore.awsrequest import AWSResponse

    class Raw:
        def stream(self, **_: Any) -> Any:
            yield b'{"message": "not authorized to perform ebs:ListChangedBlocks"}'

    def deny(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, 403, {"x-amzn-ErrorType": "AccessDeniedException"}, Raw())

    app.ctx.client("ebs", "eu-west-1").meta.events.register(
        "before-send.ebs.ListChangedBlocks", deny
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        costs = app.account_costs()
        chain = [c for c in costs.all_snapshots() if c.volume_id == seeded.volumes["app-eu-1-data"]]
        non_roots = [c for c in chain if c.incremental_bytes is None]
        assert non_roots and all(not c.exact for c in non_roots)
        await pilot.press("4")
        app.pane("snapshots").move_cursor_to_key(non_roots[0].snapshot_id)
        await pilot.pause()
        assert "ESTIMATE" in app.query_one(DetailPanel).plain_text()
        pane = app.pane("snapshots")
        sid = non_roots[0].snapshot_id
        lines = [pane.render_line(y).text for y in range(pane.size.height)]
        line = next(t for t in lines if sid[:20] in t)  # the row as drawn on screen
        # The Incr column says it is an upper bound ("~"), never a bare figure.
        assert incr_cell(non_roots[0], computing=False).startswith("~")
        assert incr_cell(non_roots[0], computing=False) in line, line


async def test_live_prices_fall_back_to_the_bundled_table_with_a_note(
    demo_target: AwsTarget,
) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        before = app.account_costs().totals()
        await pilot.press("colon", *"prices", "enter")
        # moto has no Pricing API: the bundled table stays, and the user is told why (looked
        # for while it shows: a notification expires, and recomputing may outlast it).
        await until(
            pilot, lambda: any("bundled" in n.message.lower() for n in app._notifications), 60
        )
        await app.workers.wait_for_complete()
        await wait_loaded(pilot)
        assert app.account_costs().totals().monthly_high == before.monthly_high
