"""Lightsail flags of `snaptui snapshot` and `snaptui prune` (no boto3: `--help` stays light).

The commands themselves are snaptui.headless.lightsail_cmd and lightsail_prune.
"""

from __future__ import annotations

import argparse


def add_selection(group: argparse._MutuallyExclusiveGroup) -> None:
    """The Lightsail alternatives in a command's (mutually exclusive) selection group."""
    group.add_argument(
        "--lightsail-instance",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="a Lightsail instance (system disk and attached disks); repeatable",
    )
    group.add_argument("--lightsail-disk", action="extend", nargs="+", metavar="NAME",
                       help="a Lightsail block-storage disk; repeatable")  # fmt: skip


def selected(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "lightsail_instance", None) or getattr(args, "lightsail_disk", None))


def add_prune_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--include-automatic", action="store_true",
        help="Lightsail only: also prune automatic snapshots (Lightsail rotates them itself)",
    )  # fmt: skip
