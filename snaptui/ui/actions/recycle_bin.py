""":recycle: list deleted-but-recoverable snapshots in every region; pick one to recover."""

from __future__ import annotations

import threading

from snaptui.aws import tiering
from snaptui.core import fmt
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.form import Field, FormScreen, Values
from snaptui.ui.dialogs.task import Progress, TaskFn, TaskResult, TaskScreen


def _list_task(ctx: ActionContext, regions: list[str]) -> TaskFn:
    def task(progress: Progress, cancel: threading.Event) -> TaskResult:
        found: list[tiering.RecycledSnapshot] = []
        failed: list[str] = []
        for n, region in enumerate(regions):
            if cancel.is_set():
                break
            progress(f"ListSnapshotsInRecycleBin {region}", n / max(1, len(regions)))
            try:
                found += tiering.list_recycle_bin(ctx.aws, region)
            except Exception as exc:  # one region's failure is shown, the rest listed
                problem = getattr(exc, "problem", None)
                failed.append(f"{region}: {problem or exc}")
        lines = [
            f"{r.snapshot_id}  {r.region}  until {fmt.local_time(r.recycle_bin_exit_time)}"
            f"  {r.description}"
            for r in found
        ]
        text = "\n".join(lines) or "The recycle bin is empty."
        if found:
            text += "\n\nesc: pick one to recover"
        if failed:
            text += "\n\nNot listed:\n" + "\n".join(failed)
        return TaskResult(True, text, found)

    return task


def run(ctx: ActionContext) -> None:
    """List deleted-but-recoverable snapshots in every region; pick one to recover."""
    regions = list(ctx.region_names)

    def listed(result: TaskResult | None) -> None:
        if result is not None and result.value:
            _pick_recycled(ctx, list(result.value))

    ctx.push_screen(TaskScreen("Recycle Bin", _list_task(ctx, regions)), listed)


def _pick_recycled(ctx: ActionContext, found: list[tiering.RecycledSnapshot]) -> None:
    options = [(f"{r.snapshot_id} {r.region} {r.description}"[:70], i) for i, r in enumerate(found)]
    fields = [Field("which", "Recover", kind="select", default=0, options=options)]

    def submitted(v: Values | None) -> None:
        if v is None or v["which"] is None or not ctx.writable("Recover"):
            return
        r = found[int(v["which"])]

        def task(progress: Progress, cancel: threading.Event) -> TaskResult:
            progress("RestoreSnapshotFromRecycleBin", None)
            tiering.recover_from_recycle_bin(ctx.aws, r.region, r.snapshot_id)
            return TaskResult(True, f"{r.snapshot_id} recovered in {r.region}")

        ctx.run(f"Recover {r.snapshot_id}", task, r.region)

    ctx.push_screen(
        FormScreen("Recover from the Recycle Bin", fields, lambda v: {}, submit_label="Recover"),
        submitted,
    )
