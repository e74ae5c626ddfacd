"""Fidelity layer: EC2's ClientToken honoured (moto 5.2 ignores it).

AWS: a mutating EC2 request that carries a ClientToken it has already seen (same account,
region and operation) is not done again; the first request's result is returned. With the
same token and different parameters AWS answers IdempotentParameterMismatch. (EC2 API
Reference, "Ensuring idempotency".) Without this, botocore's retry of a CreateVolume or
RunInstances whose answer was lost makes a second volume or instance in the demo world, where
on AWS it would not — and a client that relies on the token could not be tested.

Applied at the HTTP layer, so it holds for every operation that takes a ClientToken.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from typing import Any

from snaptui.demo.http_layer import (
    Answer,
    App,
    StartResponse,
    call_app,
    credential_scope,
    read_form,
    respond,
)

_MISMATCH = (
    b"<?xml version='1.0' encoding='UTF-8'?><Response><Errors><Error>"
    b"<Code>IdempotentParameterMismatch</Code><Message>The client token you have provided is "
    b"associated with a resource that has different parameters.</Message></Error></Errors>"
    b"<RequestID>demo</RequestID></Response>"
)


def honour_client_tokens(app: App) -> App:
    answers: dict[tuple[str, str, str], tuple[str, Answer]] = {}
    locks: dict[tuple[str, str, str], threading.Lock] = {}
    guard = threading.Lock()

    def dispatch(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        params = read_form(environ)
        if params is None:
            return app(environ, start_response)
        token = params.pop("ClientToken", "")
        if not token:
            return app(environ, start_response)
        key = (credential_scope(environ)[0], params.get("Action", ""), token)
        digest = hashlib.sha256(repr(sorted(params.items())).encode()).hexdigest()
        with guard:
            lock = locks.setdefault(key, threading.Lock())
        with lock:  # the same token twice at once: the second waits for the first's answer
            seen = answers.get(key)
            if seen is None:
                answer = call_app(app, environ)
                if answer[0].startswith("200"):
                    answers[key] = (digest, answer)
            elif seen[0] != digest:
                answer = ("400 Bad Request", [("Content-Type", "text/xml")], _MISMATCH)
            else:
                answer = seen[1]
        return respond(start_response, *answer)

    return dispatch
