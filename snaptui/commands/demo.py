"""`snaptui demo`: serve the demo world on 127.0.0.1 until Ctrl-C, or open the UI on it."""

from __future__ import annotations

import argparse
import sys
import threading

from snaptui.demo.start import start_seeded_demo


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        help="run the demo world (moto server) on 127.0.0.1",
        description="Start the seeded demo world and open the UI on it, or serve it alone.",
    )
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    p.add_argument(
        "--no-ui",
        action="store_true",
        help="only serve the world and print how to reach it, until Ctrl-C",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        print(f"snaptui: --port must be 0-65535, got {args.port}", file=sys.stderr)
        return 2
    try:
        server = start_seeded_demo(port=args.port)
    except OSError as exc:
        print(f"snaptui: cannot start the demo world on port {args.port}: {exc}", file=sys.stderr)
        return 2
    try:
        if not args.no_ui:
            from snaptui.ui.launch import run_ui_with_target

            return run_ui_with_target(
                server.target(read_only=bool(getattr(args, "read_only", False))),
                endpoint_label=f"demo {server.endpoint_url}",
            )
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
    return 0
