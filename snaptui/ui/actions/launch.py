"""L: launch an instance from the highlighted snapshot (an AMI registered from it, then run)."""

from __future__ import annotations

import threading

from snaptui.aws import launch as launch_ops
from snaptui.models import Snapshot
from snaptui.ui.actions.common import wait_options
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.form import Field, FormScreen, Values
from snaptui.ui.dialogs.task import Progress, TaskFn, TaskResult


def _fields(snap: Snapshot, d: launch_ops.LaunchRequest) -> list[Field]:
    return [
        Field("type", "Instance type", default=d.instance_type),
        Field("name", "Name tag", default=d.name or f"from-{snap.id}", prose=True),
        Field("subnet", "Subnet (empty: default)", default=d.subnet_id),
        Field("groups", "Security groups (comma-separated)",
              default=",".join(d.security_group_ids)),
        Field("key", "Key pair", default=d.key_name),
        Field("root", "Root device name", default=d.root_device_name),
        Field("arch", "Architecture", kind="select", default=d.architecture,
              options=[("x86_64", "x86_64"), ("arm64", "arm64")]),
        Field("keep_image", "Keep the AMI afterwards", kind="checkbox", default=d.keep_image),
    ]  # fmt: skip


def _check(v: Values) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not v["type"]:
        errors["type"] = "required"
    if not str(v["root"]).startswith("/dev/"):
        errors["root"] = "a device name such as /dev/xvda"
    return errors


# What the AWS layer calls a refused field, as this form's keys.
FORM_KEYS = {
    "instance_type": "type", "subnet_id": "subnet", "security_group_ids": "groups",
    "key_name": "key", "root_device_name": "root", "architecture": "arch", "tags": "name",
}  # fmt: skip


def _start(
    ctx: ActionContext, snap: Snapshot, d: launch_ops.LaunchRequest, v: Values
) -> tuple[str, TaskFn, str]:
    groups = tuple(g.strip() for g in str(v["groups"]).split(",") if g.strip())
    req = launch_ops.LaunchRequest(
        snapshot_id=snap.id, region=snap.region, instance_type=v["type"],
        subnet_id=v["subnet"], security_group_ids=groups, key_name=v["key"],
        root_device_name=v["root"], architecture=v["arch"] or d.architecture,
        virtualization_type=d.virtualization_type, ena_support=d.ena_support,
        name=v["name"], keep_image=bool(v["keep_image"]),
        source_instance_id=d.source_instance_id,
    )  # fmt: skip

    def task(progress: Progress, cancel: threading.Event) -> TaskResult:
        r = launch_ops.launch_from_snapshot(
            ctx.aws, req, wait_options(cancel, progress), lambda s: progress(s, None)
        )
        kept = "kept" if r.image_kept else "deregistered"
        return TaskResult(True, f"{r.instance_id} running (AMI {r.image_id} {kept})", r)

    return f"Launch from {snap.id}", task, snap.region


def run(ctx: ActionContext) -> None:
    snap = ctx.snapshot()
    if snap is None or not ctx.writable("Launch"):
        return
    # From what is already loaded: no AWS call on the UI thread.
    volume = ctx.fleet.volumes_by_id.get(snap.volume_id)
    source = ctx.fleet.instance_of(volume) if volume is not None else None
    d = launch_ops.defaults_from(snap, source)
    cloned = f" (defaults from {d.source_instance_id})" if d.source_instance_id else ""

    def make_form(values: Values | None, errors: dict[str, str] | None) -> FormScreen:
        return FormScreen(
            f"Launch an instance from {snap.id}{cloned}",
            _fields(snap, d),
            _check,
            submit_label="Launch",
            values=values,
            errors=errors,
        )

    ctx.form_then_task(make_form, lambda v: _start(ctx, snap, d, v), FORM_KEYS)
