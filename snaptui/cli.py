"""Command line entry point: parse flags, fail fast on bad input (exit 2), then hand over.

Subcommands live in their own modules; each exposes ``register(subparsers)`` which adds its
parser and sets ``func`` to a callable taking the parsed namespace and returning an exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from snaptui import __version__
from snaptui.common_args import add_target_args

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2


def _subcommand_registrars() -> list[Callable[[argparse._SubParsersAction], None]]:  # type: ignore[type-arg]
    # Imported here so `snaptui --version` stays fast and a broken optional extra (moto
    # missing) only hurts the subcommand that needs it.
    from snaptui.commands import demo as demo_command
    from snaptui.headless import registry

    return [demo_command.register, *registry.REGISTRARS]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="snaptui",
        description="Browse, cost and restore AWS EBS snapshots.",
    )
    parser.add_argument("--version", action="version", version=f"snaptui {__version__}")
    add_target_args(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in _subcommand_registrars():
        register(sub)
    parser.set_defaults(func=_run_ui)
    return parser


def _run_ui(args: argparse.Namespace) -> int:
    from snaptui.ui.launch import run_ui

    return run_ui(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
