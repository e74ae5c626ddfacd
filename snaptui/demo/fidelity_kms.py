"""Fidelity patches for EBS encryption keys: where moto 5.2 differs from AWS.

Applied through the registry (demo/patches.py). Tests: tests/demo/test_fidelity_unkind.py.

  K1. Encrypted snapshots carry no KmsKeyId. AWS reports the key of the volume the snapshot
      was taken from (a copy: the key it was copied with).
  K2. CreateVolume from an encrypted snapshot without a KmsKeyId makes a volume with no key;
      AWS encrypts it with the snapshot's key.
  K3. GetEbsDefaultKmsKeyId answers an HTML 500; AWS answers the region's default EBS key
      (the managed alias/aws/ebs key unless ModifyEbsDefaultKmsKeyId chose another).
"""

from __future__ import annotations

from typing import Any

from snaptui.demo.patches import Patch


def patches() -> list[Patch]:
    from moto.core.responses import ActionResult
    from moto.ec2.models.elastic_block_store import Snapshot, Volume
    from moto.ec2.responses.elastic_block_store import ElasticBlockStore

    def snapshot_key(self: Any) -> str | None:
        own = self.__dict__.get("_snaptui_kms_key_id")
        if own or not self.encrypted:
            return own or None
        volume_key = getattr(getattr(self, "volume", None), "kms_key_id", None)
        return volume_key or _default_key(self.ec2_backend)

    def set_snapshot_key(self: Any, value: str | None) -> None:
        self.__dict__["_snaptui_kms_key_id"] = value

    def volume_key(self: Any) -> str | None:
        own = self.__dict__.get("_snaptui_kms_key_id")
        if own or not self.encrypted:
            return own or None
        source = self.ec2_backend.snapshots.get(self.snapshot_id) if self.snapshot_id else None
        if source is not None and source.encrypted:
            return str(source.kms_key_id)
        return _default_key(self.ec2_backend)

    def get_ebs_default_kms_key_id(self: Any) -> ActionResult:
        self.error_on_dryrun()
        return ActionResult({"KmsKeyId": _default_key(self.ec2_backend)})

    return [
        Patch(Snapshot, "kms_key_id", property(snapshot_key, set_snapshot_key), "K1"),
        Patch(Volume, "kms_key_id", property(volume_key, set_snapshot_key), "K2"),
        Patch(ElasticBlockStore, "get_ebs_default_kms_key_id", get_ebs_default_kms_key_id, "K3"),
    ]


def _default_key(backend: Any) -> str:
    return str(backend.default_kms_key_id or backend._create_default_encryption_key())
