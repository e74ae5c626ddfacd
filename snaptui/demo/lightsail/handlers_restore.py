"""Restores and disks: new instances or disks from a snapshot (manual or automatic), attach,
detach and delete a disk, and the AutoSnapshot add-on (enable, change time, disable)."""

from __future__ import annotations

import re
from typing import Any

from snaptui.demo.lightsail import rules, views
from snaptui.demo.lightsail.handlers_read import (
    bundle_disk_gb,
    find_disk,
    find_instance,
    find_snapshot,
)
from snaptui.demo.lightsail.handlers_snap import auto_source
from snaptui.demo.lightsail.store import (
    AutoAddOn,
    Disk,
    Instance,
    Region,
    Snapshot,
    Store,
    invalid,
)

Json = dict[str, Any]
_DISK_PATH = re.compile(r"^/dev/xvd[f-p]$")
DEFAULT_TIME = "06:00"


def _zone(reg: Region, body: Json) -> str:
    az = str(body.get("availabilityZone", ""))
    if az not in reg.zones:
        raise invalid(f"availabilityZone {az!r} is not a zone of {reg.name}")
    return az


def _op(store: Store, reg: Region, name: str, kind: str, op_type: str, az: str = "") -> Json:
    return views.operation(
        store, reg.name, resource=name, resource_type=kind, op_type=op_type, az=az
    )


def create_instances_from_snapshot(store: Store, reg: Region, body: Json) -> Json:
    names = body.get("instanceNames")
    if not isinstance(names, list) or not names:
        raise invalid("instanceNames must name at least one instance")
    names = [rules.name(n, "instance name") for n in names]
    taken = [n for n in names if n in reg.instances]
    if taken or len(set(names)) != len(names):
        raise invalid(f"Some names are already in use: {', '.join(taken or names)}")
    az = _zone(reg, body)
    tags = rules.tags(body.get("tags"))
    source = _instance_source(store, reg, body)
    bundle = str(body.get("bundleId", ""))
    disk_gb = bundle_disk_gb(bundle)
    if disk_gb is None:
        raise invalid(f"bundleId {bundle!r} is not a Lightsail bundle")
    if disk_gb < source["size_gb"]:
        raise invalid(
            f"The bundle {bundle} ({disk_gb} GB) is smaller than the snapshot's "
            f"{source['size_gb']} GB: choose a bundle at least as large"
        )
    key = str(body.get("keyPairName") or "LightsailDefaultKeyPair")
    if key not in reg.key_pairs:
        raise invalid(f"The key pair {key} does not exist in {reg.name}")
    user_data = body.get("userData") or ""
    if len(str(user_data)) > 16 * 1024:
        raise invalid("userData must be at most 16 KB")
    now = store.now()
    ops = []
    for name in names:
        reg.instances[name] = Instance(
            name=name, arn=store.arn(reg.name, "Instance", name), az=az, created_at=now,
            blueprint_id=source["blueprint"], blueprint_name=source["blueprint"],
            bundle_id=bundle, disk_gb=disk_gb, key_pair=key, tags=tags,
            ready_at=now + store.pending_for,
        )  # fmt: skip
        ops.append(_op(store, reg, name, "Instance", "CreateInstancesFromSnapshot", az))
    return {"operations": ops}


def _instance_source(store: Store, reg: Region, body: Json) -> Json:
    if body.get("instanceSnapshotName"):
        snap: Snapshot = find_snapshot(reg, body.get("instanceSnapshotName"), "InstanceSnapshot")
        if not store.is_ready(snap.ready_at):
            raise invalid(f"The snapshot {snap.name} is still pending")
        return {"size_gb": snap.size_gb, "blueprint": snap.from_blueprint}
    resource, auto = auto_source(reg, body, "sourceInstanceName")
    if not isinstance(resource, Instance):
        raise invalid(f"{resource.name} is not an instance")
    return {"size_gb": auto.size_gb, "blueprint": resource.blueprint_id}


def create_disk_from_snapshot(store: Store, reg: Region, body: Json) -> Json:
    name = rules.name(body.get("diskName"), "diskName")
    if name in reg.disks:
        raise invalid(f"Some names are already in use: {name}")
    az = _zone(reg, body)
    tags = rules.tags(body.get("tags"))
    if body.get("diskSnapshotName"):
        snap: Snapshot = find_snapshot(reg, body.get("diskSnapshotName"), "DiskSnapshot")
        if not store.is_ready(snap.ready_at):
            raise invalid(f"The snapshot {snap.name} is still pending")
        source_gb = snap.size_gb
    else:
        resource, auto = auto_source(reg, body, "sourceDiskName")
        if not isinstance(resource, Disk):
            raise invalid(f"{resource.name} is not a disk")
        source_gb = auto.size_gb
    size = rules.size(body.get("sizeInGb"), source_gb)
    now = store.now()
    reg.disks[name] = Disk(
        name=name, arn=store.arn(reg.name, "Disk", name), az=az, created_at=now,
        size_gb=size, tags=tags, ready_at=now + store.pending_for,
    )  # fmt: skip
    return {"operations": [_op(store, reg, name, "Disk", "CreateDiskFromSnapshot", az)]}


def attach_disk(store: Store, reg: Region, body: Json) -> Json:
    d: Disk = find_disk(reg, rules.name(body.get("diskName"), "diskName"))
    i: Instance = find_instance(reg, rules.name(body.get("instanceName"), "instanceName"))
    path = str(body.get("diskPath", ""))
    if not _DISK_PATH.match(path):
        raise invalid(f"diskPath must be /dev/xvdf to /dev/xvdp, got {path!r}")
    if not store.is_ready(d.ready_at):
        raise invalid(f"The disk {d.name} is not available yet")
    if d.attached_to:
        raise invalid(f"The disk {d.name} is already attached to {d.attached_to}")
    if d.az != i.az:
        raise invalid(f"The disk {d.name} is in {d.az} and {i.name} in {i.az}: same zone needed")
    if any(o.attached_to == i.name and o.path == path for o in reg.disks.values()):
        raise invalid(f"{path} is already in use on {i.name}")
    d.attached_to, d.path = i.name, path
    return {"operations": [_op(store, reg, d.name, "Disk", "AttachDisk", d.az)]}


def detach_disk(store: Store, reg: Region, body: Json) -> Json:
    d: Disk = find_disk(reg, rules.name(body.get("diskName"), "diskName"))
    if not d.attached_to:
        raise invalid(f"The disk {d.name} is not attached")
    d.attached_to, d.path = "", ""
    return {"operations": [_op(store, reg, d.name, "Disk", "DetachDisk", d.az)]}


def delete_disk(store: Store, reg: Region, body: Json) -> Json:
    d: Disk = find_disk(reg, rules.name(body.get("diskName"), "diskName"))
    if d.attached_to:
        raise invalid(f"The disk {d.name} is attached to {d.attached_to}: detach it first")
    del reg.disks[d.name]
    return {"operations": [_op(store, reg, d.name, "Disk", "DeleteDisk", d.az)]}


def _resource(reg: Region, body: Json) -> Instance | Disk:
    name = rules.name(body.get("resourceName"), "resourceName")
    found: Instance | Disk | None = reg.instances.get(name) or reg.disks.get(name)
    if found is None:
        from snaptui.demo.lightsail.store import not_found

        raise not_found("resource", name)
    return found


def enable_add_on(store: Store, reg: Region, body: Json) -> Json:
    resource = _resource(reg, body)
    request = body.get("addOnRequest") or {}
    if request.get("addOnType") != "AutoSnapshot":
        raise invalid("The demo world supports addOnType AutoSnapshot only")
    wanted = (request.get("autoSnapshotAddOnRequest") or {}).get("snapshotTimeOfDay")
    time_of_day = rules.time_of_day(wanted) if wanted else DEFAULT_TIME
    if resource.auto is None:
        resource.auto = AutoAddOn(time_of_day, store.now())
    else:  # changing the time keeps the snapshots already taken
        resource.auto.time_of_day = time_of_day
    kind = "Instance" if isinstance(resource, Instance) else "Disk"
    return {"operations": [_op(store, reg, resource.name, kind, "EnableAddOn", resource.az)]}


def disable_add_on(store: Store, reg: Region, body: Json) -> Json:
    resource = _resource(reg, body)
    if body.get("addOnType") != "AutoSnapshot":
        raise invalid("addOnType must be AutoSnapshot")
    if resource.auto is None:
        raise invalid(f"Automatic snapshots are not enabled for {resource.name}")
    # Lightsail deletes a resource's automatic snapshots when the add-on is disabled.
    resource.auto = None
    kind = "Instance" if isinstance(resource, Instance) else "Disk"
    return {"operations": [_op(store, reg, resource.name, kind, "DisableAddOn", resource.az)]}
