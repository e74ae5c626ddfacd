"""`s` in the file browser: count what a save reads, ask where, confirm an overwrite, save.

The browser's save flow, run through its one job slot (FilesScreen._start) so that esc
cancels it like any read; progress and the outcome are shown on the browser's status line.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import ProgressBar

from snaptui.aws.snapshot_device import BLOCK_BYTES, block_cost_usd
from snaptui.core import fmt
from snaptui.files.fs import FileEntry, shown
from snaptui.files.save import SaveCancelled, SaveReport, exists_at, plan_bytes, save
from snaptui.ui.screens.file_listing import stats_text

if TYPE_CHECKING:
    from snaptui.ui.screens.files import FilesScreen

LARGE_SAVE_BLOCKS = 200  # above this, say what a save reads and costs before starting


class SaveFlow:
    """One browser's saves; ``start`` is the `s` key."""

    def __init__(self, screen: FilesScreen) -> None:
        self.screen = screen

    def start(self) -> None:
        screen = self.screen
        entry = screen.highlighted()
        fs = screen.fs
        if entry is None or fs is None or screen.busy:
            return

        def work(cancel: threading.Event, gen: int) -> None:
            try:
                files, data = plan_bytes(fs, entry.path)
            except Exception as exc:
                screen._failed(gen, exc)
                return
            screen.post_done(gen, lambda: self._ask(entry, files, data))

        screen._start("plan", work)
        screen._status("Counting what the save reads…")

    def _ask(self, entry: FileEntry, files: int, data: int) -> None:
        from snaptui.ui.screens.file_views import SaveDialog

        screen = self.screen
        screen.busy = ""
        blocks = -(-data // BLOCK_BYTES)
        plan = (
            f"{files} file{'s' if files != 1 else ''}, {fmt.size(data)}: at most {blocks} "
            f"blocks (≈${block_cost_usd(blocks):.4f})"
        )
        large = blocks > LARGE_SAVE_BLOCKS

        def chosen(dest: str | None) -> None:
            if not dest:
                return
            if not Path(dest).is_dir():
                screen.notify(f"{dest}: not a directory", severity="error")
                return
            if exists_at(dest, entry):
                from snaptui.ui.dialogs.confirm import ConfirmScreen

                body = Text(f"{shown(entry.name)} exists in {dest}. Replace it?")
                screen.app.push_screen(
                    ConfirmScreen("Overwrite?", body, confirm_label="Overwrite"),
                    lambda yes: self._save(entry, dest, overwrite=True) if yes else None,
                )
            else:
                self._save(entry, dest, overwrite=False)

        screen.app.push_screen(SaveDialog(entry, screen.save_dir, plan, large), chosen)

    def _save(self, entry: FileEntry, dest: str, *, overwrite: bool) -> None:
        screen = self.screen
        fs = screen.fs
        if fs is None:
            return
        screen.save_dir = dest
        bar = screen.query_one(ProgressBar)
        bar.remove_class("hidden")
        bar.update(total=max(1, entry.size if entry.kind == "file" else 0) or None, progress=0)
        started = time.monotonic()
        last = [0.0]
        gen = screen.generation + 1  # the generation _start gives this job

        def progress(report: SaveReport) -> None:
            now = time.monotonic()
            if now - last[0] > 0.1:
                last[0] = now
                screen.post_done(gen, lambda: self._progress(report.bytes_written, started))

        def work(cancel: threading.Event, gen: int) -> None:
            try:
                report = save(
                    fs, entry.path, dest, overwrite=overwrite, progress=progress, cancel=cancel
                )
            except (SaveCancelled, Exception) as exc:
                if not isinstance(exc, SaveCancelled):
                    screen._failed(gen, exc)
                return
            screen.post_done(gen, lambda: self._saved(report, dest, started))

        screen._start("save", work)

    def _progress(self, written: int, started: float) -> None:
        screen = self.screen
        screen.query_one(ProgressBar).update(progress=written)
        screen._status(f"Saving: {fmt.size(written)} · {stats_text(screen.stats, started)}")

    def _saved(self, report: SaveReport, dest: str, started: float) -> None:
        screen = self.screen
        screen.busy = ""
        bar = screen.query_one(ProgressBar)
        bar.update(total=1, progress=1)
        bar.add_class("hidden")
        text = (
            f"Saved {report.files} files ({fmt.size(report.bytes_written)}) to {dest} · "
            f"{stats_text(screen.stats, started)}"
        )
        problems = report.failed + report.skipped
        if problems:
            text += f" · {len(problems)} not saved: {shown(problems[0][0])}: {problems[0][1]}"
        screen._status(Text(text, style="yellow" if problems else "green"))
        screen.notify(
            text, title="Saved", severity="warning" if problems else "information", timeout=8
        )
