"""`snaptui prune` flags and their offline checks (no boto3: `--help` stays light)."""

from __future__ import annotations

import argparse
import textwrap
from dataclasses import dataclass

from snaptui.cli.args import UsageError, add_target_args, parse_int, parse_seconds, validate_region
from snaptui.core.ownership import COPY_TAG, OWNER_TAG, POLICY_TAG
from snaptui.core.retention import KeepRules
from snaptui.headless import lightsail_args, notify_args
from snaptui.headless.output import one_line_errors
from snaptui.headless.selection import (
    SELECTION_HELP,
    Selection,
    add_policy_arg,
    add_selection_args,
    policy_from_args,
    selection_from_args,
)

RUN = "snaptui.headless.prune_cmd:run"
MAX_KEEP = 100_000
MAX_LOCK_WAIT = 86400.0


@dataclass(frozen=True, slots=True)
class PruneOptions:
    selection: Selection
    policy: str
    rules: KeepRules
    dry_run: bool
    strict_locks: bool
    exact_saving: bool
    copies_of: str | None  # prune copies from this region instead of snaptui's own snapshots
    lock_wait: float
    json: bool
    verbose: bool
    notify: notify_args.NotifySettings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "prune",
        help="delete old snapshots made by `snaptui snapshot` (grandfather-father-son)",
        description=textwrap.fill(
            (
                f"Apply keep rules per source volume to the snapshots tagged {POLICY_TAG}=POLICY "
                f"whose {OWNER_TAG} marker fits them, and delete the rest. Snapshots used by an "
                "AMI (disabled ones too), locked snapshots, unfinished ones and each volume's "
                "newest completed one are never deleted; nor is anything without the marker."
            ),
            width=78,
        ),
        epilog=SELECTION_HELP
        + "\n--all takes every volume with snapshots of the policy, including deleted volumes."
        + f"\n--copies-of REGION prunes instead the copies snaptui made ({COPY_TAG} marker) of"
        + "\nthat region's snapshots, in the --region(s) where the copies are."
        + "\n\nExit codes: 0 done, 1 partial failure, 2 bad usage. See docs/headless.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    one_line_errors(p)
    add_selection_args(p, allow_all=True)
    add_policy_arg(p)
    rules = p.add_argument_group("keep rules (at least one; a snapshot kept by any rule stays)")
    rules.add_argument("--keep", metavar="N", help="keep the newest N snapshots per volume")
    rules.add_argument("--keep-daily", metavar="D", help="newest per UTC day, last D days")
    rules.add_argument("--keep-weekly", metavar="W", help="newest per ISO week, last W weeks")
    rules.add_argument("--keep-monthly", metavar="M", help="newest per month, last M months")
    p.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
    p.add_argument(
        "--copies-of",
        metavar="REGION",
        help="prune the copies (made by snaptui) of this region's snapshots, where they are",
    )
    p.add_argument(
        "--strict-locks",
        action="store_true",
        help="where lock status cannot be read, keep everything instead of relying on AWS",
    )
    p.add_argument(
        "--estimate-only",
        action="store_true",
        help="skip the exact saving (ListChangedBlocks calls); report the size-growth estimate",
    )
    p.add_argument(
        "--lock-wait",
        metavar="SECONDS",
        help="wait this long for another prune of the same account, region and policy (default 0)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document (see docs)")
    p.add_argument("-v", "--verbose", action="store_true", help="also list kept snapshots")
    lightsail_args.add_prune_args(p)
    notify_args.add_notify_args(p)
    add_target_args(p)
    p.set_defaults(prepare=options_from_args, run=RUN, mutates=lambda o: not o.dry_run)


def options_from_args(args: argparse.Namespace) -> PruneOptions | argparse.Namespace:
    """Validate everything that can be checked offline; raises UsageError.

    A Lightsail selection is handed on as it is: lightsail_prune validates its own flags.
    """
    if lightsail_args.selected(args):
        return args
    rules = KeepRules(
        last=parse_int(args.keep, "--keep", 0, MAX_KEEP, 0),
        daily=parse_int(args.keep_daily, "--keep-daily", 0, MAX_KEEP, 0),
        weekly=parse_int(args.keep_weekly, "--keep-weekly", 0, MAX_KEEP, 0),
        monthly=parse_int(args.keep_monthly, "--keep-monthly", 0, MAX_KEEP, 0),
    )
    if not rules.any:
        raise UsageError(
            "give at least one keep rule above 0 (--keep, --keep-daily, --keep-weekly, "
            "--keep-monthly)"
        )
    if getattr(args, "read_only", False) and not args.dry_run:
        raise UsageError("prune deletes snapshots, which --read-only forbids; add --dry-run")
    selection = selection_from_args(args)
    copies_of = None
    if args.copies_of is not None:
        copies_of = validate_region(args.copies_of, "--copies-of")
        if selection.instance_ids or selection.select_tags:
            raise UsageError(
                "--copies-of takes --all or --volume (the source volumes), "
                "not --instance or --select-tag"
            )
    return PruneOptions(
        selection=selection,
        policy=policy_from_args(args),
        rules=rules,
        dry_run=bool(args.dry_run),
        strict_locks=bool(args.strict_locks),
        exact_saving=not args.estimate_only,
        copies_of=copies_of,
        lock_wait=parse_seconds(args.lock_wait, "--lock-wait", -1, MAX_LOCK_WAIT, 0.0),
        json=bool(args.json),
        verbose=bool(args.verbose),
        notify=notify_args.settings_from_args(args),
    )
