"""Lightsail snapshot actions: create, delete, copy (or keep an automatic one), export to EC2,
and the automatic-snapshot add-on. Input is checked first (nothing bad is sent); the read-only
guard and the audit log are the session's botocore hooks, as for EC2."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from snaptui.aws import waiting
from snaptui.aws.calls import ActionError, aws_call, call, invalid
from snaptui.aws.lightsail import facts
from snaptui.aws.lightsail.models import LsSnapshot, SnapKind
from snaptui.aws.session import AwsContext
from snaptui.core import lightsail_rules as rules
from snaptui.core.validate import merge


def _tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in tags.items()]


def _check_new(ctx: AwsContext, region: str, name: str, tags: Mapping[str, str], op: str) -> None:
    errors = merge(rules.check_name(name), rules.check_ls_tags(tags))
    if errors:
        raise invalid(errors, region, op)
    errors = rules.check_name(name, taken=facts.snapshot_names(ctx, region))
    if errors:
        raise invalid(errors, region, op)


def create_instance_snapshot(
    ctx: AwsContext, region: str, instance: str, name: str, tags: Mapping[str, str] | None = None
) -> str:
    tags = dict(tags or {})
    _check_new(ctx, region, name, tags, "CreateInstanceSnapshot")
    ls = ctx.client("lightsail", region)
    params: dict[str, Any] = {"instanceName": instance, "instanceSnapshotName": name}
    if tags:
        params["tags"] = _tags(tags)
    call(ls, "CreateInstanceSnapshot", region, **params)
    return name


def create_disk_snapshot(
    ctx: AwsContext, region: str, disk: str, name: str, tags: Mapping[str, str] | None = None
) -> str:
    tags = dict(tags or {})
    _check_new(ctx, region, name, tags, "CreateDiskSnapshot")
    params: dict[str, Any] = {"diskName": disk, "diskSnapshotName": name}
    if tags:
        params["tags"] = _tags(tags)
    call(ctx.client("lightsail", region), "CreateDiskSnapshot", region, **params)
    return name


def delete_snapshot(ctx: AwsContext, snap: LsSnapshot) -> bool:
    """Delete one snapshot; False when it was already gone (NotFoundException)."""
    ls = ctx.client("lightsail", snap.region)
    try:
        if snap.kind is SnapKind.AUTO:
            call(ls, "DeleteAutoSnapshot", snap.region, resourceName=snap.source_name,
                 date=snap.auto_date)  # fmt: skip
        elif snap.kind is SnapKind.INSTANCE:
            call(ls, "DeleteInstanceSnapshot", snap.region, instanceSnapshotName=snap.name)
        else:
            call(ls, "DeleteDiskSnapshot", snap.region, diskSnapshotName=snap.name)
    except ActionError as exc:
        if "NotFoundException" in exc.problem.message:
            return False
        raise
    return True


def copy_snapshot(ctx: AwsContext, snap: LsSnapshot, dest_region: str, target_name: str) -> str:
    """Copy to ``dest_region`` (any Lightsail region, the same one included). An automatic
    snapshot copied this way becomes a manual one: Lightsail's "keep"."""
    op = "CopySnapshot"
    errors = rules.check_name(target_name, "target")
    if errors:
        raise invalid(errors, dest_region, op)
    errors = rules.check_name(target_name, "target", facts.snapshot_names(ctx, dest_region))
    if errors:
        raise invalid(errors, dest_region, op)
    if not snap.ready:
        raise invalid({"snapshot": f"{snap.name} is {snap.state}; wait until it is ready"})
    params: dict[str, Any] = {"sourceRegion": snap.region, "targetSnapshotName": target_name}
    if snap.is_auto:
        params |= {"sourceResourceName": snap.source_name, "restoreDate": snap.auto_date}
    else:
        params["sourceSnapshotName"] = snap.name
    call(ctx.client("lightsail", dest_region), op, dest_region, **params)
    return target_name


def keep_auto_snapshot(ctx: AwsContext, snap: LsSnapshot, name: str) -> str:
    if not snap.is_auto:
        raise invalid({"snapshot": "only automatic snapshots are kept; this one is manual"})
    return copy_snapshot(ctx, snap, snap.region, name)


def export_snapshot(ctx: AwsContext, snap: LsSnapshot) -> None:
    """Export a manual snapshot to EC2 (same region): it then shows among the EBS snapshots."""
    if snap.is_auto:
        raise invalid({"snapshot": "Lightsail cannot export an automatic snapshot: keep it first"})
    if not snap.ready:
        raise invalid({"snapshot": f"{snap.name} is {snap.state}; wait until it is ready"})
    ls = ctx.client("lightsail", snap.region)
    call(ls, "ExportSnapshot", snap.region, sourceSnapshotName=snap.name)


def set_auto_snapshots(
    ctx: AwsContext, region: str, resource: str, *, enabled: bool, time_of_day: str = ""
) -> None:
    """Enable (or change the time of) the AutoSnapshot add-on, or disable it.

    Disabling makes Lightsail delete the resource's automatic snapshots: callers confirm first.
    """
    ls = ctx.client("lightsail", region)
    if not enabled:
        call(ls, "DisableAddOn", region, resourceName=resource, addOnType="AutoSnapshot")
        return
    request: dict[str, Any] = {"addOnType": "AutoSnapshot"}
    if time_of_day:
        errors = rules.check_time_of_day(time_of_day)
        if errors:
            raise invalid(errors, region, "EnableAddOn")
        request["autoSnapshotAddOnRequest"] = {"snapshotTimeOfDay": time_of_day}
    call(ls, "EnableAddOn", region, resourceName=resource, addOnRequest=request)


def wait_ready(
    ctx: AwsContext, region: str, name: str, kind: SnapKind, options: waiting.WaitOptions
) -> None:
    """Poll until the snapshot is available (instance) or completed (disk)."""
    ls = ctx.client("lightsail", region)

    def check() -> tuple[bool, str, str]:
        with aws_call(region, "GetInstanceSnapshot"):
            if kind is SnapKind.INSTANCE:
                item = ls.get_instance_snapshot(instanceSnapshotName=name)["instanceSnapshot"]
            else:
                item = ls.get_disk_snapshot(diskSnapshotName=name)["diskSnapshot"]
        state = str(item.get("state", ""))
        failure = "the snapshot failed" if state == "error" else ""
        return state in ("available", "completed"), f"{state} {item.get('progress', '')}", failure

    delay = options.delay if options.delay is not None else waiting.default_delay(ctx)
    waiting.wait_until(check, name, region, "GetInstanceSnapshot", delay, options)
