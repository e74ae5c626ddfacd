"""Fidelity layer: EBS snapshot lock (moto 5.2 has none: LockSnapshot answers an HTML 500).

AWS (EBS User Guide, "Lock Amazon EBS snapshots"; EC2 API LockSnapshot, UnlockSnapshot,
DescribeLockedSnapshots):
- LockSnapshot puts a snapshot in governance mode, or in compliance mode with an optional
  cooling-off period (1-72 hours) first; a lock lasts LockDuration days (1-36,500) or until
  ExpirationDate. States: governance, compliance-cooloff, compliance, expired.
- A locked snapshot (any state but expired) cannot be deleted: DeleteSnapshot is refused.
- UnlockSnapshot works in governance mode and during a compliance cooling-off period; a
  compliance lock after its cooling-off cannot be removed by anyone until it expires.
- DescribeLockedSnapshots lists the locks of the snapshots asked for (or all).
The refusal's error code is not documented; this layer answers ``SnapshotLocked`` (400).

Applied at the HTTP layer (EC2's Query protocol), the state kept per region here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from snaptui.demo.http_layer import App, StartResponse, credential_scope, read_form, respond

_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
_ACTIONS = frozenset({"LockSnapshot", "UnlockSnapshot", "DescribeLockedSnapshots"})


@dataclass(slots=True)
class Lock:
    snapshot_id: str
    owner_id: str
    mode: str  # governance | compliance
    created: datetime
    expires: datetime
    cool_off_hours: int = 0

    def state(self, now: datetime) -> str:
        if now >= self.expires:
            return "expired"
        if self.mode == "compliance" and now < self.cool_off_ends:
            return "compliance-cooloff"
        return self.mode

    @property
    def cool_off_ends(self) -> datetime:
        return self.created + timedelta(hours=self.cool_off_hours)


class LockError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class SnapshotLocks:
    """Locks per (region, snapshot id); ``exists(region, id)`` asks the EC2 backend."""

    def __init__(self, exists: Callable[[str, str], bool], owner_id: str) -> None:
        self.exists, self.owner_id = exists, owner_id
        self.locks: dict[tuple[str, str], Lock] = {}
        self.lock = threading.Lock()
        # Regions where DescribeLockedSnapshots is denied, as an IAM policy without
        # ec2:DescribeLockedSnapshots makes it: lock status is then unknown (tests set it).
        self.denied_regions: set[str] = set()

    def lock_snapshot(self, region: str, p: dict[str, str], now: datetime) -> Lock:
        sid = p.get("SnapshotId", "")
        if not self.exists(region, sid):
            raise LockError("InvalidSnapshot.NotFound", f"The snapshot '{sid}' does not exist.")
        mode = p.get("LockMode", "")
        if mode not in ("governance", "compliance"):
            raise LockError("InvalidParameterValue", "LockMode must be governance or compliance")
        cool = int(p.get("CoolOffPeriod", "0") or 0)
        if cool and (mode != "compliance" or not 1 <= cool <= 72):
            raise LockError("InvalidParameterValue", "CoolOffPeriod: 1-72 hours, compliance only")
        if "ExpirationDate" in p:
            expires = datetime.fromisoformat(p["ExpirationDate"].replace("Z", "+00:00"))
        else:
            days = int(p.get("LockDuration", "0") or 0)
            if not 1 <= days <= 36_500:
                raise LockError("InvalidParameterValue", "LockDuration: 1-36500 days")
            expires = now + timedelta(days=days)
        with self.lock:
            old = self.locks.get((region, sid))
            if old is not None and old.state(now) == "compliance":
                raise LockError("SnapshotLocked", f"{sid} is locked in compliance mode")
            new = Lock(sid, self.owner_id, mode, now, expires, cool)
            self.locks[(region, sid)] = new
        return new

    def unlock(self, region: str, sid: str, now: datetime) -> None:
        with self.lock:
            held = self.locks.get((region, sid))
            if held is not None and held.state(now) == "compliance":
                raise LockError(
                    "SnapshotLocked", f"{sid} is locked in compliance mode until {held.expires}"
                )
            self.locks.pop((region, sid), None)

    def active(self, region: str, sid: str, now: datetime) -> Lock | None:
        held = self.locks.get((region, sid))
        return held if held is not None and held.state(now) != "expired" else None


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _lock_xml(lock: Lock, now: datetime) -> str:
    days = max(1, round((lock.expires - lock.created).total_seconds() / 86_400))
    parts = [
        f"<ownerId>{lock.owner_id}</ownerId>",
        f"<snapshotId>{escape(lock.snapshot_id)}</snapshotId>",
        f"<lockState>{lock.state(now)}</lockState>",
        f"<lockDuration>{days}</lockDuration>",
        f"<lockCreatedOn>{_time(lock.created)}</lockCreatedOn>",
        f"<lockDurationStartTime>{_time(lock.cool_off_ends)}</lockDurationStartTime>",
        f"<lockExpiresOn>{_time(lock.expires)}</lockExpiresOn>",
    ]
    if lock.cool_off_hours:
        parts.append(f"<coolOffPeriod>{lock.cool_off_hours}</coolOffPeriod>")
        parts.append(
            f"<coolOffPeriodExpiresOn>{_time(lock.cool_off_ends)}</coolOffPeriodExpiresOn>"
        )
    return "".join(parts)


def _ok(action: str, inner: str) -> tuple[str, bytes]:
    body = f'<{action}Response xmlns="{_NS}"><requestId>demo</requestId>{inner}</{action}Response>'
    return "200 OK", body.encode()


def _error(err: LockError) -> tuple[str, bytes]:
    body = (
        f"<?xml version='1.0' encoding='UTF-8'?><Response><Errors><Error><Code>{err.code}</Code>"
        f"<Message>{escape(err.message)}</Message></Error></Errors>"
        "<RequestID>demo</RequestID></Response>"
    )
    return "400 Bad Request", body.encode()


def _answer(locks: SnapshotLocks, region: str, p: dict[str, str]) -> tuple[str, bytes] | None:
    """The layer's answer, or None: let moto answer (DeleteSnapshot of an unlocked one)."""
    now = datetime.now(UTC)
    action = p.get("Action", "")
    if action == "DeleteSnapshot":
        if p.get("DryRun") == "true":
            return None  # a DryRun asks about permissions only
        held = locks.active(region, p.get("SnapshotId", ""), now)
        if held is None:
            return None
        why = f"{held.snapshot_id} is locked ({held.state(now)})"
        return _error(LockError("SnapshotLocked", why))
    if p.get("DryRun") == "true":
        return _error(LockError("DryRunOperation", "Request would have succeeded."))
    if action == "LockSnapshot":
        return _ok(action, _lock_xml(locks.lock_snapshot(region, p, now), now))
    if action == "UnlockSnapshot":
        locks.unlock(region, p.get("SnapshotId", ""), now)
        return _ok(action, f"<snapshotId>{escape(p.get('SnapshotId', ''))}</snapshotId>")
    if region in locks.denied_regions:
        denied = "You are not authorized to perform this operation."
        return _error(LockError("UnauthorizedOperation", denied))
    wanted = {v for k, v in p.items() if k.startswith("SnapshotId.")}
    with locks.lock:
        in_region = [lk for (r, _), lk in locks.locks.items() if r == region]
    items = "".join(
        f"<item>{_lock_xml(lk, now)}</item>"
        for lk in in_region
        if (not wanted or lk.snapshot_id in wanted) and lk.state(now) != "expired"
    )
    return _ok(action, f"<snapshotSet>{items}</snapshotSet>")


def with_snapshot_locks(app: App, locks: SnapshotLocks) -> App:
    def dispatch(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        params = read_form(environ)
        if params is None:
            return app(environ, start_response)
        action = params.get("Action", "")
        if action not in _ACTIONS and action != "DeleteSnapshot":
            return app(environ, start_response)
        try:
            answer = _answer(locks, credential_scope(environ)[0], params)
        except LockError as exc:
            answer = _error(exc)
        except ValueError as exc:  # a number or date that does not parse
            answer = _error(LockError("InvalidParameterValue", str(exc)))
        if answer is None:
            return app(environ, start_response)
        return respond(start_response, answer[0], [("Content-Type", "text/xml")], answer[1])

    return dispatch
