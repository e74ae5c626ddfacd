"""Test helpers: waiting for the UI, and AWS errors injected at the HTTP boundary.

moto cannot make one region answer AccessDenied, throttle, or act disabled; ``fail_http``
makes botocore receive exactly the error response AWS would send, for the named operation
of one client. Nothing of snaptui's own code is replaced.
"""

from __future__ import annotations

import asyncio
from typing import Any

from botocore.awsrequest import AWSResponse
from textual.pilot import Pilot

from snaptui.ui.panels.status import StatusLine


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def ec2_error_body(code: str, message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error>"
        "</Errors><RequestID>test-request</RequestID></Response>"
    ).encode()


def fail_http(client: Any, operation: str, code: str, message: str, status: int = 403) -> list[int]:
    """Make ``client`` receive an EC2 error for ``operation``; returns a list counting sends."""
    calls: list[int] = []

    def before_send(request: Any, **_: Any) -> AWSResponse:
        calls.append(1)
        return AWSResponse(request.url, status, {}, _Raw(ec2_error_body(code, message)))

    client.meta.events.register(f"before-send.ec2.{operation}", before_send)
    return calls


async def wait_loaded(pilot: Pilot[Any], timeout: float = 30.0) -> None:
    """Wait until the app's inventory load has finished (every region answered)."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    await pilot.pause()
    while True:
        facts = app.query_one(StatusLine).facts
        # Loaded, and the cost figures that follow are in (screens must not catch them midway).
        if not facts.loading and not getattr(app, "cost_running", False):
            break
        if loop.time() > deadline:
            raise AssertionError("the inventory did not finish loading")
        await asyncio.sleep(0.05)
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Any, timeout: float = 10.0) -> None:
    """Wait for something the app does in a worker (e.g. the DryRun check before a dialog)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await asyncio.sleep(0.02)
    await pilot.pause()


def member_snapshots(server: Any, member: str, region: str = "us-east-1") -> set[str]:
    """The snapshots a demo member account owns, as a client signed with that account's own
    assumed-role keys sees them (the AWS CLI's view of the member)."""
    from snaptui.aws.accounts import role_arn
    from snaptui.demo.seed_org import ORG_ROLE

    sts = server.referee_client("sts", region)
    arn = role_arn(member, ORG_ROLE, region)
    keys = sts.assume_role(RoleArn=arn, RoleSessionName="check")["Credentials"]
    ec2 = server.referee_client("ec2", region, {k: str(v) for k, v in keys.items()})
    return {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
