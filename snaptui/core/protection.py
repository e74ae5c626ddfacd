"""What the detail panel and a delete say about a snapshot's manager, its Recycle Bin retention
and its fast snapshot restore, from the region-wide facts the inventory read (models'
RegionInventory.dlm_policies, bin_rules, fast_restores). Pure; None there means unknown, and
the text then says why, never "none".
"""

from __future__ import annotations

from snaptui.core import fmt
from snaptui.core.browse import Fleet
from snaptui.core.managers import Manager, manager_of
from snaptui.core.recycle_bin import matching_rule
from snaptui.models import Problem, ProblemKind, RegionInventory, RetentionRule, Snapshot

# Fast snapshot restore: one DSU-hour per snapshot per AZ while enabled; AWS EBS pricing page,
# us-east-1, 2026-11 (other regions differ by a few cents: the figure says "about").
FSR_DSU_HOUR_USD = 0.75
HOURS_A_MONTH = 730
# The operations the inventory records a failure under (aws/inventory.py asks them).
DLM_LIST = "dlm GetLifecyclePolicies"
RBIN_LIST = "rbin ListRules"
FSR_LIST = "DescribeFastSnapshotRestores"


def _unknown(inv: RegionInventory | None, operation: str) -> str:
    """Why a region-wide fact is not known."""
    if inv is None:
        return "unknown (region not loaded)"
    problem: Problem | None = next((p for p in inv.problems if p.operation == operation), None)
    if problem is not None:
        if problem.kind is ProblemKind.ACCESS_DENIED:
            return "unknown (no permission)"
        return f"unknown ({problem.kind.value})"
    if inv.cached:
        return "unknown until the refresh"
    return "unknown (not offered by this endpoint)"


def manager(s: Snapshot, fleet: Fleet) -> Manager:
    """manager_of, with the DLM policy's own description and retention where it was read."""
    found = manager_of(s.tags, [i.id for i in fleet.images_using(s.id)])
    if found.kind != "dlm":
        return found
    inv = fleet.inventories.get(s.region)
    policies = inv.dlm_policies if inv else None
    pid = next((v for k, v in s.tags.items() if k.lower() == "aws:dlm:lifecycle-policy-id"), "")
    if policies is None:
        extra = f"policy {_unknown(inv, DLM_LIST)}"
    elif pid in policies:
        policy = policies[pid]
        found = manager_of(s.tags, (), policy.description)
        said = [f'"{policy.description}"' if policy.description else "", policy.retain]
        if policy.state and policy.state != "ENABLED":
            said.append(policy.state.lower())
        extra = ", ".join(part for part in said if part)
    else:
        extra = f"the policy is gone from {s.region}: nothing deletes these any more"
    return Manager(found.kind, f"{found.text}: {extra}" if extra else found.text, found.warning)


def bin_rule(s: Snapshot, fleet: Fleet) -> tuple[RetentionRule | None, str]:
    """(the rule that keeps it after a delete, the detail's text)."""
    inv = fleet.inventories.get(s.region)
    rules = inv.bin_rules if inv else None
    if rules is None:
        return None, _unknown(inv, RBIN_LIST)
    rule = matching_rule(rules, s.tags)
    if rule is None:
        return None, "no rule: a delete is final"
    return rule, f"kept {rule.days} days after a delete (rule {rule.identifier}), still billed"


def fast_restore_text(s: Snapshot, fleet: Fleet) -> str:
    inv = fleet.inventories.get(s.region)
    states = inv.fast_restores if inv else None
    if states is None:
        return _unknown(inv, FSR_LIST)
    rows = states.get(s.id, ())
    if not rows:
        return "off"
    azs = ", ".join(f"{r.az} {r.state}" for r in rows)
    monthly = FSR_DSU_HOUR_USD * HOURS_A_MONTH * len(rows)
    per_hour = FSR_DSU_HOUR_USD * len(rows)
    return f"{azs}: about {fmt.money(per_hour)}/h, {fmt.money(monthly)}/month"


def fast_restored(s: Snapshot, fleet: Fleet) -> bool:
    inv = fleet.inventories.get(s.region)
    return bool(inv and inv.fast_restores and inv.fast_restores.get(s.id))
