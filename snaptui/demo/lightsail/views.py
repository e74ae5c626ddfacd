"""Records -> the JSON shapes of botocore's Lightsail model (timestamps as epoch seconds)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from snaptui.demo.lightsail.store import AutoAddOn, AutoSnap, Disk, Instance, Snapshot, Store

Json = dict[str, Any]


def ts(when: datetime) -> float:
    return when.timestamp()


def tags(values: dict[str, str]) -> list[Json]:
    return [{"key": k, "value": v} for k, v in values.items()]


def location(region: str, az: str = "") -> Json:
    return {"availabilityZone": az or "all", "regionName": region}


def support(store: Store, arn: str) -> str:
    return f"{store.account[-6:]}/{arn.rsplit('/', 1)[-1]}"


def addons(addon: AutoAddOn | None) -> list[Json]:
    if addon is None:
        return []
    return [
        {
            "name": "AutoSnapshot",
            "status": "Enabled",
            "snapshotTimeOfDay": addon.time_of_day,
            "nextSnapshotTimeOfDay": addon.time_of_day,
        }
    ]


def instance(store: Store, region: str, i: Instance, disks: list[Disk]) -> Json:
    attached = [d for d in disks if d.attached_to == i.name]
    running = store.is_ready(i.ready_at)
    return {
        "name": i.name,
        "arn": i.arn,
        "supportCode": support(store, i.arn),
        "createdAt": ts(i.created_at),
        "location": location(region, i.az),
        "resourceType": "Instance",
        "tags": tags(i.tags),
        "blueprintId": i.blueprint_id,
        "blueprintName": i.blueprint_name,
        "bundleId": i.bundle_id,
        "addOns": addons(i.auto),
        "isStaticIp": False,
        "publicIpAddress": i.ip,
        "ipAddressType": "ipv4",
        "hardware": {
            "cpuCount": 2,
            "ramSizeInGb": 1.0,
            "disks": [system_disk_info(i), *(disk_info(d) for d in attached)],
        },
        "state": {"code": 16, "name": "running"} if running else {"code": 0, "name": "pending"},
        "username": i.username,
        "sshKeyName": i.key_pair,
    }


def system_disk_info(i: Instance) -> Json:
    return {
        "name": f"{i.name}-system-disk",
        "path": "/dev/xvda",
        "sizeInGb": i.disk_gb,
        "isSystemDisk": True,
        "attachedTo": i.name,
        "isAttached": True,
        "state": "in-use",
    }


def disk_info(d: Disk) -> Json:
    return {"name": d.name, "path": d.path, "sizeInGb": d.size_gb, "isSystemDisk": False}


def disk(store: Store, region: str, d: Disk) -> Json:
    ready = store.is_ready(d.ready_at)
    state = "pending" if not ready else ("in-use" if d.attached_to else "available")
    out: Json = {
        "name": d.name,
        "arn": d.arn,
        "supportCode": support(store, d.arn),
        "createdAt": ts(d.created_at),
        "location": location(region, d.az),
        "resourceType": "Disk",
        "tags": tags(d.tags),
        "addOns": addons(d.auto),
        "sizeInGb": d.size_gb,
        "isSystemDisk": False,
        "iops": 100,
        "state": state,
        "isAttached": bool(d.attached_to),
        "attachmentState": "attached" if d.attached_to else "detached",
        "gbInUse": 0,
        "autoMountStatus": "NotMounted",
    }
    if d.attached_to:
        out["attachedTo"] = d.attached_to
        out["path"] = d.path
    return out


def snapshot(store: Store, region: str, s: Snapshot) -> Json:
    ready = store.is_ready(s.ready_at)
    out: Json = {
        "name": s.name,
        "arn": s.arn,
        "supportCode": support(store, s.arn),
        "createdAt": ts(s.created_at),
        "location": location(region, s.az),
        "resourceType": s.kind,
        "tags": tags(s.tags),
        "progress": store.progress(s.created_at, s.ready_at),
        "isFromAutoSnapshot": s.is_from_auto,
        "sizeInGb": s.size_gb,
    }
    if s.kind == "InstanceSnapshot":
        out["state"] = "available" if ready else "pending"
        out["fromInstanceName"] = s.from_name
        out["fromInstanceArn"] = s.from_arn
        out["fromBlueprintId"] = s.from_blueprint
        out["fromBundleId"] = s.from_bundle
        out["fromAttachedDisks"] = [
            {"name": n, "path": p, "sizeInGb": g, "isSystemDisk": False} for n, p, g in s.from_disks
        ]
    else:
        out["state"] = "completed" if ready else "pending"
        out["fromDiskName"] = s.from_name
        out["fromDiskArn"] = s.from_arn
        if s.from_instance:
            out["fromInstanceName"] = s.from_instance
    return out


def auto_snapshot(a: AutoSnap) -> Json:
    return {
        "date": a.date,
        "createdAt": ts(a.created_at),
        "status": "Success",
        "fromAttachedDisks": [{"path": p, "sizeInGb": g} for p, g in a.disks],
    }


def operation(
    store: Store,
    region: str,
    *,
    resource: str,
    resource_type: str,
    op_type: str,
    az: str = "",
    details: str = "",
    done: bool = False,
) -> Json:
    now = ts(store.now())
    out: Json = {
        "id": store.new_id("op", op_type, resource),
        "resourceName": resource,
        "resourceType": resource_type,
        "createdAt": now,
        "location": location(region, az),
        "isTerminal": done,
        "operationType": op_type,
        "status": "Succeeded" if done else "Started",
        "statusChangedAt": now,
    }
    if details:
        out["operationDetails"] = details
    return out
