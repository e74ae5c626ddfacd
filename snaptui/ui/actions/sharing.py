""":private — take public access away from the highlighted snapshot (who can read it, first).

The confirmation says what AWS says now (DescribeSnapshotAttribute, asked off the event loop),
not what the inventory said: the public flag may be minutes old. Accounts the snapshot is
shared with explicitly keep their access and are named.
"""

from __future__ import annotations

from rich.text import Text

from snaptui.aws import sharing
from snaptui.aws.errors import problem_from
from snaptui.models import SharedWith, Snapshot
from snaptui.ui.actions.common import one_call
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.confirm import ConfirmScreen


def _body(snap: Snapshot, perms: SharedWith) -> Text:
    body = Text()
    body.append(f"Make {snap.id} private.\n\n", style="bold")
    body.append(
        "Now any AWS account can make a volume of it and read its data.\n", style="bold red"
    )
    if perms.accounts:
        body.append(f"Still shared with {len(perms.accounts)} account(s): ")
        body.append(", ".join(perms.accounts) + "\n")
    body.append("Volumes others already made from it stay theirs.\n")
    return body


def run(ctx: ActionContext) -> None:
    snap = ctx.snapshot()
    if snap is None or not ctx.writable("Make private"):
        return

    def ask() -> None:
        try:
            perms = sharing.volume_permissions(ctx.aws, snap.region, snap.id)
        except Exception as exc:  # said where it happened, never raised into the UI
            problem = problem_from(exc, snap.region, "DescribeSnapshotAttribute")
            ctx.call_from_thread(failed, str(problem))
            return
        ctx.call_from_thread(answered, perms)

    def failed(why: str) -> None:
        ctx.notify(why, title="Make private", severity="error", timeout=10)

    def answered(perms: SharedWith) -> None:
        if not perms.public:
            shared = f"; shared with {', '.join(perms.accounts)}" if perms.accounts else ""
            ctx.notify(f"{snap.id} is not public{shared}", title="Make private", timeout=8)
            return
        ctx.push_screen(
            ConfirmScreen("Make snapshot private", _body(snap, perms), confirm_label="Private"),
            confirmed,
        )

    def confirmed(ok: bool | None) -> None:
        if ok:
            task = one_call(
                "ModifySnapshotAttribute remove group all",
                lambda: sharing.make_private(ctx.aws, snap.region, snap.id),
                f"{snap.id} is private: no longer restorable by anyone",
            )
            ctx.run(f"Make {snap.id} private", task, snap.region)

    ctx.start_job("permissions", lambda _: ask(), group="permissions")
