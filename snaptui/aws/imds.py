"""Is snaptui running on an EC2 instance? Ask the instance metadata service (IMDSv2).

Used to offer "this instance" first as a restore target. Honours the SDK's own settings:
AWS_EC2_METADATA_DISABLED=true turns it off, AWS_EC2_METADATA_SERVICE_ENDPOINT points it
elsewhere (tests use a loopback fake), AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6 picks the
IPv6 address. Timeouts are short: off EC2 nothing answers and we must not stall the UI.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from dataclasses import dataclass

DEFAULT_ENDPOINT = "http://169.254.169.254/"
DEFAULT_ENDPOINT_V6 = "http://[fd00:ec2::254]/"
TOKEN_TTL_SECONDS = "60"
TIMEOUT = 1.0


@dataclass(frozen=True, slots=True)
class HostInstance:
    instance_id: str
    region: str
    az: str


def endpoint() -> str | None:
    """Where IMDS is, or None when the user disabled it."""
    if os.environ.get("AWS_EC2_METADATA_DISABLED", "").strip().lower() == "true":
        return None
    configured = os.environ.get("AWS_EC2_METADATA_SERVICE_ENDPOINT", "").strip()
    if configured:
        return configured.rstrip("/") + "/"
    mode = os.environ.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "").strip().lower()
    return DEFAULT_ENDPOINT_V6 if mode == "ipv6" else DEFAULT_ENDPOINT


def detect(timeout: float = TIMEOUT) -> HostInstance | None:
    """The instance we run on, or None (not on EC2, IMDS off, or it did not answer in time)."""
    base = endpoint()
    if base is None:
        return None
    try:
        token = _request(
            base + "latest/api/token",
            "PUT",
            {"X-aws-ec2-metadata-token-ttl-seconds": TOKEN_TTL_SECONDS},
            timeout,
        )
        headers = {"X-aws-ec2-metadata-token": token}
        instance_id = _request(base + "latest/meta-data/instance-id", "GET", headers, timeout)
        az = _request(
            base + "latest/meta-data/placement/availability-zone", "GET", headers, timeout
        )
        region = _request(base + "latest/meta-data/placement/region", "GET", headers, timeout)
    except (OSError, urllib.error.URLError, ValueError):
        return None
    if not instance_id.startswith("i-"):
        return None
    return HostInstance(instance_id=instance_id, region=region, az=az)


def _request(url: str, method: str, headers: dict[str, str], timeout: float) -> str:
    request = urllib.request.Request(url, method=method, headers=headers)
    # No proxies: IMDS is link-local and a proxy would answer for it (or leak the token).
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=timeout) as response:
        body: bytes = response.read(4096)
    return body.decode("utf-8").strip()
