"""Copy a snapshot: from a seed region into a scratch region, encrypted, with tags."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from snaptui.aws import copy, kms
from snaptui.aws.calls import ActionError
from snaptui.aws.errors import ReadOnlyError
from snaptui.aws.idempotent import TOKEN_TAG
from snaptui.aws.session import AwsContext
from snaptui.demo.server import DemoServer
from snaptui.models import ProblemKind
from tests.aws.test_actions_world import FAST, mutations, seeded_snapshot
from tests.conftest import client


def _described(server: DemoServer, region: str, snapshot_id: str) -> dict[str, Any]:
    ec2: Any = client(server, "ec2", region)
    return dict(ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0])


def test_cross_region_copy_is_encrypted_with_the_default_key_and_keeps_tags(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    source = seeded_snapshot(demo_server, "us-east-1")
    source_tags = {
        t["Key"]: t["Value"] for t in _described(demo_server, "us-east-1", source)["Tags"]
    }
    req = copy.CopyRequest(
        source, "us-east-1", scratch_region, encrypt=True, tags={"purpose": "dr"}
    )
    result = copy.copy_snapshot(demo_ctx, req, FAST)

    copied = _described(demo_server, scratch_region, result.snapshot_id)
    assert copied["Encrypted"] is True and result.encrypted
    kms_client: Any = client(demo_server, "kms", scratch_region)
    default = kms_client.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]
    assert copied["KmsKeyId"] == default
    # The copy's own request token (aws/idempotent.py) is snaptui's, one per request.
    tags = {t["Key"]: t["Value"] for t in copied["Tags"] if t["Key"] != TOKEN_TAG}
    # aws: tags (here DLM's) are AWS's own and cannot be set by a user: they are left behind.
    kept = {k: v for k, v in source_tags.items() if not k.startswith("aws:")}
    assert tags == {**kept, "purpose": "dr"}
    assert copied["Description"].startswith(f"[Copied {source} from us-east-1]")
    # The source region was only read.
    assert {line["region"] for line in mutations(demo_ctx)} == {scratch_region}


def test_copy_with_a_key_from_the_destination(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    kms_client: Any = client(demo_server, "kms", scratch_region)
    key = kms_client.create_key(Description="dr key")["KeyMetadata"]
    alias = f"alias/dr-{scratch_region}"
    kms_client.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    keys = kms.list_keys(demo_ctx, scratch_region)
    assert alias in keys.known_refs()
    assert any(c.label == f"{alias} ({key['KeyId']})" for c in keys.choices)
    # GetEbsDefaultKmsKeyId answers the region's managed alias/aws/ebs key, as on AWS.
    assert keys.default_key.startswith(f"arn:aws:kms:{scratch_region}:")

    source = seeded_snapshot(demo_server, "us-east-1")
    req = copy.CopyRequest(source, "us-east-1", scratch_region, copy_tags=False, kms_key_id=alias)
    result = copy.copy_snapshot(demo_ctx, req)
    copied = _described(demo_server, scratch_region, result.snapshot_id)
    assert copied["Encrypted"] is True
    assert copied["KmsKeyId"] == alias
    assert [t["Key"] for t in copied.get("Tags", [])] == [TOKEN_TAG]  # none of the source's


def test_copy_within_the_same_region(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=2)["VolumeId"]
    snap = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    result = copy.copy_snapshot(
        demo_ctx, copy.CopyRequest(snap, scratch_region, scratch_region, description="twin")
    )
    copied = _described(demo_server, scratch_region, result.snapshot_id)
    assert copied["Description"] == "twin"
    assert copied["Encrypted"] is False


def test_a_time_based_copy_is_sent_with_its_duration_and_not_waited_for(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    source = seeded_snapshot(demo_server, "us-east-1")
    req = copy.CopyRequest(source, "us-east-1", scratch_region, completion_minutes=120)
    # FAST gives up within seconds: a wait for a 2-hour copy would fail the action.
    result = copy.copy_snapshot(demo_ctx, req, FAST)
    copied = _described(demo_server, scratch_region, result.snapshot_id)
    assert (copied["State"], copied["TransferType"]) == ("pending", "time-based")
    assert result.due == copied["StartTime"] + timedelta(minutes=120)
    [line] = mutations(demo_ctx)
    assert line["params"]["CompletionDurationMinutes"] == 120


def test_an_archived_snapshot_is_not_copied(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=2)["VolumeId"]
    snap = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    ec2.modify_snapshot_tier(SnapshotId=snap, StorageTier="archive")
    with pytest.raises(ActionError) as err:
        copy.copy_snapshot(demo_ctx, copy.CopyRequest(snap, scratch_region, scratch_region))
    assert "archived" in err.value.fields["snapshot_id"]
    assert mutations(demo_ctx) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kms_key_id": "alias/not-there"}, "kms_key_id"),
        ({"dest_region": "ap-east-1"}, "dest_region"),  # not opted in
        ({"description": "x" * 300}, "description"),
        ({"tags": {"k" * 129: "v"}}, "tags"),
        ({"snapshot_id": "snap-0123456789abcdef0"}, "snapshot_id"),
        ({"snapshot_id": "vol-0123456789abcdef0"}, "snapshot_id"),
        ({"completion_minutes": 20}, "minutes"),  # steps of 15
        ({"completion_minutes": 2895}, "minutes"),  # at most 48 hours
    ],
)
def test_bad_copy_input_is_refused_before_sending(
    demo_server: DemoServer,
    demo_ctx: AwsContext,
    scratch_region: str,
    change: dict[str, Any],
    field: str,
) -> None:
    params: dict[str, Any] = {
        "snapshot_id": seeded_snapshot(demo_server, "us-east-1"),
        "source_region": "us-east-1",
        "dest_region": scratch_region,
        **change,
    }
    with pytest.raises(ActionError) as err:
        copy.copy_snapshot(demo_ctx, copy.CopyRequest(**params))
    assert field in err.value.fields
    assert err.value.problem.kind is ProblemKind.INVALID
    assert mutations(demo_ctx) == []


def test_read_only_copy_is_refused_and_audited(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    ctx = AwsContext(demo_server.target(read_only=True, audit_path=tmp_path / "a.jsonl"))
    source = seeded_snapshot(demo_server, "us-east-1")
    with pytest.raises(ReadOnlyError):
        copy.copy_snapshot(ctx, copy.CopyRequest(source, "us-east-1", scratch_region))
    [line] = mutations(ctx)
    assert (line["action"], line["outcome"], line["region"]) == (
        "CopySnapshot",
        "refused",
        scratch_region,
    )
    ec2: Any = client(demo_server, "ec2", scratch_region)
    assert ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []
