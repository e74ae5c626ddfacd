"""An Input that edits in the order keys were typed, even when they arrive in one burst.

Textual's Input inserts a printable key at once, in its own key handler, but runs its editing
keys (backspace, delete, arrows, home/end, ctrl+w …) as bindings, after the key has bubbled
up to the app and back. Keys that arrive together, as SSH delivers a fast typist's
"ab<BS><BS>cd", are therefore applied out of order: the letters first, the deletions after,
so the field ends as "a" instead of "cd" (seen in tmux with `send-keys BSpace BSpace 99`).
Here the Input's own editing bindings run in the key handler too, in arrival order; enter
(submit) still goes the usual way so screens keep their meaning for it.
"""

from __future__ import annotations

from textual import events
from textual.binding import NoBinding
from textual.widgets import Input

_NOT_INLINE = frozenset({"submit"})  # the form and prompt give enter its meaning


class BurstInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            try:
                bindings = self._bindings.get_bindings_for_key(event.key)
            except NoBinding:
                bindings = []
            for binding in bindings:
                name = binding.action.split("(", 1)[0]
                if "." not in name and name not in _NOT_INLINE and hasattr(self, f"action_{name}"):
                    event.stop()
                    event.prevent_default()
                    self._restart_blink()
                    await self.run_action(binding.action)
                    return
        await super()._on_key(event)
