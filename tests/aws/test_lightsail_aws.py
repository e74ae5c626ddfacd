"""The Lightsail AWS layer against the demo world: inventory, actions, refusals, read-only.

Each action's effect is checked with a separate boto3 client (tests.lightsail_fixtures), and
each refusal by the audit log: a request refused before sending leaves no line there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from snaptui.aws import waiting
from snaptui.aws.calls import ActionError, ReadOnlyActionError
from snaptui.aws.lightsail import actions, inventory, restore
from snaptui.aws.lightsail.models import LsRegionInventory, LsSnapshot, SnapKind
from snaptui.aws.session import AwsContext
from snaptui.demo.lightsail import store as store_module
from snaptui.demo.server import DemoServer
from snaptui.models import ProblemKind
from tests.conftest import NOW, client
from tests.lightsail_fixtures import instant, ls_client, ls_region, place_web

__all__ = ["instant", "ls_region"]
FAST = waiting.WaitOptions(delay=0.02, timeout=10)


def _ctx(server: DemoServer, tmp_path: Path, *regions: str, read_only: bool = False) -> AwsContext:
    target = server.target(regions=regions, read_only=read_only, audit_path=tmp_path / "a.jsonl")
    return AwsContext(target)


def _inv(ctx: AwsContext, region: str) -> LsRegionInventory:
    return inventory.fetch_region(ctx, region, clock=lambda: NOW)


def _snap(inv: LsRegionInventory, name: str) -> LsSnapshot:
    return next(s for s in inv.snapshots if s.name == name or s.key == name)


def test_inventory_of_the_seed(demo_server: DemoServer, seeded: object, tmp_path: Path) -> None:
    ctx = _ctx(demo_server, tmp_path, "us-east-1", "eu-west-1", "ap-southeast-2")
    regions, problems = inventory.lightsail_regions(ctx)
    invs = {i.region: i for i in inventory.fetch_all(ctx, regions, clock=lambda: NOW)}
    us, eu = invs["us-east-1"], invs["eu-west-1"]
    assert not problems and not us.problems and not eu.problems
    blog = next(i for i in us.instances if i.name == "blog")
    assert blog.auto.enabled and blog.auto.time_of_day == "03:00"
    autos = [s for s in us.snapshots if s.is_auto and s.source_name == "blog"]
    assert len(autos) == 7 and all(s.size_gb == 60 for s in autos)
    assert {s.source_name for s in us.snapshots if not s.is_auto} >= {"legacy-lamp", "blog"}
    wp_media = next(d for d in eu.disks if d.name == "wp-media")
    assert (wp_media.attached_to, wp_media.path) == ("wordpress", "/dev/xvdf")
    kinds = sorted(s.kind.value for s in eu.snapshots)
    assert kinds == ["disk"] * 5 + ["instance"] * 5
    assert invs["ap-southeast-2"].snapshots == []


def test_inventory_pages_and_problems_stay_in_their_region(
    demo_server: DemoServer, ls_region: str, instant: Any, tmp_path: Path
) -> None:
    place_web(ls_region)
    ls = ls_client(demo_server, ls_region)
    for n in range(23):
        ls.create_instance_snapshot(instanceName="web", instanceSnapshotName=f"web-{n:02d}")
    ctx = _ctx(demo_server, tmp_path, ls_region, "us-east-1", "sa-east-1")
    regions, problems = inventory.lightsail_regions(ctx)
    assert regions == [ls_region, "us-east-1"]
    assert [(p.region, p.kind) for p in problems] == [("sa-east-1", ProblemKind.NOT_SUPPORTED)]
    assert len([s for s in _inv(ctx, ls_region).snapshots if not s.is_auto]) == 23
    store_module.store().denied_regions.add(ls_region)
    invs = {i.region: i for i in inventory.fetch_all(ctx, regions, clock=lambda: NOW)}
    assert invs[ls_region].problems[0].kind is ProblemKind.ACCESS_DENIED
    assert invs["us-east-1"].problems == [] and invs["us-east-1"].instances


def _audit(ctx: AwsContext) -> list[str]:
    return [f"{e['action']}:{e['outcome']}" for e in ctx.audit.read()]


@pytest.mark.parametrize(
    ("name", "tags", "field"),
    [
        ("bad name", {}, "name"),
        ("-x", {}, "name"),
        ("ok-1", {f"k{n}": "" for n in range(51)}, "tags"),
        ("ok-1", {"aws:cf": "x"}, "tags"),
        ("ok-1", {"k": "v" * 257}, "tags"),
    ],
)
def test_bad_input_is_refused_before_sending(
    demo_server: DemoServer, ls_region: str, tmp_path: Path, name: str, tags: Any, field: str
) -> None:
    place_web(ls_region)
    ctx = _ctx(demo_server, tmp_path, ls_region)
    with pytest.raises(ActionError) as exc:
        actions.create_instance_snapshot(ctx, ls_region, "web", name, tags)
    assert field in exc.value.fields
    assert _audit(ctx) == []  # nothing was sent


def test_create_duplicate_delete_and_audit(
    demo_server: DemoServer, ls_region: str, instant: Any, tmp_path: Path
) -> None:
    place_web(ls_region)
    ctx = _ctx(demo_server, tmp_path, ls_region)
    actions.create_instance_snapshot(ctx, ls_region, "web", "web-1", {"team": "ops"})
    actions.create_disk_snapshot(ctx, ls_region, "data", "data-1")
    with pytest.raises(ActionError) as exc:
        actions.create_disk_snapshot(ctx, ls_region, "data", "web-1")
    assert "already used" in exc.value.fields["name"]
    inv = _inv(ctx, ls_region)
    assert _snap(inv, "web-1").tags == {"team": "ops"}
    assert actions.delete_snapshot(ctx, _snap(inv, "web-1")) is True
    assert actions.delete_snapshot(ctx, _snap(inv, "web-1")) is False  # already gone
    assert actions.delete_snapshot(ctx, _snap(inv, "data-1")) is True
    other = ls_client(demo_server, ls_region)
    assert other.get_instance_snapshots()["instanceSnapshots"] == []
    entries = ctx.audit.read()
    assert entries[0]["action"] == "CreateInstanceSnapshot" and entries[0]["outcome"] == "ok"
    assert "InstanceSnapshot=web-1" in entries[0]["detail"]


def test_read_only_refuses_every_mutation_below_the_ui(
    demo_server: DemoServer, ls_region: str, instant: Any, tmp_path: Path
) -> None:
    place_web(ls_region, auto=True)
    ctx = _ctx(demo_server, tmp_path, ls_region, read_only=True)
    auto = next(s for s in _inv(ctx, ls_region).snapshots if s.is_auto)
    attempts = [
        lambda: actions.create_instance_snapshot(ctx, ls_region, "web", "web-1"),
        lambda: actions.delete_snapshot(ctx, auto),
        lambda: actions.keep_auto_snapshot(ctx, auto, "kept-1"),
        lambda: actions.set_auto_snapshots(ctx, ls_region, "web", enabled=False),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyActionError):
            attempt()
    assert {e["outcome"] for e in ctx.audit.read()} == {"refused"}
    other = ls_client(demo_server, ls_region)
    assert len(other.get_auto_snapshots(resourceName="web")["autoSnapshots"]) == 7
    assert other.get_instance_snapshots()["instanceSnapshots"] == []


def test_copy_keep_and_delete_an_automatic_snapshot(
    demo_server: DemoServer, ls_region: str, instant: Any, tmp_path: Path
) -> None:
    place_web(ls_region, auto=True)
    ctx = _ctx(demo_server, tmp_path, ls_region, "eu-west-1")
    autos = sorted((s for s in _inv(ctx, ls_region).snapshots if s.is_auto), key=lambda s: s.key)
    actions.keep_auto_snapshot(ctx, autos[0], "web-kept")
    weekly = next(s for s in _inv(ctx, "eu-west-1").snapshots if s.kind is SnapKind.INSTANCE)
    actions.copy_snapshot(ctx, weekly, ls_region, "wp-dr")
    assert actions.delete_snapshot(ctx, autos[0]) is True
    other = ls_client(demo_server, ls_region)
    kept = other.get_instance_snapshot(instanceSnapshotName="web-kept")["instanceSnapshot"]
    assert kept["isFromAutoSnapshot"] and kept["fromInstanceName"] == "web"
    assert other.get_instance_snapshot(instanceSnapshotName="wp-dr")["instanceSnapshot"]
    dates = [a["date"] for a in other.get_auto_snapshots(resourceName="web")["autoSnapshots"]]
    assert autos[0].auto_date not in dates and len(dates) == 6


def test_new_instance_needs_a_bundle_at_least_the_snapshot(
    demo_server: DemoServer, ls_region: str, instant: Any, tmp_path: Path
) -> None:
    place_web(ls_region)
    ctx = _ctx(demo_server, tmp_path, ls_region)
    ls_client(demo_server, ls_region).copy_snapshot(
        sourceRegion="us-east-1", sourceResourceName="blog", useLatestRestorableAutoSnapshot=True,
        targetSnapshotName="blog-60",
    )  # fmt: skip
    snap = _snap(_inv(ctx, ls_region), "blog-60")
    small = restore.NewInstance("blog-2", f"{ls_region}a", "micro_3_0")
    for bad, field in [
        (small, "bundle"),
        (restore.NewInstance("blog-2", "elsewhere-1a", "small_3_0"), "zone"),
        (restore.NewInstance("web", f"{ls_region}a", "small_3_0"), "name"),
        (restore.NewInstance("blog-2", f"{ls_region}a", "small_3_0", key_pair="x"), "key_pair"),
    ]:
        with pytest.raises(ActionError) as exc:
            restore.create_instance_from_snapshot(ctx, snap, bad)
        assert field in exc.value.fields
    assert "CreateInstancesFromSnapshot" not in {e["action"] for e in ctx.audit.read()}
    restore.create_instance_from_snapshot(
        ctx, snap, restore.NewInstance("blog-2", f"{ls_region}b", "small_3_0", user_data="echo")
    )
    made = ls_client(demo_server, ls_region).get_instance(instanceName="blog-2")["instance"]
    assert (made["bundleId"], made["blueprintId"]) == ("small_3_0", "ghost")


def test_restore_disk_attach_mount_and_clean_up(
    demo_server: DemoServer, ls_region: str, instant: Any, tmp_path: Path
) -> None:
    place_web(ls_region)
    ctx = _ctx(demo_server, tmp_path, ls_region)
    actions.create_disk_snapshot(ctx, ls_region, "data", "data-1")
    snap = _snap(_inv(ctx, ls_region), "data-1")
    with pytest.raises(ActionError) as exc:
        restore.restore_disk(ctx, snap, "web", path="/dev/xvdf", wait=FAST)  # in use
    assert "path" in exc.value.fields
    with pytest.raises(ActionError) as exc:
        restore.restore_disk(ctx, snap, "web", size_gb=4, wait=FAST)
    assert "size" in exc.value.fields
    done = restore.restore_disk(ctx, snap, "web", wait=FAST)
    assert done.path == "/dev/xvdg" and any("/dev/xvdg" in line for line in done.commands)
    other = ls_client(demo_server, ls_region)
    disk = other.get_disk(diskName=done.disk_name)["disk"]
    assert (disk["attachedTo"], disk["path"], disk["state"]) == ("web", "/dev/xvdg", "in-use")
    with pytest.raises(ActionError):
        restore.cleanup_restore(ctx, ls_region, "data")  # not ours: left alone
    restore.cleanup_restore(ctx, ls_region, done.disk_name, wait=FAST)
    assert {d["name"] for d in other.get_disks()["disks"]} == {"data"}


def test_instance_snapshot_cannot_make_a_disk(
    demo_server: DemoServer, ls_region: str, instant: Any, tmp_path: Path
) -> None:
    place_web(ls_region)
    ctx = _ctx(demo_server, tmp_path, ls_region)
    actions.create_instance_snapshot(ctx, ls_region, "web", "web-1")
    with pytest.raises(ActionError) as exc:
        restore.restore_disk(ctx, _snap(_inv(ctx, ls_region), "web-1"), "web", wait=FAST)
    assert "snapshot" in exc.value.fields


def test_auto_snapshot_add_on_and_export(
    demo_server: DemoServer, ls_region: str, instant: Any, tmp_path: Path
) -> None:
    place_web(ls_region)
    ctx = _ctx(demo_server, tmp_path, ls_region)
    with pytest.raises(ActionError) as exc:
        actions.set_auto_snapshots(ctx, ls_region, "web", enabled=True, time_of_day="3:30")
    assert "time" in exc.value.fields
    actions.set_auto_snapshots(ctx, ls_region, "web", enabled=True, time_of_day="23:00")
    web = next(i for i in _inv(ctx, ls_region).instances if i.name == "web")
    assert (web.auto.enabled, web.auto.time_of_day) == (True, "23:00")
    actions.set_auto_snapshots(ctx, ls_region, "web", enabled=False)
    assert not next(i for i in _inv(ctx, ls_region).instances if i.name == "web").auto.enabled
    actions.create_disk_snapshot(ctx, ls_region, "data", "data-1")
    actions.export_snapshot(ctx, _snap(_inv(ctx, ls_region), "data-1"))
    ec2: Any = client(demo_server, "ec2", ls_region)
    found = ec2.describe_snapshots(
        OwnerIds=["self"], Filters=[{"Name": "tag:lightsail:snapshot", "Values": ["data-1"]}]
    )["Snapshots"]
    assert [s["VolumeSize"] for s in found] == [8]
    for s in found:
        ec2.delete_snapshot(SnapshotId=s["SnapshotId"])
