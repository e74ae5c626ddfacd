"""A table that renders only the lines on screen (Textual's line API), for 100k-row panes.

Rows are model objects; columns say how to show and sort them. The table owns sorting and
filtering so that a filter keystroke narrows the already-sorted rows in one pass, and marks
and the cursor follow row keys across refreshes, sorts and filters.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from snaptui.core.filtering import RowFilter, haystack
from snaptui.core.text import one_line

T = TypeVar("T")
MARK = "●"


@dataclass(frozen=True, slots=True)
class Column(Generic[T]):
    key: str
    title: str
    getter: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None
    width: int = 0  # fixed width; 0 means flexible
    min_width: int = 6  # for flexible columns
    justify: Literal["left", "right"] = "left"
    hide_below: int = 0  # drop this column when the table is narrower than this

    @property
    def flex(self) -> bool:
        return self.width == 0


def row_key_of(row: object) -> str:
    key = getattr(row, "id", None)
    return key if isinstance(key, str) else str(id(row) if key is None else key)


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
        self._text_of = text_of
        self._empty_text = empty_text
        self.markable = markable
        self._source: list[T] = []
        self._pinned: list[Any] = []
        self._sorted: list[T] = []
        self._rows: list[Any] = []  # what is shown: pinned + filtered sorted rows
        self._filter: RowFilter[T] = RowFilter([], key, text_of)
        self._hay_cache: dict[Any, str] = {}
        self._query = ""
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._marks: set[str] = set()
        # While the first load streams in and nobody has picked a row, the cursor stays on
        # the top row; after that it follows its row's key (see set_rows).
        self._follow_key = False
        self._widths: list[tuple[Column[T], int]] = []
        self._widths_for = -1

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
        return len(self._source)

    @property
    def filtered_count(self) -> int:
        return len(self._rows) - len(self._pinned)

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
        self._source = list(rows)
        self._pinned = list(pinned)
        if len(self._hay_cache) > 3 * len(self._source) + 1000:
            self._hay_cache = {}  # mostly rows that are gone: start over
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
        if col is None or col.sort_key is None:
            self._sorted = self._source
        else:
            self._sorted = sorted(self._source, key=col.sort_key, reverse=self.sort_reverse)
        self._filter = RowFilter(self._sorted, self._key, self._text_of, self._hay_cache)
        self._prepare_filter()

    def _prepare_filter(self) -> None:
        """Build haystacks off the event loop so the first keystroke is as fast as the rest."""
        if len(self._sorted) < 2000 or not self.is_mounted:
            return
        prepare = self._filter.prepare
        # Started after the first paint, so building 100k haystacks never delays it.
        self.set_timer(
            0.5,
            lambda: self.run_worker(prepare, thread=True, group="vtable-haystack"),
        )

    def _refilter(self, keep: str | None) -> None:
        self._apply_filter(keep)

    def _apply_filter(self, keep: str | None, keep_row: object | None = None) -> None:
        shown = self._filter.apply(self._query) if self._query else self._sorted
        self._rows = [*self._pinned, *shown] if self._pinned else shown
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
        rows, row_key = self._rows, self._key
        # The cursor usually stays where it was: check there first.
        if 0 <= self.cursor < len(rows) and row_key(rows[self.cursor]) == key:
            return self.cursor
        if row is not None:
            # The same object is usually still there (filter, sort): find it at C speed.
            try:
                return list(map(operator.is_, rows, itertools.repeat(row))).index(True)
            except ValueError:
                return None  # filtered out: the same objects, so no key scan can find it
        for i, candidate in enumerate(rows):
            if row_key(candidate) == key:
                return i
        return None

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
        return [r for r in self._source if self._key(r) in self._marks]

    def clear_marks(self) -> None:
        if self._marks:
            self._marks.clear()
            self.post_message(self.MarksChanged(self, frozenset()))
            self.refresh()

    def action_toggle_mark(self) -> None:
        row = self.cursor_row
        if not self.markable or row is None or self.cursor < len(self._pinned):
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
        """Column widths for this width: fixed first, flexible share the rest."""
        if total == self._widths_for:
            return self._widths
        shown = [c for c in self.columns if not c.hide_below or total >= c.hide_below]
        avail = total - 2 - (len(shown) - 1)  # mark gutter + separators
        fixed = sum(c.width for c in shown if not c.flex)
        flex = [c for c in shown if c.flex]
        spare = max(0, avail - fixed)
        widths: list[tuple[Column[T], int]] = []
        for c in shown:
            w = max(c.min_width, spare // len(flex)) if c.flex else c.width
            widths.append((c, w))
        self._widths, self._widths_for = widths, total
        return widths

    @staticmethod
    def _cell(text: str, width: int, justify: str) -> str:
        """Fit data to its column: controls and line breaks escaped, never a second line."""
        text = one_line(text)
        if cell_len(text) > width:
            return set_cell_size(text, width - 1) + "…" if width > 1 else text[:width]
        pad = width - cell_len(text)
        return " " * pad + text if justify == "right" else text + " " * pad

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self._layout(width)
        base = self.rich_style
        if y == 0:
            return self._header(layout, width, base)
        index = int(self.scroll_y) + y - 1
        if not self._rows:
            text = f"  {self._empty_text}" if y == 1 else ""
            return Strip([Segment(self._cell(text, width, "left"), base + Style(dim=True))], width)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        return self._row_line(index, layout, width, base)

    def _header(self, layout: list[tuple[Column[T], int]], width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("vtable--header")
        parts = ["  "]
        for col, w in layout:
            title = col.title
            if col.key == self.sort_column:
                title += "▼" if self.sort_reverse else "▲"
            parts.append(self._cell(title, w, col.justify))
        line = " ".join(parts[1:])
        return Strip([Segment(self._cell("  " + line, width, "left"), style)], width)

    def _row_line(
        self, index: int, layout: list[tuple[Column[T], int]], width: int, base: Style
    ) -> Strip:
        row = self._rows[index]
        pinned = index < len(self._pinned)
        key = self._key(row)
        marked = key in self._marks
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
        cells = []
        for col, w in layout:
            try:
                text = col.getter(row) if not pinned else _pinned_cell(row, col)
            except Exception:  # one bad field must never blank the whole pane
                text = "?"
            cells.append(self._cell(text, w, col.justify))
        gutter = (MARK if marked else " ") + " "
        return Strip([Segment(self._cell(gutter + " ".join(cells), width, "left"), style)], width)


def _pinned_cell(row: Any, col: Column[Any]) -> str:
    """Pinned rows ("all", "orphans") show their label in the first column, count in the last."""
    getter = getattr(row, "cell", None)
    return str(getter(col.key)) if callable(getter) else ""
