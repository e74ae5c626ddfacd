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
from snaptui.aws.audit import AuditLog, created_ids, default_audit_path
from snaptui.aws.errors import EndpointLacksApi, ReadOnlyError, removal_goal_holds
from snaptui.core import timeouts

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
    max_attempts: int = timeouts.MAX_ATTEMPTS
    connect_timeout: float = timeouts.CONNECT_TIMEOUT
    read_timeout: float = timeouts.READ_TIMEOUT
    # Extra environment-free credentials, used by the demo world only.
    access_key_id: str | None = None
    secret_access_key: str | None = None
    session_token: str | None = None
    default_region: str = "us-east-1"
    # Another account, reached by assuming this role with the profile's credentials
    # (--org-role); the credentials refresh themselves before they expire.
    role_arn: str | None = None
    # What the UI, the reports and the caches call this account (default: the profile).
    account_label: str | None = None
    audit_path: Path | None = None  # None: the platformdirs log dir
    cache_root: Path | None = None  # None: the platformdirs cache dir (diffs, prices)
    # APIs the endpoint declares it lacks, as "service:Operation" or "service:*" (the demo
    # world has no Recycle Bin, lock or Pricing): refused before sending, as NOT_SUPPORTED.
    lacks: frozenset[str] = frozenset()
    # How long a new resource may stay invisible to Describe calls (EC2 is eventually
    # consistent and documents no bound): how long to look for a create's token before
    # creating again. An endpoint that knows its own delay (the demo world) declares it.
    consistency_s: float = 15.0

    def has_api(self, service: str, operation: str) -> bool:
        return f"{service}:{operation}" not in self.lacks and f"{service}:*" not in self.lacks

    @property
    def effective_endpoint(self) -> str | None:
        return self.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None


@dataclass
class AwsContext:
    """One per app/CLI run: hands out cached, thread-safe clients for a target."""

    target: AwsTarget
    _session: boto3.Session = field(init=False)
    _clients: dict[tuple[str, str, int], Any] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    audit: AuditLog = field(init=False)

    def __post_init__(self) -> None:
        t = self.target
        # ProfileNotFound raises here, before any UI starts: the CLI turns it into exit code 2.
        self._session = boto3.Session(
            profile_name=t.profile,
            aws_access_key_id=t.access_key_id,
            aws_secret_access_key=t.secret_access_key,
            aws_session_token=t.session_token,
        )
        if t.role_arn:
            self._session = _assumed_role_session(self._session, t, t.role_arn)
        self.audit = AuditLog(t.audit_path or default_audit_path(), self.profile_label)

    @property
    def profile_label(self) -> str:
        if self.target.account_label:
            return self.target.account_label
        return self.target.profile or os.environ.get("AWS_PROFILE") or "default"

    @property
    def home_region(self) -> str:
        return self._session.region_name or self.target.default_region

    def client(
        self, service: str, region: str | None = None, *, max_attempts: int = 0, retry: bool = True
    ) -> Any:
        """A boto3 client with the retry mode, time limits, read-only guard and audit log.

        ``max_attempts`` lowers the target's attempts for an optional call (live prices).
        ``retry=False``: one attempt per call, for creates without a ClientToken, which the
        caller makes idempotent itself (a retry after a lost answer would make a second one).
        """
        region = region or self.home_region
        attempts = min(max_attempts or self.target.max_attempts, self.target.max_attempts)
        if not retry:
            attempts = 1
        key = (service, region, attempts)
        with self._lock:
            cached = self._clients.get(key)
            if cached is not None:
                return cached
            config = Config(
                # total_max_attempts counts the first try; botocore's max_attempts counts only
                # retries, so max_attempts=1 was two sends of a create meant to go once.
                retries={"mode": self.target.retry_mode, "total_max_attempts": attempts},
                connect_timeout=self.target.connect_timeout,
                read_timeout=self.target.read_timeout,
                max_pool_connections=20,
                user_agent_extra="snaptui",
            )
            kwargs: dict[str, Any] = {"region_name": region, "config": config}
            endpoint = self.target.effective_endpoint
            if endpoint:
                kwargs["endpoint_url"] = endpoint
            client = self._session.client(service, **kwargs)  # type: ignore[call-overload]
            _install_hooks(client, self.audit, region, self.target)
            fast_xml.install(client)  # EC2's big Describe* answers: 10x less parse CPU
            self._clients[key] = client
            return client


def _assumed_role_session(source: boto3.Session, t: AwsTarget, role_arn: str) -> boto3.Session:
    """A session whose credentials come from AssumeRole(role_arn) with ``source``'s, through
    botocore's own fetcher: asked on first use, refreshed before they expire (a long UI session
    outlives the hour AssumeRole grants), and sent to the same endpoint as everything else."""
    import botocore.session
    from botocore.credentials import (
        AssumeRoleCredentialFetcher,
        CredentialProvider,
        DeferredRefreshableCredentials,
    )

    region = source.region_name or t.default_region
    endpoint = t.effective_endpoint
    config = Config(
        retries={"mode": t.retry_mode, "total_max_attempts": t.max_attempts},
        connect_timeout=t.connect_timeout,
        read_timeout=t.read_timeout,
    )

    def sts_client(service: str, **kwargs: Any) -> Any:
        extra = {"endpoint_url": endpoint} if endpoint else {}
        return source.client(service, region_name=region, config=config, **extra, **kwargs)  # type: ignore[call-overload]

    fetcher = AssumeRoleCredentialFetcher(
        client_creator=sts_client,
        source_credentials=source.get_credentials(),
        role_arn=role_arn,
        extra_args={"RoleSessionName": "snaptui"},
    )
    credentials = DeferredRefreshableCredentials(
        refresh_using=fetcher.fetch_credentials, method="assume-role"
    )

    class _Assumed(CredentialProvider):
        METHOD = "assume-role"

        def load(self) -> Any:
            return credentials

    core = botocore.session.Session()
    core.get_component("credential_provider").insert_before("env", _Assumed())
    return boto3.Session(botocore_session=core, region_name=region)


def _install_hooks(client: Any, audit: AuditLog, region: str, target: AwsTarget) -> None:
    """Capabilities, read-only guard and fail-closed audit log, on botocore's events so nothing
    bypasses them.

    before-parameter-build: refuse what the endpoint lacks, or anything in read-only mode;
    remember the API parameters.
    before-call (parameters validated, nothing sent yet): write the intent, or raise.
    after-call / after-call-error: write the outcome and the ids a create returned.
    """

    service = str(client.meta.service_model.service_name)

    def before(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        mutating = not is_read_only_operation(model.name)
        if not target.has_api(service, model.name):
            if mutating and not params.get("DryRun"):
                audit.record_outcome(
                    region=region,
                    action=model.name,
                    params=params,
                    outcome="refused",
                    detail="not supported by this endpoint",
                )
            raise EndpointLacksApi(service, model.name)
        if not mutating:
            return
        if target.read_only:
            audit.record_outcome(
                region=region,
                action=model.name,
                params=params,
                outcome="refused",
                detail="read-only mode",
            )
            raise ReadOnlyError(model.name)
        if not params.get("DryRun"):
            context["snaptui_audit_params"] = dict(params)

    def intent(model: Any, context: dict[str, Any], **_: Any) -> None:
        context["snaptui_op"] = model.name
        params = context.get("snaptui_audit_params")
        if params is None:
            return
        call_id = audit.new_call_id()
        context["snaptui_audit_id"] = call_id
        # Raises AuditUnavailable: botocore then never sends the request.
        audit.record(
            region=region, action=model.name, params=params, outcome="intent", call_id=call_id
        )

    def after(
        http_response: Any, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        params = context.get("snaptui_audit_params")
        if params is None:
            return
        error = parsed.get("Error") or {}
        status = getattr(http_response, "status_code", 0)
        common = {
            "region": region,
            "action": model.name,
            "params": params,
            "call_id": context.get("snaptui_audit_id", ""),
        }
        code = str(error.get("Code", ""))
        if removal_goal_holds(model.name, code):
            # The goal of a removal holds: typically a retry after the first answer was lost.
            audit.record_outcome(**common, outcome="ok", detail=f"already gone ({code})")
        elif status >= 300 or error:
            detail = f"{error.get('Code', status)}: {error.get('Message', '')}"
            audit.record_outcome(**common, outcome="failed", detail=detail)
        else:
            audit.record_outcome(**common, outcome="ok", created=created_ids(model.name, parsed))

    def after_error(exception: BaseException, context: dict[str, Any], **kw: Any) -> None:
        params = context.get("snaptui_audit_params")
        if params is not None:
            audit.record_outcome(
                region=region,
                action=str(context.get("snaptui_op", "")),
                params=params,
                outcome="failed",
                detail=f"{type(exception).__name__}: {exception}",
                call_id=context.get("snaptui_audit_id", ""),
            )

    events = client.meta.events
    events.register("before-parameter-build.*.*", before)
    events.register("before-call.*.*", intent)
    events.register("after-call.*.*", after)
    events.register("after-call-error.*.*", after_error)
