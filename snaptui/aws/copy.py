"""Copy a snapshot to any enabled region (its own too), optionally encrypted with a chosen key.

CopySnapshot runs in the destination region with SourceRegion set. It takes no ClientToken
(botocore's model has none), so it is sent once with a token tag and, after a lost answer,
the token is looked for before copying again (aws/idempotent.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from snaptui.aws import kms, lookup, waiting
from snaptui.aws.calls import ActionError, invalid, tag_spec, user_tags
from snaptui.aws.idempotent import TOKEN_TAG, create_once, look_for, new_token
from snaptui.aws.session import AwsContext
from snaptui.aws.snapshot_ops import snapshots_with_token
from snaptui.core import validate
from snaptui.core.ownership import tags_for_copy
from snaptui.models import Snapshot


@dataclass(frozen=True, slots=True)
class CopyRequest:
    snapshot_id: str
    source_region: str
    dest_region: str
    description: str = ""  # "": "[Copied <id> from <region>] <original description>"
    copy_tags: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)  # added on top of copied tags
    encrypt: bool = False
    kms_key_id: str = ""  # "": the destination's default EBS key
    # A time-based copy (CompletionDurationMinutes): AWS finishes it within this; None: standard.
    completion_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class CopyResult:
    snapshot_id: str
    region: str
    source_snapshot_id: str
    encrypted: bool
    kms_key_id: str
    tags: dict[str, str]
    due: datetime | None = None  # a time-based copy: StartTime + CompletionDurationMinutes


def default_description(snapshot_id: str, region: str, original: str) -> str:
    return f"[Copied {snapshot_id} from {region}] {original}".strip()[:255]


def copy_snapshot(
    ctx: AwsContext, req: CopyRequest, wait: waiting.WaitOptions | None = None
) -> CopyResult:
    """Validate, copy, and (when ``wait`` is given) wait for the copy to complete."""
    source = lookup.snapshot(ctx, req.source_region, req.snapshot_id)
    enabled = lookup.enabled_regions(ctx)
    keys = kms.list_keys(ctx, req.dest_region) if req.kms_key_id else None
    # Never the ownership marker: prune must not take a copy for the snapshot it came from.
    copied = tags_for_copy(
        source.tags, source.id, source.region, source.volume_id, source.start_time
    )
    own = user_tags(req.tags)
    tags = {**(copied if req.copy_tags else {}), **own}
    errors = validate.merge(
        validate.check_region(req.dest_region, enabled, "dest_region"),
        validate.check_description(req.description),
        validate.check_copy_minutes(req.completion_minutes),
        validate.check_copied_tags(copied if req.copy_tags else {}, own),
        validate.check_kms_key(
            req.kms_key_id, keys.known_refs() if keys else None, req.dest_region
        ),
        None if source.state == "completed" else {"snapshot_id": "the snapshot is not completed"},
        None
        if source.storage_tier == "standard"
        else {"snapshot_id": "the snapshot is archived: restore it from the archive first"},
    )
    if errors:
        raise invalid(errors, req.dest_region, "CopySnapshot")
    params: dict[str, object] = {
        "SourceSnapshotId": req.snapshot_id,
        "SourceRegion": req.source_region,
        "Description": req.description
        or default_description(source.id, source.region, source.description),
    }
    # A copy of an encrypted snapshot is always encrypted; a key makes the choice explicit.
    if req.encrypt or req.kms_key_id or source.encrypted:
        params["Encrypted"] = True
    if req.kms_key_id:
        params["KmsKeyId"] = req.kms_key_id
    if req.completion_minutes is not None:
        params["CompletionDurationMinutes"] = req.completion_minutes
    new_id = _copy_once(ctx, req.dest_region, params, tags)
    # A time-based copy is not waited for: it may take hours by design, and AWS says when.
    if wait is not None and req.completion_minutes is None:
        waiting.snapshot_completed(ctx, req.dest_region, new_id, wait)
    copy = _visible(ctx, req.dest_region, new_id)
    due = None
    if req.completion_minutes is not None:
        due = copy.start_time + timedelta(minutes=copy.completion_minutes or req.completion_minutes)
    return CopyResult(
        snapshot_id=new_id,
        region=req.dest_region,
        source_snapshot_id=req.snapshot_id,
        encrypted=copy.encrypted,
        kms_key_id=copy.kms_key_id,
        tags=dict(copy.tags),
        due=due,
    )


def _copy_once(
    ctx: AwsContext, region: str, params: dict[str, object], tags: dict[str, str]
) -> str:
    """CopySnapshot takes no ClientToken: a token tag, sent once, looked for after a lost
    answer (idempotent.create_once), so a retry never makes a second copy."""
    token = new_token()
    params = {**params, "TagSpecifications": tag_spec("snapshot", {**tags, TOKEN_TAG: token})}

    def find() -> str | None:
        found = snapshots_with_token(ctx, region, token)
        return str(found[0]["SnapshotId"]) if found else None

    return create_once(
        ctx, region, "CopySnapshot", params, lambda out: str(out["SnapshotId"]), find
    )


def _visible(ctx: AwsContext, region: str, snapshot_id: str) -> Snapshot:
    """The new copy, once Describe shows it (EC2 is eventually consistent)."""

    def find() -> Snapshot | None:
        try:
            return lookup.snapshot(ctx, region, snapshot_id)
        except ActionError as exc:
            if "snapshot_id" in exc.fields:  # not (yet) found: lookup says so beside the field
                return None
            raise

    found = look_for(find, ctx.target.consistency_s)
    return found if found is not None else lookup.snapshot(ctx, region, snapshot_id)
