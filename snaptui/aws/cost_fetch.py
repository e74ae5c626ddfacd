"""Fetch what exact cost figures need and build the cost review.

Per region: remember what the inventory shows (cost.evidence, kept in the diff cache), plan the
lineages, ask AWS the probes the evidence cannot answer (one ListChangedBlocks each, cached
forever), then one diff per lineage edge, older edges first. Regions run in parallel; within a
region a few threads share the region's rate limiter, so together they stay at EBS direct's 50
requests/s. A failure does not stop the review: AccessDenied or an endpoint without the API
stops that region's calls and leaves bounds marked with the reason; UNRELATED_SNAPSHOTS on an
edge cuts the lineage (the child becomes a root, stored in full).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from snaptui.aws.diff_cache import DiffCache
from snaptui.aws.edge_fetch import Progress, RegionRun, fetch_edge, root_sizes
from snaptui.aws.errors import problem_from
from snaptui.aws.live_prices import fetch_live_prices
from snaptui.aws.rate_limit import LimiterRegistry
from snaptui.aws.session import AwsContext
from snaptui.core.browse import Fleet, is_copy
from snaptui.cost.evidence import Evidence, LineagePlan, plan_lineages
from snaptui.cost.lineage import BASIS_ROOT, Lineage
from snaptui.cost.report import (
    AccountCosts,
    PriceBook,
    RegionCosts,
    SnapshotFlags,
    build_region_costs,
    bundled_book,
    split_lineages,
)
from snaptui.models import RegionInventory

__all__ = ["DIFF_WORKERS", "LIMITERS", "Progress", "compute_costs", "fetch_live_prices"]

# One limiter per (profile, region) for the whole process: a UI refresh started while an
# earlier run is still going shares the budget instead of doubling it.
LIMITERS = LimiterRegistry()
# Per region: requests in flight needed to reach 50 req/s is 50 x round trip, so 12 threads
# keep up with round trips up to ~240 ms (the client's connection pool holds 20).
DIFF_WORKERS = 12
MAX_PROBE_ROUNDS = 64  # each round settles at least one snapshot; a guard against a loop


def _flags(inv: RegionInventory, fleet: Fleet) -> dict[str, SnapshotFlags]:
    return {
        s.id: SnapshotFlags(
            orphan=fleet.is_orphan(s), copy=is_copy(s), in_ami=bool(fleet.images_using(s.id))
        )
        for s in inv.snapshots
    }


def _evidence(run: RegionRun, inv: RegionInventory) -> Evidence:
    """What earlier runs saw, plus this inventory (written back when it taught us anything)."""
    ev = run.cache.get_evidence(inv.region) if run.cache is not None else Evidence()
    if ev.see(inv.snapshots, inv.volumes) and run.cache is not None:
        # The evidence helps the next run; this one has it in memory already.
        with contextlib.suppress(OSError):
            run.cache.put_evidence(inv.region, ev)
    return ev


def _probe_lineages(run: RegionRun, inv: RegionInventory, ev: Evidence) -> LineagePlan:
    """Plan, answer the probes the plan asks for (cache first), plan again until settled."""
    plan = plan_lineages(inv.region, inv.snapshots, inv.volumes, ev)
    for _ in range(MAX_PROBE_ROUNDS):
        ask = [p for p in plan.probes if p not in ev.probes]
        if not ask:
            break
        todo = []
        for pair in ask:
            cached = run.cached_edge(*pair)
            if cached == "miss":
                todo.append(pair)
            else:
                ev.probes[pair] = bool(cached)
        if run.client is None:  # no EBS client: nothing can be asked, every probe is open
            ev.probes.update(dict.fromkeys(todo))
        else:
            answers = run.run_all(lambda p, c: fetch_edge(run, p, c, probe=True), todo)
            ev.probes.update(zip(todo, answers, strict=True))
        plan = plan_lineages(inv.region, inv.snapshots, inv.volumes, ev)
    return plan


def _fetch_edges(run: RegionRun, lineages: Sequence[Lineage]) -> list[tuple[str, str]]:
    """Every edge's diff, from the cache or ListChangedBlocks; returns the edges left out."""
    edges = [e for lin in lineages for e in lin.edges()]
    run.progress(extra_total=len(edges))
    todo = []
    for parent, child in edges:
        if (parent, child) in run.diffs:  # a probe's answer
            run.progress(done=1)
        elif run.cached_edge(parent, child) == "miss":
            todo.append((parent, child))
        else:
            run.progress(done=1)
    if run.client is None:
        for _, child in todo:
            run.reasons.setdefault(child, run.stop_reason or "estimate: diff not fetched")
        return todo
    answers = run.run_all(lambda p, c: fetch_edge(run, p, c), todo)
    run.progress(done=sum(1 for a in answers if a is not None))
    return [e for e, a in zip(todo, answers, strict=True) if a is None]


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
    """One region's figures: lineages from evidence and probes, then one diff per edge."""
    region = inv.region
    price, stand_in = prices.for_region(region)
    limiter = (limiters or LIMITERS).get(ctx.profile_label, region)
    run = RegionRun(region, limiter, None, cache, cancel or threading.Event(), on_progress, workers)
    try:
        run.client = ctx.client("ebs", region)
    except Exception as exc:  # a client that cannot be built: every figure estimated
        run.fail("", exc, "ListChangedBlocks")
    ev = _evidence(run, inv)
    plan = _probe_lineages(run, inv, ev)
    missing = _fetch_edges(run, plan.lineages)
    lineages = split_lineages(plan.lineages, run.breaks)
    full = {s.id: s.full_size_bytes for s in inv.snapshots if s.full_size_bytes}
    stored_whole = [s for lin in lineages for s in lin.snapshot_ids
                    if lin.basis_of(s) == BASIS_ROOT]  # fmt: skip
    if run.client is not None:
        root_sizes(run, stored_whole, full)
    out = build_region_costs(
        region, inv.snapshots, lineages, full, run.diffs, price, price_stand_in=stand_in,
        reasons=run.reasons, default_reason=run.stop_reason or "estimate: diff not fetched",
        flags=_flags(inv, fleet or Fleet.build({region: inv})),
    )  # fmt: skip
    out.problems = list(run.problems.values())
    out.edges_total, out.edges_done = run.total, run.done
    out.probes = run.probe_calls.value
    out.probed_lineages = len(plan.probed)
    out.api_calls, out.cache_hits = run.calls.value + run.probe_calls.value, run.hits
    out.complete = (
        not run.cancelled
        and not missing
        and not any(lin.open for lin in lineages)
        and all(s in full for s in stored_whole)
    )
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
            rc.complete = False
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
