"""Error classification: by AWS error code and HTTP status, never by the message's words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError
from botocore.parsers import ResponseParserError

from snaptui.aws import errors
from snaptui.aws.calls import ActionError, call
from snaptui.aws.session import AwsContext
from snaptui.demo.server import DemoServer
from snaptui.models import ProblemKind
from tests.aws.test_actions_world import mutations


def client_error(code: str, status: int, message: str = "") -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "DescribeSnapshots")


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (client_error("", 500, "<html>500 Internal Server Error</html>"), ProblemKind.OTHER),
        (client_error("500", 500, "not supported, parse error"), ProblemKind.OTHER),
        (client_error("ServiceUnavailable", 503, "max attempts"), ProblemKind.OTHER),
        (client_error("RequestLimitExceeded", 503), ProblemKind.THROTTLED),
        (client_error("UnauthorizedOperation", 403, "region"), ProblemKind.ACCESS_DENIED),
        (client_error("OptInRequired", 401), ProblemKind.REGION_DISABLED),
        (client_error("InvalidSnapshot.NotFound", 400, "500"), ProblemKind.INVALID),
        (ResponseParserError("Unable to parse response (500)"), ProblemKind.OTHER),
        (errors.EndpointLacksApi("ec2", "LockSnapshot"), ProblemKind.NOT_SUPPORTED),
    ],
)
def test_kind_comes_from_code_and_status(exc: BaseException, kind: ProblemKind) -> None:
    assert errors.problem_from(exc).kind is kind


def test_a_server_error_is_never_called_not_supported() -> None:
    problem = errors.problem_from(client_error("", 501, "Not Implemented"), "r", "ListThings")
    assert problem.kind is not ProblemKind.NOT_SUPPORTED
    assert "HTTP 501" in problem.message


def test_a_page_that_is_not_awss_answer_keeps_its_words_not_its_tags() -> None:
    page = (
        "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n"
        "<body>\n<p>The server encountered an internal error.</p></body></html>"
    )
    problem = errors.problem_from(client_error("500", 500, page), "r", "GetProducts")
    assert "<" not in problem.message and "\n" not in problem.message
    assert "500 Internal Server Error The server encountered an internal error." in problem.message
    # An AWS message (it has a code) is kept as AWS wrote it, angle brackets and all.
    aws = errors.problem_from(client_error("InvalidParameterValue", 400, "Value (<x>) bad"))
    assert aws.message.endswith("Value (<x>) bad")


def test_transient_and_unknown_outcome() -> None:
    lost = ReadTimeoutError(endpoint_url="http://127.0.0.1:1")
    reset = ConnectionClosedError(endpoint_url="http://127.0.0.1:1")
    for exc in (lost, reset, client_error("InternalError", 500), ResponseParserError("cut")):
        assert errors.is_transient(exc) and errors.outcome_unknown(exc)
    throttled = client_error("RequestLimitExceeded", 400)
    assert errors.is_transient(throttled) and not errors.outcome_unknown(throttled)
    bad = client_error("InvalidParameterValue", 400, "500 parse max attempts")
    assert not errors.is_transient(bad) and not errors.outcome_unknown(bad)
    assert errors.is_not_found(client_error("InvalidVolume.NotFound", 400))
    assert not errors.is_not_found(client_error("InvalidParameterValue", 400, "NotFound"))


def test_declared_missing_api_is_refused_before_sending(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    target = demo_server.target(audit_path=tmp_path / "audit.jsonl")
    assert "ec2:RestoreSnapshotFromRecycleBin" in target.lacks
    ctx = AwsContext(target)
    ec2 = ctx.client("ec2", scratch_region)
    sent: list[str] = []
    ec2.meta.events.register("before-send.ec2.*", lambda request, **_: sent.append(request.url))
    with pytest.raises(ActionError) as err:
        call(
            ec2,
            "RestoreSnapshotFromRecycleBin",
            scratch_region,
            SnapshotId="snap-0123456789abcdef0",
        )
    assert err.value.problem.kind is ProblemKind.NOT_SUPPORTED
    assert sent == []
    [line] = mutations(ctx)
    assert (line["outcome"], line["detail"]) == ("refused", "not supported by this endpoint")
