"""Fetch every Lightsail region's instances, disks and snapshots: paged, regions in parallel.

As for EC2, a failing call is a Problem on its region and the others still run; a region
where Lightsail is not offered is flagged without a call (there is no endpoint to call).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import boto3

from snaptui.aws.errors import problem_from
from snaptui.aws.inventory import pages
from snaptui.aws.lightsail import parse
from snaptui.aws.lightsail.models import LsDisk, LsInstance, LsRegionInventory
from snaptui.aws.regions import resolve_regions
from snaptui.aws.session import AwsContext
from snaptui.core.clock import Clock, utc_now
from snaptui.models import Problem, ProblemKind

_FATAL = frozenset(
    {
        ProblemKind.REGION_DISABLED,
        ProblemKind.NO_CREDENTIALS,
        ProblemKind.EXPIRED_CREDENTIALS,
        ProblemKind.UNREACHABLE,
        ProblemKind.ACCESS_DENIED,
    }
)


@cache
def offered_regions() -> frozenset[str]:
    """Regions with a Lightsail endpoint, from botocore's endpoint data (no call)."""
    return frozenset(boto3.Session().get_available_regions("lightsail"))


def not_offered(region: str) -> Problem:
    return Problem(ProblemKind.NOT_SUPPORTED, "Lightsail is not offered in this region", region)


def lightsail_regions(ctx: AwsContext) -> tuple[list[str], list[Problem]]:
    """The regions to browse and a Problem for each named region without Lightsail."""
    regions, problem = resolve_regions(ctx)
    problems = [problem] if problem is not None else []
    named = bool(ctx.target.regions)
    usable = [r for r in regions if r in offered_regions()]
    if named:
        problems += [not_offered(r) for r in regions if r not in offered_regions()]
    return usable, problems


def fetch_region(ctx: AwsContext, region: str, *, clock: Clock = utc_now) -> LsRegionInventory:
    inv = LsRegionInventory(region=region)
    if region not in offered_regions():
        inv.problems.append(not_offered(region))
        inv.fetched_at = clock()
        return inv
    ls = ctx.client("lightsail", region)

    def listing(op: str, key: str, build: Callable[[Any, str], Any], into: list[Any]) -> None:
        for page in pages(ls, op):
            into.extend(build(item, region) for item in page.get(key, ()))

    steps: list[tuple[str, Callable[[], None]]] = [
        ("GetInstances", lambda: listing("get_instances", "instances", parse.instance_from,
                                         inv.instances)),
        ("GetDisks", lambda: listing("get_disks", "disks", parse.disk_from, inv.disks)),
        ("GetInstanceSnapshots", lambda: listing("get_instance_snapshots", "instanceSnapshots",
                                                 parse.instance_snapshot_from, inv.snapshots)),
        ("GetDiskSnapshots", lambda: listing("get_disk_snapshots", "diskSnapshots",
                                             parse.disk_snapshot_from, inv.snapshots)),
    ]  # fmt: skip
    for operation, step in steps:
        try:
            step()
        except Exception as exc:  # recorded where it happened, never raised to the UI
            problem = problem_from(exc, region, operation)
            inv.problems.append(problem)
            if problem.kind in _FATAL:
                inv.fetched_at = clock()
                return inv
    _fetch_autos(ls, inv)
    inv.fetched_at = clock()
    return inv


def _fetch_autos(ls: Any, inv: LsRegionInventory) -> None:
    """GetAutoSnapshots per instance and disk (an automatic snapshot has no listing of its own)."""
    sources: list[LsInstance | LsDisk] = [*inv.instances, *inv.disks]
    for source in sources:
        is_instance = isinstance(source, LsInstance)
        size = source.system_disk_gb if isinstance(source, LsInstance) else source.size_gb
        try:
            answer = ls.get_auto_snapshots(resourceName=source.name)
        except Exception as exc:
            inv.problems.append(problem_from(exc, inv.region, f"GetAutoSnapshots {source.name}"))
            continue
        inv.snapshots.extend(
            parse.auto_snapshot_from(
                item, inv.region, source=source.name,
                source_kind="Instance" if is_instance else "Disk", size_gb=size, az=source.az,
            )
            for item in answer.get("autoSnapshots", ())
        )  # fmt: skip


def fetch_all(
    ctx: AwsContext,
    regions: Sequence[str],
    *,
    on_region: Callable[[LsRegionInventory], None] | None = None,
    max_workers: int = 8,
    clock: Clock = utc_now,
) -> list[LsRegionInventory]:
    """All regions in parallel; ``on_region`` sees each as soon as it is complete."""
    if not regions:
        return []

    def one(region: str) -> LsRegionInventory:
        try:
            inv = fetch_region(ctx, region, clock=clock)
        except Exception as exc:  # e.g. a client that cannot be built for this region
            inv = LsRegionInventory(region=region, problems=[problem_from(exc, region)])
            inv.fetched_at = clock()
        if on_region is not None:
            on_region(inv)
        return inv

    with ThreadPoolExecutor(max_workers=min(max_workers, len(regions))) as pool:
        return list(pool.map(one, regions))
