"""Which accounts a run covers: one profile, several (--profile repeated, --all-profiles), or
every account of an AWS Organization through one role (--org-role NAME).

Each account is an ``AwsTarget`` of its own, so each gets its own clients, retry budget and
rate limiter, as AWS's quotas are per account and region. Nothing here fails the whole run
for one account: an account that cannot be reached comes back as a Problem of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from snaptui.aws.errors import problem_from
from snaptui.aws.identity import caller_account
from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.core.text import one_line
from snaptui.models import Problem, ProblemKind


@dataclass(frozen=True, slots=True)
class OrgAccount:
    """An account as ListAccounts names it."""

    account_id: str
    name: str
    status: str


def profile_targets(base: AwsTarget, profiles: list[str]) -> list[AwsTarget]:
    """One target per profile, everything else as the command line set it."""
    return [replace(base, profile=p) for p in dict.fromkeys(profiles)]


def config_profiles() -> list[str]:
    """Every profile in the AWS config and credentials files (read locally, nothing sent)."""
    import botocore.session

    return sorted(botocore.session.Session().available_profiles)


def org_accounts(ctx: AwsContext) -> list[OrgAccount]:
    """Every account of the caller's organization (organizations:ListAccounts, paged);
    raises what AWS raised (not in an organization, not the management account, denied)."""
    pages = ctx.client("organizations").get_paginator("list_accounts").paginate()
    return [
        OrgAccount(str(a["Id"]), str(a.get("Name", "")), str(a.get("Status", "")))
        for page in pages
        for a in page.get("Accounts", [])
    ]


def role_arn(account_id: str, role: str, region: str) -> str:
    partition = "aws"
    if region.startswith("cn-"):
        partition = "aws-cn"
    elif region.startswith("us-gov-"):
        partition = "aws-us-gov"
    return f"arn:{partition}:iam::{account_id}:role/{role}"


def org_targets(ctx: AwsContext, role: str) -> tuple[list[AwsTarget], list[Problem]]:
    """A target per ACTIVE account of the organization: the caller's own account with its own
    credentials, every other one through ``role``. Suspended accounts are skipped and said."""
    try:
        accounts = org_accounts(ctx)
    except Exception as exc:
        return [ctx.target], [problem_from(exc, "organizations", "ListAccounts")]
    own = caller_account(ctx)
    base = ctx.target
    targets: list[AwsTarget] = []
    problems: list[Problem] = []
    for a in sorted(accounts, key=lambda a: (a.account_id != own, a.name, a.account_id)):
        # The name is the organization's text: escaped once here, as it is shown everywhere.
        label = f"{one_line(a.name or a.account_id)} ({one_line(a.account_id)})"
        if a.status != "ACTIVE":
            problems.append(
                Problem(ProblemKind.OTHER, f"{label} is {a.status}: skipped", "organizations")
            )
            continue
        if a.account_id == own:
            targets.append(replace(base, account_label=label))
        else:
            arn = role_arn(a.account_id, role, ctx.home_region)
            targets.append(replace(base, role_arn=arn, account_label=label))
    return targets or [base], problems
