"""Filesystems inside a disk image, read with the dissect parsers from any seekable file.

``open_disk`` finds the partitions (GPT, MBR; via dissect.volume) or, with no partition table,
a filesystem on the bare device, and opens each as ext2/3/4 or XFS. Paths are resolved one
component at a time and symlinks are never followed (a link is shown with its target, and a
link that climbs out of the snapshot cannot take a reader anywhere). Whatever cannot be read
becomes an ``Unreadable`` with a cause a person can act on; a parser's crash on corrupt
metadata is caught here and reported the same way, never passed up.
"""

from __future__ import annotations

import posixpath
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO, TypeVar

_T = TypeVar("_T")

LUKS_MAGIC = b"LUKS\xba\xbe"
KIND = {stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "symlink"}


class Unreadable(Exception):
    """This part of the snapshot cannot be read straight from its blocks (the cause says why)."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: str  # absolute, inside the filesystem; components are data (any bytes but / and NUL)
    name: str
    kind: str  # file | dir | symlink | other
    size: int
    mode: int  # permission bits (and setuid/setgid/sticky)
    uid: int
    gid: int
    mtime: datetime
    inode: int
    nlink: int
    target: str = ""  # symlinks: what the link says, never resolved

    @property
    def mode_text(self) -> str:
        return stat.filemode(self.mode | {"dir": stat.S_IFDIR, "symlink": stat.S_IFLNK}.get(
            self.kind, stat.S_IFREG))  # fmt: skip


def _guard(what: str, fn: Callable[[], _T]) -> _T:
    """Run a parser call; anything it raises on bad metadata becomes Unreadable."""
    from snaptui.aws.changed_blocks import Cancelled

    try:
        return fn()
    except (Unreadable, Cancelled):
        raise
    except FileNotFoundError as exc:
        raise Unreadable(f"{what}: not found") from exc
    except Exception as exc:  # dissect raises many types on corrupt structures
        cause = exc.__class__.__name__
        if exc.__class__.__module__.startswith("botocore"):
            raise
        raise Unreadable(f"{what}: cannot be read ({cause}: {str(exc)[:120]})") from exc


class FileSystem:
    """One filesystem (ext or XFS): list, stat and open by path, never following symlinks."""

    def __init__(self, fs: Any, kind: str, label: str) -> None:
        self._fs = fs
        self.kind = kind  # "ext4" | "xfs"
        self.label = label  # e.g. "partition 1 (root)" or "whole disk"

    def _node(self, path: str) -> Any:
        node = self._fs.get_inode(self._root_inum())
        for part in _parts(path):
            if stat.S_IFMT(_mode(node)) != stat.S_IFDIR:
                raise Unreadable(f"{path}: {part} is inside something that is not a directory")
            children = _guard(path, node.listdir)
            if part not in children:
                raise Unreadable(f"{path}: not found")
            node = children[part]
        return node

    def _root_inum(self) -> int:
        return 2 if self.kind == "ext4" else int(self._fs.sb.sb_rootino or 0)

    def stat(self, path: str) -> FileEntry:
        path = normalize(path)
        return _guard(path, lambda: _entry(path, self._node(path)))

    def listdir(self, path: str) -> list[FileEntry]:
        path = normalize(path)

        def read() -> list[FileEntry]:
            node = self._node(path)
            if stat.S_IFMT(_mode(node)) != stat.S_IFDIR:
                raise Unreadable(f"{path}: not a directory")
            out = []
            for name, child in node.listdir().items():
                if name in (".", "..") or "/" in name or "\x00" in name:
                    continue
                out.append(_entry(posixpath.join(path, name), child))
            return out

        return _guard(path, read)

    def open(self, path: str) -> BinaryIO:
        path = normalize(path)
        node = self._node(path)
        if stat.S_IFMT(_mode(node)) != stat.S_IFREG:
            raise Unreadable(f"{path}: not a regular file")
        return _guard(path, node.open)  # type: ignore[no-any-return]

    def walk(self, path: str) -> Iterator[FileEntry]:
        """Every entry under ``path`` (depth first, directories before their contents)."""
        top = self.stat(path)
        yield top
        if top.kind != "dir":
            return
        stack = [top.path]
        while stack:
            for entry in sorted(self.listdir(stack.pop()), key=lambda e: e.name, reverse=True):
                yield entry
                if entry.kind == "dir":
                    stack.append(entry.path)

    def allocated_bytes(self, path: str) -> int:
        """Bytes of data the file has on disk (holes excluded): what reading it must fetch."""
        node = self._node(normalize(path))

        def count() -> int:
            block = int(getattr(self._fs, "block_size", 4096))
            runs: list[tuple[int | None, int]] = node.dataruns()
            return sum(int(n) for start, n in runs if start is not None) * block

        try:
            return min(_guard(path, count), int(node.size))
        except Unreadable:
            return int(node.size)


def normalize(path: str) -> str:
    """An absolute path with no empty, "." or ".." parts (".." never climbs above /)."""
    return "/" + "/".join(_parts(path))


def _parts(path: str) -> list[str]:
    out: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out:
                out.pop()
            continue
        out.append(part)
    return out


def _mode(node: Any) -> int:
    inode = node.inode
    raw: Any = getattr(inode, "i_mode", None) or getattr(inode, "di_mode", 0)
    return int(raw or 0)


def _entry(path: str, node: Any) -> FileEntry:
    inode = node.inode
    mode = _mode(node)
    fmt = stat.S_IFMT(mode)
    kind = KIND.get(fmt, "other")
    uid = int(getattr(inode, "i_uid", None) or getattr(inode, "di_uid", 0) or 0)
    gid = int(getattr(inode, "i_gid", None) or getattr(inode, "di_gid", 0) or 0)
    uid |= int(getattr(inode, "l_i_uid_high", 0) or 0) << 16
    gid |= int(getattr(inode, "l_i_gid_high", 0) or 0) << 16
    nlink = int(getattr(inode, "i_links_count", None) or getattr(inode, "di_nlink", 1) or 1)
    mtime = node.mtime if isinstance(node.mtime, datetime) else datetime.fromtimestamp(0, UTC)
    target = ""
    if kind == "symlink":
        target = str(node.link)
    name = posixpath.basename(path) or "/"
    return FileEntry(
        path, name, kind, int(node.size), stat.S_IMODE(mode), uid, gid, mtime, int(node.inum),
        nlink, target,
    )  # fmt: skip


def _open_fs(fh: BinaryIO, label: str) -> FileSystem:
    fh.seek(0)
    head = fh.read(4096)
    if head.startswith(LUKS_MAGIC):
        raise Unreadable(f"{label}: encrypted with LUKS; the key is not in the snapshot")
    if head[:4] == b"XFSB":
        from dissect.xfs import XFS

        return FileSystem(_guard(label, lambda: XFS(fh)), "xfs", label)
    fh.seek(1024 + 56)
    if fh.read(2) == b"\x53\xef":
        from dissect.extfs import ExtFS

        return FileSystem(_guard(label, lambda: ExtFS(fh)), "ext4", label)
    raise Unreadable(f"{label}: no ext2/3/4 or XFS filesystem found")


@dataclass(frozen=True)
class Part:
    label: str
    fs: FileSystem | None
    problem: str = ""


def open_disk(fh: BinaryIO) -> list[Part]:
    """The filesystems on a disk: one per partition, or one for a bare filesystem."""
    from dissect.volume.disk import Disk

    fh.seek(0)
    try:
        partitions = list(Disk(fh).partitions)
    except Exception:  # no partition table (or an unreadable one): try the bare device
        partitions = []
    parts = []
    for p in partitions:
        if int(p.size) < 64 * 1024 or str(getattr(p, "type_str", "")).lower().startswith("empty"):
            continue
        name = str(getattr(p, "name", "") or "")
        label = f"partition {p.number}" + (f" ({name})" if name else "")
        try:
            parts.append(Part(label, _open_fs(p.open(), label)))
        except Unreadable as exc:
            parts.append(Part(label, None, str(exc)))
    if not parts:
        try:
            parts.append(Part("whole disk", _open_fs(fh, "whole disk")))
        except Unreadable as exc:
            parts.append(Part("whole disk", None, str(exc)))
    return parts


def shown(text: str) -> str:
    """A name from a snapshot, printable: control characters and undecodable bytes escaped."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif 0xDC80 <= code <= 0xDCFF:  # surrogateescape: a byte that was not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        else:
            out.append(ch)
    return "".join(out)
