"""Moving through the four panes: what a highlighted row chooses, enter, esc, zoom, `y`.

The panes drill down left to right (regions, instances, volumes, snapshots): highlighting a
row narrows the panes after it, enter focuses the next pane, esc clears a filter or goes back
one. While the detail, help or a dialog has the focus, the last pane focused is the one they
are about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from snaptui.core.browse import ALL, Choice
from snaptui.ui import clipboard
from snaptui.ui.keys import focus_now
from snaptui.ui.panes import PseudoRow, row_id
from snaptui.ui.vtable import VirtualTable

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp

PANE_ORDER = ("regions", "instances", "volumes", "snapshots")


def choice_after(before: Choice, pane_id: str, key: str) -> Choice:
    """The choice once this pane's cursor is on the row with this key (ALL: a pseudo row)."""
    if pane_id == "regions":
        return Choice(region=key) if key != before.region else before
    if pane_id == "instances":
        if key != before.instance_id:
            return Choice(region=before.region, instance_id=key)
    elif pane_id == "volumes" and key != before.volume_id:
        return Choice(before.region, before.instance_id, key)
    return before


class PaneNav:
    """One app's pane navigation."""

    def __init__(self, app: SnapApp) -> None:
        self.app = app
        self.last_pane = "snapshots"  # the detail follows it while help or a dialog is up

    def focused(self) -> VirtualTable[Any] | None:
        """The focused pane, or the last one focused while the detail, help or a dialog is."""
        app = self.app
        if not app.screen_stack:
            return None  # quitting: a late message must not crash the exit
        widget = app.focused
        if isinstance(widget, VirtualTable) and widget.id in PANE_ORDER:
            self.last_pane = widget.id
            return widget
        if isinstance(widget, VirtualTable):
            return widget  # another screen's table (Lightsail)
        return app.pane(self.last_pane)

    def highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        app = self.app
        pane_id = event.table.id or ""
        key = row_id(event.row) if event.row is not None else ALL
        before = app.state.choice
        choice = choice_after(before, pane_id, key)
        app.state.choice = choice
        if choice != before:
            if pane_id == "regions":
                app.panes.instances()
            if pane_id in ("regions", "instances"):
                app.panes.volumes()
            app.panes.snapshots()
        app.refresh_detail()

    def selected(self, event: VirtualTable.RowSelected) -> None:
        """Enter drills down: focus the next pane to the right."""
        pane_id = event.table.id or ""
        if pane_id in PANE_ORDER[:-1]:
            focus_now(self.app.pane(PANE_ORDER[PANE_ORDER.index(pane_id) + 1]))

    def back(self) -> None:
        """Esc: from the detail to its pane; in a pane, clear its filter or go back one."""
        app = self.app
        if app.focused is not None and app.focused.id == "detail":
            focus_now(app.pane(self.last_pane))
            return
        pane = self.focused()
        if pane is None or not pane.id:
            return
        if pane.filter_text:
            app.prompts.apply_filter(pane.id, "")
        elif pane.id != PANE_ORDER[0]:
            focus_now(app.pane(PANE_ORDER[PANE_ORDER.index(pane.id) - 1]))

    def zoom(self) -> None:
        app = self.app
        app.query_one("#main").toggle_class("zoomed")
        pane = self.focused()
        for pid in PANE_ORDER:
            app.pane(pid).set_class(pane is not None and pid == pane.id, "zoom-target")
        # The column holding the zoomed pane takes the whole width; the other one goes.
        for column in app.query("#main > Vertical"):
            holds = pane is not None and pane in column.query(type(pane))
            column.set_class(holds, "zoom-holder")

    def copy_id(self) -> None:
        """`y`: the highlighted row's ID to the clipboard."""
        pane = self.focused()
        row = pane.cursor_row if pane else None
        ident = row_id(row) if row is not None else ""
        if not ident or isinstance(row, PseudoRow):
            self.app.notify("Nothing to copy here", severity="warning")
            return
        clipboard.copy(self.app, ident, ident)
