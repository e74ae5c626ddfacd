"""Waiters with progress and cancellation, which botocore's own waiters do not offer.

Each polls one Describe call until a state is reached, reporting every poll through the
progress callback, and stops early when the cancel event is set or a terminal failure state
shows up. The delay is configurable: seconds against AWS, milliseconds in the demo world.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from snaptui.aws.calls import ActionError, Progress, aws_call, no_progress
from snaptui.aws.session import AwsContext
from snaptui.models import Problem, ProblemKind

AWS_DELAY = 5.0
LOCAL_DELAY = 0.1  # a loopback endpoint (the demo world) answers at once


def default_delay(ctx: AwsContext) -> float:
    endpoint = ctx.target.effective_endpoint or ""
    local = "://127." in endpoint or "://localhost" in endpoint or "://[::1]" in endpoint
    return LOCAL_DELAY if local else AWS_DELAY


@dataclass(frozen=True, slots=True)
class WaitOptions:
    delay: float | None = None  # None: default_delay(ctx)
    timeout: float = 1800.0
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: Progress = no_progress


class WaitCancelled(ActionError):
    pass


class WaitTimedOut(ActionError):
    pass


# state check: () -> (done, state text, failure text or "")
Check = Callable[[], tuple[bool, str, str]]


def wait_until(
    check: Check, what: str, region: str, operation: str, delay: float, options: WaitOptions
) -> None:
    deadline = time.monotonic() + options.timeout
    while True:
        if options.cancel.is_set():
            raise WaitCancelled(Problem(ProblemKind.OTHER, f"cancelled waiting for {what}", region))
        done, state, failure = check()
        if failure:
            raise ActionError(Problem(ProblemKind.OTHER, f"{what}: {failure}", region, operation))
        options.progress(f"{what}: {state}")
        if done:
            return
        if time.monotonic() >= deadline:
            raise WaitTimedOut(
                Problem(ProblemKind.OTHER, f"timed out waiting for {what} ({state})", region)
            )
        # Event.wait sleeps but wakes at once on cancel.
        options.cancel.wait(delay)


def _first(response: dict[str, Any], key: str) -> dict[str, Any] | None:
    items = response.get(key) or []
    return items[0] if items else None


def volume_available(
    ctx: AwsContext, region: str, volume_id: str, options: WaitOptions | None = None
) -> None:
    _volume_state(ctx, region, volume_id, "available", options or WaitOptions())


def volume_in_use(
    ctx: AwsContext, region: str, volume_id: str, options: WaitOptions | None = None
) -> None:
    _volume_state(ctx, region, volume_id, "in-use", options or WaitOptions())


def volume_deleted(
    ctx: AwsContext, region: str, volume_id: str, options: WaitOptions | None = None
) -> None:
    ec2 = ctx.client("ec2", region)

    def check() -> tuple[bool, str, str]:
        with aws_call(region, "DescribeVolumes"):
            response = ec2.describe_volumes(Filters=[{"Name": "volume-id", "Values": [volume_id]}])
        volume = _first(response, "Volumes")
        return volume is None or volume.get("State") == "deleted", "deleting", ""

    opts = options or WaitOptions()
    wait_until(check, volume_id, region, "DeleteVolume", _delay(ctx, opts), opts)


def _volume_state(
    ctx: AwsContext, region: str, volume_id: str, wanted: str, options: WaitOptions
) -> None:
    ec2 = ctx.client("ec2", region)

    def check() -> tuple[bool, str, str]:
        with aws_call(region, "DescribeVolumes"):
            volume = _first(ec2.describe_volumes(VolumeIds=[volume_id]), "Volumes")
        if volume is None:
            return False, "", "volume no longer exists"
        state = str(volume.get("State", ""))
        if wanted == "in-use":
            attached = [a for a in volume.get("Attachments", ()) if a.get("State") == "attached"]
            done = state == "in-use" and bool(attached)
        else:
            done = state == wanted
        failure = "volume is in the error state" if state == "error" else ""
        return done, state, failure

    wait_until(check, volume_id, region, "DescribeVolumes", _delay(ctx, options), options)


def image_available(
    ctx: AwsContext, region: str, image_id: str, options: WaitOptions | None = None
) -> None:
    ec2 = ctx.client("ec2", region)

    def check() -> tuple[bool, str, str]:
        with aws_call(region, "DescribeImages"):
            image = _first(ec2.describe_images(ImageIds=[image_id]), "Images")
        state = str((image or {}).get("State", "pending"))
        reason = str((image or {}).get("StateReason", {}).get("Message", ""))
        failure = f"image {state}: {reason}" if state in ("failed", "invalid", "error") else ""
        return state == "available", state, failure

    opts = options or WaitOptions()
    wait_until(check, image_id, region, "DescribeImages", _delay(ctx, opts), opts)


def instance_running(
    ctx: AwsContext, region: str, instance_id: str, options: WaitOptions | None = None
) -> None:
    ec2 = ctx.client("ec2", region)

    def check() -> tuple[bool, str, str]:
        with aws_call(region, "DescribeInstances"):
            response = ec2.describe_instances(InstanceIds=[instance_id])
        instances = [i for r in response.get("Reservations", ()) for i in r.get("Instances", ())]
        state = str(instances[0].get("State", {}).get("Name", "")) if instances else "pending"
        failure = f"instance is {state}" if state in ("terminated", "shutting-down") else ""
        return state == "running", state, failure

    opts = options or WaitOptions()
    wait_until(check, instance_id, region, "DescribeInstances", _delay(ctx, opts), opts)


def snapshot_completed(
    ctx: AwsContext, region: str, snapshot_id: str, options: WaitOptions | None = None
) -> None:
    ec2 = ctx.client("ec2", region)

    def check() -> tuple[bool, str, str]:
        with aws_call(region, "DescribeSnapshots"):
            snap = _first(ec2.describe_snapshots(SnapshotIds=[snapshot_id]), "Snapshots")
        if snap is None:
            return False, "", "snapshot no longer exists"
        state = str(snap.get("State", ""))
        progress = str(snap.get("Progress", "") or "")
        failure = str(snap.get("StateMessage", "") or "snapshot failed") if state == "error" else ""
        return state == "completed", f"{state} {progress}".strip(), failure

    opts = options or WaitOptions()
    wait_until(check, snapshot_id, region, "DescribeSnapshots", _delay(ctx, opts), opts)


def _delay(ctx: AwsContext, options: WaitOptions) -> float:
    return options.delay if options.delay is not None else default_delay(ctx)
