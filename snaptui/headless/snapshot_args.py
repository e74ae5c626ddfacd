"""`snaptui snapshot` flags and their offline checks (no boto3: `--help` stays light)."""

from __future__ import annotations

import argparse
import textwrap
from dataclasses import dataclass

from snaptui.cli.args import UsageError, add_target_args, parse_seconds
from snaptui.core import tags as tag_rules
from snaptui.core.clock import utc_now
from snaptui.core.ownership import OWNER_TAG, OWNERSHIP_TAGS, POLICY_TAG
from snaptui.headless import lightsail_args, notify_args
from snaptui.headless.output import one_line_errors, parse_tags
from snaptui.headless.selection import (
    SELECTION_HELP,
    Selection,
    add_policy_arg,
    add_selection_args,
    policy_from_args,
    selection_from_args,
)

RUN = "snaptui.headless.snapshot_cmd:run"
DEFAULT_WAIT_TIMEOUT = 3600.0
MAX_WAIT_TIMEOUT = 7 * 86400.0
DESCRIPTION_MAX = 255


@dataclass(frozen=True, slots=True)
class SnapshotOptions:
    selection: Selection
    policy: str
    tags: dict[str, str]  # the user's --tag tags; the markers are added per snapshot
    description: str
    wait: bool
    wait_timeout: float
    json: bool
    notify: notify_args.NotifySettings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "snapshot",
        help="snapshot volumes now, marked for `snaptui prune`",
        description=textwrap.fill(
            (
                f"Create EBS snapshots tagged {POLICY_TAG}=NAME and with an ownership marker "
                f"({OWNER_TAG}: the volume, the policy and the time) that `snaptui prune` "
                "checks. --instance makes one crash-consistent set of all the instance's "
                "volumes (CreateSnapshots, volume tags copied)."
            ),
            width=78,
        ),
        epilog=SELECTION_HELP
        + "\n\nExit codes: 0 done, 1 partial failure, 2 bad usage. See docs/headless.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    one_line_errors(p)
    add_selection_args(p, allow_all=False)
    add_policy_arg(p)
    p.add_argument(
        "--tag",
        action="append",
        metavar="KEY=VALUE",
        help="add this tag to every new snapshot; repeatable (does not select volumes)",
    )
    p.add_argument(
        "--description", help="snapshot description (default: 'snaptui <policy> <UTC time>')"
    )
    p.add_argument("--wait", action="store_true", help="wait until every snapshot is completed")
    p.add_argument(
        "--wait-timeout",
        metavar="SECONDS",
        help=f"give up waiting after this long; exit 1 (default: {DEFAULT_WAIT_TIMEOUT:g})",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document (see docs)")
    notify_args.add_notify_args(p)
    add_target_args(p)
    p.set_defaults(prepare=options_from_args, run=RUN, mutates=lambda _o: True)


def options_from_args(args: argparse.Namespace) -> SnapshotOptions | argparse.Namespace:
    """Validate everything that can be checked offline; raises UsageError.

    A Lightsail selection is handed on as it is: lightsail_cmd validates its own flags.
    """
    if lightsail_args.selected(args):
        return args
    if getattr(args, "read_only", False):
        raise UsageError("snapshot creates snapshots, which --read-only forbids")
    policy = policy_from_args(args)
    tags = parse_tags(args.tag, "--tag")
    reserved = sorted(OWNERSHIP_TAGS & set(tags))
    if reserved:
        raise UsageError(f"--tag cannot set {reserved[0]}: snaptui sets it (use --policy NAME)")
    if len(tags) + len(OWNERSHIP_TAGS) - 1 > tag_rules.TAGS_PER_RESOURCE:
        raise UsageError(
            f"too many tags: AWS allows {tag_rules.TAGS_PER_RESOURCE} per snapshot, "
            "two are snaptui's markers"
        )
    if args.wait_timeout is not None and not args.wait:
        raise UsageError("--wait-timeout is only used with --wait")
    timeout = parse_seconds(
        args.wait_timeout, "--wait-timeout", 0, MAX_WAIT_TIMEOUT, DEFAULT_WAIT_TIMEOUT
    )
    description = args.description
    if description is None:
        description = f"snaptui {policy} {utc_now():%Y-%m-%dT%H:%MZ}"
    if len(description) > DESCRIPTION_MAX:
        raise UsageError(f"--description is longer than {DESCRIPTION_MAX} characters")
    return SnapshotOptions(
        selection=selection_from_args(args),
        policy=policy,
        tags=tags,
        description=description,
        wait=bool(args.wait),
        wait_timeout=timeout,
        json=bool(args.json),
        notify=notify_args.settings_from_args(args),
    )
