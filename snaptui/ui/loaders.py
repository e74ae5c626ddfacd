"""The jobs that fetch what the UI shows: regions, inventories, costs, prices.

Each function starts one job on the app's executor and returns at once; the job calls the
blocking functions of snaptui.aws and posts messages (ui/messages.py) stamped with the
generation, tickets or run it was given. The app decides what is current (ui/state.py);
nothing here reads or writes UI state.

A full load is two jobs: the regions (``load_regions``), then, once the app has handed out a
ticket per region, their inventories (``fetch_regions``, regions in parallel, each posted as
soon as it answers). Reloading one region after an action is one small job
(``reload_region``), and so is the cost of that one region (``compute_costs`` with one
inventory): nothing else restarts.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from snaptui.aws import imds, inventory, protection, regions, sharing
from snaptui.aws.cost_fetch import compute_costs, fetch_live_prices
from snaptui.aws.diff_cache import DiffCache
from snaptui.aws.errors import problem_from
from snaptui.aws.inventory_cache import InventoryCache
from snaptui.aws.session import AwsContext
from snaptui.core.clock import Clock
from snaptui.cost.report import PriceBook, RegionCosts
from snaptui.models import ProblemKind, RegionInventory
from snaptui.ui import messages as m
from snaptui.ui.jobs import Jobs, each_in_threads

REGION_WORKERS = 8  # regions fetched at once: each is a few paged calls
COST_GROUP = "cost"
# Failures that say nothing about what the region holds, only that we could not ask.
COULD_NOT_ASK = frozenset(
    {
        ProblemKind.UNREACHABLE,
        ProblemKind.EXPIRED_CREDENTIALS,
        ProblemKind.NO_CREDENTIALS,
        ProblemKind.THROTTLED,
    }
)
# A partial inventory costs the UI a rebuild of what it shows, O(rows shown): each region's
# first page at once, then over all regions at most once per PARTIAL_EVERY_S, or per second
# per PARTIAL_ROWS_PER_S rows already shown (so 100k rows refresh every 5 s, not every page).
PARTIAL_EVERY_S = 1.0
PARTIAL_ROWS_PER_S = 20_000


class PartialGate:
    """When to show the pages fetched so far (thread-safe: every region's fetch asks)."""

    def __init__(self, every: float = PARTIAL_EVERY_S) -> None:
        self.every = every
        self._last = 0.0
        self._rows: dict[str, int] = {}
        self._lock = threading.Lock()

    def due(self, region: str, rows: int) -> bool:
        """Whether to post ``region``'s partial inventory, now holding ``rows`` rows."""
        now = time.monotonic()
        with self._lock:
            first = region not in self._rows
            self._rows[region] = rows
            wait = max(self.every, sum(self._rows.values()) / PARTIAL_ROWS_PER_S)
            if first or now - self._last >= wait:
                self._last = now
                return True
            return False


def _copy(inv: RegionInventory) -> RegionInventory:
    """What has arrived so far, as lists the fetch threads no longer append to."""
    return RegionInventory(
        region=inv.region,
        instances=list(inv.instances),
        volumes=list(inv.volumes),
        snapshots=list(inv.snapshots),
        images=list(inv.images),
    )


@dataclass(frozen=True, slots=True)
class Loader:
    ctx: AwsContext
    jobs: Jobs
    clock: Clock
    cache: DiffCache
    inventory_cache: InventoryCache | None = None  # None: --no-cache

    @property
    def post(self) -> Callable[[Message], None]:
        return self.jobs.post

    def detect_host(self) -> None:
        """Real AWS only (the demo and LocalStack are not EC2): IMDSv2 with a 1 s timeout."""
        if self.ctx.target.effective_endpoint:
            return
        self.jobs.start("host", lambda _: self.post(m.HostFound(imds.detect())), group="host")

    def load_regions(self, generation: int) -> None:
        def work(_: threading.Event) -> None:
            try:
                names, problem = regions.resolve_regions(self.ctx)
            except Exception as exc:  # never a traceback: the reason goes on the status line
                names, problem = [], problem_from(exc)
            self.post(m.RegionsKnown(generation, names, problem))

        self.jobs.start("regions", work, group="load", exclusive=True, generation=generation)

    def fetch_regions(
        self, generation: int, tickets: dict[str, int], *, from_cache: bool = True
    ) -> None:
        """Every region in parallel: its cached inventory at once (marked cached), else its
        pages as they come; the fresh inventory when complete; then LoadFinished."""
        gate = PartialGate()
        cached: dict[str, RegionInventory] = {}

        def one(region: str) -> None:
            ticket = tickets[region]

            def partial(inv: RegionInventory) -> None:
                self.post(m.RegionLoaded(generation, ticket, inv, final=False))

            # Cached rows stay until the whole region is fresh: pages would shrink the list.
            old = cached.get(region)
            inv = self._fetch(region, None if old else partial, gate)
            if old is not None and any(p.kind in COULD_NOT_ASK for p in inv.problems):
                # We could not ask (endpoint down, credentials expired): keep showing the old
                # rows, still marked cached, and why. An answer ("denied") replaces them.
                old.problems = list(inv.problems)
                inv = old
            self.post(m.RegionLoaded(generation, ticket, inv))
            self._save(inv)

        def work(cancel: threading.Event) -> None:
            if from_cache:
                cached.update(self._post_cached(generation, tickets))
            each_in_threads(list(tickets), one, workers=REGION_WORKERS, cancel=cancel)
            if not cancel.is_set():
                self.post(m.LoadFinished(generation))

        self.jobs.start("inventory", work, group="load", exclusive=True, generation=generation)

    def reload_region(self, generation: int, region: str, ticket: int) -> None:
        def work(_: threading.Event) -> None:
            inv = self._fetch(region)
            self.post(m.RegionLoaded(generation, ticket, inv))
            self._save(inv)

        self.jobs.start(f"reload {region}", work, group=f"reload:{region}", exclusive=True)

    def _post_cached(self, generation: int, tickets: dict[str, int]) -> dict[str, RegionInventory]:
        """Post every region's cached inventory (read in the calling job's thread)."""
        if self.inventory_cache is None:
            return {}
        found: dict[str, RegionInventory] = {}
        for region, ticket in tickets.items():
            inv = self.inventory_cache.load(region)
            if inv is not None:
                found[region] = inv
                self.post(m.RegionLoaded(generation, ticket, inv, final=False))
        return found

    def _save(self, inv: RegionInventory) -> None:
        if self.inventory_cache is not None:
            with contextlib.suppress(OSError):  # a full disk costs the next start its head start
                self.inventory_cache.save(inv)

    def _fetch(
        self,
        region: str,
        partial: Callable[[RegionInventory], None] | None = None,
        gate: PartialGate | None = None,
    ) -> RegionInventory:
        on_page = None
        if partial is not None:
            so_far = RegionInventory(region=region)
            every = gate or PartialGate()

            def on_page(page: inventory.InventoryPage) -> None:
                if not page.items:
                    return
                getattr(so_far, page.kind).extend(page.items)
                if page.kind == "snapshots" and every.due(region, len(so_far.snapshots)):
                    partial(_copy(so_far))

        try:
            return inventory.fetch_region(self.ctx, region, clock=self.clock, on_page=on_page)
        except Exception as exc:  # e.g. a client that cannot be built for this region
            inv = RegionInventory(region=region, problems=[problem_from(exc, region)])
            inv.fetched_at = self.clock()
            return inv

    def compute_costs(
        self, run: int, inputs: list[tuple[int, RegionInventory]], book: PriceBook, *, whole: bool
    ) -> None:
        """Costs of these (ticket, inventory) pairs; a whole run cancels every other cost job."""
        tickets = {inv.region: ticket for ticket, inv in inputs}
        invs = [inv for _, inv in inputs]

        def on_progress(region: str, done: int, total: int) -> None:
            self.post(m.CostProgress(run, tickets[region], region, done, total))

        def on_region(rc: RegionCosts) -> None:
            self.post(m.CostRegionDone(run, tickets[rc.region], rc))

        def work(cancel: threading.Event) -> None:
            try:
                costs = compute_costs(
                    self.ctx, invs, prices=book, cache=self.cache,
                    on_progress=on_progress, on_region=on_region, cancel=cancel,
                )  # fmt: skip
            except Exception as exc:  # a bug must not take the browsing UI down with it
                self.post(m.CostFailed(run, problem_from(exc)))
                return
            self.post(m.CostFinished(run, list(costs.notes)))

        if whole:
            self.jobs.cancel_group(COST_GROUP)
        self.jobs.start("costs", work, group=COST_GROUP)

    def cancel_costs(self) -> None:
        self.jobs.cancel_group(COST_GROUP)

    def fetch_prices(self) -> None:
        def work(_: threading.Event) -> None:
            book, notes = fetch_live_prices(self.ctx)
            self.post(m.PricesFetched(book, notes))

        self.jobs.start("prices", work, group="prices", exclusive=True)

    def read_sharing(self, generation: int, ticket: int, region: str, snapshot_id: str) -> None:
        """DescribeSnapshotAttribute for one snapshot; a failure is an answer too (unknown)."""

        def work(_: threading.Event) -> None:
            answer = sharing.lookup(self.ctx, region, snapshot_id)
            self.post(m.SharingRead(generation, ticket, region, answer))

        self.jobs.start(f"sharing {snapshot_id}", work, group="sharing")

    def read_recovery_point(
        self, generation: int, ticket: int, region: str, snapshot_id: str, source_arn: str
    ) -> None:
        """AWS Backup's plan, vault and deletion date for one snapshot; a failure answers too."""

        def work(_: threading.Event) -> None:
            answer = protection.recovery_point(self.ctx, region, source_arn, snapshot_id)
            self.post(m.RecoveryPointRead(generation, ticket, region, answer))

        self.jobs.start(f"recovery point {snapshot_id}", work, group="sharing")
