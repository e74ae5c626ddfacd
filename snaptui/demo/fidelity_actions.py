"""Fidelity patches for the actions: where moto 5.2 differs from AWS in what they rely on.

Applied once through the registry (demo/patches.py; demo/test world only). Each names the gap
it closes (see ../shared/docs/ebs-facts.md) and has a test in tests/demo/test_fidelity_actions.py.

  A. RegisterImage ignores BlockDeviceMappings, RootDeviceName, Architecture,
     VirtualizationType, EnaSupport and TagSpecifications, and roots every AMI in a 15 GiB
     snapshot of its own. With a mapping, the AMI now records exactly what was asked: its root
     is the chosen snapshot. (Without a mapping moto's behaviour is kept, so the seed's base
     image is unchanged.)
  B. RunInstances from such an AMI gives the instance a blank 8 GiB /dev/sda1; AWS creates the
     volumes of the AMI's mapping, the root from its snapshot.
  C. (DeleteSnapshot refusing a snapshot any AMI uses is fidelity.py's gap 6: one patch per
     moto method, and DeleteSnapshot is patched there.)
  D. CopySnapshot with Encrypted=True and no KmsKeyId makes an unencrypted copy; AWS encrypts
     it with the destination region's default EBS key (alias/aws/ebs unless changed). An
     encrypted source without KmsKeyId gets that default key too.
  E. CopySnapshot ignores CompletionDurationMinutes: a time-based copy (demo/timed_copy.py),
     refused outside 15-2880 minutes or off the 15-minute steps, as AWS refuses it.
"""

from __future__ import annotations

from typing import Any

from snaptui.demo import timed_copy, world
from snaptui.demo.patches import Patch


def patches() -> list[Patch]:
    return [*_register_image(), _run_from_mapped_image(), _copy_snapshot_encryption()]


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


# --- A. RegisterImage honours the block-device mapping -----------------------------------------


def _mapping_from(backend: Any, raw: dict[str, Any]) -> dict[str, Any]:
    """One BlockDeviceMapping as DescribeImages shows it, checked as AWS checks it."""
    from moto.ec2.exceptions import EC2ClientError

    ebs = dict(raw.get("Ebs") or {})
    snapshot_id = ebs.get("SnapshotId")
    snapshot = backend.get_snapshot(snapshot_id) if snapshot_id else None  # NotFound if absent
    size = int(ebs["VolumeSize"]) if ebs.get("VolumeSize") else None
    if snapshot is not None:
        if size is None:
            size = int(snapshot.volume_size)
        elif size < int(snapshot.volume_size):
            raise EC2ClientError(
                "InvalidBlockDeviceMapping",
                f"Volume of {size} GiB is smaller than snapshot {snapshot_id}, "
                f"expect size >= {snapshot.volume_size}GiB",
            )
    out: dict[str, Any] = {
        "SnapshotId": snapshot_id,
        "VolumeSize": size or 8,
        "DeleteOnTermination": _truthy(ebs.get("DeleteOnTermination", True)),
        "VolumeType": ebs.get("VolumeType") or "gp2",
        "Encrypted": bool(snapshot.encrypted) if snapshot is not None else False,
    }
    for key in ("Iops", "Throughput", "KmsKeyId"):
        if ebs.get(key) is not None:
            out[key] = ebs[key]
    return {"DeviceName": raw.get("DeviceName"), "Ebs": out}


def _register_image() -> list[Patch]:
    from moto.core.responses import ActionResult
    from moto.ec2.models.amis import Ami
    from moto.ec2.responses.amis import AmisResponse

    moto_mappings: property = Ami.__dict__["block_device_mappings"]

    def block_device_mappings(self: Any) -> list[dict[str, Any]]:
        mapped = getattr(self, "snaptui_mappings", None)
        if mapped is not None:
            return list(mapped)
        moto: list[dict[str, Any]] = moto_mappings.__get__(self)
        return moto

    def register_image(self: Any) -> ActionResult:
        raw_mappings = [m for m in self._get_param("BlockDeviceMappings", []) or [] if m.get("Ebs")]
        tags = self._parse_tag_specification().get("image", {})
        self.error_on_dryrun()
        backend = self.ec2_backend
        # Check the mapping before anything is made, as AWS does.
        mappings = [_mapping_from(backend, m) for m in raw_mappings]
        image = backend.register_image(self._get_param("Name"), self._get_param("Description", ""))
        if mappings:
            # moto made a 15 GiB root snapshot of its own: drop it, the mapping is the root.
            own = image.ebs_snapshot
            backend.snapshots.pop(own.id, None)
            world.world().forget(own.id)
            image.snaptui_mappings = mappings
            image.root_device_type = "ebs"
            image.root_device_name = self._get_param("RootDeviceName") or mappings[0]["DeviceName"]
            image.architecture = self._get_param("Architecture") or "x86_64"
            image.virtualization_type = self._get_param("VirtualizationType") or "paravirtual"
            image.ena_support = _truthy(self._get_param("EnaSupport", False))
        if tags:
            image.add_tags(tags)
        return ActionResult({"ImageId": image.id})

    return [
        Patch(Ami, "block_device_mappings", property(block_device_mappings), "A: AMI mappings"),
        Patch(AmisResponse, "register_image", register_image, "A: RegisterImage mappings"),
    ]


# --- B. RunInstances creates the AMI's mapped volumes ------------------------------------------


def _run_from_mapped_image() -> Patch:
    from moto.ec2.models.instances import Instance

    moto_setup_defaults = Instance.setup_defaults

    def setup_defaults(self: Any) -> None:
        ami = self.ec2_backend.amis.get(self.image_id)
        mappings = getattr(ami, "snaptui_mappings", None)
        if not mappings:
            moto_setup_defaults(self)
            return
        self.ena_support = getattr(ami, "ena_support", False)
        for mapping in mappings:
            ebs = mapping["Ebs"]
            self.add_block_device(
                ebs["VolumeSize"],
                mapping["DeviceName"],
                ebs.get("SnapshotId"),
                ebs.get("Encrypted", False),
                ebs.get("DeleteOnTermination", True),
                ebs.get("KmsKeyId"),
                volume_type=ebs.get("VolumeType"),
            )

    return Patch(Instance, "setup_defaults", setup_defaults, "B: mapped volumes at launch")


# --- D. CopySnapshot encrypts with the default EBS key -----------------------------------------


def _copy_snapshot_encryption() -> Patch:
    from moto.core.responses import ActionResult
    from moto.ec2.exceptions import InvalidParameterValueError
    from moto.ec2.models import ec2_backends
    from moto.ec2.responses.elastic_block_store import ElasticBlockStore

    def copy_snapshot(self: Any) -> ActionResult:
        minutes = self._get_int_param("CompletionDurationMinutes")
        if minutes is not None and timed_copy.refusal(minutes):
            raise InvalidParameterValueError(timed_copy.refusal(minutes))
        source_snapshot_id = self._get_param("SourceSnapshotId")
        source_region = self._get_param("SourceRegion")
        kms_key_id = self._get_param("KmsKeyId")
        snapshot_tags = self._parse_tag_specification().get("snapshot", {})
        self.error_on_dryrun()
        backend = self.ec2_backend
        source = ec2_backends[backend.account_id][source_region].get_snapshot(source_snapshot_id)
        wants_encryption = (
            _truthy(self._get_param("Encrypted", False))
            or bool(source.encrypted)
            or bool(getattr(backend, "ebs_encryption_by_default", False))
        )
        if wants_encryption and not kms_key_id:
            kms_key_id = backend.default_kms_key_id or backend._create_default_encryption_key()
        snapshot = backend.copy_snapshot(
            source_snapshot_id=source_snapshot_id,
            source_region=source_region,
            description=self._get_param("Description"),
            kms_key_id=kms_key_id,
        )
        snapshot.add_tags(snapshot_tags)
        timed_copy.make_timed(snapshot, minutes)
        return ActionResult({"SnapshotId": snapshot.id, "Tags": snapshot.tag_set})

    return Patch(ElasticBlockStore, "copy_snapshot", copy_snapshot, "D, E: default key, timed")
