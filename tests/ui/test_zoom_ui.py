"""`z` zooms the focused pane to the whole width and height of the main area, from either
column, and `z` again brings the layout back."""

from __future__ import annotations

import pytest

from snaptui.aws.session import AwsTarget
from tests.helpers import wait_loaded
from tests.ui.test_keys_ui import make_app, screen_text, settle


@pytest.mark.parametrize(("key", "pane", "title"), [("4", "snapshots", "4 Snapshots"),
                                                     ("1", "regions", "1 Regions")])  # fmt: skip
async def test_zoom_uses_the_whole_width(
    demo_target: AwsTarget, key: str, pane: str, title: str
) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await pilot.press(key, "z")
        await settle(pilot)
        region = app.pane(pane).region
        assert (region.x, region.width) == (0, 80)
        top = screen_text(app).splitlines()[0]
        assert top.startswith(f"╭─ {title}") and top.endswith("╮") and len(top) == 80
        await pilot.press("z")
        await settle(pilot)
        assert app.pane(pane).region.width < 80
