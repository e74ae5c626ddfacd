"""a: move the highlighted snapshot to the archive tier, or restore an archived one from it."""

from __future__ import annotations

import threading
from typing import Any

from rich.text import Text

from snaptui.aws import tiering
from snaptui.core import fmt, validate
from snaptui.cost.pricing import bundled_prices, price_for
from snaptui.models import Snapshot
from snaptui.ui.actions.common import checked, int_or_none, one_call
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.form import Field, FormScreen, Values
from snaptui.ui.dialogs.task import Progress, TaskResult

# --- archive ---------------------------------------------------------------------------------


def _archive_text(snap: Snapshot, effect: tiering.ArchiveEffect, full: int) -> Text:
    body = Text()
    body.append(f"Move {snap.id} to the archive tier.\n\n", style="bold")
    body.append(f"Leaves the standard tier: {fmt.money(effect.standard_saved_monthly)}/mo\n")
    body.append(f"Archive tier (full {fmt.size(full)}): {fmt.money(effect.archive_monthly)}/mo\n")
    net = effect.net_monthly
    verdict = f"saves {fmt.money(net)}/mo" if net > 0 else f"costs {fmt.money(-net)}/mo more"
    body.append(f"Net: {verdict}; 90-day minimum {fmt.money(effect.minimum_charge)}\n")
    if effect.net_monthly <= 0:
        body.append("Archiving this snapshot costs more than it saves.\n", style="bold red")
    body.append("Restoring later takes up to 72 hours and costs the retrieval fee.\n")
    return body


def run(ctx: ActionContext) -> None:
    snap = ctx.snapshot()
    if snap is None or not ctx.writable("Archive"):
        return
    prices, _ = price_for(snap.region, bundled_prices())
    cost = ctx.cost_of(snap.id)
    full = snap.full_size_bytes or 0
    if snap.storage_tier == "archive":
        _restore_tier(ctx, snap, full, prices)
        return
    freed = (cost.freed_low_bytes if cost is not None else None) or 0
    body = _archive_text(snap, tiering.archive_effect(freed, full, prices), full)

    def confirmed(ok: bool | None) -> None:
        if ok:
            task = one_call(
                "ModifySnapshotTier archive",
                lambda: tiering.archive_snapshot(ctx.aws, snap.region, snap.id),
                f"{snap.id} is moving to the archive tier",
            )
            ctx.run(f"Archive {snap.id}", task, snap.region)

    checked(
        ctx,
        snap.region,
        "ModifySnapshotTier",
        {"SnapshotId": snap.id, "StorageTier": "archive"},
        lambda: ctx.push_screen(
            ConfirmScreen("Archive snapshot", body, confirm_label="Archive"), confirmed
        ),
    )


# --- restore from the archive ----------------------------------------------------------------


def _check_days(v: Values) -> dict[str, str]:
    try:
        days = int_or_none(v["days"])
    except ValueError:
        return {"days": "a whole number of days, or empty for permanent"}
    return validate.check_restore_days(days) or {}


def _restore_tier(ctx: ActionContext, snap: Snapshot, full: int, prices: Any) -> None:
    fields = [Field("days", "Temporary restore for N days (empty: permanent)", default="7")]

    def submitted(v: Values | None) -> None:
        if v is None:
            return
        days = int_or_none(v["days"])

        def task(progress: Progress, cancel: threading.Event) -> TaskResult:
            progress("RestoreSnapshotTier", None)
            tiering.restore_from_archive(ctx.aws, snap.region, snap.id, days)
            how = f"for {days} days" if days else "permanently"
            return TaskResult(True, f"{snap.id} restoring {how}")

        ctx.run(f"Restore {snap.id} from archive", task, snap.region)

    effect = tiering.restore_effect(full, prices, None)
    intro = (
        f"Retrieval of {fmt.size(full)}: {fmt.money(effect.retrieval)} once; then "
        f"{fmt.money(effect.standard_monthly)}/mo in the standard tier. A temporary restore "
        "bills both tiers while it lasts."
    )
    ctx.push_screen(
        FormScreen(
            f"Restore {snap.id} from the archive",
            fields,
            _check_days,
            intro=intro,
            submit_label="Restore",
        ),
        submitted,
    )
