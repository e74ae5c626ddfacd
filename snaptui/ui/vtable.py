"""A table that renders only the lines on screen (Textual's line API), for 100k-row panes.

Rows are model objects; columns (vtable_columns.py) say how to show and sort them. The table
owns sorting and filtering (its rows: vtable_rows.py) so that a filter keystroke narrows the
already-sorted rows in one pass, and marks and the cursor follow row keys across refreshes,
sorts and filters. Lines are drawn by vtable_render.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from snaptui.core.filtering import haystack
from snaptui.ui.vtable_columns import Column as Column
from snaptui.ui.vtable_columns import row_key_of as row_key_of
from snaptui.ui.vtable_render import column_widths, header_line, row_line, text_line
from snaptui.ui.vtable_rows import RowStore, find_row

T = TypeVar("T")


class VirtualTable(ScrollView, Generic[T], can_focus=True):
    """Scrollable table with a sticky header, a cursor, marks, sort and filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False),
        Binding("home,g", "jump(0)", "First row", show=False),
        Binding("end,G", "jump(-1)", "Last row", show=False),
        Binding("enter", "select", "Drill down", show=False),
        Binding("space", "toggle_mark", "Mark row", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "vtable--header",
        "vtable--cursor",
        "vtable--cursor-blurred",
        "vtable--marked",
    }

    DEFAULT_CSS = """
    VirtualTable { background: $surface; overflow-x: hidden; scrollbar-size-vertical: 1; }
    VirtualTable > .vtable--header { text-style: bold; color: $text-muted; }
    VirtualTable > .vtable--cursor { background: $accent 60%; color: $text; }
    VirtualTable > .vtable--cursor-blurred { background: $panel-lighten-1; }
    VirtualTable > .vtable--marked { color: $warning; text-style: bold; }
    """

    cursor = reactive(0, always_update=True, repaint=False)

    class _RowMessage(Message):
        def __init__(self, table: VirtualTable[Any], row: Any) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> VirtualTable[Any]:
            return self.table

    class RowHighlighted(_RowMessage):
        """The cursor moved to another row (or the row under it changed)."""

    class RowSelected(_RowMessage):
        """Enter on a row."""

    class MarksChanged(Message):
        def __init__(self, table: VirtualTable[Any], keys: frozenset[str]) -> None:
            super().__init__()
            self.table = table
            self.keys = keys

    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        key: Callable[[T], str] = row_key_of,
        style_of: Callable[[T], Style | None] | None = None,
        text_of: Callable[[T], str] = haystack,
        empty_text: str = "No rows",
        markable: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self._key = key
        self._style_of = style_of
        self._empty_text = empty_text
        self.markable = markable
        self._store: RowStore[T] = RowStore(key, text_of)
        self._rows: list[Any] = []  # what is shown: pinned + filtered sorted rows
        self._query = ""
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._marks: set[str] = set()
        # While the first load streams in and nobody has picked a row, the cursor stays on
        # the top row; after that it follows its row's key (see set_rows).
        self._follow_key = False
        self._widths: list[tuple[Column[T], int]] = []
        self._widths_for: tuple[int, str | None] = (-1, None)

    # --- data ------------------------------------------------------------------------------

    @property
    def rows(self) -> list[Any]:
        """What is shown, in order (pinned rows first)."""
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def source_count(self) -> int:
        return len(self._store.source)

    @property
    def filtered_count(self) -> int:
        return len(self._rows) - len(self._store.pinned)

    @property
    def cursor_row(self) -> Any | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    @property
    def empty_text(self) -> str:
        return self._empty_text

    @empty_text.setter
    def empty_text(self, text: str) -> None:
        if text != self._empty_text:
            self._empty_text = text
            self.refresh()

    def set_rows(self, rows: Iterable[T], pinned: Sequence[Any] = ()) -> None:
        """Replace the data; the cursor stays on the same row key if it is still there.

        Also on the top row: after a reload, a new snapshot or a copy arriving above it, the
        next key must act on the row the user chose, not on whatever is now first.
        """
        keep = self._current_key() if self._follow_key else None
        self._store.replace(rows, pinned)
        self._resort()
        self._refilter(keep)

    def set_filter(self, query: str) -> None:
        if query == self._query:
            return
        keep = self._current_key()
        self._query = query
        self._apply_filter(keep, self.cursor_row)

    @property
    def filter_text(self) -> str:
        return self._query

    def _current_key(self) -> str | None:
        row = self.cursor_row
        return self._key(row) if row is not None else None

    def _resort(self) -> None:
        col = self._column(self.sort_column)
        self._store.resort(col.sort_key if col is not None else None, self.sort_reverse)
        self._prepare_filter()

    def _prepare_filter(self) -> None:
        """Build haystacks off the event loop so the first keystroke is as fast as the rest."""
        if len(self._store.sorted) < 2000 or not self.is_mounted:
            return
        prepare = self._store.filter.prepare
        # Started after the first paint, so building 100k haystacks never delays it.
        self.set_timer(
            0.5,
            lambda: self.run_worker(prepare, thread=True, group="vtable-haystack"),
        )

    def _refilter(self, keep: str | None) -> None:
        self._apply_filter(keep)

    def _apply_filter(self, keep: str | None, keep_row: object | None = None) -> None:
        self._rows = self._store.shown(self._query)
        self._set_virtual_height(len(self._rows) + 1)
        index = self._index_of(keep, keep_row) if keep is not None else None
        self._move_cursor(index if index is not None else min(self.cursor, len(self._rows) - 1))
        self.refresh()

    def _set_virtual_height(self, height: int) -> None:
        """Resize the scrollable area without a screen layout, unless the scrollbar comes or goes.

        Setting ``virtual_size`` lays out the whole screen (every widget repaints): at each
        filter keystroke that was most of the keystroke's cost. The table's own box does not
        change, so only its scrollbar needs telling.
        """
        size = Size(self.size.width, height)
        if size == self.virtual_size:
            return
        if not self.is_mounted or not self.container_size:
            self.virtual_size = size
            return
        had_scrollbar = self.show_vertical_scrollbar
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)
        if self.show_vertical_scrollbar != had_scrollbar:
            self.refresh(layout=True)  # the content width changes with the scrollbar

    def _index_of(self, key: str, row: object | None = None) -> int | None:
        return find_row(self._rows, self._key, self.cursor, key, row)

    def move_cursor_to_key(self, key: str) -> bool:
        index = self._index_of(key)
        if index is None:
            return False
        self._follow_key = True
        self._move_cursor(index)
        return True

    def settle(self) -> None:
        """The first load is complete: from now on the cursor stays on its row's key."""
        self._follow_key = True

    # --- sort ------------------------------------------------------------------------------

    def _column(self, key: str | None) -> Column[T] | None:
        return next((c for c in self.columns if c.key == key), None)

    def sort_by(self, column_key: str, reverse: bool | None = None) -> None:
        """Sort by a column; without `reverse`, picking the same column again flips it."""
        if reverse is None:
            reverse = not self.sort_reverse if column_key == self.sort_column else False
        keep = self._current_key()
        self.sort_column, self.sort_reverse = column_key, reverse
        self._resort()
        self._refilter(keep)

    def cycle_sort(self) -> None:
        sortable = [c.key for c in self.columns if c.sort_key is not None]
        if not sortable:
            return
        nxt = sortable[0]
        if self.sort_column in sortable:
            nxt = sortable[(sortable.index(self.sort_column) + 1) % len(sortable)]
        self.sort_by(nxt, reverse=False)

    def reverse_sort(self) -> None:
        if self.sort_column is None:
            self.cycle_sort()
        else:
            self.sort_by(self.sort_column, reverse=not self.sort_reverse)

    # --- marks -----------------------------------------------------------------------------

    @property
    def marked_keys(self) -> frozenset[str]:
        return frozenset(self._marks)

    def marked_rows(self) -> list[T]:
        return self._store.with_keys(self._marks)

    def clear_marks(self) -> None:
        if self._marks:
            self._marks.clear()
            self.post_message(self.MarksChanged(self, frozenset()))
            self.refresh()

    def action_toggle_mark(self) -> None:
        row = self.cursor_row
        if not self.markable or row is None or self.cursor < len(self._store.pinned):
            return
        key = self._key(row)
        self._follow_key = True
        self._marks.symmetric_difference_update({key})
        self.post_message(self.MarksChanged(self, frozenset(self._marks)))
        self._move_cursor(self.cursor + 1)
        self.refresh()

    # --- cursor ----------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _move_cursor(self, index: int) -> None:
        index = max(0, min(index, len(self._rows) - 1))
        changed = index != self.cursor
        self.cursor = index
        self._scroll_to_cursor()
        self.refresh()
        if changed or index == 0:
            self.post_message(self.RowHighlighted(self, self.cursor_row))

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + self._page:
            self.scroll_to(y=self.cursor - self._page + 1, animate=False)

    def action_cursor(self, delta: int) -> None:
        self._follow_key = True
        self._move_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._follow_key = True
        self._move_cursor(self.cursor + direction * self._page)

    def action_jump(self, where: int) -> None:
        self._follow_key = True
        self._move_cursor(0 if where == 0 else len(self._rows) - 1)

    def action_select(self) -> None:
        if self.cursor_row is not None:
            self.post_message(self.RowSelected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            col = self._column_at(offset.x)
            if col is not None and col.sort_key is not None:
                self.sort_by(col.key)
            return
        self._follow_key = True
        self._move_cursor(int(self.scroll_y) + offset.y - 1)

    def _column_at(self, x: int) -> Column[T] | None:
        pos = 2
        for col, width in self._layout(self.scrollable_content_region.width):
            if pos <= x < pos + width:
                return col
            pos += width + 1
        return None

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- rendering -------------------------------------------------------------------------

    def _layout(self, total: int) -> list[tuple[Column[T], int]]:
        """Column widths for this width and sort (vtable_render.column_widths), cached."""
        if (total, self.sort_column) != self._widths_for:
            self._widths = column_widths(self.columns, total, self.sort_column)
            self._widths_for = (total, self.sort_column)
        return self._widths

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self._layout(width)
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("vtable--header")
            return header_line(layout, width, style, self.sort_column, self.sort_reverse)
        index = int(self.scroll_y) + y - 1
        if not self._rows:
            return text_line(
                f"  {self._empty_text}" if y == 1 else "", width, base + Style(dim=True)
            )
        if index >= len(self._rows):
            return Strip.blank(width, base)
        row = self._rows[index]
        pinned = index < len(self._store.pinned)
        marked = self._key(row) in self._marks
        style = self._row_style(row, index, base, pinned=pinned, marked=marked)
        return row_line(row, layout, width, style, pinned=pinned, marked=marked)

    def _row_style(self, row: Any, index: int, base: Style, *, pinned: bool, marked: bool) -> Style:
        style = base
        if not pinned and self._style_of is not None:
            extra = self._style_of(row)
            if extra is not None:
                style = style + extra
        if pinned:
            style = style + Style(italic=True)
        if marked:
            style = style + self.get_component_rich_style("vtable--marked")
        if index == self.cursor:
            cls = "vtable--cursor" if self.has_focus else "vtable--cursor-blurred"
            style = style + self.get_component_rich_style(cls)
        return style
