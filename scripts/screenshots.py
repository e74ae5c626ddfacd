"""Regenerate screenshots/*.svg from the demo world: `python scripts/screenshots.py`.

Runs the real app headless against the seeded moto server at fixed sizes, drives it with
the same keys a person would press, and saves what the screen shows.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.demo.start import start_seeded_demo
from snaptui.ui.accounts import AccountBook
from snaptui.ui.app import SnapApp
from snaptui.ui.panels.status import StatusLine

OUT = Path(__file__).resolve().parent.parent / "screenshots"

Steps = Callable[[Pilot[int]], Awaitable[None]]


async def _loaded(pilot: Pilot[int]) -> None:
    app = pilot.app
    assert isinstance(app, SnapApp)
    for _ in range(800):  # loaded, then the cost figures (as tests/helpers.wait_loaded)
        await pilot.pause(0.05)
        if not app.query_one(StatusLine).facts.loading and not app.cost_running:
            break
    await pilot.pause(0.2)


async def main_screen(pilot: Pilot[int]) -> None:
    await pilot.press("down")


async def drilled(pilot: Pilot[int]) -> None:
    await pilot.press("1", "down", "enter", "down", "enter", "down", "enter", "down")


async def help_screen(pilot: Pilot[int]) -> None:
    await pilot.press("question_mark")


async def filtered(pilot: Pilot[int]) -> None:
    await pilot.press("slash", *"before", "enter")


async def cost_review(pilot: Pilot[int]) -> None:
    await pilot.press("c")


async def public_snapshot(pilot: Pilot[int]) -> None:
    await pilot.press("4", "slash", *"schema migration", "enter")


async def locked_copy(pilot: Pilot[int]) -> None:
    await pilot.press("4", "slash", *"db-1-dr", "enter", "G")


async def accounts_screen(pilot: Pilot[int]) -> None:
    await pilot.press(":", *"accounts", "enter")  # the demo Organization's two accounts


def _org_book(target: AwsTarget) -> AccountBook:
    from snaptui.aws.accounts import org_targets
    from snaptui.demo.seed_org import ORG_ROLE

    targets, problems = org_targets(AwsContext(target), ORG_ROLE)
    return AccountBook([AwsContext(t) for t in targets], problems)


async def restore_flow(pilot: Pilot[int]) -> None:
    from snaptui.ui.dialogs.task import TaskScreen

    await pilot.press("4", "R")
    await pilot.pause(0.2)
    await pilot.press("ctrl+s")
    for _ in range(400):
        screen = pilot.app.screen
        if isinstance(screen, TaskScreen) and screen.done:
            break
        await pilot.pause(0.05)


SHOTS: dict[str, tuple[tuple[int, int], Steps]] = {
    "main": ((120, 36), main_screen),
    "main-80x24": ((80, 24), main_screen),
    "drill-down": ((120, 36), drilled),
    "filter": ((120, 36), filtered),
    "help": ((100, 30), help_screen),
    "cost": ((100, 30), cost_review),
    "public-80x24": ((80, 24), public_snapshot),
    "locked-copy-80x24": ((80, 24), locked_copy),
    "accounts-80x24": ((80, 24), accounts_screen),
    "restore": ((100, 34), restore_flow),  # last: it changes the world
}


async def shoot(endpoint_target: AwsTarget, name: str, size: tuple[int, int], steps: Steps) -> None:
    book = _org_book(endpoint_target) if steps is accounts_screen else None
    ctx = book.contexts[0] if book is not None else AwsContext(endpoint_target)
    app = SnapApp(ctx, endpoint_label="demo", book=book)
    async with app.run_test(size=size) as pilot:
        await _loaded(pilot)
        await steps(pilot)
        await pilot.pause(0.3)
        app.save_screenshot(filename=f"{name}.svg", path=str(OUT))
    print(f"wrote screenshots/{name}.svg")


def main() -> int:
    OUT.mkdir(exist_ok=True)
    server = start_seeded_demo()
    try:
        target = server.target()
        for name, (size, steps) in SHOTS.items():
            asyncio.run(shoot(target, name, size, steps))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
