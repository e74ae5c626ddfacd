"""`f` and `:history PATH`: open the file browser or a path's history for the highlighted item.

One FilesSession per app, so the browser, history and diff share the block cache.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from snaptui.files.fs import normalize
from snaptui.files.session import FilesSession
from snaptui.models import Snapshot, Volume

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp


def session_of(app: SnapApp) -> FilesSession:
    session: FilesSession | None = getattr(app, "_files_session", None)
    if session is None:
        session = FilesSession(app.ctx)
        app._files_session = session  # type: ignore[attr-defined]
    return session


def lineage_of(app: SnapApp, snap: Snapshot) -> list[Snapshot]:
    """The snapshots of the same volume (newest first); a copy's lineage is itself."""
    if not snap.volume_id or snap.volume_id == "vol-ffffffff":
        return [snap]
    same = [
        s
        for s in app.fleet.snapshots_by_volume.get(snap.volume_id, [])
        if s.region == snap.region and s.state == "completed"
    ]
    return sorted(same or [snap], key=lambda s: s.start_time, reverse=True)


def _highlighted_snapshot(app: SnapApp) -> Snapshot | None:
    row = app.pane("snapshots").cursor_row
    return row if isinstance(row, Snapshot) else None


def open_files(app: SnapApp) -> None:
    from snaptui.ui.screens.files import FilesScreen

    snap = _highlighted_snapshot(app)
    if snap is None:
        app.notify("Highlight a snapshot first (4 focuses the snapshots)", severity="warning")
        return
    if snap.state != "completed":
        app.notify(
            f"{snap.id} is {snap.state}: its blocks can be read once it completes; "
            "the volume restore (R) works meanwhile",
            severity="warning",
            timeout=8,
        )
        return
    app.push_screen(FilesScreen(session_of(app), snap, app.jobs, lineage_of(app, snap)))


def open_history(app: SnapApp, path: str) -> None:
    from snaptui.ui.screens.file_views import HistoryScreen

    if not path.strip():
        app.notify("Usage: :history /path/in/the/snapshot", severity="warning")
        return
    snap = _highlighted_snapshot(app)
    lineage: list[Snapshot] = []
    if snap is not None:
        lineage = lineage_of(app, snap)
    else:
        row = app.pane("volumes").cursor_row
        if isinstance(row, Volume):
            lineage = sorted(
                (
                    s
                    for s in app.fleet.snapshots_by_volume.get(row.id, [])
                    if s.state == "completed"
                ),
                key=lambda s: s.start_time,
                reverse=True,
            )
    if not lineage:
        app.notify("Highlight a snapshot or a volume with snapshots first", severity="warning")
        return
    app.push_screen(HistoryScreen(session_of(app), lineage, normalize(path), app.jobs))
