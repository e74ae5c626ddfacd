"""The command palette (ctrl+p) entry that opens the Lightsail view."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider

TITLE = "Lightsail view"
HELP = "Lightsail instances, disks and their manual and automatic snapshots (:lightsail)"


class LightsailCommands(Provider):
    def _open(self) -> None:
        self.app.open_lightsail()  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        yield DiscoveryHit(TITLE, self._open, help=HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        score = matcher.match(TITLE)
        if score > 0:
            yield Hit(score, matcher.highlight(TITLE), self._open, help=HELP)
