"""One region's EBS direct calls for the cost engine: edge diffs, lineage probes, root counts.

Every call goes through the region's shared rate limiter and is cached forever (snapshots are
immutable): a diff, an UNRELATED_SNAPSHOTS answer, a block count. A failure never escapes:
it becomes the reason a figure is an estimate, and a lasting one (AccessDenied, an endpoint
without the API) stops the region's further calls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from snaptui.aws.changed_blocks import (
    CallCounter,
    Cancelled,
    list_changed_blocks_all,
    list_snapshot_blocks_count,
    unrelated,
)
from snaptui.aws.diff_cache import DiffCache
from snaptui.aws.errors import problem_from
from snaptui.aws.rate_limit import RateLimiter
from snaptui.cost.blocks import BLOCK_BYTES, EdgeDiff
from snaptui.cost.evidence import ProbeAnswer
from snaptui.models import Problem, ProblemKind

Progress = Callable[[str, int, int], None]  # region, edges done, edges total

STOP_KINDS = {
    ProblemKind.ACCESS_DENIED: "estimate: no ebs:ListChangedBlocks permission (AccessDenied)",
    ProblemKind.NOT_SUPPORTED: "estimate: this endpoint does not support the EBS direct APIs",
    ProblemKind.NO_CREDENTIALS: "estimate: no credentials for the EBS direct APIs",
    ProblemKind.EXPIRED_CREDENTIALS: "estimate: credentials expired",
    ProblemKind.UNREACHABLE: "estimate: the EBS direct endpoint is unreachable",
    ProblemKind.REGION_DISABLED: "estimate: region not enabled",
}
REASON_CANCELLED = "estimate: cancelled before its diff was fetched"


@dataclass
class RegionRun:
    """Mutable state of one region's fetch, shared by its worker threads under ``lock``."""

    region: str
    limiter: RateLimiter
    client: Any
    cache: DiffCache | None
    cancel: threading.Event
    on_progress: Progress | None
    workers: int = 12
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    diffs: dict[tuple[str, str], EdgeDiff] = field(default_factory=dict)
    breaks: set[tuple[str, str]] = field(default_factory=set)
    reasons: dict[str, str] = field(default_factory=dict)  # snapshot id -> why not exact
    problems: dict[ProblemKind, Problem] = field(default_factory=dict)
    stop_reason: str = ""
    total: int = 0
    done: int = 0
    calls: CallCounter = field(default_factory=CallCounter)
    probe_calls: CallCounter = field(default_factory=CallCounter)
    hits: int = 0
    cancelled: bool = False

    def progress(self, *, extra_total: int = 0, done: int = 0) -> None:
        with self.lock:
            self.total += extra_total
            self.done += done
            total, now = self.total, self.done
        if self.on_progress is not None:
            self.on_progress(self.region, now, total)

    def fail(self, key: str, exc: BaseException, operation: str) -> None:
        """Record why ``key``'s figures are estimates; stop the region on a lasting failure."""
        problem = problem_from(exc, self.region, operation)
        with self.lock:
            self.problems.setdefault(problem.kind, problem)
            reason = STOP_KINDS.get(problem.kind)
            if reason is not None:
                self.stop_reason = self.stop_reason or reason
                self.stop.set()
            elif problem.kind is ProblemKind.THROTTLED:
                reason = f"estimate: {operation} still throttled after retries"
            else:
                reason = f"estimate: {operation} failed ({problem.message})"
            self.reasons[key] = reason

    def halted(self, key: str) -> bool:
        """True (and ``key`` marked) when the region stopped or the caller cancelled."""
        if not (self.stop.is_set() or self.cancel.is_set()):
            return False
        with self.lock:
            self.reasons.setdefault(key, self.stop_reason or REASON_CANCELLED)
            self.cancelled = self.cancelled or self.cancel.is_set()
        return True

    def cached_edge(self, parent: str, child: str) -> ProbeAnswer | str:
        """From the cache: True (diff stored), False (unrelated), or "miss"."""
        hit = self.cache.get_edge(self.region, parent, child) if self.cache is not None else None
        if hit is None:
            return "miss"
        with self.lock:
            self.hits += 1
            if hit.diff is None:
                self.breaks.add((parent, child))
                return False
            self.diffs[(parent, child)] = hit.diff
        return True

    def run_all(self, fn: Callable[[str, str], Any], pairs: Sequence[tuple[str, str]]) -> list[Any]:
        """``fn`` over ``pairs`` on a few threads (they overlap round trips, not the limiter)."""
        if not pairs:
            return []
        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(pairs)))) as pool:
            return list(pool.map(lambda e: fn(*e), pairs))


def fetch_edge(run: RegionRun, parent: str, child: str, *, probe: bool = False) -> ProbeAnswer:
    """The diff parent -> child into ``run.diffs`` (and the cache).

    Returns True (diff in hand), False (UNRELATED_SNAPSHOTS) or None (failed or cancelled).
    A probe is the same call: its first page already answers related or not.
    """
    if run.halted(child):
        return None
    counter = run.probe_calls if probe else CallCounter()
    try:
        result = list_changed_blocks_all(
            run.client, parent, child, run.limiter, cancel=run.cancel, counter=counter
        )
    except Cancelled:
        with run.lock:
            run.reasons.setdefault(child, REASON_CANCELLED)
            run.cancelled = True
        return None
    except Exception as exc:  # every failure becomes a reason; none reaches the caller
        if not unrelated(exc):
            run.fail(child, exc, "ListChangedBlocks")
            return None
        with run.lock:
            run.breaks.add((parent, child))
        if run.cache is not None:
            run.cache.put_unrelated(run.region, parent, child)
        return False
    finally:
        if not probe:
            run.calls.add(counter.value)
    with run.lock:
        run.diffs[(parent, child)] = result.diff
    if run.cache is not None:
        run.cache.put_edge(run.region, result.diff, result.pages)
    return True


def root_sizes(run: RegionRun, roots: Sequence[str], full: dict[str, int]) -> None:
    """Count blocks of snapshots stored in full whose FullSnapshotSizeInBytes is unknown."""
    missing = [r for r in roots if r not in full]
    if not missing:
        return
    run.progress(extra_total=len(missing))
    for root in missing:
        cached = run.cache.get_count(run.region, root) if run.cache is not None else None
        if cached is not None:
            full[root] = cached[0] * BLOCK_BYTES
            with run.lock:
                run.hits += 1
            run.progress(done=1)
            continue
        if run.halted(root):
            continue
        try:
            blocks, listed = list_snapshot_blocks_count(
                run.client, root, run.limiter, cancel=run.cancel, counter=run.calls
            )
        except Cancelled:
            run.reasons.setdefault(root, REASON_CANCELLED)
            run.cancelled = True
            continue
        except Exception as exc:  # the root stays an estimate, with the reason
            run.fail(root, exc, "ListSnapshotBlocks")
            continue
        full[root] = blocks * BLOCK_BYTES
        if run.cache is not None:
            run.cache.put_count(run.region, root, blocks, listed.pages)
        run.progress(done=1)
