"""Open a snapshot's filesystems over the EBS direct APIs: one block cache for everything.

A ``FilesSession`` belongs to one app or CLI run. It holds the block cache (memory LRU plus
the on-disk store, namespaced per endpoint), one limiter per region for the List calls and one
for GetSnapshotBlock, and the running read stats, so the browser, history and diff share what
was fetched. Opening a snapshot lists its blocks once and parses the partition table; every
failure becomes an ``Unreadable`` naming its cause, with the volume restore as the way out.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from snaptui.aws.block_cache import BlockCache, DiskBlocks, MemoryBlocks
from snaptui.aws.changed_blocks import Cancelled
from snaptui.aws.diff_cache import default_cache_root
from snaptui.aws.identity import endpoint_label
from snaptui.aws.rate_limit import LimiterRegistry
from snaptui.aws.session import AwsContext
from snaptui.aws.snapshot_device import (
    GET_BLOCK_RATE,
    BlockReader,
    ChecksumMismatch,
    ReadStats,
    SnapshotFile,
)
from snaptui.files.fs import FileSystem, Part, Unreadable, open_disk

RESTORE_HINT = "use the volume restore (R) instead"


@dataclass
class OpenSnapshot:
    snapshot_id: str
    region: str
    reader: BlockReader
    device: SnapshotFile
    parts: list[Part]

    @property
    def filesystems(self) -> list[FileSystem]:
        return [p.fs for p in self.parts if p.fs is not None]

    def first(self) -> FileSystem:
        for part in self.parts:
            if part.fs is not None:
                return part.fs
        causes = "; ".join(p.problem for p in self.parts) or "nothing readable"
        raise Unreadable(f"{self.snapshot_id}: {causes} — {RESTORE_HINT}")

    def close(self) -> None:
        self.device.close()


def explain(exc: BaseException, snapshot_id: str) -> str:
    """Why a snapshot cannot be read from its blocks, in words a person can act on."""
    if isinstance(exc, Unreadable):
        return str(exc)
    if isinstance(exc, ChecksumMismatch):
        return f"{exc} (refused; try again)"
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code, message = str(err.get("Code", "")), str(err.get("Message", ""))
        reason = str(exc.response.get("Reason") or "")
        if code in ("AccessDeniedException", "AccessDenied"):
            what = "kms:Decrypt on its key" if "kms" in message.lower() else (
                "ebs:ListSnapshotBlocks and ebs:GetSnapshotBlock")  # fmt: skip
            return f"{snapshot_id}: access denied — needs {what}; {RESTORE_HINT}"
        if code == "ResourceNotFoundException":
            return f"{snapshot_id}: not found in this region (deleted?)"
        if code == "ValidationException" and "public" in message.lower():
            return f"{snapshot_id}: public snapshots cannot be read with the EBS direct APIs"
        if code == "ValidationException" and "status" in message.lower():
            return f"{snapshot_id}: still pending; its blocks can be read once it completes"
        detail = f"{code}{' ' + reason if reason else ''}: {message}".strip()
        return f"{snapshot_id}: {detail} — {RESTORE_HINT}"
    if isinstance(exc, BotoCoreError):
        return f"{snapshot_id}: {exc}"
    return f"{snapshot_id}: {exc.__class__.__name__}: {exc}"


@dataclass
class FilesSession:
    ctx: AwsContext
    cache_root: Path | None = None
    memory_blocks: int = 256  # 128 MiB
    stats: ReadStats = field(default_factory=ReadStats)
    cancel: threading.Event = field(default_factory=threading.Event)
    _cache: BlockCache = field(init=False)
    _list_limiters: LimiterRegistry = field(default_factory=LimiterRegistry)
    _get_limiters: LimiterRegistry = field(
        default_factory=lambda: LimiterRegistry(GET_BLOCK_RATE, burst=50)
    )

    def __post_init__(self) -> None:
        root = self.cache_root or self.ctx.target.cache_root or default_cache_root()
        disk = DiskBlocks(root, endpoint_label(self.ctx))  # tokens are unique per snapshot
        self._cache = BlockCache(MemoryBlocks(self.memory_blocks), disk)

    def reader(self, region: str, snapshot_id: str, cancel: threading.Event | None = None,
               stats: ReadStats | None = None) -> BlockReader:  # fmt: skip
        profile = self.ctx.profile_label
        return BlockReader(
            self.ctx.client("ebs", region), snapshot_id,
            self._list_limiters.get(profile, region), self._get_limiters.get(profile, region),
            self._cache, cancel or self.cancel, stats or self.stats,
        )  # fmt: skip

    def open(self, region: str, snapshot_id: str, *, cancel: threading.Event | None = None,
             stats: ReadStats | None = None) -> OpenSnapshot:  # fmt: skip
        """List the snapshot's blocks and find its filesystems. Raises Unreadable or Cancelled."""
        reader = self.reader(region, snapshot_id, cancel, stats)
        try:
            device = SnapshotFile(reader)
            parts = open_disk(device)  # type: ignore[arg-type]
        except (Unreadable, Cancelled):
            raise
        except (ClientError, BotoCoreError, ChecksumMismatch) as exc:
            raise Unreadable(explain(exc, snapshot_id)) from exc
        return OpenSnapshot(snapshot_id, region, reader, device, parts)


def describe_lineage(ctx: AwsContext, region: str, volume_id: str) -> list[dict[str, Any]]:
    """The volume's completed snapshots, newest first (what history walks)."""
    ec2 = ctx.client("ec2", region)
    out: list[dict[str, Any]] = []
    for page in ec2.get_paginator("describe_snapshots").paginate(
        Filters=[{"Name": "volume-id", "Values": [volume_id]}], OwnerIds=["self"]
    ):
        out.extend(page.get("Snapshots", ()))
    out.sort(key=lambda s: s["StartTime"], reverse=True)
    return out
