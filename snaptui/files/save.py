"""Save a file or directory from a snapshot's filesystem into a local directory, safely.

Names from the snapshot are data: each component is neutralised (``/``, NUL, ``.``/``..`` and
control characters cannot make a path go anywhere but one level down), and every file is
created relative to an open directory descriptor with O_NOFOLLOW, so neither a crafted name nor
a symlink planted on the local side can make a write land outside the chosen directory. Data
goes to a hidden temp file beside the target and is renamed into place only when complete, so
no half-written file ever carries the final name. Mode (permission bits; setuid/setgid dropped)
and mtime are kept; owners are not (that needs root and the same users). Symlinks are recreated
only when relative and inside what is being saved; others are listed as skipped. Holes in
sparse files stay holes; hard links inside one save become hard links again.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from snaptui.files.fs import FileEntry, FileSystem, Unreadable

CHUNK = 1024 * 1024
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


class SaveCancelled(Exception):
    pass


@dataclass
class SaveReport:
    files: int = 0
    dirs: int = 0
    links: int = 0
    bytes_written: int = 0
    saved: list[str] = field(default_factory=list)  # local paths written (relative to dest)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (snapshot path, why)
    failed: list[tuple[str, str]] = field(default_factory=list)


Progress = Callable[[SaveReport], None]


def safe_name(name: str) -> str:
    """One path component that can only name an entry in its own directory."""
    out = []
    for ch in name:
        if ch == "/" or ch == "\x00":
            out.append("_")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    text = "".join(out)
    if text in ("", ".", ".."):
        text = "_" + text
    return text


def plan_bytes(fs: FileSystem, path: str) -> tuple[int, int]:
    """(files, bytes of data on disk) a save of ``path`` would read: for the warning."""
    files = data = 0
    for entry in fs.walk(path):
        if entry.kind == "file":
            files += 1
            data += fs.allocated_bytes(entry.path)
    return files, data


def exists_at(dest_dir: str, entry: FileEntry) -> bool:
    return (Path(dest_dir) / safe_name(entry.name)).is_symlink() or (
        Path(dest_dir) / safe_name(entry.name)
    ).exists()


class _Saver:
    def __init__(self, fs: FileSystem, top: FileEntry, overwrite: bool,
                 progress: Progress | None, cancel: threading.Event | None) -> None:  # fmt: skip
        self.fs, self.top, self.overwrite = fs, top, overwrite
        self.progress, self.cancel = progress, cancel
        self.report = SaveReport()
        self.inodes: dict[int, tuple[int, str]] = {}  # inode -> (dir fd, name) saved first

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise SaveCancelled

    def entry(self, entry: FileEntry, dir_fd: int, rel: str) -> None:
        self.check()
        name = safe_name(entry.name)
        local = posixpath.join(rel, name) if rel else name
        try:
            if entry.kind == "dir":
                self.directory(entry, dir_fd, name, local)
            elif entry.kind == "file":
                self.file(entry, dir_fd, name, local)
            elif entry.kind == "symlink":
                self.symlink(entry, dir_fd, name, local)
            else:
                self.report.skipped.append((entry.path, "not a regular file, directory or link"))
        except (Unreadable, OSError) as exc:
            self.report.failed.append((entry.path, str(exc)))

    def directory(self, entry: FileEntry, dir_fd: int, name: str, local: str) -> None:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o700, dir_fd=dir_fd)
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)  # refuses a symlink planted there
        try:
            for child in sorted(self.fs.listdir(entry.path), key=lambda e: e.name):
                self.entry(child, fd, local)
            os.chmod(fd, entry.mode & 0o777)
            os.utime(fd, (entry.mtime.timestamp(),) * 2)
        finally:
            os.close(fd)
        self.report.dirs += 1

    def file(self, entry: FileEntry, dir_fd: int, name: str, local: str) -> None:
        if not self.overwrite and _lexists(name, dir_fd):
            self.report.skipped.append((entry.path, f"{local} exists"))
            return
        first = self.inodes.get(entry.inode) if entry.nlink > 1 else None
        if first is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name, dir_fd=dir_fd)
            os.link(first[1], name, src_dir_fd=first[0], dst_dir_fd=dir_fd,
                    follow_symlinks=False)  # fmt: skip
            self.report.links += 1
            return
        tmp = f".{name[:200]}.snaptui-part"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600,
                     dir_fd=dir_fd)  # fmt: skip
        try:
            self.copy_data(entry, fd)
            os.fchmod(fd, entry.mode & 0o777)
            os.utime(fd, (entry.mtime.timestamp(),) * 2)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=dir_fd)
            raise
        os.close(fd)
        os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        if entry.nlink > 1:
            self.inodes[entry.inode] = (os.dup(dir_fd), name)
        self.report.files += 1
        self.report.saved.append(local)

    def copy_data(self, entry: FileEntry, fd: int) -> None:
        src = self.fs.open(entry.path)
        written = 0
        while written < entry.size:
            self.check()
            chunk = src.read(min(CHUNK, entry.size - written))
            if not chunk:
                break
            if chunk.count(0) == len(chunk):
                os.lseek(fd, len(chunk), os.SEEK_CUR)  # a hole (or zeros): keep it sparse
            else:
                os.write(fd, chunk)
            written += len(chunk)
            self.report.bytes_written += len(chunk)
            if self.progress is not None:
                self.progress(self.report)
        os.ftruncate(fd, written)

    def symlink(self, entry: FileEntry, dir_fd: int, name: str, local: str) -> None:
        target = entry.target
        inside = posixpath.normpath(posixpath.join(posixpath.dirname(local), target))
        if target.startswith("/") or inside.startswith("..") or "\x00" in target:
            self.report.skipped.append((entry.path, f"symlink to {target!r} points outside"))
            return
        if _lexists(name, dir_fd):
            if not self.overwrite:
                self.report.skipped.append((entry.path, f"{local} exists"))
                return
            os.unlink(name, dir_fd=dir_fd)
        os.symlink(target, name, dir_fd=dir_fd)
        self.report.links += 1


def _lexists(name: str, dir_fd: int) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def save(
    fs: FileSystem,
    path: str,
    dest_dir: str,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> SaveReport:
    """Save ``path`` (file or directory) as ``dest_dir/<its name>``; returns what happened.

    ``dest_dir`` must exist and be a directory (not a symlink to one: chosen paths are opened
    as given, so pass the real directory). Raises SaveCancelled when cancelled mid-way (the
    temp file of the file being written is removed).
    """
    top = fs.stat(path)
    saver = _Saver(fs, top, overwrite, progress, cancel)
    dir_fd = os.open(dest_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        saver.entry(top, dir_fd, "")
    finally:
        os.close(dir_fd)
        for fd, _ in saver.inodes.values():
            os.close(fd)
    return saver.report
