"""Start the Textual app from parsed CLI args.

Everything that can be wrong with the flags or the profile is reported here, on stderr with
exit code 2, before the UI takes over the terminal.
"""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import ExitStack

from botocore.exceptions import ProfileNotFound

from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.common_args import UsageError, fail_usage, target_from_args


def run_ui(args: argparse.Namespace) -> int:
    try:
        target = target_from_args(args)
    except UsageError as exc:
        return fail_usage(str(exc))
    with ExitStack() as stack:
        label = target.effective_endpoint or ""
        if getattr(args, "demo", False):
            if target.endpoint_url:
                return fail_usage("--demo and --endpoint-url exclude each other")
            from snaptui.demo.start import start_seeded_demo

            print("snaptui: starting the demo world on 127.0.0.1…", file=sys.stderr)
            server = start_seeded_demo()
            stack.callback(server.stop)
            target = server.target(read_only=target.read_only, regions=target.regions)
            label = f"demo {server.endpoint_url}"
        use_cache = not getattr(args, "no_cache", False)
        return run_ui_with_target(target, endpoint_label=label, use_cache=use_cache)
    return 0  # pragma: no cover - ExitStack never swallows


def run_ui_with_target(
    target: AwsTarget, *, endpoint_label: str = "", use_cache: bool = True
) -> int:
    try:
        ctx = AwsContext(target)
    except ProfileNotFound as exc:
        return fail_usage(f"{exc} (see ~/.aws/config, or drop --profile)")
    # Anything that logs to stderr would scribble over the UI (werkzeug does, per request).
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from snaptui.ui.app import SnapApp

    app = SnapApp(ctx, endpoint_label=endpoint_label, use_cache=use_cache)
    result = app.run()
    return int(result or 0)
