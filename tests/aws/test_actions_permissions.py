"""DryRun permission checks, typed errors and waiters."""

from __future__ import annotations

import dataclasses
import threading
import time
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


def _pending_volume_waiter(polls: list[int], cancel: threading.Event | None = None) -> Any:
    """A waiter on DescribeVolumes whose acceptors never match: the volume stays pending."""

    def request(ids: list[str]) -> dict[str, Any]:
        polls.append(1)
        if cancel is not None and len(polls) == 3:
            cancel.set()
        return {"VolumeIds": ids}

    return dataclasses.replace(waiting.VOLUME_AVAILABLE, request=request, acceptors=())


def test_waiter_stops_when_cancelled(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=1)["VolumeId"]
    cancel = threading.Event()
    polls: list[int] = []
    opts = waiting.WaitOptions(delay=0.01, cancel=cancel)
    with pytest.raises(waiting.WaitCancelled) as err:
        waiting.wait_for(
            demo_ctx, scratch_region, _pending_volume_waiter(polls, cancel), [vol], opts
        )
    assert len(polls) == 3  # the poll that saw the cancel was the last
    assert "the AWS work itself goes on" in str(err.value)


def test_cancel_during_the_delay_returns_at_once(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=1)["VolumeId"]
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(waiting.WaitCancelled):
        waiting.wait_for(
            demo_ctx, scratch_region, _pending_volume_waiter([]), [vol],
            waiting.WaitOptions(delay=60, cancel=cancel),
        )  # fmt: skip
    assert time.monotonic() - started < 30  # woke on cancel, never sat out the 60 s delay


def test_waiter_times_out(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=1)["VolumeId"]
    opts = waiting.WaitOptions(delay=0.01, timeout=0.05)
    with pytest.raises(waiting.WaitTimedOut):
        waiting.wait_for(demo_ctx, scratch_region, _pending_volume_waiter([]), [vol], opts)


def test_not_found_is_pending_during_the_grace_period_then_fails(
    demo_ctx: AwsContext, scratch_region: str
) -> None:
    missing = "vol-0123456789abcdef0"
    seen: list[str] = []
    opts = waiting.WaitOptions(delay=0.01, not_found_grace=0.3, progress=seen.append)
    started = time.monotonic()
    with pytest.raises(ActionError) as err:
        waiting.volume_available(demo_ctx, scratch_region, missing, opts)
    assert time.monotonic() - started >= 0.3
    assert f"{missing}: not visible yet" in seen
    assert "no longer exists" in str(err.value)


def test_a_deleted_volume_is_done_at_once(demo_ctx: AwsContext, scratch_region: str) -> None:
    seen: list[str] = []
    opts = waiting.WaitOptions(delay=0.01, not_found_grace=60, progress=seen.append)
    waiting.volume_deleted(demo_ctx, scratch_region, "vol-0123456789abcdef0", opts)
    assert seen == ["vol-0123456789abcdef0: done"]  # one poll: absent is what it waits for


def test_transient_errors_while_waiting_are_pending(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=1)["VolumeId"]
    ours = demo_ctx.client("ec2", scratch_region)
    with Stubber(ours) as stub:
        stub.add_client_error("describe_volumes", "ServiceUnavailable", http_status_code=503)
        stub.add_client_error("describe_volumes", "RequestLimitExceeded", http_status_code=400)
        stub.add_response(
            "describe_volumes", {"Volumes": [{"VolumeId": vol, "State": "available"}]}
        )
        seen: list[str] = []
        opts = waiting.WaitOptions(delay=0.01, progress=seen.append)
        waiting.volume_available(demo_ctx, scratch_region, vol, opts)
    assert seen == [
        f"{vol}: no answer yet (ServiceUnavailable)",
        f"{vol}: no answer yet (RequestLimitExceeded)",
        f"{vol}: available",
    ]


def test_poll_delays_back_off_whatever_the_endpoint() -> None:
    opts = waiting.WaitOptions()
    assert opts.delay is None and opts.first_delay < 1 and opts.max_delay >= 10


def test_waiter_fails_on_a_terminal_state(
    demo_server: DemoServer, demo_ctx: AwsContext, scratch_region: str
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    vol = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=1)["VolumeId"]
    ec2.delete_volume(VolumeId=vol)
    with pytest.raises(ActionError):
        waiting.volume_in_use(
            demo_ctx, scratch_region, vol, waiting.WaitOptions(delay=0.01, not_found_grace=0.5)
        )


def test_an_endpoint_that_ignores_dry_run_is_unknown_never_allowed(
    demo_ctx: AwsContext, scratch_region: str
) -> None:
    params = {"VolumeId": "vol-0123456789abcdef0"}
    ec2 = demo_ctx.client("ec2", scratch_region)
    with Stubber(ec2) as stub:
        # Such an endpoint does the work instead of answering DryRunOperation.
        stub.add_response("delete_volume", {})
        stub.add_response("delete_volume", {})
        answer = permissions.dry_run(demo_ctx, scratch_region, "DeleteVolume", params)
        allowed, reason = permissions.dry_run_allowed(
            demo_ctx, scratch_region, "DeleteVolume", params
        )
    assert answer.verdict == "unknown" and answer.ran and not answer.allowed
    assert "ignores DryRun" in answer.reason
    assert not allowed and reason.startswith("permission unknown")


def test_errors_other_than_denied_are_unknown(demo_ctx: AwsContext, scratch_region: str) -> None:
    ec2 = demo_ctx.client("ec2", scratch_region)
    with Stubber(ec2) as stub:
        stub.add_client_error("delete_volume", "InternalError", http_status_code=500)
        answer = permissions.dry_run(
            demo_ctx, scratch_region, "DeleteVolume", {"VolumeId": "vol-0123456789abcdef0"}
        )
    assert answer.verdict == "unknown" and not answer.ran
