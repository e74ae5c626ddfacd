"""`e`: every error AWS answered, where it happened. Nothing is hidden behind a toast."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from snaptui.models import Problem
from snaptui.ui.text import data, line


def problems_table(problems: list[Problem]) -> Table:
    table = Table(expand=True, show_edge=False, header_style="bold")
    table.add_column("Region", no_wrap=True)
    table.add_column("What")
    table.add_column("Call", no_wrap=True)
    table.add_column("Message", ratio=1, overflow="fold")
    for p in problems:
        table.add_row(
            line(p.region or "-"), line(p.kind.value), line(p.operation or "-"), data(p.message)
        )
    return table


class ProblemsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    ProblemsScreen { align: center middle; }
    ProblemsScreen > VerticalScroll {
        width: 100%; height: auto; max-height: 90%;
        border: round $error; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,q,e", "dismiss", "Close")]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = line(f"{len(self.problems)} error(s) (esc to close)")
            if self.problems:
                yield Static(problems_table(self.problems))
            else:
                yield Static("No errors.", markup=False)
