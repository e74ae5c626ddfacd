"""What the file browser lists: a directory's rows, their filter and sort, and the read figures.

Also the message a browser job reports back with (Done, stamped with the load generation it
belongs to). Names from the snapshot are data: rows carry them as rich Text, never markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.message import Message

from snaptui.aws.snapshot_device import ReadStats
from snaptui.core import fmt
from snaptui.files.fs import FileEntry, shown

SORTS = ("name", "size", "mtime")


class Done(Message):
    """A job's result for the UI thread: ``apply`` runs there, unless the load is stale."""

    def __init__(self, generation: int, apply: Callable[[], None]) -> None:
        super().__init__()
        self.generation = generation
        self.apply = apply


def stats_text(stats: ReadStats, started: float | None = None) -> str:
    elapsed = f" · {time.monotonic() - started:.1f}s" if started is not None else ""
    return (
        f"{stats.get_calls} blocks read ({fmt.size(stats.bytes_fetched)}) · "
        f"API ${stats.cost_usd:.5f}{elapsed}"
    )


def entry_row(e: FileEntry) -> tuple[Text, Text, str, str, str]:
    name = Text(shown(e.name) + ("/" if e.kind == "dir" else ""))
    if e.kind == "dir":
        name.stylize("bold blue")
    if e.kind == "symlink":
        name.append(" → " + shown(e.target), style="cyan")
    size = Text("" if e.kind == "dir" else fmt.size(e.size), justify="right")
    return name, size, e.mode_text, f"{e.uid}:{e.gid}", f"{e.mtime:%Y-%m-%d %H:%M}"


def visible(entries: list[FileEntry], filter_text: str, sort: str) -> list[FileEntry]:
    """The entries whose name holds the filter (any case), in the chosen order."""
    needle = filter_text.lower()
    shown_entries = [e for e in entries if needle in e.name.lower()]
    key: Callable[[FileEntry], Any] = {
        "name": lambda e: (e.kind != "dir", e.name),
        "size": lambda e: (-e.size, e.name),
        "mtime": lambda e: (-e.mtime.timestamp(), e.name),
    }[sort]
    return sorted(shown_entries, key=key)
