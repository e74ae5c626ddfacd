"""What `/` finds, against a brute-force substring check, and which columns a width shows."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from snaptui.core.filtering import RowFilter, haystack
from snaptui.models import Snapshot
from snaptui.ui.vtable_columns import Column
from snaptui.ui.vtable_render import column_widths

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def snap(sid: str, name: str) -> Snapshot:
    return Snapshot(
        id=sid,
        region="us-east-1",
        volume_id="vol-1",
        volume_size_gib=8,
        state="completed",
        start_time=T0,
        tags={"Name": name},
    )


def test_a_row_whose_tags_changed_is_found_by_its_new_tags() -> None:
    cache: dict[object, tuple[Snapshot, str]] = {}
    old = snap("snap-1", "before")
    RowFilter([old], lambda s: s.id, cache=cache).prepare()
    renamed = dataclasses.replace(old, tags={"Name": "after"})
    found = RowFilter([renamed], lambda s: s.id, cache=cache)
    assert found.apply("after") == [renamed]
    assert found.apply("before") == []


@given(
    names=st.lists(st.text(alphabet="abc=", max_size=5), max_size=12),
    queries=st.lists(st.text(alphabet="abc=", min_size=1, max_size=3), max_size=6),
)
def test_narrowing_keystrokes_find_what_a_full_scan_finds(
    names: list[str], queries: list[str]
) -> None:
    rows = [snap(f"snap-{i}", n) for i, n in enumerate(names)]
    live = RowFilter(rows, lambda s: s.id)
    typed = ""
    for q in queries:  # each one typed after the last, as a user narrows
        typed += q
        assert live.apply(typed) == [r for r in rows if typed.lower() in haystack(r)]


def _cols() -> list[Column[str]]:
    return [
        Column("id", "ID", str, width=10),
        Column("region", "Region", str, sort_key=str, width=14, hide_below=90),
        Column("desc", "Desc", str, min_width=10),
    ]


def test_a_column_too_wide_for_the_width_is_hidden_unless_sorted_by() -> None:
    assert [c.key for c, _ in column_widths(_cols(), 40)] == ["id", "desc"]
    shown = column_widths(_cols(), 40, sorted_by="region")
    assert [(c.key, w) for c, w in shown] == [("id", 10), ("region", 14), ("desc", 12)]
    squeezed = column_widths(_cols(), 30, sorted_by="region")
    assert dict((c.key, w) for c, w in squeezed)["desc"] == 2  # gives up its room for it
