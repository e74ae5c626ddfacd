"""What AWS identifiers and names look like. One place, matched whole (``fullmatch``).

``re.match`` with ``$`` accepts a trailing newline ("default\\n"), which once created snapshots
that the same policy name never found again; everything here uses ``fullmatch``.
"""

from __future__ import annotations

import re

# Resource kind -> id prefix. AWS ids are the prefix, a dash, and 8 or 17 lowercase hex digits.
ID_PREFIXES = {"snapshot": "snap", "volume": "vol", "instance": "i", "image": "ami"}
_ID_RE = re.compile(r"(snap|vol|i|ami)-([0-9a-f]{8}|[0-9a-f]{17})")
# Commercial, GovCloud, China and ISO partitions: us-east-1, us-gov-west-1, cn-north-1, ...
_REGION_RE = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d")
# A retention policy name: it becomes part of a tag value, so keep it to safe characters.
_POLICY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
_SNS_TOPIC_RE = re.compile(
    r"arn:aws[a-z-]*:sns:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}):\d{12}:[A-Za-z0-9_-]{1,256}"
    r"(\.fifo)?"
)
_ROLE_NAME_RE = re.compile(r"[\w+=,.@-]{1,64}", re.ASCII)
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# What the product itself uses for copies' volume ids: AWS gives every copy this placeholder.
COPY_VOLUME_ID = "vol-ffffffff"


def id_kind(value: str) -> str | None:
    """ "snapshot", "volume", "instance" or "image" for a well-formed id, else None."""
    m = _ID_RE.fullmatch(value)
    if m is None:
        return None
    return next(kind for kind, prefix in ID_PREFIXES.items() if prefix == m.group(1))


def is_id(value: str, kind: str) -> bool:
    """True when ``value`` is a whole, well-formed id of ``kind`` (no spaces, no newline)."""
    return id_kind(value) == kind


def example_id(kind: str) -> str:
    return f"{ID_PREFIXES[kind]}-0123456789abcdef0"


def is_region(name: str) -> bool:
    return _REGION_RE.fullmatch(name) is not None


def is_policy_name(name: str) -> bool:
    return _POLICY_RE.fullmatch(name) is not None


def is_role_name(name: str) -> bool:
    """An IAM role name (no path): IAM's own character set and length."""
    return bool(_ROLE_NAME_RE.fullmatch(name))


def is_snapshot_id(value: str) -> bool:
    return is_id(value, "snapshot")


def sns_topic_region(arn: str) -> str | None:
    """The region of a well-formed SNS topic ARN, else None."""
    m = _SNS_TOPIC_RE.fullmatch(arn)
    return m.group(1) if m else None


def is_email(address: str) -> bool:
    return _EMAIL_RE.fullmatch(address) is not None
