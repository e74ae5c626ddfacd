"""The one waiter every flow uses: acceptor-driven like botocore's, cancellable, with progress.

A ``Waiter`` names one Describe call and a list of acceptors (matchers on each resource that
say "done" or "failed"); anything no acceptor matches is still pending. ``wait_for`` polls it
for one or more ids until every id is done, one fails, the timeout passes, or the cancel event
is set (``Event.wait`` sleeps and wakes at once on cancel, so Esc and quit never wait for AWS).

What botocore's waiters lack, and AWS needs:
- Eventual consistency: right after a create, EC2 may answer ``*.NotFound`` (or leave the id
  out of a filtered answer) for a while. Until the resource has been seen once, absence is
  pending for ``not_found_grace`` seconds; after that, or once it was seen, absence is what
  the waiter says it is (done for "deleted", failure otherwise).
- Transient answers (throttling after botocore's retries, 5xx, a reset or lost answer) are
  pending too: the next poll asks again, until the timeout.
- Poll delays back off from ``first_delay`` to ``max_delay`` whatever the endpoint is: a
  quick resource is seen at once, a slow one is not polled more than every ``max_delay``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from botocore.exceptions import ClientError

from snaptui.aws.calls import ActionError, Progress, action_error, no_progress
from snaptui.aws.errors import is_not_found, is_transient
from snaptui.aws.session import AwsContext
from snaptui.models import Problem, ProblemKind

Resource = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class WaitOptions:
    timeout: float = 1800.0
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: Progress = no_progress
    delay: float | None = None  # a fixed poll delay; None: back off first_delay -> max_delay
    first_delay: float = 0.25
    max_delay: float = 15.0
    not_found_grace: float = 120.0  # absence right after a create is eventual consistency


class WaitCancelled(ActionError):
    """The user stopped waiting; the AWS work itself goes on."""


class WaitTimedOut(ActionError):
    pass


@dataclass(frozen=True, slots=True)
class Acceptor:
    """When ``matches(resource)``, the wait for that id ends as ``state`` (with ``reason``)."""

    state: Literal["success", "failure"]
    matches: Callable[[Resource], bool]
    reason: Callable[[Resource], str] = lambda _: ""


@dataclass(frozen=True, slots=True)
class Waiter:
    what: str  # "volume", "snapshot": for messages
    operation: str  # the Describe call, as in the API
    request: Callable[[list[str]], dict[str, Any]]  # ids -> the call's parameters
    items: Callable[[dict[str, Any]], list[Resource]]  # response -> resources
    id_key: str
    status: Callable[[Resource], str]  # progress text for one resource
    acceptors: tuple[Acceptor, ...]
    when_absent: Literal["success", "failure"] = "failure"  # once the grace period is over
    service: str = "ec2"
    batch: bool = True  # False: the call describes one id at a time (Lightsail's Get*)


def wait_for(
    ctx: AwsContext,
    region: str,
    waiter: Waiter,
    ids: Sequence[str],
    options: WaitOptions | None = None,
) -> None:
    """Block until every id is accepted as done; raises ActionError (or a subclass) if not."""
    opts = options or WaitOptions()
    pending = list(dict.fromkeys(ids))
    if not pending:
        return
    started = time.monotonic()
    deadline = started + opts.timeout
    seen: set[str] = set()
    delay = opts.delay if opts.delay is not None else opts.first_delay
    label = ", ".join(pending) if len(pending) <= 3 else f"{len(pending)} {waiter.what}s"
    state = "not seen yet"
    while True:
        if opts.cancel.is_set():
            raise _cancelled(label, region, waiter)
        in_grace = time.monotonic() - started < opts.not_found_grace
        pending, state = _poll(ctx, region, waiter, pending, seen, in_grace)
        opts.progress(f"{label}: {state}")
        if not pending:
            return
        if time.monotonic() >= deadline:
            raise WaitTimedOut(
                Problem(
                    ProblemKind.OTHER,
                    f"timed out after {opts.timeout:g} s waiting for {label} ({state})",
                    region,
                    waiter.operation,
                )
            )
        if opts.cancel.wait(min(delay, max(0.0, deadline - time.monotonic()))):
            raise _cancelled(label, region, waiter)
        if opts.delay is None:
            delay = min(opts.max_delay, delay * 1.5)


def _cancelled(label: str, region: str, waiter: Waiter) -> WaitCancelled:
    message = f"stopped waiting for {label}; the AWS work itself goes on"
    return WaitCancelled(Problem(ProblemKind.OTHER, message, region, waiter.operation))


def _poll(
    ctx: AwsContext,
    region: str,
    waiter: Waiter,
    pending: list[str],
    seen: set[str],
    in_grace: bool,
) -> tuple[list[str], str]:
    """One Describe: the ids still pending, and a state text for progress."""
    try:
        found = _describe(ctx, region, waiter, pending)
    except Exception as exc:
        if not is_transient(exc):
            raise action_error(exc, region, waiter.operation) from exc
        return pending, f"no answer yet ({_short(exc)})"
    still: list[str] = []
    states: list[str] = []
    for ident in pending:
        resource = found.get(ident)
        if resource is None:
            if waiter.when_absent == "success":
                continue
            if ident not in seen and in_grace:
                still.append(ident)
                states.append("not visible yet")
                continue
            raise action_error_for(f"{waiter.what} {ident} no longer exists", region, waiter)
        seen.add(ident)
        outcome = _accept(waiter, resource)
        if outcome is None:
            still.append(ident)
            states.append(waiter.status(resource))
        elif outcome[0] == "failure":
            raise action_error_for(f"{ident}: {outcome[1]}", region, waiter)
        else:
            states.append(waiter.status(resource))
    return still, ", ".join(dict.fromkeys(s for s in states if s)) or "done"


def _describe(ctx: AwsContext, region: str, waiter: Waiter, ids: list[str]) -> dict[str, Resource]:
    """id -> resource for the ids the endpoint knows (absent: not found)."""
    method = getattr(ctx.client(waiter.service, region), _snake(waiter.operation))
    if not waiter.batch and len(ids) > 1:
        found: dict[str, Resource] = {}
        for ident in ids:
            found.update(_describe(ctx, region, waiter, [ident]))
        return found
    try:
        response = method(**waiter.request(ids))
    except Exception as exc:
        if not is_not_found(exc):
            raise
        if len(ids) == 1:
            return {}
        # One unknown id fails the whole call: ask for each, so the others are still seen.
        return {k: v for i in ids for k, v in _describe(ctx, region, waiter, [i]).items()}
    return {str(r.get(waiter.id_key, "")): r for r in waiter.items(response)}


def _accept(waiter: Waiter, resource: Resource) -> tuple[str, str] | None:
    for acceptor in waiter.acceptors:
        if acceptor.matches(resource):
            return acceptor.state, acceptor.reason(resource)
    return None


def action_error_for(message: str, region: str, waiter: Waiter) -> ActionError:
    return ActionError(Problem(ProblemKind.OTHER, message, region, waiter.operation))


def _short(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "") or type(exc).__name__)
    return type(exc).__name__


def _snake(operation: str) -> str:
    from botocore import xform_name

    return str(xform_name(operation))


# --- the waiters -------------------------------------------------------------------------------


def _state(key: str) -> Callable[[Resource], str]:
    return lambda r: str(r.get(key, ""))


def _is(key: str, *values: str) -> Callable[[Resource], bool]:
    return lambda r: str(r.get(key, "")) in values


def _volumes(response: dict[str, Any]) -> list[Resource]:
    return list(response.get("Volumes") or ())


def _attached(volume: Resource) -> bool:
    attachments = volume.get("Attachments") or ()
    return volume.get("State") == "in-use" and any(
        a.get("State") == "attached" for a in attachments
    )


VOLUME_AVAILABLE = Waiter(
    what="volume",
    operation="DescribeVolumes",
    request=lambda ids: {"VolumeIds": ids},
    items=_volumes,
    id_key="VolumeId",
    status=_state("State"),
    acceptors=(
        Acceptor("success", _is("State", "available")),
        Acceptor("failure", _is("State", "error"), lambda _: "the volume is in the error state"),
        Acceptor("failure", _is("State", "deleting", "deleted"), lambda r: f"volume {r['State']}"),
    ),
)

VOLUME_IN_USE = Waiter(
    what="volume",
    operation="DescribeVolumes",
    request=lambda ids: {"VolumeIds": ids},
    items=_volumes,
    id_key="VolumeId",
    status=lambda r: "attached" if _attached(r) else str(r.get("State", "")),
    acceptors=(
        Acceptor("success", _attached),
        Acceptor("failure", _is("State", "error"), lambda _: "the volume is in the error state"),
        Acceptor("failure", _is("State", "deleting", "deleted"), lambda r: f"volume {r['State']}"),
    ),
)

VOLUME_DELETED = Waiter(
    what="volume",
    operation="DescribeVolumes",
    # A filter, not VolumeIds: a deleted volume is simply absent from the answer.
    request=lambda ids: {"Filters": [{"Name": "volume-id", "Values": ids}]},
    items=_volumes,
    id_key="VolumeId",
    status=lambda r: "deleting",
    acceptors=(Acceptor("success", _is("State", "deleted")),),
    when_absent="success",
)

IMAGE_AVAILABLE = Waiter(
    what="image",
    operation="DescribeImages",
    request=lambda ids: {"ImageIds": ids},
    items=lambda response: list(response.get("Images") or ()),
    id_key="ImageId",
    status=_state("State"),
    acceptors=(
        Acceptor("success", _is("State", "available")),
        Acceptor(
            "failure",
            _is("State", "failed", "invalid", "error", "deregistered"),
            lambda r: f"image {r['State']}: {(r.get('StateReason') or {}).get('Message', '')}",
        ),
    ),
)


def _instances(response: dict[str, Any]) -> list[Resource]:
    return [i for r in response.get("Reservations") or () for i in r.get("Instances") or ()]


def _instance_state(instance: Resource) -> str:
    return str((instance.get("State") or {}).get("Name", ""))


INSTANCE_RUNNING = Waiter(
    what="instance",
    operation="DescribeInstances",
    request=lambda ids: {"InstanceIds": ids},
    items=_instances,
    id_key="InstanceId",
    status=_instance_state,
    acceptors=(
        Acceptor("success", lambda i: _instance_state(i) == "running"),
        Acceptor(
            "failure",
            lambda i: _instance_state(i) in ("shutting-down", "terminated", "stopping", "stopped"),
            lambda i: f"the instance is {_instance_state(i)}",
        ),
    ),
)


def _snapshot_status(snapshot: Resource) -> str:
    return f"{snapshot.get('State', '')} {snapshot.get('Progress', '') or ''}".strip()


SNAPSHOT_COMPLETED = Waiter(
    what="snapshot",
    operation="DescribeSnapshots",
    request=lambda ids: {"SnapshotIds": ids},
    items=lambda response: list(response.get("Snapshots") or ()),
    id_key="SnapshotId",
    status=_snapshot_status,
    acceptors=(
        Acceptor("success", _is("State", "completed")),
        Acceptor(
            "failure",
            _is("State", "error"),
            lambda s: str(s.get("StateMessage") or "the snapshot entered the error state"),
        ),
    ),
)


def volume_available(
    ctx: AwsContext, region: str, volume_id: str, options: WaitOptions | None = None
) -> None:
    wait_for(ctx, region, VOLUME_AVAILABLE, [volume_id], options)


def volume_in_use(
    ctx: AwsContext, region: str, volume_id: str, options: WaitOptions | None = None
) -> None:
    wait_for(ctx, region, VOLUME_IN_USE, [volume_id], options)


def volume_deleted(
    ctx: AwsContext, region: str, volume_id: str, options: WaitOptions | None = None
) -> None:
    wait_for(ctx, region, VOLUME_DELETED, [volume_id], options)


def image_available(
    ctx: AwsContext, region: str, image_id: str, options: WaitOptions | None = None
) -> None:
    wait_for(ctx, region, IMAGE_AVAILABLE, [image_id], options)


def instance_running(
    ctx: AwsContext, region: str, instance_id: str, options: WaitOptions | None = None
) -> None:
    wait_for(ctx, region, INSTANCE_RUNNING, [instance_id], options)


def snapshots_completed(
    ctx: AwsContext, region: str, snapshot_ids: Sequence[str], options: WaitOptions | None = None
) -> None:
    wait_for(ctx, region, SNAPSHOT_COMPLETED, snapshot_ids, options)


def snapshot_completed(
    ctx: AwsContext, region: str, snapshot_id: str, options: WaitOptions | None = None
) -> None:
    wait_for(ctx, region, SNAPSHOT_COMPLETED, [snapshot_id], options)
