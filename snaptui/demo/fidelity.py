"""Fidelity patches: where moto 5.2 differs from AWS in ways snaptui relies on, fix it here.

They apply only inside the demo/test world (this process's moto server), through the one
registry (demo/patches.py; ``install()`` here is its entry point). Each patch names the gap it
closes (see ../shared/docs/ebs-facts.md) and has a test in tests/demo/test_fidelity.py showing
AWS's documented behaviour.

  1. DescribeSnapshots ignores OwnerIds, RestorableByUserIds, MaxResults and NextToken (always
     one page, every snapshot: each would look public to the `OwnerIds=self,
     RestorableByUserIds=all` query that finds public snapshots).
  2. Snapshots carry no FullSnapshotSizeInBytes and no DataEncryptionKeyId: derived here from
     the simulated block world (demo/blocks.py).
  3. StartTime has 1-second resolution, so snapshots taken together tie: each new snapshot in
     a region starts strictly after the previous one.
  4. A deleted snapshot's blocks go with it; a volume made from a snapshot continues its data.
  5. CopySnapshot keeps the source's VolumeId; AWS reports vol-ffffffff for every copy.
  6. A volume made from a snapshot always continues its lineage in moto's terms (it has no
     lineages at all); AWS starts a new, full lineage when the volume is encrypted and the
     snapshot was not (the data is re-encrypted under a new data key).
  7. Every copy is full; AWS makes a copy incremental against the most recent earlier copy
     in the destination region of the same lineage, if that copy still exists and both are
     unencrypted or encrypted with the same KMS key (EBS User Guide, "Incremental snapshot
     copying"). Tests: tests/demo/test_fidelity_lineage.py.
  8. DeleteSnapshot refuses only an AMI's auto-created snapshot; AWS refuses
     (InvalidSnapshot.InUse) any snapshot that a registered AMI's mapping references. (One
     patch per moto method: this and 4 are one DeleteSnapshot patch.)
  (StorageTier: moto reports the tier it keeps and ModifySnapshotTier moves a snapshot to the
  archive, so no patch is needed; the seed archives a few snapshots through that API.)
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from snaptui.demo import world as _world
from snaptui.demo.blocks import BLOCK_BYTES, BlockWorld
from snaptui.demo.patches import Patch

# Blank volumes made during a session get some data, as a formatted disk would have.
_BLANK_FILL_FRACTION = 0.04


def install() -> BlockWorld:
    """Apply every fidelity patch (all modules, once per process); returns the block world."""
    from snaptui.demo import patches

    patches.install()
    return _world.world()


def reset_world() -> BlockWorld:
    """Forget all simulated blocks (the moto state is reset separately)."""
    _LATEST_COPY.clear()
    return _world.reset_world()


def world() -> BlockWorld:
    return _world.world()


def patches() -> list[Patch]:
    return [_describe_snapshots_paging(), *_snapshot_lifecycle()]


# --- 1. DescribeSnapshots paging and owners ----------------------------------------------------


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"snaptui-demo:{offset}".encode()).decode()


def _decode_token(token: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    prefix, _, number = text.partition(":")
    if prefix != "snaptui-demo" or not number.isdigit():
        return None
    return int(number)


def _restorable_by(snapshot: Any, who: list[str]) -> bool:
    """AWS's RestorableByUserIds: "all" matches a public snapshot (createVolumePermission group
    all), an account id one shared with that account explicitly."""
    groups = snapshot.create_volume_permission_groups
    users = snapshot.create_volume_permission_userids
    return any(w in groups if w == "all" else w in users for w in who)


def _describe_snapshots_paging() -> Patch:
    from moto.core.responses import ActionResult
    from moto.ec2.exceptions import (
        InvalidNextToken,
        InvalidParameterCombination,
        InvalidParameterValueError,
    )
    from moto.ec2.responses.elastic_block_store import ElasticBlockStore

    def describe_snapshots(self: Any) -> ActionResult:
        filters = self._filters_from_querystring()
        snapshot_ids = self._get_param("SnapshotIds", [])
        owners = self._get_param("OwnerIds", []) or []
        max_results = self._get_param("MaxResults")
        next_token = self._get_param("NextToken")
        if max_results is not None:
            max_results = int(max_results)
            if snapshot_ids:
                raise InvalidParameterCombination(
                    "The parameter snapshotIdSet cannot be used with the parameter maxResults"
                )
            if not 5 <= max_results <= 1000:
                raise InvalidParameterValueError(f"{max_results} (MaxResults: 5 to 1000)")
        snapshots = self.ec2_backend.describe_snapshots(snapshot_ids=snapshot_ids, filters=filters)
        if owners:
            account = self.ec2_backend.account_id
            wanted = {account if o == "self" else o for o in owners}
            snapshots = [s for s in snapshots if s.owner_id in wanted]
        restorable = self._get_param("RestorableByUserIds", []) or []
        if restorable:
            snapshots = [s for s in snapshots if _restorable_by(s, restorable)]
        start = 0
        if next_token:
            decoded = _decode_token(str(next_token))
            if decoded is None:
                raise InvalidNextToken(str(next_token))
            start = decoded
        result: dict[str, Any] = {}
        if max_results is not None or next_token:
            size = max_results or 1000
            page = snapshots[start : start + size]
            if start + size < len(snapshots):
                result["NextToken"] = _encode_token(start + size)
            snapshots = page
        result["Snapshots"] = snapshots
        return ActionResult(result)

    return Patch(ElasticBlockStore, "describe_snapshots", describe_snapshots, "1: OwnerIds, paging")


# --- 2-4. Snapshot sizes, data keys, distinct start times, block lifecycle ---------------------


def _dek_for(snapshot_id: str, world: BlockWorld, encrypted: bool) -> str:
    """AWS gives encrypted snapshots of one lineage the same data key id; we derive one."""
    if not encrypted or not world.knows(snapshot_id):
        return ""
    root = world.root_history_id(snapshot_id)
    return f"{root:08x}-6e61-7074-7569-{root:012x}"


def _decorate(snapshot: Any) -> None:
    world = _world.world()
    size = world.full_bytes(snapshot.id) if world.knows(snapshot.id) else 0
    # 0 would read as "unknown"; AWS reports 0 only while a snapshot is pending.
    snapshot.full_snapshot_size_in_bytes = size or None
    snapshot.data_encryption_key_id = _dek_for(snapshot.id, world, bool(snapshot.encrypted)) or None


def _after_last_start(backend: Any, snapshot: Any) -> None:
    # moto answers whole seconds: keep each new snapshot at least a second after the last.
    snapshot.start_time = snapshot.start_time.replace(microsecond=0)
    latest = max(
        (s.start_time for s in backend.snapshots.values() if s is not snapshot),
        default=None,
    )
    if latest is not None and snapshot.start_time <= latest:
        snapshot.start_time = latest.replace(microsecond=0) + timedelta(seconds=1)


# (destination region, source lineage, encrypted, KMS key) -> the latest copy made (patch 7).
_LATEST_COPY: dict[tuple[str, int, bool, str], str] = {}


def _copy_key(backend: Any, source_id: str, copy: Any) -> tuple[str, int, bool, str]:
    encrypted = bool(copy.encrypted)
    key = str(getattr(copy, "kms_key_id", "") or "") if encrypted else ""
    return (str(backend.region_name), _world.world().root_history_id(source_id), encrypted, key)


class _CopyPlaceholderVolume:
    """Stands in for a copy's volume: AWS's placeholder id, the source's size."""

    id = "vol-ffffffff"

    def __init__(self, source: Any) -> None:
        self.size = source.size
        self.encrypted = getattr(source, "encrypted", False)
        self.zone = getattr(source, "zone", None)


def _snapshot_lifecycle() -> list[Patch]:
    from moto.ec2.models.elastic_block_store import EBSBackend

    original_create_snapshot = EBSBackend.create_snapshot
    original_copy_snapshot = EBSBackend.copy_snapshot
    original_create_volume = EBSBackend.create_volume
    original_delete_snapshot = EBSBackend.delete_snapshot

    def create_snapshot(self: Any, volume_id: str, description: str, *a: Any, **kw: Any) -> Any:
        snapshot = original_create_snapshot(self, volume_id, description, *a, **kw)
        _world.world().snapshot(snapshot.id, volume_id)
        _decorate(snapshot)
        _after_last_start(self, snapshot)
        return snapshot

    def copy_snapshot(self: Any, source_snapshot_id: str, *a: Any, **kw: Any) -> Any:
        snapshot = original_copy_snapshot(self, source_snapshot_id, *a, **kw)
        snapshot.volume = _CopyPlaceholderVolume(snapshot.volume)
        if _world.world().knows(source_snapshot_id):
            key = _copy_key(self, source_snapshot_id, snapshot)
            base = _LATEST_COPY.get(key)
            _world.world().copy(
                snapshot.id,
                source_snapshot_id,
                base if base and _world.world().knows(base) else None,
            )
            _LATEST_COPY[key] = snapshot.id
        _decorate(snapshot)
        _after_last_start(self, snapshot)
        return snapshot

    def create_volume(self: Any, *a: Any, **kw: Any) -> Any:
        volume = original_create_volume(self, *a, **kw)
        snapshot_id = kw.get("snapshot_id") or (a[2] if len(a) > 2 else None)
        if snapshot_id and _world.world().knows(snapshot_id):
            source = self.snapshots.get(snapshot_id)
            rekeyed = bool(volume.encrypted) and not getattr(source, "encrypted", False)
            _world.world().volume_from_snapshot(volume.id, snapshot_id, new_lineage=rekeyed)
        else:
            _world.world().blank_volume(volume.id)
            blocks = int(volume.size) * (1024**3) // BLOCK_BYTES
            _world.world().write(volume.id, list(range(max(1, int(blocks * _BLANK_FILL_FRACTION)))))
        return volume

    def delete_snapshot(self: Any, snapshot_id: str) -> Any:
        _refuse_in_use(self, snapshot_id)
        deleted = original_delete_snapshot(self, snapshot_id)
        _world.world().forget(snapshot_id)
        return deleted

    return [
        Patch(EBSBackend, "create_snapshot", create_snapshot, "2-3: sizes, keys, start times"),
        Patch(EBSBackend, "copy_snapshot", copy_snapshot, "5: a copy's VolumeId"),
        Patch(EBSBackend, "create_volume", create_volume, "4: a volume continues its data"),
        Patch(EBSBackend, "delete_snapshot", delete_snapshot, "4, 8: blocks go; in-use refused"),
    ]


def _refuse_in_use(backend: Any, snapshot_id: str) -> None:
    from moto.ec2.exceptions import InvalidSnapshotInUse

    for ami in list(getattr(backend, "amis", {}).values()):
        used = {(m.get("Ebs") or {}).get("SnapshotId") for m in ami.block_device_mappings or ()}
        if snapshot_id in used:
            raise InvalidSnapshotInUse(snapshot_id, ami.id)
