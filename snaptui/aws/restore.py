"""Restore files from a snapshot: a tagged volume attached to an instance, plus the mount steps.

Restored volumes carry ``snaptui:restore-of=<snapshot id>``; that tag is what the restores
list shows and the only kind of volume ``cleanup_restore`` will delete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from snaptui.aws import imds, lookup, parse, volumes, waiting
from snaptui.aws.calls import (
    ActionError,
    Progress,
    aws_call,
    call,
    fail,
    invalid,
    no_progress,
    remove,
)
from snaptui.aws.session import AwsContext
from snaptui.core import validate
from snaptui.core.mount_commands import FILESYSTEMS, mount_commands
from snaptui.core.validate import VolumeSpec
from snaptui.models import Instance, Volume

RESTORE_TAG = "snaptui:restore-of"
_ATTACHABLE = frozenset({"running", "stopped"})


def restore_tags(snapshot_id: str) -> dict[str, str]:
    return {RESTORE_TAG: snapshot_id, "Name": f"restore-{snapshot_id}"}


@dataclass(frozen=True, slots=True)
class RestoreRequest:
    snapshot_id: str
    region: str
    instance_id: str
    volume_type: str = "gp3"
    size_gib: int | None = None
    iops: int | None = None
    throughput: int | None = None
    kms_key_id: str = ""
    device: str = ""  # "": the next free /dev/sd[f-p]
    fs_type: str = ""  # "": the commands detect it
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RestoreResult:
    volume_id: str
    device: str
    az: str
    instance_id: str
    snapshot_id: str
    region: str
    commands: list[str]


def order_targets(instances: Iterable[Instance], here: imds.HostInstance | None) -> list[Instance]:
    """Restore targets: the instance snaptui runs on first, then running ones, then by name."""

    def key(i: Instance) -> tuple[bool, bool, str, str]:
        is_here = here is not None and i.id == here.instance_id and i.region == here.region
        return (not is_here, i.state != "running", i.name.lower(), i.id)

    return sorted((i for i in instances if i.state in _ATTACHABLE), key=key)


def restore_to_instance(
    ctx: AwsContext,
    req: RestoreRequest,
    wait: waiting.WaitOptions | None = None,
    progress: Progress = no_progress,
) -> RestoreResult:
    """Volume in the instance's AZ -> attach at a free device -> tagged -> mount commands."""
    region = req.region
    inst = lookup.instance(ctx, region, req.instance_id)
    snap = lookup.snapshot(ctx, region, req.snapshot_id)
    in_use = list(inst.block_devices)
    device = req.device or validate.next_free_device(in_use) or ""
    errors = validate.merge(
        {"device": "no free device name /dev/sd[f-p] on the instance"} if not device else None,
        validate.check_device(device, in_use) if device else None,
        None if inst.state in _ATTACHABLE else {"instance_id": f"the instance is {inst.state}"},
        None
        if req.fs_type in FILESYSTEMS
        else {"fs_type": f"one of {', '.join(f for f in FILESYSTEMS if f)}, or empty to detect"},
    )
    if errors:
        raise invalid(errors, region, "AttachVolume")
    spec = VolumeSpec(
        az=inst.az,
        volume_type=req.volume_type,
        size_gib=req.size_gib,
        iops=req.iops,
        throughput=req.throughput,
        kms_key_id=req.kms_key_id,
    )
    tags = {**req.tags, **restore_tags(snap.id)}
    # Everything is checked before the first mutating call.
    params = volumes.volume_params(ctx, region, snap, spec, tags, inst.az)
    progress(f"creating a volume from {snap.id} in {inst.az}")
    ec2 = ctx.client("ec2", region)
    volume_id = str(call(ec2, "CreateVolume", region, **params)["VolumeId"])
    opts = wait or waiting.WaitOptions()
    try:
        waiting.volume_available(ctx, region, volume_id, opts)
        progress(f"attaching {volume_id} to {inst.id} as {device}")
        call(ec2, "AttachVolume", region, VolumeId=volume_id, InstanceId=inst.id, Device=device)
        waiting.volume_in_use(ctx, region, volume_id, opts)
    except ActionError as exc:
        # The volume is tagged, so the restores list offers it for cleanup.
        note = f" (volume {volume_id} was created: remove it from the restores list)"
        exc.problem = replace(exc.problem, message=exc.problem.message + note)
        raise
    progress(f"{volume_id} attached to {inst.id} at {device}")
    return RestoreResult(
        volume_id=volume_id,
        device=device,
        az=inst.az,
        instance_id=inst.id,
        snapshot_id=snap.id,
        region=region,
        commands=mount_commands(volume_id, device, req.fs_type),
    )


def list_restores(ctx: AwsContext, region: str) -> list[Volume]:
    """Volumes snaptui made for file restores in ``region``, newest first."""
    ec2 = ctx.client("ec2", region)
    filters = [{"Name": "tag-key", "Values": [RESTORE_TAG]}]
    found: list[Volume] = []
    with aws_call(region, "DescribeVolumes"):
        for page in ec2.get_paginator("describe_volumes").paginate(Filters=filters):
            found.extend(parse.volume_from(v, region) for v in page.get("Volumes", ()))
    restores = [v for v in found if RESTORE_TAG in v.tags]
    return sorted(restores, key=lambda v: (v.create_time is None, v.create_time), reverse=True)


def list_all_restores(ctx: AwsContext, regions: Sequence[str]) -> list[Volume]:
    return [v for region in regions for v in list_restores(ctx, region)]


def cleanup_restore(
    ctx: AwsContext,
    region: str,
    volume_id: str,
    wait: waiting.WaitOptions | None = None,
    progress: Progress = no_progress,
) -> None:
    """Detach (if attached), wait until available, delete. Only restore volumes qualify."""
    vol = lookup.volume(ctx, region, volume_id)
    if RESTORE_TAG not in vol.tags:
        raise invalid(
            {"volume_id": f"{volume_id} is not a restore volume (no {RESTORE_TAG} tag)"},
            region,
            "DeleteVolume",
        )
    ec2 = ctx.client("ec2", region)
    opts = wait or waiting.WaitOptions()
    for att in vol.attachments:
        progress(f"detaching {volume_id} from {att.instance_id}")
        # Naming the instance and device guards against detaching from the wrong one.
        remove(
            ec2,
            "DetachVolume",
            region,
            VolumeId=volume_id,
            InstanceId=att.instance_id,
            Device=att.device,
        )
    waiting.volume_available(ctx, region, volume_id, opts)
    progress(f"deleting {volume_id}")
    remove(ec2, "DeleteVolume", region, VolumeId=volume_id)
    try:
        waiting.volume_deleted(ctx, region, volume_id, opts)
    except waiting.WaitTimedOut as exc:
        raise fail(f"{volume_id} is still being deleted", region, "DeleteVolume") from exc
