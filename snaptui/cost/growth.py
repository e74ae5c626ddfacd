"""The size-growth estimate of what deleting snapshots of one volume saves. Pure.

For each deleted snapshot: the growth of FullSnapshotSizeInBytes over the previous snapshot of
its volume (0 for the oldest, whose data moves to the next one), or the full size at the
archive price for an archived snapshot. Blocks a kept snapshot still uses are not freed, so
this is an estimate; the exact figure comes from block diffs (snaptui.cost.report).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from snaptui.cost.money import monthly_cost
from snaptui.cost.pricing import Prices
from snaptui.models import Snapshot


@dataclass(slots=True)
class GrowthSaving:
    per_snapshot: dict[str, float] = field(default_factory=dict)  # id -> USD/month
    bytes: int = 0
    unknown: int = 0  # deleted snapshots of unknown size


def growth_saving(
    snaps: Sequence[Snapshot], delete: Collection[str], prices: Prices
) -> GrowthSaving:
    """Estimated monthly USD per deleted snapshot of one volume, total bytes, unknown sizes."""
    oldest_first = sorted(snaps, key=lambda s: (s.start_time, s.id))
    out = GrowthSaving()
    for i, snap in enumerate(oldest_first):
        if snap.id not in delete:
            continue
        if snap.storage_tier == "archive":
            # An archived snapshot is a full copy billed on its full size.
            if snap.full_size_bytes is None:
                out.unknown += 1
                continue
            out.per_snapshot[snap.id] = monthly_cost(snap.full_size_bytes, prices.archive)
            out.bytes += snap.full_size_bytes
            continue
        if i == 0:
            out.per_snapshot[snap.id] = 0.0  # the next snapshot takes over the oldest's blocks
            continue
        prev = oldest_first[i - 1].full_size_bytes
        if snap.full_size_bytes is None or prev is None:
            out.unknown += 1
            continue
        grown = max(0, snap.full_size_bytes - prev)
        out.per_snapshot[snap.id] = monthly_cost(grown, prices.standard)
        out.bytes += grown
    return out
