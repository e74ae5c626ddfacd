"""Which Recycle Bin retention rule keeps a deleted snapshot, and for how long. Pure.

A deleted EBS snapshot that a retention rule of its region matches goes to the Recycle Bin
and is billed at the standard rate until the rule's retention period ends; a deletion then
frees nothing for that long. Rules come from rbin ListRules (ResourceType EBS_SNAPSHOT):
a tag-level rule matches a snapshot carrying one of its ResourceTags (an empty value matches
any value); a region-level rule (no ResourceTags) matches every snapshot except those
carrying one of its ExcludeResourceTags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from snaptui.models import RetentionRule

__all__ = ["RetentionRule", "matching_rule", "retention_days", "rule_from"]

_UNIT_DAYS = {"DAYS": 1}


def rule_from(d: Mapping[str, object]) -> RetentionRule:
    """One ListRules entry (botocore's dict) as a rule."""

    def pairs(key: str) -> tuple[tuple[str, str], ...]:
        items = d.get(key) or []
        assert isinstance(items, list)
        return tuple(
            (str(t.get("ResourceTagKey", "")), str(t.get("ResourceTagValue", ""))) for t in items
        )

    period = d.get("RetentionPeriod") or {}
    assert isinstance(period, dict)
    days = int(period.get("RetentionPeriodValue", 0)) * _UNIT_DAYS.get(
        str(period.get("RetentionPeriodUnit", "DAYS")), 1
    )
    return RetentionRule(
        str(d.get("Identifier", "")), days, pairs("ResourceTags"), pairs("ExcludeResourceTags")
    )


def _carries(tags: Mapping[str, str], pairs: Iterable[tuple[str, str]]) -> bool:
    return any(k in tags and (not v or tags[k] == v) for k, v in pairs)


def _matches(rule: RetentionRule, tags: Mapping[str, str]) -> bool:
    if rule.resource_tags:
        return _carries(tags, rule.resource_tags)
    return not _carries(tags, rule.exclude_tags)


def matching_rule(rules: Iterable[RetentionRule], tags: Mapping[str, str]) -> RetentionRule | None:
    """The rule that keeps a deleted snapshot with these tags longest; None: a delete is final."""
    found = [r for r in rules if _matches(r, tags)]
    return max(found, key=lambda r: r.days) if found else None


def retention_days(rules: Iterable[RetentionRule], tags: Mapping[str, str]) -> int:
    """How many days a deleted snapshot with these tags stays (billed) in the bin; 0: none."""
    rule = matching_rule(rules, tags)
    return rule.days if rule is not None else 0
