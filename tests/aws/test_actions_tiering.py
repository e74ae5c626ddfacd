"""Archive tier and Recycle Bin, and the cost shown before changing a tier."""

from __future__ import annotations

from typing import Any

import pytest

from snaptui.aws import tiering
from snaptui.aws.calls import ActionError
from snaptui.aws.session import AwsContext
from snaptui.core.units import GIB
from snaptui.cost.pricing import Prices
from snaptui.demo.server import DemoServer
from snaptui.models import ProblemKind
from tests.aws.test_actions_world import mutations
from tests.conftest import client


def _snapshot(server: DemoServer, region: str) -> tuple[Any, str]:
    ec2: Any = client(server, "ec2", region)
    vol = ec2.create_volume(AvailabilityZone=f"{region}a", Size=4)["VolumeId"]
    return ec2, str(ec2.create_snapshot(VolumeId=vol)["SnapshotId"])


def _tier(ec2: Any, snapshot_id: str) -> str:
    return str(ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]["StorageTier"])


def test_archive_then_restore_temporarily_then_permanently(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2, snap = _snapshot(demo_server, scratch_region)
    change = tiering.archive_snapshot(demo_ctx, scratch_region, snap)
    assert change.snapshot_id == snap and change.started is not None
    assert _tier(ec2, snap) == "archive"

    temporary = tiering.restore_from_archive(demo_ctx, scratch_region, snap, days=7)
    assert not temporary.permanent and temporary.restore_days == 7
    assert [(m["action"], m["params"].get("TemporaryRestoreDays")) for m in mutations(demo_ctx)][
        -1
    ] == ("RestoreSnapshotTier", 7)


def test_permanent_restore_returns_to_standard(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2, snap = _snapshot(demo_server, scratch_region)
    tiering.archive_snapshot(demo_ctx, scratch_region, snap)
    change = tiering.restore_from_archive(demo_ctx, scratch_region, snap, days=None)
    assert change.permanent
    assert _tier(ec2, snap) == "standard"


def test_archiving_an_archived_snapshot_is_refused(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2, snap = _snapshot(demo_server, scratch_region)
    ec2.modify_snapshot_tier(SnapshotId=snap, StorageTier="archive")
    with pytest.raises(ActionError) as err:
        tiering.archive_snapshot(demo_ctx, scratch_region, snap)
    assert "snapshot_id" in err.value.fields
    assert mutations(demo_ctx) == []


@pytest.mark.parametrize("days", [0, 181])
def test_restore_days_out_of_range_are_refused(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str, days: int
) -> None:
    ec2, snap = _snapshot(demo_server, scratch_region)
    ec2.modify_snapshot_tier(SnapshotId=snap, StorageTier="archive")
    with pytest.raises(ActionError) as err:
        tiering.restore_from_archive(demo_ctx, scratch_region, snap, days=days)
    assert "days" in err.value.fields
    assert mutations(demo_ctx) == []


def test_recycle_bin_is_not_supported_by_the_demo_endpoint(
    demo_ctx: AwsContext, scratch_region: str
) -> None:
    with pytest.raises(ActionError) as listed:
        tiering.list_recycle_bin(demo_ctx, scratch_region)
    assert listed.value.problem.kind is ProblemKind.NOT_SUPPORTED
    assert "not supported by this endpoint" in str(listed.value)

    with pytest.raises(ActionError) as recovered:
        tiering.recover_from_recycle_bin(demo_ctx, scratch_region, "snap-0123456789abcdef0")
    assert recovered.value.problem.kind is ProblemKind.NOT_SUPPORTED
    [line] = mutations(demo_ctx)
    # Declared missing by the demo endpoint: refused before sending, and logged so.
    assert (line["action"], line["outcome"]) == ("RestoreSnapshotFromRecycleBin", "refused")


# --- cost effect (pure) ----------------------------------------------------------------------

PRICES = Prices(standard=0.05, archive=0.0125, retrieval=0.03)


def test_archiving_a_snapshot_that_frees_all_its_blocks_saves_money() -> None:
    effect = tiering.archive_effect(100 * GIB, 100 * GIB, PRICES)
    assert effect.standard_saved_monthly == pytest.approx(5.0)
    assert effect.archive_monthly == pytest.approx(1.25)
    assert effect.net_monthly == pytest.approx(3.75)
    assert effect.minimum_charge == pytest.approx(3.75)  # 90 days of archive storage
    assert effect.break_even_days == pytest.approx(22.5)


def test_archiving_a_mostly_shared_snapshot_never_pays() -> None:
    effect = tiering.archive_effect(1 * GIB, 100 * GIB, PRICES)
    assert effect.net_monthly < 0
    assert effect.break_even_days is None


def test_restore_effect_bills_retrieval_and_both_tiers_while_temporary() -> None:
    effect = tiering.restore_effect(100 * GIB, PRICES, days=15)
    assert effect.retrieval == pytest.approx(3.0)
    assert effect.standard_monthly == pytest.approx(5.0)
    assert effect.temporary_total == pytest.approx(3.0 + 2.5)
    assert tiering.restore_effect(100 * GIB, PRICES, days=None).temporary_total is None
