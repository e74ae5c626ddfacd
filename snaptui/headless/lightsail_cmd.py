"""`snaptui snapshot --lightsail-instance/--lightsail-disk`: Lightsail snapshots from cron.

Each snapshot is named <resource>-<policy>-<UTC time> and carries the policy marker and an
ownership marker bound to its own name and region (core/lightsail_ownership.py), so
`snaptui prune` later acts on it and on nothing else. The run skeleton (regions in parallel,
problems per region, notifications, one-line errors, exit codes 0/1/2) is the EC2 command's.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from snaptui.aws import waiting
from snaptui.aws.errors import problem_from
from snaptui.aws.lightsail import actions, facts
from snaptui.aws.lightsail.inventory import not_offered, offered_regions
from snaptui.aws.lightsail.models import SnapKind
from snaptui.aws.session import AwsContext
from snaptui.common_args import UsageError, fail_usage, target_from_args
from snaptui.core import lightsail_ownership as owner
from snaptui.core import lightsail_rules as rules
from snaptui.headless import notify
from snaptui.headless.output import (
    EXIT_OK,
    EXIT_PARTIAL,
    check_policy,
    parse_tags,
    print_json,
    problem_dict,
    report_problems,
)
from snaptui.models import Problem, ProblemKind

SCHEMA = "snaptui.snapshot/1"
MAX_TAGS = 50


def add_selection(group: argparse._MutuallyExclusiveGroup) -> None:
    """The Lightsail alternatives in a command's (mutually exclusive) selection group."""
    group.add_argument(
        "--lightsail-instance",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="a Lightsail instance (system disk and attached disks); repeatable",
    )
    group.add_argument("--lightsail-disk", action="extend", nargs="+", metavar="NAME",
                       help="a Lightsail block-storage disk; repeatable")  # fmt: skip


def selected(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "lightsail_instance", None) or getattr(args, "lightsail_disk", None))


@dataclass(frozen=True, slots=True)
class Wanted:
    instances: tuple[str, ...]
    disks: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.instances, *self.disks)


def wanted_from_args(args: argparse.Namespace) -> Wanted:
    wanted = Wanted(tuple(args.lightsail_instance or ()), tuple(args.lightsail_disk or ()))
    for name in wanted.names:
        errors = rules.check_name(name, "name")
        if errors:
            raise UsageError(f"Lightsail name {name!r}: {errors['name']}")
    return wanted


def lightsail_regions(regions: Sequence[str], named: bool) -> tuple[list[str], list[Problem]]:
    usable = [r for r in regions if r in offered_regions()]
    return usable, [not_offered(r) for r in regions if named and r not in offered_regions()]


def missing(wanted: Wanted, found: set[str], regions: Sequence[str]) -> list[Problem]:
    where = ", ".join(regions) or "no region"
    return [
        Problem(ProblemKind.INVALID, f"Lightsail {name}: not found in {where}")
        for name in wanted.names
        if name not in found
    ]


@dataclass(slots=True)
class _Made:
    region: str
    name: str
    resource: str
    kind: str
    state: str = "pending"


@dataclass(slots=True)
class _Result:
    region: str
    made: list[_Made] = field(default_factory=list)
    found: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Options:
    wanted: Wanted
    policy: str
    tags: dict[str, str]
    wait: bool
    wait_timeout: float


def _options(args: argparse.Namespace) -> _Options:
    if getattr(args, "read_only", False):
        raise UsageError("snapshot creates snapshots, which --read-only forbids")
    tags = parse_tags(args.tag, "--tag")
    if set(tags) & {owner.POLICY_TAG, owner.OWNER_TAG}:
        raise UsageError(f"--tag cannot set {owner.POLICY_TAG} or {owner.OWNER_TAG}")
    if len(tags) + 2 > MAX_TAGS:
        raise UsageError(f"too many tags: Lightsail allows {MAX_TAGS}, two are snaptui's markers")
    timeout = 3600.0 if args.wait_timeout is None else float(args.wait_timeout)
    if not timeout > 0:
        raise UsageError(f"--wait-timeout must be > 0 seconds, got {timeout:g}")
    return _Options(wanted_from_args(args), check_policy(args.policy), tags, bool(args.wait),
                    timeout)  # fmt: skip


def _free_name(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def _snapshot_region(ctx: AwsContext, region: str, opts: _Options) -> _Result:
    res = _Result(region)
    try:
        instances = facts.instance_names(ctx, region) & set(opts.wanted.instances)
        disks = facts.disk_names(ctx, region) & set(opts.wanted.disks)
        taken = facts.snapshot_names(ctx, region)
    except Exception as exc:  # this region is reported; the others go on
        res.problems.append(problem_from(exc, region))
        return res
    res.found = instances | disks
    now = datetime.now(UTC)
    jobs = [(n, SnapKind.INSTANCE) for n in sorted(instances)]
    jobs += [(n, SnapKind.DISK) for n in sorted(disks)]
    for resource, kind in jobs:
        name = _free_name(owner.snapshot_name(resource, opts.policy, now), taken)
        tags = {**opts.tags, **owner.owner_tags(resource, region, name, opts.policy)}
        make = actions.create_instance_snapshot if kind is SnapKind.INSTANCE else (
            actions.create_disk_snapshot)  # fmt: skip
        try:
            make(ctx, region, resource, name, tags)
            made = _Made(region, name, resource, kind.value)
            if opts.wait:
                options = waiting.WaitOptions(timeout=opts.wait_timeout)
                actions.wait_ready(ctx, region, name, kind, options)
                made.state = "available"
            res.made.append(made)
        except Exception as exc:  # one resource failing does not stop the others
            problem = getattr(exc, "problem", None) or problem_from(exc, region)
            res.problems.append(Problem(problem.kind, f"{resource}: {problem.message}", region,
                                        problem.operation))  # fmt: skip
    return res


def run_snapshot(args: argparse.Namespace) -> int:
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
        results = per_region(regions, lambda r: _snapshot_region(ctx, r, opts))
        problems += [p for r in results for p in r.problems]
        found = set().union(*(r.found for r in results)) if results else set()
        problems += missing(opts.wanted, found, regions)
        made = [m for r in results for m in r.made]
        subject = f"snaptui snapshot ({opts.policy}): " + (
            "FAILED" if problems else f"{len(made)} created")  # fmt: skip
        body = "\n".join(
            [f"{len(made)} Lightsail snapshot(s) created, policy {opts.policy}"]
            + [f"  {m.region} {m.name} of {m.resource} {m.state}" for m in made]
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
        print_json(_document(opts, regions, made, problems, sent, code))
    else:
        for m in made:
            print(m.name)
    return code


def _document(
    opts: _Options, regions: Sequence[str], made: list[_Made], problems: list[Problem],
    sent: list[notify.Notification], code: int,
) -> dict[str, Any]:  # fmt: skip
    return {
        "schema": SCHEMA,
        "service": "lightsail",
        "policy": opts.policy,
        "regions": list(regions),
        "waited": opts.wait,
        "snapshots": [
            {
                "region": m.region,
                "name": m.name,
                "resource": m.resource,
                "kind": m.kind,
                "state": m.state,
            }
            for m in made
        ],
        "problems": [problem_dict(p) for p in problems],
        "notifications": [n.as_dict() for n in sent],
        "exit_code": code,
    }
