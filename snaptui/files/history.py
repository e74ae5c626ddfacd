"""A path's history across a lineage, and what changed between two snapshots' filesystems.

History opens each snapshot (newest first) and records whether the path is there, its size,
mtime and the SHA-256 of its content, so "which snapshot still has the good nginx.conf?" is a
glance: rows with the same hash are the same version. Diff walks two trees and compares entry
metadata (kind, size, mtime, mode, owner, link target); only entries whose metadata differ are
reported, so it reads directories and inodes, never file data. Both share the session's block
cache, so blocks that two snapshots have in common are read once.
"""

from __future__ import annotations

import hashlib
import posixpath
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from snaptui.aws.changed_blocks import Cancelled
from snaptui.files.fs import FileEntry, FileSystem, Unreadable


@dataclass(frozen=True)
class HistoryRow:
    snapshot_id: str
    taken: datetime | None
    entry: FileEntry | None  # None: not in this snapshot (or unreadable: see problem)
    sha256: str = ""
    problem: str = ""


def content_hash(fs: FileSystem, path: str, cancel: threading.Event | None = None) -> str:
    digest = hashlib.sha256()
    src = fs.open(path)
    while True:
        if cancel is not None and cancel.is_set():
            raise Cancelled
        chunk = src.read(1024 * 1024)
        if not chunk:
            return digest.hexdigest()
        digest.update(chunk)


def history_row(snapshot_id: str, taken: datetime | None, fs: FileSystem, path: str,
                cancel: threading.Event | None = None) -> HistoryRow:  # fmt: skip
    try:
        entry = fs.stat(path)
    except Unreadable as exc:
        missing = str(exc).endswith("not found")
        return HistoryRow(snapshot_id, taken, None, problem="" if missing else str(exc))
    digest = content_hash(fs, entry.path, cancel) if entry.kind == "file" else ""
    return HistoryRow(snapshot_id, taken, entry, digest)


def version_labels(rows: list[HistoryRow]) -> list[str]:
    """A short label per row: v1 is the oldest content, same hash same label; '-' when absent."""
    order: dict[str, int] = {}
    for row in reversed(rows):
        key = row.sha256 or (row.entry.target if row.entry else "")
        if row.entry is not None and key not in order:
            order[key] = len(order) + 1
    labels = []
    for row in rows:
        if row.entry is None:
            labels.append("gone" if not row.problem else "?")
        else:
            labels.append(f"v{order[row.sha256 or row.entry.target]}")
    return labels


@dataclass(frozen=True)
class Change:
    path: str
    change: str  # added | removed | modified
    kind: str
    old_size: int
    new_size: int

    @property
    def delta(self) -> int:
        return self.new_size - self.old_size


def _same(a: FileEntry, b: FileEntry) -> bool:
    return (a.kind, a.size, a.mtime, a.mode, a.uid, a.gid, a.target) == (
        b.kind, b.size, b.mtime, b.mode, b.uid, b.gid, b.target)  # fmt: skip


def diff_trees(old: FileSystem, new: FileSystem, path: str = "/",
               cancel: threading.Event | None = None,
               on_dir: Callable[[str], None] | None = None) -> list[Change]:  # fmt: skip
    """Entries added, removed and modified from ``old`` to ``new`` under ``path``."""
    changes: list[Change] = []
    stack = [path]
    while stack:
        if cancel is not None and cancel.is_set():
            raise Cancelled
        here = stack.pop()
        if on_dir is not None:
            on_dir(here)
        a = _children(old, here)
        b = _children(new, here)
        for name in sorted(set(a) | set(b)):
            ea, eb = a.get(name), b.get(name)
            if ea is None and eb is not None:
                changes.extend(_all(new, eb, "added"))
            elif eb is None and ea is not None:
                changes.extend(_all(old, ea, "removed"))
            elif ea is not None and eb is not None:
                if ea.kind == eb.kind == "dir":
                    stack.append(eb.path)
                elif not _same(ea, eb):
                    changes.append(Change(eb.path, "modified", eb.kind, ea.size, eb.size))
    return sorted(changes, key=lambda c: c.path)


def _children(fs: FileSystem, path: str) -> dict[str, FileEntry]:
    try:
        return {e.name: e for e in fs.listdir(path)}
    except Unreadable:
        return {}


def _all(fs: FileSystem, entry: FileEntry, change: str) -> Iterable[Change]:
    """An added or removed entry and, for a directory, everything under it."""
    for e in fs.walk(entry.path) if entry.kind == "dir" else [entry]:
        if e.kind == "dir":
            continue
        size = e.size if e.kind == "file" else 0
        old, new = (0, size) if change == "added" else (size, 0)
        yield Change(e.path, change, e.kind, old, new)


def by_directory(changes: list[Change], depth: int = 2) -> list[tuple[str, int, int]]:
    """(directory, entries, bytes grown) per top directory, largest growth first."""
    sums: dict[str, list[int]] = {}
    for c in changes:
        parts = c.path.strip("/").split("/")
        key = "/" + "/".join(parts[: min(depth, max(1, len(parts) - 1))])
        if len(parts) == 1:
            key = "/"
        acc = sums.setdefault(key, [0, 0])
        acc[0] += 1
        acc[1] += c.delta
    return sorted(((k, n, b) for k, (n, b) in sums.items()), key=lambda r: -abs(r[2]))


def parent_dir(path: str) -> str:
    return posixpath.dirname(path) or "/"
