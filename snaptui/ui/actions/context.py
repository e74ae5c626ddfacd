"""What an action may use of the app: ActionContext, over the narrow ActionHost.

An action never holds the app. It gets an ActionContext: the AWS context, the fleet and the
highlighted snapshot, the read-only check, notify, push_screen, the task runner (`run`: a
TaskScreen, then a reload of the region it changed) and a job in a thread. SnapApp provides
ActionHost structurally; nothing here imports snaptui.ui.app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget

from snaptui.aws import imds
from snaptui.aws.session import AwsContext
from snaptui.core.browse import Fleet
from snaptui.cost.report import SnapshotCost
from snaptui.models import Snapshot
from snaptui.ui.dialogs.form import FormScreen, Values
from snaptui.ui.dialogs.task import TaskFn, TaskResult, TaskScreen
from snaptui.ui.jobs import Jobs, Work
from snaptui.ui.vtable import VirtualTable


class ActionHost(Protocol):
    """The part of the app the actions see (SnapApp is one)."""

    @property
    def ctx(self) -> AwsContext: ...

    @property
    def fleet(self) -> Fleet: ...

    @property
    def region_names(self) -> list[str]: ...

    @property
    def host_instance(self) -> imds.HostInstance | None: ...

    @property
    def jobs(self) -> Jobs: ...

    @property
    def focused(self) -> Widget | None: ...

    @property
    def clock(self) -> Callable[[], datetime]: ...

    def pane(self, pane_id: str) -> VirtualTable[Any]: ...

    def notify(
        self,
        message: str | Sequence[str],  # a list: one line each (each shown as data)
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None: ...

    def push_screen(
        self, screen: Screen[Any], callback: Callable[[Any], None] | None = None
    ) -> object: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def reload_region(self, region: str) -> None: ...

    def freed_text(self, snapshot_ids: list[str]) -> str: ...

    def cost_of(self, snapshot_id: str) -> SnapshotCost | None: ...


class ActionContext:
    """Everything an action's `run(ctx)` may use, and nothing else of the app."""

    def __init__(self, host: ActionHost) -> None:
        self._host = host

    # --- what the action acts on -----------------------------------------------------------

    @property
    def aws(self) -> AwsContext:
        return self._host.ctx

    @property
    def fleet(self) -> Fleet:
        return self._host.fleet

    @property
    def region_names(self) -> list[str]:
        return self._host.region_names

    @property
    def host_instance(self) -> imds.HostInstance | None:
        return self._host.host_instance

    @property
    def focused(self) -> Widget | None:
        return self._host.focused

    def now(self) -> datetime:
        return self._host.clock()

    def pane(self, pane_id: str) -> VirtualTable[Any]:
        return self._host.pane(pane_id)

    def freed_text(self, snapshot_ids: list[str]) -> str:
        return self._host.freed_text(snapshot_ids)

    def cost_of(self, snapshot_id: str) -> SnapshotCost | None:
        return self._host.cost_of(snapshot_id)

    def snapshot(self) -> Snapshot | None:
        """The highlighted snapshot, or None after saying how to highlight one."""
        row = self.pane("snapshots").cursor_row
        if isinstance(row, Snapshot):
            return row
        self.notify("Highlight a snapshot first (4 focuses the snapshots)", severity="warning")
        return None

    def writable(self, what: str) -> bool:
        """False (and says why) under --read-only."""
        if self.aws.target.read_only:
            self.notify(
                f"{what}: refused, snaptui runs with --read-only", severity="error", timeout=5
            )
            return False
        return True

    # --- what the action does ----------------------------------------------------------------

    def notify(
        self,
        message: str | Sequence[str],  # a list: one line each (each shown as data)
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None:
        self._host.notify(message, title=title, severity=severity, timeout=timeout)

    def push_screen(
        self, screen: Screen[Any], callback: Callable[[Any], None] | None = None
    ) -> None:
        self._host.push_screen(screen, callback)

    def call_from_thread(self, callback: Callable[..., Any], *args: Any) -> None:
        self._host.call_from_thread(callback, *args)

    def start_job(self, name: str, work: Work, *, group: str) -> None:
        self._host.jobs.start(name, work, group=group)

    def reload(self, region: str) -> None:
        self._host.reload_region(region)

    def run(
        self,
        title: str,
        fn: TaskFn,
        region: str,
        refused: Callable[[dict[str, str]], None] | None = None,
    ) -> None:
        """A TaskScreen running fn; when it ends done or stopped, the region is reloaded.
        ``refused(fields)`` is called when it failed on input (fields named, nothing done)."""

        def done(result: TaskResult | None) -> None:
            if result is None:
                return
            if result.ok or result.stopped:
                self.reload(region)
            elif result.fields and refused is not None:
                refused(result.fields)

        self.push_screen(TaskScreen(title, fn), done)

    def form_then_task(
        self,
        make_form: Callable[[Values | None, dict[str, str] | None], FormScreen],
        start: Callable[[Values], tuple[str, TaskFn, str]],
        form_keys: Mapping[str, str] | None = None,
    ) -> None:
        """Show the form; run the task its values describe (then reload its region). When
        the input is refused after submit (a field AWS or our pre-send check named), the form
        comes back with the values as typed and each message beside its field.

        ``make_form(values, errors)``: the form, filled when given; ``start(values)``: the
        task's (title, fn, region); ``form_keys``: AWS-layer field names -> form keys.
        """
        keys = dict(form_keys or {})

        def submitted(values: Values | None) -> None:
            if values is None:
                return

            def refused(fields: dict[str, str]) -> None:
                errors = {keys.get(k, k): m for k, m in fields.items()}
                self.push_screen(make_form(values, errors), submitted)

            self.run(*start(values), refused=refused)

        self.push_screen(make_form(None, None), submitted)
