"""The whole app at 100k snapshots: first rows, all rows, memory, keystrokes and quitting.

    python benchmarks/app_100k.py [--snapshots 100000] [--latency-ms 80] [--no-cli]

Against a plain-moto world (benchmarks/world_100k.py: N snapshots over 4 regions, in its own
process, behind a loopback proxy adding the latency to every round trip), it measures:

- the AWS-CLI loop a user would otherwise run (describe-snapshots/volumes/instances per region,
  one after another; the real ``aws`` CLI when installed, else boto3 doing the same);
- the pagination floor (max over regions of DescribeSnapshots pages x round trip) and the CPU
  time to parse every page, botocore's parser and snaptui's, divided over 2 cores;
- the real app (SnapApp through Textual's Pilot at 120x36, cost engine off): time to first
  snapshot rows and to all N rows, cold (empty cache) and again from the on-disk cache; RSS
  after load and after 50 filter keystrokes; keystroke median and worst (key + repaint);
  quit time.

Prints each figure beside its target; it never fails. On a shared 2-core machine the figures
are noisy: run it more than once and read the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
for key, value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}.items():
    os.environ[key] = value
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_SESSION_TOKEN", None)

SIZE = (120, 36)
PAGE = 1000
POLL_S = 0.01
# 50 keystrokes: type, narrow, erase, as a person looking for something does.
KEYS = [*"web-prod", *["backspace"] * 8, *"snap-0", *["backspace"] * 6, *"daily backup of db"]
KEYS += ["backspace"] * (50 - len(KEYS))


@dataclass
class World:
    proc: subprocess.Popen[str]
    endpoint: str
    direct: str
    regions: list[str]
    seed_s: float

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(20)


def start_world(n: int, latency_ms: float) -> World:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "world_100k.py"), "--snapshots", str(n)]
        + ["--latency-ms", str(latency_ms)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(HERE.parent)},
    )
    assert proc.stdout is not None
    info = json.loads(proc.stdout.readline())
    return World(proc, info["endpoint"], info["direct"], info["regions"], info["seed_s"])


def rss_mb() -> float:
    """Current resident set size (not the peak), from /proc."""
    with Path("/proc/self/statm").open() as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


# --- outside the app: the CLI loop, the floor, parse cost -------------------------------------


def cli_loop(world: World) -> tuple[float, str]:
    """What `for r in ...; do aws ec2 describe-snapshots ...; done` costs, one call at a time."""
    calls = [
        ["describe-snapshots", "--owner-ids", "self"],
        ["describe-volumes"],
        ["describe-instances"],
    ]
    aws = shutil.which("aws")
    started = time.perf_counter()
    if aws:
        for region in world.regions:
            for call in calls:
                cmd = [aws, "ec2", *call, "--region", region, "--endpoint-url", world.endpoint]
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=os.environ.copy())
        return time.perf_counter() - started, "aws CLI"
    import boto3

    for region in world.regions:
        ec2 = boto3.client("ec2", region_name=region, endpoint_url=world.endpoint)
        for op, params in (
            ("describe_snapshots", {"OwnerIds": ["self"]}),
            ("describe_volumes", {}),
            ("describe_instances", {}),
        ):
            for page in ec2.get_paginator(op).paginate(**params):
                json.dumps(page, default=str)
    return time.perf_counter() - started, "boto3 loop (no aws CLI installed)"


def _raw_page(world: World, region: str, token: str | None) -> bytes:
    body = f"Action=DescribeSnapshots&Version=2016-11-15&Owner.1=self&MaxResults={PAGE}"
    if token:
        body += f"&NextToken={token}"
    auth = f"AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/ec2/aws4_request, x=y"
    req = urllib.request.Request(
        world.direct,
        data=body.encode(),
        headers={"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(req, timeout=60) as response:
        data: bytes = response.read()
    return data


def parse_cost(world: World) -> tuple[int, float, float]:
    """(pages in the busiest region, botocore parse s, snaptui parse s) for every page."""
    import xml.etree.ElementTree as ET

    import boto3
    from botocore import parsers

    from snaptui.aws import fast_xml

    model = boto3.client("ec2", region_name="us-east-1").meta.service_model
    shape = model.operation_model("DescribeSnapshots").output_shape
    pages_per_region: list[int] = []
    bodies: list[bytes] = []
    for region in world.regions:
        token: str | None = None
        count = 0
        while True:
            body = _raw_page(world, region, token)
            bodies.append(body)
            count += 1
            node = ET.fromstring(body).find("{*}nextToken")
            token = node.text if node is not None else None
            if not token:
                break
        pages_per_region.append(count)
    sample = bodies[:: max(1, len(bodies) // 5)]  # botocore is slow: time a sample
    started = time.process_time()
    for body in sample:
        parsers.create_parser("ec2").parse({"body": body, "headers": {}, "status_code": 200}, shape)
    botocore_s = (time.process_time() - started) * len(bodies) / len(sample)
    started = time.process_time()
    for body in bodies:
        fast_xml.parse_body(body, shape)
    ours_s = time.process_time() - started
    return max(pages_per_region), botocore_s, ours_s


# --- the app ----------------------------------------------------------------------------------


@dataclass
class AppRun:
    first_rows_s: float = math.nan
    all_rows_s: float = math.nan
    rss_loaded: float = math.nan
    rss_filtered: float = math.nan
    keys_ms: list[float] | None = None
    quit_s: float = math.nan


def make_app(world: World, cache_dir: Path, *, use_cache: bool) -> Any:
    from snaptui.aws.session import AwsContext, AwsTarget
    from snaptui.ui.app import SnapApp

    target = AwsTarget(
        endpoint_url=world.endpoint,
        regions=tuple(world.regions),
        access_key_id="testing",
        secret_access_key="testing",
        cache_root=cache_dir,
        audit_path=cache_dir / "audit.log",
    )
    kwargs: dict[str, Any] = {"costs_enabled": False}
    if "use_cache" in SnapApp.__init__.__code__.co_varnames:
        kwargs["use_cache"] = use_cache
    return SnapApp(AwsContext(target), endpoint_label="bench", **kwargs)


async def _until(pred: Any, pilot: Any, timeout: float) -> float:
    started = time.perf_counter()
    while not pred():
        if time.perf_counter() - started > timeout:
            return math.nan
        await asyncio.sleep(POLL_S)
    return time.perf_counter() - started


async def run_app(world: World, n: int, cache_dir: Path, *, keys: bool) -> AppRun:
    out = AppRun()
    started = time.perf_counter()
    app = make_app(world, cache_dir, use_cache=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.pane("snapshots")
        await _until(lambda: pane.source_count > 0, pilot, 600)
        out.first_rows_s = time.perf_counter() - started
        await _until(lambda: pane.source_count >= n and not app.loading_regions, pilot, 900)
        out.all_rows_s = time.perf_counter() - started
        await pilot.pause()
        gc.collect()
        out.rss_loaded = rss_mb()
        if keys:
            await pilot.pause(1.0)  # haystacks are built in the background after the paint
            await pilot.press("slash")
            out.keys_ms = []
            for key in KEYS:
                t0 = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                out.keys_ms.append((time.perf_counter() - t0) * 1000)
            await pilot.press("escape")
            await pilot.pause()
            gc.collect()
            out.rss_filtered = rss_mb()
        quit_started = time.perf_counter()
        await pilot.press("q")
    out.quit_s = time.perf_counter() - quit_started
    return out


# --- report -----------------------------------------------------------------------------------


def line(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("PASS" if ok else "FAIL")
    print(f"  {label:<46} {value:>14}  {target:<26} {verdict}")


def report(args: argparse.Namespace, world: World, figures: dict[str, Any]) -> None:
    n = args.snapshots
    cold: AppRun = figures["cold"]
    warm: AppRun = figures["warm"]
    floor = figures["pages"] * args.latency_ms / 1000
    parse_2 = figures["ours_parse"] / 2
    bound = 2 * max(floor, parse_2)
    print(f"\n{n:,} snapshots in {len(world.regions)} regions, {args.latency_ms:.0f} ms RTT")
    print(f"(world seeded in {world.seed_s:.1f} s; load average {os.getloadavg()[0]:.1f})\n")
    line("pagination floor (pages x RTT)", f"{floor:.2f} s", f"{figures['pages']} pages")
    line("parse CPU, botocore, / 2 cores", f"{figures['botocore_parse'] / 2:.2f} s")
    line("parse CPU, snaptui, / 2 cores", f"{parse_2:.2f} s")
    cli_s, cli_how = figures["cli"]
    line(f"CLI loop ({cli_how})", f"{cli_s:.2f} s" if cli_s == cli_s else "skipped")
    line("first rows, cold", f"{cold.first_rows_s:.2f} s", "<= 3 s", cold.first_rows_s <= 3)
    line("first rows, from cache", f"{warm.first_rows_s:.2f} s", "<= 1 s", warm.first_rows_s <= 1)
    line(
        "all rows, cold",
        f"{cold.all_rows_s:.2f} s",
        f"<= {bound:.2f} s (2x max)",
        cold.all_rows_s <= bound,
    )
    if cli_s == cli_s:
        speedup = cli_s / cold.all_rows_s
        line("  vs CLI loop", f"{speedup:.1f}x faster", ">= 5x", speedup >= 5)
    line("RSS after load", f"{cold.rss_loaded:.0f} MB", "<= 250 MB", cold.rss_loaded <= 250)
    grew = cold.rss_filtered - cold.rss_loaded
    line(
        "RSS after 50 filter keystrokes",
        f"{cold.rss_filtered:.0f} MB",
        "<= 250 MB, stable",
        cold.rss_filtered <= 250 and grew < 10,
    )
    keys = cold.keys_ms or [math.nan]
    med, worst = statistics.median(keys), max(keys)
    line("keystroke median (key + repaint)", f"{med:.0f} ms", "<= 50 ms", med <= 50)
    line("keystroke worst", f"{worst:.0f} ms", "<= 150 ms", worst <= 150)
    line("quit", f"{cold.quit_s:.2f} s", "<= 0.5 s", cold.quit_s <= 0.5)
    line("quit (second run)", f"{warm.quit_s:.2f} s", "<= 0.5 s", warm.quit_s <= 0.5)


async def measure(args: argparse.Namespace, world: World) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    pages, botocore_s, ours_s = parse_cost(world)
    figures.update(pages=pages, botocore_parse=botocore_s, ours_parse=ours_s)
    figures["cli"] = (math.nan, "") if args.no_cli else cli_loop(world)
    with tempfile.TemporaryDirectory(prefix="snaptui-bench-") as tmp:
        os.environ["XDG_CACHE_HOME"] = tmp
        cache = Path(tmp) / "snaptui"
        figures["cold"] = await run_app(world, args.snapshots, cache, keys=True)
        figures["warm"] = await run_app(world, args.snapshots, cache, keys=False)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=100_000)
    parser.add_argument("--latency-ms", type=float, default=80.0)
    parser.add_argument("--no-cli", action="store_true", help="skip the AWS-CLI loop")
    args = parser.parse_args()
    world = start_world(args.snapshots, args.latency_ms)
    try:
        figures = asyncio.run(measure(args, world))
    finally:
        world.stop()
    report(args, world, figures)


if __name__ == "__main__":
    main()
