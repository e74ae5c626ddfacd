"""A WSGI layer for the small REST-JSON services moto lacks (DLM, Recycle Bin) or lacks part of
(AWS Backup's recovery points): a request whose SigV4 scope names a routed service, with a
method and path a route matches, is answered here; everything else goes on to moto.

Errors are rest-json's: the code in ``x-amzn-ErrorType`` and ``{"message": ...}`` in the body,
which is how botocore reads them from AWS. A service-region in ``denied`` answers
AccessDeniedException (403), as an IAM policy without the permission makes AWS answer.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from snaptui.demo.http_layer import App, StartResponse, credential_scope, respond


class JsonError(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass(frozen=True, slots=True)
class Request:
    region: str
    path: dict[str, str]  # the route's named groups, URL-decoded
    query: dict[str, list[str]]
    body: dict[str, Any]


Handler = Callable[[Request], tuple[int, dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Route:
    service: str  # the SigV4 signing name
    method: str
    pattern: re.Pattern[str]
    handler: Handler


@dataclass
class Routes:
    routes: list[Route] = field(default_factory=list)
    denied: set[tuple[str, str]] = field(default_factory=set)  # (service, region)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, service: str, method: str, path: str, handler: Handler) -> None:
        self.routes.append(Route(service, method, re.compile(f"^{path}$"), handler))

    def find(self, service: str, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            found = route.pattern.match(path) if route.service == service else None
            if found is not None and route.method == method:
                groups = {k: urllib.parse.unquote(v) for k, v in found.groupdict().items()}
                return route, groups
        return None


def _body(environ: dict[str, Any]) -> dict[str, Any]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    if not raw:
        return {}
    loaded = json.loads(raw)
    if not isinstance(loaded, dict):
        raise JsonError("ValidationException", "the body must be a JSON object")
    return loaded


def _answer(status: int, payload: dict[str, Any], code: str = "") -> tuple[str, list[Any], bytes]:
    reason = {200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden"}
    headers = [("Content-Type", "application/json")]
    if code:
        headers.append(("x-amzn-ErrorType", code))
    body = b"" if status == 204 else json.dumps(payload, default=str).encode()
    return f"{status} {reason.get(status, 'Not Found')}", headers, body


def with_rest_json(app: App, routes: Routes) -> App:
    def dispatch(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        region, service = credential_scope(environ)
        # The raw path: a recovery point ARN travels percent-encoded inside it.
        raw_path = str(environ.get("RAW_URI") or environ.get("PATH_INFO", "")).split("?")[0]
        found = routes.find(service, str(environ.get("REQUEST_METHOD", "")), raw_path)
        if found is None:
            return app(environ, start_response)
        route, groups = found
        try:
            if (service, region) in routes.denied:
                raise JsonError(
                    "AccessDeniedException", f"not authorized to call {service} here", 403
                )
            query = urllib.parse.parse_qs(str(environ.get("QUERY_STRING", "")))
            with routes.lock:
                status, payload = route.handler(Request(region, groups, query, _body(environ)))
            answer = _answer(status, payload)
        except JsonError as exc:
            answer = _answer(exc.status, {"message": exc.message}, exc.code)
        except (ValueError, KeyError) as exc:
            answer = _answer(400, {"message": str(exc)}, "ValidationException")
        return respond(start_response, *answer)

    return dispatch
