"""n: snapshot the highlighted volume, or a crash-consistent set of the highlighted instance."""

from __future__ import annotations

import threading
from typing import Any

from snaptui.aws import snapshot_ops
from snaptui.core import validate
from snaptui.core.ownership import copyable_tags
from snaptui.models import Instance, Snapshot, Volume
from snaptui.ui.actions.common import checked, parse_tags
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.form import Field, FormScreen, Values
from snaptui.ui.dialogs.task import Progress, TaskFn, TaskResult

QUIESCE_ADVICE = (
    "EBS snapshots are crash-consistent. For an application-consistent one, flush and freeze "
    "the filesystem (fsfreeze -f /mnt/data) or stop the database first, and unfreeze after "
    "the snapshot has started."
)


def _targets(ctx: ActionContext) -> tuple[Instance | None, Volume | None]:
    """The focused instance or volume; else the volume of the highlighted snapshot."""
    focused = ctx.focused
    pane_id = getattr(focused, "id", "")
    row = getattr(focused, "cursor_row", None)
    instance: Instance | None = (
        row if pane_id == "instances" and isinstance(row, Instance) else None
    )
    volume: Volume | None = row if pane_id == "volumes" and isinstance(row, Volume) else None
    if instance is None and volume is None:
        snap = ctx.pane("snapshots").cursor_row
        if isinstance(snap, Snapshot):
            volume = ctx.fleet.volumes_by_id.get(snap.volume_id)
    return instance, volume


def _fields(target: Instance | Volume, instance: Instance | None) -> list[Field]:
    fields = [
        Field(
            "description", "Description", default=f"snaptui {target.name or target.id}", prose=True
        ),
        Field("name", "Name tag", default=target.name, prose=True),
        Field("tags", "Other tags (key=value, ...)", placeholder="team=ops, ticket=OPS-1"),
        Field("copy_tags", "Copy the volume's tags", kind="checkbox", default=True),
    ]
    if instance is not None:
        fields.append(Field("exclude_root", "Exclude the root volume", kind="checkbox"))
    return fields


def _own_tags(v: Values) -> tuple[dict[str, str], str | None]:
    """The tags typed in the form, with the Name tag; an error for a malformed pair."""
    tags, err = parse_tags(v["tags"])
    if v["name"]:
        tags["Name"] = v["name"]
    return tags, err


def _check(v: Values) -> dict[str, str]:
    tags, err = _own_tags(v)
    if err:
        return {"tags": err}
    return (
        validate.merge(validate.check_tags(tags), validate.check_description(v["description"]))
        or {}
    )


def _task(
    ctx: ActionContext,
    region: str,
    instance: Instance | None,
    volume: Volume | None,
    v: Values,
    own_tags: dict[str, str],
) -> TaskFn:
    def task(progress: Progress, cancel: threading.Event) -> TaskResult:
        aws = ctx.aws
        tags = dict(own_tags)
        if instance is not None:
            progress("CreateSnapshots (one point in time for every volume)", None)
            created = snapshot_ops.create_instance_snapshots(
                aws, region, instance.id, v["description"], tags,
                exclude_root=bool(v.get("exclude_root")),
            )  # fmt: skip
        else:
            assert volume is not None
            if v["copy_tags"]:
                tags = {**copyable_tags(volume.tags), **tags}
            progress("CreateSnapshot", None)
            created = [
                snapshot_ops.create_volume_snapshot(aws, region, volume.id, v["description"], tags)
            ]
        ids = [c.snapshot_id for c in created]
        progress(f"waiting for {len(ids)} snapshot(s) to complete", None)
        problem = snapshot_ops.wait_completed(aws, region, ids, timeout_s=3600, cancel=cancel)
        text = "\n".join(ids)
        if problem is not None:
            return TaskResult(False, f"{text}\n{problem}")
        return TaskResult(True, text, ids)

    return task


def run(ctx: ActionContext) -> None:
    """Of the highlighted volume, or a crash-consistent set of the highlighted instance."""
    if not ctx.writable("Create snapshot"):
        return
    instance, volume = _targets(ctx)
    if instance is None and volume is None:
        ctx.notify("Highlight a volume or an instance to snapshot", severity="warning")
        return
    target = instance or volume
    assert target is not None
    what = (
        f"instance {instance.name or instance.id} (all volumes, crash-consistent)"
        if instance
        else f"volume {target.id}"
    )

    def submitted(v: Values | None) -> None:
        if v is None:
            return
        own_tags, _ = _own_tags(v)
        task = _task(ctx, target.region, instance, volume, v, own_tags)
        ctx.run(f"Snapshot {what}", task, target.region)

    form = FormScreen(
        f"Create snapshot of {what}",
        _fields(target, instance),
        _check,
        intro=QUIESCE_ADVICE,
        submit_label="Create",
    )
    params: dict[str, Any]
    if instance is not None:
        op, params = "CreateSnapshots", {"InstanceSpecification": {"InstanceId": instance.id}}
    else:
        op, params = "CreateSnapshot", {"VolumeId": target.id}
    checked(ctx, target.region, op, params, lambda: ctx.push_screen(form, submitted))
