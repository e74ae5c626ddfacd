"""A snapshot as a read-only, seekable file, read block by block with the EBS direct APIs.

``ListSnapshotBlocks`` says which 512 KiB blocks are written; every other block reads as zeros
without a call. A written block is looked up in the shared cache (memory, then disk) and only
then fetched with ``GetSnapshotBlock``, paced by the region's limiter, and verified against the
SHA-256 AWS sends: a mismatch is refused (ChecksumMismatch), never returned. Block tokens expire
(AWS: 7 days), so an INVALID_BLOCK_TOKEN answer re-lists the snapshot once and retries. Reads
that continue where the last one ended start a read-ahead of the next blocks in a few threads.
Setting the cancel event stops everything at once: waiting reads raise Cancelled.

Prices (EBS direct APIs, us-east-1): GetSnapshotBlock $0.003 per 1,000 blocks returned; the
List calls $0.0006 per 1,000 requests. GetSnapshotBlock's own quota is about 1,000 requests/s
per account and region, so it gets its own limiter, separate from the List calls' 50/s.
"""

from __future__ import annotations

import base64
import hashlib
import io
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from snaptui.aws.block_cache import BlockCache
from snaptui.aws.changed_blocks import PAGE_SIZE, CallCounter, Cancelled, _call, _pages
from snaptui.aws.rate_limit import RateLimiter

BLOCK_BYTES = 512 * 1024
GET_BLOCK_RATE = 960.0  # under GetSnapshotBlock's ~1,000/s per account and region
GET_PRICE_PER_1000 = 0.003
LIST_PRICE_PER_1000 = 0.0006
READ_AHEAD = 8  # blocks (4 MiB) fetched ahead of a sequential reader
READ_THREADS = 4


class ChecksumMismatch(Exception):
    """A block's bytes did not match the SHA-256 AWS sent with them."""


@dataclass
class ReadStats:
    """What reading cost so far: shared by every device of one job, updated from threads."""

    get_calls: int = 0  # GetSnapshotBlock requests sent (each is a billed block)
    list_calls: int = 0
    cache_hits: int = 0
    zero_blocks: int = 0  # unlisted blocks served as zeros, no call
    bytes_fetched: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)

    @property
    def cost_usd(self) -> float:
        return self.get_calls * GET_PRICE_PER_1000 / 1000 + (
            self.list_calls * LIST_PRICE_PER_1000 / 1000
        )


def block_cost_usd(blocks: int) -> float:
    return blocks * GET_PRICE_PER_1000 / 1000


@dataclass(frozen=True)
class Listing:
    tokens: dict[int, str]  # block index -> token, written blocks only
    volume_bytes: int
    block_bytes: int


def list_blocks(
    client: Any,
    snapshot_id: str,
    limiter: RateLimiter,
    *,
    cancel: threading.Event | None = None,
    stats: ReadStats | None = None,
) -> Listing:
    """Every page of ListSnapshotBlocks (short or empty pages with a NextToken included)."""
    counter = CallCounter()
    tokens: dict[int, str] = {}
    volume_gib, block = 0, BLOCK_BYTES
    params = {"SnapshotId": snapshot_id, "MaxResults": PAGE_SIZE}
    try:
        for page in _pages(client.list_snapshot_blocks, params, limiter, cancel, counter, _sleep):
            volume_gib = int(page.get("VolumeSize") or volume_gib)
            block = int(page.get("BlockSize") or block)
            for entry in page.get("Blocks", ()):
                tokens[int(entry["BlockIndex"])] = str(entry["BlockToken"])
    finally:
        if stats is not None:
            stats.add(list_calls=counter.value)
    if block != BLOCK_BYTES:
        raise ValueError(f"unexpected BlockSize {block} for {snapshot_id}")
    return Listing(tokens, volume_gib * 1024**3, block)


def _sleep(seconds: float) -> None:
    threading.Event().wait(seconds)


def _reason(exc: ClientError) -> str:
    return str(exc.response.get("Reason") or "")


@dataclass
class BlockReader:
    """Fetches, verifies and caches one snapshot's blocks; shared by the threads reading it."""

    client: Any
    snapshot_id: str
    list_limiter: RateLimiter
    get_limiter: RateLimiter
    cache: BlockCache
    cancel: threading.Event = field(default_factory=threading.Event)
    stats: ReadStats = field(default_factory=ReadStats)
    _listing: Listing | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def listing(self) -> Listing:
        with self._lock:
            if self._listing is None:
                self._listing = list_blocks(self.client, self.snapshot_id, self.list_limiter,
                                            cancel=self.cancel, stats=self.stats)  # fmt: skip
            return self._listing

    def _sleep(self, seconds: float) -> None:
        self.cancel.wait(seconds)  # a throttle backoff ends at once on cancel

    def relist(self) -> Listing:
        with self._lock:
            self._listing = None
        return self.listing

    def written(self, index: int) -> bool:
        return index in self.listing.tokens

    def block(self, index: int) -> bytes:
        """The 512 KiB at block ``index`` (zeros when unlisted)."""
        if self.cancel.is_set():
            raise Cancelled
        token = self.listing.tokens.get(index)
        if token is None:
            self.stats.add(zero_blocks=1)
            return bytes(BLOCK_BYTES)
        cached = self.cache.get(self.snapshot_id, token)
        if cached is not None:
            self.stats.add(cache_hits=1)
            return cached
        try:
            data = self._get(index, token)
        except ClientError as exc:
            if _reason(exc) != "INVALID_BLOCK_TOKEN":
                raise
            token = self.relist().tokens.get(index)  # expired: fresh tokens, one more try
            if token is None:
                return bytes(BLOCK_BYTES)
            data = self._get(index, token)
        self.cache.put(self.snapshot_id, token, data)
        return data

    def _get(self, index: int, token: str) -> bytes:
        counter = CallCounter()
        params = {"SnapshotId": self.snapshot_id, "BlockIndex": index, "BlockToken": token}
        try:
            answer = _call(self.client.get_snapshot_block, params, self.get_limiter, self.cancel,
                           counter, self._sleep)  # fmt: skip
        finally:
            self.stats.add(get_calls=counter.value)
        data = bytes(answer["BlockData"].read())
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
        algorithm = str(answer.get("ChecksumAlgorithm") or "SHA256")
        if algorithm != "SHA256" or digest != answer.get("Checksum"):
            raise ChecksumMismatch(
                f"block {index} of {self.snapshot_id}: checksum does not match its data"
            )
        self.stats.add(bytes_fetched=len(data))
        return data


class SnapshotFile(io.RawIOBase):
    """The snapshot's bytes as a read-only, seekable file (what dissect's parsers read)."""

    def __init__(self, reader: BlockReader, *, read_ahead: int = READ_AHEAD,
                 threads: int = READ_THREADS) -> None:  # fmt: skip
        super().__init__()
        self.reader = reader
        self.size = reader.listing.volume_bytes
        self._pos = 0
        self._last_end = -1
        self._read_ahead = read_ahead
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="snaptui-blocks")
        self._inflight: dict[int, Future[bytes]] = {}
        self._run = 0  # bytes read sequentially so far
        self._ahead_to = 0  # read-ahead has been started for blocks below this index
        self._lock = threading.Lock()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        end = min(self.size, self._pos + len(view))
        if end <= self._pos:
            return 0
        # Read ahead only for a stream: a run of sequential reads past one whole block.
        self._run = self._run + len(view) if self._pos == self._last_end else 0
        sequential = self._run >= BLOCK_BYTES
        done = 0
        pos = self._pos
        while pos < end:
            index, offset = divmod(pos, BLOCK_BYTES)
            take = min(end - pos, BLOCK_BYTES - offset)
            data = self._block(index)
            view[done : done + take] = data[offset : offset + take]
            done += take
            pos += take
        if sequential:
            self._prefetch(pos // BLOCK_BYTES + (1 if pos % BLOCK_BYTES else 0))
        else:  # a jump: what was read ahead lands in the cache anyway
            with self._lock:
                self._inflight.clear()
                self._ahead_to = 0
        self._pos = self._last_end = pos
        return done

    def _block(self, index: int) -> bytes:
        with self._lock:
            future = self._inflight.pop(index, None)
        if future is not None:
            return future.result()
        return self.reader.block(index)

    def _prefetch(self, first: int) -> None:
        last = min(first + self._read_ahead, -(-self.size // BLOCK_BYTES))
        with self._lock:
            first = max(first, self._ahead_to)
            self._ahead_to = max(self._ahead_to, last)
            for index in range(first, last):
                if index in self._inflight or not self.reader.written(index):
                    continue
                self._inflight[index] = self._pool.submit(self.reader.block, index)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        super().close()


Opener = Callable[[str], SnapshotFile]
