"""Optional notifications after a headless run: SNS Publish and/or SES SendEmail.

A failed notification never hides the run's own result; it is reported like any other problem
(stderr line, ``notifications`` in the JSON) and turns exit code 0 into 1, because a cron job
whose alert did not go out needs someone's attention.
"""

from __future__ import annotations

from dataclasses import dataclass

from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.headless.notify_args import NotifySettings

__all__ = ["Notification", "NotifySettings", "send"]

SUBJECT_MAX = 100  # SNS's limit; SES accepts more, one rule keeps both readable


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
