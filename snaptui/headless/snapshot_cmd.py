"""`snaptui snapshot`: snapshot volumes now, marked with a retention policy.

Usage::

    snaptui snapshot (--volume ID ... | --instance ID ... | --select-tag KEY=VALUE ...)
                     [--policy NAME] [--tag KEY=VALUE ...] [--description TEXT]
                     [--wait [--wait-timeout SECONDS]] [--json] [notification flags]

``--instance`` makes one crash-consistent set of all the instance's volumes (CreateSnapshots,
the volumes' tags copied); ``--volume`` and ``--select-tag`` (volumes carrying every given tag)
make one CreateSnapshot per volume. Every snapshot is tagged ``snaptui:policy=<policy>`` at
creation, so `snaptui prune` only ever considers snapshots this command made.

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
import textwrap
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from snaptui.aws import snapshot_ops as ops
from snaptui.aws.errors import problem_from
from snaptui.aws.regions import resolve_regions
from snaptui.aws.session import AwsContext
from snaptui.common_args import UsageError, add_target_args, fail_usage, target_from_args
from snaptui.headless import notify
from snaptui.headless.output import (
    EXIT_OK,
    EXIT_PARTIAL,
    check_ids,
    check_policy,
    one_line_errors,
    parse_tags,
    print_json,
    problem_dict,
    report_problems,
)
from snaptui.models import Problem, ProblemKind

SCHEMA = "snaptui.snapshot/1"
DEFAULT_POLICY = "default"
DEFAULT_WAIT_TIMEOUT = 3600.0
MAX_TAGS = 50  # per resource, AWS's limit

R = TypeVar("R")

SELECTION_HELP = """\
Selecting volumes: --volume, --instance and --select-tag are alternatives (give one kind,
repeat it as needed). --select-tag KEY=VALUE picks volumes that carry every given tag;
--tag KEY=VALUE (snapshot only) adds a tag to the new snapshots and never selects anything."""


# --- selection, shared with `snaptui prune` -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Selection:
    volume_ids: tuple[str, ...] = ()
    instance_ids: tuple[str, ...] = ()
    select_tags: tuple[tuple[str, str], ...] = ()
    all_volumes: bool = False


@dataclass(slots=True)
class Resolved:
    """What a selection names in one region."""

    volume_ids: list[str] = field(default_factory=list)  # single volumes (not via an instance)
    instances: dict[str, list[str]] = field(default_factory=dict)  # instance -> its volumes
    found: set[str] = field(default_factory=set)  # requested ids that exist here

    @property
    def all_volume_ids(self) -> set[str]:
        return set(self.volume_ids).union(*self.instances.values())


def add_selection_args(parser: argparse.ArgumentParser, *, allow_all: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--volume", action="append", metavar="ID", help="a volume id (vol-...); repeatable"
    )
    group.add_argument(
        "--instance",
        action="append",
        metavar="ID",
        help="an instance id (i-...): all its EBS volumes; repeatable",
    )
    group.add_argument(
        "--select-tag",
        action="append",
        metavar="KEY=VALUE",
        help="pick the volumes carrying this tag; repeat to require several tags",
    )
    from snaptui.headless.lightsail_cmd import add_selection

    add_selection(group)
    if allow_all:
        group.add_argument(
            "--all",
            action="store_true",
            dest="all_volumes",
            help="every volume that has snapshots of this --policy (also deleted volumes)",
        )


def add_policy_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy",
        default=DEFAULT_POLICY,
        metavar="NAME",
        help=f"retention policy marker, tag {ops.POLICY_TAG}=NAME (default: {DEFAULT_POLICY})",
    )


def selection_from_args(args: argparse.Namespace) -> Selection:
    tags = parse_tags(args.select_tag, "--select-tag")
    return Selection(
        volume_ids=tuple(check_ids(args.volume, "volume")),
        instance_ids=tuple(check_ids(args.instance, "instance")),
        select_tags=tuple(tags.items()),
        all_volumes=bool(getattr(args, "all_volumes", False)),
    )


def resolve(ctx: AwsContext, region: str, sel: Selection) -> Resolved:
    """Find the selection's volumes in ``region`` (Describe calls only)."""
    out = Resolved()
    if sel.volume_ids:
        vols = ops.list_volumes(ctx, region, volume_ids=sel.volume_ids)
        out.volume_ids = [v.id for v in vols]
        out.found.update(out.volume_ids)
    elif sel.instance_ids:
        out.instances = ops.instance_volume_ids(ctx, region, sel.instance_ids)
        out.found.update(out.instances)
    elif sel.select_tags:
        vols = ops.list_volumes(ctx, region, select_tags=dict(sel.select_tags))
        out.volume_ids = [v.id for v in vols]
    return out


def missing_problems(
    sel: Selection, found: set[str], regions: Sequence[str], any_region_failed: bool
) -> list[Problem]:
    """One Problem per requested id that no region had, or one if a tag matched nothing."""
    where = ", ".join(regions)
    if any_region_failed:
        where = f"the regions that answered ({where})"
    out = [
        Problem(ProblemKind.INVALID, f"{i}: not found in {where}")
        for i in (*sel.volume_ids, *sel.instance_ids)
        if i not in found
    ]
    if sel.select_tags and not found and not any_region_failed:
        tags = " ".join(f"{k}={v}" for k, v in sel.select_tags)
        out.append(Problem(ProblemKind.INVALID, f"no volume carries {tags} in {where}"))
    return out


# --- running against a target ---------------------------------------------------------------


@contextmanager
def aws_context(args: argparse.Namespace) -> Iterator[tuple[AwsContext, list[str], list[Problem]]]:
    """The context, the regions to work on and any problem finding them; --demo starts the world.

    ``target_from_args`` raises UsageError, so call this only after all other validation.
    """
    target = target_from_args(args)
    server = None
    if getattr(args, "demo", False):
        from snaptui.demo.start import start_seeded_demo

        server = start_seeded_demo()
        target = server.target(read_only=target.read_only, regions=target.regions)
    try:
        ctx = AwsContext(target)
        problems: list[Problem] = []
        regions, problem = resolve_regions(ctx)
        if problem is not None:
            problems.append(problem)
        yield ctx, regions, problems
    finally:
        if server is not None:
            server.stop()


def per_region(regions: Sequence[str], work: Callable[[str], R]) -> list[R]:
    """Run ``work`` for every region in parallel; results in the regions' order."""
    if not regions:
        return []
    with ThreadPoolExecutor(max_workers=min(8, len(regions))) as pool:
        return list(pool.map(work, regions))


def about(problem: Problem, subject: str) -> Problem:
    """The same problem, naming the volume/instance/snapshot it concerns."""
    return dataclasses.replace(problem, message=f"{subject}: {problem.message}")


# --- the command ----------------------------------------------------------------------------


@dataclass(slots=True)
class _RegionResult:
    region: str
    created: list[ops.Created] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    found: set[str] = field(default_factory=set)
    resolved: bool = False


@dataclass(frozen=True, slots=True)
class _Options:
    selection: Selection
    policy: str
    tags: dict[str, str]
    description: str
    wait: bool
    wait_timeout: float


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "snapshot",
        help="snapshot volumes now, marked for `snaptui prune`",
        description=textwrap.fill(
            (
                "Create EBS snapshots tagged with a retention policy marker "
                f"({ops.POLICY_TAG}=NAME). --instance makes one crash-consistent set of all the "
                "instance's volumes (CreateSnapshots, volume tags copied)."
            ),
            width=78,
        ),
        epilog=SELECTION_HELP
        + "\n\nExit codes: 0 done, 1 partial failure, 2 bad usage. See docs/headless.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    one_line_errors(p)
    add_selection_args(p, allow_all=False)
    add_policy_arg(p)
    p.add_argument(
        "--tag",
        action="append",
        metavar="KEY=VALUE",
        help="add this tag to every new snapshot; repeatable (does not select volumes)",
    )
    p.add_argument(
        "--description", help="snapshot description (default: 'snaptui <policy> <UTC time>')"
    )
    p.add_argument("--wait", action="store_true", help="wait until every snapshot is completed")
    p.add_argument(
        "--wait-timeout",
        type=float,
        metavar="SECONDS",
        help=f"give up waiting after this long; exit 1 (default: {DEFAULT_WAIT_TIMEOUT:g})",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document (see docs)")
    notify.add_notify_args(p)
    add_target_args(p)
    p.set_defaults(func=run)


def _options(args: argparse.Namespace) -> _Options:
    """Validate everything that can be checked offline; raises UsageError."""
    if getattr(args, "read_only", False):
        raise UsageError("snapshot creates snapshots, which --read-only forbids")
    policy = check_policy(args.policy)
    tags = parse_tags(args.tag, "--tag")
    if ops.POLICY_TAG in tags:
        raise UsageError(f"--tag cannot set {ops.POLICY_TAG}; use --policy NAME")
    if len(tags) + 1 > MAX_TAGS:
        raise UsageError(f"too many tags: AWS allows {MAX_TAGS} per snapshot, one is the marker")
    if args.wait_timeout is not None and not args.wait:
        raise UsageError("--wait-timeout is only used with --wait")
    timeout = DEFAULT_WAIT_TIMEOUT if args.wait_timeout is None else args.wait_timeout
    if not timeout > 0:
        raise UsageError(f"--wait-timeout must be > 0 seconds, got {timeout:g}")
    description = args.description
    if description is None:
        description = f"snaptui {policy} {datetime.now(UTC):%Y-%m-%dT%H:%MZ}"
    if len(description) > 255:
        raise UsageError("--description is longer than 255 characters")
    return _Options(
        selection=selection_from_args(args),
        policy=policy,
        tags={ops.POLICY_TAG: policy, **tags},
        description=description,
        wait=bool(args.wait),
        wait_timeout=timeout,
    )


def _snapshot_region(ctx: AwsContext, region: str, opts: _Options) -> _RegionResult:
    res = _RegionResult(region)
    try:
        targets = resolve(ctx, region, opts.selection)
    except Exception as exc:  # the region is reported and skipped; the others go on
        res.problems.append(problem_from(exc, region))
        return res
    res.resolved, res.found = True, set(targets.found) | set(targets.volume_ids)
    for instance_id in targets.instances:
        try:
            res.created.extend(
                ops.create_instance_snapshots(ctx, region, instance_id, opts.description, opts.tags)
            )
        except Exception as exc:  # one instance failing must not stop the rest
            res.problems.append(about(problem_from(exc, region, "CreateSnapshots"), instance_id))
    for volume_id in targets.volume_ids:
        try:
            res.created.append(
                ops.create_volume_snapshot(ctx, region, volume_id, opts.description, opts.tags)
            )
        except Exception as exc:  # one volume failing must not stop the rest
            res.problems.append(about(problem_from(exc, region, "CreateSnapshot"), volume_id))
    if opts.wait and res.created:
        ids = [c.snapshot_id for c in res.created]
        try:
            problem = ops.wait_completed(ctx, region, ids, opts.wait_timeout)
        except Exception as exc:  # e.g. the endpoint went away while waiting
            problem = problem_from(exc, region, "DescribeSnapshots")
        if problem is None:
            res.created = [dataclasses.replace(c, state="completed") for c in res.created]
        else:
            res.problems.append(problem)
    return res


def run(args: argparse.Namespace) -> int:
    from snaptui.headless import lightsail_cmd

    if lightsail_cmd.selected(args):
        return lightsail_cmd.run_snapshot(args)
    try:
        opts = _options(args)
        settings = notify.settings_from_args(args)
        target_from_args(args)  # validate --region/--endpoint-url before starting anything
    except UsageError as exc:
        return fail_usage(str(exc))
    with aws_context(args) as (ctx, regions, problems):
        results = per_region(regions, lambda r: _snapshot_region(ctx, r, opts))
        found = set().union(*(r.found for r in results)) if results else set()
        failed_region = any(not r.resolved for r in results) or not results
        problems += [p for r in results for p in r.problems]
        problems += missing_problems(opts.selection, found, regions, failed_region)
        rows = [(r.region, c) for r in results for c in r.created]
        subject = f"snaptui snapshot ({opts.policy}): " + (
            "FAILED" if problems else f"{len(rows)} created"
        )
        body = "\n".join(
            [f"{len(rows)} snapshot(s) created, policy {opts.policy}"]
            + [f"  {region} {c.snapshot_id} {c.volume_id} {c.state}" for region, c in rows]
            + [f"problem: {p}" for p in problems]
        )
        sent = notify.send(ctx, settings, failed=bool(problems), subject=subject, body=body)
    code = EXIT_PARTIAL if problems or any(not n.ok for n in sent) else EXIT_OK
    report_problems(problems)
    report_problems(
        Problem(ProblemKind.OTHER, f"notification to {n.target} failed: {n.message}")
        for n in sent
        if not n.ok
    )
    if args.json:
        print_json(_document(opts, regions, rows, problems, sent, code))
    else:
        for _, c in rows:
            print(c.snapshot_id)
    return code


def _document(
    opts: _Options,
    regions: Sequence[str],
    rows: list[tuple[str, ops.Created]],
    problems: list[Problem],
    sent: list[notify.Notification],
    code: int,
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "policy": opts.policy,
        "regions": list(regions),
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
        "problems": [problem_dict(p) for p in problems],
        "notifications": [n.as_dict() for n in sent],
        "exit_code": code,
    }
