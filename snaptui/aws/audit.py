"""Audit log: JSON lines for every mutating AWS call, written by botocore hooks on every client.

Fail-closed: the *intent* line is written and synced to disk before the request is sent, and
the outcome line after AWS answered. If the intent cannot be written (disk full, a directory
where the file should be, no permission) the call is not sent: the hook raises
``AuditUnavailable``. An outcome that cannot be written is remembered in ``failures`` (the call
has happened; the command reports it). The log holds tags, descriptions, message bodies and
key ARNs, so the file is 0600 and its directory 0700. DryRun permission checks are skipped.

Lines of one call share an ``id``: ``outcome`` is "intent", then "ok", "failed" or "refused"
(read-only refusals are never sent, so they have no intent line). ``created`` lists the ids a
create returned, nested ones included (CreateSnapshots, RunInstances).
"""

from __future__ import annotations

import json
import os
import stat
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

# Parameter names whose values never belong in a log file.
_SECRET_MARKERS = ("password", "secret", "userdata", "presignedurl", "token", "privatekey")
# Where each create's new ids are in its answer: list keys walked, then the id key.
_CREATED: dict[str, tuple[str, ...]] = {
    "CreateSnapshot": ("SnapshotId",),
    "CreateSnapshots": ("Snapshots", "SnapshotId"),
    "CopySnapshot": ("SnapshotId",),
    "CreateVolume": ("VolumeId",),
    "RunInstances": ("Instances", "InstanceId"),
    "CreateImage": ("ImageId",),
    "RegisterImage": ("ImageId",),
    "CopyImage": ("ImageId",),
    "StartSnapshot": ("SnapshotId",),
}


class AuditUnavailable(Exception):
    """The audit log cannot be written, so the call was not sent."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write the audit log {path}: {reason}; nothing was sent")
        self.path = path
        self.reason = reason


def default_audit_path() -> Path:
    """SNAPTUI_AUDIT_LOG, else the platformdirs log directory."""
    override = os.environ.get("SNAPTUI_AUDIT_LOG")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir("snaptui")) / "audit.jsonl"


def redact(value: Any, key: str = "") -> Any:
    if any(m in key.lower() for m in _SECRET_MARKERS) and key not in ("ClientToken",):
        return "***"
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v, key) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def created_ids(operation: str, parsed: dict[str, Any]) -> list[str]:
    """The ids a mutating call's answer says it made (every element of a nested list)."""
    path = _CREATED.get(operation)
    if path is not None:
        return list(_walk(parsed, path))
    # Any other call: the top-level ...Id strings it answered with, and the resources a
    # Lightsail operations[] answer names.
    ids = [
        v for k, v in parsed.items() if isinstance(v, str) and k.endswith("Id") and k != "RequestId"
    ]
    ids += [
        f"{op.get('resourceType', '')}={op['resourceName']}"
        for op in parsed.get("operations") or ()
        if isinstance(op, dict) and op.get("resourceName")
    ]
    return ids


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[str]:
    if not path:
        if isinstance(node, str) and node:
            yield node
        return
    child = node.get(path[0]) if isinstance(node, dict) else None
    if isinstance(child, list):
        for item in child:
            yield from _walk(item, path[1:])
    elif child is not None:
        yield from _walk(child, path[1:])


class AuditLog:
    """Thread-safe, fail-closed JSON-lines appender."""

    def __init__(self, path: Path, profile: str) -> None:
        self.path = path
        self.profile = profile
        self.failures: list[str] = []  # outcome lines that could not be written
        self._lock = threading.Lock()

    def check_writable(self) -> None:
        """Open (and create, 0600 in a 0700 directory) the log now; AuditUnavailable if not."""
        with self._lock:
            os.close(self._open())

    def new_call_id(self) -> str:
        return uuid.uuid4().hex[:16]

    def record(
        self,
        *,
        region: str,
        action: str,
        params: dict[str, Any],
        outcome: str,
        detail: str = "",
        call_id: str = "",
        created: list[str] | None = None,
    ) -> None:
        """Append one line, synced to disk; AuditUnavailable if it cannot be written."""
        entry: dict[str, Any] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "profile": self.profile,
            "region": region,
            "action": action,
            "params": redact(params),
            "outcome": outcome,
        }
        if call_id:
            entry["id"] = call_id
        if detail:
            entry["detail"] = detail
        if created:
            entry["created"] = created
        line = (json.dumps(entry, default=str, sort_keys=True) + "\n").encode()
        with self._lock:
            fd = self._open()
            try:
                os.write(fd, line)
                os.fsync(fd)
            except OSError as exc:
                raise AuditUnavailable(self.path, exc.strerror or str(exc)) from exc
            finally:
                os.close(fd)

    def record_outcome(self, **kwargs: Any) -> None:
        """Like ``record``, for what happened after a call was sent: never raises."""
        try:
            self.record(**kwargs)
        except AuditUnavailable as exc:
            with self._lock:
                self.failures.append(f"{kwargs.get('action', '')}: {exc.reason}")

    def _open(self) -> int:
        try:
            _private_dir(self.path.parent)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise AuditUnavailable(self.path, exc.strerror or str(exc)) from exc
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise AuditUnavailable(self.path, "not a regular file")
            if info.st_mode & 0o077 and info.st_uid == os.getuid():
                os.fchmod(fd, 0o600)  # an older, world-readable log: close it up
        except BaseException:
            os.close(fd)
            raise
        return fd

    def read(self, *, intents: bool = False) -> list[dict[str, Any]]:
        """The outcome lines (one per call); with ``intents`` the intent lines too."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as fh:
            lines = [json.loads(line) for line in fh if line.strip()]
        return [e for e in lines if intents or e.get("outcome") != "intent"]


def _private_dir(path: Path) -> None:
    if not path.exists():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return
    # Tighten only our own log directory: a user's --audit path may sit in their home.
    own = Path(platformdirs.user_log_dir("snaptui"))
    info = path.stat()
    if path == own and info.st_mode & 0o077 and info.st_uid == os.getuid():
        path.chmod(0o700)
