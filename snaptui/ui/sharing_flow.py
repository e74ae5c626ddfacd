"""What is asked about the highlighted snapshot alone, looked up lazily, kept per region ticket:
who it is shared with (DescribeSnapshotAttribute) and, for one AWS Backup made, its recovery
point's plan, vault and deletion date (ListRecoveryPointsByResource + DescribeRecoveryPoint).

Those APIs answer one snapshot per call, so they are asked only for the snapshot the cursor
rests on: a highlight starts a short timer, and keys arriving in a burst (j j j …) restart it,
so only where the cursor stops is asked. An answer lands in AppState (stale ones, from an older
load or region fetch, are dropped) and redraws the detail if the snapshot is still highlighted.
The cost review's "shared outside" risk counts what was looked up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.timer import Timer

from snaptui.core import details, protection
from snaptui.models import Snapshot
from snaptui.ui import messages as m

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp

SETTLE_S = 0.35  # the cursor rests this long before AWS is asked
SOURCE_TAG = "aws:backup:source-resource"  # the volume AWS Backup made it from


class SharingFlow:
    def __init__(self, app: SnapApp) -> None:
        self.app = app
        self._timer: Timer | None = None

    def texts(self, snap: Snapshot) -> tuple[str, str | None]:
        """The detail's "Shared with" and "Backup plan" rows (None: not Backup's); asks for
        what is not known yet."""
        state = self.app.state
        shared = state.shared_with(snap.id, snap.region)
        source = _backup_source(snap, self.app)
        point = state.recovery_point(snap.id, snap.region) if source else None
        if shared is None or (source and point is None):
            self._ask_soon(snap)
        backup = None
        if source:
            backup = details.backup_text(point, snap.id in state.recovery.asked, self.app.clock())
        return details.shared_text(shared, snap.id in state.shared.asked), backup

    def _ask_soon(self, snap: Snapshot) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(SETTLE_S, lambda: self._ask(snap))

    def _ask(self, snap: Snapshot) -> None:
        app, state = self.app, self.app.state
        ticket = state.tickets.get(snap.region)
        if self._highlighted() != snap.id or ticket is None:
            return
        asked = False
        if state.shared_with(snap.id, snap.region) is None and snap.id not in state.shared.asked:
            state.shared.asked.add(snap.id)
            app.loader.read_sharing(state.generation, ticket, snap.region, snap.id)
            asked = True
        source = _backup_source(snap, app)
        if (
            source
            and state.recovery_point(snap.id, snap.region) is None
            and snap.id not in state.recovery.asked
        ):
            state.recovery.asked.add(snap.id)
            app.loader.read_recovery_point(state.generation, ticket, snap.region, snap.id, source)
            asked = True
        if asked:
            app.refresh_detail()  # "asking AWS…"

    def read(self, msg: m.SharingRead | m.RecoveryPointRead) -> None:
        state = self.app.state
        store = state.shared if isinstance(msg, m.SharingRead) else state.recovery
        fresh = state.fresh(msg.generation, msg.ticket, msg.region)
        store.read(msg.snapshot_id, msg.answer, msg.ticket, fresh)  # type: ignore[arg-type]
        if self._highlighted() == msg.snapshot_id:
            self.app.refresh_detail()

    def _highlighted(self) -> str | None:
        """The id of the snapshot the detail shows, if it shows one."""
        pane = self.app.focused_pane()
        row = pane.cursor_row if pane is not None else None
        return row.id if isinstance(row, Snapshot) else None


def _backup_source(snap: Snapshot, app: SnapApp) -> str:
    """The volume ARN AWS Backup made it from, when AWS Backup manages it; else ""."""
    if protection.manager(snap, app.state.fleet).kind != "backup":
        return ""
    return next((v for k, v in snap.tags.items() if k.lower() == SOURCE_TAG), "")
