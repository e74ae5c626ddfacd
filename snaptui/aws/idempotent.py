"""Creates that happen once, even when AWS's answer is lost.

CreateSnapshot, CreateSnapshots, CopySnapshot and RegisterImage take no ClientToken, so
botocore's automatic retry of a call whose answer was lost makes a second resource. Instead we
tag the request with a unique token (TagSpecifications, applied atomically with the create),
send it once (a client without automatic retry), and after a failure that may have come after
the work was done, look for the token before creating again. The look lasts the target's
consistency window: a new resource can stay invisible to Describe calls for a while.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from snaptui.aws.calls import ActionError, call
from snaptui.aws.errors import is_transient, outcome_unknown
from snaptui.aws.session import AwsContext
from snaptui.core.ownership import REQUEST_TOKEN_TAG

TOKEN_TAG = REQUEST_TOKEN_TAG
ATTEMPTS = 6

T = TypeVar("T")


def new_token() -> str:
    return str(uuid.uuid4())


def create_once(
    ctx: AwsContext,
    region: str,
    operation: str,
    params: dict[str, Any],
    parse: Callable[[dict[str, Any]], T],
    find: Callable[[], T | None],
) -> T:
    """Send ``operation`` (whose TagSpecifications carry a token) until it is known done.

    ``find`` describes whatever carries the token (None: nothing yet); it may raise.
    """
    once = ctx.client("ec2", region, retry=False)
    delay = 0.5
    for attempt in range(ATTEMPTS):
        try:
            return parse(call(once, operation, region, **params))
        except ActionError as exc:
            if not is_transient(exc):
                raise
            if outcome_unknown(exc):
                found = look_for(find, ctx.target.consistency_s)
                if found is not None:
                    return found
            if attempt == ATTEMPTS - 1:
                raise
        time.sleep(delay * random.uniform(0.5, 1.0))  # jitter: many callers, one quota
        delay = min(delay * 2, 8.0)
    raise AssertionError("unreachable")


def look_for(find: Callable[[], T | None], window_s: float) -> T | None:
    """Poll ``find`` for up to ``window_s`` seconds (at least once); transient errors retry."""
    deadline = time.monotonic() + window_s
    delay = 0.2
    while True:
        try:
            found = find()
        except Exception as exc:
            if not is_transient(exc):
                raise
            found = None
        if found is not None:
            return found
        if time.monotonic() >= deadline:
            return None
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 1.5, 2.0)


def token_filter(token: str) -> list[dict[str, Any]]:
    return [{"Name": f"tag:{TOKEN_TAG}", "Values": [token]}]
