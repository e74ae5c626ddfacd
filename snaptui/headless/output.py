"""Printing and argument checks shared by the headless commands.

Errors go to stderr one line each (``snaptui: ...``); results go to stdout, as plain lines or
as one JSON document. Validators raise ``UsageError`` so the command exits 2 before any call.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from snaptui.common_args import UsageError, fail_usage
from snaptui.models import Problem

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2

_VOLUME_RE = re.compile(r"^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_INSTANCE_RE = re.compile(r"^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_POLICY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
_TAG_KEY_MAX, _TAG_VALUE_MAX = 128, 256


def one_line(text: str) -> str:
    """Collapse whitespace so a message can never span lines (no tracebacks, no HTML pages)."""
    return " ".join(text.split())


def error(message: str) -> None:
    print(f"snaptui: {one_line(message)}", file=sys.stderr)


def report_problems(problems: Iterable[Problem]) -> None:
    for p in problems:
        error(str(p))


def problem_dict(p: Problem) -> dict[str, str]:
    return {
        "region": p.region,
        "kind": p.kind.name.lower(),
        "operation": p.operation,
        "message": one_line(p.message),
    }


def print_json(doc: Mapping[str, Any]) -> None:
    print(json.dumps(doc, indent=2))


def parse_kv(text: str, flag: str) -> tuple[str, str]:
    """``KEY=VALUE`` -> (key, value); the value may be empty or contain '='."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"{flag} expects KEY=VALUE, got {text!r}")
    if len(key) > _TAG_KEY_MAX or len(value) > _TAG_VALUE_MAX:
        raise UsageError(f"{flag} {text!r}: key or value too long (128/256 characters at most)")
    if key.lower().startswith("aws:"):
        raise UsageError(f"{flag} {text!r}: keys starting with 'aws:' are reserved by AWS")
    return key, value


def parse_tags(items: Iterable[str] | None, flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or ():
        key, value = parse_kv(item, flag)
        if key in out and out[key] != value:
            raise UsageError(f"{flag} gives {key!r} twice with different values")
        out[key] = value
    return out


def check_ids(ids: Iterable[str] | None, kind: str) -> list[str]:
    """Validate vol-/i- ids; order kept, duplicates dropped."""
    pattern, flag = (_VOLUME_RE, "--volume") if kind == "volume" else (_INSTANCE_RE, "--instance")
    out: list[str] = []
    for raw in ids or ():
        if not pattern.match(raw):
            example = "vol-0123456789abcdef0" if kind == "volume" else "i-0123456789abcdef0"
            raise UsageError(f"{flag}: not a {kind} id: {raw!r} (expected e.g. {example})")
        if raw not in out:
            out.append(raw)
    return out


def check_policy(name: str) -> str:
    if not _POLICY_RE.match(name):
        raise UsageError(
            f"--policy: {name!r} is not a policy name (1-64 of letters, digits, _ . : -)"
        )
    return name


def one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Make argparse's own errors (missing selection, bad choice) one stderr line, exit 2."""

    def fail(message: str) -> NoReturn:
        sys.exit(fail_usage(f"{parser.prog.removeprefix('snaptui ')}: {message}"))

    parser.error = fail  # type: ignore[method-assign]
    return parser
