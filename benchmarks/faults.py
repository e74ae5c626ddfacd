"""Every flow through a world as unkind as AWS: figures, duplicates, false failures, leaks.

Run by hand (not part of the test suite):

    python benchmarks/faults.py [--rates 0,0.05,0.2,0.5] [--snapshots 5] [--latency-ms 20]

One seeded demo world in this process. Per fault rate (all kinds: throttling, 500, 503,
resets, 0.5 s stalls and answers lost after the work was done; plus a 2 s NotFound window after
every create and the latency given), it runs, through snaptui's own entry points:

- `snaptui cost --json` (fresh cache) and compares every figure with the fault-free run;
- `snaptui snapshot --volume V` N times and counts the snapshots that exist (duplicates);
- `snaptui prune --keep 2` and counts deletions reported failed for snapshots that are gone;
- restore + clean-up, create volume, launch (AMI not kept) and copy, and counts what exists
  afterwards beyond what the flow should leave (leaks).

What exists is read by a referee client that the faults never touch (as the AWS CLI would see
it afterwards). Prints one row per rate; it never fails the process.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from snaptui.aws import copy, launch, restore, volumes
from snaptui.aws.session import AwsContext
from snaptui.aws.waiting import WaitOptions
from snaptui.cli import main as cli_main
from snaptui.core.validate import VolumeSpec
from snaptui.demo.server import DemoServer
from snaptui.demo.start import start_seeded_demo
from snaptui.demo.unkind import Unkindness

PATIENT = WaitOptions(delay=0.3, timeout=120.0)
SCRATCH = "us-west-2"  # never seeded


@dataclass
class Row:
    rate: float
    exit_codes: list[int] = field(default_factory=list)
    figures_equal: bool | None = None
    duplicates: int = 0
    wrong_failures: int = 0
    leaks: int = 0
    flow_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def referee(server: DemoServer, region: str) -> Any:
    return server.referee_client("ec2", region)


def run_cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli_main(list(argv))
    return code, out.getvalue()


def cost_figures(server: DemoServer, cache: Path) -> tuple[int, dict[str, Any]]:
    os.environ["XDG_CACHE_HOME"] = str(cache)
    code, out = run_cli("cost", "--json", "--endpoint-url", server.endpoint_url,
                        *[a for r in server.regions for a in ("--region", r)])  # fmt: skip
    try:
        doc = json.loads(out)
    except ValueError:
        return code, {}
    snaps = {s["snapshot_id"]: {k: v for k, v in s.items() if not k.endswith("_at")}
             for s in doc.get("snapshots", [])}  # fmt: skip
    return code, {"snapshots": snaps, "totals": doc.get("totals")}


def snapshot_runs(server: DemoServer, row: Row, n: int) -> str:
    ec2 = referee(server, SCRATCH)
    volume = ec2.create_volume(AvailabilityZone=f"{SCRATCH}a", Size=8)["VolumeId"]
    for _ in range(n):
        code, _ = run_cli("snapshot", "--endpoint-url", server.endpoint_url,
                          "--region", SCRATCH, "--volume", volume)  # fmt: skip
        row.exit_codes.append(code)
    made = ec2.describe_snapshots(
        OwnerIds=["self"], Filters=[{"Name": "volume-id", "Values": [volume]}]
    )["Snapshots"]
    row.duplicates += max(0, len(made) - n)
    return str(volume)


def prune_run(server: DemoServer, row: Row, volume: str) -> None:
    code, out = run_cli("prune", "--endpoint-url", server.endpoint_url, "--region", SCRATCH,
                        "--volume", volume, "--keep", "2", "--json")  # fmt: skip
    row.exit_codes.append(code)
    ec2 = referee(server, SCRATCH)
    alive = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    try:
        rows = json.loads(out).get("snapshots", [])
    except ValueError:
        rows = []
    row.wrong_failures += sum(
        1 for r in rows if r.get("action") == "delete-failed" and r["snapshot_id"] not in alive
    )


def _census(ec2: Any) -> tuple[set[str], set[str], set[str], set[str]]:
    vols = {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]}
    res = ec2.describe_instances()["Reservations"]
    insts = {i["InstanceId"] for r in res for i in r["Instances"]}
    imgs = {i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]}
    snaps = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    return vols, insts, imgs, snaps


def flows(server: DemoServer, ctx: AwsContext, row: Row) -> None:
    ec2 = referee(server, SCRATCH)
    az = f"{SCRATCH}a"
    image = ec2.register_image(Name="base", RootDeviceName="/dev/xvda")["ImageId"]
    placement = {"AvailabilityZone": az}
    out = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, Placement=placement)
    inst = out["Instances"][0]["InstanceId"]
    vol = ec2.create_volume(AvailabilityZone=az, Size=4)["VolumeId"]
    snap = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    time.sleep(2.1)  # the referee's own creates age past the NotFound window
    before = _census(ec2)
    # What each flow should leave: (volumes, instances, images, snapshots).
    steps: list[tuple[str, Callable[[], None], tuple[int, int, int, int]]] = [
        ("restore", lambda: _restore_and_clean(ctx, snap, inst), (0, 0, 0, 0)),
        ("volume", lambda: _volume(ctx, snap, az), (1, 0, 0, 0)),
        ("launch", lambda: _launch(ctx, snap), (1, 1, 0, 0)),  # with its root volume
        ("copy", lambda: _copy(ctx, snap), (0, 0, 0, 1)),
    ]
    expected = [0, 0, 0, 0]
    for name, step, leaves in steps:
        try:
            step()
            expected = [e + n for e, n in zip(expected, leaves, strict=True)]
        except Exception as exc:  # a flow that fails is reported, and what it left counted
            row.flow_errors.append(f"{name}: {str(exc)[:80]}")
    after = _census(ec2)
    new = [len(a - b) for a, b in zip(after, before, strict=True)]
    row.leaks += sum(max(0, n - e) for n, e in zip(new, expected, strict=True))


def _restore_and_clean(ctx: AwsContext, snap: str, inst: str) -> None:
    made = restore.restore_to_instance(ctx, restore.RestoreRequest(snap, SCRATCH, inst), PATIENT)
    restore.cleanup_restore(ctx, SCRATCH, made.volume_id, PATIENT)


def _volume(ctx: AwsContext, snap: str, az: str) -> None:
    volumes.create_volume(ctx, SCRATCH, snap, VolumeSpec(az=az), wait=PATIENT)


def _launch(ctx: AwsContext, snap: str) -> None:
    req = replace(launch.launch_defaults(ctx, SCRATCH, snap), keep_image=False)
    launch.launch_from_snapshot(ctx, req, PATIENT)


def _copy(ctx: AwsContext, snap: str) -> None:
    copy.copy_snapshot(ctx, copy.CopyRequest(snap, SCRATCH, SCRATCH), PATIENT)


def one_rate(server: DemoServer, rate: float, args: argparse.Namespace,
             truth: dict[str, Any] | None) -> tuple[Row, dict[str, Any]]:  # fmt: skip
    from moto.ec2.models import ec2_backends

    ec2_backends["123456789012"][SCRATCH].reset()
    row = Row(rate)
    started = time.monotonic()
    conf = Unkindness(latency_ms=args.latency_ms, fault_rate=rate, stall_s=0.5,
                      consistency_delay_s=2.0, seed=int(rate * 1000))  # fmt: skip
    with server.unkindly(conf):
        with tempfile.TemporaryDirectory() as cache:
            code, figures = cost_figures(server, Path(cache))
        row.exit_codes.append(code)
        row.figures_equal = None if truth is None else figures == truth
        volume = snapshot_runs(server, row, args.snapshots)
        prune_run(server, row, volume)
        flows(server, AwsContext(server.target()), row)
    row.seconds = time.monotonic() - started
    return row, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", default="0,0.05,0.2,0.5")
    parser.add_argument("--snapshots", type=int, default=5)
    parser.add_argument("--latency-ms", type=int, default=20)
    args = parser.parse_args()
    os.environ.update(AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo",
                      AWS_EC2_METADATA_DISABLED="true")  # fmt: skip
    os.environ.pop("AWS_PROFILE", None)
    state = tempfile.mkdtemp(prefix="snaptui-faults-")
    os.environ.update(SNAPTUI_AUDIT_LOG=f"{state}/audit.jsonl", XDG_STATE_HOME=state)
    server = start_seeded_demo()
    truth: dict[str, Any] | None = None
    print("rate  exit codes          figures (snapshots)  dups  wrong-failed  leaks  seconds  "
          "flow errors")  # fmt: skip
    try:
        for rate in (float(r) for r in args.rates.split(",")):
            row, figures = one_rate(server, rate, args, truth)
            truth = figures if truth is None else truth
            codes = ",".join(str(c) for c in row.exit_codes)
            n = len(figures.get("snapshots", {}))
            same = "-" if row.figures_equal is None else ("equal" if row.figures_equal else "DIFF")
            same = f"{same} ({n})"
            errors = "; ".join(row.flow_errors) or "-"
            print(f"{rate:<5} {codes:<19} {same:<20} {row.duplicates:<5} {row.wrong_failures:<13} "
                  f"{row.leaks:<6} {row.seconds:<8.1f} {errors}")  # fmt: skip
    finally:
        server.stop()


if __name__ == "__main__":
    main()
