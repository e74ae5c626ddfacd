"""The Lightsail view's actions: form (checks beside each field) -> confirmation when
destructive -> a task running snaptui.aws.lightsail in a thread -> reload the region.

Read-only mode is refused here with a message, and again by the session's botocore guard.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from snaptui.aws.lightsail import actions as ls_actions
from snaptui.aws.lightsail.models import LsSnapshot
from snaptui.aws.session import AwsContext
from snaptui.aws.waiting import WaitOptions
from snaptui.core import lightsail_rules as rules
from snaptui.core.validate import merge
from snaptui.ui.actions.common import parse_tags
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.form import Field, FormScreen, Values
from snaptui.ui.dialogs.task import Progress, TaskResult, TaskScreen
from snaptui.ui.lightsail.panes import ResourceRow

if TYPE_CHECKING:
    from snaptui.ui.lightsail.screen import LightsailScreen

Run = Callable[[Progress, threading.Event], str]


def _stamp(screen: LightsailScreen) -> str:
    return screen.clock().strftime("%Y%m%d-%H%M")


class LsActions:
    def __init__(self, screen: LightsailScreen) -> None:
        self.screen = screen

    @property
    def ctx(self) -> AwsContext:
        ctx: AwsContext = self.screen.ctx
        return ctx

    def _writable(self, what: str) -> bool:
        if self.ctx.target.read_only:
            self.screen.app.notify(
                f"{what}: refused, snaptui runs with --read-only", severity="error", timeout=5
            )
            return False
        return True

    def _one(self, what: str) -> LsSnapshot | None:
        snaps = self.screen.selected_snapshots()
        if len(snaps) != 1:
            self.screen.app.notify(f"{what}: highlight one snapshot", severity="warning")
            return None
        return snaps[0]

    def _task(self, title: str, region: str, run: Run) -> None:
        def task(progress: Progress, cancel: threading.Event) -> TaskResult:
            return TaskResult(True, run(progress, cancel))

        self.screen.app.push_screen(TaskScreen(title, task), lambda _: self.screen.load(region))

    def _form(
        self,
        title: str,
        fields: list[Field],
        check: Callable[[Values], dict[str, str]],
        then: Callable[[Values], None],
        intro: str = "",
    ) -> None:
        def done(values: Values | None) -> None:
            if values is not None:
                then(values)

        self.screen.app.push_screen(FormScreen(title, fields, check, intro=intro), done)

    # --- create ----------------------------------------------------------------------------

    def create(self) -> None:
        row = self.screen.pane("ls-resources").cursor_row
        if not isinstance(row, ResourceRow):
            self.screen.app.notify("Highlight an instance or a disk", severity="warning")
            return
        if not self._writable("New snapshot"):
            return
        fields = [
            Field("name", "Snapshot name", default=f"{row.name}-{_stamp(self.screen)}"),
            Field("tags", "Tags (key=value, ...)", placeholder="team=ops, ticket=OPS-1"),
        ]

        def check(v: Values) -> dict[str, str]:
            tags, err = parse_tags(v["tags"])
            return (
                {"tags": err}
                if err
                else merge(rules.check_name(v["name"]), rules.check_ls_tags(tags)) or {}
            )

        def go(v: Values) -> None:
            tags, _ = parse_tags(v["tags"])

            def run(progress: Progress, cancel: threading.Event) -> str:
                make = (
                    ls_actions.create_instance_snapshot
                    if row.is_instance
                    else ls_actions.create_disk_snapshot
                )
                progress(f"snapshot {row.name}", None)
                name = make(self.ctx, row.region, row.name, v["name"], tags)
                return f"{name} is being created (pending until Lightsail has copied the disk)"

            self._task("New Lightsail snapshot", row.region, run)

        kind = "instance (system disk and attached disks)" if row.is_instance else "disk"
        self._form("New Lightsail snapshot", fields, check, go, intro=f"Of {kind} {row.name}")

    # --- delete ----------------------------------------------------------------------------

    def delete(self) -> None:
        row = self.screen.pane("ls-resources").cursor_row
        if self.screen.focused is self.screen.pane("ls-resources") and isinstance(row, ResourceRow):
            from snaptui.ui.lightsail.actions_restore import cleanup

            cleanup(self, row)
            return
        snaps = self.screen.selected_snapshots()
        if not snaps:
            self.screen.app.notify("Highlight or mark (space) snapshots", severity="warning")
            return
        if not self._writable("Delete"):
            return
        body = Text()
        body.append(f"Delete {len(snaps)} Lightsail snapshot(s):\n", style="bold")
        for s in snaps[:8]:
            body.append(f"  {s.name}  ({'automatic' if s.is_auto else 'manual'}, {s.region})\n")
        if len(snaps) > 8:
            body.append(f"  … and {len(snaps) - 8} more\n")
        typed = str(len(snaps)) if len(snaps) > 1 else None

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._task(
                    "Delete Lightsail snapshots",
                    snaps[0].region,
                    lambda p, c: _delete(self.ctx, snaps, p, c),
                )

        self.screen.app.push_screen(
            ConfirmScreen("Delete snapshots", body, require_typed=typed), confirmed
        )

    # --- keep / copy / export --------------------------------------------------------------

    def keep(self) -> None:
        snap = self._one("Keep")
        if snap is None or not self._writable("Keep"):
            return
        if not snap.is_auto:
            self.screen.app.notify("Keep: only automatic ones need keeping", severity="warning")
            return
        default = f"{snap.source_name}-kept-{snap.auto_date}"
        fields = [Field("name", "Manual snapshot name", default=default)]

        def go(v: Values) -> None:
            self._task(
                "Keep automatic snapshot",
                snap.region,
                lambda p, c: f"kept as {ls_actions.keep_auto_snapshot(self.ctx, snap, v['name'])}",
            )

        self._form(
            "Keep automatic snapshot",
            fields,
            lambda v: rules.check_name(v["name"]) or {},
            go,
            intro="Copies it to a manual snapshot Lightsail will not rotate away.",
        )

    def copy(self) -> None:
        snap = self._one("Copy")
        if snap is None or not self._writable("Copy"):
            return
        regions = [(r, r) for r in sorted(self.screen.regions)]
        fields = [
            Field(
                "region", "Destination region", kind="select", options=regions, default=snap.region
            ),
            Field("name", "Name of the copy", default=f"{snap.name}-copy".replace(" ", "-")),
        ]

        def go(v: Values) -> None:
            def run(p: Progress, c: threading.Event) -> str:
                return f"copying to {v['region']} as " + ls_actions.copy_snapshot(
                    self.ctx, snap, str(v["region"]), v["name"]
                )

            self._task("Copy Lightsail snapshot", str(v["region"]), run)

        self._form(
            "Copy Lightsail snapshot", fields, lambda v: rules.check_name(v["name"]) or {}, go
        )

    def export(self) -> None:
        snap = self._one("Export")
        if snap is None or not self._writable("Export"):
            return

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._task(
                    "Export to EC2",
                    snap.region,
                    lambda p, c: _export(self.ctx, snap),
                )

        body = Text(f"Export {snap.name} to EC2 in {snap.region}? EBS then bills it too.")
        self.screen.app.push_screen(
            ConfirmScreen("Export to EC2", body, confirm_label="Export"), confirmed
        )

    # --- restore and launch (actions_restore.py) --------------------------------------------

    def restore(self) -> None:
        from snaptui.ui.lightsail.actions_restore import restore_file

        restore_file(self)

    def launch(self) -> None:
        from snaptui.ui.lightsail.actions_restore import new_instance

        new_instance(self)

    def auto(self) -> None:
        from snaptui.ui.lightsail.actions_restore import auto_snapshots

        auto_snapshots(self)


def _delete(
    ctx: AwsContext, snaps: list[LsSnapshot], progress: Progress, cancel: threading.Event
) -> str:
    done, gone, failed = 0, 0, []
    for n, s in enumerate(snaps):
        if cancel.is_set():
            break
        progress(f"delete {s.name}", n / len(snaps))
        try:
            if ls_actions.delete_snapshot(ctx, s):
                done += 1
            else:
                gone += 1
        except Exception as exc:  # keep going: each failure is reported
            failed.append(f"{s.name}: {exc}")
    text = f"deleted {done}" + (f", {gone} already gone" if gone else "")
    return text + "".join(f"\n{f}" for f in failed)


def wait_options(cancel: threading.Event, progress: Progress) -> WaitOptions:
    return WaitOptions(cancel=cancel, progress=lambda step: progress(step, None))


def _export(ctx: AwsContext, snap: LsSnapshot) -> str:
    ls_actions.export_snapshot(ctx, snap)
    return f"{snap.name} is being exported; it will show among the EBS snapshots"
