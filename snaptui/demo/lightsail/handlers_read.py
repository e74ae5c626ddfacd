"""The Get* operations: one record by name (NotFoundException) or every record, paged by
``pageToken`` (an opaque token; a token we did not issue answers InvalidInputException)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from snaptui.demo.lightsail import views
from snaptui.demo.lightsail.store import LsError, Region, Store, invalid, not_found

Json = dict[str, Any]

# (bundleId, diskSizeInGb, ramSizeInGb, cpuCount, price): the Linux "_3_0" bundles.
BUNDLES: tuple[tuple[str, int, float, int, float], ...] = (
    ("nano_3_0", 20, 0.5, 2, 5.0),
    ("micro_3_0", 40, 1.0, 2, 7.0),
    ("small_3_0", 60, 2.0, 2, 12.0),
    ("medium_3_0", 80, 4.0, 2, 24.0),
    ("large_3_0", 160, 8.0, 2, 44.0),
    ("xlarge_3_0", 320, 16.0, 4, 84.0),
    ("2xlarge_3_0", 640, 32.0, 8, 164.0),
)


def bundle_disk_gb(bundle_id: str) -> int | None:
    return next((gb for b, gb, *_ in BUNDLES if b == bundle_id), None)


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"ls-demo:{offset}".encode()).decode()


def _offset(token: Any) -> int:
    if token in (None, ""):
        return 0
    try:
        prefix, _, number = base64.urlsafe_b64decode(str(token).encode()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        prefix, number = "", ""
    if prefix != "ls-demo" or not number.isdigit():
        raise invalid(f"pageToken is not valid: {token}")
    return int(number)


def page(store: Store, key: str, items: Sequence[Json], body: Json) -> Json:
    start = _offset(body.get("pageToken"))
    end = start + store.page_size
    out: Json = {key: list(items[start:end])}
    if end < len(items):
        out["nextPageToken"] = _token(end)
    return out


def _sorted(values: Any) -> list[Any]:
    return sorted(values, key=lambda r: (r.created_at, r.name))


def get_instances(store: Store, reg: Region, body: Json) -> Json:
    disks = list(reg.disks.values())
    items = [views.instance(store, reg.name, i, disks) for i in _sorted(reg.instances.values())]
    return page(store, "instances", items, body)


def get_instance(store: Store, reg: Region, body: Json) -> Json:
    i = find_instance(reg, body.get("instanceName"))
    return {"instance": views.instance(store, reg.name, i, list(reg.disks.values()))}


def get_disks(store: Store, reg: Region, body: Json) -> Json:
    items = [views.disk(store, reg.name, d) for d in _sorted(reg.disks.values())]
    return page(store, "disks", items, body)


def get_disk(store: Store, reg: Region, body: Json) -> Json:
    return {"disk": views.disk(store, reg.name, find_disk(reg, body.get("diskName")))}


def _snapshots(store: Store, reg: Region, kind: str) -> list[Json]:
    found = [s for s in reg.snapshots.values() if s.kind == kind]
    return [views.snapshot(store, reg.name, s) for s in _sorted(found)]


def get_instance_snapshots(store: Store, reg: Region, body: Json) -> Json:
    return page(store, "instanceSnapshots", _snapshots(store, reg, "InstanceSnapshot"), body)


def get_disk_snapshots(store: Store, reg: Region, body: Json) -> Json:
    return page(store, "diskSnapshots", _snapshots(store, reg, "DiskSnapshot"), body)


def get_instance_snapshot(store: Store, reg: Region, body: Json) -> Json:
    s = find_snapshot(reg, body.get("instanceSnapshotName"), "InstanceSnapshot")
    return {"instanceSnapshot": views.snapshot(store, reg.name, s)}


def get_disk_snapshot(store: Store, reg: Region, body: Json) -> Json:
    s = find_snapshot(reg, body.get("diskSnapshotName"), "DiskSnapshot")
    return {"diskSnapshot": views.snapshot(store, reg.name, s)}


def get_auto_snapshots(store: Store, reg: Region, body: Json) -> Json:
    name = str(body.get("resourceName", ""))
    resource = reg.instances.get(name) or reg.disks.get(name)
    if resource is None:
        raise not_found("resource", name)
    autos = resource.auto.snaps.values() if resource.auto is not None else ()
    return {
        "resourceName": name,
        "resourceType": "Instance" if name in reg.instances else "Disk",
        "autoSnapshots": [views.auto_snapshot(a) for a in sorted(autos, key=lambda a: a.date)],
    }


def get_bundles(store: Store, reg: Region, body: Json) -> Json:
    items = [
        {
            "bundleId": b,
            "diskSizeInGb": gb,
            "ramSizeInGb": ram,
            "cpuCount": cpu,
            "price": price,
            "isActive": True,
            "name": b.split("_")[0].capitalize(),
            "supportedPlatforms": ["LINUX_UNIX"],
        }
        for b, gb, ram, cpu, price in BUNDLES
    ]
    return page(store, "bundles", items, body)


def get_key_pairs(store: Store, reg: Region, body: Json) -> Json:
    items = [
        {"name": k, "arn": f"arn:aws:lightsail:{reg.name}:{store.account}:KeyPair/{k}"}
        for k in sorted(reg.key_pairs)
    ]
    return page(store, "keyPairs", items, body)


def get_regions(store: Store, reg: Region, body: Json) -> Json:
    from snaptui.demo.lightsail.wsgi import LIGHTSAIL_REGIONS

    zones = bool(body.get("includeAvailabilityZones"))
    out = []
    for name in LIGHTSAIL_REGIONS:
        item: Json = {"name": name, "displayName": name, "continentCode": name[:2].upper()}
        if zones:
            item["availabilityZones"] = [
                {"zoneName": z, "state": "available"} for z in Region(name).zones
            ]
        out.append(item)
    return {"regions": out}


def find_instance(reg: Region, name: Any) -> Any:
    found = reg.instances.get(str(name or ""))
    if found is None:
        raise not_found("instance", str(name))
    return found


def find_disk(reg: Region, name: Any) -> Any:
    found = reg.disks.get(str(name or ""))
    if found is None:
        raise not_found("disk", str(name))
    return found


def find_snapshot(reg: Region, name: Any, kind: str) -> Any:
    found = reg.snapshots.get(str(name or ""))
    if found is None or found.kind != kind:
        what = "instance snapshot" if kind == "InstanceSnapshot" else "disk snapshot"
        raise not_found(what, str(name))
    return found


__all__ = ["LsError"]
