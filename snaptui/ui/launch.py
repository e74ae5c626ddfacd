"""Start the Textual app on a context the CLI made (flags, profile and demo already settled)."""

from __future__ import annotations

import logging

from snaptui.aws.session import AwsContext
from snaptui.models import Problem


def run(use_cache: object, ctx: AwsContext, endpoint_label: str = "") -> int:
    """The CLI's handler for `snaptui` without a subcommand (options: use the cache)."""
    return run_app(ctx, endpoint_label=endpoint_label, use_cache=bool(use_cache))


def run_app(ctx: AwsContext, *, endpoint_label: str = "", use_cache: bool = True) -> int:
    # Anything that logs to stderr would scribble over the UI (werkzeug does, per request).
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from snaptui.ui.app import SnapApp

    app = SnapApp(ctx, endpoint_label=endpoint_label, use_cache=use_cache)
    result = app.run()
    return int(result or 0)


def run_accounts(
    use_cache: object, contexts: list[AwsContext], problems: list[Problem], endpoint_label: str = ""
) -> int:
    """The UI over several accounts: one app per account opened, `:accounts` switches."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from snaptui.ui.accounts import AccountBook
    from snaptui.ui.app import SnapApp

    book = AccountBook(contexts, problems)
    while True:
        book.switch_to = None
        app = SnapApp(
            book.contexts[book.current],
            endpoint_label=endpoint_label,
            use_cache=bool(use_cache),
            book=book,
        )
        result = app.run()
        if book.switch_to is None or app.return_code:  # quit, or the app failed: stop here
            return int(app.return_code or result or 0)
        book.current = book.switch_to
