"""Turn botocore exceptions into Problems a person can read. Never raises.

Classification uses the AWS error code and the HTTP status only, never the message text: a
message is for the person. "This endpoint lacks the API" is never inferred from an answer (a
500 is a server error, worth retrying); it comes from the capabilities the target declares
(``AwsTarget.lacks``), checked before anything is sent (``EndpointLacksApi``).
"""

from __future__ import annotations

import re

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)
from botocore.parsers import ResponseParserError

from snaptui.models import Problem, ProblemKind

_ACCESS = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthFailure",
}
_THROTTLE = {
    "RequestLimitExceeded",
    "Throttling",
    "ThrottlingException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "SlowDown",
}
_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId"}
_DISABLED = {"OptInRequired", "UnrecognizedClientException", "InvalidRegion"}
_SERVER = {
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
    "Unavailable",
    "RequestTimeout",
}
_NOT_FOUND = {"ResourceNotFoundException", "NotFoundException", "NotFound"}
_INVALID = {"ValidationException", "ValidationError", "MissingParameter", "UnknownParameter"}


def _cause(exc: BaseException) -> BaseException:
    """The botocore exception behind one of ours (ActionError keeps it as ``aws_cause``)."""
    cause = getattr(exc, "aws_cause", None)
    return cause if isinstance(cause, BaseException) else exc


def error_code(exc: BaseException) -> str:
    exc = _cause(exc)
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


def http_status(exc: BaseException) -> int:
    exc = _cause(exc)
    if isinstance(exc, ClientError):
        return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return 0


def is_not_found(exc: BaseException) -> bool:
    """The resource does not exist (or is not visible yet: EC2 is eventually consistent)."""
    code = error_code(exc)
    return code.endswith(".NotFound") or code in {
        "ResourceNotFoundException",
        "NotFoundException",
        "NotFound",
    }


def is_malformed_id(exc: BaseException) -> bool:
    return error_code(exc).endswith(".Malformed")


def is_throttled(exc: BaseException) -> bool:
    return error_code(exc) in _THROTTLE


def is_transient(exc: BaseException) -> bool:
    """Asking again may work: throttling, a server error, a reset, a lost or garbled answer."""
    exc = _cause(exc)
    if isinstance(exc, ClientError):
        return is_throttled(exc) or error_code(exc) in _SERVER or http_status(exc) >= 500
    return isinstance(exc, (HTTPClientError, ResponseParserError))


def outcome_unknown(exc: BaseException) -> bool:
    """After this failure of a mutating call, AWS may or may not have done the work.

    A 4xx answer (throttling included: AWS throttles before acting) means nothing was done;
    a 5xx, a reset, a timeout or an unreadable answer can come after the work was done.
    """
    exc = _cause(exc)
    if isinstance(exc, ClientError):
        return http_status(exc) >= 500 or error_code(exc) in _SERVER
    return isinstance(exc, (HTTPClientError, ResponseParserError))


class EndpointLacksApi(Exception):
    """The target declares it has no such API (e.g. the demo world has no Recycle Bin)."""

    def __init__(self, service: str, operation: str) -> None:
        super().__init__(f"{operation} is not supported by this endpoint")
        self.service = service
        self.operation = operation


class ReadOnlyError(Exception):
    """A mutating AWS call was attempted while snaptui runs with --read-only."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"{operation} refused: snaptui is running read-only")
        self.operation = operation


_TAG = re.compile(r"<[^<>]{0,200}>")


def _readable(message: str, code: str) -> str:
    """The message, bounded. Without an AWS error code the body was not AWS's (a proxy's or an
    emulator's HTML page): its tags and layout are dropped so the words remain."""
    if not code or code.isdigit():
        message = " ".join(_TAG.sub(" ", message).split())
    return (message.strip() or code)[:400]


def problem_from(exc: BaseException, region: str = "", operation: str = "") -> Problem:
    """Classify any exception from the AWS layer; the message is one line, no traceback."""
    if isinstance(exc, ReadOnlyError):
        return Problem(ProblemKind.READ_ONLY, str(exc), region, exc.operation)
    if isinstance(exc, EndpointLacksApi):
        return Problem(ProblemKind.NOT_SUPPORTED, str(exc), region, operation or exc.operation)
    if isinstance(exc, ResponseParserError):
        # No code and no usable status: the answer was cut off or is not AWS's format.
        first = str(exc).splitlines()[0][:120] if str(exc) else "unreadable"
        return Problem(ProblemKind.OTHER, f"unreadable answer ({first})", region, operation)
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = str(err.get("Code", ""))
        # Whole and unescaped: the message is data, and the screen (core/text.py) shows its
        # newlines and controls visibly; only its length is bounded.
        msg = _readable(str(err.get("Message", "")), code)
        op = operation or exc.operation_name
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in _ACCESS:
            return Problem(ProblemKind.ACCESS_DENIED, f"{code}: {msg}", region, op)
        if code in _THROTTLE:
            return Problem(
                ProblemKind.THROTTLED, f"{code}: still throttled after retries", region, op
            )
        if code in _EXPIRED:
            return Problem(ProblemKind.EXPIRED_CREDENTIALS, f"{code}: {msg}", region, op)
        if code in _DISABLED:
            return Problem(ProblemKind.REGION_DISABLED, f"{code}: {msg}", region, op)
        if code in _SERVER or status >= 500:
            return Problem(
                ProblemKind.OTHER,
                f"server error (HTTP {status} {code}), still failing after retries: {msg}",
                region,
                op,
            )
        if code.startswith("Invalid") or code in _INVALID:
            return Problem(ProblemKind.INVALID, f"{code}: {msg}", region, op)
        return Problem(ProblemKind.OTHER, f"{code or status}: {msg}", region, op)
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return Problem(
            ProblemKind.NO_CREDENTIALS,
            "no AWS credentials found (set AWS_PROFILE, use --profile, or run 'aws configure')",
            region,
            operation,
        )
    if isinstance(exc, (TokenRetrievalError, UnauthorizedSSOTokenError)):
        return Problem(
            ProblemKind.EXPIRED_CREDENTIALS,
            f"SSO session expired: run 'aws sso login' ({exc})",
            region,
            operation,
        )
    if isinstance(exc, ProfileNotFound):
        return Problem(ProblemKind.NO_CREDENTIALS, str(exc), region, operation)
    if isinstance(exc, NoRegionError):
        return Problem(
            ProblemKind.INVALID, "no region configured: pass --region", region, operation
        )
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)):
        return Problem(ProblemKind.UNREACHABLE, str(exc), region, operation)
    if isinstance(exc, BotoCoreError):
        return Problem(ProblemKind.OTHER, str(exc), region, operation)
    return Problem(ProblemKind.OTHER, f"{type(exc).__name__}: {exc}", region, operation)


def retried(exc: BaseException) -> bool:
    """Whether botocore's answer came on a retry (an earlier attempt may have done the work)."""
    response = getattr(_cause(exc), "response", None) or {}
    return int(response.get("ResponseMetadata", {}).get("RetryAttempts", 0) or 0) > 0


# Removals, and the answers (besides any *.NotFound) that mean their goal already holds:
# typically botocore's retry after the first attempt did the work and its answer was lost.
_REMOVALS = ("Delete", "Deregister", "Detach", "Disassociate")
_GOAL_HOLDS = {
    "DeregisterImage": {"InvalidAMIID.Unavailable"},  # deregistered moments ago
    "DetachVolume": {"IncorrectState"},  # "... is in the 'available' state": detached
}


def removal_goal_holds(operation: str, code: str) -> bool:
    """A removal answered with ``code``: is what it was meant to remove already gone?"""
    if not operation.startswith(_REMOVALS):
        return False
    not_found = code.endswith(".NotFound") or code == "NotFound"
    return not_found or code in _GOAL_HOLDS.get(operation, set())
