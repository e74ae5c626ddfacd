"""Which Lightsail snapshots `snaptui snapshot` made. Pure.

Each gets ``snaptui:policy=<policy>`` and an ownership marker bound to the snapshot itself::

    snaptui:owner = "snaptui/1 ls=<instance or disk> region=<region> name=<snapshot> policy=<p>"

Lightsail snapshot names are unique per region, so a marker copied onto another snapshot (by a
script that copies tags, or a copy to another region) no longer fits, and `snaptui prune` leaves
that snapshot alone. Automatic snapshots carry no tags: prune touches them only when asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

POLICY_TAG = "snaptui:policy"
OWNER_TAG = "snaptui:owner"
TOOL = "snaptui/1"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def owner_value(resource: str, region: str, name: str, policy: str) -> str:
    return f"{TOOL} ls={resource} region={region} name={name} policy={policy}"


def owner_tags(resource: str, region: str, name: str, policy: str) -> dict[str, str]:
    return {POLICY_TAG: policy, OWNER_TAG: owner_value(resource, region, name, policy)}


def owned(
    tags: Mapping[str, str], *, resource: str, region: str, name: str, policy: str
) -> tuple[bool, str]:
    """(may prune act on it, why not)."""
    if tags.get(POLICY_TAG) != policy:
        return False, f"not policy {policy}"
    if tags.get(OWNER_TAG) != owner_value(resource, region, name, policy):
        return False, "ownership marker missing or made for another snapshot"
    return True, ""


def snapshot_name(resource: str, policy: str, at: datetime) -> str:
    """A Lightsail-valid name: <resource>-<policy>-<UTC time>, only letters, digits, - and _."""
    safe_policy = _UNSAFE.sub("-", policy).strip("-") or "snaptui"
    return f"{resource}-{safe_policy}-{at:%Y%m%d-%H%M%S}"[:255]
