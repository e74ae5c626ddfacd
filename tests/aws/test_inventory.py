"""The AWS layer's inventory: every page, parallel regions, errors kept where they happened."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from snaptui.aws import inventory, regions
from snaptui.aws.errors import ReadOnlyError
from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.demo.seed import SeedReport
from snaptui.demo.server import DemoServer
from snaptui.models import ProblemKind
from tests.aws.opstub import OperationStubber, stubbed_target
from tests.helpers import fail_http

T = datetime(2026, 5, 1, tzinfo=UTC)


def _snap(sid: str) -> dict[str, object]:
    return {
        "SnapshotId": sid,
        "VolumeId": "vol-1",
        "VolumeSize": 8,
        "State": "completed",
        "StartTime": T,
        "OwnerId": "123456789012",
        "FullSnapshotSizeInBytes": 1048576,
    }


def _stubbed(tmp_path: Path) -> tuple[AwsContext, OperationStubber]:
    ctx = AwsContext(stubbed_target(regions=("eu-west-1",), audit_path=tmp_path / "a.jsonl"))
    return ctx, OperationStubber(ctx.client("ec2", "eu-west-1"))


def _empty_rest(stub: OperationStubber) -> None:
    """The region's other calls answer nothing."""
    stub.add_response("describe_volumes", {"Volumes": []})
    stub.add_response("describe_instances", {"Reservations": []})
    stub.add_response("describe_images", {"Images": []})


def test_short_and_empty_pages_with_a_token_are_followed(tmp_path: Path) -> None:
    # AWS may answer an empty page that still carries NextToken; stopping there loses data.
    ctx, stub = _stubbed(tmp_path)
    stub.add_response("describe_snapshots", {"Snapshots": [], "NextToken": "t1"})
    stub.add_response("describe_snapshots", {"Snapshots": [_snap("snap-a")], "NextToken": "t2"})
    stub.add_response("describe_snapshots", {"Snapshots": [_snap("snap-b")]})
    _empty_rest(stub)
    with stub:
        inv = inventory.fetch_region(ctx, "eu-west-1")
    stub.assert_no_pending_responses()
    assert [s.id for s in inv.snapshots] == ["snap-a", "snap-b"]
    assert inv.snapshots[0].full_size_bytes == 1048576
    assert inv.problems == []


def test_denied_call_is_reported_and_the_rest_still_loads(tmp_path: Path) -> None:
    ctx, stub = _stubbed(tmp_path)
    stub.add_response("describe_snapshots", {"Snapshots": [_snap("snap-a")]})
    stub.add_response("describe_volumes", {"Volumes": []})
    stub.add_client_error("describe_instances", "UnauthorizedOperation", "not allowed")
    stub.add_response("describe_images", {"Images": []})
    with stub:
        inv = inventory.fetch_region(ctx, "eu-west-1")
    assert [s.id for s in inv.snapshots] == ["snap-a"]
    (problem,) = inv.problems
    assert problem.kind is ProblemKind.ACCESS_DENIED
    assert problem.operation == "DescribeInstances"
    assert problem.region == "eu-west-1"


def test_a_disabled_region_stops_after_the_first_call(tmp_path: Path) -> None:
    ctx, stub = _stubbed(tmp_path)
    stub.add_client_error("describe_snapshots", "OptInRequired", "opt in first", 401)
    with stub:
        inv = inventory.fetch_region(ctx, "eu-west-1")
    stub.assert_no_pending_responses()  # no further calls were made
    assert [p.kind for p in inv.problems] == [ProblemKind.REGION_DISABLED]


def test_throttling_that_outlasts_retries_is_named(tmp_path: Path) -> None:
    ctx, stub = _stubbed(tmp_path)
    stub.add_client_error("describe_snapshots", "RequestLimitExceeded", "slow down", 503)
    _empty_rest(stub)
    with stub:
        inv = inventory.fetch_region(ctx, "eu-west-1")
    assert inv.problems[0].kind is ProblemKind.THROTTLED


def test_whole_demo_fleet_loads_in_parallel(demo_ctx: AwsContext, seeded: SeedReport) -> None:
    seen: list[str] = []
    result = inventory.fetch_all(
        demo_ctx,
        ["us-east-1", "eu-west-1", "ap-southeast-2"],
        on_region=lambda i: seen.append(i.region),
    )
    assert sorted(seen) == ["ap-southeast-2", "eu-west-1", "us-east-1"]
    ids = {s.id for inv in result for s in inv.snapshots}
    assert ids == set(seeded.snapshots)
    assert all(inv.problems == [] for inv in result)
    instances = {i.name for inv in result for i in inv.instances}
    assert {"web-1", "db-1", "staging-app", "app-eu-1", "analytics-syd"} <= instances


def test_snapshots_are_fetched_page_by_page(
    demo_ctx: AwsContext, seeded: SeedReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inventory, "SNAPSHOT_PAGE", 7)
    client = demo_ctx.client("ec2", "eu-west-1")
    sends: list[str] = []

    def sent(request: object, **_: object) -> None:
        body = str(getattr(request, "body", ""))
        if "RestorableBy" not in body:  # the public check's own (single, empty) page
            sends.append(body)

    client.meta.events.register("before-send.ec2.DescribeSnapshots", sent)
    inv = inventory.fetch_region(demo_ctx, "eu-west-1")
    n = len(inv.snapshots)
    assert n > 7
    assert len(sends) == -(-n // 7)  # ceil: every page, none twice


def test_one_failing_region_keeps_the_others(demo_ctx: AwsContext, seeded: SeedReport) -> None:
    fail_http(demo_ctx.client("ec2", "eu-west-1"), "DescribeSnapshots", "OptInRequired", "no")
    result = {i.region: i for i in inventory.fetch_all(demo_ctx, ["us-east-1", "eu-west-1"])}
    assert result["us-east-1"].snapshots and not result["us-east-1"].problems
    assert result["eu-west-1"].snapshots == []
    assert result["eu-west-1"].problems[0].kind is ProblemKind.REGION_DISABLED


def test_unreachable_endpoint_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    from snaptui.demo.server import free_port

    target = AwsTarget(
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        regions=("us-east-1",),
        max_attempts=1,
        audit_path=tmp_path / "a.jsonl",
    )
    (inv,) = inventory.fetch_all(AwsContext(target), ["us-east-1"])
    assert [p.kind for p in inv.problems] == [ProblemKind.UNREACHABLE]


def test_regions_default_to_every_enabled_region(demo_server: DemoServer, tmp_path: Path) -> None:
    target = AwsTarget(
        endpoint_url=demo_server.endpoint_url,
        access_key_id="demo",
        secret_access_key="demo",
        audit_path=tmp_path / "a.jsonl",
    )
    names, problem = regions.resolve_regions(AwsContext(target))
    assert problem is None
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= set(names)


def test_regions_fall_back_to_home_when_listing_is_denied(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    target = AwsTarget(
        endpoint_url=demo_server.endpoint_url,
        access_key_id="demo",
        secret_access_key="demo",
        default_region="eu-west-1",
        audit_path=tmp_path / "a.jsonl",
    )
    ctx = AwsContext(target)
    fail_http(ctx.client("ec2", ctx.home_region), "DescribeRegions", "UnauthorizedOperation", "no")
    names, problem = regions.resolve_regions(ctx)
    assert names == [ctx.home_region]
    assert problem is not None and problem.kind is ProblemKind.ACCESS_DENIED


def test_read_only_refuses_before_sending_and_audits(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    audit = tmp_path / "audit.jsonl"
    ctx = AwsContext(demo_server.target(read_only=True, audit_path=audit))
    client = ctx.client("ec2", "us-west-2")
    sent: list[int] = []
    client.meta.events.register("before-send.ec2.*", lambda **_: sent.append(1))
    with pytest.raises(ReadOnlyError):
        client.create_volume(AvailabilityZone="us-west-2a", Size=1)
    assert sent == []
    (line,) = audit.read_text().splitlines()
    record = json.loads(line)
    assert record["action"] == "CreateVolume" and record["outcome"] == "refused"


def test_pages_stream_to_the_caller_before_the_region_is_done(
    demo_ctx: AwsContext, seeded: SeedReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inventory, "SNAPSHOT_PAGE", 7)
    seen: list[inventory.InventoryPage] = []
    inv = inventory.fetch_region(demo_ctx, "eu-west-1", on_page=seen.append)
    snap_pages = [p for p in seen if p.kind == "snapshots"]
    assert len(snap_pages) == -(-len(inv.snapshots) // 7) + 1  # every page, then "last"
    assert [p.number for p in snap_pages] == list(range(1, len(snap_pages) + 1))
    assert [p.last for p in snap_pages] == [False] * (len(snap_pages) - 1) + [True]
    assert [s.id for p in snap_pages for s in p.items] == [s.id for s in inv.snapshots]
    # Every call reports its end, so a UI knows when a region is complete.
    assert {p.kind for p in seen if p.last} == {"snapshots", "volumes", "instances", "images"}
    assert [i.id for p in seen if p.kind == "volumes" for i in p.items] == [
        v.id for v in inv.volumes
    ]


def test_a_fatal_failure_on_a_concurrent_call_is_reported_once(tmp_path: Path) -> None:
    ctx, stub = _stubbed(tmp_path)
    stub.add_response("describe_snapshots", {"Snapshots": [_snap("snap-a")]})
    for op in ("describe_volumes", "describe_instances", "describe_images"):
        stub.add_client_error(op, "ExpiredToken", "the token has expired", 400)
    with stub:
        inv = inventory.fetch_region(ctx, "eu-west-1")
    assert [s.id for s in inv.snapshots] == ["snap-a"]
    assert [p.kind for p in inv.problems] == [ProblemKind.EXPIRED_CREDENTIALS]


def test_public_snapshots_are_flagged_from_one_query_per_region(tmp_path: Path) -> None:
    ctx, stub = _stubbed(tmp_path)
    stub.add_response("describe_snapshots", {"Snapshots": [_snap("snap-a"), _snap("snap-b")]})
    stub.add_public_response({"Snapshots": [_snap("snap-b")]})
    _empty_rest(stub)
    with stub:
        inv = inventory.fetch_region(ctx, "eu-west-1")
    stub.assert_no_pending_responses()
    assert {s.id: s.public for s in inv.snapshots} == {"snap-a": False, "snap-b": True}


def test_a_denied_public_check_leaves_unknown_never_private(tmp_path: Path) -> None:
    from snaptui.core.browse import Fleet
    from snaptui.core.details import snapshot_rows

    ctx, stub = _stubbed(tmp_path)
    stub.add_response("describe_snapshots", {"Snapshots": [_snap("snap-a")]})
    stub.add_public_error("UnauthorizedOperation")
    _empty_rest(stub)
    with stub:
        inv = inventory.fetch_region(ctx, "eu-west-1")
    assert inv.snapshots[0].public is None
    (problem,) = inv.problems
    assert problem.kind is ProblemKind.ACCESS_DENIED
    rows = dict(snapshot_rows(inv.snapshots[0], Fleet.build({"eu-west-1": inv})))
    assert rows["Public"] == "unknown (no permission)"


def test_the_demo_worlds_public_snapshot_is_the_only_one_flagged(
    demo_ctx: AwsContext, seeded: SeedReport
) -> None:
    invs = inventory.fetch_all(demo_ctx, ["us-east-1", "eu-west-1", "ap-southeast-2"])
    flags = {s.id: s.public for inv in invs for s in inv.snapshots}
    assert {sid for sid, public in flags.items() if public} == set(seeded.public)
    assert all(public is not None for public in flags.values())


def test_the_seeded_lock_is_on_its_snapshot_and_no_other(
    demo_ctx: AwsContext, seeded: SeedReport
) -> None:
    from snaptui.core.browse import Fleet
    from snaptui.core.details import snapshot_rows

    inv = inventory.fetch_region(demo_ctx, "eu-west-1")
    locks = {s.id: s.lock for s in inv.snapshots}
    assert {sid for sid, lock in locks.items() if lock} == set(seeded.locked)
    assert all(lock is not None for lock in locks.values())
    locked = next(s for s in inv.snapshots if s.id == seeded.locked[0])
    row = dict(snapshot_rows(locked, Fleet.build({"eu-west-1": inv})))["Lock"]
    assert row.startswith("compliance until ") and row.endswith("(delete refused)")
