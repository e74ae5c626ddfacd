"""Shared fixtures: the demo world's moto server (one per test session), fixed time, scratch.

Every test talks to AWS only through this loopback server: scripts/check.sh sets fake
credentials and AWS_EC2_METADATA_DISABLED, and the autouse guard below refuses any
endpoint other than 127.0.0.1.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.demo.seed import SeedReport, seed
from snaptui.demo.server import DEMO_ACCOUNT, DemoServer
from snaptui.demo.unkind import Unkindness

# The demo world's "now" in tests: every age and SVG snapshot is computed against it.
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

# Regions the seed never touches; tests that change things get one each, emptied afterwards.
_SCRATCH_REGIONS = itertools.cycle(
    [
        "us-west-2",
        "us-west-1",
        "us-east-2",
        "ca-central-1",
        "eu-central-1",
        "eu-north-1",
        "eu-west-2",
        "eu-west-3",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-south-1",
        "sa-east-1",
    ]
)


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    server = DemoServer().start()
    yield server
    server.stop()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--unkind",
        action="store_true",
        help="run against a demo world that loses answers, throttles and is eventually "
        "consistent (docs/demo.md): e.g. `pytest --unkind tests/aws tests/headless`",
    )


# The world of a `pytest --unkind` run: every kind of fault but stalls (which only cost time),
# at 5 %, and a 1 s NotFound window after every create.
RUN_UNKINDNESS = Unkindness(
    latency_ms=5,
    fault_rate=0.05,
    fault_kinds=("throttle", "500", "503", "reset", "lost"),
    consistency_delay_s=1.0,
    seed=1,
)


@pytest.fixture(scope="session")
def seeded(demo_server: DemoServer, request: pytest.FixtureRequest) -> SeedReport:
    """The seeded fleet, built once per session. Tests must not change the seed regions."""
    report = seed(demo_server, now=NOW)
    if request.config.getoption("--unkind"):
        demo_server.unkind.baseline = RUN_UNKINDNESS
        demo_server.be_unkind(RUN_UNKINDNESS)
    return report


@pytest.fixture
def demo_target(demo_server: DemoServer, seeded: SeedReport, tmp_path: Path) -> AwsTarget:
    return demo_server.target(audit_path=tmp_path / "audit.jsonl")


@pytest.fixture
def demo_ctx(demo_target: AwsTarget) -> AwsContext:
    return AwsContext(demo_target)


@pytest.fixture
def scratch_region(demo_server: DemoServer, seeded: SeedReport) -> Iterator[str]:
    """An empty region of the demo world for a test that creates or deletes things."""
    region = next(_SCRATCH_REGIONS)
    yield region
    from moto.ec2.models import ec2_backends

    ec2_backends[DEMO_ACCOUNT][region].reset()
    demo_server.services.forget_region(region)


@pytest.fixture
def svg_region(demo_server: DemoServer, seeded: SeedReport) -> Iterator[str]:
    """One fixed empty region for SVG tests: the region's name is on the screen, so a region
    from the cycle above would make the picture depend on which tests ran before."""
    region = "ap-northeast-3"
    yield region
    from moto.ec2.models import ec2_backends

    ec2_backends[DEMO_ACCOUNT][region].reset()
    demo_server.services.forget_region(region)


def client(server: DemoServer, service: str, region: str) -> object:
    """A plain boto3 client on the demo world, separate from snaptui's own: for checking. It is
    the referee: when a test makes the world unkind, this client still sees it as it is."""
    return server.referee_client(service, region)


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection beyond loopback fails the test at once (no real AWS, ever)."""
    import socket

    original = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in _LOOPBACK and not host.startswith("127."):
            raise AssertionError(f"test tried to reach {host}: only loopback is allowed")
        original(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
