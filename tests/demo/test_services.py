"""The demo's DLM, Recycle Bin, AWS Backup recovery point and fast snapshot restore layers
answer as AWS documents, in botocore's shapes (demo/dlm_backend.py, rbin_backend.py,
backup_points.py, fast_restore.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from snaptui.demo.seed import DLM_POLICY, SeedReport
from snaptui.demo.server import DemoServer
from tests.conftest import client
from tests.demo.model_check import body_problems, capture_raw, ec2_problems


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _checked(c: Any) -> list[tuple[str, bytes]]:
    return capture_raw(c)


def test_dlm_lists_and_describes_the_seeded_policy_in_its_region_only(
    demo_server: DemoServer, seeded: SeedReport
) -> None:
    dlm = client(demo_server, "dlm", "us-east-1")
    raw = _checked(dlm)
    (summary,) = dlm.get_lifecycle_policies()["Policies"]
    policy = dlm.get_lifecycle_policy(PolicyId=DLM_POLICY)["Policy"]
    (schedule,) = policy["PolicyDetails"]["Schedules"]
    assert (summary["PolicyId"], summary["State"]) == (DLM_POLICY, "ENABLED")
    assert (schedule["Name"], schedule["RetainRule"]) == ("Daily 14d", {"Count": 14})
    for operation, body in raw:
        assert body_problems("dlm", operation, body) == []
    assert dlm.get_lifecycle_policies(State="DISABLED")["Policies"] == []
    with pytest.raises(ClientError) as missing:
        client(demo_server, "dlm", "ap-southeast-2").get_lifecycle_policy(PolicyId=DLM_POLICY)
    assert _code(missing) == "ResourceNotFoundException"


def test_recycle_bin_rules_list_pages_and_give_their_tags(
    demo_server: DemoServer, seeded: SeedReport
) -> None:
    rbin = client(demo_server, "rbin", "eu-west-1")
    raw = _checked(rbin)
    (rule,) = rbin.list_rules(ResourceType="EBS_SNAPSHOT")["Rules"]
    assert "ResourceTags" not in rule  # ListRules does not say; GetRule does
    whole = rbin.get_rule(Identifier=rule["Identifier"])
    assert whole["ResourceTags"] == [{"ResourceTagKey": "purpose", "ResourceTagValue": "dr"}]
    assert whole["RetentionPeriod"] == {"RetentionPeriodValue": 30, "RetentionPeriodUnit": "DAYS"}
    for operation, body in raw:
        assert body_problems("rbin", operation, body) == []
    assert rbin.list_rules(ResourceType="EBS_VOLUME")["Rules"] == []
    with pytest.raises(ClientError) as bad:
        rbin.list_rules(ResourceType="EBS_SNAPSHOT", MaxResults=5000)
    assert _code(bad) == "ValidationException"


def test_recycle_bin_rules_page(demo_server: DemoServer, scratch_region: str) -> None:
    from snaptui.demo.rbin_backend import Rule

    for n in range(3):
        demo_server.services.rbin.add(scratch_region, Rule(f"r{n}", "", 7))
    rbin = client(demo_server, "rbin", scratch_region)
    first = rbin.list_rules(ResourceType="EBS_SNAPSHOT", MaxResults=2)
    rest = rbin.list_rules(ResourceType="EBS_SNAPSHOT", NextToken=first["NextToken"])
    names = [r["Identifier"] for r in first["Rules"] + rest["Rules"]]
    assert names == ["r0", "r1", "r2"] and "NextToken" not in rest


def test_a_denied_service_answers_access_denied(
    demo_server: DemoServer, scratch_region: str
) -> None:
    demo_server.services.routes.denied.add(("dlm", scratch_region))
    with pytest.raises(ClientError) as denied:
        client(demo_server, "dlm", scratch_region).get_lifecycle_policies()
    assert _code(denied) == "AccessDeniedException"


def _backup_chain(demo_server: DemoServer, region: str, n: int) -> tuple[Any, str, list[str]]:
    ec2 = client(demo_server, "ec2", region)
    vol = str(ec2.create_volume(AvailabilityZone=f"{region}a", Size=2)["VolumeId"])
    arn = f"arn:aws:ec2:{region}:123456789012:volume/{vol}"
    tags = [{"Key": "aws:backup:source-resource", "Value": arn}]
    ids = [
        str(
            ec2.create_snapshot(
                VolumeId=vol, TagSpecifications=[{"ResourceType": "snapshot", "Tags": tags}]
            )["SnapshotId"]
        )
        for _ in range(n)
    ]
    return ec2, arn, ids


def test_backup_lists_a_volumes_recovery_points_and_deletes_one_only_through_backup(
    demo_server: DemoServer, scratch_region: str
) -> None:
    ec2, arn, ids = _backup_chain(demo_server, scratch_region, 3)
    backup = client(demo_server, "backup", scratch_region)
    raw = _checked(backup)
    points = backup.list_recovery_points_by_resource(ResourceArn=arn)["RecoveryPoints"]
    assert sorted(p["RecoveryPointArn"].rsplit("/", 1)[1] for p in points) == sorted(ids)
    assert {p["BackupVaultName"] for p in points} == {"Default"}
    page = backup.list_recovery_points_by_resource(ResourceArn=arn, MaxResults=2)
    assert len(page["RecoveryPoints"]) == 2 and page["NextToken"]
    with pytest.raises(ClientError) as refused:
        ec2.delete_snapshot(SnapshotId=ids[0])
    assert _code(refused) == "InvalidParameterValue"
    assert "managed by the AWS Backup service" in str(refused.value)
    with pytest.raises(ClientError) as wrong_vault:
        backup.delete_recovery_point(
            BackupVaultName="other", RecoveryPointArn=points[0]["RecoveryPointArn"]
        )
    assert _code(wrong_vault) == "ResourceNotFoundException"
    backup.delete_recovery_point(
        BackupVaultName="Default", RecoveryPointArn=points[0]["RecoveryPointArn"]
    )
    left = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert len(left & set(ids)) == 2  # the snapshot itself went, as AWS Backup deletes it
    for operation, body in raw:
        if operation == "ListRecoveryPointsByResource":
            assert body_problems("backup", operation, body) == []


def test_backup_describes_the_plan_and_deletion_date_of_a_recovery_point(
    demo_server: DemoServer, scratch_region: str
) -> None:
    ec2, arn, (sid,) = _backup_chain(demo_server, scratch_region, 1)
    backup = client(demo_server, "backup", scratch_region)
    raw = _checked(backup)
    point_arn = f"arn:aws:ec2:{scratch_region}::snapshot/{sid}"
    got = backup.describe_recovery_point(BackupVaultName="Default", RecoveryPointArn=point_arn)
    assert (got["CreatedBy"]["BackupPlanName"], got["CreatedBy"]["BackupRuleName"]) == (
        "bastion-weekly-90d",
        "weekly",
    )
    assert got["ResourceArn"] == arn
    started = ec2.describe_snapshots(SnapshotIds=[sid])["Snapshots"][0]["StartTime"]
    assert got["CalculatedLifecycle"]["DeleteAt"] == started + timedelta(days=90)
    with pytest.raises(ClientError) as elsewhere:
        backup.describe_recovery_point(BackupVaultName="other", RecoveryPointArn=point_arn)
    assert _code(elsewhere) == "ResourceNotFoundException"
    operation, body = raw[0]  # the answer (raw[1] is the error)
    assert operation == "DescribeRecoveryPoint"
    assert body_problems("backup", operation, body) == []


def test_fast_restore_goes_enabling_optimizing_enabled_and_answers_per_pair(
    demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = client(demo_server, "ec2", scratch_region)
    raw = _checked(ec2)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=512)["VolumeId"]
    sid = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    fsr = demo_server.services.fsr
    start = datetime(2026, 12, 1, tzinfo=UTC)
    fsr.clock = lambda: start
    # An AZ of another region: which region is scratch depends on the tests run before.
    foreign = "eu-north-1a" if scratch_region != "eu-north-1" else "us-west-2a"
    try:
        got = ec2.enable_fast_snapshot_restores(
            AvailabilityZones=[f"{scratch_region}a", foreign],
            SourceSnapshotIds=[sid, "snap-0000000000000dead"],
        )
        assert [(s["SnapshotId"], s["State"]) for s in got["Successful"]] == [(sid, "enabling")]
        errors = {
            (u["SnapshotId"], e["AvailabilityZone"]): e["Error"]["Code"]
            for u in got["Unsuccessful"]
            for e in u["FastSnapshotRestoreStateErrors"]
        }
        assert errors[(sid, foreign)] == "InvalidParameterValue"
        assert (
            errors[("snap-0000000000000dead", f"{scratch_region}a")] == "InvalidSnapshot.NotFound"
        )

        def state(after_s: float) -> str:
            fsr.clock = lambda: start + timedelta(seconds=after_s)
            (row,) = ec2.describe_fast_snapshot_restores(
                Filters=[{"Name": "snapshot-id", "Values": [sid]}]
            )["FastSnapshotRestores"]
            return str(row["State"])

        # 512 GiB: half a TiB, so 30 s of optimizing after 2 s of enabling (60 s per TiB here).
        assert [state(1), state(10), state(40)] == ["enabling", "optimizing", "enabled"]
        off = ec2.disable_fast_snapshot_restores(
            AvailabilityZones=[f"{scratch_region}a"], SourceSnapshotIds=[sid]
        )
        assert off["Successful"][0]["State"] == "disabling"
        fsr.clock = lambda: start + timedelta(seconds=60)
        assert ec2.describe_fast_snapshot_restores()["FastSnapshotRestores"] == []
    finally:
        fsr.clock = lambda: datetime.now(UTC)
    for operation, body in raw:
        if "FastSnapshotRestores" in operation:
            assert ec2_problems(operation, body) == []


def test_fast_restore_is_limited_to_five_snapshots_a_region(
    demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = client(demo_server, "ec2", scratch_region)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=1)["VolumeId"]
    sids = [ec2.create_snapshot(VolumeId=vol)["SnapshotId"] for _ in range(6)]
    got = ec2.enable_fast_snapshot_restores(
        AvailabilityZones=[f"{scratch_region}a"], SourceSnapshotIds=sids
    )
    assert len(got["Successful"]) == 5
    (refused,) = got["Unsuccessful"]
    assert refused["FastSnapshotRestoreStateErrors"][0]["Error"]["Code"] == (
        "FastSnapshotRestoreLimitExceeded"
    )


def test_the_seed_enables_fast_restore_on_one_snapshot_in_one_az(
    demo_server: DemoServer, seeded: SeedReport
) -> None:
    rows = client(demo_server, "ec2", "us-east-1").describe_fast_snapshot_restores()
    assert [
        (r["SnapshotId"], r["AvailabilityZone"], r["State"]) for r in rows["FastSnapshotRestores"]
    ] == [(seeded.fast_restored[0], "us-east-1a", "enabled")]
