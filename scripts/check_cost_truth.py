"""Check `snaptui cost --json` against brute force, from outside, as a skeptic would.

    python scripts/check_cost_truth.py [--keep-going]

Starts `snaptui demo --no-ui` in a subprocess and talks to it only over HTTP with plain boto3
(no snaptui code). It makes the world as it is after months of use: on top of the seed's
branches, incremental DR copies, archived snapshots and deleted volumes, it restores a volume
from a web-1 snapshot, snapshots it twice, branches that branch (a branch of a branch, also
snapshotted), archives a mid-chain snapshot, then deletes both restore volumes and the source
snapshot. `snaptui cost --json` runs twice: once cold after all that (no memory of the deleted
volumes: probes), once with a cache filled by a run made before the deletions (evidence).

Brute force: every snapshot's block tokens from ListSnapshotBlocks, each distinct token counted
once. freed(s) = tokens only s holds; incremental(s) = tokens s holds that its nearest
surviving ancestor does not (ancestry as recorded before anything was deleted: the previous
snapshot of the volume, or the volume's source snapshot; a copy continues the previous copy of
the same source volume under the same key); stored = distinct tokens of standard snapshots plus
archived snapshots' full size. Every figure marked exact must equal it; every other range must
contain it. Prints the counts and exits 1 on any violation.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from typing import Any

import boto3

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
BLOCK = 512 * 1024
COPIED = re.compile(r"\[Copied (snap-[0-9a-f]+) from ([a-z0-9-]+)\]")


def start_demo() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "snaptui", "demo", "--no-ui"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        if found:
            return proc, found.group(0)
    raise SystemExit("the demo world did not start")


class World:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.clients: dict[tuple[str, str], Any] = {}

    def c(self, service: str, region: str) -> Any:
        if (service, region) not in self.clients:
            self.clients[(service, region)] = boto3.client(  # type: ignore[call-overload]
                service, region_name=region, endpoint_url=self.endpoint,
                aws_access_key_id="demo", aws_secret_access_key="demo",
            )  # fmt: skip
        return self.clients[(service, region)]

    def snapshots(self, region: str) -> list[dict[str, Any]]:
        pages = self.c("ec2", region).get_paginator("describe_snapshots")
        return [s for p in pages.paginate(OwnerIds=["self"]) for s in p["Snapshots"]]

    def volumes(self, region: str) -> list[dict[str, Any]]:
        pages = self.c("ec2", region).get_paginator("describe_volumes")
        return [v for p in pages.paginate() for v in p["Volumes"]]

    def tokens(self, region: str, snapshot_id: str) -> set[str]:
        out: set[str] = set()
        token = None
        while True:
            kw: dict[str, Any] = {"SnapshotId": snapshot_id, "MaxResults": 10000}
            if token:
                kw["NextToken"] = token
            page = self.c("ebs", region).list_snapshot_blocks(**kw)
            out |= {b["BlockToken"] for b in page["Blocks"]}
            token = page.get("NextToken")
            if not token:
                return out


def record_ancestry(w: World) -> dict[str, str | None]:
    """Each snapshot's parent as the world shows it now, before anything is deleted."""
    parent: dict[str, str | None] = {}
    for region in REGIONS:
        snaps = sorted(w.snapshots(region), key=lambda s: (s["StartTime"], s["SnapshotId"]))
        source = {v["VolumeId"]: v.get("SnapshotId") or None for v in w.volumes(region)}
        last: dict[tuple[str, bool, str], str] = {}
        for s in snaps:
            vol = s["VolumeId"]
            if vol == "vol-ffffffff":
                m = COPIED.search(s.get("Description", ""))
                origin = _source_volume(w, m) if m else s["SnapshotId"]
                key = (origin, s["Encrypted"], s.get("KmsKeyId", ""))
            else:
                key = (vol, s["Encrypted"], "")
            parent[s["SnapshotId"]] = last.get(key) or (None if vol == "vol-ffffffff"
                                                        else source.get(vol))  # fmt: skip
            last[key] = s["SnapshotId"]
    return parent


_SOURCE_VOLUMES: dict[str, str] = {}


def _source_volume(w: World, m: re.Match[str]) -> str:
    sid, region = m.group(1), m.group(2)
    if sid not in _SOURCE_VOLUMES:
        got = w.c("ec2", region).describe_snapshots(SnapshotIds=[sid])["Snapshots"]
        _SOURCE_VOLUMES[sid] = "copyof:" + (got[0]["VolumeId"] if got else sid)
    return _SOURCE_VOLUMES[sid]


def scenario(w: World, parent: dict[str, str | None]) -> list[str]:
    """Branches, a branch of a branch, an archived mid-chain snapshot; returns what to delete."""
    ec2 = w.c("ec2", "us-east-1")
    web = sorted((s for s in w.snapshots("us-east-1") if "web-1-root-daily" in str(s.get("Tags"))),
                 key=lambda s: s["StartTime"])  # fmt: skip
    source = web[5]["SnapshotId"]
    vol = ec2.create_volume(AvailabilityZone="us-east-1a", SnapshotId=source)["VolumeId"]
    c1 = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    c2 = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    vol2 = ec2.create_volume(AvailabilityZone="us-east-1a", SnapshotId=c1, Size=12)["VolumeId"]
    c3 = ec2.create_snapshot(VolumeId=vol2)["SnapshotId"]
    parent.update({c1: source, c2: c1, c3: c1})
    ec2.modify_snapshot_tier(SnapshotId=web[9]["SnapshotId"], StorageTier="archive")
    return [vol, vol2, source]


def run_cost(endpoint: str, cache: str) -> dict[str, Any]:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo"}
    env.pop("AWS_PROFILE", None)
    cmd = [sys.executable, "-m", "snaptui", "cost", "--json", "--endpoint-url", endpoint,
           "--cache-dir", cache, *[a for r in REGIONS for a in ("--region", r)]]  # fmt: skip
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1):
        raise SystemExit(f"snaptui cost failed: {out.stderr}")
    doc: dict[str, Any] = json.loads(out.stdout)
    return doc


def check(w: World, doc: dict[str, Any], parent: dict[str, str | None], label: str) -> int:
    tokens: dict[str, set[str]] = {}
    archived = 0
    tier: dict[str, str] = {}
    for region in REGIONS:
        for s in w.snapshots(region):
            tier[s["SnapshotId"]] = s.get("StorageTier", "standard")
            blocks = w.tokens(region, s["SnapshotId"])
            if tier[s["SnapshotId"]] == "archive":
                archived += len(blocks) * BLOCK
            else:
                tokens[s["SnapshotId"]] = blocks
    holders: dict[str, int] = {}
    for toks in tokens.values():
        for t in toks:
            holders[t] = holders.get(t, 0) + 1
    bad = exact = bounded = 0
    for row in doc["snapshots"]:
        sid = row["snapshot_id"]
        if sid not in tokens:
            continue
        anc = parent.get(sid)
        while anc is not None and anc not in tokens:
            anc = parent.get(anc)
        truth = {
            "incremental": len(tokens[sid] - (tokens[anc] if anc else set())) * BLOCK,
            "freed": sum(BLOCK for t in tokens[sid] if holders[t] == 1),
        }
        for name, value in truth.items():
            lo, hi, one = row[f"{name}_low_bytes"], row[f"{name}_high_bytes"], row[f"{name}_bytes"]
            if one is not None:
                exact += 1
                bad += one != value
                if one != value:
                    print(f"  WRONG {sid} {name}: exact {one} != truth {value}")
            else:
                bounded += 1
                if not lo <= value <= hi:
                    bad += 1
                    print(f"  WRONG {sid} {name}: {value} outside [{lo}, {hi}]")
    stored = len(holders) * BLOCK + archived
    total = doc["totals"]
    ok_total = total["bytes"] == stored if total["exact"] else (
        total["bytes_low"] <= stored <= total["bytes_high"])  # fmt: skip
    bad += not ok_total
    print(f"{label}: {exact} exact figures equal brute force, {bounded} bounds contain it, "
          f"{bad} wrong; account stored {total['bytes']} bytes (exact={total['exact']}) vs "
          f"distinct {stored} bytes: {'OK' if ok_total else 'WRONG'}; "
          f"${total['monthly_low']:.2f}/month; probes "
          f"{sum(r['probes'] for r in doc['regions'])}, API calls "
          f"{sum(r['api_calls'] for r in doc['regions'])}")  # fmt: skip
    return bad


def main() -> int:
    proc, endpoint = start_demo()
    try:
        w = World(endpoint)
        parent = record_ancestry(w)
        doomed = scenario(w, parent)
        with tempfile.TemporaryDirectory() as warm, tempfile.TemporaryDirectory() as cold:
            before = run_cost(endpoint, warm)  # sees the restore volumes and the source
            bad = check(w, before, parent, "before the deletions")
            ec2 = w.c("ec2", "us-east-1")
            ec2.delete_volume(VolumeId=doomed[0])
            ec2.delete_volume(VolumeId=doomed[1])
            ec2.delete_snapshot(SnapshotId=doomed[2])
            bad += check(w, run_cost(endpoint, warm), parent, "after, with evidence   ")
            bad += check(w, run_cost(endpoint, cold), parent, "after, cold (probes)   ")
            bad += check(w, run_cost(endpoint, cold), parent, "after, cold, 2nd run   ")
        return 1 if bad else 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
