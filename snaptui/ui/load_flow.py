"""The app's loads: start a load or a one-region reload, apply what the load jobs report.

Load jobs run on the app's loader (ui/loaders.py); their messages arrive at SnapApp's thin
handlers, which hand them here. AppState drops those of an older load generation. A job's
unhandled exception lands in ``worker_ended``: shown, and the app never stays loading.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from snaptui.aws.errors import problem_from
from snaptui.ui import messages as m
from snaptui.ui.loaders import COST_GROUP
from snaptui.ui.vtable import VirtualTable

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp


class LoadFlow:
    """One app's loads."""

    def __init__(self, app: SnapApp) -> None:
        self.app = app

    def load(self) -> None:
        app = self.app
        generation = app.state.begin_load()
        app.loader.cancel_costs()
        app.loader.load_regions(generation)
        app.show_status()

    def regions_known(self, msg: m.RegionsKnown) -> None:
        app = self.app
        tickets = app.state.regions_known(msg.generation, msg.names, msg.problem)
        if tickets is None:
            return
        if msg.problem is not None:
            app.notify(str(msg.problem), title="Cannot list regions", severity="error", timeout=10)
        if tickets:
            # The cache paints only an empty screen: a refresh keeps what it shows until then.
            first = not app.state.inventories
            app.loader.fetch_regions(msg.generation, tickets, from_cache=first)
        app.refresh_all()

    def region_loaded(self, msg: m.RegionLoaded) -> None:
        app = self.app
        inv = msg.inventory
        if not app.state.region_loaded(msg.generation, msg.ticket, inv, msg.final):
            return
        for p in inv.problems:
            app.notify(str(p), title=f"{inv.region}", severity="error", timeout=8)
        app.refresh_all()
        if msg.final and not app.state.loading and app.costs_enabled:
            app.costs.start_region(inv.region)  # a reload after an action: just this region

    def load_finished(self, msg: m.LoadFinished) -> None:
        app = self.app
        if not app.state.load_finished(msg.generation, app.clock()):
            return
        app.refresh_all()
        for table in app.query(VirtualTable):
            table.settle()
        # 100k rows are ~1M objects that live until the next load: out of the collector's
        # sight, a keystroke never waits for a full collection scanning them (they are
        # acyclic, so reference counting still frees them when a refresh replaces them).
        gc.freeze()
        if app.costs_enabled:
            app.start_costs()

    def reload_region(self, region: str) -> None:
        """After an action: fetch just the region that changed, then its costs."""
        app = self.app
        ticket = app.state.begin_region_reload(region)
        if ticket is None:
            return
        app.panes.regions()
        app.loader.reload_region(app.state.generation, region, ticket)

    def worker_ended(self, event: Worker.StateChanged) -> None:
        """The one place a job's unhandled exception lands: shown, and never stuck loading."""
        app = self.app
        worker = event.worker
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        job = app.jobs.job_of(worker)
        app.jobs.forget(worker)
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        problem = problem_from(worker.error)
        if job is not None and job.group == "load" and job.generation is not None:
            app.state.load_failed(job.generation, problem)
        elif job is not None and job.group == COST_GROUP:
            app.state.cost_failed(app.state.cost.run, problem)
        else:
            app.state.global_problems.append(problem)
        app.notify(str(problem), title=f"{worker.name} failed", severity="error", timeout=10)
        app.refresh_all()
