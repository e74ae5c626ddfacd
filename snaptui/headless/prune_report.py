"""`snaptui prune`'s results: the exact saving, the JSON document, the text lines, the subject."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.cost.pricing import bundled_source
from snaptui.headless import run as skeleton
from snaptui.headless.output import problem_dict
from snaptui.headless.prune_args import PruneOptions

if TYPE_CHECKING:
    from snaptui.headless.prune_cmd import RegionResult

__all__ = ["document", "exact_saving", "problem_dict", "subject", "text_lines"]

SCHEMA = "snaptui.prune/1"
EXACT_METHOD = "what deleting the set frees, from EBS changed-block diffs (snaptui cost engine)"
METHOD = (
    "growth of FullSnapshotSizeInBytes over the previous snapshot of the volume (0 for the "
    "oldest; full size at the archive price if archived) x the region's standard price"
)
_VERBS = {
    "delete": "would delete",
    "deleted": "deleted",
    "delete-failed": "FAILED to delete",
    "already-gone": "already gone",
}


def exact_saving(ctx: AwsContext, res: RegionResult) -> tuple[int, float] | None:
    """What deleting the region's whole set frees, from the cost engine's block diffs.

    None when it cannot be settled exactly (no ebs:ListChangedBlocks, an endpoint without
    the EBS direct APIs): the size-growth estimate is reported instead, marked as such.
    """
    delete = [r.snapshot.id for r in res.rows if r.action == "delete"]
    if not delete:
        return (0, 0.0)
    from snaptui.aws import inventory
    from snaptui.aws.cost_fetch import compute_costs
    from snaptui.aws.diff_cache import DiffCache
    from snaptui.aws.identity import cache_namespace
    from snaptui.cost.report import set_freed_detail

    try:
        inv = inventory.fetch_region(ctx, res.region)
        cache = DiffCache(ctx.target.cache_root, cache_namespace(ctx))
        costs = compute_costs(ctx, [inv], cache=cache)
        detail = set_freed_detail(costs, delete)
    except Exception as exc:  # the estimate still stands; say why it is not exact
        problem = problem_from(exc, res.region)
        res.warnings.append(skeleton.about(problem, "exact saving unavailable"))
        return None
    return (detail.low_bytes, detail.low_monthly) if detail.exact else None


def subject(opts: PruneOptions, doc: dict[str, Any], outcome: skeleton.Outcome) -> str:
    deleted = sum(1 for s in doc["snapshots"] if s["action"] in ("delete", "deleted"))
    verb = "would delete" if opts.dry_run else "deleted"
    state = "FAILED" if outcome.problems else f"{verb} {deleted}"
    return f"snaptui prune ({opts.policy}): {state}"


def _saving(results: Sequence[RegionResult]) -> dict[str, Any]:
    exact = bool(results) and all(r.exact is not None for r in results)
    known = [row.saving_usd for r in results for row in r.rows if row.saving_usd is not None]
    source, as_of = bundled_source()
    bins = {r.recycle_bin for r in results}
    recycle = "unknown" if "unknown" in bins else "deferred" if "deferred" in bins else "none"
    return {
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
        "recycle_bin": recycle,
        "recycle_bin_days": max((r.recycle_bin_days for r in results), default=0),
    }


def document(
    opts: PruneOptions, results: Sequence[RegionResult], outcome: skeleton.Outcome
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "policy": opts.policy,
        "copies_of": opts.copies_of,
        "dry_run": opts.dry_run,
        "rules": {
            "keep": opts.rules.last,
            "daily": opts.rules.daily,
            "weekly": opts.rules.weekly,
            "monthly": opts.rules.monthly,
        },
        "regions": [
            {
                "region": r.region,
                "ok": r.resolved and not r.problems,
                "lock_status": r.lock_status,
                "recycle_bin": r.recycle_bin,
                "recycle_bin_days": r.recycle_bin_days,
            }
            for r in results
        ],
        "snapshots": [
            {
                "region": r.region,
                "volume_id": row.snapshot.volume_id,
                "source_volume_id": row.source_volume,
                "snapshot_id": row.snapshot.id,
                "start_time": row.snapshot.start_time.isoformat(),
                "state": row.snapshot.state,
                "action": row.action,
                "reasons": list(row.reasons),
                "estimated_monthly_saving_usd": (
                    None if row.saving_usd is None else round(row.saving_usd, 6)
                ),
            }
            for r in results
            for row in r.rows
        ],
        "skipped": [
            {
                "region": r.region,
                "snapshot_id": s.snapshot.id,
                "volume_id": s.snapshot.volume_id,
                "reason": s.reason,
            }
            for r in results
            for s in r.skipped
        ],
        "saving": _saving(results),
        "warnings": [problem_dict(w) for w in outcome.warnings],
        "problems": [problem_dict(p) for p in outcome.problems],
        "notifications": [],
        "exit_code": 0,
    }


def _saving_line(saving: dict[str, Any]) -> str:
    unknown = saving["unknown_size_snapshots"]
    if saving["basis"] == "exact":
        text = f"saving ${saving['monthly_usd']:.2f}/month (exact, from changed blocks)"
    else:
        text = (
            f"estimated saving ${saving['monthly_usd']:.2f}/month (estimate from snapshot "
            "size growth, bundled prices"
            + (f"; {unknown} snapshot(s) of unknown size" if unknown else "")
            + ")"
        )
    if saving["recycle_bin"] == "deferred":
        text += f", starting after up to {saving['recycle_bin_days']} days in the Recycle Bin"
    elif saving["recycle_bin"] == "unknown":
        text += ", later if a Recycle Bin rule keeps them (rules unknown)"
    return text


def text_lines(doc: dict[str, Any], *, verbose: bool) -> list[str]:
    lines: list[str] = []
    for s in doc["snapshots"]:
        where = f"{s['snapshot_id']} {s['region']} {s['source_volume_id']} {s['start_time'][:16]}Z"
        if s["action"] != "keep":
            lines.append(f"{_VERBS[s['action']]} {where}")
        elif verbose:
            lines.append(f"keep {where}: {', '.join(s['reasons'])}")
    if verbose:
        lines += [f"skip {s['snapshot_id']} {s['region']}: {s['reason']}" for s in doc["skipped"]]
    snaps = doc["snapshots"]
    kept = sum(1 for s in snaps if s["action"] == "keep")
    gone = sum(1 for s in snaps if s["action"] in ("delete", "deleted"))
    lines.append(
        f"policy {doc['policy']}: kept {kept}, "
        f"{'would delete' if doc['dry_run'] else 'deleted'} {gone}; " + _saving_line(doc["saving"])
    )
    return lines
