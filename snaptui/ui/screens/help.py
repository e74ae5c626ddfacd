"""`?`: every key, grouped, generated from the live bindings so it cannot drift."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from snaptui.core.managers import KIND_LABEL, filter_word
from snaptui.ui.text import line

FILTER_HELP = (
    "/ finds IDs, names, descriptions, tags (key=value) and who manages a snapshot: "
    + " ".join(filter_word(k) for k in KIND_LABEL)
    + ". Flags: E encrypted, A archive tier, P public."
)

Section = tuple[str, Iterable[BindingType]]


def _key_label(b: Binding) -> str:
    if b.key_display:
        return b.key_display
    names = {"question_mark": "?", "slash": "/", "colon": ":", "space": "space"}
    return ", ".join(names.get(k.strip(), k.strip()) for k in b.key.split(","))


def help_table(sections: Sequence[Section]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for title, bindings in sections:
        table.add_row(line(title, style="bold underline"), "")
        seen: set[str] = set()
        for b in bindings:
            if not isinstance(b, Binding) or not b.description or b.description in seen:
                continue
            seen.add(b.description)
            table.add_row(line(_key_label(b)), line(b.description))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, sections: Sequence[Section], words: Sequence[str] = ()) -> None:
        super().__init__()
        self._sections = sections
        self._words = words

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "snaptui keys (esc to close)"
            yield Static(help_table(self._sections))
            if self._words:  # what `:` takes, from the same list the prompt completes from
                yield Static(line(": " + "  ".join(self._words)))
            yield Static(line(FILTER_HELP))
