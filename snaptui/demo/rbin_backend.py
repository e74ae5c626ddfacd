"""Fidelity layer: Recycle Bin retention rules, read side (moto 5.2 has no rbin at all).

AWS (Recycle Bin API Reference, ListRules, GetRule):
- ListRules (POST /list-rules) lists the region's rules for one ResourceType (required:
  EBS_SNAPSHOT, EC2_IMAGE or EBS_VOLUME): Identifier, Description, RetentionPeriod,
  LockState, RuleArn. It does not return a rule's ResourceTags; it can filter by them.
  MaxResults is 1-1000 and a NextToken pages the rest.
- GetRule (GET /rules/{identifier}) gives one rule whole, with its ResourceTags (tag-level
  rule) or ExcludeResourceTags (region-level rule); an unknown one answers
  ResourceNotFoundException (404).
Not reproduced: deleting a snapshot a rule matches does not put it in the bin here (moto's
DeleteSnapshot deletes it); ListSnapshotsInRecycleBin stays unsupported in the demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from snaptui.demo.rest_json import JsonError, Request, Routes

_PAGE = 1000


@dataclass(slots=True)
class Rule:
    identifier: str
    description: str
    days: int
    resource_type: str = "EBS_SNAPSHOT"
    resource_tags: tuple[tuple[str, str], ...] = ()
    exclude_tags: tuple[tuple[str, str], ...] = ()
    account: str = "123456789012"

    def summary(self, region: str) -> dict[str, Any]:
        return {
            "Identifier": self.identifier,
            "Description": self.description,
            "RetentionPeriod": {"RetentionPeriodValue": self.days, "RetentionPeriodUnit": "DAYS"},
            "LockState": "unlocked",
            "RuleArn": f"arn:aws:rbin:{region}:{self.account}:rule/{self.identifier}",
        }

    def whole(self, region: str) -> dict[str, Any]:
        def tags(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
            return [{"ResourceTagKey": k, "ResourceTagValue": v} for k, v in pairs]

        out = {**self.summary(region), "ResourceType": self.resource_type, "Status": "available"}
        if self.resource_tags:
            out["ResourceTags"] = tags(self.resource_tags)
        if self.exclude_tags:
            out["ExcludeResourceTags"] = tags(self.exclude_tags)
        return out


@dataclass
class RecycleBinRules:
    by_region: dict[str, list[Rule]] = field(default_factory=dict)

    def add(self, region: str, rule: Rule) -> None:
        self.by_region.setdefault(region, []).append(rule)

    def clear(self) -> None:
        self.by_region.clear()

    def list_rules(self, req: Request) -> tuple[int, dict[str, Any]]:
        kind = req.body.get("ResourceType")
        if kind not in ("EBS_SNAPSHOT", "EC2_IMAGE", "EBS_VOLUME"):
            raise JsonError("ValidationException", "ResourceType is required")
        size = int(req.body.get("MaxResults") or _PAGE)
        if not 1 <= size <= _PAGE:
            raise JsonError("ValidationException", "MaxResults must be between 1 and 1000")
        rules = [r for r in self.by_region.get(req.region, []) if r.resource_type == kind]
        start = int(req.body.get("NextToken") or 0)
        page = rules[start : start + size]
        out: dict[str, Any] = {"Rules": [r.summary(req.region) for r in page]}
        if start + size < len(rules):
            out["NextToken"] = str(start + size)
        return 200, out

    def get_rule(self, req: Request) -> tuple[int, dict[str, Any]]:
        for rule in self.by_region.get(req.region, []):
            if rule.identifier == req.path["rule"]:
                return 200, rule.whole(req.region)
        raise JsonError("ResourceNotFoundException", f"Rule {req.path['rule']} not found", 404)

    def route(self, routes: Routes) -> None:
        routes.add("rbin", "POST", "/list-rules", self.list_rules)
        routes.add("rbin", "GET", "/rules/(?P<rule>[^/]+)", self.get_rule)
