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

import boto3
import pytest

from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.demo.seed import SeedReport, seed
from snaptui.demo.server import DEMO_ACCOUNT, DemoServer

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


@pytest.fixture(scope="session")
def seeded(demo_server: DemoServer) -> SeedReport:
    """The seeded fleet, built once per session. Tests must not change the seed regions."""
    return seed(demo_server, now=NOW)


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


@pytest.fixture
def svg_region(demo_server: DemoServer, seeded: SeedReport) -> Iterator[str]:
    """One fixed empty region for SVG tests: the region's name is on the screen, so a region
    from the cycle above would make the picture depend on which tests ran before."""
    region = "ap-northeast-3"
    yield region
    from moto.ec2.models import ec2_backends

    ec2_backends[DEMO_ACCOUNT][region].reset()


def client(server: DemoServer, service: str, region: str) -> object:
    """A plain boto3 client on the demo world, separate from snaptui's own: for checking. It is
    the referee: when a test makes the world unkind, this client still sees it as it is."""
    made = boto3.client(  # type: ignore[call-overload]
        service,
        region_name=region,
        endpoint_url=server.endpoint_url,
        aws_access_key_id="demo",
        aws_secret_access_key="demo",
    )
    headers = server.referee_headers()

    def add_headers(request: object, **_: object) -> None:
        for key, value in headers.items():
            request.headers[key] = value  # type: ignore[attr-defined]

    made.meta.events.register("before-sign.*.*", add_headers)
    return made


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
