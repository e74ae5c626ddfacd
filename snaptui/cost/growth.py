"""The size-growth estimate of what deleting one volume's snapshots saves (prune's fallback)."""

from __future__ import annotations

from collections.abc import Sequence, Set

from snaptui.cost.money import monthly_cost
from snaptui.cost.pricing import Prices
from snaptui.models import Snapshot


def growth_saving(
    snaps: Sequence[Snapshot], delete: Set[str], prices: Prices
) -> tuple[dict[str, float], int, int]:
    """Estimated monthly USD per deleted snapshot of one volume, total bytes, unknown sizes.

    For each deleted snapshot: the growth of FullSnapshotSizeInBytes over the previous snapshot
    of the volume (0 for the oldest, whose data moves to the next one), or the full size at the
    archive price for an archived one. A fallback when no diffs settle the exact saving.
    """
    oldest_first = sorted(snaps, key=lambda s: (s.start_time, s.id))
    out: dict[str, float] = {}
    total_bytes = unknown = 0
    for i, snap in enumerate(oldest_first):
        if snap.id not in delete:
            continue
        if snap.storage_tier == "archive":
            # An archived snapshot is a full copy billed on its full size.
            if snap.full_size_bytes is None:
                unknown += 1
                continue
            out[snap.id] = monthly_cost(snap.full_size_bytes, prices.archive)
            total_bytes += snap.full_size_bytes
            continue
        if i == 0:
            out[snap.id] = 0.0  # the next snapshot takes over the oldest one's blocks
            continue
        prev = oldest_first[i - 1].full_size_bytes
        if snap.full_size_bytes is None or prev is None:
            unknown += 1
            continue
        grown = max(0, snap.full_size_bytes - prev)
        out[snap.id] = monthly_cost(grown, prices.standard)
        total_bytes += grown
    return out, total_bytes, unknown
