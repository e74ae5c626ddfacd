"""What several actions share: tag and number parsing, form error keys, waits, the DryRun check."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from snaptui.aws.permissions import dry_run_allowed
from snaptui.aws.waiting import WaitOptions
from snaptui.core import tags as tag_rules
from snaptui.core.browse import Fleet
from snaptui.models import Snapshot
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.task import Progress, TaskFn, TaskResult

VOLUME_TYPES = [(t, t) for t in ("gp3", "gp2", "io2", "io1", "st1", "sc1", "standard")]


def parse_tags(text: str) -> tuple[dict[str, str], str | None]:
    """'k=v, k2=v2' -> dict; an error message for a malformed pair."""
    try:
        return tag_rules.parse_tag_list(text), None
    except ValueError as exc:
        return {}, str(exc)


# core.validate names fields after the API's; the forms use short keys.
_FORM_KEYS = {"size_gib": "size", "volume_type": "type", "kms_key_id": "kms"}


def form_errors(errors: dict[str, str] | None) -> dict[str, str]:
    return {_FORM_KEYS.get(k, k): v for k, v in (errors or {}).items()}


def int_or_none(text: str) -> int | None:
    text = str(text).strip()
    return int(text) if text else None


def wait_options(cancel: threading.Event, progress: Progress) -> WaitOptions:
    return WaitOptions(cancel=cancel, progress=lambda step: progress(step, None))


def checked(
    ctx: ActionContext,
    region: str,
    operation: str,
    params: dict[str, Any],
    then: Callable[[], object],
) -> None:
    """Ask EC2 with DryRun whether the action is allowed, off the event loop, then go on.

    A denied action is reported as unavailable, with AWS's reason, before any dialog.
    """

    def ask() -> None:
        allowed, reason = dry_run_allowed(ctx.aws, region, operation, params)
        ctx.call_from_thread(answered, allowed, reason)

    def answered(allowed: bool, reason: str) -> None:
        if allowed:
            then()
        else:
            ctx.notify(
                f"{operation} is unavailable here: {reason}",
                title="Not allowed",
                severity="error",
                timeout=10,
            )

    ctx.start_job("dry-run", lambda _: ask(), group="dry-run")


def last_of_lineage(fleet: Fleet, snap: Snapshot, deleting: set[str]) -> bool:
    """Whether deleting these leaves snap's volume (in its region) with no snapshot at all."""
    if not fleet.volume_exists(snap):
        siblings = [snap]
    else:
        siblings = fleet.snapshots_by_volume.get(snap.volume_id, [])
    return all(s.id in deleting for s in siblings if s.region == snap.region)


def one_call(step: str, call: Callable[[], object], done: str) -> TaskFn:
    """A task that is one AWS call: say the step, make the call, report ``done``."""

    def task(progress: Progress, cancel: threading.Event) -> TaskResult:
        progress(step, None)
        call()
        return TaskResult(True, done)

    return task
