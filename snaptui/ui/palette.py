"""The command palette (ctrl+p): every `:` view and every key's action, searchable by name.

Built from what the app already declares (its key bindings, views.VIEW_WORDS), so a new
action or view appears here without being listed twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from snaptui.ui import views

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp

_NOT_OFFERED = {"tab", "shift+tab", "escape", "command"}  # moving around, not commands


def _entries(provider: Provider) -> Iterator[tuple[str, str, Callable[[], Any]]]:
    app = cast("SnapApp", provider.app)
    for word in views.VIEW_WORDS:
        yield f"View: {word}", f":{word}", partial(views.run_command, app, word)
    for binding in app.BINDINGS:
        if not isinstance(binding, Binding) or binding.action in _NOT_OFFERED:
            continue
        if binding.key in _NOT_OFFERED or not binding.description:
            continue
        key = binding.key_display or binding.key.split(",")[0]
        action = binding.action
        yield binding.description, f"key {key}", partial(app.run_action, action)


class SnaptuiCommands(Provider):
    async def discover(self) -> Hits:
        for title, help_text, run in _entries(self):
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in _entries(self):
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
