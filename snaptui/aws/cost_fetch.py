"""Fetch what exact cost figures need (one diff per lineage edge) and build the cost review.

Regions run in parallel; within a region a few threads share the region's rate limiter, so
together they stay at EBS direct's 50 requests/s. Known edges come from the disk cache with no
call. A failure does not stop the review: AccessDenied or an endpoint without the API stops
that region's calls and leaves estimates marked with the reason; UNRELATED_SNAPSHOTS cuts the
lineage (the child becomes a root, sized by FullSnapshotSizeInBytes).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from snaptui.aws.changed_blocks import (
    CallCounter,
    Cancelled,
    list_changed_blocks_all,
    list_snapshot_blocks_count,
    unrelated,
)
from snaptui.aws.diff_cache import DiffCache, default_cache_root
from snaptui.aws.errors import problem_from
from snaptui.aws.rate_limit import LimiterRegistry, RateLimiter
from snaptui.aws.session import AwsContext
from snaptui.core.browse import Fleet, is_copy
from snaptui.cost.blocks import BLOCK_BYTES, EdgeDiff
from snaptui.cost.lineage import build_lineages
from snaptui.cost.pricing import Prices, bundled_prices, parse_pricing_products
from snaptui.cost.report import (
    AccountCosts,
    PriceBook,
    RegionCosts,
    SnapshotFlags,
    build_region_costs,
    bundled_book,
    split_lineages,
)
from snaptui.models import Problem, ProblemKind, RegionInventory

# One limiter per (profile, region) for the whole process: a UI refresh started while an
# earlier run is still going shares the budget instead of doubling it.
LIMITERS = LimiterRegistry()
# Per region: requests in flight needed to reach 50 req/s is 50 x round trip, so 12 threads
# keep up with round trips up to ~240 ms (the client's connection pool holds 20).
DIFF_WORKERS = 12

Progress = Callable[[str, int, int], None]  # region, edges done, edges total

_STOP_KINDS = {
    ProblemKind.ACCESS_DENIED: "estimate: no ebs:ListChangedBlocks permission (AccessDenied)",
    ProblemKind.NOT_SUPPORTED: "estimate: this endpoint does not support the EBS direct APIs",
    ProblemKind.NO_CREDENTIALS: "estimate: no credentials for the EBS direct APIs",
    ProblemKind.EXPIRED_CREDENTIALS: "estimate: credentials expired",
    ProblemKind.UNREACHABLE: "estimate: the EBS direct endpoint is unreachable",
    ProblemKind.REGION_DISABLED: "estimate: region not enabled",
}
REASON_CANCELLED = "estimate: cancelled before its diff was fetched"


@dataclass
class _RegionRun:
    """Mutable state of one region's fetch, shared by its worker threads under ``lock``."""

    region: str
    limiter: RateLimiter
    client: Any
    cache: DiffCache | None
    cancel: threading.Event
    on_progress: Progress | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    diffs: dict[tuple[str, str], EdgeDiff] = field(default_factory=dict)
    breaks: set[tuple[str, str]] = field(default_factory=set)
    reasons: dict[str, str] = field(default_factory=dict)  # child id -> why not exact
    problems: dict[ProblemKind, Problem] = field(default_factory=dict)
    stop_reason: str = ""
    total: int = 0
    done: int = 0
    calls: CallCounter = field(default_factory=CallCounter)
    hits: int = 0
    cancelled: bool = False

    def progress(self, *, extra_total: int = 0, done: int = 0) -> None:
        with self.lock:
            self.total += extra_total
            self.done += done
            total, now = self.total, self.done
        if self.on_progress is not None:
            self.on_progress(self.region, now, total)

    def fail(self, key: str, exc: BaseException, operation: str) -> None:
        """Record why ``key``'s figures are estimates; stop the region on a lasting failure."""
        problem = problem_from(exc, self.region, operation)
        with self.lock:
            self.problems.setdefault(problem.kind, problem)
            reason = _STOP_KINDS.get(problem.kind)
            if reason is not None:
                self.stop_reason = self.stop_reason or reason
                self.stop.set()
            elif problem.kind is ProblemKind.THROTTLED:
                reason = f"estimate: {operation} still throttled after retries"
            else:
                reason = f"estimate: {operation} failed ({problem.message})"
            self.reasons[key] = reason

    def skipped_reason(self) -> str:
        if self.stop_reason:
            return self.stop_reason
        return REASON_CANCELLED


def _fetch_edge(run: _RegionRun, parent: str, child: str) -> None:
    if run.stop.is_set() or run.cancel.is_set():
        with run.lock:
            run.reasons.setdefault(child, run.skipped_reason())
            run.cancelled = run.cancelled or run.cancel.is_set()
        return
    try:
        result = list_changed_blocks_all(
            run.client, parent, child, run.limiter, cancel=run.cancel, counter=run.calls
        )
    except Cancelled:
        with run.lock:
            run.reasons.setdefault(child, REASON_CANCELLED)
            run.cancelled = True
        return
    except Exception as exc:  # every failure becomes a reason; none reaches the caller
        if unrelated(exc):
            with run.lock:
                run.breaks.add((parent, child))
            if run.cache is not None:
                run.cache.put_unrelated(run.region, parent, child)
        else:
            run.fail(child, exc, "ListChangedBlocks")
        run.progress(done=1)
        return
    with run.lock:
        run.diffs[(parent, child)] = result.diff
    if run.cache is not None:
        run.cache.put_edge(run.region, result.diff, result.pages)
    run.progress(done=1)


def _root_sizes(run: _RegionRun, roots: Sequence[str], full: dict[str, int]) -> None:
    """Count blocks of roots whose FullSnapshotSizeInBytes is unknown (ListSnapshotBlocks)."""
    missing = [r for r in roots if r not in full]
    if not missing:
        return
    run.progress(extra_total=len(missing))
    for root in missing:
        cached = run.cache.get_count(run.region, root) if run.cache is not None else None
        if cached is not None:
            full[root] = cached[0] * BLOCK_BYTES
            with run.lock:
                run.hits += 1
            run.progress(done=1)
            continue
        if run.stop.is_set() or run.cancel.is_set():
            run.reasons.setdefault(root, run.skipped_reason())
            run.cancelled = run.cancelled or run.cancel.is_set()
            continue
        try:
            blocks, listed = list_snapshot_blocks_count(
                run.client, root, run.limiter, cancel=run.cancel, counter=run.calls
            )
        except Cancelled:
            run.reasons.setdefault(root, REASON_CANCELLED)
            run.cancelled = True
            continue
        except Exception as exc:  # the root stays an estimate, with the reason
            run.fail(root, exc, "ListSnapshotBlocks")
            run.progress(done=1)
            continue
        full[root] = blocks * BLOCK_BYTES
        if run.cache is not None:
            run.cache.put_count(run.region, root, blocks, listed.pages)
        run.progress(done=1)


def _flags(inv: RegionInventory, fleet: Fleet) -> dict[str, SnapshotFlags]:
    return {
        s.id: SnapshotFlags(
            orphan=fleet.is_orphan(s), copy=is_copy(s), in_ami=bool(fleet.images_using(s.id))
        )
        for s in inv.snapshots
    }


def compute_region(
    ctx: AwsContext,
    inv: RegionInventory,
    *,
    prices: PriceBook,
    cache: DiffCache | None = None,
    fleet: Fleet | None = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
    limiters: LimiterRegistry | None = None,
    workers: int = DIFF_WORKERS,
) -> RegionCosts:
    """One region's figures: diffs from the cache or ListChangedBlocks, older edges first."""
    region = inv.region
    price, stand_in = prices.for_region(region)
    run = _RegionRun(
        region,
        (limiters or LIMITERS).get(ctx.profile_label, region),
        None,
        cache,
        cancel or threading.Event(),
        on_progress,
    )
    standard = [s for s in inv.snapshots if s.storage_tier != "archive"]
    lineages = build_lineages(standard, inv.volumes)
    full = {s.id: s.full_size_bytes for s in inv.snapshots if s.full_size_bytes}
    edges = [e for lin in lineages for e in lin.edges()]
    run.progress(extra_total=len(edges))

    todo: list[tuple[str, str]] = []
    for parent, child in edges:
        hit = cache.get_edge(region, parent, child) if cache is not None else None
        if hit is None:
            todo.append((parent, child))
            continue
        if hit.diff is None:
            run.breaks.add((parent, child))
        else:
            run.diffs[(parent, child)] = hit.diff
        run.hits += 1
    if run.hits:
        run.progress(done=run.hits)

    if todo or any(lin.root not in full for lin in lineages):
        try:
            run.client = ctx.client("ebs", region)
        except Exception as exc:  # a client that cannot be built: every figure estimated
            run.fail("", exc, "ListChangedBlocks")
    if todo and run.client is not None:
        # Edges go in lineage order (older first); threads only overlap round trips.
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
            list(pool.map(lambda e: _fetch_edge(run, *e), todo))
    elif todo:
        run.reasons.update({c: run.skipped_reason() for _, c in todo})

    lineages = split_lineages(lineages, run.breaks)
    if run.client is not None:
        _root_sizes(run, [lin.root for lin in lineages], full)

    out = build_region_costs(
        region,
        inv.snapshots,
        lineages,
        full,
        run.diffs,
        price,
        price_stand_in=stand_in,
        reasons=run.reasons,
        default_reason=run.stop_reason or "estimate: diff not fetched",
        flags=_flags(inv, fleet or Fleet.build({region: inv})),
    )
    out.problems = list(run.problems.values())
    out.edges_total, out.edges_done = run.total, run.done
    out.api_calls, out.cache_hits = run.calls.value, run.hits
    out.complete = not run.cancelled
    return out


def compute_costs(
    ctx: AwsContext,
    inventories: Sequence[RegionInventory],
    *,
    cache: DiffCache | None = None,
    on_progress: Progress | None = None,
    on_region: Callable[[RegionCosts], None] | None = None,
    cancel: threading.Event | None = None,
    prices: PriceBook | None = None,
    limiters: LimiterRegistry | None = None,
    workers: int = DIFF_WORKERS,
) -> AccountCosts:
    """The account's cost review: regions in parallel, each delivered to ``on_region`` when done.

    ``on_progress(region, done, total)`` reports edges (and root counts) as they settle. Never
    raises for AWS errors: they are on each RegionCosts' ``problems`` and in estimate reasons.
    """
    book = prices or bundled_book()
    account = AccountCosts(ctx.profile_label, book, generated_at=datetime.now(UTC))
    fleet = Fleet.build({inv.region: inv for inv in inventories})
    lock = threading.Lock()

    def one(inv: RegionInventory) -> RegionCosts:
        try:
            rc = compute_region(
                ctx, inv, prices=book, cache=cache, fleet=fleet, on_progress=on_progress,
                cancel=cancel, limiters=limiters, workers=workers,
            )  # fmt: skip
        except Exception as exc:  # a bug or a broken cache dir must not lose other regions
            price, stand_in = book.for_region(inv.region)
            rc = RegionCosts(inv.region, price, stand_in, problems=[problem_from(exc, inv.region)])
        with lock:
            account.regions[inv.region] = rc
        if on_region is not None:
            on_region(rc)
        return rc

    if inventories:
        with ThreadPoolExecutor(max_workers=min(8, len(inventories))) as pool:
            list(pool.map(one, inventories))
    # Deterministic order for output, whatever order regions finished in.
    account.regions = {inv.region: account.regions[inv.region] for inv in inventories}
    return account


# --- live prices -----------------------------------------------------------------------------

PRICES_FILE = "prices-live.json"
PRICE_MAX_AGE = timedelta(days=1)
_PRICING_REGION = "us-east-1"  # the Pricing API's endpoint region (also ap-south-1)


def pricing_client(ctx: AwsContext) -> Any:
    """A Pricing API client (served from us-east-1 for every region's prices).

    Through ctx.client, so the read-only guard and the audit log see it like every other
    call; two attempts only: prices are optional with a bundled fallback, and an endpoint
    without the API (moto answers HTTP 500) must not keep the user waiting.
    """
    return ctx.client("pricing", _PRICING_REGION, max_attempts=2)


def fetch_live_prices(
    ctx: AwsContext,
    *,
    cache_root: Path | None = None,
    client: Any = None,
    now: datetime | None = None,
    max_age: timedelta = PRICE_MAX_AGE,
) -> tuple[PriceBook, list[str]]:
    """Prices from the Pricing API (cached for ``max_age``), else the bundled table.

    Only called when the user allowed it (--live-prices, or the UI's action). Returns the book
    and notes to show: a failure (moto does not implement Pricing; pricing:GetProducts may be
    denied) falls back to the bundled table and says so, never raises.
    """
    now = now or datetime.now(UTC)
    path = (cache_root or ctx.target.cache_root or default_cache_root()) / PRICES_FILE
    cached = _read_prices(path, now, max_age)
    if cached is not None:
        return cached, []
    bundled = bundled_book()
    try:
        pricing = client if client is not None else pricing_client(ctx)
        items: list[str] = []
        filters = [{"Type": "TERM_MATCH", "Field": "productFamily", "Value": "Storage Snapshot"}]
        for page in pricing.get_paginator("get_products").paginate(
            ServiceCode="AmazonEC2", Filters=filters
        ):
            items.extend(str(i) for i in page.get("PriceList", ()))
        live = parse_pricing_products(items, fallback=bundled_prices())
    except Exception as exc:  # any failure: keep working on the bundled table
        problem = problem_from(exc, _PRICING_REGION, "GetProducts")
        return bundled, [f"live prices unavailable ({problem}); using the {bundled.source}"]
    if not live:
        return bundled, [f"the Pricing API returned no snapshot prices; using the {bundled.source}"]
    table = {**bundled_prices(), **live}
    book = PriceBook(table, f"AWS Pricing API, fetched {now:%Y-%m-%d %H:%M} UTC", live=True)
    _write_prices(path, table, now)
    return book, []


def _read_prices(path: Path, now: datetime, max_age: timedelta) -> PriceBook | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        fetched = datetime.fromisoformat(str(doc["fetched_at"]))
        if not now - max_age <= fetched <= now:
            return None
        table = {
            str(r): Prices(float(p["standard"]), float(p["archive"]), float(p["retrieval"]))
            for r, p in doc["regions"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing or corrupt: fetch again
    return PriceBook(table, f"AWS Pricing API, fetched {fetched:%Y-%m-%d %H:%M} UTC", live=True)


def _write_prices(path: Path, table: Mapping[str, Prices], now: datetime) -> None:
    import os
    import tempfile

    doc = {
        "fetched_at": now.isoformat(),
        "regions": {
            r: {"standard": p.standard, "archive": p.archive, "retrieval": p.retrieval}
            for r, p in table.items()
        },
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-prices-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        Path(tmp).replace(path)
    except OSError:
        pass  # the cache is an optimisation; the figures are already in hand
