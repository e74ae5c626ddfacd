"""Optional notifications after a headless run: SNS Publish and/or SES SendEmail.

A failed notification never hides the run's own result; it is reported like any other problem
(stderr line, ``notifications`` in the JSON) and turns exit code 0 into 1, because a cron job
whose alert did not go out needs someone's attention.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass

from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.common_args import UsageError, validate_region

_SNS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SUBJECT_MAX = 100  # SNS's limit; SES accepts more, one rule keeps both readable


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


@dataclass(frozen=True, slots=True)
class Notification:
    channel: str  # "sns" | "email"
    target: str
    ok: bool
    message: str  # the message id, or why it failed

    def as_dict(self) -> dict[str, object]:
        return {
            "channel": self.channel,
            "target": self.target,
            "ok": self.ok,
            "message": self.message,
        }


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
    """Validate the notification flags; raises UsageError."""
    topic, to, sender = args.notify_sns, args.notify_email, args.notify_from
    if topic and not _SNS_ARN_RE.match(topic):
        raise UsageError(f"--notify-sns: not an SNS topic ARN: {topic!r}")
    if to and not sender:
        raise UsageError("--notify-email needs --notify-from (an SES-verified sender)")
    if sender and not to:
        raise UsageError("--notify-from is only used with --notify-email")
    for flag, addr in (("--notify-email", to), ("--notify-from", sender)):
        if addr and not _EMAIL_RE.match(addr):
            raise UsageError(f"{flag}: not an e-mail address: {addr!r}")
    region = validate_region(args.notify_region) if args.notify_region else None
    if (topic or to) and getattr(args, "read_only", False):
        raise UsageError("notifications send messages, which --read-only forbids")
    return NotifySettings(topic, to, sender, region, args.notify_on)


def send(
    ctx: AwsContext, settings: NotifySettings, *, failed: bool, subject: str, body: str
) -> list[Notification]:
    """Send what the settings ask for; never raises."""
    if not settings.any or (settings.on == "failure" and not failed):
        return []
    subject = subject[:SUBJECT_MAX]
    out: list[Notification] = []
    if settings.sns_topic:
        out.append(_sns(ctx, settings.sns_topic, subject, body))
    if settings.email_to and settings.email_from:
        region = settings.email_region or (ctx.target.regions or (ctx.home_region,))[0]
        out.append(_email(ctx, region, settings.email_from, settings.email_to, subject, body))
    return out


def _sns(ctx: AwsContext, topic: str, subject: str, body: str) -> Notification:
    region = topic.split(":")[3]  # SNS topics are regional: publish where the topic lives
    try:
        resp = ctx.client("sns", region).publish(TopicArn=topic, Subject=subject, Message=body)
    except Exception as exc:  # reported, never raised: the run's result matters more
        return Notification("sns", topic, False, str(problem_from(exc, region, "Publish")))
    return Notification("sns", topic, True, str(resp.get("MessageId", "")))


def _email(
    ctx: AwsContext, region: str, sender: str, to: str, subject: str, body: str
) -> Notification:
    try:
        resp = ctx.client("ses", region).send_email(
            Source=sender,
            Destination={"ToAddresses": [to]},
            Message={"Subject": {"Data": subject}, "Body": {"Text": {"Data": body}}},
        )
    except Exception as exc:  # reported, never raised
        return Notification("email", to, False, str(problem_from(exc, region, "SendEmail")))
    return Notification("email", to, True, str(resp.get("MessageId", "")))
