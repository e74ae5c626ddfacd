"""Start the demo world: the moto server in this process, seeded with the demo fleet."""

from __future__ import annotations

from datetime import datetime

from snaptui.demo.server import DemoServer
from snaptui.demo.unkind import Unkindness


def start_seeded_demo(
    port: int = 0, now: datetime | None = None, unkind: Unkindness | None = None
) -> DemoServer:
    """Start the moto server in this process and seed the demo fleet into it; then, if asked,
    make it unkind (the seed itself must not meet the faults)."""
    from snaptui.demo.seed import seed

    server = DemoServer(port=port).start(seeding=True)
    try:
        seed(server, now=now)
    except BaseException:
        server.stop()
        raise
    if unkind is not None:
        server.be_unkind(unkind)
    server.open_doors()  # a client that connected early now sees the whole world
    return server
