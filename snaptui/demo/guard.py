"""Two corrections to moto's HTTP server for a demo world on a shared machine.

- moto's ``/moto-api`` (dashboard, reset, seed, the whole world as JSON) would be open to
  every local user who finds the port. AWS has no such door: here it answers 403 unless the
  request carries this server's random token (``X-Snaptui-Demo-Token``), which only the
  process that started the world knows.
- moto prints "Unable to find appropriate backend for <host>" on stdout for a service it
  lacks (Pricing, Recycle Bin). AWS answers such a request with an error, never with text on
  the caller's terminal; on stdout it corrupts `snaptui cost --json`. The request still gets
  moto's error answer; only the print is gone.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Any

from snaptui.demo.http_layer import App, StartResponse

TOKEN_HEADER = "X-Snaptui-Demo-Token"
TOKEN_ENVIRON = "HTTP_X_SNAPTUI_DEMO_TOKEN"


def guard_moto_api(app: App, token: str) -> App:
    """Refuse /moto-api/* without the token."""

    def guarded(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        if path.startswith("/moto-api"):
            given = str(environ.get(TOKEN_ENVIRON, ""))
            if not hmac.compare_digest(given.encode(), token.encode()):
                body = b"forbidden: the demo world's control API needs its token\n"
                start_response(
                    "403 Forbidden",
                    [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))],
                )
                return [body]
        return app(environ, start_response)

    return guarded


def quiet_dispatcher(create_app: Any) -> Any:
    """moto's DomainDispatcherApplication without its print for hosts it has no backend for."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    class Quiet(DomainDispatcherApplication):
        def get_backend_for_host(self, host: str | None) -> Any:
            if host and "amazonaws.com" in host:
                for backend, pattern in self.backend_url_patterns:
                    if pattern.match(f"http://{host}"):
                        return backend
                return None  # moto would print here, then return None too
            return super().get_backend_for_host(host)

    return Quiet(create_app)
