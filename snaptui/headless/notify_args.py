"""Notification flags (SNS, SES) and their offline checks; sending is snaptui.headless.notify."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from snaptui.cli.args import UsageError, shown, validate_region
from snaptui.core import ids


@dataclass(frozen=True, slots=True)
class NotifySettings:
    sns_topic: str | None
    email_to: str | None
    email_from: str | None
    email_region: str | None
    on: str  # "always" | "failure"

    @property
    def any(self) -> bool:
        return bool(self.sns_topic or self.email_to)


def add_notify_args(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("notification (optional)")
    g.add_argument("--notify-sns", metavar="TOPIC_ARN", help="publish a summary to this SNS topic")
    g.add_argument("--notify-email", metavar="ADDRESS", help="e-mail a summary (Amazon SES)")
    g.add_argument(
        "--notify-from", metavar="ADDRESS", help="SES-verified sender for --notify-email"
    )
    g.add_argument(
        "--notify-region",
        metavar="REGION",
        help="SES region (default: the first --region, else the profile's region)",
    )
    g.add_argument(
        "--notify-on",
        choices=("always", "failure"),
        default="always",
        help="when to notify: after every run, or only when something failed (default: always)",
    )


def settings_from_args(args: argparse.Namespace) -> NotifySettings:
    """Validate the notification flags (an empty value is a bad value); raises UsageError."""
    topic, to, sender = args.notify_sns, args.notify_email, args.notify_from
    if topic is not None and ids.sns_topic_region(topic) is None:
        raise UsageError(f"--notify-sns: not an SNS topic ARN: {shown(topic)}")
    if to is not None and sender is None:
        raise UsageError("--notify-email needs --notify-from (an SES-verified sender)")
    if sender is not None and to is None:
        raise UsageError("--notify-from is only used with --notify-email")
    for flag, addr in (("--notify-email", to), ("--notify-from", sender)):
        if addr is not None and not ids.is_email(addr):
            raise UsageError(f"{flag}: not an e-mail address: {shown(addr)}")
    region = None
    if args.notify_region is not None:
        region = validate_region(args.notify_region, "--notify-region")
    if (topic or to) and getattr(args, "read_only", False):
        raise UsageError("notifications send messages, which --read-only forbids")
    return NotifySettings(topic, to, sender, region, args.notify_on)
