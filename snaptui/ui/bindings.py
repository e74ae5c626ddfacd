"""The main screen's keys: what each one runs, and which of them are main-screen-only.

Most are priority bindings (run as the key arrives, before any widget sees it): they work
only on the main screen with no text field focused (SnapApp.check_action), so that the keys
behind `/`, `:` or `n` in one burst land in the prompt or the dialog they open instead.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

APP_BINDINGS: list[BindingType] = [
    Binding("q", "quit", "Quit", priority=True),
    Binding("question_mark", "help", "Help", key_display="?", priority=True),
    Binding("slash", "filter", "Filter", key_display="/", priority=True),
    Binding("colon", "command", "View", key_display=":", priority=True),
    Binding("n", "act('create_snapshot')", "New snap", priority=True),
    Binding("x,delete", "act('delete')", "Delete", priority=True),
    Binding("R", "act('restore')", "Restore", priority=True),
    Binding("f", "files", "Files", priority=True),
    Binding("p", "act('copy')", "Copy", priority=True),
    Binding("s", "sort", "Sort", priority=True),
    Binding("c", "cost_review", "Cost", priority=True),
    Binding("e", "problems", "Errors", priority=True),
    Binding("r", "refresh", "Refresh", show=False, priority=True),
    Binding("y", "copy_id", "Copy ID", show=False, priority=True),
    Binding("v", "act('create_volume')", "Create volume", show=False, priority=True),
    Binding("L", "act('launch')", "Launch instance", show=False, priority=True),
    Binding("a", "act('archive')", "Archive / unarchive", show=False, priority=True),
    Binding("C", "cost_toggle", "Compute / cancel costs", show=False, priority=True),
    Binding("S", "reverse_sort", "Reverse sort", show=False, priority=True),
    Binding("d", "toggle_detail", "Detail", show=False, priority=True),
    Binding("z", "zoom", "Zoom pane", show=False, priority=True),
    Binding("1", "focus_pane('regions')", "Regions pane", show=False, priority=True),
    Binding("2", "focus_pane('instances')", "Instances pane", show=False, priority=True),
    Binding("3", "focus_pane('volumes')", "Volumes pane", show=False, priority=True),
    Binding("4", "focus_pane('snapshots')", "Snapshots pane", show=False, priority=True),
    Binding("5", "focus_detail", "Detail panel (scroll)", show=False, priority=True),
    Binding("escape", "back", "Back / clear filter", show=False),
    Binding("tab", "focus_next", "Next pane", show=False),
    Binding("shift+tab", "focus_previous", "Previous pane", show=False),
]


def priority_actions(bindings: list[BindingType]) -> frozenset[str]:
    """The action names of the priority bindings (their parameters dropped)."""
    return frozenset(
        b.action.split("(")[0] for b in bindings if isinstance(b, Binding) and b.priority
    )
