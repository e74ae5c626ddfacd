"""Who manages a snapshot, from what AWS and snaptui leave on it: DLM's and AWS Backup's own
`aws:` tags, an AMI that uses it, snaptui's own markers, or none of those (a person).

Tags are evidence, not proof: DLM and AWS Backup tag what they make with `aws:` keys a user
cannot set, so these are reliable; the policy's own description and retention (dlm
GetLifecyclePolicy, backup ListRecoveryPointsByResource) are not read here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from snaptui.core.ownership import COPY_TAG, OWNER_TAG, POLICY_TAG

Kind = Literal["dlm", "backup", "ami", "snaptui", "person"]

# The snapshot list's "By" column, and the word `/` finds each kind by (by:dlm, by:person...).
KIND_LABEL: dict[str, str] = {
    "dlm": "DLM",
    "backup": "Backup",
    "ami": "AMI",
    "snaptui": "snaptui",
    "person": "person",
}
FILTER_PREFIX = "by:"


def filter_word(kind: str) -> str:
    return FILTER_PREFIX + kind


@dataclass(frozen=True, slots=True)
class Manager:
    kind: Kind
    text: str  # for the detail panel
    warning: str = ""  # what deleting it means, for the delete confirmation


def manager_of(
    tags: Mapping[str, str], ami_ids: Sequence[str] = (), policy_name: str = ""
) -> Manager:
    """policy_name: the DLM policy's own description, where it was read (it says more than
    its id in a delete's warning)."""
    lower = {k.lower(): v for k, v in tags.items()}
    policy = lower.get("aws:dlm:lifecycle-policy-id")
    if policy:
        schedule = lower.get("aws:dlm:lifecycle-schedule-name", "")
        text = f"DLM policy {policy}" + (f" ({schedule})" if schedule else "")
        named = f'{policy} ("{policy_name}")' if policy_name else policy
        warning = (
            f"a snapshot of DLM policy {named}: the policy keeps its own count and goes on "
            "making snapshots; change the policy to keep fewer"
        )
        return Manager("dlm", text, warning)
    if any(k.startswith("aws:backup:") for k in lower):
        source = lower.get("aws:backup:source-resource", "")
        text = "AWS Backup" + (f" (of {source.rsplit('/', 1)[-1]})" if source else "")
        warning = (
            "an AWS Backup recovery point: delete it in AWS Backup (its vault would still "
            "list it), or let the backup plan's retention expire it"
        )
        return Manager("backup", text, warning)
    if ami_ids:
        return Manager("ami", f"AMI {', '.join(ami_ids)} (deregister it first)")
    if OWNER_TAG in tags or POLICY_TAG in tags:
        return Manager("snaptui", f"snaptui policy {tags.get(POLICY_TAG, '?')}")
    if COPY_TAG in tags:
        return Manager("snaptui", "snaptui copy (pruned only by --copies-of)")
    return Manager("person", "a person (no DLM, AWS Backup, AMI or snaptui marks)")
