"""Figures on any tree of diffs over a lineage, after deletions, against brute force.

The history is random (a tree of snapshots, each writing, overwriting or trimming blocks of
its parent's copy), then any snapshots are deleted, the root included. The survivors are joined
by a random tree of diffs, older parent first, as the cost engine may join them when the
snapshots that linked them are gone (probing finds *a* related snapshot, not the ancestor).
Brute force: every survivor's block tokens, each version counted once.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from snaptui.cost.blocks import (
    BLOCK_BYTES,
    edge_diff_from_entries,
    exact_costs,
    set_freed_bytes,
    stored_bytes,
)
from snaptui.cost.lineage import Lineage
from tests.unit.test_cost_blocks import BlockMap, brute_freed, list_changed_blocks

BB = BLOCK_BYTES


@st.composite
def pruned_histories(draw: st.DrawFn) -> tuple[Lineage, dict[str, BlockMap], list[int | None]]:
    n = draw(st.integers(2, 10))
    parents: list[int | None] = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n)]
    counter = itertools.count()
    maps: list[BlockMap] = [
        {i: f"t{next(counter)}" for i in draw(st.sets(st.integers(0, 15), min_size=1))}
    ]
    ops = st.lists(st.tuples(st.booleans(), st.integers(0, 19)), max_size=6)
    for i in range(1, n):
        p = parents[i]
        assert p is not None
        m = dict(maps[p])
        for write, idx in draw(ops):
            if write:
                m[idx] = f"t{next(counter)}"
            else:
                m.pop(idx, None)
        maps.append(m)
    alive = sorted(draw(st.sets(st.integers(0, n - 1), min_size=1)))
    # Any older survivor may be the parent in the tree of diffs (index order = time order).
    tree_parent: list[int | None] = [None]
    tree_parent += [alive[draw(st.integers(0, k - 1))] for k in range(1, len(alive))]
    ids = tuple(f"snap-{i:02d}" for i in alive)
    lin = Lineage(
        ids[0],
        "us-east-1",
        ids,
        {ids[k]: None if p is None else f"snap-{p:02d}" for k, p in enumerate(tree_parent)},
    )
    return lin, {f"snap-{i:02d}": maps[i] for i in alive}, parents


@settings(max_examples=400, deadline=None)
@given(pruned_histories(), st.data())
def test_any_tree_of_diffs_gives_brute_force_freed_and_totals(
    history: tuple[Lineage, dict[str, BlockMap], list[int | None]], data: st.DataObject
) -> None:
    lin, maps, _ = history
    diffs = {
        (p, c): edge_diff_from_entries(p, c, list_changed_blocks(maps[p], maps[c]))
        for p, c in lin.edges()
    }
    full = {lin.root: len(maps[lin.root]) * BB}
    distinct = {t for m in maps.values() for t in m.values()}
    assert stored_bytes(lin, full, diffs) == len(distinct) * BB
    costs = exact_costs(lin, full, diffs)
    for s in lin.snapshot_ids:
        assert costs.freed_bytes[s] == brute_freed(maps, {s}), s
        p = lin.parent[s]
        base = set() if p is None else set(maps[p].values())
        assert costs.incremental_bytes[s] == len(set(maps[s].values()) - base) * BB
    for _ in range(4):
        chosen = data.draw(st.sets(st.sampled_from(lin.snapshot_ids)))
        assert set_freed_bytes(lin, full, diffs, chosen) == brute_freed(maps, chosen)
    assert set_freed_bytes(lin, full, diffs, set(lin.snapshot_ids)) == len(distinct) * BB
