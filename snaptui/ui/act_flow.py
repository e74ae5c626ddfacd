"""An action key (`n`, `x`, `R`, …): run the action, but never on a row not yet confirmed.

Rows shown from the on-disk cache are re-described with AWS first (ui/cached_rows.py); the
action runs once they are confirmed, and not at all when one of them is gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from snaptui.ui import actions, cached_rows

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp


def act(app: SnapApp, name: str) -> None:
    """Run action ``name`` on the focused pane's rows (after a check, if they are cached)."""
    # Keys typed behind this one go to the dialog it opens (released there), not the panes.
    app.hold_keys()
    stale = cached_rows.cached_targets(app.state, app.focused_pane())
    if stale:
        # Shown from the cache: never acted on before AWS says they are still there.
        app.notify(f"Checking {len(stale)} cached row(s) with AWS first…", timeout=3)
        cached_rows.confirm(app.ctx, app.jobs, name, stale)
        return
    actions.run(name, app.action_ctx)


def rows_confirmed(app: SnapApp, msg: cached_rows.RowsConfirmed) -> None:
    """AWS answered for the cached rows: act on the fresh ones, or say which are gone."""
    if msg.problem is not None:
        app.notify(str(msg.problem), title="Could not check cached rows", severity="error")
        return
    cached_rows.apply(app.state, msg.fresh, msg.gone)
    app.refresh_all()
    if msg.gone:
        app.notify(
            f"No longer in AWS, nothing done: {', '.join(msg.gone)}",
            severity="warning",
            timeout=8,
        )
        return
    actions.run(msg.action, app.action_ctx)
