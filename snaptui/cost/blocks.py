"""Exact snapshot sizes from ListChangedBlocks diffs, one diff per lineage edge.

Block tokens name block *versions*: a token new in a snapshot is stored (and billed) once, and is
freed only when no snapshot references it any more. One diff per parent->child edge tells which
versions each snapshot added and which of its parent's versions each child dropped, which is all
that reference counting over the tree needs; no block lists are fetched.
"""

from __future__ import annotations

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


def exact_costs(lineage: Lineage, full_bytes: Mapping[str, int], diffs: Diffs) -> ExactCosts:
    """Incremental size and single-deletion savings of every snapshot the diffs cover.

    incr(root) = Full(root); incr(s) = |NEW[s]| blocks. Deleting s alone frees the versions it
    introduced that every child dropped: |NEW[s] & GONE[s,c1] & GONE[s,c2] ...| (a leaf frees all
    of NEW[s]); for the root, whose versions are all its own, |GONE[root,c1] & ...|, or Full(root)
    if it has no children. ``full_bytes`` must hold only known sizes (AWS's 0 means unknown).
    """
    out = ExactCosts()
    for sid in lineage.snapshot_ids:
        p = lineage.parent[sid]
        kid_diffs = [diffs.get((sid, c)) for c in lineage.children(sid)]
        gone_sets = [d.gone for d in kid_diffs if d is not None]
        kids_known = len(gone_sets) == len(kid_diffs)
        if p is None:
            full = full_bytes.get(sid)
            if full is not None:
                out.incremental_bytes[sid] = full
            if kids_known and gone_sets:
                out.freed_bytes[sid] = len(_intersect(gone_sets)) * BLOCK_BYTES
            elif kids_known and full is not None:
                out.freed_bytes[sid] = full
            continue
        own = diffs.get((p, sid))
        if own is None:
            continue
        out.incremental_bytes[sid] = len(own.new) * BLOCK_BYTES
        if kids_known:
            out.freed_bytes[sid] = len(_intersect([own.new, *gone_sets])) * BLOCK_BYTES
    return out


def edges_needed(lineage: Lineage, chosen: Set[str]) -> list[tuple[str, str]]:
    """The diffs ``set_freed_bytes`` needs for ``chosen``: every edge touching a chosen snapshot."""
    return [(p, c) for p, c in lineage.edges() if p in chosen or c in chosen]


def set_freed_bytes(
    lineage: Lineage, full_bytes: Mapping[str, int], diffs: Diffs, chosen: Set[str]
) -> int:
    """Bytes freed by deleting every snapshot of ``chosen`` in this lineage at once.

    A block version is freed iff every snapshot referencing it is chosen. Its referencers are
    the snapshot that introduced it plus descendants reached through edges that did not drop it,
    so this is not the sum of single savings when chosen snapshots share versions (a block kept
    only by a parent and its child is freed by deleting both, by neither alone).

    Bottom-up, for each chosen s we keep F[s]: the versions s holds that no unchosen descendant
    keeps (None meaning all of them): F[s] = X_c1 & X_c2 ..., with X_c = GONE[s,c] for an unchosen
    child and GONE[s,c] | (F[c] - NEW[c]) for a chosen one. s then contributes NEW[s] & F[s];
    the root contributes F[root], or Full(root) when no unchosen snapshot keeps anything (root
    versions never seen in a diff are shared by the whole tree, so only then are they freed).

    Ids outside the lineage are ignored. Needs the diffs of ``edges_needed`` and, when the whole
    lineage is chosen, Full(root); raises MissingDataError otherwise.
    """
    picked = {sid for sid in chosen if sid in lineage}

    def need(p: str, c: str) -> EdgeDiff:
        d = diffs.get((p, c))
        if d is None:
            raise MissingDataError(f"no diff for {p} -> {c}")
        return d

    keep: dict[str, set[str] | None] = {}
    total = 0
    for sid in reversed(lineage.snapshot_ids):
        if sid not in picked:
            continue
        f: set[str] | None = None
        for c in lineage.children(sid):
            d = need(sid, c)
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
        keep[sid] = f
        p = lineage.parent[sid]
        if p is not None:
            new = need(p, sid).new
            total += len(new if f is None else new & f) * BLOCK_BYTES
        elif f is not None:
            total += len(f) * BLOCK_BYTES
        elif sid in full_bytes:
            total += full_bytes[sid]
        else:
            raise MissingDataError(f"no full size for root {sid}")
    return total
