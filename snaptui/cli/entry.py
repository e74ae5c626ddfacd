"""Command line entry point: parse, check everything offline (exit 2), then hand over.

Each subcommand's parser sets three defaults: ``prepare(args) -> options`` (raises
UsageError; no AWS call, no boto3 needed), ``run`` ("module:function" taking
``(options, ctx, endpoint_label)``, imported only when the command runs) and ``mutates(options)``
(whether the audit log must be writable before anything is sent). ``--version`` and
``--help`` therefore import neither boto3 nor Textual. A command that takes several accounts
(--profile repeated, --all-profiles, --org-role) also sets ``run_accounts``, taking
``(options, contexts, problems, endpoint_label)``; the others refuse them (exit 2).
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from snaptui import __version__
from snaptui.cli import demo_cmd, demo_world, exit_codes
from snaptui.cli.args import (
    AccountFlags,
    UsageError,
    account_flags,
    add_target_args,
    check_text_args,
    fail_usage,
    one_line_errors,
)
from snaptui.cli.args import target_from_args as target_from_args
from snaptui.headless import registry

UI_RUN = "snaptui.ui.launch:run"
UI_RUN_ACCOUNTS = "snaptui.ui.launch:run_accounts"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="snaptui",
        description="Browse, cost and restore AWS EBS snapshots.",
        epilog="Exit codes: 0 done, 1 partial failure, 2 bad usage. See docs/headless.md.",
    )
    parser.add_argument("--version", action="version", version=f"snaptui {__version__}")
    add_target_args(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in (demo_cmd.register, *registry.REGISTRARS):
        register(sub)
    # The UI's options: whether to use the inventory cache (--no-cache).
    parser.set_defaults(
        prepare=lambda a: not getattr(a, "no_cache", False), run=UI_RUN, mutates=lambda _o: False
    )
    _one_line_everywhere(parser)
    return parser


def _one_line_everywhere(parser: argparse.ArgumentParser) -> None:
    """argparse's own errors as one line, exit 2, in every parser (verbs of verbs too); and
    no abbreviated flags: `snapshot --all` must not quietly mean `--all-profiles`."""
    one_line_errors(parser)
    parser.allow_abbrev = False
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _one_line_everywhere(child)


def _load(spec: str) -> Callable[..., int]:
    module, _, name = spec.partition(":")
    func: Callable[..., int] = getattr(importlib.import_module(module), name)
    return func


def open_context(target: Any) -> Any:
    """The AwsContext; an unknown profile (flag or AWS_PROFILE) or broken config is usage."""
    from botocore.exceptions import BotoCoreError

    from snaptui.aws.session import AwsContext

    try:
        ctx = AwsContext(target)
        _ = ctx.home_region  # reads the profile's config now, not mid-run
    except BotoCoreError as exc:
        raise UsageError(f"{exc} (see ~/.aws/config, or drop --profile / AWS_PROFILE)") from None
    return ctx


def open_accounts(target: Any, flags: AccountFlags) -> tuple[list[Any], list[Any]]:
    """A context per account and what kept any account out (an organization's suspended
    accounts, ListAccounts denied). Unknown profiles are usage errors, as with one."""
    from snaptui.aws import accounts

    if flags.org_role is not None:
        base = open_context(target)
        targets, problems = accounts.org_targets(base, flags.org_role)
        return [base if t == base.target else open_context(t) for t in targets], problems
    names = list(flags.profiles)
    if flags.all_profiles:
        names = accounts.config_profiles()
        if not names:
            raise UsageError("--all-profiles: the AWS config and credentials files name no profile")
    return [open_context(t) for t in accounts.profile_targets(target, names)], []


def _run(args: argparse.Namespace, options: object) -> int:
    from snaptui.aws.audit import AuditUnavailable

    target = target_from_args(args)
    demo_world.check(args, target)
    flags = account_flags(args)
    # A command that takes several accounts names its runner for them (parser defaults).
    many = UI_RUN_ACCOUNTS if args.run == UI_RUN else getattr(args, "run_accounts", None)
    if flags.several and many is None:
        raise UsageError(
            f"`snaptui {args.command}` works on one account at a time: give one --profile, "
            "without --all-profiles or --org-role (the UI and `cost` take several)"
        )
    ui = args.run == UI_RUN
    with demo_world.target_for(args, target, announce=ui) as (target, label):
        if flags.several and many is not None:
            contexts, problems = open_accounts(target, flags)
            return _load(many)(options, contexts, problems, label)
        ctx = open_context(target)
        if args.mutates(options):
            try:
                ctx.audit.check_writable()
            except AuditUnavailable as exc:
                raise UsageError(str(exc)) from None
        return _load(args.run)(options, ctx, label)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(exit_codes.TERMINATED)


def _clean_up_on_sigterm() -> None:
    """SIGTERM ends the command as an exception, so every ``finally`` runs: the demo world's
    temporary directories are removed, audit outcomes and lock files are written."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:  # run as the program (tests pass argv and keep their own handlers)
        _clean_up_on_sigterm()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        check_text_args(argv)
    except UsageError as exc:
        return fail_usage(str(exc))
    args = parser.parse_args(argv)
    try:
        options = args.prepare(args)
        if args.run is None:  # `snaptui demo` runs its own world
            return demo_cmd.run(options)
        return _run(args, options)
    except UsageError as exc:
        return fail_usage(str(exc))
    except KeyboardInterrupt:
        return exit_codes.INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
