"""The demo's EBS snapshot lock layer answers as AWS documents (demo/snapshot_locks.py)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from snaptui.demo.seed import SeedReport
from snaptui.demo.server import DemoServer
from tests.conftest import client


def _snapshot(server: DemoServer, region: str) -> tuple[Any, str]:
    ec2 = client(server, "ec2", region)
    vol = ec2.create_volume(AvailabilityZone=f"{region}a", Size=4)["VolumeId"]
    return ec2, str(ec2.create_snapshot(VolumeId=vol)["SnapshotId"])


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def test_a_governance_lock_refuses_delete_until_unlocked(
    demo_server: DemoServer, scratch_region: str
) -> None:
    ec2, sid = _snapshot(demo_server, scratch_region)
    got = ec2.lock_snapshot(SnapshotId=sid, LockMode="governance", LockDuration=7)
    assert (got["SnapshotId"], got["LockState"], got["LockDuration"]) == (sid, "governance", 7)
    assert got["LockExpiresOn"] > got["LockCreatedOn"]
    with pytest.raises(ClientError) as refused:
        ec2.delete_snapshot(SnapshotId=sid)
    assert _code(refused) == "SnapshotLocked"
    (listed,) = ec2.describe_locked_snapshots(SnapshotIds=[sid])["Snapshots"]
    assert listed["LockState"] == "governance"
    ec2.unlock_snapshot(SnapshotId=sid)
    assert ec2.describe_locked_snapshots(SnapshotIds=[sid])["Snapshots"] == []
    ec2.delete_snapshot(SnapshotId=sid)


def test_compliance_cannot_be_unlocked_after_its_cooling_off(
    demo_server: DemoServer, scratch_region: str
) -> None:
    ec2, sid = _snapshot(demo_server, scratch_region)
    ec2.lock_snapshot(SnapshotId=sid, LockMode="compliance", LockDuration=1)
    with pytest.raises(ClientError) as refused:
        ec2.unlock_snapshot(SnapshotId=sid)
    assert _code(refused) == "SnapshotLocked"
    with pytest.raises(ClientError):
        ec2.delete_snapshot(SnapshotId=sid)


def test_during_cooling_off_a_compliance_lock_can_be_removed(
    demo_server: DemoServer, scratch_region: str
) -> None:
    ec2, sid = _snapshot(demo_server, scratch_region)
    got = ec2.lock_snapshot(SnapshotId=sid, LockMode="compliance", CoolOffPeriod=24, LockDuration=3)
    assert got["LockState"] == "compliance-cooloff" and got["CoolOffPeriod"] == 24
    ec2.unlock_snapshot(SnapshotId=sid)
    ec2.delete_snapshot(SnapshotId=sid)


def test_what_aws_refuses_to_lock(demo_server: DemoServer, scratch_region: str) -> None:
    ec2, sid = _snapshot(demo_server, scratch_region)
    with pytest.raises(ClientError) as missing:
        ec2.lock_snapshot(
            SnapshotId="snap-0123456789abcdef0", LockMode="governance", LockDuration=1
        )
    assert _code(missing) == "InvalidSnapshot.NotFound"
    with pytest.raises(ClientError) as bad:
        ec2.lock_snapshot(SnapshotId=sid, LockMode="governance", CoolOffPeriod=2, LockDuration=1)
    assert _code(bad) == "InvalidParameterValue"
    with pytest.raises(ClientError):
        ec2.lock_snapshot(SnapshotId=sid, LockMode="governance", LockDuration=40_000)


def test_the_seeded_dr_copy_is_locked_in_compliance_mode(
    demo_server: DemoServer, seeded: SeedReport
) -> None:
    ec2 = client(demo_server, "ec2", "eu-west-1")
    (lock,) = ec2.describe_locked_snapshots()["Snapshots"]
    assert (lock["SnapshotId"], lock["LockState"]) == (seeded.locked[0], "compliance")
    assert seeded.locked[0] in seeded.copies
