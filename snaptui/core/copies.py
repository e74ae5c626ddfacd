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
