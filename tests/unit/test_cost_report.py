"""Cost review figures from hand-made lineages and diffs: exact, estimated, sets, output."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from snaptui.cost import money
from snaptui.cost.blocks import BLOCK_BYTES, EdgeDiff
from snaptui.cost.lineage import Lineage
from snaptui.cost.output import JSON_SCHEMA, SNAPSHOT_FIELDS, csv_rows, to_json_dict
from snaptui.cost.pricing import Prices
from snaptui.cost.report import (
    AccountCosts,
    PriceBook,
    RegionCosts,
    SnapshotFlags,
    build_region_costs,
    set_freed,
    set_freed_detail,
    split_lineages,
)
from snaptui.models import Snapshot

PRICES = Prices(standard=0.05, archive=0.0125, retrieval=0.03)
T0 = datetime(2026, 1, 1, tzinfo=UTC)
B = BLOCK_BYTES

# A (root: a1 a2 a3) -> B (rewrites a1 as b1) -> C (rewrites b1 as c1, a2 as c2)
LINEAGE = Lineage("snap-a", "us-east-1", ("snap-a", "snap-b", "snap-c"),
                  {"snap-a": None, "snap-b": "snap-a", "snap-c": "snap-b"})  # fmt: skip
DIFFS = {
    ("snap-a", "snap-b"): EdgeDiff("snap-a", "snap-b", frozenset({"b1"}), frozenset({"a1"})),
    ("snap-b", "snap-c"): EdgeDiff(
        "snap-b", "snap-c", frozenset({"c1", "c2"}), frozenset({"b1", "a2"})
    ),
}
FULL = {"snap-a": 3 * B, "snap-b": 3 * B, "snap-c": 3 * B}


def _snap(sid: str, n: int, **kw: object) -> Snapshot:
    base: dict[str, object] = dict(
        id=sid, region="us-east-1", volume_id="vol-1", volume_size_gib=8, state="completed",
        start_time=T0 + timedelta(days=n), full_size_bytes=FULL.get(sid),
    )  # fmt: skip
    base.update(kw)
    return Snapshot(**base)  # type: ignore[arg-type]


SNAPS = [_snap("snap-a", 0), _snap("snap-b", 1), _snap("snap-c", 2)]


def _region(diffs: dict[tuple[str, str], EdgeDiff] = DIFFS, **kw: object) -> RegionCosts:
    return build_region_costs(
        "us-east-1", kw.pop("snaps", SNAPS), [LINEAGE], FULL, diffs, PRICES,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def _account(rc: RegionCosts) -> AccountCosts:
    return AccountCosts("test", PriceBook({"us-east-1": PRICES}, "test"), {rc.region: rc})


def test_exact_incremental_and_freed_per_snapshot() -> None:
    rc = _region()
    a, b, c = (rc.snapshots[s] for s in ("snap-a", "snap-b", "snap-c"))
    assert (a.incremental_bytes, b.incremental_bytes, c.incremental_bytes) == (3 * B, B, 2 * B)
    # a frees only a1 (its child dropped it); b frees b1; the leaf frees all it added.
    assert (a.freed_bytes, b.freed_bytes, c.freed_bytes) == (B, B, 2 * B)
    assert all(x.exact and x.reason == "" for x in (a, b, c))
    assert a.monthly_cost == pytest.approx(money.monthly_cost(3 * B, 0.05))
    assert c.freed_monthly == pytest.approx(money.monthly_cost(2 * B, 0.05))
    assert rc.totals().exact and rc.totals().bytes == 6 * B


def test_set_savings_are_not_the_sum_of_singles() -> None:
    rc = _region()
    # Deleting a and b frees a1, b1 and a2 (a2 was shared by a and b only): 3 blocks, not 2.
    freed = set_freed(rc, ["snap-a", "snap-b"])
    assert freed == (3 * B, pytest.approx(money.monthly_cost(3 * B, 0.05)), True)
    assert set_freed(_account(rc), ["snap-a", "snap-b", "snap-c"]).bytes == 6 * B
    assert set_freed(rc, ["snap-unknown"]) == (0, 0.0, True)


def test_missing_diff_gives_marked_estimates_never_exact() -> None:
    diffs = {k: v for k, v in DIFFS.items() if k != ("snap-b", "snap-c")}
    rc = _region(diffs, reasons={"snap-c": "estimate: AccessDenied"})
    b, c = rc.snapshots["snap-b"], rc.snapshots["snap-c"]
    assert b.incremental_bytes == B and b.freed_bytes is None and not b.exact
    assert (b.freed_low_bytes, b.freed_high_bytes) == (0, B)
    assert c.incremental_bytes is None and c.monthly_cost is None and not c.exact
    assert (c.incremental_low_bytes, c.incremental_high_bytes) == (0, 3 * B)
    assert c.reason == b.reason == "estimate: AccessDenied"
    t = rc.totals()
    assert not t.exact and t.monthly_cost is None and t.bytes_low < t.bytes_high
    # The set falls back to bounds and says so.
    detail = set_freed_detail(rc, ["snap-b", "snap-c"])
    assert not detail.exact and detail.reason == "estimate: AccessDenied"
    assert detail.low_bytes <= 3 * B <= (detail.high_bytes or 0)
    assert set_freed(rc, ["snap-b", "snap-c"]).exact is False


def test_archived_and_pending_snapshots() -> None:
    archived = _snap("snap-d", 3, storage_tier="archive", full_size_bytes=8 * 2**30)
    pending = _snap("snap-e", 4, state="pending", full_size_bytes=None)
    rc = _region(snaps=[*SNAPS, archived, pending])
    d, e = rc.snapshots["snap-d"], rc.snapshots["snap-e"]
    assert d.exact and d.monthly_cost == pytest.approx(8 * 0.0125) and d.lineage_id == ""
    # Unknown size: bounded by the volume's 8 GiB, never by 0.
    assert not e.exact and e.incremental_high_bytes == 8 * 2**30 and "pending" in e.reason
    assert rc.totals().unknown == 1
    assert set_freed(rc, ["snap-d"]) == (8 * 2**30, pytest.approx(0.1), True)


def test_split_lineages_makes_the_cut_child_a_root() -> None:
    parts = split_lineages([LINEAGE], [("snap-a", "snap-b")])
    assert [(p.id, p.snapshot_ids) for p in parts] == [
        ("snap-a", ("snap-a",)),
        ("snap-b", ("snap-b", "snap-c")),
    ]
    rc = build_region_costs("us-east-1", SNAPS, parts, FULL, DIFFS, PRICES)
    assert rc.snapshots["snap-b"].incremental_bytes == 3 * B  # its full size, as a root
    assert rc.snapshots["snap-a"].freed_bytes == 3 * B


def test_rankings_orphans_and_archive_candidates() -> None:
    flags = {"snap-c": SnapshotFlags(orphan=True)}
    account = _account(_region(flags=flags))
    assert [c.snapshot_id for c in account.top_snapshots()] == ["snap-a", "snap-c", "snap-b"]
    assert [c.snapshot_id for c in account.orphans()] == ["snap-c"]
    assert account.by_lineage()[0].totals.bytes == 6 * B
    assert [name for name, _ in account.region_totals()] == ["us-east-1"]
    cands = {a.snapshot_id: a for a in account.archive_candidates()}
    c = cands["snap-c"]  # frees 2 of its 3 blocks: archiving the full 3 is cheaper
    assert c.saving_90_days == pytest.approx(money.archive_saving(2 * B, 3 * B, PRICES))
    assert c.restore_cost == pytest.approx(money.restore_cost(3 * B, PRICES.retrieval))


def test_json_and_csv_use_the_documented_fields() -> None:
    diffs = {k: v for k, v in DIFFS.items() if k != ("snap-b", "snap-c")}
    account = _account(_region(diffs, reasons={"snap-c": "estimate: x"}))
    doc = json.loads(json.dumps(to_json_dict(account)))
    assert doc["schema"] == JSON_SCHEMA
    assert set(doc) >= {"totals", "regions", "lineages", "orphans", "archive_candidates"}
    rows = {r["snapshot_id"]: r for r in doc["snapshots"]}
    assert set(rows["snap-a"]) == {*SNAPSHOT_FIELDS, "risks"}
    # No inventory behind this account: the risks are unknown (null), never "none".
    assert rows["snap-a"]["risks"] is None and doc["risks"] is None
    assert rows["snap-c"]["exact"] is False and rows["snap-c"]["monthly_cost"] is None
    assert doc["totals"]["monthly_cost"] is None and doc["totals"]["exact"] is False
    header, body = csv_rows(account)
    text = io.StringIO()
    csv.writer(text).writerows([header, *body])
    parsed = list(csv.DictReader(io.StringIO(text.getvalue())))
    assert {r["snapshot_id"]: r["exact"] for r in parsed}["snap-a"] == "false"
    _, body = csv_rows(_account(_region()))
    assert body[0][SNAPSHOT_FIELDS.index("exact")] == "true"
    assert {r["snapshot_id"]: r["monthly_cost"] for r in parsed}["snap-c"] == ""
