"""Start the demo world: the moto server in this process, seeded with the demo fleet."""

from __future__ import annotations

from datetime import datetime

from snaptui.demo.server import DemoServer


def start_seeded_demo(port: int = 0, now: datetime | None = None) -> DemoServer:
    """Start the moto server in this process and seed the demo fleet into it."""
    from snaptui.demo.seed import seed

    server = DemoServer(port=port).start()
    try:
        seed(server, now=now)
    except BaseException:
        server.stop()
        raise
    return server
