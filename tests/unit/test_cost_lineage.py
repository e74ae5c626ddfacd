from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snaptui.cost.evidence import build_lineages
from snaptui.cost.lineage import Lineage, index_lineages
from snaptui.models import Snapshot, Volume

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def snap(
    sid: str,
    vol: str,
    minute: int,
    *,
    region: str = "us-east-1",
    dek: str = "",
    state: str = "completed",
) -> Snapshot:
    return Snapshot(
        id=sid,
        region=region,
        volume_id=vol,
        volume_size_gib=8,
        state=state,
        start_time=T0 + timedelta(minutes=minute),
        data_encryption_key_id=dek,
    )


def vol(vid: str, source: str = "", region: str = "us-east-1") -> Volume:
    return Volume(
        id=vid, region=region, size_gib=8, volume_type="gp3", az="", state="in-use",
        snapshot_id=source,
    )  # fmt: skip


def test_chain_in_time_order_with_id_tiebreak() -> None:
    snaps = [snap("s3", "v1", 5), snap("s2", "v1", 1), snap("s1", "v1", 1)]
    (lin,) = build_lineages(snaps, [])
    assert lin.id == "s1"
    assert lin.snapshot_ids == ("s1", "s2", "s3")
    assert lin.parent == {"s1": None, "s2": "s1", "s3": "s2"}
    assert lin.edges() == [("s1", "s2"), ("s2", "s3")]
    assert lin.children("s1") == ("s2",)
    assert lin.children("s3") == ()


def test_volume_from_snapshot_branches_the_tree() -> None:
    snaps = [
        snap("a1", "va", 0),
        snap("a2", "va", 10),
        snap("a3", "va", 30),
        snap("b1", "vb", 20),  # vb was created from a1
        snap("b2", "vb", 40),
    ]
    (lin,) = build_lineages(snaps, [vol("va"), vol("vb", "a1")])
    assert lin.snapshot_ids == ("a1", "a2", "b1", "a3", "b2")
    assert lin.parent["b1"] == "a1"
    assert lin.children("a1") == ("a2", "b1")
    assert lin.edges() == [("a1", "a2"), ("a1", "b1"), ("a2", "a3"), ("b1", "b2")]


def test_join_needs_same_region_compatible_key_and_older_source() -> None:
    snaps = [
        snap("a1", "va", 0, dek="k1"),
        snap("b1", "vb", 5, dek="k2"),  # re-keyed: a new full lineage
        snap("c1", "vc", 5, dek=""),  # no key reported: joins
        snap("e1", "ve", 5, region="eu-west-1"),  # other region: no join
    ]
    volumes = [vol("vb", "a1"), vol("vc", "a1"), vol("ve", "a1", region="eu-west-1")]
    lins = build_lineages(snaps, volumes)
    idx = index_lineages(lins)
    assert idx["c1"].id == "a1"
    assert idx["b1"].id == "b1"
    assert idx["e1"].id == "e1"
    assert [lin.region for lin in lins] == ["eu-west-1", "us-east-1", "us-east-1"]


def test_copies_are_roots_but_may_have_children() -> None:
    snaps = [
        snap("c1", "vol-ffffffff", 0),
        snap("c2", "vol-ffffffff", 1),
        snap("x", "", 2),
        snap("v1", "vv", 3),
    ]
    lins = build_lineages(snaps, [vol("vv", "c2"), vol("vol-ffffffff", "c1")])
    idx = index_lineages(lins)
    assert idx["c1"].snapshot_ids == ("c1",)
    assert idx["x"].snapshot_ids == ("x",)
    assert idx["v1"].snapshot_ids == ("c2", "v1")


def test_only_completed_snapshots_are_kept() -> None:
    snaps = [snap("s1", "v", 0), snap("s2", "v", 1, state="pending"), snap("s3", "v", 2)]
    (lin,) = build_lineages(snaps, [vol("v", "s2")])
    assert lin.parent == {"s1": None, "s3": "s1"}


def test_lineage_rejects_non_trees() -> None:
    with pytest.raises(ValueError):
        Lineage("a", "r", ("a", "b"), {"a": None, "b": "c"})
    with pytest.raises(ValueError):
        Lineage("a", "r", ("a", "b"), {"a": None, "b": None})
    with pytest.raises(ValueError):
        Lineage("b", "r", ("a", "b"), {"a": "b", "b": None})


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 5), st.sampled_from(["", "k"]), st.booleans()),
        max_size=15,
    ),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 14)), max_size=4),
)
def test_always_a_forest_of_every_completed_snapshot(
    specs: list[tuple[int, int, str, bool]], sources: list[tuple[int, int]]
) -> None:
    snaps = [
        snap(f"s{i}", f"v{v}", minute, dek=dek, state="completed" if done else "pending")
        for i, (v, minute, dek, done) in enumerate(specs)
    ]
    volumes = [vol(f"v{v}", f"s{i}") for v, i in sources]
    lins = build_lineages(snaps, volumes)  # Lineage.__post_init__ checks each is a tree
    got = [sid for lin in lins for sid in lin.snapshot_ids]
    assert sorted(got) == sorted(s.id for s in snaps if s.state == "completed")
