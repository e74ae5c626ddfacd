"""A restore volume made, snapshotted and deleted, then its source snapshot deleted: end to end.

Through the demo world's HTTP endpoint. Brute force uses a plain boto3 client: every
snapshot's block tokens from ListSnapshotBlocks, each distinct token counted once, and the
ancestry as it was made here. With a cost run made before the deletions (its cache remembers
the volume's source and the source's place), every figure is exact; cold, the lineage is found
by probing: what deleting frees and the totals stay exact, the branch's incremental size is a
marked bound that contains the truth, and a second run makes no call at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from snaptui.aws.cost_fetch import compute_costs
from snaptui.aws.diff_cache import DiffCache
from snaptui.aws.inventory import fetch_region
from snaptui.aws.rate_limit import LimiterRegistry
from snaptui.aws.session import AwsContext
from snaptui.cost.report import RegionCosts
from snaptui.demo import fidelity
from snaptui.demo.server import DemoServer
from tests.conftest import client

BLOCK = 512 * 1024


def _tokens(ebs: Any, snapshot_id: str) -> set[str]:
    page = ebs.list_snapshot_blocks(SnapshotId=snapshot_id)
    assert "NextToken" not in page
    return {b["BlockToken"] for b in page["Blocks"]}


def _costs(ctx: AwsContext, region: str, cache: DiffCache) -> RegionCosts:
    inv = fetch_region(ctx, region)
    return compute_costs(ctx, [inv], cache=cache, limiters=LimiterRegistry(1000.0)).regions[region]


def _world(server: DemoServer, region: str) -> tuple[Any, dict[str, str | None], list[str]]:
    """main: a1 -> a2 -> a3 (a4 after the restore); restore volume from a2: b1 -> b2."""
    ec2: Any = client(server, "ec2", region)
    world = fidelity.world()
    vol = ec2.create_volume(AvailabilityZone=f"{region}a", Size=1)["VolumeId"]
    snaps = []
    for i in range(3):
        world.write(vol, [i, 10 + i])
        snaps.append(ec2.create_snapshot(VolumeId=vol)["SnapshotId"])
    a1, a2, a3 = snaps
    restore = ec2.create_volume(AvailabilityZone=f"{region}a", SnapshotId=a2)["VolumeId"]
    world.write(restore, [1, 40])
    b1 = ec2.create_snapshot(VolumeId=restore)["SnapshotId"]
    world.write(restore, [41])
    b2 = ec2.create_snapshot(VolumeId=restore)["SnapshotId"]
    world.write(vol, [2, 11])
    a4 = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    parent = {a1: None, a2: a1, a3: a2, a4: a3, b1: a2, b2: b1}
    return ec2, parent, [restore, a2]


def _check(rc: RegionCosts, ebs: Any, parent: dict[str, str | None]) -> tuple[int, int]:
    alive = {s for s in parent if s in rc.snapshots}
    tokens = {s: _tokens(ebs, s) for s in alive}
    holders: dict[str, set[str]] = {}
    for s, toks in tokens.items():
        for t in toks:
            holders.setdefault(t, set()).add(s)
    exact = bounded = 0
    for s in alive:
        anc = parent[s]
        while anc is not None and anc not in alive:
            anc = parent[anc]
        incr = len(tokens[s] - (tokens[anc] if anc else set())) * BLOCK
        freed = sum(BLOCK for t in tokens[s] if holders[t] == {s})
        c = rc.snapshots[s]
        assert c.freed_bytes == freed, s  # never a bound here: the probes relate everything
        assert c.incremental_low_bytes is not None and c.incremental_high_bytes is not None
        assert c.incremental_low_bytes <= incr <= c.incremental_high_bytes, s
        if c.incremental_bytes is not None:
            assert c.incremental_bytes == incr, s
            exact += 1
        else:
            assert c.reason and not c.exact
            bounded += 1
    assert rc.totals().exact and rc.totals().bytes == len(holders) * BLOCK
    return exact, bounded


@pytest.fixture
def ctx(demo_server: DemoServer, tmp_path: Path) -> AwsContext:
    return AwsContext(demo_server.target(audit_path=tmp_path / "audit.jsonl"))


def test_with_evidence_from_an_earlier_run_every_figure_is_exact(
    ctx: AwsContext, demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    ec2, parent, (restore, source) = _world(demo_server, scratch_region)
    cache = DiffCache(tmp_path / "cache", "test")
    _costs(ctx, scratch_region, cache)  # it sees the restore volume and its source
    ec2.delete_volume(VolumeId=restore)
    ec2.delete_snapshot(SnapshotId=source)
    rc = _costs(ctx, scratch_region, cache)
    ebs = client(demo_server, "ebs", scratch_region)
    assert _check(rc, ebs, parent) == (5, 0)
    assert rc.probes == 0 and rc.complete


def test_cold_the_lineage_is_found_by_probing_and_bounds_are_true(
    ctx: AwsContext, demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    ec2, parent, (restore, source) = _world(demo_server, scratch_region)
    ec2.delete_volume(VolumeId=restore)
    ec2.delete_snapshot(SnapshotId=source)
    cache = DiffCache(tmp_path / "cache", "test")
    rc = _costs(ctx, scratch_region, cache)
    ebs = client(demo_server, "ebs", scratch_region)
    # b1 hangs under a related snapshot, maybe not its ancestor: its incremental is a bound.
    assert _check(rc, ebs, parent) == (4, 1)
    assert rc.probes >= 1 and rc.probed_lineages == 1 and rc.complete
    assert len(rc.lineages) == 1  # not the old "restore chain as a new full root"
    again = _costs(ctx, scratch_region, cache)
    assert again.api_calls == 0 and again.probes == 0
    assert again.totals() == rc.totals()
