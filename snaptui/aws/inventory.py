"""Fetch what a region holds (instances, volumes, snapshots, AMIs), every page, regions in parallel.

Results stream: a caller's ``on_page`` sees each page as soon as it is parsed, so a UI can show
the first thousand snapshots of a 25k-snapshot region after one round trip. Within a region the
four calls run concurrently; ``fetch_region``/``fetch_all`` still return whole inventories for
headless callers.

Each call's failure is recorded as a Problem on that region and the other calls still run, so
an AccessDenied on DescribeInstances does not hide the snapshots. Failures that make the rest
of a region pointless (disabled region, bad credentials, endpoint down) stop that region only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from snaptui.aws import locks, parse, protection
from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.core import protection as facts
from snaptui.core.clock import Clock, utc_now
from snaptui.core.details import PUBLIC_CHECK
from snaptui.models import Problem, ProblemKind, RegionInventory

# After one of these, every further call to the region fails the same way.
_FATAL = frozenset(
    {
        ProblemKind.REGION_DISABLED,
        ProblemKind.NO_CREDENTIALS,
        ProblemKind.EXPIRED_CREDENTIALS,
        ProblemKind.UNREACHABLE,
    }
)

T = TypeVar("T")
SNAPSHOT_PAGE = 1000  # DescribeSnapshots' maximum page size: fewest round trips


def pages(client: Any, operation: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every page of a paginated call (botocore follows NextToken, empty pages included)."""
    yield from client.get_paginator(operation).paginate(**params)


@dataclass(frozen=True, slots=True)
class InventoryPage:
    """One page of one call, handed to ``on_page`` as soon as it is parsed."""

    region: str
    kind: str  # "snapshots" | "volumes" | "instances" | "images"
    items: tuple[Any, ...]
    number: int  # 1 for the first page of this call in this region
    last: bool  # no more pages of this call (also after a failure)


PageCallback = Callable[[InventoryPage], None]


def _snapshot_pages(ec2: Any, region: str) -> Iterator[tuple[Any, ...]]:
    config = {"PageSize": SNAPSHOT_PAGE}
    for page in pages(ec2, "describe_snapshots", OwnerIds=["self"], PaginationConfig=config):
        yield tuple(parse.snapshot_from(s, region) for s in page.get("Snapshots", ()))


def _public_ids(ec2: Any) -> set[str]:
    """Our snapshots anyone can restore: one paged query per region, not one per snapshot."""
    config = {"PageSize": SNAPSHOT_PAGE}
    found: set[str] = set()
    params = {"OwnerIds": ["self"], "RestorableByUserIds": ["all"], "PaginationConfig": config}
    for page in pages(ec2, "describe_snapshots", **params):
        found.update(str(s.get("SnapshotId", "")) for s in page.get("Snapshots", ()))
    return found


def _lock_texts(ec2: Any) -> dict[str, str]:
    """Snapshot id -> its lock ("compliance until 2036-01-01"), for every lock in the region."""
    found: dict[str, str] = {}
    for info in locks.lock_infos(ec2):
        state = str(info.get("LockState", ""))
        if state in locks.LOCKED_STATES:
            until = info.get("LockExpiresOn")
            when = f" until {until:%Y-%m-%d}" if until is not None else ""
            found[str(info.get("SnapshotId", ""))] = state + when
    return found


def _volume_pages(ec2: Any, region: str) -> Iterator[tuple[Any, ...]]:
    for page in pages(ec2, "describe_volumes", PaginationConfig={"PageSize": 500}):
        yield tuple(parse.volume_from(v, region) for v in page.get("Volumes", ()))


def _instance_pages(ec2: Any, region: str) -> Iterator[tuple[Any, ...]]:
    for page in pages(ec2, "describe_instances"):
        yield tuple(
            parse.instance_from(i, region)
            for reservation in page.get("Reservations", ())
            for i in reservation.get("Instances", ())
        )


def _image_pages(ec2: Any, region: str) -> Iterator[tuple[Any, ...]]:
    for page in pages(ec2, "describe_images", Owners=["self"]):
        yield tuple(parse.image_from(i, region) for i in page.get("Images", ()))


_CALLS: tuple[tuple[str, str, Callable[[Any, str], Iterator[tuple[Any, ...]]]], ...] = (
    ("snapshots", "DescribeSnapshots", _snapshot_pages),
    ("volumes", "DescribeVolumes", _volume_pages),
    ("instances", "DescribeInstances", _instance_pages),
    ("images", "DescribeImages", _image_pages),
)


# Region-wide facts about the snapshots, each one call (or a few) beside the four above.
_EXTRAS: tuple[tuple[str, Callable[[AwsContext, str], Any]], ...] = (
    (facts.DLM_LIST, protection.dlm_policies),
    (facts.RBIN_LIST, protection.bin_rules),
    (facts.FSR_LIST, protection.fast_restores),
)


class _RegionFetch:
    """The four calls of one region; each appends to its own list, so no lock is needed."""

    def __init__(self, ec2: Any, region: str, on_page: PageCallback | None) -> None:
        self.ec2, self.region, self.on_page = ec2, region, on_page
        self.inv = RegionInventory(region=region)
        self.fatal = threading.Event()
        self._problems_lock = threading.Lock()
        self.no_snapshots = False  # DescribeSnapshots failed: nothing to check or flag

    def first(self, kind: str, operation: str, iterator: Iterator[tuple[Any, ...]]) -> bool:
        """The first page alone; False when the rest of the region need not be asked."""
        try:
            items = next(iterator)
        except StopIteration:
            return True
        except Exception as exc:  # recorded where it happened, never raised to the UI
            self._problem(problem_from(exc, self.region, operation))
            self.no_snapshots = True
            if self.fatal.is_set():
                self._emit(kind, (), 1, last=True)
                return False
            return True  # e.g. DescribeSnapshots denied: the other calls may still answer
        getattr(self.inv, kind).extend(items)
        self._emit(kind, items, 1, last=False)
        return True

    def stream(
        self, kind: str, operation: str, iterator: Iterator[tuple[Any, ...]], number: int = 0
    ) -> None:
        """Pull pages until done, failed, or the region failed fatally elsewhere."""
        target: list[Any] = getattr(self.inv, kind)
        try:
            for items in iterator:
                number += 1
                target.extend(items)
                self._emit(kind, items, number, last=False)
                if self.fatal.is_set():
                    break
        except Exception as exc:  # recorded where it happened, never raised to the UI
            self._problem(problem_from(exc, self.region, operation))
        self._emit(kind, (), number + 1, last=True)

    def optional(self, operation: str, call: Callable[[], T], *, quiet: bool = True) -> T | None:
        """A call that annotates the snapshots; None (and a Problem where it happened) when the
        region would not say. ``quiet``: an endpoint that has no such API is not a problem."""
        if self.fatal.is_set() or self.no_snapshots:
            return None
        try:
            return call()
        except Exception as exc:  # recorded where it happened: the detail says "unknown"
            problem = problem_from(exc, self.region, operation)
            if not (quiet and problem.kind is ProblemKind.NOT_SUPPORTED):
                self._problem(problem)
            return None

    def mark(self, public: set[str] | None, locks: dict[str, str] | None) -> None:
        """Each snapshot's public flag and lock (None stays: unknown)."""
        for snap in self.inv.snapshots:
            if public is not None:
                snap.public = snap.id in public
            if locks is not None:
                snap.lock = locks.get(snap.id, "")

    def _emit(self, kind: str, items: tuple[Any, ...], number: int, *, last: bool) -> None:
        if self.on_page is not None:
            self.on_page(InventoryPage(self.region, kind, items, number, last))

    def _problem(self, problem: Problem) -> None:
        with self._problems_lock:
            if problem.kind in _FATAL:
                if self.fatal.is_set():
                    return  # the same failure again from a concurrent call: report it once
                self.fatal.set()
            self.inv.problems.append(problem)


def fetch_region(
    ctx: AwsContext,
    region: str,
    *,
    clock: Clock = utc_now,
    on_page: PageCallback | None = None,
) -> RegionInventory:
    """Everything the region holds. The four calls run concurrently once the first page of
    DescribeSnapshots has answered (a disabled region or bad credentials then cost one call),
    with the public check and the region's locks beside them;
    ``on_page`` sees every page of every call as it arrives, from worker threads."""
    ec2 = ctx.client("ec2", region)
    fetch = _RegionFetch(ec2, region, on_page)
    kind, operation, make = _CALLS[0]
    snapshots = make(ec2, region)
    if fetch.first(kind, operation, snapshots):
        with ThreadPoolExecutor(max_workers=len(_CALLS) + 4) as pool:
            others = [pool.submit(fetch.stream, k, op, m(ec2, region)) for k, op, m in _CALLS[1:]]
            public = pool.submit(
                fetch.optional, PUBLIC_CHECK, lambda: _public_ids(ec2), quiet=False
            )
            locks = pool.submit(fetch.optional, "DescribeLockedSnapshots", lambda: _lock_texts(ec2))
            extras = [
                pool.submit(fetch.optional, op, partial(call, ctx, region)) for op, call in _EXTRAS
            ]
            fetch.stream(kind, operation, snapshots, number=1)
            for future in others:
                future.result()
            fetch.mark(public.result(), locks.result())
            inv = fetch.inv
            inv.dlm_policies, inv.bin_rules, inv.fast_restores = (f.result() for f in extras)
    fetch.inv.fetched_at = clock()
    return fetch.inv


def fetch_all(
    ctx: AwsContext,
    regions: Sequence[str],
    *,
    on_region: Callable[[RegionInventory], None] | None = None,
    on_page: PageCallback | None = None,
    max_workers: int = 8,
    clock: Clock = utc_now,
) -> list[RegionInventory]:
    """Fetch regions in parallel; ``on_region`` sees each as soon as it is complete."""
    results: list[RegionInventory] = []
    if not regions:
        return results

    def one(region: str) -> RegionInventory:
        try:
            inv = fetch_region(ctx, region, clock=clock, on_page=on_page)
        except Exception as exc:  # e.g. a client that cannot be built for this region
            inv = RegionInventory(region=region, problems=[problem_from(exc, region)])
            inv.fetched_at = clock()
        if on_region is not None:
            on_region(inv)
        return inv

    with ThreadPoolExecutor(max_workers=min(max_workers, len(regions))) as pool:
        results = list(pool.map(one, regions))
    return results
