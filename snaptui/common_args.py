"""Flags every command shares (where to talk to AWS), and turning them into an AwsTarget.

Bad values are reported on stderr with exit code 2 before anything is sent.
"""

from __future__ import annotations

import argparse
import re
import sys

from snaptui.aws.session import AwsTarget

_REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")


class UsageError(Exception):
    """Bad command-line input; the CLI prints it and exits 2."""


def add_target_args(parser: argparse.ArgumentParser) -> None:
    """Add --profile/--region/--endpoint-url/--read-only/--demo to a parser.

    Defaults are SUPPRESSed on subparsers so that `snaptui --profile p prune ...` and
    `snaptui prune --profile p ...` both work.
    """
    sup = argparse.SUPPRESS if parser.prog.count(" ") else None
    parser.add_argument(
        "--profile", default=sup, help="AWS profile (default: AWS_PROFILE or the default chain)"
    )
    parser.add_argument(
        "--region",
        action="append",
        dest="regions",
        default=sup,
        metavar="REGION",
        help="region to use; repeat for several (default: every enabled region)",
    )
    parser.add_argument(
        "--endpoint-url",
        default=sup,
        help="custom endpoint, e.g. moto or LocalStack (also AWS_ENDPOINT_URL)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=sup if sup else False,
        help="refuse every call that would change anything",
    )
    if not sup:  # the UI's own flag (`snaptui cost --no-cache` has its own meaning)
        parser.add_argument(
            "--no-cache",
            action="store_true",
            default=False,
            help="do not paint the last inventory from the on-disk cache at start (nor save it)",
        )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=sup if sup else False,
        help="start the embedded demo world (moto server on 127.0.0.1) and use it",
    )


def validate_region(name: str) -> str:
    if not _REGION_RE.match(name):
        raise UsageError(f"not a region name: {name!r} (expected e.g. us-east-1)")
    return name


def target_from_args(args: argparse.Namespace) -> AwsTarget:
    """Build the AwsTarget; raises UsageError for malformed flags."""
    regions = tuple(validate_region(r) for r in (getattr(args, "regions", None) or ()))
    endpoint = getattr(args, "endpoint_url", None)
    if endpoint and not re.match(r"^https?://", endpoint):
        raise UsageError(f"--endpoint-url must start with http:// or https://, got {endpoint!r}")
    return AwsTarget(
        profile=getattr(args, "profile", None),
        regions=regions,
        endpoint_url=endpoint,
        read_only=bool(getattr(args, "read_only", False)),
    )


def fail_usage(message: str) -> int:
    print(f"snaptui: {message}", file=sys.stderr)
    return 2
