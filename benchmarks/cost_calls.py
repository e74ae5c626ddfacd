"""Benchmark the cost fetch: API calls against the minimum, wall time against the 50 req/s floor.

Run by hand (not part of the test suite):

    python benchmarks/cost_calls.py [--latency-ms 80] [--rate 48] [--limit 50]

1. Calls: the seeded demo world over HTTP, cold cache. The minimum is the number of pages the
   server needs for one diff per lineage edge at MaxResults 10,000 (computed from the block
   world, independently of the fetch), plus a ListSnapshotBlocks listing per root of unknown
   size. Every request that reaches the wire is counted (botocore before-send).
2. Second run: same cache; target 0 calls.
3. Wall time: the same pages replayed by an in-memory EBS client that sleeps --latency-ms per
   request (a round trip), with the real limiter (--rate) per region. The moto server is not
   used here because it shares this process's GIL and its CPU time would be measured instead of
   the fetch. Floor = max over regions of (calls - 1) / 50 (AWS's limit) + one round trip.

Prints each figure against its target with PASS/FAIL; it never fails the process.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snaptui.aws.cost_fetch import compute_costs
from snaptui.aws.diff_cache import DiffCache
from snaptui.aws.inventory import fetch_all
from snaptui.aws.rate_limit import EBS_DIRECT_LIMIT, EBS_DIRECT_RATE, LimiterRegistry
from snaptui.aws.session import AwsContext
from snaptui.cost.report import AccountCosts
from snaptui.demo import fidelity, fidelity_ebs
from snaptui.demo.start import start_seeded_demo

PAGE = 10_000


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _pages_for(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The pages the demo server answers for one listing (its own paging function)."""
    pages, start = [], 0
    while True:
        items, token = fidelity_ebs._page(entries, start, PAGE, key)
        page: dict[str, Any] = {"ChangedBlocks": items, "BlockSize": 524288, "VolumeSize": 8}
        if token:
            page["NextToken"] = token
            start = fidelity_ebs._decode_token(token, key) or 0
        pages.append(page)
        if not token:
            return pages


def _edge_pages(costs: AccountCosts) -> dict[tuple[str, str, str], list[Any]]:
    """Pages the server answers for every edge of the lineages the first run settled."""
    world = fidelity.world()
    out = {}
    for region, rc in costs.regions.items():
        for lin in rc.lineages:
            for parent, child in lin.edges():
                entries = []
                for index, first, second in fidelity_ebs._changed(world, parent, child):
                    e: dict[str, Any] = {"BlockIndex": index}
                    if first:
                        e["FirstBlockToken"] = first
                    if second:
                        e["SecondBlockToken"] = second
                    entries.append(e)
                out[(region, parent, child)] = _pages_for(entries, f"{parent}:{child}")
    return out


def _probed(rc: Any) -> set[str]:
    """Snapshots whose edge into the lineage was found by a probe (basis "unknown")."""
    return {s for lin in rc.lineages for s in lin.snapshot_ids if lin.basis.get(s) == "unknown"}


@dataclass
class _Replay:
    """An EBS client answering recorded pages after a simulated round trip."""

    region: str
    pages: dict[tuple[str, str, str], list[Any]]
    latency: float
    stamps: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def list_changed_blocks(self, **params: Any) -> dict[str, Any]:
        with self.lock:
            self.stamps.append(time.monotonic())
        time.sleep(self.latency)
        key = (self.region, params["FirstSnapshotId"], params["SecondSnapshotId"])
        if key not in self.pages:  # a probe that the first run answered UNRELATED_SNAPSHOTS
            from botocore.exceptions import ClientError

            error = {"Error": {"Code": "ValidationException"}, "Reason": "UNRELATED_SNAPSHOTS"}
            raise ClientError(error, "ListChangedBlocks")  # type: ignore[arg-type]
        pages = self.pages[key]
        token = params.get("NextToken")
        if not token:
            return pages[0]
        return next(p for i, p in enumerate(pages[1:]) if pages[i].get("NextToken") == token)


class _ReplayContext(AwsContext):
    def __init__(self, base: AwsContext, replays: dict[str, _Replay]) -> None:
        super().__init__(base.target)
        self._replays = replays

    def client(self, service: str, region: str | None = None) -> Any:
        if service == "ebs" and region in self._replays:
            return self._replays[region]
        return super().client(service, region)


@contextlib.contextmanager
def _counting(ctx: AwsContext, regions: list[str]) -> Iterator[dict[str, list[str]]]:
    sent: dict[str, list[str]] = {r: [] for r in regions}
    handlers = []
    for region in regions:
        events = ctx.client("ebs", region).meta.events

        def count(request: Any, _r: str = region, **_: Any) -> None:
            sent[_r].append(request.url)

        events.register("before-send.ebs", count)
        handlers.append((events, count))
    try:
        yield sent
    finally:
        for events, handler in handlers:
            events.unregister("before-send.ebs", handler)


def _max_per_second(stamps: list[float]) -> int:
    stamps, best, lo = sorted(stamps), 0, 0
    for hi, t in enumerate(stamps):
        while stamps[lo] <= t - 1.0:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=80.0)
    parser.add_argument("--rate", type=float, default=EBS_DIRECT_RATE, help="limiter pace")
    parser.add_argument("--limit", type=float, default=EBS_DIRECT_LIMIT, help="AWS's limit")
    args = parser.parse_args()

    print("starting the seeded demo world ...", flush=True)
    with contextlib.redirect_stdout(io.StringIO()):
        server = start_seeded_demo()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ctx = AwsContext(server.target(audit_path=Path(tmp) / "audit.jsonl"))
            regions = list(server.regions)
            inventories = fetch_all(ctx, regions)
            cache = DiffCache(Path(tmp) / "cache")

            # 1. calls against the minimum, over HTTP
            with _counting(ctx, regions) as sent:
                t0 = time.perf_counter()
                first = compute_costs(
                    ctx, inventories, cache=cache, limiters=LimiterRegistry(args.rate)
                )
                http_wall = time.perf_counter() - t0
            pages = _edge_pages(first)
            # A probe that finds a relative is the first page of that edge's diff; one that
            # does not is one call (UNRELATED_SNAPSHOTS): neither is in the edge pages.
            probes = sum(rc.probes for rc in first.regions.values())
            probe_pages = sum(
                len(pages[(r, p, c)]) for r, rc in first.regions.items()
                for lin in rc.lineages for p, c in lin.edges() if c in _probed(rc)
            )  # fmt: skip
            minimum = sum(len(p) for p in pages.values()) - probe_pages + probes
            edges = len(pages)
            calls = sum(len(s) for s in sent.values())
            sized = {s.id for inv in inventories for s in inv.snapshots if s.full_size_bytes}
            roots = sum(
                1 for r in first.regions.values() for lin in r.lineages if lin.root not in sized
            )
            print(f"edges: {edges}; roots of unknown size: {roots}")
            recovered = sum(rc.probed_lineages for rc in first.regions.values())
            per = f"{probes / recovered:.1f}" if recovered else "-"
            print(f"probes: {probes} calls, {recovered} snapshots joined to a lineage by probing "
                  f"({per} calls per recovered lineage)")  # fmt: skip
            print(f"calls, cold cache:    {calls:5d}  minimum {minimum + roots:5d}  "
                  f"{_verdict(calls == minimum + roots)}")  # fmt: skip
            for name, rc in first.regions.items():
                print(f"  {name:<15} calls {len(sent[name]):4d} (reported {rc.api_calls:4d})  "
                      f"edges {rc.edges_total:4d}")  # fmt: skip
            print(f"  wall over HTTP (moto in this process, informational): {http_wall:.2f} s")

            # 2. second run
            with _counting(ctx, regions) as sent:
                second = compute_costs(
                    ctx, inventories, cache=cache, limiters=LimiterRegistry(args.rate)
                )
            again = sum(len(s) for s in sent.values())
            reprobes = sum(rc.probes for rc in second.regions.values())
            print(f"calls, second run:    {again:5d}  target 0       {_verdict(again == 0)}")
            print(f"probes, second run:   {reprobes:5d}  target 0       {_verdict(reprobes == 0)}")

            # 3. wall time against the floor, replayed with injected latency
            latency = args.latency_ms / 1000
            replays = {r: _Replay(r, pages, latency) for r in regions}
            rctx = _ReplayContext(ctx, replays)
            t0 = time.perf_counter()
            compute_costs(rctx, inventories, cache=None, limiters=LimiterRegistry(args.rate))
            wall = time.perf_counter() - t0
            # The floor is at AWS's limit itself; snaptui paces a little below it (rate_limit.py).
            floor = max((len(rp.stamps) - 1) / args.limit + latency for rp in replays.values())
            worst = max(_max_per_second(rp.stamps) for rp in replays.values())
            ratio = wall / floor
            print(f"wall, {args.latency_ms:.0f} ms round trips: {wall:6.2f} s  floor {floor:.2f} s")
            print(f"  ratio {ratio:.2f} (target <= 1.2)  {_verdict(ratio <= 1.2)}")
            for name, rp in replays.items():
                print(f"  {name:<15} requests {len(rp.stamps):4d}  "
                      f"max in any 1 s: {_max_per_second(rp.stamps)}")  # fmt: skip
            print(f"max requests in any 1 s window: {worst} (limit {args.limit:.0f})  "
                  f"{_verdict(worst <= args.limit)}")  # fmt: skip
    finally:
        server.stop()


if __name__ == "__main__":
    main()
