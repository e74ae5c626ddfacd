"""Which snapshot is incremental against which: the trees the cost figures are computed on.

EBS stores each snapshot as the blocks changed since its parent, so every cost figure needs the
parent of each snapshot. AWS does not report it; we infer it (see ``build_lineages``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from snaptui.models import Snapshot, Volume

# AWS's VolumeId for copied snapshots (and some imported ones): meaningless for grouping.
PLACEHOLDER_VOLUME_IDS = frozenset({"vol-ffffffff", ""})


@dataclass(slots=True, frozen=True)
class Lineage:
    """One tree of snapshots sharing blocks, rooted at the only full snapshot.

    ``snapshot_ids`` is in time order, so the root comes first and every parent comes before its
    children; ``__post_init__`` checks this, which also guarantees the parent map is a tree.
    """

    id: str  # the root snapshot's id
    region: str
    snapshot_ids: tuple[str, ...]
    parent: dict[str, str | None] = field(hash=False)
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

    def edges(self) -> list[tuple[str, str]]:
        """(parent, child) pairs, ordered by the child's time: one ListChangedBlocks call each."""
        out: list[tuple[str, str]] = []
        for sid in self.snapshot_ids:
            p = self.parent[sid]
            if p is not None:
                out.append((p, sid))
        return out


def _order(s: Snapshot) -> tuple[datetime, str]:
    # StartTime ties are real (moto has 1 s resolution); the id makes the order total.
    return (s.start_time, s.id)


def _dek_compatible(a: str, b: str) -> bool:
    # AWS leaves DataEncryptionKeyId out for unencrypted snapshots (and moto always does).
    return not a or not b or a == b


def build_lineages(snapshots: Sequence[Snapshot], volumes: Sequence[Volume]) -> list[Lineage]:
    """Group snapshots into lineage trees.

    Snapshots of one (region, volume, data key) form a chain in (start_time, id) order. A chain
    whose volume was created from snapshot A (same region, compatible data key, A older) hangs
    under A, which is how branches appear. Snapshots with a placeholder VolumeId (copies) start
    their own lineage. Only ``completed`` snapshots take part: others are skipped, because EBS
    direct APIs refuse them and their blocks are not final; callers that need them can diff the
    input against the result.

    Every parent is strictly older in (start_time, id) order, so the result is always a forest
    even for inconsistent input. Lineages come out ordered by region, then root order.
    """
    done = sorted((s for s in snapshots if s.state == "completed"), key=_order)
    by_id = {s.id: s for s in done}
    vol_source = {(v.region, v.id): v.snapshot_id for v in volumes if v.snapshot_id}

    chains: dict[tuple[str, str, str], list[Snapshot]] = {}
    for s in done:
        key = (s.region, s.volume_id, s.data_encryption_key_id)
        if s.volume_id in PLACEHOLDER_VOLUME_IDS:
            key = (s.region, s.volume_id, s.id)  # a chain of one
        chains.setdefault(key, []).append(s)

    parent: dict[str, str | None] = {}
    for (region, volume_id, _), chain in chains.items():
        first = chain[0]
        src = by_id.get(vol_source.get((region, volume_id), ""))
        if (
            volume_id not in PLACEHOLDER_VOLUME_IDS
            and src is not None
            and src.region == region
            and _dek_compatible(src.data_encryption_key_id, first.data_encryption_key_id)
            and _order(src) < _order(first)
        ):
            parent[first.id] = src.id
        else:
            parent[first.id] = None
        for prev, cur in pairwise(chain):
            parent[cur.id] = prev.id

    # Parents are older, so one pass in time order resolves every root.
    root_of: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for s in done:
        p = parent[s.id]
        r = s.id if p is None else root_of[p]
        root_of[s.id] = r
        members.setdefault(r, []).append(s.id)

    out = [
        Lineage(
            id=root,
            region=by_id[root].region,
            snapshot_ids=tuple(ids),
            parent={sid: parent[sid] for sid in ids},
        )
        for root, ids in members.items()
    ]
    out.sort(key=lambda lin: (lin.region, _order(by_id[lin.id])))
    return out


def index_lineages(lineages: Iterable[Lineage]) -> dict[str, Lineage]:
    """Snapshot id -> the lineage holding it."""
    return {sid: lin for lin in lineages for sid in lin.snapshot_ids}
