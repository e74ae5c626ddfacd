"""Run one AWS action in a worker thread and show its progress until AWS says it is ready.

The action is a blocking callable taking a progress callback and a cancel event; it returns
a result text (shown, and copyable with `y`) or raises. Errors are shown here, where they
happened, never as a traceback.

It runs as a job of the app's executor (ui/jobs.py): a daemon thread, so quitting never
waits for it. Esc while it runs sets the job's cancel event, which every snaptui.aws waiter
takes: waiting stops at once, and the dialog says that what was sent to AWS goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static

from snaptui.aws.errors import problem_from
from snaptui.ui import clipboard
from snaptui.ui.jobs import Jobs
from snaptui.ui.keys import drop_held_keys
from snaptui.ui.text import line, lines

Progress = Callable[[str, float | None], None]


@dataclass(slots=True)
class TaskResult:
    ok: bool
    text: str = ""  # what the user needs next (IDs, mount commands); copyable
    value: Any = None
    stopped: bool = False  # the user stopped waiting: AWS may still be doing the work
    # Input AWS (or our check before sending) refused, field -> message: the form comes back.
    fields: dict[str, str] = field(default_factory=dict)


STOPPED = (
    "Stopped waiting. What was already sent to AWS goes on there (a snapshot keeps "
    "completing, a volume keeps being created); r refreshes to see it."
)


TaskFn = Callable[[Progress, threading.Event], TaskResult]


class TaskScreen(ModalScreen[TaskResult | None]):
    DEFAULT_CSS = """
    TaskScreen { align: center middle; }
    TaskScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    TaskScreen #steps { height: auto; max-height: 6; color: $text-muted; }
    TaskScreen.done #steps { max-height: 3; }
    TaskScreen ProgressBar { margin: 1 0; }
    TaskScreen.done ProgressBar { display: none; }
    /* Commands are never wrapped mid-command: the result scrolls both ways instead. */
    TaskScreen #result { height: auto; max-height: 1fr; overflow-x: auto; }
    TaskScreen #result-text { width: auto; }
    TaskScreen #hint { color: $text-muted; dock: bottom; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close / cancel"),
        Binding("y", "copy_result", "Copy result"),
    ]

    def __init__(self, title: str, fn: TaskFn) -> None:
        super().__init__()
        self._title = title
        self._fn = fn
        self._cancel = threading.Event()
        self._result: TaskResult | None = None
        self._steps: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = line(self._title)
            yield Static("", id="steps")
            yield ProgressBar(total=None, show_eta=False, id="bar")
            with VerticalScroll(id="result"):
                yield Static("", id="result-text")
            yield Label("esc stops waiting", id="hint")

    def on_mount(self) -> None:
        drop_held_keys(self.app)  # a running task takes no typed keys (esc would cancel it)
        job = Jobs(self.app).start(f"task {self._title}", self._run, group="task")
        self._cancel = job.cancel

    def _run(self, cancel: threading.Event) -> None:
        def progress(step: str, fraction: float | None) -> None:
            self.post_message(TaskScreen.Step(step, fraction))

        try:
            result = self._fn(progress, cancel)
        except Exception as exc:  # every failure is shown in the dialog, never raised
            problem = getattr(exc, "problem", None)  # snaptui.aws.calls.ActionError
            fields = dict(getattr(exc, "fields", None) or {})
            result = TaskResult(ok=False, text=str(problem or problem_from(exc)), fields=fields)
        self.post_message(TaskScreen.Finished(result))

    class Step(Message):
        def __init__(self, step: str, fraction: float | None) -> None:
            super().__init__()
            self.step = step
            self.fraction = fraction

    class Finished(Message):
        def __init__(self, result: TaskResult) -> None:
            super().__init__()
            self.result = result

    @on(Step)
    def _on_step(self, msg: Step) -> None:
        self._progress(msg.step, msg.fraction)

    @on(Finished)
    def _on_finished(self, msg: Finished) -> None:
        self._finished(msg.result)

    def _progress(self, step: str, fraction: float | None) -> None:
        if not self._steps or self._steps[-1] != step:
            self._steps.append(step)
        self.query_one("#steps", Static).update(lines([f"· {s}" for s in self._steps[-6:]]))
        bar = self.query_one(ProgressBar)
        if fraction is None:
            bar.update(total=None)
        else:
            bar.update(total=100, progress=fraction * 100)

    def _finished(self, result: TaskResult) -> None:
        self._result = result
        bar = self.query_one(ProgressBar)
        bar.update(total=100, progress=100 if result.ok else bar.progress)
        style = "green" if result.ok else "bold red"
        head = "Done." if result.ok else "Failed."
        if self._cancel.is_set() and not result.ok:
            head = "Stopped waiting."
            result = TaskResult(False, f"{STOPPED}\n{result.text}", result.value, stopped=True)
            self._result = result
        body = Text(head + "\n", style=style, no_wrap=True, end="")
        body.append_text(lines(result.text.split("\n"), style="" if result.ok else "red"))
        self.add_class("done")
        self.query_one("#result-text", Static).update(body)
        hint = "esc closes · arrows scroll"
        hint += " · y copies the text above" if result.ok and result.text else ""
        self.query_one("#hint", Label).update(hint)
        self.set_focus(self.query_one("#result", VerticalScroll))

    @property
    def done(self) -> bool:
        return self._result is not None

    @property
    def result(self) -> TaskResult | None:
        return self._result

    def action_close(self) -> None:
        if self._result is not None:
            self.dismiss(self._result)
        elif not self._cancel.is_set():
            self._cancel.set()  # the waiter wakes at once; AWS keeps doing what it was asked
            self.query_one("#result-text", Static).update(Text(STOPPED, style="bold yellow"))
            self.query_one("#hint", Label).update("esc closes")
        else:
            self.dismiss(TaskResult(ok=False, text=STOPPED, stopped=True))

    def action_copy_result(self) -> None:
        if self._result is not None and self._result.text:
            clipboard.copy(self.app, self._result.text)
