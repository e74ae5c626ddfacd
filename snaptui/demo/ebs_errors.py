"""The EBS direct APIs' errors as moto raises them, with AWS's ``Reason`` field.

Shared by the fidelity modules that answer EBS direct calls (no fidelity module imports another).
"""

from __future__ import annotations

import json


def ebs_errors() -> tuple[type[Exception], type[Exception]]:
    """ValidationException / ResourceNotFoundException carrying EBS's ``Reason`` field."""
    from moto.core.exceptions import JsonRESTError

    class _EbsError(JsonRESTError):
        def __init__(self, error_type: str, message: str, reason: str) -> None:
            super().__init__(error_type, message)
            # botocore copies modeled members (Message, Reason) from the body into the
            # ClientError response, which is where callers read Reason from.
            body = {"__type": error_type, "message": message, "Message": message}
            self.description = json.dumps({**body, "Reason": reason})

    class ValidationError(_EbsError):
        code = 400

        def __init__(self, message: str, reason: str) -> None:
            super().__init__("ValidationException", message, reason)

    class NotFoundError(_EbsError):
        code = 404

        def __init__(self, message: str, reason: str = "SNAPSHOT_NOT_FOUND") -> None:
            super().__init__("ResourceNotFoundException", message, reason)

    return ValidationError, NotFoundError
