"""Flags every command shares (where to talk to AWS, how long to wait), checked before any call.

Nothing here imports boto3 at module level, so ``snaptui --help`` stays light. Bad values
raise ``UsageError``; the entry point prints one line and exits 2 before anything is sent.
Messages never repeat a secret: an endpoint with credentials in it is refused without
echoing them.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urlsplit

from snaptui.cli import exit_codes
from snaptui.core import ids, timeouts
from snaptui.core.usage import UsageError

if TYPE_CHECKING:
    from snaptui.aws.session import AwsTarget

__all__ = ["UsageError", "add_target_args", "fail_usage", "target_from_args"]

DEFAULT_CONNECT_TIMEOUT = timeouts.CONNECT_TIMEOUT
DEFAULT_READ_TIMEOUT = timeouts.READ_TIMEOUT
DEFAULT_MAX_ATTEMPTS = timeouts.MAX_ATTEMPTS
_MAX_TIMEOUT = 300.0
_MAX_ATTEMPTS = 20


def fail_usage(message: str) -> int:
    print(f"snaptui: {' '.join(message.split())}", file=sys.stderr)
    return exit_codes.USAGE


def shown(value: str, limit: int = 60) -> str:
    """A user's value as it may appear in a message: quoted, escaped, and cut short."""
    text = repr(value[:limit])
    return text + ("…" if len(value) > limit else "")


def has_control(text: str) -> bool:
    return any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text)


def check_text_args(argv: list[str]) -> None:
    """No argument may carry a control character (a newline in a name, an escape sequence)."""
    for arg in argv:
        if has_control(arg):
            raise UsageError(f"an argument contains a control character: {shown(arg)}")


def add_target_args(parser: argparse.ArgumentParser) -> None:
    """Add --profile/--region/--endpoint-url/--read-only/--demo and the time limits.

    Defaults are SUPPRESSed on subparsers so that `snaptui --profile p prune ...` and
    `snaptui prune --profile p ...` both work.
    """
    sub = bool(parser.prog.count(" "))

    def default(value: object) -> object:
        return argparse.SUPPRESS if sub else value

    parser.add_argument(
        "--profile",
        action="append",
        dest="profiles",
        default=default(None),
        metavar="PROFILE",
        help="AWS profile (default: AWS_PROFILE or the default chain); repeat for several "
        "accounts (the UI and `cost`)",
    )
    parser.add_argument(
        "--all-profiles",
        action="store_true",
        default=default(False),
        help="every profile in the AWS config and credentials files, as separate accounts",
    )
    parser.add_argument(
        "--org-role",
        default=default(None),
        metavar="ROLE",
        help="every account of the AWS Organization (organizations:ListAccounts), reached by "
        "assuming this role in each (e.g. OrganizationAccountAccessRole)",
    )
    parser.add_argument(
        "--region",
        action="append",
        dest="regions",
        default=default(None),
        metavar="REGION",
        help="region to use; repeat for several (default: every enabled region)",
    )
    parser.add_argument(
        "--endpoint-url",
        default=default(None),
        help="custom endpoint, e.g. moto or LocalStack (also AWS_ENDPOINT_URL)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=default(False),
        help="refuse every call that would change anything",
    )
    if not sub:  # the UI's own flag (`snaptui cost --no-cache` has its own meaning)
        parser.add_argument(
            "--no-cache",
            action="store_true",
            default=False,
            help="do not paint the last inventory from the on-disk cache at start (nor save it)",
        )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=default(False),
        help="start the embedded demo world (moto server on 127.0.0.1) and use it",
    )
    g = parser.add_argument_group("time limits (each AWS call)")
    g.add_argument(
        "--connect-timeout",
        default=default(None),
        metavar="SECONDS",
        help=f"give up connecting after this long (default {DEFAULT_CONNECT_TIMEOUT:g})",
    )
    g.add_argument(
        "--read-timeout",
        default=default(None),
        metavar="SECONDS",
        help=f"give up waiting for an answer after this long (default {DEFAULT_READ_TIMEOUT:g})",
    )
    g.add_argument(
        "--max-attempts",
        default=default(None),
        metavar="N",
        help=f"attempts per call, retries included (default {DEFAULT_MAX_ATTEMPTS})",
    )


def parse_int(value: str | None, flag: str, low: int, high: int, default: int) -> int:
    """A whole number in [low, high]; None gives ``default``."""
    if value is None:
        return default
    try:
        n = int(value.strip())
    except ValueError:
        raise UsageError(f"{flag} expects a whole number, got {shown(value)}") from None
    if not low <= n <= high:
        raise UsageError(f"{flag} must be {low}-{high}, got {n}")
    return n


def parse_seconds(value: str | None, flag: str, low: float, high: float, default: float) -> float:
    """A finite number of seconds, low < value <= high; None gives ``default``."""
    if value is None:
        return default
    try:
        n = float(value.strip())
    except ValueError:
        raise UsageError(f"{flag} expects a number of seconds, got {shown(value)}") from None
    if not math.isfinite(n) or not low < n <= high:
        raise UsageError(f"{flag} must be more than {low:g} and at most {high:g} seconds")
    return n


def validate_region(name: str, flag: str = "--region") -> str:
    if not ids.is_region(name):
        raise UsageError(f"{flag}: not a region name: {shown(name)} (expected e.g. us-east-1)")
    return name


def validate_endpoint(url: str, where: str = "--endpoint-url") -> str:
    """http(s)://host[:port][/path]; no spaces, no credentials, a real host and port."""
    bad = f"{where} is not an http(s) URL with a host"
    if has_control(url) or any(c.isspace() for c in url):
        raise UsageError(f"{where} contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UsageError(f"{bad} and a valid port") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{bad}, e.g. http://127.0.0.1:5000")
    if parts.username is not None or parts.password is not None:
        raise UsageError(f"{where} must not contain credentials (user:password@)")
    if port == 0:
        raise UsageError(f"{bad} and a valid port")
    if parts.query or parts.fragment:
        raise UsageError(f"{where} must not have a query or fragment")
    return url


def _check_environment() -> None:
    """AWS_ENDPOINT_URL[_SERVICE] and AWS_DEFAULT_REGION from the environment, checked alike."""
    for name, value in sorted(os.environ.items()):
        if (name == "AWS_ENDPOINT_URL" or name.startswith("AWS_ENDPOINT_URL_")) and value:
            validate_endpoint(value, name)
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION"):
        region = os.environ.get(name)
        if region:
            validate_region(region, name)
    profile = os.environ.get("AWS_PROFILE")
    if profile is not None and (not profile.strip() or has_control(profile)):
        raise UsageError("AWS_PROFILE is empty or contains control characters")


def target_from_args(args: argparse.Namespace) -> AwsTarget:
    """Build the AwsTarget; raises UsageError for malformed flags (or environment)."""
    from snaptui.aws.session import AwsTarget

    regions = tuple(validate_region(r) for r in (getattr(args, "regions", None) or ()))
    endpoint = getattr(args, "endpoint_url", None)
    if endpoint is not None:
        validate_endpoint(endpoint)
    profiles = account_flags(args).profiles
    profile = profiles[0] if profiles else None
    _check_environment()
    connect = parse_seconds(
        getattr(args, "connect_timeout", None),
        "--connect-timeout",
        0,
        _MAX_TIMEOUT,
        DEFAULT_CONNECT_TIMEOUT,
    )
    read = parse_seconds(
        getattr(args, "read_timeout", None), "--read-timeout", 0, _MAX_TIMEOUT, DEFAULT_READ_TIMEOUT
    )
    attempts = parse_int(
        getattr(args, "max_attempts", None),
        "--max-attempts",
        1,
        _MAX_ATTEMPTS,
        DEFAULT_MAX_ATTEMPTS,
    )
    return AwsTarget(
        profile=profile,
        regions=tuple(dict.fromkeys(regions)),
        endpoint_url=endpoint,
        read_only=bool(getattr(args, "read_only", False)),
        max_attempts=attempts,
        connect_timeout=connect,
        read_timeout=read,
    )


@dataclass(frozen=True, slots=True)
class AccountFlags:
    """Which accounts the command line asked for, checked offline."""

    profiles: tuple[str, ...] = ()  # empty: the default chain
    all_profiles: bool = False
    org_role: str | None = None

    @property
    def several(self) -> bool:
        return len(self.profiles) > 1 or self.all_profiles or self.org_role is not None


def account_flags(args: argparse.Namespace) -> AccountFlags:
    """--profile (repeatable), --all-profiles and --org-role, and how they combine."""
    profiles = tuple(dict.fromkeys(getattr(args, "profiles", None) or ()))
    for p in profiles:
        if not p.strip():
            raise UsageError("--profile is empty")
    every = bool(getattr(args, "all_profiles", False))
    role = getattr(args, "org_role", None)
    if every and profiles:
        raise UsageError("--all-profiles and --profile exclude each other")
    if role is not None:
        if not ids.is_role_name(role):
            raise UsageError(
                f"--org-role: not an IAM role name: {shown(role)} (letters, digits and +=,.@_-, "
                "at most 64)"
            )
        if every or len(profiles) > 1:
            raise UsageError("--org-role takes one profile (the organization's management account)")
    if getattr(args, "demo", False) and (every or len(profiles) > 1):
        raise UsageError("--demo has no profiles of its own: use --org-role with --demo")
    return AccountFlags(profiles, every, role)


def one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Make argparse's own errors (missing selection, bad choice) one stderr line, exit 2."""

    def fail(message: str) -> NoReturn:
        prog = parser.prog.removeprefix("snaptui").strip()
        sys.exit(fail_usage(f"{prog}: {message}" if prog else message))

    parser.error = fail  # type: ignore[method-assign]
    return parser
