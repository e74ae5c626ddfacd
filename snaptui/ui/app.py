"""The snaptui application: four drill-down panes, a detail panel and a status line.

AWS I/O never runs here: jobs (ui/loaders.py, on the app's own executor in ui/jobs.py) call
snaptui.aws in daemon threads and post typed messages (ui/messages.py); the handlers below
apply them to AppState (ui/state.py), which drops stale ones, and redraw (ui/render.py).
"""

from __future__ import annotations

import gc
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState

from snaptui.aws import imds
from snaptui.aws.diff_cache import DiffCache
from snaptui.aws.errors import problem_from
from snaptui.aws.identity import cache_namespace
from snaptui.aws.inventory_cache import InventoryCache, namespace_of
from snaptui.aws.session import AwsContext
from snaptui.core.browse import ALL, Choice, Fleet
from snaptui.cost.report import AccountCosts, SnapshotCost, set_freed_detail
from snaptui.models import Problem, RegionInventory
from snaptui.ui import actions, cached_rows, clipboard, views
from snaptui.ui import messages as m
from snaptui.ui.cost_view import CostScreen, set_line
from snaptui.ui.jobs import Jobs
from snaptui.ui.keys import HoldKeysApp
from snaptui.ui.lightsail.palette import LightsailCommands
from snaptui.ui.loaders import COST_GROUP, Loader
from snaptui.ui.palette import SnaptuiCommands
from snaptui.ui.panels.detail import DetailPanel
from snaptui.ui.panels.status import StatusFacts, StatusLine
from snaptui.ui.panes import (
    Clock,
    InstancesPane,
    PseudoRow,
    RegionsPane,
    SnapshotsPane,
    VolumesPane,
    row_id,
    system_clock,
)
from snaptui.ui.prompt import PromptBar, PromptInput
from snaptui.ui.render import Panes, status_facts
from snaptui.ui.screens.help import HelpScreen
from snaptui.ui.screens.problems import ProblemsScreen
from snaptui.ui.state import AppState
from snaptui.ui.vtable import VirtualTable

PANE_ORDER = ("regions", "instances", "volumes", "snapshots")


class SnapApp(HoldKeysApp[int]):
    TITLE = "snaptui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {LightsailCommands, SnaptuiCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", priority=True),
        Binding("question_mark", "help", "Help", key_display="?", priority=True),
        Binding("slash", "filter", "Filter", key_display="/", priority=True),
        Binding("colon", "command", "View", key_display=":", priority=True),
        Binding("n", "act('create_snapshot')", "New snap", priority=True),
        Binding("x,delete", "act('delete')", "Delete", priority=True),
        Binding("R", "act('restore')", "Restore", priority=True),
        Binding("f", "files", "Files", priority=True),
        Binding("p", "act('copy')", "Copy", priority=True),
        Binding("s", "sort", "Sort", priority=True),
        Binding("c", "cost_review", "Cost", priority=True),
        Binding("e", "problems", "Errors", priority=True),
        Binding("r", "refresh", "Refresh", show=False, priority=True),
        Binding("y", "copy_id", "Copy ID", show=False, priority=True),
        Binding("v", "act('create_volume')", "Create volume", show=False, priority=True),
        Binding("L", "act('launch')", "Launch instance", show=False, priority=True),
        Binding("a", "act('archive')", "Archive / unarchive", show=False, priority=True),
        Binding("C", "cost_toggle", "Compute / cancel costs", show=False, priority=True),
        Binding("S", "reverse_sort", "Reverse sort", show=False, priority=True),
        Binding("d", "toggle_detail", "Detail", show=False, priority=True),
        Binding("z", "zoom", "Zoom pane", show=False, priority=True),
        Binding("1", "focus_pane('regions')", "Regions pane", show=False, priority=True),
        Binding("2", "focus_pane('instances')", "Instances pane", show=False, priority=True),
        Binding("3", "focus_pane('volumes')", "Volumes pane", show=False, priority=True),
        Binding("4", "focus_pane('snapshots')", "Snapshots pane", show=False, priority=True),
        Binding("5", "focus_detail", "Detail panel (scroll)", show=False, priority=True),
        Binding("escape", "back", "Back / clear filter", show=False),
        Binding("tab", "focus_next", "Next pane", show=False),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False),
    ]
    # These keys work only on the main screen with no text field focused. They are priority
    # bindings, run as the key arrives, so that the keys behind `/`, `:` or `n` in one
    # burst land in the prompt or the dialog they open instead of running as commands.
    MAIN_SCREEN_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        b.action.split("(")[0] for b in BINDINGS if isinstance(b, Binding) and b.priority
    )

    def __init__(
        self,
        ctx: AwsContext,
        *,
        endpoint_label: str = "",
        clock: Clock = system_clock,
        costs_enabled: bool = True,
        use_cache: bool = True,
    ) -> None:
        super().__init__()
        self.ctx = ctx
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
        self._base_facts = StatusFacts(
            profile=ctx.profile_label, endpoint=endpoint_label, read_only=ctx.target.read_only
        )
        self.panes = Panes(self.state, self.pane, lambda: self.query_one(DetailPanel))
        self.action_ctx = actions.ActionContext(self)
        self._filter_target = "snapshots"
        self._last_pane = "snapshots"  # the detail follows it while help or a dialog is up

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield RegionsPane()
                yield InstancesPane()
                yield VolumesPane()
            with Vertical(id="right"):
                yield SnapshotsPane(self.clock, costs=self.state.cost)
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
        self._show_status()
        self.pane("snapshots").focus()
        self.loader.detect_host()
        self.load()

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

    # --- loading: start jobs, apply their messages ---------------------------------------------

    def load(self) -> None:
        generation = self.state.begin_load()
        self.loader.cancel_costs()
        self.loader.load_regions(generation)
        self._show_status()

    @on(m.RegionsKnown)
    def _regions_known(self, msg: m.RegionsKnown) -> None:
        tickets = self.state.regions_known(msg.generation, msg.names, msg.problem)
        if tickets is None:
            return
        if msg.problem is not None:
            self.notify(str(msg.problem), title="Cannot list regions", severity="error", timeout=10)
        if tickets:
            # The cache paints only an empty screen: a refresh keeps what it shows until then.
            first = not self.state.inventories
            self.loader.fetch_regions(msg.generation, tickets, from_cache=first)
        self._refresh_all()

    @on(m.RegionLoaded)
    def _region_loaded(self, msg: m.RegionLoaded) -> None:
        inv = msg.inventory
        if not self.state.region_loaded(msg.generation, msg.ticket, inv, msg.final):
            return
        for p in inv.problems:
            self.notify(str(p), title=f"{inv.region}", severity="error", timeout=8)
        self._refresh_all()
        if msg.final and not self.state.loading and self.costs_enabled:
            self._start_region_costs(inv.region)  # a reload after an action: just this region

    @on(m.LoadFinished)
    def _load_finished(self, msg: m.LoadFinished) -> None:
        if not self.state.load_finished(msg.generation, self.clock()):
            return
        self._refresh_all()
        for table in self.query(VirtualTable):
            table.settle()
        # 100k rows are ~1M objects that live until the next load: out of the collector's
        # sight, a keystroke never waits for a full collection scanning them (they are
        # acyclic, so reference counting still frees them when a refresh replaces them).
        gc.freeze()
        if self.costs_enabled:
            self.start_costs()

    @on(m.HostFound)
    def _host_found(self, msg: m.HostFound) -> None:
        self.host_instance = msg.host

    @on(m.ActionDone)
    def _action_done(self, msg: m.ActionDone) -> None:
        for region in msg.regions:
            self.reload_region(region)

    def reload_region(self, region: str) -> None:
        """After an action: fetch just the region that changed, then its costs."""
        ticket = self.state.begin_region_reload(region)
        if ticket is None:
            return
        self.panes.regions()
        self.loader.reload_region(self.state.generation, region, ticket)

    @on(m.Notice)
    def _notice(self, msg: m.Notice) -> None:
        severity: SeverityLevel = "error" if msg.error else "information"
        self.notify(msg.text, title=msg.title, severity=severity, timeout=4)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """The one place a job's unhandled exception lands: shown, and never stuck loading."""
        worker = event.worker
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        job = self.jobs.job_of(worker)
        self.jobs.forget(worker)
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        problem = problem_from(worker.error)
        if job is not None and job.group == "load" and job.generation is not None:
            self.state.load_failed(job.generation, problem)
        elif job is not None and job.group == COST_GROUP:
            self.state.cost_failed(self.state.cost.run, problem)
        else:
            self.state.global_problems.append(problem)
        self.notify(str(problem), title=f"{worker.name} failed", severity="error", timeout=10)
        self._refresh_all()

    # --- cost (jobs; figures fill in as regions finish) ----------------------------------------

    def start_costs(self) -> None:
        inputs = self.state.loaded_inventories()
        if not inputs:
            return
        run = self.state.begin_costs([inv.region for _, inv in inputs], whole=True)
        self.loader.compute_costs(run, inputs, self.state.cost.book, whole=True)
        self._show_costs()

    def _start_region_costs(self, region: str) -> None:
        inputs = [(t, inv) for t, inv in self.state.loaded_inventories() if inv.region == region]
        if not inputs:
            return
        run = self.state.begin_costs([region], whole=False)
        self.loader.compute_costs(run, inputs, self.state.cost.book, whole=False)
        self._show_costs()

    @on(m.CostProgress)
    def _cost_progress(self, msg: m.CostProgress) -> None:
        if self.state.cost_progress(msg.run, msg.ticket, msg.region, msg.done, msg.total):
            self.panes.regions()
            self._show_status()

    @on(m.CostRegionDone)
    def _cost_region(self, msg: m.CostRegionDone) -> None:
        if self.state.cost_region(msg.run, msg.ticket, msg.costs):
            self._show_costs()

    @on(m.CostFinished)
    def _cost_finished(self, msg: m.CostFinished) -> None:
        if self.state.cost_notes(msg.run, msg.notes):
            self._show_costs()

    @on(m.CostFailed)
    def _cost_failed(self, msg: m.CostFailed) -> None:
        if self.state.cost_failed(msg.run, msg.problem):
            self.notify(str(msg.problem), title="Cost", severity="error", timeout=8)
            self._show_costs()

    def refresh_prices(self) -> None:
        """`:prices`: fetch current prices from the Pricing API (cached), then recompute."""
        self.notify("Asking the Pricing API for current EBS snapshot prices…", timeout=3)
        self.loader.fetch_prices()

    @on(m.PricesFetched)
    def _prices_fetched(self, msg: m.PricesFetched) -> None:
        self.state.cost.book = msg.book
        self.state.cost.notes = list(msg.notes)
        for note in msg.notes:
            self.notify(note, title="Prices", severity="warning", timeout=8)
        if not msg.notes:
            self.notify("Live prices in use; recomputing (cached diffs: no new calls)", timeout=4)
        if self.state.inventories:
            self.start_costs()

    async def action_quit(self) -> None:
        # Nothing is joined: every job is told to stop, and its daemon thread is left behind.
        self.jobs.cancel_all()
        await super().action_quit()

    def action_act(self, name: str) -> None:
        # Keys typed behind this one go to the dialog it opens (released there), not the panes.
        self.hold_keys()
        stale = cached_rows.cached_targets(self.state, self._focused_pane())
        if stale:
            # Shown from the cache: never acted on before AWS says they are still there.
            self.notify(f"Checking {len(stale)} cached row(s) with AWS first…", timeout=3)
            cached_rows.confirm(self.ctx, self.jobs, name, stale)
            return
        actions.run(name, self.action_ctx)

    def action_files(self) -> None:
        from snaptui.ui.files_actions import open_files

        open_files(self)

    @on(cached_rows.RowsConfirmed)
    def _rows_confirmed(self, msg: cached_rows.RowsConfirmed) -> None:
        if msg.problem is not None:
            self.notify(str(msg.problem), title="Could not check cached rows", severity="error")
            return
        cached_rows.apply(self.state, msg.fresh, msg.gone)
        self._refresh_all()
        if msg.gone:
            self.notify(
                f"No longer in AWS, nothing done: {', '.join(msg.gone)}",
                severity="warning",
                timeout=8,
            )
            return
        actions.run(msg.action, self.action_ctx)

    def action_cost_review(self) -> None:
        names = {v.id: v.name for v in self.fleet.volumes_by_id.values() if v.name}
        progress = "(computing…)" if self.cost_running else ""
        self.push_screen(CostScreen(self.account_costs(), names, progress))

    def action_cost_toggle(self) -> None:
        if self.cost_running:
            self.loader.cancel_costs()
            self.state.cancel_costs()
            self.notify("Cost computation cancelled; figures so far stay", timeout=3)
            self._show_costs()
        else:
            self.start_costs()

    # --- drawing the state ---------------------------------------------------------------------

    def _show_status(self) -> None:
        self.query_one(StatusLine).facts = status_facts(self.state, self._base_facts, self.clock())

    def _show_costs(self) -> None:
        self.panes.costs(self._focused_pane(), self.clock)
        self._show_status()

    def _refresh_all(self) -> None:
        self.panes.all(self._focused_pane(), self.clock)
        self._show_status()

    def _refresh_detail(self) -> None:
        self.panes.show_detail(self._focused_pane(), self.clock)

    def _focused_pane(self) -> VirtualTable[Any] | None:
        """The focused pane, or the last one focused while the detail, help or a dialog is."""
        if not self.screen_stack:
            return None  # quitting: a late message must not crash the exit
        widget = self.focused
        if isinstance(widget, VirtualTable) and widget.id in PANE_ORDER:
            self._last_pane = widget.id
            return widget
        if isinstance(widget, VirtualTable):
            return widget  # another screen's table (Lightsail)
        return self.pane(self._last_pane)

    # --- drill-down ------------------------------------------------------------------------

    @on(VirtualTable.RowHighlighted)
    def _row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        pane_id = event.table.id or ""
        key = row_id(event.row) if event.row is not None else ALL
        before = self.state.choice
        choice = before
        if pane_id == "regions":
            choice = Choice(region=key) if key != before.region else before
        elif pane_id == "instances":
            if key != before.instance_id:
                choice = Choice(region=before.region, instance_id=key)
        elif pane_id == "volumes" and key != before.volume_id:
            choice = Choice(before.region, before.instance_id, key)
        self.state.choice = choice
        if choice != before:
            if pane_id == "regions":
                self.panes.instances()
            if pane_id in ("regions", "instances"):
                self.panes.volumes()
            self.panes.snapshots()
        self._refresh_detail()

    @on(VirtualTable.MarksChanged)
    def _marks_changed(self, event: VirtualTable.MarksChanged) -> None:
        self.panes.subtitle(event.table)

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        """Enter drills down: focus the next pane to the right."""
        pane_id = event.table.id or ""
        if pane_id in PANE_ORDER[:-1]:
            self.pane(PANE_ORDER[PANE_ORDER.index(pane_id) + 1]).focus()

    def on_descendant_focus(self) -> None:
        self._refresh_detail()

    def action_focus_detail(self) -> None:
        self._focused_pane()  # remember which pane the detail is about
        self.query_one(DetailPanel).remove_class("hidden")
        self.query_one(DetailPanel).focus()

    # --- actions ---------------------------------------------------------------------------

    def action_focus_pane(self, pane_id: str) -> None:
        self.pane(pane_id).focus()

    def action_refresh(self) -> None:
        self.notify("Refreshing…", timeout=2)
        self.load()

    def action_help(self) -> None:
        pane = self._focused_pane()
        sections: list[tuple[str, list[BindingType]]] = [
            ("Everywhere", self.BINDINGS),
            ("In a pane", VirtualTable.BINDINGS if pane is None else pane.BINDINGS),
        ]
        self.push_screen(HelpScreen(sections))

    def action_problems(self) -> None:
        self.push_screen(ProblemsScreen(self.problems))

    def action_copy_id(self) -> None:
        pane = self._focused_pane()
        row = pane.cursor_row if pane else None
        ident = row_id(row) if row is not None else ""
        if not ident or isinstance(row, PseudoRow):
            self.notify("Nothing to copy here", severity="warning")
            return
        clipboard.copy(self, ident, ident)

    def action_sort(self) -> None:
        pane = self._focused_pane()
        if pane is not None:
            pane.cycle_sort()

    def action_reverse_sort(self) -> None:
        pane = self._focused_pane()
        if pane is not None:
            pane.reverse_sort()

    def action_toggle_detail(self) -> None:
        self.query_one(DetailPanel).toggle_class("hidden")

    def action_zoom(self) -> None:
        self.query_one("#main").toggle_class("zoomed")
        pane = self._focused_pane()
        for pid in PANE_ORDER:
            self.pane(pid).set_class(pane is not None and pid == pane.id, "zoom-target")

    # --- filter and view prompt --------------------------------------------------------------

    @property
    def prompt(self) -> PromptBar:
        return self.query_one(PromptBar)

    def action_filter(self) -> None:
        pane = self._focused_pane()
        self._filter_target = pane.id if pane and pane.id else "snapshots"
        self.prompt.open(
            "filter",
            f"/ filter {self._filter_target}",
            "ID, name, description, tags · enter keeps · esc clears",
            self.pane(self._filter_target).filter_text,
        )

    def action_command(self) -> None:
        self.prompt.open("command", ": view", "tab completes: " + " ".join(views.VIEW_WORDS))

    @on(Input.Changed, "#prompt")
    def _prompt_changed(self, event: Input.Changed) -> None:
        if self.prompt.mode == "filter":
            self._apply_filter(self._filter_target, event.value.strip())

    def _apply_filter(self, pane_id: str, query: str) -> None:
        pane = self.pane(pane_id)
        pane.set_filter(query)
        self.panes.subtitle(pane)
        if pane_id == "snapshots":
            pane.empty_text = self.panes.empty_reason()

    @on(Input.Submitted, "#prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        self._close_prompt()
        if self.prompt.mode == "command":
            views.run_command(self, event.value)

    @on(PromptInput.Cancelled)
    def _prompt_cancelled(self) -> None:
        if self.prompt.mode == "filter":
            self._apply_filter(self._filter_target, "")
        self._close_prompt()

    def _run_view_command(self, word: str) -> None:
        views.run_view_command(self, word)  # also the Lightsail screen's `:` prompt

    def open_lightsail(self) -> None:
        from snaptui.ui.lightsail.screen import LightsailScreen

        if not isinstance(self.screen, LightsailScreen):
            self.push_screen(LightsailScreen(self.ctx, clock=self.clock))

    def _close_prompt(self) -> None:
        self.prompt.close()
        target = self._filter_target if self.prompt.mode == "filter" else self._last_pane
        self.pane(target).focus()

    async def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "detail":
            self.pane(self._last_pane).focus()
            return
        pane = self._focused_pane()
        if pane is None or not pane.id:
            return
        if pane.filter_text:
            self._apply_filter(pane.id, "")
        elif pane.id != PANE_ORDER[0]:
            self.pane(PANE_ORDER[PANE_ORDER.index(pane.id) - 1]).focus()
