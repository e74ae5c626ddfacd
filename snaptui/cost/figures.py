"""Per-snapshot figures: exact where the diffs and the evidence settle them, true bounds otherwise.

incremental: the block versions a snapshot holds that its nearest surviving ancestor does not
(a root's, or an archived snapshot's, full size). freed: what deleting it alone saves. A figure
is exact only when settled; otherwise [low, high] is a range that contains the truth:

- incremental, parent known: low = max(0, Full(s) - Full(parent)) (never below the growth),
  high = Full(s); parent found by probing: low = the exact freed figure if known, else 0;
- freed: low 0, high = the incremental high (a snapshot frees only versions it holds that its
  parent does not); in an open lineage the within-lineage figure is the high;
- a size nobody reported (no FullSnapshotSizeInBytes, no count) is bounded by the volume size,
  never by 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from snaptui.cost import money
from snaptui.cost.blocks import BLOCK_BYTES, Diffs, exact_costs
from snaptui.cost.lineage import BASIS_PARENT, BASIS_ROOT, Lineage
from snaptui.cost.money import GIB
from snaptui.cost.pricing import Prices
from snaptui.models import Snapshot

REASON_UNKNOWN_SIZE = "size unknown: no diff and no FullSnapshotSizeInBytes"
REASON_PROBED = (
    "estimate: incremental is a bound: the parent was found by probing (same lineage, "
    "perhaps not the ancestor)"
)
REASON_OPEN = "estimate: may share blocks with snapshots that could not be checked"


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


def size_cap(snap: Snapshot, full_bytes: Mapping[str, int]) -> int:
    """The most a snapshot can hold: its full size, else its volume's size (never 0)."""
    known = full_bytes.get(snap.id) or snap.full_size_bytes
    return known or max(1, snap.volume_size_gib) * GIB


@dataclass(frozen=True, slots=True)
class _Range:
    exact: int | None
    low: int
    high: int


def _incremental(
    lin: Lineage, sid: str, by_id: Mapping[str, Snapshot], full: Mapping[str, int], diffs: Diffs
) -> _Range:
    snap = by_id[sid]
    cap = size_cap(snap, full)
    known = full.get(sid) or snap.full_size_bytes
    basis = lin.basis_of(sid)
    p = lin.parent[sid]
    if basis == BASIS_ROOT:
        return _Range(known, known or 0, cap) if known else _Range(None, 0, cap)
    if basis == BASIS_PARENT and p is not None:
        d = diffs.get((p, sid))
        if d is not None:
            n = len(d.new) * BLOCK_BYTES
            return _Range(n, n, n)
        parent_full = (full.get(p) or by_id[p].full_size_bytes) if p in by_id else None
        low = max(0, known - parent_full) if known and parent_full else 0
        return _Range(None, low, cap)
    return _Range(None, 0, cap)


def lineage_figures(
    lin: Lineage,
    by_id: Mapping[str, Snapshot],
    full: Mapping[str, int],
    diffs: Diffs,
    reason_for: Any,
) -> dict[str, dict[str, Any]]:
    """SnapshotCost field values (figures, exactness, reason) for every snapshot of ``lin``."""
    ex = exact_costs(lin, full, diffs)
    out: dict[str, dict[str, Any]] = {}
    for sid in lin.snapshot_ids:
        if sid not in by_id:
            continue
        incr = _incremental(lin, sid, by_id, full, diffs)
        known = bool(full.get(sid) or by_id[sid].full_size_bytes)
        lo = incr.low
        freed = None if lin.open else ex.freed_bytes.get(sid)
        if incr.exact is None and lin.basis_of(sid) not in (BASIS_ROOT, BASIS_PARENT):
            lo = max(lo, freed or 0)
        fhi = incr.high
        if lin.open and sid in ex.freed_bytes:
            fhi = min(fhi, ex.freed_bytes[sid])
        exact = incr.exact is not None and freed is not None
        out[sid] = dict(
            incremental_bytes=incr.exact, incremental_low_bytes=lo,
            incremental_high_bytes=incr.high, freed_bytes=freed,
            freed_low_bytes=freed if freed is not None else 0,
            freed_high_bytes=freed if freed is not None else fhi,
            exact=exact, reason="" if exact else _reason(lin, sid, incr, freed, reason_for, known),
        )  # fmt: skip
    return out


def _reason(
    lin: Lineage, sid: str, incr: _Range, freed: int | None, reason_for: Any, known: bool
) -> str:
    if lin.open:
        return REASON_OPEN
    if incr.exact is None and lin.basis_of(sid) not in (BASIS_ROOT, BASIS_PARENT):
        return str(REASON_PROBED if freed is not None else reason_for(sid, lin))
    why = str(reason_for(sid, lin))
    return why if incr.exact is not None or incr.low or known else f"{why} ({REASON_UNKNOWN_SIZE})"


def lone_figures(snap: Snapshot, full: Mapping[str, int], reason: str) -> dict[str, Any]:
    """Figures of a snapshot outside every lineage: archived (its own full copy) or pending."""
    cap = size_cap(snap, full)
    known = full.get(snap.id) or snap.full_size_bytes
    if snap.storage_tier == "archive" and snap.state == "completed" and known:
        return dict(
            incremental_bytes=known, incremental_low_bytes=known, incremental_high_bytes=known,
            freed_bytes=known, freed_low_bytes=known, freed_high_bytes=known, exact=True,
            reason="",
        )  # fmt: skip
    return dict(
        incremental_bytes=None, incremental_low_bytes=0, incremental_high_bytes=cap,
        freed_bytes=None, freed_low_bytes=0, freed_high_bytes=cap, exact=False, reason=reason,
    )  # fmt: skip


def price_of(snap: Snapshot, prices: Prices) -> float:
    return prices.archive if snap.storage_tier == "archive" else prices.standard
