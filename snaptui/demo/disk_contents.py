"""What the demo world's blocks hold: real filesystem bytes for some volumes, filler for others.

The block world (demo/blocks.py) records only which block versions exist. A volume *bound* to
a packed disk image (demo/disk_images.py) holds that image's bytes: binding writes every block
the image uses, and before each later snapshot the seed calls ``before_snapshot``, which writes
exactly the blocks the next image version changes. So a snapshot's blocks are always the bytes
of the image version current when it was taken, ListSnapshotBlocks/ListChangedBlocks (and so the
cost engine) see those writes as ordinary block versions, and blocks the volume also wrote
that the filesystem does not use (the seed's churn: freed space, temp files) keep whatever
the filesystem left there. Blocks of unbound volumes are deterministic filler derived from
their token, which no filesystem parser recognises.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
import weakref
from dataclasses import dataclass, field

from snaptui.demo.blocks import BLOCK_BYTES, BlockWorld
from snaptui.demo.disk_images import DiskImage, load


@dataclass
class Binding:
    image: DiskImage
    footprint: frozenset[int]
    seqs: list[int] = field(default_factory=list)  # ascending seqs at which versions apply
    versions: list[int] = field(default_factory=list)  # the version applied at each seq
    snapshots: int = 0

    def version_at(self, seq: int) -> int:
        pos = bisect.bisect_right(self.seqs, seq)
        return self.versions[max(0, pos - 1)]


class DiskContents:
    """Bindings of volume histories to disk images, for one block world."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_history: dict[int, Binding] = {}
        self._by_volume: dict[str, Binding] = {}

    def bind(self, world: BlockWorld, volume_id: str, image_name: str) -> DiskImage:
        """The volume now holds version 0 of the image (written at its next seq)."""
        image = load(image_name)
        history, seq = world.volume_position(volume_id)
        binding = Binding(image, frozenset(image.footprint), [seq], [0])
        with self._lock:
            self._by_history[history] = binding
            self._by_volume[volume_id] = binding
        world.write(volume_id, image.changed(None, 0))
        return image

    def before_snapshot(self, world: BlockWorld, volume_id: str) -> int | None:
        """Write the next image version's changes; returns the version the snapshot will hold."""
        with self._lock:
            binding = self._by_volume.get(volume_id)
        if binding is None:
            return None
        binding.snapshots += 1
        current = binding.versions[-1]
        if binding.snapshots == 1 or current + 1 >= len(binding.image.versions):
            return current  # the first snapshot holds version 0; past the last, no change
        _, seq = world.volume_position(volume_id)
        world.write(volume_id, binding.image.changed(current, current + 1))
        binding.seqs.append(seq)
        binding.versions.append(current + 1)
        return current + 1

    def block(self, world: BlockWorld, snapshot_id: str, index: int) -> bytes | None:
        """The 512 KiB the snapshot holds at ``index``; None when the block is absent."""
        origin = world.origin(snapshot_id, index)
        if origin is None:
            return None
        history, _, seq = origin
        binding = self._by_history.get(history)
        if binding is not None and index in binding.footprint:
            return binding.image.block(binding.version_at(seq), index)
        return filler(f"{history}.{index}.{seq}")


def filler(token: str) -> bytes:
    """Deterministic bytes for a block no filesystem describes (old data, free space)."""
    digest = hashlib.sha256(token.encode()).digest()
    return digest * (BLOCK_BYTES // len(digest))


_registry: weakref.WeakKeyDictionary[BlockWorld, DiskContents] = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def contents_of(world: BlockWorld) -> DiskContents:
    """The contents registry of a block world (a new world starts with no bindings)."""
    with _registry_lock:
        if world not in _registry:
            _registry[world] = DiskContents()
        return _registry[world]
