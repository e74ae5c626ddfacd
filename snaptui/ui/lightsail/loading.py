"""The Lightsail view's loading job and its messages (stamped with the load generation)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from textual.message import Message

from snaptui.aws.errors import problem_from
from snaptui.aws.lightsail import inventory
from snaptui.aws.lightsail.models import LsRegionInventory
from snaptui.aws.session import AwsContext
from snaptui.core.clock import Clock
from snaptui.models import Problem


class LsRegionsKnown(Message):
    def __init__(self, generation: int, regions: list[str], problems: list[Problem]) -> None:
        super().__init__()
        self.generation, self.regions, self.problems = generation, regions, problems


class LsRegionLoaded(Message):
    def __init__(self, generation: int, inv: LsRegionInventory) -> None:
        super().__init__()
        self.generation, self.inv = generation, inv


def load_work(
    ctx: AwsContext,
    generation: int,
    post: Callable[[Message], None],
    clock: Clock,
    only: str = "",
) -> Callable[[threading.Event], None]:
    """A job: the regions (or just ``only``), then each region's inventory as it answers."""

    def work(cancel: threading.Event) -> None:
        problems: list[Problem] = []
        if only:
            regions = [only]
        else:
            try:
                regions, problems = inventory.lightsail_regions(ctx)
            except Exception as exc:  # the reason goes on the status line, never a traceback
                regions, problems = [], [problem_from(exc)]
            post(LsRegionsKnown(generation, regions, problems))
        if cancel.is_set():
            return
        inventory.fetch_all(
            ctx, regions, clock=clock, on_region=lambda inv: post(LsRegionLoaded(generation, inv))
        )

    return work


def poster(target: object) -> Callable[[Message], None]:
    """post_message from a worker thread; dropped quietly once the screen has gone."""

    def post(message: Message) -> None:
        with contextlib.suppress(RuntimeError):
            target.post_message(message)  # type: ignore[attr-defined]

    return post
