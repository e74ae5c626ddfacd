"""Fidelity layer: EBS fast snapshot restore (moto 5.2 has none: it answers an HTML 500).

AWS (EBS User Guide, "Amazon EBS fast snapshot restore"; EC2 API EnableFastSnapshotRestores,
DisableFastSnapshotRestores, DescribeFastSnapshotRestores):
- Enabled per snapshot and Availability Zone; the state goes enabling -> optimizing ->
  enabled (optimizing takes about 60 minutes per TiB of the snapshot's volume size), and
  disabling -> disabled. Billed per DSU-hour: one per snapshot per AZ while enabled.
- Enable/Disable answer per pair: the pairs that could be done under ``successful``, each
  snapshot that could not under ``unsuccessful`` with an error per AZ (an unknown snapshot,
  an AZ of another region); a request is not refused whole for one bad pair.
- At most 5 snapshots per region can have it enabled (the default quota).
- DescribeFastSnapshotRestores filters by snapshot-id, availability-zone, owner-id and state,
  pages with MaxResults (0-200) and NextToken.
Here optimizing takes ``optimize_s_per_tib`` seconds per TiB (60 by default, so a demo's small
volume is enabled within seconds); ``clock`` is settable for tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from snaptui.demo.http_layer import App, StartResponse, credential_scope, read_form, respond

_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
_ACTIONS = frozenset(
    {"EnableFastSnapshotRestores", "DisableFastSnapshotRestores", "DescribeFastSnapshotRestores"}
)
QUOTA = 5
_ENABLING = timedelta(seconds=2)
_PAGE = 200


@dataclass(slots=True)
class FastRestore:
    snapshot_id: str
    az: str
    owner_id: str
    size_gib: int
    enabling: datetime
    optimize_s_per_tib: float
    disabling: datetime | None = None

    def times(self) -> tuple[datetime, datetime]:
        """(optimizing from, enabled from)."""
        optimizing = self.enabling + _ENABLING
        span = timedelta(seconds=self.optimize_s_per_tib * self.size_gib / 1024)
        return optimizing, optimizing + span

    def state(self, now: datetime) -> str:
        if self.disabling is not None:
            return "disabling" if now < self.disabling + _ENABLING else "disabled"
        optimizing, enabled = self.times()
        return "enabling" if now < optimizing else "optimizing" if now < enabled else "enabled"

    def xml(self, now: datetime) -> str:
        state = self.state(now)
        optimizing, enabled = self.times()
        parts = [
            f"<snapshotId>{escape(self.snapshot_id)}</snapshotId>",
            f"<availabilityZone>{escape(self.az)}</availabilityZone>",
            f"<state>{state}</state>",
            "<stateTransitionReason>Client.UserInitiated</stateTransitionReason>",
            f"<ownerId>{self.owner_id}</ownerId>",
            f"<enablingTime>{_time(self.enabling)}</enablingTime>",
        ]
        if now >= optimizing:
            parts.append(f"<optimizingTime>{_time(optimizing)}</optimizingTime>")
        if now >= enabled:
            parts.append(f"<enabledTime>{_time(enabled)}</enabledTime>")
        if self.disabling is not None:
            parts.append(f"<disablingTime>{_time(self.disabling)}</disablingTime>")
        return "".join(parts)


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _moto_snapshot(account: str, region: str, snapshot_id: str) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[account][region].snapshots.get(snapshot_id)


@dataclass
class FastRestores:
    owner_id: str
    find: Callable[[str, str, str], Any] = _moto_snapshot
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    optimize_s_per_tib: float = 60.0
    entries: dict[tuple[str, str, str], FastRestore] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()

    def in_region(self, region: str, now: datetime) -> list[FastRestore]:
        live = []
        for (r, sid, az), entry in list(self.entries.items()):
            if entry.state(now) == "disabled":
                del self.entries[(r, sid, az)]  # gone from the list once disabled
            elif r == region:
                live.append(entry)
        return live

    def enable(self, region: str, sid: str, az: str, now: datetime) -> tuple[str, str]:
        """Enable one pair; ("", "") when done, else (error code, message)."""
        snap = self.find(self.owner_id, region, sid)
        if snap is None:
            return "InvalidSnapshot.NotFound", f"The snapshot '{sid}' does not exist."
        if not az.startswith(region) or len(az) != len(region) + 1:
            return "InvalidParameterValue", f"{az} is not an Availability Zone of {region}"
        if (region, sid, az) in self.entries:
            return "", ""
        enabled = {s for (r, s, _) in self.entries if r == region}
        if sid not in enabled and len(enabled) >= QUOTA:
            return "FastSnapshotRestoreLimitExceeded", f"at most {QUOTA} snapshots per region"
        size = int(getattr(getattr(snap, "volume", None), "size", 0) or 0)
        self.entries[(region, sid, az)] = FastRestore(
            sid, az, self.owner_id, size, now, self.optimize_s_per_tib
        )
        return "", ""

    def disable(self, region: str, sid: str, az: str, now: datetime) -> tuple[str, str]:
        entry = self.entries.get((region, sid, az))
        if entry is None:
            return (
                "InvalidParameterValue",
                f"fast snapshot restore is not enabled for {sid} in {az}",
            )
        if entry.disabling is None:
            entry.disabling = now
        return "", ""


def _multi(p: dict[str, str], prefix: str) -> list[str]:
    return [v for k, v in sorted(p.items()) if k.startswith(prefix + ".")]


def _filters(p: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, name in p.items():
        if key.startswith("Filter.") and key.endswith(".Name"):
            stem = key[: -len("Name")]
            out[name] = {v for k, v in p.items() if k.startswith(stem + "Value.")}
    return out


def _describe(fsr: FastRestores, region: str, p: dict[str, str], now: datetime) -> str:
    wanted = _filters(p)
    keys = {"snapshot-id": "snapshot_id", "availability-zone": "az", "owner-id": "owner_id"}
    rows = sorted(fsr.in_region(region, now), key=lambda e: (e.snapshot_id, e.az))
    rows = [
        e
        for e in rows
        if all(getattr(e, keys[n]) in vs for n, vs in wanted.items() if n in keys)
        and ("state" not in wanted or e.state(now) in wanted["state"])
    ]
    size = int(p.get("MaxResults") or _PAGE) or _PAGE
    start = int(p.get("NextToken") or 0)
    items = "".join(f"<item>{e.xml(now)}</item>" for e in rows[start : start + size])
    more = f"<nextToken>{start + size}</nextToken>" if start + size < len(rows) else ""
    return f"<fastSnapshotRestoreSet>{items}</fastSnapshotRestoreSet>{more}"


def _change(fsr: FastRestores, region: str, p: dict[str, str], now: datetime, on: bool) -> str:
    done, failed = [], []
    for sid in _multi(p, "SourceSnapshotId"):
        errors = []
        for az in _multi(p, "AvailabilityZone"):
            code, message = (fsr.enable if on else fsr.disable)(region, sid, az, now)
            entry = fsr.entries.get((region, sid, az))
            if code:
                errors.append(
                    f"<item><availabilityZone>{escape(az)}</availabilityZone><error><code>{code}"
                    f"</code><message>{escape(message)}</message></error></item>"
                )
            elif entry is not None:
                done.append(f"<item>{entry.xml(now)}</item>")
        if errors:
            failed.append(
                f"<item><snapshotId>{escape(sid)}</snapshotId><fastSnapshotRestoreStateErrorSet>"
                f"{''.join(errors)}</fastSnapshotRestoreStateErrorSet></item>"
            )
    return f"<successful>{''.join(done)}</successful><unsuccessful>{''.join(failed)}</unsuccessful>"


def _answer(fsr: FastRestores, region: str, p: dict[str, str]) -> bytes:
    action, now = p["Action"], fsr.clock()
    with fsr.lock:
        if action == "DescribeFastSnapshotRestores":
            inner = _describe(fsr, region, p, now)
        else:
            inner = _change(fsr, region, p, now, action == "EnableFastSnapshotRestores")
    return (
        f'<{action}Response xmlns="{_NS}"><requestId>demo</requestId>{inner}</{action}Response>'
    ).encode()


def with_fast_restores(app: App, fsr: FastRestores) -> App:
    def dispatch(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        params = read_form(environ)
        if params is None or params.get("Action") not in _ACTIONS:
            return app(environ, start_response)
        body = _answer(fsr, credential_scope(environ)[0], params)
        return respond(start_response, "200 OK", [("Content-Type", "text/xml")], body)

    return dispatch
