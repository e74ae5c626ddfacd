"""Input rules Lightsail enforces, answered as InvalidInputException before anything changes."""

from __future__ import annotations

import re
from typing import Any

from snaptui.demo.lightsail.store import invalid

_NAME = re.compile(r"^\w[\w\-]*\w$", re.ASCII)  # botocore's ResourceName pattern
_TIME = re.compile(r"^(0[0-9]|1[0-9]|2[0-3]):00$")  # hourly only, as the add-on demands
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_TAGS = 50
MAX_KEY = 128
MAX_VALUE = 256


def name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise invalid(f"{what} is required")
    if len(value) > 255 or not _NAME.match(value):
        raise invalid(
            f"{what} '{value}' is not valid: use letters, numbers, hyphens and underscores, "
            "starting and ending with a letter or number"
        )
    return value


def optional_name(value: Any, what: str) -> str:
    return "" if value in (None, "") else name(value, what)


def tags(value: Any) -> dict[str, str]:
    if value in (None, []):
        return {}
    if not isinstance(value, list):
        raise invalid("tags must be a list")
    if len(value) > MAX_TAGS:
        raise invalid(f"a resource can have at most {MAX_TAGS} tags, got {len(value)}")
    out: dict[str, str] = {}
    for item in value:
        key = str(item.get("key", "")) if isinstance(item, dict) else ""
        val = str(item.get("value", "")) if isinstance(item, dict) else ""
        if not key or len(key) > MAX_KEY:
            raise invalid(f"tag keys must be 1-{MAX_KEY} characters")
        if len(val) > MAX_VALUE:
            raise invalid(f"tag values must be at most {MAX_VALUE} characters")
        if key.lower().startswith("aws:"):
            raise invalid("tag keys starting with aws: are reserved")
        out[key] = val
    return out


def time_of_day(value: Any) -> str:
    if not isinstance(value, str) or not _TIME.match(value):
        raise invalid(f"snapshotTimeOfDay must be HH:00 in UTC, got {value!r}")
    return value


def auto_date(value: Any) -> str:
    if not isinstance(value, str) or not _DATE.match(value):
        raise invalid(f"date must be YYYY-MM-DD, got {value!r}")
    return value


def size(value: Any, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise invalid("sizeInGb must be a whole number of GB")
    if value < minimum or value > 16384:
        raise invalid(f"sizeInGb must be {minimum}-16384 (at least the snapshot's size)")
    return value
