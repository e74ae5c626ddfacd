"""Drill-down: each choice narrows the panes below it; orphans stay reachable."""

from __future__ import annotations

from datetime import UTC, datetime

from snaptui.core.browse import ALL, NO_VOLUME, ORPHANS, Choice, Fleet
from snaptui.models import Attachment, Image, Instance, RegionInventory, Snapshot, Volume

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def snap(sid: str, vol: str, region: str = "us-east-1") -> Snapshot:
    return Snapshot(
        id=sid, region=region, volume_id=vol, volume_size_gib=8, state="completed", start_time=T0
    )


def vol(vid: str, inst: str = "", region: str = "us-east-1") -> Volume:
    att = (Attachment(inst, "/dev/xvdf", "attached"),) if inst else ()
    return Volume(
        id=vid,
        region=region,
        size_gib=8,
        volume_type="gp3",
        az=f"{region}a",
        state="in-use" if inst else "available",
        attachments=att,
    )


def fleet() -> Fleet:
    east = RegionInventory(
        region="us-east-1",
        instances=[
            Instance(
                id="i-web",
                region="us-east-1",
                state="running",
                instance_type="t3.micro",
                az="us-east-1a",
                block_devices={"/dev/xvda": "vol-web"},
            )
        ],
        volumes=[vol("vol-web", "i-web"), vol("vol-spare")],
        snapshots=[
            snap("snap-w1", "vol-web"),
            snap("snap-w2", "vol-web"),
            snap("snap-s1", "vol-spare"),
            snap("snap-gone", "vol-deleted"),
            snap("snap-ami", "vol-deleted2"),
        ],
        images=[
            Image(
                id="ami-1",
                region="us-east-1",
                name="golden",
                state="available",
                snapshot_ids=("snap-ami",),
            )
        ],
    )
    west = RegionInventory(
        region="eu-west-1",
        # A cross-region copy keeps its source's VolumeId: it is not that volume's snapshot.
        snapshots=[snap("snap-copy", "vol-web", region="eu-west-1")],
    )
    return Fleet.build({"us-east-1": east, "eu-west-1": west})


def ids(items: list[Snapshot] | list[Volume] | list[Instance]) -> set[str]:
    return {i.id for i in items}


def test_all_shows_every_region() -> None:
    f = fleet()
    assert len(f.snapshots(Choice())) == 6
    assert f.counts() == (1, 2, 6)


def test_region_narrows_everything() -> None:
    f = fleet()
    c = Choice(region="eu-west-1")
    assert ids(f.snapshots(c)) == {"snap-copy"}
    assert f.volumes(c) == []
    assert f.instances(c) == []


def test_instance_narrows_to_its_volumes_and_their_snapshots() -> None:
    f = fleet()
    c = Choice(region="us-east-1", instance_id="i-web")
    assert ids(f.volumes(c)) == {"vol-web"}
    assert ids(f.snapshots(c)) == {"snap-w1", "snap-w2"}


def test_volume_narrows_to_its_own_snapshots_not_copies_elsewhere() -> None:
    f = fleet()
    assert ids(f.snapshots(Choice(region=ALL, volume_id="vol-web"))) == {"snap-w1", "snap-w2"}


def test_orphans_are_reachable_and_ami_backed_are_not_orphans() -> None:
    f = fleet()
    no_volume = f.snapshots(Choice(region="us-east-1", volume_id=NO_VOLUME))
    assert ids(no_volume) == {"snap-gone", "snap-ami"}
    orphans = f.snapshots(Choice(region="us-east-1", volume_id=ORPHANS))
    assert ids(orphans) == {"snap-gone"}
    assert f.is_orphan(f.snapshots_by_id["snap-gone"])
    assert not f.is_orphan(f.snapshots_by_id["snap-ami"])
    assert [i.id for i in f.images_using("snap-ami")] == ["ami-1"]
    # The copy's VolumeId names a volume in another region: volume-gone here, yet not an orphan.
    assert f.no_volume_count("eu-west-1") == 1
