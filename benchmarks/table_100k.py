"""Benchmark the snapshot pane at 100k rows: first paint, filter keystrokes, memory.

Run by hand (not part of the test suite):

    python benchmarks/table_100k.py [--rows N] [--compare]

Prints each figure against its target with PASS/FAIL; it never fails the process.
Timings go through Textual's headless ``App.run_test()`` Pilot at 120x36, so each one
includes ``await pilot.pause()``: the time for Textual to process the refresh and paint.
That pause has a floor of about 20 ms (Textual's idle detection sleeps 1/50 s), shown
as "pilot pause floor" so you can tell the table's cost from the harness's.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable

from snaptui.models import Snapshot
from snaptui.ui.panes import SnapshotsPane

SIZE = (120, 36)
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

# Targets
READ_PAUSE_S = 1.5
FIRST_PAINT_S = 0.5
KEYSTROKE_S = 0.050
RSS_MB = 250.0

# An incremental prefix (each extends the last, so the filter narrows its previous result),
# then selective queries (a description fragment, a policy id), then clearing the filter.
FILTER_PREFIX = ["s", "sn", "sna", "snap", "snap-0"]
FILTER_SELECTIVE = ["upgrade to 22", "policy-0"]

REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "ap-northeast-1",
]
PREFIXES = ["web", "db", "api", "worker", "cache", "ci-runner", "bastion", "etl", "kafka"]
ENVS = ["prod", "staging", "dev"]


# --- data ------------------------------------------------------------------------------------


def _hex(rng: random.Random, n: int) -> str:
    return f"{rng.getrandbits(4 * n):0{n}x}"


@dataclass(frozen=True, slots=True)
class _Vol:
    id: str
    region: str
    size: int
    name: str
    encrypted: bool


def make_snapshots(n: int, seed: int = 1) -> list[Snapshot]:
    """n realistic snapshots over ~300 volumes in several regions, deterministically."""
    rng = random.Random(seed)
    vols = [
        _Vol(
            id="vol-" + _hex(rng, 17),
            region=rng.choice(REGIONS),
            size=rng.choice([8, 20, 30, 50, 100, 200, 500, 1000, 2000]),
            name=f"{rng.choice(PREFIXES)}-{rng.choice(ENVS)}-{rng.randrange(1, 40):02d}",
            encrypted=rng.random() < 0.7,
        )
        for _ in range(300)
    ]
    policies = ["policy-0" + _hex(rng, 16) for _ in range(12)]
    plans = [_hex(rng, 8) + "-" + _hex(rng, 4) + "-" + _hex(rng, 12) for _ in range(8)]
    manual = [
        "before upgrade to 22.04",
        "before upgrade to 24.04",
        "pre-migration copy",
        "manual backup before schema change",
        "",
    ]
    out: list[Snapshot] = []
    for _ in range(n):
        v = rng.choice(vols)
        kind = rng.random()
        tags = {"Name": v.name}
        if kind < 0.55:
            desc = f"Created by DLM policy {rng.choice(policies)}"
            tags["dlm:managed"] = "true"
        elif kind < 0.9:
            desc = f"This snapshot is created by the AWS Backup service. Job {_hex(rng, 8).upper()}"
            tags["aws:backup:source-resource"] = v.id
            tags["backup-plan"] = rng.choice(plans)
        else:
            desc = rng.choice(manual)
            if rng.random() < 0.5:
                tags = {}
        state = "completed" if rng.random() < 0.995 else "pending"
        used = rng.randrange(1, v.size + 1) * 1024**3
        out.append(
            Snapshot(
                id="snap-" + _hex(rng, 17),
                region=v.region,
                volume_id=v.id,
                volume_size_gib=v.size,
                state=state,
                start_time=NOW - timedelta(seconds=rng.randrange(0, 3 * 365 * 86400)),
                owner_id="123456789012",
                progress="100%" if state == "completed" else f"{rng.randrange(0, 100)}%",
                description=desc,
                encrypted=v.encrypted,
                storage_tier="archive" if rng.random() < 0.03 else "standard",
                full_size_bytes=used if state == "completed" else None,
                tags=tags,
            )
        )
    return out


# --- harness ---------------------------------------------------------------------------------


def rss_mb() -> float:
    """Peak resident set size of this process (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@contextmanager
def stopwatch(out: list[float]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    out.append(time.perf_counter() - start)


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield SnapshotsPane(clock=lambda: NOW)


class DataTableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


async def pause_floor(pilot: Pilot[None], times: int = 5) -> float:
    """What `await pilot.pause()` costs with nothing to do."""
    spent: list[float] = []
    for _ in range(times):
        with stopwatch(spent):
            await pilot.pause()
    return statistics.median(spent)


@dataclass
class Result:
    label: str
    value: str
    target: str
    ok: bool | None  # None: informational


def ms(s: float) -> str:
    return f"{s * 1000:.1f} ms"


async def bench_pane(rows: list[Snapshot]) -> tuple[list[Result], list[tuple[str, float, float]]]:
    results: list[Result] = []
    per_key: list[tuple[str, float, float]] = []  # query, set_filter only, with pause
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(SnapshotsPane)
        pane.focus()
        await pilot.pause()
        floor = await pause_floor(pilot)

        gc.collect()
        t: list[float] = []
        with stopwatch(t):
            pane.set_rows(rows)
        with stopwatch(t):
            await pilot.pause()
        rss_loaded = rss_mb()
        shown = pane.filtered_count == len(rows) and pane.rows[0].id in pane.render_line(1).text
        total = sum(t)
        results.append(Result("pilot pause floor", ms(floor), "-", None))
        results.append(Result("all rows loaded, first row on line 1", str(shown), "True", shown))
        results.append(
            Result(
                f"first paint, set_rows({len(rows):,}) + pause",
                f"{total:.3f} s (set_rows {ms(t[0])})",
                f"<= {FIRST_PAINT_S} s",
                total <= FIRST_PAINT_S,
            )
        )

        # A person reads the screen before typing; the table builds its haystacks meanwhile.
        await asyncio.sleep(READ_PAUSE_S)
        await pilot.pause()

        async def key(q: str) -> None:
            a: list[float] = []
            with stopwatch(a):
                pane.set_filter(q)
            with stopwatch(a):
                await pilot.pause()
            per_key.append((q, a[0], sum(a)))

        for q in [*FILTER_PREFIX, *FILTER_SELECTIVE, ""]:
            await key(q)
        # Again, with every row's haystack cached (the steady state after the first keystroke).
        for q in [*FILTER_PREFIX, *FILTER_SELECTIVE, ""]:
            await key(q)

        cold = per_key[0][2]
        warm = [w for _, _, w in per_key[1:]]
        med, worst = statistics.median(warm), max(warm)
        # What a person waits for: filtering plus the repaint. The harness's idle wait (the
        # pause floor, Textual sleeping 1/50 s to detect idleness) is not part of it.
        felt = [max(0.0, w - floor) for w in warm]
        felt_med, felt_worst = statistics.median(felt), max(felt)
        results.append(
            Result(
                f"filter keystroke, first ({READ_PAUSE_S} s after paint), incl. pause",
                ms(cold),
                "-",
                None,
            )
        )
        results.append(
            Result(
                "filter keystroke incl. pause: median / max", f"{ms(med)} / {ms(worst)}", "-", None
            )
        )
        results.append(
            Result(
                "keystroke = filter + repaint (minus floor): median / max",
                f"{ms(felt_med)} / {ms(felt_worst)}",
                f"<= {ms(KEYSTROKE_S)}",
                felt_med <= KEYSTROKE_S,
            )
        )
        results.append(
            Result(
                f"peak RSS after loading {len(rows):,} rows",
                f"{rss_loaded:.0f} MB",
                f"<= {RSS_MB:.0f} MB",
                rss_loaded <= RSS_MB,
            )
        )
        results.append(Result("peak RSS after filtering", f"{rss_mb():.0f} MB", "-", None))
    return results, per_key


async def bench_datatable(rows: list[Snapshot], n: int) -> list[Result]:
    """Textual's own DataTable with the same visible columns, for scale."""
    subset = rows[:n]
    cells: list[tuple[str, ...]] = [
        (s.id, s.start_time.date().isoformat(), f"{s.volume_size_gib}G", s.region, s.description)
        for s in subset
    ]
    app = DataTableApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("Snapshot", "Date", "Vol", "Region", "Description")
        await pilot.pause()
        t: list[float] = []
        with stopwatch(t):
            table.add_rows(cells)
        with stopwatch(t):
            await pilot.pause()
    return [
        Result(
            f"DataTable: add_rows({n:,}) + pause",
            f"{sum(t):.3f} s (add_rows {ms(t[0])})",
            "(comparison)",
            None,
        )
    ]


def print_table(results: list[Result]) -> None:
    w0 = max(len(r.label) for r in results)
    w1 = max(len(r.value) for r in results)
    w2 = max(len(r.target) for r in results)
    for r in results:
        verdict = "" if r.ok is None else ("PASS" if r.ok else "FAIL")
        print(f"  {r.label:<{w0}}  {r.value:>{w1}}  {r.target:<{w2}}  {verdict}")


async def main_async(args: argparse.Namespace) -> None:
    rss0 = rss_mb()
    t0 = time.perf_counter()
    rows = make_snapshots(args.rows)
    built = time.perf_counter() - t0
    print(
        f"snaptui VirtualTable benchmark: {args.rows:,} snapshots "
        f"(built in {built:.2f} s), terminal {SIZE[0]}x{SIZE[1]}, Python {sys.version.split()[0]}"
    )
    print(f"  peak RSS before building rows: {rss0:.0f} MB, after: {rss_mb():.0f} MB\n")

    results, per_key = await bench_pane(rows)
    print("Per keystroke (set_filter alone / with pause):")
    for q, alone, total in per_key:
        print(f"  {q!r:<18} {ms(alone):>10} / {ms(total):>10}")
    print()

    if args.compare:
        results += await bench_datatable(rows, args.compare_rows)
    print("Results:")
    print_table(results)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="snapshots to load")
    parser.add_argument(
        "--compare", action="store_true", help="also time Textual's DataTable for scale"
    )
    parser.add_argument("--compare-rows", type=int, default=10_000, help="DataTable rows")
    args = parser.parse_args(argv)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
