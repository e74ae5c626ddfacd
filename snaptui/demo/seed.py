"""Seed the demo world with a realistic, deterministic fleet.

Everything is created through boto3 over HTTP, as a team would have built it; only what the
API cannot express (when a snapshot was taken, what was written to a disk between snapshots)
is set in-process on the demo world's own records.

The fleet: three regions, web/db/staging/bastion/analytics instances, a RAID-style db set
snapshotted with CreateSnapshots, DLM-style and AWS Backup-style daily chains, hand-made
"before upgrade" snapshots, orphans whose volume is gone, AMI-backed snapshots, encrypted
volumes with customer keys, cross-region DR copies and a few archived snapshots.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from snaptui.demo import fidelity
from snaptui.demo.blocks import BLOCK_BYTES
from snaptui.demo.disk_contents import contents_of
from snaptui.demo.server import DEMO_ACCOUNT, DemoServer

# Keep the simulated disks small enough for a laptop: at most this many written blocks each.
MAX_WRITTEN_BLOCKS = 24_000  # 12 GiB

DLM_POLICY = "policy-0a1b2c3d4e5f60718"


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


def _tags(**tags: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


class _Seeder:
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
                {"ResourceType": "instance", "Tags": _tags(Name=name, **tags)},
                {"ResourceType": "volume", "Tags": _tags(Name=f"{name}-root", **tags)},
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
            "TagSpecifications": [{"ResourceType": "volume", "Tags": _tags(Name=label, **tags)}],
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
        spec = [{"ResourceType": "snapshot", "Tags": _tags(**tags)}] if tags else []
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

    # --- the fleet ------------------------------------------------------------------------

    def us_east_1(self) -> None:
        region, az = "us-east-1", "us-east-1a"
        ec2 = self.client("ec2", region)
        key = self.kms_key(region, "ebs-prod")
        image = self.base_image(region)
        self.report.images["al2023-base"] = image

        web1 = self.instance(region, az, image, "web-1", "t3.medium", env="prod", team="web")
        # web-1's root holds a real GPT + ext4 disk (demo/disks/web-root.pack), one version a day.
        contents_of(self.world).bind(self.world, self.report.volumes["web-1-root"], "web-root")
        web2 = self.instance(region, "us-east-1b", image, "web-2", "t3.medium", env="prod")
        db = self.instance(region, az, image, "db-1", "r6i.xlarge", env="prod", team="data")
        staging = self.instance(region, az, image, "staging-app", "t3.large", env="staging")
        self.instance(region, "us-east-1b", image, "bastion", "t3.micro", env="ops")

        raid = [
            self.volume(
                region, az, f"db-1-data-{i}", 200, "io2", kms_key=key,
                attach=(db, f"/dev/sd{'fghi'[i]}"), fraction=0.5, env="prod", raid="md0",
            )
            for i in range(4)
        ]  # fmt: skip
        staging_data = self.volume(
            region, az, "staging-data", 100, "gp2", attach=(staging, "/dev/sdf"), env="staging"
        )
        # A raw ext4 data disk (no partition table): demo/disks/staging-data.pack.
        contents_of(self.world).bind(self.world, staging_data, "staging-data")

        dlm_tags = {
            "aws:dlm:lifecycle-policy-id": DLM_POLICY,
            "aws:dlm:lifecycle-schedule-name": "Daily 14d",
            "env": "prod",
        }

        def dlm(_: datetime) -> str:
            return f"Created for policy: {DLM_POLICY} schedule: Daily 14d"

        for label in ("web-1-root", "web-2-root"):
            self.daily_chain(
                region, self.report.volumes[label], 14, dlm, size_gib=8,
                Name=f"{label}-daily", extra_tags=dlm_tags,
            )  # fmt: skip

        # The db's RAID set, crash-consistent, nightly for 10 nights: CreateSnapshots.
        for back in range(10, 0, -1):
            when = (self.now - timedelta(days=back)).replace(hour=2, minute=0, second=back)
            for volume_id in raid:
                self.world.churn(volume_id, self.day_churn(), 200)
            made = ec2.create_snapshots(
                InstanceSpecification={"InstanceId": db, "ExcludeBootVolume": True},
                Description=f"db-1 nightly crash-consistent set {when:%Y-%m-%d}",
                TagSpecifications=[
                    {"ResourceType": "snapshot", "Tags": _tags(env="prod", set="db-1-nightly")}
                ],
                CopyTagsFromSource="volume",
            )["Snapshots"]
            ids = [str(s["SnapshotId"]) for s in made]
            for n, snapshot_id in enumerate(ids):
                self.set_time(region, snapshot_id, when + timedelta(milliseconds=n))
            self.report.snapshots.extend(ids)
            self.report.multi_volume_sets.append(ids)

        # Hand-made snapshots before risky changes.
        staging_root = self.report.volumes["staging-app-root"]
        for label, volume_id, days, text in (
            ("staging-root", staging_root, 95, "before upgrade to Ubuntu 24.04 - jdoe"),
            ("staging-data", staging_data, 94, "staging data before schema migration v42"),
            ("staging-root", staging_root, 40, "pre-patch kernel 6.8 (ticket OPS-1182)"),
            ("staging-data", staging_data, 39, "before re-index, keep until Q1"),
            ("staging-data", staging_data, 12, "nightly dump restore test"),
        ):
            when = (self.now - timedelta(days=days)).replace(hour=16, minute=days % 60)
            self.snapshot(
                region, volume_id, when, text, size_gib=30, churn=self.rng.uniform(0.05, 0.3),
                Name=f"{label}-manual", owner="jdoe",
            )  # fmt: skip
        ec2.stop_instances(InstanceIds=[staging])

        # AWS Backup-style weekly snapshots of the bastion.
        bastion_root = self.report.volumes["bastion-root"]
        self.daily_chain(
            region, bastion_root, 8,
            lambda _: "This snapshot is created by the AWS Backup service.",
            size_gib=8, every=7, hour=5,
            extra_tags={"aws:backup:source-resource": f"arn:aws:ec2:{region}:{DEMO_ACCOUNT}:"
                        f"volume/{bastion_root}", "backup-plan": "weekly-35d"},
        )  # fmt: skip

        # A reporting volume that was deleted; its snapshots stay behind: orphans.
        old = self.volume(region, az, "old-reporting-data", 50, "gp2", fraction=0.3)
        orphans = self.daily_chain(
            region, old, 6, lambda w: f"reporting export {w:%Y-%m}", size_gib=50, every=30,
            Name="old-reporting", team="bi",
        )  # fmt: skip
        self.report.orphan_snapshots.extend(orphans)
        ec2.delete_volume(VolumeId=old)

        # A golden AMI made from web-1: its snapshot is in use by the AMI.
        golden = ec2.create_image(InstanceId=web1, Name="web-golden-2026-10", NoReboot=True)
        image_id = str(golden["ImageId"])
        self.report.images["web-golden-2026-10"] = image_id
        ami_snaps = [
            str(m["Ebs"]["SnapshotId"])
            for m in ec2.describe_images(ImageIds=[image_id])["Images"][0]["BlockDeviceMappings"]
            if m.get("Ebs", {}).get("SnapshotId")
        ]
        for snapshot_id in ami_snaps:
            self.set_time(region, snapshot_id, self.now - timedelta(days=33, hours=4))
        self.report.ami_snapshots.extend(ami_snaps)
        self.report.snapshots.extend(ami_snaps)

        # A restore volume made from a web-1 snapshot (continues its lineage) and left around.
        source = self.report.snapshots[5]
        restore = ec2.create_volume(
            AvailabilityZone=az,
            SnapshotId=source,
            VolumeType="gp3",
            TagSpecifications=[
                {
                    "ResourceType": "volume",
                    "Tags": _tags(Name="restore-web-1-logs", **{"snaptui:restore-of": source}),
                }
            ],
        )
        self.report.volumes["restore-web-1-logs"] = str(restore["VolumeId"])
        _ = web2

    def eu_west_1(self) -> None:
        region, az = "eu-west-1", "eu-west-1a"
        key = self.kms_key(region, "ebs-dr")
        image = self.base_image(region)
        app = self.instance(region, az, image, "app-eu-1", "m6i.large", env="prod", team="web")
        data = self.volume(
            region, az, "app-eu-1-data", 500, "gp3", kms_key=key, attach=(app, "/dev/sdf"),
            fraction=0.05, env="prod",
        )  # fmt: skip
        self.daily_chain(
            region, data, 30,
            lambda w: f"Created for policy: {DLM_POLICY} schedule: Daily 30d",
            size_gib=500, hour=1, Name="app-eu-1-data-daily", env="prod",
            extra_tags={"aws:dlm:lifecycle-policy-id": DLM_POLICY},
        )  # fmt: skip
        self.daily_chain(
            region, self.report.volumes["app-eu-1-root"], 7,
            lambda w: f"app-eu-1 root {w:%Y-%m-%d}", size_gib=8, hour=1, Name="app-eu-1-root",
        )  # fmt: skip

        # Weekly DR copies of the db set's first volume, encrypted with the DR key.
        ec2 = self.client("ec2", region)
        db_sets = self.report.multi_volume_sets
        for n, snapshot_set in enumerate(db_sets[-5:]):
            source = snapshot_set[0]
            copy = ec2.copy_snapshot(
                SourceRegion="us-east-1",
                SourceSnapshotId=source,
                Description=f"[Copied {source} from us-east-1] db-1 DR copy",
                Encrypted=True,
                KmsKeyId=key,
                TagSpecifications=[
                    {"ResourceType": "snapshot", "Tags": _tags(Name="db-1-dr", purpose="dr")}
                ],
            )
            copy_id = str(copy["SnapshotId"])
            self.set_time(region, copy_id, self.now - timedelta(days=5 - n, hours=20))
            self.report.copies.append(copy_id)
            self.report.snapshots.append(copy_id)

    def ap_southeast_2(self) -> None:
        region, az = "ap-southeast-2", "ap-southeast-2a"
        image = self.base_image(region)
        box = self.instance(region, az, image, "analytics-syd", "r6i.2xlarge", env="prod")
        data = self.volume(
            region, az, "analytics-warehouse", 1000, "st1", attach=(box, "/dev/sdf"),
            fraction=0.012, team="analytics",
        )  # fmt: skip
        weekly = self.daily_chain(
            region, data, 12, lambda w: f"warehouse weekly {w:%G-W%V}", size_gib=1000,
            every=7, hour=22, Name="warehouse-weekly", team="analytics",
        )  # fmt: skip
        ec2 = self.client("ec2", region)
        for snapshot_id in weekly[:2]:  # the oldest two went to the archive tier
            ec2.modify_snapshot_tier(SnapshotId=snapshot_id, StorageTier="archive")
            self.report.archived.append(snapshot_id)
        gone = self.volume(region, az, "legacy-etl-scratch", 100, "gp2", fraction=0.2)
        self.report.orphan_snapshots.extend(
            self.daily_chain(
                region, gone, 4, lambda w: f"legacy ETL scratch {w:%Y-%m-%d}", size_gib=100,
                every=21, hour=9, Name="legacy-etl",
            )
        )  # fmt: skip
        ec2.delete_volume(VolumeId=gone)

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


def seed(server: DemoServer, now: datetime | None = None) -> SeedReport:
    """Reset the server and build the fleet. ``now`` fixes every timestamp (tests)."""
    server.reset()
    seeder = _Seeder(server, (now or datetime.now(UTC)).astimezone(UTC))
    seeder.us_east_1()
    seeder.eu_west_1()
    seeder.ap_southeast_2()
    for region in server.regions:
        seeder.settle_times(region)
    from snaptui.demo.lightsail.seed import seed_lightsail

    seed_lightsail(lambda region: server.referee_client("lightsail", region), seeder.now)
    from snaptui.demo.seed_access import seed_access

    seed_access(seeder.client, server.regions)
    return seeder.report
