"""The file browser's other views: preview, the save dialog, a path's history, a diff.

History and diff run as jobs and fill in row by row; esc cancels them (block reads stop) and
closes. Everything shown from a snapshot goes through ``shown`` into rich Text: no markup.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from snaptui.aws.snapshot_device import ReadStats
from snaptui.core import fmt
from snaptui.files.fs import FileEntry, shown
from snaptui.files.history import (
    Change,
    HistoryRow,
    by_directory,
    diff_trees,
    history_row,
    version_labels,
)
from snaptui.files.save import exists_at, save
from snaptui.files.session import FilesSession, explain
from snaptui.models import Snapshot
from snaptui.ui.burst_input import BurstInput
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.screens.file_listing import Done, stats_text

if TYPE_CHECKING:
    from snaptui.ui.jobs import Jobs


class PreviewScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    PreviewScreen { align: center middle; }
    PreviewScreen > VerticalScroll {
        width: 100%; height: 100%; border: round $accent; background: $surface;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, entry: FileEntry, data: bytes) -> None:
        super().__init__()
        self.entry = entry
        self.data = data

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = f"{shown(self.entry.path)} ({fmt.size(self.entry.size)})"
            if b"\x00" in self.data[:8192]:
                yield Static(Text("Binary file: no preview. s saves it.", style="italic"))
            else:
                text = self.data.decode("utf-8", errors="replace")
                lines = [shown(line) for line in text.splitlines()]
                yield Static(Text("\n".join(lines)))

    def action_close(self) -> None:
        self.dismiss(None)


class SaveDialog(ModalScreen[str | None]):
    """Where to save (a local directory); says what the save reads, louder when it is large."""

    DEFAULT_CSS = """
    SaveDialog { align: center middle; }
    SaveDialog > Vertical {
        width: 76; max-width: 100%; height: auto; border: round $accent;
        background: $surface; padding: 0 1;
    }
    SaveDialog #plan.large { color: $warning; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, entry: FileEntry, directory: str, plan: str, large: bool) -> None:
        super().__init__()
        self.entry, self.directory, self.plan, self.large = entry, directory, plan, large

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Save from the snapshot"
            yield Label(Text(f"{shown(self.entry.path)}"))
            yield Label(Text(self.plan), id="plan", classes="large" if self.large else "")
            yield Label("Into local directory (enter saves, esc cancels):")
            yield BurstInput(self.directory, id="dest")

    def on_mount(self) -> None:
        self.query_one("#dest", Input).focus()

    @on(Input.Submitted, "#dest")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class _JobScreen(Screen[None]):
    """A screen whose content comes from one job; esc cancels it, then closes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close/cancel")]
    DEFAULT_CSS = """
    _JobScreen #title { height: 1; background: $boost; padding: 0 1; }
    _JobScreen DataTable { height: 1fr; }
    _JobScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, session: FilesSession, jobs: Jobs) -> None:
        super().__init__()
        self.session, self.jobs = session, jobs
        self.stats = ReadStats()
        self.cancel = threading.Event()
        self.generation = 1
        self.started = time.monotonic()
        self.running = True

    def post_done(self, apply: Any) -> None:
        self.post_message(Done(self.generation, apply))

    @on(Done)
    def _done(self, msg: Done) -> None:
        if msg.generation == self.generation:
            msg.apply()

    def status(self, text: str | Text) -> None:
        self.query_one("#status", Static).update(text)

    def action_close(self) -> None:
        if self.running:
            self.jobs.cancel_group("file-views")
            self.running = False
            self.generation += 1
            self.status("Cancelled; " + stats_text(self.stats, self.started))
            return
        self.app.pop_screen()


class HistoryScreen(_JobScreen):
    """One path across the volume's snapshots, newest first: same hash, same version.

    ``s`` saves the highlighted version (the file as that snapshot holds it) to a local
    directory, asking before it replaces a file there.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close/cancel"),
        Binding("s", "save", "Save this version"),
    ]

    def __init__(
        self, session: FilesSession, lineage: list[Snapshot], path: str, jobs: Jobs
    ) -> None:
        super().__init__(session, jobs)
        self.lineage, self.path = lineage, path
        self.rows: list[HistoryRow] = []

    def compose(self) -> ComposeResult:
        yield Static(
            Text(f"History of {shown(self.path)} ({len(self.lineage)} snapshots)"), id="title"
        )
        yield DataTable(cursor_type="row")
        yield Static("Reading…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("Snapshot", 22),
            ("Taken", 11),
            ("Ver", 4),
            ("Size", 8),
            ("Modified", 11),
            ("SHA-256", 8),
        ):
            table.add_column(label, width=width)
        self.jobs.start("files-history", self._work, group="file-views", exclusive=True)

    def _work(self, cancel: threading.Event) -> None:
        for snap in self.lineage:
            if cancel.is_set():
                return
            try:
                opened = self.session.open(snap.region, snap.id, cancel=cancel, stats=self.stats)
                row = history_row(snap.id, snap.start_time, opened.first(), self.path, cancel)
            except Exception as exc:
                if cancel.is_set():
                    return
                row = HistoryRow(snap.id, snap.start_time, None, problem=explain(exc, snap.id))
            self.post_done(lambda r=row: self._add(r))
        self.post_done(self._finished)

    def _add(self, row: HistoryRow) -> None:
        self.rows.append(row)
        table = self.query_one(DataTable)
        table.clear()
        for r, label in zip(self.rows, version_labels(self.rows), strict=True):
            e = r.entry
            table.add_row(
                r.snapshot_id,
                f"{r.taken:%m-%d %H:%M}" if r.taken else "?",
                label,
                fmt.size(e.size) if e else "",
                f"{e.mtime:%m-%d %H:%M}"
                if e
                else Text(shown(r.problem or "not present"), style="dim"),
                r.sha256[:8],
            )
        self.status(
            f"{len(self.rows)}/{len(self.lineage)} · {stats_text(self.stats, self.started)}"
        )

    def action_save(self) -> None:
        table = self.query_one(DataTable)
        if not 0 <= table.cursor_row < len(self.rows):
            return
        row = self.rows[table.cursor_row]
        entry = row.entry
        if entry is None or entry.kind != "file":
            self.notify(f"{row.snapshot_id} holds no file at this path", severity="warning")
            return
        snap = next(s for s in self.lineage if s.id == row.snapshot_id)
        label = version_labels(self.rows)[table.cursor_row]
        plan = f"version {label} from {snap.id}: {fmt.size(entry.size)}"

        def chosen(dest: str | None) -> None:
            if not dest:
                return
            if not Path(dest).is_dir():
                self.notify(f"{shown(dest)}: not a directory", severity="error")
                return
            if not exists_at(dest, entry):
                self._save(snap, entry, dest, overwrite=False)
                return
            body = Text(f"{shown(entry.name)} exists in {shown(dest)}. Replace it?")
            self.app.push_screen(
                ConfirmScreen("Overwrite?", body, confirm_label="Overwrite"),
                lambda yes: self._save(snap, entry, dest, overwrite=True) if yes else None,
            )

        self.app.push_screen(SaveDialog(entry, str(Path.cwd()), plan, False), chosen)

    def _save(self, snap: Snapshot, entry: FileEntry, dest: str, *, overwrite: bool) -> None:
        self.status(f"Saving {shown(entry.path)} from {snap.id}…")

        def work(cancel: threading.Event) -> None:
            try:
                fs = self.session.open(snap.region, snap.id, cancel=cancel, stats=self.stats)
                report = save(fs.first(), entry.path, dest, overwrite=overwrite, cancel=cancel)
            except Exception as exc:
                text = explain(exc, snap.id)
                self.post_done(lambda: self.status(Text(text, style="red")))
                return
            done = f"Saved {fmt.size(report.bytes_written)} from {snap.id} to {dest}"
            self.post_done(lambda: self._saved(done, bool(report.failed or report.skipped)))

        self.jobs.start("files-history-save", work, group="file-save", exclusive=True)

    def _saved(self, text: str, problems: bool) -> None:
        self.status(Text(text, style="yellow" if problems else "green"))
        self.notify(text, title="Saved", severity="warning" if problems else "information")

    def _finished(self) -> None:
        self.running = False
        versions = len({r.sha256 for r in self.rows if r.entry is not None})
        plural = "s" if versions != 1 else ""
        self.status(
            f"{versions} version{plural} in {len(self.rows)} snapshots · {stats_text(self.stats)}"
        )


class DiffScreen(_JobScreen):
    """What changed from ``old`` to ``new``: per directory, then every entry."""

    def __init__(self, session: FilesSession, old: Snapshot, new: Snapshot, jobs: Jobs) -> None:
        super().__init__(session, jobs)
        self.old, self.new = old, new

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{self.old.id} → {self.new.id}"), id="title")
        yield DataTable(cursor_type="row")
        yield Static("Comparing…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("", 1), ("Change", 10), ("Path", None)):
            table.add_column(label, width=width)
        self.jobs.start("files-diff", self._work, group="file-views", exclusive=True)

    def _work(self, cancel: threading.Event) -> None:
        try:
            old = self.session.open(self.old.region, self.old.id, cancel=cancel, stats=self.stats)
            new = self.session.open(self.new.region, self.new.id, cancel=cancel, stats=self.stats)
            changes = diff_trees(
                old.first(),
                new.first(),
                "/",
                cancel,
                lambda d: self.post_done(lambda: self.status(Text(f"Comparing {shown(d)}…"))),
            )
        except Exception as exc:
            if not cancel.is_set():
                text = explain(exc, self.new.id)
                self.post_done(lambda: self._show_error(text))
            return
        self.post_done(lambda: self._show(changes))

    def _show_error(self, text: str) -> None:
        self.running = False
        self.status(Text(text, style="red"))

    def _show(self, changes: list[Change]) -> None:
        self.running = False
        table = self.query_one(DataTable)
        for directory, count, grown in by_directory(changes)[:5]:
            table.add_row("Σ", _signed(grown), Text(f"{shown(directory)} ({count} entries)"))
        for c in changes:
            table.add_row(c.change[0].upper(), _signed(c.delta), Text(shown(c.path)))
        grown = sum(c.delta for c in changes if c.delta > 0)
        self.status(f"{len(changes)} changes, {fmt.size(grown)} grown · {stats_text(self.stats)}")


def _signed(n: int) -> str:
    return ("+" if n >= 0 else "-") + fmt.size(abs(n))
