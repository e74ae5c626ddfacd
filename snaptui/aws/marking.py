"""Ownership markers on EC2: tagging a set after it exists, listing marked snapshots, rbin rules.

CreateSnapshots applies one TagSpecifications to every snapshot of the set, so a marker that
names each snapshot's own volume is added per snapshot with CreateTags once the set exists.
If that fails the snapshot stays unmarked, which only means `snaptui prune` never deletes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from snaptui.aws import parse
from snaptui.aws.errors import is_not_found
from snaptui.aws.idempotent import look_for
from snaptui.aws.session import AwsContext
from snaptui.core.recycle_bin import RetentionRule, rule_from
from snaptui.models import Snapshot

SNAPSHOT_PAGE = 1000


def tag_snapshot(ctx: AwsContext, region: str, snapshot_id: str, tags: Mapping[str, str]) -> None:
    """CreateTags on a snapshot made moments ago. EC2 is eventually consistent: it may answer
    InvalidSnapshot.NotFound for a while, so that is retried for the target's consistency
    window (CreateTags is idempotent: sending it twice tags once)."""
    ec2 = ctx.client("ec2", region)
    pairs = [{"Key": k, "Value": v} for k, v in tags.items()]

    def tagged() -> bool | None:
        try:
            ec2.create_tags(Resources=[snapshot_id], Tags=pairs)
        except ClientError as exc:
            if is_not_found(exc):
                return None  # not visible yet: look again
            raise
        return True

    if look_for(tagged, ctx.target.consistency_s) is None:
        ec2.create_tags(Resources=[snapshot_id], Tags=pairs)  # the window is over: its answer


def list_snapshots_tagged(
    ctx: AwsContext, region: str, key: str, values: list[str] | None = None
) -> list[Snapshot]:
    """Our own snapshots carrying tag ``key`` (with one of ``values``), every page.

    The tag is checked again here: an endpoint that ignores the filter must not widen the set.
    """
    name, filter_values = (f"tag:{key}", values) if values else ("tag-key", [key])
    pages = (
        ctx.client("ec2", region)
        .get_paginator("describe_snapshots")
        .paginate(
            OwnerIds=["self"],
            Filters=[{"Name": name, "Values": filter_values}],
            PaginationConfig={"PageSize": SNAPSHOT_PAGE},
        )
    )
    out: list[Snapshot] = []
    for page in pages:
        for d in page.get("Snapshots", ()):
            snap = parse.snapshot_from(d, region)
            if key in snap.tags and (not values or snap.tags[key] in values):
                out.append(snap)
    return out


def recycle_bin_rules(ctx: AwsContext, region: str) -> list[RetentionRule]:
    """The region's Recycle Bin retention rules for EBS snapshots.

    rbin ListRules (paged) names the rules; GetRule gives each one's tags (ListRules does not).
    """
    client = ctx.client("rbin", region)
    names: list[str] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {"ResourceType": "EBS_SNAPSHOT"}
        if token:
            params["NextToken"] = token
        page = client.list_rules(**params)
        names += [str(r["Identifier"]) for r in page.get("Rules", ()) if r.get("Identifier")]
        token = page.get("NextToken")
        if not token:
            break
    return [rule_from(client.get_rule(Identifier=name)) for name in names]
