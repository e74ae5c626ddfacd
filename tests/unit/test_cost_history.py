"""The whole cost pipeline on random histories with deletions, against brute force.

A history is a random sequence of what happens to a fleet over months: blank volumes, writes,
snapshots, volumes restored from snapshots (sometimes encrypted from an unencrypted snapshot,
which starts a new lineage), copies, archiving, and deletions of volumes and snapshots at any
point, with cost runs at random moments (each remembers what it saw, as the cache does). AWS's
answers are simulated from the true history: ListChangedBlocks relates two snapshots only
within one lineage. The engine's figures are then checked against brute-force reference
counting over every surviving snapshot's block tokens: every figure marked exact equals it,
every other range contains it, and so do the totals.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from snaptui.cost.blocks import BLOCK_BYTES, edge_diff_from_entries
from snaptui.cost.evidence import Evidence, plan_lineages
from snaptui.cost.pricing import Prices
from snaptui.cost.report import build_region_costs, set_freed_detail
from snaptui.models import Snapshot, Volume
from tests.unit.test_cost_blocks import list_changed_blocks

BB = BLOCK_BYTES
REGION = "us-east-1"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
PRICES = Prices(0.05, 0.0125, 0.03)


@dataclass
class _Vol:
    id: str
    size: int
    encrypted: bool
    lineage: int  # true lineage id (root history)
    source: str  # snapshot it was made from, "" blank
    blocks: dict[int, str] = field(default_factory=dict)
    last_snapshot: str = ""


@dataclass
class _Snap:
    id: str
    volume: _Vol | None  # None for a copy
    volume_id: str
    size: int
    encrypted: bool
    lineage: int
    parent: str  # true parent snapshot ("" none)
    blocks: dict[int, str]
    minute: int
    tier: str = "standard"


class _World:
    def __init__(self) -> None:
        self.tokens = itertools.count()
        self.lineages = itertools.count()
        self.ids = itertools.count(1)
        self.minute = 0
        self.volumes: dict[str, _Vol] = {}
        self.snaps: dict[str, _Snap] = {}  # every snapshot ever made
        self.alive: set[str] = set()
        self.evidence = Evidence()

    def tick(self) -> int:
        self.minute += 1
        return self.minute

    def token(self) -> str:
        return f"t{next(self.tokens)}"

    def blank(self, size: int, encrypted: bool) -> None:
        v = _Vol(f"vol-{next(self.ids):04d}", size, encrypted, next(self.lineages), "")
        v.blocks = {i: self.token() for i in range(size)}
        self.volumes[v.id] = v

    def write(self, vol: _Vol, indices: list[int], trim: bool) -> None:
        for i in indices:
            if trim:
                vol.blocks.pop(i % (vol.size * 2), None)
            else:
                vol.blocks[i % (vol.size * 2)] = self.token()

    def snapshot(self, vol: _Vol) -> None:
        sid = f"snap-{next(self.ids):04d}"
        parent = vol.last_snapshot or vol.source
        self.snaps[sid] = _Snap(sid, vol, vol.id, vol.size, vol.encrypted, vol.lineage, parent,
                                dict(vol.blocks), self.tick())  # fmt: skip
        vol.last_snapshot = sid
        self.alive.add(sid)

    def restore(self, src: _Snap, grow: int, encrypt: bool) -> None:
        encrypted = src.encrypted or encrypt
        v = _Vol(f"vol-{next(self.ids):04d}", src.size + grow, encrypted, src.lineage, src.id)
        if encrypted and not src.encrypted:  # AWS: a new, full lineage under the new key
            v.lineage, v.source = next(self.lineages), ""
            v.blocks = {i: self.token() for i in src.blocks}
        else:
            v.blocks = dict(src.blocks)
        self.volumes[v.id] = v

    def copy(self, src: _Snap) -> None:
        sid = f"snap-{next(self.ids):04d}"
        blocks = {i: self.token() for i in src.blocks}
        self.snaps[sid] = _Snap(sid, None, "vol-ffffffff", src.size, src.encrypted,
                                next(self.lineages), "", blocks, self.tick())  # fmt: skip
        self.alive.add(sid)

    def snapshot_model(self, s: _Snap) -> Snapshot:
        return Snapshot(
            id=s.id, region=REGION, volume_id=s.volume_id, volume_size_gib=s.size,
            state="completed", start_time=T0 + timedelta(minutes=s.minute),
            encrypted=s.encrypted, storage_tier=s.tier,
            full_size_bytes=len(s.blocks) * BB if s.id not in self.no_size else None,
            data_encryption_key_id=f"dek-{s.lineage}" if s.encrypted else "",
        )  # fmt: skip

    no_size: set[str] = set()

    def inventory(self) -> tuple[list[Snapshot], list[Volume]]:
        snaps = [self.snapshot_model(self.snaps[s]) for s in sorted(self.alive)]
        vols = [
            Volume(v.id, REGION, v.size, "gp3", "", "available", v.encrypted, snapshot_id=v.source)
            for v in self.volumes.values()
        ]
        return snaps, vols


@st.composite
def histories(draw: st.DrawFn) -> _World:
    w = _World()
    w.no_size = set()
    w.blank(draw(st.integers(1, 6)), draw(st.booleans()))
    for _ in range(draw(st.integers(3, 28))):
        op = draw(st.sampled_from("bwwssssrrcdDaR"))
        vols = sorted(w.volumes)
        alive = sorted(w.alive)
        if op == "b":
            w.blank(draw(st.integers(1, 6)), draw(st.booleans()))
        elif op == "w" and vols:
            v = w.volumes[draw(st.sampled_from(vols))]
            w.write(v, draw(st.lists(st.integers(0, 11), max_size=4)), draw(st.booleans()))
        elif op == "s" and vols:
            w.snapshot(w.volumes[draw(st.sampled_from(vols))])
        elif op == "r" and alive:
            src = w.snaps[draw(st.sampled_from(alive))]
            if src.tier == "standard":
                w.restore(src, draw(st.integers(0, 2)), draw(st.booleans()))
        elif op == "c" and alive:
            w.copy(w.snaps[draw(st.sampled_from(alive))])
        elif op == "d" and vols:
            del w.volumes[draw(st.sampled_from(vols))]
        elif op == "D" and alive:
            w.alive.discard(draw(st.sampled_from(alive)))
        elif op == "a" and alive:
            w.snaps[draw(st.sampled_from(alive))].tier = "archive"
        elif op == "R":  # a cost run: it remembers what it sees
            w.evidence.see(*w.inventory())
    w.no_size = set(draw(st.sets(st.sampled_from(sorted(w.alive) or ["-"]), max_size=2)))
    return w


def _truth(w: _World) -> tuple[dict[str, set[str]], dict[str, str | None]]:
    """Tokens of every surviving standard snapshot, and its nearest surviving ancestor."""
    standard = {s for s in w.alive if w.snaps[s].tier == "standard"}
    tokens = {s: set(w.snaps[s].blocks.values()) for s in standard}
    ancestor: dict[str, str | None] = {}
    for s in standard:
        up = w.snaps[s].parent
        while up and up not in standard:
            up = w.snaps[up].parent
        ancestor[s] = up or None
    return tokens, ancestor


def _costs(w: _World) -> tuple[object, list[tuple[str, str]]]:
    snaps, vols = w.inventory()
    ev = Evidence(dict(w.evidence.links), dict(w.evidence.records))
    plan = plan_lineages(REGION, snaps, vols, ev)
    asked = []
    while plan.probes:
        for older, newer in plan.probes:
            asked.append((older, newer))
            ev.probes[(older, newer)] = w.snaps[older].lineage == w.snaps[newer].lineage
        plan = plan_lineages(REGION, snaps, vols, ev)
    diffs = {}
    for lin in plan.lineages:
        for p, c in lin.edges():
            # Every edge must be one AWS answers: two snapshots of one lineage, older first.
            assert w.snaps[p].lineage == w.snaps[c].lineage, (p, c)
            assert w.snaps[p].minute < w.snaps[c].minute
            entries = list_changed_blocks(w.snaps[p].blocks, w.snaps[c].blocks)
            diffs[(p, c)] = edge_diff_from_entries(p, c, entries)
    full = {s.id: s.full_size_bytes for s in snaps if s.full_size_bytes}
    for lin in plan.lineages:  # ListSnapshotBlocks counts for the roots AWS gave no size for
        full.setdefault(lin.root, len(w.snaps[lin.root].blocks) * BB)
    rc = build_region_costs(REGION, snaps, plan.lineages, full, diffs, PRICES)
    return rc, asked


def _within(value: int, low: int | None, high: int | None) -> bool:
    return low is not None and high is not None and low <= value <= high


@settings(max_examples=300, deadline=None)
@given(histories(), st.data())
def test_exact_figures_are_brute_force_truth_and_bounds_contain_it(
    w: _World, data: st.DataObject
) -> None:
    rc, asked = _costs(w)
    assert len(asked) == len(set(asked))  # each probe asked once
    tokens, ancestor = _truth(w)
    holders: dict[str, set[str]] = {}
    for s, toks in tokens.items():
        for t in toks:
            holders.setdefault(t, set()).add(s)
    for s, toks in tokens.items():
        c = rc.snapshots[s]  # type: ignore[attr-defined]
        anc = ancestor[s]
        incr = len(toks - (tokens[anc] if anc else set())) * BB
        freed = sum(BB for t in toks if holders[t] == {s})
        assert _within(incr, c.incremental_low_bytes, c.incremental_high_bytes), (s, c)
        assert _within(freed, c.freed_low_bytes, c.freed_high_bytes), (s, c)
        if c.incremental_bytes is not None:
            assert c.incremental_bytes == incr, (s, c)
        if c.freed_bytes is not None:
            assert c.freed_bytes == freed, (s, c)
        assert c.exact == (c.incremental_bytes is not None and c.freed_bytes is not None)
    archived = sum(len(w.snaps[s].blocks) * BB for s in w.alive if w.snaps[s].tier == "archive")
    stored = len(holders) * BB + archived
    total = rc.totals()  # type: ignore[attr-defined]
    assert total.bytes_low <= stored <= total.bytes_high
    if total.exact:
        assert total.bytes == stored
    for _ in range(3):
        chosen = data.draw(st.sets(st.sampled_from(sorted(tokens) or ["-"])))
        truth = sum(BB for h in holders.values() if h <= chosen)
        d = set_freed_detail(rc, chosen)  # type: ignore[arg-type]
        assert d.low_bytes <= truth <= (d.high_bytes if d.high_bytes is not None else truth)
        if d.exact:
            assert d.low_bytes == truth
