"""Would AWS allow this call? EC2's DryRun answers without doing anything.

DryRunOperation means allowed, UnauthorizedOperation means denied (with AWS's reason). In
read-only mode nothing is asked: the session's guard refuses every mutating operation, DryRun
or not, and the answer is simply "read-only".
"""

from __future__ import annotations

from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError

from snaptui.aws.calls import action_error
from snaptui.aws.session import AwsContext

READ_ONLY = "read-only"


def dry_run_allowed(
    ctx: AwsContext, region: str, operation: str, params: dict[str, Any]
) -> tuple[bool, str]:
    """(allowed, reason). ``operation`` as in the API ("CreateVolume") or snake_case."""
    if ctx.target.read_only:
        return False, READ_ONLY
    ec2 = ctx.client("ec2", region)
    model = ec2.meta.service_model
    api_name = operation if operation in model.operation_names else _api_name(model, operation)
    if api_name is None:
        return False, f"{operation} is not an EC2 operation"
    if "DryRun" not in model.operation_model(api_name).input_shape.members:
        # No way to ask: let the real call decide (its error is shown if denied).
        return True, f"{api_name} has no DryRun; not checked"
    try:
        getattr(ec2, xform_name(api_name))(**{**params, "DryRun": True})
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        message = str(exc.response.get("Error", {}).get("Message", ""))
        if code == "DryRunOperation":
            return True, ""
        if code in ("UnauthorizedOperation", "AccessDenied", "AccessDeniedException"):
            return False, message or code
        # Anything else (bad parameters, missing resources): AWS checks those before
        # permissions, so the permission is unknown; report why.
        return False, f"{code}: {message}"
    except Exception as exc:
        return False, action_error(exc, region, api_name).problem.message
    # An endpoint that ignores DryRun would have done the work: say so loudly.
    return True, f"{api_name} ran: this endpoint ignores DryRun"


def _api_name(model: Any, operation: str) -> str | None:
    for name in model.operation_names:
        if xform_name(name) == operation:
            return str(name)
    return None
