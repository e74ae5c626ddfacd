"""The one place the demo world starts: ``--demo`` on any command, and ``snaptui demo``.

Everything else receives an ``AwsTarget`` and never knows whether moto is behind it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from snaptui.core.usage import UsageError

if TYPE_CHECKING:
    from snaptui.aws.session import AwsTarget
    from snaptui.demo.server import DemoServer
    from snaptui.demo.unkind import Unkindness


def check(args: argparse.Namespace, target: AwsTarget) -> None:
    """--demo with an endpoint of its own makes no sense; say so before starting anything."""
    if getattr(args, "demo", False) and target.endpoint_url:
        raise UsageError("--demo and --endpoint-url exclude each other")


def start(port: int = 0, unkind: Unkindness | None = None) -> DemoServer:
    """Start the seeded demo world on 127.0.0.1 (OSError if the port is taken); ``unkind``
    makes it slow, faulty or eventually consistent on purpose once it is seeded."""
    from snaptui.demo.start import start_seeded_demo

    return start_seeded_demo(port=port, unkind=unkind)


def unkindness(
    latency_ms: int, faults: str, consistency_delay_s: float, pending_s: float
) -> Unkindness:
    """The demo world's unkindness from `snaptui demo`'s flags (UsageError when bad)."""
    from snaptui.demo.unkind import Unkindness, parse_faults

    try:
        rate, kinds = parse_faults(faults)
    except ValueError as exc:
        raise UsageError(f"--faults {exc}") from None
    return Unkindness(
        latency_ms=latency_ms,
        fault_rate=rate,
        fault_kinds=kinds,
        consistency_delay_s=consistency_delay_s,
        pending_s=pending_s,
    )


@contextmanager
def target_for(
    args: argparse.Namespace, target: AwsTarget, *, announce: bool = False
) -> Iterator[tuple[AwsTarget, str]]:
    """The target to use and a label for it; with --demo, the demo world's, stopped afterwards."""
    if not getattr(args, "demo", False):
        yield target, target.effective_endpoint or ""
        return
    if announce:
        print("snaptui: starting the demo world on 127.0.0.1…", file=sys.stderr)
    server = start()
    try:
        demo = server.target(read_only=target.read_only, regions=target.regions)
        yield demo, f"demo {server.endpoint_url}"
    finally:
        server.stop()
