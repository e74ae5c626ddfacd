"""Each fidelity patch makes the demo world answer as AWS documents (see demo/fidelity.py)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from botocore.exceptions import ClientError

from snaptui.demo import fidelity
from snaptui.demo.seed import SeedReport
from snaptui.demo.server import DemoServer
from tests.conftest import client


def ec2(server: DemoServer, region: str) -> Any:
    return client(server, "ec2", region)


def _scratch_volume(server: DemoServer, region: str) -> str:
    c = ec2(server, region)
    return str(c.create_volume(AvailabilityZone=f"{region}a", Size=4)["VolumeId"])


def test_describe_snapshots_pages_with_max_results_and_next_token(
    demo_server: DemoServer, seeded: SeedReport
) -> None:
    # Gap 1: moto ignores MaxResults/NextToken and answers one page.
    c = ec2(demo_server, "us-east-1")
    everything = {s["SnapshotId"] for s in c.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    pages, seen, token = 0, [], None
    while True:
        kwargs: dict[str, Any] = {"OwnerIds": ["self"], "MaxResults": 5}
        if token:
            kwargs["NextToken"] = token
        page = c.describe_snapshots(**kwargs)
        assert len(page["Snapshots"]) <= 5
        seen += [s["SnapshotId"] for s in page["Snapshots"]]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert len(seen) == len(set(seen)) == len(everything)
    assert set(seen) == everything
    assert pages == -(-len(everything) // 5)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"MaxResults": 4}, "InvalidParameterValue"),
        ({"MaxResults": 1001}, "InvalidParameterValue"),
        (
            {"MaxResults": 5, "SnapshotIds": ["snap-0123456789abcdef0"]},
            "InvalidParameterCombination",
        ),
        ({"MaxResults": 5, "NextToken": "not-a-token"}, "InvalidNextToken"),
    ],
)
def test_describe_snapshots_refuses_what_aws_refuses(
    demo_server: DemoServer, seeded: SeedReport, kwargs: dict[str, Any], code: str
) -> None:
    with pytest.raises(ClientError) as err:
        ec2(demo_server, "us-east-1").describe_snapshots(**kwargs)
    assert err.value.response["Error"]["Code"] == code


def test_owner_ids_select_by_owner(demo_server: DemoServer, seeded: SeedReport) -> None:
    c = ec2(demo_server, "eu-west-1")
    mine = c.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    assert mine and all(s["OwnerId"] == "123456789012" for s in mine)
    assert c.describe_snapshots(OwnerIds=["amazon"])["Snapshots"] == []
    by_number = c.describe_snapshots(OwnerIds=["123456789012"])["Snapshots"]
    assert len(by_number) == len(mine)


def test_full_size_and_data_key_come_from_the_block_world(
    demo_server: DemoServer, seeded: SeedReport
) -> None:
    # Gap 2: moto reports neither FullSnapshotSizeInBytes nor DataEncryptionKeyId.
    world = fidelity.world()
    snaps = ec2(demo_server, "us-east-1").describe_snapshots(OwnerIds=["self"])["Snapshots"]
    for s in snaps:
        assert s["FullSnapshotSizeInBytes"] == world.full_bytes(s["SnapshotId"]) > 0
        assert bool(s.get("DataEncryptionKeyId")) == s["Encrypted"]
    raid_volume = seeded.volumes["db-1-data-0"]
    keys = {s.get("DataEncryptionKeyId") for s in snaps if s["VolumeId"] == raid_volume}
    assert len(keys) == 1  # one lineage, one data key


def test_sizes_differ_realistically_along_a_chain(
    demo_server: DemoServer, seeded: SeedReport
) -> None:
    world = fidelity.world()
    volume = seeded.volumes["app-eu-1-data"]
    snaps = sorted(
        (
            s
            for s in ec2(demo_server, "eu-west-1").describe_snapshots(OwnerIds=["self"])[
                "Snapshots"
            ]
            if s["VolumeId"] == volume
        ),
        key=lambda s: s["StartTime"],
    )
    changed = [
        len(world.changed_blocks(a["SnapshotId"], b["SnapshotId"]))
        for a, b in itertools.pairwise(snaps)
    ]
    assert len(snaps) == 30
    assert min(changed) < max(changed) / 5  # most days small, some days large


def test_start_times_are_distinct_and_spread_over_months(
    demo_server: DemoServer, seeded: SeedReport, scratch_region: str
) -> None:
    # Gap 3: moto's 1-second StartTime makes snapshots taken together tie.
    c = ec2(demo_server, scratch_region)
    volume = _scratch_volume(demo_server, scratch_region)
    ids = [c.create_snapshot(VolumeId=volume)["SnapshotId"] for _ in range(3)]
    times = [c.describe_snapshots(SnapshotIds=[i])["Snapshots"][0]["StartTime"] for i in ids]
    assert times == sorted(times) and len(set(times)) == 3
    seeded_times = [
        s["StartTime"]
        for s in ec2(demo_server, "us-east-1").describe_snapshots(OwnerIds=["self"])["Snapshots"]
    ]
    assert (max(seeded_times) - min(seeded_times)).days > 90


def test_archived_snapshots_report_their_tier(demo_server: DemoServer, seeded: SeedReport) -> None:
    c = ec2(demo_server, "ap-southeast-2")
    tiers = {
        s["SnapshotId"]: s["StorageTier"]
        for s in c.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    }
    assert seeded.archived and all(tiers[sid] == "archive" for sid in seeded.archived)
    assert sum(t == "standard" for t in tiers.values()) > len(seeded.archived)


def test_copies_report_the_placeholder_volume(demo_server: DemoServer, seeded: SeedReport) -> None:
    # Gap 5: a copy's VolumeId is vol-ffffffff on AWS, not the source's volume.
    c = ec2(demo_server, "eu-west-1")
    copies = c.describe_snapshots(SnapshotIds=seeded.copies)["Snapshots"]
    assert copies and all(s["VolumeId"] == "vol-ffffffff" for s in copies)


def test_deleted_snapshot_takes_its_blocks(demo_server: DemoServer, scratch_region: str) -> None:
    # Gap 4: deleting through EC2 must remove the snapshot's blocks too.
    c = ec2(demo_server, scratch_region)
    volume = _scratch_volume(demo_server, scratch_region)
    sid = c.create_snapshot(VolumeId=volume)["SnapshotId"]
    assert fidelity.world().knows(sid)
    c.delete_snapshot(SnapshotId=sid)
    assert not fidelity.world().knows(sid)


def test_volume_from_snapshot_continues_its_lineage(
    demo_server: DemoServer, scratch_region: str
) -> None:
    c = ec2(demo_server, scratch_region)
    world = fidelity.world()
    volume = _scratch_volume(demo_server, scratch_region)
    first = c.create_snapshot(VolumeId=volume)["SnapshotId"]
    restored = c.create_volume(AvailabilityZone=f"{scratch_region}a", SnapshotId=first)["VolumeId"]
    second = c.create_snapshot(VolumeId=restored)["SnapshotId"]
    assert world.changed_blocks(first, second) == []  # nothing written: nothing changed
    assert world.full_bytes(second) == world.full_bytes(first)


def test_restorable_by_selects_public_and_shared_snapshots(
    demo_server: DemoServer, seeded: SeedReport
) -> None:
    # Gap 1 (RestorableByUserIds): moto ignores it, so every snapshot would look public.
    from snaptui.demo.seed_protection import OTHER_ACCOUNT

    c = ec2(demo_server, "us-east-1")

    def restorable(who: str) -> set[str]:
        found = c.describe_snapshots(OwnerIds=["self"], RestorableByUserIds=[who])["Snapshots"]
        return {s["SnapshotId"] for s in found}

    assert restorable("all") == set(seeded.public)
    assert restorable(OTHER_ACCOUNT) == set(seeded.shared)
    (perm,) = c.describe_snapshot_attribute(
        SnapshotId=seeded.public[0], Attribute="createVolumePermission"
    )["CreateVolumePermissions"]
    assert perm == {"Group": "all"}
