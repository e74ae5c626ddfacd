"""Start the Textual app on a context the CLI made (flags, profile and demo already settled)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from snaptui.aws.session import AwsContext
from snaptui.models import Problem

if TYPE_CHECKING:
    from snaptui.ui.accounts import AccountBook


def run(use_cache: object, ctx: AwsContext, endpoint_label: str = "") -> int:
    """The CLI's handler for `snaptui` without a subcommand (options: use the cache)."""
    return run_app(ctx, endpoint_label=endpoint_label, use_cache=bool(use_cache))


def run_app(
    ctx: AwsContext,
    *,
    endpoint_label: str = "",
    use_cache: bool = True,
    book: AccountBook | None = None,
) -> int:
    # Anything that logs to stderr would scribble over the UI (werkzeug does, per request).
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from snaptui.ui.app import SnapApp

    app = SnapApp(ctx, endpoint_label=endpoint_label, use_cache=use_cache, book=book)
    result = app.run()
    return int(app.return_code or result or 0)


def run_accounts(
    use_cache: object, contexts: list[AwsContext], problems: list[Problem], endpoint_label: str = ""
) -> int:
    """The UI over several accounts: one app per account opened, `:accounts` switches."""
    from snaptui.ui.accounts import AccountBook

    book = AccountBook(contexts, problems)
    while True:
        book.switch_to = None
        ctx = book.contexts[book.current]
        code = run_app(ctx, endpoint_label=endpoint_label, use_cache=bool(use_cache), book=book)
        if book.switch_to is None or code:  # quit, or the app failed: stop here
            return code
        book.current = book.switch_to
