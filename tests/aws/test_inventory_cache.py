"""The on-disk inventory cache: round trip, atomic, versioned, bounded, never trusted blindly."""

from __future__ import annotations

import gzip
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from snaptui.aws import inventory, inventory_cache
from snaptui.aws.inventory_cache import InventoryCache, namespace_of
from snaptui.aws.session import AwsContext
from snaptui.demo.seed import SeedReport
from snaptui.models import Problem, ProblemKind, RegionInventory

T = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def fetched(demo_ctx: AwsContext, seeded: SeedReport) -> RegionInventory:
    return inventory.fetch_region(demo_ctx, "us-east-1", clock=lambda: T)


def test_round_trip_gives_back_every_row_marked_cached(
    tmp_path: Path, fetched: RegionInventory
) -> None:
    cache = InventoryCache(tmp_path, "ns")
    cache.save(fetched)
    loaded = cache.load("us-east-1")
    assert loaded is not None and loaded.cached and not fetched.cached
    assert loaded.fetched_at == T
    for kind in ("snapshots", "volumes", "instances", "images"):
        assert getattr(loaded, kind) == getattr(fetched, kind), kind
    assert fetched.snapshots and fetched.volumes and fetched.instances and fetched.images
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [cache.path("us-east-1")]


def test_namespaces_keep_profiles_and_endpoints_apart(
    tmp_path: Path, fetched: RegionInventory
) -> None:
    InventoryCache(tmp_path, namespace_of("prod", None)).save(fetched)
    assert InventoryCache(tmp_path, namespace_of("dev", None)).load("us-east-1") is None
    other_endpoint = namespace_of("prod", "http://127.0.0.1:1")
    assert InventoryCache(tmp_path, other_endpoint).load("us-east-1") is None
    assert InventoryCache(tmp_path, namespace_of("prod", None)).load("us-east-1") is not None


def test_a_failed_write_keeps_the_previous_file(
    tmp_path: Path, fetched: RegionInventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = InventoryCache(tmp_path, "ns")
    cache.save(fetched)
    before = cache.path("us-east-1").read_bytes()

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    fetched.snapshots = fetched.snapshots[:1]
    with pytest.raises(OSError):
        cache.save(fetched)
    assert cache.path("us-east-1").read_bytes() == before
    assert [p.name for p in cache.dir.iterdir()] == ["us-east-1.json.gz"]  # no temp left


@pytest.mark.parametrize(
    "content",
    [
        b"not gzip at all",
        gzip.compress(b"{truncated"),
        gzip.compress(json.dumps({"format": 0, "region": "us-east-1"}).encode()),
        gzip.compress(
            json.dumps({"format": inventory_cache.FORMAT, "region": "eu-west-1"}).encode()
        ),
        gzip.compress(
            json.dumps({"format": inventory_cache.FORMAT, "region": "us-east-1"}).encode()
        ),
    ],
    ids=["garbage", "truncated", "old-format", "other-region", "missing-fields"],
)
def test_a_corrupt_or_foreign_file_is_ignored_and_removed(tmp_path: Path, content: bytes) -> None:
    cache = InventoryCache(tmp_path, "ns")
    cache.dir.mkdir(parents=True)
    cache.path("us-east-1").write_bytes(content)
    assert cache.load("us-east-1") is None
    assert not cache.path("us-east-1").exists()


def test_a_region_that_answered_with_errors_keeps_its_last_good_file(
    tmp_path: Path, fetched: RegionInventory
) -> None:
    cache = InventoryCache(tmp_path, "ns")
    cache.save(fetched)
    broken = RegionInventory(region="us-east-1", fetched_at=T)
    broken.problems.append(Problem(ProblemKind.ACCESS_DENIED, "no", "us-east-1"))
    cache.save(broken)
    loaded = cache.load("us-east-1")
    assert loaded is not None and len(loaded.snapshots) == len(fetched.snapshots)


def test_the_cache_stays_under_its_bound_dropping_the_oldest(
    tmp_path: Path, fetched: RegionInventory
) -> None:
    cache = InventoryCache(tmp_path, "ns")
    cache.save(fetched)
    one_file = cache.path("us-east-1").stat().st_size
    other = InventoryCache(tmp_path, "other")
    for i, region in enumerate(("eu-west-1", "eu-west-2", "eu-west-3")):
        fetched.region = region
        other.save(fetched)
        os.utime(other.path(region), (1_000_000 + i, 1_000_000 + i))
    os.utime(cache.path("us-east-1"), (999_999, 999_999))
    InventoryCache(tmp_path, "other", max_bytes=int(one_file * 2.5)).trim()
    left = sorted(p.name for p in tmp_path.rglob("*.json.gz"))
    assert left == ["eu-west-2.json.gz", "eu-west-3.json.gz"]  # oldest two gone


def test_region_names_cannot_escape_the_cache_dir(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="bad region"):
        InventoryCache(tmp_path, "ns").path("../../etc")
