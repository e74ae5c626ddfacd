"""The actions behind the keys: a validated form, a confirmation when destructive, then a task.

Each action is: pick what it acts on from the panes → FormScreen (defaults filled in, pure
checks from core.validate beside each field; nothing is sent while a message shows) →
ConfirmScreen for anything destructive → TaskScreen running the blocking snaptui.aws call in
a thread with progress → refresh only the region that changed.

One module per action, each a `run(ctx)` taking an ActionContext (context.py), never the app;
ACTIONS maps the names the key bindings, `:` views and messages use to them. A new action is a
module here registered under its key name.

Read-only mode is refused here first (a clear message) and again in the AWS layer itself.
"""

from __future__ import annotations

from collections.abc import Callable

from snaptui.ui.actions import (
    archive,
    copy,
    create_snapshot,
    delete,
    fast_restore,
    launch,
    lock,
    recycle_bin,
    restore,
    share,
    sharing,
    volume,
)
from snaptui.ui.actions.common import parse_tags
from snaptui.ui.actions.context import ActionContext, ActionHost

Action = Callable[[ActionContext], None]

ACTIONS: dict[str, Action] = {
    "create_snapshot": create_snapshot.run,
    "delete": delete.run,
    "copy": copy.run,
    "create_volume": volume.run,
    "restore": restore.run,
    "restores": restore.restores,
    "launch": launch.run,
    "archive": archive.run,
    "recycle_bin": recycle_bin.run,
    "make_private": sharing.run,
    "share": share.run,
    "unshare": share.unshare,
    "lock": lock.run,
    "unlock": lock.unlock,
    "fast_restore": fast_restore.run,
    "fast_restore_off": fast_restore.disable,
}


def run(name: str, ctx: ActionContext) -> None:
    """Run the action registered under name; an unknown name is a KeyError, never ignored."""
    ACTIONS[name](ctx)


__all__ = ["ACTIONS", "Action", "ActionContext", "ActionHost", "parse_tags", "run"]
