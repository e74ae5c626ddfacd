"""What the UI knows, as plain data: the load in progress, inventories, costs, problems.

No Textual here, so every rule is a unit test away. Workers never write to it: they post
messages (ui/messages.py) and the app applies them here, on the event loop, one at a time.

Staleness has two keys:
- ``generation`` counts full loads (``r``). A message from an older load is dropped whole.
- ``tickets[region]`` counts fetches of one region (a full load gives every region a new
  ticket; reloading one region after an action gives just that one a new ticket). An
  inventory or a cost figure is accepted only for the region's current ticket, so a cost
  computed on an inventory that has since been replaced never lands.
- ``cost_run`` counts cost computations; cancelling or restarting one makes its late results
  stale the same way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime

from snaptui.core.browse import Choice, Fleet
from snaptui.cost.report import AccountCosts, PriceBook, RegionCosts, SnapshotCost, bundled_book
from snaptui.models import Problem, RecoveryPoint, RegionInventory, SharedWith
from snaptui.ui.lookups import Lookups

_tickets = itertools.count(1)  # unique across regions and loads: a ticket never repeats


@dataclass(slots=True)
class CostState:
    """The cost figures, and the run that is (or is not) computing more of them."""

    run: int = 0  # bumped on every start and cancel: results of another run are stale
    running: bool = False
    # Regions still being computed by the current run (a one-region run holds just one).
    pending: set[str] = field(default_factory=set)
    progress: dict[str, tuple[int, int]] = field(default_factory=dict)  # region -> (done, total)
    regions: dict[str, RegionCosts] = field(default_factory=dict)
    of: dict[str, SnapshotCost] = field(default_factory=dict)  # snapshot ID -> its figures
    notes: list[str] = field(default_factory=list)
    book: PriceBook = field(default_factory=bundled_book)

    def snapshot(self, snapshot_id: str) -> SnapshotCost | None:
        return self.of.get(snapshot_id)

    def edges(self) -> tuple[int, int]:
        """(done, total) over every region of the running computation."""
        return (
            sum(d for d, _ in self.progress.values()),
            sum(t for _, t in self.progress.values()),
        )


@dataclass(slots=True)
class AppState:
    profile: str = "default"
    generation: int = 0
    loading: bool = False  # a full load runs (true from `r` until its LoadFinished)
    region_names: list[str] = field(default_factory=list)
    loading_regions: set[str] = field(default_factory=set)
    tickets: dict[str, int] = field(default_factory=dict)
    inventories: dict[str, RegionInventory] = field(default_factory=dict)
    global_problems: list[Problem] = field(default_factory=list)
    refreshed_at: datetime | None = None
    fleet: Fleet = field(default_factory=Fleet)
    choice: Choice = field(default_factory=Choice)
    cost: CostState = field(default_factory=CostState)
    # IDs of cached rows that AWS has re-described since (see ui/cached_rows.py).
    confirmed: set[str] = field(default_factory=set)
    # Looked up per snapshot where the cursor rests (ui/sharing_flow.py, ui/lookups.py): who
    # it is shared with, and AWS Backup's recovery point of a Backup-made one.
    shared: Lookups[SharedWith] = field(default_factory=Lookups)
    recovery: Lookups[RecoveryPoint] = field(default_factory=Lookups)

    def shared_with(self, snapshot_id: str, region: str) -> SharedWith | None:
        return self.shared.get(snapshot_id, self.tickets.get(region))

    def recovery_point(self, snapshot_id: str, region: str) -> RecoveryPoint | None:
        return self.recovery.get(snapshot_id, self.tickets.get(region))

    def shared_known(self) -> dict[str, SharedWith]:
        """Every sharing answer still current, for the risk review."""
        fleet = self.fleet.snapshots_by_id

        def ticket_of(sid: str) -> int | None:
            return self.tickets.get(fleet[sid].region) if sid in fleet else None

        return self.shared.current(ticket_of)

    def fresh(self, generation: int, ticket: int, region: str) -> bool:
        """Whether a lookup asked under this load and region ticket still applies."""
        return generation == self.generation and self.tickets.get(region) == ticket

    # --- a full load ------------------------------------------------------------------------

    def begin_load(self) -> int:
        """A new full load: everything from older loads becomes stale. Returns its generation."""
        self.generation += 1
        self.loading = True
        self.global_problems = []
        self.confirmed = set()
        self.cancel_costs()
        return self.generation

    def regions_known(
        self, generation: int, names: list[str], problem: Problem | None
    ) -> dict[str, int] | None:
        """The load's regions; returns each region's new ticket (None when stale)."""
        if generation != self.generation:
            return None
        self.region_names = list(names)
        self.loading_regions = set(names)
        self.tickets = {name: next(_tickets) for name in names}
        # What an older load showed stays visible until the region answers again.
        self.inventories = {r: inv for r, inv in self.inventories.items() if r in self.tickets}
        if problem is not None:
            self.global_problems.append(problem)
        if not names:
            self.loading = False
        return dict(self.tickets)

    def region_loaded(
        self, generation: int, ticket: int, inv: RegionInventory, final: bool = True
    ) -> bool:
        """Accept a region's inventory if it is the answer to the region's current fetch.

        ``final=False`` is a partial inventory (a page so far): shown, but still loading.
        """
        if generation != self.generation or self.tickets.get(inv.region) != ticket:
            return False
        self.inventories[inv.region] = inv
        if final:
            self.loading_regions.discard(inv.region)
        self._rebuild_fleet()
        return True

    def load_finished(self, generation: int, now: datetime) -> bool:
        if generation != self.generation or not self.loading:
            return False
        self.loading = False
        self.refreshed_at = now
        return True

    def load_failed(self, generation: int, problem: Problem) -> bool:
        """The load's job died outside its own error handling: stop saying it is loading."""
        if generation != self.generation:
            return False
        self.global_problems.append(problem)
        self.loading = False
        self.loading_regions.clear()
        return True

    # --- one region again (after an action) --------------------------------------------------

    def begin_region_reload(self, region: str) -> int | None:
        """A fresh ticket for one region; None when the region is not shown."""
        if region not in self.region_names:
            return None
        self.tickets[region] = next(_tickets)
        self.loading_regions.add(region)
        return self.tickets[region]

    def rebuild_fleet(self) -> None:
        self._rebuild_fleet()

    def _rebuild_fleet(self) -> None:
        # Region order, not arrival order: the panes must not reshuffle as regions answer.
        ordered = {r: self.inventories[r] for r in self.region_names if r in self.inventories}
        self.fleet = Fleet.build(ordered)

    # --- costs --------------------------------------------------------------------------------

    def loaded_inventories(self) -> list[tuple[int, RegionInventory]]:
        """(ticket, inventory) of every region that has answered, in region order."""
        return [
            (self.tickets[r], self.inventories[r])
            for r in self.region_names
            if r in self.inventories and r not in self.loading_regions
        ]

    def begin_costs(self, regions: list[str], *, whole: bool) -> int:
        """A cost run over ``regions``; a whole run replaces any other, a region run joins it."""
        c = self.cost
        if whole or not c.running:
            c.run += 1
            c.pending = set()
            c.progress = {}
        c.running = True
        c.pending |= set(regions)
        for region in regions:
            c.progress[region] = (0, 0)
        return c.run

    def cancel_costs(self) -> None:
        c = self.cost
        c.run += 1
        c.running = False
        c.pending = set()
        c.progress = {}

    def cost_progress(self, run: int, ticket: int, region: str, done: int, total: int) -> bool:
        c = self.cost
        if run != c.run or region not in c.pending or self.tickets.get(region) != ticket:
            return False
        c.progress[region] = (done, total)
        return True

    def cost_region(self, run: int, ticket: int, rc: RegionCosts) -> bool:
        """A region's figures, if computed by the live run on the region's current inventory."""
        c = self.cost
        if run != c.run or self.tickets.get(rc.region) != ticket:
            return False
        c.regions[rc.region] = rc
        c.of.update(rc.snapshots)
        c.pending.discard(rc.region)
        c.progress.pop(rc.region, None)
        if not c.pending:
            c.running = False
        return True

    def cost_failed(self, run: int, problem: Problem) -> bool:
        if run != self.cost.run:
            return False
        self.global_problems.append(problem)
        self.cancel_costs()
        return True

    def cost_notes(self, run: int, notes: list[str]) -> bool:
        if run != self.cost.run:
            return False
        self.cost.notes = list(notes)
        return True

    def account_costs(self) -> AccountCosts:
        account = AccountCosts(self.profile, self.cost.book)
        shown = [r for r in self.region_names if r in self.cost.regions]
        account.regions = {r: self.cost.regions[r] for r in shown}
        account.notes = list(self.cost.notes)
        return account

    # --- what the panes and the status line show ----------------------------------------------

    @property
    def problems(self) -> list[Problem]:
        return self.global_problems + [p for inv in self.inventories.values() for p in inv.problems]

    @property
    def regions_done(self) -> int:
        return len(self.region_names) - len(self.loading_regions)
