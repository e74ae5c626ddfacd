"""How cost figures look on screen: pane cells, detail rows, the marked-set line, the review.

Figures arrive region by region while the cost worker runs; every function here accepts
"not yet known" (None) and says so instead of showing a zero.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from snaptui.core import fmt
from snaptui.core.details import Row
from snaptui.core.risks import KINDS, LABELS, PUBLIC, SHARED_OUTSIDE, RiskReport
from snaptui.core.units import GIB
from snaptui.cost.report import AccountCosts, SetFreedDetail, SnapshotCost, Totals
from snaptui.ui.text import data, line


def short_gib(num_bytes: int | None) -> str:
    if num_bytes is None:
        return ""
    g = num_bytes / GIB
    if g >= 100:
        return f"{g:.0f}G"
    if g >= 0.05 or num_bytes == 0:
        return f"{g:.1f}G"
    return f"{num_bytes / 1024**2:.0f}M"


def incr_cell(c: SnapshotCost | None, computing: bool) -> str:
    """Incremental size: exact, '~' + upper bound for an estimate, '…' while computing."""
    if c is None:
        return "…" if computing else ""
    if c.exact:
        return short_gib(c.incremental_bytes)
    if c.incremental_high_bytes is None:
        return "?"
    return "~" + short_gib(c.incremental_high_bytes)


def money_cell(c: SnapshotCost | None, computing: bool) -> str:
    """What deleting the snapshot alone frees per month."""
    if c is None:
        return "…" if computing else ""
    if c.exact:
        return f"{c.freed_monthly or 0:.2f}"
    if c.freed_monthly_high is None:
        return "?"
    return f"≤{c.freed_monthly_high:.2f}"


def _range_money(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return "unknown"
    if high is None:
        return f"at least {fmt.money(low)}/mo"
    if low is None or abs(high - low) < 0.005:
        return f"{fmt.money(high)}/mo"
    return f"{fmt.money(low)} to {fmt.money(high)}/mo"


def _range_size(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "unknown"
    if high is None or low == high:
        return fmt.size(low)
    return f"{fmt.size(low)} to {fmt.size(high)}"


def cost_rows(c: SnapshotCost | None, computing: bool) -> list[Row]:
    """Rows for the detail panel. An estimate is always labelled as one, with its reason."""
    if c is None:
        note = "computing…" if computing else "not computed (press c)"
        return [("Cost", note)]
    rows: list[Row] = []
    if c.exact:
        rows.append(
            ("Incremental", f"{fmt.size(c.incremental_bytes)} · {fmt.money(c.monthly_cost)}/mo")
        )
        rows.append(
            ("Delete frees", f"{fmt.size(c.freed_bytes)} · {fmt.money(c.freed_monthly)}/mo")
        )
        rows.append(("Figures", "exact (from changed blocks)"))
    else:
        rows.append(
            (
                "Incremental",
                f"{_range_size(c.incremental_low_bytes, c.incremental_high_bytes)} · "
                f"{_range_money(c.monthly_low, c.monthly_high)}",
            )
        )
        rows.append(
            (
                "Delete frees",
                f"{_range_size(c.freed_low_bytes, c.freed_high_bytes)} · "
                f"{_range_money(c.freed_monthly_low, c.freed_monthly_high)}",
            )
        )
        rows.append(("Figures", f"ESTIMATE: {c.reason or 'changed blocks unavailable'}"))
    rows.append(("Price", f"${c.price_per_gib_month:.4f}/GiB-month ({c.storage_tier})"))
    return rows


def set_line(count: int, d: SetFreedDetail | None) -> str:
    """Subtitle for marked snapshots: what deleting them together frees."""
    if d is None:
        return f"{count} marked"
    what = _range_money(d.low_monthly, d.high_monthly)
    tag = "" if d.exact else " est."
    return f"{count} marked · frees {what}{tag}"


# --- the cost review screen -------------------------------------------------------------------


def _totals_text(t: Totals) -> str:
    money = _range_money(t.monthly_low, t.monthly_high)
    return money + ("" if t.exact else " (incl. estimates)")


def _bar(value: float, top: float, width: int = 30) -> Text:
    n = 0 if top <= 0 else round(width * value / top)
    return Text("█" * n + "·" * (width - n), style="cyan")


def review_renderable(costs: AccountCosts, names: dict[str, str], top: int = 10) -> RenderableType:
    """Totals per account and region (bar chart), lineages, snapshots, orphans, archive."""
    parts: list[RenderableType] = []
    total = costs.totals()
    parts.append(data(f"Account ({costs.profile}): {_totals_text(total)}", style="bold"))
    for note in costs.notes:
        parts.append(data(note, style="yellow"))

    regions = Table(title="Per region ($/month)", title_justify="left", expand=True, box=None)
    regions.add_column("Region", no_wrap=True)
    regions.add_column("Snaps", justify="right")
    regions.add_column("$/mo", justify="right")
    regions.add_column("", ratio=1)
    region_totals = costs.region_totals()
    top_value = max((t.monthly_high for _, t in region_totals), default=0.0)
    for region, t in region_totals:
        mark = "" if t.exact else "~"
        regions.add_row(
            line(region),
            str(t.snapshots),
            f"{mark}{t.monthly_high:.2f}",
            _bar(t.monthly_high, top_value),
        )
    parts.append(regions)
    if costs.risks is not None:
        parts.append(risks_renderable(costs.risks, top))

    lineages = Table(title="Most expensive lineages", title_justify="left", expand=True, box=None)
    lineages.add_column("Region", no_wrap=True)
    lineages.add_column("Volume", no_wrap=True)
    lineages.add_column("Snaps", justify="right")
    lineages.add_column("$/mo", justify="right")
    for lin in costs.by_lineage()[:top]:
        label = names.get(lin.volume_id, "") or lin.volume_id
        lineages.add_row(
            line(lin.region), line(label), str(len(lin.snapshot_ids)), _totals_text(lin.totals)
        )
    parts.append(lineages)

    snaps = Table(title="Most expensive snapshots", title_justify="left", expand=True, box=None)
    for col in ("Snapshot", "Region", "Incr", "$/mo", "Frees"):
        snaps.add_column(
            col, no_wrap=True, justify="right" if col in ("Incr", "$/mo", "Frees") else "left"
        )
    for c in costs.top_snapshots(top):
        snaps.add_row(
            line(c.snapshot_id), line(c.region), incr_cell(c, False),
            _range_money(c.monthly_low, c.monthly_high), money_cell(c, False),
        )  # fmt: skip
    parts.append(snaps)

    orphans = costs.orphans()
    orphan_total = sum((c.monthly_high or 0.0) for c in orphans)
    ot = Table(
        title=f"Orphans: {len(orphans)} snapshots, up to {fmt.money(orphan_total)}/mo "
        "(volume gone, no AMI, not a copy)",
        title_justify="left",
        expand=True,
        box=None,
    )
    for col in ("Snapshot", "Region", "Age", "Frees/mo"):
        ot.add_column(col, no_wrap=True)
    for c in orphans[:top]:
        ot.add_row(line(c.snapshot_id), line(c.region), fmt.age(c.start_time), money_cell(c, False))
    parts.append(ot)

    candidates = costs.archive_candidates()
    at = Table(
        title=f"Archive candidates: {len(candidates)} (saving over the 90-day minimum)",
        title_justify="left",
        expand=True,
        box=None,
    )
    for col in ("Snapshot", "Region", "Saves/mo", "90 days", "Restore", "Break-even"):
        at.add_column(col, no_wrap=True)
    for a in candidates[:top]:
        at.add_row(
            line(a.snapshot_id), line(a.region), fmt.money(a.monthly_saving),
            fmt.money(a.saving_90_days),
            fmt.money(a.restore_cost),
            f"{a.break_even_days:.0f} d" if a.break_even_days is not None else "-",
        )  # fmt: skip
    parts.append(at)
    return Group(*[p for part in parts for p in (part, Text(""))])


def risks_renderable(risks: RiskReport, top: int = 10) -> RenderableType:
    """The risk section: counts per kind, the public snapshots named (red), a few of the rest."""
    table = Table(title="Risks (beside the bill)", title_justify="left", expand=True, box=None)
    table.add_column("Risk", ratio=1)
    table.add_column("Snaps", justify="right", no_wrap=True)
    table.add_column("e.g.", no_wrap=True)
    for kind in KINDS:
        ids = risks.ids(kind)
        count = str(len(ids))
        if kind == PUBLIC and risks.public_unknown_regions:
            count += "+?"
        style = "bold red" if kind in (PUBLIC, SHARED_OUTSIDE) and ids else ""
        shown = ids if kind in (PUBLIC, SHARED_OUTSIDE) else ids[:1]
        table.add_row(
            data(LABELS[kind], style=style), count, data(", ".join(shown[:top]), style=style)
        )
    if risks.public_unknown_regions:
        where = ", ".join(risks.public_unknown_regions)
        table.add_row(data(f"public: unknown in {where} (check failed)", style="yellow"), "", "")
    if risks.sharing_checked < risks.snapshots:
        # A constant line (not "3 of 149"): how many were asked depends on where the cursor was.
        table.add_row(data(SHARING_PARTLY, style="yellow"), "", "")
    return table


SHARING_PARTLY = "shared: asked only for snapshots highlighted (cost --check-sharing asks all)"


class CostScreen(ModalScreen[None]):
    """`:cost` / `c`: the cost review, most expensive first."""

    DEFAULT_CSS = """
    CostScreen { align: center middle; }
    CostScreen > VerticalScroll {
        width: 100%; height: 100%; border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,c", "dismiss", "Close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
    ]

    def __init__(self, costs: AccountCosts | None, names: dict[str, str], progress: str) -> None:
        super().__init__()
        self.costs = costs
        self._names = names
        self._progress = progress

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = line(f"Cost review {self._progress} (esc to close)")
            if self.costs is None or not self.costs.regions:
                yield Static(
                    "No cost figures yet: they are computed after the inventory loads.",
                    markup=False,
                )
                if self.costs is not None and self.costs.risks is not None:
                    yield Static(risks_renderable(self.costs.risks), id="risks")
            else:
                yield Static(review_renderable(self.costs, self._names), id="review")

    def action_scroll(self, delta: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=delta, animate=False)
