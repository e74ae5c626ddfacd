"""Lineages from evidence: what was seen (even if it no longer exists) and what AWS answered.

A snapshot continues the lineage of the previous snapshot of its volume (same data key); the
first snapshot of a volume made from snapshot A continues A's lineage, unless the volume is
encrypted and A was not, or the data keys differ (AWS starts a new, full lineage then). Those
links are only as good as the evidence: a volume that was deleted takes its source snapshot id
with it, and a deleted source leaves a gap. So:

- every volume -> source link and every snapshot ever seen is remembered (``Evidence``, kept in
  the cache by the caller) and deleted or archived snapshots stay in the tree as *ghosts*
  until it is contracted: a snapshot's parent is its nearest surviving ancestor;
- where the evidence runs out, AWS is asked: ListChangedBlocks answers only for two snapshots
  of one lineage (UNRELATED_SNAPSHOTS otherwise). One probe per candidate lineage, cheapest
  first: older snapshots whose volume is no larger and whose data key (where set) and
  encryption match, same size first, newest first. A related answer joins the snapshot to that
  lineage (exact freed and stored figures) but not necessarily to its ancestor, so its
  incremental size stays a bound (``BASIS_UNKNOWN``).

``plan_lineages`` is pure: it returns the lineages it can settle and the probes it still needs;
the caller asks AWS, records the answers in ``Evidence.probes`` and plans again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any, Literal

from snaptui.cost.lineage import (
    BASIS_PARENT,
    BASIS_ROOT,
    BASIS_UNKNOWN,
    PLACEHOLDER_VOLUME_IDS,
    Lineage,
)
from snaptui.models import Snapshot, Volume


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    """What the lineage needs to know about a snapshot, kept after it is deleted."""

    id: str
    volume_id: str
    start_time: datetime
    volume_size_gib: int
    encrypted: bool = False
    data_key: str = ""  # DataEncryptionKeyId, "" when AWS did not say

    @classmethod
    def of(cls, s: Snapshot) -> SnapshotRecord:
        return cls(
            s.id, s.volume_id, s.start_time, s.volume_size_gib, s.encrypted,
            s.data_encryption_key_id,
        )  # fmt: skip

    def order(self) -> tuple[datetime, str]:
        # StartTime ties are real (moto has 1 s resolution); the id makes the order total.
        return (self.start_time, self.id)


# A probe's answer: related (True), UNRELATED_SNAPSHOTS (False), or it failed (None).
ProbeAnswer = bool | None


@dataclass(slots=True)
class Evidence:
    """One region's evidence. ``links``: volume id -> the snapshot it was created from ("" for
    a blank volume); ``records``: every snapshot seen; ``probes``: (older, newer) -> answer."""

    links: dict[str, str] = field(default_factory=dict)
    records: dict[str, SnapshotRecord] = field(default_factory=dict)
    probes: dict[tuple[str, str], ProbeAnswer] = field(default_factory=dict)

    def see(self, snapshots: Iterable[Snapshot], volumes: Iterable[Volume]) -> bool:
        """Remember what the inventory shows; True when anything new was learnt."""
        changed = False
        for v in volumes:
            if self.links.get(v.id) != v.snapshot_id:
                self.links[v.id] = v.snapshot_id
                changed = True
        for s in snapshots:
            rec = SnapshotRecord.of(s)
            if self.records.get(s.id) != rec:
                self.records[s.id] = rec
                changed = True
        return changed


def _record_row(r: SnapshotRecord) -> list[Any]:
    return [r.volume_id, r.start_time.isoformat(), r.volume_size_gib, r.encrypted, r.data_key]


def evidence_to_doc(ev: Evidence) -> dict[str, Any]:
    """JSON-ready links and records (probe answers are cached as edges, not here)."""
    ordered = sorted(ev.records.values(), key=SnapshotRecord.order)
    return {
        "links": dict(sorted(ev.links.items())),
        "records": {r.id: _record_row(r) for r in ordered},
    }


def evidence_from_doc(doc: Mapping[str, Any]) -> Evidence:
    """The inverse of ``evidence_to_doc``; raises ValueError/TypeError/KeyError if malformed."""
    links = doc["links"]
    records = doc["records"]
    if not isinstance(links, dict) or not isinstance(records, dict):
        raise ValueError("not an evidence document")
    ev = Evidence()
    for vol, src in links.items():
        if not isinstance(vol, str) or not isinstance(src, str):
            raise ValueError("bad link")
        ev.links[vol] = src
    for sid, (vol, start, size, encrypted, key) in records.items():
        when = datetime.fromisoformat(str(start))
        if not isinstance(size, int) or not isinstance(encrypted, bool):
            raise ValueError("bad record")
        ev.records[str(sid)] = SnapshotRecord(str(sid), str(vol), when, size, encrypted, str(key))
    return ev


def continues(source: SnapshotRecord, first: SnapshotRecord) -> bool:
    """Does a volume made from ``source`` keep its lineage in ``first``, its first snapshot?

    Not when an unencrypted snapshot became an encrypted volume, nor under another data key.
    """
    if source.encrypted != first.encrypted:
        return False
    return not (source.data_key and first.data_key and source.data_key != first.data_key)


def may_descend(candidate: SnapshotRecord, s: SnapshotRecord) -> bool:
    """Could ``candidate`` be in ``s``'s lineage as an older snapshot? (A volume is never
    smaller than its snapshot, a lineage keeps its key and its encryption.)"""
    return (
        candidate.order() < s.order()
        and candidate.volume_size_gib <= s.volume_size_gib
        and continues(candidate, s)
    )


_Link = tuple[Literal["parent", "root", "unlinked"], str | None]


@dataclass(slots=True)
class LineagePlan:
    lineages: list[Lineage]
    probes: list[tuple[str, str]]  # (candidate, snapshot) pairs still to ask, one per group
    probed: dict[str, str] = field(default_factory=dict)  # snapshot -> parent found by probe


class _Forest:
    """Union-find over surviving snapshots with the tree being built."""

    def __init__(self, recs: dict[str, SnapshotRecord], members: list[str]) -> None:
        self.recs = recs
        self.parent: dict[str, str | None] = {m: None for m in members}
        self.basis: dict[str, str] = {}
        self.open: set[str] = set()  # members whose lineage must be marked open
        self._up = {m: m for m in members}

    def find(self, x: str) -> str:
        while self._up[x] != x:
            self._up[x] = self._up[self._up[x]]
            x = self._up[x]
        return x

    def attach(self, child: str, parent: str, basis: str) -> None:
        self.parent[child] = parent
        self.basis[child] = basis
        self._up[self.find(child)] = self.find(parent)


def _chain_links(
    recs: dict[str, SnapshotRecord], live_volumes: dict[str, Volume], ev: Evidence
) -> dict[str, tuple[str, str | None]]:
    """Each node's parent by evidence: ("node", id), ("root", None) or ("unlinked", None)."""
    chains: dict[tuple[str, str], list[SnapshotRecord]] = {}
    for r in sorted(recs.values(), key=SnapshotRecord.order):
        key = (r.volume_id, r.data_key) if r.volume_id not in PLACEHOLDER_VOLUME_IDS else (r.id, "")
        chains.setdefault(key, []).append(r)
    out: dict[str, tuple[str, str | None]] = {}
    volume_started: set[str] = set()
    for (volume, _), chain in sorted(chains.items(), key=lambda kv: kv[1][0].order()):
        first = chain[0]
        out[first.id] = _first_link(first, recs, live_volumes, ev, volume in volume_started)
        volume_started.add(volume)
        for prev, cur in pairwise(chain):
            out[cur.id] = ("node", prev.id)
    return out


def _first_link(
    first: SnapshotRecord,
    recs: dict[str, SnapshotRecord],
    live_volumes: dict[str, Volume],
    ev: Evidence,
    rekeyed: bool,
) -> tuple[str, str | None]:
    if first.volume_id in PLACEHOLDER_VOLUME_IDS:
        return ("unlinked", None)
    if rekeyed:
        return ("root", None)  # the volume's data key changed: a new, full lineage
    live = live_volumes.get(first.volume_id)
    source = live.snapshot_id if live is not None else ev.links.get(first.volume_id)
    if source is None:
        return ("unlinked", None)  # the volume is gone and was never seen
    if not source:
        return ("root", None)  # a blank volume
    src = recs.get(source)
    if src is None or src.order() >= first.order():
        return ("unlinked", None)  # a source never seen (or inconsistent evidence)
    return ("node", source) if continues(src, first) else ("root", None)


def _resolve(
    sid: str, links: dict[str, tuple[str, str | None]], members: set[str]
) -> tuple[str, str | None]:
    """Walk up through ghosts: ("parent", member), ("root", top ghost or None) or
    ("unlinked", the node where evidence ends)."""
    node, top = sid, None
    while True:
        kind, up = links[node]
        if kind == "root":
            return ("root", top)
        if kind == "unlinked":
            return ("unlinked", node)
        assert up is not None
        if up in members:
            return ("parent", up)
        node = top = up


def plan_lineages(
    region: str,
    snapshots: Sequence[Snapshot],
    volumes: Sequence[Volume],
    evidence: Evidence | None = None,
) -> LineagePlan:
    """Lineages of ``region``'s completed standard-tier snapshots, from the evidence.

    Archived, pending and deleted snapshots are ghosts: known, but holding no standard blocks.
    """
    ev = evidence or Evidence()
    live = [s for s in snapshots if s.region == region]
    standard = [s for s in live if s.state == "completed" and s.storage_tier != "archive"]
    members = sorted((SnapshotRecord.of(s) for s in standard), key=SnapshotRecord.order)
    recs = {**ev.records, **{s.id: SnapshotRecord.of(s) for s in live}}
    ids = [m.id for m in members]
    member_set = set(ids)
    links = _chain_links(recs, {v.id: v for v in volumes if v.region == region}, ev)
    forest = _Forest(recs, ids)
    groups: dict[tuple[str, str], list[str]] = {}
    for sid in ids:
        kind, at = _resolve(sid, links, member_set)
        if kind == "parent":
            assert at is not None
            forest.attach(sid, at, BASIS_PARENT)
        elif at is not None or kind == "unlinked":
            groups.setdefault((kind, at or sid), []).append(sid)
    plan = LineagePlan([], [])
    for (kind, _), group in sorted(groups.items(), key=lambda kv: recs[kv[1][0]].order()):
        head = group[0]
        basis = BASIS_ROOT if kind == "root" else BASIS_UNKNOWN
        for later in group[1:]:  # they share the ghost's blocks; none is the other's ancestor
            forest.attach(later, head, basis)
        if kind == "unlinked":
            _probe(forest, head, [m for m in members if m.id != head], ev, plan)
    plan.lineages = _lineages(region, ids, forest)
    return plan


def _probe(
    forest: _Forest,
    head: str,
    members: list[SnapshotRecord],
    ev: Evidence,
    plan: LineagePlan,
) -> None:
    """Join ``head`` to the first related candidate lineage, or settle it as a root."""
    me = forest.recs[head]
    reps: dict[str, SnapshotRecord] = {}
    for m in members:  # time order: the last one seen per lineage is its newest candidate
        if may_descend(m, me) and forest.find(m.id) != forest.find(head):
            reps[forest.find(m.id)] = m
    ranked = sorted(reps.values(), key=SnapshotRecord.order, reverse=True)  # newest first
    ranked.sort(
        key=lambda r: (
            r.volume_size_gib != me.volume_size_gib,
            not (r.data_key and r.data_key == me.data_key),
        )
    )  # stable: same size, then same data key, first
    for rep in ranked:
        answer = ev.probes.get((rep.id, head), "ask")
        if answer == "ask":
            plan.probes.append((rep.id, head))
            forest.basis[head] = BASIS_UNKNOWN
            forest.open.add(head)
            return
        if answer is None:  # refused or failed: related or not is unknown
            forest.basis[head] = BASIS_UNKNOWN
            forest.open.update([head, *(r.id for r in ranked)])
            return
        if answer:
            forest.attach(head, rep.id, BASIS_UNKNOWN)
            plan.probed[head] = rep.id
            return
    forest.basis[head] = BASIS_ROOT  # no older relative survives: it stores all it holds


def _lineages(region: str, ids: list[str], forest: _Forest) -> list[Lineage]:
    members: dict[str, list[str]] = {}
    for sid in ids:  # time order: each tree's root comes first
        members.setdefault(forest.find(sid), []).append(sid)
    out = []
    for tree in members.values():
        root = tree[0]
        basis = {s: forest.basis[s] for s in tree if s in forest.basis}
        if forest.parent[root] is None:
            basis.setdefault(root, BASIS_ROOT)
        parents = {s: forest.parent[s] for s in tree}
        is_open = any(s in forest.open for s in tree)
        out.append(Lineage(root, region, tuple(tree), parents, basis, open=is_open))
    return out


def build_lineages(snapshots: Sequence[Snapshot], volumes: Sequence[Volume]) -> list[Lineage]:
    """Lineages per region from the inventory alone (no remembered evidence, no probes)."""
    regions = sorted({s.region for s in snapshots})
    return [lin for region in regions for lin in plan_lineages(region, snapshots, volumes).lineages]
