"""Printing and argument checks shared by the headless commands.

Errors go to stderr one line each (``snaptui: ...``); results go to stdout, as plain lines or
as one JSON document. Validators raise ``UsageError`` so the command exits 2 before any call.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from snaptui.cli import exit_codes
from snaptui.cli.args import UsageError, one_line_errors, shown
from snaptui.core import ids, tags
from snaptui.core import text as safe_text
from snaptui.models import Problem

__all__ = ["EXIT_OK", "EXIT_PARTIAL", "one_line_errors"]

EXIT_OK = exit_codes.OK  # aliases: the codes live in snaptui.cli.exit_codes
EXIT_PARTIAL = exit_codes.PARTIAL


def one_line(text: str) -> str:
    """Collapse whitespace so a message can never span lines (no tracebacks, no HTML pages),
    and show any other control character escaped: AWS's text must not drive the terminal."""
    return safe_text.one_line(" ".join(text.split()))


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


def parse_tags(items: Iterable[str] | None, flag: str) -> dict[str, str]:
    """Repeated ``KEY=VALUE`` flags, checked against AWS's tag rules (core.tags)."""
    try:
        return tags.parse_tags(items or ())
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def check_ids(values: Iterable[str] | None, kind: str, flag: str) -> list[str]:
    """Whole, well-formed ids of one kind; order kept, duplicates dropped."""
    out: list[str] = []
    for raw in values or ():
        if not ids.is_id(raw, kind):
            raise UsageError(
                f"{flag}: not a {kind} id: {shown(raw)} (expected e.g. {ids.example_id(kind)})"
            )
        if raw not in out:
            out.append(raw)
    return out


def check_policy(name: str) -> str:
    if not ids.is_policy_name(name):
        raise UsageError(
            f"--policy: {shown(name)} is not a policy name (1-64 of letters, digits, _ . : -)"
        )
    return name
