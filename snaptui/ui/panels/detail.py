"""The detail panel: every field that matters for the highlighted item.

Focusable (5, or tab from the panes) and scrollable by keyboard, since at 80x24 it shows a
handful of rows of the ~25 a snapshot has. Labels wrap instead of being cut: tag keys such
as ``aws:dlm:lifecycle-policy-id`` only differ at the end.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from snaptui.core.details import Row
from snaptui.ui.text import data, line


class DetailPanel(Static, can_focus=True):
    """Shows (label, value) rows; scrolls when they don't fit."""

    DEFAULT_CSS = """
    DetailPanel {
        height: 1fr;
        border: round $secondary;
        border-title-color: $text;
        padding: 0 1;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    DetailPanel:focus { border: round $accent; border-title-color: $accent; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", "Scroll up", show=False),
        Binding("down,j", "scroll_down", "Scroll down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("pagedown,ctrl+f,space", "page_down", "Page down", show=False),
        Binding("home,g", "scroll_home", "Top", show=False),
        Binding("end,G", "scroll_end", "Bottom", show=False),
    ]

    rows: list[Row] = []
    _shown: tuple[str, tuple[Row, ...]] | None = None

    def show(self, title: str, rows: list[Row]) -> None:
        if self._shown == (title, tuple(rows)):
            return  # same item: keep the scroll position the user chose
        if self._shown is None or self._shown[0] != title:
            self.scroll_home(animate=False)
        self._shown = (title, tuple(rows))
        self.border_title = line(title)
        self.rows = rows
        table = Table.grid(padding=(0, 1), expand=True)
        label_width = min(16, max((len(label) for label, _ in rows), default=8))
        table.add_column("field", style="bold cyan", width=label_width, overflow="fold")
        table.add_column("value", ratio=1, overflow="fold")
        for label, value in rows:
            style = "red" if label == "Error" else ""
            table.add_row(line(label), data(value, style=style))
        self.update(table)

    def plain_text(self) -> str:
        """What the panel shows, as text (for tests and copying)."""
        return "\n".join(f"{label} {value}" for label, value in self.rows)

    def clear(self, message: str = "") -> None:
        self._shown = None
        self.border_title = "Detail"
        self.rows = [("", message)]
        self.update(Text(message, style="dim"))
