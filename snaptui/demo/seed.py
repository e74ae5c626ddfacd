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

from datetime import UTC, datetime, timedelta
from typing import Any

from snaptui.demo.disk_contents import contents_of
from snaptui.demo.seed_builder import Seeder, SeedReport, tag_list
from snaptui.demo.server import DEMO_ACCOUNT, DemoServer

DLM_POLICY = "policy-0a1b2c3d4e5f60718"


class _Fleet(Seeder):
    """The three regions' fleets, each made in one fixed order (moto's IDs follow it)."""

    # --- us-east-1 ------------------------------------------------------------------------

    def us_east_1(self) -> None:
        region, az = "us-east-1", "us-east-1a"
        ec2 = self.client("ec2", region)
        db, staging, raid, staging_data = self._east_hosts(region, az)
        self._east_dlm_chains(region)
        self._db_nightly_sets(ec2, region, db, raid)
        self._manual_snapshots(region, staging_data)
        ec2.stop_instances(InstanceIds=[staging])
        self._bastion_backups(region)
        self._reporting_orphans(ec2, region, az)
        self._golden_image(ec2, region)
        self._restore_volume(ec2, region, az)

    def _east_hosts(self, region: str, az: str) -> tuple[str, str, list[str], str]:
        """The KMS key, base image, instances and data volumes: (db, staging, raid, data)."""
        key = self.kms_key(region, "ebs-prod")
        image = self.base_image(region)
        self.report.images["al2023-base"] = image

        self.instance(region, az, image, "web-1", "t3.medium", env="prod", team="web")
        # web-1's root holds a real GPT + ext4 disk (demo/disks/web-root.pack), one version a day.
        contents_of(self.world).bind(self.world, self.report.volumes["web-1-root"], "web-root")
        self.instance(region, "us-east-1b", image, "web-2", "t3.medium", env="prod")
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
        return db, staging, raid, staging_data

    def _east_dlm_chains(self, region: str) -> None:
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

    def _db_nightly_sets(self, ec2: Any, region: str, db: str, raid: list[str]) -> None:
        """The db's RAID set, crash-consistent, nightly for 10 nights: CreateSnapshots."""
        for back in range(10, 0, -1):
            when = (self.now - timedelta(days=back)).replace(hour=2, minute=0, second=back)
            for volume_id in raid:
                self.world.churn(volume_id, self.day_churn(), 200)
            made = ec2.create_snapshots(
                InstanceSpecification={"InstanceId": db, "ExcludeBootVolume": True},
                Description=f"db-1 nightly crash-consistent set {when:%Y-%m-%d}",
                TagSpecifications=[
                    {"ResourceType": "snapshot", "Tags": tag_list(env="prod", set="db-1-nightly")}
                ],
                CopyTagsFromSource="volume",
            )["Snapshots"]
            ids = [str(s["SnapshotId"]) for s in made]
            for n, snapshot_id in enumerate(ids):
                self.set_time(region, snapshot_id, when + timedelta(milliseconds=n))
            self.report.snapshots.extend(ids)
            self.report.multi_volume_sets.append(ids)

    def _manual_snapshots(self, region: str, staging_data: str) -> None:
        """Hand-made snapshots before risky changes."""
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

    def _bastion_backups(self, region: str) -> None:
        """AWS Backup-style weekly snapshots of the bastion."""
        bastion_root = self.report.volumes["bastion-root"]
        self.daily_chain(
            region, bastion_root, 8,
            lambda _: "This snapshot is created by the AWS Backup service.",
            size_gib=8, every=7, hour=5,
            extra_tags={"aws:backup:source-resource": f"arn:aws:ec2:{region}:{DEMO_ACCOUNT}:"
                        f"volume/{bastion_root}", "backup-plan": "weekly-90d"},
        )  # fmt: skip

    def _reporting_orphans(self, ec2: Any, region: str, az: str) -> None:
        """A reporting volume that was deleted; its snapshots stay behind: orphans."""
        old = self.volume(region, az, "old-reporting-data", 50, "gp2", fraction=0.3)
        orphans = self.daily_chain(
            region, old, 6, lambda w: f"reporting export {w:%Y-%m}", size_gib=50, every=30,
            Name="old-reporting", team="bi",
        )  # fmt: skip
        self.report.orphan_snapshots.extend(orphans)
        ec2.delete_volume(VolumeId=old)

    def _golden_image(self, ec2: Any, region: str) -> None:
        """A golden AMI made from web-1: its snapshot is in use by the AMI."""
        web1 = self.report.instances["web-1"]
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

    def _restore_volume(self, ec2: Any, region: str, az: str) -> None:
        """A restore volume made from a web-1 snapshot (continues its lineage) and left around."""
        source = self.report.snapshots[5]
        restore = ec2.create_volume(
            AvailabilityZone=az,
            SnapshotId=source,
            VolumeType="gp3",
            TagSpecifications=[
                {
                    "ResourceType": "volume",
                    "Tags": tag_list(Name="restore-web-1-logs", **{"snaptui:restore-of": source}),
                }
            ],
        )
        self.report.volumes["restore-web-1-logs"] = str(restore["VolumeId"])

    # --- eu-west-1 and ap-southeast-2 -----------------------------------------------------

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
                    {"ResourceType": "snapshot", "Tags": tag_list(Name="db-1-dr", purpose="dr")}
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


def seed(server: DemoServer, now: datetime | None = None) -> SeedReport:
    """Reset the server and build the fleet. ``now`` fixes every timestamp (tests)."""
    server.reset()
    seeder = _Fleet(server, (now or datetime.now(UTC)).astimezone(UTC))
    seeder.us_east_1()
    seeder.eu_west_1()
    seeder.ap_southeast_2()
    for region in server.regions:
        seeder.settle_times(region)
    from snaptui.demo.lightsail.seed import seed_lightsail

    seed_lightsail(lambda region: server.referee_client("lightsail", region), seeder.now)
    from snaptui.demo.seed_access import seed_access

    seed_access(seeder.client, server.regions)
    from snaptui.demo.seed_protection import seed_lock, seed_sharing

    public, shared = seed_sharing(seeder.client)
    seeder.report.public.append(public)
    seeder.report.shared.append(shared)
    seeder.report.locked.append(seed_lock(seeder.client, seeder.report.copies[0], seeder.now))
    from snaptui.demo.seed_services import seed_fast_restore, seed_policies

    seed_policies(server.services, DLM_POLICY, seeder.now)
    web_root = seeder.report.volumes["web-1-root"]
    seeder.report.fast_restored.append(
        seed_fast_restore(server.services, seeder.client, web_root, seeder.now)
    )
    from snaptui.demo.seed_org import seed_org

    member, made = seed_org(server, seeder.now)
    seeder.report.members[member] = made
    return seeder.report
