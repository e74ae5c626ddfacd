"""What prune may touch, and the keep/delete plan per source volume. Pure (no AWS calls).

Only snapshots whose ownership marker fits them are planned (snaptui.core.ownership); they
are grouped by the source volume the marker records — never by AWS's VolumeId, which is
vol-ffffffff for every copy and would merge unrelated volumes into one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from snaptui.core.ownership import copy_verdict, owner_verdict
from snaptui.core.retention import KeepRules, SnapshotRef, plan_retention
from snaptui.models import Snapshot


@dataclass(slots=True)
class Row:
    snapshot: Snapshot
    source_volume: str  # the volume the marker records (= snapshot.volume_id unless a copy)
    action: str  # "keep" | "delete" | "deleted" | "delete-failed" | "already-gone"
    reasons: tuple[str, ...]
    saving_usd: float | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A snapshot carrying the policy tag (or a copy marker) that prune leaves alone."""

    snapshot: Snapshot
    reason: str


def owned_groups(
    snaps: Iterable[Snapshot],
    policy: str,
    copies_of: str | None,
    volumes: Collection[str] | None = None,
) -> tuple[dict[str, list[Snapshot]], list[Skipped]]:
    """Source volume -> the snapshots prune may act on; and those it must leave alone.

    ``copies_of`` set: copies made by snaptui of that region's snapshots, else snaptui's own
    snapshots. ``volumes``: only these source volumes (None: all).
    """
    groups: dict[str, list[Snapshot]] = defaultdict(list)
    skipped: list[Skipped] = []
    for s in snaps:
        if copies_of is None:
            verdict = owner_verdict(s.tags, s.volume_id, s.start_time, policy)
        else:
            verdict = copy_verdict(s.tags, s.volume_id, policy, copies_of)
        if not verdict.owned:
            skipped.append(Skipped(s, verdict.reason))
        elif volumes is None or verdict.group in volumes:
            groups[verdict.group].append(s)
    return dict(groups), skipped


def protected_ids(used_by: Mapping[str, list[str]], locked: Collection[str]) -> dict[str, str]:
    """Snapshot id -> why it must stay whatever the rules say."""
    out = {sid: "used by " + ", ".join(sorted(amis)) for sid, amis in used_by.items()}
    for sid in locked:
        out[sid] = "; ".join(filter(None, [out.get(sid), "locked"]))
    return out


def plan_group(
    source_volume: str, snaps: list[Snapshot], rules: KeepRules, protected: Mapping[str, str]
) -> list[Row]:
    """Keep/delete rows for one source volume, newest first."""
    refs = [SnapshotRef(s.id, s.start_time, s.state) for s in snaps]
    plan = plan_retention(refs, rules, protected)
    by_id = {s.id: s for s in snaps}
    rows = [Row(by_id[sid], source_volume, "keep", why) for sid, why in plan.keep.items()]
    rows += [Row(by_id[sid], source_volume, "delete", ()) for sid in plan.delete]
    rows.sort(key=lambda r: (r.snapshot.start_time, r.snapshot.id), reverse=True)
    return rows
