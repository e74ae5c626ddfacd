"""Fast snapshot restore for one snapshot: its state per AZ now, and turning it on or off.

EnableFastSnapshotRestores and DisableFastSnapshotRestores answer per snapshot-AZ pair: what
could be done under Successful, what could not under Unsuccessful with AWS's reason per AZ (the
region's quota of 5 snapshots, an AZ that does not exist). A request is not refused whole, so a
partial answer is reported as such: which AZs changed and why the others did not.
"""

from __future__ import annotations

from collections.abc import Sequence

from snaptui.aws import lookup
from snaptui.aws.calls import aws_call, call, fail, invalid
from snaptui.aws.session import AwsContext
from snaptui.core import validate
from snaptui.models import FastRestore

ON_STATES = frozenset({"enabling", "optimizing", "enabled"})


def states(ctx: AwsContext, region: str, snapshot_id: str) -> tuple[FastRestore, ...]:
    """The snapshot's fast restore state in each AZ AWS lists (disabled ones too), every page."""
    ec2 = ctx.client("ec2", region)
    found: list[FastRestore] = []
    with aws_call(region, "DescribeFastSnapshotRestores"):
        pages = ec2.get_paginator("describe_fast_snapshot_restores").paginate(
            Filters=[{"Name": "snapshot-id", "Values": [snapshot_id]}]
        )
        for page in pages:
            for d in page.get("FastSnapshotRestores", ()):
                az, state = str(d.get("AvailabilityZone", "")), str(d.get("State", ""))
                found.append(FastRestore(snapshot_id, az, state))
    return tuple(sorted(found, key=lambda r: r.az))


def set_fast_restore(
    ctx: AwsContext, region: str, snapshot_id: str, azs: Sequence[str], *, enable: bool
) -> list[str]:
    """Turn it on (or off) in these AZs; "AZ state" for each done. Raises ActionError when any
    AZ was refused, naming the ones that were done too."""
    operation = "EnableFastSnapshotRestores" if enable else "DisableFastSnapshotRestores"
    on = {r.az for r in states(ctx, region, snapshot_id) if r.state in ON_STATES}
    errors = validate.check_fast_restore(
        list(azs), region, lookup.availability_zones(ctx, region), on, enable=enable
    )
    if errors:
        raise invalid(errors, region, operation)
    answer = call(
        ctx.client("ec2", region),
        operation,
        region,
        AvailabilityZones=list(azs),
        SourceSnapshotIds=[snapshot_id],
    )
    done = [f"{d.get('AvailabilityZone', '?')} {d.get('State', '?')}"
            for d in answer.get("Successful", ())]  # fmt: skip
    refused = [
        f"{e.get('AvailabilityZone', '?')}: {(e.get('Error') or {}).get('Message', 'refused')}"
        for u in answer.get("Unsuccessful", ())
        for e in u.get("FastSnapshotRestoreStateErrors", ())
    ]
    if refused:
        so_far = f" (done: {', '.join(done)})" if done else ""
        raise fail("refused in " + "; ".join(refused) + so_far, region, operation)
    return done
