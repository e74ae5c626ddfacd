"""Which snapshots snaptui made, in a form that copying tags cannot fake by accident. Pure.

``snaptui snapshot`` tags what it makes with ``snaptui:policy=<policy>`` (for people and for
DescribeSnapshots filters) and with an ownership marker::

    snaptui:owner = "snaptui/1 vol=<source volume> policy=<policy> at=<UTC minute>"

binding the snapshot to the tool, the volume it was made of, its policy and when it was asked
for. Tags spread — CreateSnapshots' CopyTagsFromSource, DLM's copy-tags, a console copy with
"copy tags" — but a spread marker no longer fits: a copy's VolumeId is vol-ffffffff, a
snapshot of another volume has another VolumeId, and a later snapshot of the same volume has
another StartTime. `snaptui prune` acts only on a snapshot whose marker fits all of these and
groups by the volume the marker records.

A copy made by snaptui (the UI's copy) never carries the marker; it gets a copy marker::

    snaptui:copy-of = "snaptui/1 snap=<source> region=<source region> vol=<source volume>
                       policy=<policy>"

which `prune --copies-of <source region>` alone acts on, in the copy's region.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from snaptui.core import ids
from snaptui.core.tags import user_tags

POLICY_TAG = "snaptui:policy"
OWNER_TAG = "snaptui:owner"
COPY_TAG = "snaptui:copy-of"
OWNERSHIP_TAGS = frozenset({POLICY_TAG, OWNER_TAG, COPY_TAG})
# The unique token a create is tagged with (aws/idempotent.py): it names one request, so it
# belongs to what that request made and is never carried over to a copy or a volume.
REQUEST_TOKEN_TAG = "snaptui:request-token"
TOOL = "snaptui/1"
# How far a snapshot's StartTime may be from the marker's time (clock skew, slow starts).
TIME_SLACK = timedelta(hours=1)
_AT_FORMAT = "%Y%m%dT%H%MZ"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether prune may act on a snapshot; ``group`` is the source volume it counts under."""

    owned: bool
    reason: str = ""
    group: str = ""


def owner_value(volume_id: str, policy: str, at: datetime) -> str:
    return f"{TOOL} vol={volume_id} policy={policy} at={at.astimezone(UTC):{_AT_FORMAT}}"


def owner_tags(volume_id: str, policy: str, at: datetime) -> dict[str, str]:
    """The tags a snapshot of ``volume_id`` made by `snaptui snapshot` carries."""
    return {POLICY_TAG: policy, OWNER_TAG: owner_value(volume_id, policy, at)}


def copy_value(source_id: str, source_region: str, volume_id: str, policy: str) -> str:
    return f"{TOOL} snap={source_id} region={source_region} vol={volume_id} policy={policy}"


def _fields(value: str) -> dict[str, str] | None:
    words = value.split(" ")
    if not words or words[0] != TOOL:
        return None
    out: dict[str, str] = {}
    for word in words[1:]:
        key, sep, val = word.partition("=")
        if not sep or key in out:
            return None
        out[key] = val
    return out


def copy_fields(value: str) -> dict[str, str] | None:
    """A snaptui:copy-of marker's fields, or None when it is malformed."""
    f = _fields(value)
    if f is None or not ids.is_id(f.get("snap", ""), "snapshot"):
        return None
    return f if ids.is_region(f.get("region", "")) else None


def owner_verdict(
    tags: Mapping[str, str], volume_id: str, start_time: datetime, policy: str
) -> Verdict:
    """May `prune --policy <policy>` act on this snapshot (not a copy)?"""
    value = tags.get(OWNER_TAG)
    if value is None:
        return Verdict(
            False, "no snaptui:owner marker (made by hand, another tool or an old snaptui)"
        )
    f = _fields(value)
    if f is None or set(f) != {"vol", "policy", "at"} or not ids.is_id(f["vol"], "volume"):
        return Verdict(False, "malformed snaptui:owner marker")
    if f["policy"] != policy or tags.get(POLICY_TAG) != policy:
        return Verdict(False, f"snaptui:owner names policy {f['policy']!r}")
    if f["vol"] != volume_id:
        return Verdict(False, f"marker names {f['vol']}, the snapshot is of {volume_id} (spread)")
    try:
        at = datetime.strptime(f["at"], _AT_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return Verdict(False, "malformed snaptui:owner time")
    if abs(start_time - at) > TIME_SLACK:
        return Verdict(False, "marker time does not match the snapshot's start (spread)")
    return Verdict(True, group=volume_id)


def copy_verdict(
    tags: Mapping[str, str], volume_id: str, policy: str, source_region: str
) -> Verdict:
    """May `prune --copies-of <source_region> --policy <policy>` act on this snapshot?"""
    if OWNER_TAG in tags:
        return Verdict(False, "carries an owner marker: not a snaptui copy")
    value = tags.get(COPY_TAG)
    if value is None:
        return Verdict(False, "no snaptui:copy-of marker")
    f = _fields(value)
    if f is None or set(f) != {"snap", "region", "vol", "policy"}:
        return Verdict(False, "malformed snaptui:copy-of marker")
    if not (ids.is_id(f["snap"], "snapshot") and ids.is_id(f["vol"], "volume")):
        return Verdict(False, "malformed snaptui:copy-of marker")
    if f["policy"] != policy:
        return Verdict(False, f"snaptui:copy-of names policy {f['policy']!r}")
    if f["region"] != source_region:
        return Verdict(False, f"a copy from {f['region']}, not {source_region}")
    # AWS gives every copy vol-ffffffff; an endpoint that keeps the source's id is accepted too.
    if volume_id not in (ids.COPY_VOLUME_ID, f["vol"]):
        return Verdict(False, f"marker names {f['vol']}, the snapshot is of {volume_id} (spread)")
    return Verdict(True, group=f["vol"])


def copyable_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """Tags another resource may take over: no aws: keys, no snaptui ownership markers."""
    return {
        k: v
        for k, v in user_tags(tags).items()
        if k not in OWNERSHIP_TAGS and k != REQUEST_TOKEN_TAG
    }


def tags_for_copy(
    source_tags: Mapping[str, str],
    source_id: str,
    source_region: str,
    source_volume: str,
    start_time: datetime,
) -> dict[str, str]:
    """What a copy may carry: the user's tags without AWS's or snaptui's ownership markers;
    a copy of a snapshot snaptui owns gets a copy marker naming where it came from."""
    out = copyable_tags(source_tags)
    policy = source_tags.get(POLICY_TAG, "")
    if policy and owner_verdict(source_tags, source_volume, start_time, policy).owned:
        out[COPY_TAG] = copy_value(source_id, source_region, source_volume, policy)
    return out
