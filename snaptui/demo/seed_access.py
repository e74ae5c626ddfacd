"""The demo fleet's key pair and security groups, made last (so every other seeded id stays as
it was): each instance names the key pair `ops-2026` and sits in `ops-ssh`, and both exist in
its region, as on AWS, so a launch that copies an instance's settings works with its defaults."""

from __future__ import annotations

from typing import Any

# A well-formed OpenSSH public key (ed25519) for the demo: no private half exists anywhere.
_PUBLIC_KEY = (
    b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHc3ZcG8o7GkS0n3bq0xk2K2a8m1Jk0m9kq1b0H9d5Qm demo"
)


def seed_access(client: Any, regions: tuple[str, ...], key_name: str = "ops-2026") -> None:
    """``client(service, region)`` -> a boto3 client on the demo world."""
    for region in regions:
        ec2 = client("ec2", region)
        ec2.import_key_pair(KeyName=key_name, PublicKeyMaterial=_PUBLIC_KEY)
        group = ec2.create_security_group(
            GroupName="ops-ssh", Description="SSH from the ops network (demo)"
        )["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=group,
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 22,
                    "ToPort": 22,
                    "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
                }
            ],
        )
        reservations = ec2.describe_instances()["Reservations"]
        for instance in (i for r in reservations for i in r["Instances"]):
            ec2.modify_instance_attribute(InstanceId=instance["InstanceId"], Groups=[group])
