"""Exact snapshot sizes from ListChangedBlocks diffs, one diff per lineage edge.

Block tokens name block *versions*: a version is stored (and billed) once, however many
snapshots hold it, and is freed only when no snapshot references it any more. One diff per
parent->child edge says which versions each child added (NEW) and which of its parent's it no
longer holds (GONE); following the edges down the tree gives every snapshot's holdings without
listing a single block. A diff between any two snapshots of one lineage is exact whether or not
the parent is the child's true ancestor, so the figures here hold for any tree of diffs over the
lineage: when snapshots in the middle were deleted, two branches may each carry a version the
deleted snapshot wrote ("introduced" twice); such versions are counted once, and freed only when
every holder goes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field

from snaptui.cost.lineage import Lineage

BLOCK_BYTES = 512 * 1024


class MissingDataError(LookupError):
    """A figure needs a diff (or a root's full size) that the caller has not supplied."""


@dataclass(slots=True, frozen=True)
class EdgeDiff:
    """What changed between a parent and its child, as token sets."""

    parent: str
    child: str
    new: frozenset[str]  # SecondBlockToken values: block versions new in the child
    gone: frozenset[str]  # FirstBlockToken values: parent versions the child no longer shares


Diffs = Mapping[tuple[str, str], EdgeDiff]


def edge_diff_from_entries(
    parent: str, child: str, entries: Iterable[Mapping[str, object]]
) -> EdgeDiff:
    """Build an EdgeDiff from ListChangedBlocks ``ChangedBlocks`` entries (all pages chained).

    An entry without FirstBlockToken is a block first written in the child; one without
    SecondBlockToken is a block the child no longer has.
    """
    new: set[str] = set()
    gone: set[str] = set()
    for entry in entries:
        first = entry.get("FirstBlockToken")
        second = entry.get("SecondBlockToken")
        if isinstance(first, str) and first:
            gone.add(first)
        if isinstance(second, str) and second:
            new.add(second)
    return EdgeDiff(parent, child, frozenset(new), frozenset(gone))


@dataclass(slots=True, frozen=True)
class Sharing:
    """Versions entering the tree at more than one place, from a lineage's complete diffs.

    ``intros[t]`` counts where version t enters: each edge whose NEW holds it, plus the root if
    the root holds it. Only versions entering twice or more are kept (in a tree that follows
    true ancestry there are none). ``root_reentered`` are root versions that also enter below.
    """

    intros: Mapping[str, int]
    root_reentered: frozenset[str]
    new_distinct: int  # |union of NEW| minus versions the root already holds


def _root_holds(lineage: Lineage, diffs: Diffs, token: str, gone_at: list[str]) -> bool:
    """Does the root hold ``token``? It does iff some parent that dropped it inherited it
    unchanged all the way from the root (a holder whose own edge did not add it got it from
    its parent, at the same block index)."""
    for holder in gone_at:
        node: str | None = holder
        while node is not None:
            up = lineage.parent[node]
            if up is None:
                return True
            if token in diffs[(up, node)].new:
                break
            node = up
    return False


def sharing(lineage: Lineage, diffs: Diffs) -> Sharing:
    """Analyse a lineage whose every edge has a diff; raises MissingDataError otherwise."""
    counts: Counter[str] = Counter()
    gone_at: dict[str, list[str]] = {}
    for p, c in lineage.edges():
        d = diffs.get((p, c))
        if d is None:
            raise MissingDataError(f"no diff for {p} -> {c}")
        counts.update(d.new)
        for t in d.gone:
            gone_at.setdefault(t, []).append(p)
    # A root version can re-enter below only after some edge dropped it.
    root_again = frozenset(
        t for t in counts.keys() & gone_at.keys() if _root_holds(lineage, diffs, t, gone_at[t])
    )
    intros = {t: n + (t in root_again) for t, n in counts.items() if n + (t in root_again) > 1}
    return Sharing(intros, root_again, len(counts) - len(root_again))


@dataclass(slots=True)
class ExactCosts:
    """Per-snapshot exact figures; a snapshot is absent when the diffs given do not settle it."""

    incremental_bytes: dict[str, int] = field(default_factory=dict)
    freed_bytes: dict[str, int] = field(default_factory=dict)


def _intersect(sets: list[frozenset[str]]) -> frozenset[str]:
    sets = sorted(sets, key=len)
    out = sets[0]
    for s in sets[1:]:
        if not out:
            break
        out = out & s
    return out


def _freed(lineage: Lineage, sid: str, diffs: Diffs, shared: Sharing) -> int | None:
    """Versions only ``sid`` holds: it introduced them once and every child dropped them."""
    p = lineage.parent[sid]
    gone = [diffs[(sid, c)].gone for c in lineage.children(sid)]
    if p is None:
        if not gone:
            return None  # the root alone: its full size, settled by the caller
        own = _intersect(gone)
    else:
        own = _intersect([diffs[(p, sid)].new, *gone])
    return sum(BLOCK_BYTES for t in own if t not in shared.intros)


def exact_costs(lineage: Lineage, full_bytes: Mapping[str, int], diffs: Diffs) -> ExactCosts:
    """Incremental size (against the tree parent) and single-deletion savings.

    incr(root) = Full(root); incr(s) = |NEW[s]| blocks. Deleting s alone frees the versions it
    introduced that every child dropped and that enter nowhere else; a root with no children
    frees Full(root). Freed figures need every diff of the lineage (a version may re-enter in
    another branch); incremental ones only the snapshot's own. ``full_bytes`` must hold only
    known sizes (AWS's 0 means unknown).
    """
    out = ExactCosts()
    for sid in lineage.snapshot_ids:
        p = lineage.parent[sid]
        if p is None:
            if sid in full_bytes:
                out.incremental_bytes[sid] = full_bytes[sid]
        elif (p, sid) in diffs:
            out.incremental_bytes[sid] = len(diffs[(p, sid)].new) * BLOCK_BYTES
    try:
        shared = sharing(lineage, diffs)
    except MissingDataError:
        return out
    for sid in lineage.snapshot_ids:
        freed = _freed(lineage, sid, diffs, shared)
        if freed is None:
            if sid in full_bytes:
                out.freed_bytes[sid] = full_bytes[sid]
        else:
            out.freed_bytes[sid] = freed
    return out


def stored_bytes(lineage: Lineage, full_bytes: Mapping[str, int], diffs: Diffs) -> int:
    """Distinct block versions the lineage stores: Full(root) + versions entering below.

    Equal to the sum of incrementals for a chain, smaller when branches share versions.
    Raises MissingDataError without every diff and the root's full size.
    """
    shared = sharing(lineage, diffs)
    if lineage.root not in full_bytes:
        raise MissingDataError(f"no full size for root {lineage.root}")
    return full_bytes[lineage.root] + shared.new_distinct * BLOCK_BYTES


def edges_needed(lineage: Lineage, chosen: Set[str]) -> list[tuple[str, str]]:
    """The diffs ``set_freed_bytes`` needs: every edge of a lineage holding a chosen snapshot."""
    return lineage.edges() if any(s in lineage for s in chosen) else []


def set_freed_bytes(
    lineage: Lineage, full_bytes: Mapping[str, int], diffs: Diffs, chosen: Set[str]
) -> int:
    """Bytes freed by deleting every snapshot of ``chosen`` in this lineage at once.

    A block version is freed iff every snapshot referencing it is chosen. From each place it
    enters, its holders are that snapshot plus descendants reached through edges that did not
    drop it, so this is not the sum of single savings when chosen snapshots share versions.

    Bottom-up, for each chosen s we keep F[s]: the versions s holds that no unchosen descendant
    keeps (None meaning all of them): F[s] = X_c1 & X_c2 ..., with X_c = GONE[s,c] for an unchosen
    child and GONE[s,c] | (F[c] - NEW[c]) for a chosen one. s then frees NEW[s] & F[s] from its
    entry point; the root F[root], or Full(root) when no unchosen snapshot keeps anything. A
    version entering at several places is freed only if freed at each of them.

    Ids outside the lineage are ignored. Needs every diff and, when the root's region is wholly
    chosen, Full(root); raises MissingDataError otherwise.
    """
    picked = {sid for sid in chosen if sid in lineage}
    if not picked:
        return 0
    shared = sharing(lineage, diffs)
    keep: dict[str, set[str] | None] = {}
    tally: Counter[str] = Counter()
    total = 0

    def count(tokens: Iterable[str]) -> int:
        n = 0
        for t in tokens:
            if t in shared.intros:
                tally[t] += 1
            else:
                n += 1
        return n * BLOCK_BYTES

    for sid in reversed(lineage.snapshot_ids):
        if sid not in picked:
            continue
        f = _kept_by_none(lineage, diffs, picked, keep, sid)
        keep[sid] = f
        p = lineage.parent[sid]
        if p is not None:
            new = diffs[(p, sid)].new
            total += count(new if f is None else new & f)
        elif f is not None:
            total += count(f)
        elif sid in full_bytes:
            count(shared.root_reentered)  # tallied: freed only if freed where they re-enter
            total += full_bytes[sid] - len(shared.root_reentered) * BLOCK_BYTES
        else:
            raise MissingDataError(f"no full size for root {sid}")
    return total + sum(BLOCK_BYTES for t, n in tally.items() if n == shared.intros[t])


def _kept_by_none(
    lineage: Lineage,
    diffs: Diffs,
    picked: Set[str],
    keep: dict[str, set[str] | None],
    sid: str,
) -> set[str] | None:
    """F[sid]: the versions sid holds that no unchosen descendant keeps (None: all of them)."""
    f: set[str] | None = None
    for c in lineage.children(sid):
        d = diffs[(sid, c)]
        if c in picked:
            fc = keep.pop(c)
            if fc is None:
                continue  # X_c is everything sid holds
            fc -= d.new
            fc |= d.gone
            x = fc
        else:
            x = set(d.gone)
        f = x if f is None else f & x
    return f
