"""Which volumes a headless command works on: flags and their offline checks (no boto3).

Shared by `snaptui snapshot` and `snaptui prune`; finding the volumes in a region is
snaptui.headless.run.resolve.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from snaptui.core.ownership import POLICY_TAG
from snaptui.headless import lightsail_args
from snaptui.headless.output import check_ids, check_policy, parse_tags

DEFAULT_POLICY = "default"

SELECTION_HELP = """\
Selecting volumes: --volume, --instance and --select-tag are alternatives (give one kind,
repeat it as needed). --select-tag KEY=VALUE picks volumes that carry every given tag; the
value is matched exactly except that EC2's filter wildcards apply: * (any characters) and
? (one character), \\* and \\? for the characters themselves.
--tag KEY=VALUE (snapshot only) adds a tag to the new snapshots and never selects anything."""


@dataclass(frozen=True, slots=True)
class Selection:
    volume_ids: tuple[str, ...] = ()
    instance_ids: tuple[str, ...] = ()
    select_tags: tuple[tuple[str, str], ...] = ()
    all_volumes: bool = False


def add_selection_args(parser: argparse.ArgumentParser, *, allow_all: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--volume", action="append", metavar="ID", help="a volume id (vol-...); repeatable"
    )
    group.add_argument(
        "--instance",
        action="append",
        metavar="ID",
        help="an instance id (i-...): all its EBS volumes; repeatable",
    )
    group.add_argument(
        "--select-tag",
        action="append",
        metavar="KEY=VALUE",
        help="pick the volumes carrying this tag (wildcards * and ?); repeat to require several",
    )
    lightsail_args.add_selection(group)
    if allow_all:
        group.add_argument(
            "--all",
            action="store_true",
            dest="all_volumes",
            help="every volume that has snapshots of this --policy (also deleted volumes)",
        )


def add_policy_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy",
        default=DEFAULT_POLICY,
        metavar="NAME",
        help=f"retention policy marker, tag {POLICY_TAG}=NAME (default: {DEFAULT_POLICY})",
    )


def policy_from_args(args: argparse.Namespace) -> str:
    return check_policy(args.policy)


def selection_from_args(args: argparse.Namespace) -> Selection:
    select = parse_tags(args.select_tag, "--select-tag")
    return Selection(
        volume_ids=tuple(check_ids(args.volume, "volume", "--volume")),
        instance_ids=tuple(check_ids(args.instance, "instance", "--instance")),
        select_tags=tuple(select.items()),
        all_volumes=bool(getattr(args, "all_volumes", False)),
    )
