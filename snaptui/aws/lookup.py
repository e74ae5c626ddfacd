"""Read-only facts the actions check input against: one snapshot, one instance, a region's AZs.

Missing resources become field errors (``ActionError`` with ``fields``), so the UI shows
"unknown snapshot" beside the field instead of an AWS error code after a mutating call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from snaptui.aws import parse
from snaptui.aws.calls import ActionError, aws_call, invalid
from snaptui.aws.errors import is_malformed_id, is_not_found
from snaptui.aws.session import AwsContext
from snaptui.core import validate
from snaptui.models import Instance, Snapshot, Volume

_ENABLED = frozenset({"opt-in-not-required", "opted-in"})


def _missing(exc: ActionError) -> bool:
    return is_not_found(exc) or is_malformed_id(exc)


def _describe_one(
    ctx: AwsContext,
    region: str,
    kind: str,
    ident: str,
    field: str,
    operation: str,
    call: Callable[[Any], list[dict[str, Any]]],
) -> dict[str, Any]:
    """Check the id, describe it, and turn "not found" into a message beside ``field``."""
    bad = validate.check_id(ident, kind, region, field=field)
    if bad:
        raise invalid(bad, region, operation)
    try:
        with aws_call(region, operation):
            found = call(ctx.client("ec2", region))
    except ActionError as exc:
        if not _missing(exc):
            raise
        found = []
    if not found:
        raise invalid({field: f"unknown {kind} {ident} in {region}"}, region)
    return found[0]


def snapshot(
    ctx: AwsContext, region: str, snapshot_id: str, field: str = "snapshot_id"
) -> Snapshot:
    found = _describe_one(
        ctx, region, "snapshot", snapshot_id, field, "DescribeSnapshots",
        lambda ec2: ec2.describe_snapshots(SnapshotIds=[snapshot_id]).get("Snapshots", []),
    )  # fmt: skip
    return parse.snapshot_from(found, region)


def instance(
    ctx: AwsContext, region: str, instance_id: str, field: str = "instance_id"
) -> Instance:
    def call(ec2: Any) -> list[dict[str, Any]]:
        response = ec2.describe_instances(InstanceIds=[instance_id])
        return [i for r in response.get("Reservations", ()) for i in r.get("Instances", ())]

    found = _describe_one(ctx, region, "instance", instance_id, field, "DescribeInstances", call)
    return parse.instance_from(found, region)


def volume(ctx: AwsContext, region: str, volume_id: str, field: str = "volume_id") -> Volume:
    found = _describe_one(
        ctx, region, "volume", volume_id, field, "DescribeVolumes",
        lambda ec2: ec2.describe_volumes(VolumeIds=[volume_id]).get("Volumes", []),
    )  # fmt: skip
    return parse.volume_from(found, region)


def availability_zones(ctx: AwsContext, region: str) -> list[str]:
    ec2 = ctx.client("ec2", region)
    with aws_call(region, "DescribeAvailabilityZones"):
        zones = ec2.describe_availability_zones().get("AvailabilityZones", [])
    return sorted(
        str(z["ZoneName"])
        for z in zones
        if z.get("State", "available") == "available"
        and z.get("ZoneType", "availability-zone") == "availability-zone"
    )


def enabled_regions(ctx: AwsContext) -> list[str]:
    """Every region the account can use (not only the ones being browsed)."""
    home = ctx.home_region
    with aws_call(home, "DescribeRegions"):
        regions = ctx.client("ec2", home).describe_regions(AllRegions=True).get("Regions", [])
    return sorted(
        str(r["RegionName"])
        for r in regions
        if r.get("OptInStatus", "opt-in-not-required") in _ENABLED
    )
