"""Lightsail answers (botocore-parsed dicts) -> models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from snaptui.aws.lightsail.models import (
    AutoSnapshotAddOn,
    LsDisk,
    LsInstance,
    LsSnapshot,
    SnapKind,
)

Json = dict[str, Any]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def tags_of(item: Json) -> dict[str, str]:
    return {str(t.get("key", "")): str(t.get("value", "")) for t in item.get("tags") or ()}


def _when(value: Any) -> datetime:
    return value.astimezone(UTC) if isinstance(value, datetime) else _EPOCH


def _auto(item: Json) -> AutoSnapshotAddOn:
    for addon in item.get("addOns") or ():
        if addon.get("name") == "AutoSnapshot" and addon.get("status") == "Enabled":
            return AutoSnapshotAddOn(True, str(addon.get("snapshotTimeOfDay", "")))
    return AutoSnapshotAddOn(False)


def instance_from(item: Json, region: str) -> LsInstance:
    disks = (item.get("hardware") or {}).get("disks") or ()
    system: Json = next((d for d in disks if d.get("isSystemDisk")), {})
    return LsInstance(
        name=str(item["name"]),
        region=region,
        arn=str(item.get("arn", "")),
        az=str((item.get("location") or {}).get("availabilityZone", "")),
        state=str((item.get("state") or {}).get("name", "")),
        blueprint_id=str(item.get("blueprintId", "")),
        blueprint_name=str(item.get("blueprintName", "")),
        bundle_id=str(item.get("bundleId", "")),
        system_disk_gb=int(system.get("sizeInGb", 0) or 0),
        key_pair=str(item.get("sshKeyName", "")),
        public_ip=str(item.get("publicIpAddress", "")),
        username=str(item.get("username", "")),
        created_at=_when(item.get("createdAt")),
        auto=_auto(item),
        tags=tags_of(item),
        disk_paths={
            str(d.get("name", "")): str(d.get("path", ""))
            for d in disks
            if not d.get("isSystemDisk")
        },
    )


def disk_from(item: Json, region: str) -> LsDisk:
    return LsDisk(
        name=str(item["name"]),
        region=region,
        arn=str(item.get("arn", "")),
        az=str((item.get("location") or {}).get("availabilityZone", "")),
        state=str(item.get("state", "")),
        size_gb=int(item.get("sizeInGb", 0) or 0),
        attached_to=str(item.get("attachedTo", "") or ""),
        path=str(item.get("path", "") or ""),
        created_at=_when(item.get("createdAt")),
        auto=_auto(item),
        tags=tags_of(item),
    )


def instance_snapshot_from(item: Json, region: str) -> LsSnapshot:
    return LsSnapshot(
        name=str(item["name"]),
        region=region,
        kind=SnapKind.INSTANCE,
        state=str(item.get("state", "")),
        created_at=_when(item.get("createdAt")),
        size_gb=int(item.get("sizeInGb", 0) or 0),
        source_name=str(item.get("fromInstanceName", "")),
        arn=str(item.get("arn", "")),
        progress=str(item.get("progress", "")),
        from_auto=bool(item.get("isFromAutoSnapshot")),
        bundle_id=str(item.get("fromBundleId", "")),
        blueprint_id=str(item.get("fromBlueprintId", "")),
        az=str((item.get("location") or {}).get("availabilityZone", "")),
        attached_disks=tuple(
            (str(d.get("name") or d.get("path", "")), int(d.get("sizeInGb", 0) or 0))
            for d in item.get("fromAttachedDisks") or ()
        ),
        tags=tags_of(item),
    )


def disk_snapshot_from(item: Json, region: str) -> LsSnapshot:
    return LsSnapshot(
        name=str(item["name"]),
        region=region,
        kind=SnapKind.DISK,
        state=str(item.get("state", "")),
        created_at=_when(item.get("createdAt")),
        size_gb=int(item.get("sizeInGb", 0) or 0),
        source_name=str(item.get("fromDiskName", "")),
        source_kind="Disk",
        arn=str(item.get("arn", "")),
        progress=str(item.get("progress", "")),
        from_auto=bool(item.get("isFromAutoSnapshot")),
        az=str((item.get("location") or {}).get("availabilityZone", "")),
        tags=tags_of(item),
    )


def auto_snapshot_from(
    item: Json, region: str, *, source: str, source_kind: str, size_gb: int, az: str
) -> LsSnapshot:
    date = str(item.get("date", ""))
    return LsSnapshot(
        name=f"{source} {date}",
        region=region,
        kind=SnapKind.AUTO,
        state=str(item.get("status", "")),
        created_at=_when(item.get("createdAt")),
        size_gb=size_gb,
        source_name=source,
        source_kind=source_kind,
        auto_date=date,
        az=az,
        attached_disks=tuple(
            (str(d.get("path", "")), int(d.get("sizeInGb", 0) or 0))
            for d in item.get("fromAttachedDisks") or ()
        ),
    )
