"""Which accounts a run covers (aws/accounts.py), against the demo's Organization: every
account is reached with its own credentials, as STS itself reports them."""

from __future__ import annotations

from dataclasses import replace

from snaptui.aws import accounts
from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.demo.seed import SeedReport
from snaptui.demo.seed_org import ORG_ROLE
from snaptui.demo.server import DEMO_ACCOUNT
from snaptui.models import ProblemKind


def test_every_active_account_gets_a_target_of_its_own(
    demo_target: AwsTarget, seeded: SeedReport
) -> None:
    (member,) = seeded.members
    targets, problems = accounts.org_targets(AwsContext(demo_target), ORG_ROLE)
    assert problems == []
    home, dev = targets
    # The caller's own account keeps its credentials; a member is reached through the role.
    assert home.role_arn is None and home.account_label == f"master ({DEMO_ACCOUNT})"
    assert dev.role_arn == f"arn:aws:iam::{member}:role/{ORG_ROLE}"
    for target, account in ((home, DEMO_ACCOUNT), (dev, member)):
        sts = AwsContext(target).client("sts")
        assert sts.get_caller_identity()["Account"] == account
    assert AwsContext(dev).profile_label == f"demo-dev ({member})"


def test_an_organization_that_does_not_answer_leaves_the_one_account_and_says_why(
    demo_target: AwsTarget, seeded: SeedReport
) -> None:
    target = replace(demo_target, lacks=demo_target.lacks | {"organizations:ListAccounts"})
    targets, problems = accounts.org_targets(AwsContext(target), ORG_ROLE)
    assert targets == [target]
    (problem,) = problems
    assert problem.kind is ProblemKind.NOT_SUPPORTED and problem.operation == "ListAccounts"


def test_role_arns_name_the_region_partition() -> None:
    assert accounts.role_arn("111122223333", "R", "eu-west-1") == "arn:aws:iam::111122223333:role/R"
    assert accounts.role_arn("1", "R", "cn-north-1").startswith("arn:aws-cn:iam::")
    assert accounts.role_arn("1", "R", "us-gov-west-1").startswith("arn:aws-us-gov:iam::")


def test_profiles_become_targets_once_each(demo_target: AwsTarget) -> None:
    got = accounts.profile_targets(demo_target, ["a", "b", "a"])
    assert [t.profile for t in got] == ["a", "b"]
    assert all(t.endpoint_url == demo_target.endpoint_url for t in got)
