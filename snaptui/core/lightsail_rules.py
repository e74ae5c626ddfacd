"""Checks on Lightsail input before anything is sent. Pure; ``None`` or ``{field: message}``.

Lightsail's own rules (its API answers InvalidInputException otherwise): resource names match
``\\w[\\w-]*\\w`` (2-255 characters, no dots or spaces), tags as on EC2 (50, 128, 256, no
``aws:``), the automatic-snapshot time is a whole UTC hour, disks attach at /dev/xvdf-p in the
instance's zone, and a new instance's bundle has a disk at least as large as the snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from snaptui.core.validate import Errors, check_tags

_NAME = re.compile(r"^\w[\w\-]*\w$", re.ASCII)
_TIME = re.compile(r"^([01][0-9]|2[0-3]):00$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DISK_PATHS = tuple(f"/dev/xvd{c}" for c in "fghijklmnop")
MAX_DISK_GB = 16384


def check_name(name: str, field: str = "name", taken: Collection[str] = ()) -> Errors | None:
    if not name:
        return {field: "a name is required"}
    if len(name) > 255 or not _NAME.match(name):
        return {
            field: "use letters, digits, - and _ only, starting and ending with a letter or digit"
        }
    if name in taken:
        return {field: f"{name} is already used in this region"}
    return None


def check_ls_tags(tags: Mapping[str, str], field: str = "tags") -> Errors | None:
    return check_tags(tags, field)


def check_time_of_day(value: str, field: str = "time") -> Errors | None:
    if not _TIME.match(value):
        return {field: "a whole hour in UTC, HH:00 (00:00-23:00)"}
    return None


def check_auto_date(value: str, field: str = "date") -> Errors | None:
    return None if _DATE.match(value) else {field: "a date YYYY-MM-DD"}


def check_disk_path(path: str, in_use: Collection[str], field: str = "path") -> Errors | None:
    if path not in DISK_PATHS:
        return {field: "one of /dev/xvdf ... /dev/xvdp"}
    if path in in_use:
        return {field: f"{path} is already used on the instance"}
    return None


def next_disk_path(in_use: Collection[str]) -> str | None:
    return next((p for p in DISK_PATHS if p not in in_use), None)


def check_disk_size(size_gb: int, snapshot_gb: int, field: str = "size") -> Errors | None:
    if not snapshot_gb <= size_gb <= MAX_DISK_GB:
        return {field: f"{snapshot_gb}-{MAX_DISK_GB} GB (at least the snapshot's size)"}
    return None


def check_bundle(
    bundle_id: str, bundles: Mapping[str, int], snapshot_gb: int, field: str = "bundle"
) -> Errors | None:
    """``bundles`` maps bundle id -> its disk size in GB."""
    if bundle_id not in bundles:
        return {field: f"unknown bundle {bundle_id!r}"}
    if bundles[bundle_id] < snapshot_gb:
        return {
            field: f"{bundle_id} has a {bundles[bundle_id]} GB disk, smaller than the "
            f"snapshot's {snapshot_gb} GB: choose one at least as large"
        }
    return None


def check_zone(az: str, zones: Collection[str], field: str = "zone") -> Errors | None:
    if az not in zones:
        return {field: f"one of {', '.join(sorted(zones)) or 'the region zones'}"}
    return None
