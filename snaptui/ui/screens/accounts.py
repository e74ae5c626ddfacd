"""`:accounts`: every account of this run, side by side, and which one the panes show.

Each row: the account, its snapshots and monthly cost as last shown (the open account's
live), and its errors. Enter opens the highlighted account; esc keeps the current one.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from snaptui.core.text import one_line
from snaptui.ui.accounts import AccountBook, AccountFigures, overall_text
from snaptui.ui.text import line

_NAME = 34


def account_row(label: str, figures: AccountFigures | None, current: bool) -> Text:
    mark = "▶ " if current else "  "
    name = one_line(label)
    name = name if len(name) <= _NAME else name[: _NAME - 1] + "…"
    if figures is None:
        rest = "not opened yet"
    else:
        cost = figures.cost or "cost not run"
        errors = f"  {figures.problems} errors" if figures.problems else ""
        rest = f"{figures.snapshots:>6} snaps  {cost}{errors}"
    return Text(f"{mark}{name:<{_NAME}} {rest}")


class AccountsScreen(ModalScreen[int | None]):
    DEFAULT_CSS = """
    AccountsScreen { align: center middle; }
    AccountsScreen > Vertical {
        width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    AccountsScreen OptionList { height: auto; max-height: 14; border: none; }
    AccountsScreen Static { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,q", "dismiss_none", "Close")]

    def __init__(self, book: AccountBook, live: AccountFigures) -> None:
        super().__init__()
        self.book, self.live = book, live

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = line(f"{len(self.book.contexts)} accounts (enter: open, esc: close)")
            options = [
                Option(account_row(label, self._figures(i), i == self.book.current), id=str(i))
                for i, label in enumerate(self.book.labels)
            ]
            yield OptionList(*options)
            everyone = [self._figures(i) for i in range(len(self.book.contexts))]
            notes = [overall_text(everyone)]
            notes += [f"skipped: {p.message}" for p in self.book.problems]
            notes.append("Figures as each account last showed them; for all at once:")
            notes.append("snaptui cost with the same --profile/--all-profiles/--org-role")
            yield Static(Text("\n".join(one_line(n) for n in notes)))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.book.current
        options.focus()

    def _figures(self, i: int) -> AccountFigures | None:
        return self.live if i == self.book.current else self.book.seen.get(i)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
