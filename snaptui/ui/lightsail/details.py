"""Detail rows for the Lightsail view: every field that matters, AWS text kept as data."""

from __future__ import annotations

from datetime import datetime

from snaptui.aws.lightsail.models import LsDisk, LsInstance, LsSnapshot, SnapKind
from snaptui.core import fmt
from snaptui.core.details import Row
from snaptui.cost.lightsail import LightsailRate, ceiling_usd, format_ceiling

_KIND = {
    SnapKind.INSTANCE: "instance snapshot (manual)",
    SnapKind.DISK: "disk snapshot (manual)",
    SnapKind.AUTO: "automatic snapshot (Lightsail keeps the 7 newest)",
}


def _when(value: datetime | None, now: datetime) -> str:
    if value is None:
        return "-"
    return f"{value:%Y-%m-%d %H:%M} UTC ({fmt.age(value, now)} ago)"


def _tags(tags: dict[str, str]) -> list[Row]:
    return [(f"tag {k}"[:16], v) for k, v in sorted(tags.items())]


def snapshot_rows(s: LsSnapshot, rate: LightsailRate, now: datetime) -> list[Row]:
    rows: list[Row] = [
        ("Name", s.name),
        ("Kind", _KIND[s.kind] + (" — copy of an automatic one" if s.from_auto else "")),
        ("State", f"{s.state} {s.progress}".strip()),
        ("Created", _when(s.created_at, now)),
        ("Size", f"{s.size_gb} GB (the disk's size; Lightsail gives no block counts)"),
        ("Cost", f"{format_ceiling(ceiling_usd(s.size_gb, rate))} at "
                 f"${rate.usd_per_gb_month}/GB-month ({rate.source})"),
        ("Source", f"{s.source_kind.lower()} {s.source_name}"),
        ("Region", f"{s.region} {s.az}".strip()),
    ]  # fmt: skip
    if s.auto_date:
        rows.append(("Date", s.auto_date))
    if s.bundle_id:
        rows.append(("Bundle", f"{s.bundle_id} ({s.blueprint_id})"))
    rows += [("Disk", f"{name} {gb} GB") for name, gb in s.attached_disks]
    if s.arn:
        rows.append(("ARN", s.arn))
    return rows + _tags(s.tags)


def _auto(r: LsInstance | LsDisk) -> str:
    if not r.auto.enabled:
        return "off"
    return f"on, daily at {r.auto.time_of_day} UTC (7 newest kept)"


def instance_rows(i: LsInstance, now: datetime) -> list[Row]:
    rows: list[Row] = [
        ("Instance", i.name),
        ("State", i.state),
        ("Blueprint", f"{i.blueprint_name} ({i.blueprint_id})"),
        ("Bundle", f"{i.bundle_id}, system disk {i.system_disk_gb} GB"),
        ("Auto snaps", _auto(i)),
        ("Zone", i.az),
        ("Public IP", i.public_ip or "-"),
        ("SSH", f"{i.username}@{i.public_ip} key {i.key_pair}" if i.public_ip else "-"),
        ("Created", _when(i.created_at, now)),
    ]
    rows += [("Disk", f"{name} at {path}") for name, path in sorted(i.disk_paths.items())]
    return rows + [("ARN", i.arn)] + _tags(i.tags)


def disk_rows(d: LsDisk, now: datetime) -> list[Row]:
    attached = f"{d.attached_to} at {d.path}" if d.attached_to else "not attached"
    rows: list[Row] = [
        ("Disk", d.name),
        ("State", d.state),
        ("Size", f"{d.size_gb} GB"),
        ("Attached", attached),
        ("Auto snaps", _auto(d)),
        ("Zone", d.az),
        ("Created", _when(d.created_at, now)),
        ("ARN", d.arn),
    ]
    return rows + _tags(d.tags)
