""":lock / :unlock — EBS snapshot lock on the highlighted snapshot.

Governance mode stops deletion until someone allowed to (ec2:UnlockSnapshot) removes the lock;
compliance mode stops it, for everyone including the account's root user, until the lock
expires; its optional cooling-off (1-72 hours) is the only time it can still be undone. So a
compliance lock asks for the snapshot ID to be typed before it is sent.
"""

from __future__ import annotations

from rich.text import Text

from snaptui.aws import locks
from snaptui.core import validate
from snaptui.models import Snapshot
from snaptui.ui.actions.common import int_or_none, one_call
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.form import Field, FormScreen, Values

INTRO = (
    "Governance: no one can delete it until someone allowed to unlocks it. Compliance: no "
    "one, not even the root user, can delete it or unlock it until it expires; a cooling-off "
    "period (hours) is the only time it can be undone."
)


def _parsed(v: Values) -> tuple[str, int | None, int | None]:
    return str(v["mode"]), int_or_none(v["days"]), int_or_none(v["cool_off"])


def _check(v: Values) -> dict[str, str]:
    try:
        mode, days, cool = _parsed(v)
    except ValueError:
        return {"days": "whole numbers only"}
    return validate.check_lock(mode, days, cool) or {}


def run(ctx: ActionContext) -> None:
    snap = ctx.snapshot()
    if snap is None or not ctx.writable("Lock"):
        return
    fields = [
        Field("mode", "Mode", kind="select", default="governance",
              options=[("governance (can be unlocked)", "governance"),
                       ("compliance (cannot, once cooled off)", "compliance")]),
        Field("days", "Lock for (days)", default="30"),
        Field("cool_off", "Cooling-off (hours, compliance; empty: none)", default=""),
    ]  # fmt: skip

    def submitted(v: Values | None) -> None:
        if v is None:
            return
        mode, days, cool = _parsed(v)
        if mode == "compliance":
            _confirm_compliance(ctx, snap, days or 0, cool)
        else:
            _send(ctx, snap, mode, days or 0, cool)

    ctx.push_screen(
        FormScreen(f"Lock {snap.id}", fields, _check, intro=INTRO, submit_label="Lock"), submitted
    )


def _confirm_compliance(ctx: ActionContext, snap: Snapshot, days: int, cool: int | None) -> None:
    body = Text()
    body.append(f"Lock {snap.id} in compliance mode for {days} days.\n\n", style="bold")
    undo = f"within {cool} hours" if cool else "never: there is no cooling-off"
    body.append(f"It can be undone {undo}. After that nobody can delete it until the lock "
                "expires, and it is billed until then.\n", style="bold red")  # fmt: skip

    def confirmed(ok: bool | None) -> None:
        if ok:
            _send(ctx, snap, "compliance", days, cool)

    ctx.push_screen(
        ConfirmScreen("Compliance lock", body, confirm_label="Lock", require_typed=snap.id),
        confirmed,
    )


def _send(ctx: ActionContext, snap: Snapshot, mode: str, days: int, cool: int | None) -> None:
    task = one_call(
        f"LockSnapshot {mode}",
        lambda: locks.lock_snapshot(ctx.aws, snap.region, snap.id, mode, days, cool),
        f"{snap.id} is locked ({mode}) for {days} days",
    )
    ctx.run(f"Lock {snap.id}", task, snap.region)


def unlock(ctx: ActionContext) -> None:
    snap = ctx.snapshot()
    if snap is None or not ctx.writable("Unlock"):
        return
    body = Text(f"Remove the lock on {snap.id} ({snap.lock or 'not known to be locked'}).\n")
    body.append("AWS refuses this for a compliance lock after its cooling-off.\n")

    def confirmed(ok: bool | None) -> None:
        if ok:
            task = one_call(
                "UnlockSnapshot",
                lambda: locks.unlock_snapshot(ctx.aws, snap.region, snap.id),
                f"{snap.id} is unlocked: it can be deleted",
            )
            ctx.run(f"Unlock {snap.id}", task, snap.region)

    ctx.push_screen(ConfirmScreen("Unlock snapshot", body, confirm_label="Unlock"), confirmed)
