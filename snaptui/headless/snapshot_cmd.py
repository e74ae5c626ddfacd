"""`snaptui snapshot`: snapshot volumes now, marked with a retention policy.

Usage::

    snaptui snapshot (--volume ID ... | --instance ID ... | --select-tag KEY=VALUE ...)
                     [--policy NAME] [--tag KEY=VALUE ...] [--description TEXT]
                     [--wait [--wait-timeout SECONDS]] [--json] [notification flags]

``--instance`` makes one crash-consistent set of all the instance's volumes (CreateSnapshots,
the volumes' tags copied); ``--volume`` and ``--select-tag`` (volumes carrying every given tag)
make one CreateSnapshot per volume. Every snapshot is tagged ``snaptui:policy=<policy>`` and
carries the ownership marker ``snaptui:owner`` (its volume, policy and time; see
snaptui.core.ownership) — at creation for CreateSnapshot, by CreateTags right after the set
for CreateSnapshots — so `snaptui prune` only ever considers snapshots this command made.

Exit codes: 0 every snapshot created (and completed, with --wait); 1 partial failure (a region,
volume or instance failed or was not found, a wait timed out, a notification failed; everything
else was done); 2 bad usage, reported before any AWS call.

JSON (``--json``), schema ``snaptui.snapshot/1``; fields are only ever added::

    {
      "schema": "snaptui.snapshot/1",
      "policy": "default",
      "regions": ["us-west-2"],
      "waited": false,
      "snapshots": [
        {"region": "us-west-2", "snapshot_id": "snap-...", "volume_id": "vol-...",
         "instance_id": "i-..." | null, "state": "pending" | "completed" | ...,
         "start_time": "2026-11-20T12:00:00+00:00"}
      ],
      "problems": [
        {"region": "us-west-2", "kind": "throttled", "operation": "CreateSnapshot",
         "message": "vol-...: RequestLimitExceeded: ..."}
      ],
      "notifications": [
        {"channel": "sns" | "email", "target": "...", "ok": true, "message": "<message id>"}
      ],
      "exit_code": 0
    }

Without ``--json`` stdout holds the new snapshot ids, one per line; problems go to stderr.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from snaptui.aws import marking
from snaptui.aws import snapshot_ops as ops
from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.core.clock import utc_now
from snaptui.core.ownership import OWNER_TAG, POLICY_TAG, owner_tags, owner_value
from snaptui.headless import run as skeleton
from snaptui.headless.output import print_json, problem_dict
from snaptui.headless.snapshot_args import SnapshotOptions
from snaptui.models import Problem

SCHEMA = "snaptui.snapshot/1"


@dataclass(slots=True)
class _RegionResult:
    region: str
    created: list[ops.Created] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    found: set[str] = field(default_factory=set)
    resolved: bool = False


def _snapshot_instance(
    ctx: AwsContext, res: _RegionResult, instance_id: str, opts: SnapshotOptions
) -> None:
    """One crash-consistent set, then each snapshot's own ownership marker."""
    region = res.region
    at = utc_now()
    tags = {**opts.tags, POLICY_TAG: opts.policy}
    try:
        created = ops.create_instance_snapshots(ctx, region, instance_id, opts.description, tags)
    except Exception as exc:  # one instance failing must not stop the rest
        res.problems.append(
            skeleton.about(problem_from(exc, region, "CreateSnapshots"), instance_id)
        )
        return
    res.created.extend(created)
    for c in created:
        try:
            marker = {OWNER_TAG: owner_value(c.volume_id, opts.policy, at)}
            marking.tag_snapshot(ctx, region, c.snapshot_id, marker)
        except Exception as exc:  # the snapshot exists; unmarked, prune never deletes it
            problem = problem_from(exc, region, "CreateTags")
            why = f"created, but not marked as snaptui's (prune will never delete it): {problem}"
            res.problems.append(dataclasses.replace(problem, message=f"{c.snapshot_id}: {why}"))


def _snapshot_volume(
    ctx: AwsContext, res: _RegionResult, volume_id: str, opts: SnapshotOptions
) -> None:
    tags = {**opts.tags, **owner_tags(volume_id, opts.policy, utc_now())}
    try:
        res.created.append(
            ops.create_volume_snapshot(ctx, res.region, volume_id, opts.description, tags)
        )
    except Exception as exc:  # one volume failing must not stop the rest
        res.problems.append(
            skeleton.about(problem_from(exc, res.region, "CreateSnapshot"), volume_id)
        )


def _wait(ctx: AwsContext, res: _RegionResult, timeout: float) -> None:
    ids = [c.snapshot_id for c in res.created]
    try:
        problem = ops.wait_completed(ctx, res.region, ids, timeout)
    except Exception as exc:  # e.g. the endpoint went away while waiting
        problem = problem_from(exc, res.region, "DescribeSnapshots")
    if problem is None:
        res.created = [dataclasses.replace(c, state="completed") for c in res.created]
    else:
        res.problems.append(problem)


def _snapshot_region(ctx: AwsContext, region: str, opts: SnapshotOptions) -> _RegionResult:
    res = _RegionResult(region)
    try:
        targets = skeleton.resolve(ctx, region, opts.selection)
    except Exception as exc:  # the region is reported and skipped; the others go on
        res.problems.append(problem_from(exc, region))
        return res
    res.resolved, res.found = True, set(targets.found) | set(targets.volume_ids)
    for instance_id in targets.instances:
        _snapshot_instance(ctx, res, instance_id, opts)
    for volume_id in targets.volume_ids:
        _snapshot_volume(ctx, res, volume_id, opts)
    if opts.wait and res.created:
        _wait(ctx, res, opts.wait_timeout)
    return res


def run(opts: SnapshotOptions | argparse.Namespace, ctx: AwsContext, _label: str = "") -> int:
    if isinstance(opts, argparse.Namespace):  # a Lightsail selection
        from snaptui.headless import lightsail_cmd

        return lightsail_cmd.run_snapshot(opts, ctx)
    results, outcome = skeleton.run_regions(
        ctx, opts.selection, lambda r: _snapshot_region(ctx, r, opts)
    )
    rows = [(r.region, c) for r in results for c in r.created]

    def subject(o: skeleton.Outcome) -> str:
        state = "FAILED" if o.problems else f"{len(rows)} created"
        return f"snaptui snapshot ({opts.policy}): {state}"

    def body(o: skeleton.Outcome) -> str:
        return "\n".join(
            [f"{len(rows)} snapshot(s) created, policy {opts.policy}"]
            + [f"  {region} {c.snapshot_id} {c.volume_id} {c.state}" for region, c in rows]
            + [f"problem: {p}" for p in o.problems]
        )

    code = skeleton.finish(ctx, opts.notify, outcome, subject=subject, body=body)
    if opts.json:
        print_json(_document(opts, outcome, rows, code))
    else:
        for _, c in rows:
            print(c.snapshot_id)
    return code


def _document(
    opts: SnapshotOptions,
    outcome: skeleton.Outcome,
    rows: Sequence[tuple[str, ops.Created]],
    code: int,
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "policy": opts.policy,
        "regions": list(outcome.regions),
        "waited": opts.wait,
        "snapshots": [
            {
                "region": region,
                "snapshot_id": c.snapshot_id,
                "volume_id": c.volume_id,
                "instance_id": c.instance_id,
                "state": c.state,
                "start_time": c.start_time,
            }
            for region, c in rows
        ],
        "problems": [problem_dict(p) for p in outcome.problems],
        "notifications": [n.as_dict() for n in outcome.sent],
        "exit_code": code,
    }
