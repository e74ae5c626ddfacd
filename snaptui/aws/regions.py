"""Which regions to look at: the ones the user named, or every region enabled for the account."""

from __future__ import annotations

from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.models import Problem

# Regions the account can use; "not-opted-in" ones answer every call with an error.
_ENABLED = frozenset({"opt-in-not-required", "opted-in"})


def resolve_regions(ctx: AwsContext) -> tuple[list[str], Problem | None]:
    """The regions to browse, and a Problem when listing them failed.

    When DescribeRegions fails we still browse the home region, so a user whose policy lacks
    ec2:DescribeRegions sees their data and the reason the other regions are missing.
    """
    if ctx.target.regions:
        return list(dict.fromkeys(ctx.target.regions)), None
    home = ctx.home_region
    try:
        response = ctx.client("ec2", home).describe_regions(AllRegions=False)
    except Exception as exc:  # any failure becomes a message; the home region still loads
        return [home], problem_from(exc, home, "DescribeRegions")
    names = sorted(
        str(r["RegionName"])
        for r in response.get("Regions", ())
        if r.get("OptInStatus", "opt-in-not-required") in _ENABLED
    )
    return names or [home], None
