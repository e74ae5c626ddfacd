"""Lightsail restores from the view: a file (disk from the snapshot, attached, mount commands;
clean-up with x on that disk), a new instance, and the automatic-snapshot settings."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from rich.text import Text

from snaptui.aws.lightsail import actions as ls_actions
from snaptui.aws.lightsail import restore as ls_restore
from snaptui.aws.lightsail.models import LsDisk, LsInstance, SnapKind
from snaptui.core import lightsail_rules as rules
from snaptui.core.validate import merge
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.form import Field, Values
from snaptui.ui.dialogs.task import Progress
from snaptui.ui.lightsail.panes import ResourceRow

if TYPE_CHECKING:
    from snaptui.ui.lightsail.actions import LsActions


def _int(text: object) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        return -1


def restore_file(acts: LsActions) -> None:
    snap = acts._one("Restore a file")
    if snap is None or not acts._writable("Restore a file"):
        return
    if snap.kind is SnapKind.INSTANCE or (snap.is_auto and snap.source_kind != "Disk"):
        acts.screen.app.notify(
            "Lightsail makes disks from disk snapshots only: pick a disk snapshot, or press L "
            "to create an instance from this one",
            severity="warning",
            timeout=8,
        )
        return
    inv = acts.screen.invs.get(snap.region)
    instances = sorted(inv.instances if inv else [], key=lambda i: i.name)
    if not instances:
        acts.screen.app.notify(f"No instance in {snap.region} to attach to", severity="warning")
        return
    fields = [
        Field(
            "instance",
            "Attach to instance",
            kind="select",
            options=[(f"{i.name} ({i.az})", i.name) for i in instances],
            default=instances[0].name,
        ),
        Field("size", "Size GB", default=str(snap.size_gb)),
    ]

    def check(v: Values) -> dict[str, str]:
        return rules.check_disk_size(_int(v["size"]), snap.size_gb) or {}

    def go(v: Values) -> None:
        def run(progress: Progress, cancel: threading.Event) -> str:
            from snaptui.ui.lightsail.actions import wait_options

            done = ls_restore.restore_disk(
                acts.ctx,
                snap,
                str(v["instance"]),
                size_gb=_int(v["size"]),
                wait=wait_options(cancel, progress),
            )
            head = (
                f"Disk {done.disk_name} ({done.size_gb} GB) is attached to {done.instance} "
                f"at {done.path}. On the instance:"
            )
            tail = f"Clean-up: highlight {done.disk_name} in pane 2 and press x."
            return "\n".join([head, *done.commands, tail])

        acts._task("Restore a file", snap.region, run)

    acts._form(
        "Restore a file (Lightsail)",
        fields,
        check,
        go,
        intro=f"A disk from {snap.name}, in the instance's zone, attached at a free path.",
    )


def cleanup(acts: LsActions, row: ResourceRow) -> None:
    disk = row.resource
    if not isinstance(disk, LsDisk) or ls_restore.RESTORE_TAG not in disk.tags:
        acts.screen.app.notify(
            "x on a disk only cleans up snaptui restore disks", severity="warning"
        )
        return
    if not acts._writable("Clean up"):
        return
    body = Text(
        f"Detach {disk.name} from {disk.attached_to or '(nothing)'} and delete it?\n"
        "Unmount it on the instance first."
    )

    def confirmed(ok: bool | None) -> None:
        if ok:
            acts._task(
                "Clean up restore disk",
                row.region,
                lambda p, c: _cleanup(acts, row.region, disk.name),
            )

    acts.screen.app.push_screen(ConfirmScreen("Clean up", body), confirmed)


def new_instance(acts: LsActions) -> None:
    snap = acts._one("New instance")
    if snap is None or not acts._writable("New instance"):
        return
    if snap.kind is SnapKind.DISK or snap.source_kind == "Disk":
        acts.screen.app.notify(
            "A disk snapshot makes a disk (R), not an instance", severity="warning"
        )
        return
    zone = snap.az if snap.az.startswith(snap.region) else f"{snap.region}a"
    fields = [
        Field("name", "Instance name", default=f"{snap.source_name}-restored"),
        Field("zone", "Availability zone", default=zone),
        Field("bundle", "Bundle (disk >= snapshot)", default=snap.bundle_id or "micro_3_0"),
        Field("key", "Key pair (blank: the default)"),
        Field("script", "Launch script (optional)"),
    ]

    def check(v: Values) -> dict[str, str]:
        return (
            merge(
                rules.check_name(v["name"]),
                None if len(v["script"]) <= 16384 else {"script": "at most 16 KB"},
            )
            or {}
        )

    def go(v: Values) -> None:
        new = ls_restore.NewInstance(
            v["name"], v["zone"].strip(), v["bundle"].strip(), v["key"].strip(), v["script"]
        )
        acts._task(
            "New instance from snapshot",
            snap.region,
            lambda p, c: (
                f"{ls_restore.create_instance_from_snapshot(acts.ctx, snap, new)} is starting"
            ),
        )

    acts._form(
        "New instance from snapshot",
        fields,
        check,
        go,
        intro=f"From {snap.name} ({snap.size_gb} GB)",
    )


def auto_snapshots(acts: LsActions) -> None:
    row = acts.screen.pane("ls-resources").cursor_row
    if not isinstance(row, ResourceRow):
        acts.screen.app.notify("Highlight an instance or a disk", severity="warning")
        return
    if not acts._writable("Automatic snapshots"):
        return
    res: LsInstance | LsDisk = row.resource
    fields = [
        Field("on", "Automatic snapshots on", kind="checkbox", default=res.auto.enabled),
        Field("time", "Daily at (UTC, HH:00)", default=res.auto.time_of_day or "06:00"),
    ]

    def check(v: Values) -> dict[str, str]:
        return (rules.check_time_of_day(v["time"]) if v["on"] else None) or {}

    def go(v: Values) -> None:
        def apply() -> None:
            acts._task(
                "Automatic snapshots",
                row.region,
                lambda p, c: _set_auto(acts, row, bool(v["on"]), str(v["time"])),
            )

        if v["on"] or not res.auto.enabled:
            apply()
            return
        body = Text(
            f"Turn off automatic snapshots of {row.name}? Lightsail then deletes its "
            "automatic snapshots: keep (k) any you need first."
        )
        acts.screen.app.push_screen(
            ConfirmScreen("Automatic snapshots off", body, confirm_label="Turn off"),
            lambda ok: apply() if ok else None,
        )

    acts._form(f"Automatic snapshots of {row.name}", fields, check, go)


def _cleanup(acts: LsActions, region: str, name: str) -> str:
    ls_restore.cleanup_restore(acts.ctx, region, name)
    return f"{name} detached and deleted"


def _set_auto(acts: LsActions, row: ResourceRow, on: bool, time_of_day: str) -> str:
    ls_actions.set_auto_snapshots(acts.ctx, row.region, row.name, enabled=on,
                                  time_of_day=time_of_day if on else "")  # fmt: skip
    return (
        f"automatic snapshots on, daily at {time_of_day} UTC" if on else "automatic snapshots off"
    )
