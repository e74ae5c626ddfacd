"""Blocking EC2 calls behind `snaptui snapshot` and `snaptui prune`.

Every function takes an ``AwsContext`` (so the read-only guard and the audit log see each call)
and a region, and lets botocore exceptions propagate: callers turn them into Problems with
``problem_from``. Neither CreateSnapshot nor CreateSnapshots accepts a ClientToken (botocore's
model has none): both are made idempotent with a token tag (aws/idempotent.py), so a lost
answer never leaves a second snapshot (or set). Deletes that find the snapshot already gone
count as done.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from snaptui.aws import locks, parse, waiting
from snaptui.aws.calls import ActionError, Progress, no_progress
from snaptui.aws.errors import is_not_found, problem_from, retried
from snaptui.aws.idempotent import TOKEN_TAG, create_once, new_token, token_filter
from snaptui.aws.session import AwsContext
from snaptui.models import Problem, ProblemKind, Snapshot, Volume

POLICY_TAG = "snaptui:policy"
SNAPSHOT_PAGE = 1000
# LockState values under which AWS refuses DeleteSnapshot ("expired" no longer protects).


@dataclass(frozen=True, slots=True)
class Created:
    """A snapshot we just asked for."""

    snapshot_id: str
    volume_id: str
    instance_id: str | None
    state: str
    start_time: str  # ISO 8601 as AWS sent it, "" if absent


def _tag_spec(tags: Mapping[str, str]) -> list[dict[str, Any]]:
    return [{"ResourceType": "snapshot", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def _created(d: Mapping[str, Any], instance_id: str | None) -> Created:
    start = d.get("StartTime")
    return Created(
        snapshot_id=str(d["SnapshotId"]),
        volume_id=str(d.get("VolumeId", "")),
        instance_id=instance_id,
        state=str(d.get("State", "")),
        start_time=start.astimezone(UTC).isoformat() if isinstance(start, datetime) else "",
    )


def create_volume_snapshot(
    ctx: AwsContext, region: str, volume_id: str, description: str, tags: Mapping[str, str]
) -> Created:
    """CreateSnapshot, tagged at creation (so no untagged snapshot ever exists), made once."""
    token = new_token()
    params = {
        "VolumeId": volume_id,
        "Description": description,
        "TagSpecifications": _tag_spec({**tags, TOKEN_TAG: token}),
    }

    def find() -> Created | None:
        found = snapshots_with_token(ctx, region, token)
        return _created(found[0], None) if found else None

    return create_once(ctx, region, "CreateSnapshot", params, lambda out: _created(out, None), find)


def create_instance_snapshots(
    ctx: AwsContext,
    region: str,
    instance_id: str,
    description: str,
    tags: Mapping[str, str],
    *,
    exclude_root: bool = False,
) -> list[Created]:
    """CreateSnapshots: one crash-consistent point in time across all the instance's volumes.

    The volumes' own tags are copied (CopyTagsFromSource); ours are added on top. Made once:
    after a lost answer the set is found by its token rather than made again.
    """
    token = new_token()
    params = {
        "InstanceSpecification": {"InstanceId": instance_id, "ExcludeBootVolume": exclude_root},
        "Description": description,
        "CopyTagsFromSource": "volume",
        "TagSpecifications": _tag_spec({**tags, TOKEN_TAG: token}),
    }

    def find() -> list[Created] | None:
        found = snapshots_with_token(ctx, region, token)
        return [_created(d, instance_id) for d in found] or None

    def made(out: dict[str, Any]) -> list[Created]:
        return [_created(d, instance_id) for d in out.get("Snapshots", ())]

    return create_once(ctx, region, "CreateSnapshots", params, made, find)


def snapshots_with_token(ctx: AwsContext, region: str, token: str) -> list[dict[str, Any]]:
    """Our snapshots carrying a create's token tag (every page), by id."""
    ec2 = ctx.client("ec2", region)
    found: list[dict[str, Any]] = []
    pages = ec2.get_paginator("describe_snapshots").paginate(
        OwnerIds=["self"], Filters=token_filter(token)
    )
    for page in pages:
        for d in page.get("Snapshots", ()):
            # Re-check the tag: an endpoint that ignores the filter must not widen the set.
            tags = {t.get("Key"): t.get("Value") for t in d.get("Tags", ())}
            if tags.get(TOKEN_TAG) == token:
                found.append(d)
    return sorted(found, key=lambda d: str(d.get("SnapshotId", "")))


def wait_completed(
    ctx: AwsContext,
    region: str,
    snapshot_ids: Sequence[str],
    timeout_s: float,
    cancel: threading.Event | None = None,
    progress: Progress = no_progress,
) -> Problem | None:
    """Block until every snapshot is completed; a Problem if one failed, time ran out or the
    wait was cancelled (the snapshots themselves go on)."""
    options = waiting.WaitOptions(
        timeout=timeout_s, cancel=cancel or threading.Event(), progress=progress
    )
    try:
        waiting.snapshots_completed(ctx, region, snapshot_ids, options)
    except waiting.WaitTimedOut:
        return Problem(ProblemKind.OTHER, f"not completed after {timeout_s:g} s", region, "wait")
    except ActionError as exc:
        return dataclasses.replace(exc.problem, operation="wait")
    return None


def list_volumes(
    ctx: AwsContext,
    region: str,
    *,
    volume_ids: Iterable[str] = (),
    select_tags: Mapping[str, str] | None = None,
) -> list[Volume]:
    """Volumes by id and/or tags (all must match). A filter, so unknown ids are just absent."""
    filters: list[dict[str, Any]] = []
    ids = list(volume_ids)
    if ids:
        filters.append({"Name": "volume-id", "Values": ids})
    for key, value in (select_tags or {}).items():
        filters.append({"Name": f"tag:{key}", "Values": [value]})
    ec2 = ctx.client("ec2", region)
    out: list[Volume] = []
    for page in ec2.get_paginator("describe_volumes").paginate(Filters=filters):
        out.extend(parse.volume_from(v, region) for v in page.get("Volumes", ()))
    return out


def instance_volume_ids(
    ctx: AwsContext, region: str, instance_ids: Iterable[str]
) -> dict[str, list[str]]:
    """Instance id -> its EBS volume ids, for the instances that exist in ``region``."""
    ids = list(instance_ids)
    out: dict[str, list[str]] = {}
    if not ids:
        return out
    ec2 = ctx.client("ec2", region)
    pages = ec2.get_paginator("describe_instances").paginate(
        Filters=[{"Name": "instance-id", "Values": ids}]
    )
    for page in pages:
        for reservation in page.get("Reservations", ()):
            for d in reservation.get("Instances", ()):
                inst = parse.instance_from(d, region)
                out[inst.id] = list(inst.volume_ids)
    return out


def list_marked_snapshots(ctx: AwsContext, region: str, policy: str) -> list[Snapshot]:
    """Our own snapshots carrying ``snaptui:policy=<policy>``, every page."""
    ec2 = ctx.client("ec2", region)
    pages = ec2.get_paginator("describe_snapshots").paginate(
        OwnerIds=["self"],
        Filters=[{"Name": f"tag:{POLICY_TAG}", "Values": [policy]}],
        PaginationConfig={"PageSize": SNAPSHOT_PAGE},
    )
    out: list[Snapshot] = []
    for page in pages:
        for d in page.get("Snapshots", ()):
            snap = parse.snapshot_from(d, region)
            # Re-check the tag: an endpoint that ignores the filter must not widen the set.
            if snap.tags.get(POLICY_TAG) == policy:
                out.append(snap)
    return out


def images_using_snapshots(ctx: AwsContext, region: str) -> dict[str, list[str]]:
    """Snapshot id -> ids of our AMIs whose block device mappings use it."""
    ec2 = ctx.client("ec2", region)
    out: dict[str, list[str]] = {}
    # Disabled and deprecated AMIs still hold their snapshots: list them too.
    pages = ec2.get_paginator("describe_images").paginate(
        Owners=["self"], IncludeDisabled=True, IncludeDeprecated=True
    )
    for page in pages:
        for d in page.get("Images", ()):
            image = parse.image_from(d, region)
            for sid in image.snapshot_ids:
                out.setdefault(sid, []).append(image.id)
    return out


def locked_snapshot_ids(
    ctx: AwsContext, region: str, snapshot_ids: Sequence[str]
) -> tuple[set[str], Problem | None]:
    """The snapshots among ``snapshot_ids`` that are locked, or a Problem when nobody can say.

    With a Problem the set is empty and means "unknown", never "none locked" (an endpoint
    that declares it lacks the API answers NOT_SUPPORTED).
    """
    locked: set[str] = set()
    if not snapshot_ids:
        return locked, None
    try:
        for info in locks.lock_infos(ctx.client("ec2", region), snapshot_ids):
            if str(info.get("LockState", "")) in locks.LOCKED_STATES:
                locked.add(str(info.get("SnapshotId", "")))
    except Exception as exc:  # classified by code and status (and declared capabilities)
        return set(), problem_from(exc, region, "DescribeLockedSnapshots")
    return locked, None


def delete_snapshot(ctx: AwsContext, region: str, snapshot_id: str) -> str:
    """DeleteSnapshot; "deleted", or "already gone" when someone else got there first.

    NotFound on botocore's retry means our own first attempt deleted it and its answer was
    lost: that is "deleted" (the audit log still records the retry's "already gone")."""
    try:
        ctx.client("ec2", region).delete_snapshot(SnapshotId=snapshot_id)
    except Exception as exc:
        if not is_not_found(exc):
            raise
        return "deleted" if retried(exc) else "already gone"
    return "deleted"
