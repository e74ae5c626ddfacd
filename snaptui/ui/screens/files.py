"""`f`: browse a snapshot's filesystem straight from its blocks, and save files from it.

Every read runs in a job (ui/jobs.py) and reports back with a message carrying this screen's
load generation; anything from an older load is dropped. Esc cancels a running job first (the
block reads stop at once), then goes up a directory, then closes. Names from the snapshot are
data: they are shown as rich Text with control characters escaped, never parsed as markup.
What a directory lists is file_listing.py; the save flow (`s`) is file_save.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, ProgressBar, Static

from snaptui.aws.snapshot_device import BlockReader, ReadStats
from snaptui.core import fmt
from snaptui.files.fs import FileEntry, FileSystem, shown
from snaptui.files.history import parent_dir
from snaptui.files.session import FilesSession, explain
from snaptui.models import Snapshot
from snaptui.ui.burst_input import BurstInput
from snaptui.ui.screens.file_listing import SORTS, Done, entry_row, stats_text, visible
from snaptui.ui.screens.file_save import SaveFlow

if TYPE_CHECKING:
    from snaptui.ui.jobs import Jobs

PREVIEW_MAX = 64 * 1024


class FilesScreen(Screen[None]):
    DEFAULT_CSS = """
    FilesScreen #where { height: 1; background: $boost; padding: 0 1; }
    FilesScreen DataTable { height: 1fr; }
    FilesScreen #filter { height: 1; border: none; padding: 0 1; }
    FilesScreen ProgressBar.hidden { display: none; }
    FilesScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    FilesScreen ProgressBar { height: 1; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back/cancel"),
        Binding("backspace", "up", "Up", show=False),
        Binding("enter", "open", "Open", show=False),
        Binding("s", "save", "Save"),
        Binding("h", "history", "History"),
        Binding("D", "diff", "Diff parent"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("o", "sort", "Sort"),
        Binding("y", "copy_path", "Copy path"),
    ]

    def __init__(
        self,
        session: FilesSession,
        snapshot: Snapshot,
        jobs: Jobs,
        lineage: list[Snapshot],
        save_dir: str | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.snapshot = snapshot
        self.jobs = jobs
        self.lineage = lineage  # the volume's snapshots, newest first (history, diff)
        self.save_dir = save_dir or str(Path.cwd())
        self.stats = ReadStats()
        self.fs: FileSystem | None = None
        self.reader: BlockReader | None = None
        self.cwd = "/"
        self.entries: list[FileEntry] = []
        self.filter_text = ""
        self.sort = "name"
        self.generation = 0
        self.busy = ""
        self.saves = SaveFlow(self)

    # --- layout and state -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._where(), id="where")
        table: DataTable[Any] = DataTable(cursor_type="row", zebra_stripes=False)
        yield table
        flt = BurstInput(placeholder="filter names (enter keeps, esc clears)", id="filter")
        flt.display = False
        yield flt
        yield ProgressBar(total=100, show_eta=False, classes="hidden")
        yield Static("Opening the snapshot…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Fixed widths, so a long name never pushes the dates off an 80-column screen.
        name_width = max(16, self.app.size.width - 56)
        for label, width in (
            ("Name", name_width),
            ("Size", 9),
            ("Mode", 10),
            ("Owner", 9),
            ("Modified", 16),
        ):
            table.add_column(label, width=width, key=label.lower())
        self._start("open", self._open_work)

    def _where(self) -> Text:
        name = self.snapshot.name or self.snapshot.id
        fs = f" · {self.fs.label} {self.fs.kind}" if self.fs is not None else ""
        return Text(f"{shown(name)} {self.snapshot.id}{fs} · {shown(self.cwd)}", no_wrap=True)

    def _status(self, text: str | Text) -> None:
        self.query_one("#status", Static).update(text)

    def _start(self, name: str, work: Callable[[threading.Event, int], None]) -> int:
        """Run ``work(cancel, generation)`` as this screen's one job (a new load generation)."""
        self.generation += 1
        gen = self.generation
        self.busy = name

        def run(cancel: threading.Event) -> None:
            if self.reader is not None:
                self.reader.cancel = cancel  # esc stops this job's block reads at once
            work(cancel, gen)

        self.jobs.start(f"files-{name}", run, group="files", exclusive=True)
        return gen

    def post_done(self, generation: int, apply: Callable[[], None]) -> None:
        self.post_message(Done(generation, apply))

    @on(Done)
    def _done(self, msg: Done) -> None:
        if msg.generation == self.generation:
            msg.apply()

    def _failed(self, generation: int, exc: BaseException) -> None:
        text = explain(exc, self.snapshot.id)

        def show() -> None:
            self.busy = ""
            self._status(Text(text, style="red"))
            self.notify(text, title="Cannot read", severity="error", timeout=10)

        self.post_done(generation, show)

    # --- opening and listing --------------------------------------------------------------

    def _open_work(self, cancel: threading.Event, gen: int) -> None:
        try:
            opened = self.session.open(
                self.snapshot.region, self.snapshot.id, cancel=cancel, stats=self.stats
            )
            self.reader = opened.reader
            fs = opened.first()
            entries = fs.listdir("/")
        except Exception as exc:
            self._failed(gen, exc)
            return

        def show() -> None:
            self.fs = fs
            self._show_listing("/", entries)

        self.post_done(gen, show)

    def _list(self, path: str, select: str = "") -> None:
        fs = self.fs
        if fs is None:
            return

        def work(cancel: threading.Event, gen: int) -> None:
            try:
                entries = fs.listdir(path)
            except Exception as exc:
                self._failed(gen, exc)
                return
            self.post_done(gen, lambda: self._show_listing(path, entries, select))

        self._start("list", work)

    def _show_listing(self, path: str, entries: list[FileEntry], select: str = "") -> None:
        self.busy = ""
        self.cwd = path
        self.entries = entries
        self.query_one("#where", Static).update(self._where())
        self._redraw(select)
        if not self.query_one("#filter", Input).display:
            self.query_one(DataTable).focus()
        self._status(stats_text(self.stats))

    def _visible(self) -> list[FileEntry]:
        return visible(self.entries, self.filter_text, self.sort)

    def _redraw(self, select: str = "") -> None:
        table = self.query_one(DataTable)
        table.clear()
        for e in self._visible():
            table.add_row(*entry_row(e), key=e.path)
        if select:
            for n, e in enumerate(self._visible()):
                if e.path == select:
                    table.move_cursor(row=n)

    def highlighted(self) -> FileEntry | None:
        visible = self._visible()
        row = self.query_one(DataTable).cursor_row
        return visible[row] if visible and 0 <= row < len(visible) else None

    # --- keys -----------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _selected(self, _: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        entry = self.highlighted()
        if entry is None or self.busy:
            return
        if entry.kind == "dir":
            self.filter_text = ""
            self.query_one("#filter", Input).display = False
            self._list(entry.path)
        elif entry.kind == "symlink":
            self.notify(f"Symlink to {shown(entry.target)} (not followed)", timeout=5)
        elif entry.kind == "file":
            self._preview(entry)

    def action_up(self) -> None:
        if self.cwd != "/" and not self.busy:
            self._list(parent_dir(self.cwd), select=self.cwd)

    def action_back(self) -> None:
        flt = self.query_one("#filter", Input)
        if flt.display:
            flt.display = False
            self.filter_text = ""
            self._redraw()
            return
        if self.busy:
            self.jobs.cancel_group("files")
            self.generation += 1  # whatever it would have said is stale now
            self.busy = ""
            self.query_one(ProgressBar).add_class("hidden")
            self._status("Cancelled; " + stats_text(self.stats))
            return
        if self.cwd != "/":
            self.action_up()
        else:
            self.app.pop_screen()

    def action_filter(self) -> None:
        flt = self.query_one("#filter", Input)
        flt.display = True  # inline style: applies now, so focus (and typed keys) land in it
        flt.value = self.filter_text
        flt.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._redraw()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, _: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._redraw()
        self.notify(f"Sorted by {self.sort}", timeout=2)

    def action_copy_path(self) -> None:
        from snaptui.ui import clipboard

        entry = self.highlighted()
        if entry is not None:
            clipboard.copy(self.app, entry.path, shown(entry.path))

    # --- preview --------------------------------------------------------------------------

    def _preview(self, entry: FileEntry) -> None:
        fs = self.fs
        if fs is None:
            return
        if entry.size > PREVIEW_MAX:
            self.notify(f"{fmt.size(entry.size)}: too large to preview; s saves it", timeout=5)
            return

        def work(cancel: threading.Event, gen: int) -> None:
            try:
                data = fs.open(entry.path).read(PREVIEW_MAX)
            except Exception as exc:
                self._failed(gen, exc)
                return

            def show() -> None:
                from snaptui.ui.screens.file_views import PreviewScreen

                self.busy = ""
                self._status(stats_text(self.stats))
                self.app.push_screen(PreviewScreen(entry, data))

            self.post_done(gen, show)

        self._start("preview", work)

    # --- save -----------------------------------------------------------------------------

    def action_save(self) -> None:
        self.saves.start()

    # --- history and diff -----------------------------------------------------------------

    def action_history(self) -> None:
        entry = self.highlighted()
        if entry is not None:
            self.open_history(entry.path)

    def open_history(self, path: str) -> None:
        from snaptui.ui.screens.file_views import HistoryScreen

        self.app.push_screen(HistoryScreen(self.session, self.lineage, path, self.jobs))

    def action_diff(self) -> None:
        from snaptui.ui.screens.file_views import DiffScreen

        older = [s for s in self.lineage if s.start_time < self.snapshot.start_time]
        if not older:
            self.notify("No earlier snapshot of this volume to compare with", severity="warning")
            return
        self.app.push_screen(DiffScreen(self.session, older[0], self.snapshot, self.jobs))
