"""Where a copy came from, and where a snapshot's copies are: DR coverage from the inventory.

AWS's DescribeSnapshots does not say what a snapshot was copied from. Two things do:
- snaptui's own marker on copies it made (``snaptui:copy-of``: source id and region);
- the description AWS's console and CLI give a copy by default, ``[Copied snap-… from
  us-east-1]`` (also what snaptui writes when the user leaves the description alone).
A copy whose description was rewritten and that carries no marker has no known source: it is
shown as "unknown", never guessed from its VolumeId.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from snaptui.core import fmt
from snaptui.core.ownership import COPY_TAG, copy_fields
from snaptui.models import Snapshot

_COPIED = re.compile(r"\[Copied (snap-[0-9a-f]{8,17}) from ([a-z]{2}(?:-[a-z]+)+-\d+)\]")


@dataclass(frozen=True, slots=True)
class CopySource:
    snapshot_id: str
    region: str
    evidence: str  # "snaptui marker" | "description"


def copy_source(snap: Snapshot) -> CopySource | None:
    """The snapshot this one is a copy of, when the inventory can tell."""
    marker = snap.tags.get(COPY_TAG)
    if marker:
        fields = copy_fields(marker)
        if fields and fields.get("snap") and fields.get("region"):
            return CopySource(fields["snap"], fields["region"], "snaptui marker")
    if snap.description.startswith("[Copied "):
        found = _COPIED.match(snap.description)
        if found:
            return CopySource(found.group(1), found.group(2), "description")
    return None


def copies_by_source(snapshots: Iterable[Snapshot]) -> dict[str, list[Snapshot]]:
    """Source snapshot id -> its known copies (any region), in inventory order."""
    out: dict[str, list[Snapshot]] = {}
    for snap in snapshots:
        if snap.description.startswith("[Copied ") or COPY_TAG in snap.tags:
            src = copy_source(snap)
            if src is not None:
                out.setdefault(src.snapshot_id, []).append(snap)
    return out


def other_regions(region: str, snapshots: Iterable[Snapshot]) -> list[str]:
    """The regions other than ``region`` that hold one of ``snapshots``, sorted."""
    return sorted({s.region for s in snapshots if s.region != region})


def progress_text(snap: Snapshot, now: datetime) -> str:
    """A pending snapshot's state, progress and when it should be done.

    A time-based copy is due StartTime + CompletionDurationMinutes, as AWS promises; otherwise
    the rest is estimated from the progress so far (elapsed x remaining / done), said as an
    estimate, and not before 1%."""
    if snap.state != "pending":
        done = snap.progress and snap.progress != "100%"
        return f"{snap.state} {snap.progress}" if done else snap.state
    text = f"pending {snap.progress}".rstrip()
    if snap.transfer_type == "time-based" and snap.completion_minutes:
        due = snap.start_time + timedelta(minutes=snap.completion_minutes)
        left = f"in {fmt.span((due - now).total_seconds())}" if due > now else "overdue"
        return f"{text}, time-based copy due {fmt.local_time(due)} ({left})"
    percent = _percent(snap.progress)
    if percent is None or not 1 <= percent < 100:
        return text
    elapsed = (now - snap.start_time).total_seconds()
    if elapsed <= 0:
        return text
    remaining = elapsed * (100 - percent) / percent
    return f"{text}, about {fmt.span(remaining)} left (from progress so far)"


def _percent(progress: str) -> float | None:
    try:
        return float(progress.rstrip("%"))
    except ValueError:
        return None
