"""Create a volume from a snapshot: AZ, type, size, performance and encryption, checked first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from snaptui.aws import kms, lookup, waiting
from snaptui.aws.calls import ActionError, call, invalid, tag_spec
from snaptui.aws.session import AwsContext
from snaptui.core import validate
from snaptui.core.validate import VolumeSpec
from snaptui.models import Snapshot, Volume


def volume_params(
    ctx: AwsContext,
    region: str,
    snap: Snapshot,
    spec: VolumeSpec,
    tags: Mapping[str, str],
    instance_az: str | None = None,
) -> dict[str, Any]:
    """CreateVolume's parameters once every check passed; raises ActionError(fields) if not."""
    az = spec.az or instance_az or ""
    keys = kms.list_keys(ctx, region) if spec.kms_key_id else None
    errors = validate.merge(
        validate.check_volume(spec, snap.volume_size_gib),
        validate.check_az(az, region, lookup.availability_zones(ctx, region), instance_az),
        validate.check_kms_key(spec.kms_key_id, keys.known_refs() if keys else None, region),
        validate.check_tags(tags),
        None
        if snap.storage_tier == "standard"
        else {"snapshot_id": "the snapshot is archived: restore it from the archive first"},
        None if snap.state == "completed" else {"snapshot_id": "the snapshot is not completed"},
    )
    if errors:
        raise invalid(errors, region, "CreateVolume")
    params: dict[str, Any] = {
        "SnapshotId": snap.id,
        "AvailabilityZone": az,
        "VolumeType": spec.volume_type,
        "Size": spec.size_gib if spec.size_gib is not None else snap.volume_size_gib,
    }
    if spec.iops is not None:
        params["Iops"] = spec.iops
    if spec.throughput is not None:
        params["Throughput"] = spec.throughput
    if spec.init_rate is not None:
        params["VolumeInitializationRate"] = spec.init_rate
    # A volume from an encrypted snapshot is always encrypted; say so explicitly.
    if spec.encrypted or spec.kms_key_id or snap.encrypted:
        params["Encrypted"] = True
    if spec.kms_key_id:
        params["KmsKeyId"] = spec.kms_key_id
    if tags:
        params["TagSpecifications"] = tag_spec("volume", tags)
    return params


def create_volume(
    ctx: AwsContext,
    region: str,
    snapshot_id: str,
    spec: VolumeSpec,
    tags: Mapping[str, str] | None = None,
    instance_az: str | None = None,
    wait: waiting.WaitOptions | None = None,
) -> Volume:
    """Validate, create (with a ClientToken), wait until available; returns the new volume."""
    snap = lookup.snapshot(ctx, region, snapshot_id)
    params = volume_params(ctx, region, snap, spec, tags or {}, instance_az)
    out = call(ctx.client("ec2", region), "CreateVolume", region, **params)
    volume_id = str(out["VolumeId"])
    try:
        waiting.volume_available(ctx, region, volume_id, wait)
        return lookup.volume(ctx, region, volume_id)
    except ActionError as exc:
        note = f" (volume {volume_id} was created and is left: delete it if unwanted)"
        exc.problem = replace(exc.problem, message=exc.problem.message + note)
        raise
