"""The file browser (f), save with progress and :history, driven by keys at 80x24."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.demo.disk_images import load
from snaptui.ui.app import SnapApp
from snaptui.ui.screens.file_views import HistoryScreen, SaveDialog
from snaptui.ui.screens.files import FilesScreen
from tests.conftest import NOW
from tests.helpers import until, wait_loaded

SIZE = (80, 24)
CONF = "/etc/nginx/nginx.conf"
Snap = Callable[..., bool]


@pytest.fixture
def app(demo_target: AwsTarget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SnapApp:
    # A cache of its own: block counts on the screen must not depend on which tests ran first.
    target = dataclasses.replace(demo_target, cache_root=tmp_path / "cache")
    monkeypatch.chdir(tmp_path)
    return SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)


def newest_web1(app: SnapApp) -> str:
    vol = next(v for v in app.fleet.volumes_by_id.values() if v.name == "web-1-root")
    snaps = [s for s in app.fleet.snapshots_by_volume[vol.id] if s.name == "web-1-root-daily"]
    return max(snaps, key=lambda s: s.start_time).id


def table_names(screen: Any) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(n)[0]) for n in range(table.row_count)]


async def open_browser(pilot: Pilot[Any]) -> FilesScreen:
    app: SnapApp = pilot.app  # type: ignore[assignment]
    await wait_loaded(pilot)
    await pilot.press("4")
    assert app.pane("snapshots").move_cursor_to_key(newest_web1(app))
    await pilot.press("f")
    screen = app.screen
    assert isinstance(screen, FilesScreen)
    await until(pilot, lambda: bool(table_names(screen)) and not screen.busy, timeout=30)
    return screen


async def test_browse_filter_and_save_nginx_conf(app: SnapApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        assert table_names(screen)[0] == "etc/"
        await pilot.press("enter")
        await until(pilot, lambda: screen.cwd == "/etc" and not screen.busy)
        await pilot.press("slash", *"ngin", "enter")  # a burst, as SSH delivers it
        assert table_names(screen) == ["nginx/"]
        await pilot.press("enter")
        await until(pilot, lambda: screen.cwd == "/etc/nginx" and not screen.busy)
        names = table_names(screen)
        await pilot.press(*["down"] * names.index("nginx.conf"))
        blocks_before = screen.stats.get_calls
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SaveDialog))
        dest = tmp_path / "restored"
        dest.mkdir()
        app.screen.query_one("#dest", Input).value = str(dest)
        await pilot.press("enter")
        await until(pilot, lambda: (dest / "nginx.conf").exists() and not screen.busy)
        expected = load("web-root").manifest[13][CONF]["sha256"]
        assert hashlib.sha256((dest / "nginx.conf").read_bytes()).hexdigest() == expected
        status = str(screen.query_one("#status", Static).render())
        assert "Saved 1 files" in status and "blocks read" in status and "API $" in status
        assert screen.stats.get_calls - blocks_before <= 4  # the file's data: a handful
        # Saving again asks before overwriting; refusing leaves the file alone.
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SaveDialog))
        app.screen.query_one("#dest", Input).value = str(dest)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                "Overwrite" in str(app.screen.__class__.__name__)
                or app.screen.__class__.__name__ == "ConfirmScreen"
            ),
        )
        await pilot.press("escape")
        # esc walks back up, then closes the browser.
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("escape")
        await until(pilot, lambda: screen.cwd == "/etc" and not screen.busy)


async def test_history_command_shows_the_versions(app: SnapApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4")
        assert app.pane("snapshots").move_cursor_to_key(newest_web1(app))
        await pilot.press("colon", *"history /etc/nginx/nginx.conf", "enter")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await until(pilot, lambda: not screen.running, timeout=60)
        table = screen.query_one(DataTable)
        labels = [str(table.get_row_at(n)[2]) for n in range(table.row_count)]
        daily = [lab for lab in labels if lab.startswith("v")]
        assert set(daily) == {"v1", "v2", "v3"}
        assert labels.index("v3") < labels.index("v2") < labels.index("v1")  # newest first
        # From there, save that version: the oldest one, as its snapshot holds it.
        oldest = labels.index("v1")
        await pilot.press(*["down"] * oldest, "s")
        await until(pilot, lambda: isinstance(app.screen, SaveDialog))
        await pilot.press("enter")  # into the current directory, the default
        saved = tmp_path / "nginx.conf"
        await until(pilot, lambda: saved.exists(), timeout=30)
        digest = hashlib.sha256(saved.read_bytes()).hexdigest()
        assert digest == screen.rows[oldest].sha256 != screen.rows[0].sha256
        manifests = load("web-root").manifest
        assert digest in {m[CONF]["sha256"] for m in manifests if CONF in m}


def browser_at(*path_keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        screen = await open_browser(pilot)
        for key in path_keys:
            await pilot.press(key)
            await until(pilot, lambda: not screen.busy)
        await pilot.pause()

    return run


def test_browser_svg(snap_compare: Snap, app: SnapApp) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=browser_at("enter"))


def test_history_svg(snap_compare: Snap, app: SnapApp) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await wait_loaded(pilot)
        await pilot.press("4")
        app.pane("snapshots").move_cursor_to_key(newest_web1(app))
        await pilot.press("colon", *"history /etc/nginx/conf.d/legacy.conf", "enter")
        screen = app.screen
        await until(pilot, lambda: not getattr(screen, "running", True), timeout=60)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run)
