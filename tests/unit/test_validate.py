"""Input checks: None when fine, {field: message} when not."""

from __future__ import annotations

import pytest

from snaptui.core import validate
from snaptui.core.validate import VolumeSpec

SNAP = "snap-0123456789abcdef0"


# --- ids -------------------------------------------------------------------------------------


def test_ids_known_and_in_region() -> None:
    known = {SNAP: "us-east-1"}
    assert validate.check_id(SNAP, "snapshot", "us-east-1", known) is None
    assert validate.check_id("snap-01234567", "snapshot", "us-east-1") is None  # old short ids


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("vol-0123456789abcdef0", "not a snapshot id"),
        ("snap-XYZ", "not a snapshot id"),
        ("", "not a snapshot id"),
        ("snap-0000000000000000f", "unknown snapshot"),
        (SNAP + " ", None),  # trailing space is tolerated
    ],
)
def test_bad_ids(value: str, message: str | None) -> None:
    result = validate.check_id(value, "snapshot", "us-east-1", {SNAP: "us-east-1"})
    if message is None:
        assert result is None
    else:
        assert result is not None and message in result["snapshot_id"]


def test_id_from_another_region() -> None:
    result = validate.check_id(SNAP, "snapshot", "eu-west-1", {SNAP: "us-east-1"})
    assert result == {"snapshot_id": f"{SNAP} is in us-east-1, not eu-west-1"}


def test_known_ids_come_from_the_fleet() -> None:
    from datetime import UTC, datetime

    from snaptui.core.browse import Fleet
    from snaptui.models import RegionInventory, Snapshot, Volume

    inv = RegionInventory(
        "eu-west-1",
        volumes=[Volume("vol-01234567", "eu-west-1", 8, "gp3", "eu-west-1a", "available")],
        snapshots=[Snapshot(SNAP, "eu-west-1", "vol-01234567", 8, "completed", datetime.now(UTC))],
    )
    known = validate.known_ids(Fleet.build({"eu-west-1": inv}))
    assert known == {"vol-01234567": "eu-west-1", SNAP: "eu-west-1"}
    assert validate.check_id(SNAP, "snapshot", "us-east-1", known) is not None


# --- tags ------------------------------------------------------------------------------------


def test_tags_within_limits_pass() -> None:
    assert validate.check_tags({"k" * 128: "v" * 256, "Name": ""}) is None


@pytest.mark.parametrize(
    "tags",
    [
        {"k" * 129: "v"},
        {"k": "v" * 257},
        {"aws:created-by": "me"},
        {"AWS:Thing": "x"},
        {"": "x"},
        {f"k{i}": "v" for i in range(51)},
    ],
)
def test_bad_tags(tags: dict[str, str]) -> None:
    assert set(validate.check_tags(tags) or {}) == {"tags"}


# --- volumes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        VolumeSpec(),
        VolumeSpec(size_gib=100, iops=16000, throughput=1000),
        VolumeSpec(volume_type="gp2", size_gib=20),
        VolumeSpec(volume_type="io1", size_gib=100, iops=5000),
        VolumeSpec(volume_type="io2", size_gib=100, iops=100000),
        VolumeSpec(volume_type="st1", size_gib=125),
        VolumeSpec(volume_type="sc1", size_gib=500),
    ],
)
def test_good_volume_specs(spec: VolumeSpec) -> None:
    assert validate.check_volume(spec, snapshot_size_gib=10) is None


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (VolumeSpec(size_gib=9), "size_gib"),
        (VolumeSpec(size_gib=20000), "size_gib"),
        (VolumeSpec(iops=2999), "iops"),
        (VolumeSpec(iops=16001), "iops"),
        (VolumeSpec(size_gib=10, iops=6000), "iops"),  # over 500 IOPS/GiB
        (VolumeSpec(throughput=124), "throughput"),
        (VolumeSpec(throughput=1001), "throughput"),
        (VolumeSpec(iops=3000, throughput=1000), "throughput"),  # over 0.25 MiB/s per IOPS
        (VolumeSpec(volume_type="gp2", iops=3000), "iops"),
        (VolumeSpec(volume_type="st1", size_gib=500, iops=100), "iops"),
        (VolumeSpec(volume_type="sc1", size_gib=500, throughput=200), "throughput"),
        (VolumeSpec(volume_type="io1", size_gib=100), "iops"),
        (VolumeSpec(volume_type="io1", size_gib=100, iops=64001), "iops"),
        (VolumeSpec(volume_type="io1", size_gib=10, iops=1000), "iops"),  # over 50 IOPS/GiB
        (VolumeSpec(volume_type="io2", size_gib=100, iops=99), "iops"),
        (VolumeSpec(volume_type="st1"), "size_gib"),
        (VolumeSpec(volume_type="magnetic"), "volume_type"),
    ],
)
def test_bad_volume_specs(spec: VolumeSpec, field: str) -> None:
    result = validate.check_volume(spec, snapshot_size_gib=10)
    assert result is not None and field in result, result


def test_size_message_names_the_snapshot_size() -> None:
    assert validate.check_volume(VolumeSpec(size_gib=5), 8) == {
        "size_gib": "at least the snapshot's size, 8 GiB"
    }


# --- AZ, KMS ---------------------------------------------------------------------------------

AZS = ("eu-west-1a", "eu-west-1b")


def test_az_checks() -> None:
    assert validate.check_az("eu-west-1a", "eu-west-1", AZS) is None
    assert validate.check_az("eu-west-1a", "eu-west-1", AZS, instance_az="eu-west-1a") is None
    assert "az" in (validate.check_az("", "eu-west-1", AZS) or {})
    assert "not an availability zone" in validate.check_az("us-east-1a", "eu-west-1", AZS)["az"]  # type: ignore[index]
    wrong = validate.check_az("eu-west-1b", "eu-west-1", AZS, instance_az="eu-west-1a")
    assert wrong is not None and "eu-west-1a" in wrong["az"]


def test_kms_checks() -> None:
    known = {"alias/mine", "1234abcd", "arn:aws:kms:eu-west-1:1:key/1234abcd"}
    assert validate.check_kms_key("", known, "eu-west-1") is None  # default key
    assert validate.check_kms_key("alias/mine", known, "eu-west-1") is None
    assert (
        validate.check_kms_key("arn:aws:kms:eu-west-1:1:key/1234abcd", known, "eu-west-1") is None
    )
    assert validate.check_kms_key("alias/other", known, "eu-west-1") is not None
    cross = validate.check_kms_key("arn:aws:kms:us-east-1:1:key/1234abcd", known, "eu-west-1")
    assert cross == {"kms_key_id": "arn:aws:kms:us-east-1:1:key/1234abcd is not a key in eu-west-1"}


# --- devices ---------------------------------------------------------------------------------


def test_devices() -> None:
    in_use = ["/dev/xvda", "/dev/sdf"]
    assert validate.check_device("/dev/sdg", in_use) is None
    assert validate.check_device("/dev/xvdg", in_use) is None
    assert "in use" in validate.check_device("/dev/xvdf", in_use)["device"]  # type: ignore[index]
    assert "in use" in validate.check_device("/dev/sda", in_use)["device"]  # type: ignore[index]
    for bad in ("sdf", "/dev/nvme1n1", "/dev/sd", "/dev/sdf1x", "/dev/SDF"):
        assert validate.check_device(bad, []) is not None, bad


def test_next_free_device() -> None:
    assert validate.next_free_device([]) == "/dev/sdf"
    assert validate.next_free_device(["/dev/sda1", "/dev/xvdf", "/dev/sdg"]) == "/dev/sdh"
    assert validate.next_free_device(validate.RECOMMENDED_DEVICES) is None


# --- other fields ----------------------------------------------------------------------------


def test_misc_fields() -> None:
    assert validate.check_region("eu-west-1", ["eu-west-1"]) is None
    assert validate.check_region("ap-east-1", ["eu-west-1"]) is not None
    assert validate.check_description("x" * 255) is None
    assert validate.check_description("x" * 256) is not None
    assert validate.check_restore_days(None) is None
    assert validate.check_restore_days(180) is None
    assert validate.check_restore_days(0) is not None
    assert validate.check_image_name("web (restored) 2026-11-20") is None
    assert validate.check_image_name("ab") is not None
    assert validate.check_image_name("bad*name") is not None


def test_merge_keeps_the_first_message_per_field() -> None:
    assert validate.merge(None, None) is None
    assert validate.merge({"a": "1"}, None, {"a": "2", "b": "3"}) == {"a": "1", "b": "3"}
