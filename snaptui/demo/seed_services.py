"""What manages and speeds up the demo's snapshots, made after everything else (no seeded id
moves): the DLM policies that own the daily chains, a Recycle Bin rule that keeps deleted DR
copies for 30 days, and fast snapshot restore on web-1's newest root snapshot in us-east-1a.

DLM and Recycle Bin rules are set on the demo's own records (the demo answers only their read
side, as snaptui only reads them); fast snapshot restore goes through the API and its start
is dated three days back, so it shows as enabled. AWS Backup's recovery points need nothing:
demo/backup_points.py answers them from the Backup-style chains' tags.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from snaptui.demo.dlm_backend import Policy
from snaptui.demo.rbin_backend import Rule
from snaptui.demo.services import DemoServices

DR_RULE = "dr-copies-30d"
FSR_AZ = "us-east-1a"


def seed_policies(services: DemoServices, dlm_policy: str, now: datetime) -> None:
    created = now - timedelta(days=400)
    services.dlm.add(
        "us-east-1",
        Policy(dlm_policy, "web roots, daily, keep 14", {"env": "prod"}, "Daily 14d", 24, 14,
               created),
    )  # fmt: skip
    services.dlm.add(
        "eu-west-1",
        Policy(dlm_policy, "app-eu-1 data, daily, keep 30", {"env": "prod"}, "Daily 30d", 24, 30,
               created),
    )  # fmt: skip
    services.rbin.add(
        "eu-west-1",
        Rule(
            DR_RULE, "DR copies stay 30 days after a delete", 30, resource_tags=(("purpose", "dr"),)
        ),
    )


def seed_fast_restore(services: DemoServices, client: Any, volume_id: str, now: datetime) -> str:
    """Fast snapshot restore on the volume's newest snapshot, enabled three days ago."""
    ec2 = client("ec2", "us-east-1")
    snaps = ec2.describe_snapshots(
        OwnerIds=["self"], Filters=[{"Name": "volume-id", "Values": [volume_id]}]
    )["Snapshots"]
    snapshot_id = str(max(snaps, key=lambda s: s["StartTime"])["SnapshotId"])
    ec2.enable_fast_snapshot_restores(AvailabilityZones=[FSR_AZ], SourceSnapshotIds=[snapshot_id])
    with services.fsr.lock:
        for entry in services.fsr.entries.values():
            entry.enabling = now - timedelta(days=3)
    return snapshot_id
