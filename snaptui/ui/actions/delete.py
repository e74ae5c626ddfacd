"""x: delete the marked (or highlighted) snapshots, refused while an AMI uses one of them."""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.text import Text

from snaptui.aws import protection as protection_aws
from snaptui.aws import snapshot_ops
from snaptui.aws.errors import problem_from
from snaptui.core import fmt, protection
from snaptui.core.browse import Fleet
from snaptui.core.managers import manager_of
from snaptui.models import Snapshot
from snaptui.ui.actions.common import checked, last_of_lineage
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.task import Progress, TaskFn, TaskResult, TaskScreen


def _refused_for_images(ctx: ActionContext, targets: list[Snapshot]) -> bool:
    """True (and says which AMI) when a registered image uses one of the targets."""
    in_use = {s.id: ctx.fleet.images_using(s.id) for s in targets}
    blocked = {sid: imgs for sid, imgs in in_use.items() if imgs}
    if not blocked:
        return False
    lines = [
        f"{sid}: used by {', '.join(i.id + ' ' + i.name for i in imgs)}"
        for sid, imgs in blocked.items()
    ]
    ctx.notify(
        ["Cannot delete: a registered AMI uses it. Deregister the AMI first.", *lines],
        title="Delete refused",
        severity="error",
        timeout=10,
    )
    return True


def _confirmation(ctx: ActionContext, targets: list[Snapshot]) -> tuple[Text, str | None]:
    """The confirmation's text, and what must be typed to confirm (None: a key is enough)."""
    ids = [s.id for s in targets]
    body = Text()
    body.append(f"Delete {len(ids)} snapshot(s):\n", style="bold")
    for s in targets[:8]:
        body.append(f"  {s.id}  {fmt.age(s.start_time, ctx.now())}  {s.name or s.description}\n")
    if len(targets) > 8:
        body.append(f"  … and {len(targets) - 8} more\n")
    freed = ctx.freed_text(ids)
    body.append(f"\nFrees: {freed}\n" if freed else "\nWhat it frees is not computed yet.\n")
    only_copy = [s for s in targets if last_of_lineage(ctx.fleet, s, set(ids))]
    if only_copy:
        body.append(
            f"{len(only_copy)} of them leave their volume with no snapshot at all.\n",
            style="bold red",
        )
    _warn_managed(body, ctx.fleet, targets)
    _warn_recycle_bin(body, ctx.fleet, targets)
    # Several, or the last copy of a volume's data: type to confirm (claws-style).
    typed = str(len(ids)) if len(ids) > 1 else (ids[0] if only_copy else None)
    return body, typed


def _warn_managed(body: Text, fleet: Fleet, targets: list[Snapshot]) -> None:
    """A service that owns a snapshot fights back, or loses track: say so before deleting.
    AWS Backup's are deleted through Backup (EC2 refuses them): say that instead."""
    warnings: dict[str, int] = {}
    for snap in targets:
        managed = protection.manager(snap, fleet)
        warning = _THROUGH_BACKUP if managed.kind == "backup" else managed.warning
        if warning:
            warnings[warning] = warnings.get(warning, 0) + 1
    for warning, count in warnings.items():
        who = "It is" if len(targets) == 1 else f"{count} of them:"
        body.append(f"{who} {warning}.\n", style="bold yellow")


_THROUGH_BACKUP = (
    "an AWS Backup recovery point: EC2 refuses to delete it, so it is deleted through AWS "
    "Backup (DeleteRecoveryPoint in its vault), which takes it off the vault too"
)


def _warn_recycle_bin(body: Text, fleet: Fleet, targets: list[Snapshot]) -> None:
    """A Recycle Bin rule keeps a deleted snapshot (billed) for its retention: the saving waits."""
    kept: dict[str, int] = {}
    unknown = 0
    for snap in targets:
        rule, text = protection.bin_rule(snap, fleet)
        if rule is not None:
            key = f"{rule.identifier} ({rule.days} days)"
            kept[key] = kept.get(key, 0) + 1
        elif text.startswith("unknown"):
            unknown += 1
    for rule_name, count in kept.items():
        who = "It goes" if len(targets) == 1 else f"{count} of them go"
        body.append(
            f"{who} to the Recycle Bin, rule {rule_name}: billed until then, "
            "so the saving arrives after that.\n",
            style="yellow",
        )
    if unknown:
        body.append(
            f"Recycle Bin rules unknown for {unknown}: a rule may keep them (billed) a while.\n",
            style="yellow",
        )


def _delete_one(ctx: ActionContext, s: Snapshot) -> None:
    """DeleteSnapshot; for an AWS Backup recovery point, DeleteRecoveryPoint in its vault."""
    if manager_of(s.tags).kind != "backup":
        snapshot_ops.delete_snapshot(ctx.aws, s.region, s.id)
        return
    source = next((v for k, v in s.tags.items() if k.lower() == _BACKUP_SOURCE), "")
    vault = protection_aws.recovery_point_vault(ctx.aws, s.region, source, s.id)
    if not vault:
        raise LookupError("AWS Backup does not list its recovery point: delete it in Backup")
    protection_aws.delete_recovery_point(ctx.aws, s.region, vault, s.id)


_BACKUP_SOURCE = "aws:backup:source-resource"


def _task(ctx: ActionContext, targets: list[Snapshot]) -> TaskFn:
    def task(progress: Progress, cancel: threading.Event) -> TaskResult:
        done, failed = [], []
        for n, s in enumerate(targets):
            if cancel.is_set():
                break
            progress(f"DeleteSnapshot {s.id}", n / len(targets))
            try:
                _delete_one(ctx, s)
                done.append(s.id)
            except Exception as exc:  # keep going: report each failure
                failed.append(f"{s.id}: {problem_from(exc, s.region, 'DeleteSnapshot')}")
        text = f"deleted {len(done)}" + ("".join(f"\n{f}" for f in failed))
        return TaskResult(not failed, text, done)

    return task


def run(ctx: ActionContext) -> None:
    pane = ctx.pane("snapshots")
    targets: list[Snapshot] = list(pane.marked_rows()) or (
        [pane.cursor_row] if isinstance(pane.cursor_row, Snapshot) else []
    )
    if not targets:
        ctx.notify("Highlight or mark (space) snapshots to delete", severity="warning")
        return
    if not ctx.writable("Delete") or _refused_for_images(ctx, targets):
        return
    body, typed = _confirmation(ctx, targets)
    regions = {s.region for s in targets}

    def confirmed(ok: bool | None) -> None:
        if not ok:
            return

        def after(result: TaskResult | None) -> None:
            for region in regions:
                ctx.reload(region)
            pane.clear_marks()

        ctx.push_screen(TaskScreen("Delete snapshots", _task(ctx, targets)), after)

    def ask(unknown: list[str]) -> None:
        for reason in unknown:
            body.append(f"Lock status unknown ({reason}): AWS refuses a locked one itself.\n",
                        style="yellow")  # fmt: skip
        ctx.push_screen(ConfirmScreen("Delete snapshots", body, require_typed=typed), confirmed)

    first = targets[0]
    checked(
        ctx, first.region, "DeleteSnapshot", {"SnapshotId": first.id},
        lambda: _check_locks(ctx, targets, ask),
    )  # fmt: skip


def _check_locks(
    ctx: ActionContext, targets: list[Snapshot], then: Callable[[list[str]], None]
) -> None:
    """Refuse (naming them) when a target is locked; else go on with why a status is unknown.

    DescribeLockedSnapshots per region, off the event loop. A lock is AWS's own refusal, so
    asking first only spares the user a confirmation that would fail.
    """

    def ask() -> None:
        locked: list[str] = []
        unknown: list[str] = []
        by_region: dict[str, list[str]] = {}
        for snap in targets:
            by_region.setdefault(snap.region, []).append(snap.id)
        for region, ids in by_region.items():
            found, problem = snapshot_ops.locked_snapshot_ids(ctx.aws, region, ids)
            locked += sorted(found)
            if problem is not None:
                unknown.append(f"{region}: {problem.kind.value}")
        ctx.call_from_thread(answered, locked, unknown)

    def answered(locked: list[str], unknown: list[str]) -> None:
        if not locked:
            then(unknown)
            return
        ctx.notify(
            [
                "Cannot delete: locked (EBS snapshot lock: governance mode until unlocked, "
                "compliance mode until the lock expires).",
                *locked,
            ],
            title="Delete refused",
            severity="error",
            timeout=10,
        )

    ctx.start_job("locks", lambda _: ask(), group="locks")
