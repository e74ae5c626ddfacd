"""Who and where we are talking to: the account (STS GetCallerIdentity) and the endpoint used.

The diff cache's entries are only valid for one account behind one endpoint: two accounts can
sit behind one profile name, and a custom endpoint (moto, LocalStack, a profile's
``endpoint_url``, ``AWS_ENDPOINT_URL_EBS``) reuses ids with other contents. The endpoint is the
one botocore actually resolved for the EBS client, so every way of configuring it counts.
"""

from __future__ import annotations

import hashlib
import threading

from snaptui.aws.session import AwsContext

_AWS_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
_accounts: dict[tuple[str, ...], str] = {}
_lock = threading.Lock()


def caller_account(ctx: AwsContext) -> str:
    """The account id, asked of STS once per (profile, credentials, endpoint) and remembered.

    "unknown" when STS does not answer (the cache then still separates endpoints).
    """
    t = ctx.target
    key = (ctx.profile_label, t.access_key_id or "", endpoint_label(ctx))
    with _lock:
        if key in _accounts:
            return _accounts[key]
    try:
        account = str(ctx.client("sts").get_caller_identity()["Account"])
    except Exception:  # no STS on this endpoint, no credentials: the figures still work
        account = "unknown"
    if not account.isalnum():
        account = "unknown"
    with _lock:
        _accounts[key] = account
    return account


def endpoint_label(ctx: AwsContext, service: str = "ebs") -> str:
    """ "aws" for AWS's own endpoints, else a short hash of the URL botocore resolved."""
    url = str(ctx.client(service).meta.endpoint_url or "")
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    if host.endswith(_AWS_SUFFIXES):
        return "aws"
    return "endpoint-" + hashlib.sha256(url.encode()).hexdigest()[:12]


def cache_namespace(ctx: AwsContext) -> str:
    """``<account>/<endpoint label>``: the diff cache's namespace (aws/diff_cache.py)."""
    return f"{caller_account(ctx)}/{endpoint_label(ctx)}"
