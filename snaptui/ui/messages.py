"""What workers tell the app: typed messages, each carrying the load it belongs to.

Worker threads post these to the app (``post_message`` is thread-safe); the app's ``@on``
handlers apply them to ``AppState``, which drops the stale ones (see ui/state.py for the
generation / ticket / run keys). Nothing here touches a widget.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message

from snaptui.aws.imds import HostInstance
from snaptui.cost.report import PriceBook, RegionCosts
from snaptui.models import Problem, RecoveryPoint, RegionInventory, SharedWith


class RegionsKnown(Message):
    """The load's regions are resolved (``problem`` when listing them failed)."""

    def __init__(self, generation: int, names: list[str], problem: Problem | None) -> None:
        super().__init__()
        self.generation = generation
        self.names = names
        self.problem = problem


class RegionLoaded(Message):
    """A region's inventory. ``final=False``: a partial one (pages so far), more to come.

    A partial inventory holds everything fetched so far for the region, so the app can
    replace what it shows; the last message for a fetch has ``final=True``.
    """

    def __init__(
        self, generation: int, ticket: int, inventory: RegionInventory, final: bool = True
    ) -> None:
        super().__init__()
        self.generation = generation
        self.ticket = ticket
        self.inventory = inventory
        self.final = final


class LoadFinished(Message):
    """Every region of the load has answered."""

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class CostProgress(Message):
    """Edges settled in one region so far. A newer one replaces an unhandled older one."""

    def __init__(self, run: int, ticket: int, region: str, done: int, total: int) -> None:
        super().__init__()
        self.run = run
        self.ticket = ticket
        self.region = region
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return (
            isinstance(message, CostProgress)
            and message.run == self.run
            and message.region == self.region
        )


class CostRegionDone(Message):
    """One region's cost figures, computed on the inventory with ``ticket``."""

    def __init__(self, run: int, ticket: int, costs: RegionCosts) -> None:
        super().__init__()
        self.run = run
        self.ticket = ticket
        self.costs = costs


class CostFinished(Message):
    """A cost run is over (its regions came as CostRegionDone); the account's notes."""

    def __init__(self, run: int, notes: list[str]) -> None:
        super().__init__()
        self.run = run
        self.notes = notes


class CostFailed(Message):
    def __init__(self, run: int, problem: Problem) -> None:
        super().__init__()
        self.run = run
        self.problem = problem


class PricesFetched(Message):
    """`:prices` answered: the price book to use, and why it is not the live one if so."""

    def __init__(self, book: PriceBook, notes: list[str]) -> None:
        super().__init__()
        self.book = book
        self.notes = notes


class ActionDone(Message):
    """An action changed these regions: reload just them (and their costs)."""

    def __init__(self, regions: list[str]) -> None:
        super().__init__()
        self.regions = regions


class Notice(Message):
    """Something a job wants the user to read (e.g. how a copy reached the clipboard)."""

    def __init__(self, text: str, *, title: str = "", error: bool = False) -> None:
        super().__init__()
        self.text = text
        self.title = title
        self.error = error


class JobFailed(Message):
    """A job raised outside its own error handling (a bug); ``generation`` of its load."""

    def __init__(self, name: str, problem: Problem, generation: int | None = None) -> None:
        super().__init__()
        self.name = name
        self.problem = problem
        self.generation = generation


class HostFound(Message):
    """The EC2 instance snaptui runs on, if any (the restore flow offers it first)."""

    def __init__(self, host: HostInstance | None) -> None:
        super().__init__()
        self.host = host


class SnapshotLookupRead(Message):
    """One per-snapshot lookup's answer (ui/lookups.py), for the region ticket it was asked in."""

    def __init__(self, generation: int, ticket: int, region: str, answer: Any) -> None:
        super().__init__()
        self.generation = generation
        self.ticket = ticket
        self.region = region
        self.answer = answer
        self.snapshot_id: str = answer.snapshot_id


class SharingRead(SnapshotLookupRead):
    """Who a snapshot is shared with, as DescribeSnapshotAttribute said (or why it did not)."""

    answer: SharedWith


class RecoveryPointRead(SnapshotLookupRead):
    """AWS Backup's recovery point of a snapshot (plan, vault, deletion), or why not known."""

    answer: RecoveryPoint
