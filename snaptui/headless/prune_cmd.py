"""`snaptui prune`: grandfather-father-son retention over the snapshots `snaptui snapshot` made.

Usage::

    snaptui prune (--volume ID ... | --instance ID ... | --select-tag KEY=VALUE ... | --all)
                  [--policy NAME] [--keep N] [--keep-daily D] [--keep-weekly W]
                  [--keep-monthly M] [--dry-run] [--strict-locks] [--json] [-v]
                  [notification flags]

Only snapshots tagged ``snaptui:policy=<policy>`` are ever considered; retention runs per
volume (see snaptui.core.retention for the rules). Never deleted: a snapshot an AMI of this
account uses (DescribeImages Owners=self), a locked one (DescribeLockedSnapshots), one that is
not completed, and the newest completed one of each volume.

Lock status: where DescribeLockedSnapshots fails (no permission, or an endpoint such as moto
that does not implement it) the status is *unknown*; prune says so in a warning and still
deletes, because AWS itself refuses DeleteSnapshot on a locked snapshot, so a lock can only
turn a deletion into a reported failure, never into lost data. ``--strict-locks`` keeps every
snapshot of such a region instead. If DescribeImages fails the region is skipped entirely.

The monthly saving is exact when the cost engine can settle it (``saving.basis`` "exact":
what deleting the whole set frees, from ListChangedBlocks diffs, cached on disk; skip with
``--estimate-only``). Otherwise it is an estimate: for each deleted snapshot, the growth of
FullSnapshotSizeInBytes over the previous snapshot of its volume (0 for the oldest, whose data
moves to the next one), or the full size at the archive price for an archived snapshot, priced
with the bundled table (snaptui.cost.pricing). Blocks a kept snapshot still uses are not freed,
so AWS's bill may differ; ``saving.basis`` says so.

Exit codes: 0 done (or planned, with --dry-run); 1 partial failure (a region, volume or
deletion failed, an id was not found, a notification failed; all else done); 2 bad usage,
reported before any AWS call. ``--dry-run`` only reads.

JSON (``--json``), schema ``snaptui.prune/1``; fields are only ever added::

    {
      "schema": "snaptui.prune/1",
      "policy": "default",
      "dry_run": true,
      "rules": {"keep": 0, "daily": 7, "weekly": 4, "monthly": 12},
      "regions": [{"region": "us-west-2", "ok": true,
                   "lock_status": "checked" | "unknown" | "not-needed"}],
      "snapshots": [
        {"region": "us-west-2", "volume_id": "vol-...", "snapshot_id": "snap-...",
         "start_time": "2026-11-20T12:00:00+00:00", "state": "completed",
         "action": "keep" | "delete" | "deleted" | "delete-failed",
         "reasons": ["daily 2026-11-20", "weekly 2026-W47"],
         "estimated_monthly_saving_usd": 0.0123 | null}
      ],
      "saving": {"monthly_usd": 0.0123, "bytes": 264241152, "basis": "estimate",
                 "method": "...", "prices": "...", "unknown_size_snapshots": 0},
      "warnings": [{"region": "...", "kind": "...", "operation": "...", "message": "..."}],
      "problems": [{"region": "...", "kind": "...", "operation": "...", "message": "..."}],
      "notifications": [{"channel": "sns", "target": "...", "ok": true, "message": "..."}],
      "exit_code": 0
    }

``action`` is "delete" for a planned deletion (--dry-run), "deleted"/"delete-failed" after a
real run; "keep" rows carry their reasons, deletions an empty list. Snapshots are listed per
region, per volume, newest first.
"""

from __future__ import annotations

import argparse
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from snaptui.aws import snapshot_ops as ops
from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.common_args import UsageError, add_target_args, fail_usage, target_from_args
from snaptui.core.retention import KeepRules, SnapshotRef, plan_retention
from snaptui.cost.money import monthly_cost
from snaptui.cost.pricing import bundled_prices, bundled_source, price_for
from snaptui.headless import notify
from snaptui.headless.output import (
    EXIT_OK,
    EXIT_PARTIAL,
    check_policy,
    error,
    one_line_errors,
    print_json,
    problem_dict,
    report_problems,
)
from snaptui.headless.snapshot_cmd import (
    SELECTION_HELP,
    Selection,
    about,
    add_policy_arg,
    add_selection_args,
    aws_context,
    missing_problems,
    per_region,
    resolve,
    selection_from_args,
)
from snaptui.models import Problem, ProblemKind, Snapshot

SCHEMA = "snaptui.prune/1"
EXACT_METHOD = "what deleting the set frees, from EBS changed-block diffs (snaptui cost engine)"
METHOD = (
    "growth of FullSnapshotSizeInBytes over the previous snapshot of the volume (0 for the "
    "oldest; full size at the archive price if archived) x the region's standard price"
)


@dataclass(frozen=True, slots=True)
class _Options:
    selection: Selection
    policy: str
    rules: KeepRules
    dry_run: bool
    strict_locks: bool
    exact_saving: bool = True


@dataclass(slots=True)
class _Row:
    snapshot: Snapshot
    action: str
    reasons: tuple[str, ...]
    saving_usd: float | None = None


@dataclass(slots=True)
class _RegionResult:
    region: str
    rows: list[_Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    found: set[str] = field(default_factory=set)
    resolved: bool = False
    lock_status: str = "not-needed"
    saving_bytes: int = 0
    unknown_sizes: int = 0
    exact: tuple[int, float] | None = None  # (bytes, USD/month) from the cost engine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "prune",
        help="delete old snapshots made by `snaptui snapshot` (grandfather-father-son)",
        description=textwrap.fill(
            (
                "Apply keep rules per volume to the snapshots tagged "
                f"{ops.POLICY_TAG}=POLICY and delete the rest. Snapshots used by an AMI, "
                "locked snapshots, unfinished ones and each volume's newest completed one are "
                "never deleted."
            ),
            width=78,
        ),
        epilog=SELECTION_HELP
        + "\n--all takes every volume with snapshots of the policy, including deleted volumes."
        + "\n\nExit codes: 0 done, 1 partial failure, 2 bad usage. See docs/headless.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    one_line_errors(p)
    add_selection_args(p, allow_all=True)
    add_policy_arg(p)
    rules = p.add_argument_group("keep rules (at least one; a snapshot kept by any rule stays)")
    rules.add_argument("--keep", metavar="N", help="keep the newest N snapshots per volume")
    rules.add_argument("--keep-daily", metavar="D", help="newest per UTC day, last D days")
    rules.add_argument("--keep-weekly", metavar="W", help="newest per ISO week, last W weeks")
    rules.add_argument("--keep-monthly", metavar="M", help="newest per month, last M months")
    p.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
    p.add_argument(
        "--strict-locks",
        action="store_true",
        help="where lock status cannot be read, keep everything instead of relying on AWS",
    )
    p.add_argument(
        "--estimate-only",
        action="store_true",
        help="skip the exact saving (ListChangedBlocks calls); report the size-growth estimate",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document (see docs)")
    p.add_argument("-v", "--verbose", action="store_true", help="also list kept snapshots")
    notify.add_notify_args(p)
    add_target_args(p)
    p.set_defaults(func=run)


def _count(value: str | None, flag: str) -> int:
    if value is None:
        return 0
    try:
        n = int(value)
    except ValueError:
        raise UsageError(f"{flag} expects a whole number, got {value!r}") from None
    if n < 0:
        raise UsageError(f"{flag} must be >= 0, got {n}")
    return n


def _options(args: argparse.Namespace) -> _Options:
    """Validate everything that can be checked offline; raises UsageError."""
    rules = KeepRules(
        last=_count(args.keep, "--keep"),
        daily=_count(args.keep_daily, "--keep-daily"),
        weekly=_count(args.keep_weekly, "--keep-weekly"),
        monthly=_count(args.keep_monthly, "--keep-monthly"),
    )
    if not rules.any:
        raise UsageError(
            "give at least one keep rule above 0 (--keep, --keep-daily, --keep-weekly, "
            "--keep-monthly)"
        )
    if getattr(args, "read_only", False) and not args.dry_run:
        raise UsageError("prune deletes snapshots, which --read-only forbids; add --dry-run")
    return _Options(
        selection=selection_from_args(args),
        policy=check_policy(args.policy),
        rules=rules,
        dry_run=bool(args.dry_run),
        strict_locks=bool(args.strict_locks),
        exact_saving=not args.estimate_only,
    )


def _growth_saving(
    snaps: list[Snapshot], delete: set[str], region: str
) -> tuple[dict[str, float], int, int]:
    """Estimated monthly USD per deleted snapshot of one volume, total bytes, unknown sizes."""
    prices, _ = price_for(region, bundled_prices())
    oldest_first = sorted(snaps, key=lambda s: (s.start_time, s.id))
    out: dict[str, float] = {}
    total_bytes = unknown = 0
    for i, snap in enumerate(oldest_first):
        if snap.id not in delete:
            continue
        if snap.storage_tier == "archive":
            # An archived snapshot is a full copy billed on its full size.
            if snap.full_size_bytes is None:
                unknown += 1
                continue
            out[snap.id] = monthly_cost(snap.full_size_bytes, prices.archive)
            total_bytes += snap.full_size_bytes
            continue
        if i == 0:
            out[snap.id] = 0.0  # the next snapshot takes over the oldest one's blocks
            continue
        prev = oldest_first[i - 1].full_size_bytes
        if snap.full_size_bytes is None or prev is None:
            unknown += 1
            continue
        grown = max(0, snap.full_size_bytes - prev)
        out[snap.id] = monthly_cost(grown, prices.standard)
        total_bytes += grown
    return out, total_bytes, unknown


def _protected(used_by: dict[str, list[str]], locked: set[str]) -> dict[str, str]:
    """Snapshot id -> why it must stay whatever the rules say."""
    out = {sid: "used by " + ", ".join(sorted(amis)) for sid, amis in used_by.items()}
    for sid in locked:
        out[sid] = "; ".join(filter(None, [out.get(sid), "locked"]))
    return out


def _prune_region(ctx: AwsContext, region: str, opts: _Options) -> _RegionResult:
    res = _RegionResult(region)
    try:
        snaps = ops.list_marked_snapshots(ctx, region, opts.policy)
        if not opts.selection.all_volumes:
            targets = resolve(ctx, region, opts.selection)
            res.found = set(targets.found) | set(targets.volume_ids)
            chosen = targets.all_volume_ids
            snaps = [s for s in snaps if s.volume_id in chosen]
        # Without the AMI list nothing here is safe to delete: skip the region.
        used_by = ops.images_using_snapshots(ctx, region) if snaps else {}
    except Exception as exc:  # the region is reported and skipped; the others go on
        res.problems.append(problem_from(exc, region))
        return res
    res.resolved = True
    if not snaps:
        return res

    locked, lock_problem = ops.locked_snapshot_ids(ctx, region, [s.id for s in snaps])
    res.lock_status = "checked"
    protected = _protected(used_by, locked)
    if lock_problem is not None:
        res.lock_status = "unknown"
        then = (
            "keeping every snapshot (--strict-locks)"
            if opts.strict_locks
            else "deleting anyway: AWS refuses to delete a locked snapshot"
        )
        res.warnings.append(about(lock_problem, f"lock status unknown, {then}"))
        if opts.strict_locks:
            protected = {
                s.id: "; ".join(filter(None, [protected.get(s.id), "lock status unknown"]))
                for s in snaps
            }

    by_volume: dict[str, list[Snapshot]] = defaultdict(list)
    for s in snaps:
        by_volume[s.volume_id].append(s)
    for volume_id in sorted(by_volume):
        res.rows.extend(_plan_volume(res, by_volume[volume_id], opts.rules, protected))

    if opts.exact_saving:
        res.exact = _exact_saving(
            ctx, region, [r.snapshot.id for r in res.rows if r.action == "delete"], res
        )

    if not opts.dry_run:
        for row in res.rows:
            if row.action != "delete":
                continue
            try:
                ops.delete_snapshot(ctx, region, row.snapshot.id)
                row.action = "deleted"
            except Exception as exc:  # reported per snapshot; the others are still deleted
                row.action = "delete-failed"
                row.saving_usd = None
                res.problems.append(
                    about(problem_from(exc, region, "DeleteSnapshot"), row.snapshot.id)
                )
    return res


def _exact_saving(
    ctx: AwsContext, region: str, delete: list[str], res: _RegionResult
) -> tuple[int, float] | None:
    """What deleting the whole set frees, from the cost engine's block diffs (cached on disk).

    None when it cannot be settled exactly (no ebs:ListChangedBlocks, an endpoint without
    the EBS direct APIs): the size-growth estimate is reported instead, marked as such.
    """
    if not delete:
        return (0, 0.0)
    from snaptui.aws import inventory
    from snaptui.aws.cost_fetch import compute_costs
    from snaptui.aws.diff_cache import DiffCache
    from snaptui.aws.identity import cache_namespace
    from snaptui.cost.report import set_freed_detail

    try:
        inv = inventory.fetch_region(ctx, region)
        cache = DiffCache(ctx.target.cache_root, cache_namespace(ctx))
        costs = compute_costs(ctx, [inv], cache=cache)
        detail = set_freed_detail(costs, delete)
    except Exception as exc:  # the estimate still stands; say why it is not exact
        res.warnings.append(about(problem_from(exc, region), "exact saving unavailable"))
        return None
    return (detail.low_bytes, detail.low_monthly) if detail.exact else None


def _plan_volume(
    res: _RegionResult, snaps: list[Snapshot], rules: KeepRules, protected: dict[str, str]
) -> list[_Row]:
    refs = [SnapshotRef(s.id, s.start_time, s.state) for s in snaps]
    plan = plan_retention(refs, rules, protected)
    savings, nbytes, unknown = _growth_saving(snaps, set(plan.delete), res.region)
    res.saving_bytes += nbytes
    res.unknown_sizes += unknown
    by_id = {s.id: s for s in snaps}
    rows = [_Row(by_id[sid], "keep", why) for sid, why in plan.keep.items()]
    rows += [_Row(by_id[sid], "delete", (), savings.get(sid)) for sid in plan.delete]
    rows.sort(key=lambda r: (r.snapshot.start_time, r.snapshot.id), reverse=True)
    return rows


def run(args: argparse.Namespace) -> int:
    try:
        opts = _options(args)
        settings = notify.settings_from_args(args)
        target_from_args(args)  # validate --region/--endpoint-url before starting anything
    except UsageError as exc:
        return fail_usage(str(exc))
    with aws_context(args) as (ctx, regions, problems):
        results = per_region(regions, lambda r: _prune_region(ctx, r, opts))
        found = set().union(*(r.found for r in results)) if results else set()
        failed_region = any(not r.resolved for r in results) or not results
        problems += [p for r in results for p in r.problems]
        if not opts.selection.all_volumes:
            problems += missing_problems(opts.selection, found, regions, failed_region)
        warnings = [w for r in results for w in r.warnings]
        doc = _document(opts, results, problems, warnings)
        sent = notify.send(
            ctx,
            settings,
            failed=bool(problems),
            subject=_subject(opts, doc, problems),
            body="\n".join(_text_lines(doc, verbose=False)),
        )
    code = EXIT_PARTIAL if problems or any(not n.ok for n in sent) else EXIT_OK
    for w in warnings:
        error(f"warning: {w}")
    report_problems(problems)
    report_problems(
        Problem(ProblemKind.OTHER, f"notification to {n.target} failed: {n.message}")
        for n in sent
        if not n.ok
    )
    doc["notifications"] = [n.as_dict() for n in sent]
    doc["exit_code"] = code
    if args.json:
        print_json(doc)
    else:
        print("\n".join(_text_lines(doc, verbose=bool(args.verbose))))
    return code


def _subject(opts: _Options, doc: dict[str, Any], problems: list[Problem]) -> str:
    deleted = sum(1 for s in doc["snapshots"] if s["action"] in ("delete", "deleted"))
    verb = "would delete" if opts.dry_run else "deleted"
    state = "FAILED" if problems else f"{verb} {deleted}"
    return f"snaptui prune ({opts.policy}): {state}"


def _document(
    opts: _Options,
    results: list[_RegionResult],
    problems: list[Problem],
    warnings: list[Problem],
) -> dict[str, Any]:
    rows = [(r.region, row) for r in results for row in r.rows]
    known = [row.saving_usd for _, row in rows if row.saving_usd is not None]
    exact = all(r.exact is not None for r in results) and bool(results)
    source, as_of = bundled_source()
    return {
        "schema": SCHEMA,
        "policy": opts.policy,
        "dry_run": opts.dry_run,
        "rules": {
            "keep": opts.rules.last,
            "daily": opts.rules.daily,
            "weekly": opts.rules.weekly,
            "monthly": opts.rules.monthly,
        },
        "regions": [
            {"region": r.region, "ok": r.resolved and not r.problems, "lock_status": r.lock_status}
            for r in results
        ],
        "snapshots": [
            {
                "region": region,
                "volume_id": row.snapshot.volume_id,
                "snapshot_id": row.snapshot.id,
                "start_time": row.snapshot.start_time.isoformat(),
                "state": row.snapshot.state,
                "action": row.action,
                "reasons": list(row.reasons),
                "estimated_monthly_saving_usd": (
                    None if row.saving_usd is None else round(row.saving_usd, 6)
                ),
            }
            for region, row in rows
        ],
        "saving": {
            "monthly_usd": round(
                sum(r.exact[1] for r in results if r.exact) if exact else sum(known), 6
            ),
            "bytes": sum(r.exact[0] for r in results if r.exact)
            if exact
            else sum(r.saving_bytes for r in results),
            "basis": "exact" if exact else "estimate",
            "method": EXACT_METHOD if exact else METHOD,
            "prices": f"bundled table: {source}, as of {as_of}",
            "unknown_size_snapshots": sum(r.unknown_sizes for r in results),
        },
        "warnings": [problem_dict(w) for w in warnings],
        "problems": [problem_dict(p) for p in problems],
        "notifications": [],
        "exit_code": EXIT_OK,
    }


def _text_lines(doc: dict[str, Any], *, verbose: bool) -> list[str]:
    verbs = {"delete": "would delete", "deleted": "deleted", "delete-failed": "FAILED to delete"}
    lines: list[str] = []
    for s in doc["snapshots"]:
        where = f"{s['snapshot_id']} {s['region']} {s['volume_id']} {s['start_time'][:16]}Z"
        if s["action"] != "keep":
            lines.append(f"{verbs[s['action']]} {where}")
        elif verbose:
            lines.append(f"keep {where}: {', '.join(s['reasons'])}")
    snaps = doc["snapshots"]
    kept = sum(1 for s in snaps if s["action"] == "keep")
    gone = sum(1 for s in snaps if s["action"] in ("delete", "deleted"))
    saving = doc["saving"]
    unknown = saving["unknown_size_snapshots"]
    lines.append(
        f"policy {doc['policy']}: kept {kept}, "
        f"{'would delete' if doc['dry_run'] else 'deleted'} {gone}; "
        + (
            f"saving ${saving['monthly_usd']:.2f}/month (exact, from changed blocks)"
            if saving["basis"] == "exact"
            else f"estimated saving ${saving['monthly_usd']:.2f}/month (estimate from snapshot "
            "size growth, bundled prices"
            + (f"; {unknown} snapshot(s) of unknown size" if unknown else "")
            + ")"
        )
    )
    return lines
