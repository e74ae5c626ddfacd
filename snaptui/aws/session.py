"""Where every boto3 client comes from: one session, retry mode, endpoint and the read-only guard.

boto3 sessions are not thread-safe but clients are, so clients are built under a lock and
cached per (service, region); workers then share them freely.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import boto3
from botocore.config import Config

from snaptui.aws import fast_xml
from snaptui.aws.audit import AuditLog, default_audit_path
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
    retry_mode: Literal["standard", "adaptive"] = "adaptive"
    max_attempts: int = 8
    # Extra environment-free credentials, used by the demo world only.
    access_key_id: str | None = None
    secret_access_key: str | None = None
    default_region: str = "us-east-1"
    audit_path: Path | None = None  # None: the platformdirs log dir
    cache_root: Path | None = None  # None: the platformdirs cache dir (diffs, prices)

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
    audit: AuditLog = field(init=False)

    def __post_init__(self) -> None:
        t = self.target
        # ProfileNotFound raises here, before any UI starts: the CLI turns it into exit code 2.
        self._session = boto3.Session(
            profile_name=t.profile,
            aws_access_key_id=t.access_key_id,
            aws_secret_access_key=t.secret_access_key,
        )
        self.audit = AuditLog(t.audit_path or default_audit_path(), self.profile_label)

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
            _install_hooks(client, self.audit, region, read_only=self.target.read_only)
            fast_xml.install(client)  # EC2's big Describe* answers: 10x less parse CPU
            self._clients[key] = client
            return client


def _install_hooks(client: Any, audit: AuditLog, region: str, *, read_only: bool) -> None:
    """Read-only guard and audit log, on botocore's events so no caller can bypass them."""

    def before(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        if is_read_only_operation(model.name):
            return
        if read_only:
            audit.record(
                region=region,
                action=model.name,
                params=params,
                outcome="refused",
                detail="read-only mode",
            )
            raise ReadOnlyError(model.name)
        if not params.get("DryRun"):
            context["snaptui_audit_params"] = dict(params)

    def after(
        http_response: Any, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        params = context.get("snaptui_audit_params")
        if params is None:
            return
        error = parsed.get("Error") or {}
        status = getattr(http_response, "status_code", 0)
        if status >= 300 or error:
            audit.record(
                region=region,
                action=model.name,
                params=params,
                outcome="failed",
                detail=f"{error.get('Code', status)}: {error.get('Message', '')}",
            )
        else:
            audit.record(
                region=region,
                action=model.name,
                params=params,
                outcome="ok",
                detail=_created_ids(parsed),
            )

    def after_error(exception: BaseException, context: dict[str, Any], **kw: Any) -> None:
        params = context.get("snaptui_audit_params")
        if params is not None:
            audit.record(
                region=region,
                action=str(context.get("snaptui_op", "")),
                params=params,
                outcome="failed",
                detail=f"{type(exception).__name__}: {exception}",
            )

    def remember_op(model: Any, context: dict[str, Any], **_: Any) -> None:
        context["snaptui_op"] = model.name

    events = client.meta.events
    events.register("before-parameter-build.*.*", before)
    events.register("before-call.*.*", remember_op)
    events.register("after-call.*.*", after)
    events.register("after-call-error.*.*", after_error)


def _created_ids(parsed: dict[str, Any]) -> str:
    """The IDs a mutating call returned, so the audit line says what it made."""
    ids = [
        f"{k}={v}"
        for k, v in parsed.items()
        if isinstance(v, str) and k.endswith("Id") and k != "RequestId"
    ]
    # Lightsail answers operations[] naming the resources it touched.
    ids += [
        f"{op.get('resourceType', '')}={op['resourceName']}"
        for op in parsed.get("operations") or ()
        if isinstance(op, dict) and op.get("resourceName")
    ]
    return " ".join(ids)
