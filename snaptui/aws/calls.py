"""How the actions make AWS calls: typed errors, idempotency tokens, progress reporting.

Every action raises only ``ActionError`` (the UI shows ``.problem`` in the task dialog and
``.fields`` beside the form's fields). A read-only refusal is also a ``ReadOnlyError``, so code
that already handles the session's guard keeps working.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from snaptui.aws.errors import (
    ReadOnlyError,
    error_code,
    http_status,
    problem_from,
    removal_goal_holds,
)
from snaptui.core.ownership import copyable_tags
from snaptui.models import Problem, ProblemKind

Progress = Callable[[str], None]


def no_progress(_: str) -> None:
    return None


class ActionError(Exception):
    """An action could not be done; ``fields`` maps form fields to messages when input was bad."""

    def __init__(
        self,
        problem: Problem,
        fields: Mapping[str, str] | None = None,
        *,
        code: str = "",
        status: int = 0,
    ) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.fields: dict[str, str] = dict(fields or {})
        self.code = code  # the AWS error code, "" when AWS did not answer one
        self.status = status  # the HTTP status, 0 when there was no answer
        self.aws_cause: BaseException | None = None  # what botocore raised, for errors.is_*

    def __str__(self) -> str:
        return str(self.problem)


class ReadOnlyActionError(ActionError, ReadOnlyError):
    """The read-only guard refused the call before it was sent."""

    def __init__(self, problem: Problem, operation: str) -> None:
        ActionError.__init__(self, problem)
        self.operation = operation


def invalid(fields: Mapping[str, str], region: str = "", operation: str = "") -> ActionError:
    """Bad input found before sending: nothing reached AWS."""
    message = "; ".join(f"{k}: {v}" for k, v in fields.items())
    return ActionError(Problem(ProblemKind.INVALID, message, region, operation), fields)


def fail(message: str, region: str = "", operation: str = "") -> ActionError:
    return ActionError(Problem(ProblemKind.OTHER, message, region, operation))


def action_error(exc: BaseException, region: str, operation: str) -> ActionError:
    """Any exception from botocore (or the guard) as an ActionError."""
    if isinstance(exc, ActionError):
        return exc
    problem = problem_from(exc, region, operation)
    if isinstance(exc, ReadOnlyError):
        return ReadOnlyActionError(problem, exc.operation)
    error = ActionError(problem, code=error_code(exc), status=http_status(exc))
    error.aws_cause = exc
    return error


@contextmanager
def aws_call(region: str, operation: str) -> Iterator[None]:
    """Turn whatever the block raises into an ActionError naming the operation."""
    try:
        yield
    except Exception as exc:
        raise action_error(exc, region, operation) from exc


def call(client: Any, operation: str, region: str, **params: Any) -> dict[str, Any]:
    """One AWS call (``operation`` as in the API: "CreateVolume"), errors as ActionError.

    Adds a fresh ClientToken when the operation takes one, so botocore's retries of a call whose
    answer was lost can never create a second volume or instance.
    """
    model = client.meta.service_model.operation_model(operation)
    if "ClientToken" in model.input_shape.members and "ClientToken" not in params:
        params["ClientToken"] = str(uuid.uuid4())
    method = getattr(client, _snake(client, operation))
    with aws_call(region, operation):
        result: dict[str, Any] = method(**params)
    return result


def remove(client: Any, operation: str, region: str, **params: Any) -> bool:
    """A removal (Delete*, Deregister*, Detach*): True when done now, False when its goal
    already held (a retry after a lost answer, or someone was first): never a failure."""
    try:
        call(client, operation, region, **params)
    except ActionError as exc:
        if removal_goal_holds(operation, exc.code):
            return False
        raise
    return True


def _snake(client: Any, operation: str) -> str:
    from botocore import xform_name

    name = xform_name(operation)
    if not hasattr(client, name):
        raise AttributeError(f"{operation} is not an operation of this client")
    return name


def tag_spec(resource_type: str, tags: Mapping[str, str]) -> list[dict[str, Any]]:
    """TagSpecifications for one resource type; [] when there are no tags."""
    if not tags:
        return []
    return [
        {
            "ResourceType": resource_type,
            "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
        }
    ]


def user_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """Tags another resource may take over: no reserved aws: keys, no snaptui ownership markers
    (a copy or a volume made from a snapshot is not what `snaptui snapshot` made)."""
    return copyable_tags(tags)
