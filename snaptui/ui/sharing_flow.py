"""Who a highlighted snapshot is shared with, looked up lazily and kept per region ticket.

DescribeSnapshotAttribute answers one snapshot per call, so it is asked only for the snapshot
the cursor rests on: a highlight starts a short timer, and keys arriving in a burst (j j j …)
restart it, so only where the cursor stops is asked. An answer lands in AppState (stale ones,
from an older load or region fetch, are dropped) and redraws the detail if the snapshot is
still highlighted. The cost review's "shared outside" risk counts what was looked up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.timer import Timer

from snaptui.core import details
from snaptui.models import Snapshot
from snaptui.ui import messages as m

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp

SETTLE_S = 0.35  # the cursor rests this long before AWS is asked


class SharingFlow:
    def __init__(self, app: SnapApp) -> None:
        self.app = app
        self._timer: Timer | None = None

    def text(self, snap: Snapshot) -> str:
        """The detail's "Shared with" row; asks for it when not known yet."""
        state = self.app.state
        answer = state.shared_with(snap.id, snap.region)
        if answer is None:
            self._ask_soon(snap)
        return details.shared_text(answer, snap.id in state.sharing_asked)

    def _ask_soon(self, snap: Snapshot) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(SETTLE_S, lambda: self._ask(snap))

    def _ask(self, snap: Snapshot) -> None:
        app = self.app
        state = app.state
        ticket = state.tickets.get(snap.region)
        if self._highlighted() != snap.id or ticket is None or snap.id in state.sharing_asked:
            return
        if state.shared_with(snap.id, snap.region) is not None:
            return
        state.sharing_asked.add(snap.id)
        app.loader.read_sharing(state.generation, ticket, snap.region, snap.id)
        app.refresh_detail()  # "asking AWS…"

    def read(self, msg: m.SharingRead) -> None:
        app = self.app
        app.state.sharing_read(msg.generation, msg.ticket, msg.region, msg.answer)
        if self._highlighted() == msg.answer.snapshot_id:
            app.refresh_detail()

    def _highlighted(self) -> str | None:
        """The id of the snapshot the detail shows, if it shows one."""
        pane = self.app.focused_pane()
        row = pane.cursor_row if pane is not None else None
        return row.id if isinstance(row, Snapshot) else None
