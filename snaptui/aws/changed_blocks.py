"""ListChangedBlocks / ListSnapshotBlocks, every page, through the region's rate limiter.

botocore has no paginator for these, so pages are followed by hand: a page may be short or even
empty while NextToken is still set, and only a missing NextToken ends the list. Every request
(retries included) first takes a slot from the shared limiter, so all threads together stay
within EBS direct's 50 requests/s per account and region.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from snaptui.aws.rate_limit import RateLimiter
from snaptui.cost.blocks import BLOCK_BYTES, EdgeDiff, edge_diff_from_entries

PAGE_SIZE = 10_000  # the API's maximum: fewest requests
THROTTLE_CODES = frozenset(
    {"RequestThrottledException", "ThrottlingException", "TooManyRequestsException"}
)
MAX_THROTTLE_RETRIES = 6


class CallCounter:
    """Requests sent, counted across threads (retries and failed calls included)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0

    def add(self, n: int = 1) -> None:
        with self._lock:
            self.value += n


class Cancelled(Exception):
    """The caller's cancel event was set; no further request was sent."""


def unrelated(exc: BaseException) -> bool:
    """AWS's answer for snapshots with no common ancestry: a lineage break, not a failure."""
    if not isinstance(exc, ClientError):
        return False
    return (
        exc.response.get("Error", {}).get("Code") == "ValidationException"
        and exc.response.get("Reason") == "UNRELATED_SNAPSHOTS"
    )


@dataclass(frozen=True, slots=True)
class Listed:
    """What a full listing took: pages received and requests sent (pages + retries)."""

    pages: int
    calls: int


@dataclass(frozen=True, slots=True)
class EdgeResult:
    diff: EdgeDiff
    pages: int
    calls: int


Sleep = Callable[[float], None]


def _call(
    fn: Callable[..., dict[str, Any]],
    params: dict[str, Any],
    limiter: RateLimiter,
    cancel: threading.Event | None,
    counter: CallCounter,
    sleep: Sleep,
) -> dict[str, Any]:
    """One request, retried with backoff while throttled; each attempt takes a limiter slot.

    botocore's own retry mode (AwsContext) retries throttles first; this loop covers what is
    left, e.g. another tool saturating the account's shared 50/s.
    """
    for attempt in range(MAX_THROTTLE_RETRIES + 1):
        if (cancel is not None and cancel.is_set()) or not limiter.acquire(cancel):
            raise Cancelled
        counter.add()
        try:
            return fn(**params)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code not in THROTTLE_CODES or attempt == MAX_THROTTLE_RETRIES:
                raise
        sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random() / 2))
    raise AssertionError("unreachable")


def _pages(
    fn: Callable[..., dict[str, Any]],
    params: dict[str, Any],
    limiter: RateLimiter,
    cancel: threading.Event | None,
    counter: CallCounter,
    sleep: Sleep,
) -> Iterator[dict[str, Any]]:
    token: str | None = None
    while True:
        page = _call(fn, {**params, **({"NextToken": token} if token else {})}, limiter, cancel,
                     counter, sleep)  # fmt: skip
        yield page
        token = page.get("NextToken") or None
        if token is None:
            return


def list_changed_blocks_all(
    client: Any,
    parent: str,
    child: str,
    limiter: RateLimiter,
    *,
    cancel: threading.Event | None = None,
    page_size: int = PAGE_SIZE,
    sleep: Sleep = time.sleep,
    counter: CallCounter | None = None,
) -> EdgeResult:
    """The diff parent -> child (older first), every page chained.

    Raises ClientError as AWS answered (see ``unrelated``), or Cancelled.
    """
    mine = CallCounter()
    entries: list[dict[str, Any]] = []
    pages = 0
    params = {"FirstSnapshotId": parent, "SecondSnapshotId": child, "MaxResults": page_size}
    try:
        for page in _pages(client.list_changed_blocks, params, limiter, cancel, mine, sleep):
            pages += 1
            entries.extend(page.get("ChangedBlocks", ()))
    finally:
        if counter is not None:
            counter.add(mine.value)
    return EdgeResult(edge_diff_from_entries(parent, child, entries), pages, mine.value)


def list_snapshot_blocks_count(
    client: Any,
    snapshot_id: str,
    limiter: RateLimiter,
    *,
    cancel: threading.Event | None = None,
    page_size: int = PAGE_SIZE,
    sleep: Sleep = time.sleep,
    counter: CallCounter | None = None,
) -> tuple[int, Listed]:
    """How many blocks a snapshot holds (for a root whose FullSnapshotSizeInBytes is unknown).

    Returns (blocks, Listed); bytes are blocks x BlockSize (512 KiB for every EBS snapshot).
    """
    mine = CallCounter()
    blocks = 0
    pages = 0
    params = {"SnapshotId": snapshot_id, "MaxResults": page_size}
    try:
        for page in _pages(client.list_snapshot_blocks, params, limiter, cancel, mine, sleep):
            pages += 1
            size = int(page.get("BlockSize") or BLOCK_BYTES)
            if size != BLOCK_BYTES:
                raise ValueError(f"unexpected BlockSize {size} for {snapshot_id}")
            blocks += len(page.get("Blocks", ()))
    finally:
        if counter is not None:
            counter.add(mine.value)
    return blocks, Listed(pages, mine.value)
