"""The detail panel's facts for a snapshot: source, AMIs, orphan status, tags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from snaptui.core.browse import Fleet
from snaptui.core.details import backup_text, snapshot_rows, volume_rows
from snaptui.models import (
    Attachment,
    Image,
    Instance,
    RecoveryPoint,
    RegionInventory,
    Snapshot,
    Volume,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _fleet() -> Fleet:
    inv = RegionInventory(
        region="eu-west-1",
        instances=[
            Instance(
                id="i-db",
                region="eu-west-1",
                state="running",
                instance_type="r6i.large",
                az="eu-west-1a",
                tags={"Name": "db"},
                block_devices={"/dev/sdf": "vol-data"},
            )
        ],
        volumes=[
            Volume(
                id="vol-data",
                region="eu-west-1",
                size_gib=100,
                volume_type="io2",
                az="eu-west-1a",
                state="in-use",
                iops=3000,
                attachments=(Attachment("i-db", "/dev/sdf", "attached"),),
            )
        ],
        snapshots=[
            Snapshot(
                id="snap-a",
                region="eu-west-1",
                volume_id="vol-data",
                volume_size_gib=100,
                state="completed",
                start_time=T0,
                encrypted=True,
                kms_key_id="arn:aws:kms:eu-west-1:123:key/k1",
                full_size_bytes=3 * 1024**3,
                tags={"Name": "nightly", "team": "data"},
            ),
            Snapshot(
                id="snap-b",
                region="eu-west-1",
                volume_id="vol-x",
                volume_size_gib=8,
                state="completed",
                start_time=T0,
            ),
            Snapshot(
                id="snap-c",
                region="eu-west-1",
                volume_id="vol-y",
                volume_size_gib=8,
                state="pending",
                progress="40%",
                start_time=T0,
            ),
        ],
        images=[
            Image(
                id="ami-9",
                region="eu-west-1",
                name="golden",
                state="available",
                snapshot_ids=("snap-c",),
            )
        ],
    )
    return Fleet.build({"eu-west-1": inv})


def test_snapshot_detail_names_its_source_and_encryption() -> None:
    f = _fleet()
    rows = dict(snapshot_rows(f.snapshots_by_id["snap-a"], f))
    assert rows["Volume"] == "vol-data"
    assert rows["Instance"] == "i-db db"
    assert rows["Encrypted"] == "yes, arn:aws:kms:eu-west-1:123:key/k1"
    assert rows["Written data"] == "3.0 GiB"
    assert rows["  team"] == "data"
    assert "Orphan" not in rows


def test_orphan_and_ami_backed_snapshots_say_so() -> None:
    f = _fleet()
    orphan = dict(snapshot_rows(f.snapshots_by_id["snap-b"], f))
    assert orphan["Volume"] == "vol-x (gone)"
    assert orphan["Orphan"].startswith("yes")
    # 40% in 20 minutes: about 30 more at that pace, said as an estimate.
    pending = dict(snapshot_rows(f.snapshots_by_id["snap-c"], f, now=T0 + timedelta(minutes=20)))
    assert pending["AMIs"] == "ami-9 (golden)"
    assert pending["State"] == "pending 40%, about 30 minutes left (from progress so far)"
    assert "Orphan" not in pending


def test_volume_detail_lists_attachment_and_performance() -> None:
    f = _fleet()
    rows = dict(volume_rows(f.volumes_by_id["vol-data"], f))
    assert rows["Attached"] == "i-db at /dev/sdf (attached)"
    assert rows["Type"] == "io2 3000 IOPS"
    assert rows["Snapshots"].startswith("1, newest")


def test_a_backup_row_says_the_plan_and_whether_its_deletion_is_ahead_or_overdue() -> None:
    point = RecoveryPoint("snap-a", "Default", "weekly-90d", "weekly", T0 + timedelta(days=90))
    ahead = backup_text(point, False, T0)
    assert ahead.startswith("weekly-90d, rule weekly; vault Default; deletes it ")
    assert ahead.endswith("(3 months from now)")
    assert "its deletion was due" in backup_text(point, False, T0 + timedelta(days=91))
    assert backup_text(None, True, T0) == "asking AWS Backup…"
    unknown = RecoveryPoint("snap-a", unknown="no permission")
    assert backup_text(unknown, False, T0) == "unknown (no permission)"
