"""Loads, reloads and costs under latency injected at the HTTP boundary (botocore events).

The gates below hold one AWS answer back in the thread that asked, exactly as a slow region
would; nothing of snaptui's own code is replaced. A sampler reads what the user sees (the
status line's facts, the region rows, the cost cells' source) while the app runs.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from snaptui.aws.diff_cache import DiffCache
from snaptui.aws.session import AwsContext
from snaptui.demo.server import DemoServer
from snaptui.ui.app import SnapApp
from snaptui.ui.dialogs.form import FormScreen
from snaptui.ui.dialogs.task import TaskScreen
from snaptui.ui.panels.status import StatusLine
from tests.conftest import NOW, client
from tests.helpers import until, wait_loaded

SIZE = (120, 36)


def hold(ec2: Any, operation: str, held_calls: set[int], gate: threading.Event) -> list[int]:
    """Make the listed calls (1-based) of ``operation`` wait for ``gate`` after AWS answered.

    The inventory's public check (DescribeSnapshots with RestorableByUserIds) is not counted:
    only the listing is the call a slow region holds back."""
    calls: list[int] = []

    def before(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["held_listing"] = not params.get("RestorableByUserIds")

    def after_call(context: dict[str, Any], **_: Any) -> None:
        if not context.get("held_listing", True):
            return
        calls.append(1)
        if len(calls) in held_calls:
            gate.wait(30)

    ec2.meta.events.register(f"before-parameter-build.ec2.{operation}", before)
    ec2.meta.events.register(f"after-call.ec2.{operation}", after_call)
    return calls


class Sampler:
    """Checks a condition every few ms while the app runs; keeps what it saw go wrong."""

    def __init__(self, check: Callable[[], str | None]) -> None:
        self.check = check
        self.problems: list[str] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            problem = self.check()
            if problem and problem not in self.problems:
                self.problems.append(problem)
            await asyncio.sleep(0.005)

    def __enter__(self) -> Sampler:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()


def snapshot_ids(app: SnapApp, region: str) -> set[str]:
    inv = app.state.inventories.get(region)
    return {s.id for s in inv.snapshots} if inv is not None else set()


async def test_refresh_during_a_slow_load_ends_with_exactly_the_new_load(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    volume = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=1)["VolumeId"]
    first = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    target = demo_server.target(
        regions=(scratch_region, "eu-west-1"), audit_path=tmp_path / "audit.jsonl"
    )
    app = SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)
    app._cost_cache = DiffCache(tmp_path / "cache")
    old_gate, new_gate = threading.Event(), threading.Event()
    # The first load's scratch answer comes late; so does the second load's eu-west-1 one.
    scratch_calls = hold(app.ctx.client("ec2", scratch_region), "DescribeSnapshots", {1}, old_gate)
    eu_calls = hold(app.ctx.client("ec2", "eu-west-1"), "DescribeSnapshots", {2}, new_gate)
    state = app.state
    second = ""
    new_shown: list[bool] = []

    def check() -> str | None:
        if state.generation < 2:
            return None
        facts = app.query_one(StatusLine).facts
        if not new_gate.is_set():  # the new load cannot be done: eu-west-1 is held back
            if not facts.loading:
                return "loading=False while the new load runs"
            if "eu-west-1" not in state.loading_regions:
                return "eu-west-1 marked loaded before it answered"
            if state.cost.running:
                return "costs started before the new load finished"
        # What the old load showed stays until the new answer comes (a refresh keeps the
        # screen); once the new answer is shown, the old load's late one must never replace it.
        if second in snapshot_ids(app, scratch_region):
            new_shown.append(True)
        elif new_shown:
            return "the old load's late scratch answer replaced the new one"
        for rc in state.cost.regions.values():
            if rc.region == scratch_region and second not in rc.snapshots:
                return "costs computed on the old inventory"
        return None

    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(scratch_calls) == 1 and "eu-west-1" in state.inventories)
        second = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        with Sampler(check) as sampler:
            await pilot.press("r")
            await until(pilot, lambda: len(scratch_calls) == 2 and len(eu_calls) == 2)
            await until(pilot, lambda: second in snapshot_ids(app, scratch_region))
            old_gate.set()  # the first load now finishes, during the second
            await asyncio.sleep(1.0)
            new_gate.set()
            await wait_loaded(pilot)
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert sampler.problems == []
        assert snapshot_ids(app, scratch_region) == {first, second}
        facts = app.query_one(StatusLine).facts
        assert not facts.loading and facts.regions_done == 2 and facts.regions_total == 2
        assert second in state.cost.regions[scratch_region].snapshots
        assert set(state.cost.regions) == {scratch_region, "eu-west-1"}
        assert facts.cost.endswith("/mo")


async def test_an_action_reloads_one_region_and_only_its_costs(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    volume = ec2.create_volume(
        AvailabilityZone=f"{scratch_region}a",
        Size=1,
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "data"}]}],
    )["VolumeId"]
    ec2.create_snapshot(VolumeId=volume)
    target = demo_server.target(
        regions=(scratch_region, "eu-west-1"), audit_path=tmp_path / "audit.jsonl"
    )
    app = SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)
    eu_ebs_calls: list[str] = []
    app.ctx.client("ebs", "eu-west-1").meta.events.register(
        "before-send.ebs", lambda request, **_: eu_ebs_calls.append(request.url)
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        eu_costs = app.state.cost.regions["eu-west-1"]
        eu_inventory = app.state.inventories["eu-west-1"]
        eu_ebs_calls.clear()
        await pilot.press("3")
        assert app.pane("volumes").move_cursor_to_key(volume)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, TaskScreen) and app.screen.done)
        task = app.screen
        assert isinstance(task, TaskScreen) and task._result is not None and task._result.ok
        made = task._result.value[0]
        await pilot.press("escape")
        await until(pilot, lambda: made in app.state.cost.of, timeout=20)
        await wait_loaded(pilot)
        # The other region was neither fetched nor costed again.
        assert app.state.inventories["eu-west-1"] is eu_inventory
        assert app.state.cost.regions["eu-west-1"] is eu_costs
        assert eu_ebs_calls == []
        assert made in app.state.cost.regions[scratch_region].snapshots


class Crash(BaseException):
    """Not an Exception: escapes every `except Exception` in the fetch path, as a bug would."""


async def test_a_job_that_dies_never_leaves_the_app_loading(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    target = demo_server.target(regions=("eu-west-1",), audit_path=tmp_path / "audit.jsonl")
    app = SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)

    def crash(**_: Any) -> None:
        raise Crash("the fetch job died")

    app.ctx.client("ec2", "eu-west-1").meta.events.register(
        "before-send.ec2.DescribeSnapshots", crash
    )
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(app.state.problems), timeout=20)
        facts = app.query_one(StatusLine).facts
        assert not facts.loading and facts.problems == 1
        assert app.state.loading_regions == set()
        assert any("failed" in (n.title or "") for n in app._notifications)
        await pilot.press("r")  # and the app still works
        await until(pilot, lambda: len(app.state.problems) == 1 and not app.state.loading)


async def test_cost_progress_from_several_regions_at_once(demo_target: Any, tmp_path: Path) -> None:
    app = SnapApp(AwsContext(demo_target), endpoint_label="demo", clock=lambda: NOW)
    app._cost_cache = DiffCache(tmp_path / "cache")  # nothing cached: every edge is fetched
    for region in demo_target.regions:
        # A little latency per diff so the regions' edges overlap in time.
        app.ctx.client("ebs", region).meta.events.register(
            "after-call.ebs.ListChangedBlocks", lambda **_: threading.Event().wait(0.01)
        )
    seen: list[tuple[int, str]] = []

    def check() -> str | None:
        progress = app.state.cost.progress
        busy = [r for r, (_, total) in progress.items() if total]
        seen.append((len(busy), app.query_one(StatusLine).facts.cost))
        return None

    async with app.run_test(size=SIZE) as pilot:
        with Sampler(check):
            await wait_loaded(pilot, timeout=60)
        assert max(n for n, _ in seen) >= 2  # several regions were in flight together
        assert any(text.startswith("cost ") and "/" in text for _, text in seen)
        assert app.query_one(StatusLine).facts.cost.endswith("/mo")
        assert set(app.state.cost.regions) == set(demo_target.regions)
