"""What a person types lands where they see it: prompts, bursts, forms (issue 10).

Keys are posted the way the terminal driver posts them, all at once with no pause between
them (as SSH delivers a typed word), and the screen is read back: the prompt's line, the
focused field's text, what the checkbox says.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select

from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.ui.app import SnapApp
from snaptui.ui.dialogs.form import FormScreen, TickBox
from snaptui.ui.panels.detail import DetailPanel
from snaptui.ui.prompt import PromptBar
from tests.conftest import NOW
from tests.helpers import until, wait_loaded

SIZE = (80, 24)


def make_app(target: AwsTarget) -> SnapApp:
    return SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)


def burst(app: SnapApp, keys: str | list[str]) -> None:
    """Post keys back to back, as the driver does when a word arrives in one read."""
    for key in keys:
        char = key if len(key) == 1 else None
        name = {"/": "slash", ":": "colon", "-": "minus", " ": "space", "[": "left_square_bracket"}
        app.post_message(events.Key(name.get(key, key), char))


def screen_text(app: SnapApp) -> str:
    """The screen as the user sees it: every line the terminal is sent, as text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()


def prompt_line(app: SnapApp) -> str:
    bar = app.query_one(PromptBar)
    assert bar.is_open and bar.region.height == 1, "the prompt line is not on screen"
    return screen_text(app).split("\n")[bar.region.y]


async def test_slash_burst_lands_in_the_prompt(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        detail_hidden = app.query_one(DetailPanel).has_class("hidden")
        burst(app, "/db-1")
        await settle(pilot)
        assert app.query_one("#prompt", Input).value == "db-1"
        line = prompt_line(app)
        assert "filter snapshots" in line and "db-1" in line, line
        # None of the keys ran as a command: d did not toggle the detail, 1 did not jump.
        assert app.query_one(DetailPanel).has_class("hidden") == detail_hidden
        assert app.pane("snapshots").filter_text == "db-1"
        await pilot.press("enter")
        assert not app.query_one(PromptBar).is_open
        assert app.focused is app.pane("snapshots")


async def test_a_pane_key_and_slash_in_one_burst_filter_that_pane(demo_target: AwsTarget) -> None:
    # Over SSH "3/" arrives in one read: the pane focus that 3 asks for must not land after
    # the prompt opened, or the next word goes to the pane as commands (x deletes, s sorts).
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        for pane_key, pane in (("3", "volumes"), ("4", "snapshots")):
            burst(app, pane_key + "/")
            await settle(pilot)
            burst(app, "xsc")
            await settle(pilot)
            assert app.query_one("#prompt", Input).value == "xsc"
            assert f"filter {pane}" in prompt_line(app)
            assert app.screen is app.screen_stack[0]  # no delete dialog, no cost review
            await pilot.press("escape")


async def test_markup_typed_into_the_prompts_is_just_text(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        burst(app, ["/", "[", "/"])
        await settle(pilot)
        assert app.pane("snapshots").filter_text == "[/"
        assert "/[/" in screen_text(app) or "[/" in prompt_line(app)
        await pilot.press("escape")
        burst(app, [":", "[", "/", "enter"])
        await settle(pilot)
        assert app.is_running
        assert any("Views:" in n.message for n in app._notifications)


async def test_colon_completes_view_names_and_lists_them(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        burst(app, ":co")
        await settle(pilot)
        assert "view" in prompt_line(app) and "co" in prompt_line(app)
        await pilot.press("tab")
        assert app.query_one("#prompt", Input).value == "cost"
        await pilot.press("escape")
        burst(app, [":", *"nope", "enter"])
        await settle(pilot)
        unknown = [n.message for n in app._notifications if "Unknown view" in n.message]
        assert unknown and all(w in unknown[-1] for w in ("snapshots", "cost", "restores"))


async def open_create_snapshot(pilot: Pilot[Any], app: SnapApp, typed: str) -> FormScreen:
    await pilot.press("3")
    volumes = app.pane("volumes")
    assert volumes.move_cursor_to_key(next(v.id for v in app.fleet.volumes_by_id.values()))
    burst(app, ["n", *typed])
    await until(pilot, lambda: isinstance(app.screen, FormScreen), timeout=20)
    await until(pilot, lambda: not app.holding_keys)
    assert isinstance(app.screen, FormScreen)
    return app.screen


async def test_keys_typed_behind_n_land_in_the_first_field(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        form = await open_create_snapshot(pilot, app, "typed-at-once")
        description = form.query_one("#f-description", Input)
        assert app.focused is description
        assert description.value.endswith("typed-at-once")
        burst(app, ["tab", *"typed-after-tab"])
        await settle(pilot)
        name = form.query_one("#f-name", Input)
        assert app.focused is name
        # Tab did not select the default: the typed text is added to it, not replacing it.
        assert name.value.endswith("typed-after-tab") and len(name.value) > len("typed-after-tab")
        assert name.value.endswith(" typed-after-tab")  # a word after the name, not glued on
        text = screen_text(app)
        assert "typed-at-once" in text and "typed-after-tab" in text
        # Every field is one line: the focused one is as tall as the others.
        assert description.region.height == name.region.height == 1


async def test_enter_moves_on_and_checkboxes_say_their_state(demo_target: AwsTarget) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        form = await open_create_snapshot(pilot, app, "")
        await pilot.press("enter", "enter", "enter")  # description → name → tags → checkbox
        box = form.query_one("#f-copy_tags", TickBox)
        assert app.focused is box and isinstance(app.screen, FormScreen), "enter submitted"
        assert "[x] Copy the volume's tags" in screen_text(app)
        await pilot.press("space")
        assert box.value is False
        assert "[ ] Copy the volume's tags" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, FormScreen)


async def test_buttons_stay_on_screen_in_the_longest_form_at_80x24(
    demo_target: AwsTarget,
) -> None:
    app = make_app(demo_target)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4")
        await pilot.press("L")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), timeout=20)
        form = app.screen
        submit = form.query_one("#submit")
        assert 0 <= submit.region.y < SIZE[1] and submit.region.height >= 1
        fields = list(form.query(Input)) + list(form.query(Select))
        assert fields and app.focused is form.query_one("#f-type")
        for _ in range(len(fields) + 2):
            await pilot.press("tab")
            focused = app.focused
            assert focused is not None
            # Whatever has the focus is scrolled into view and fully visible.
            assert 0 <= focused.region.y < SIZE[1] and focused.region.height >= 1
