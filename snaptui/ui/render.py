"""Draw AppState into the panes, the detail panel and the status line.

The only writer of what the browsing screen shows: the app calls these after it has applied
a message to the state. Each function reads the state it is given; none keeps its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from snaptui.core import details, fmt
from snaptui.core.browse import ALL, NO_VOLUME, ORPHANS
from snaptui.core.clock import Clock
from snaptui.cost.report import set_freed_detail
from snaptui.models import Instance, Snapshot, Volume
from snaptui.ui.cost_view import cost_rows, set_line
from snaptui.ui.panels.detail import DetailPanel
from snaptui.ui.panels.status import StatusFacts
from snaptui.ui.panes import NO_VOLUME_LABEL, ORPHANS_LABEL, PseudoRow, RegionRow
from snaptui.ui.state import AppState
from snaptui.ui.text import line
from snaptui.ui.vtable import VirtualTable

PaneOf = Callable[[str], VirtualTable[Any]]


def status_facts(state: AppState, base: StatusFacts, now: datetime | None = None) -> StatusFacts:
    """The status line's facts: who/where from ``base``, the rest from the state."""
    instances, volumes, snapshots = state.fleet.counts()
    return StatusFacts(
        profile=base.profile,
        endpoint=base.endpoint,
        read_only=base.read_only,
        regions_done=state.regions_done,
        regions_total=len(state.region_names),
        instances=instances,
        volumes=volumes,
        snapshots=snapshots,
        refreshed_at=state.refreshed_at,
        loading=state.loading,
        problems=len(state.problems),
        cost=cost_text(state),
        cached=cached_text(state, now or datetime.now(UTC)),
    )


def cost_text(state: AppState) -> str:
    c = state.cost
    if c.running:
        done, total = c.edges()
        return f"cost {done}/{total}" if total else "cost …"
    if c.regions:
        t = state.account_costs().totals()
        return f"{'' if t.exact else '~'}${t.monthly_high:,.2f}/mo"
    return ""


def cached_age(state: AppState, region: str, now: Clock | None = None) -> str:
    """How old a region's rows are while they come from the cache ("" when fresh)."""
    inv = state.inventories.get(region)
    if inv is None or not inv.cached:
        return ""
    return fmt.age(inv.fetched_at, now() if now is not None else None)


def cached_text(state: AppState, now: datetime) -> str:
    """The status line's word on cached rows: the oldest age, and whether they refresh."""
    stamps = [inv.fetched_at for inv in state.inventories.values() if inv.cached and inv.fetched_at]
    if not stamps:
        return ""
    doing = ", refreshing" if state.loading_regions else ", refresh failed"
    return f"cached {fmt.age(min(stamps), now)} ago{doing}"


def region_cost_cell(state: AppState, region: str) -> str:
    c = state.cost
    if region in c.pending:
        done, total = c.progress.get(region, (0, 0))
        return f"{100 * done // total}%" if total else "…"
    rc = c.regions.get(region)
    if rc is not None:
        t = rc.totals()
        return f"{'' if t.exact else '~'}{t.monthly_high:.2f}"
    return "…" if c.running else ""


class Panes:
    """The four browsing panes and the detail panel, redrawn from ``state``."""

    def __init__(
        self,
        state: AppState,
        pane: PaneOf,
        detail: Callable[[], DetailPanel],
        asked: Callable[[Snapshot], tuple[str | None, str | None]] = lambda _: (None, None),
    ) -> None:
        self.state = state
        self.pane = pane
        self.detail = detail
        # The "Shared with" and "Backup plan" texts (ui/sharing_flow.py), None: not shown.
        self.asked = asked

    def all(self, focused: VirtualTable[Any] | None, now: Clock) -> None:
        self.regions(now)
        self.instances()
        self.volumes()
        self.snapshots()
        self.show_detail(focused, now)

    def costs(self, focused: VirtualTable[Any] | None, now: Clock) -> None:
        """What changes when cost figures arrive: region cells, snapshot cells, the detail."""
        self.regions()
        self.pane("snapshots").refresh()
        self.subtitle(self.pane("snapshots"))
        self.show_detail(focused, now)

    def _set(self, pane_id: str, rows: list[Any], pinned: list[Any] | None = None) -> None:
        pane = self.pane(pane_id)
        pane.set_rows(rows, pinned or [])
        self.subtitle(pane)

    def subtitle(self, pane: VirtualTable[Any]) -> None:
        query = pane.filter_text
        sub = (
            f"{pane.filtered_count}/{pane.source_count} /{query}"
            if query
            else str(pane.source_count)
        )
        marks = len(pane.marked_keys)
        if marks and pane.id == "snapshots" and self.state.cost.regions:
            detail = set_freed_detail(self.state.account_costs(), pane.marked_keys)
            sub = f"{set_line(marks, detail)} · {sub}"
        elif marks:
            sub = f"{marks} marked · {sub}"
        pane.border_subtitle = line(sub)  # the typed filter is data: `[/` is not markup

    def regions(self, now: Clock | None = None) -> None:
        s = self.state
        rows = [
            RegionRow(
                id=name,
                snapshots=len(s.inventories[name].snapshots) if name in s.inventories else 0,
                loading=name in s.loading_regions,
                problems=len(s.inventories[name].problems) if name in s.inventories else 0,
                cost=region_cost_cell(s, name),
                cached_age=cached_age(s, name, now),
            )
            for name in s.region_names
        ]
        total = sum(r.snapshots for r in rows)
        self._set("regions", rows, [PseudoRow(ALL, "(all)", total, "snaps")])

    def _loading_text(self, what: str) -> str:
        if self.state.loading_regions:
            return f"Loading {what}… ({len(self.state.loading_regions)} region(s) to go)"
        return f"No {what} here"

    def instances(self) -> None:
        self.pane("instances").empty_text = self._loading_text("instances")
        rows = self.state.fleet.instances(self.state.choice)
        self._set("instances", list(rows), [PseudoRow(ALL, "(all)", len(rows), "state")])

    def volumes(self) -> None:
        fleet, choice = self.state.fleet, self.state.choice
        self.pane("volumes").empty_text = self._loading_text("volumes")
        rows = fleet.volumes(choice)
        pinned: list[Any] = [PseudoRow(ALL, "(all)", len(rows), "size")]
        if choice.instance_id == ALL:
            orphans = fleet.orphan_count(choice.region)
            if orphans:
                pinned.append(PseudoRow(ORPHANS, ORPHANS_LABEL, orphans, "size"))
            gone = fleet.no_volume_count(choice.region)
            if gone > orphans:  # copies and AMI snapshots have no volume either
                pinned.append(PseudoRow(NO_VOLUME, NO_VOLUME_LABEL, gone, "size"))
        self._set("volumes", list(rows), pinned)

    def snapshots(self) -> None:
        self._set("snapshots", self.state.fleet.snapshots(self.state.choice))
        pane = self.pane("snapshots")
        if not self.state.region_names or self.state.loading_regions:
            pane.empty_text = "Loading snapshots…" if self.state.loading_regions else "No regions"
        else:
            pane.empty_text = self.empty_reason()

    def empty_reason(self) -> str:
        if self.pane("snapshots").filter_text:
            return "No snapshot matches the filter (esc clears it)"
        failing = [p for p in self.state.problems if p.operation in ("", "DescribeSnapshots")]
        if failing:
            return f"No snapshots shown: {failing[0]}"
        return "No snapshots here"

    def show_detail(self, pane: VirtualTable[Any] | None, now: Clock) -> None:
        panel = self.detail()
        row = pane.cursor_row if pane is not None else None
        s = self.state
        f = s.fleet
        if isinstance(row, Snapshot):
            shared, backup = self.asked(row)
            snap_rows = details.snapshot_rows(row, f, now(), shared, backup)
            snap_rows += cost_rows(s.cost.snapshot(row.id), s.cost.running)
            panel.show(f"Snapshot {row.id}", snap_rows)
        elif isinstance(row, Volume):
            panel.show(f"Volume {row.id}", details.volume_rows(row, f, now()))
        elif isinstance(row, Instance):
            panel.show(f"Instance {row.id}", details.instance_rows(row, f, now()))
        elif isinstance(row, RegionRow) and row.id in s.inventories:
            region_rows = details.region_rows(s.inventories[row.id], f)
            if row.cached_age:
                doing = "refreshing…" if row.id in s.loading_regions else "refresh failed"
                region_rows.insert(1, ("Data", f"cached {row.cached_age} ago, {doing}"))
            panel.show(f"Region {row.id}", region_rows)
        elif isinstance(row, RegionRow):
            panel.show(f"Region {row.id}", [("Region", row.id), ("State", "loading…")])
        elif isinstance(row, PseudoRow):
            panel.show(row.label, self._pseudo_rows(row, pane))
        else:
            panel.clear("Nothing highlighted")

    def _pseudo_rows(self, row: PseudoRow, pane: VirtualTable[Any] | None) -> list[details.Row]:
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
        return rows + details.problem_rows(self.state.problems)
