"""The app's cost runs: start them (whole account or one region), apply their messages, prices.

Cost jobs run on the app's loader (ui/loaders.py); their messages arrive at SnapApp's thin
handlers, which hand them here. AppState drops those of a cancelled or older run; the figures
fill in region by region.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from snaptui.core.risks import risk_report
from snaptui.ui import messages as m
from snaptui.ui.cost_view import CostScreen

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp


class CostFlow:
    """One app's cost runs."""

    def __init__(self, app: SnapApp) -> None:
        self.app = app

    def start(self) -> None:
        """A run over every loaded region."""
        app = self.app
        inputs = app.state.loaded_inventories()
        if not inputs:
            return
        run = app.state.begin_costs([inv.region for _, inv in inputs], whole=True)
        app.loader.compute_costs(run, inputs, app.state.cost.book, whole=True)
        app.show_costs()

    def start_region(self, region: str) -> None:
        """A run over just this region (after an action reloaded it)."""
        app = self.app
        inputs = [(t, inv) for t, inv in app.state.loaded_inventories() if inv.region == region]
        if not inputs:
            return
        run = app.state.begin_costs([region], whole=False)
        app.loader.compute_costs(run, inputs, app.state.cost.book, whole=False)
        app.show_costs()

    def progress(self, msg: m.CostProgress) -> None:
        app = self.app
        if app.state.cost_progress(msg.run, msg.ticket, msg.region, msg.done, msg.total):
            app.panes.regions()
            app.show_status()

    def region_done(self, msg: m.CostRegionDone) -> None:
        if self.app.state.cost_region(msg.run, msg.ticket, msg.costs):
            self.app.show_costs()

    def finished(self, msg: m.CostFinished) -> None:
        if self.app.state.cost_notes(msg.run, msg.notes):
            self.app.show_costs()

    def failed(self, msg: m.CostFailed) -> None:
        app = self.app
        if app.state.cost_failed(msg.run, msg.problem):
            app.notify(str(msg.problem), title="Cost", severity="error", timeout=8)
            app.show_costs()

    def refresh_prices(self) -> None:
        """`:prices`: fetch current prices from the Pricing API (cached), then recompute."""
        self.app.notify("Asking the Pricing API for current EBS snapshot prices…", timeout=3)
        self.app.loader.fetch_prices()

    def prices_fetched(self, msg: m.PricesFetched) -> None:
        app = self.app
        app.state.cost.book = msg.book
        app.state.cost.notes = list(msg.notes)
        for note in msg.notes:
            app.notify(note, title="Prices", severity="warning", timeout=8)
        if not msg.notes:
            app.notify("Live prices in use; recomputing (cached diffs: no new calls)", timeout=4)
        if app.state.inventories:
            app.start_costs()

    def review(self) -> None:
        """`c`: the cost review screen, with what is known so far."""
        app = self.app
        names = {v.id: v.name for v in app.fleet.volumes_by_id.values() if v.name}
        progress = "(computing…)" if app.cost_running else ""
        costs = app.account_costs()
        # O(snapshots): here, not per paint
        costs.risks = risk_report(app.fleet, app.clock(), app.state.shared_known())
        app.push_screen(CostScreen(costs, names, progress))

    def toggle(self) -> None:
        """`C`: cancel a running computation (its figures stay), or start one."""
        app = self.app
        if app.cost_running:
            app.loader.cancel_costs()
            app.state.cancel_costs()
            app.notify("Cost computation cancelled; figures so far stay", timeout=3)
            app.show_costs()
        else:
            app.start_costs()
