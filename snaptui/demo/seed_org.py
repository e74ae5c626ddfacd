"""The demo's AWS Organization: the home account manages it, and one member account, demo-dev,
holds a small fleet of its own, reached as AWS lets a management account reach its members:
AssumeRole into OrganizationAccountAccessRole (``snaptui --demo --org-role ...``).

moto keeps each account's resources apart and maps the assumed role's keys to the member
account; the layers the demo adds keep theirs apart too (demo/accounts.py).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from snaptui.demo.seed_builder import Seeder, SeedReport
from snaptui.demo.server import DemoServer

ORG_ROLE = "OrganizationAccountAccessRole"  # the role AWS creates in a member it makes
MEMBER_NAME = "demo-dev"


class _MemberFleet(Seeder):
    """A Seeder acting in the member account (its clients sign with the assumed role's keys)."""

    def __init__(
        self, server: DemoServer, now: datetime, account: str, credentials: dict[str, str]
    ) -> None:
        super().__init__(server, now)
        self.account, self.credentials = account, credentials
        self.rng = random.Random(20261204)

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = self.server.referee_client(service, region, self.credentials)
        return self._clients[key]

    def backend(self, region: str) -> Any:
        from moto.ec2.models import ec2_backends

        return ec2_backends[self.account][region]

    def fleet(self) -> None:
        """One app host with a daily chain, and a snapshot whose volume is gone."""
        region, az = "us-east-1", "us-east-1a"
        ec2 = self.client("ec2", region)
        image = self.base_image(region)
        app = self.instance(region, az, image, "dev-app", "t3.small", env="dev")
        data = self.volume(region, az, "dev-app-data", 50, attach=(app, "/dev/sdf"), env="dev")
        self.daily_chain(
            region, data, 6, lambda when: f"dev-app-data daily {when:%Y-%m-%d}", size_gib=50,
            Name="dev-app-data-daily", env="dev",
        )  # fmt: skip
        scratch = self.volume(region, az, "dev-scratch", 20, env="dev")
        old = self.snapshot(
            region, scratch, self.now - timedelta(days=40), "before the load test",
            size_gib=20, Name="dev-scratch-before-load-test",
        )  # fmt: skip
        ec2.delete_volume(VolumeId=scratch)
        self.report.orphan_snapshots.append(old)
        self.settle_times(region)


def seed_org(server: DemoServer, now: datetime) -> tuple[str, SeedReport]:
    """The organization, its member account and the member's fleet: (account id, report)."""
    org = server.referee_client("organizations", "us-east-1")
    org.create_organization(FeatureSet="ALL")
    status = org.create_account(Email="dev@example.com", AccountName=MEMBER_NAME)
    account = str(status["CreateAccountStatus"]["AccountId"])
    role = f"arn:aws:iam::{account}:role/{ORG_ROLE}"
    sts = server.referee_client("sts", "us-east-1")
    credentials = sts.assume_role(RoleArn=role, RoleSessionName="seed")["Credentials"]
    member = _MemberFleet(server, now, account, {k: str(v) for k, v in credentials.items()})
    member.fleet()
    return account, member.report
