"""What an action must know before it sends anything: names in use, bundles, zones, key pairs,
one instance or disk by name. Every listing is paged."""

from __future__ import annotations

from typing import Any

from snaptui.aws.calls import aws_call, fail
from snaptui.aws.inventory import pages
from snaptui.aws.lightsail import parse
from snaptui.aws.lightsail.models import LsDisk, LsInstance
from snaptui.aws.session import AwsContext


def _names(ls: Any, operation: str, key: str) -> set[str]:
    return {str(i["name"]) for page in pages(ls, operation) for i in page.get(key, ())}


def snapshot_names(ctx: AwsContext, region: str) -> set[str]:
    ls = ctx.client("lightsail", region)
    with aws_call(region, "GetInstanceSnapshots"):
        return _names(ls, "get_instance_snapshots", "instanceSnapshots") | _names(
            ls, "get_disk_snapshots", "diskSnapshots"
        )


def instance_names(ctx: AwsContext, region: str) -> set[str]:
    with aws_call(region, "GetInstances"):
        return _names(ctx.client("lightsail", region), "get_instances", "instances")


def disk_names(ctx: AwsContext, region: str) -> set[str]:
    with aws_call(region, "GetDisks"):
        return _names(ctx.client("lightsail", region), "get_disks", "disks")


def bundles(ctx: AwsContext, region: str) -> dict[str, int]:
    """Active bundle id -> disk size in GB."""
    ls = ctx.client("lightsail", region)
    with aws_call(region, "GetBundles"):
        return {
            str(b["bundleId"]): int(b.get("diskSizeInGb", 0))
            for page in pages(ls, "get_bundles")
            for b in page.get("bundles", ())
            if b.get("isActive", True)
        }


def key_pairs(ctx: AwsContext, region: str) -> set[str]:
    with aws_call(region, "GetKeyPairs"):
        return _names(ctx.client("lightsail", region), "get_key_pairs", "keyPairs")


def zones(ctx: AwsContext, region: str) -> set[str]:
    ls = ctx.client("lightsail", region)
    with aws_call(region, "GetRegions"):
        answer = ls.get_regions(includeAvailabilityZones=True)
    for r in answer.get("regions", ()):
        if r.get("name") == region:
            return {str(z["zoneName"]) for z in r.get("availabilityZones", ())}
    raise fail("Lightsail does not list this region", region, "GetRegions")


def instance(ctx: AwsContext, region: str, name: str) -> LsInstance:
    with aws_call(region, "GetInstance"):
        item = ctx.client("lightsail", region).get_instance(instanceName=name)["instance"]
    return parse.instance_from(item, region)


def disk(ctx: AwsContext, region: str, name: str) -> LsDisk:
    with aws_call(region, "GetDisk"):
        item = ctx.client("lightsail", region).get_disk(diskName=name)["disk"]
    return parse.disk_from(item, region)
