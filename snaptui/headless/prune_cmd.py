"""`snaptui prune`: grandfather-father-son retention over the snapshots `snaptui snapshot` made.

Usage::

    snaptui prune (--volume ID ... | --instance ID ... | --select-tag KEY=VALUE ... | --all)
                  [--policy NAME] [--keep N] [--keep-daily D] [--keep-weekly W]
                  [--keep-monthly M] [--dry-run] [--strict-locks] [--json] [-v]
                  [notification flags]

Only snapshots tagged ``snaptui:policy=<policy>`` whose ``snaptui:owner`` marker fits them
(made by `snaptui snapshot` of the volume AWS says, at the time AWS says; see
snaptui.core.ownership) are ever considered; the others are listed as ``skipped``. Retention
runs per source volume as the marker records it (see snaptui.core.retention for the rules).
With ``--copies-of REGION`` the same runs over the copies snaptui made of REGION's snapshots
(``snaptui:copy-of`` marker), in the regions where the copies are. Never deleted: a snapshot
an AMI of this account uses (DescribeImages Owners=self, disabled and deprecated AMIs
included), a locked one (DescribeLockedSnapshots), one that is not completed, and the newest
completed one of each volume. A real run holds a lock per account, region and policy
(``--lock-wait``); a snapshot that is already gone when deleted is ``already-gone``, not a
failure.

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
so AWS's bill may differ; ``saving.basis`` says so. A Recycle Bin retention rule that matches a
deleted snapshot keeps it (billed) for its retention period: ``saving.recycle_bin`` is
"none", "deferred" (the saving starts that many days later, ``recycle_bin_days``) or
"unknown" (rbin:ListRules/GetRule not permitted, or an endpoint without Recycle Bin).

Exit codes: 0 done (or planned, with --dry-run); 1 partial failure (a region, volume or
deletion failed, an id was not found, a notification failed; all else done); 2 bad usage,
reported before any AWS call. ``--dry-run`` only reads.

JSON (``--json``), schema ``snaptui.prune/1``; fields are only ever added::

    {
      "schema": "snaptui.prune/1",
      "policy": "default",
      "dry_run": true,
      "rules": {"keep": 0, "daily": 7, "weekly": 4, "monthly": 12},
      "copies_of": null | "us-east-1",
      "regions": [{"region": "us-west-2", "ok": true,
                   "lock_status": "checked" | "unknown" | "not-needed",
                   "recycle_bin": "none" | "deferred" | "unknown" | "not-needed",
                   "recycle_bin_days": 0}],
      "snapshots": [
        {"region": "us-west-2", "volume_id": "vol-...", "source_volume_id": "vol-...",
         "snapshot_id": "snap-...",
         "start_time": "2026-11-20T12:00:00+00:00", "state": "completed",
         "action": "keep" | "delete" | "deleted" | "delete-failed" | "already-gone",
         "reasons": ["daily 2026-11-20", "weekly 2026-W47"],
         "estimated_monthly_saving_usd": 0.0123 | null}
      ],
      "skipped": [{"region": "...", "snapshot_id": "snap-...", "volume_id": "vol-...",
                   "reason": "no snaptui:owner marker (...)"}],
      "saving": {"monthly_usd": 0.0123, "bytes": 264241152, "basis": "estimate",
                 "method": "...", "prices": "...", "unknown_size_snapshots": 0,
                 "recycle_bin": "none" | "deferred" | "unknown", "recycle_bin_days": 0},
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
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from snaptui.aws import marking
from snaptui.aws import snapshot_ops as ops
from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.core.ownership import COPY_TAG, POLICY_TAG
from snaptui.core.recycle_bin import retention_days
from snaptui.cost.growth import growth_saving
from snaptui.cost.pricing import bundled_prices, price_for
from snaptui.headless import prune_report
from snaptui.headless import run as skeleton
from snaptui.headless.output import print_json
from snaptui.headless.prune_args import PruneOptions
from snaptui.headless.prune_lock import Busy, PruneLock
from snaptui.headless.prune_plan import Row, Skipped, owned_groups, plan_group, protected_ids
from snaptui.models import Problem, ProblemKind, Snapshot

_GONE = frozenset({"InvalidSnapshot.NotFound"})


@dataclass(slots=True)
class RegionResult:
    region: str
    rows: list[Row] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    found: set[str] = field(default_factory=set)
    resolved: bool = False
    lock_status: str = "not-needed"
    recycle_bin: str = "not-needed"
    recycle_bin_days: int = 0
    saving_bytes: int = 0
    unknown_sizes: int = 0
    exact: tuple[int, float] | None = None  # (bytes, USD/month) from the cost engine


def _candidates(
    ctx: AwsContext, res: RegionResult, opts: PruneOptions
) -> dict[str, list[Snapshot]]:
    """Source volume -> the snapshots prune may act on in this region (Describe calls only)."""
    region = res.region
    if opts.copies_of is None:
        snaps = marking.list_snapshots_tagged(ctx, region, POLICY_TAG, [opts.policy])
    else:
        snaps = marking.list_snapshots_tagged(ctx, region, COPY_TAG)
    volumes: set[str] | None = None
    if opts.copies_of is not None and opts.selection.volume_ids:
        volumes = set(opts.selection.volume_ids)
    elif not opts.selection.all_volumes:
        targets = skeleton.resolve(ctx, region, opts.selection)
        res.found = set(targets.found) | set(targets.volume_ids)
        volumes = targets.all_volume_ids
    groups, res.skipped = owned_groups(snaps, opts.policy, opts.copies_of, volumes)
    if opts.copies_of is not None:
        res.found = set(groups)
    if res.skipped:
        res.warnings.append(
            Problem(
                ProblemKind.OTHER,
                f"{len(res.skipped)} snapshot(s) tagged for this policy are not snaptui's own "
                "(no or mismatched ownership marker): left alone, see 'skipped'",
                region,
            )
        )
    return groups


def _lock_protection(
    ctx: AwsContext, res: RegionResult, snaps: list[Snapshot], opts: PruneOptions
) -> dict[str, str]:
    """Snapshot id -> why it stays: used by an AMI, locked, or (strict) lock status unknown."""
    used_by = ops.images_using_snapshots(ctx, res.region)
    locked, lock_problem = ops.locked_snapshot_ids(ctx, res.region, [s.id for s in snaps])
    res.lock_status = "checked"
    protected = protected_ids(used_by, locked)
    if lock_problem is not None:
        res.lock_status = "unknown"
        then = (
            "keeping every snapshot (--strict-locks)"
            if opts.strict_locks
            else "deleting anyway: AWS refuses to delete a locked snapshot"
        )
        res.warnings.append(skeleton.about(lock_problem, f"lock status unknown, {then}"))
        if opts.strict_locks:
            protected = {
                s.id: "; ".join(filter(None, [protected.get(s.id), "lock status unknown"]))
                for s in snaps
            }
    return protected


def _plan(ctx: AwsContext, res: RegionResult, opts: PruneOptions) -> None:
    groups = _candidates(ctx, res, opts)
    res.resolved = True
    snaps = [s for group in groups.values() for s in group]
    if not snaps:
        return
    protected = _lock_protection(ctx, res, snaps, opts)
    prices, _ = price_for(res.region, bundled_prices())
    for source in sorted(groups):
        rows = plan_group(source, groups[source], opts.rules, protected)
        delete = {r.snapshot.id for r in rows if r.action == "delete"}
        per_snapshot, nbytes, unknown = growth_saving(groups[source], delete, prices)
        for r in rows:
            r.saving_usd = per_snapshot.get(r.snapshot.id) if r.action == "delete" else None
        res.rows += rows
        res.saving_bytes += nbytes
        res.unknown_sizes += unknown


def _recycle_bin(ctx: AwsContext, res: RegionResult) -> None:
    """Do Recycle Bin rules keep (and bill) what we delete? "unknown" when nobody can say."""
    deleting = [r.snapshot for r in res.rows if r.action == "delete"]
    if not deleting:
        return
    try:
        rules = marking.recycle_bin_rules(ctx, res.region)
    except Exception as exc:  # no permission, or an endpoint without Recycle Bin (moto)
        res.recycle_bin = "unknown"
        problem = problem_from(exc, res.region, "ListRules")
        res.warnings.append(
            skeleton.about(problem, "Recycle Bin rules unknown: the saving may start later")
        )
        return
    res.recycle_bin_days = max((retention_days(rules, s.tags) for s in deleting), default=0)
    res.recycle_bin = "deferred" if res.recycle_bin_days else "none"


def _delete(ctx: AwsContext, res: RegionResult) -> None:
    for row in res.rows:
        if row.action != "delete":
            continue
        try:
            ops.delete_snapshot(ctx, res.region, row.snapshot.id)
            row.action = "deleted"
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _GONE:
                row.action = "already-gone"  # another run (or a person) was first: not a failure
                row.saving_usd = None
                continue
            _failed(res, row, exc)
        except Exception as exc:  # reported per snapshot; the others are still deleted
            _failed(res, row, exc)


def _failed(res: RegionResult, row: Row, exc: BaseException) -> None:
    row.action = "delete-failed"
    row.saving_usd = None
    problem = problem_from(exc, res.region, "DeleteSnapshot")
    res.problems.append(skeleton.about(problem, row.snapshot.id))


def _prune(ctx: AwsContext, res: RegionResult, opts: PruneOptions) -> None:
    _plan(ctx, res, opts)
    _recycle_bin(ctx, res)
    if opts.exact_saving:
        res.exact = prune_report.exact_saving(ctx, res)  # before deleting: it needs them
    if not opts.dry_run:
        _delete(ctx, res)


def _prune_region(ctx: AwsContext, region: str, opts: PruneOptions, account: str) -> RegionResult:
    res = RegionResult(region)
    # One real run at a time per account, region and policy; a dry run only reads.
    scope = opts.policy if opts.copies_of is None else f"{opts.policy}.copies-of.{opts.copies_of}"
    lock: AbstractContextManager[Any] = (
        nullcontext() if opts.dry_run else PruneLock(account, region, scope, wait_s=opts.lock_wait)
    )
    try:
        with lock:
            _prune(ctx, res, opts)
    except Busy as exc:
        res.problems.append(Problem(ProblemKind.OTHER, str(exc), region))
    except Exception as exc:  # without the AMI list nothing is safe: the region is skipped
        res.problems.append(problem_from(exc, region))
        res.rows = []
    return res


def _account(ctx: AwsContext) -> str:
    """The account id for the lock's name (STS GetCallerIdentity); the endpoint if unknown."""
    try:
        return str(ctx.client("sts").get_caller_identity()["Account"])
    except Exception:  # the lock still separates what it can
        return ctx.target.effective_endpoint or ctx.profile_label


def run(opts: PruneOptions | argparse.Namespace, ctx: AwsContext, _label: str = "") -> int:
    if isinstance(opts, argparse.Namespace):  # a Lightsail selection
        from snaptui.headless import lightsail_prune

        return lightsail_prune.run_prune(opts, ctx)
    account = "" if opts.dry_run else _account(ctx)
    results, outcome = skeleton.run_regions(
        ctx, opts.selection, lambda r: _prune_region(ctx, r, opts, account)
    )
    doc = prune_report.document(opts, results, outcome)
    code = skeleton.finish(
        ctx,
        opts.notify,
        outcome,
        subject=lambda o: prune_report.subject(opts, doc, o),
        body=lambda _o: "\n".join(prune_report.text_lines(doc, verbose=False)),
    )
    doc["problems"] = [prune_report.problem_dict(p) for p in outcome.problems]
    doc["notifications"] = [n.as_dict() for n in outcome.sent]
    doc["exit_code"] = code
    if opts.json:
        print_json(doc)
    else:
        print("\n".join(prune_report.text_lines(doc, verbose=opts.verbose)))
    return code
