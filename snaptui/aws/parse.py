"""boto3 response dicts -> model dataclasses. Pure: no calls, tolerant of missing keys.

AWS (and moto) omit keys freely, so every field has a default; nothing here raises on a
well-formed but sparse response.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from sys import intern
from typing import Any

from snaptui.models import Attachment, Image, Instance, Snapshot, Tags, Volume

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def tags_of(items: Iterable[Mapping[str, Any]] | None) -> Tags:
    # Keys repeat on every row ("Name", "env"): one string object each, not one per row.
    return {intern(str(t.get("Key", ""))): str(t.get("Value", "")) for t in items or ()}


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def instance_from(d: Mapping[str, Any], region: str) -> Instance:
    devices = {
        str(m.get("DeviceName", "")): str(m["Ebs"]["VolumeId"])
        for m in d.get("BlockDeviceMappings", ())
        if m.get("Ebs", {}).get("VolumeId")
    }
    placement = d.get("Placement", {})
    return Instance(
        id=d["InstanceId"],
        region=region,
        state=str(d.get("State", {}).get("Name", "")),
        instance_type=str(d.get("InstanceType", "")),
        az=str(placement.get("AvailabilityZone", "")),
        tags=tags_of(d.get("Tags")),
        launch_time=_aware(d.get("LaunchTime")),
        architecture=str(d.get("Architecture", "")),
        platform=str(d.get("PlatformDetails", d.get("Platform", ""))),
        root_device_name=str(d.get("RootDeviceName", "")),
        image_id=str(d.get("ImageId", "")),
        subnet_id=str(d.get("SubnetId", "")),
        vpc_id=str(d.get("VpcId", "")),
        key_name=str(d.get("KeyName", "")),
        security_group_ids=tuple(str(g["GroupId"]) for g in d.get("SecurityGroups", ())),
        ena_support=bool(d.get("EnaSupport", False)),
        virtualization_type=str(d.get("VirtualizationType", "")),
        block_devices=devices,
    )


def volume_from(d: Mapping[str, Any], region: str) -> Volume:
    attachments = tuple(
        Attachment(
            instance_id=str(a.get("InstanceId", "")),
            device=str(a.get("Device", "")),
            state=str(a.get("State", "")),
            delete_on_termination=bool(a.get("DeleteOnTermination", False)),
        )
        for a in d.get("Attachments", ())
    )
    return Volume(
        id=d["VolumeId"],
        region=region,
        size_gib=int(d.get("Size", 0)),
        volume_type=str(d.get("VolumeType", "")),
        az=str(d.get("AvailabilityZone", "")),
        state=str(d.get("State", "")),
        encrypted=bool(d.get("Encrypted", False)),
        kms_key_id=str(d.get("KmsKeyId", "") or ""),
        iops=d.get("Iops"),
        throughput=d.get("Throughput"),
        snapshot_id=str(d.get("SnapshotId", "") or ""),
        create_time=_aware(d.get("CreateTime")),
        attachments=attachments,
        tags=tags_of(d.get("Tags")),
    )


def snapshot_from(d: Mapping[str, Any], region: str) -> Snapshot:
    # 0 or absent means "unknown" (pending snapshots, older endpoints): keep None, never 0.
    full = d.get("FullSnapshotSizeInBytes")
    return Snapshot(
        id=d["SnapshotId"],
        region=intern(region),
        volume_id=intern(str(d.get("VolumeId", "") or "")),
        volume_size_gib=int(d.get("VolumeSize", 0) or 0),
        state=intern(str(d.get("State", ""))),
        start_time=_aware(d.get("StartTime")) or _EPOCH,
        owner_id=intern(str(d.get("OwnerId", ""))),
        progress=intern(str(d.get("Progress", "") or "")),
        description=str(d.get("Description", "") or ""),
        encrypted=bool(d.get("Encrypted", False)),
        kms_key_id=intern(str(d.get("KmsKeyId", "") or "")),
        storage_tier=intern(str(d.get("StorageTier", "") or "standard")),
        full_size_bytes=int(full) if full else None,
        data_encryption_key_id=str(d.get("DataEncryptionKeyId", "") or ""),
        restore_expiry_time=_aware(d.get("RestoreExpiryTime")),
        tags=tags_of(d.get("Tags")),
        transfer_type=intern(str(d.get("TransferType", "") or "")),
        completion_minutes=_int_or_none(d.get("CompletionDurationMinutes")),
    )


def image_from(d: Mapping[str, Any], region: str) -> Image:
    snapshot_ids = tuple(
        str(m["Ebs"]["SnapshotId"])
        for m in d.get("BlockDeviceMappings", ())
        if m.get("Ebs", {}).get("SnapshotId")
    )
    return Image(
        id=d["ImageId"],
        region=region,
        name=str(d.get("Name", "")),
        state=str(d.get("State", "")),
        snapshot_ids=snapshot_ids,
        root_device_name=str(d.get("RootDeviceName", "")),
        architecture=str(d.get("Architecture", "")),
        creation_date=str(d.get("CreationDate", "")),
    )
