""":share / :unshare — who else may create volumes from the highlighted snapshot.

What AWS says now comes first (DescribeSnapshotAttribute, off the event loop), so the form
shows whom it is already shared with. An account is a 12-digit id; "all" makes it public,
which asks for the snapshot ID to be typed. AWS refuses to share a snapshot encrypted with
the AWS managed key aws/ebs (other accounts cannot use that key): refused here first, saying so.
"""

from __future__ import annotations

from rich.text import Text

from snaptui.aws import sharing
from snaptui.aws.errors import problem_from
from snaptui.core import validate
from snaptui.models import SharedWith, Snapshot
from snaptui.ui.actions.common import one_call
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.form import Field, FormScreen, Values

_PUBLIC_MEANS = (
    "Any AWS account in the world can then make a volume of it and read every file on it. "
    "Volumes made before you undo it stay theirs.\n"
)
DEFAULT_KEY_REFUSAL = (
    "encrypted with the AWS managed key aws/ebs, which other accounts cannot use: AWS "
    "refuses to share it. Copy it with a customer managed key (p), then share the copy"
)


def _now_text(perms: SharedWith) -> str:
    said = ["PUBLIC: any AWS account"] if perms.public else []
    said += [f"account {a}" for a in perms.accounts]
    return "Shared now with: " + (", ".join(said) if said else "no one (private)")


def run(ctx: ActionContext, *, add: bool = True) -> None:
    snap = ctx.snapshot()
    verb = "Share" if add else "Unshare"
    if snap is None or not ctx.writable(verb):
        return

    def ask() -> None:
        try:
            perms = sharing.volume_permissions(ctx.aws, snap.region, snap.id)
            default_key = bool(
                add
                and snap.encrypted
                and snap.kms_key_id
                and sharing.is_default_key(ctx.aws, snap.region, snap.kms_key_id)
            )
        except Exception as exc:  # said where it happened, never raised into the UI
            problem = problem_from(exc, snap.region, "DescribeSnapshotAttribute")
            ctx.call_from_thread(failed, str(problem))
            return
        ctx.call_from_thread(answered, perms, default_key)

    def failed(why: str) -> None:
        ctx.notify(why, title=verb, severity="error", timeout=10)

    def answered(perms: SharedWith, default_key: bool) -> None:
        if default_key:
            ctx.notify(f"{snap.id} is {DEFAULT_KEY_REFUSAL}", title="Share refused",
                       severity="error", timeout=12)  # fmt: skip
            return
        if not add and not perms.accounts and not perms.public:
            ctx.notify(f"{snap.id} is not shared with anyone", title=verb, timeout=8)
            return
        _form(ctx, snap, perms, add)

    ctx.start_job("permissions", lambda _: ask(), group="permissions")


def _form(ctx: ActionContext, snap: Snapshot, perms: SharedWith, add: bool) -> None:
    verb = "Share" if add else "Unshare"
    default = perms.accounts[0] if not add and len(perms.accounts) == 1 else ""
    if not add and perms.public and not perms.accounts:
        default = "all"
    help_text = "12 digits; all: public (any AWS account)" if add else "12 digits, or all"
    fields = [Field("account", "Account ID", default=default, help=help_text)]

    def check(v: Values) -> dict[str, str]:
        return validate.check_share(str(v["account"]), add=add, shared_with=perms.accounts) or {}

    def submitted(v: Values | None) -> None:
        if v is None:
            return
        who = str(v["account"]).strip().lower()
        who = sharing.PUBLIC if who in ("all", "public") else who
        if add and who == sharing.PUBLIC:
            _confirm_public(ctx, snap)
        else:
            _send(ctx, snap, who, add)

    title = f"{verb} {snap.id}"
    ctx.push_screen(
        FormScreen(title, fields, check, intro=_now_text(perms), submit_label=verb), submitted
    )


def _confirm_public(ctx: ActionContext, snap: Snapshot) -> None:
    body = Text()
    body.append(f"Make {snap.id} PUBLIC.\n\n", style="bold")
    body.append(_PUBLIC_MEANS, style="bold red")

    def confirmed(ok: bool | None) -> None:
        if ok:
            _send(ctx, snap, sharing.PUBLIC, True)

    ctx.push_screen(
        ConfirmScreen("Make public", body, confirm_label="Public", require_typed=snap.id),
        confirmed,
    )


def _send(ctx: ActionContext, snap: Snapshot, who: str, add: bool) -> None:
    whom = "everyone (public)" if who == sharing.PUBLIC else f"account {who}"
    op = "add" if add else "remove"
    task = one_call(
        f"ModifySnapshotAttribute {op} {whom}",
        lambda: sharing.share(ctx.aws, snap.region, snap.id, who, add=add),
        f"{snap.id} {'shared with' if add else 'no longer shared with'} {whom}",
    )
    ctx.run(f"{'Share' if add else 'Unshare'} {snap.id}", task, snap.region)


def unshare(ctx: ActionContext) -> None:
    run(ctx, add=False)
