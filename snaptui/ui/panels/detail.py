"""The detail panel: every field that matters for the highlighted item."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from snaptui.core.details import Row


class DetailPanel(Static):
    """Shows (label, value) rows; scrolls when they don't fit."""

    DEFAULT_CSS = """
    DetailPanel {
        height: 1fr;
        border: round $secondary;
        border-title-color: $text;
        padding: 0 1;
        overflow-y: auto;
    }
    """

    rows: list[Row] = []

    def show(self, title: str, rows: list[Row]) -> None:
        self.border_title = title
        self.rows = rows
        table = Table.grid(padding=(0, 1), expand=True)
        label_width = min(16, max((len(label) for label, _ in rows), default=8))
        table.add_column("field", style="bold cyan", no_wrap=True, width=label_width)
        table.add_column("value", ratio=1)
        for label, value in rows:
            style = "red" if label == "Error" else ""
            table.add_row(label, Text(value, style=style))
        self.update(table)

    def plain_text(self) -> str:
        """What the panel shows, as text (for tests and copying)."""
        return "\n".join(f"{label} {value}" for label, value in self.rows)

    def clear(self, message: str = "") -> None:
        self.border_title = "Detail"
        self.rows = [("", message)]
        self.update(Text(message, style="dim"))
