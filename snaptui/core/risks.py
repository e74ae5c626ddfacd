"""What could hurt beside the bill: who can read a snapshot, what has no copy elsewhere.

Flags per snapshot, from the inventory alone (no extra calls): public (the region's public
check; "unknown" where that check failed, never "private"), unencrypted, no DR copy (no
snapshot of the same volume's data in another region), and unmanaged for over a year (no
DLM, AWS Backup, AMI or snaptui mark: a person made it and may have forgotten it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from snaptui.core.browse import Fleet, is_copy
from snaptui.core.details import PUBLIC_CHECK
from snaptui.core.managers import manager_of
from snaptui.models import SharedWith, Snapshot

PUBLIC = "public"
UNENCRYPTED = "unencrypted"
NO_DR_COPY = "no_dr_copy"
UNMANAGED_OLD = "unmanaged_over_a_year"
SHARED_OUTSIDE = "shared_outside"
KINDS = (PUBLIC, SHARED_OUTSIDE, UNENCRYPTED, NO_DR_COPY, UNMANAGED_OLD)
LABELS = {
    PUBLIC: "public (any AWS account can read it)",
    UNENCRYPTED: "unencrypted",
    NO_DR_COPY: "no DR copy (data in one region only)",
    UNMANAGED_OLD: "unmanaged, older than a year",
    SHARED_OUTSIDE: "shared with accounts outside this view",
}
OLD = timedelta(days=365)


@dataclass(slots=True)
class RiskReport:
    flags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # snapshot id -> kinds
    public_unknown_regions: list[str] = field(default_factory=list)
    sharing_checked: int = 0  # snapshots whose sharing was looked up (the rest: unknown)
    snapshots: int = 0

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


def snapshot_risks(
    s: Snapshot,
    fleet: Fleet,
    now: datetime,
    dr: dict[str, set[str]],
    shared: SharedWith | None = None,
    own: frozenset[str] = frozenset(),
) -> list[str]:
    kinds = []
    if s.public:
        kinds.append(PUBLIC)
    if shared is not None and set(shared.accounts) - own:
        kinds.append(SHARED_OUTSIDE)
    if not s.encrypted:
        kinds.append(UNENCRYPTED)
    if not is_copy(s) and len(dr.get(s.volume_id, {s.region}) | {s.region}) < 2:
        kinds.append(NO_DR_COPY)
    if now - s.start_time > OLD:
        amis = [i.id for i in fleet.images_using(s.id)]
        if manager_of(s.tags, amis).kind == "person":
            kinds.append(UNMANAGED_OLD)
    return kinds


def risk_report(
    fleet: Fleet, now: datetime, shared: Mapping[str, SharedWith] | None = None
) -> RiskReport:
    """shared: the sharing looked up so far, by snapshot id (failed lookups are not counted)."""
    report = RiskReport()
    dr = _dr_regions(fleet)
    known = {k: v for k, v in (shared or {}).items() if not v.unknown}
    # Accounts in view: the owners of what is listed (with profiles, each profile's account).
    own = frozenset(s.owner_id for inv in fleet.inventories.values() for s in inv.snapshots)
    for region, inv in fleet.inventories.items():
        if any(p.operation == PUBLIC_CHECK for p in inv.problems):
            report.public_unknown_regions.append(region)
        report.snapshots += len(inv.snapshots)
        for s in inv.snapshots:
            report.sharing_checked += s.id in known
            kinds = snapshot_risks(s, fleet, now, dr, known.get(s.id), own)
            if kinds:
                report.flags[s.id] = tuple(kinds)
    return report
