"""Rows painted from the on-disk cache are shown, never acted on until AWS confirms them.

An action asked for on a row whose region still shows cached data first re-describes that
row (and every marked row) by ID in a job. Rows AWS still knows replace their cached copies,
and the action then runs on them; rows that are gone are dropped from the screen and named,
and the action does not run.
"""

from __future__ import annotations

import threading
from typing import Any

from textual.message import Message

from snaptui.aws import lookup
from snaptui.aws.calls import ActionError
from snaptui.aws.session import AwsContext
from snaptui.models import Instance, Problem, Snapshot, Volume
from snaptui.ui.jobs import Jobs
from snaptui.ui.state import AppState
from snaptui.ui.vtable import VirtualTable

Row = Snapshot | Volume | Instance
_KIND = {Snapshot: "snapshots", Volume: "volumes", Instance: "instances"}


class RowsConfirmed(Message):
    """The re-described rows of an action on cached data: fresh copies, and IDs now gone."""

    def __init__(
        self, action: str, fresh: list[Row], gone: list[str], problem: Problem | None
    ) -> None:
        super().__init__()
        self.action = action
        self.fresh = fresh
        self.gone = gone
        self.problem = problem


def cached_targets(state: AppState, pane: VirtualTable[Any] | None) -> list[Row]:
    """The rows an action would act on that come from the cache and are not confirmed yet."""
    if pane is None:
        return []
    rows = list(pane.marked_rows()) or [pane.cursor_row]
    return [
        r
        for r in rows
        if isinstance(r, Snapshot | Volume | Instance)
        and (inv := state.inventories.get(r.region)) is not None
        and inv.cached
        and r.id not in state.confirmed
    ]


def _describe(ctx: AwsContext, row: Row) -> Row:
    if isinstance(row, Snapshot):
        return lookup.snapshot(ctx, row.region, row.id)
    if isinstance(row, Volume):
        return lookup.volume(ctx, row.region, row.id)
    return lookup.instance(ctx, row.region, row.id)


def confirm(ctx: AwsContext, jobs: Jobs, action: str, rows: list[Row]) -> None:
    """Re-describe ``rows`` in a job; posts RowsConfirmed."""

    def work(cancel: threading.Event) -> None:
        fresh: list[Row] = []
        gone: list[str] = []
        for row in rows:
            if cancel.is_set():
                return
            try:
                fresh.append(_describe(ctx, row))
            except ActionError as exc:
                if exc.fields:  # "unknown snapshot ... in region": it is gone
                    gone.append(row.id)
                else:  # AWS did not answer: act on nothing
                    jobs.post(RowsConfirmed(action, [], [], exc.problem))
                    return
        jobs.post(RowsConfirmed(action, fresh, gone, None))

    jobs.start(f"confirm {action}", work, group="confirm", exclusive=True)


def apply(state: AppState, fresh: list[Row], gone: list[str]) -> None:
    """Swap confirmed rows into their cached inventories and drop the gone ones."""
    by_id = {r.id: r for r in fresh}
    dropped = set(gone)
    for row in fresh:
        state.confirmed.add(row.id)
    for inv in state.inventories.values():
        if not inv.cached:
            continue
        for kind in _KIND.values():
            rows: list[Any] = getattr(inv, kind)
            if any(r.id in by_id or r.id in dropped for r in rows):
                setattr(inv, kind, [by_id.get(r.id, r) for r in rows if r.id not in dropped])
    state.rebuild_fleet()
