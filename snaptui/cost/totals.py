"""Totals per lineage, region and account: distinct stored blocks, not a sum of incrementals.

A block version held by two branches is billed once, so a lineage stores Full(root) plus every
version that enters below it, each counted once (cost.blocks.stored_bytes). That equals the sum
of incrementals only for a chain. Where diffs are missing the lineage falls apart into pieces
joined by known diffs; the pieces may share versions, so the range is [largest piece, sum of
pieces], each piece's root bounded by its full size (or its volume's size when that is all
there is). Lineages are disjoint, except an *open* one, which may share versions with others:
the region's low then counts only the largest open lineage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from snaptui.cost import money
from snaptui.cost.blocks import Diffs, MissingDataError, stored_bytes
from snaptui.cost.figures import SnapshotCost, size_cap
from snaptui.cost.lineage import Lineage
from snaptui.models import Snapshot


@dataclass(frozen=True, slots=True)
class Totals:
    """Stored bytes and monthly cost of a group. ``unknown`` counts snapshots whose size AWS
    did not report (bounded by their volume size)."""

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
        """For disjoint groups (regions, lineages known to share nothing)."""
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
    """Sum of per-snapshot incrementals (e.g. what a list of orphans adds to the bill)."""
    t = Totals()
    for c in costs:
        lo, hi = c.incremental_low_bytes or 0, c.incremental_high_bytes or 0
        t = t + Totals(
            1, 0 if c.full_bytes else 1, lo, hi, c.monthly_low or 0.0, c.monthly_high or 0.0,
            c.exact,
        )  # fmt: skip
    return t


def _pieces(lin: Lineage, diffs: Diffs) -> list[Lineage]:
    """Sub-trees joined by the diffs in hand (the whole lineage when none is missing)."""
    parent = {s: p if p is not None and (p, s) in diffs else None for s, p in lin.parent.items()}
    members: dict[str, list[str]] = {}
    root_of: dict[str, str] = {}
    for sid in lin.snapshot_ids:
        p = parent[sid]
        root_of[sid] = sid if p is None else root_of[p]
        members.setdefault(root_of[sid], []).append(sid)
    return [
        Lineage(r, lin.region, tuple(ids), {s: parent[s] for s in ids})
        for r, ids in members.items()
    ]


def lineage_stored(
    lin: Lineage, by_id: Mapping[str, Snapshot], full: Mapping[str, int], diffs: Diffs
) -> tuple[int, int, bool]:
    """(low, high, exact) distinct bytes the lineage stores."""
    lows, highs = [], []
    for piece in _pieces(lin, diffs):
        try:
            n = stored_bytes(piece, full, diffs)
            lows.append(n)
            highs.append(n)
        except MissingDataError:
            root = by_id.get(piece.root)
            cap = size_cap(root, full) if root is not None else 0
            rest = stored_bytes(piece, {piece.root: 0}, diffs)
            lows.append(rest)
            highs.append(cap + rest)
    exact = len(lows) == 1 and lows[0] == highs[0] and not lin.open
    return max(lows), sum(highs), exact


def region_totals(
    lineages: Sequence[Lineage],
    snapshots: Mapping[str, SnapshotCost],
    by_id: Mapping[str, Snapshot],
    full: Mapping[str, int],
    diffs: Diffs,
    standard_price: float,
) -> tuple[Totals, dict[str, Totals]]:
    """The region's totals and each lineage's; snapshots outside lineages are added as they
    are (archived: their own full copy; pending: [0, size])."""
    per: dict[str, Totals] = {}
    closed = Totals()
    open_best: Totals | None = None
    open_high = Totals()
    for lin in lineages:
        lo, hi, exact = lineage_stored(lin, by_id, full, diffs)
        unknown = sum(1 for s in lin.snapshot_ids if s in snapshots and not snapshots[s].full_bytes)
        t = Totals(
            len(lin), unknown, lo, hi, money.monthly_cost(lo, standard_price),
            money.monthly_cost(hi, standard_price), exact,
        )  # fmt: skip
        per[lin.id] = t
        if lin.open:
            open_high = open_high + t
            if open_best is None or t.bytes_low > open_best.bytes_low:
                open_best = t
        else:
            closed = closed + t
    if open_best is not None:
        closed = closed + Totals(
            open_high.snapshots, open_high.unknown, open_best.bytes_low, open_high.bytes_high,
            open_best.monthly_low, open_high.monthly_high, False,
        )  # fmt: skip
    in_lineage = {s for lin in lineages for s in lin.snapshot_ids}
    rest = totals_of(c for sid, c in snapshots.items() if sid not in in_lineage)
    return closed + rest, per
