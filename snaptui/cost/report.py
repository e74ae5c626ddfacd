"""The cost review: per region and account, built from lineages, diffs and prices. Pure.

Every figure says whether it is exact (settled by ListChangedBlocks diffs and the lineage
evidence, or a root's full size) or an estimate (a range that contains the truth, with the
reason), and an estimate is never reported as exact: single-value fields (``incremental_bytes``,
``monthly_cost`` ...) are None unless exact, while ``*_low``/``*_high`` always hold the range
(equal when exact). Per-snapshot figures: cost.figures; totals (distinct blocks): cost.totals;
JSON and CSV: cost.output.

Archived snapshots are not in any lineage: the archive tier keeps a full copy billed at the
archive price, and their standard-tier blocks stay only where another snapshot uses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from snaptui.core.risks import RiskReport
from snaptui.cost import money
from snaptui.cost.blocks import Diffs, EdgeDiff, MissingDataError, set_freed_bytes
from snaptui.cost.figures import (
    REASON_UNKNOWN_SIZE,
    SnapshotCost,
    SnapshotFlags,
    lineage_figures,
    lone_figures,
    price_of,
)
from snaptui.cost.lineage import BASIS_ROOT, Lineage
from snaptui.cost.pricing import Prices, bundled_prices, bundled_source, price_for
from snaptui.cost.totals import Totals, region_totals, totals_of
from snaptui.models import Problem, Snapshot

__all__ = [
    "REASON_UNKNOWN_SIZE",
    "AccountCosts",
    "PriceBook",
    "RegionCosts",
    "SnapshotCost",
    "SnapshotFlags",
    "Totals",
    "build_region_costs",
    "bundled_book",
    "set_freed",
    "set_freed_detail",
    "split_lineages",
    "totals_of",
]

REASON_ARCHIVE = "archive tier: billed on the full snapshot size"


@dataclass(frozen=True, slots=True)
class PriceBook:
    """The price table in use and where it came from (shown beside every figure)."""

    table: Mapping[str, Prices]
    source: str
    live: bool = False

    def for_region(self, region: str) -> tuple[Prices, bool]:
        """Prices and whether they are a us-east-1 stand-in for an unknown region."""
        return price_for(region, self.table)


def bundled_book() -> PriceBook:
    source, as_of = bundled_source()
    label = source if as_of in source else f"{source}, as of {as_of}"
    return PriceBook(bundled_prices(), f"bundled price table ({label})")


@dataclass(frozen=True, slots=True)
class LineageCost:
    lineage_id: str
    region: str
    volume_id: str
    snapshot_ids: tuple[str, ...]
    totals: Totals
    open: bool = False  # may share blocks with snapshots that could not be checked


@dataclass(frozen=True, slots=True)
class ArchiveCandidate:
    """Archiving pays off over the 90-day minimum: saving = freed standard - full archived."""

    snapshot_id: str
    region: str
    freed_bytes: int
    full_bytes: int
    monthly_saving: float
    saving_90_days: float
    restore_cost: float  # one-off, if it is ever restored (retrieval of the full size)
    break_even_days: float | None
    exact: bool  # False: freed_bytes is the estimate's lower bound


@dataclass(slots=True)
class RegionCosts:
    """One region's figures plus what they were computed from (for set savings)."""

    region: str
    prices: Prices
    price_stand_in: bool  # the region is not in the table: us-east-1 prices used
    snapshots: dict[str, SnapshotCost] = field(default_factory=dict)
    lineages: list[Lineage] = field(default_factory=list)
    full_bytes: dict[str, int] = field(default_factory=dict)
    diffs: dict[tuple[str, str], EdgeDiff] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    edges_total: int = 0
    edges_done: int = 0  # fetched, cached or settled (broken or failed)
    api_calls: int = 0
    cache_hits: int = 0
    complete: bool = True  # every edge's diff in hand and every probe answered
    probes: int = 0  # ListChangedBlocks calls made to find lineages (part of api_calls)
    probed_lineages: int = 0  # snapshots joined to a lineage by a probe
    total: Totals = field(default_factory=Totals)  # distinct stored blocks (cost.totals)
    lineage_totals: dict[str, Totals] = field(default_factory=dict)

    def totals(self) -> Totals:
        return self.total

    def lineage_of(self, snapshot_id: str) -> Lineage | None:
        return next((lin for lin in self.lineages if snapshot_id in lin), None)


@dataclass(slots=True)
class AccountCosts:
    profile: str
    prices: PriceBook
    regions: dict[str, RegionCosts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. live prices fell back to bundled
    generated_at: datetime | None = None
    risks: RiskReport | None = None  # from the inventory (core/risks.py), beside the costs

    def all_snapshots(self) -> list[SnapshotCost]:
        return [c for r in self.regions.values() for c in r.snapshots.values()]

    def snapshot(self, snapshot_id: str) -> SnapshotCost | None:
        for r in self.regions.values():
            if snapshot_id in r.snapshots:
                return r.snapshots[snapshot_id]
        return None

    def totals(self) -> Totals:
        """Regions share no blocks, so the account's total is the sum of theirs."""
        out = Totals()
        for r in self.regions.values():
            out = out + r.totals()
        return out

    def region_totals(self) -> list[tuple[str, Totals]]:
        """Per region, most expensive first: the bar chart's data."""
        rows = [(name, r.totals()) for name, r in self.regions.items()]
        return sorted(rows, key=lambda row: (-row[1].monthly_high, row[0]))

    def by_lineage(self) -> list[LineageCost]:
        """Every lineage (archived and pending snapshots left out), most expensive first."""
        out = []
        for r in self.regions.values():
            for lin in r.lineages:
                costs = [r.snapshots[s] for s in lin.snapshot_ids if s in r.snapshots]
                volume = costs[-1].volume_id if costs else ""
                totals = r.lineage_totals.get(lin.id) or totals_of(costs)
                out.append(
                    LineageCost(lin.id, r.region, volume, lin.snapshot_ids, totals, lin.open)
                )
        return sorted(out, key=lambda lc: (-lc.totals.monthly_high, lc.lineage_id))

    def top_snapshots(self, limit: int | None = None) -> list[SnapshotCost]:
        ranked = sorted(self.all_snapshots(), key=SnapshotCost.sort_key)
        return ranked if limit is None else ranked[:limit]

    def orphans(self) -> list[SnapshotCost]:
        return sorted((c for c in self.all_snapshots() if c.orphan), key=SnapshotCost.sort_key)

    def archive_candidates(self) -> list[ArchiveCandidate]:
        out = []
        for r in self.regions.values():
            for c in r.snapshots.values():
                cand = archive_candidate(c, r.prices)
                if cand is not None:
                    out.append(cand)
        return sorted(out, key=lambda a: (-a.saving_90_days, a.snapshot_id))


def archive_candidate(cost: SnapshotCost, prices: Prices) -> ArchiveCandidate | None:
    """A standard-tier snapshot whose archiving saves money over 90 days (conservatively)."""
    freed = cost.freed_bytes if cost.exact else cost.freed_low_bytes
    full = cost.full_bytes
    if cost.storage_tier != "standard" or freed is None or not full:
        return None
    if not money.is_archive_candidate(freed, full, prices):
        return None
    return ArchiveCandidate(
        cost.snapshot_id,
        cost.region,
        freed,
        full,
        money.archive_monthly_saving(freed, full, prices),
        money.archive_saving(freed, full, prices),
        money.restore_cost(full, prices.retrieval),
        money.archive_break_even_days(freed, full, prices),
        cost.exact,
    )


# --- building a region's figures -----------------------------------------------------------


def split_lineages(lineages: Sequence[Lineage], breaks: Iterable[tuple[str, str]]) -> list[Lineage]:
    """Cut edges AWS called UNRELATED_SNAPSHOTS: each cut child roots its own lineage."""
    cut = set(breaks)
    if not cut:
        return list(lineages)
    out: list[Lineage] = []
    for lin in lineages:
        parent = {s: (None if (p, s) in cut else p) for s, p in lin.parent.items()}
        root_of: dict[str, str] = {}
        members: dict[str, list[str]] = {}
        for sid in lin.snapshot_ids:  # parents come first
            p = parent[sid]
            root = sid if p is None else root_of[p]
            root_of[sid] = root
            members.setdefault(root, []).append(sid)
        for root, ids in members.items():
            basis = {s: b for s, b in lin.basis.items() if s in ids and s != root}
            basis[root] = lin.basis_of(root) if root == lin.id else BASIS_ROOT
            parents = {s: parent[s] for s in ids}
            out.append(Lineage(root, lin.region, tuple(ids), parents, basis, open=lin.open))
    return out


def build_region_costs(
    region: str,
    snapshots: Sequence[Snapshot],
    lineages: Sequence[Lineage],
    full_bytes: Mapping[str, int],
    diffs: Diffs,
    prices: Prices,
    *,
    price_stand_in: bool = False,
    reasons: Mapping[str, str] | None = None,
    default_reason: str = "estimate: no diff fetched yet",
    flags: Mapping[str, SnapshotFlags] | None = None,
) -> RegionCosts:
    """Figures for every snapshot of a region, and its totals (cost.figures, cost.totals).

    ``full_bytes`` holds known full sizes (FullSnapshotSizeInBytes, or ListSnapshotBlocks
    counts for roots); ``reasons`` maps a snapshot id to why its figures are not exact (its own
    diff or a child's failed), falling back to ``default_reason``.
    """
    reasons = reasons or {}
    flags = flags or {}
    out = RegionCosts(region, prices, price_stand_in, lineages=list(lineages))
    out.full_bytes = dict(full_bytes)
    out.diffs = dict(diffs)
    by_id = {s.id: s for s in snapshots}

    def reason_for(sid: str, lin: Lineage | None) -> str:
        if sid in reasons:
            return reasons[sid]
        for kid in lin.children(sid) if lin is not None else ():
            if kid in reasons:
                return reasons[kid]
        return default_reason

    def make(snap: Snapshot, lineage_id: str, figures: dict[str, Any]) -> SnapshotCost:
        f = flags.get(snap.id, SnapshotFlags())
        return SnapshotCost(
            snap.id, region, lineage_id, snap.volume_id, snap.storage_tier, snap.state,
            snap.start_time, full_bytes.get(snap.id) or snap.full_size_bytes or None,
            price_per_gib_month=price_of(snap, prices), orphan=f.orphan, copy=f.copy,
            in_ami=f.in_ami, **figures,
        )  # fmt: skip

    for lin in lineages:
        for sid, figures in lineage_figures(lin, by_id, full_bytes, diffs, reason_for).items():
            out.snapshots[sid] = make(by_id[sid], lin.id, figures)
    for snap in snapshots:
        if snap.id not in out.snapshots:
            why = reasons.get(
                snap.id, f"estimate: snapshot is {snap.state}; its blocks are final once completed"
            )
            out.snapshots[snap.id] = make(snap, "", lone_figures(snap, full_bytes, why))
    out.total, out.lineage_totals = region_totals(
        lineages, out.snapshots, by_id, full_bytes, diffs, prices.standard
    )
    return out


# --- savings of deleting a set -------------------------------------------------------------


class SetFreed(NamedTuple):
    """Deleting a set at once. When not exact, ``bytes``/``monthly`` are the lower bound."""

    bytes: int
    monthly: float
    exact: bool


@dataclass(frozen=True, slots=True)
class SetFreedDetail:
    low_bytes: int
    high_bytes: int | None  # None: some snapshot's size is unknown
    low_monthly: float
    high_monthly: float | None
    exact: bool
    reason: str


def set_freed_detail(
    costs: AccountCosts | RegionCosts, snapshot_ids: Iterable[str]
) -> SetFreedDetail:
    """What deleting every snapshot of ``snapshot_ids`` together frees (not the sum of singles).

    Exact per lineage from the stored diffs (cost.blocks.set_freed_bytes). Where diffs are
    missing the range is [sum of single freed lower bounds, sum of incremental upper bounds]:
    every version a set frees was added by one of its snapshots, and each single saving is
    also freed by the set. Unknown ids are ignored.
    """
    regions = costs.regions.values() if isinstance(costs, AccountCosts) else [costs]
    wanted = set(snapshot_ids)
    lo_b, hi_b, lo_m, hi_m = 0, 0, 0.0, 0.0
    high_known, exact, reason = True, True, ""
    for r in regions:
        chosen = wanted & r.snapshots.keys()
        if not chosen:
            continue
        lineage_ids = {r.snapshots[s].lineage_id for s in chosen}
        for lin in r.lineages:
            if lin.id not in lineage_ids:
                continue
            mine = chosen & set(lin.snapshot_ids)
            if lin.open:
                continue  # it may share versions with snapshots outside it: bounds below
            try:
                b = set_freed_bytes(lin, r.full_bytes, r.diffs, mine)
            except MissingDataError:
                continue  # handled below with the bounds
            chosen -= mine
            lo_b, hi_b = lo_b + b, hi_b + b
            m = money.monthly_cost(b, r.prices.standard)
            lo_m, hi_m = lo_m + m, hi_m + m
        for sid in sorted(chosen):  # archived, pending, or a lineage missing diffs
            c = r.snapshots[sid]
            if c.exact and not c.lineage_id:  # archived: its own full copy
                b = c.freed_bytes or 0
                lo_b, hi_b = lo_b + b, hi_b + b
                m = c.freed_monthly or 0.0
                lo_m, hi_m = lo_m + m, hi_m + m
                continue
            exact = False
            reason = reason or c.reason or "estimate: diffs missing"
            lo_b += c.freed_low_bytes or 0
            lo_m += c.freed_monthly_low or 0.0
            if c.incremental_high_bytes is None:
                high_known = False
            else:
                hi_b += c.incremental_high_bytes
                hi_m += c.monthly_high or 0.0
    return SetFreedDetail(
        lo_b, hi_b if high_known else None, lo_m, hi_m if high_known else None, exact, reason
    )


def set_freed(costs: AccountCosts | RegionCosts, snapshot_ids: Iterable[str]) -> SetFreed:
    """(bytes, monthly USD, exact) freed by deleting the set; see ``set_freed_detail``."""
    d = set_freed_detail(costs, snapshot_ids)
    return SetFreed(d.low_bytes, d.low_monthly, d.exact)
