from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snaptui.cost.blocks import (
    BLOCK_BYTES,
    EdgeDiff,
    MissingDataError,
    edge_diff_from_entries,
    edges_needed,
    exact_costs,
    set_freed_bytes,
)
from snaptui.cost.lineage import Lineage

BB = BLOCK_BYTES

BlockMap = dict[int, str]


def sid(i: int) -> str:
    return f"snap-{i:02d}"


def make_lineage(parents: list[int | None]) -> Lineage:
    ids = tuple(sid(i) for i in range(len(parents)))
    return Lineage(
        id=ids[0],
        region="us-east-1",
        snapshot_ids=ids,
        parent={sid(i): None if p is None else sid(p) for i, p in enumerate(parents)},
    )


def list_changed_blocks(first: BlockMap, second: BlockMap) -> list[dict[str, object]]:
    """What ListChangedBlocks answers for first -> second (all pages chained)."""
    out: list[dict[str, object]] = []
    for idx in sorted(first.keys() | second.keys()):
        a, b = first.get(idx), second.get(idx)
        if a == b:
            continue
        entry: dict[str, object] = {"BlockIndex": idx}
        if a is not None:
            entry["FirstBlockToken"] = a
        if b is not None:
            entry["SecondBlockToken"] = b
        out.append(entry)
    return out


def diffs_for(lin: Lineage, maps: Mapping[str, BlockMap]) -> dict[tuple[str, str], EdgeDiff]:
    return {
        (p, c): edge_diff_from_entries(p, c, list_changed_blocks(maps[p], maps[c]))
        for p, c in lin.edges()
    }


def brute_freed(maps: Mapping[str, BlockMap], chosen: set[str]) -> int:
    holders: dict[str, set[str]] = {}
    for s, m in maps.items():
        for tok in m.values():
            holders.setdefault(tok, set()).add(s)
    return sum(BB for h in holders.values() if h <= chosen)


def brute_incr(lin: Lineage, maps: Mapping[str, BlockMap], s: str) -> int:
    p = lin.parent[s]
    inherited = set() if p is None else set(maps[p].values())
    return sum(BB for tok in set(maps[s].values()) if tok not in inherited)


# A small hand-made tree:  a -> b -> c, and a -> d (a volume made from a)
#   a: {0:a0, 1:a1, 2:a2}
#   b: {0:a0, 1:b1, 2:a2, 3:b3}     overwrite 1, add 3
#   c: {0:a0, 1:b1, 3:c3}           drop 2, overwrite 3
#   d: {0:d0, 1:a1, 2:a2}           overwrite 0
MAPS: dict[str, BlockMap] = {
    "a": {0: "a0", 1: "a1", 2: "a2"},
    "b": {0: "a0", 1: "b1", 2: "a2", 3: "b3"},
    "c": {0: "a0", 1: "b1", 3: "c3"},
    "d": {0: "d0", 1: "a1", 2: "a2"},
}
LIN = Lineage("a", "us-east-1", ("a", "b", "c", "d"), {"a": None, "b": "a", "c": "b", "d": "a"})
FULL = {"a": 3 * BB}


def test_edge_diff_reads_tokens() -> None:
    d = edge_diff_from_entries(
        "a",
        "b",
        [
            {"BlockIndex": 1, "FirstBlockToken": "x", "SecondBlockToken": "y"},
            {"BlockIndex": 3, "SecondBlockToken": "z"},
            {"BlockIndex": 4, "FirstBlockToken": "w"},
        ],
    )
    assert d == EdgeDiff("a", "b", frozenset({"y", "z"}), frozenset({"x", "w"}))


def test_exact_costs_hand_made_tree() -> None:
    costs = exact_costs(LIN, FULL, diffs_for(LIN, MAPS))
    assert costs.incremental_bytes == {"a": 3 * BB, "b": 2 * BB, "c": 1 * BB, "d": 1 * BB}
    # a0 is kept by b, a1 by d, a2 by both: deleting the root frees nothing.
    # b1 lives on in c; b3 is b's alone. c and d are leaves.
    assert costs.freed_bytes == {"a": 0, "b": 1 * BB, "c": 1 * BB, "d": 1 * BB}


def test_set_freed_is_not_the_sum_of_single_savings() -> None:
    diffs = diffs_for(LIN, MAPS)
    # b1 is shared by b and c only: neither frees it alone, both together do.
    assert set_freed_bytes(LIN, FULL, diffs, {"b", "c"}) == 3 * BB
    assert set_freed_bytes(LIN, FULL, diffs, {"b"}) + set_freed_bytes(LIN, FULL, diffs, {"c"}) == (
        2 * BB
    )
    # Whole lineage frees every version ever stored.
    assert set_freed_bytes(LIN, FULL, diffs, {"a", "b", "c", "d", "other"}) == 7 * BB
    assert set_freed_bytes(LIN, FULL, diffs, set()) == 0


def test_missing_data_is_reported_not_guessed() -> None:
    diffs = diffs_for(LIN, MAPS)
    del diffs[("b", "c")]
    costs = exact_costs(LIN, {}, diffs)
    assert "a" not in costs.incremental_bytes
    assert "c" not in costs.incremental_bytes
    # A freed figure needs the whole lineage: a version may re-enter in another branch.
    assert costs.freed_bytes == {}
    assert costs.incremental_bytes["d"] == BB
    with pytest.raises(MissingDataError):
        set_freed_bytes(LIN, FULL, diffs, {"c"})
    with pytest.raises(MissingDataError):
        set_freed_bytes(LIN, FULL, diffs, {"d"})
    assert edges_needed(LIN, {"d"}) == LIN.edges()
    assert edges_needed(LIN, {"elsewhere"}) == []
    with pytest.raises(MissingDataError):
        set_freed_bytes(LIN, {}, diffs_for(LIN, MAPS), set(LIN.snapshot_ids))


def test_single_snapshot_lineage_frees_its_full_size() -> None:
    lin = Lineage("r", "eu-west-1", ("r",), {"r": None})
    costs = exact_costs(lin, {"r": 5 * BB}, {})
    assert costs.incremental_bytes == {"r": 5 * BB}
    assert costs.freed_bytes == {"r": 5 * BB}
    assert set_freed_bytes(lin, {"r": 5 * BB}, {}, {"r"}) == 5 * BB


@st.composite
def trees(draw: st.DrawFn) -> tuple[Lineage, dict[str, BlockMap]]:
    """Random lineage trees: children copy the parent's blocks, then write or drop a few."""
    n = draw(st.integers(1, 9))
    parents: list[int | None] = [None]
    parents += [draw(st.integers(0, i - 1)) for i in range(1, n)]
    counter = itertools.count()
    maps: list[BlockMap] = [
        {i: f"t{next(counter)}" for i in draw(st.sets(st.integers(0, 15), max_size=12))}
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
    return make_lineage(parents), {sid(i): m for i, m in enumerate(maps)}


@settings(max_examples=200, deadline=None)
@given(trees(), st.data())
def test_figures_match_brute_force_reference_counting(
    tree: tuple[Lineage, dict[str, BlockMap]], data: st.DataObject
) -> None:
    lin, maps = tree
    full = {lin.root: len(maps[lin.root]) * BB}
    diffs = diffs_for(lin, maps)
    costs = exact_costs(lin, full, diffs)
    for s in lin.snapshot_ids:
        assert costs.incremental_bytes[s] == brute_incr(lin, maps, s)
        assert costs.freed_bytes[s] == brute_freed(maps, {s})
        assert set_freed_bytes(lin, full, diffs, {s}) == costs.freed_bytes[s]
    for _ in range(5):
        chosen = data.draw(st.sets(st.sampled_from(lin.snapshot_ids)))
        # Only the diffs the function claims to need.
        needed = {e: diffs[e] for e in edges_needed(lin, chosen)}
        assert set_freed_bytes(lin, full, needed, chosen) == brute_freed(maps, chosen)
    everything = set(lin.snapshot_ids)
    assert set_freed_bytes(lin, full, diffs, everything) == sum(costs.incremental_bytes.values())
