"""The demo's organization (demo/seed_org.py) and its per-account layers (demo/accounts.py):
AWS keeps every account's resources, locks, DLM policies, Recycle Bin rules and fast
restores to itself, and a management account reaches a member by assuming a role there."""

from __future__ import annotations

from typing import Any

from snaptui.demo.seed import SeedReport
from snaptui.demo.seed_org import MEMBER_NAME, ORG_ROLE
from snaptui.demo.server import DEMO_ACCOUNT, DemoServer


def _member(server: DemoServer, member: str, service: str, region: str = "us-east-1") -> Any:
    sts = server.referee_client("sts", region)
    arn = f"arn:aws:iam::{member}:role/{ORG_ROLE}"
    keys = sts.assume_role(RoleArn=arn, RoleSessionName="test")["Credentials"]
    return server.referee_client(service, region, {k: str(v) for k, v in keys.items()})


def test_the_organization_lists_both_accounts(demo_server: DemoServer, seeded: SeedReport) -> None:
    (member,) = seeded.members
    org = demo_server.referee_client("organizations", "us-east-1")
    listed = {a["Id"]: (a["Name"], a["Status"]) for a in org.list_accounts()["Accounts"]}
    assert listed[member] == (MEMBER_NAME, "ACTIVE") and DEMO_ACCOUNT in listed
    sts = _member(demo_server, member, "sts")
    assert sts.get_caller_identity()["Account"] == member


def test_a_member_has_its_own_snapshots_and_none_of_the_homes_services(
    demo_server: DemoServer, seeded: SeedReport
) -> None:
    (member,) = seeded.members
    home_ec2 = demo_server.referee_client("ec2", "us-east-1")
    ec2 = _member(demo_server, member, "ec2")
    mine = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert mine and set(seeded.members[member].snapshots) <= mine
    home = {s["SnapshotId"] for s in home_ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert mine.isdisjoint(home)
    # The home account has a DLM policy, a Recycle Bin rule, a lock and a fast restore; a
    # new member account has none of them (its own layers, not the home's).
    assert demo_server.referee_client("dlm", "us-east-1").get_lifecycle_policies()["Policies"]
    assert _member(demo_server, member, "dlm").get_lifecycle_policies()["Policies"] == []
    rbin = _member(demo_server, member, "rbin")
    assert rbin.list_rules(ResourceType="EBS_SNAPSHOT")["Rules"] == []
    assert ec2.describe_locked_snapshots()["Snapshots"] == []
    assert ec2.describe_fast_snapshot_restores()["FastSnapshotRestores"] == []


def test_a_lock_made_in_the_member_stays_there(demo_server: DemoServer, seeded: SeedReport) -> None:
    (member,) = seeded.members
    ec2 = _member(demo_server, member, "ec2", "eu-west-1")
    vol = ec2.create_volume(AvailabilityZone="eu-west-1a", Size=1)["VolumeId"]
    sid = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    try:
        ec2.lock_snapshot(SnapshotId=sid, LockMode="governance", LockDuration=1)
        assert [s["SnapshotId"] for s in ec2.describe_locked_snapshots()["Snapshots"]] == [sid]
        home = demo_server.referee_client("ec2", "eu-west-1")
        assert sid not in {s["SnapshotId"] for s in home.describe_locked_snapshots()["Snapshots"]}
    finally:
        ec2.unlock_snapshot(SnapshotId=sid)
        ec2.delete_snapshot(SnapshotId=sid)
        ec2.delete_volume(VolumeId=vol)


def test_a_member_has_a_lightsail_of_its_own(demo_server: DemoServer, seeded: SeedReport) -> None:
    (member,) = seeded.members
    home = demo_server.referee_client("lightsail", "us-east-1").get_instances()["instances"]
    assert home  # the demo's Lightsail fleet is the home account's
    mine = _member(demo_server, member, "lightsail").get_instances()["instances"]
    assert mine == []
