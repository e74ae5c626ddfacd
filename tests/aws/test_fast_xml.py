"""The fast EC2 parser answers exactly what botocore's own parser answers, key for key."""

from __future__ import annotations

from typing import Any

import pytest
from botocore import parsers

from snaptui.aws import fast_xml
from snaptui.aws.session import AwsContext
from snaptui.demo.seed import SeedReport

CALLS = [
    ("describe_snapshots", "DescribeSnapshots", {"OwnerIds": ["self"]}),
    ("describe_volumes", "DescribeVolumes", {}),
    ("describe_instances", "DescribeInstances", {}),
    ("describe_images", "DescribeImages", {"Owners": ["self"]}),
]


def _without_metadata(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k != "ResponseMetadata"}


@pytest.mark.parametrize(("method", "operation", "params"), CALLS)
def test_same_dicts_as_botocore_on_the_demo_world(
    demo_ctx: AwsContext, seeded: SeedReport, method: str, operation: str, params: dict[str, Any]
) -> None:
    client = demo_ctx.client("ec2", "us-east-1")
    raw: list[bytes] = []
    event = f"after-call.ec2.{operation}"
    client.meta.events.register(event, lambda http_response, **_: raw.append(http_response.content))
    try:
        ours = getattr(client, method)(**params)
    finally:
        client.meta.events.unregister(event)
    shape = client.meta.service_model.operation_model(operation).output_shape
    reference = parsers.create_parser("ec2").parse(
        {"body": raw[0], "headers": {}, "status_code": 200}, shape
    )
    assert _without_metadata(ours) == _without_metadata(reference)
    assert ours["ResponseMetadata"]["RequestId"] == reference["ResponseMetadata"]["RequestId"]
    listed = next(v for k, v in ours.items() if isinstance(v, list))
    assert listed, f"{operation} answered nothing: the comparison would prove nothing"


def test_an_error_answer_is_left_to_botocore(demo_ctx: AwsContext, seeded: SeedReport) -> None:
    from botocore.exceptions import ClientError

    client = demo_ctx.client("ec2", "us-east-1")
    with pytest.raises(ClientError) as err:
        client.describe_snapshots(SnapshotIds=["snap-00000000000000000"])
    assert err.value.response["Error"]["Code"].startswith("InvalidSnapshot")


def test_escaped_text_and_empty_elements_parse_as_botocore_does() -> None:
    import boto3

    shape = (
        boto3.client("ec2", region_name="us-east-1")
        .meta.service_model.operation_model("DescribeSnapshots")
        .output_shape
    )
    body = (
        b'<?xml version="1.0"?><DescribeSnapshotsResponse xmlns="http://ec2.amazonaws.com/'
        b'doc/2016-11-15"><requestId>r-1</requestId><snapshotSet><item><snapshotId>snap-1'
        b"</snapshotId><description>a &lt;b&gt; &amp; [/x]</description><volumeSize>8"
        b"</volumeSize><encrypted>false</encrypted><startTime>2026-01-02T03:04:05.000Z"
        b"</startTime><tagSet><item><key>Name</key><value/></item></tagSet><unknownNew>1"
        b"</unknownNew></item></snapshotSet></DescribeSnapshotsResponse>"
    )
    reference = parsers.create_parser("ec2").parse(
        {"body": body, "headers": {}, "status_code": 200}, shape
    )
    ours, request_id = fast_xml.parse_body(body, shape)
    assert ours == _without_metadata(reference)
    assert request_id == "r-1"
    assert ours["Snapshots"][0]["Description"] == "a <b> & [/x]"
