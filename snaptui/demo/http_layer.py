"""What the demo world's WSGI layers share: the WSGI types and calling the app below."""

from __future__ import annotations

import io
import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

StartResponse = Callable[..., Any]
App = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Answer = tuple[str, list[tuple[str, str]], bytes]  # status line, headers, body

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")


def credential_scope(environ: dict[str, Any]) -> tuple[str, str]:
    """(region, service) a SigV4-signed request names, as AWS's regional endpoints imply;
    ("", "") when it is not signed that way."""
    found = _SCOPE.search(str(environ.get("HTTP_AUTHORIZATION", "")))
    return (found.group(1), found.group(2)) if found else ("", "")


def call_app(app: App, environ: dict[str, Any]) -> Answer:
    """Run ``app`` on one request and collect its whole answer."""
    got: dict[str, Any] = {}

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        got["status"], got["headers"] = status, list(headers)
        return lambda data: None

    chunks = app(environ, start)
    try:
        out = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return str(got.get("status", "500 Internal Server Error")), got.get("headers", []), out


def respond(
    start_response: StartResponse, status: str, headers: list[tuple[str, str]], body: bytes
) -> list[bytes]:
    """Send an answer with its Content-Length set to the body's."""
    kept = [(k, v) for k, v in headers if k.lower() != "content-length"]
    start_response(status, [*kept, ("Content-Length", str(len(body)))])
    return [body]


def read_form(environ: dict[str, Any]) -> dict[str, str] | None:
    """A Query-protocol request's parameters (EC2's form POST), the body put back for the next
    layer; None for any other request."""
    ctype = str(environ.get("CONTENT_TYPE", ""))
    if environ.get("REQUEST_METHOD") != "POST" or "x-www-form-urlencoded" not in ctype:
        return None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
