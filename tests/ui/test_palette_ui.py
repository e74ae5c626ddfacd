"""The command palette (ctrl+p) offers every `:` view and every key's action by name, and
running one does what its key or view does."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from snaptui.aws.session import AwsTarget
from snaptui.ui.cost_view import CostScreen
from tests.helpers import until, wait_loaded
from tests.ui.test_keys_ui import make_app, screen_text, settle


async def _palette_shows(pilot: Pilot[Any], query: str) -> str:
    app = pilot.app
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*query)
    await until(pilot, lambda: query in screen_text(app))  # type: ignore[arg-type]
    for _ in range(10):  # the palette's search runs in the background
        await pilot.pause(0.05)
    return screen_text(app)  # type: ignore[arg-type]


async def test_the_palette_offers_views_and_actions(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        text = await _palette_shows(pilot, "restore")
        assert "Restore" in text and "key R" in text  # the action, with its key
        assert "View: restores" in text  # and the view
        await pilot.press("escape")
        await settle(pilot)
        text = await _palette_shows(pilot, "cost")
        assert "View: cost" in text
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CostScreen))
