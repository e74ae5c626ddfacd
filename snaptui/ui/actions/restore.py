"""R: restore files (snapshot -> volume attached to an instance -> mount commands), and
:restores, the restore volumes listed, one picked to detach and delete."""

from __future__ import annotations

import threading

from rich.text import Text

from snaptui.aws import imds
from snaptui.aws import restore as restore_ops
from snaptui.core import validate
from snaptui.core.mount_commands import FILESYSTEMS
from snaptui.core.validate import VolumeSpec
from snaptui.models import Instance, Snapshot, Volume
from snaptui.ui.actions.common import (
    VOLUME_TYPES,
    checked,
    form_errors,
    int_or_none,
    wait_options,
)
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.form import Field, FormScreen, Values
from snaptui.ui.dialogs.task import Progress, TaskFn, TaskResult

RESTORE_INTRO = (
    "A new volume in the instance's AZ, attached at the next free device, "
    "tagged as a restore; then the commands to mount it read-only (y copies them)."
)

# --- restore files from a snapshot -----------------------------------------------------------


def _instances(
    ctx: ActionContext, snap: Snapshot, here: imds.HostInstance | None
) -> list[Instance]:
    """The instances a restore can attach to: this host first, else the snapshot's own."""
    instances = [
        i
        for i in ctx.fleet.instances_by_id.values()
        if i.region == snap.region and i.state in ("running", "stopped")
    ]
    instances = restore_ops.order_targets(instances, here)
    if here is None:
        # Not on EC2 (or not in this region): the instance the snapshot came from first.
        source = ctx.fleet.volumes_by_id.get(snap.volume_id)
        origin = source.instance_id if source is not None else ""
        instances.sort(key=lambda i: i.id != origin)
    return instances


def _fields(
    snap: Snapshot, instances: list[Instance], here: imds.HostInstance | None
) -> list[Field]:
    options = [
        (
            f"{i.name or '-'} {i.id} ({i.az}"
            f"{', this host' if here and here.instance_id == i.id else ''})",
            i.id,
        )
        for i in instances
    ]
    return [
        Field("instance", "Attach to instance", kind="select", default=instances[0].id,
              options=options),
        Field("type", "Volume type", kind="select", default="gp3", options=VOLUME_TYPES),
        Field("size", f"Size GiB (at least {snap.volume_size_gib})",
              default=str(snap.volume_size_gib)),
        Field("device", "Device (empty: next free /dev/sdf..p)", default=""),
        Field("fs", "Filesystem (xfs adds nouuid, ext3/4 noload)", kind="select", default="",
              options=[(f or "detect (blkid)", f) for f in FILESYSTEMS]),
    ]  # fmt: skip


def _check(ctx: ActionContext, snap: Snapshot, v: Values) -> dict[str, str]:
    inst = ctx.fleet.instances_by_id.get(v["instance"] or "")
    if inst is None:
        return {"instance": "choose an instance"}
    try:
        size = int_or_none(v["size"])
    except ValueError:
        return {"size": "a whole number of GiB"}
    spec = VolumeSpec(az=inst.az, volume_type=v["type"] or "gp3", size_gib=size)
    errors = validate.merge(
        validate.check_volume(spec, snap.volume_size_gib),
        validate.check_device(v["device"], set(inst.block_devices)) if v["device"] else None,
    )
    return form_errors(errors)


# What the AWS layer calls a refused field, as this form's keys.
FORM_KEYS = {
    "instance_id": "instance", "volume_type": "type", "size_gib": "size", "fs_type": "fs",
}  # fmt: skip


def _start(ctx: ActionContext, snap: Snapshot, v: Values) -> tuple[str, TaskFn, str]:
    req = restore_ops.RestoreRequest(
        snapshot_id=snap.id, region=snap.region, instance_id=v["instance"],
        volume_type=v["type"] or "gp3", size_gib=int_or_none(v["size"]),
        device=v["device"], fs_type=v["fs"],
    )  # fmt: skip

    def task(progress: Progress, cancel: threading.Event) -> TaskResult:
        result = restore_ops.restore_to_instance(
            ctx.aws, req, wait_options(cancel, progress), lambda s: progress(s, None)
        )
        head = f"# {result.volume_id} attached to {result.instance_id} at {result.device}\n"
        return TaskResult(True, head + "\n".join(result.commands), result)

    return f"Restore {snap.id}", task, snap.region


def run(ctx: ActionContext) -> None:
    """Snapshot → volume in the target instance's AZ → attached → mount commands."""
    snap = ctx.snapshot()
    if snap is None or not ctx.writable("Restore"):
        return
    here = ctx.host_instance
    instances = _instances(ctx, snap, here)
    if not instances:
        ctx.notify(
            f"No instance in {snap.region} to attach a restore volume to", severity="warning"
        )
        return
    fields = _fields(snap, instances, here)

    def make_form(values: Values | None, errors: dict[str, str] | None) -> FormScreen:
        return FormScreen(
            f"Restore files from {snap.id}", fields, lambda v: _check(ctx, snap, v),
            submit_label="Restore", intro=RESTORE_INTRO, values=values, errors=errors,
        )  # fmt: skip

    checked(
        ctx,
        snap.region,
        "CreateVolume",
        {"AvailabilityZone": instances[0].az, "SnapshotId": snap.id},
        lambda: ctx.form_then_task(make_form, lambda v: _start(ctx, snap, v), FORM_KEYS),
    )


# --- restores: list and clean up -------------------------------------------------------------


def restores(ctx: ActionContext) -> None:
    from snaptui.ui.screens.restores import RestoresScreen, restore_volumes

    volumes = restore_volumes(list(ctx.fleet.volumes_by_id.values()))

    def chosen(volume: Volume | None) -> None:
        if volume is not None:
            cleanup_restore(ctx, volume)

    ctx.push_screen(RestoresScreen(volumes), chosen)


def cleanup_restore(ctx: ActionContext, volume: Volume) -> None:
    if not ctx.writable("Clean up restore"):
        return
    body = Text()
    body.append(f"Detach and delete {volume.id}", style="bold")
    body.append(f" ({volume.name or 'restore volume'}, {volume.size_gib} GiB, {volume.region}).\n")
    if volume.attachments:
        a = volume.attachments[0]
        body.append(f"It is attached to {a.instance_id} at {a.device}: unmount it first.\n")
    body.append("The snapshot it came from is not touched.\n")

    def confirmed(ok: bool | None) -> None:
        if not ok:
            return

        def task(progress: Progress, cancel: threading.Event) -> TaskResult:
            restore_ops.cleanup_restore(
                ctx.aws, volume.region, volume.id, wait_options(cancel, progress),
                lambda s: progress(s, None),
            )  # fmt: skip
            return TaskResult(True, f"{volume.id} detached and deleted")

        ctx.run(f"Clean up {volume.id}", task, volume.region)

    ctx.push_screen(
        ConfirmScreen("Clean up restore volume", body, require_typed=volume.id), confirmed
    )
