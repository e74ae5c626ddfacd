"""Files straight from a snapshot's blocks, against the volume-attach restore, 80 ms away.

Run by hand (not part of the test suite):

    python benchmarks/files.py [--latency-ms 80]

The seeded demo world in this process, every answer `--latency-ms` late (demo/unkind.py).
For web-1's newest root snapshot (GPT + ext4, 8 GiB) and each case below, a cold block cache,
through `snaptui files get` as a user runs it, it prints: the blocks read (GetSnapshotBlock)
against the blocks the snapshot holds (ListSnapshotBlocks), the EBS API calls, bytes saved
and bytes/s, wall time. Then the volume-attach restore of the same snapshot (create volume in
the instance's AZ, wait, attach, wait): its API calls and wall time in the same world. On AWS
that path also waits for the volume to be created and attached (typically tens of seconds)
and lazily loads blocks on first read; the demo world makes both instant, so its figure is a
floor.

The demo disks hold small files: there is no 50 MiB file or 1,000-file directory yet, so the
cases are one small file and the two biggest directories the image has.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from snaptui.aws import restore
from snaptui.aws.session import AwsContext
from snaptui.aws.waiting import WaitOptions
from snaptui.cli import main as cli_main
from snaptui.demo.server import DemoServer
from snaptui.demo.start import start_seeded_demo
from snaptui.demo.unkind import Unkindness

CASES = [
    ("one small file", "/etc/nginx/nginx.conf"),
    ("directory /etc", "/etc"),
    ("directory /var/log", "/var/log"),
]


def newest_web1_root(server: DemoServer) -> tuple[str, str]:
    ec2 = server.referee_client("ec2", "us-east-1")
    snaps = ec2.describe_snapshots(
        OwnerIds=["self"], Filters=[{"Name": "tag:Name", "Values": ["web-1-root-daily"]}]
    )["Snapshots"]
    newest = max(snaps, key=lambda s: s["StartTime"])
    return str(newest["SnapshotId"]), str(newest["VolumeId"])


def stored_blocks(server: DemoServer, snapshot_id: str) -> int:
    ebs = server.referee_client("ebs", "us-east-1")
    count, token = 0, None
    while True:
        kw: dict[str, Any] = {"SnapshotId": snapshot_id, "MaxResults": 10000}
        if token:
            kw["NextToken"] = token
        page = ebs.list_snapshot_blocks(**kw)
        count += len(page.get("Blocks", []))
        token = page.get("NextToken")
        if not token:
            return count


def saved_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def one_case(server: DemoServer, conf: Unkindness, snapshot_id: str, path: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as dest:
        os.environ["XDG_CACHE_HOME"] = cache
        argv = ["files", "get", snapshot_id, path, "--region", "us-east-1",
                "--endpoint-url", server.endpoint_url]  # fmt: skip
        server.be_unkind(conf)  # also zeroes the request counts
        started = time.monotonic()
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = cli_main([*argv, "--to", dest])
        wall = time.monotonic() - started
        seen = dict(server.unkind.requests)
        size = saved_bytes(Path(dest))
    ebs = {k: v for k, v in seen.items() if k.startswith("ebs:")}
    return {
        "exit": code,
        "blocks_read": ebs.get("ebs:GetSnapshotBlock", 0),
        "ebs_calls": sum(ebs.values()),
        "all_calls": sum(seen.values()),
        "bytes": size,
        "seconds": wall,
        "said": out.getvalue().strip().splitlines()[-1:] if code else [],
    }


def volume_restore(server: DemoServer, conf: Unkindness, snapshot_id: str) -> tuple[int, float]:
    ec2 = server.referee_client("ec2", "us-east-1")
    reservations = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["web-1"]}])[
        "Reservations"
    ]
    instance = reservations[0]["Instances"][0]["InstanceId"]
    ctx = AwsContext(server.target())
    with server.unkindly(conf) as layer:
        started = time.monotonic()
        made = restore.restore_to_instance(
            ctx,
            restore.RestoreRequest(snapshot_id, "us-east-1", instance),
            WaitOptions(delay=0.25, timeout=120.0),
        )
        wall = time.monotonic() - started
        calls = sum(layer.requests.values())
    restore.cleanup_restore(ctx, "us-east-1", made.volume_id, WaitOptions(delay=0.1))
    return calls, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency-ms", type=int, default=80)
    args = parser.parse_args()
    os.environ.update(AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo",
                      AWS_EC2_METADATA_DISABLED="true")  # fmt: skip
    os.environ.pop("AWS_PROFILE", None)
    conf = Unkindness(latency_ms=args.latency_ms)
    server = start_seeded_demo()
    try:
        snapshot_id, _ = newest_web1_root(server)
        stored = stored_blocks(server, snapshot_id)
        print(f"{snapshot_id} (web-1 root, 8 GiB): {stored} blocks of 512 KiB stored; "
              f"every answer {args.latency_ms} ms late")  # fmt: skip
        print("case                  exit  blocks read / stored  EBS calls  all calls  "
              "bytes      bytes/s     seconds")  # fmt: skip
        for name, path in CASES:
            r = one_case(server, conf, snapshot_id, path)
            rate = r["bytes"] / r["seconds"] if r["seconds"] else 0.0
            print(f"{name:<21} {r['exit']:<5} {r['blocks_read']:>5} / {stored:<13} "
                  f"{r['ebs_calls']:<10} {r['all_calls']:<10} {r['bytes']:<10} "
                  f"{rate:<11,.0f} {r['seconds']:.1f} {' '.join(r['said'])}")  # fmt: skip
        calls, wall = volume_restore(server, conf, snapshot_id)
        print(
            f"volume-attach restore (create, wait, attach, wait): {calls} calls, {wall:.1f} s "
            "in the demo world (AWS adds the volume's creation and attach, and lazy loading)"
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
