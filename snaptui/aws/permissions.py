"""Would AWS allow this call? EC2's DryRun answers without doing anything.

DryRunOperation means allowed, UnauthorizedOperation means denied (with AWS's reason). Anything
else is "unknown", never "allowed": an operation without DryRun, a parameter AWS checks before
permissions, an error, and above all an endpoint that ignores DryRun (it has then done the
work, so the caller must say so and must not go on as if it had only asked). In read-only mode
nothing is asked: the session's guard refuses every mutating operation, DryRun or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from botocore import xform_name

from snaptui.aws.calls import action_error
from snaptui.aws.errors import error_code
from snaptui.aws.session import AwsContext

READ_ONLY = "read-only"
_DENIED = frozenset({"UnauthorizedOperation", "AccessDenied", "AccessDeniedException"})

Verdict = Literal["allowed", "denied", "unknown"]


@dataclass(frozen=True, slots=True)
class Permission:
    verdict: Verdict
    reason: str = ""
    ran: bool = False  # the endpoint ignored DryRun and did the work

    @property
    def allowed(self) -> bool:
        return self.verdict == "allowed"


def dry_run(ctx: AwsContext, region: str, operation: str, params: dict[str, Any]) -> Permission:
    """Ask with DryRun. ``operation`` as in the API ("CreateVolume") or snake_case."""
    if ctx.target.read_only:
        return Permission("denied", READ_ONLY)
    ec2 = ctx.client("ec2", region)
    model = ec2.meta.service_model
    api_name = operation if operation in model.operation_names else _api_name(model, operation)
    if api_name is None:
        return Permission("denied", f"{operation} is not an EC2 operation")
    if "DryRun" not in model.operation_model(api_name).input_shape.members:
        return Permission("unknown", f"{api_name} has no DryRun; not checked")
    try:
        getattr(ec2, xform_name(api_name))(**{**params, "DryRun": True})
    except Exception as exc:
        code = error_code(exc)
        problem = action_error(exc, region, api_name).problem
        if code == "DryRunOperation":
            return Permission("allowed")
        if code in _DENIED:
            return Permission("denied", _message(exc) or code)
        # Bad parameters, missing resources, errors: AWS checks those before permissions.
        return Permission("unknown", problem.message)
    return Permission("unknown", f"{api_name} ran: this endpoint ignores DryRun", ran=True)


def dry_run_allowed(
    ctx: AwsContext, region: str, operation: str, params: dict[str, Any]
) -> tuple[bool, str]:
    """(allowed, reason): True only when AWS said DryRunOperation. See ``dry_run``."""
    answer = dry_run(ctx, region, operation, params)
    if answer.verdict == "unknown":
        return False, f"permission unknown: {answer.reason}"
    return answer.allowed, answer.reason


def _message(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Message", ""))
    return ""


def _api_name(model: Any, operation: str) -> str | None:
    for name in model.operation_names:
        if xform_name(name) == operation:
            return str(name)
    return None
