"""DryRun permission checks, typed errors and waiters."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from snaptui.aws import permissions, waiting
from snaptui.aws.calls import ActionError, call
from snaptui.aws.session import AwsContext
from snaptui.demo.server import DemoServer
from tests.aws.test_actions_world import mutations
from tests.conftest import client


def test_dry_run_allowed(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    params = {"AvailabilityZone": f"{scratch_region}a", "Size": 1}
    assert permissions.dry_run_allowed(demo_ctx, scratch_region, "CreateVolume", params) == (
        True,
        "",
    )
    assert permissions.dry_run_allowed(demo_ctx, scratch_region, "create_volume", params)[0]
    # A dry run changes nothing and is not a mutation in the audit log.
    ec2: Any = client(demo_server, "ec2", scratch_region)
    assert ec2.describe_volumes()["Volumes"] == []
    assert mutations(demo_ctx) == []


def test_dry_run_denied_reports_aws_reason(demo_ctx: AwsContext, scratch_region: str) -> None:
    ec2 = demo_ctx.client("ec2", scratch_region)
    with Stubber(ec2) as stub:
        stub.add_client_error(
            "delete_volume",
            service_error_code="UnauthorizedOperation",
            service_message="You are not authorized to perform this operation.",
            http_status_code=403,
        )
        allowed, reason = permissions.dry_run_allowed(
            demo_ctx, scratch_region, "DeleteVolume", {"VolumeId": "vol-0123456789abcdef0"}
        )
    assert (allowed, reason) == (False, "You are not authorized to perform this operation.")


def test_dry_run_in_read_only_mode_asks_nothing(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    ctx = AwsContext(demo_server.target(read_only=True, audit_path=tmp_path / "a.jsonl"))
    sent: list[str] = []
    ctx.client("ec2", scratch_region).meta.events.register(
        "before-send.ec2.*", lambda request, **_: sent.append(request.url)
    )
    params = {"AvailabilityZone": f"{scratch_region}a", "Size": 1}
    assert permissions.dry_run_allowed(ctx, scratch_region, "CreateVolume", params) == (
        False,
        "read-only",
    )
    assert sent == []
    assert mutations(ctx) == []


def test_unknown_operation(demo_ctx: AwsContext, scratch_region: str) -> None:
    allowed, reason = permissions.dry_run_allowed(demo_ctx, scratch_region, "FlyToMars", {})
    assert not allowed and "not an EC2 operation" in reason


def test_client_token_is_added_only_where_accepted(
    demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2 = demo_ctx.client("ec2", scratch_region)
    out = call(ec2, "CreateVolume", scratch_region, AvailabilityZone=f"{scratch_region}a", Size=1)
    call(ec2, "CreateTags", scratch_region, Resources=[out["VolumeId"]], Tags=[])
    lines = mutations(demo_ctx)
    assert lines[0]["params"]["ClientToken"]
    assert "ClientToken" not in lines[1]["params"]  # CreateTags takes none


def test_aws_errors_become_action_errors(demo_ctx: AwsContext, scratch_region: str) -> None:
    ec2 = demo_ctx.client("ec2", scratch_region)
    with pytest.raises(ActionError) as err:
        call(ec2, "DeleteVolume", scratch_region, VolumeId="vol-0123456789abcdef0")
    assert err.value.problem.operation == "DeleteVolume"
    assert "InvalidVolume.NotFound" in err.value.problem.message


# --- waiters ---------------------------------------------------------------------------------


def test_waiter_reports_progress(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=1)["VolumeId"]
    seen: list[str] = []
    opts = waiting.WaitOptions(delay=0.01, timeout=5, progress=seen.append)
    waiting.volume_available(demo_ctx, scratch_region, vol, opts)
    assert seen == [f"{vol}: available"]


def test_waiter_stops_when_cancelled(demo_ctx: AwsContext) -> None:
    cancel = threading.Event()
    polls: list[int] = []

    def check() -> tuple[bool, str, str]:
        polls.append(1)
        if len(polls) == 3:
            cancel.set()
        return False, "pending", ""

    opts = waiting.WaitOptions(delay=0.01, cancel=cancel)
    with pytest.raises(waiting.WaitCancelled):
        waiting.wait_until(check, "vol-1", "r", "DescribeVolumes", 0.01, opts)
    assert len(polls) == 3


def test_waiter_times_out(demo_ctx: AwsContext) -> None:
    opts = waiting.WaitOptions(delay=0.01, timeout=0.05)
    with pytest.raises(waiting.WaitTimedOut):
        waiting.wait_until(lambda: (False, "pending", ""), "x", "r", "Op", 0.01, opts)


def test_waiter_fails_on_a_terminal_state(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=1)["VolumeId"]
    ec2.delete_volume(VolumeId=vol)
    with pytest.raises(ActionError):
        waiting.volume_in_use(demo_ctx, scratch_region, vol, waiting.WaitOptions(delay=0.01))


def test_demo_delay_is_short(demo_ctx: AwsContext) -> None:
    assert waiting.default_delay(demo_ctx) == waiting.LOCAL_DELAY
