"""The KMS keys a user can pick for encryption in one region, and the names that refer to them.

A key can be given as its id, its ARN, an alias name or an alias ARN; validation accepts all
four. The default EBS key is ``alias/aws/ebs`` unless the account set another default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from snaptui.aws.calls import ActionError, aws_call
from snaptui.aws.session import AwsContext
from snaptui.models import ProblemKind

DEFAULT_EBS_ALIAS = "alias/aws/ebs"


@dataclass(frozen=True, slots=True)
class KmsChoice:
    """One key as the picker shows it: aliases first, the id as fallback."""

    key_id: str
    arn: str
    aliases: tuple[str, ...] = ()
    alias_arns: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.aliases[0]} ({self.key_id})" if self.aliases else self.key_id

    @property
    def refs(self) -> tuple[str, ...]:
        return (self.key_id, self.arn, *self.aliases, *self.alias_arns)


@dataclass(frozen=True, slots=True)
class KmsKeys:
    region: str
    choices: tuple[KmsChoice, ...] = ()
    default_key: str = DEFAULT_EBS_ALIAS  # what EBS uses when no key is given
    # AWS-managed aliases (alias/aws/ebs) may exist before their key does: still valid names.
    extra_refs: frozenset[str] = field(default_factory=frozenset)

    def known_refs(self) -> frozenset[str]:
        refs = {r for c in self.choices for r in c.refs if r}
        return frozenset(refs | self.extra_refs | {DEFAULT_EBS_ALIAS})


def list_keys(ctx: AwsContext, region: str) -> KmsKeys:
    """Keys and aliases of ``region`` (every page) and the account's default EBS key there."""
    kms = ctx.client("kms", region)
    with aws_call(region, "ListKeys"):
        keys = [k for page in kms.get_paginator("list_keys").paginate() for k in page["Keys"]]
    with aws_call(region, "ListAliases"):
        aliases = [
            a for page in kms.get_paginator("list_aliases").paginate() for a in page["Aliases"]
        ]
    by_key: dict[str, list[dict[str, str]]] = {}
    extra: set[str] = set()
    for alias in aliases:
        target = alias.get("TargetKeyId")
        if target:
            by_key.setdefault(str(target), []).append(alias)
        if str(alias.get("AliasName", "")).startswith("alias/aws/"):
            extra.update({str(alias.get("AliasName", "")), str(alias.get("AliasArn", ""))})
    choices = tuple(
        KmsChoice(
            key_id=str(k["KeyId"]),
            arn=str(k.get("KeyArn", "")),
            aliases=tuple(str(a["AliasName"]) for a in by_key.get(str(k["KeyId"]), ())),
            alias_arns=tuple(str(a.get("AliasArn", "")) for a in by_key.get(str(k["KeyId"]), ())),
        )
        for k in keys
    )
    return KmsKeys(region, choices, default_ebs_key(ctx, region), frozenset(extra - {""}))


def default_ebs_key(ctx: AwsContext, region: str) -> str:
    """The account's default EBS key in ``region``; alias/aws/ebs when the endpoint won't say."""
    ec2 = ctx.client("ec2", region)
    try:
        with aws_call(region, "GetEbsDefaultKmsKeyId"):
            key = ec2.get_ebs_default_kms_key_id().get("KmsKeyId")
    except ActionError as exc:
        # Denied or unsupported: AWS's documented default is the managed alias.
        if exc.problem.kind in (ProblemKind.NOT_SUPPORTED, ProblemKind.ACCESS_DENIED):
            return DEFAULT_EBS_ALIAS
        raise
    return str(key or DEFAULT_EBS_ALIAS)
