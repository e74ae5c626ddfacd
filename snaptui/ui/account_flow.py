"""`:accounts`: the run's accounts side by side (ui/screens/accounts.py); choosing another one
ends this app so that the launcher opens that account's (ui/launch.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from snaptui.ui.accounts import AccountFigures
from snaptui.ui.render import status_facts

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp


def open_accounts(app: SnapApp) -> None:
    from snaptui.ui.screens.accounts import AccountsScreen

    book = app.book
    if book is None or (len(book.contexts) < 2 and not book.problems):
        app.notify(
            "One account in this run: start with --profile A --profile B, --all-profiles "
            "or --org-role ROLE to switch between accounts (the demo: --demo --org-role "
            "OrganizationAccountAccessRole)",
            title="Accounts",
            timeout=8,
        )
        return
    app.push_screen(AccountsScreen(book, figures(app)), lambda i: _chosen(app, i))


def announce(app: SnapApp) -> None:
    """On the first account's start: what kept accounts out, once (ListAccounts denied, a
    suspended account), so a missing account is never silent."""
    book = app.book
    if book is None or not book.problems or book.seen:
        return
    app.notify(
        f"{len(book.problems)} problem(s) with the organization's accounts: see :accounts",
        title="Accounts",
        severity="warning",
        timeout=10,
    )


def figures(app: SnapApp) -> AccountFigures:
    """What the status line says now, kept for the accounts screen."""
    facts = status_facts(app.state, app.base_facts, app.clock())
    cost = "cost not finished" if app.state.cost.running else facts.cost
    monthly, exact = None, True
    if app.state.cost.regions and not app.state.cost.running:
        totals = app.state.account_costs().totals()
        monthly, exact = totals.monthly_high, totals.exact
    return AccountFigures(facts.snapshots, cost, facts.problems, monthly, exact)


def _chosen(app: SnapApp, chosen: int | None) -> None:
    book = app.book
    if book is None or chosen is None or chosen == book.current:
        app.release_keys()  # the keys held at the choice go on to the panes
        return
    book.seen[book.current] = figures(app)
    book.switch_to = chosen
    app.exit(0)  # the launcher starts the chosen account's app; no job is waited for
