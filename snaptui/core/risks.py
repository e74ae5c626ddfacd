"""What could hurt beside the bill: who can read a snapshot, what has no copy elsewhere.

Flags per snapshot, from the inventory alone (no extra calls): public (the region's public
check; "unknown" where that check failed, never "private"), unencrypted, no DR copy (no
snapshot of the same volume's data in another region), and unmanaged for over a year (no
DLM, AWS Backup, AMI or snaptui mark: a person made it and may have forgotten it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from snaptui.core.browse import Fleet, is_copy
from snaptui.core.details import PUBLIC_CHECK
from snaptui.core.managers import manager_of
from snaptui.models import Snapshot

PUBLIC = "public"
UNENCRYPTED = "unencrypted"
NO_DR_COPY = "no_dr_copy"
UNMANAGED_OLD = "unmanaged_over_a_year"
KINDS = (PUBLIC, UNENCRYPTED, NO_DR_COPY, UNMANAGED_OLD)
LABELS = {
    PUBLIC: "public (any AWS account can read it)",
    UNENCRYPTED: "unencrypted",
    NO_DR_COPY: "no DR copy (data in one region only)",
    UNMANAGED_OLD: "unmanaged, older than a year",
}
OLD = timedelta(days=365)


@dataclass(slots=True)
class RiskReport:
    flags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # snapshot id -> kinds
    public_unknown_regions: list[str] = field(default_factory=list)

    def ids(self, kind: str) -> list[str]:
        return [sid for sid, kinds in self.flags.items() if kind in kinds]


def _dr_regions(fleet: Fleet) -> dict[str, set[str]]:
    """Volume id -> every region holding a snapshot of its data (copies included)."""
    out: dict[str, set[str]] = {}
    for sid, copies in fleet.copies_by_source.items():
        src = fleet.snapshots_by_id.get(sid)
        if src is not None:
            out.setdefault(src.volume_id, set()).update(c.region for c in copies)
    for vid, snaps in fleet.snapshots_by_volume.items():
        out.setdefault(vid, set()).update(s.region for s in snaps)
    return out


def snapshot_risks(s: Snapshot, fleet: Fleet, now: datetime, dr: dict[str, set[str]]) -> list[str]:
    kinds = []
    if s.public:
        kinds.append(PUBLIC)
    if not s.encrypted:
        kinds.append(UNENCRYPTED)
    if not is_copy(s) and len(dr.get(s.volume_id, {s.region}) | {s.region}) < 2:
        kinds.append(NO_DR_COPY)
    if now - s.start_time > OLD:
        amis = [i.id for i in fleet.images_using(s.id)]
        if manager_of(s.tags, amis).kind == "person":
            kinds.append(UNMANAGED_OLD)
    return kinds


def risk_report(fleet: Fleet, now: datetime) -> RiskReport:
    report = RiskReport()
    dr = _dr_regions(fleet)
    for region, inv in fleet.inventories.items():
        if any(p.operation == PUBLIC_CHECK for p in inv.problems):
            report.public_unknown_regions.append(region)
        for s in inv.snapshots:
            kinds = snapshot_risks(s, fleet, now, dr)
            if kinds:
                report.flags[s.id] = tuple(kinds)
    return report
