"""Several accounts in the UI (--org-role on the demo's organization), at 80x24: `:accounts`
lists both side by side, enter opens the other one, whose panes then hold that account's
snapshots as the account itself reports them, and the first account's figures stay listed."""

from __future__ import annotations

from textual import events

from snaptui.aws import accounts
from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.demo.seed import SeedReport
from snaptui.demo.seed_org import ORG_ROLE
from snaptui.demo.server import DemoServer
from snaptui.ui.accounts import AccountBook
from snaptui.ui.app import SnapApp
from snaptui.ui.panels.status import StatusLine
from snaptui.ui.screens.accounts import AccountsScreen
from tests.conftest import NOW
from tests.helpers import member_snapshots, until, wait_loaded
from tests.ui.test_keys_ui import screen_text


def org_book(target: AwsTarget) -> AccountBook:
    targets, problems = accounts.org_targets(AwsContext(target), ORG_ROLE)
    return AccountBook([AwsContext(t) for t in targets], problems)


def _app(book: AccountBook) -> SnapApp:
    ctx = book.contexts[book.current]
    return SnapApp(ctx, endpoint_label="demo 127.0.0.1", clock=lambda: NOW, book=book)


def _row(app: SnapApp, label: str) -> list[str]:
    """The accounts screen's line for ``label``: its words without the frame and the label."""
    (found,) = [ln for ln in screen_text(app).splitlines() if label in ln and "▊" in ln]
    before, _, after = found.partition(label)
    return [w for w in (before + after).split() if w not in "│▊▎"]


async def test_accounts_are_listed_side_by_side_and_enter_opens_the_other(
    demo_server: DemoServer, seeded: SeedReport, demo_target: AwsTarget
) -> None:
    (member,) = seeded.members
    book = org_book(demo_target)
    app = _app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        home = app.query_one(StatusLine).facts
        await pilot.press(":", *"accounts", "enter")  # as one burst, as SSH delivers it
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen))
        assert _row(app, "master (123456789012)") == ["▶", f"{home.snapshots}", "snaps", home.cost]
        assert _row(app, f"demo-dev ({member})") == ["—", "not", "opened", "yet"]
        await pilot.press("down", "enter")
    assert book.switch_to == 1 and book.seen[0].snapshots == home.snapshots

    book.current, book.switch_to = 1, None  # what the launcher does (ui/launch.py)
    app = _app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        facts = app.query_one(StatusLine).facts
        assert facts.profile == f"demo-dev ({member})"
        shown = {s.id for s in app.fleet.snapshots(app.choice)}
        assert shown == member_snapshots(demo_server, member)
        assert facts.snapshots == len(member_snapshots(demo_server, member))
        assert f"demo-dev ({member})" in screen_text(app).splitlines()[-2]
        await pilot.press(":", *"accounts", "enter")
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen))
        assert _row(app, "master (123456789012)") == [f"{home.snapshots}", "snaps", home.cost]
        assert _row(app, f"demo-dev ({member})") == ["▶", f"{facts.snapshots}", "snaps", facts.cost]
        assert "Overall: " in screen_text(app)
        await pilot.press("escape")  # keep this account
        await until(pilot, lambda: not isinstance(app.screen, AccountsScreen))
    assert book.switch_to is None


async def test_one_account_says_how_to_have_several(demo_target: AwsTarget) -> None:
    app = SnapApp(AwsContext(demo_target), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await pilot.press(":", *"accounts", "enter")
        await until(pilot, lambda: any("One account in" in n.message for n in app._notifications))
        assert not isinstance(app.screen, AccountsScreen)


def _burst(app: SnapApp, *names: str) -> None:
    """Keys posted all at once, as Textual's driver does when one read returns several (SSH)."""
    keys = {
        ":": ("colon", ":"),
        "enter": ("enter", "\r"),
        "down": ("down", None),
        "escape": ("escape", "\x1b"),
    }
    for name in names:
        key, char = keys.get(name, (name, name))
        app.post_message(events.Key(key, char))


async def test_a_burst_through_the_accounts_list_opens_the_account_once(
    seeded: SeedReport, demo_target: AwsTarget
) -> None:
    book = org_book(demo_target)
    app = _app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        # `:accounts` ⏎ ↓ ⏎ ⏎ 4 in one read: the prompt takes only "accounts", the list gets
        # ↓ ⏎ (once: the second ⏎ and the 4 must not pop a screen that is gone, or crash).
        _burst(app, ":", *"accounts", "enter", "down", "enter", "enter", "4")
        await until(pilot, lambda: book.switch_to is not None)
        for _ in range(5):
            await pilot.pause()
    assert book.switch_to == 1 and app.return_code == 0


async def test_a_burst_behind_a_view_word_is_not_typed_into_it(demo_target: AwsTarget) -> None:
    app = SnapApp(AwsContext(demo_target), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        app.pane("regions").focus()
        await pilot.pause()
        _burst(app, ":", *"volumes", "enter", "4")  # the view, then the snapshots pane
        await until(pilot, lambda: app.focused is app.pane("snapshots"))
        for _ in range(3):
            await pilot.pause()
        assert not any("Unknown view" in n.message for n in app._notifications)
        assert not app.prompt.is_open and app.focused is app.pane("snapshots")


async def test_a_screen_opened_from_the_prompt_takes_the_keys_typed_behind_it(
    demo_target: AwsTarget,
) -> None:
    app = SnapApp(AwsContext(demo_target), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        _burst(app, ":", *"help", "enter", "escape")  # opened and closed in one burst
        await until(pilot, lambda: len(app.screen_stack) == 1 and not app.holding_keys)
        await pilot.press(":", *"help", "enter")
        await until(pilot, lambda: len(app.screen_stack) == 2)
        await pilot.press("escape")  # a key typed later is never held back
        await until(pilot, lambda: len(app.screen_stack) == 1)
