"""`snaptui demo`: serve the demo world on 127.0.0.1 until Ctrl-C, or open the UI on it."""

from __future__ import annotations

import argparse
import sys
import threading

from snaptui.cli import demo_world, exit_codes
from snaptui.cli.args import fail_usage, parse_int, parse_seconds


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
    unkind = p.add_argument_group(
        "an unkind world", "as AWS can be, on purpose, at the world's HTTP layer (docs/demo.md)"
    )
    unkind.add_argument("--latency-ms", metavar="N", help="every answer takes N ms (0-5000)")
    unkind.add_argument(
        "--faults",
        metavar="RATE[:KINDS]",
        help="this share of calls fails: 0.2 or 20%%, optionally only some kinds, e.g. "
        "0.3:lost (throttle, 500, 503, reset, stall, lost = done but the answer dropped)",
    )
    unkind.add_argument(
        "--consistency-delay",
        metavar="S",
        help="a new resource is 'not found' for S seconds after its create (0-60)",
    )
    unkind.add_argument(
        "--pending-s",
        metavar="S",
        help="a new snapshot, volume, image or instance stays pending for S seconds (0-600)",
    )
    p.set_defaults(prepare=options, run=None)


def options(args: argparse.Namespace) -> argparse.Namespace:
    args.port = parse_int(args.port, "--port", 0, 65535, 0)
    args.unkind = demo_world.unkindness(
        latency_ms=parse_int(args.latency_ms, "--latency-ms", 0, 5000, 0),
        faults="0" if args.faults is None else args.faults,
        consistency_delay_s=_seconds(args.consistency_delay, "--consistency-delay", 60.0),
        pending_s=_seconds(args.pending_s, "--pending-s", 600.0),
    )
    return args


def _seconds(value: str | None, flag: str, high: float) -> float:
    """0 (off) or a finite number of seconds up to ``high``."""
    if value is not None and value.strip() in ("0", "0.0"):
        return 0.0
    return parse_seconds(value, flag, 0.0, high, 0.0)


def run(args: argparse.Namespace) -> int:
    try:
        server = demo_world.start(port=args.port, unkind=args.unkind)
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
