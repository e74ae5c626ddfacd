"""Which snapshot is incremental against which: the trees the cost figures are computed on.

EBS stores each snapshot as the blocks changed since its parent, so every cost figure needs the
parent of each snapshot. AWS does not report it; cost/evidence.py infers it from what was seen
(volumes, their source snapshots, earlier runs) and from AWS's answers to probes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# AWS's VolumeId for copied snapshots (and some imported ones): meaningless for grouping.
PLACEHOLDER_VOLUME_IDS = frozenset({"vol-ffffffff", ""})


# How a snapshot's incremental size is settled: against its tree parent (which is its nearest
# surviving ancestor), as a root (no surviving ancestor: it stores everything it holds), or not
# at all (the parent was found by probing: related, but maybe not the ancestor).
BASIS_PARENT, BASIS_ROOT, BASIS_UNKNOWN = "parent", "root", "unknown"


@dataclass(slots=True, frozen=True)
class Lineage:
    """One tree of snapshots sharing blocks: every edge is a diff AWS can answer.

    ``snapshot_ids`` is in time order, so the root comes first and every parent comes before its
    children; ``__post_init__`` checks this, which also guarantees the parent map is a tree.
    The tree follows true ancestry where the evidence shows it (``basis``, default: "parent"
    for children, "root" for the root); otherwise an edge only joins related snapshots, which
    is all the freed and stored figures need. ``open``: the lineage may share blocks with
    snapshots outside it that could not be checked (a probe failed), so its freed figures and
    totals are bounds.
    """

    id: str  # the root snapshot's id
    region: str
    snapshot_ids: tuple[str, ...]
    parent: dict[str, str | None] = field(hash=False)
    basis: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    open: bool = False
    _children: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.snapshot_ids or self.snapshot_ids[0] != self.id:
            raise ValueError(f"lineage {self.id}: the root must be the first snapshot")
        if set(self.parent) != set(self.snapshot_ids) or len(self.parent) != len(self.snapshot_ids):
            raise ValueError(f"lineage {self.id}: parent map does not match snapshot_ids")
        kids: dict[str, list[str]] = {sid: [] for sid in self.snapshot_ids}
        seen: set[str] = set()
        for sid in self.snapshot_ids:
            p = self.parent[sid]
            if (p is None) != (sid == self.id):
                raise ValueError(f"lineage {self.id}: exactly the root has no parent ({sid})")
            if p is not None:
                if p not in seen:
                    raise ValueError(f"lineage {self.id}: parent {p} of {sid} is not earlier")
                kids[p].append(sid)
            seen.add(sid)
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in kids.items()})

    @property
    def root(self) -> str:
        return self.id

    def __len__(self) -> int:
        return len(self.snapshot_ids)

    def __contains__(self, sid: object) -> bool:
        return sid in self.parent

    def children(self, sid: str) -> tuple[str, ...]:
        """Direct children of ``sid``, oldest first."""
        return self._children[sid]

    def basis_of(self, sid: str) -> str:
        """How ``sid``'s incremental size is settled (BASIS_*)."""
        default = BASIS_ROOT if self.parent[sid] is None else BASIS_PARENT
        return self.basis.get(sid, default)

    def edges(self) -> list[tuple[str, str]]:
        """(parent, child) pairs, ordered by the child's time: one ListChangedBlocks call each."""
        out: list[tuple[str, str]] = []
        for sid in self.snapshot_ids:
            p = self.parent[sid]
            if p is not None:
                out.append((p, sid))
        return out


def index_lineages(lineages: Iterable[Lineage]) -> dict[str, Lineage]:
    """Snapshot id -> the lineage holding it."""
    return {sid: lin for lin in lineages for sid in lin.snapshot_ids}
