"""Keys that arrive in one burst (as SSH delivers them) edit in the order they were typed.

The keys are posted to the app all at once, as Textual's driver does when one read returns
several, with no pause between them: Textual's own Input applies the letters before the
deletions there (checked below, so this test notices when Textual changes); BurstInput does not.
"""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from snaptui.ui.burst_input import BurstInput

BURST = ["a", "b", "c", "d", "backspace", "backspace", "backspace", "9", "9", "left", "x"]
TYPED = "a9x9"  # abcd, three deleted, 99, one left, x between the nines


class OneField(App[None]):
    def __init__(self, field: Input) -> None:
        super().__init__()
        self.field = field

    def compose(self) -> ComposeResult:
        yield self.field


def _key(name: str) -> events.Key:
    char = {"backspace": "\x7f"}.get(name, name if len(name) == 1 else None)
    return events.Key(name, char)


async def typed_in_one_burst(field: Input) -> str:
    app = OneField(field)
    async with app.run_test() as pilot:
        field.focus()
        await pilot.pause()
        for name in BURST:
            app.post_message(_key(name))  # no await between: one burst
        await pilot.pause(0.3)
        return field.value


async def test_a_burst_edits_in_the_order_typed() -> None:
    assert await typed_in_one_burst(BurstInput(select_on_focus=False)) == TYPED


async def test_textual_input_still_reorders_a_burst() -> None:
    # If this fails, Textual fixed the ordering and BurstInput can go.
    assert await typed_in_one_burst(Input(select_on_focus=False)) != TYPED
