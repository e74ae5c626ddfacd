"""Lineage fidelity (demo/fidelity.py patches 6 and 7), checked as AWS answers over HTTP.

AWS: an encrypted volume made from an unencrypted snapshot starts a new, full lineage (its
snapshots are UNRELATED_SNAPSHOTS to the source, and the first stores every block); a later
copy into the same region, of the same lineage under the same key, is incremental against the
earlier copy (ListChangedBlocks relates them and lists only what changed), and a copy whose
predecessor was deleted is full again.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from snaptui.demo import fidelity
from snaptui.demo.server import DemoServer
from tests.conftest import client


def _changed(ebs: Any, first: str, second: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    token = None
    while True:
        kw: dict[str, Any] = {"FirstSnapshotId": first, "SecondSnapshotId": second}
        if token:
            kw["NextToken"] = token
        page = ebs.list_changed_blocks(**kw)
        out += page["ChangedBlocks"]
        token = page.get("NextToken")
        if not token:
            return out


def _blocks(ebs: Any, snapshot_id: str) -> dict[int, str]:
    page = ebs.list_snapshot_blocks(SnapshotId=snapshot_id)
    assert "NextToken" not in page
    return {b["BlockIndex"]: b["BlockToken"] for b in page["Blocks"]}


def _unrelated(ebs: Any, first: str, second: str) -> bool:
    try:
        ebs.list_changed_blocks(FirstSnapshotId=first, SecondSnapshotId=second)
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "ValidationException"
        return exc.response.get("Reason") == "UNRELATED_SNAPSHOTS"
    return False


def _source(server: DemoServer, region: str) -> tuple[Any, str, str]:
    ec2: Any = client(server, "ec2", region)
    vol = ec2.create_volume(AvailabilityZone=f"{region}a", Size=2)["VolumeId"]
    fidelity.world().write(vol, list(range(40)))
    return ec2, vol, ec2.create_snapshot(VolumeId=vol)["SnapshotId"]


def test_encrypted_volume_from_unencrypted_snapshot_starts_a_new_lineage(
    demo_server: DemoServer, scratch_region: str
) -> None:
    ec2, _, snap = _source(demo_server, scratch_region)
    ebs: Any = client(demo_server, "ebs", scratch_region)
    plain = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", SnapshotId=snap)["VolumeId"]
    sealed = ec2.create_volume(
        AvailabilityZone=f"{scratch_region}a", SnapshotId=snap, Encrypted=True
    )["VolumeId"]
    fidelity.world().write(plain, [0])
    fidelity.world().write(sealed, [0])
    plain_snap = ec2.create_snapshot(VolumeId=plain)["SnapshotId"]
    sealed_snap = ec2.create_snapshot(VolumeId=sealed)["SnapshotId"]
    # The unencrypted restore continues the lineage: one block changed.
    assert len(_changed(ebs, snap, plain_snap)) == 1
    # The encrypted one does not: unrelated, and every block is a new version.
    assert _unrelated(ebs, snap, sealed_snap)
    source, sealed_blocks = _blocks(ebs, snap), _blocks(ebs, sealed_snap)
    assert set(sealed_blocks) == set(source)
    assert not set(sealed_blocks.values()) & set(source.values())
    described = ec2.describe_snapshots(SnapshotIds=[sealed_snap])["Snapshots"][0]
    assert described["Encrypted"] and described["DataEncryptionKeyId"]


def test_a_later_copy_of_the_same_lineage_and_key_is_incremental(
    demo_server: DemoServer, scratch_region: str
) -> None:
    ec2, vol, first = _source(demo_server, scratch_region)
    fidelity.world().write(vol, [3, 4000])  # one rewritten, one new
    second = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    ebs: Any = client(demo_server, "ebs", scratch_region)

    def copy(source: str) -> str:
        return str(ec2.copy_snapshot(SourceRegion=scratch_region, SourceSnapshotId=source)
                   ["SnapshotId"])  # fmt: skip

    c1, c2 = copy(first), copy(second)
    assert _unrelated(ebs, first, c1)  # a copy is its own lineage
    changed = _changed(ebs, c1, c2)
    assert sorted(e["BlockIndex"] for e in changed) == [3, 4000]  # only what changed
    assert "FirstBlockToken" not in next(e for e in changed if e["BlockIndex"] == 4000)
    held = _blocks(ebs, c1)
    shared = set(held.values()) & set(_blocks(ebs, c2).values())
    assert len(shared) == len(held) - 1
    # Deleting the latest copy makes the next one full again.
    ec2.delete_snapshot(SnapshotId=c2)
    c3 = copy(second)
    assert _unrelated(ebs, c1, c3)
    assert not set(_blocks(ebs, c1).values()) & set(_blocks(ebs, c3).values())


def test_a_copy_under_another_key_is_full(demo_server: DemoServer, scratch_region: str) -> None:
    ec2, _, first = _source(demo_server, scratch_region)
    kms: Any = client(demo_server, "kms", scratch_region)
    key = kms.create_key()["KeyMetadata"]["Arn"]
    plain = ec2.copy_snapshot(SourceRegion=scratch_region, SourceSnapshotId=first)["SnapshotId"]
    sealed = ec2.copy_snapshot(
        SourceRegion=scratch_region, SourceSnapshotId=first, Encrypted=True, KmsKeyId=key
    )["SnapshotId"]
    ebs: Any = client(demo_server, "ebs", scratch_region)
    assert _unrelated(ebs, plain, sealed)
