""":fsr and :fsr-off driven by keys as typed at 80x24, checked with a separate boto3 client
(DescribeFastSnapshotRestores) on the demo world: the price said before anything is sent, the
source volume's AZ offered, a wrong AZ refused beside the field, the detail updated after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from snaptui.demo.server import DemoServer
from snaptui.ui.dialogs.form import FormScreen
from snaptui.ui.panels.detail import DetailPanel
from tests.conftest import client
from tests.helpers import until, wait_loaded
from tests.ui.test_actions_ui import focus_snapshot, make_app, task_done, world
from tests.ui.test_keys_ui import screen_text
from tests.ui.test_protection_ui import open_view_on

SIZE = (80, 24)


def fast_restored(ec2: Any, sid: str) -> dict[str, str]:
    found = ec2.describe_fast_snapshot_restores(Filters=[{"Name": "snapshot-id", "Values": [sid]}])[
        "FastSnapshotRestores"
    ]
    return {d["AvailabilityZone"]: d["State"] for d in found}


async def test_turn_fast_restore_on_in_the_volume_az_then_off(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    sid, az = w["snapshot"], w["az"]
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_view_on(pilot, app, sid, "fsr")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        shown = screen_text(app)
        assert "Fast restore now: off in every AZ" in shown and "$0.75 an hour" in shown
        assert az in shown  # the source volume's AZ is offered
        await pilot.press(*["backspace"] * len(az), *f"{scratch_region}q", "ctrl+s")
        assert f"not an AZ of {scratch_region}" in screen_text(app)
        assert fast_restored(ec2, sid) == {}  # nothing was sent
        await pilot.press(*["backspace"] * (len(scratch_region) + 1), *az, "ctrl+s")
        await task_done(pilot)
        assert fast_restored(ec2, sid)[az] in ("enabling", "optimizing", "enabled")
        await pilot.press("escape")
        detail = app.query_one(DetailPanel)
        await until(pilot, lambda: f"Fast restore {az} " in detail.plain_text())
        await pilot.press("colon", *"fsr-off", "enter")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        assert f"Fast restore now: {az} " in screen_text(app)
        await pilot.press("ctrl+s")  # where it is on is the default
        await task_done(pilot)
    assert fast_restored(ec2, sid)[az] in ("disabling", "disabled")


async def test_off_when_off_says_so_and_read_only_refuses(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_view_on(pilot, app, w["snapshot"], "fsr-off")
        await until(pilot, lambda: any("off in every AZ" in n.message for n in app._notifications))
        assert not isinstance(app.screen, FormScreen)
    app = make_app(demo_server, scratch_region, tmp_path, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_view_on(pilot, app, w["snapshot"], "fsr")
        assert any("read-only" in n.message for n in app._notifications)
        assert not isinstance(app.screen, FormScreen)


async def test_create_volume_offers_the_fast_restored_az_and_the_initialization_rate(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    ec2: Any = client(demo_server, "ec2", scratch_region)
    zones = sorted(z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"])
    fast_az = zones[-1]  # neither the region's first nor the volume's
    ec2.enable_fast_snapshot_restores(
        AvailabilityZones=[fast_az], SourceSnapshotIds=[w["snapshot"]]
    )
    fsr = demo_server.services.fsr
    started = fsr.clock()
    fsr.clock = lambda: started + timedelta(minutes=5)  # optimized by now
    try:
        app = make_app(demo_server, scratch_region, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            await focus_snapshot(pilot, app, w["snapshot"])
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, FormScreen))
            shown = screen_text(app)
    finally:
        fsr.clock = lambda: datetime.now(UTC)
    assert f"Fast restore is enabled in {fast_az}" in shown
    assert any(line.strip("│ ") == fast_az for line in shown.splitlines())  # the AZ field
    assert "at 300; AWS bills" in shown  # how long the initialization rate takes
