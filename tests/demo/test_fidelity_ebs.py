"""Each EBS direct patch makes the demo world answer as AWS documents (demo/fidelity_ebs.py)."""

from __future__ import annotations

import itertools
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from snaptui.demo import fidelity, fidelity_ebs
from snaptui.demo.seed import SeedReport
from snaptui.demo.server import DemoServer
from tests.conftest import client


def _ec2(server: DemoServer, region: str) -> Any:
    return client(server, "ec2", region)


def _ebs(server: DemoServer, region: str, **config: Any) -> Any:
    return boto3.client(
        "ebs",
        region_name=region,
        endpoint_url=server.endpoint_url,
        aws_access_key_id="demo",
        aws_secret_access_key="demo",
        config=Config(**config) if config else None,
    )


def _volume(server: DemoServer, region: str) -> str:
    ec2 = _ec2(server, region)
    return str(ec2.create_volume(AvailabilityZone=f"{region}a", Size=8)["VolumeId"])


def _snapshot(server: DemoServer, region: str, volume: str) -> str:
    return str(_ec2(server, region).create_snapshot(VolumeId=volume)["SnapshotId"])


def _all_changed(ebs: Any, first: str, second: str, max_results: int) -> list[list[dict[str, Any]]]:
    pages, token = [], None
    while True:
        kwargs: dict[str, Any] = {
            "FirstSnapshotId": first,
            "SecondSnapshotId": second,
            "MaxResults": max_results,
        }
        if token:
            kwargs["NextToken"] = token
        page = ebs.list_changed_blocks(**kwargs)
        pages.append(page["ChangedBlocks"])
        token = page.get("NextToken")
        if not token:
            return pages


def test_blocks_only_in_the_second_snapshot_are_returned(
    demo_server: DemoServer, scratch_region: str
) -> None:
    # Gaps 1-2: moto has no blocks for EC2-made snapshots, and iterates only the first's blocks.
    world = fidelity.world()
    volume = _volume(demo_server, scratch_region)
    first = _snapshot(demo_server, scratch_region, volume)
    world.write(volume, [5000, 5001])  # new blocks: present only in the second snapshot
    world.write(volume, [0])  # a rewrite
    world.write(volume, [1], trim=True)  # gone in the second
    second = _snapshot(demo_server, scratch_region, volume)

    answer = _ebs(demo_server, scratch_region).list_changed_blocks(
        FirstSnapshotId=first, SecondSnapshotId=second
    )
    by_index = {e["BlockIndex"]: e for e in answer["ChangedBlocks"]}
    assert set(by_index) == {0, 1, 5000, 5001}
    assert "FirstBlockToken" not in by_index[5000] and by_index[5000]["SecondBlockToken"]
    assert by_index[0]["FirstBlockToken"] != by_index[0]["SecondBlockToken"]
    assert "SecondBlockToken" not in by_index[1] and by_index[1]["FirstBlockToken"]
    assert answer["BlockSize"] == 524288 and answer["VolumeSize"] == 8
    assert answer["ExpiryTime"].tzinfo is not None
    assert "NextToken" not in answer
    # The tokens are the world's own block versions.
    assert by_index[5000]["SecondBlockToken"] == world.blocks(second)[5000]


def test_pages_follow_max_results_and_next_token(
    demo_server: DemoServer, scratch_region: str
) -> None:
    # Gap 3: moto answers everything in one page.
    world = fidelity.world()
    volume = _volume(demo_server, scratch_region)
    first = _snapshot(demo_server, scratch_region, volume)
    world.write(volume, list(range(3000, 3250)))
    second = _snapshot(demo_server, scratch_region, volume)
    ebs = _ebs(demo_server, scratch_region)

    pages = _all_changed(ebs, first, second, 100)
    assert [len(p) for p in pages] == [100, 100, 50]
    indices = [e["BlockIndex"] for p in pages for e in p]
    assert indices == sorted(indices) == list(range(3000, 3250))
    whole = _all_changed(ebs, first, second, 10000)
    assert len(whole) == 1 and [e["BlockIndex"] for e in whole[0]] == indices


def test_short_and_empty_pages_still_carry_next_token(
    demo_server: DemoServer, scratch_region: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on AWS, a request scans a bounded range: a page may be empty with more to come.
    monkeypatch.setattr(fidelity_ebs, "SCAN_WINDOW", 1000)
    world = fidelity.world()
    volume = _volume(demo_server, scratch_region)
    first = _snapshot(demo_server, scratch_region, volume)
    world.write(volume, [500, 4500])
    second = _snapshot(demo_server, scratch_region, volume)

    pages = _all_changed(_ebs(demo_server, scratch_region), first, second, 100)
    assert any(p == [] for p in pages[:-1])  # an empty page that was not the last
    assert [e["BlockIndex"] for p in pages for e in p] == [500, 4500]


def test_max_results_out_of_range_and_bad_tokens_are_rejected(
    demo_server: DemoServer, scratch_region: str
) -> None:
    volume = _volume(demo_server, scratch_region)
    first = _snapshot(demo_server, scratch_region, volume)
    second = _snapshot(demo_server, scratch_region, volume)
    # botocore checks the minimum itself; switch that off to see the server's answer.
    ebs = _ebs(demo_server, scratch_region, parameter_validation=False)
    for bad in ({"MaxResults": 99}, {"MaxResults": 10001}, {"NextToken": "bm90LWEtdG9rZW4="}):
        with pytest.raises(ClientError) as err:
            ebs.list_changed_blocks(FirstSnapshotId=first, SecondSnapshotId=second, **bad)
        assert err.value.response["Error"]["Code"] == "ValidationException"
        assert err.value.response["Reason"] in {"INVALID_PARAMETER_VALUE", "INVALID_PAGE_TOKEN"}


def test_unrelated_snapshots_answer_validation_exception(
    demo_server: DemoServer, scratch_region: str
) -> None:
    # Gap 4: moto never checks that the two snapshots share ancestry.
    a = _snapshot(demo_server, scratch_region, _volume(demo_server, scratch_region))
    b = _snapshot(demo_server, scratch_region, _volume(demo_server, scratch_region))
    with pytest.raises(ClientError) as err:
        _ebs(demo_server, scratch_region).list_changed_blocks(FirstSnapshotId=a, SecondSnapshotId=b)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert err.value.response["Reason"] == "UNRELATED_SNAPSHOTS"


def test_deleted_snapshot_blocks_are_gone(demo_server: DemoServer, scratch_region: str) -> None:
    # Gap 5: after DeleteSnapshot, the EBS direct APIs no longer find it (moto: HTTP 500).
    volume = _volume(demo_server, scratch_region)
    first = _snapshot(demo_server, scratch_region, volume)
    second = _snapshot(demo_server, scratch_region, volume)
    ebs = _ebs(demo_server, scratch_region)
    assert ebs.list_snapshot_blocks(SnapshotId=first)["Blocks"]
    _ec2(demo_server, scratch_region).delete_snapshot(SnapshotId=first)
    for call in (
        lambda: ebs.list_snapshot_blocks(SnapshotId=first),
        lambda: ebs.list_changed_blocks(FirstSnapshotId=first, SecondSnapshotId=second),
    ):
        with pytest.raises(ClientError) as err:
            call()
        assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert err.value.response["Reason"] == "SNAPSHOT_NOT_FOUND"


def test_snapshot_ids_are_regional(demo_server: DemoServer, seeded: SeedReport) -> None:
    sid = seeded.snapshots[0]  # a us-east-1 snapshot
    with pytest.raises(ClientError) as err:
        _ebs(demo_server, "eu-west-1").list_snapshot_blocks(SnapshotId=sid)
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_list_snapshot_blocks_pages_through_the_world(
    demo_server: DemoServer, scratch_region: str
) -> None:
    world = fidelity.world()
    volume = _volume(demo_server, scratch_region)
    world.write(volume, list(range(1000, 1300)))
    sid = _snapshot(demo_server, scratch_region, volume)
    ebs = _ebs(demo_server, scratch_region)
    seen: dict[int, str] = {}
    token, pages = None, 0
    while True:
        kwargs: dict[str, Any] = {"SnapshotId": sid, "MaxResults": 100}
        if token:
            kwargs["NextToken"] = token
        page = ebs.list_snapshot_blocks(**kwargs)
        pages += 1
        assert len(page["Blocks"]) <= 100 and page["BlockSize"] == 524288
        seen.update({b["BlockIndex"]: b["BlockToken"] for b in page["Blocks"]})
        token = page.get("NextToken")
        if not token:
            break
    assert seen == world.blocks(sid)
    assert pages == -(-len(seen) // 100)


def test_fast_same_history_diff_matches_the_world(
    demo_server: DemoServer, seeded: SeedReport
) -> None:
    # The patch's fast path must give exactly BlockWorld.changed_blocks' answer.
    world = fidelity.world()
    ids = [s for s in seeded.snapshots if world.knows(s)]
    pairs = list(itertools.pairwise(ids))[:40]
    compared = 0
    for a, b in pairs:
        try:
            expected = world.changed_blocks(a, b)
        except Exception:
            continue
        assert fidelity_ebs._changed(world, a, b) == expected
        compared += 1
    assert compared >= 20
