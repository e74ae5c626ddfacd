"""Who manages a snapshot and what keeps it, as the detail panel and a delete say it: DLM's own
policy, AWS Backup's recovery points (deleted through Backup, since EC2 refuses), a Recycle Bin
rule that delays the saving, fast snapshot restore and its hourly cost; and "unknown (no
permission)" where a lookup is denied, never "none". Checked with a separate boto3 client."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from snaptui.demo.dlm_backend import Policy
from snaptui.demo.rbin_backend import Rule
from snaptui.demo.server import DemoServer
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.panels.detail import DetailPanel
from tests.conftest import client
from tests.helpers import until, wait_loaded
from tests.ui.test_actions_ui import SIZE, focus_snapshot, make_app, task_done, world
from tests.ui.test_keys_ui import screen_text

POLICY = "policy-0123456789abcdef0"


def _tagged_snapshot(server: DemoServer, region: str, volume: str, **tags: str) -> str:
    ec2: Any = client(server, "ec2", region)
    pairs = [{"Key": k, "Value": v} for k, v in tags.items()]
    spec = [{"ResourceType": "snapshot", "Tags": pairs}]
    return str(ec2.create_snapshot(VolumeId=volume, TagSpecifications=spec)["SnapshotId"])


def _policy(server: DemoServer, region: str) -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    server.services.dlm.add(
        region, Policy(POLICY, "app data nightly", {"env": "prod"}, "Nightly", 24, 7, when)
    )


async def test_the_detail_names_the_dlm_policy_fast_restore_and_its_cost(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    _policy(demo_server, scratch_region)
    sid = _tagged_snapshot(
        demo_server, scratch_region, w["volume"], **{"aws:dlm:lifecycle-policy-id": POLICY}
    )
    ec2: Any = client(demo_server, "ec2", scratch_region)
    ec2.enable_fast_snapshot_restores(AvailabilityZones=[w["az"]], SourceSnapshotIds=[sid])
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, sid)
        shown = app.query_one(DetailPanel).plain_text()
    assert f'DLM policy {POLICY}: "app data nightly", keeps 7' in shown
    assert f"Fast restore {w['az']} enabling: about $0.75/h, $547.50/month" in shown


async def test_denied_lookups_say_unknown_no_permission_not_none(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    _policy(demo_server, scratch_region)
    sid = _tagged_snapshot(
        demo_server, scratch_region, w["volume"], **{"aws:dlm:lifecycle-policy-id": POLICY}
    )
    for service in ("dlm", "rbin"):
        demo_server.services.routes.denied.add((service, scratch_region))
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, sid)
        shown = app.query_one(DetailPanel).plain_text()
    assert f"DLM policy {POLICY}: policy unknown (no permission)" in shown
    assert "Recycle Bin unknown (no permission)" in shown


async def test_a_backup_recovery_point_is_deleted_through_backup(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    arn = f"arn:aws:ec2:{scratch_region}:123456789012:volume/{w['volume']}"
    sid = _tagged_snapshot(
        demo_server, scratch_region, w["volume"], **{"aws:backup:source-resource": arn}
    )
    ec2: Any = client(demo_server, "ec2", scratch_region)
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, sid)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "deleted through AWS Backup" in screen_text(app)
        await pilot.press("tab", "enter")
        await task_done(pilot)
    left = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert sid not in left
    audit = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert ("DeleteRecoveryPoint", "ok") in [(r["action"], r["outcome"]) for r in audit]
    assert "DeleteSnapshot" not in [r["action"] for r in audit]


async def test_a_delete_a_recycle_bin_rule_keeps_says_when_the_saving_comes(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    demo_server.services.rbin.add(
        scratch_region, Rule("keep-dr", "", 21, resource_tags=(("purpose", "dr"),))
    )
    sid = _tagged_snapshot(demo_server, scratch_region, w["volume"], purpose="dr")
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, sid)
        assert (
            "kept 21 days after a delete (rule keep-dr)" in app.query_one(DetailPanel).plain_text()
        )
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        shown = screen_text(app)
    assert "Recycle Bin, rule keep-dr (21 days)" in shown
    assert "saving arrives after that" in shown


async def _rows_for(pilot: Any, app: Any, query: str) -> set[str]:
    """Type a filter as keys (as a user would) and read which snapshot IDs the screen shows."""
    await pilot.press("4", "slash", *query, "enter")
    await pilot.pause()
    text = screen_text(app)
    await pilot.press("slash", "ctrl+u", "escape")
    return {word for word in text.split() if word.startswith("snap-")}


async def test_filter_by_manager_finds_dlm_ami_and_person_snapshots(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    dlm = _tagged_snapshot(
        demo_server, scratch_region, w["volume"], **{"aws:dlm:lifecycle-policy-id": POLICY}
    )
    used = _tagged_snapshot(demo_server, scratch_region, w["volume"], Name="golden")
    ec2: Any = client(demo_server, "ec2", scratch_region)
    ec2.register_image(
        Name="from-snap",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": used}}],
    )
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        assert await _rows_for(pilot, app, "by:dlm") == {dlm}
        ami = await _rows_for(pilot, app, "by:ami")  # also the world's image's own snapshot
        person = await _rows_for(pilot, app, "by:person")
    assert used in ami and not ami & {dlm, w["snapshot"]}
    assert w["snapshot"] in person and not person & ami and dlm not in person


async def test_sorting_by_manager_shows_the_column_even_at_80x24(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    dlm = _tagged_snapshot(
        demo_server, scratch_region, w["volume"], **{"aws:dlm:lifecycle-policy-id": POLICY}
    )
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4")
        assert "By" not in screen_text(app).split()  # too narrow until sorted by it
        pane = app.pane("snapshots")
        for _ in range(len(pane.columns)):
            if pane.sort_column == "by":
                break
            await pilot.press("s")
        await pilot.pause()
        lines = screen_text(app).splitlines()
    assert any("By▲" in line for line in lines)
    first = next(line for line in lines if "snap-" in line)
    assert dlm in first and "DLM" in first  # DLM sorts first; the person's one says so
    assert any(w["snapshot"] in line and "person" in line for line in lines)


async def test_a_backup_snapshot_names_its_plan_vault_and_deletion_where_the_cursor_rests(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    arn = f"arn:aws:ec2:{scratch_region}:123456789012:volume/{w['volume']}"
    sid = _tagged_snapshot(
        demo_server, scratch_region, w["volume"], **{"aws:backup:source-resource": arn}
    )
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, sid)
        await until(pilot, lambda: "bastion-weekly-90d" in screen_text(app))
        shown = app.query_one(DetailPanel).plain_text()  # on screen at 80x24, above the fold
    assert "Backup plan bastion-weekly-90d, rule weekly; vault Default; deletes it" in shown
    assert "from now)" in shown


async def test_a_denied_backup_lookup_says_unknown_never_a_plan(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    w = world(demo_server, scratch_region)
    arn = f"arn:aws:ec2:{scratch_region}:123456789012:volume/{w['volume']}"
    sid = _tagged_snapshot(
        demo_server, scratch_region, w["volume"], **{"aws:backup:source-resource": arn}
    )
    demo_server.services.routes.denied.add(("backup", scratch_region))
    app = make_app(demo_server, scratch_region, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await focus_snapshot(pilot, app, sid)
        detail = app.query_one(DetailPanel)
        await until(pilot, lambda: "Backup plan unknown" in detail.plain_text())
        shown = detail.plain_text()
    assert "Backup plan unknown (no permission)" in shown
