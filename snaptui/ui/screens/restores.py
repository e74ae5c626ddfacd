"""`:restores`: every volume snaptui made to restore files, with one key to clean each up."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from snaptui.core import fmt
from snaptui.models import Volume
from snaptui.ui.text import line

RESTORE_TAG = "snaptui:restore-of"


def restore_volumes(volumes: list[Volume]) -> list[Volume]:
    return sorted(
        (v for v in volumes if RESTORE_TAG in v.tags),
        key=lambda v: (v.region, v.create_time is None, v.create_time, v.id),
    )


class RestoresScreen(ModalScreen[Volume | None]):
    """Pick a restore volume; the app confirms and cleans it up (detach, wait, delete)."""

    DEFAULT_CSS = """
    RestoresScreen { align: center middle; }
    RestoresScreen > Vertical {
        width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss_none", "Close"),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("x,delete", "clean", "Clean up"),
    ]

    def __init__(self, volumes: list[Volume]) -> None:
        super().__init__()
        self.volumes = volumes
        self.index = 0

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Restore volumes: {len(self.volumes)} (x cleans up, esc closes)"
            yield Static(self._table(), id="restores")

    def _table(self) -> Table | Text:
        if not self.volumes:
            return Text("No restore volumes: every one has been cleaned up.")
        t = Table(expand=True, box=None, header_style="bold")
        for col in ("", "Volume", "Region", "Of snapshot", "Attached to", "State", "Age"):
            t.add_column(col, no_wrap=True)
        for n, v in enumerate(self.volumes):
            attached = ", ".join(f"{a.instance_id} {a.device}" for a in v.attachments) or "-"
            t.add_row(
                "▶" if n == self.index else "",
                *(
                    line(cell)
                    for cell in (
                        v.id,
                        v.region,
                        v.tags.get(RESTORE_TAG, ""),
                        attached,
                        v.state,
                        fmt.age(v.create_time),
                    )
                ),
                style="reverse" if n == self.index else "",
            )
        return t

    def action_move(self, delta: int) -> None:
        if self.volumes:
            self.index = max(0, min(len(self.volumes) - 1, self.index + delta))
            self.query_one("#restores", Static).update(self._table())

    def action_clean(self) -> None:
        if self.volumes:
            self.dismiss(self.volumes[self.index])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
