"""Audit log: one JSON line per mutating AWS call, written by a botocore hook on every client.

Hooking botocore (not our action functions) means no caller can forget to audit, and the
outcome recorded is what AWS answered. DryRun permission checks are not mutations and are
skipped.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

# Parameter names whose values never belong in a log file.
_SECRET_MARKERS = ("password", "secret", "userdata", "presignedurl", "token", "privatekey")


def default_audit_path() -> Path:
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


class AuditLog:
    """Thread-safe JSON-lines appender."""

    def __init__(self, path: Path, profile: str) -> None:
        self.path = path
        self.profile = profile
        self._lock = threading.Lock()

    def record(
        self, *, region: str, action: str, params: dict[str, Any], outcome: str, detail: str = ""
    ) -> None:
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "profile": self.profile,
            "region": region,
            "action": action,
            "params": redact(params),
            "outcome": outcome,
        }
        if detail:
            entry["detail"] = detail
        line = json.dumps(entry, default=str, sort_keys=True)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    def read(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
