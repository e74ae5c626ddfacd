"""The demo world's server: moto's HTTP server in this process, on a free loopback port.

boto3 talks to it over HTTP exactly as to AWS. It is only ever bound to 127.0.0.1.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import tempfile
import threading
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snaptui.aws.session import AwsTarget
from snaptui.demo.accounts import PerAccount
from snaptui.demo.client_tokens import honour_client_tokens
from snaptui.demo.guard import TOKEN_ENVIRON as REFEREE_ENVIRON
from snaptui.demo.guard import TOKEN_HEADER
from snaptui.demo.http_layer import App, StartResponse
from snaptui.demo.services import DemoServices
from snaptui.demo.snapshot_locks import SnapshotLocks, with_snapshot_locks
from snaptui.demo.unkind import UnkindLayer, Unkindness

# moto reads this at import time: without it every DescribeSnapshots lists ~1,200 AMI snapshots.
os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")

DEMO_ACCOUNT = "123456789012"  # moto's default account
DEMO_KEY_ID = "demo"
DEMO_SECRET = "demo"
DEMO_REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
_SEEDING_WAIT_S = 300.0
# The APIs moto 5.2 lacks (it answers them with an HTML 500): the demo declares them, so the
# client says "not supported by this endpoint" without sending, and a 500 stays a server error.
DEMO_LACKS = frozenset(
    {
        "ec2:ListSnapshotsInRecycleBin",
        "ec2:RestoreSnapshotFromRecycleBin",
        "pricing:*",
    }
)


def _exists_in(account: str) -> Callable[[str, str], bool]:
    def exists(region: str, snapshot_id: str) -> bool:
        from moto.ec2.models import ec2_backends

        return snapshot_id in ec2_backends[account][region].snapshots

    return exists


def _member_layers(account: str, app: App) -> App:
    """A member account's own locks and services (demo/accounts.py), empty at first."""
    locks = SnapshotLocks(_exists_in(account), account)
    return DemoServices(account).wrap(with_snapshot_locks(app, locks))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class DemoServer:
    """A running moto server; ``target()`` says how to reach it."""

    port: int = 0
    regions: tuple[str, ...] = DEMO_REGIONS
    _server: object | None = field(default=None, init=False, repr=False)
    # Only this process may use moto's control API (/moto-api): see snaptui.demo.guard.
    _token: str = field(default_factory=lambda: secrets.token_urlsafe(24), init=False, repr=False)
    # Latency, faults, eventual consistency and time on purpose (demo/unkind.py); kind until
    # the world is seeded.
    unkind: UnkindLayer = field(default_factory=UnkindLayer, init=False, repr=False)
    # Closed while the world is being seeded (start_seeded_demo): a client that connects
    # early waits for the whole world rather than seeing part of it. The seeder is a referee.
    doors: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    # The demo's IDs repeat from run to run with different data after a user's changes, so
    # its diff cache lives and dies with the server, never in the user's cache.
    _cache: tempfile.TemporaryDirectory[str] | None = field(default=None, init=False, repr=False)
    # EBS snapshot locks (moto has none): demo/snapshot_locks.py, inside the unkind layer.
    locks: SnapshotLocks = field(
        default_factory=lambda: SnapshotLocks(_exists_in(DEMO_ACCOUNT), DEMO_ACCOUNT), init=False
    )
    # DLM, Recycle Bin rules, Backup recovery points, fast snapshot restore: demo/services.py.
    services: DemoServices = field(default_factory=lambda: DemoServices(DEMO_ACCOUNT), init=False)
    # Every other account (an organization's members) gets its own: demo/accounts.py.
    accounts: PerAccount = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.accounts = PerAccount(DEMO_ACCOUNT, self._home_layers, _member_layers)

    def _home_layers(self, _account: str, app: App) -> App:
        return self.services.wrap(with_snapshot_locks(app, self.locks))

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, seeding: bool = False) -> DemoServer:
        """Serve; with ``seeding``, only the referee is answered until ``open_doors()``."""
        if not seeding:
            self.doors.set()
        os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"
        # werkzeug logs every request (and tracebacks of 500s) to stderr, over the UI.
        logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
        from snaptui.demo import fidelity
        from snaptui.demo.lightsail.wsgi import moto_server

        fidelity.install()
        self.port = self.port or free_port()
        self.unkind.exempt = (REFEREE_ENVIRON, self._token)
        # moto's server with our Lightsail backend in front of it (moto has none).
        server = moto_server(
            "127.0.0.1",
            self.port,
            self._token,
            lambda app: self._gated(
                self.unkind.wrap(honour_client_tokens(self.accounts.wrap(app)))
            ),
        )
        server.start()
        self._server = server
        self._cache = tempfile.TemporaryDirectory(
            prefix="snaptui-demo-cache-", ignore_cleanup_errors=True
        )  # a cost job still writing as the app quits must not turn the quit into a crash
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()  # type: ignore[attr-defined]
            self._server = None
        if self._cache is not None:
            self._cache.cleanup()
            self._cache = None

    def _post(self, path: str) -> None:
        request = urllib.request.Request(
            self.endpoint_url + path,
            method="POST",
            data=b"",
            headers={TOKEN_HEADER: self._token},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def _gated(self, app: App) -> App:
        def gate(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            if not self.doors.is_set() and not self.unkind.is_referee(environ):
                self.doors.wait(_SEEDING_WAIT_S)
            return app(environ, start_response)

        return gate

    def open_doors(self) -> None:
        self.doors.set()

    def referee_client(
        self, service: str, region: str, credentials: dict[str, str] | None = None
    ) -> Any:
        """A plain boto3 client whose requests are the referee's: never faulted or delayed,
        let in while seeding. For the seeder, and for tests and benchmarks that check.
        ``credentials`` (AssumeRole's): act in another account of the demo's organization."""
        import boto3

        keys = credentials or {"AccessKeyId": DEMO_KEY_ID, "SecretAccessKey": DEMO_SECRET}
        made = boto3.client(  # type: ignore[call-overload]
            service,
            region_name=region,
            endpoint_url=self.endpoint_url,
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
            aws_session_token=keys.get("SessionToken"),
        )
        headers = self.referee_headers()

        def add_headers(request: Any, **_: Any) -> None:
            for key, value in headers.items():
                request.headers[key] = value

        made.meta.events.register("before-sign.*.*", add_headers)
        return made

    def referee_headers(self) -> dict[str, str]:
        """Headers that make a checking client's requests exempt from the unkindness."""
        return {TOKEN_HEADER: self._token}

    def be_unkind(self, conf: Unkindness) -> None:
        """From now on answer with this latency, these faults, this consistency delay."""
        self.unkind.configure(conf)

    @contextmanager
    def unkindly(self, conf: Unkindness) -> Iterator[UnkindLayer]:
        """Unkind for the block (its layer counts what was injected), kind again after it."""
        self.be_unkind(conf)
        try:
            yield self.unkind
        finally:
            self.unkind.be_kind()

    def reset(self, seed: int = 42) -> None:
        """Empty the world and make moto's random IDs repeatable from here on."""
        from snaptui.demo import fidelity
        from snaptui.demo.lightsail import store as lightsail_store

        self._post("/moto-api/reset")
        fidelity.reset_world()
        lightsail_store.reset()
        with self.locks.lock:
            self.locks.locks.clear()
        self.services.reset()
        self.accounts.reset()
        self._post(f"/moto-api/seed?a={seed}")

    def target(
        self,
        *,
        read_only: bool = False,
        regions: tuple[str, ...] = (),
        audit_path: Path | None = None,
    ) -> AwsTarget:
        return AwsTarget(
            audit_path=audit_path,
            cache_root=Path(self._cache.name) if self._cache is not None else None,
            endpoint_url=self.endpoint_url,
            regions=regions or self.regions,
            read_only=read_only,
            access_key_id=DEMO_KEY_ID,
            secret_access_key=DEMO_SECRET,
            default_region=self.regions[0],
            lacks=DEMO_LACKS,
            # The world knows its own delay: look that long (and a little) for a lost create.
            consistency_s=self.unkind.conf.consistency_delay_s + 2.0,
        )

    def env(self) -> dict[str, str]:
        """Environment for the AWS CLI or any SDK to use this world."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": DEMO_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": DEMO_SECRET,
            "AWS_DEFAULT_REGION": self.regions[0],
        }
