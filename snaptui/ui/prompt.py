"""The `/` filter and `:` view prompt: one visible line above the status line.

It says which mode it is in and shows what is typed. `:` completes view names with tab
(and shows the completion inline as you type). Opening it moves the focus at once, so
keys typed right behind `/` or `:` land in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Label

from snaptui.ui.burst_input import BurstInput
from snaptui.ui.keys import HoldKeysApp, hold_keys
from snaptui.ui.text import line


def complete(word: str, words: Sequence[str]) -> list[str]:
    """Every known word starting with what is typed (case-insensitive), in order."""
    typed = word.strip().lower()
    return [w for w in words if w.startswith(typed)]


class PromptInput(BurstInput):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("tab", "complete", "Complete", show=True),
        Binding("enter", "apply", "Apply", show=True),
    ]

    applied = False  # enter was pressed; reset when the bar opens again

    def action_apply(self) -> None:
        """Enter, in the order it was typed (BurstInput runs it inline): the value as it is
        now, and the keys behind it in a burst held for what the command opens (`:accounts`
        ⏎ ↓ ⏎ moves in the list; before, they were typed into the prompt first)."""
        self.applied = True
        hold_keys(self.app)
        self.post_message(self.Submitted(self, self.value))

    async def _on_key(self, event: events.Key) -> None:
        # Keys of the same burst reach this input after its enter (the app forwarded them
        # here before the enter was handled): they belong to what comes next, not the prompt.
        app = self.app
        if self.applied and isinstance(app, HoldKeysApp):
            event.stop()
            event.prevent_default()
            app.keep_key(event)
            return
        await super()._on_key(event)

    class Cancelled(Message):
        pass

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())

    _typed: str | None = None  # what tab completes from; repeated tabs cycle its matches

    def action_complete(self) -> None:
        bar = self.parent
        words = bar.words if isinstance(bar, PromptBar) else ()
        if self._typed is None or not self.value.startswith(self._typed):
            self._typed = self.value
        found = complete(self._typed, words)
        if not found:
            return
        nxt = found[(found.index(self.value) + 1) % len(found)] if self.value in found else found[0]
        self.value = nxt
        self.cursor_position = len(nxt)


class PromptBar(Horizontal):
    """Mode label + input. Hidden until `/` or `:` opens it."""

    DEFAULT_CSS = """
    PromptBar { height: 1; background: $boost; display: none; }
    PromptBar.open { display: block; }
    PromptBar #prompt-mode { width: auto; padding: 0 1; background: $accent; color: $text;
        text-style: bold; }
    PromptBar PromptInput { width: 1fr; }
    """

    words: Sequence[str] = ()
    mode = "filter"

    def compose(self) -> ComposeResult:
        yield Label("", id="prompt-mode")
        yield PromptInput(id="prompt", compact=True, select_on_focus=False)

    @property
    def input(self) -> PromptInput:
        return self.query_one(PromptInput)

    @property
    def is_open(self) -> bool:
        return self.has_class("open")

    def open(self, mode: str, label: str, placeholder: str, value: str = "") -> None:
        """Show the prompt and focus it now (not later: the next key must land here)."""
        self.mode = mode
        self.query_one("#prompt-mode", Label).update(line(label))
        field = self.input
        field.suggester = (
            SuggestFromList(self.words, case_sensitive=False) if mode == "command" else None
        )
        field.placeholder = placeholder
        field.value = value
        field.cursor_position = len(value)
        field.applied = False
        self.add_class("open")
        self.screen.set_focus(field)
        # Again after anything already queued: a deferred focus asked for by an earlier key
        # of the same burst (a screen closing, a pane key) must not take the prompt's keys.
        self.call_later(self._refocus, mode)

    def _refocus(self, mode: str) -> None:
        if self.is_open and self.mode == mode and self.screen.focused is not self.input:
            self.screen.set_focus(self.input)

    def close(self) -> None:
        self.remove_class("open")
