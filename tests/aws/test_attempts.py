"""How many times a call goes on the wire: counted by a loopback server that answers 503.

botocore's ``max_attempts`` counts retries only; snaptui's attempts include the first try, so
a create that must go once (``retry=False``) is sent exactly once, and a read gets exactly the
target's attempts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from snaptui.aws.session import AwsContext, AwsTarget

_ERROR = (
    b"<Response><Errors><Error><Code>Unavailable</Code><Message>x</Message></Error></Errors>"
    b"</Response>"
)


class _Unavailable(BaseHTTPRequestHandler):
    sent = 0

    def do_POST(self) -> None:
        type(self).sent += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = _ERROR
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def unavailable() -> Iterator[str]:
    _Unavailable.sent = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _ctx(endpoint: str, tmp_path: Path, attempts: int) -> AwsContext:
    target = AwsTarget(
        endpoint_url=endpoint,
        regions=("us-east-1",),
        max_attempts=attempts,
        audit_path=tmp_path / "a.jsonl",
    )
    return AwsContext(target)


def test_a_create_meant_to_go_once_is_sent_once(unavailable: str, tmp_path: Path) -> None:
    ec2 = _ctx(unavailable, tmp_path, 5).client("ec2", "us-east-1", retry=False)
    with pytest.raises(ClientError):
        ec2.copy_snapshot(SourceSnapshotId="snap-0123456789abcdef0", SourceRegion="us-east-1")
    assert _Unavailable.sent == 1


def test_a_read_gets_exactly_the_targets_attempts(unavailable: str, tmp_path: Path) -> None:
    ec2 = _ctx(unavailable, tmp_path, 3).client("ec2", "us-east-1")
    with pytest.raises(ClientError):
        ec2.describe_volumes()
    assert _Unavailable.sent == 3
