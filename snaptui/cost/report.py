"""Cost figures per snapshot, region and account, built from lineages, diffs and prices. Pure.

Every figure says whether it is exact (settled by ListChangedBlocks diffs, or a root's full
size) or an estimate (bounds from FullSnapshotSizeInBytes, with the reason), and an estimate is
never reported as exact: single-value fields (``incremental_bytes``, ``monthly_cost`` ...) are
None unless exact, while ``*_low``/``*_high`` always hold the range (equal when exact).

Archived snapshots are not in any lineage: the archive tier keeps a full copy billed at the
archive price, and their standard-tier blocks stay only where another snapshot uses them.

Stable output field names (JSON and CSV) are listed in ``SNAPSHOT_FIELDS`` and documented on
``SnapshotCost``; ``to_json_dict`` adds ``schema`` = ``JSON_SCHEMA`` so consumers can check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from snaptui.cost import money
from snaptui.cost.blocks import Diffs, EdgeDiff, MissingDataError, exact_costs, set_freed_bytes
from snaptui.cost.estimates import lineage_estimates
from snaptui.cost.lineage import Lineage
from snaptui.cost.pricing import Prices, bundled_prices, bundled_source, price_for
from snaptui.models import Problem, Snapshot

JSON_SCHEMA = "snaptui.cost/1"

REASON_ARCHIVE = "archive tier: billed on the full snapshot size"
REASON_UNKNOWN_SIZE = "size unknown: no diff and no FullSnapshotSizeInBytes"


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
class SnapshotFlags:
    """Facts about a snapshot decided by the caller (orphan needs the inventory)."""

    orphan: bool = False
    copy: bool = False
    in_ami: bool = False


@dataclass(slots=True)
class SnapshotCost:
    """One snapshot's figures. Bytes are 512 KiB blocks; money is USD per month.

    incremental_*: what the snapshot adds to the bill (its new block versions; a root's or an
    archived snapshot's full size). freed_*: what deleting it alone saves. ``exact`` is True
    only when both are settled; ``reason`` says why not otherwise ("" when exact).
    """

    snapshot_id: str
    region: str
    lineage_id: str  # "" for archived or not completed snapshots
    volume_id: str
    storage_tier: str
    state: str
    start_time: datetime | None
    full_bytes: int | None
    incremental_bytes: int | None
    incremental_low_bytes: int | None
    incremental_high_bytes: int | None
    freed_bytes: int | None
    freed_low_bytes: int | None
    freed_high_bytes: int | None
    exact: bool
    reason: str
    price_per_gib_month: float
    orphan: bool = False
    copy: bool = False
    in_ami: bool = False

    def _money(self, value: int | None) -> float | None:
        return None if value is None else money.monthly_cost(value, self.price_per_gib_month)

    @property
    def monthly_cost(self) -> float | None:
        return self._money(self.incremental_bytes)

    @property
    def monthly_low(self) -> float | None:
        return self._money(self.incremental_low_bytes)

    @property
    def monthly_high(self) -> float | None:
        return self._money(self.incremental_high_bytes)

    @property
    def freed_monthly(self) -> float | None:
        return self._money(self.freed_bytes)

    @property
    def freed_monthly_low(self) -> float | None:
        return self._money(self.freed_low_bytes)

    @property
    def freed_monthly_high(self) -> float | None:
        return self._money(self.freed_high_bytes)

    def sort_key(self) -> tuple[float, str]:
        """Most expensive first (by the upper bound, so estimates are not hidden)."""
        return (-(self.monthly_high or 0.0), self.snapshot_id)


@dataclass(frozen=True, slots=True)
class Totals:
    """Sum over snapshots. ``unknown`` counts snapshots with no bounds (left out of high)."""

    snapshots: int = 0
    unknown: int = 0
    bytes_low: int = 0
    bytes_high: int = 0
    monthly_low: float = 0.0
    monthly_high: float = 0.0
    exact: bool = True

    @property
    def bytes(self) -> int | None:
        return self.bytes_low if self.exact else None

    @property
    def monthly_cost(self) -> float | None:
        return self.monthly_low if self.exact else None

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.snapshots + other.snapshots,
            self.unknown + other.unknown,
            self.bytes_low + other.bytes_low,
            self.bytes_high + other.bytes_high,
            self.monthly_low + other.monthly_low,
            self.monthly_high + other.monthly_high,
            self.exact and other.exact,
        )


def totals_of(costs: Iterable[SnapshotCost]) -> Totals:
    t = Totals()
    for c in costs:
        lo, hi = c.incremental_low_bytes, c.incremental_high_bytes
        known = lo is not None and hi is not None
        t = t + Totals(
            1,
            0 if known else 1,
            lo or 0,
            hi or 0,
            c.monthly_low or 0.0,
            c.monthly_high or 0.0,
            c.exact and known,
        )
    return t


@dataclass(frozen=True, slots=True)
class LineageCost:
    lineage_id: str
    region: str
    volume_id: str
    snapshot_ids: tuple[str, ...]
    totals: Totals


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
    complete: bool = True  # False when cancelled

    def totals(self) -> Totals:
        return totals_of(self.snapshots.values())

    def lineage_of(self, snapshot_id: str) -> Lineage | None:
        return next((lin for lin in self.lineages if snapshot_id in lin), None)


@dataclass(slots=True)
class AccountCosts:
    profile: str
    prices: PriceBook
    regions: dict[str, RegionCosts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. live prices fell back to bundled
    generated_at: datetime | None = None

    def all_snapshots(self) -> list[SnapshotCost]:
        return [c for r in self.regions.values() for c in r.snapshots.values()]

    def snapshot(self, snapshot_id: str) -> SnapshotCost | None:
        for r in self.regions.values():
            if snapshot_id in r.snapshots:
                return r.snapshots[snapshot_id]
        return None

    def totals(self) -> Totals:
        return totals_of(self.all_snapshots())

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
                out.append(
                    LineageCost(lin.id, r.region, volume, lin.snapshot_ids, totals_of(costs))
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
            out.append(Lineage(root, lin.region, tuple(ids), {s: parent[s] for s in ids}))
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
    """Figures for every snapshot of a region.

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

    def make(snap: Snapshot, lineage_id: str, **figures: Any) -> SnapshotCost:
        f = flags.get(snap.id, SnapshotFlags())
        price = prices.archive if snap.storage_tier == "archive" else prices.standard
        return SnapshotCost(
            snap.id, region, lineage_id, snap.volume_id, snap.storage_tier, snap.state,
            snap.start_time, full_bytes.get(snap.id) or snap.full_size_bytes or None,
            price_per_gib_month=price, orphan=f.orphan, copy=f.copy, in_ami=f.in_ami, **figures,
        )  # fmt: skip

    in_lineage: set[str] = set()
    for lin in lineages:
        ex = exact_costs(lin, full_bytes, diffs)
        est = lineage_estimates(lin, full_bytes, default_reason)
        for sid in lin.snapshot_ids:
            in_lineage.add(sid)
            snap = by_id.get(sid)
            if snap is None:
                continue
            incr = ex.incremental_bytes.get(sid)
            lo: int | None
            hi: int | None
            if incr is not None:
                lo, hi = incr, incr
            elif sid in est:
                lo, hi = est[sid].low_bytes, est[sid].high_bytes
            else:
                lo = hi = None
            freed = ex.freed_bytes.get(sid)
            flo: int | None
            fhi: int | None
            if freed is not None:
                flo, fhi = freed, freed
            else:  # freed is a subset of the snapshot's own new versions
                flo = lo if not lin.children(sid) else (0 if hi is not None else None)
                fhi = hi
            exact = incr is not None and freed is not None
            out.snapshots[sid] = make(
                snap, lin.id,
                incremental_bytes=incr, incremental_low_bytes=lo, incremental_high_bytes=hi,
                freed_bytes=freed, freed_low_bytes=flo, freed_high_bytes=fhi, exact=exact,
                reason="" if exact else reason_for(sid, lin) if lo is not None or freed is not None
                else REASON_UNKNOWN_SIZE + f" ({reason_for(sid, lin)})",
            )  # fmt: skip

    for snap in snapshots:
        if snap.id in in_lineage:
            continue
        full = full_bytes.get(snap.id) or snap.full_size_bytes or None
        if snap.storage_tier == "archive" and snap.state == "completed":
            # The archive holds a full copy; deleting it frees exactly that copy.
            exact = full is not None
            reason = "" if exact else REASON_UNKNOWN_SIZE
            out.snapshots[snap.id] = make(
                snap, "", incremental_bytes=full, incremental_low_bytes=full,
                incremental_high_bytes=full, freed_bytes=full, freed_low_bytes=full,
                freed_high_bytes=full, exact=exact, reason=reason,
            )  # fmt: skip
            continue
        reason = reasons.get(
            snap.id, f"estimate: snapshot is {snap.state}; its blocks are final once completed"
        )
        out.snapshots[snap.id] = make(
            snap, "", incremental_bytes=None, incremental_low_bytes=0 if full else None,
            incremental_high_bytes=full, freed_bytes=None, freed_low_bytes=0 if full else None,
            freed_high_bytes=full, exact=False, reason=reason,
        )  # fmt: skip
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


# --- output --------------------------------------------------------------------------------

SNAPSHOT_FIELDS = (
    "snapshot_id", "region", "lineage_id", "volume_id", "storage_tier", "state", "start_time",
    "full_bytes", "incremental_bytes", "incremental_low_bytes", "incremental_high_bytes",
    "freed_bytes", "freed_low_bytes", "freed_high_bytes", "monthly_cost", "monthly_low",
    "monthly_high", "freed_monthly", "freed_monthly_low", "freed_monthly_high",
    "price_per_gib_month", "exact", "reason", "orphan", "copy", "in_ami",
)  # fmt: skip
TOTAL_FIELDS = (
    "snapshots", "unknown", "bytes", "bytes_low", "bytes_high", "monthly_cost", "monthly_low",
    "monthly_high", "exact",
)  # fmt: skip


def _usd(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def snapshot_dict(c: SnapshotCost) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(c, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, float):
            value = _usd(value)
        out[name] = value
    return out


def totals_dict(t: Totals) -> dict[str, Any]:
    return {
        n: _usd(v) if isinstance(v, float) else v for n in TOTAL_FIELDS for v in [getattr(t, n)]
    }


def to_json_dict(costs: AccountCosts, *, top: int | None = None) -> dict[str, Any]:
    """The whole review as JSON-ready data; ``top`` limits the ranked lists (not ``snapshots``)."""
    lineages = costs.by_lineage()
    return {
        "schema": JSON_SCHEMA,
        "profile": costs.profile,
        "generated_at": costs.generated_at.isoformat() if costs.generated_at else None,
        "price_source": costs.prices.source,
        "live_prices": costs.prices.live,
        "notes": list(costs.notes),
        "totals": totals_dict(costs.totals()),
        "regions": [
            {
                "region": name,
                "price_per_gib_month": costs.regions[name].prices.standard,
                "archive_price_per_gib_month": costs.regions[name].prices.archive,
                "price_stand_in": costs.regions[name].price_stand_in,
                "edges_total": costs.regions[name].edges_total,
                "edges_done": costs.regions[name].edges_done,
                "api_calls": costs.regions[name].api_calls,
                "cache_hits": costs.regions[name].cache_hits,
                "complete": costs.regions[name].complete,
                "problems": [str(p) for p in costs.regions[name].problems],
                "totals": totals_dict(t),
            }
            for name, t in costs.region_totals()
        ],
        "lineages": [
            {
                "lineage_id": lc.lineage_id,
                "region": lc.region,
                "volume_id": lc.volume_id,
                "snapshot_count": len(lc.snapshot_ids),
                "snapshot_ids": list(lc.snapshot_ids),
                "totals": totals_dict(lc.totals),
            }
            for lc in lineages[:top]
        ],
        "top_snapshots": [c.snapshot_id for c in costs.top_snapshots(top)],
        "orphans": {
            "snapshot_ids": [c.snapshot_id for c in costs.orphans()],
            "totals": totals_dict(totals_of(costs.orphans())),
        },
        "archive_candidates": [
            {
                "snapshot_id": a.snapshot_id,
                "region": a.region,
                "freed_bytes": a.freed_bytes,
                "full_bytes": a.full_bytes,
                "monthly_saving": _usd(a.monthly_saving),
                "saving_90_days": _usd(a.saving_90_days),
                "restore_cost": _usd(a.restore_cost),
                "break_even_days": _usd(a.break_even_days),
                "exact": a.exact,
            }
            for a in costs.archive_candidates()[:top]
        ],
        "snapshots": [snapshot_dict(c) for c in costs.top_snapshots()],
    }


def csv_rows(costs: AccountCosts) -> tuple[tuple[str, ...], list[list[str]]]:
    """Header and one row per snapshot (most expensive first); empty cells for None."""
    rows = []
    for c in costs.top_snapshots():
        d = snapshot_dict(c)
        rows.append(["" if d[n] is None else str(d[n]).lower() if isinstance(d[n], bool)
                     else str(d[n]) for n in SNAPSHOT_FIELDS])  # fmt: skip
    return SNAPSHOT_FIELDS, rows
