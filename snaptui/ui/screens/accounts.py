"""`:accounts`: every account of this run, side by side, and which one the panes show.

Each row: the account, its snapshots and monthly cost as last shown (the open account's
live), and its errors. Enter opens the highlighted account; esc keeps the current one.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from snaptui.core.text import one_line
from snaptui.ui.accounts import AccountBook, AccountFigures, overall_text
from snaptui.ui.keys import HoldKeysApp, hold_keys
from snaptui.ui.text import line

_NAME = 34


_WITH_ID = re.compile(r"(.*) (\(\d{12}\))")


def short_label(label: str, width: int = _NAME) -> str:
    """The label in ``width`` cells; a long name is cut before its account id, never the id."""
    name = one_line(label)
    if len(name) <= width:
        return name
    found = _WITH_ID.fullmatch(name)
    if found is None:
        return name[: width - 1] + "…"
    head, account = found.groups()
    return head[: max(1, width - len(account) - 2)] + "… " + account


def account_row(label: str, figures: AccountFigures | None, current: bool) -> Text:
    mark = "▶ " if current else "  "
    if figures is None:
        rest = f"{'—':>6}  not opened yet"
    else:
        cost = figures.cost or "cost not run"
        errors = f"  {figures.problems} error(s)" if figures.problems else ""
        rest = f"{figures.snapshots:>6} snaps  {cost}{errors}"
    return Text(f"{mark}{short_label(label):<{_NAME}} {rest}")


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

    _chosen = False  # the first enter decides; keys behind it in a burst change nothing

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.book.current
        self.set_focus(options)
        self._apply_held_keys()

    def _apply_held_keys(self) -> None:
        """Keys typed behind `:accounts` ⏎ in one burst, applied here in order (replayed,
        they reached no binding while the screen was new): moves, enter, esc; once the list
        is closed the rest is held for what comes next."""
        app = self.app
        if not isinstance(app, HoldKeysApp):
            return
        options = self.query_one(OptionList)
        for n, key in enumerate(held := app.take_held_keys()):
            if self._chosen:
                for rest in held[n:]:
                    app.keep_key(rest)
                return
            if key.key in ("down", "j"):
                options.action_cursor_down()
            elif key.key in ("up", "k"):
                options.action_cursor_up()
            elif key.key == "enter" and options.highlighted is not None:
                self._close(options.highlighted)
            elif key.key in ("escape", "q"):
                self._close(None)

    def _figures(self, i: int) -> AccountFigures | None:
        return self.live if i == self.book.current else self.book.seen.get(i)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._close(int(event.option.id or 0))

    def action_dismiss_none(self) -> None:
        self._close(None)

    def _close(self, chosen: int | None) -> None:
        if self._chosen:
            return
        self._chosen = True
        hold_keys(self.app)  # what follows goes to the account opened next, or is dropped
        self.dismiss(chosen)
