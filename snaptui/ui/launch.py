"""Start the Textual app on a context the CLI made (flags, profile and demo already settled)."""

from __future__ import annotations

import logging

from snaptui.aws.session import AwsContext


def run(_options: object, ctx: AwsContext, endpoint_label: str = "") -> int:
    """The CLI's handler for `snaptui` without a subcommand."""
    return run_app(ctx, endpoint_label=endpoint_label)


def run_app(ctx: AwsContext, *, endpoint_label: str = "") -> int:
    # Anything that logs to stderr would scribble over the UI (werkzeug does, per request).
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from snaptui.ui.app import SnapApp

    app = SnapApp(ctx, endpoint_label=endpoint_label)
    result = app.run()
    return int(result or 0)
