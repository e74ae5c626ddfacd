"""`snaptui prune --lightsail-instance/--lightsail-disk`: retention over Lightsail snapshots.

The EC2 keep rules (core/retention.py) per resource, over the manual snapshots whose
ownership marker fits (core/lightsail_ownership.py); a snapshot without it is never deleted.
Automatic snapshots are left to Lightsail's own 7-day rotation unless ``--include-automatic``
(then they are planned as a group of their own with the same rules). What deleting frees is a
ceiling (the snapshots' disk sizes at the flat rate): Lightsail reports no blocks.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

from snaptui.aws.errors import problem_from
from snaptui.aws.lightsail import actions, inventory
from snaptui.aws.lightsail.models import LsSnapshot
from snaptui.aws.session import AwsContext
from snaptui.common_args import UsageError, fail_usage, target_from_args
from snaptui.core import lightsail_ownership as owner
from snaptui.core.retention import COMPLETED, KeepRules, SnapshotRef, plan_retention
from snaptui.cost.lightsail import bundled_rate, total_ceiling_usd
from snaptui.headless import notify
from snaptui.headless.lightsail_cmd import Wanted, lightsail_regions, missing, wanted_from_args
from snaptui.headless.output import (
    EXIT_OK,
    EXIT_PARTIAL,
    check_policy,
    error,
    print_json,
    problem_dict,
    report_problems,
)
from snaptui.models import Problem, ProblemKind

SCHEMA = "snaptui.prune/1"


def add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--include-automatic", action="store_true",
        help="Lightsail only: also prune automatic snapshots (Lightsail rotates them itself)",
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Options:
    wanted: Wanted
    policy: str
    rules: KeepRules
    dry_run: bool
    include_automatic: bool


@dataclass(slots=True)
class _Row:
    snap: LsSnapshot
    action: str  # keep | delete (dry run) | deleted | gone | failed
    reasons: tuple[str, ...] = ()


@dataclass(slots=True)
class _Result:
    region: str
    rows: list[_Row] = field(default_factory=list)
    skipped: int = 0  # manual snapshots of the resources that snaptui did not make
    found: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def _ref(s: LsSnapshot) -> SnapshotRef:
    return SnapshotRef(s.key, s.created_at, COMPLETED if s.ready else s.state or "unknown")


def _plan(snaps: list[LsSnapshot], rules: KeepRules) -> list[_Row]:
    by_key = {s.key: s for s in snaps}
    plan = plan_retention([_ref(s) for s in snaps], rules)
    rows = [_Row(by_key[k], "keep", why) for k, why in plan.keep.items()]
    return rows + [_Row(by_key[k], "delete") for k in plan.delete]


def _prune_region(ctx: AwsContext, region: str, opts: _Options) -> _Result:
    res = _Result(region)
    inv = inventory.fetch_region(ctx, region)
    res.problems += inv.problems
    if any(p.kind in (ProblemKind.ACCESS_DENIED, ProblemKind.UNREACHABLE) for p in inv.problems):
        return res
    names = set(opts.wanted.names)
    res.found = {s.source_name for s in inv.snapshots if s.source_name in names}
    res.found |= {i.name for i in inv.instances} & names
    res.found |= {d.name for d in inv.disks} & names
    for name in sorted(res.found):
        mine = [s for s in inv.snapshots if s.source_name == name and not s.is_auto]
        owned = [
            s for s in mine
            if owner.owned(s.tags, resource=name, region=region, name=s.name,
                           policy=opts.policy)[0]
        ]  # fmt: skip
        res.skipped += len(mine) - len(owned)
        res.rows += _plan(owned, opts.rules)
        if opts.include_automatic:
            autos = [s for s in inv.snapshots if s.source_name == name and s.is_auto]
            res.rows += _plan(autos, opts.rules)
    if not opts.dry_run:
        _delete(ctx, res)
    return res


def _delete(ctx: AwsContext, res: _Result) -> None:
    for row in res.rows:
        if row.action != "delete":
            continue
        try:
            row.action = "deleted" if actions.delete_snapshot(ctx, row.snap) else "gone"
        except Exception as exc:  # reported; the other deletions go on
            row.action = "failed"
            problem = getattr(exc, "problem", None) or problem_from(exc, res.region)
            res.problems.append(Problem(problem.kind, f"{row.snap.name}: {problem.message}",
                                        res.region, problem.operation))  # fmt: skip


def _options(args: argparse.Namespace) -> _Options:
    from snaptui.headless.prune_cmd import _count

    rules = KeepRules(
        last=_count(args.keep, "--keep"),
        daily=_count(args.keep_daily, "--keep-daily"),
        weekly=_count(args.keep_weekly, "--keep-weekly"),
        monthly=_count(args.keep_monthly, "--keep-monthly"),
    )
    if not rules.any:
        raise UsageError("give at least one keep rule above 0 (--keep, --keep-daily, ...)")
    if getattr(args, "read_only", False) and not args.dry_run:
        raise UsageError("prune deletes snapshots, which --read-only forbids; add --dry-run")
    return _Options(wanted_from_args(args), check_policy(args.policy), rules,
                    bool(args.dry_run), bool(args.include_automatic))  # fmt: skip


def run_prune(args: argparse.Namespace) -> int:
    try:
        opts = _options(args)
        settings = notify.settings_from_args(args)
        target_from_args(args)
    except UsageError as exc:
        return fail_usage(str(exc))
    from snaptui.headless.snapshot_cmd import aws_context, per_region

    with aws_context(args) as (ctx, all_regions, problems):
        regions, more = lightsail_regions(all_regions, bool(ctx.target.regions))
        problems += more
        results = per_region(regions, lambda r: _prune_region(ctx, r, opts))
        problems += [p for r in results for p in r.problems]
        found = set().union(*(r.found for r in results)) if results else set()
        problems += missing(opts.wanted, found, regions)
        doc = _document(opts, regions, results, problems)
        sent = notify.send(ctx, settings, failed=bool(problems), subject=_subject(opts, doc,
                           problems), body="\n".join(_lines(doc, verbose=False)))  # fmt: skip
    code = EXIT_PARTIAL if problems or any(not n.ok for n in sent) else EXIT_OK
    report_problems(problems)
    for n in sent:
        if not n.ok:
            error(f"notification to {n.target} failed: {n.message}")
    doc["notifications"] = [n.as_dict() for n in sent]
    doc["exit_code"] = code
    if args.json:
        print_json(doc)
    else:
        print("\n".join(_lines(doc, verbose=bool(args.verbose))))
    return code


def _subject(opts: _Options, doc: dict[str, Any], problems: list[Problem]) -> str:
    gone = sum(1 for s in doc["snapshots"] if s["action"] in ("delete", "deleted"))
    verb = "would delete" if opts.dry_run else "deleted"
    return f"snaptui prune ({opts.policy}, Lightsail): " + (
        "FAILED" if problems else f"{verb} {gone}")  # fmt: skip


def _document(
    opts: _Options, regions: list[str], results: list[_Result], problems: list[Problem]
) -> dict[str, Any]:
    rows = [row for r in results for row in r.rows]
    freed = [row.snap.size_gb for row in rows if row.action in ("delete", "deleted")]
    rate = bundled_rate()
    return {
        "schema": SCHEMA,
        "service": "lightsail",
        "policy": opts.policy,
        "dry_run": opts.dry_run,
        "include_automatic": opts.include_automatic,
        "rules": {"last": opts.rules.last, "daily": opts.rules.daily,
                  "weekly": opts.rules.weekly, "monthly": opts.rules.monthly},
        "regions": regions,
        "snapshots": [
            {"region": row.snap.region, "resource": row.snap.source_name, "name": row.snap.name,
             "automatic": row.snap.is_auto, "date": row.snap.auto_date,
             "created": row.snap.created_at.isoformat(), "size_gb": row.snap.size_gb,
             "action": row.action, "reasons": list(row.reasons)}
            for row in rows
        ],
        "not_ours": sum(r.skipped for r in results),
        "saving": {"monthly_usd": round(total_ceiling_usd(freed, rate), 2), "basis": "ceiling",
                   "method": f"sizeInGb x ${rate.usd_per_gb_month}/GB-month ({rate.source}); "
                             "Lightsail bills changed data only, so the true saving is less"},
        "problems": [problem_dict(p) for p in problems],
    }  # fmt: skip


def _lines(doc: dict[str, Any], *, verbose: bool) -> list[str]:
    out = []
    for s in doc["snapshots"]:
        if s["action"] != "keep" or verbose:
            why = f" ({', '.join(s['reasons'])})" if s["reasons"] else ""
            out.append(f"{s['action']:8} {s['region']} {s['name']}{why}")
    deleting = sum(1 for s in doc["snapshots"] if s["action"] in ("delete", "deleted"))
    kept = sum(1 for s in doc["snapshots"] if s["action"] == "keep")
    verb = "would delete" if doc["dry_run"] else "deleted"
    out.append(
        f"{verb} {deleting}, kept {kept}, left {doc['not_ours']} not made by snaptui alone; "
        f"frees ≤ ${doc['saving']['monthly_usd']:.2f}/month"
    )
    return out
