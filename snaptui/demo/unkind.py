"""The demo world made as unkind as AWS on purpose, at its HTTP layer (``snaptui demo
--latency-ms N --faults RATE[:KINDS] --consistency-delay S --pending-s S``).

Each behaviour is one AWS reproduces, injected where AWS would produce it, between the client
and the service, so no code of ours is replaced:

- latency: every answer takes N ms (a far region, a busy bastion);
- ``throttle``: RequestLimitExceeded (EC2, HTTP 503) / ThrottlingException (JSON services);
- ``500`` / ``503``: InternalError / Unavailable, before the work is done;
- ``reset``: the connection is reset before the work is done;
- ``stall``: the answer comes ``stall_s`` late (the client may time out);
- ``lost``: the work IS done, then the connection drops before the answer arrives; only
  mutating calls (reads are spared). This is what makes retries dangerous;
- consistency delay: for S seconds after a create, the new resource is "not found" by any
  call that names it and missing from Describe lists (EC2 is eventually consistent);
- pending: for S seconds after a create, Describe shows it ``pending`` with rising progress
  (snapshots, images), ``creating`` (volumes) or ``pending`` (instances).

The layer starts kind (everything 0) and is made unkind after the world is seeded. Counts of
what it injected are kept for benchmarks/faults.py.
"""

from __future__ import annotations

import hmac
import io
import random
import socket
import struct
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from snaptui.demo import unkind_xml
from snaptui.demo.http_layer import App, StartResponse, call_app, credential_scope, respond

FAULT_KINDS = ("throttle", "500", "503", "reset", "stall", "lost")
_READ_PREFIXES = ("Describe", "List", "Get", "Search", "Lookup")


@dataclass(frozen=True, slots=True)
class Unkindness:
    latency_ms: int = 0
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    consistency_delay_s: float = 0.0
    pending_s: float = 0.0
    stall_s: float = 1.5
    seed: int | None = None

    @property
    def is_kind(self) -> bool:
        return not (self.latency_ms or self.fault_rate or self.tracks_creates)

    @property
    def tracks_creates(self) -> bool:
        return self.consistency_delay_s > 0 or self.pending_s > 0


def parse_faults(text: str) -> tuple[float, tuple[str, ...]]:
    """``0.3``, ``30%`` or ``0.3:lost,throttle`` -> (rate, kinds); ValueError with the reason."""
    rate_text, colon, kinds_text = text.partition(":")
    rate_text = rate_text.strip()
    scale = 100.0 if rate_text.endswith("%") else 1.0
    try:
        rate = float(rate_text.rstrip("%")) / scale
    except ValueError:
        raise ValueError(f"{text!r}: the rate must be a number (0.2 or 20%)") from None
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"{text!r}: the rate must be between 0 and 1 (or 0% and 100%)")
    if not colon:
        return rate, FAULT_KINDS
    kinds = tuple(k.strip() for k in kinds_text.split(","))
    if "" in kinds:
        raise ValueError(f"{text!r}: name the kinds after ':', separated by commas")
    unknown = [k for k in kinds if k not in FAULT_KINDS]
    if unknown:
        raise ValueError(f"unknown fault kind {unknown[0]!r}: use {', '.join(FAULT_KINDS)}")
    return rate, kinds


@dataclass(frozen=True, slots=True)
class Request:
    service: str
    region: str
    operation: str
    params: dict[str, str]

    @property
    def mutating(self) -> bool:
        return bool(self.operation) and not self.operation.startswith(_READ_PREFIXES)


def request_of(environ: dict[str, Any], body: bytes) -> Request:
    """Which service, region and operation a signed request is (Query, JSON or REST)."""
    region, service = credential_scope(environ)
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    params: dict[str, str] = {}
    if target:
        operation = target.rpartition(".")[2]
    else:
        try:
            pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"))
        except ValueError:
            pairs = []
        params = dict(pairs)
        operation = params.get("Action", "")
        if not operation:  # REST (EBS direct APIs): the path and method say which
            operation = _rest_operation(environ)
    return Request(service, region, operation, params)


def _rest_operation(environ: dict[str, Any]) -> str:
    path = str(environ.get("PATH_INFO", ""))
    method = str(environ.get("REQUEST_METHOD", "GET"))
    if method in ("GET", "HEAD"):
        if path.endswith("/changedblocks"):
            return "ListChangedBlocks"
        if path.endswith("/blocks"):
            return "ListSnapshotBlocks"
        return "GetSnapshotBlock" if "/blocks/" in path else "Get"
    return method.title()  # PUT/POST: a write (PutSnapshotBlock, StartSnapshot, ...)


@dataclass
class UnkindLayer:
    """The WSGI layer; ``conf`` may be replaced at any time (atomically, as one object)."""

    conf: Unkindness = field(default_factory=Unkindness)
    # What ``be_kind`` returns to: kind, unless a whole test run asked for an unkind world.
    baseline: Unkindness = field(default_factory=Unkindness)
    # Requests carrying this header value are the referee's (tests and benchmarks checking
    # what really happened, as the AWS CLI would after the fact): never faulted or delayed.
    exempt: tuple[str, str] = ("", "")
    injected: Counter[str] = field(default_factory=Counter)
    # Requests seen per operation while unkind (the referee's excluded): for benchmarks.
    requests: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False)
    _young: dict[str, float] = field(default_factory=dict, repr=False)

    def configure(self, conf: Unkindness) -> None:
        with self._lock:
            self._rng = random.Random(conf.seed)
            self.injected.clear()
            self.requests.clear()
            self.conf = conf

    def be_kind(self) -> None:
        """Back to the baseline (kind, unless the whole run is unkind: pytest --unkind)."""
        self.configure(self.baseline)

    def wrap(self, app: App) -> App:
        def dispatch(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            conf = self.conf
            if str(environ.get("PATH_INFO", "")).startswith("/moto-api"):
                return app(environ, start_response)
            if conf.is_kind or self.is_referee(environ):
                return app(environ, start_response)
            return self._unkindly(app, conf, environ, start_response)

        return dispatch

    def is_referee(self, environ: dict[str, Any]) -> bool:
        key, value = self.exempt
        return bool(key) and hmac.compare_digest(str(environ.get(key, "")), value)

    def _pick(self, conf: Unkindness, req: Request) -> str | None:
        kinds = (
            conf.fault_kinds if req.mutating else tuple(k for k in conf.fault_kinds if k != "lost")
        )
        if not kinds or conf.fault_rate <= 0:
            return None
        with self._lock:
            if self._rng.random() >= conf.fault_rate:
                return None
            kind = self._rng.choice(kinds)
            self.injected[kind] += 1
            return kind

    def _unkindly(
        self, app: App, conf: Unkindness, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        req = request_of(environ, body)
        with self._lock:
            self.requests[f"{req.service}:{req.operation}"] += 1
        if conf.latency_ms:
            time.sleep(conf.latency_ms / 1000.0 * random.uniform(0.8, 1.2))
        fault = self._pick(conf, req)
        if fault == "stall":
            time.sleep(conf.stall_s)
        elif fault == "reset":
            _drop_connection(environ)
        elif fault in ("throttle", "500", "503"):
            status, body, headers = unkind_xml.error_answer(req.service, fault)
            return respond(start_response, status, headers, body)
        if req.service == "ec2" and conf.consistency_delay_s > 0:
            hidden = self._named_young(req, conf.consistency_delay_s)
            if hidden:
                status, body, headers = unkind_xml.not_found_answer(hidden)
                return respond(start_response, status, headers, body)
        status, headers, out = call_app(app, environ)
        if req.service == "ec2" and conf.tracks_creates:
            out = self._after_ec2(req, conf, status, out)
        if fault == "lost":
            _drop_connection(environ)  # the work is done; the answer never arrives
        return respond(start_response, status, headers, out)

    def _named_young(self, req: Request, window: float) -> str:
        """An id the request names that was created less than ``window`` seconds ago."""
        if req.operation in unkind_xml.CREATES:
            return ""
        now = time.monotonic()
        with self._lock:
            for value in req.params.values():
                born = self._young.get(value)
                if born is not None and now - born < window:
                    return value
        return ""

    def _after_ec2(self, req: Request, conf: Unkindness, status: str, out: bytes) -> bytes:
        now = time.monotonic()
        if status.startswith("200") and req.operation in unkind_xml.CREATES:
            with self._lock:
                for new_id in unkind_xml.created_ids(req.operation, out):
                    self._young.setdefault(new_id, now)
            return out
        if req.operation not in unkind_xml.DESCRIBES or not status.startswith("200"):
            return out
        with self._lock:
            ages = {k: now - v for k, v in self._young.items()}
        return unkind_xml.age_describe(out, ages, conf.consistency_delay_s, conf.pending_s)


def _drop_connection(environ: dict[str, Any]) -> None:
    """Reset the client's connection (RST, no answer) and end this request."""
    sock = environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket):
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    raise ConnectionResetError("the demo world dropped this answer on purpose")
