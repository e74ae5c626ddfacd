"""Fidelity layer: Amazon Data Lifecycle Manager's read side (moto 5.2 has no DLM at all).

AWS (DLM API Reference, GetLifecyclePolicies, GetLifecyclePolicy):
- GetLifecyclePolicies (GET /policies) lists each policy's summary (PolicyId, Description,
  State, Tags, PolicyType); it takes filters (policyIds, state, resourceTypes, ...) as query
  parameters and is not paged.
- GetLifecyclePolicy (GET /policies/{policyId}) gives the whole policy: its PolicyDetails
  with the target tags and each schedule's CreateRule and RetainRule (Count, or Interval and
  IntervalUnit). An unknown id answers ResourceNotFoundException (404).
- Policies are regional: a policy of us-east-1 is not found through eu-west-1.
Snapshots a policy makes carry ``aws:dlm:lifecycle-policy-id`` (and the schedule name), which
the seed sets on its DLM-style chains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from snaptui.demo.rest_json import JsonError, Request, Routes


@dataclass(slots=True)
class Policy:
    policy_id: str
    description: str
    target_tags: dict[str, str]
    schedule: str
    interval_hours: int
    retain_count: int
    created: datetime
    state: str = "ENABLED"
    account: str = "123456789012"

    def arn(self, region: str) -> str:
        return f"arn:aws:dlm:{region}:{self.account}:policy/{self.policy_id}"

    def summary(self) -> dict[str, Any]:
        return {
            "PolicyId": self.policy_id,
            "Description": self.description,
            "State": self.state,
            "Tags": {},
            "PolicyType": "EBS_SNAPSHOT_MANAGEMENT",
            "DefaultPolicy": False,
        }

    def whole(self, region: str) -> dict[str, Any]:
        schedule = {
            "Name": self.schedule,
            "CopyTags": True,
            "CreateRule": {"Interval": self.interval_hours, "IntervalUnit": "HOURS"},
            "RetainRule": {"Count": self.retain_count},
        }
        details = {
            "PolicyType": "EBS_SNAPSHOT_MANAGEMENT",
            "ResourceTypes": ["VOLUME"],
            "ResourceLocations": ["CLOUD"],
            "TargetTags": [{"Key": k, "Value": v} for k, v in self.target_tags.items()],
            "Schedules": [schedule],
        }
        stamp = self.created.timestamp()
        summary = {k: v for k, v in self.summary().items() if k != "PolicyType"}
        return {
            **summary,
            "StatusMessage": "ENABLED",
            "ExecutionRoleArn": f"arn:aws:iam::{self.account}:role/AWSDataLifecycleManagerRole",
            "DateCreated": stamp,
            "DateModified": stamp,
            "PolicyDetails": details,
            "PolicyArn": self.arn(region),
        }


@dataclass
class DlmPolicies:
    by_region: dict[str, dict[str, Policy]] = field(default_factory=dict)

    def add(self, region: str, policy: Policy) -> None:
        self.by_region.setdefault(region, {})[policy.policy_id] = policy

    def clear(self) -> None:
        self.by_region.clear()

    def get_policies(self, req: Request) -> tuple[int, dict[str, Any]]:
        wanted = set(req.query.get("policyIds", []))
        state = (req.query.get("state") or [""])[0]
        found = [
            p.summary()
            for p in self.by_region.get(req.region, {}).values()
            if (not wanted or p.policy_id in wanted) and (not state or p.state == state)
        ]
        return 200, {"Policies": found}

    def get_policy(self, req: Request) -> tuple[int, dict[str, Any]]:
        policy = self.by_region.get(req.region, {}).get(req.path["policy"])
        if policy is None:
            raise JsonError(
                "ResourceNotFoundException", f"Policy {req.path['policy']} not found", 404
            )
        return 200, {"Policy": policy.whole(req.region)}

    def route(self, routes: Routes) -> None:
        routes.add("dlm", "GET", "/policies/?", self.get_policies)
        routes.add("dlm", "GET", "/policies/(?P<policy>[^/]+)/?", self.get_policy)
