"""Loopback HTTP endpoints as unkind as AWS can be, for headless tests (no code of ours replaced).

- ``Recorder``: answers every request with HTTP 500 and records it (did anything get sent?).
- ``Silent``: accepts connections and never answers (a black-holed endpoint).
- ``FaultProxy``: forwards to the demo world, but answers chosen requests with the error AWS
  would send (e.g. every EC2 call signed for one region), at the HTTP boundary.
"""

from __future__ import annotations

import re
import socket
import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")

Rule = Callable[[str, str], tuple[int, bytes] | None]  # (region, service) -> (status, body)


def ec2_error(code: str, message: str) -> bytes:
    return (
        f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error>"
        "</Errors><RequestID>test</RequestID></Response>"
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    requests_seen: list[tuple[str, str]]
    upstream: str
    rule: Rule


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, status: int, body: bytes, ctype: str = "text/xml") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        m = _SCOPE.search(self.headers.get("Authorization", ""))
        region, service = (m.group(1), m.group(2)) if m else ("", "")
        self.server.requests_seen.append((region, service))
        fault = self.server.rule(region, service)
        if fault is not None:
            self._answer(*fault)
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host",)}
        req = urllib.request.Request(
            self.server.upstream + self.path, data=body or None, headers=headers,
            method=self.command,
        )  # fmt: skip
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                self._answer(resp.status, resp.read(), resp.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as err:
            self._answer(err.code, err.read(), err.headers.get("Content-Type", ""))

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


@contextmanager
def _serve(upstream: str, rule: Rule) -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.requests_seen, server.upstream, server.rule = [], upstream, rule
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def url_of(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


@contextmanager
def recorder() -> Iterator[_Server]:
    """Every request recorded and answered 500: a test asserts ``requests_seen == []``."""
    with _serve("", lambda _r, _s: (500, b"recorder")) as server:
        yield server


@contextmanager
def fault_proxy(upstream: str, rule: Rule) -> Iterator[_Server]:
    with _serve(upstream, rule) as server:
        yield server


@contextmanager
def silent() -> Iterator[str]:
    """An endpoint that accepts connections and never answers; yields its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                held.append(conn)  # kept open, never read, never answered
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        sock.close()
