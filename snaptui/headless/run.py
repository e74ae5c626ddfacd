"""The run skeleton `snaptui snapshot` and `snaptui prune` share.

A command validates its flags offline (its ``*_args`` module), then: resolve the regions,
run one worker per region in parallel (each returns a ``RegionResult``), gather problems
(missing ids, audit lines that could not be written), notify, report on stderr and pick
the exit code. A new option or a new kind of resource (Lightsail) adds a worker; the
skeleton stays the same.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from snaptui.aws import snapshot_ops as ops
from snaptui.aws.regions import resolve_regions
from snaptui.aws.session import AwsContext
from snaptui.cli import exit_codes
from snaptui.headless import notify
from snaptui.headless.output import error, report_problems
from snaptui.headless.selection import Selection
from snaptui.models import Problem, ProblemKind


class RegionResult(Protocol):
    region: str
    problems: list[Problem]
    warnings: list[Problem]
    found: set[str]
    resolved: bool


R = TypeVar("R", bound=RegionResult)
T = TypeVar("T")


@dataclass(slots=True)
class Resolved:
    """What a selection names in one region."""

    volume_ids: list[str] = field(default_factory=list)  # single volumes (not via an instance)
    instances: dict[str, list[str]] = field(default_factory=dict)  # instance -> its volumes
    found: set[str] = field(default_factory=set)  # requested ids that exist here

    @property
    def all_volume_ids(self) -> set[str]:
        return set(self.volume_ids).union(*self.instances.values())


@dataclass(slots=True)
class Outcome:
    """Everything a run found wrong, and what the notifications did."""

    regions: list[str]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    sent: list[notify.Notification] = field(default_factory=list)

    @property
    def code(self) -> int:
        failed = self.problems or any(not n.ok for n in self.sent)
        return exit_codes.PARTIAL if failed else exit_codes.OK


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
    """One Problem per requested id that no region had, or one if a tag matched nothing.

    ``regions`` are the regions that answered: when none did, their own problems say so and
    "not found" would be a guess."""
    if not regions:
        return []
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


def about(problem: Problem, subject: str) -> Problem:
    """The same problem, naming the volume/instance/snapshot it concerns."""
    return dataclasses.replace(problem, message=f"{subject}: {problem.message}")


def per_region(regions: Sequence[str], work: Callable[[str], T]) -> list[T]:
    """Run ``work`` for every region in parallel; results in the regions' order."""
    if not regions:
        return []
    with ThreadPoolExecutor(max_workers=min(8, len(regions))) as pool:
        return list(pool.map(work, regions))


@contextmanager
def regions_context(ctx: AwsContext) -> Iterator[tuple[AwsContext, list[str], list[Problem]]]:
    """The context, the regions to work on and any problem finding them (for a command that
    gathers its own results, e.g. Lightsail's)."""
    regions, problem = resolve_regions(ctx)
    yield ctx, regions, [problem] if problem is not None else []


def run_regions(
    ctx: AwsContext, selection: Selection, work: Callable[[str], R], *, check_found: bool = True
) -> tuple[list[R], Outcome]:
    """Resolve the regions, run ``work`` in each, and gather what went wrong."""
    regions, problem = resolve_regions(ctx)
    outcome = Outcome(regions, [problem] if problem is not None else [])
    results = per_region(regions, work)
    outcome.problems += [p for r in results for p in r.problems]
    outcome.warnings += [w for r in results for w in r.warnings]
    if check_found and not selection.all_volumes:
        found = set().union(*(r.found for r in results)) if results else set()
        failed = any(not r.resolved for r in results) or not results
        answered = [region for region, r in zip(regions, results, strict=True) if r.resolved]
        outcome.problems += missing_problems(selection, found, answered, failed)
    return results, outcome


def audit_problems(ctx: AwsContext) -> list[Problem]:
    """Outcome lines the audit log could not take (the calls themselves were made)."""
    return [
        Problem(ProblemKind.OTHER, f"audit log {ctx.audit.path}: outcome not written: {f}")
        for f in ctx.audit.failures
    ]


def finish(
    ctx: AwsContext,
    settings: notify.NotifySettings,
    outcome: Outcome,
    *,
    subject: Callable[[Outcome], str],
    body: Callable[[Outcome], str],
) -> int:
    """Notify, print warnings and problems on stderr (one line each); the exit code."""
    outcome.problems += audit_problems(ctx)
    failed = bool(outcome.problems)
    outcome.sent = notify.send(
        ctx, settings, failed=failed, subject=subject(outcome), body=body(outcome)
    )
    for w in outcome.warnings:
        error(f"warning: {w}")
    report_problems(outcome.problems)
    report_problems(
        Problem(ProblemKind.OTHER, f"notification to {n.target} failed: {n.message}")
        for n in outcome.sent
        if not n.ok
    )
    return outcome.code
