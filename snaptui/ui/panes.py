"""The four browsing panes: which columns each shows, and the "all"/orphans pseudo-rows.

Each pane is a VirtualTable (renders only visible lines), so 100k snapshots stay cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rich.style import Style

from snaptui.core import fmt
from snaptui.core.browse import ALL, ORPHANS, Fleet
from snaptui.core.filtering import haystack
from snaptui.core.managers import KIND_LABEL, filter_word, manager_of
from snaptui.models import Instance, Snapshot, Volume
from snaptui.ui.cost_view import incr_cell, money_cell
from snaptui.ui.state import CostState
from snaptui.ui.vtable import Column, VirtualTable


@dataclass(frozen=True, slots=True)
class PseudoRow:
    """'all' at the top of a pane, or the orphans entry among volumes (pinned rows)."""

    id: str
    label: str
    count: int = 0
    count_column: str = ""

    def cell(self, column_key: str) -> str:
        if column_key == self.count_column:
            return str(self.count)
        return self.label if column_key in ("region", "name") else ""


@dataclass(frozen=True, slots=True)
class RegionRow:
    id: str  # region name
    snapshots: int
    loading: bool
    problems: int
    cost: str = ""  # "$5.84" when computed, "37%" while computing
    cached_age: str = ""  # "3h" while the rows shown come from the on-disk cache


def row_id(row: object) -> str:
    return str(getattr(row, "id", ""))


def _snap_style(s: object) -> Style | None:
    if isinstance(s, Snapshot):
        if s.public:
            return Style(color="red", bold=True)  # anyone can read it: the loudest row there is
        if s.state != "completed":
            return Style(color="yellow")
        if s.storage_tier == "archive":
            return Style(dim=True)
    return None


Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def _region_label(r: object) -> str:
    if isinstance(r, RegionRow):
        mark = "…" if r.loading else ("!" if r.problems else "")
        stale = f" {r.cached_age}" if r.cached_age else ""  # the age of cached rows: stale
        return f"{r.id}{stale}{mark}"
    return ""


def _region_count(r: object) -> str:
    return str(getattr(r, "snapshots", getattr(r, "count", "")))


class RegionsPane(VirtualTable[object]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column("region", "Region", _region_label, sort_key=row_id, min_width=8),
                Column("snaps", "Snaps", _region_count, width=6, justify="right"),
                Column(
                    "cost",
                    "$/mo",
                    lambda r: str(getattr(r, "cost", "")),
                    width=7,
                    justify="right",
                    hide_below=30,
                ),
            ],
            id="regions",
            empty_text="Loading regions…",
            markable=False,
        )


def _inst_name(i: object) -> str:
    if isinstance(i, Instance):
        return i.name or i.id
    return getattr(i, "label", "")


def _inst_state(i: object) -> str:
    return i.state if isinstance(i, Instance) else str(getattr(i, "count", ""))


class InstancesPane(VirtualTable[object]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column("name", "Instance", _inst_name, sort_key=_inst_name, min_width=8),
                Column("state", "State", _inst_state, width=8),
            ],
            id="instances",
            empty_text="No instances",
            markable=False,
        )


def _vol_name(v: object) -> str:
    if isinstance(v, Volume):
        return v.name or v.id
    return getattr(v, "label", "")


def _vol_size(v: object) -> str:
    if isinstance(v, Volume):
        return f"{v.size_gib}G"
    return str(getattr(v, "count", ""))


class VolumesPane(VirtualTable[object]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column("name", "Volume", _vol_name, sort_key=_vol_name, min_width=8),
                Column("size", "Size", _vol_size, width=6, justify="right"),
            ],
            id="volumes",
            empty_text="No volumes",
            markable=False,
        )


def _snap_desc(s: Snapshot) -> str:
    return s.name or s.description


def _snap_size(s: Snapshot) -> str:
    return f"{s.volume_size_gib}G"


def _snap_flags(s: Snapshot) -> str:
    """E encrypted, A archive tier, P public (the row in red); other states, their progress."""
    if s.state != "completed":
        return s.progress or s.state[:3]
    return (
        ("E" if s.encrypted else " ")
        + ("A" if s.storage_tier == "archive" else " ")
        + ("P" if s.public else " ")
    )


_KIND_ORDER = {kind: i for i, kind in enumerate(KIND_LABEL)}


class SnapshotsPane(VirtualTable[Snapshot]):
    """Snapshots, with the cost figures of ``costs`` (the app's CostState) as they arrive.

    ``fleet`` gives the AMIs that use a snapshot (for who manages it: the By column, its sort
    and the ``by:ami`` filter word)."""

    def __init__(
        self,
        clock: Clock = system_clock,
        costs: CostState | None = None,
        fleet: Callable[[], Fleet] = Fleet,
    ) -> None:
        figures = costs if costs is not None else CostState()
        self._fleet = fleet
        self._ami_snapshots: frozenset[str] = frozenset()

        def kind(s: Snapshot) -> str:
            return manager_of(s.tags, [i.id for i in fleet().images_using(s.id)]).kind

        def by_kind(s: Snapshot) -> tuple[int, float]:
            return _KIND_ORDER.get(kind(s), 99), -s.start_time.timestamp()

        def text_of(s: Snapshot) -> str:
            return haystack(s) + "\x00" + filter_word(kind(s))

        def incr(s: Snapshot) -> str:
            return incr_cell(figures.snapshot(s.id), figures.running)

        def frees(s: Snapshot) -> str:
            return money_cell(figures.snapshot(s.id), figures.running)

        def by_incr(s: Snapshot) -> float:
            c = figures.snapshot(s.id)
            return -float((c.incremental_high_bytes or 0) if c else -1)

        def by_frees(s: Snapshot) -> float:
            c = figures.snapshot(s.id)
            return -float((c.freed_monthly_high or 0) if c else -1)

        super().__init__(
            [
                Column("id", "Snapshot", lambda s: s.id, sort_key=lambda s: s.id, width=22),
                Column(
                    "age",
                    "Age",
                    lambda s: fmt.age(s.start_time, clock()),
                    sort_key=lambda s: -s.start_time.timestamp(),
                    width=4,
                    justify="right",
                ),
                Column(
                    "size",
                    "Vol",
                    _snap_size,
                    sort_key=lambda s: s.volume_size_gib,
                    width=5,
                    justify="right",
                    hide_below=76,
                ),
                Column("flags", "", _snap_flags, width=3),
                Column(
                    "by",
                    "By",
                    lambda s: KIND_LABEL.get(kind(s), "?"),
                    sort_key=by_kind,
                    width=7,
                    hide_below=100,
                ),
                Column("incr", "Incr", incr, sort_key=by_incr, width=6, justify="right"),
                Column(
                    "frees",
                    "Frees$",
                    frees,
                    sort_key=by_frees,
                    width=7,
                    justify="right",
                    hide_below=60,
                ),
                Column(
                    "region",
                    "Region",
                    lambda s: s.region,
                    sort_key=lambda s: s.region,
                    width=14,
                    hide_below=90,
                ),
                Column("desc", "Name / Description", _snap_desc, sort_key=_snap_desc, min_width=10),
            ],
            id="snapshots",
            empty_text="No snapshots",
            style_of=_snap_style,
            text_of=text_of,
        )
        # Newest first: what people look for after a restore request or a failed backup.
        self.sort_column, self.sort_reverse = "age", False

    def set_rows(self, rows: Iterable[Snapshot], pinned: Sequence[Any] = ()) -> None:
        # by:ami depends on the images, not on the row: when they change, find rows anew.
        using = frozenset(self._fleet().images_by_snapshot)
        if using != self._ami_snapshots:
            self._ami_snapshots = using
            self._store.forget_haystacks()
        super().set_rows(rows, pinned)


ALL_ROW_LABEL = "(all)"
ORPHANS_LABEL = "(orphans)"
NO_VOLUME_LABEL = "(volume gone)"

__all__ = ["ALL", "ORPHANS", "PseudoRow", "RegionRow", "row_id"]
