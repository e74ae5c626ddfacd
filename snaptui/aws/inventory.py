"""Fetch what a region holds (instances, volumes, snapshots, AMIs), every page, regions in parallel.

Each call's failure is recorded as a Problem on that region and the other calls still run, so
an AccessDenied on DescribeInstances does not hide the snapshots. Failures that make the rest
of a region pointless (disabled region, bad credentials, endpoint down) stop that region only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from snaptui.aws import parse
from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.core.clock import Clock, utc_now
from snaptui.models import ProblemKind, RegionInventory

# After one of these, every further call to the region fails the same way.
_FATAL = frozenset(
    {
        ProblemKind.REGION_DISABLED,
        ProblemKind.NO_CREDENTIALS,
        ProblemKind.EXPIRED_CREDENTIALS,
        ProblemKind.UNREACHABLE,
    }
)

SNAPSHOT_PAGE = 1000  # DescribeSnapshots' maximum page size: fewest round trips


def pages(client: Any, operation: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every page of a paginated call (botocore follows NextToken, empty pages included)."""
    yield from client.get_paginator(operation).paginate(**params)


def fetch_region(ctx: AwsContext, region: str, *, clock: Clock = utc_now) -> RegionInventory:
    inv = RegionInventory(region=region)
    ec2 = ctx.client("ec2", region)

    def instances() -> None:
        for page in pages(ec2, "describe_instances"):
            for reservation in page.get("Reservations", ()):
                inv.instances.extend(
                    parse.instance_from(i, region) for i in reservation.get("Instances", ())
                )

    def volumes() -> None:
        for page in pages(ec2, "describe_volumes", PaginationConfig={"PageSize": 500}):
            inv.volumes.extend(parse.volume_from(v, region) for v in page.get("Volumes", ()))

    def snapshots() -> None:
        config = {"PageSize": SNAPSHOT_PAGE}
        for page in pages(ec2, "describe_snapshots", OwnerIds=["self"], PaginationConfig=config):
            inv.snapshots.extend(parse.snapshot_from(s, region) for s in page.get("Snapshots", ()))

    def images() -> None:
        for page in pages(ec2, "describe_images", Owners=["self"]):
            inv.images.extend(parse.image_from(i, region) for i in page.get("Images", ()))

    steps: list[tuple[str, Callable[[], None]]] = [
        ("DescribeSnapshots", snapshots),
        ("DescribeVolumes", volumes),
        ("DescribeInstances", instances),
        ("DescribeImages", images),
    ]
    for operation, step in steps:
        try:
            step()
        except Exception as exc:  # recorded where it happened, never raised to the UI
            problem = problem_from(exc, region, operation)
            inv.problems.append(problem)
            if problem.kind in _FATAL:
                break
    inv.fetched_at = clock()
    return inv


def fetch_all(
    ctx: AwsContext,
    regions: Sequence[str],
    *,
    on_region: Callable[[RegionInventory], None] | None = None,
    max_workers: int = 8,
    clock: Clock = utc_now,
) -> list[RegionInventory]:
    """Fetch regions in parallel; ``on_region`` sees each as soon as it is complete."""
    results: list[RegionInventory] = []
    if not regions:
        return results

    def one(region: str) -> RegionInventory:
        try:
            inv = fetch_region(ctx, region, clock=clock)
        except Exception as exc:  # e.g. a client that cannot be built for this region
            inv = RegionInventory(region=region, problems=[problem_from(exc, region)])
            inv.fetched_at = clock()
        if on_region is not None:
            on_region(inv)
        return inv

    with ThreadPoolExecutor(max_workers=min(max_workers, len(regions))) as pool:
        results = list(pool.map(one, regions))
    return results
