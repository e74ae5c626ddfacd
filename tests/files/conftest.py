"""Fixtures for reading files from the seeded demo world's snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from snaptui.aws.session import AwsContext
from snaptui.demo.disk_images import DiskImage, load
from snaptui.demo.seed import SeedReport
from snaptui.files.session import FilesSession


def lineage(ctx: AwsContext, volume_id: str) -> list[dict[str, Any]]:
    """The volume's snapshots, oldest first (daily version n is the n-th)."""
    ec2 = ctx.client("ec2", "us-east-1")
    snaps = ec2.describe_snapshots(Filters=[{"Name": "volume-id", "Values": [volume_id]}])
    return sorted(snaps["Snapshots"], key=lambda s: s["StartTime"])


@pytest.fixture
def web_root(demo_ctx: AwsContext, seeded: SeedReport) -> list[str]:
    """web-1's 14 daily root snapshots, oldest first (image versions 0..13), without the AMI's."""
    snaps = lineage(demo_ctx, seeded.volumes["web-1-root"])
    return [str(s["SnapshotId"]) for s in snaps if "daily" in str(s.get("Tags", ""))]


@pytest.fixture
def image() -> DiskImage:
    return load("web-root")


@pytest.fixture
def session(demo_ctx: AwsContext, tmp_path: Path) -> FilesSession:
    return FilesSession(demo_ctx, tmp_path / "cache")
