"""Turn botocore exceptions into Problems a person can read. Never raises."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)

from snaptui.models import Problem, ProblemKind

_ACCESS = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthFailure",
    "OptInRequired",
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


class ReadOnlyError(Exception):
    """A mutating AWS call was attempted while snaptui runs with --read-only."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"{operation} refused: snaptui is running read-only")
        self.operation = operation


def problem_from(exc: BaseException, region: str = "", operation: str = "") -> Problem:
    """Classify any exception from the AWS layer; the message is one line, no traceback."""
    if isinstance(exc, ReadOnlyError):
        return Problem(ProblemKind.READ_ONLY, str(exc), region, exc.operation)
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = str(err.get("Code", ""))
        msg = str(err.get("Message", "")) or code
        op = operation or exc.operation_name
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code == "OptInRequired" or (code == "AuthFailure" and "region" in msg.lower()):
            return Problem(
                ProblemKind.REGION_DISABLED,
                f"region is not enabled for this account ({code})",
                region,
                op,
            )
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
        if status in (500, 501) and (
            not code or code in {"500", "InternalError", "InternalFailure"}
        ):
            return Problem(
                ProblemKind.NOT_SUPPORTED,
                f"{op or 'this call'} failed on the endpoint (HTTP {status})",
                region,
                op,
            )
        if code.startswith("Invalid") or code in {"ValidationException", "MissingParameter"}:
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
