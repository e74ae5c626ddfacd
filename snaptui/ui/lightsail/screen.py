"""The Lightsail view: regions -> instances and disks -> snapshots, with detail and actions.

Pushed over the EC2 screen by ``:lightsail`` (or the palette); escape from its first pane goes
back. Loading runs as a job on the app's executor; answers from an older load are dropped.
Keys are the EC2 view's: / filter, s/S sort, y copy name, Y copy ARN, d detail, r refresh,
n new snapshot, x delete, p copy to a region, k keep an automatic snapshot, R restore a file
(disk + attach + mount commands), L new instance, A automatic snapshots, E export to EC2.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from snaptui.aws.lightsail.models import LsInstance, LsRegionInventory, LsSnapshot
from snaptui.cost.lightsail import bundled_rate, format_ceiling, total_ceiling_usd
from snaptui.models import Problem
from snaptui.ui import clipboard
from snaptui.ui.burst_input import BurstInput
from snaptui.ui.keys import focus_now
from snaptui.ui.lightsail import details
from snaptui.ui.lightsail.loading import LsRegionLoaded, LsRegionsKnown, load_work, poster
from snaptui.ui.lightsail.panes import (
    ALL,
    GONE,
    LsRegionsPane,
    LsResourcesPane,
    LsSnapshotsPane,
    PseudoRow,
    RegionRow,
    ResourceRow,
    resource_row,
)
from snaptui.ui.panels.detail import DetailPanel
from snaptui.ui.panes import Clock, system_clock
from snaptui.ui.screens.problems import ProblemsScreen
from snaptui.ui.vtable import VirtualTable

PANES = ("ls-regions", "ls-resources", "ls-snapshots")


class LightsailScreen(Screen[None]):
    DEFAULT_CSS = """
    LightsailScreen { layout: vertical; }
    #ls-main { height: 1fr; }
    #ls-left { width: 30%; min-width: 24; max-width: 40; }
    #ls-right { width: 1fr; }
    #ls-regions { height: auto; max-height: 8; min-height: 4; }
    #ls-resources { height: 1fr; }
    #ls-snapshots { height: 2fr; }
    #ls-detail { height: 1fr; min-height: 6; }
    #ls-status { height: 1; background: $boost; padding: 0 1; }
    #ls-prompt { dock: bottom; height: 1; border: none; padding: 0 1; background: $boost; }
    #ls-prompt.hidden { display: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=False),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("colon", "command", "View", key_display=":"),
        Binding("r", "refresh", "Refresh"),
        Binding("y", "copy('name')", "Copy name"),
        Binding("Y", "copy('arn')", "Copy ARN", show=False),
        Binding("n", "act('create')", "New snap"),
        Binding("x,delete", "act('delete')", "Delete"),
        Binding("R", "act('restore')", "Restore file"),
        Binding("k", "act('keep')", "Keep auto", show=False),
        Binding("p", "act('copy')", "Copy to region", show=False),
        Binding("L", "act('launch')", "New instance", show=False),
        Binding("A", "act('auto')", "Auto snapshots", show=False),
        Binding("E", "act('export')", "Export to EC2", show=False),
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False),
        Binding("d", "toggle_detail", "Detail", show=False),
        Binding("e", "problems", "Errors", show=False),
        Binding("1", "focus_pane('ls-regions')", "Regions pane", show=False),
        Binding("2", "focus_pane('ls-resources')", "Resources pane", show=False),
        Binding("3", "focus_pane('ls-snapshots')", "Snapshots pane", show=False),
        # EC2-only keys do nothing here rather than act on the hidden EC2 panes.
        Binding("v,a,c,C,z,4", "ec2_only", show=False),
    ]

    def __init__(self, ctx: Any, *, clock: Clock = system_clock) -> None:
        super().__init__()
        self.ctx = ctx
        self.clock = clock
        self.rate = bundled_rate()
        self.invs: dict[str, LsRegionInventory] = {}
        self.regions: list[str] = []
        self.problems: list[Problem] = []
        self.generation = 0
        self._mode = "filter"
        self._filter_target = "ls-snapshots"
        from snaptui.ui.lightsail.actions import LsActions

        self.actions = LsActions(self)

    def compose(self) -> ComposeResult:
        with Horizontal(id="ls-main"):
            with Vertical(id="ls-left"):
                yield LsRegionsPane()
                yield LsResourcesPane()
            with Vertical(id="ls-right"):
                yield LsSnapshotsPane(self.clock, self.rate)
                yield DetailPanel(id="ls-detail")
        yield BurstInput(id="ls-prompt", classes="hidden")
        yield Static("", id="ls-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        titles = ("1 Lightsail regions", "2 Instances / disks", "3 Lightsail snapshots")
        for pane_id, title in zip(PANES, titles, strict=True):
            self.pane(pane_id).border_title = title
        self.pane("ls-snapshots").focus()
        self.load()

    def pane(self, pane_id: str) -> VirtualTable[Any]:
        return self.query_one(f"#{pane_id}", VirtualTable)

    # --- loading ---------------------------------------------------------------------------

    def load(self, only: str = "") -> None:
        """Everything (or one region after an action); older answers are dropped."""
        self.generation += 1
        if not only:
            self.invs.clear()
        work = load_work(self.ctx, self.generation, poster(self), self.clock, only)
        self.app.jobs.start("lightsail", work, group="lightsail", exclusive=not only)  # type: ignore[attr-defined]
        self._status()

    @on(LsRegionsKnown)
    def _regions_known(self, msg: LsRegionsKnown) -> None:
        if msg.generation != self.generation:
            return
        self.regions, self.problems = msg.regions, list(msg.problems)
        self._render_regions()

    @on(LsRegionLoaded)
    def _region_loaded(self, msg: LsRegionLoaded) -> None:
        if msg.generation != self.generation:
            return
        self.invs[msg.inv.region] = msg.inv
        if msg.inv.region not in self.regions:
            self.regions.append(msg.inv.region)
        self._render_regions()

    # --- rendering -------------------------------------------------------------------------

    def _render_regions(self) -> None:
        rows = [
            RegionRow(
                r, len(inv.snapshots) if inv else 0, inv is None, len(inv.problems) if inv else 0
            )
            for r in self.regions
            for inv in [self.invs.get(r)]
        ]
        total = sum(row.snapshots for row in rows)
        self.pane("ls-regions").set_rows(rows, pinned=[PseudoRow(ALL, ALL, total, "snaps")])
        self._render_resources()

    def _chosen_regions(self) -> list[LsRegionInventory]:
        row = self.pane("ls-regions").cursor_row
        chosen = getattr(row, "id", ALL)
        # In region order, never arrival order: the panes look the same on every load.
        return [self.invs[r] for r in self.regions if r in self.invs and chosen in (ALL, r)]

    def _render_resources(self) -> None:
        rows: list[ResourceRow] = []
        gone = 0
        for inv in self._chosen_regions():
            disks = {d.name: d for d in inv.disks}
            for i in sorted(inv.instances, key=lambda i: i.name):
                rows.append(resource_row(i))
                rows += [resource_row(disks.pop(n)) for n in sorted(i.disk_paths) if n in disks]
            rows += [resource_row(d) for d in sorted(disks.values(), key=lambda d: d.name)]
            names = {i.name for i in inv.instances} | {d.name for d in inv.disks}
            gone += sum(1 for s in inv.snapshots if s.source_name not in names)
        count = sum(len(inv.snapshots) for inv in self._chosen_regions())
        pinned = [PseudoRow(ALL, ALL, count, "info"), PseudoRow(GONE, GONE, gone, "info")]
        pane = self.pane("ls-resources")
        pane.set_rows(rows, pinned=pinned)
        self._render_snapshots()

    def _render_snapshots(self) -> None:
        row = self.pane("ls-resources").cursor_row
        snaps: list[LsSnapshot] = []
        for inv in self._chosen_regions():
            names = {i.name for i in inv.instances} | {d.name for d in inv.disks}
            for s in inv.snapshots:
                if isinstance(row, ResourceRow):
                    keep = s.region == row.region and s.source_name == row.name
                elif getattr(row, "id", ALL) == GONE:
                    keep = s.source_name not in names
                else:
                    keep = True
                if keep:
                    snaps.append(s)
        self.pane("ls-snapshots").set_rows(snaps)
        self._status()
        self._refresh_detail()

    def _status(self) -> None:
        shown = self.pane("ls-snapshots").rows
        ceiling = format_ceiling(total_ceiling_usd((s.size_gb for s in shown), self.rate))
        loading = len([r for r in self.regions if r not in self.invs])
        problems = len(self.problems) + sum(len(i.problems) for i in self.invs.values())
        rate = self.rate.usd_per_gb_month
        parts = [f"{len(shown)} snapshots {ceiling} (disk size x ${rate}/GB-mo)"]
        if loading:
            parts.append(f"loading {loading} regions")
        if problems:
            parts.append(f"{problems} errors (e)")
        if self.ctx.target.read_only:
            parts.append("read-only")
        self.query_one("#ls-status", Static).update(" · ".join(parts))

    def _refresh_detail(self) -> None:
        panel = self.query_one(DetailPanel)
        focused = self.focused if isinstance(self.focused, VirtualTable) else None
        row = (focused or self.pane("ls-snapshots")).cursor_row
        now = self.clock()
        if isinstance(row, LsSnapshot):
            panel.show(f"Snapshot {row.name}", details.snapshot_rows(row, self.rate, now))
        elif isinstance(row, ResourceRow):
            res = row.resource
            if isinstance(res, LsInstance):
                panel.show(f"Instance {row.name}", details.instance_rows(res, now))
            else:
                panel.show(f"Disk {row.name}", details.disk_rows(res, now))
        else:
            panel.clear("Highlight a snapshot, an instance or a disk")

    @on(VirtualTable.RowHighlighted)
    def _highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        if event.table.id == "ls-regions":
            self._render_resources()
        elif event.table.id == "ls-resources":
            self._render_snapshots()
        else:
            self._refresh_detail()

    def on_descendant_focus(self) -> None:
        self._refresh_detail()

    # --- keys ------------------------------------------------------------------------------

    def selected_snapshots(self) -> list[LsSnapshot]:
        pane = self.pane("ls-snapshots")
        marked = pane.marked_rows()
        if marked:
            return list(marked)
        row = pane.cursor_row
        return [row] if isinstance(row, LsSnapshot) else []

    def action_act(self, name: str) -> None:
        getattr(self.actions, name)()

    def action_copy(self, what: str) -> None:
        focused = self.focused if isinstance(self.focused, VirtualTable) else None
        row = focused.cursor_row if focused else None
        if isinstance(row, ResourceRow):
            row = row.resource
        value = str(getattr(row, what, "") or "")
        if not value:
            self.app.notify(f"No {what} to copy here", severity="warning")
            return
        clipboard.copy(self.app, value, value)

    def action_refresh(self) -> None:
        self.load()

    def action_sort(self) -> None:
        if isinstance(self.focused, VirtualTable):
            self.focused.cycle_sort()

    def action_reverse_sort(self) -> None:
        if isinstance(self.focused, VirtualTable):
            self.focused.reverse_sort()

    def action_toggle_detail(self) -> None:
        self.query_one(DetailPanel).toggle_class("hidden")

    def action_problems(self) -> None:
        every = self.problems + [p for inv in self.invs.values() for p in inv.problems]
        self.app.push_screen(ProblemsScreen(every))

    def action_focus_pane(self, pane_id: str) -> None:
        self.pane(pane_id).focus()

    def action_ec2_only(self) -> None:
        self.app.notify("That key works in the EC2 view (escape goes back)", severity="warning")

    def action_filter(self) -> None:
        focused = self.focused if isinstance(self.focused, VirtualTable) else None
        self._filter_target = focused.id if focused and focused.id else "ls-snapshots"
        self._open_prompt("filter", "filter: name, source, kind, tags (enter keeps, esc clears)",
                          self.pane(self._filter_target).filter_text)  # fmt: skip

    def action_command(self) -> None:
        self._open_prompt("command", "view: ec2 lightsail errors help quit (esc closes)")

    def _open_prompt(self, mode: str, placeholder: str, value: str = "") -> None:
        prompt = self.query_one("#ls-prompt", Input)
        self._mode, prompt.placeholder, prompt.value = mode, placeholder, value
        prompt.remove_class("hidden")
        focus_now(prompt)  # the keys right behind `:` or `/` in a burst land in it

    @on(Input.Changed, "#ls-prompt")
    def _prompt_changed(self, event: Input.Changed) -> None:
        if self._mode == "filter":
            self.pane(self._filter_target).set_filter(event.value.strip())

    @on(Input.Submitted, "#ls-prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        self._close_prompt()
        if self._mode == "command":
            word = event.value.strip().lstrip(":").lower()
            if word in ("errors", "problems"):
                self.action_problems()
            elif word not in ("lightsail", "ls", ""):
                self.app.pop_screen()
                self.app._run_view_command(word)  # type: ignore[attr-defined]

    def _close_prompt(self) -> None:
        self.query_one("#ls-prompt", Input).add_class("hidden")
        self.pane(self._filter_target if self._mode == "filter" else "ls-snapshots").focus()

    def action_back(self) -> None:
        prompt = self.query_one("#ls-prompt", Input)
        if not prompt.has_class("hidden"):
            if self._mode == "filter":
                self.pane(self._filter_target).set_filter("")
            self._close_prompt()
            return
        focused = self.focused if isinstance(self.focused, VirtualTable) else None
        if focused is not None and focused.filter_text:
            focused.set_filter("")
        elif focused is not None and focused.id != PANES[0]:
            self.pane(PANES[PANES.index(str(focused.id)) - 1]).focus()
        else:
            self.app.pop_screen()
