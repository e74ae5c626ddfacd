"""How a VirtualTable draws: column widths for a width, cells fitted to them, whole lines.

Pure functions of the columns, rows and styles; the table picks the styles (cursor, marks,
focus) and caches the widths.
"""

from __future__ import annotations

from typing import Any, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from snaptui.core.text import one_line
from snaptui.ui.vtable_columns import Column

T = TypeVar("T")
MARK = "●"
Layout = list[tuple[Column[Any], int]]


def column_widths(
    columns: list[Column[T]], total: int, sorted_by: str | None = None
) -> list[tuple[Column[T], int]]:
    """Column widths for this width: fixed first, flexible share the rest.

    A column too wide for this width is still shown while the rows are sorted by it (one
    sorted by what it cannot see is no use); flexible columns give up their room for it.
    """
    shown = [c for c in columns if not c.hide_below or total >= c.hide_below or c.key == sorted_by]
    squeezed = len(shown) > sum(1 for c in columns if not c.hide_below or total >= c.hide_below)
    avail = total - 2 - (len(shown) - 1)  # mark gutter + separators
    fixed = sum(c.width for c in shown if not c.flex)
    flex = [c for c in shown if c.flex]
    spare = max(0, avail - fixed)
    widths: list[tuple[Column[T], int]] = []
    for c in shown:
        share = spare // len(flex) if flex else 0
        w = (share if squeezed else max(c.min_width, share)) if c.flex else c.width
        widths.append((c, w))
    return widths


def fit(text: str, width: int, justify: str) -> str:
    """Fit data to its column: controls and line breaks escaped, never a second line."""
    text = one_line(text)
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else text[:width]
    pad = width - cell_len(text)
    return " " * pad + text if justify == "right" else text + " " * pad


def text_line(text: str, width: int, style: Style) -> Strip:
    return Strip([Segment(fit(text, width, "left"), style)], width)


def header_line(
    layout: Layout, width: int, style: Style, sort_column: str | None, sort_reverse: bool
) -> Strip:
    parts = ["  "]
    for col, w in layout:
        title = col.title
        if col.key == sort_column:
            title += "▼" if sort_reverse else "▲"
        parts.append(fit(title, w, col.justify))
    line = " ".join(parts[1:])
    return text_line("  " + line, width, style)


def row_line(
    row: Any, layout: Layout, width: int, style: Style, *, pinned: bool, marked: bool
) -> Strip:
    cells = []
    for col, w in layout:
        try:
            text = col.getter(row) if not pinned else pinned_cell(row, col)
        except Exception:  # one bad field must never blank the whole pane
            text = "?"
        cells.append(fit(text, w, col.justify))
    gutter = (MARK if marked else " ") + " "
    return text_line(gutter + " ".join(cells), width, style)


def pinned_cell(row: Any, col: Column[Any]) -> str:
    """Pinned rows ("all", "orphans") show their label in the first column, count in the last."""
    getter = getattr(row, "cell", None)
    return str(getter(col.key)) if callable(getter) else ""
