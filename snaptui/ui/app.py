"""The snaptui application: four drill-down panes, a detail panel and a status line.

AWS I/O never runs here: jobs (ui/loaders.py, on the app's own executor in ui/jobs.py) call
snaptui.aws in daemon threads and post typed messages (ui/messages.py); the handlers below
hand them on, to be applied to AppState (ui/state.py), which drops stale ones, and redrawn
(ui/render.py). Textual finds handlers only on the App itself, so they stay here, thin: the
work is in ui/load_flow.py (loads, reloads, failed jobs), ui/cost_flow.py (cost runs, prices),
ui/prompt_flow.py (`/` and `:`), ui/pane_nav.py (drill-down, esc, zoom) and ui/act_flow.py
(an action key, cached rows confirmed first). The keys are in ui/bindings.py.
"""

from __future__ import annotations

import gc
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Input
from textual.worker import Worker

from snaptui.aws import imds
from snaptui.aws.diff_cache import DiffCache
from snaptui.aws.identity import cache_namespace
from snaptui.aws.inventory_cache import InventoryCache, namespace_of
from snaptui.aws.session import AwsContext
from snaptui.core.browse import Choice, Fleet
from snaptui.cost.report import AccountCosts, SnapshotCost, set_freed_detail
from snaptui.models import Problem, RegionInventory
from snaptui.ui import account_flow, act_flow, actions, cached_rows, views
from snaptui.ui import messages as m
from snaptui.ui.accounts import AccountBook
from snaptui.ui.bindings import APP_BINDINGS, priority_actions
from snaptui.ui.cost_flow import CostFlow
from snaptui.ui.cost_view import set_line
from snaptui.ui.jobs import Jobs
from snaptui.ui.keys import HoldKeysApp, focus_now
from snaptui.ui.lightsail.palette import LightsailCommands
from snaptui.ui.load_flow import LoadFlow
from snaptui.ui.loaders import Loader
from snaptui.ui.palette import SnaptuiCommands
from snaptui.ui.pane_nav import PaneNav
from snaptui.ui.panels.detail import DetailPanel
from snaptui.ui.panels.status import StatusFacts, StatusLine
from snaptui.ui.panes import (
    Clock,
    InstancesPane,
    RegionsPane,
    SnapshotsPane,
    VolumesPane,
    system_clock,
)
from snaptui.ui.prompt import PromptBar, PromptInput
from snaptui.ui.prompt_flow import PromptFlow
from snaptui.ui.render import Panes, status_facts
from snaptui.ui.screens.help import HelpScreen
from snaptui.ui.screens.problems import ProblemsScreen
from snaptui.ui.sharing_flow import SharingFlow
from snaptui.ui.state import AppState
from snaptui.ui.vtable import VirtualTable


class SnapApp(HoldKeysApp[int]):
    TITLE = "snaptui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {LightsailCommands, SnaptuiCommands}
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS  # ui/bindings.py
    # Priority keys work only on the main screen with no text field focused (check_action).
    MAIN_SCREEN_ACTIONS: ClassVar[frozenset[str]] = priority_actions(BINDINGS)

    def __init__(
        self,
        ctx: AwsContext,
        *,
        endpoint_label: str = "",
        clock: Clock = system_clock,
        costs_enabled: bool = True,
        use_cache: bool = True,
        book: AccountBook | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.book = book  # several accounts (ui/accounts.py); None: this one only
        self.clock = clock
        self.costs_enabled = costs_enabled
        self.state = AppState(profile=ctx.profile_label)
        self.jobs = Jobs(self)
        # Diffs from a moto/LocalStack world are never trusted for another (IDs repeat there).
        # Resolved in the cost worker on first use (it asks STS once): never on the UI thread.
        self._cost_cache = DiffCache(ctx.target.cache_root, lambda: cache_namespace(ctx))
        # The last inventory of each region, painted at start while the refresh runs.
        self._inventory_cache = (
            InventoryCache(
                ctx.target.cache_root,
                namespace_of(ctx.profile_label, ctx.target.effective_endpoint),
            )
            if use_cache
            else None
        )
        self.host_instance: imds.HostInstance | None = None
        self.base_facts = StatusFacts(
            profile=ctx.profile_label, endpoint=endpoint_label, read_only=ctx.target.read_only
        )
        self.sharing = SharingFlow(self)  # ui/sharing_flow.py
        self.panes = Panes(
            self.state, self.pane, lambda: self.query_one(DetailPanel), self.sharing.texts
        )
        self.action_ctx = actions.ActionContext(self)
        self.nav = PaneNav(self)  # ui/pane_nav.py
        self.loads = LoadFlow(self)  # ui/load_flow.py
        self.costs = CostFlow(self)  # ui/cost_flow.py
        self.prompts = PromptFlow(self)  # ui/prompt_flow.py

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield RegionsPane()
                yield InstancesPane()
                yield VolumesPane()
            with Vertical(id="right"):
                yield SnapshotsPane(self.clock, self.state.cost, lambda: self.state.fleet)
                yield DetailPanel(id="detail")
        yield PromptBar(id="prompt-bar")
        yield StatusLine(self.clock, id="status")
        yield Footer()

    def on_mount(self) -> None:
        titles = {
            "regions": "1 Regions",
            "instances": "2 Instances",
            "volumes": "3 Volumes",
            "snapshots": "4 Snapshots",
        }
        for pane_id, title in titles.items():
            self.pane(pane_id).border_title = title
        self.query_one(PromptBar).words = views.VIEW_WORDS
        self.show_status()
        self.pane("snapshots").focus()
        self.loader.detect_host()
        self.load()
        account_flow.announce(self)

    def on_unmount(self) -> None:
        self.jobs.cancel_all()  # whatever way the app ends, no job is waited for
        gc.unfreeze()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MAIN_SCREEN_ACTIONS:
            on_main = len(self.screen_stack) <= 1
            return on_main and not isinstance(self.focused, Input)
        return True

    def pane(self, pane_id: str) -> VirtualTable[Any]:
        return self.query_one(f"#{pane_id}", VirtualTable)

    @property
    def loader(self) -> Loader:
        return Loader(self.ctx, self.jobs, self.clock, self._cost_cache, self._inventory_cache)

    # --- what the state holds (read by tests and the actions) ---------------------------------

    @property
    def fleet(self) -> Fleet:
        return self.state.fleet

    @property
    def choice(self) -> Choice:
        return self.state.choice

    @property
    def region_names(self) -> list[str]:
        return self.state.region_names

    @property
    def inventories(self) -> dict[str, RegionInventory]:
        return self.state.inventories

    @property
    def cost_running(self) -> bool:
        return self.state.cost.running

    @property
    def problems(self) -> list[Problem]:
        return self.state.problems

    def account_costs(self) -> AccountCosts:
        return self.state.account_costs()

    def cost_of(self, snapshot_id: str) -> SnapshotCost | None:
        return self.state.cost.snapshot(snapshot_id)

    def freed_text(self, snapshot_ids: list[str]) -> str:
        """What deleting these snapshots together frees, for confirmations ("" when unknown)."""
        if not self.state.cost.regions:
            return ""
        d = set_freed_detail(self.account_costs(), snapshot_ids)
        return set_line(len(snapshot_ids), d).split("frees ", 1)[-1]

    # --- loading and costs: thin handlers, the work is in LoadFlow and CostFlow -----------------

    def load(self) -> None:
        self.loads.load()

    def reload_region(self, region: str) -> None:
        """After an action: fetch just the region that changed, then its costs."""
        self.loads.reload_region(region)

    def start_costs(self) -> None:
        self.costs.start()

    def refresh_prices(self) -> None:
        """`:prices`: fetch current prices from the Pricing API (cached), then recompute."""
        self.costs.refresh_prices()

    @on(m.RegionsKnown)
    def _regions_known(self, msg: m.RegionsKnown) -> None:
        self.loads.regions_known(msg)

    @on(m.RegionLoaded)
    def _region_loaded(self, msg: m.RegionLoaded) -> None:
        self.loads.region_loaded(msg)

    @on(m.LoadFinished)
    def _load_finished(self, msg: m.LoadFinished) -> None:
        self.loads.load_finished(msg)

    @on(m.SharingRead)
    def _sharing_read(self, msg: m.SharingRead) -> None:
        self.sharing.read(msg)

    @on(m.RecoveryPointRead)
    def _recovery_point_read(self, msg: m.RecoveryPointRead) -> None:
        self.sharing.read(msg)

    @on(m.HostFound)
    def _host_found(self, msg: m.HostFound) -> None:
        self.host_instance = msg.host

    @on(m.ActionDone)
    def _action_done(self, msg: m.ActionDone) -> None:
        for region in msg.regions:
            self.reload_region(region)

    @on(m.Notice)
    def _notice(self, msg: m.Notice) -> None:
        severity: SeverityLevel = "error" if msg.error else "information"
        self.notify(msg.text, title=msg.title, severity=severity, timeout=4)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        self.loads.worker_ended(event)

    @on(m.CostProgress)
    def _cost_progress(self, msg: m.CostProgress) -> None:
        self.costs.progress(msg)

    @on(m.CostRegionDone)
    def _cost_region(self, msg: m.CostRegionDone) -> None:
        self.costs.region_done(msg)

    @on(m.CostFinished)
    def _cost_finished(self, msg: m.CostFinished) -> None:
        self.costs.finished(msg)

    @on(m.CostFailed)
    def _cost_failed(self, msg: m.CostFailed) -> None:
        self.costs.failed(msg)

    @on(m.PricesFetched)
    def _prices_fetched(self, msg: m.PricesFetched) -> None:
        self.costs.prices_fetched(msg)

    async def action_quit(self) -> None:
        # Nothing is joined: every job is told to stop, and its daemon thread is left behind.
        self.jobs.cancel_all()
        await super().action_quit()

    def action_act(self, name: str) -> None:
        act_flow.act(self, name)  # ui/act_flow.py: cached rows are confirmed first

    def action_files(self) -> None:
        from snaptui.ui.files_actions import open_files

        open_files(self)

    @on(cached_rows.RowsConfirmed)
    def _rows_confirmed(self, msg: cached_rows.RowsConfirmed) -> None:
        act_flow.rows_confirmed(self, msg)

    def action_cost_review(self) -> None:
        self.costs.review()

    def action_cost_toggle(self) -> None:
        self.costs.toggle()

    # --- drawing the state ---------------------------------------------------------------------

    def show_status(self) -> None:
        self.query_one(StatusLine).facts = status_facts(self.state, self.base_facts, self.clock())

    def show_costs(self) -> None:
        self.panes.costs(self.focused_pane(), self.clock)
        self.show_status()

    def refresh_all(self) -> None:
        self.panes.all(self.focused_pane(), self.clock)
        self.show_status()

    def refresh_detail(self) -> None:
        self.panes.show_detail(self.focused_pane(), self.clock)

    def focused_pane(self) -> VirtualTable[Any] | None:
        """The focused pane, or the last one focused while the detail, help or a dialog is."""
        return self.nav.focused()

    # --- drill-down ------------------------------------------------------------------------

    @on(VirtualTable.RowHighlighted)
    def _row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.nav.highlighted(event)

    @on(VirtualTable.MarksChanged)
    def _marks_changed(self, event: VirtualTable.MarksChanged) -> None:
        self.panes.subtitle(event.table)

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.nav.selected(event)

    def on_descendant_focus(self) -> None:
        self.refresh_detail()

    def action_focus_detail(self) -> None:
        self.focused_pane()  # remember which pane the detail is about
        self.query_one(DetailPanel).remove_class("hidden")
        self.query_one(DetailPanel).focus()

    # --- actions ---------------------------------------------------------------------------

    def action_focus_pane(self, pane_id: str) -> None:
        focus_now(self.pane(pane_id))

    def action_refresh(self) -> None:
        self.notify("Refreshing…", timeout=2)
        self.load()

    def action_help(self) -> None:
        pane = self.focused_pane()
        sections: list[tuple[str, list[BindingType]]] = [
            ("Everywhere", self.BINDINGS),
            ("In a pane", VirtualTable.BINDINGS if pane is None else pane.BINDINGS),
        ]
        self.push_screen(HelpScreen(sections, views.VIEW_WORDS))

    def action_problems(self) -> None:
        self.push_screen(ProblemsScreen(self.problems))

    def action_copy_id(self) -> None:
        self.nav.copy_id()

    def action_sort(self) -> None:
        pane = self.focused_pane()
        if pane is not None:
            pane.cycle_sort()

    def action_reverse_sort(self) -> None:
        pane = self.focused_pane()
        if pane is not None:
            pane.reverse_sort()

    def action_toggle_detail(self) -> None:
        self.query_one(DetailPanel).toggle_class("hidden")

    def action_zoom(self) -> None:
        self.nav.zoom()

    # --- filter and view prompt --------------------------------------------------------------

    @property
    def prompt(self) -> PromptBar:
        return self.query_one(PromptBar)

    def action_filter(self) -> None:
        self.prompts.open_filter()

    def action_command(self) -> None:
        self.prompts.open_command()

    @on(Input.Changed, "#prompt")
    def _prompt_changed(self, event: Input.Changed) -> None:
        self.prompts.changed(event.value)

    @on(Input.Submitted, "#prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        self.prompts.submitted(event.value)

    @on(PromptInput.Cancelled)
    def _prompt_cancelled(self) -> None:
        self.prompts.cancelled()

    def _run_view_command(self, word: str) -> None:
        views.run_view_command(self, word)  # also the Lightsail screen's `:` prompt

    def action_accounts(self) -> None:
        account_flow.open_accounts(self)  # ui/account_flow.py

    def open_lightsail(self) -> None:
        from snaptui.ui.lightsail.screen import LightsailScreen

        if not isinstance(self.screen, LightsailScreen):
            self.push_screen(LightsailScreen(self.ctx, clock=self.clock))

    async def action_back(self) -> None:
        self.nav.back()
