"""The snaptui application: four drill-down panes, a detail panel and a status line.

AWS I/O never runs here: workers call the blocking functions of snaptui.aws in threads and
hand results back with call_from_thread. Each region lands as soon as it answers.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input

from snaptui.aws import imds, inventory, regions
from snaptui.aws.cost_fetch import compute_costs, fetch_live_prices
from snaptui.aws.diff_cache import DiffCache, namespace_for
from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.core import details
from snaptui.core.browse import ALL, NO_VOLUME, ORPHANS, Choice, Fleet
from snaptui.cost.report import (
    AccountCosts,
    PriceBook,
    RegionCosts,
    SnapshotCost,
    bundled_book,
    set_freed_detail,
)
from snaptui.models import Instance, Problem, RegionInventory, Snapshot, Volume
from snaptui.ui import clipboard
from snaptui.ui.actions import Actions
from snaptui.ui.cost_view import CostScreen, cost_rows, set_line
from snaptui.ui.keys import HoldKeysApp
from snaptui.ui.panels.detail import DetailPanel
from snaptui.ui.panels.status import StatusLine
from snaptui.ui.panes import (
    NO_VOLUME_LABEL,
    ORPHANS_LABEL,
    Clock,
    InstancesPane,
    PseudoRow,
    RegionRow,
    RegionsPane,
    SnapshotsPane,
    VolumesPane,
    row_id,
    system_clock,
)
from snaptui.ui.prompt import PromptBar, PromptInput
from snaptui.ui.screens.help import HelpScreen
from snaptui.ui.screens.problems import ProblemsScreen
from snaptui.ui.text import line
from snaptui.ui.vtable import VirtualTable

PANE_ORDER = ("regions", "instances", "volumes", "snapshots")
VIEWS = {
    "regions": "regions",
    "region": "regions",
    "instances": "instances",
    "inst": "instances",
    "ec2": "instances",
    "volumes": "volumes",
    "vol": "volumes",
    "snapshots": "snapshots",
    "snap": "snapshots",
    "snaps": "snapshots",
}
COST_WORDS = ("cost", "costs", "review")
# What `:` completes and lists, most used first.
VIEW_WORDS = (
    "snapshots", "volumes", "instances", "regions", "orphans", "cost", "prices", "restores",
    "recycle", "errors", "help", "quit",
)  # fmt: skip


class SnapApp(HoldKeysApp[int]):
    TITLE = "snaptui"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", priority=True),
        Binding("question_mark", "help", "Help", key_display="?", priority=True),
        Binding("slash", "filter", "Filter", key_display="/", priority=True),
        Binding("colon", "command", "View", key_display=":", priority=True),
        Binding("n", "act('create_snapshot')", "New snap", priority=True),
        Binding("x,delete", "act('delete')", "Delete", priority=True),
        Binding("R", "act('restore')", "Restore", priority=True),
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
    ) -> None:
        super().__init__()
        self.ctx = ctx
        # Cost figures arrive region by region from a worker; the panes read them by ID.
        self.costs_enabled = costs_enabled
        self.region_costs: dict[str, RegionCosts] = {}
        self.cost_running = False
        self._cost_of: dict[str, SnapshotCost] = {}
        self._cost_cancel = threading.Event()
        self._cost_progress: dict[str, tuple[int, int]] = {}
        # Diffs from a moto/LocalStack world are never trusted for another (IDs repeat there).
        self._cost_cache = DiffCache(
            ctx.target.cache_root, namespace_for(ctx.target.effective_endpoint)
        )
        self.actions = Actions(self)
        self.price_book: PriceBook = bundled_book()  # `:prices` asks the Pricing API
        self.host_instance: imds.HostInstance | None = None
        self.clock = clock
        self.inventories: dict[str, RegionInventory] = {}
        self.fleet = Fleet()
        self.choice = Choice()
        self.region_names: list[str] = []
        self.loading_regions: set[str] = set()
        self.global_problems: list[Problem] = []
        self._filter_target = "snapshots"
        self._endpoint_label = endpoint_label
        self._last_pane = "snapshots"  # the detail follows it while help or a dialog is up

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield RegionsPane()
                yield InstancesPane()
                yield VolumesPane()
            with Vertical(id="right"):
                yield SnapshotsPane(
                    self.clock,
                    cost_of=lambda s: self._cost_of.get(s.id),
                    computing=lambda: self.cost_running,
                )
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
        self.query_one(PromptBar).words = VIEW_WORDS
        status = self.query_one(StatusLine)
        status.facts.profile = self.ctx.profile_label
        status.facts.endpoint = self._endpoint_label
        status.facts.read_only = self.ctx.target.read_only
        status.redraw()
        self.pane("snapshots").focus()
        self.set_interval(0.5, self._cost_tick)
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MAIN_SCREEN_ACTIONS:
            on_main = len(self.screen_stack) <= 1
            return on_main and not isinstance(self.focused, Input)
        return True

    def pane(self, pane_id: str) -> VirtualTable[Any]:
        return self.query_one(f"#{pane_id}", VirtualTable)

    # --- loading (workers) -----------------------------------------------------------------

    def load(self) -> None:
        status = self.query_one(StatusLine).facts
        status.loading = True
        self.global_problems = []
        self._load_worker()

    @work(thread=True, exclusive=True, group="inventory", exit_on_error=False)
    def _load_worker(self) -> None:
        if self.host_instance is None and not self.ctx.target.effective_endpoint:
            # Real AWS only (the demo and LocalStack are not EC2): IMDSv2 with a 1 s timeout,
            # off with AWS_EC2_METADATA_DISABLED. The restore flow offers this host first.
            self.host_instance = imds.detect()
        try:
            names, problem = regions.resolve_regions(self.ctx)
        except Exception as exc:  # never let a worker error reach the user as a traceback
            names, problem = [], problem_from(exc)
        self.call_from_thread(self._regions_known, names, problem)
        if not names:
            return
        inventory.fetch_all(
            self.ctx,
            names,
            on_region=lambda inv: self.call_from_thread(self._region_loaded, inv),
            clock=self.clock,
        )
        self.call_from_thread(self._load_finished)

    def _regions_known(self, names: list[str], problem: Problem | None) -> None:
        self.region_names = names
        self.loading_regions = set(names)
        if problem is not None:
            self.global_problems.append(problem)
            self.notify(str(problem), title="Cannot list regions", severity="error", timeout=10)
        status = self.query_one(StatusLine).facts
        status.regions_total = len(names)
        status.regions_done = 0
        if not names:
            status.loading = False
        self._refresh_all()

    def _region_loaded(self, inv: RegionInventory) -> None:
        self.inventories[inv.region] = inv
        self.loading_regions.discard(inv.region)
        for p in inv.problems:
            self.notify(str(p), title=f"{inv.region}", severity="error", timeout=8)
        # Region order, not arrival order: the panes must not reshuffle as regions answer.
        self.fleet = Fleet.build(
            {r: self.inventories[r] for r in self.region_names if r in self.inventories}
        )
        status = self.query_one(StatusLine).facts
        status.regions_done = len(self.region_names) - len(self.loading_regions)
        self._refresh_all()

    def _load_finished(self) -> None:
        status = self.query_one(StatusLine).facts
        status.loading = False
        status.refreshed_at = self.clock()
        self._refresh_all()
        if self.costs_enabled:
            self.start_costs()

    # --- cost (a worker; figures fill in as regions finish) ----------------------------------

    def start_costs(self) -> None:
        self._cost_cancel.set()  # a previous run stops at its next edge
        self._cost_cancel = threading.Event()
        self._cost_progress = {}
        self.cost_running = True
        invs = [self.inventories[r] for r in self.region_names if r in self.inventories]
        self._update_cost_status()
        self._cost_worker(invs, self._cost_cancel)

    @work(thread=True, exclusive=True, group="cost", exit_on_error=False)
    def _cost_worker(self, invs: list[RegionInventory], cancel: threading.Event) -> None:
        progress = self._cost_progress

        def on_progress(region: str, done: int, total: int) -> None:
            progress[region] = (done, total)  # read by a UI timer: no round trip per edge

        try:
            costs = compute_costs(
                self.ctx,
                invs,
                prices=self.price_book,
                cache=self._cost_cache,
                on_progress=on_progress,
                on_region=lambda rc: self.call_from_thread(self._cost_region, rc, cancel),
                cancel=cancel,
            )
        except Exception as exc:  # a bug must not take the browsing UI down with it
            self.call_from_thread(self._cost_failed, problem_from(exc), cancel)
            return
        self.call_from_thread(self._cost_finished, costs, cancel)

    def _cost_region(self, rc: RegionCosts, cancel: threading.Event) -> None:
        if cancel is not self._cost_cancel:
            return  # an older, cancelled run
        self.region_costs[rc.region] = rc
        self._cost_of.update(rc.snapshots)
        self._refresh_regions()
        self.pane("snapshots").refresh()
        self._subtitle(self.pane("snapshots"))
        self._refresh_detail()
        self._update_cost_status()

    def _cost_finished(self, costs: AccountCosts, cancel: threading.Event) -> None:
        if cancel is not self._cost_cancel:
            return
        self.cost_running = False
        self.region_costs.update(costs.regions)
        for rc in costs.regions.values():
            self._cost_of.update(rc.snapshots)
        self._cost_notes = list(costs.notes)
        self.pane("snapshots").refresh()
        self._subtitle(self.pane("snapshots"))
        self._refresh_detail()
        self._update_cost_status()

    def _cost_failed(self, problem: Problem, cancel: threading.Event) -> None:
        if cancel is self._cost_cancel:
            self.cost_running = False
            self.global_problems.append(problem)
            self.notify(str(problem), title="Cost", severity="error", timeout=8)
            self._update_cost_status()

    def _region_cost_cell(self, region: str) -> str:
        rc = self.region_costs.get(region)
        if rc is not None:
            t = rc.totals()
            return f"{'' if t.exact else '~'}{t.monthly_high:.2f}"
        done, total = self._cost_progress.get(region, (0, 0))
        if self.cost_running and total:
            return f"{100 * done // total}%"
        return "…" if self.cost_running else ""

    def _cost_tick(self) -> None:
        """Progress while the cost worker runs: edges done per region and in total."""
        if self.cost_running:
            self._update_cost_status()
            self._refresh_regions()

    def _update_cost_status(self) -> None:
        facts = self.query_one(StatusLine).facts
        if self.cost_running:
            done = sum(d for d, _ in self._cost_progress.values())
            total = sum(t for _, t in self._cost_progress.values())
            facts.cost = f"cost {done}/{total}" if total else "cost …"
        elif self.region_costs:
            t = self.account_costs().totals()
            facts.cost = f"{'' if t.exact else '~'}${t.monthly_high:,.2f}/mo"
        else:
            facts.cost = ""
        self.query_one(StatusLine).redraw()

    def cost_of(self, snapshot_id: str) -> SnapshotCost | None:
        return self._cost_of.get(snapshot_id)

    def freed_text(self, snapshot_ids: list[str]) -> str:
        """What deleting these snapshots together frees, for confirmations ("" when unknown)."""
        if not self.region_costs:
            return ""
        d = set_freed_detail(self.account_costs(), snapshot_ids)
        text = set_line(len(snapshot_ids), d).split("frees ", 1)[-1]
        return text

    def reload_region(self, region: str) -> None:
        """After an action: fetch just the region that changed, then its costs."""
        if region not in self.region_names:
            return
        self.loading_regions.add(region)
        self._refresh_regions()
        self._reload_worker(region)

    @work(thread=True, group="reload", exit_on_error=False)
    def _reload_worker(self, region: str) -> None:
        inv = inventory.fetch_region(self.ctx, region, clock=self.clock)
        self.call_from_thread(self._region_loaded, inv)
        self.call_from_thread(self._load_finished)

    def refresh_prices(self) -> None:
        """`:prices`: fetch current prices from the Pricing API (cached), then recompute."""
        self.notify("Asking the Pricing API for current EBS snapshot prices…", timeout=3)
        self._prices_worker()

    @work(thread=True, exclusive=True, group="prices", exit_on_error=False)
    def _prices_worker(self) -> None:
        book, notes = fetch_live_prices(self.ctx)
        self.call_from_thread(self._prices_fetched, book, notes)

    def _prices_fetched(self, book: PriceBook, notes: list[str]) -> None:
        self.price_book = book
        self._cost_notes = list(notes)
        for note in notes:
            self.notify(note, title="Prices", severity="warning", timeout=8)
        if not notes:
            self.notify("Live prices in use; recomputing (cached diffs: no new calls)", timeout=4)
        if self.inventories:
            self.start_costs()

    def account_costs(self) -> AccountCosts:
        account = AccountCosts(self.ctx.profile_label, self.price_book)
        account.regions = dict(self.region_costs)
        account.notes = list(getattr(self, "_cost_notes", []))
        return account

    async def action_quit(self) -> None:
        # Thread workers cannot be killed: tell the cost worker to stop at its next edge so
        # quitting never waits for a long computation.
        self._cost_cancel.set()
        await super().action_quit()

    def action_act(self, name: str) -> None:
        # Keys typed behind this one go to the dialog it opens (released there), not the panes.
        self.hold_keys()
        getattr(self.actions, name)()

    def action_cost_review(self) -> None:
        names = {v.id: v.name for v in self.fleet.volumes_by_id.values() if v.name}
        progress = "(computing…)" if self.cost_running else ""
        self.push_screen(CostScreen(self.account_costs(), names, progress))

    def action_cost_toggle(self) -> None:
        if self.cost_running:
            self._cost_cancel.set()
            self.cost_running = False
            self.notify("Cost computation cancelled; figures so far stay", timeout=3)
            self._update_cost_status()
            self.pane("snapshots").refresh()
        else:
            self.start_costs()

    @property
    def problems(self) -> list[Problem]:
        return self.global_problems + [p for inv in self.inventories.values() for p in inv.problems]

    # --- drill-down ------------------------------------------------------------------------

    def _refresh_all(self) -> None:
        self._refresh_regions()
        self._refresh_instances()
        self._refresh_volumes()
        self._refresh_snapshots()
        self._refresh_status()
        self._refresh_detail()

    def _set(self, pane_id: str, rows: list[Any], pinned: list[Any] | None = None) -> None:
        pane = self.pane(pane_id)
        pane.set_rows(rows, pinned or [])
        self._subtitle(pane)

    def _subtitle(self, pane: VirtualTable[Any]) -> None:
        query = pane.filter_text
        sub = (
            f"{pane.filtered_count}/{pane.source_count} /{query}"
            if query
            else str(pane.source_count)
        )
        marks = len(pane.marked_keys)
        if marks and pane.id == "snapshots" and self.region_costs:
            detail = set_freed_detail(self.account_costs(), pane.marked_keys)
            sub = f"{set_line(marks, detail)} · {sub}"
        elif marks:
            sub = f"{marks} marked · {sub}"
        pane.border_subtitle = line(sub)  # the typed filter is data: `[/` is not markup

    def _refresh_regions(self) -> None:
        rows = [
            RegionRow(
                id=name,
                snapshots=len(self.inventories[name].snapshots) if name in self.inventories else 0,
                loading=name in self.loading_regions,
                problems=len(self.inventories[name].problems) if name in self.inventories else 0,
                cost=self._region_cost_cell(name),
            )
            for name in self.region_names
        ]
        total = sum(r.snapshots for r in rows)
        self._set("regions", rows, [PseudoRow(ALL, "(all)", total, "snaps")])

    def _loading_text(self, what: str) -> str:
        if self.loading_regions:
            return f"Loading {what}… ({len(self.loading_regions)} region(s) to go)"
        return f"No {what} here"

    def _refresh_instances(self) -> None:
        self.pane("instances").empty_text = self._loading_text("instances")
        rows = self.fleet.instances(self.choice)
        self._set("instances", list(rows), [PseudoRow(ALL, "(all)", len(rows), "state")])

    def _refresh_volumes(self) -> None:
        self.pane("volumes").empty_text = self._loading_text("volumes")
        rows = self.fleet.volumes(self.choice)
        pinned: list[Any] = [PseudoRow(ALL, "(all)", len(rows), "size")]
        if self.choice.instance_id == ALL:
            orphans = self.fleet.orphan_count(self.choice.region)
            if orphans:
                pinned.append(PseudoRow(ORPHANS, ORPHANS_LABEL, orphans, "size"))
            gone = self.fleet.no_volume_count(self.choice.region)
            if gone > orphans:  # copies and AMI snapshots have no volume either
                pinned.append(PseudoRow(NO_VOLUME, NO_VOLUME_LABEL, gone, "size"))
        self._set("volumes", list(rows), pinned)

    def _refresh_snapshots(self) -> None:
        self._set("snapshots", self.fleet.snapshots(self.choice))
        pane = self.pane("snapshots")
        if not self.region_names or self.loading_regions:
            pane.empty_text = "Loading snapshots…" if self.loading_regions else "No regions"
        else:
            pane.empty_text = self._empty_reason()

    def _empty_reason(self) -> str:
        if self.pane("snapshots").filter_text:
            return "No snapshot matches the filter (esc clears it)"
        failing = [p for p in self.problems if p.operation in ("", "DescribeSnapshots")]
        if failing:
            return f"No snapshots shown: {failing[0]}"
        return "No snapshots here"

    def _refresh_status(self) -> None:
        facts = self.query_one(StatusLine).facts
        facts.instances, facts.volumes, facts.snapshots = self.fleet.counts()
        facts.problems = len(self.problems)
        self.query_one(StatusLine).redraw()

    @on(VirtualTable.RowHighlighted)
    def _row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        pane_id = event.table.id or ""
        key = row_id(event.row) if event.row is not None else ALL
        before = self.choice
        if pane_id == "regions":
            self.choice = Choice(region=key) if key != before.region else before
        elif pane_id == "instances":
            if key != before.instance_id:
                self.choice = Choice(region=before.region, instance_id=key)
        elif pane_id == "volumes" and key != before.volume_id:
            self.choice = Choice(before.region, before.instance_id, key)
        if self.choice != before:
            if pane_id == "regions":
                self._refresh_instances()
            if pane_id in ("regions", "instances"):
                self._refresh_volumes()
            self._refresh_snapshots()
        self._refresh_detail()

    @on(VirtualTable.MarksChanged)
    def _marks_changed(self, event: VirtualTable.MarksChanged) -> None:
        self._subtitle(event.table)

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

    # --- detail ----------------------------------------------------------------------------

    def _focused_pane(self) -> VirtualTable[Any] | None:
        """The focused pane, or the last one focused while the detail, help or a dialog is."""
        widget = self.focused
        if isinstance(widget, VirtualTable):
            self._last_pane = widget.id or self._last_pane
            return widget
        return self.pane(self._last_pane)

    def _refresh_detail(self) -> None:
        panel = self.query_one(DetailPanel)
        pane = self._focused_pane()
        row = pane.cursor_row if pane is not None else None
        f = self.fleet
        if isinstance(row, Snapshot):
            snap_rows = details.snapshot_rows(row, f, self.clock())
            snap_rows += cost_rows(self._cost_of.get(row.id), self.cost_running)
            panel.show(f"Snapshot {row.id}", snap_rows)
        elif isinstance(row, Volume):
            panel.show(f"Volume {row.id}", details.volume_rows(row, f, self.clock()))
        elif isinstance(row, Instance):
            panel.show(f"Instance {row.id}", details.instance_rows(row, f, self.clock()))
        elif isinstance(row, RegionRow) and row.id in self.inventories:
            panel.show(f"Region {row.id}", details.region_rows(self.inventories[row.id], f))
        elif isinstance(row, RegionRow):
            panel.show(f"Region {row.id}", [("Region", row.id), ("State", "loading…")])
        elif isinstance(row, PseudoRow):
            what = {
                "regions": "every region",
                "instances": "every instance",
                "volumes": "every volume",
            }.get((pane.id if pane else None) or "", "everything")
            note = {
                ORPHANS: "Source volume gone, no AMI uses it, not a copy: clean-up candidates.",
                NO_VOLUME: "Every snapshot whose volume is not in its region: orphans, copies "
                "and AMI snapshots.",
            }.get(row.id, f"No narrowing: {what} in the current choice.")
            rows: list[details.Row] = [("Choice", row.label), ("Items", str(row.count)), ("", note)]
            rows += details.problem_rows(self.problems)
            panel.show(row.label, rows)
        else:
            panel.clear("Nothing highlighted")

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
        how = clipboard.copy(self, ident)
        self.notify(f"Copied {ident} {how}", timeout=3)

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
        self.prompt.open("command", ": view", "tab completes: " + " ".join(VIEW_WORDS))

    @on(Input.Changed, "#prompt")
    def _prompt_changed(self, event: Input.Changed) -> None:
        if self.prompt.mode == "filter":
            self._apply_filter(self._filter_target, event.value.strip())

    def _apply_filter(self, pane_id: str, query: str) -> None:
        pane = self.pane(pane_id)
        pane.set_filter(query)
        self._subtitle(pane)
        if pane_id == "snapshots":
            pane.empty_text = self._empty_reason()

    @on(Input.Submitted, "#prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        self._close_prompt()
        if self.prompt.mode == "command":
            self._run_view_command(event.value.strip().lstrip(":").lower())

    @on(PromptInput.Cancelled)
    def _prompt_cancelled(self) -> None:
        if self.prompt.mode == "filter":
            self._apply_filter(self._filter_target, "")
        self._close_prompt()

    def _run_view_command(self, word: str) -> None:
        if word in VIEWS:
            self.pane(VIEWS[word]).focus()
        elif word in ("orphans", "orphan"):
            self.pane("volumes").move_cursor_to_key(ORPHANS)
            self.pane("snapshots").focus()
        elif word in ("prices", "live-prices"):
            self.refresh_prices()
        elif word in ("recycle", "recycle-bin", "bin"):
            self.actions.recycle_bin()
        elif word in ("restores", "restore"):
            self.actions.restores()
        elif word in COST_WORDS:
            self.action_cost_review()
        elif word in ("errors", "problems"):
            self.action_problems()
        elif word == "help":
            self.action_help()
        elif word in ("q", "quit"):
            self.exit(0)
        elif word:
            self.notify(
                [f"Unknown view: {word}", "Views: " + " ".join(VIEW_WORDS)],
                title="Unknown view",
                severity="warning",
                timeout=8,
            )

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
