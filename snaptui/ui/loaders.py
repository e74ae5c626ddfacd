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

import threading
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from snaptui.aws import imds, inventory, regions
from snaptui.aws.cost_fetch import compute_costs, fetch_live_prices
from snaptui.aws.diff_cache import DiffCache
from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.core.clock import Clock
from snaptui.cost.report import PriceBook, RegionCosts
from snaptui.models import RegionInventory
from snaptui.ui import messages as m
from snaptui.ui.jobs import Jobs, each_in_threads

REGION_WORKERS = 8  # regions fetched at once: each is a few paged calls
COST_GROUP = "cost"


@dataclass(frozen=True, slots=True)
class Loader:
    ctx: AwsContext
    jobs: Jobs
    clock: Clock
    cache: DiffCache

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

    def fetch_regions(self, generation: int, tickets: dict[str, int]) -> None:
        """Every region in parallel, each posted as it answers; then LoadFinished."""

        def one(region: str) -> None:
            self.post(m.RegionLoaded(generation, tickets[region], self._fetch(region)))

        def work(cancel: threading.Event) -> None:
            each_in_threads(list(tickets), one, workers=REGION_WORKERS, cancel=cancel)
            if not cancel.is_set():
                self.post(m.LoadFinished(generation))

        self.jobs.start("inventory", work, group="load", exclusive=True, generation=generation)

    def reload_region(self, generation: int, region: str, ticket: int) -> None:
        def work(_: threading.Event) -> None:
            self.post(m.RegionLoaded(generation, ticket, self._fetch(region)))

        self.jobs.start(f"reload {region}", work, group=f"reload:{region}", exclusive=True)

    def _fetch(self, region: str) -> RegionInventory:
        try:
            return inventory.fetch_region(self.ctx, region, clock=self.clock)
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
