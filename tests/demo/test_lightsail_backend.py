"""The demo world's Lightsail backend behaves as Lightsail does, in the model's shapes.

Every call goes through a plain boto3 client whose raw answers are checked against botocore's
output (and error) shapes, so a field Lightsail does not have, or a wrong type, fails here.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from snaptui.demo.lightsail import store as store_module
from snaptui.demo.lightsail.wsgi import OPERATIONS
from snaptui.demo.server import DemoServer
from tests.conftest import NOW, client
from tests.lightsail_fixtures import instant, ls_client, ls_region, place_web

__all__ = ["instant", "ls_region"]
SEEN: list[str] = []


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _world(region: str, *, auto: bool = False) -> None:
    place_web(region, auto=auto)


@pytest.fixture
def ls(demo_server: DemoServer, ls_region: str) -> Any:
    _world(ls_region)
    return ls_client(demo_server, ls_region, SEEN)


def test_seed_matches_the_story(demo_server: DemoServer, seeded: object) -> None:
    us, eu = ls_client(demo_server, "us-east-1", SEEN), ls_client(demo_server, "eu-west-1", SEEN)
    blog = us.get_instance(instanceName="blog")["instance"]
    assert blog["blueprintId"] == "ghost"
    assert blog["addOns"][0]["snapshotTimeOfDay"] == "03:00"
    autos = us.get_auto_snapshots(resourceName="blog")["autoSnapshots"]
    assert len(autos) == 7 and autos[-1]["date"] == NOW.date().isoformat()
    names = {s["name"] for s in us.get_instance_snapshots()["instanceSnapshots"]}
    assert {"legacy-lamp-final", "blog-before-ghost-6"} <= names
    with pytest.raises(ClientError) as exc:
        us.get_instance(instanceName="legacy-lamp")  # its snapshots are orphans
    assert _code(exc) == "NotFoundException"
    disk = eu.get_disk(diskName="wp-media")["disk"]
    assert (disk["attachedTo"], disk["path"], disk["state"]) == ("wordpress", "/dev/xvdf", "in-use")
    weekly = eu.get_instance_snapshots()["instanceSnapshots"]
    assert len(weekly) == 5
    assert all({"key": "made-by", "value": "lightsail-backup.sh"} in s["tags"] for s in weekly)
    assert weekly[0]["fromAttachedDisks"][0]["name"] == "wp-media"


def test_get_calls_page_with_page_token(ls: Any, instant: Any) -> None:
    for n in range(23):
        ls.create_instance_snapshot(instanceName="web", instanceSnapshotName=f"web-{n:02d}")
    first = ls.get_instance_snapshots()
    assert len(first["instanceSnapshots"]) == 10 and first["nextPageToken"]
    pages = list(ls.get_paginator("get_instance_snapshots").paginate())
    assert [len(p["instanceSnapshots"]) for p in pages] == [10, 10, 3]
    with pytest.raises(ClientError) as exc:
        ls.get_instance_snapshots(pageToken="not-ours")
    assert _code(exc) == "InvalidInputException"


def test_snapshots_are_pending_then_available(ls: Any) -> None:
    store = store_module.store()
    before, store.pending_for = store.pending_for, timedelta(seconds=0.4)
    try:
        ls.create_instance_snapshot(instanceName="web", instanceSnapshotName="web-1")
        ls.create_disk_snapshot(diskName="data", diskSnapshotName="data-1")
        assert (
            ls.get_instance_snapshot(instanceSnapshotName="web-1")["instanceSnapshot"]["state"]
            == "pending"
        )
        with pytest.raises(ClientError):  # a pending snapshot cannot be deleted or copied
            ls.delete_instance_snapshot(instanceSnapshotName="web-1")
        time.sleep(0.5)
        snap = ls.get_instance_snapshot(instanceSnapshotName="web-1")["instanceSnapshot"]
        assert (snap["state"], snap["progress"]) == ("available", "100%")
        assert ls.get_disk_snapshot(diskSnapshotName="data-1")["diskSnapshot"]["state"] == (
            "completed"
        )
    finally:
        store.pending_for = before


def test_mutations_answer_operations(ls: Any, instant: Any) -> None:
    ops = ls.create_instance_snapshot(instanceName="web", instanceSnapshotName="web-1")
    assert ops["operations"][0]["operationType"] == "CreateInstanceSnapshot"
    snap = ls.get_instance_snapshot(instanceSnapshotName="web-1")["instanceSnapshot"]
    assert snap["fromAttachedDisks"][0]["path"] == "/dev/xvdf" and snap["sizeInGb"] == 20
    ops = ls.delete_instance_snapshot(instanceSnapshotName="web-1")["operations"]
    assert ops[0]["resourceName"] == "web-1"


@pytest.mark.parametrize(
    ("params", "why"),
    [
        ({"instanceSnapshotName": "-bad"}, "leading hyphen"),
        ({"instanceSnapshotName": "has space"}, "space"),
        ({"instanceSnapshotName": "ok-1", "tags": [{"key": f"k{n}"} for n in range(51)]}, "51"),
        ({"instanceSnapshotName": "ok-1", "tags": [{"key": "aws:x", "value": ""}]}, "aws:"),
        ({"instanceSnapshotName": "ok-1", "tags": [{"key": "k" * 129, "value": ""}]}, "key"),
        ({"instanceSnapshotName": "ok-1", "tags": [{"key": "k", "value": "v" * 257}]}, "val"),
    ],
)
def test_invalid_input_is_refused(ls: Any, params: dict[str, Any], why: str) -> None:
    with pytest.raises(ClientError) as exc:
        ls.create_instance_snapshot(instanceName="web", **params)
    assert _code(exc) == "InvalidInputException", why
    assert ls.get_instance_snapshots()["instanceSnapshots"] == []


def test_names_are_unique_per_region_and_unknown_names_not_found(
    ls: Any, instant: Any, demo_server: DemoServer
) -> None:
    ls.create_instance_snapshot(instanceName="web", instanceSnapshotName="web-1")
    with pytest.raises(ClientError) as exc:
        ls.create_instance_snapshot(instanceName="web", instanceSnapshotName="web-1")
    assert _code(exc) == "InvalidInputException"
    for call, kw in [
        (ls.get_instance, {"instanceName": "nope"}),
        (ls.get_disk_snapshot, {"diskSnapshotName": "nope"}),
        (ls.delete_disk_snapshot, {"diskSnapshotName": "nope"}),
        (ls.get_auto_snapshots, {"resourceName": "nope"}),
        (ls.create_instance_snapshot, {"instanceName": "nope", "instanceSnapshotName": "x1"}),
    ]:
        with pytest.raises(ClientError) as exc:
            call(**kw)
        assert _code(exc) == "NotFoundException", call


def test_auto_snapshots_rotate_to_seven_and_deleted_dates_stay_gone(
    demo_server: DemoServer, ls_region: str
) -> None:
    _world(ls_region, auto=True)
    ls = ls_client(demo_server, ls_region, SEEN)
    dates = [a["date"] for a in ls.get_auto_snapshots(resourceName="web")["autoSnapshots"]]
    assert len(dates) == 7 and dates[-1] == NOW.date().isoformat()
    ls.delete_auto_snapshot(resourceName="web", date=dates[0])
    store_module.store().advance(timedelta(days=2), ls_region)
    later = [a["date"] for a in ls.get_auto_snapshots(resourceName="web")["autoSnapshots"]]
    assert len(later) == 7 and later[-1] == (NOW + timedelta(days=2)).date().isoformat()
    assert dates[0] not in later and later[0] == dates[2]
    with pytest.raises(ClientError) as exc:
        ls.delete_auto_snapshot(resourceName="web", date="2001-01-01")
    assert _code(exc) == "NotFoundException"


def test_add_on_enable_change_time_disable(ls: Any) -> None:
    with pytest.raises(ClientError) as exc:
        ls.enable_add_on(
            resourceName="web",
            addOnRequest={"addOnType": "AutoSnapshot",
                          "autoSnapshotAddOnRequest": {"snapshotTimeOfDay": "03:30"}},
        )  # fmt: skip
    assert _code(exc) == "InvalidInputException"
    ls.enable_add_on(
        resourceName="web",
        addOnRequest={"addOnType": "AutoSnapshot",
                      "autoSnapshotAddOnRequest": {"snapshotTimeOfDay": "22:00"}},
    )  # fmt: skip
    addon = ls.get_instance(instanceName="web")["instance"]["addOns"][0]
    assert (addon["status"], addon["snapshotTimeOfDay"]) == ("Enabled", "22:00")
    ls.disable_add_on(resourceName="web", addOnType="AutoSnapshot")
    assert ls.get_instance(instanceName="web")["instance"]["addOns"] == []
    assert ls.get_auto_snapshots(resourceName="web")["autoSnapshots"] == []


def test_copy_across_regions_and_keep_an_automatic_snapshot(
    demo_server: DemoServer, ls_region: str, instant: Any
) -> None:
    dest = ls_client(demo_server, ls_region, SEEN)
    dest.copy_snapshot(
        sourceRegion="eu-west-1",
        sourceSnapshotName=_weekly(demo_server),
        targetSnapshotName="wp-dr",
    )
    copy = dest.get_instance_snapshot(instanceSnapshotName="wp-dr")["instanceSnapshot"]
    assert copy["location"]["regionName"] == ls_region and copy["fromInstanceName"] == "wordpress"
    dest.copy_snapshot(
        sourceRegion="us-east-1", sourceResourceName="blog", useLatestRestorableAutoSnapshot=True,
        targetSnapshotName="blog-kept",
    )  # fmt: skip
    kept = dest.get_instance_snapshot(instanceSnapshotName="blog-kept")["instanceSnapshot"]
    assert kept["isFromAutoSnapshot"] is True and kept["sizeInGb"] == 60
    with pytest.raises(ClientError) as exc:  # both restoreDate and latest
        dest.copy_snapshot(
            sourceRegion="us-east-1", sourceResourceName="blog", restoreDate="2026-11-19",
            useLatestRestorableAutoSnapshot=True, targetSnapshotName="blog-kept-2",
        )  # fmt: skip
    assert _code(exc) == "InvalidInputException"


def _weekly(server: DemoServer) -> str:
    eu = ls_client(server, "eu-west-1", SEEN)
    return str(eu.get_instance_snapshots()["instanceSnapshots"][-1]["name"])


def test_new_instance_from_snapshot_needs_a_big_enough_bundle(ls: Any, instant: Any) -> None:
    ls.create_instance_snapshot(instanceName="web", instanceSnapshotName="web-1")
    base = {"instanceSnapshotName": "web-1", "availabilityZone": ls.meta.region_name + "b"}
    ls.create_disk_snapshot(diskName="data", diskSnapshotName="data-1")
    for bad, why in [
        ({"bundleId": "nano_3_0", "availabilityZone": "mars-1a"}, "zone"),
        ({"bundleId": "huge_9_9"}, "bundle"),
        ({"bundleId": "nano_3_0", "keyPairName": "nobody"}, "key pair"),
    ]:
        with pytest.raises(ClientError) as exc:
            ls.create_instances_from_snapshot(instanceNames=["web-2"], **(base | bad))
        assert _code(exc) == "InvalidInputException", why
    ls.create_instances_from_snapshot(instanceNames=["web-2"], bundleId="micro_3_0", **base)
    made = ls.get_instance(instanceName="web-2")["instance"]
    assert (made["bundleId"], made["location"]["availabilityZone"]) == (
        "micro_3_0",
        base["availabilityZone"],
    )
    # A bigger source than the bundle: a 60 GB snapshot kept from the blog's automatic ones.
    ls.copy_snapshot(
        sourceRegion="us-east-1", sourceResourceName="blog", useLatestRestorableAutoSnapshot=True,
        targetSnapshotName="blog-60",
    )  # fmt: skip
    with pytest.raises(ClientError) as exc:
        ls.create_instances_from_snapshot(
            instanceNames=["small"], bundleId="micro_3_0", instanceSnapshotName="blog-60",
            availabilityZone=base["availabilityZone"],
        )  # fmt: skip
    assert _code(exc) == "InvalidInputException" and "smaller" in str(exc.value)


def test_disk_from_snapshot_attach_detach_delete(
    ls: Any, instant: Any, demo_server: DemoServer
) -> None:
    region = ls.meta.region_name
    ls.create_disk_snapshot(diskName="data", diskSnapshotName="data-1")
    with pytest.raises(ClientError) as exc:
        ls.create_disk_from_snapshot(
            diskName="restore", diskSnapshotName="data-1", availabilityZone=f"{region}a",
            sizeInGb=4,
        )  # fmt: skip
    assert _code(exc) == "InvalidInputException"  # smaller than the snapshot
    for name, az in (("restore", f"{region}a"), ("far", f"{region}b")):
        ls.create_disk_from_snapshot(
            diskName=name, diskSnapshotName="data-1", availabilityZone=az, sizeInGb=8
        )
    with pytest.raises(ClientError) as exc:
        ls.attach_disk(diskName="far", instanceName="web", diskPath="/dev/xvdg")
    assert _code(exc) == "InvalidInputException" and "zone" in str(exc.value)
    with pytest.raises(ClientError) as exc:  # path already used by 'data'
        ls.attach_disk(diskName="restore", instanceName="web", diskPath="/dev/xvdf")
    assert _code(exc) == "InvalidInputException"
    ls.attach_disk(diskName="restore", instanceName="web", diskPath="/dev/xvdg")
    other = ls_client(demo_server, region)  # a separate client sees the attachment
    disk = other.get_disk(diskName="restore")["disk"]
    assert (disk["attachedTo"], disk["path"], disk["isAttached"]) == ("web", "/dev/xvdg", True)
    with pytest.raises(ClientError):
        ls.delete_disk(diskName="restore")  # attached: detach first
    ls.detach_disk(diskName="restore")
    ls.delete_disk(diskName="restore")
    assert {d["name"] for d in other.get_disks()["disks"]} == {"data", "far"}


def test_export_makes_an_ebs_snapshot(ls: Any, instant: Any, demo_server: DemoServer) -> None:
    region = ls.meta.region_name
    ls.create_disk_snapshot(diskName="data", diskSnapshotName="data-1")
    ls.export_snapshot(sourceSnapshotName="data-1")
    ec2: Any = client(demo_server, "ec2", region)
    snaps = ec2.describe_snapshots(
        OwnerIds=["self"], Filters=[{"Name": "tag:lightsail:snapshot", "Values": ["data-1"]}]
    )["Snapshots"]
    assert len(snaps) == 1 and snaps[0]["VolumeSize"] == 8
    for snap in snaps:
        ec2.delete_snapshot(SnapshotId=snap["SnapshotId"])


def test_a_denied_region_answers_access_denied(ls: Any) -> None:
    store_module.store().denied_regions.add(ls.meta.region_name)
    with pytest.raises(ClientError) as exc:
        ls.get_instances()
    assert _code(exc) == "AccessDeniedException"


def test_every_operation_was_called_and_shape_checked(demo_server: DemoServer) -> None:
    us = ls_client(demo_server, "us-east-1", SEEN)
    us.get_bundles(), us.get_key_pairs(), us.get_regions(includeAvailabilityZones=True)
    us.get_disks(), us.get_instances(), us.get_disk_snapshots()
    missing = set(OPERATIONS) - set(SEEN)
    assert not missing, f"operations never exercised: {sorted(missing)}"
