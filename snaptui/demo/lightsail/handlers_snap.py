"""Snapshot mutations: create (instance or disk), delete (manual or automatic), copy (across
regions, or an automatic snapshot kept as a manual one) and export to EC2."""

from __future__ import annotations

from typing import Any

from snaptui.demo.lightsail import rules, views
from snaptui.demo.lightsail.handlers_read import find_disk, find_instance, find_snapshot
from snaptui.demo.lightsail.store import (
    AutoSnap,
    Disk,
    Instance,
    Region,
    Snapshot,
    Store,
    invalid,
    not_found,
)

Json = dict[str, Any]


def _unique_snapshot_name(reg: Region, name: str) -> None:
    if name in reg.snapshots:
        raise invalid(f"Some names are already in use: {name}")


def _ready(store: Store, s: Snapshot) -> None:
    if not store.is_ready(s.ready_at):
        raise invalid(f"The snapshot {s.name} is still pending; wait until it is available")


def new_snapshot(store: Store, reg: Region, name: str, kind: str, **fields: Any) -> Snapshot:
    now = store.now()
    snap = Snapshot(
        name=name,
        arn=store.arn(reg.name, kind, name),
        kind=kind,
        created_at=now,
        ready_at=now + store.pending_for,
        **fields,
    )
    reg.snapshots[name] = snap
    return snap


def _op(store: Store, reg: Region, name: str, kind: str, op_type: str, az: str = "") -> Json:
    return {
        "operations": [
            views.operation(
                store, reg.name, resource=name, resource_type=kind, op_type=op_type, az=az
            )
        ]
    }


def _instance_fields(reg: Region, i: Instance) -> Json:
    attached = [d for d in reg.disks.values() if d.attached_to == i.name]
    return {
        "az": i.az,
        "size_gb": i.disk_gb,
        "from_name": i.name,
        "from_arn": i.arn,
        "from_blueprint": i.blueprint_id,
        "from_bundle": i.bundle_id,
        "from_disks": [(d.name, d.path, d.size_gb) for d in attached],
    }


def create_instance_snapshot(store: Store, reg: Region, body: Json) -> Json:
    name = rules.name(body.get("instanceSnapshotName"), "instanceSnapshotName")
    tags = rules.tags(body.get("tags"))
    i = find_instance(reg, rules.name(body.get("instanceName"), "instanceName"))
    _unique_snapshot_name(reg, name)
    new_snapshot(store, reg, name, "InstanceSnapshot", tags=tags, **_instance_fields(reg, i))
    return {
        "operations": [
            views.operation(
                store, reg.name, resource=name, resource_type="InstanceSnapshot",
                op_type="CreateInstanceSnapshot", az=i.az, details=i.name,
            ),
            views.operation(
                store, reg.name, resource=i.name, resource_type="Instance",
                op_type="CreateInstanceSnapshot", az=i.az, details=name,
            ),
        ]
    }  # fmt: skip


def create_disk_snapshot(store: Store, reg: Region, body: Json) -> Json:
    name = rules.name(body.get("diskSnapshotName"), "diskSnapshotName")
    tags = rules.tags(body.get("tags"))
    disk_name = rules.optional_name(body.get("diskName"), "diskName")
    instance_name = rules.optional_name(body.get("instanceName"), "instanceName")
    if bool(disk_name) == bool(instance_name):
        raise invalid("Specify exactly one of diskName or instanceName")
    _unique_snapshot_name(reg, name)
    if disk_name:
        d: Disk = find_disk(reg, disk_name)
        fields: Json = {"az": d.az, "size_gb": d.size_gb, "from_name": d.name, "from_arn": d.arn}
        fields["from_instance"] = d.attached_to
    else:
        i: Instance = find_instance(reg, instance_name)
        fields = {"az": i.az, "size_gb": i.disk_gb, "from_instance": i.name}
        fields.update(from_name=f"{i.name}-system-disk", from_arn=i.arn)
    snap = new_snapshot(store, reg, name, "DiskSnapshot", tags=tags, **fields)
    return _op(store, reg, name, "DiskSnapshot", "CreateDiskSnapshot", snap.az)


def delete_instance_snapshot(store: Store, reg: Region, body: Json) -> Json:
    return _delete(store, reg, body.get("instanceSnapshotName"), "InstanceSnapshot")


def delete_disk_snapshot(store: Store, reg: Region, body: Json) -> Json:
    return _delete(store, reg, body.get("diskSnapshotName"), "DiskSnapshot")


def _delete(store: Store, reg: Region, name: Any, kind: str) -> Json:
    snap: Snapshot = find_snapshot(reg, rules.name(name, "snapshot name"), kind)
    _ready(store, snap)
    del reg.snapshots[snap.name]
    return _op(store, reg, snap.name, kind, f"Delete{kind}", snap.az)


def delete_auto_snapshot(store: Store, reg: Region, body: Json) -> Json:
    resource_name = rules.name(body.get("resourceName"), "resourceName")
    when = rules.auto_date(body.get("date"))
    resource = reg.instances.get(resource_name) or reg.disks.get(resource_name)
    if resource is None:
        raise not_found("resource", resource_name)
    if resource.auto is None or when not in resource.auto.snaps:
        raise not_found("automatic snapshot", f"{resource_name} {when}")
    del resource.auto.snaps[when]
    resource.auto.deleted.add(when)
    kind = "Instance" if isinstance(resource, Instance) else "Disk"
    return _op(store, reg, resource_name, kind, "DeleteInstanceSnapshot", resource.az)


def auto_source(reg: Region, body: Json, name_key: str) -> tuple[Instance | Disk, AutoSnap]:
    """The automatic snapshot named by (source resource, restoreDate | latest)."""
    resource_name = rules.name(body.get(name_key), name_key)
    resource = reg.instances.get(resource_name) or reg.disks.get(resource_name)
    if resource is None:
        raise not_found("resource", resource_name)
    date, latest = body.get("restoreDate"), bool(body.get("useLatestRestorableAutoSnapshot"))
    if bool(date) == latest:
        raise invalid("Specify exactly one of restoreDate or useLatestRestorableAutoSnapshot")
    snaps = resource.auto.snaps if resource.auto is not None else {}
    if latest:
        if not snaps:
            raise not_found("automatic snapshot", resource_name)
        return resource, snaps[max(snaps)]
    found = snaps.get(rules.auto_date(date))
    if found is None:
        raise not_found("automatic snapshot", f"{resource_name} {date}")
    return resource, found


def _fields_from_auto(src: Region, resource: Instance | Disk, auto: AutoSnap) -> Json:
    if isinstance(resource, Instance):
        fields = _instance_fields(src, resource)
        fields["from_disks"] = [(f"{resource.name}-{p[-4:]}", p, g) for p, g in auto.disks]
    else:
        fields = {"az": resource.az, "from_name": resource.name, "from_arn": resource.arn}
    fields["size_gb"] = auto.size_gb
    return fields


def copy_snapshot(store: Store, reg: Region, body: Json) -> Json:
    target = rules.name(body.get("targetSnapshotName"), "targetSnapshotName")
    src_name = str(body.get("sourceRegion", ""))
    from snaptui.demo.lightsail.wsgi import LIGHTSAIL_REGIONS

    if src_name not in LIGHTSAIL_REGIONS:
        raise invalid(f"sourceRegion is not a Lightsail region: {src_name!r}")
    src = store.region(src_name)
    store.roll_autos(src)
    named, resource_name = body.get("sourceSnapshotName"), body.get("sourceResourceName")
    if bool(named) == bool(resource_name):
        raise invalid("Specify exactly one of sourceSnapshotName or sourceResourceName")
    _unique_snapshot_name(reg, target)
    if named:
        source = src.snapshots.get(rules.name(named, "sourceSnapshotName"))
        if source is None:
            raise not_found("snapshot", str(named))
        _ready(store, source)
        kind = source.kind
        fields: Json = {
            "az": source.az if src is reg else f"{reg.name}a",
            "size_gb": source.size_gb, "from_name": source.from_name,
            "from_arn": source.from_arn, "from_blueprint": source.from_blueprint,
            "from_bundle": source.from_bundle, "from_disks": list(source.from_disks),
            "from_instance": source.from_instance, "is_from_auto": source.is_from_auto,
        }  # fmt: skip
    else:
        resource, auto = auto_source(src, body, "sourceResourceName")
        kind = "InstanceSnapshot" if isinstance(resource, Instance) else "DiskSnapshot"
        fields = _fields_from_auto(src, resource, auto) | {"is_from_auto": True}
        if src is not reg:
            fields["az"] = f"{reg.name}a"
    new_snapshot(store, reg, target, kind, **fields)
    return _op(store, reg, target, kind, "CopySnapshot")


def export_snapshot(store: Store, reg: Region, body: Json) -> Json:
    name = rules.name(body.get("sourceSnapshotName"), "sourceSnapshotName")
    source = reg.snapshots.get(name)
    if source is None:
        raise not_found("snapshot", name)
    _ready(store, source)
    from snaptui.demo.lightsail.export import export_to_ebs

    export_to_ebs(store.account, reg.name, source)
    return _op(store, reg, name, "ExportSnapshotRecord", "ExportSnapshot", source.az)
