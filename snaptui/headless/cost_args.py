"""`snaptui cost` flags and their offline checks (no boto3: `--help` stays light)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from snaptui.cli.args import add_target_args, parse_int

RUN = "snaptui.headless.cost_cmd:run"
RUN_ACCOUNTS = "snaptui.headless.cost_accounts:run"
MAX_TOP = 10_000


@dataclass(frozen=True, slots=True)
class CostOptions:
    json: bool = False
    csv: bool = False
    live_prices: bool = False
    top: int = 10
    cache_dir: Path | None = None
    no_cache: bool = False
    check_sharing: bool = False


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "cost",
        help="what snapshots cost per month, what deleting them frees",
        description="Exact per-snapshot storage cost from EBS block diffs (one ListChangedBlocks "
        "diff per lineage edge, cached on disk), with totals per region and lineage, orphans "
        "and archive candidates. Figures that could not be settled are marked as estimates.",
    )
    add_target_args(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the whole review as JSON")
    out.add_argument("--csv", action="store_true", help="print one CSV row per snapshot")
    p.add_argument(
        "--live-prices",
        action="store_true",
        help="fetch current prices from the AWS Pricing API (pricing:GetProducts); "
        "default: the bundled price table",
    )
    p.add_argument(
        "--check-sharing",
        action="store_true",
        help="ask who each snapshot is shared with (DescribeSnapshotAttribute, one call per "
        "snapshot) for the 'shared outside' risk; without it that risk is not judged",
    )
    p.add_argument("--top", default=None, metavar="N", help="rows per ranked list (default 10)")
    p.add_argument(
        "--cache-dir", type=Path, default=None, help="diff cache location (or SNAPTUI_CACHE_DIR)"
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.set_defaults(
        prepare=options_from_args, run=RUN, run_accounts=RUN_ACCOUNTS, mutates=lambda _o: False
    )


def options_from_args(args: argparse.Namespace) -> CostOptions:
    return CostOptions(
        json=bool(args.json),
        csv=bool(args.csv),
        live_prices=bool(args.live_prices),
        top=parse_int(args.top, "--top", 1, MAX_TOP, 10),
        cache_dir=args.cache_dir,
        no_cache=bool(args.no_cache),
        check_sharing=bool(args.check_sharing),
    )
