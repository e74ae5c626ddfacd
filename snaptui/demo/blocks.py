"""Simulated disk contents for the demo world: which 512 KiB blocks each snapshot holds.

moto's EC2 snapshots carry no blocks at all, so the demo keeps its own record of a volume's
write history. A *history* is a sequence of writes tagged with a sequence number; taking a
snapshot records (history, seq) and bumps seq, so a snapshot holds, for every block index,
the newest write with seq <= its own. A volume created from a snapshot starts a new history
whose base is that snapshot (it continues the lineage); a copy starts a full, unrelated one.

Memory stays small at demo scale (about 150 bytes per written block index), and tokens are
derived, never stored: ``{history}.{index}.{seq}`` names one block version.
"""

from __future__ import annotations

import bisect
import random
import threading
from dataclasses import dataclass, field

BLOCK_BYTES = 512 * 1024
TRIMMED = -1  # a write that discards a block (TRIM): the block is absent afterwards


@dataclass(slots=True)
class History:
    id: int
    base: SnapRef | None  # where this history continues from (None: blank or a full copy)
    seq: int = 0
    # block index -> ascending seqs of writes; a parallel list says whether each was a trim
    writes: dict[int, list[int]] = field(default_factory=dict)
    trims: dict[int, set[int]] = field(default_factory=dict)
    live: set[int] = field(default_factory=set)  # indices the volume holds now


@dataclass(slots=True, frozen=True)
class SnapRef:
    history: History
    seq: int


class UnrelatedSnapshots(Exception):
    """The two snapshots share no ancestry (AWS: ValidationException UNRELATED_SNAPSHOTS)."""


class UnknownSnapshot(Exception):
    """The world has no blocks for this snapshot (deleted, or never seen)."""


class BlockWorld:
    """Thread-safe registry of volume histories and snapshot block sets for the demo server."""

    def __init__(self, seed: int = 7) -> None:
        self._lock = threading.RLock()
        self._next_id = 0
        self._volumes: dict[str, History] = {}
        self._snapshots: dict[str, SnapRef] = {}
        self._rng = random.Random(seed)
        self._diff_cache: dict[tuple[str, str], list[tuple[int, str | None, str | None]]] = {}
        self._full: dict[str, int] = {}  # snapshot id -> blocks held, counted when taken
        self._copied_from: dict[int, SnapRef] = {}  # copy's history id -> the source it holds

    # --- building the world -------------------------------------------------------------------

    def _history(self, base: SnapRef | None) -> History:
        self._next_id += 1
        return History(self._next_id, base)

    def blank_volume(self, volume_id: str) -> None:
        with self._lock:
            self._volumes.setdefault(volume_id, self._history(None))

    def volume_from_snapshot(self, volume_id: str, snapshot_id: str) -> None:
        with self._lock:
            ref = self._snapshots.get(snapshot_id)
            h = self._history(ref)
            if ref is not None:
                h.live = self._indices(ref)
            self._volumes[volume_id] = h

    def write(self, volume_id: str, indices: list[int], *, trim: bool = False) -> None:
        """Write (or trim) blocks on a volume; the next snapshot sees them."""
        with self._lock:
            h = self._volumes.setdefault(volume_id, self._history(None))
            for i in indices:
                seqs = h.writes.setdefault(i, [])
                if seqs and seqs[-1] == h.seq:
                    continue  # already rewritten since the last snapshot
                seqs.append(h.seq)
                if trim:
                    h.trims.setdefault(i, set()).add(h.seq)
                    h.live.discard(i)
                else:
                    h.live.add(i)

    def churn(self, volume_id: str, fraction: float, size_gib: int) -> None:
        """Rewrite about ``fraction`` of the written blocks, some appended at the end."""
        with self._lock:
            h = self._volumes.get(volume_id)
            written = sorted(h.live) if h is not None else []
            limit = max(1, size_gib * 1024 * 1024 * 1024 // BLOCK_BYTES)
            n = max(1, int(len(written) * fraction)) if written else 0
            chosen = self._rng.sample(written, min(n, len(written))) if written else []
            grow = [min(limit - 1, len(written) + k) for k in range(max(1, n // 5))]
            self.write(volume_id, chosen + grow)

    def snapshot(self, snapshot_id: str, volume_id: str) -> int:
        """Record a snapshot of the volume's current contents; returns its size in bytes."""
        with self._lock:
            h = self._volumes.setdefault(volume_id, self._history(None))
            ref = SnapRef(h, h.seq)
            h.seq += 1
            self._snapshots[snapshot_id] = ref
            self._full[snapshot_id] = len(h.live)
            return self._full[snapshot_id] * BLOCK_BYTES

    def copy(self, new_id: str, source_id: str) -> None:
        """A copy holds the same data as a new, unrelated lineage (new block versions)."""
        with self._lock:
            blocks = self.blocks(source_id)
            h = self._history(None)
            for i in blocks:
                h.writes[i] = [0]
            h.live = set(blocks)
            self._snapshots[new_id] = SnapRef(h, 0)
            self._full[new_id] = len(blocks)
            self._copied_from[h.id] = self._ref(source_id)
            h.seq = 1

    def forget(self, snapshot_id: str) -> None:
        """A deleted snapshot's blocks go with it; histories built on it stay valid."""
        with self._lock:
            self._snapshots.pop(snapshot_id, None)
            self._full.pop(snapshot_id, None)
            self._diff_cache = {k: v for k, v in self._diff_cache.items() if snapshot_id not in k}

    def root_history_id(self, snapshot_id: str) -> int:
        with self._lock:
            return self._chain(self._ref(snapshot_id))[-1].history.id

    def volume_position(self, volume_id: str) -> tuple[int, int]:
        """(history id, seq of the next write) of a volume: where its next writes land."""
        with self._lock:
            h = self._volumes.setdefault(volume_id, self._history(None))
            return h.id, h.seq

    def origin(self, snapshot_id: str, index: int) -> tuple[int, int, int] | None:
        """(history id, index, seq) of the write whose data the snapshot holds at ``index``.

        None when the block is absent. A copy's blocks are new versions (new tokens) of the
        source's data, so this follows a copy back to the write it copied.
        """
        with self._lock:
            ref = self._ref(snapshot_id)
            while True:
                token = self._version(ref, index)
                if token is None:
                    return None
                history, _, seq = (int(part) for part in token.split("."))
                source = self._copied_from.get(history)
                if source is None:
                    return history, index, seq
                ref = source

    def token(self, snapshot_id: str, index: int) -> str | None:
        """The block token of one index (as ListSnapshotBlocks lists it), None when absent."""
        with self._lock:
            return self._version(self._ref(snapshot_id), index)

    def knows(self, snapshot_id: str) -> bool:
        return snapshot_id in self._snapshots

    # --- reading ------------------------------------------------------------------------------

    def _ref(self, snapshot_id: str) -> SnapRef:
        ref = self._snapshots.get(snapshot_id)
        if ref is None:
            raise UnknownSnapshot(snapshot_id)
        return ref

    @staticmethod
    def _chain(ref: SnapRef) -> list[SnapRef]:
        """The snapshot, then each base it continues from, back to a root."""
        chain = [ref]
        while chain[-1].history.base is not None:
            base = chain[-1].history.base
            assert base is not None
            chain.append(base)
        return chain

    @staticmethod
    def _version(ref: SnapRef, index: int) -> str | None:
        """Token of the block at ``index`` as the snapshot holds it, None when absent."""
        for link in BlockWorld._chain(ref):
            seqs = link.history.writes.get(index)
            if seqs:
                pos = bisect.bisect_right(seqs, link.seq)
                if pos:
                    seq = seqs[pos - 1]
                    if seq in link.history.trims.get(index, ()):
                        return None
                    return f"{link.history.id}.{index}.{seq}"
        return None

    def indices_of_volume(self, volume_id: str) -> set[int]:
        h = self._volumes.get(volume_id)
        return set(h.live) if h is not None else set()

    def _indices(self, ref: SnapRef) -> set[int]:
        seen: set[int] = set()
        for link in self._chain(ref):
            seen.update(link.history.writes)
        return {i for i in seen if self._version(ref, i) is not None}

    def blocks(self, snapshot_id: str) -> dict[int, str]:
        """Every block the snapshot holds: index -> token (ListSnapshotBlocks)."""
        with self._lock:
            ref = self._ref(snapshot_id)
            out: dict[int, str] = {}
            for i in sorted(self._indices(ref)):
                token = self._version(ref, i)
                if token is not None:
                    out[i] = token
            return out

    def full_bytes(self, snapshot_id: str) -> int:
        with self._lock:
            self._ref(snapshot_id)
            return self._full[snapshot_id] * BLOCK_BYTES

    def changed_blocks(
        self, first_id: str, second_id: str
    ) -> list[tuple[int, str | None, str | None]]:
        """(index, first token, second token) for every index whose versions differ.

        As AWS: entries for blocks present only in the second snapshot carry no first token;
        snapshots with no common ancestor raise UnrelatedSnapshots.
        """
        key = (first_id, second_id)
        with self._lock:
            cached = self._diff_cache.get(key)
            if cached is not None:
                return cached
            a, b = self._ref(first_id), self._ref(second_id)
            if a.history is b.history:
                out = self._changed_in_history(a, b)
                self._diff_cache[key] = out
                return out
            chain_a, chain_b = self._chain(a), self._chain(b)
            if chain_a[-1].history is not chain_b[-1].history:
                raise UnrelatedSnapshots(f"{first_id} and {second_id}")
            candidates: set[int] = set()
            for link in chain_a + chain_b:
                candidates.update(link.history.writes)
            out = []
            for i in sorted(candidates):
                first, second = self._version(a, i), self._version(b, i)
                if first != second:
                    out.append((i, first, second))
            self._diff_cache[key] = out
            return out

    def _changed_in_history(
        self, a: SnapRef, b: SnapRef
    ) -> list[tuple[int, str | None, str | None]]:
        """Two snapshots of one volume history: only indices written between them can differ.

        Every other index resolves to the same version in both (the same write, or the same
        base snapshot below), so this scans the writes, not every block.
        """
        lo, hi = sorted((a.seq, b.seq))
        touched = []
        for index, seqs in a.history.writes.items():
            pos = bisect.bisect_right(seqs, lo)
            if pos < len(seqs) and seqs[pos] <= hi:  # some write in (lo, hi]
                touched.append(index)
        out = []
        for index in sorted(touched):
            first, second = self._version(a, index), self._version(b, index)
            if first != second:
                out.append((index, first, second))
        return out
