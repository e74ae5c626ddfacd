"""`snaptui demo`: serve the demo world on 127.0.0.1 until Ctrl-C, or open the UI on it."""

from __future__ import annotations

import argparse
import sys
import threading

from snaptui.cli import demo_world, exit_codes
from snaptui.cli.args import fail_usage, parse_int


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        help="run the demo world (moto server) on 127.0.0.1",
        description="Start the seeded demo world and open the UI on it, or serve it alone.",
    )
    p.add_argument("--port", default=None, help="port on 127.0.0.1 (default: a free one)")
    p.add_argument(
        "--no-ui",
        action="store_true",
        help="only serve the world and print how to reach it, until Ctrl-C",
    )
    p.set_defaults(prepare=options, run=None)


def options(args: argparse.Namespace) -> argparse.Namespace:
    args.port = parse_int(args.port, "--port", 0, 65535, 0)
    return args


def run(args: argparse.Namespace) -> int:
    try:
        server = demo_world.start(port=args.port)
    except OSError as exc:
        return fail_usage(f"cannot start the demo world on port {args.port}: {exc}")
    try:
        if not args.no_ui:
            from snaptui.aws.session import AwsContext
            from snaptui.ui.launch import run_app

            ctx = AwsContext(server.target(read_only=bool(getattr(args, "read_only", False))))
            return run_app(ctx, endpoint_label=f"demo {server.endpoint_url}")
        print(f"snaptui demo world on {server.endpoint_url} (Ctrl-C stops it)")
        print("Use it with the AWS CLI or any SDK:")
        for key, value in server.env().items():
            print(f"  export {key}={value}")
        print(f"  aws ec2 describe-snapshots --owner-ids self --region {server.regions[0]}")
        sys.stdout.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return exit_codes.OK
