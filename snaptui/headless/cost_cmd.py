"""`snaptui cost`: the cost review without the UI, as text, JSON or CSV.

Exit codes: 0 all regions answered, 1 some region (or call) failed and the rest was printed,
2 bad usage. Errors go to stderr, one line each; stdout holds only the report.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from snaptui.aws import sharing
from snaptui.aws.cost_fetch import Progress, compute_costs, fetch_live_prices
from snaptui.aws.diff_cache import DiffCache, default_cache_root
from snaptui.aws.identity import cache_namespace
from snaptui.aws.inventory import fetch_all
from snaptui.aws.regions import resolve_regions
from snaptui.aws.session import AwsContext
from snaptui.cli import exit_codes
from snaptui.core import fmt
from snaptui.core.browse import Fleet
from snaptui.core.clock import utc_now
from snaptui.core.risks import KINDS, LABELS, SHARED_OUTSIDE, RiskReport, risk_report
from snaptui.cost.output import csv_rows, to_json_dict
from snaptui.cost.report import AccountCosts, PriceBook, Totals, bundled_book, totals_of
from snaptui.headless import output
from snaptui.headless.cost_args import CostOptions
from snaptui.models import Problem, RegionInventory


def run(opts: CostOptions, ctx: AwsContext, _label: str = "") -> int:
    return review(opts, ctx, sys.stdout)


@dataclass(slots=True)
class Review:
    """One account's review and every problem met on the way (inventory first)."""

    account: AccountCosts
    problems: list[Problem]


def gather(opts: CostOptions, ctx: AwsContext, on_progress: Progress | None = None) -> Review:
    """Inventory, prices, costs and risks of one account; nothing printed."""
    root = opts.cache_dir or ctx.target.cache_root or default_cache_root()
    problems: list[Problem] = []
    notes: list[str] = []
    regions, problem = resolve_regions(ctx)
    if problem is not None:
        problems.append(problem)
    inventories = fetch_all(ctx, regions)
    book: PriceBook = bundled_book()
    if opts.live_prices:
        book, notes = fetch_live_prices(ctx, cache_root=root)
    cache = None if opts.no_cache else DiffCache(root, cache_namespace(ctx))
    account = compute_costs(ctx, inventories, cache=cache, prices=book, on_progress=on_progress)
    account.notes.extend(notes)
    fleet = Fleet.build({inv.region: inv for inv in inventories})
    shared = None
    if opts.check_sharing:
        shared = sharing.lookup_all(ctx, [s for inv in inventories for s in inv.snapshots])
    account.risks = risk_report(fleet, utc_now(), shared)
    problems.extend(_merge_inventory_problems(account, inventories))
    return Review(account, problems)


def review(opts: CostOptions, ctx: AwsContext, out: TextIO) -> int:
    r = gather(opts, ctx, _progress_printer())
    _clear_progress()
    for p in r.problems:
        output.error(str(p))
    for note in r.account.notes:
        output.error(f"note: {note}")
    if opts.json:
        json.dump(to_json_dict(r.account, top=opts.top), out, indent=2)
        out.write("\n")
    elif opts.csv:
        header, rows = csv_rows(r.account)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    else:
        out.write(render_text(r.account, opts.top))
    return exit_codes.PARTIAL if r.problems else exit_codes.OK


def _clear_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr)


def _merge_inventory_problems(
    account: AccountCosts, inventories: Sequence[RegionInventory]
) -> list[Problem]:
    """Every problem, inventory first; each region's JSON lists its own."""
    found: list[Problem] = []
    for inv in inventories:
        rc = account.regions.get(inv.region)
        if rc is not None:
            rc.problems[:0] = inv.problems
            found.extend(rc.problems)
        else:
            found.extend(inv.problems)
    return found


def _progress_printer() -> Progress | None:
    if not sys.stderr.isatty():
        return None

    def show(region: str, done: int, total: int) -> None:
        print(f"\r\033[Kcost: {region} {done}/{total} diffs", end="", file=sys.stderr, flush=True)

    return show


# --- text ----------------------------------------------------------------------------------


def cost_text(t: Totals) -> str:
    if t.exact:
        return fmt.money(t.monthly_cost)
    text = f"{fmt.money(t.monthly_low)}-{fmt.money(t.monthly_high)} (estimate)"
    return text + (f", {t.unknown} unknown" if t.unknown else "")


def _snap_cost(low: float | None, high: float | None, exact: bool) -> str:
    if exact:
        return fmt.money(high)
    return f"~{fmt.money(low)}-{fmt.money(high)}"


def render_text(account: AccountCosts, top: int) -> str:
    lines: list[str] = []
    total = account.totals()
    lines.append(f"EBS snapshot storage: {cost_text(total)}/month, {total.snapshots} snapshots")
    lines.append(f"prices: {account.prices.source}")
    lines.append("")
    lines.append(f"{'REGION':<16} {'SNAPSHOTS':>9} {'STORED':>10}  $/MONTH")
    for name, t in account.region_totals():
        stored = fmt.size(t.bytes) if t.exact else f"~{fmt.size(t.bytes_high)}"
        lines.append(f"{name:<16} {t.snapshots:>9} {stored:>10}  {cost_text(t)}")
    lines.append("")
    lines.append(f"Most expensive lineages (top {top}):")
    for lc in account.by_lineage()[:top]:
        lines.append(
            f"  {lc.lineage_id:<22} {lc.region:<15} {lc.volume_id:<22} "
            f"{len(lc.snapshot_ids):>3} snaps  {cost_text(lc.totals)}"
        )
    lines.append("")
    lines.append(f"Most expensive snapshots (top {top}):          $/MONTH   DELETING IT FREES")
    for c in account.top_snapshots(top):
        cost = _snap_cost(c.monthly_low, c.monthly_high, c.exact)
        freed = _snap_cost(c.freed_monthly_low, c.freed_monthly_high, c.exact)
        mark = "" if c.exact else f"  [{c.reason}]"
        lines.append(f"  {c.snapshot_id:<22} {c.region:<15} {cost:>10}   {freed}{mark}")
    orphans = account.orphans()
    lines.append("")
    lines.append(
        f"Orphans (volume gone, no AMI): {len(orphans)}, {cost_text(totals_of(orphans))}/month"
    )
    for c in orphans[:top]:
        lines.append(f"  {c.snapshot_id:<22} {c.region:<15} {c.volume_id:<22} "
                     f"{_snap_cost(c.monthly_low, c.monthly_high, c.exact)}")  # fmt: skip
    candidates = account.archive_candidates()
    lines.append("")
    lines.append(f"Archive candidates (saving over 90 days, restore cost): {len(candidates)}")
    for a in candidates[:top]:
        est = "" if a.exact else " (estimate)"
        lines.append(
            f"  {a.snapshot_id:<22} {a.region:<15} saves {fmt.money(a.saving_90_days)}"
            f" over 90 days; restore {fmt.money(a.restore_cost)}{est}"
        )
    if account.risks is not None:
        lines += ["", *risk_lines(account.risks, top)]
    return "\n".join(lines) + "\n"


def risk_lines(risks: RiskReport, top: int) -> list[str]:
    """The risk section as text: a count per kind, the ids of the first few."""
    lines = ["Risks (beside the bill):"]
    for kind in KINDS:
        ids = risks.ids(kind)
        if kind == SHARED_OUTSIDE and not risks.sharing_checked:
            lines.append(f"  {LABELS[kind]}: not checked (--check-sharing)")
            continue
        shown = ", ".join(ids[:top]) + (" …" if len(ids) > top else "")
        lines.append(f"  {LABELS[kind]}: {len(ids)}" + (f"  {shown}" if ids else ""))
    if risks.public_unknown_regions:
        lines.append(f"  public: unknown in {', '.join(risks.public_unknown_regions)}")
    return lines
