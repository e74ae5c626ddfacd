"""Seed the demo world's Lightsail, deterministically from the demo's "now".

us-east-1: "blog", a Ghost instance with automatic snapshots on (03:00 UTC, so seven are
kept), one hand-made manual snapshot, and the orphaned snapshots of "legacy-lamp", an old
instance deleted long ago. eu-west-1: "wordpress" with a 32 GB data disk "wp-media" attached
at /dev/xvdf, snapshotted weekly by a cron script (tagged as such), instance and disk.

Instances and disks are made in-process (the demo has no CreateInstances); snapshots are made
through the API, as the user's script did, then dated in the past.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from snaptui.demo.lightsail import store as store_module
from snaptui.demo.lightsail.store import AutoAddOn, Disk, Instance, Store

BLOG_REGION = "us-east-1"
WORDPRESS_REGION = "eu-west-1"
SCRIPT_TAGS = {"made-by": "lightsail-backup.sh", "schedule": "weekly"}
WEEKLY = 5  # weekly snapshots the script has made so far


def place_instance(store: Store, region: str, name: str, created: datetime, **kw: Any) -> Instance:
    """Put an instance in the world (the demo has no CreateInstances); tests use it too."""
    reg = store.region(region)
    store.answering(reg)
    inst = Instance(
        name=name, arn=store.arn(region, "Instance", name), az=f"{region}a", created_at=created,
        key_pair="LightsailDefaultKeyPair", **kw,
    )  # fmt: skip
    reg.instances[name] = inst
    return inst


def place_disk(store: Store, region: str, name: str, size_gb: int, **kw: Any) -> Disk:
    """Put a disk in the world (in zone a unless ``az`` says otherwise)."""
    store.answering(store.region(region))
    kw.setdefault("az", f"{region}a")
    kw.setdefault("created_at", store.now())
    disk = Disk(name=name, arn=store.arn(region, "Disk", name), size_gb=size_gb, **kw)
    store.region(region).disks[name] = disk
    return disk


def _dated(store: Store, region: str, name: str, when: datetime) -> None:
    snap = store.region(region).snapshots[name]
    snap.created_at, snap.ready_at = when, when + timedelta(minutes=4)


def seed_lightsail(client: Callable[[str], Any], now: datetime) -> Store:
    """``client(region)``: a Lightsail client on the demo world (the seeder's)."""
    store = store_module.store()
    store.set_now(now)
    tags = [{"key": k, "value": v} for k, v in SCRIPT_TAGS.items()]
    _seed_blog(store, client(BLOG_REGION), now)
    _seed_wordpress(store, client(WORDPRESS_REGION), now, tags)
    return store


def _seed_blog(store: Store, ls: Any, now: datetime) -> None:
    made = now - timedelta(days=400)
    blog = place_instance(
        store, BLOG_REGION, "blog", made, blueprint_id="ghost", blueprint_name="Ghost",
        bundle_id="small_3_0", disk_gb=60, ip="203.0.113.21",
    )  # fmt: skip
    blog.auto = AutoAddOn("03:00", now - timedelta(days=90))
    ls.create_instance_snapshot(instanceName="blog", instanceSnapshotName="blog-before-ghost-6")
    _dated(store, BLOG_REGION, "blog-before-ghost-6", now - timedelta(days=41, hours=5))
    # legacy-lamp: its snapshots outlived it (the instance and its disk are gone).
    legacy = place_instance(
        store, BLOG_REGION, "legacy-lamp", now - timedelta(days=900), blueprint_id="lamp_8_bitnami",
        blueprint_name="LAMP (PHP 8)", bundle_id="micro_3_0", disk_gb=40,
    )  # fmt: skip
    reg = store.region(BLOG_REGION)
    place_disk(store, BLOG_REGION, "legacy-data", 16, created_at=legacy.created_at)
    for n, name in enumerate(("legacy-lamp-2025-06-01", "legacy-lamp-final")):
        ls.create_instance_snapshot(instanceName="legacy-lamp", instanceSnapshotName=name)
        _dated(store, BLOG_REGION, name, now - timedelta(days=300 - 60 * n))
    ls.create_disk_snapshot(diskName="legacy-data", diskSnapshotName="legacy-data-final")
    _dated(store, BLOG_REGION, "legacy-data-final", now - timedelta(days=240, minutes=-5))
    del reg.instances["legacy-lamp"], reg.disks["legacy-data"]


def _seed_wordpress(store: Store, ls: Any, now: datetime, tags: list[dict[str, str]]) -> None:
    made = now - timedelta(days=200)
    place_instance(
        store, WORDPRESS_REGION, "wordpress", made, blueprint_id="wordpress",
        blueprint_name="WordPress", bundle_id="medium_3_0", disk_gb=80, ip="203.0.113.42",
    )  # fmt: skip
    place_disk(
        store, WORDPRESS_REGION, "wp-media", 32, created_at=made, attached_to="wordpress",
        path="/dev/xvdf",
    )  # fmt: skip
    for week in range(WEEKLY, 0, -1):
        when = (now - timedelta(weeks=week)).replace(hour=1, minute=30, second=0, microsecond=0)
        stamp = when.strftime("%Y-%m-%d")
        ls.create_instance_snapshot(
            instanceName="wordpress", instanceSnapshotName=f"wordpress-weekly-{stamp}", tags=tags
        )
        _dated(store, WORDPRESS_REGION, f"wordpress-weekly-{stamp}", when)
        ls.create_disk_snapshot(
            diskName="wp-media", diskSnapshotName=f"wp-media-weekly-{stamp}", tags=tags
        )
        _dated(store, WORDPRESS_REGION, f"wp-media-weekly-{stamp}", when + timedelta(minutes=6))
