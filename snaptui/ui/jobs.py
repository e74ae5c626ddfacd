"""The app's own executor: each job a daemon thread with its own cancel event.

Why not Textual's thread workers: they run on asyncio's default executor, which is joined
when the app exits, so quitting during a long AWS wait waited for it. Here each job is a
daemon thread (nothing joins it at exit) paired with a small async Textual worker that just
awaits the thread's future. That keeps what Textual's workers are good at: the app's worker
list (tests wait on it), ``Worker.StateChanged`` when a job raises, cancellation at exit.

A job is handed its cancel event; blocking calls it makes take that event (the waiters in
snaptui.aws wake on it at once). Jobs report by posting messages (``Jobs.post``), never by
touching UI-owned state.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from textual.app import App
from textual.message import Message
from textual.worker import Worker

Work = Callable[[threading.Event], None]
T = TypeVar("T")


class JobDied(RuntimeError):
    """A job ended by a BaseException that is not an Exception."""


@dataclass(slots=True)
class Job:
    name: str
    group: str
    generation: int | None = None  # the load a job belongs to, for errors it cannot report
    cancel: threading.Event = field(default_factory=threading.Event)
    future: concurrent.futures.Future[None] = field(default_factory=concurrent.futures.Future)


class Jobs:
    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._jobs: dict[Worker[None], Job] = {}
        self._closed = False

    def start(
        self,
        name: str,
        work: Work,
        *,
        group: str = "default",
        exclusive: bool = False,
        generation: int | None = None,
    ) -> Job:
        """Run ``work(cancel)`` in a daemon thread; ``exclusive`` cancels the group's others."""
        if exclusive:
            self.cancel_group(group)
        job = Job(name, group, generation)
        thread = threading.Thread(
            target=_run, args=(job, work), name=f"snaptui-{name}", daemon=True
        )
        worker = self._app.run_worker(self._watch(job), name=name, group=group, exit_on_error=False)
        self._jobs[worker] = job
        thread.start()
        return job

    async def _watch(self, job: Job) -> None:
        try:
            await asyncio.wrap_future(job.future)
        except asyncio.CancelledError:
            job.cancel.set()  # the app is going (or the worker was cancelled): stop waiting
            raise

    def job_of(self, worker: Worker[Any]) -> Job | None:
        return self._jobs.get(worker)

    def forget(self, worker: Worker[Any]) -> None:
        self._jobs.pop(worker, None)

    def running(self, group: str | None = None) -> list[Job]:
        return [
            j
            for j in self._jobs.values()
            if not j.future.done() and (group is None or j.group == group)
        ]

    def cancel_group(self, group: str) -> None:
        for job in self.running(group):
            job.cancel.set()

    def cancel_all(self) -> None:
        """At quit: every job is told to stop; none is waited for."""
        self._closed = True
        for job in self._jobs.values():
            job.cancel.set()

    def post(self, message: Message) -> None:
        """Post to the app from any thread; after quit, messages are dropped quietly."""
        if self._closed:
            return
        with contextlib.suppress(RuntimeError):  # the event loop closed under a late job
            self._app.post_message(message)


def _run(job: Job, work: Work) -> None:
    if not job.future.set_running_or_notify_cancel():
        return
    try:
        work(job.cancel)
    except Exception as exc:  # handed to Worker.StateChanged via the future
        job.future.set_exception(exc)
    except BaseException as exc:  # Textual's workers only report Exceptions
        job.future.set_exception(JobDied(f"{job.name}: {type(exc).__name__}: {exc}"))
    else:
        job.future.set_result(None)


def each_in_threads(
    items: Iterable[T], fn: Callable[[T], None], *, workers: int, cancel: threading.Event
) -> None:
    """Call ``fn`` on every item from up to ``workers`` daemon threads; skip the rest on cancel.

    Waits for them (inside a job's thread, never on the event loop). The first exception an
    item raised is raised here once all threads are done, so the job fails visibly.
    """
    pending = list(items)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def drain() -> None:
        while not cancel.is_set():
            with lock:
                if not pending or errors:
                    return
                item = pending.pop(0)
            try:
                fn(item)
            except BaseException as exc:  # re-raised in the job's thread below
                with lock:
                    errors.append(exc)

    threads = [
        threading.Thread(target=drain, daemon=True, name="snaptui-each")
        for _ in range(max(1, min(workers, len(pending))))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
