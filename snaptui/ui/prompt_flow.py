"""The app's prompt line: `/` filters a pane as you type, `:` opens a view (ui/views.py).

SnapApp's thin handlers for the prompt's Input events hand them here. Enter keeps a filter,
esc clears it; closing the prompt puts the focus back on the pane it was about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from snaptui.ui import views
from snaptui.ui.keys import focus_now
from snaptui.ui.prompt import PromptBar

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp


_SCREEN_UP_S = 0.15  # a new screen's bindings work after its first layout


class PromptFlow:
    """One app's prompt: what it filters, and what enter or esc does."""

    def __init__(self, app: SnapApp) -> None:
        self.app = app
        self.filter_target = "snapshots"

    @property
    def bar(self) -> PromptBar:
        return self.app.query_one(PromptBar)

    def open_filter(self) -> None:
        pane = self.app.focused_pane()
        self.filter_target = pane.id if pane and pane.id else "snapshots"
        self.bar.open(
            "filter",
            f"/ filter {self.filter_target}",
            "ID, name, description, tags · enter keeps · esc clears",
            self.app.pane(self.filter_target).filter_text,
        )

    def open_command(self) -> None:
        self.bar.open("command", ": view", "tab completes: " + " ".join(views.VIEW_WORDS))

    def changed(self, value: str) -> None:
        if self.bar.mode == "filter":
            self.apply_filter(self.filter_target, value.strip())

    def apply_filter(self, pane_id: str, query: str) -> None:
        app = self.app
        pane = app.pane(pane_id)
        pane.set_filter(query)
        app.panes.subtitle(pane)
        if pane_id == "snapshots":
            pane.empty_text = app.panes.empty_reason()

    def submitted(self, value: str) -> None:
        self.close()
        before = self.app.screen
        if self.bar.mode == "command":
            views.run_command(self.app, value)
        # The keys typed behind enter go where the command left the focus. A screen it
        # opened may take them as it mounts (the accounts list); any left are replayed into
        # it once it is up, and holding ends, so the next key is never kept back.
        if self.app.screen is before:
            self.app.release_keys()
        else:
            self.app.set_timer(_SCREEN_UP_S, self.app.release_keys)

    def cancelled(self) -> None:
        if self.bar.mode == "filter":
            self.apply_filter(self.filter_target, "")
        self.close()

    def close(self) -> None:
        self.bar.close()
        target = self.filter_target if self.bar.mode == "filter" else self.app.nav.last_pane
        focus_now(self.app.pane(target))
