"""Where every boto3 client comes from: one session, retry mode, endpoint and the read-only guard.

boto3 sessions are not thread-safe but clients are, so clients are built under a lock and
cached per (service, region); workers then share them freely.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from snaptui.aws.errors import ReadOnlyError

# Operation-name prefixes that never change anything. Everything else is refused in read-only
# mode, so a new mutating call is refused by default rather than allowed by omission.
_READ_PREFIXES = ("Describe", "List", "Get", "Search", "Lookup")


def is_read_only_operation(operation_name: str) -> bool:
    return operation_name.startswith(_READ_PREFIXES)


@dataclass(frozen=True, slots=True)
class AwsTarget:
    """Where to talk to: what the command line (or the demo) chose."""

    profile: str | None = None
    regions: tuple[str, ...] = ()  # empty: every enabled region
    endpoint_url: str | None = None
    read_only: bool = False
    retry_mode: str = "adaptive"
    max_attempts: int = 8
    # Extra environment-free credentials, used by the demo world only.
    access_key_id: str | None = None
    secret_access_key: str | None = None
    default_region: str = "us-east-1"

    @property
    def effective_endpoint(self) -> str | None:
        return self.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None


@dataclass
class AwsContext:
    """One per app/CLI run: hands out cached, thread-safe clients for a target."""

    target: AwsTarget
    _session: boto3.Session = field(init=False)
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        t = self.target
        # ProfileNotFound raises here, before any UI starts: the CLI turns it into exit code 2.
        self._session = boto3.Session(
            profile_name=t.profile,
            aws_access_key_id=t.access_key_id,
            aws_secret_access_key=t.secret_access_key,
        )

    @property
    def profile_label(self) -> str:
        return self.target.profile or os.environ.get("AWS_PROFILE") or "default"

    @property
    def home_region(self) -> str:
        return self._session.region_name or self.target.default_region

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client with the standard/adaptive retry mode and the read-only guard."""
        region = region or self.home_region
        key = (service, region)
        with self._lock:
            cached = self._clients.get(key)
            if cached is not None:
                return cached
            config = Config(
                retries={"mode": self.target.retry_mode, "max_attempts": self.target.max_attempts},
                connect_timeout=5,
                read_timeout=30,
                max_pool_connections=20,
                user_agent_extra="snaptui",
            )
            kwargs: dict[str, Any] = {"region_name": region, "config": config}
            endpoint = self.target.effective_endpoint
            if endpoint:
                kwargs["endpoint_url"] = endpoint
            client = self._session.client(service, **kwargs)  # type: ignore[call-overload]
            if self.target.read_only:
                client.meta.events.register("before-call.*.*", _refuse_mutation)
            self._clients[key] = client
            return client


def _refuse_mutation(model: Any, **_: Any) -> None:
    """botocore before-call hook: raise before any request leaves for a mutating operation."""
    if not is_read_only_operation(model.name):
        raise ReadOnlyError(model.name)
