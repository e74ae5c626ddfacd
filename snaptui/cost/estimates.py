"""Cheap bounds on a snapshot's incremental size, for when no diff has been fetched (yet).

FullSnapshotSizeInBytes comes free with DescribeSnapshots. A snapshot stores at least the growth
over its parent (Full(s) - Full(parent)) and at most everything it holds (Full(s)); the UI shows
that range, marked as an estimate, until exact figures from diffs replace it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from snaptui.cost.lineage import Lineage


@dataclass(frozen=True, slots=True)
class Estimate:
    low_bytes: int
    high_bytes: int
    reason: str  # why this is not exact, shown to the user

    @property
    def exact(self) -> bool:
        return self.low_bytes == self.high_bytes


def bounded_estimate(
    full_s: int | None,
    full_parent: int | None,
    reason: str,
    *,
    is_root: bool | None = None,
) -> Estimate | None:
    """Bounds on incr(s) from full sizes alone; None when Full(s) is unknown (None or AWS's 0).

    A root stores everything: low = high = Full(s). Otherwise low = max(0, Full(s) -
    Full(parent)), or 0 when the parent's size is unknown. ``is_root`` defaults to "full_parent
    is None"; pass False for a child whose parent's size is unknown.
    """
    if not full_s:
        return None
    root = full_parent is None if is_root is None else is_root
    if root:
        return Estimate(full_s, full_s, reason)
    low = max(0, full_s - full_parent) if full_parent else 0
    return Estimate(low, full_s, reason)


def lineage_estimates(
    lineage: Lineage, full_bytes: Mapping[str, int | None], reason: str
) -> dict[str, Estimate]:
    """``bounded_estimate`` for every snapshot of a lineage whose full size is known."""
    out: dict[str, Estimate] = {}
    for sid in lineage.snapshot_ids:
        p = lineage.parent[sid]
        est = bounded_estimate(
            full_bytes.get(sid),
            None if p is None else full_bytes.get(p),
            reason,
            is_root=p is None,
        )
        if est is not None:
            out[sid] = est
    return out
