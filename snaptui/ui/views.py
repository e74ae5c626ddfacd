"""The `:` prompt: the words it completes, and the pane, screen or action each one opens.

`:history PATH` opens a path's history (the path keeps its case); every other word is
lower-cased and looked up here. An unknown word is named, with the list of views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from snaptui.core.browse import ORPHANS
from snaptui.ui import actions
from snaptui.ui.keys import focus_now

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp

VIEWS = {
    "regions": "regions",
    "region": "regions",
    "instances": "instances",
    "inst": "instances",
    "ec2": "instances",
    "volumes": "volumes",
    "vol": "volumes",
    "snapshots": "snapshots",
    "snap": "snapshots",
    "snaps": "snapshots",
}
COST_WORDS = ("cost", "costs", "review")
# What `:` completes and lists, most used first.
VIEW_WORDS = (
    "snapshots", "volumes", "instances", "regions", "orphans", "cost", "prices", "restores",
    "recycle", "private", "share", "unshare", "lock", "unlock", "fsr", "fsr-off", "lightsail",
    "accounts", "errors", "help", "quit",
)  # fmt: skip


def run_command(app: SnapApp, text: str) -> None:
    """What was typed at `:` (the colon itself may be typed too)."""
    raw = text.strip().lstrip(":")
    verb, _, rest = raw.partition(" ")
    if verb.lower() == "history":  # the path is data: keep its case
        from snaptui.ui.files_actions import open_history

        open_history(app, rest.strip())
        return
    run_view_command(app, raw.lower())


def run_view_command(app: SnapApp, word: str) -> None:
    if word in VIEWS:
        focus_now(app.pane(VIEWS[word]))
    elif word in ("orphans", "orphan"):
        app.pane("volumes").move_cursor_to_key(ORPHANS)
        focus_now(app.pane("snapshots"))
    elif word in ("prices", "live-prices"):
        app.refresh_prices()
    elif word in ("lightsail", "ls"):
        app.open_lightsail()
    elif word in ("recycle", "recycle-bin", "bin"):
        actions.run("recycle_bin", app.action_ctx)
    elif word in ("lock", "unlock", "share", "unshare"):
        actions.run(word, app.action_ctx)
    elif word in ("fsr", "fast-restore"):
        actions.run("fast_restore", app.action_ctx)
    elif word in ("fsr-off", "fast-restore-off"):
        actions.run("fast_restore_off", app.action_ctx)
    elif word in ("private", "make-private"):
        actions.run("make_private", app.action_ctx)
    elif word in ("restores", "restore"):
        actions.run("restores", app.action_ctx)
    elif word in COST_WORDS:
        app.action_cost_review()
    elif word in ("accounts", "account"):
        app.action_accounts()
    elif word in ("errors", "problems"):
        app.action_problems()
    elif word == "help":
        app.action_help()
    elif word in ("q", "quit"):
        app.exit(0)
    elif word:
        app.notify(
            [f"Unknown view: {word}", "Views: " + " ".join(VIEW_WORDS)],
            title="Unknown view",
            severity="warning",
            timeout=8,
        )
