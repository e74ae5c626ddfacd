"""Caches of snapshot blocks: an LRU in memory and an immutable store on disk.

A block version never changes, so (snapshot id, block token) names its bytes forever: the file
browser, history and diff share one cache and a second read of the same block makes no call.
On disk each entry is ``<root>/blocks/<namespace>/<snapshot>/<sha256(token)>``: the SHA-256 of
the data, then the data, written to a temp file and renamed into place. A reader checks the
digest, so a torn or damaged entry is deleted and read as a miss, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

_SNAPSHOT = re.compile(r"^snap-[0-9a-zA-Z]+$")
DIGEST = 32


class MemoryBlocks:
    """A thread-safe LRU of block bytes, bounded by count (512 KiB each)."""

    def __init__(self, capacity: int = 128) -> None:
        self.capacity = capacity
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, str], bytes] = OrderedDict()

    def get(self, snapshot_id: str, token: str) -> bytes | None:
        with self._lock:
            data = self._items.get((snapshot_id, token))
            if data is not None:
                self._items.move_to_end((snapshot_id, token))
            return data

    def put(self, snapshot_id: str, token: str, data: bytes) -> None:
        with self._lock:
            self._items[(snapshot_id, token)] = data
            self._items.move_to_end((snapshot_id, token))
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)


class DiskBlocks:
    """Blocks on disk under ``root/blocks/namespace``; every failure is a miss, never an error."""

    def __init__(self, root: Path, namespace: str) -> None:
        self.dir = root / "blocks" / namespace

    def _path(self, snapshot_id: str, token: str) -> Path | None:
        if not _SNAPSHOT.match(snapshot_id):
            return None
        return self.dir / snapshot_id / hashlib.sha256(token.encode()).hexdigest()

    def get(self, snapshot_id: str, token: str) -> bytes | None:
        path = self._path(snapshot_id, token)
        if path is None:
            return None
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        digest, data = raw[:DIGEST], raw[DIGEST:]
        if hashlib.sha256(data).digest() != digest:
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        return data

    def put(self, snapshot_id: str, token: str, data: bytes) -> None:
        path = self._path(snapshot_id, token)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(hashlib.sha256(data).digest() + data)
                Path(tmp).replace(path)
            except BaseException:
                with contextlib.suppress(OSError):
                    Path(tmp).unlink()
                raise
        except OSError:
            return  # a full or read-only disk only costs a refetch later


class BlockCache:
    """Memory first, then disk; what disk finds is kept in memory too."""

    def __init__(self, memory: MemoryBlocks | None = None, disk: DiskBlocks | None = None) -> None:
        self.memory = memory or MemoryBlocks()
        self.disk = disk

    def get(self, snapshot_id: str, token: str) -> bytes | None:
        data = self.memory.get(snapshot_id, token)
        if data is None and self.disk is not None:
            data = self.disk.get(snapshot_id, token)
            if data is not None:
                self.memory.put(snapshot_id, token, data)
        return data

    def put(self, snapshot_id: str, token: str, data: bytes) -> None:
        self.memory.put(snapshot_id, token, data)
        if self.disk is not None:
            self.disk.put(snapshot_id, token, data)
