"""Restore from a Lightsail snapshot: a new instance (bundle at least the source's size), or a
disk made from the snapshot and attached to an instance with the mount commands — the
single-file restore — and the clean-up that detaches and deletes only such a disk.

Restore disks carry the tag ``snaptui:restore-of=<snapshot>``; clean-up refuses any other disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from snaptui.aws import waiting
from snaptui.aws.calls import aws_call, call, invalid
from snaptui.aws.lightsail import facts
from snaptui.aws.lightsail.models import LsSnapshot, SnapKind
from snaptui.aws.session import AwsContext
from snaptui.core import lightsail_rules as rules
from snaptui.core.lightsail_mount import mount_commands
from snaptui.core.validate import merge

RESTORE_TAG = "snaptui:restore-of"


@dataclass(frozen=True, slots=True)
class NewInstance:
    name: str
    az: str
    bundle_id: str
    key_pair: str = ""  # "": the region's default key pair
    user_data: str = ""  # launch script
    tags: Mapping[str, str] = field(default_factory=dict)


def _source(snap: LsSnapshot, manual_key: str, resource_key: str) -> dict[str, Any]:
    if snap.is_auto:
        return {resource_key: snap.source_name, "restoreDate": snap.auto_date}
    return {manual_key: snap.name}


def create_instance_from_snapshot(ctx: AwsContext, snap: LsSnapshot, new: NewInstance) -> str:
    region, op = snap.region, "CreateInstancesFromSnapshot"
    if snap.kind is SnapKind.DISK or snap.source_kind == "Disk":
        raise invalid({"snapshot": "a disk snapshot makes a disk, not an instance"}, region, op)
    errors = merge(
        rules.check_name(new.name, "name"),
        rules.check_ls_tags(new.tags),
        None if len(new.user_data) <= 16384 else {"script": "at most 16 KB"},
    )
    if errors:
        raise invalid(errors, region, op)
    errors = merge(
        rules.check_name(new.name, "name", facts.instance_names(ctx, region)),
        rules.check_zone(new.az, facts.zones(ctx, region)),
        rules.check_bundle(new.bundle_id, facts.bundles(ctx, region), snap.size_gb),
        None
        if not new.key_pair or new.key_pair in facts.key_pairs(ctx, region)
        else {"key_pair": f"no key pair {new.key_pair!r} in {region}"},
    )
    if errors:
        raise invalid(errors, region, op)
    params: dict[str, Any] = {
        "instanceNames": [new.name],
        "availabilityZone": new.az,
        "bundleId": new.bundle_id,
        **_source(snap, "instanceSnapshotName", "sourceInstanceName"),
    }
    if new.key_pair:
        params["keyPairName"] = new.key_pair
    if new.user_data:
        params["userData"] = new.user_data
    if new.tags:
        params["tags"] = [{"key": k, "value": v} for k, v in new.tags.items()]
    call(ctx.client("lightsail", region), op, region, **params)
    return new.name


@dataclass(frozen=True, slots=True)
class DiskRestore:
    disk_name: str
    instance: str
    path: str
    region: str
    size_gb: int
    commands: list[str]


def restore_disk_name(snap: LsSnapshot) -> str:
    base = snap.name if not snap.is_auto else f"{snap.source_name}-{snap.auto_date}"
    return f"restore-{base}"[:200].replace(" ", "-")


def restore_disk(
    ctx: AwsContext,
    snap: LsSnapshot,
    instance: str,
    *,
    path: str = "",
    size_gb: int | None = None,
    wait: waiting.WaitOptions | None = None,
) -> DiskRestore:
    """Disk from the snapshot in the instance's zone -> attached at a free path -> commands."""
    region, op = snap.region, "CreateDiskFromSnapshot"
    if snap.kind is SnapKind.INSTANCE or (snap.is_auto and snap.source_kind != "Disk"):
        raise invalid(
            {"snapshot": "Lightsail makes disks from disk snapshots only: for an instance "
             "snapshot, create an instance from it"}, region, op,
        )  # fmt: skip
    target = facts.instance(ctx, region, instance)
    in_use = [p for p in target.disk_paths.values() if p]
    path = path or rules.next_disk_path(in_use) or ""
    size = size_gb if size_gb is not None else snap.size_gb
    name = restore_disk_name(snap)
    errors = merge(
        rules.check_disk_path(path, in_use),
        rules.check_disk_size(size, snap.size_gb),
        rules.check_name(name, "disk", facts.disk_names(ctx, region)),
    )
    if errors:
        raise invalid(errors, region, op)
    ls = ctx.client("lightsail", region)
    call(
        ls, op, region, diskName=name, availabilityZone=target.az, sizeInGb=size,
        tags=[{"key": RESTORE_TAG, "value": snap.key}],
        **_source(snap, "diskSnapshotName", "sourceDiskName"),
    )  # fmt: skip
    options = wait or waiting.WaitOptions()
    _wait_disk(ctx, region, name, options, lambda d: d.get("state") == "available")
    call(ls, "AttachDisk", region, diskName=name, instanceName=instance, diskPath=path)
    _wait_disk(ctx, region, name, options, lambda d: d.get("attachedTo") == instance)
    return DiskRestore(name, instance, path, region, size, mount_commands(name, path, size))


def _wait_disk(
    ctx: AwsContext, region: str, name: str, options: waiting.WaitOptions, done: Any
) -> None:
    ls = ctx.client("lightsail", region)

    def check() -> tuple[bool, str, str]:
        with aws_call(region, "GetDisk"):
            disk = ls.get_disk(diskName=name)["disk"]
        state = str(disk.get("state", ""))
        return bool(done(disk)), state, "the disk failed" if state == "error" else ""

    delay = options.delay if options.delay is not None else waiting.default_delay(ctx)
    waiting.wait_until(check, f"disk {name}", region, "GetDisk", delay, options)


def cleanup_restore(
    ctx: AwsContext, region: str, disk_name: str, wait: waiting.WaitOptions | None = None
) -> None:
    """Detach and delete a restore disk snaptui made; any other disk is refused."""
    disk = facts.disk(ctx, region, disk_name)
    if RESTORE_TAG not in disk.tags:
        raise invalid(
            {"disk": f"{disk_name} was not made by a snaptui restore; it is left alone"},
            region, "DeleteDisk",
        )  # fmt: skip
    ls = ctx.client("lightsail", region)
    if disk.attached_to:
        call(ls, "DetachDisk", region, diskName=disk_name)
        options = wait or waiting.WaitOptions()
        _wait_disk(ctx, region, disk_name, options, lambda d: not d.get("attachedTo"))
    call(ls, "DeleteDisk", region, diskName=disk_name)
