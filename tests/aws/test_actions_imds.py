"""Detecting the EC2 instance snaptui runs on, against a loopback fake of IMDSv2."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from snaptui.aws import imds
from snaptui.demo.server import free_port

TOKEN = "fake-token"
META = {
    "/latest/meta-data/instance-id": "i-0123456789abcdef0",
    "/latest/meta-data/placement/region": "eu-north-1",
    "/latest/meta-data/placement/availability-zone": "eu-north-1b",
}


class FakeImds(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_PUT(self) -> None:
        FakeImds.requests.append(f"PUT {self.path}")
        if self.path == "/latest/api/token" and self.headers.get(
            "X-aws-ec2-metadata-token-ttl-seconds"
        ):
            self._answer(200, TOKEN)
        else:
            self._answer(400, "")

    def do_GET(self) -> None:
        FakeImds.requests.append(f"GET {self.path}")
        # IMDSv2 only: no token, no answer.
        if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
            self._answer(401, "")
        elif self.path in META:
            self._answer(200, META[self.path])
        else:
            self._answer(404, "")

    def _answer(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def fake_imds(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeImds)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeImds.requests = []
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED", raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint)
    yield endpoint
    server.shutdown()
    server.server_close()


def test_detects_the_instance_through_imdsv2(fake_imds: str) -> None:
    host = imds.detect(timeout=2)
    assert host == imds.HostInstance("i-0123456789abcdef0", "eu-north-1", "eu-north-1b")
    assert FakeImds.requests[0] == "PUT /latest/api/token"


def test_disabled_means_no_request_at_all(fake_imds: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert imds.detect(timeout=2) is None
    assert FakeImds.requests == []


def test_nothing_listening_means_not_on_ec2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED", raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", f"http://127.0.0.1:{free_port()}")
    assert imds.detect(timeout=0.5) is None


def test_the_default_endpoint_is_link_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED", raising=False)
    monkeypatch.delenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", raising=False)
    monkeypatch.delenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", raising=False)
    assert imds.endpoint() == "http://169.254.169.254/"
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")
    assert imds.endpoint() == "http://[fd00:ec2::254]/"
