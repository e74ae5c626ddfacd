"""A plain-moto world of N snapshots in 4 regions behind a latency proxy (benchmarks only).

Run as its own process (``python benchmarks/world_100k.py --snapshots N``) so that moto's CPU
is not charged to the app under test; it prints one JSON line with the proxy's endpoint when
ready and serves until stdin closes.

Not the demo world: no block world, no seeded story, only what a large account looks like to
DescribeSnapshots/Volumes/Instances/Images. Two documented fast paths, and one fidelity fix:

- **Seed**: creating 100k snapshots through the API takes moto O(n^2) (every tag lookup scans
  every tag in the region), so the seed inserts moto's own model objects into the backend's
  dicts (``backend.volumes``, ``backend.snapshots``, ``backend.tags``) directly.
- **Tag lookup**: moto's ``TaggedEC2Resource.get_tags`` answers by filtering every tag in the
  region with a regex per resource; here it reads ``backend.tags[id]`` (same result, O(1)).
- **DescribeSnapshots XML**: moto's generic serializer costs ~1.5 ms per snapshot (measured:
  1.5 s of server CPU per 1,000-snapshot page, 150 s for 100k), which would make the benchmark
  measure moto. The world renders the same elements moto emits from moto's own objects
  (~10 us each), and pages as AWS does: MaxResults 5-1,000 and an opaque NextToken (moto
  ignores both and answers one page); no MaxResults answers everything in one response.

The proxy adds ``--latency-ms`` to every request's round trip (half each way), per chunk and
without limiting bandwidth, like a link to a far region.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"

REGIONS = ("us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2")
ACCOUNT = "123456789012"  # moto's default account
SNAPSHOTS_PER_VOLUME = 25
VOLUMES_PER_INSTANCE = 2
APPS = ("web", "db", "api", "worker", "cache", "etl", "kafka", "search", "batch", "bastion")
ENVS = ("prod", "staging", "dev")


def _patch_fast_tags() -> None:
    from moto.ec2.models.core import TaggedEC2Resource

    def get_tags(self: Any) -> list[dict[str, str]]:
        tags = self.ec2_backend.tags.get(self.id) if self.id else None
        if not tags:
            return []
        rtype = self.id.split("-", 1)[0]
        return [
            {"resource_id": self.id, "resource_type": rtype, "key": k, "value": v}
            for k, v in tags.items()
        ]

    TaggedEC2Resource.get_tags = get_tags  # type: ignore[method-assign]


def seed_region(region: str, n_snapshots: int, rng: random.Random, now: datetime) -> None:
    """Volumes, instances (as attachments) and snapshots straight into moto's backend dicts."""
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.elastic_block_store import Snapshot, Volume

    backend = ec2_backends[ACCOUNT][region]
    zones = backend.describe_availability_zones()
    n_volumes = max(1, n_snapshots // SNAPSHOTS_PER_VOLUME)
    volumes = []
    for v in range(n_volumes):
        app, env = APPS[v % len(APPS)], ENVS[v % len(ENVS)]
        vid = f"vol-{rng.getrandbits(68):017x}"
        vol = Volume(backend, vid, rng.choice((8, 20, 50, 100, 500)), zones[v % len(zones)])
        vol.create_time = now - timedelta(days=400)
        backend.volumes[vid] = vol
        backend.tags[vid] = {"Name": f"{app}-{env}-{v:05d}", "env": env, "app": app}
        volumes.append(vol)
    # Every other volume is gone (its snapshots are orphans), as in a long-lived account.
    for vol in volumes[1::2]:
        del backend.volumes[vol.id]
    for i in range(n_snapshots):
        vol = volumes[i % n_volumes]
        sid = f"snap-{rng.getrandbits(68):017x}"
        age = timedelta(days=i // n_volumes, minutes=i % 1440)
        desc = f"daily backup of {backend.tags[vol.id]['Name']}" if i % 7 else ""
        snap = Snapshot(backend, sid, vol, desc, encrypted=bool(i % 3 == 0))
        snap.start_time = now - age
        backend.snapshots[sid] = snap
        tags = {"Name": f"{backend.tags[vol.id]['Name']}-{i:06d}", "env": vol.id[-1]}
        if i % 4 == 0:
            tags["dlm:managed"] = "true"
            tags["aws:dlm:lifecycle-policy-id"] = "policy-0a1b2c3d4e5f60718"
        backend.tags[sid] = tags
    _attach(backend, volumes, rng)


def _attach(backend: Any, volumes: list[Any], rng: random.Random) -> None:
    """A few running instances with the surviving volumes attached (DescribeInstances pages)."""
    from moto.ec2.models.elastic_block_store import VolumeAttachment

    alive = [v for v in volumes if v.id in backend.volumes]
    n_instances = max(1, len(alive) // VOLUMES_PER_INSTANCE // 4)
    reservation = backend.run_instances(
        "ami-12345678",
        n_instances,
        None,
        [],
        instance_type="t3.micro",
        is_instance_type_default=True,
    )
    for k, inst in enumerate(reservation.instances):
        for j, vol in enumerate(alive[k * VOLUMES_PER_INSTANCE : (k + 1) * VOLUMES_PER_INSTANCE]):
            vol.attachment = VolumeAttachment(vol, inst, f"/dev/sd{'fghij'[j]}", "attached")
    del rng


def _snapshot_xml(s: Any, tags: dict[str, str]) -> str:
    tag_xml = "".join(
        f"<item><key>{escape(k)}</key><value>{escape(v)}</value></item>" for k, v in tags.items()
    )
    start = s.start_time.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    desc = f"<description>{escape(s.description)}</description>" if s.description else ""
    return (
        f"<item><tagSet>{tag_xml}</tagSet><storageTier>{s.storage_tier}</storageTier>"
        f"<snapshotId>{s.id}</snapshotId><volumeId>{s.volume.id}</volumeId>"
        f"<status>{s.status}</status><startTime>{start}</startTime><progress>100%</progress>"
        f"<ownerId>{s.owner_id}</ownerId>{desc}<volumeSize>{s.volume.size}</volumeSize>"
        f"<encrypted>{'true' if s.encrypted else 'false'}</encrypted></item>"
    )


def _patch_fast_describe_snapshots() -> None:
    from moto.ec2.exceptions import InvalidNextToken, InvalidParameterValueError
    from moto.ec2.responses.elastic_block_store import ElasticBlockStore

    def describe_snapshots(self: Any) -> str:
        ids = self._get_param("SnapshotIds", [])
        backend = self.ec2_backend
        snaps = backend.describe_snapshots(
            snapshot_ids=ids, filters=self._filters_from_querystring()
        )
        raw_max, token = self._get_param("MaxResults"), self._get_param("NextToken")
        start, size = 0, len(snaps)
        if token:
            if not str(token).startswith("p"):
                raise InvalidNextToken(str(token))
            start = int(str(token)[1:])
        if raw_max is not None:
            size = int(raw_max)
            if not 5 <= size <= 1000:
                raise InvalidParameterValueError(f"{size} (MaxResults: 5 to 1000)")
        page = snaps[start : start + size]
        more = f"<nextToken>p{start + size}</nextToken>" if start + size < len(snaps) else ""
        items = "".join(_snapshot_xml(s, backend.tags.get(s.id, {})) for s in page)
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<DescribeSnapshotsResponse xmlns='
            f'"http://ec2.amazonaws.com/doc/2016-11-15">{more}<snapshotSet>{items}</snapshotSet>'
            "<requestId>request-id</requestId></DescribeSnapshotsResponse>"
        )

    ElasticBlockStore.describe_snapshots = describe_snapshots  # type: ignore[method-assign]


def seed(n_snapshots: int) -> float:
    _patch_fast_tags()
    _patch_fast_describe_snapshots()
    started = time.perf_counter()
    now = datetime.now(UTC).replace(tzinfo=None)
    rng = random.Random(16)
    per_region = n_snapshots // len(REGIONS)
    for k, region in enumerate(REGIONS):
        extra = n_snapshots - per_region * len(REGIONS) if k == 0 else 0
        seed_region(region, per_region + extra, rng, now)
    return time.perf_counter() - started


# --- latency proxy (its own process, so moto's CPU never delays a forwarded byte) ------------


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Forward every chunk ``delay`` seconds after it arrived, preserving order."""
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def send() -> None:
        loop = asyncio.get_running_loop()
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                writer.close()
                return
            writer.write(data)
            await writer.drain()

    sender = asyncio.create_task(send())
    loop = asyncio.get_running_loop()
    try:
        while True:
            data = await reader.read(1 << 16)
            queue.put_nowait((loop.time() + delay, data))
            if not data:
                break
        await sender
    except (ConnectionError, asyncio.CancelledError):
        sender.cancel()
        writer.close()


async def _proxy(listen_port: int, upstream_port: int, one_way: float) -> None:
    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", upstream_port)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(
            _pipe(client_r, up_w, one_way), _pipe(up_r, client_w, one_way), return_exceptions=True
        )

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port, backlog=256)
    async with server:
        await server.serve_forever()


def run_proxy(listen_port: int, upstream_port: int, latency_ms: float) -> None:
    asyncio.run(_proxy(listen_port, upstream_port, latency_ms / 2000))


# --- the world process ----------------------------------------------------------------------


def serve(n_snapshots: int, latency_ms: float) -> None:
    import logging
    import subprocess

    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    from moto.server import ThreadedMotoServer

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from snaptui.demo.server import free_port

    seed_s = seed(n_snapshots)
    moto_port, proxy_port = free_port(), free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    server.start()
    proxy = subprocess.Popen(
        [sys.executable, __file__, "--proxy", str(proxy_port), str(moto_port), str(latency_ms)]
    )
    _wait_port(proxy_port)
    ready = {
        "endpoint": f"http://127.0.0.1:{proxy_port}",
        "direct": f"http://127.0.0.1:{moto_port}",
        "regions": list(REGIONS),
        "seed_s": round(seed_s, 2),
    }
    print(json.dumps(ready), flush=True)
    try:
        sys.stdin.read()  # the benchmark closes our stdin when it is done
    finally:
        proxy.terminate()
        proxy.wait(5)
        server.stop()


def _wait_port(port: int) -> None:
    import socket

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"proxy did not start on {port}")


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--proxy":
        run_proxy(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=100_000)
    parser.add_argument("--latency-ms", type=float, default=80.0)
    args = parser.parse_args()
    serve(args.snapshots, args.latency_ms)


if __name__ == "__main__":
    threading.current_thread().name = "world"
    main()
