"""botocore's Stubber, answering each operation from its own queue (for concurrent callers).

botocore's Stubber expects calls in the exact order they were queued; the inventory now runs
a region's four calls concurrently, so their relative order is not fixed. Within one
operation the order still is (pages), and that is what this stubber keeps.

The inventory's public check (DescribeSnapshots with RestorableByUserIds) has its own queue,
``add_public_response``; with none queued it answers "no public snapshots". The region's
locks (DescribeLockedSnapshots) and fast restores answer "none" unless a test queues an
answer. DLM and Recycle Bin are other clients: ``stubbed_target`` declares them missing.
"""

from __future__ import annotations

import threading
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.stub import StubAssertionError, Stubber

PUBLIC = "DescribeSnapshots(public)"
# The region-wide annotations: "none" unless a test queues an answer.
_NONE_UNLESS_QUEUED: dict[str, dict[str, Any]] = {
    "DescribeLockedSnapshots": {"Snapshots": []},
    "DescribeFastSnapshotRestores": {"FastSnapshotRestores": []},
}


class OperationStubber(Stubber):
    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self._op_lock = threading.Lock()

    def add_public_response(self, response: dict[str, Any]) -> None:
        self.add_response("describe_snapshots", response)
        self._queue[-1]["operation_name"] = PUBLIC

    def add_public_error(self, code: str) -> None:
        self.add_client_error("describe_snapshots", code, "denied", http_status_code=403)
        self._queue[-1]["operation_name"] = PUBLIC

    def _pop_for(self, name: str) -> dict[str, Any]:
        with self._op_lock:
            for item in self._queue:
                if item["operation_name"] == name:
                    self._queue.remove(item)
                    return dict(item)
        raise StubAssertionError(operation_name=name, reason="no response queued for it")

    def _assert_expected_params(self, model: Any, params: Any, context: Any, **kwargs: Any) -> None:
        # Our tests queue responses without expected parameters; the API parameters (seen
        # only here) say whether this is the public check.
        context["opstub_public"] = bool(params.get("RestorableByUserIds"))

    def _get_response_handler(self, model: Any, params: Any, context: Any, **kwargs: Any) -> Any:
        if model.name == "DescribeSnapshots" and context.get("opstub_public"):
            with self._op_lock:
                queued = any(item["operation_name"] == PUBLIC for item in self._queue)
            if not queued:
                return self._stub_ok({"Snapshots": []})
            return self._pop_for(PUBLIC)["response"]
        if model.name in _NONE_UNLESS_QUEUED:
            with self._op_lock:
                queued = any(item["operation_name"] == model.name for item in self._queue)
            if not queued:
                return self._stub_ok(_NONE_UNLESS_QUEUED[model.name])
        return self._pop_for(model.name)["response"]

    @staticmethod
    def _stub_ok(parsed: dict[str, Any]) -> Any:
        return (AWSResponse(None, 200, {}, None), {**parsed, "ResponseMetadata": {}})


def stubbed_target(**kw: Any) -> Any:
    """A target whose DLM and Recycle Bin clients say "not supported" without sending."""
    from snaptui.aws.session import AwsTarget

    return AwsTarget(lacks=frozenset({"dlm:*", "rbin:*"}), **kw)
