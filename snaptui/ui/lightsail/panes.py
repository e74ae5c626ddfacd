"""The Lightsail view's panes: regions, resources (instances and disks), snapshots.

The same VirtualTable as the EC2 panes: virtual rendering, sort, filter, marks, cursor.
Costs are ceilings ("≤"): Lightsail reports only the disk size of a snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style

from snaptui.aws.lightsail.models import LsDisk, LsInstance, LsSnapshot, SnapKind
from snaptui.core import fmt
from snaptui.cost.lightsail import CEILING, LightsailRate, bundled_rate, ceiling_usd
from snaptui.ui.panes import Clock, PseudoRow, RegionRow, row_id, system_clock
from snaptui.ui.vtable import Column, VirtualTable

ALL = "(all)"
GONE = "(source gone)"
KIND_LABEL = {SnapKind.INSTANCE: "inst", SnapKind.DISK: "disk", SnapKind.AUTO: "auto"}


@dataclass(frozen=True, slots=True)
class ResourceRow:
    """An instance or a disk of one region, as the resources pane lists it."""

    id: str  # "region/name"
    region: str
    name: str
    resource: LsInstance | LsDisk

    @property
    def is_instance(self) -> bool:
        return isinstance(self.resource, LsInstance)

    @property
    def tags(self) -> dict[str, str]:
        return self.resource.tags


def resource_row(r: LsInstance | LsDisk) -> ResourceRow:
    return ResourceRow(f"{r.region}/{r.name}", r.region, r.name, r)


def snapshot_key(s: LsSnapshot) -> str:
    return f"{s.region}/{s.key}"


def snapshot_text(s: LsSnapshot) -> str:
    """What the filter matches: name, source, kind, state, region, date, tags."""
    parts = [s.name, s.source_name, KIND_LABEL[s.kind], s.state, s.region, s.auto_date]
    parts += [f"{k}={v}" for k, v in s.tags.items()]
    return "\x00".join(parts).lower()


def _res_label(r: object) -> str:
    if isinstance(r, ResourceRow):
        return r.name if r.is_instance else f"  {r.name}"
    return str(getattr(r, "label", ""))


def _res_info(r: object) -> str:
    if isinstance(r, ResourceRow):
        res = r.resource
        auto = "A" if res.auto.enabled else " "
        size = res.system_disk_gb if isinstance(res, LsInstance) else res.size_gb
        return f"{size}G{auto}"
    return str(getattr(r, "count", ""))


class LsRegionsPane(VirtualTable[object]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column("region", "Region", _region_label, sort_key=row_id, min_width=8),
                Column(
                    "snaps",
                    "Snaps",
                    lambda r: str(getattr(r, "snapshots", "")),
                    width=6,
                    justify="right",
                ),
            ],
            id="ls-regions",
            empty_text="Loading Lightsail regions…",
            markable=False,
        )


def _region_label(r: object) -> str:
    if isinstance(r, RegionRow):
        return r.id + ("…" if r.loading else ("!" if r.problems else ""))
    return str(getattr(r, "label", ""))


class LsResourcesPane(VirtualTable[object]):
    """Instances, each followed by its attached disks (indented); then unattached disks."""

    def __init__(self) -> None:
        super().__init__(
            [
                Column("name", "Instance / disk", _res_label, min_width=8),
                Column("info", "Disk", _res_info, width=6, justify="right"),
            ],
            id="ls-resources",
            empty_text="No instances or disks",
            markable=False,
        )


def _state(s: LsSnapshot) -> str:
    if s.ready:
        return "ok"
    return s.progress if s.state == "pending" and s.progress else s.state[:6]


def _style(s: LsSnapshot) -> Style | None:
    if not s.ready:
        return Style(color="yellow")
    return Style(dim=True) if s.is_auto else None


class LsSnapshotsPane(VirtualTable[LsSnapshot]):
    def __init__(self, clock: Clock = system_clock, rate: LightsailRate | None = None) -> None:
        price = rate or bundled_rate()
        super().__init__(
            [
                Column(
                    "name", "Snapshot", lambda s: s.name, sort_key=lambda s: s.name, min_width=12
                ),
                Column("kind", "Kind", lambda s: KIND_LABEL[s.kind], width=4),
                Column("state", "State", _state, width=5),
                Column(
                    "size",
                    "Size",
                    lambda s: f"{s.size_gb}G",
                    sort_key=lambda s: s.size_gb,
                    width=5,
                    justify="right",
                ),
                Column(
                    "age",
                    "Age",
                    lambda s: fmt.age(s.created_at, clock()),
                    sort_key=lambda s: -s.created_at.timestamp(),
                    width=4,
                    justify="right",
                ),
                Column(
                    "cost",
                    f"{CEILING}$/mo",
                    lambda s: f"{CEILING}{ceiling_usd(s.size_gb, price):.2f}",
                    sort_key=lambda s: -s.size_gb,
                    width=7,
                    justify="right",
                    hide_below=50,
                ),
                Column(
                    "source",
                    "Source",
                    lambda s: s.source_name,
                    sort_key=lambda s: s.source_name,
                    width=14,
                    hide_below=84,
                ),
                Column(
                    "region",
                    "Region",
                    lambda s: s.region,
                    sort_key=lambda s: s.region,
                    width=14,
                    hide_below=100,
                ),
            ],
            id="ls-snapshots",
            key=snapshot_key,
            text_of=snapshot_text,
            style_of=_style,
            empty_text="No Lightsail snapshots",
        )
        self.sort_column, self.sort_reverse = "age", False


__all__ = ["PseudoRow", "RegionRow"]
