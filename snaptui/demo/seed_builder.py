"""The seed's building blocks: clients, a KMS key, an image, instances, volumes, snapshots.

A Seeder makes one thing per call through boto3 over HTTP and notes it in its SeedReport;
only what the API cannot express (when a snapshot was taken, what was written to a disk
between snapshots, when an instance or volume was made) is set on the demo world's records.
The per-region fleets built from these blocks are in seed.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import boto3

from snaptui.demo import fidelity
from snaptui.demo.blocks import BLOCK_BYTES
from snaptui.demo.disk_contents import contents_of
from snaptui.demo.server import DEMO_ACCOUNT, DemoServer

# Keep the simulated disks small enough for a laptop: at most this many written blocks each.
MAX_WRITTEN_BLOCKS = 24_000  # 12 GiB


@dataclass
class SeedReport:
    """What the seed made, for tests and for `snaptui demo` to print."""

    instances: dict[str, str] = field(default_factory=dict)  # Name -> id
    volumes: dict[str, str] = field(default_factory=dict)  # label -> id
    snapshots: list[str] = field(default_factory=list)
    orphan_snapshots: list[str] = field(default_factory=list)
    ami_snapshots: list[str] = field(default_factory=list)
    images: dict[str, str] = field(default_factory=dict)  # name -> id
    copies: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    multi_volume_sets: list[list[str]] = field(default_factory=list)
    kms_keys: dict[str, str] = field(default_factory=dict)  # region -> key id
    public: list[str] = field(default_factory=list)  # createVolumePermission group all
    shared: list[str] = field(default_factory=list)  # shared with an account not ours
    locked: list[str] = field(default_factory=list)  # EBS snapshot lock, compliance mode
    fast_restored: list[str] = field(default_factory=list)  # fast snapshot restore, one AZ
    # The organization's member accounts (demo/seed_org.py): account id -> what was made there.
    members: dict[str, SeedReport] = field(default_factory=dict)


def tag_list(**tags: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


class Seeder:
    def __init__(self, server: DemoServer, now: datetime) -> None:
        self.server = server
        self.now = now
        self.rng = random.Random(20261122)
        self.world = fidelity.world()
        self.report = SeedReport()
        session = boto3.Session(
            aws_access_key_id="demo", aws_secret_access_key="demo", region_name="us-east-1"
        )
        self._clients: dict[tuple[str, str], Any] = {}
        self._session = session

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = self.server.referee_client(service, region)
        return self._clients[key]

    def backend(self, region: str) -> Any:
        from moto.ec2.models import ec2_backends

        return ec2_backends[DEMO_ACCOUNT][region]

    # --- building blocks ------------------------------------------------------------------

    def kms_key(self, region: str, alias: str) -> str:
        kms = self.client("kms", region)
        key_id = str(kms.create_key(Description=f"EBS key {alias}")["KeyMetadata"]["Arn"])
        kms.create_alias(AliasName=f"alias/{alias}", TargetKeyId=key_id)
        self.report.kms_keys[region] = key_id
        return key_id

    def base_image(self, region: str) -> str:
        ec2 = self.client("ec2", region)
        image = ec2.register_image(
            Name="al2023-ami-2026.09.0-x86_64",
            Description="Amazon Linux 2023 base (demo)",
            Architecture="x86_64",
            RootDeviceName="/dev/xvda",
            VirtualizationType="hvm",
            EnaSupport=True,
        )
        image_id = str(image["ImageId"])
        described = ec2.describe_images(ImageIds=[image_id])["Images"][0]
        for mapping in described.get("BlockDeviceMappings", ()):
            if mapping.get("Ebs", {}).get("SnapshotId"):
                # The base image was registered long before this quarter's snapshots.
                when = self.now - timedelta(days=160, hours=self.rng.randrange(24))
                self.set_time(region, str(mapping["Ebs"]["SnapshotId"]), when)
                self.report.ami_snapshots.append(str(mapping["Ebs"]["SnapshotId"]))
                self.report.snapshots.append(str(mapping["Ebs"]["SnapshotId"]))
        return image_id

    def instance(self, region: str, az: str, image: str, name: str, itype: str, **tags: str) -> str:
        ec2 = self.client("ec2", region)
        reservation = ec2.run_instances(
            ImageId=image,
            InstanceType=itype,
            MinCount=1,
            MaxCount=1,
            KeyName="ops-2026",
            Placement={"AvailabilityZone": az},
            TagSpecifications=[
                {"ResourceType": "instance", "Tags": tag_list(Name=name, **tags)},
                {"ResourceType": "volume", "Tags": tag_list(Name=f"{name}-root", **tags)},
            ],
        )
        instance_id = str(reservation["Instances"][0]["InstanceId"])
        self.report.instances[name] = instance_id
        root = ec2.describe_volumes(
            Filters=[{"Name": "attachment.instance-id", "Values": [instance_id]}]
        )["Volumes"][0]
        self.report.volumes[f"{name}-root"] = str(root["VolumeId"])
        self.fill(str(root["VolumeId"]), size_gib=int(root["Size"]), fraction=0.45)
        return instance_id

    def volume(
        self,
        region: str,
        az: str,
        label: str,
        size: int,
        vtype: str = "gp3",
        *,
        kms_key: str | None = None,
        attach: tuple[str, str] | None = None,
        fraction: float = 0.4,
        **tags: str,
    ) -> str:
        ec2 = self.client("ec2", region)
        params: dict[str, Any] = {
            "AvailabilityZone": az,
            "Size": size,
            "VolumeType": vtype,
            "TagSpecifications": [{"ResourceType": "volume", "Tags": tag_list(Name=label, **tags)}],
        }
        if vtype in ("io1", "io2"):
            params["Iops"] = 6000
        if kms_key:
            params.update(Encrypted=True, KmsKeyId=kms_key)
        volume_id = str(ec2.create_volume(**params)["VolumeId"])
        if attach:
            ec2.attach_volume(VolumeId=volume_id, InstanceId=attach[0], Device=attach[1])
        self.report.volumes[label] = volume_id
        self.fill(volume_id, size, fraction)
        return volume_id

    def fill(self, volume_id: str, size_gib: int, fraction: float) -> None:
        blocks = size_gib * 1024**3 // BLOCK_BYTES
        n = min(MAX_WRITTEN_BLOCKS, max(64, int(blocks * fraction)))
        self.world.write(volume_id, list(range(n)))

    def day_churn(self) -> float:
        """Most days change a little; now and then a batch job or upgrade rewrites a lot."""
        roll = self.rng.random()
        if roll < 0.06:
            return self.rng.uniform(0.15, 0.35)
        if roll < 0.25:
            return self.rng.uniform(0.03, 0.08)
        return self.rng.uniform(0.002, 0.02)

    def set_time(self, region: str, snapshot_id: str, when: datetime) -> None:
        # The API cannot back-date a snapshot; the demo world's record can.
        self.backend(region).snapshots[snapshot_id].start_time = when.replace(tzinfo=None)

    def snapshot(
        self,
        region: str,
        volume_id: str,
        when: datetime,
        description: str,
        *,
        size_gib: int = 20,
        churn: float | None = None,
        extra_tags: dict[str, str] | None = None,
        **tags: str,
    ) -> str:
        tags = {**tags, **(extra_tags or {})}
        if churn is None:
            churn = self.day_churn()
        if churn:
            self.world.churn(volume_id, churn, size_gib)
        # A volume with a real filesystem moves on to its next daily version (its files change).
        contents_of(self.world).before_snapshot(self.world, volume_id)
        ec2 = self.client("ec2", region)
        spec = [{"ResourceType": "snapshot", "Tags": tag_list(**tags)}] if tags else []
        snapshot_id = str(
            ec2.create_snapshot(
                VolumeId=volume_id, Description=description, TagSpecifications=spec
            )["SnapshotId"]
        )
        self.set_time(region, snapshot_id, when)
        self.report.snapshots.append(snapshot_id)
        return snapshot_id

    def daily_chain(
        self,
        region: str,
        volume_id: str,
        days: int,
        describe: Callable[[datetime], str],
        *,
        size_gib: int,
        every: int = 1,
        hour: int = 3,
        extra_tags: dict[str, str] | None = None,
        **tags: str,
    ) -> list[str]:
        ids = []
        for back in range(days * every, 0, -every):
            when = (self.now - timedelta(days=back)).replace(
                hour=hour, minute=self.rng.randrange(0, 20), second=self.rng.randrange(60)
            )
            ids.append(
                self.snapshot(
                    region,
                    volume_id,
                    when,
                    describe(when),
                    size_gib=size_gib,
                    extra_tags={**tags, **(extra_tags or {})},
                )
            )
        return ids

    def settle_times(self, region: str) -> None:
        """Back-date what the seed just made, so nothing looks created a second ago.

        Volumes and instances predate their first snapshot; the restore volume is recent.
        """
        backend = self.backend(region)
        naive_now = self.now.replace(tzinfo=None)
        restores = {v for k, v in self.report.volumes.items() if k.startswith("restore-")}
        for n, instance in enumerate(backend.all_instances()):
            instance.launch_time = naive_now - timedelta(days=210, hours=n)
        for n, volume in enumerate(backend.volumes.values()):
            days = 3 if volume.id in restores else 200
            volume.create_time = naive_now - timedelta(days=days, minutes=n)
            if volume.attachment is not None:
                volume.attachment.attach_time = volume.create_time
        for image in backend.amis.values():
            taken = [backend.snapshots[sid].start_time for sid in _image_snapshot_ids(image)
                     if sid in backend.snapshots]  # fmt: skip
            image.creation_date = min(taken) if taken else naive_now - timedelta(days=160)


def _image_snapshot_ids(image: Any) -> list[str]:
    snapshot = getattr(image, "ebs_snapshot", None)  # moto's record of the AMI's root
    return [str(snapshot.id)] if snapshot is not None else []
