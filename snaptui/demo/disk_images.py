"""The demo disks' real bytes: packed filesystem images, one version per daily snapshot.

scripts/make_demo_disks.py builds them with mkfs.ext4/debugfs; at run time only this reader is
needed (stdlib: json, lzma). A pack holds each distinct non-zero 512 KiB chunk once, which
chunk each version has at each block index (absent: zeros), and a manifest of every version's
files — the ground truth the tests compare what the file browser reads against.
"""

from __future__ import annotations

import functools
import json
import lzma
import struct
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any

MAGIC = b"SNAPDISK1\n"


@dataclass(frozen=True, eq=False)  # hashed by identity: the chunk cache keys on it
class DiskImage:
    name: str
    volume_bytes: int
    block_bytes: int
    partitioned: bool
    versions: tuple[dict[int, int], ...]  # per version: block index -> chunk number
    times: tuple[int, ...]  # when each version's changes were made (epoch seconds)
    manifest: tuple[dict[str, dict[str, Any]], ...]  # per version: path -> entry
    _blob: bytes
    _chunks: tuple[tuple[int, int], ...]  # chunk number -> (offset, length) in _blob

    @property
    def footprint(self) -> set[int]:
        """Block indices some version holds data at."""
        out: set[int] = set()
        for version in self.versions:
            out.update(version)
        return out

    def changed(self, before: int | None, after: int) -> list[int]:
        """Block indices whose bytes differ from version ``before`` (None: blank) to ``after``."""
        old = self.versions[before] if before is not None else {}
        new = self.versions[after]
        return sorted(i for i in set(old) | set(new) if old.get(i) != new.get(i))

    def block(self, version: int, index: int) -> bytes:
        chunk = self.versions[version].get(index)
        if chunk is None:
            return bytes(self.block_bytes)
        return _decompress(self, chunk)


@functools.lru_cache(maxsize=64)
def _decompress(image: DiskImage, chunk: int) -> bytes:
    offset, length = image._chunks[chunk]
    return lzma.decompress(image._blob[offset : offset + length])


_lock = threading.Lock()
_loaded: dict[str, DiskImage] = {}


def load(name: str) -> DiskImage:
    """The packed image ``name`` (snaptui/demo/disks/NAME.pack), read once per process."""
    with _lock:
        if name not in _loaded:
            raw = resources.files("snaptui.demo").joinpath(f"disks/{name}.pack").read_bytes()
            _loaded[name] = parse(raw)
        return _loaded[name]


def parse(raw: bytes) -> DiskImage:
    if not raw.startswith(MAGIC):
        raise ValueError("not a snaptui disk pack")
    (length,) = struct.unpack(">Q", raw[len(MAGIC) : len(MAGIC) + 8])
    start = len(MAGIC) + 8
    header = json.loads(raw[start : start + length])
    blob = raw[start + length :]
    return DiskImage(
        name=str(header["name"]),
        volume_bytes=int(header["volume_bytes"]),
        block_bytes=int(header["block_bytes"]),
        partitioned=bool(header["partitioned"]),
        versions=tuple({int(i): int(c) for i, c in v} for v in header["versions"]),
        times=tuple(int(t) for t in header["times"]),
        manifest=tuple(header["manifest"]),
        _blob=blob,
        _chunks=tuple((int(o), int(n)) for o, n, _ in header["chunks"]),
    )
