"""Ask before anything destructive. For the riskiest cases the user types the ID or count."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from snaptui.ui.burst_input import BurstInput
from snaptui.ui.keys import drop_held_keys, release_keys_to
from snaptui.ui.text import data, line, sanitized


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True only on an explicit yes (and the typed text, when required)."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ConfirmScreen #body { height: auto; max-height: 1fr; overflow-y: auto; }
    ConfirmScreen #typed-hint { color: $warning; margin-top: 1; }
    ConfirmScreen #typed { background: $boost; padding: 0 1; }
    ConfirmScreen #typed:focus { background: $accent 30%; }
    ConfirmScreen #typed-error { color: $error; height: auto; }
    ConfirmScreen Horizontal { height: 1; align-horizontal: right; margin-top: 1; dock: bottom; }
    ConfirmScreen Button { margin-left: 2; min-width: 10; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        body: RenderableType,
        *,
        confirm_label: str = "Delete",
        require_typed: str | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._confirm_label = confirm_label
        self._require = require_typed

    def compose(self) -> ComposeResult:
        body = sanitized(self._body) if isinstance(self._body, Text) else self._body
        with Vertical() as box:
            box.border_title = line(self._title)
            with Horizontal():
                yield Button("Cancel", id="cancel", compact=True)
                yield Button(self._confirm_label, variant="error", id="confirm", compact=True)
            yield Static(data(body) if isinstance(body, str) else body, id="body")
            if self._require is not None:
                yield Label(line(f"Type {self._require} to confirm:"), id="typed-hint")
                yield BurstInput(
                    placeholder=self._require, id="typed", compact=True, select_on_focus=False
                )
                yield Label("", id="typed-error")

    def on_mount(self) -> None:
        if self._require is not None:
            self.set_focus(self.query_one("#typed", Input))
            release_keys_to(self)  # a typed confirmation may arrive with the key that asked
        else:
            self.set_focus(self.query_one("#cancel", Button))  # the safe choice has the focus
            drop_held_keys(self.app)  # never let a burst answer "yes" for the user

    def _typed_ok(self) -> bool:
        if self._require is None:
            return True
        typed = self.query_one("#typed", Input).value.strip()
        if typed == self._require:
            return True
        self.query_one("#typed-error", Label).update(
            line(f"That does not match {self._require}: nothing was done.")
        )
        return False

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#typed")
    def _confirm(self) -> None:
        if self._typed_ok():
            self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
