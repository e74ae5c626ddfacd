"""botocore's Stubber, answering each operation from its own queue (for concurrent callers).

botocore's Stubber expects calls in the exact order they were queued; the inventory now runs
a region's four calls concurrently, so their relative order is not fixed. Within one
operation the order still is (pages), and that is what this stubber keeps.
"""

from __future__ import annotations

import threading
from typing import Any

from botocore.stub import StubAssertionError, Stubber


class OperationStubber(Stubber):
    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self._op_lock = threading.Lock()

    def _pop_for(self, name: str) -> dict[str, Any]:
        with self._op_lock:
            for item in self._queue:
                if item["operation_name"] == name:
                    self._queue.remove(item)
                    return dict(item)
        raise StubAssertionError(operation_name=name, reason="no response queued for it")

    def _assert_expected_params(self, model: Any, params: Any, context: Any, **kwargs: Any) -> None:
        return None  # our tests queue responses without expected parameters

    def _get_response_handler(self, model: Any, params: Any, context: Any, **kwargs: Any) -> Any:
        return self._pop_for(model.name)["response"]
